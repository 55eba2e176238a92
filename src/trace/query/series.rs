//! The plotted quantities over time (divergence, messages in flight,
//! staleness per copy), built in one pass over the trace and extended as a
//! live run grows.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Key, Micros, NodeIdx, Record, Sym, Version};
use crate::trace::{StepKind, Trace};

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
    /// Per consumer of a partitioned log: its lag, the events in its
    /// partitions its group has not committed (summed over logs).
    pub lag: Vec<(NodeIdx, Vec<f64>)>,
    /// Rows locked by prepared two-phase commit transactions, over all
    /// participants; empty when no service of the run is a participant.
    pub locks: Vec<f64>,
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
    /// Each log's lag table, with the log.
    lag_tables: BTreeMap<Sym, NodeIdx>,
    /// Node ids as symbols, to find the consumer a lag row names.
    node_of: BTreeMap<Sym, NodeIdx>,
    /// The latest lag per (log, consumer).
    lag_now: BTreeMap<(NodeIdx, NodeIdx), u32>,
    /// The participants' lock tables, and the rows locked now.
    lock_tables: BTreeSet<Sym>,
    locked: BTreeSet<Key>,
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
        let mut changes = trace.changes_from(changes_from).peekable();
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
        for (i, n) in trace.nodes.iter().enumerate() {
            if let Some(sym) = trace.names.find(&n.id) {
                p.node_of.insert(sym, i as NodeIdx);
            }
            if n.kind == crate::scenario::Kind::Log
                && let Some(table) = trace.names.find(&crate::scenario::log_lag_table(&n.id))
            {
                p.lag_tables.insert(table, i as NodeIdx);
            }
            // A service's lock table has a name only when it is a participant.
            if n.kind == crate::scenario::Kind::Service
                && let Some(table) = trace.names.find(&crate::scenario::lock_table(&n.id))
            {
                p.lock_tables.insert(table);
            }
        }
        for t in &trace.tables {
            p.owner_of.entry(t.owner).or_default().insert(t.name);
            // Peers all accept writes: "behind the owner" means nothing
            // there, so they get no staleness line (divergence still counts).
            let peers = trace.multi_leader(t);
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
        if !self.pass.lock_tables.is_empty() {
            self.locks.push(self.pass.locked.len() as f64);
        }
        for (consumer, out) in &mut self.lag {
            let total: u32 = self
                .pass
                .lag_now
                .iter()
                .filter(|((_, c), _)| c == consumer)
                .map(|(_, v)| *v)
                .sum();
            out.push(f64::from(total));
        }
    }

    fn apply(&mut self, node: NodeIdx, r: Record) {
        let key = r.key;
        if self.pass.lock_tables.contains(&key.table) {
            if r.value == crate::model::Value::Absent {
                self.pass.locked.remove(&key);
            } else {
                self.pass.locked.insert(key);
            }
            return;
        }
        if self.pass.lag_tables.get(&key.table) == Some(&node) {
            if let Some(&consumer) = self.pass.node_of.get(&key.id) {
                let lag = match r.value {
                    crate::model::Value::Int(v) => u32::try_from(v).unwrap_or(0),
                    _ => 0,
                };
                self.pass.lag_now.insert((node, consumer), lag);
                if !self.lag.iter().any(|(c, _)| *c == consumer) {
                    // No lag was recorded before: it was zero until now.
                    self.lag.push((consumer, vec![0.0; self.t.len()]));
                }
            }
            return;
        }
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
