//! Questions the views and checks ask of a trace: what did each store hold
//! at a moment, which messages were on the wire, how did divergence,
//! staleness and traffic change over time.
//!
//! A moment is a *cursor*: the number of steps applied. Scrubbing moves the
//! cursor; every query is a lookup in an index built once (and extended as
//! a live run grows), never a re-run from zero.

use std::collections::{BTreeMap, BTreeSet};

use super::{Fate, FaultEvent, StepKind, Trace, partition_point};
use crate::scenario::Micros;
use crate::sim::model::{Key, NodeIdx, Record, Sym, Version};

/// Change history per (node, key), for point-in-time lookups.
#[derive(Clone, Debug, Default)]
pub struct Index {
    seen_changes: usize,
    seen_messages: usize,
    by_key: BTreeMap<(NodeIdx, Key), Vec<u32>>,
    /// Every record id ever written, per table, in id order: the rows of
    /// the replica view.
    ids: BTreeMap<Sym, BTreeSet<Sym>>,
    /// The longest any message took, to bound in-flight searches.
    max_latency: Micros,
    seen_steps: usize,
    /// Indices of drop steps, in order: drops are rare, and views show
    /// the recent ones without scanning every step.
    drops: Vec<u32>,
}

impl Index {
    /// An index of everything recorded so far.
    pub fn new(trace: &Trace) -> Self {
        let mut ix = Index::default();
        ix.update(trace);
        ix
    }

    /// Takes in what the trace recorded since the last update.
    pub fn update(&mut self, trace: &Trace) {
        for (i, c) in trace.changes.iter_from(self.seen_changes).enumerate() {
            let Some(r) = trace.change_record(c) else {
                continue;
            };
            let node = trace.change_node(c);
            let n = (self.seen_changes + i) as u32;
            self.by_key.entry((node, r.key)).or_default().push(n);
            self.ids.entry(r.key.table).or_default().insert(r.key.id);
        }
        self.seen_changes = trace.changes.len();
        for m in trace.messages.iter_from(self.seen_messages) {
            let sent = trace.sent_at(m);
            self.max_latency = self.max_latency.max(m.at.saturating_sub(sent));
        }
        self.seen_messages = trace.messages.len();
        for (i, s) in trace.steps.iter_from(self.seen_steps).enumerate() {
            if s.kind == StepKind::Drop {
                self.drops.push((self.seen_steps + i) as u32);
            }
        }
        self.seen_steps = trace.steps.len();
    }

    /// Drop steps with index in `from..to`.
    pub fn drops_between(&self, from: usize, to: usize) -> &[u32] {
        let lo = self.drops.partition_point(|&d| (d as usize) < from);
        let hi = self.drops.partition_point(|&d| (d as usize) < to);
        self.drops.get(lo..hi).unwrap_or(&[])
    }

    /// The longest any message has taken so far.
    pub fn max_latency(&self) -> Micros {
        self.max_latency
    }

    /// Record ids of a table, in order.
    pub fn ids(&self, table: Sym) -> impl Iterator<Item = Sym> + '_ {
        self.ids.get(&table).into_iter().flatten().copied()
    }

    /// Number of distinct ids of a table.
    pub fn id_count(&self, table: Sym) -> usize {
        self.ids.get(&table).map_or(0, BTreeSet::len)
    }

    /// The record `node` held for `key` once `upto` steps were applied,
    /// with the index of the change that wrote it.
    pub fn record_at(
        &self,
        trace: &Trace,
        node: NodeIdx,
        key: Key,
        upto: usize,
    ) -> Option<(Record, u32)> {
        let list = self.by_key.get(&(node, key))?;
        let n = partition_point(list.len(), |i| {
            trace
                .changes
                .get(list[i] as usize)
                .is_some_and(|c| (c.step as usize) < upto)
        });
        let change = *list.get(n.checked_sub(1)?)?;
        let c = trace.changes.get(change as usize)?;
        trace.change_record(c).map(|r| (*r, change))
    }

    /// When `node` first wrote a version of `key` newer than `version`,
    /// among the first `upto` steps: for an owner, when a copy holding
    /// `version` fell behind.
    pub fn first_newer(
        &self,
        trace: &Trace,
        node: NodeIdx,
        key: Key,
        version: Version,
        upto: usize,
    ) -> Option<Micros> {
        let list = self.by_key.get(&(node, key))?;
        let record = |i: usize| {
            let c = trace.changes.get(*list.get(i)? as usize)?;
            trace.change_record(c).map(|r| (c.step, r.version))
        };
        // An owner's versions only grow, so the list is sorted by version.
        let n = partition_point(list.len(), |i| record(i).is_some_and(|(_, v)| v <= version));
        let (step, _) = record(n).filter(|(step, _)| (*step as usize) < upto)?;
        Some(trace.step_time(step as usize))
    }

    /// The record the change before `change` (same node and key) wrote:
    /// the old value of a state change.
    pub fn previous(&self, trace: &Trace, change: u32) -> Option<Record> {
        let c = trace.changes.get(change as usize)?;
        let r = trace.change_record(c)?;
        let list = self.by_key.get(&(trace.change_node(c), r.key))?;
        let pos = list.binary_search(&change).ok()?;
        let prev = *list.get(pos.checked_sub(1)?)?;
        trace
            .changes
            .get(prev as usize)
            .and_then(|p| trace.change_record(p))
            .copied()
    }

    /// Everything `node` held once `upto` steps were applied, in key order.
    pub fn store_at(&self, trace: &Trace, node: NodeIdx, upto: usize) -> Vec<Record> {
        let lo = Key { table: 0, id: 0 };
        let hi = Key {
            table: Sym::MAX,
            id: Sym::MAX,
        };
        self.by_key
            .range((node, lo)..=(node, hi))
            .filter_map(|(&(_, key), _)| self.record_at(trace, node, key, upto).map(|(r, _)| r))
            .collect()
    }

    /// Messages on the wire at time `t`: sent at or before it, arriving after.
    pub fn in_flight_at(&self, trace: &Trace, t: Micros) -> Vec<u32> {
        let earliest = t.saturating_sub(self.max_latency);
        let first = partition_point(trace.messages.len(), |i| {
            trace
                .messages
                .get(i)
                .is_some_and(|m| trace.sent_at(m) < earliest)
        });
        let mut out = Vec::new();
        for (k, m) in trace.messages.iter_from(first).enumerate() {
            let sent = trace.sent_at(m);
            if sent > t {
                break;
            }
            if m.at > t {
                out.push((first + k) as u32);
            }
        }
        out
    }

    /// Keys of `table` on which some copy differs from the owner's, once
    /// `upto` steps were applied.
    pub fn divergent_keys(&self, trace: &Trace, table: Sym, upto: usize) -> Vec<Sym> {
        let Some(info) = trace.tables.iter().find(|t| t.name == table) else {
            return Vec::new();
        };
        let version = |node: NodeIdx, key: Key| {
            self.record_at(trace, node, key, upto)
                .map_or(Version::NONE, |(r, _)| r.version)
        };
        self.ids(table)
            .filter(|&id| {
                let key = Key { table, id };
                let owner = version(info.owner, key);
                info.replicas.iter().any(|&r| version(r, key) != owner)
            })
            .collect()
    }
}

/// Which link directions are cut and which nodes are down at a moment:
/// the faults recorded up to then, replayed in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultState {
    /// Cut directions, (from, to).
    pub cut: BTreeSet<(NodeIdx, NodeIdx)>,
    pub down: BTreeSet<NodeIdx>,
}

impl FaultState {
    /// The state at time `t`.
    pub fn at(trace: &Trace, t: Micros) -> Self {
        let mut f = FaultState::default();
        for rec in trace.faults.iter().filter(|r| r.at <= t) {
            match rec.fault {
                FaultEvent::Cut { from, to, one_way } => {
                    f.cut.insert((from, to));
                    if !one_way {
                        f.cut.insert((to, from));
                    }
                }
                FaultEvent::Heal { from, to } => {
                    f.cut.remove(&(from, to));
                    f.cut.remove(&(to, from));
                }
                FaultEvent::HealAll => f.cut.clear(),
                FaultEvent::Crash(n) => {
                    f.down.insert(n);
                }
                FaultEvent::Restart(n) => {
                    f.down.remove(&n);
                }
                FaultEvent::Skew(..) => {}
            }
        }
        f
    }

    /// Whether either direction between `a` and `b` is cut.
    pub fn cut_between(&self, a: NodeIdx, b: NodeIdx) -> bool {
        self.cut.contains(&(a, b)) || self.cut.contains(&(b, a))
    }
}

/// Samples over time of the three plotted quantities.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Sample times, in seconds.
    pub t: Vec<f64>,
    /// Keys on which some copy differs from its owner.
    pub divergent: Vec<f64>,
    /// Messages sent and not yet arrived or dropped.
    pub in_flight: Vec<f64>,
    /// Per replica: how long ago the oldest write it has not yet seen was
    /// made, in milliseconds (0 when caught up).
    pub staleness: Vec<(NodeIdx, Vec<f64>)>,
    /// The worst and the mean staleness over all replicas, per sample.
    pub staleness_max: Vec<f64>,
    pub staleness_mean: Vec<f64>,
    pass: Pass,
}

#[derive(Clone, Debug, Default)]
struct Pass {
    started: bool,
    dt: Micros,
    next_sample: Micros,
    steps: usize,
    messages: usize,
    in_flight: i64,
    /// Tables each node holds the authoritative copy of (a database may
    /// hold several).
    owner_of: BTreeMap<NodeIdx, BTreeSet<Sym>>,
    replica_of: BTreeMap<NodeIdx, Sym>,
    replicas: BTreeMap<Sym, Vec<NodeIdx>>,
    owner_history: BTreeMap<Key, Vec<Version>>,
    copy: BTreeMap<(NodeIdx, Key), Version>,
    disagree: BTreeMap<Key, u32>,
    differs: BTreeSet<(NodeIdx, Key)>,
    divergent: u32,
    behind: BTreeMap<(NodeIdx, Key), Micros>,
    behind_order: BTreeMap<NodeIdx, BTreeSet<(Micros, Key)>>,
}

/// How many samples a plot shows across the run.
const SAMPLES: u64 = 1_000;

impl Series {
    /// Series for everything recorded so far.
    pub fn new(trace: &Trace) -> Self {
        let mut s = Series::default();
        s.update(trace);
        s
    }

    /// Extends the series with steps recorded since the last update.
    pub fn update(&mut self, trace: &Trace) {
        if !self.pass.started {
            self.start(trace);
        }
        let changes_from = trace.first_change_of(self.pass.steps as u32);
        let mut changes = trace.changes.iter_from(changes_from).peekable();
        let mut step_i = self.pass.steps;
        for s in trace.steps.iter_from(self.pass.steps) {
            let t = trace.step_time(step_i);
            while t > self.pass.next_sample {
                self.sample(self.pass.next_sample);
                self.pass.next_sample += self.pass.dt;
            }
            if matches!(s.kind, StepKind::Deliver | StepKind::Drop) {
                self.pass.in_flight -= 1;
            }
            while let Some(c) = changes.next_if(|c| c.step as usize == step_i) {
                if let Some(r) = trace.change_record(c) {
                    self.apply(s.node, *r);
                }
            }
            let sent_end = trace.first_message_of(step_i as u32 + 1);
            self.pass.in_flight += (sent_end - self.pass.messages) as i64;
            self.pass.messages = sent_end;
            step_i += 1;
        }
        self.pass.steps = step_i;
    }

    /// Closes the series at the run's end so plots reach it.
    pub fn finish(&mut self, until: Micros) {
        while self.pass.next_sample <= until && self.pass.dt > 0 {
            self.sample(self.pass.next_sample);
            self.pass.next_sample += self.pass.dt;
        }
    }

    fn start(&mut self, trace: &Trace) {
        let p = &mut self.pass;
        p.started = true;
        p.dt = (trace.until / SAMPLES).max(1);
        for t in &trace.tables {
            p.owner_of.entry(t.owner).or_default().insert(t.name);
            // Peers all accept writes: "behind the owner" means nothing
            // there, so they get no staleness line (divergence still counts).
            let peers = trace
                .nodes
                .get(t.owner as usize)
                .is_some_and(|n| n.kind == "peer");
            for &r in &t.replicas {
                p.replica_of.insert(r, t.name);
                if !peers {
                    self.staleness.push((r, Vec::new()));
                }
            }
            p.replicas.insert(t.name, t.replicas.clone());
        }
    }

    fn sample(&mut self, t: Micros) {
        self.t.push(t as f64 / 1e6);
        self.divergent.push(f64::from(self.pass.divergent));
        self.in_flight.push(self.pass.in_flight.max(0) as f64);
        let (mut max, mut sum) = (0.0f64, 0.0);
        for (node, out) in &mut self.staleness {
            let oldest = self
                .pass
                .behind_order
                .get(node)
                .and_then(|s| s.first())
                .map(|e| e.0);
            let v = oldest.map_or(0.0, |since| t.saturating_sub(since) as f64 / 1e3);
            max = max.max(v);
            sum += v;
            out.push(v);
        }
        self.staleness_max.push(max);
        let n = self.staleness.len().max(1) as f64;
        self.staleness_mean.push(sum / n);
    }

    fn apply(&mut self, node: NodeIdx, r: Record) {
        let key = r.key;
        if self
            .pass
            .owner_of
            .get(&node)
            .is_some_and(|tables| tables.contains(&key.table))
        {
            self.pass
                .owner_history
                .entry(key)
                .or_default()
                .push(r.version);
            let replicas = self
                .pass
                .replicas
                .get(&key.table)
                .cloned()
                .unwrap_or_default();
            for rep in replicas {
                self.reassess(rep, key);
            }
        } else if self.pass.replica_of.get(&node) == Some(&key.table) {
            self.pass.copy.insert((node, key), r.version);
            self.reassess(node, key);
        }
    }

    /// Recomputes whether `replica` agrees with the owner on `key`, and
    /// since when it has been behind.
    fn reassess(&mut self, replica: NodeIdx, key: Key) {
        let p = &mut self.pass;
        let history = p.owner_history.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        let owner = history.last().copied().unwrap_or(Version::NONE);
        let mine = p
            .copy
            .get(&(replica, key))
            .copied()
            .unwrap_or(Version::NONE);
        // The first owner version this copy has not seen, if any.
        let unseen = history
            .get(history.partition_point(|v| *v <= mine))
            .map(|v| v.time);
        let was = p.behind.get(&(replica, key)).copied();
        if was != unseen {
            let order = p.behind_order.entry(replica).or_default();
            if let Some(since) = was {
                order.remove(&(since, key));
                p.behind.remove(&(replica, key));
            }
            if let Some(since) = unseen {
                order.insert((since, key));
                p.behind.insert((replica, key), since);
            }
        }
        let differs = mine != owner;
        if differs == p.differs.contains(&(replica, key)) {
            return;
        }
        let count = p.disagree.entry(key).or_insert(0);
        if differs {
            p.differs.insert((replica, key));
            *count += 1;
            if *count == 1 {
                p.divergent += 1;
            }
        } else {
            p.differs.remove(&(replica, key));
            *count = count.saturating_sub(1);
            if *count == 0 {
                p.divergent = p.divergent.saturating_sub(1);
            }
        }
    }
}

/// True if the message was still travelling when the run ended.
pub fn unfinished(fate: Fate) -> bool {
    fate == Fate::InFlight
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::FaultRec;

    #[test]
    fn fault_state_replays_cuts_heals_and_crashes_in_order() {
        let mut t = Trace::default();
        let rec = |at, fault| FaultRec { at, fault };
        t.faults = vec![
            rec(
                10,
                FaultEvent::Cut {
                    from: 0,
                    to: 1,
                    one_way: true,
                },
            ),
            rec(20, FaultEvent::Crash(2)),
            rec(
                30,
                FaultEvent::Cut {
                    from: 3,
                    to: 4,
                    one_way: false,
                },
            ),
            rec(40, FaultEvent::Heal { from: 1, to: 0 }),
            rec(50, FaultEvent::Restart(2)),
        ];
        let at = |time| FaultState::at(&t, time);
        assert!(at(10).cut.contains(&(0, 1)) && !at(10).cut.contains(&(1, 0)));
        assert!(at(25).down.contains(&2));
        assert!(at(35).cut_between(4, 3) && at(35).cut_between(0, 1));
        assert!(!at(45).cut_between(0, 1), "a heal mends both directions");
        assert!(at(55).down.is_empty());
        assert_eq!(at(5), FaultState::default());
    }
}
