//! A replica: a service that keeps its own copy of another service's table,
//! fed by events from a broker. It is an idempotent consumer: it remembers
//! which event ids it has applied and never lets an older version replace a
//! newer one, so redeliveries and reordering leave its copy right. The ids
//! it has applied change in the same step as the copy (one local
//! transaction): no crash can separate the effect from its record.
//!
//! Until a fix is deployed to it, it rejects poison events (a message its
//! code cannot handle): it tells the broker so, and applies nothing.

use std::collections::BTreeSet;

use super::log::member::{Member, member_timer};
use super::{Actor, Cx, Incoming, Store};
use crate::scenario::ReplicaSpec;
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

use crate::model::deliver_flags::{DUPLICATE_IGNORED, OLDER_IGNORED, REJECTED};
use crate::model::{Answer, Body, EventId, Key, NodeIdx, ReqOp, Sym};

/// Which event numbers of one publisher have been applied: everything up to
/// `floor`, plus those seen above it (events arrive out of order). The 64
/// numbers just above the floor are a bitmask, where nearly all of them
/// land; only stragglers further ahead go to the set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DedupWindow {
    floor: u32,
    /// Bit i set: event `floor + 1 + i` has been seen.
    near: u64,
    far: BTreeSet<u32>,
}

impl DedupWindow {
    /// Marks `seq` seen; returns false if it had been seen already.
    pub fn insert(&mut self, seq: u32) -> bool {
        if seq <= self.floor {
            return false;
        }
        let offset = seq - self.floor - 1;
        if offset < 64 {
            let bit = 1u64 << offset;
            if self.near & bit != 0 {
                return false;
            }
            self.near |= bit;
        } else if !self.far.insert(seq) {
            return false;
        }
        self.advance();
        true
    }

    /// Whether `seq` has been seen, without marking it.
    pub fn contains(&self, seq: u32) -> bool {
        if seq <= self.floor {
            return true;
        }
        let offset = seq - self.floor - 1;
        if offset < 64 {
            self.near & (1u64 << offset) != 0
        } else {
            self.far.contains(&seq)
        }
    }

    /// Moves the floor past every number now seen contiguously.
    fn advance(&mut self) {
        loop {
            let run = self.near.trailing_ones();
            if run == 0 {
                return;
            }
            self.floor += run;
            self.near = if run >= 64 { 0 } else { self.near >> run };
            // Pull stragglers that now fall within the mask.
            while let Some(&next) = self.far.first() {
                let offset = next - self.floor - 1;
                if offset >= 64 {
                    break;
                }
                self.far.pop_first();
                self.near |= 1u64 << offset;
            }
        }
    }
}

/// Dedup windows per publisher, addressed by the publisher's node index
/// (nodes are numbered densely from zero).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Windows(Vec<DedupWindow>);

impl Windows {
    /// Marks event `seq` of `origin` seen; false if it had been already.
    #[inline]
    pub fn insert(&mut self, origin: NodeIdx, seq: u32) -> bool {
        let i = origin as usize;
        if self.0.len() <= i {
            self.0.resize_with(i + 1, DedupWindow::default);
        }
        self.0.get_mut(i).is_some_and(|w| w.insert(seq))
    }
}

#[derive(Clone, Debug)]
pub struct Replica {
    pub table: Sym,
    broker: NodeIdx,
    acks: bool,
    /// The copy (durable).
    pub store: Store,
    /// Applied event ids per publisher (durable, committed with the copy).
    seen: Windows,
    /// Whether it keeps `seen` at all (an idempotent consumer).
    dedup: bool,
    /// Reading from a partitioned log: the member that pulls from it.
    member: Option<Member>,
    /// A fix has been deployed: poison events are handled (durable).
    fixed: bool,
}

impl Replica {
    pub fn build(spec: &ReplicaSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let broker = w.find(&spec.broker)?;
        let member = Member::build(w, &spec.broker)?;
        let acks = member.is_none() && w.ack_timeout(&spec.broker).is_some();
        let mut r = Replica::new(w.intern(&spec.table), broker, acks);
        r.dedup = spec.dedup;
        r.member = member;
        Ok(r)
    }

    pub fn new(table: Sym, broker: NodeIdx, acks: bool) -> Self {
        Replica {
            table,
            broker,
            acks,
            store: Store::default(),
            seen: Windows::default(),
            dedup: true,
            member: None,
            fixed: false,
        }
    }

    fn apply(
        &mut self,
        cx: &mut Cx,
        event: EventId,
        body: u32,
        record: &crate::model::Record,
        delta: bool,
    ) {
        if self.dedup && !self.seen.insert(event.origin, event.seq) {
            cx.flags |= DUPLICATE_IGNORED;
        } else if delta {
            // A change, not a record: it is added, whatever came before,
            // so only the table of processed events keeps it from counting
            // twice.
            let now = self.store.apply_delta(record);
            let image = cx.keep(Body::Stored { record: now });
            cx.changed(image);
        } else if self.store.apply_if_newer(record) {
            cx.changed(body);
        } else {
            cx.flags |= OLDER_IGNORED;
        }
    }
}

impl Actor for Replica {
    fn on_start(&mut self, cx: &mut Cx) {
        if let Some(mb) = &mut self.member {
            mb.on_start(cx);
        }
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        if let Some(mb) = &mut self.member
            && mb.on_message(cx, m)
        {
            return;
        }
        match m.body {
            Body::Event {
                event,
                record,
                delta,
                poison,
                ..
            } => {
                if poison && !self.fixed {
                    // Nothing applied, nothing recorded as processed.
                    cx.flags |= REJECTED;
                    if self.acks && m.from == self.broker {
                        cx.send(self.broker, Body::Reject { event });
                    }
                    return;
                }
                self.apply(cx, event, m.body_id, &record, delta);
                if self.acks && m.from == self.broker {
                    cx.send(self.broker, Body::Ack { event });
                }
            }
            Body::Request {
                req,
                op:
                    ReqOp::Read { id } | ReqOp::ReadAtLeast { id, .. } | ReqOp::ReadAfterMyWrite { id },
            } => {
                let record = self.store.read(Key {
                    table: self.table,
                    id,
                });
                let answer = Answer::Read {
                    key: record.key,
                    value: record.value,
                    version: record.version,
                    partial: false,
                };
                cx.send(m.from, Body::Answer { req, answer });
            }
            Body::Request { req, op } if op.writes() => {
                cx.refuse(m.from, req, "a replica is a read-only copy");
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        member_timer(
            self,
            cx,
            tag,
            |r| r.member.as_mut(),
            |r, cx, m| {
                r.on_message(cx, m);
            },
        );
    }

    fn on_crash(&mut self) {
        if let Some(mb) = &mut self.member {
            mb.on_crash();
        }
    }

    /// Back from a crash, a log's consumer asks to join its group again.
    fn on_restart(&mut self, cx: &mut Cx) {
        if let Some(mb) = &mut self.member {
            mb.on_restart(cx);
        }
    }

    fn on_fix(&mut self) {
        self.fixed = true;
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }

    fn starting_store(&mut self) -> Option<&mut Store> {
        Some(&mut self.store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_remembers_out_of_order_ids() {
        let mut w = DedupWindow::default();
        assert!(w.insert(2));
        assert!(w.insert(1));
        assert!(!w.insert(2));
        assert!(!w.insert(1));
        assert!(w.insert(4));
        assert!(w.insert(3));
        assert_eq!(w.floor, 4);
        assert_eq!(w.near, 0);
    }

    #[test]
    fn window_handles_stragglers_far_ahead() {
        let mut w = DedupWindow::default();
        assert!(w.insert(200));
        assert!(w.insert(70));
        assert!(!w.insert(200));
        for seq in 1..=199 {
            assert_eq!(w.insert(seq), seq != 70, "{seq}");
        }
        assert_eq!(w.floor, 200);
        assert!(w.far.is_empty() && w.near == 0);
        assert!(!w.insert(150));
    }
}
