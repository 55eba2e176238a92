//! The deterministic discrete-event engine.
//!
//! One queue of pending happenings ordered by (virtual time, sequence
//! number); each is handled by exactly one node's behaviour, whose outputs
//! the engine turns into messages with sampled latencies, timers and
//! recorded state changes. Randomness comes only from per-node streams
//! seeded from the run seed and the node's id, and no collection whose
//! order could vary is iterated, so a scenario and a seed always give the
//! same trace.

mod choice;
mod happenings;
mod network;
mod queue;
mod routes;

pub(crate) use routes::Routes;

use queue::{Pending, Queue};

use std::collections::{BTreeMap, BTreeSet};

use rand::rngs::ChaCha8Rng;

use super::nodes::{Actor, Cx, Out};
use crate::model::{Body, Key, Micros, NodeIdx, Sym, Value, Version, deliver_flags};
use crate::scenario::Latency;
use crate::trace::{DropReason, FaultRec, Step, StepKind, Timed, Trace};

/// The most steps one run may take. A file cannot ask for more work than
/// this, so no scenario makes Settle run for ever.
pub const MAX_STEPS: u64 = 50_000_000;

/// A node while the run is going.
#[derive(Debug)]
pub(crate) struct NodeRt {
    pub beh: Box<dyn Actor>,
    pub rng: ChaCha8Rng,
    pub up: bool,
    /// Bumped on every crash; timers set before it are void.
    pub epoch: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct LinkRt {
    pub latency: Latency,
    pub loss: f64,
    pub duplicate: f64,
}

/// A workload generator: fires `count` requests, `every` apart.
#[derive(Clone, Debug)]
pub(crate) struct Gen {
    pub item: u32,
    pub from: NodeIdx,
    pub to: NodeIdx,
    pub every: Micros,
    pub count: u32,
    pub fired: u32,
    pub op: GenOp,
    pub id: String,
    pub random_keys: Option<u32>,
    /// The interned record id of each key drawn so far (`Sym::MAX` until
    /// first drawn), so a request does not format and look up its name.
    pub syms: Vec<Sym>,
}

/// What each request of a generator does, names resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum GenOp {
    Read,
    /// Write a value; `true`: its event is a poison message.
    Write(Value, bool),
    /// Write the request's number (`Seq`); `true` as for `Write`.
    WriteSeq(bool),
    Edit {
        fields: Sym,
        versioned: bool,
    },
    ReadAfterMyWrite,
    Change(crate::model::peer_state::Change<Sym>),
}

/// A narration trigger, resolved to node indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Watch {
    Crash(NodeIdx),
    Restart(NodeIdx),
    Partition,
    Heal,
    FirstDrop,
    FirstDuplicateIgnored,
    FirstStaleRead,
    FirstAnswer(NodeIdx),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    /// A message arrives; the receiver's state decides what happens.
    Arrive(u32),
    /// A message arrives to be dropped for a reason known at send time;
    /// the slot indexes `Engine::doomed` (message, reason).
    Doomed(u32),
    Timer(u32),
    Work(u32),
    Fault(u32),
    Mark(u32),
}

/// Arrivals, by far the most common, take the values below this bit; the
/// other kinds set it, with the kind in the next three bits and a 28-bit
/// index below. A run cannot hold 2^31 messages (that would be tens of
/// gigabytes of trace), nor 2^28 timers, requests, faults or marks at once.
const OTHER: u32 = 1 << 31;
const KIND_SHIFT: u32 = 28;
const INDEX: u32 = (1 << KIND_SHIFT) - 1;

impl What {
    #[inline]
    fn pack(self) -> u32 {
        let other = |kind: u32, i: u32| OTHER | (kind << KIND_SHIFT) | (i & INDEX);
        match self {
            What::Arrive(m) => m & !OTHER,
            What::Doomed(i) => other(0, i),
            What::Timer(i) => other(1, i),
            What::Work(i) => other(2, i),
            What::Fault(i) => other(3, i),
            What::Mark(i) => other(4, i),
        }
    }

    #[inline]
    fn unpack(w: u32) -> What {
        if w & OTHER == 0 {
            return What::Arrive(w);
        }
        let i = w & INDEX;
        match (w & !OTHER) >> KIND_SHIFT {
            0 => What::Doomed(i),
            1 => What::Timer(i),
            2 => What::Work(i),
            3 => What::Fault(i),
            _ => What::Mark(i),
        }
    }
}

/// `seq` is renumbered in order before it could wrap (see `Engine::push`).
impl Pending {
    fn what(&self) -> What {
        What::unpack(self.what)
    }
}

#[derive(Clone, Copy, Debug)]
struct TimerSlot {
    node: NodeIdx,
    epoch: u32,
    tag: u64,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// Nothing was left to happen before the scenario's end.
    Finished,
    /// The step budget ([`MAX_STEPS`]) ran out.
    StepLimit,
}

/// A running simulation and the trace it has recorded so far.
#[derive(Debug)]
pub struct Engine {
    pub(crate) trace: Trace,
    pub(crate) nodes: Vec<NodeRt>,
    pub(crate) links: Vec<LinkRt>,
    /// Which link joins two nodes.
    routes: Routes,
    /// Cut directions (from, to).
    cut: BTreeSet<(NodeIdx, NodeIdx)>,
    queue: Queue,
    seq: u32,
    /// Messages doomed at send time, by slot: (message, reason).
    doomed: Vec<(u32, DropReason)>,
    free_doomed: Vec<u32>,
    now: Micros,
    pub(crate) until: Micros,
    pub(crate) gens: Vec<Gen>,
    timers: Vec<TimerSlot>,
    free_timers: Vec<u32>,
    pub(crate) fault_plan: Vec<FaultRec>,
    pub(crate) watches: Vec<(u32, Watch)>,
    /// Table name to the node holding the authoritative copy.
    pub(crate) owners: BTreeMap<Sym, NodeIdx>,
    /// Table name to the service that owns it.
    pub(crate) table_service: BTreeMap<Sym, NodeIdx>,
    /// Whether node `i` holds the authoritative copy of some table.
    pub(crate) owns: Vec<bool>,
    /// The owner's current version of each key, to spot stale answers.
    latest: BTreeMap<Key, Version>,
    out: Vec<Out>,
    steps_taken: u64,
    end: Option<RunEnd>,
    /// Choices of what arrives next, applied at the arrivals they precede.
    choices: choice::Choices,
}

impl Engine {
    pub(crate) fn assemble(
        trace: Trace,
        nodes: Vec<NodeRt>,
        links: Vec<LinkRt>,
        routes: Routes,
        until: Micros,
    ) -> Self {
        Engine {
            trace,
            nodes,
            links,
            routes,
            cut: BTreeSet::new(),
            queue: Queue::default(),
            seq: 0,
            doomed: Vec::new(),
            free_doomed: Vec::new(),
            now: 0,
            until,
            gens: Vec::new(),
            timers: Vec::new(),
            free_timers: Vec::new(),
            fault_plan: Vec::new(),
            watches: Vec::new(),
            owners: BTreeMap::new(),
            owns: Vec::new(),
            table_service: BTreeMap::new(),
            latest: BTreeMap::new(),
            out: Vec::new(),
            steps_taken: 0,
            end: None,
            choices: choice::Choices::default(),
        }
    }

    /// Puts the scenario's timed happenings on the queue. Called once by
    /// the builder after everything is registered.
    fn arm_timer(&mut self, node: NodeIdx, after: Micros, tag: u64) {
        let epoch = self.nodes.get(node as usize).map_or(0, |n| n.epoch);
        let slot = TimerSlot { node, epoch, tag };
        let id = match self.free_timers.pop() {
            Some(id) => {
                if let Some(t) = self.timers.get_mut(id as usize) {
                    *t = slot;
                }
                id
            }
            None => {
                self.timers.push(slot);
                (self.timers.len() - 1) as u32
            }
        };
        self.push(self.now.saturating_add(after), What::Timer(id));
    }

    pub(crate) fn prime(&mut self, marks: &[(u32, Micros)]) {
        // Nodes that act on their own (a connector's polling) arm their
        // timers before time starts; nothing else may happen yet.
        for n in 0..self.nodes.len() {
            let node = n as NodeIdx;
            self.with_node(node, |beh, cx| beh.on_start(cx));
            for o in std::mem::take(&mut self.out) {
                if let Out::Timer { after, tag } = o {
                    self.arm_timer(node, after, tag);
                }
            }
        }
        let faults: Vec<Micros> = self.fault_plan.iter().map(|f| f.at).collect();
        for (i, at) in faults.into_iter().enumerate() {
            self.push(at, What::Fault(i as u32));
        }
        for &(n, at) in marks {
            self.push(at, What::Mark(n));
        }
    }

    pub(crate) fn schedule_gen(&mut self, g: u32, at: Micros) {
        self.push(at, What::Work(g));
    }

    fn push(&mut self, at: Micros, what: What) {
        if self.seq == u32::MAX {
            self.renumber();
        }
        self.seq += 1;
        self.queue.push(Pending {
            at,
            seq: self.seq,
            what: what.pack(),
        });
    }

    /// Gives the queued happenings fresh sequence numbers from one, in
    /// the order they already had, so `seq` never wraps.
    #[cold]
    fn renumber(&mut self) {
        let mut all = self.queue.drain_sorted();
        for (i, p) in all.iter_mut().enumerate() {
            p.seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        self.seq = u32::try_from(all.len()).unwrap_or(u32::MAX);
        for p in all {
            self.queue.push(p);
        }
    }

    /// Queues a message doomed to be dropped when it arrives.
    fn push_doomed(&mut self, at: Micros, m: u32, why: DropReason) {
        let slot = match self.free_doomed.pop() {
            Some(slot) => {
                if let Some(d) = self.doomed.get_mut(slot as usize) {
                    *d = (m, why);
                }
                slot
            }
            None => {
                self.doomed.push((m, why));
                (self.doomed.len() - 1) as u32
            }
        };
        self.push(at, What::Doomed(slot));
    }

    /// The current virtual time.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// The scenario's end.
    pub fn until(&self) -> Micros {
        self.until
    }

    /// What has been recorded so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn into_trace(self) -> Trace {
        self.trace
    }

    /// When the next queued happening is due, if any.
    pub fn next_at(&self) -> Option<Micros> {
        self.queue.peek().map(|p| p.at)
    }

    /// How the run ended, once it has.
    pub fn end(&self) -> Option<RunEnd> {
        self.end
    }

    /// Messages sent and not yet arrived.
    pub fn in_flight(&self) -> usize {
        self.queue
            .iter()
            .filter(|p| matches!(p.what(), What::Arrive(_) | What::Doomed(_)))
            .count()
            .saturating_sub(self.choices.settled())
    }

    /// The store of node `n`, if it keeps one.
    pub fn store(&self, n: NodeIdx) -> Option<&super::nodes::Store> {
        self.nodes.get(n as usize).and_then(|rt| rt.beh.store())
    }

    /// The behaviour of node `n`, for tests and inspectors.
    pub fn behaviour(&self, n: NodeIdx) -> Option<&dyn Actor> {
        self.nodes.get(n as usize).map(|rt| rt.beh.as_ref())
    }

    /// Runs everything up to the scenario's end.
    pub fn run(&mut self) -> RunEnd {
        self.run_until(self.until)
    }

    /// Handles every happening at or before `t` (capped at the scenario's end).
    pub fn run_until(&mut self, t: Micros) -> RunEnd {
        let t = t.min(self.until);
        while self.queue.peek().is_some_and(|p| p.at <= t) {
            if !self.step() {
                break;
            }
        }
        if self.end.is_none() {
            self.now = self.now.max(t);
            if t >= self.until || self.queue.is_empty() {
                self.end = Some(RunEnd::Finished);
            }
        }
        self.end.unwrap_or(RunEnd::Finished)
    }

    /// Handles the next happening. Returns false when there is none left
    /// before the end, or the step budget is spent.
    pub fn step(&mut self) -> bool {
        if self.steps_taken >= MAX_STEPS {
            self.end = Some(RunEnd::StepLimit);
            return false;
        }
        let Some(next) = self.queue.peek() else {
            self.end = Some(RunEnd::Finished);
            return false;
        };
        if next.at > self.until {
            self.end = Some(RunEnd::Finished);
            return false;
        }
        self.queue.pop();
        self.now = next.at;
        let before = self.trace.steps.len();
        match next.what() {
            What::Arrive(m) => self.arrival(m, None),
            What::Doomed(slot) => {
                if let Some(&(m, why)) = self.doomed.get(slot as usize) {
                    // Freed after: a choice made here may ask why it was doomed.
                    self.arrival(m, Some(why));
                    self.free_doomed.push(slot);
                }
            }
            What::Timer(slot) => self.timer(slot),
            What::Work(g) => self.work(g),
            What::Fault(f) => self.fault(f),
            What::Mark(n) => self.mark(n),
        }
        if self.trace.steps.len() > before {
            self.steps_taken += 1;
            if !self.watches.is_empty() {
                self.check_watches(before);
            }
        }
        true
    }

    fn record(&mut self, kind: StepKind, node: NodeIdx, id: u32, flags: u16) -> u32 {
        let i = self.trace.steps.push(Step {
            id,
            node,
            kind,
            flags,
        });
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    fn timed(&mut self, a: u32, b: u32) -> u32 {
        let i = self.trace.timed.push(Timed { at: self.now, a, b });
        u32::try_from(i).unwrap_or(u32::MAX)
    }

    /// Runs `f` on node `n`'s behaviour with a fresh context and returns
    /// the step flags it set; outputs are left in `self.out`.
    fn with_node(&mut self, n: NodeIdx, f: impl FnOnce(&mut dyn Actor, &mut Cx)) -> u16 {
        let Some(rt) = self.nodes.get_mut(n as usize) else {
            return 0;
        };
        let mut cx = Cx {
            now: self.now,
            me: n,
            rng: &mut rt.rng,
            names: &mut self.trace.names,
            bodies: &mut self.trace.bodies,
            out: &mut self.out,
            flags: 0,
        };
        f(rt.beh.as_mut(), &mut cx);
        cx.flags
    }

    /// Stores the step's flags and carries out what the node asked for;
    /// `delivered` is the body of the message the step delivered, if any.
    fn finish(&mut self, step: u32, node: NodeIdx, flags: u16, delivered: Option<u32>) {
        if flags != 0 {
            if let Some(s) = self.trace.steps.get_mut(step as usize) {
                s.flags |= flags;
            }
            if flags & deliver_flags::DUPLICATE_IGNORED != 0 {
                self.trace.totals.duplicates_ignored += 1;
            }
            if flags & deliver_flags::OLDER_IGNORED != 0 {
                self.trace.totals.older_ignored += 1;
            }
            if flags & deliver_flags::GAVE_UP != 0 {
                self.trace.totals.gave_up += 1;
            }
            if flags & deliver_flags::WRITE_LOST != 0 {
                self.trace.totals.writes_lost += 1;
            }
            if flags & deliver_flags::LOST_UPDATE != 0 {
                self.trace.totals.lost_updates += 1;
            }
            if flags & deliver_flags::VERSION_CONFLICT != 0 {
                self.trace.totals.version_conflicts += 1;
            }
        }
        let mut out = std::mem::take(&mut self.out);
        for o in out.drain(..) {
            match o {
                Out::Send { to, body, flags } => self.send(step, node, to, body, flags),
                Out::Timer { after, tag } => self.arm_timer(node, after, tag),
                Out::Changed { body } => {
                    // A copy storing the very event it was delivered: the
                    // trace implies the body rather than storing it.
                    let implied = delivered == Some(body);
                    self.trace
                        .changes
                        .push(step, if implied { None } else { Some(body) });
                    self.trace.totals.changes += 1;
                    // Only owners' writes move the latest version; most
                    // changes are at replicas, so skip the lookup for them.
                    if self.owns.get(node as usize).copied().unwrap_or(false)
                        && let Some(r) = self.trace.bodies.get(body as usize).and_then(Body::record)
                        && self.owners.get(&r.key.table) == Some(&node)
                    {
                        self.latest.insert(r.key, r.version);
                    }
                }
            }
        }
        self.out = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_entries_stay_small_and_keep_what_they_carry() {
        assert_eq!(std::mem::size_of::<Pending>(), 16);
        for w in [
            What::Arrive(0),
            What::Arrive(OTHER - 1),
            What::Doomed(5),
            What::Timer(INDEX),
            What::Work(3),
            What::Fault(2),
            What::Mark(9),
        ] {
            assert_eq!(What::unpack(w.pack()), w);
        }
    }
}
