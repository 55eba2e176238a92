//! Questions the views and checks ask of a trace: what did each store hold
//! at a moment, which messages were on the wire, which links were cut, how
//! copies compare with their owners, and how divergence, staleness and
//! traffic changed over time. Each is answered here once.

mod diff;
mod faults;
pub mod fold;
mod index;
mod lag;
mod logs;
mod outcome;
mod pipeline;
mod series;

pub use diff::{Moment, Parting, RecordDiff, first_difference, records_differing};
pub use faults::FaultState;
pub use index::Index;
pub use lag::{Agreement, agreement, staleness_ms, visibility_lags};
pub use logs::{consumer_lags, handled_event};
pub use outcome::{Timeout, UNKNOWN_OUTCOME, timeout_at, timeout_said, timeouts};
pub use pipeline::{OutboxRow, Pipeline, RelayPosition, checkpoint};
pub use series::Series;
