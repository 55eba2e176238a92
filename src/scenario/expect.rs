//! What a run must show: the expectations `settle run --check` and the
//! Checks panel evaluate.

use serde::{Deserialize, Serialize};

use crate::model::Dur;

/// Something the run must show; `settle run --check` evaluates each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expectation {
    /// Every copy of the table equals the owner's at time `by`.
    Converged { table: String, by: Dur },
    /// At time `at` some copy of the table differs from the owner's.
    Diverged { table: String, at: Dur },
    /// At least this many reads returned an older version than the owner had.
    StaleReads { at_least: u32 },
    /// At least this many deliveries were recognised as already applied.
    DuplicatesIgnored { at_least: u32 },
    /// At least this many messages were dropped (lost, cut off or crashed).
    Dropped { at_least: u32 },
    /// Every event published on the topic reached every subscriber.
    NoEventLost { topic: String },
    /// Every version committed to the table's owner reached every copy
    /// as an event: no write was lost on the way.
    NoWriteLost { table: String },
    /// Every write committed to the table's owner shows on every copy
    /// within this long (a newer version arriving first counts).
    VisibleWithin { table: String, within: Dur },
    /// Every saga either completed every step, or left every step it did
    /// compensated; and at least so many of each happened.
    SagasSettled {
        completed_at_least: u32,
        compensated_at_least: u32,
    },
    /// Every record of `table` has its entry in `ledger`, and no entry is
    /// without its record: nothing was half written.
    NoHalfWrite { table: String, ledger: String },
    /// At least this many concurrent writes to the table were silently
    /// discarded by last-writer-wins...
    WritesLost { table: String, at_least: u32 },
    /// ...or at most this many.
    WritesLostAtMost { table: String, at_most: u32 },
    /// At the end, the owner of `table` (or the copy at node `at`) holds
    /// `value` for `id` ("—" for no record).
    FinalValue {
        table: String,
        id: String,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    /// At least this many blind writes overwrote a version their writer
    /// never read (lost updates)...
    LostUpdates { at_least: u32 },
    /// ...or none did.
    NoLostUpdate,
    /// At least this many versioned writes were refused because the record
    /// had moved on.
    VersionConflicts { at_least: u32 },
    /// At least this many redelivered events were applied a second time by
    /// a consumer that keeps no table of processed events.
    DuplicatesApplied { at_least: u32 },
    /// At least this many deliveries were given up and dead-lettered.
    DeadLettered { at_least: u32 },
    /// Every event published on the topic was applied by every subscriber
    /// or sits in a dead-letter queue: none is simply lost.
    EveryEventAccounted { topic: String },
    /// At the end, the projection's view equals its sources folded afresh
    /// from their owners' tables.
    ViewMatchesSources { projection: String },
    /// At least this many reads went straight to another service's table.
    ForeignReads { at_least: u32 },
    /// ...or at most this many.
    ForeignReadsAtMost { at_most: u32 },
    /// No database is used by more than one service: each owns its own.
    NoSharedDatabase,
    /// Every request the client sent was answered.
    AllAnswered { client: String },
    /// Some answer the client received contains this text.
    AnswerContains { client: String, text: String },
    /// Some answer reached the client at least this long after it sent
    /// the request (it waited, say, for a lock).
    AnswerWaited { client: String, at_least: Dur },
    /// Every consumer of the partitioned log got each key's events, the
    /// first time, in the order the log appended them.
    KeyOrderKept { log: String },
    /// At least this many times, a consumer of the log got an event of a
    /// key again after a newer one of that key (it resumed from an older
    /// offset, or was rewound).
    OlderAfterNewer { log: String, at_least: u32 },
    /// By time `by`, the consumer group has handled every event the log
    /// appended on its topics at least once, and no member lags.
    GroupCaughtUp { log: String, group: String, by: Dur },
}

/// When a verdict on a run seen only up to some moment can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Once the run has reached this moment.
    At(crate::model::Micros),
    /// As soon as it passes: a count that only grows.
    WhenMet,
    /// Only at the end of the run.
    AtEnd,
}

impl Expectation {
    /// When its verdict is final.
    pub fn decided(&self) -> Decided {
        match self {
            // A property of the drawing, known before the run starts.
            Expectation::NoSharedDatabase => Decided::At(0),
            Expectation::Converged { by: at, .. }
            | Expectation::Diverged { at, .. }
            | Expectation::GroupCaughtUp { by: at, .. } => Decided::At(at.0),
            Expectation::StaleReads { .. }
            | Expectation::DuplicatesIgnored { .. }
            | Expectation::Dropped { .. }
            | Expectation::ForeignReads { .. }
            | Expectation::WritesLost { .. }
            | Expectation::AnswerContains { .. }
            | Expectation::AnswerWaited { .. }
            | Expectation::LostUpdates { .. }
            | Expectation::VersionConflicts { .. }
            | Expectation::DuplicatesApplied { .. }
            | Expectation::DeadLettered { .. } => Decided::WhenMet,
            Expectation::NoEventLost { .. }
            | Expectation::NoWriteLost { .. }
            | Expectation::VisibleWithin { .. }
            | Expectation::SagasSettled { .. }
            | Expectation::NoHalfWrite { .. }
            | Expectation::WritesLostAtMost { .. }
            | Expectation::ForeignReadsAtMost { .. }
            | Expectation::FinalValue { .. }
            | Expectation::AllAnswered { .. }
            | Expectation::NoLostUpdate
            | Expectation::EveryEventAccounted { .. }
            | Expectation::ViewMatchesSources { .. }
            | Expectation::KeyOrderKept { .. } => Decided::AtEnd,
            Expectation::OlderAfterNewer { .. } => Decided::WhenMet,
        }
    }
}
