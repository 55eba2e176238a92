//! The two CRDTs that take back what they gave: a PN-counter (increments
//! and decrements) and an observed-remove set (adds and removes), as
//! state-based types after Shapiro, Preguiça, Baquero and Zawirski, "A
//! comprehensive study of Convergent and Commutative Replicated Data
//! Types" (INRIA RR-7506, 2011). Each merge is a least upper bound:
//! commutative, associative and idempotent, so copies that have seen the
//! same changes hold the same state whatever order they met in.
//!
//! The grow-only ones (G-counter, G-set) need no type of their own: a map
//! of per-copy totals and a plain set.

use std::collections::{BTreeMap, BTreeSet};

use super::names::NodeIdx;

/// A PN-counter: per copy, the total it added (P) and the total it took
/// away (N), each a G-counter. The value is ΣP − ΣN. A single map of
/// signed totals merged by maximum could not count a decrement: the
/// larger (earlier) total would win it back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PnCounter {
    pub p: BTreeMap<NodeIdx, u64>,
    pub n: BTreeMap<NodeIdx, u64>,
}

impl PnCounter {
    /// Copy `me` counts `by` (negative: down).
    pub fn count(&mut self, me: NodeIdx, by: i64) {
        let side = if by >= 0 { &mut self.p } else { &mut self.n };
        let total = side.entry(me).or_insert(0);
        *total = total.saturating_add(by.unsigned_abs());
    }

    /// ΣP − ΣN.
    pub fn value(&self) -> i64 {
        let sum = |m: &BTreeMap<NodeIdx, u64>| m.values().fold(0u64, |a, b| a.saturating_add(*b));
        let (p, n) = (sum(&self.p), sum(&self.n));
        if p >= n {
            i64::try_from(p - n).unwrap_or(i64::MAX)
        } else {
            i64::try_from(n - p).map_or(i64::MIN, |d| -d)
        }
    }

    /// Per copy, the larger of each total.
    pub fn merge(&self, other: &PnCounter) -> PnCounter {
        PnCounter {
            p: max_each(&self.p, &other.p),
            n: max_each(&self.n, &other.n),
        }
    }
}

fn max_each(a: &BTreeMap<NodeIdx, u64>, b: &BTreeMap<NodeIdx, u64>) -> BTreeMap<NodeIdx, u64> {
    let mut out = a.clone();
    for (&k, &v) in b {
        let e = out.entry(k).or_insert(0);
        *e = (*e).max(v);
    }
    out
}

/// A unique tag for one add: the copy that made it and its count of adds.
pub type Tag = (NodeIdx, u32);

/// One element of an [`OrSet`]: the tags of every add of it, and the tags
/// a remove has seen (tombstones).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrEntry {
    pub added: BTreeSet<Tag>,
    pub removed: BTreeSet<Tag>,
}

impl OrEntry {
    /// Some add of it no remove has seen.
    pub fn present(&self) -> bool {
        self.added.iter().any(|t| !self.removed.contains(t))
    }
}

/// An observed-remove set (add-wins): each add carries a fresh tag; a
/// remove tombstones only the tags its copy has seen. An add made
/// concurrently with a remove has a tag the remove never saw, so the
/// element stays. Merge is the union of both tag sets, per element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrSet {
    pub entries: BTreeMap<String, OrEntry>,
}

impl OrSet {
    /// Copy `me` adds `item` with a tag no copy has used.
    pub fn add(&mut self, me: NodeIdx, item: &str) {
        // Tags are never forgotten (tombstoned ones stay in `added`), so
        // one past this copy's largest is unused anywhere.
        let next = self
            .entries
            .values()
            .flat_map(|e| e.added.iter())
            .filter(|(n, _)| *n == me)
            .map(|(_, c)| *c)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.entries
            .entry(item.to_string())
            .or_default()
            .added
            .insert((me, next));
    }

    /// Removes `item` as this copy sees it: every add it has seen.
    pub fn remove(&mut self, item: &str) {
        if let Some(e) = self.entries.get_mut(item) {
            let seen = e.added.clone();
            e.removed.extend(seen);
        }
    }

    /// The elements present, in order.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|(_, e)| e.present())
            .map(|(k, _)| k.as_str())
    }

    /// Union of adds and of tombstones, per element.
    pub fn merge(&self, other: &OrSet) -> OrSet {
        let mut out = self.clone();
        for (item, e) in &other.entries {
            let mine = out.entries.entry(item.clone()).or_default();
            mine.added.extend(e.added.iter().copied());
            mine.removed.extend(e.removed.iter().copied());
        }
        out
    }

    /// How many tags it keeps, and how many of them are tombstones.
    pub fn tags(&self) -> (usize, usize) {
        self.entries
            .values()
            .fold((0, 0), |(a, r), e| (a + e.added.len(), r + e.removed.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pn_counter_counts_a_decrement_that_a_single_max_map_would_undo() {
        let mut eu = PnCounter::default();
        eu.count(0, 1);
        let mut us = eu.clone();
        us.count(1, 1);
        eu.count(0, -1);
        assert_eq!(eu.merge(&us).value(), 1);
        assert_eq!(us.merge(&eu).value(), 1);
    }

    #[test]
    fn an_or_set_keeps_an_add_the_remove_never_saw() {
        let mut start = OrSet::default();
        start.add(0, "bread");
        let mut bob = start.clone();
        bob.remove("bread");
        let mut alice = start.clone();
        alice.add(0, "bread");
        let merged = bob.merge(&alice);
        assert_eq!(merged.items().collect::<Vec<_>>(), ["bread"]);
        // A remove that saw the add takes it away everywhere.
        let mut later = merged.clone();
        later.remove("bread");
        assert_eq!(later.merge(&merged).items().count(), 0);
    }
}
