//! The vocabulary every layer shares: virtual time, interned names, keys,
//! values, versions and records, message bodies, flags, and append-only
//! chunked storage. No behaviour and no dependencies on other layers: the
//! scenario, the trace, the engine and the checks all build on this.

pub mod body;
pub mod chunked;
pub mod crdt;
pub mod elide;
pub mod fields;
pub mod flags;
pub mod names;
pub mod peer_state;
pub mod record;
pub mod request;
pub mod time;

pub use body::{Answer, Body, IdemKey, ReqOp, Token, WriteKind, body_label};
pub use chunked::Chunked;
pub use flags::{deliver_flags, message_flags};
pub use names::{Names, NodeIdx, Sym};
pub use record::{EventId, Key, Record, Value, Version, value_text};
pub use time::{Dur, MAX_TIME, Micros, Prob, fmt_ms, fmt_time, parse_dur};
