//! The recorded history of a run: the single source every view is drawn
//! from. The engine appends; nothing else writes. Entries are small fixed
//! records in append-only chunked storage, so a million-event run fits in a
//! few tens of megabytes and any moment can be looked up without re-running.
//!
//! Layout:
//! - `steps`: one per thing the engine did (a delivery, a drop, a timer, a
//!   workload request, a fault, a narration mark), in (time, sequence) order;
//! - `messages`: one per send, in send order, pointing at the step that sent
//!   it (`cause`) and at its shared `body`;
//! - `changes`: one per store write, pointing at its step and at a body that
//!   holds the new record (the old one is the previous change of that key);
//! - `timed`: the time and arguments of steps that are not deliveries.

pub mod export;
mod prefix;
pub mod query;

use serde::Serialize;

use crate::model::{Body, Chunked, Key, Micros, Names, NodeIdx, Record, Sym};
use crate::scenario::Kind;

/// What kind of thing a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[repr(u8)]
pub enum StepKind {
    /// A message arrived and its node handled it; `id` is the message.
    Deliver,
    /// A message arrived nowhere; `id` is the message, `flags` the reason.
    Drop,
    /// A node's timer fired; `id` indexes `timed`.
    Timer,
    /// The workload fired a request; `id` indexes `timed` (item, number).
    Work,
    /// A fault or repair; `id` indexes `faults`.
    Fault,
    /// A narration step began; `id` indexes `timed` (narration index).
    Mark,
}

/// Why a message was dropped (the `flags` of a drop step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[repr(u8)]
pub enum DropReason {
    /// The link lost it (its loss probability).
    Lost = 1,
    /// The link was cut when it arrived.
    Partition = 2,
    /// Its destination was crashed.
    NodeDown = 3,
    /// There is no link between sender and receiver.
    NoRoute = 4,
}

impl DropReason {
    pub fn from_flags(f: u8) -> DropReason {
        match f {
            1 => DropReason::Lost,
            2 => DropReason::Partition,
            3 => DropReason::NodeDown,
            _ => DropReason::NoRoute,
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            DropReason::Lost => "lost on the link",
            DropReason::Partition => "link cut",
            DropReason::NodeDown => "receiver crashed",
            DropReason::NoRoute => "no link",
        }
    }
}

/// One thing the engine did. Eight bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: u32,
    pub node: NodeIdx,
    pub kind: StepKind,
    pub flags: u8,
}

/// What became of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[repr(u8)]
pub enum Fate {
    InFlight,
    Delivered,
    Dropped,
}

/// One send. 24 bytes; the send time is its cause step's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    /// When it arrives (or would have).
    pub at: Micros,
    pub body: u32,
    /// The step whose handling sent it.
    pub cause: u32,
    pub from: NodeIdx,
    pub to: NodeIdx,
    pub flags: u8,
    pub fate: Fate,
}

/// One store write at `step`'s node; `body` holds the new record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub step: u32,
    pub body: u32,
}

/// Time and two arguments of a step that is not a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timed {
    pub at: Micros,
    pub a: u32,
    pub b: u32,
}

/// A fault as it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum FaultEvent {
    Cut {
        from: NodeIdx,
        to: NodeIdx,
        one_way: bool,
    },
    Heal {
        from: NodeIdx,
        to: NodeIdx,
    },
    HealAll,
    Crash(NodeIdx),
    Restart(NodeIdx),
    /// The node's clock now runs this many microseconds ahead.
    Skew(NodeIdx, Micros),
    /// An operator rebuilt the node's view from the start.
    Rebuild(NodeIdx),
    /// An operator re-drove the node's dead-letter queue.
    Redrive(NodeIdx),
    /// An operator moved a log's consumer group (by name) to an offset in
    /// every partition.
    Rewind {
        node: NodeIdx,
        group: Sym,
        offset: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRec {
    pub at: Micros,
    pub fault: FaultEvent,
}

/// A node as the views need to know it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeInfo {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    pub pos: (f32, f32),
}

/// A logical table: its owner's store and the copies that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    pub name: Sym,
    /// The node whose store holds the authoritative table.
    pub owner: NodeIdx,
    /// Nodes that keep a copy, in scenario order.
    pub replicas: Vec<NodeIdx>,
}

/// Running totals, kept as the run goes so summaries cost nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub sent: u64,
    pub delivered: u64,
    pub dropped: u64,
    pub duplicated: u64,
    pub duplicates_ignored: u64,
    pub older_ignored: u64,
    pub redeliveries: u64,
    pub stale_reads: u64,
    /// Reads a service sent straight to another service's table.
    pub foreign_reads: u64,
    /// Concurrent writes discarded by last-writer-wins.
    pub writes_lost: u64,
    /// Blind writes over a version their writer never read.
    pub lost_updates: u64,
    /// Versioned writes refused because the record had moved on.
    pub version_conflicts: u64,
    pub changes: u64,
    pub requests: u64,
    pub answers: u64,
    pub gave_up: u64,
    pub acks: u64,
}

/// The whole recorded history of one run.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub steps: Chunked<Step>,
    pub messages: Chunked<Message>,
    pub bodies: Chunked<Body>,
    pub changes: Chunked<Change>,
    pub timed: Chunked<Timed>,
    pub faults: Vec<FaultRec>,
    pub names: Names,
    pub nodes: Vec<NodeInfo>,
    pub tables: Vec<TableInfo>,
    pub totals: Totals,
    /// The run's seed and end, for exports.
    pub seed: u64,
    pub until: Micros,
}

impl Trace {
    /// When step `i` happened.
    pub fn step_time(&self, i: usize) -> Micros {
        let Some(s) = self.steps.get(i) else { return 0 };
        match s.kind {
            StepKind::Deliver | StepKind::Drop => {
                self.messages.get(s.id as usize).map_or(0, |m| m.at)
            }
            StepKind::Fault => self.faults.get(s.id as usize).map_or(0, |f| f.at),
            StepKind::Timer | StepKind::Work | StepKind::Mark => {
                self.timed.get(s.id as usize).map_or(0, |t| t.at)
            }
        }
    }

    /// When message `m` was sent.
    pub fn sent_at(&self, m: &Message) -> Micros {
        self.step_time(m.cause as usize)
    }

    pub fn step(&self, i: usize) -> Option<&Step> {
        self.steps.get(i)
    }

    pub fn message(&self, m: u32) -> Option<&Message> {
        self.messages.get(m as usize)
    }

    pub fn body(&self, b: u32) -> Option<&Body> {
        self.bodies.get(b as usize)
    }

    /// The record a change wrote.
    pub fn change_record(&self, c: &Change) -> Option<&Record> {
        self.body(c.body).and_then(Body::record)
    }

    /// The node a change wrote to.
    pub fn change_node(&self, c: &Change) -> NodeIdx {
        self.steps.get(c.step as usize).map_or(0, |s| s.node)
    }

    /// The time of the last step, or zero.
    pub fn end_time(&self) -> Micros {
        self.steps
            .len()
            .checked_sub(1)
            .map_or(0, |i| self.step_time(i))
    }

    /// The name people read for a node (its label), or `?`.
    pub fn node_label(&self, n: NodeIdx) -> &str {
        self.nodes.get(n as usize).map_or("?", |i| i.label.as_str())
    }

    /// A node's id, or `?` for an index the run never had.
    pub fn node_id(&self, n: NodeIdx) -> &str {
        self.nodes.get(n as usize).map_or("?", |i| i.id.as_str())
    }

    /// Whether a table is multi-leader (peers all accept writes), so that
    /// "behind the owner" means nothing for it.
    pub fn multi_leader(&self, table: &TableInfo) -> bool {
        self.nodes
            .get(table.owner as usize)
            .is_some_and(|n| n.kind == Kind::Peer)
    }

    /// `table/id` for people.
    pub fn key_text(&self, k: Key) -> String {
        format!("{}/{}", self.names.get(k.table), self.names.get(k.id))
    }

    /// Bytes this trace holds: what `peak_trace_bytes` reports. Storage is
    /// append-only, so the figure at the end of a run is its peak.
    pub fn bytes(&self) -> usize {
        self.steps.bytes()
            + self.messages.bytes()
            + self.bodies.bytes()
            + self.changes.bytes()
            + self.timed.bytes()
            + self.faults.capacity() * std::mem::size_of::<FaultRec>()
            + self.names.bytes()
            + self
                .nodes
                .iter()
                .map(|n| n.id.capacity() + n.label.capacity() + 64)
                .sum::<usize>()
            + self
                .tables
                .iter()
                .map(|t| t.replicas.capacity() * 2 + 40)
                .sum::<usize>()
    }

    /// Index of the first step at or after time `t`.
    pub fn first_step_at(&self, t: Micros) -> usize {
        partition_point(self.steps.len(), |i| self.step_time(i) < t)
    }

    /// Index of the first message sent by step `step` or later.
    pub fn first_message_of(&self, step: u32) -> usize {
        partition_point(self.messages.len(), |i| {
            self.messages.get(i).is_some_and(|m| m.cause < step)
        })
    }

    /// Index of the first change made by step `step` or later.
    pub fn first_change_of(&self, step: u32) -> usize {
        partition_point(self.changes.len(), |i| {
            self.changes.get(i).is_some_and(|c| c.step < step)
        })
    }
}

/// The first index in `0..len` for which `pred` is false, given that `pred`
/// is true for a prefix and false after it.
pub fn partition_point(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stay_small() {
        assert_eq!(std::mem::size_of::<Step>(), 8);
        assert_eq!(std::mem::size_of::<Message>(), 24);
        assert_eq!(std::mem::size_of::<Change>(), 8);
    }
}
