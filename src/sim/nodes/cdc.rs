//! A change-data-capture connector. It polls a database's change log from
//! the offset it has saved, publishes each row that is an outbox entry (and,
//! with a topic set, every other change) to a broker, and saves the offset
//! once the broker has acknowledged everything before it. A crash loses only
//! what it held in memory: on restart it reads again from the saved offset,
//! so rows may be published twice (subscribers drop the duplicates) but
//! never lost.
//!
//! Capturing a table instead (raw change data capture), it publishes each
//! committed change of that table's rows on its topic, the row's columns
//! as the owner's table has them, and nothing else: the table's shape is
//! then what its consumers read. Where Debezium's change event carries
//! the row before and after the change and an operation (create, update,
//! delete), Settle's carries the row after it; the version (1 for a new
//! row) and an absent value (a delete) tell the operation.

use std::collections::{BTreeMap, BTreeSet};

use super::retry::Retries;
use super::{Actor, Cx, Incoming};
use crate::scenario::CdcSpec;
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

use crate::model::{Body, EventId, Micros, NodeIdx, Record, Sym};

/// Timer tag of the poll; resend checks use tag 1.
const POLL_TAG: u64 = 0;
const RESEND_TAG: u64 = 1;

/// How a connector is wired, resolved to node indices.
#[derive(Clone, Debug)]
pub struct CdcWiring {
    pub database: NodeIdx,
    pub broker: NodeIdx,
    pub topic: Option<Sym>,
    pub poll: Micros,
    /// Publish every change of this table on `topic`, and no outbox row.
    pub table: Option<Sym>,
    /// Resend unacknowledged publishes after this long; `None` when the
    /// broker does not acknowledge.
    pub publish_retry: Option<Micros>,
}

#[derive(Clone, Debug)]
pub struct Cdc {
    w: CdcWiring,
    /// Next offset to publish from after a restart (durable).
    saved: u32,
    /// Published and acknowledged offsets above `saved` (durable).
    done: BTreeSet<u32>,
    /// Next offset to read (memory only).
    next: u32,
    /// Rows that arrived ahead of `next` (memory only).
    early: BTreeMap<u32, (Record, Outbox)>,
    /// Publishes waiting for the broker's acknowledgement (memory only).
    unacked: Option<Retries<u32>>,
}

/// A log row's outbox topic and, when the owner mapped it, its payload.
type Outbox = (Option<Sym>, Option<Sym>);

impl Cdc {
    pub fn build(spec: &CdcSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let broker = w.find(&spec.broker)?;
        let publish_retry = w.ack_timeout(&spec.broker);
        let database = w.find(&spec.database)?;
        let topic = spec.topic.as_deref().map(|t| w.intern(t));
        Ok(Cdc::new(CdcWiring {
            database,
            broker,
            topic,
            poll: spec.poll.0.max(1),
            table: spec.capture.table().map(|t| w.intern(t)),
            publish_retry,
        }))
    }

    pub fn new(w: CdcWiring) -> Self {
        let unacked = w.publish_retry.map(|t| Retries::new(t, RESEND_TAG));
        Cdc {
            w,
            saved: 0,
            done: BTreeSet::new(),
            next: 0,
            early: BTreeMap::new(),
            unacked,
        }
    }

    /// The offset it would resume from.
    pub fn saved_offset(&self) -> u32 {
        self.saved
    }

    /// The topic a log row goes out on, and the record it carries; `None`
    /// when the row is not for publishing.
    fn route(&self, record: Record, (outbox, payload): Outbox) -> Option<(Sym, Record)> {
        if let Some(table) = self.w.table {
            return (record.key.table == table)
                .then_some(self.w.topic)
                .flatten()
                .map(|t| (t, record));
        }
        let record = match payload {
            Some(text) => Record {
                value: crate::model::Value::Text(text),
                ..record
            },
            None => record,
        };
        Some((outbox.or(self.w.topic)?, record))
    }

    fn publish(&mut self, cx: &mut Cx, offset: u32, record: Record, outbox: Outbox) {
        let Some((topic, record)) = self.route(record, outbox) else {
            // Not for publishing: done as soon as it is read.
            self.finished(offset);
            return;
        };
        // The event's id is this connector and the row's place in the log,
        // so a row published again after a restart carries the same id and
        // is recognised, and two connectors on one log never clash.
        let event = EventId {
            origin: cx.me,
            seq: offset + 1,
        };
        let body = cx.keep(Body::Event {
            event,
            topic,
            record,
            delta: false,
            poison: false,
        });
        match &mut self.unacked {
            Some(r) => r.send(cx, event.seq, self.w.broker, body),
            None => {
                cx.forward(self.w.broker, body);
                self.finished(offset);
            }
        }
    }

    /// Marks an offset handled and moves the saved offset past every
    /// handled one in a row.
    fn finished(&mut self, offset: u32) {
        if offset >= self.saved {
            self.done.insert(offset);
        }
        while self.done.remove(&self.saved) {
            self.saved += 1;
        }
    }
}

impl Actor for Cdc {
    fn on_start(&mut self, cx: &mut Cx) {
        cx.timer(self.w.poll, POLL_TAG);
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        if tag == RESEND_TAG {
            if let Some(r) = &mut self.unacked {
                r.on_timer(cx);
            }
            return;
        }
        cx.send(self.w.database, Body::LogPoll { from: self.next });
        cx.timer(self.w.poll, POLL_TAG);
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::LogEntry {
                offset,
                record,
                outbox,
                payload,
            } if m.from == self.w.database => {
                if offset >= self.next {
                    self.early.insert(offset, (record, (outbox, payload)));
                }
                while let Some((record, outbox)) = self.early.remove(&self.next) {
                    let offset = self.next;
                    self.next += 1;
                    self.publish(cx, offset, record, outbox);
                }
            }
            Body::Ack { event } if m.from == self.w.broker => {
                if let Some(r) = &mut self.unacked {
                    r.ack(&event.seq);
                }
                self.finished(event.seq.saturating_sub(1));
            }
            _ => {}
        }
    }

    fn on_crash(&mut self) {
        self.next = self.saved;
        self.early.clear();
        if let Some(r) = &mut self.unacked {
            r.clear();
        }
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        cx.timer(self.w.poll, POLL_TAG);
    }
}
