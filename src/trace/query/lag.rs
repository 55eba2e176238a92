//! How copies compare with their owner, defined once for every view and
//! check: whether a copy agrees, is behind or conflicts; since when a copy
//! has been behind (its staleness); and how long each write took to show on
//! each copy (visibility lag).

use std::collections::BTreeMap;

use super::{Index, Series};
use crate::model::{Key, Micros, NodeIdx, Record, Sym, Version};
use crate::trace::{TableInfo, Trace};

/// How a copy compares with its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    Agrees,
    /// Behind: the owner has a newer version.
    Stale,
    /// Holds a version the owner never had (or, between peers, any
    /// difference still to be merged).
    Conflict,
    /// Neither holds the record.
    Empty,
}

/// Compares a copy's record with the owner's. Between peers of a
/// multi-leader table there is no owner, so any difference is a conflict.
pub fn agreement(owner: Option<&Record>, copy: Option<&Record>, multi_leader: bool) -> Agreement {
    let ov = owner.map_or(Version::NONE, |r| r.version);
    let cv = copy.map_or(Version::NONE, |r| r.version);
    let same = cv == ov && owner.map(|r| r.value) == copy.map(|r| r.value);
    match (ov.is_none(), cv.is_none()) {
        (true, true) => Agreement::Empty,
        _ if same => Agreement::Agrees,
        _ if multi_leader => Agreement::Conflict,
        _ if cv < ov => Agreement::Stale,
        _ => Agreement::Conflict,
    }
}

impl Index {
    /// Keys of `table` on which some copy does not agree with the owner,
    /// once `upto` steps were applied.
    pub fn divergent_keys(&self, trace: &Trace, table: Sym, upto: usize) -> Vec<Sym> {
        let Some(info) = trace.tables.iter().find(|t| t.name == table) else {
            return Vec::new();
        };
        self.ids(table)
            .filter(|&id| {
                let key = Key { table, id };
                info.replicas.iter().any(|&r| {
                    !matches!(
                        self.agreement_at(trace, info, r, key, upto),
                        Agreement::Agrees | Agreement::Empty
                    )
                })
            })
            .collect()
    }

    /// How `copy` compares with the table's owner on `key`, once `upto`
    /// steps were applied.
    pub fn agreement_at(
        &self,
        trace: &Trace,
        table: &TableInfo,
        copy: NodeIdx,
        key: Key,
        upto: usize,
    ) -> Agreement {
        let record = |n| self.record_at(trace, n, key, upto).map(|(r, _)| r);
        agreement(
            record(table.owner).as_ref(),
            record(copy).as_ref(),
            trace.multi_leader(table),
        )
    }

    /// Since when the copies of `key` have differed, once `upto` steps
    /// were applied: the time of the first change to it (on the owner or
    /// any copy) after they last all agreed. `None` when they agree now.
    pub fn diverged_since(
        &self,
        trace: &Trace,
        table: &TableInfo,
        key: Key,
        upto: usize,
    ) -> Option<Micros> {
        let agree = |u: usize| {
            table.replicas.iter().all(|&r| {
                matches!(
                    self.agreement_at(trace, table, r, key, u),
                    Agreement::Agrees | Agreement::Empty
                )
            })
        };
        if agree(upto) {
            return None;
        }
        let mut steps: Vec<u32> = std::iter::once(table.owner)
            .chain(table.replicas.iter().copied())
            .flat_map(|n| self.changes_of(n, key))
            .filter_map(|&c| trace.changes.step_of(c as usize))
            .filter(|&s| (s as usize) < upto)
            .collect();
        steps.sort_unstable();
        steps.dedup();
        // The change that began it follows the last one after which all
        // copies agreed (or is the first change of all).
        let began = steps
            .windows(2)
            .rev()
            .find(|w| agree(w[0] as usize + 1))
            .map_or(steps.first().copied(), |w| Some(w[1]))?;
        Some(trace.step_time(began as usize))
    }

    /// Since when `copy` has been behind the table's owner, once `upto`
    /// steps were applied: the commit time of the oldest owner write it has
    /// not seen, on any key. `None` when it is caught up. [`Series`] keeps
    /// the same quantity incrementally for the plots.
    pub fn behind_since(
        &self,
        trace: &Trace,
        table: &TableInfo,
        copy: NodeIdx,
        upto: usize,
    ) -> Option<Micros> {
        let mut oldest: Option<Micros> = None;
        for id in self.ids(table.name) {
            let key = Key {
                table: table.name,
                id,
            };
            let mine = self
                .record_at(trace, copy, key, upto)
                .map_or(Version::NONE, |(r, _)| r.version);
            if let Some(since) = self.first_newer(trace, table.owner, key, mine, upto) {
                oldest = Some(oldest.map_or(since, |o| o.min(since)));
            }
        }
        oldest
    }
}

/// For each copy of every single-leader table: how far behind its owner it
/// is at time `now` (`upto` steps applied), in milliseconds, 0 when caught
/// up. Exact from the index for classroom-sized systems; read from the
/// sampled staleness series for very large ones, where the exact answer
/// would cost more than a frame.
pub fn staleness_ms(
    trace: &Trace,
    index: &Index,
    series: &Series,
    upto: usize,
    now: Micros,
) -> BTreeMap<NodeIdx, f64> {
    let mut out = BTreeMap::new();
    let lookups: usize = trace
        .tables
        .iter()
        .map(|t| t.replicas.len() * index.id_count(t.name))
        .sum();
    if lookups <= 20_000 {
        for table in trace.tables.iter().filter(|t| !trace.multi_leader(t)) {
            for &r in &table.replicas {
                let since = index.behind_since(trace, table, r, upto);
                out.insert(r, since.map_or(0.0, |s| now.saturating_sub(s) as f64 / 1e3));
            }
        }
        return out;
    }
    let secs = now as f64 / 1e6;
    let at = series.t.partition_point(|&x| x <= secs);
    for (node, values) in &series.staleness {
        let v = at
            .checked_sub(1)
            .and_then(|i| values.get(i))
            .copied()
            .unwrap_or(0.0);
        out.insert(*node, v);
    }
    out
}

/// How long each write to `table` took to show on each copy: for every
/// version committed at the owner and every copy, the time from the commit
/// to the copy first holding that version or a newer one. `None` where a
/// copy never caught up with a version.
pub fn visibility_lags(trace: &Trace, table: &str) -> Vec<(NodeIdx, Option<u64>)> {
    let Some(sym) = trace.names.find(table) else {
        return Vec::new();
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return Vec::new();
    };
    // Peers' versions are digests of merged states, not commit times.
    if trace.multi_leader(info) {
        return Vec::new();
    }
    // Per (node, key): the versions it held, with when, in order.
    let mut held: BTreeMap<(NodeIdx, Key), Vec<(Version, u64)>> = BTreeMap::new();
    for c in trace.all_changes() {
        let node = trace.change_node(c);
        if node != info.owner && !info.replicas.contains(&node) {
            continue;
        }
        if let Some(r) = trace.change_record(c).filter(|r| r.key.table == sym) {
            held.entry((node, r.key))
                .or_default()
                .push((r.version, trace.step_time(c.step as usize)));
        }
    }
    let mut out = Vec::new();
    for ((node, key), versions) in &held {
        if *node != info.owner {
            continue;
        }
        for &(version, committed) in versions {
            for &r in &info.replicas {
                let seen = held
                    .get(&(r, *key))
                    .and_then(|copy| copy.iter().find(|(v, _)| *v >= version))
                    .map(|&(_, at)| at.saturating_sub(committed));
                out.push((r, seen));
            }
        }
    }
    out
}
