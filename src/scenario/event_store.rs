//! The settings of an event store, and the name of the table that shows
//! its streams' events.

use serde::{Deserialize, Serialize};

/// An event store: one append-only stream of events per aggregate id. An
/// event-sourced service (`event_sourced: true`, with the store as its
/// `database`) appends an event for each write, with the version it
/// expects the stream to be at when the write was based on a read; the
/// store refuses an append whose expected version is stale. Its state is
/// the fold of its stream. Projections subscribe to the store's events
/// (a topic named after the service's table) and get every event of
/// every stream of that table, in the order they were appended.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStoreSpec {
    /// Keep a snapshot of a stream's fold every this many of its events
    /// (shown as the table [`snapshot_table`]): loading the record then
    /// starts from the snapshot and replays only the events after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_every: Option<u32>,
}

/// The most events between two snapshots a file may ask for.
pub const MAX_SNAPSHOT_EVERY: u32 = 1000;

/// The table store `store` keeps its snapshots in: a row per stream, the
/// fold at its latest snapshot, tagged with the event it folds up to.
pub fn snapshot_table(store: &str) -> String {
    format!("{store} snapshots")
}

/// The table store `store` shows its events in: one row per event,
/// named after its stream and its number in it (`o1 #2`).
pub fn event_table(store: &str) -> String {
    format!("{store} events")
}

/// The row of event number `n` (from 1) of stream `stream`.
pub fn event_row(stream: &str, n: u32) -> String {
    format!("{stream} #{n}")
}
