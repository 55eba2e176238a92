//! The state of one record at a multi-leader peer, and how two such states
//! merge: last-writer-wins by stamp, version vectors that keep concurrent
//! writes as siblings, and four CRDTs (G-counter, PN-counter, G-set,
//! OR-set). Pure data and functions, so the laws of each merge can be
//! tested alone, and a state can travel inside a message as text.

mod change;
mod text;

use std::collections::{BTreeMap, BTreeSet};

use super::crdt::{OrSet, PnCounter};
use super::names::NodeIdx;
use super::record::Version;
use super::time::{Micros, fmt_time};
use change::changed_register;

pub use change::{Change, Strategy};
pub use text::{decode, dots_from_text, dots_text, encode};

/// Writes seen, per peer: the causal history of a state.
pub type VersionVector = BTreeMap<NodeIdx, u32>;

/// `a` has seen everything `b` has.
pub fn dominates(a: &VersionVector, b: &VersionVector) -> bool {
    b.iter().all(|(n, c)| a.get(n).is_some_and(|x| x >= c))
}

/// One write: its writer, and the writer's count of writes to the record.
pub type Dot = (NodeIdx, u32);

/// The writes `a` has met that `b` has not.
fn unseen(a: &VersionVector, b: &VersionVector) -> Vec<Dot> {
    a.iter()
        .flat_map(|(&n, &c)| {
            let from = b.get(&n).copied().unwrap_or(0);
            (from.saturating_add(1)..=c).map(move |k| (n, k))
        })
        .collect()
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
    /// Value, stamp (time by the writer's clock, writer), and the history
    /// of every write the state has met.
    Lww {
        value: String,
        stamp: (Micros, NodeIdx),
        vv: VersionVector,
    },
    /// Values not superseded by one another, each with its history.
    Siblings(Vec<(String, VersionVector)>),
    /// Per peer, the total it added (a G-counter).
    GCounter(BTreeMap<NodeIdx, i64>),
    /// Per peer, the totals it added and took away.
    PnCounter(PnCounter),
    /// Every element ever added (a G-set).
    GSet(BTreeSet<String>),
    /// Elements with the tags of their adds and removes.
    OrSet(OrSet),
}

impl State {
    /// The state a write of a whole `value` by `me` leaves. A CRDT takes a
    /// write as the change it amounts to: a counter counts the number
    /// (1 if it is not one), a set adds the value.
    pub fn write(
        prev: Option<&State>,
        strategy: Strategy,
        value: &str,
        me: NodeIdx,
        stamp: Micros,
    ) -> Result<State, &'static str> {
        let mut vv = prev.map(State::history).unwrap_or_default();
        *vv.entry(me).or_insert(0) += 1;
        let change = match strategy {
            Strategy::LastWriterWins => {
                return Ok(State::Lww {
                    value: value.to_string(),
                    stamp: (stamp, me),
                    vv,
                });
            }
            Strategy::VersionVectors => {
                return Ok(State::Siblings(vec![(value.to_string(), vv)]));
            }
            Strategy::GCounter | Strategy::PnCounter => {
                let n = value.trim().parse::<i64>().unwrap_or(1);
                let size = u32::try_from(n.unsigned_abs()).unwrap_or(u32::MAX);
                if n < 0 {
                    Change::Decrement(size)
                } else {
                    Change::Increment(size)
                }
            }
            Strategy::GSet | Strategy::OrSet => Change::Add(value),
        };
        State::change(prev, strategy, change, me, stamp)
    }

    /// The state a change by `me` leaves, or why the strategy refuses it.
    /// A register applies it to the value it holds and writes the result
    /// whole (a read-modify-write of the local copy: a cart as a list of
    /// items "bread, milk", a number); with siblings, adds and removes
    /// apply to the union of their items.
    pub fn change(
        prev: Option<&State>,
        strategy: Strategy,
        change: Change<&str>,
        me: NodeIdx,
        stamp: Micros,
    ) -> Result<State, &'static str> {
        if let Some(why) = strategy.refuses(&change) {
            return Err(why);
        }
        Ok(match strategy {
            Strategy::LastWriterWins | Strategy::VersionVectors => {
                let held: Vec<&str> = match prev {
                    Some(State::Lww { value, .. }) => vec![value.as_str()],
                    Some(State::Siblings(s)) => s.iter().map(|(v, _)| v.as_str()).collect(),
                    _ => Vec::new(),
                };
                let next = changed_register(&held, change)?;
                return State::write(prev, strategy, &next, me, stamp);
            }
            Strategy::GCounter => {
                let mut counts = match prev {
                    Some(State::GCounter(c)) => c.clone(),
                    _ => BTreeMap::new(),
                };
                let total = counts.entry(me).or_insert(0);
                *total = total.saturating_add(change.amount().max(0));
                State::GCounter(counts)
            }
            Strategy::PnCounter => {
                let mut c = match prev {
                    Some(State::PnCounter(c)) => c.clone(),
                    _ => PnCounter::default(),
                };
                c.count(me, change.amount());
                State::PnCounter(c)
            }
            Strategy::GSet => {
                let mut items = match prev {
                    Some(State::GSet(s)) => s.clone(),
                    _ => BTreeSet::new(),
                };
                if let Change::Add(item) = change {
                    items.insert(item.to_string());
                }
                State::GSet(items)
            }
            Strategy::OrSet => {
                let mut set = match prev {
                    Some(State::OrSet(s)) => s.clone(),
                    _ => OrSet::default(),
                };
                match change {
                    Change::Add(item) => set.add(me, item),
                    Change::Remove(item) => set.remove(item),
                    Change::Increment(_) | Change::Decrement(_) => {}
                }
                State::OrSet(set)
            }
        })
    }

    /// The combined history of every write this state reflects.
    pub fn history(&self) -> VersionVector {
        match self {
            State::Lww { vv, .. } => vv.clone(),
            State::Siblings(s) => s
                .iter()
                .fold(VersionVector::new(), |acc, (_, vv)| join(&acc, vv)),
            // The CRDTs need no history: their merge loses nothing.
            State::GCounter(_) | State::PnCounter(_) | State::GSet(_) | State::OrSet(_) => {
                VersionVector::new()
            }
        }
    }

    /// Merges two states of the same record. For the CRDTs and version
    /// vectors this is commutative, associative and idempotent. Returns the
    /// merged state and the writes it discarded, each as (writer, its
    /// count of writes to the record): under last-writer-wins, every write
    /// the state with the earlier stamp had met and the winner had not.
    /// Each was one change a writer made, and its effect is gone.
    pub fn merge(&self, other: &State) -> (State, Vec<Dot>) {
        match (self, other) {
            (
                State::Lww {
                    stamp: a, vv: va, ..
                },
                State::Lww {
                    stamp: b, vv: vb, ..
                },
            ) => {
                // Stamps are (time, writer), so equal stamps are one writer's
                // writes in one microsecond; the first applied stays.
                let b_wins = b > a;
                let (win, lose) = if b_wins { (other, self) } else { (self, other) };
                let (
                    State::Lww {
                        value,
                        stamp,
                        vv: seen,
                    },
                    State::Lww { vv: met, .. },
                ) = (win, lose)
                else {
                    return (win.clone(), Vec::new());
                };
                let lost = if win.display() == lose.display() {
                    Vec::new()
                } else {
                    unseen(met, seen)
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
                (State::Siblings(kept), Vec::new())
            }
            (State::GCounter(a), State::GCounter(b)) => {
                let mut out = a.clone();
                for (&n, &c) in b {
                    let e = out.entry(n).or_insert(0);
                    *e = (*e).max(c);
                }
                (State::GCounter(out), Vec::new())
            }
            (State::PnCounter(a), State::PnCounter(b)) => {
                (State::PnCounter(a.merge(b)), Vec::new())
            }
            (State::GSet(a), State::GSet(b)) => {
                (State::GSet(a.union(b).cloned().collect()), Vec::new())
            }
            (State::OrSet(a), State::OrSet(b)) => (State::OrSet(a.merge(b)), Vec::new()),
            // Different strategies never meet: validation keeps a table's
            // peers on one strategy.
            _ => (self.clone(), Vec::new()),
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
            State::GCounter(c) => c
                .values()
                .fold(0i64, |a, b| a.saturating_add(*b))
                .to_string(),
            State::PnCounter(c) => c.value().to_string(),
            State::GSet(s) => format!("{{{}}}", s.iter().cloned().collect::<Vec<_>>().join(", ")),
            State::OrSet(s) => format!("{{{}}}", s.items().collect::<Vec<_>>().join(", ")),
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
            State::GCounter(c) => c
                .iter()
                .map(|(n, c)| format!("{n}:+{c}"))
                .collect::<Vec<_>>()
                .join(" "),
            State::PnCounter(c) => {
                let side = |m: &BTreeMap<NodeIdx, u64>, sign: char| {
                    m.iter()
                        .map(|(n, c)| format!("{n}:{sign}{c}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                format!("P {} · N {}", side(&c.p, '+'), side(&c.n, '−'))
            }
            State::GSet(s) => format!("{} element(s)", s.len()),
            State::OrSet(s) => {
                let (tags, removed) = s.tags();
                format!("{tags} add tag(s), {removed} removed")
            }
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
