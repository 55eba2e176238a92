//! The index every view and check looks moments up in: each store's
//! change history per key, the ids of each table, the longest a message has
//! taken, and where the drops are.
//!
//! A moment is a *cursor*: the number of steps applied. Scrubbing moves the
//! cursor; every query is a lookup in an index built once (and extended as
//! a live run grows), never a re-run from zero.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Key, Micros, NodeIdx, Record, Sym, Version};
use crate::trace::{StepKind, Trace, partition_point};

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
        for (i, c) in trace.changes_from(self.seen_changes).enumerate() {
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
            self.max_latency = self.max_latency.max(m.at().saturating_sub(sent));
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

    /// The changes `node` made to `key`, in order (indices into the
    /// trace's changes).
    pub fn changes_of(&self, node: NodeIdx, key: Key) -> &[u32] {
        self.by_key.get(&(node, key)).map_or(&[], Vec::as_slice)
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
                .step_of(list[i] as usize)
                .is_some_and(|s| (s as usize) < upto)
        });
        let change = *list.get(n.checked_sub(1)?)?;
        let c = trace.change(change as usize)?;
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
            let c = trace.change(*list.get(i)? as usize)?;
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
        let c = trace.change(change as usize)?;
        let r = trace.change_record(c)?;
        let list = self.by_key.get(&(trace.change_node(c), r.key))?;
        let pos = list.binary_search(&change).ok()?;
        let prev = *list.get(pos.checked_sub(1)?)?;
        trace
            .change(prev as usize)
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
            if m.at() > t {
                out.push((first + k) as u32);
            }
        }
        out
    }
}
