//! The state of one record at a multi-leader peer, and how two such states
//! merge: last-writer-wins by stamp, version vectors that keep concurrent
//! writes as siblings, and two CRDTs (a grow-only counter and set). Pure
//! data and functions, so the laws of each merge can be tested alone, and
//! a state can travel inside a message as text.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::names::NodeIdx;
use super::record::Version;
use super::time::{Micros, fmt_time};

/// How concurrent writes to a multi-leader table are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// The later timestamp wins; the other write is silently lost.
    LastWriterWins,
    /// Concurrent writes are kept side by side as siblings.
    VersionVectors,
    /// A counter CRDT: writes add their number; merges lose nothing.
    Counter,
    /// A set CRDT: writes add their value; merges lose nothing.
    Set,
}

/// Writes seen, per peer: the causal history of a state.
pub type VersionVector = BTreeMap<NodeIdx, u32>;

/// `a` has seen everything `b` has.
pub fn dominates(a: &VersionVector, b: &VersionVector) -> bool {
    b.iter().all(|(n, c)| a.get(n).is_some_and(|x| x >= c))
}

fn join(a: &VersionVector, b: &VersionVector) -> VersionVector {
    let mut out = a.clone();
    for (&n, &c) in b {
        let e = out.entry(n).or_insert(0);
        *e = (*e).max(c);
    }
    out
}

/// One record's full state at a peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Value, stamp (time by the writer's clock, writer), history.
    Lww {
        value: String,
        stamp: (Micros, NodeIdx),
        vv: VersionVector,
    },
    /// Values not superseded by one another, each with its history.
    Siblings(Vec<(String, VersionVector)>),
    /// Per peer, the total it added (a grow-only counter).
    Counter(BTreeMap<NodeIdx, i64>),
    /// Every element ever added (a grow-only set).
    Set(BTreeSet<String>),
}

impl State {
    /// The state a write of `value` by `me` leaves.
    pub fn write(
        prev: Option<&State>,
        strategy: Strategy,
        value: &str,
        me: NodeIdx,
        stamp: Micros,
    ) -> State {
        let mut vv = prev.map(State::history).unwrap_or_default();
        *vv.entry(me).or_insert(0) += 1;
        match (strategy, prev) {
            (Strategy::LastWriterWins, _) => State::Lww {
                value: value.to_string(),
                stamp: (stamp, me),
                vv,
            },
            (Strategy::VersionVectors, _) => State::Siblings(vec![(value.to_string(), vv)]),
            (Strategy::Counter, p) => {
                let mut counts = match p {
                    Some(State::Counter(c)) => c.clone(),
                    _ => BTreeMap::new(),
                };
                // A grow-only counter: negative amounts add nothing (a
                // merge by maximum could not undo them everywhere).
                let add = value.trim().parse::<i64>().unwrap_or(1).max(0);
                let total = counts.entry(me).or_insert(0);
                *total = total.saturating_add(add);
                State::Counter(counts)
            }
            (Strategy::Set, p) => {
                let mut items = match p {
                    Some(State::Set(s)) => s.clone(),
                    _ => BTreeSet::new(),
                };
                items.insert(value.to_string());
                State::Set(items)
            }
        }
    }

    /// The combined history of every write this state reflects.
    pub fn history(&self) -> VersionVector {
        match self {
            State::Lww { vv, .. } => vv.clone(),
            State::Siblings(s) => s
                .iter()
                .fold(VersionVector::new(), |acc, (_, vv)| join(&acc, vv)),
            // The CRDTs need no history: their merge loses nothing.
            State::Counter(_) | State::Set(_) => VersionVector::new(),
        }
    }

    /// Merges two states of the same record. For the CRDTs and version
    /// vectors this is commutative, associative and idempotent. Returns the
    /// merged state and whether a concurrent write was discarded.
    pub fn merge(&self, other: &State) -> (State, bool) {
        match (self, other) {
            (
                State::Lww {
                    stamp: a, vv: va, ..
                },
                State::Lww {
                    stamp: b, vv: vb, ..
                },
            ) => {
                let concurrent = !dominates(va, vb) && !dominates(vb, va);
                // Stamps are (time, writer), so equal stamps are one writer's
                // writes in one microsecond; the first applied stays.
                let b_wins = b > a;
                let (win, lose) = if b_wins { (other, self) } else { (self, other) };
                let lost = concurrent && win.display() != lose.display();
                let State::Lww { value, stamp, .. } = win else {
                    return (win.clone(), false);
                };
                (
                    State::Lww {
                        value: value.clone(),
                        stamp: *stamp,
                        vv: join(va, vb),
                    },
                    lost,
                )
            }
            (State::Siblings(a), State::Siblings(b)) => {
                let mut all: Vec<(String, VersionVector)> =
                    a.iter().chain(b.iter()).cloned().collect();
                all.sort();
                all.dedup();
                // Keep every value no other value's history includes.
                let kept: Vec<(String, VersionVector)> = all
                    .iter()
                    .filter(|(_, vv)| !all.iter().any(|(_, ww)| ww != vv && dominates(ww, vv)))
                    .cloned()
                    .collect();
                (State::Siblings(kept), false)
            }
            (State::Counter(a), State::Counter(b)) => {
                let mut out = a.clone();
                for (&n, &c) in b {
                    let e = out.entry(n).or_insert(0);
                    *e = (*e).max(c);
                }
                (State::Counter(out), false)
            }
            (State::Set(a), State::Set(b)) => (State::Set(a.union(b).cloned().collect()), false),
            // Different strategies never meet: validation keeps a table's
            // peers on one strategy.
            _ => (self.clone(), false),
        }
    }

    /// What a reader sees.
    pub fn display(&self) -> String {
        match self {
            State::Lww { value, .. } => value.clone(),
            State::Siblings(s) => s
                .iter()
                .map(|(v, _)| v.as_str())
                .collect::<Vec<_>>()
                .join(" ‖ "),
            State::Counter(c) => c
                .values()
                .fold(0i64, |a, b| a.saturating_add(*b))
                .to_string(),
            State::Set(s) => format!("{{{}}}", s.iter().cloned().collect::<Vec<_>>().join(", ")),
        }
    }

    /// The strategy's metadata, for the replica view.
    pub fn meta(&self) -> String {
        let vv = |v: &VersionVector| {
            v.iter()
                .map(|(n, c)| format!("{n}:{c}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        match self {
            State::Lww { stamp, .. } => format!("stamp {}", fmt_time(stamp.0)),
            State::Siblings(s) => s
                .iter()
                .map(|(_, v)| format!("[{}]", vv(v)))
                .collect::<Vec<_>>()
                .join(" "),
            State::Counter(c) => c
                .iter()
                .map(|(n, c)| format!("{n}:+{c}"))
                .collect::<Vec<_>>()
                .join(" "),
            State::Set(s) => format!("{} element(s)", s.len()),
        }
    }

    /// A version that is equal exactly when two peers' states are equal
    /// (up to a vanishingly rare collision), so the replica view can tell
    /// copies that agree.
    pub fn digest(&self) -> Version {
        let text = format!("{self:?}");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let time = match self {
            State::Lww { stamp, .. } => stamp.0,
            _ => 0,
        };
        Version {
            time,
            counter: (h >> 32) as u32 | 1,
            origin: (h & 0xffff) as u16,
        }
    }
}

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
        State::Counter(c) => format!(
            "C|{}",
            c.iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        State::Set(items) => format!(
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
            Some(State::Counter(c))
        }
        "S" => Some(State::Set(
            rest.split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )),
        _ => None,
    }
}
