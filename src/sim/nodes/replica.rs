//! A replica: a service that keeps its own copy of another service's table,
//! fed by events from a broker. It is an idempotent consumer: it remembers
//! which event ids it has applied and never lets an older version replace a
//! newer one, so redeliveries and reordering leave its copy right.

use std::collections::{BTreeMap, BTreeSet};

use super::{Cx, Incoming, Store};
use crate::sim::model::{Answer, Body, EventId, Key, NodeIdx, ReqOp, Sym};
use crate::trace::deliver_flags::{DUPLICATE_IGNORED, OLDER_IGNORED};

/// Which event numbers of one publisher have been applied: everything up to
/// `floor`, plus the few seen above it (events arrive out of order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DedupWindow {
    floor: u32,
    above: BTreeSet<u32>,
}

impl DedupWindow {
    /// Marks `seq` seen; returns false if it had been seen already.
    pub fn insert(&mut self, seq: u32) -> bool {
        if seq <= self.floor || !self.above.insert(seq) {
            return false;
        }
        while self.above.first() == Some(&(self.floor + 1)) {
            self.floor += 1;
            self.above.pop_first();
        }
        true
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
    seen: BTreeMap<NodeIdx, DedupWindow>,
}

impl Replica {
    pub fn new(table: Sym, broker: NodeIdx, acks: bool) -> Self {
        Replica {
            table,
            broker,
            acks,
            store: Store::default(),
            seen: BTreeMap::new(),
        }
    }

    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Event { event, record, .. } => {
                self.apply(cx, event, m.body_id, &record);
                if self.acks && m.from == self.broker {
                    cx.send(self.broker, Body::Ack { event });
                }
            }
            Body::Request {
                req,
                op: ReqOp::Read { id },
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
            Body::Request {
                req,
                op: ReqOp::Write { .. },
            } => {
                let reason = cx.names.intern("a replica is a read-only copy");
                cx.send(
                    m.from,
                    Body::Answer {
                        req,
                        answer: Answer::Refused { reason },
                    },
                );
            }
            _ => {}
        }
    }

    fn apply(
        &mut self,
        cx: &mut Cx,
        event: EventId,
        body: u32,
        record: &crate::sim::model::Record,
    ) {
        if !self.seen.entry(event.origin).or_default().insert(event.seq) {
            cx.flags |= DUPLICATE_IGNORED;
        } else if self.store.apply_if_newer(record) {
            cx.changed(body);
        } else {
            cx.flags |= OLDER_IGNORED;
        }
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
        assert!(w.above.is_empty());
    }
}
