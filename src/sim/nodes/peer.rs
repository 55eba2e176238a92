//! A peer: one of several copies of a table that all accept writes (multi-
//! leader replication). Each write is applied locally at once and sent to
//! the other peers, resent until acknowledged, so copies cut off by a
//! partition exchange what they missed once it heals. Concurrent writes
//! then meet, and the table's strategy decides what survives:
//!
//! - last-writer-wins by timestamp: the later stamp wins, the other write
//!   is silently lost (and a peer whose clock runs ahead wins unfairly);
//! - version vectors: concurrent writes are both kept, as siblings;
//! - CRDTs: counters and sets whose states merge without losing a change
//!   the type can express (G-counter, PN-counter, G-set, OR-set).
//!
//! A write sets a whole value; a change ("add milk", "decrement by 1")
//! asks the copy to change what it holds: a CRDT records it as such, a
//! register reads its own value, changes it and writes it back whole.
//!
//! Every state carries a version vector, so a write lost by last-writer-
//! wins can be told from one that was merely overwritten later.

use std::collections::BTreeMap;

use super::retry::Retries;
use super::{Actor, Cx, Incoming};
use crate::scenario::{NodeKind, PeerSpec};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

use crate::model::peer_state::{Dot, State, Strategy, decode, dots_text, encode};
use crate::model::{
    Answer, Body, EventId, Key, Micros, NodeIdx, Record, ReqOp, Sym, Value, Version, value_text,
};
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
    /// A peer replicating to the other peers of its table it is linked to.
    pub fn build(spec: &PeerSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let s = w.scenario;
        let me = w.my_id;
        let linked = |other: &str| {
            s.links
                .iter()
                .any(|l| (l.from == me && l.to == other) || (l.to == me && l.from == other))
        };
        let peers = s
            .nodes
            .iter()
            .filter(|m| m.id != me && matches!(&m.kind, NodeKind::Peer(q) if q.table == spec.table))
            .filter(|m| linked(&m.id))
            .map(|m| w.find(&m.id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Peer::new(PeerWiring {
            table: w.intern(&spec.table),
            strategy: spec.strategy,
            peers,
            skew: spec.clock_skew.0,
            resend: spec.resend.0.max(1),
        }))
    }

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

    /// Times this peer discarded writes (last-writer-wins only).
    pub fn lost_writes(&self) -> u64 {
        self.lost_writes
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

    fn store(&mut self, cx: &mut Cx, id: Sym, state: State, lost: &[Dot]) {
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
        let lost = (!lost.is_empty()).then(|| cx.names.intern(&dots_text(lost)));
        let body = cx.keep(Body::PeerState { record, meta, lost });
        if lost.is_some() {
            self.lost_writes += 1;
            cx.flags |= crate::model::deliver_flags::WRITE_LOST;
        }
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

impl Peer {
    /// Stores what a write or change made of record `id` and answers the
    /// asker, or answers with the strategy's refusal.
    fn apply(
        &mut self,
        cx: &mut Cx,
        (asker, req): (NodeIdx, u32),
        id: Sym,
        next: Result<State, &'static str>,
    ) {
        let mut next = match next {
            Ok(next) => next,
            Err(why) => {
                let reason = cx.names.intern(why);
                let answer = Answer::Refused { reason };
                cx.send(asker, Body::Answer { req, answer });
                return;
            }
        };
        // Last-writer-wins keeps the latest stamp even against a local
        // write: a write stamped earlier than what this peer already holds
        // (a clock behind) is lost on the spot.
        let mut lost = Vec::new();
        if let (Strategy::LastWriterWins, Some(prev)) = (self.w.strategy, self.states.get(&id)) {
            (next, lost) = prev.merge(&next);
        }
        self.store(cx, id, next, &lost);
        let r = self.record(id);
        let answer = Answer::Written {
            key: r.key,
            version: r.version,
        };
        cx.send(asker, Body::Answer { req, answer });
        self.gossip(cx, id);
    }
}

impl Actor for Peer {
    fn set_clock_skew(&mut self, ahead: Micros) {
        self.w.skew = ahead;
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op: ReqOp::Write { id, value, .. } | ReqOp::WriteBased { id, value, .. },
            } => {
                let text = value_text(cx.names, value);
                let stamp = cx.now + self.w.skew;
                let prev = self.states.get(&id);
                let next = State::write(prev, self.w.strategy, &text, cx.me, stamp);
                self.apply(cx, (m.from, req), id, next);
            }
            Body::Request {
                req,
                op: ReqOp::Change { id, change },
            } => {
                let change = change.map(|s| cx.names.get(*s).to_string());
                let stamp = cx.now + self.w.skew;
                let prev = self.states.get(&id);
                let next = State::change(prev, self.w.strategy, change.as_str(), cx.me, stamp);
                self.apply(cx, (m.from, req), id, next);
            }
            Body::Request {
                req,
                op:
                    ReqOp::Read { id } | ReqOp::ReadAtLeast { id, .. } | ReqOp::ReadAfterMyWrite { id },
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
                    None => (incoming, Vec::new()),
                };
                if !lost.is_empty() || self.states.get(&id) != Some(&merged) {
                    self.store(cx, id, merged, &lost);
                }
            }
            Body::Ack { event } => self.unacked.ack(&(m.from, event.seq)),
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, _tag: u64) {
        self.unacked.on_timer(cx);
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        self.unacked.rearm(cx);
    }
}
