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
//!   when that body is the message the step delivered, it is implied, not
//!   stored (see [`Changes`]);
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
    /// The run's starting data was put in the node's store at 0 s, with
    /// no message: the changes of this step are the rows the run starts
    /// from. `id` indexes `timed` (at 0).
    Initial,
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
    pub fn from_flags(f: u16) -> DropReason {
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
    /// What the receiver made of the step: `model::deliver_flags`, or for
    /// a drop, its reason.
    pub flags: u16,
}

/// What became of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[repr(u8)]
pub enum Fate {
    InFlight,
    Delivered,
    Dropped,
}

/// One send. 16 bytes: the send time is its cause step's time, and the
/// sender is its cause step's node ([`Trace::sender`]); the arrival time
/// and the fate share the last byte with the time's high bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    /// Bits 0–31 of when it arrives (or would have).
    at_lo: u32,
    pub body: u32,
    /// The step whose handling sent it.
    pub cause: u32,
    pub to: NodeIdx,
    pub flags: u8,
    /// Bits 0–5: bits 32–37 of the arrival time; bits 6–7: the fate.
    hi: u8,
}

impl Message {
    /// The latest arrival a message can record: about 76 hours, far past
    /// any scenario's end (one day at most); later arrivals are kept as
    /// this, which no run reaches.
    pub const LATEST: Micros = (1 << 38) - 1;

    pub fn new(at: Micros, body: u32, cause: u32, to: NodeIdx, flags: u8, fate: Fate) -> Self {
        let at = at.min(Self::LATEST);
        Message {
            at_lo: at as u32,
            body,
            cause,
            to,
            flags,
            hi: ((at >> 32) as u8) | ((fate as u8) << 6),
        }
    }

    /// When it arrives (or would have).
    #[inline]
    pub fn at(&self) -> Micros {
        (u64::from(self.hi & 0x3f) << 32) | u64::from(self.at_lo)
    }

    /// What became of it.
    #[inline]
    pub fn fate(&self) -> Fate {
        match self.hi >> 6 {
            1 => Fate::Delivered,
            2 => Fate::Dropped,
            _ => Fate::InFlight,
        }
    }

    #[inline]
    pub fn set_fate(&mut self, fate: Fate) {
        self.hi = (self.hi & 0x3f) | ((fate as u8) << 6);
    }
}

/// One store write at `step`'s node; `body` holds the new record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub step: u32,
    pub body: u32,
}

/// Set on a change's stored step when its record is the body of the
/// message its step delivered.
const IMPLIED: u32 = 1 << 31;

/// Every store write, in order, read through [`Trace::change`] and
/// [`Trace::changes_from`]. A change whose record is the body of the
/// message its step delivered (a copy applying an event: by far the most
/// common kind) keeps only its step, four bytes; the others keep their
/// body beside, with their index.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Each change's step, with `IMPLIED` set when its body is its step's
    /// message's.
    steps: Chunked<u32>,
    /// (change index, body) of the changes whose body is not implied, in
    /// change order.
    bodies: Chunked<(u32, u32)>,
}

impl Changes {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Records a change at `step`: with `body`, one that writes that body;
    /// with `None`, one that writes the body the step delivered.
    pub(crate) fn push(&mut self, step: u32, body: Option<u32>) {
        match body {
            Some(body) => {
                let i = u32::try_from(self.steps.len()).unwrap_or(u32::MAX);
                self.bodies.push((i, body));
                self.steps.push(step & !IMPLIED);
            }
            None => {
                self.steps.push(step | IMPLIED);
            }
        }
    }

    /// The step of change `i`.
    pub fn step_of(&self, i: usize) -> Option<u32> {
        self.steps.get(i).map(|&s| s & !IMPLIED)
    }

    /// Where the first body kept for a change at index `i` or later is.
    fn first_body_of(&self, i: usize) -> usize {
        partition_point(self.bodies.len(), |j| {
            self.bodies.get(j).is_some_and(|b| (b.0 as usize) < i)
        })
    }

    /// Drops every change from index `len` on (used when the future forks).
    pub fn truncate(&mut self, len: usize) {
        self.steps.truncate(len);
        self.bodies.truncate(self.first_body_of(len));
    }

    /// Bytes allocated.
    pub fn bytes(&self) -> usize {
        self.steps.bytes() + self.bodies.bytes()
    }
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
    /// A fix was deployed to the node: it now handles poison events.
    Fix(NodeIdx),
    /// An operator moved a log's consumer group (by name) to an offset in
    /// every partition.
    Rewind {
        node: NodeIdx,
        group: Sym,
        offset: u32,
    },
    /// The team that owns the node's table renamed a column of it (a
    /// schema change). The service applies the rename itself; the event
    /// is here so every view shows the moment it happened.
    Renamed {
        node: NodeIdx,
        from: Sym,
        to: Sym,
    },
    /// The learner chose what the network does with message `message`,
    /// in flight, just before message `before` was to arrive (the
    /// choose-next mode); the step's node is the message's sender.
    Chosen {
        message: u32,
        before: u32,
        choice: crate::scenario::Choice,
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
    /// Discards by last-writer-wins, one per copy that discarded a write
    /// (the checks count each lost write once).
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
    pub changes: Changes,
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
                self.messages.get(s.id as usize).map_or(0, Message::at)
            }
            StepKind::Fault => self.faults.get(s.id as usize).map_or(0, |f| f.at),
            StepKind::Timer | StepKind::Work | StepKind::Mark | StepKind::Initial => {
                self.timed.get(s.id as usize).map_or(0, |t| t.at)
            }
        }
    }

    /// When message `m` was sent.
    pub fn sent_at(&self, m: &Message) -> Micros {
        self.step_time(m.cause as usize)
    }

    /// Who sent message `m`: the node whose step sent it.
    #[inline]
    pub fn sender(&self, m: &Message) -> NodeIdx {
        self.steps.get(m.cause as usize).map_or(0, |s| s.node)
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

    /// Change `i`.
    pub fn change(&self, i: usize) -> Option<Change> {
        let raw = *self.changes.steps.get(i)?;
        let step = raw & !IMPLIED;
        let body = if raw & IMPLIED != 0 {
            let s = self.steps.get(step as usize)?;
            self.messages.get(s.id as usize)?.body
        } else {
            let k = self.changes.first_body_of(i);
            self.changes.bodies.get(k).filter(|b| b.0 as usize == i)?.1
        };
        Some(Change { step, body })
    }

    /// The changes from index `from` on, in order.
    pub fn changes_from(&self, from: usize) -> impl Iterator<Item = Change> + '_ {
        let mut k = self.changes.first_body_of(from);
        self.changes.steps.iter_from(from).filter_map(move |&raw| {
            let step = raw & !IMPLIED;
            let body = if raw & IMPLIED != 0 {
                let s = self.steps.get(step as usize)?;
                self.messages.get(s.id as usize)?.body
            } else {
                let b = self.changes.bodies.get(k)?.1;
                k += 1;
                b
            };
            Some(Change { step, body })
        })
    }

    /// Every change, in order.
    pub fn all_changes(&self) -> impl Iterator<Item = Change> + '_ {
        self.changes_from(0)
    }

    /// The record a change wrote.
    pub fn change_record(&self, c: Change) -> Option<&Record> {
        self.body(c.body).and_then(Body::record)
    }

    /// The node a change wrote to.
    pub fn change_node(&self, c: Change) -> NodeIdx {
        self.steps.get(c.step as usize).map_or(0, |s| s.node)
    }

    /// Why message `m` was dropped, read from its drop step (found near
    /// its arrival time); `None` if it was not dropped.
    pub fn drop_reason(&self, m: u32) -> Option<DropReason> {
        let at = self.message(m)?.at();
        self.steps
            .iter_from(self.first_step_at(at))
            .take(10_000)
            .find(|s| s.kind == StepKind::Drop && s.id == m)
            .map(|s| DropReason::from_flags(s.flags))
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

    /// How many changes step `step` made.
    pub fn changes_of_step(&self, step: u32) -> usize {
        self.first_change_of(step.saturating_add(1))
            .saturating_sub(self.first_change_of(step))
    }

    /// Index of the first change made by step `step` or later.
    pub fn first_change_of(&self, step: u32) -> usize {
        partition_point(self.changes.len(), |i| {
            self.changes.step_of(i).is_some_and(|s| s < step)
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
        // Nine delivery flags need sixteen bits: 12 bytes, padded.
        assert_eq!(std::mem::size_of::<Step>(), 12);
        assert_eq!(std::mem::size_of::<Message>(), 16);
        assert_eq!(std::mem::size_of::<Change>(), 8);
    }

    #[test]
    fn a_message_keeps_its_arrival_and_fate() {
        for at in [
            0,
            1,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 7,
            Message::LATEST,
        ] {
            for fate in [Fate::InFlight, Fate::Delivered, Fate::Dropped] {
                let mut m = Message::new(at, 3, 4, 5, 0xff, fate);
                assert_eq!((m.at(), m.fate(), m.flags, m.to), (at, fate, 0xff, 5));
                m.set_fate(Fate::Dropped);
                assert_eq!((m.at(), m.fate()), (at, Fate::Dropped));
            }
        }
        assert_eq!(
            Message::new(u64::MAX, 0, 0, 0, 0, Fate::InFlight).at(),
            Message::LATEST
        );
    }
}
