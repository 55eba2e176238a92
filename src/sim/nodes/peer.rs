//! A peer: one of several copies of a table that all accept writes (multi-
//! leader replication). Each write is applied locally at once and sent to
//! the other peers, resent until acknowledged, so copies cut off by a
//! partition exchange what they missed once it heals. Concurrent writes
//! then meet, and the table's strategy decides what survives:
//!
//! - last-writer-wins by timestamp: the later stamp wins, the other write
//!   is silently lost (and a peer whose clock runs ahead wins unfairly);
//! - version vectors: concurrent writes are both kept, as siblings;
//! - CRDTs: a counter and a set whose states merge without loss.
//!
//! Every state carries a version vector, so a write lost by last-writer-
//! wins can be told from one that was merely overwritten later.

use std::collections::{BTreeMap, BTreeSet};

use super::retry::Retries;
use super::{Cx, Incoming};
use crate::scenario::Micros;
use crate::sim::model::{
    Answer, Body, EventId, Key, NodeIdx, Record, ReqOp, Sym, Value, Version, value_text,
};

/// How concurrent writes are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    LastWriterWins,
    VersionVectors,
    Counter,
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
            State::Lww { stamp, .. } => format!("stamp {}", crate::scenario::fmt_time(stamp.0)),
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
    fn digest(&self) -> Version {
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

/// How a peer is wired.
#[derive(Clone, Debug)]
pub struct PeerWiring {
    pub table: Sym,
    pub strategy: Strategy,
    /// The other peers of the table it can reach.
    pub peers: Vec<NodeIdx>,
    /// How far its clock runs ahead of true time.
    pub skew: Micros,
    pub resend: Micros,
}

#[derive(Clone, Debug)]
pub struct Peer {
    w: PeerWiring,
    /// Every record's state (durable).
    pub states: BTreeMap<Sym, State>,
    last_seq: u32,
    /// Writes sent to peers and not yet acknowledged (durable: a peer that
    /// restarts keeps resending what it owes).
    unacked: Retries<(NodeIdx, u32)>,
    /// What readers see of each record.
    shown: BTreeMap<Sym, Record>,
    lost_writes: u64,
}

impl Peer {
    pub fn new(w: PeerWiring) -> Self {
        let unacked = Retries::new(w.resend, 0);
        Peer {
            w,
            states: BTreeMap::new(),
            last_seq: 0,
            unacked,
            shown: BTreeMap::new(),
            lost_writes: 0,
        }
    }

    pub fn set_clock_skew(&mut self, ahead: Micros) {
        self.w.skew = ahead;
    }

    /// Concurrent writes this peer discarded (last-writer-wins only).
    pub fn lost_writes(&self) -> u64 {
        self.lost_writes
    }

    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op: ReqOp::Write { id, value },
            } => {
                let text = value_text(cx.names, value);
                let prev = self.states.get(&id);
                let mut next =
                    State::write(prev, self.w.strategy, &text, cx.me, cx.now + self.w.skew);
                // Last-writer-wins keeps the latest stamp even against a
                // local write: a write stamped earlier than what this peer
                // already holds (a clock behind) is lost on the spot.
                if let (Strategy::LastWriterWins, Some(prev)) = (self.w.strategy, prev) {
                    let (merged, lost) = prev.merge(&next);
                    if lost || merged != next {
                        self.lost_writes += 1;
                        cx.flags |= crate::trace::deliver_flags::WRITE_LOST;
                    }
                    next = merged;
                }
                self.store(cx, id, next);
                let r = self.record(id);
                cx.send(
                    m.from,
                    Body::Answer {
                        req,
                        answer: Answer::Written {
                            key: r.key,
                            version: r.version,
                        },
                    },
                );
                self.gossip(cx, id);
            }
            Body::Request {
                req,
                op: ReqOp::Read { id },
            } => {
                let r = self.record(id);
                let answer = Answer::Read {
                    key: r.key,
                    value: r.value,
                    version: r.version,
                    partial: false,
                };
                cx.send(m.from, Body::Answer { req, answer });
            }
            Body::Gossip { id, state, seq, .. } => {
                cx.send(
                    m.from,
                    Body::Ack {
                        event: EventId {
                            origin: m.from,
                            seq,
                        },
                    },
                );
                let Some(incoming) = decode(cx.names.get(state)) else {
                    return;
                };
                let (merged, lost) = match self.states.get(&id) {
                    Some(mine) => mine.merge(&incoming),
                    None => (incoming, false),
                };
                if lost {
                    self.lost_writes += 1;
                    cx.flags |= crate::trace::deliver_flags::WRITE_LOST;
                }
                if self.states.get(&id) != Some(&merged) {
                    self.store(cx, id, merged);
                }
            }
            Body::Ack { event } => self.unacked.ack(&(m.from, event.seq)),
            _ => {}
        }
    }

    pub fn on_timer(&mut self, cx: &mut Cx) {
        self.unacked.on_timer(cx);
    }

    pub fn on_restart(&mut self, cx: &mut Cx) {
        self.unacked.rearm(cx);
    }

    fn record(&self, id: Sym) -> Record {
        let key = Key {
            table: self.w.table,
            id,
        };
        self.shown.get(&id).copied().unwrap_or(Record {
            key,
            value: Value::Absent,
            version: Version::NONE,
        })
    }

    fn store(&mut self, cx: &mut Cx, id: Sym, state: State) {
        let key = Key {
            table: self.w.table,
            id,
        };
        let value = Value::Text(cx.names.intern(&state.display()));
        let meta = cx.names.intern(&state.meta());
        let record = Record {
            key,
            value,
            version: state.digest(),
        };
        self.states.insert(id, state);
        self.shown.insert(id, record);
        let body = cx.keep(Body::PeerState { record, meta });
        cx.changed(body);
    }

    /// Sends this record's state to every other peer, until acknowledged.
    fn gossip(&mut self, cx: &mut Cx, id: Sym) {
        let Some(state) = self.states.get(&id) else {
            return;
        };
        let text = cx.names.intern(&encode(state));
        for i in 0..self.w.peers.len() {
            let to = self.w.peers[i];
            self.last_seq += 1;
            let seq = self.last_seq;
            let body = cx.keep(Body::Gossip {
                table: self.w.table,
                id,
                state: text,
                seq,
            });
            self.unacked.send(cx, (to, seq), to, body);
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
