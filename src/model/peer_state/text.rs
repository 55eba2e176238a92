//! A peer's state as text, to travel inside a gossip message.

use std::collections::{BTreeMap, BTreeSet};

use super::{Dot, State, VersionVector};
use crate::model::crdt::{OrEntry, OrSet, PnCounter, Tag};
use crate::model::names::NodeIdx;

/// A state as text, to travel in a message.
pub fn encode(s: &State) -> String {
    let vv = |v: &VersionVector| {
        v.iter()
            .map(|(n, c)| format!("{n}:{c}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let clean = |t: &str| t.replace(['|', ';', '\u{1f}'], " ");
    match s {
        State::Lww {
            value,
            stamp,
            vv: h,
        } => format!("L|{}|{}|{}|{}", stamp.0, stamp.1, vv(h), clean(value)),
        State::Siblings(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|(v, h)| format!("{}\u{1f}{}", vv(h), clean(v)))
                .collect();
            format!("V|{}", items.join(";"))
        }
        State::GCounter(c) => format!(
            "C|{}",
            c.iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        State::PnCounter(c) => {
            let side = |m: &BTreeMap<NodeIdx, u64>| {
                m.iter()
                    .map(|(n, v)| format!("{n}:{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!("P|{}|{}", side(&c.p), side(&c.n))
        }
        State::OrSet(set) => {
            let tags = |t: &BTreeSet<Tag>| {
                t.iter()
                    .map(|(n, c)| format!("{n}:{c}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let items: Vec<String> = set
                .entries
                .iter()
                .map(|(item, e)| {
                    format!(
                        "{}\u{1f}{}\u{1f}{}",
                        clean(item),
                        tags(&e.added),
                        tags(&e.removed)
                    )
                })
                .collect();
            format!("O|{}", items.join(";"))
        }
        State::GSet(items) => format!(
            "S|{}",
            items.iter().map(|v| clean(v)).collect::<Vec<_>>().join(";")
        ),
    }
}

/// The inverse of [`encode`]; `None` for text it did not make.
pub fn decode(text: &str) -> Option<State> {
    let vv = |t: &str| -> Option<VersionVector> {
        if t.is_empty() {
            return Some(VersionVector::new());
        }
        t.split(',')
            .map(|p| {
                let (n, c) = p.split_once(':')?;
                Some((n.parse().ok()?, c.parse().ok()?))
            })
            .collect()
    };
    // "node:number" pairs, as counters' totals and sets' tags travel.
    fn pairs<K: Ord + std::str::FromStr, V: std::str::FromStr, C: FromIterator<(K, V)>>(
        t: &str,
    ) -> Option<C> {
        t.split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once(':')?;
                Some((k.parse().ok()?, v.parse().ok()?))
            })
            .collect()
    }
    let (kind, rest) = text.split_once('|')?;
    match kind {
        "L" => {
            let mut parts = rest.splitn(4, '|');
            let time = parts.next()?.parse().ok()?;
            let origin = parts.next()?.parse().ok()?;
            let h = vv(parts.next()?)?;
            let value = parts.next()?.to_string();
            Some(State::Lww {
                value,
                stamp: (time, origin),
                vv: h,
            })
        }
        "V" => {
            let mut list = Vec::new();
            for item in rest.split(';').filter(|s| !s.is_empty()) {
                let (h, v) = item.split_once('\u{1f}')?;
                list.push((v.to_string(), vv(h)?));
            }
            Some(State::Siblings(list))
        }
        "C" => {
            let mut c = BTreeMap::new();
            for p in rest.split(',').filter(|s| !s.is_empty()) {
                let (n, v) = p.split_once(':')?;
                c.insert(n.parse().ok()?, v.parse().ok()?);
            }
            Some(State::GCounter(c))
        }
        "P" => {
            let (p, n) = rest.split_once('|')?;
            Some(State::PnCounter(PnCounter {
                p: pairs(p)?,
                n: pairs(n)?,
            }))
        }
        "O" => {
            let mut set = OrSet::default();
            for item in rest.split(';').filter(|s| !s.is_empty()) {
                let mut parts = item.split('\u{1f}');
                let name = parts.next()?.to_string();
                let added: BTreeSet<Tag> = pairs(parts.next()?)?;
                let removed: BTreeSet<Tag> = pairs(parts.next()?)?;
                set.entries.insert(name, OrEntry { added, removed });
            }
            Some(State::OrSet(set))
        }
        "S" => Some(State::GSet(
            rest.split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )),
        _ => None,
    }
}

/// Writes as text, "writer:count" pairs separated by commas.
pub fn dots_text(dots: &[Dot]) -> String {
    dots.iter()
        .map(|(n, c)| format!("{n}:{c}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The inverse of [`dots_text`], leaving out what it did not make.
pub fn dots_from_text(text: &str) -> Vec<Dot> {
    text.split(',')
        .filter_map(|p| {
            let (n, c) = p.split_once(':')?;
            Some((n.parse().ok()?, c.parse().ok()?))
        })
        .collect()
}
