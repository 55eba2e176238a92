//! A service that owns one table. It writes and reads only its own store
//! (a database node, or a store of its own), publishes a change event after
//! each committed write when asked to, and can answer a read by composing
//! its own record with answers from other services it calls in parallel.

use std::collections::BTreeMap;

use super::retry::Retries;
use super::{Actor, Cx, Incoming, Store};
use crate::model::{
    Answer, Body, EventId, Key, Micros, NodeIdx, Record, ReqOp, Sym, Value, value_text,
};
use crate::scenario::{ServiceSpec, WriteMode};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

/// How a service is wired, resolved to node indices.
#[derive(Clone, Debug)]
pub struct ServiceWiring {
    pub table: Sym,
    pub database: Option<NodeIdx>,
    pub publish: Option<(NodeIdx, Sym)>,
    /// Resend a publish the broker has not acknowledged after this long;
    /// `None` when the broker does not acknowledge (at-most-once).
    pub publish_retry: Option<Micros>,
    /// Called services, with the id used to name a missing answer.
    pub calls: Vec<(NodeIdx, Sym)>,
    pub call_timeout: Micros,
    /// Ask the called services one read at a time, after the service's
    /// own record is in, rather than all at once.
    pub calls_in_turn: bool,
    /// Write mode outbox: the event commits as an outbox row with the
    /// record, and a CDC connector publishes it; the service never does.
    pub outbox: bool,
    /// Other services' tables read straight from the shared database.
    pub reads: Vec<Sym>,
    /// Record ids whose writes this service refuses.
    pub rejects: Vec<Sym>,
    /// A second table each write also records an entry in (a journal).
    pub ledger: Option<Sym>,
    /// Commit the record and its journal entry together (a unit of work),
    /// or one after the other.
    pub unit_of_work: bool,
    /// Events it reacts to (choreography): topic, value to match, value to write.
    pub reactions: Vec<(Sym, Option<Sym>, Value)>,
    /// Brokers that expect an acknowledgement for each delivery.
    pub acks_to: Vec<NodeIdx>,
}

#[derive(Clone, Debug)]
enum Pending {
    Write {
        asker: Option<(NodeIdx, u32)>,
        /// A change still to write after this one (no unit of work).
        then: Option<(Key, Value)>,
        /// The main record, once written, while the second change is.
        first: Option<Record>,
        /// The event this write reacts to, acknowledged once it is durable.
        event: Option<(NodeIdx, EventId)>,
    },
    Read {
        asker: (NodeIdx, u32),
        id: Sym,
        /// The called services are still to be asked: they are asked in
        /// turn, once the service's own record is in.
        calls_due: bool,
        own: Option<Record>,
        parts: Vec<(NodeIdx, Sym, Option<Answer>)>,
        /// Rows of other services' tables, read from the shared database.
        foreign: Vec<(Sym, Option<Record>)>,
    },
}

#[derive(Clone, Debug)]
pub struct Service {
    w: ServiceWiring,
    /// The table, when the service keeps it itself (durable).
    local: Option<Store>,
    /// Number of the last event published (durable, so ids never repeat).
    last_event: u32,
    /// Number of the last request this service sent (durable for the same reason).
    last_req: u32,
    /// Work waiting for a database or a called service (memory only).
    pending: BTreeMap<u32, Pending>,
    /// Event ids already reacted to, per publisher (durable).
    seen: BTreeMap<NodeIdx, super::DedupWindow>,
    /// Events published and not yet acknowledged by the broker. Memory
    /// only: a crash between commit and publish loses the event, which is
    /// exactly the dual-write problem the outbox exists to solve.
    unpublished: Option<Retries<u32>>,
}

/// The value of the event a service publishes when it refuses a write.
pub const REJECTED: &str = "rejected";

/// Timer tag of the publish resend check; read timeouts use request numbers.
const PUBLISH_TAG: u64 = 1 << 40;

impl Service {
    /// A service as its settings describe it. Names are interned in a
    /// fixed order, so a scenario always gives the same symbols.
    pub fn build(spec: &ServiceSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let publish = match &spec.publish {
            Some(p) => Some((w.find(&p.broker)?, w.intern(&p.topic))),
            None => None,
        };
        let calls = spec
            .calls
            .iter()
            .map(|c| Ok((w.find(c)?, w.intern(c))))
            .collect::<Result<Vec<_>, BuildError>>()?;
        let publish_retry = spec.publish.as_ref().and_then(|p| w.ack_timeout(&p.broker));
        let reads = spec.reads.iter().map(|t| w.intern(t)).collect();
        let rejects = spec.rejects.iter().map(|t| w.intern(t)).collect();
        let ledger = spec.ledger.as_deref().map(|t| w.intern(t));
        let reactions = spec
            .on
            .iter()
            .map(|r| {
                let when = r.when.as_deref().map(|v| w.intern(v));
                let topic = w.intern(&r.topic);
                (topic, when, Value::Text(w.intern(&r.write)))
            })
            .collect();
        let acks_to = spec
            .on
            .iter()
            .filter(|r| w.ack_timeout(&r.broker).is_some())
            .filter_map(|r| w.find(&r.broker).ok())
            .collect();
        Ok(Service::new(ServiceWiring {
            outbox: spec.write == WriteMode::Outbox,
            reads,
            rejects,
            ledger,
            unit_of_work: spec.unit_of_work,
            reactions,
            acks_to,
            publish_retry,
            table: w.intern(&spec.table),
            database: spec.database.as_deref().map(|d| w.find(d)).transpose()?,
            publish,
            calls,
            call_timeout: spec.call_timeout.0,
            calls_in_turn: spec.calls_in_turn,
        }))
    }

    pub fn new(w: ServiceWiring) -> Self {
        let local = w.database.is_none().then(Store::default);
        let unpublished = w.publish_retry.map(|t| Retries::new(t, PUBLISH_TAG));
        Service {
            w,
            local,
            last_event: 0,
            last_req: 0,
            pending: BTreeMap::new(),
            seen: BTreeMap::new(),
            unpublished,
        }
    }

    fn next_req(&mut self) -> u32 {
        self.last_req += 1;
        self.last_req
    }

    /// Marks an event handled and acknowledges it to its broker.
    fn reacted(&mut self, cx: &mut Cx, event: Option<(NodeIdx, EventId)>) {
        let Some((broker, event)) = event else { return };
        self.seen.entry(event.origin).or_default().insert(event.seq);
        if self.w.acks_to.contains(&broker) {
            cx.send(broker, Body::Ack { event });
        }
    }

    fn write(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        id: Sym,
        value: Value,
        event: Option<(NodeIdx, EventId)>,
    ) {
        if self.w.rejects.contains(&id) {
            // In a choreography the others learn of the refusal by event.
            let refusal = Record {
                key: Key {
                    table: self.w.table,
                    id,
                },
                value: Value::Text(cx.names.intern(REJECTED)),
                version: crate::model::Version::NONE,
            };
            if let Some(event) = self.event(cx, refusal) {
                self.send_event(cx, event);
            }
            self.reacted(cx, event);
            if let Some((to, req)) = asker {
                let reason = cx.names.intern("rejected by the service's rules");
                cx.send(
                    to,
                    Body::Answer {
                        req,
                        answer: Answer::Refused { reason },
                    },
                );
            }
            return;
        }
        let key = Key {
            table: self.w.table,
            id,
        };
        if let Some(db) = self.w.database {
            let req = self.next_req();
            let entry = self.w.ledger.map(|t| (Key { table: t, id }, value));
            let (also, then) = if self.w.unit_of_work {
                (entry, None)
            } else {
                (None, entry)
            };
            self.pending.insert(
                req,
                Pending::Write {
                    asker,
                    then,
                    first: None,
                    event,
                },
            );
            let outbox = if self.w.outbox {
                self.w.publish.map(|(_, topic)| topic)
            } else {
                None
            };
            cx.send(
                db,
                Body::DbWrite {
                    req,
                    key,
                    value,
                    outbox,
                    also,
                },
            );
        } else if let Some(store) = self.local.as_mut() {
            let record = store.commit(key, value, cx.now, cx.me);
            self.committed(cx, asker, record, Some(()));
            self.reacted(cx, event);
        }
    }

    /// A write is durable: publish its event, then tell whoever asked.
    /// `local` is set when the change happened in this node's own store
    /// (then this node records the change; otherwise the database did).
    /// The event announcing `record`, if this service publishes: (broker,
    /// event number, body). With an outbox the event is already committed
    /// as a row, and the relay sends it instead.
    fn event(&mut self, cx: &mut Cx, record: Record) -> Option<(NodeIdx, u32, u32)> {
        let (broker, topic) = if self.w.outbox { None } else { self.w.publish }?;
        self.last_event += 1;
        let event = EventId {
            origin: cx.me,
            seq: self.last_event,
        };
        Some((
            broker,
            event.seq,
            cx.keep(Body::Event {
                event,
                topic,
                record,
            }),
        ))
    }

    fn send_event(&mut self, cx: &mut Cx, (broker, seq, body): (NodeIdx, u32, u32)) {
        match &mut self.unpublished {
            Some(r) => r.send(cx, seq, broker, body),
            None => cx.forward(broker, body),
        }
    }

    fn committed(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        record: Record,
        local: Option<()>,
    ) {
        let event_body = self.event(cx, record);
        if local.is_some() {
            let image = match event_body {
                Some((_, _, body)) => body,
                None => cx.keep(Body::Stored { record }),
            };
            cx.changed(image);
        }
        if let Some(event) = event_body {
            self.send_event(cx, event);
        }
        if let Some((to, req)) = asker {
            cx.send(
                to,
                Body::Answer {
                    req,
                    answer: Answer::Written {
                        key: record.key,
                        version: record.version,
                    },
                },
            );
        }
    }

    fn read(&mut self, cx: &mut Cx, asker: (NodeIdx, u32), id: Sym) {
        let key = Key {
            table: self.w.table,
            id,
        };
        let req = self.next_req();
        let own = self.local.as_ref().map(|s| s.read(key));
        if let (None, Some(db)) = (own, self.w.database) {
            cx.send(db, Body::DbRead { req, key });
            for &table in &self.w.reads {
                cx.send(
                    db,
                    Body::DbRead {
                        req,
                        key: Key { table, id },
                    },
                );
            }
        }
        let foreign = self.w.reads.iter().map(|&t| (t, None)).collect();
        let parts = self
            .w
            .calls
            .iter()
            .map(|&(c, name)| (c, name, None))
            .collect();
        let calls_due = self.w.calls_in_turn && own.is_none();
        if !calls_due {
            self.ask_calls(cx, req, id);
        }
        self.pending.insert(
            req,
            Pending::Read {
                asker,
                id,
                calls_due,
                own,
                parts,
                foreign,
            },
        );
        self.maybe_answer(cx, req, false);
    }

    /// Asks every called service for `id`, under the read's own number so
    /// their answers find it, and starts waiting for them.
    fn ask_calls(&mut self, cx: &mut Cx, req: u32, id: Sym) {
        for &(callee, _) in &self.w.calls {
            cx.send(
                callee,
                Body::Request {
                    req,
                    op: ReqOp::Read { id },
                },
            );
        }
        if !self.w.calls.is_empty() {
            cx.timer(self.w.call_timeout, u64::from(req));
        }
    }

    /// Answers a read once every part is in, or on timeout with what is in.
    fn maybe_answer(&mut self, cx: &mut Cx, req: u32, timed_out: bool) {
        let Some(Pending::Read {
            own,
            parts,
            foreign,
            ..
        }) = self.pending.get(&req)
        else {
            return;
        };
        let complete = own.is_some()
            && parts.iter().all(|p| p.2.is_some())
            && foreign.iter().all(|f| f.1.is_some());
        if !complete && !timed_out {
            return;
        }
        let Some(Pending::Read {
            asker,
            id,
            own,
            parts,
            foreign,
            ..
        }) = self.pending.remove(&req)
        else {
            return;
        };
        let own = own.unwrap_or(Record {
            key: Key {
                table: self.w.table,
                id,
            },
            value: Value::Absent,
            version: crate::model::Version::NONE,
        });
        let answer = if parts.is_empty() && foreign.is_empty() {
            Answer::Read {
                key: own.key,
                value: own.value,
                version: own.version,
                partial: !complete,
            }
        } else {
            let text = compose(cx, &own, &parts, &foreign);
            let value = Value::Text(cx.names.intern(&text));
            Answer::Read {
                key: own.key,
                value,
                version: own.version,
                partial: !complete,
            }
        };
        cx.send(
            asker.0,
            Body::Answer {
                req: asker.1,
                answer,
            },
        );
    }
}

impl Actor for Service {
    /// Work the workload asks of this service itself.
    fn on_work(&mut self, cx: &mut Cx, _to: NodeIdx, op: ReqOp) {
        if let ReqOp::Write { id, value } = op {
            self.write(cx, None, id, value, None);
        }
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op: ReqOp::Write { id, value },
            } => {
                self.write(cx, Some((m.from, req)), id, value, None);
            }
            Body::Request {
                req,
                op: ReqOp::Read { id },
            } => self.read(cx, (m.from, req), id),
            Body::DbWritten { req, record } => match self.pending.remove(&req) {
                // Written one change at a time: now the next. A crash here
                // leaves the first change without the second.
                Some(Pending::Write {
                    asker,
                    then: Some((key, value)),
                    event,
                    ..
                }) => {
                    if let Some(db) = self.w.database {
                        let next = self.next_req();
                        self.pending.insert(
                            next,
                            Pending::Write {
                                asker,
                                then: None,
                                first: Some(record),
                                event,
                            },
                        );
                        cx.send(
                            db,
                            Body::DbWrite {
                                req: next,
                                key,
                                value,
                                outbox: None,
                                also: None,
                            },
                        );
                    }
                }
                Some(Pending::Write {
                    asker,
                    then: None,
                    first,
                    event,
                }) => {
                    self.committed(cx, asker, first.unwrap_or(record), None);
                    self.reacted(cx, event);
                }
                _ => {}
            },
            Body::Event {
                event,
                topic,
                record,
            } => {
                // Reactions run once per event, however often it arrives.
                if self
                    .seen
                    .get(&event.origin)
                    .is_some_and(|w| w.contains(event.seq))
                {
                    cx.flags |= crate::model::deliver_flags::DUPLICATE_IGNORED;
                    if self.w.acks_to.contains(&m.from) {
                        cx.send(m.from, Body::Ack { event });
                    }
                    return;
                }
                let matching: Vec<Value> = self
                    .w
                    .reactions
                    .iter()
                    .filter(|(t, when, _)| {
                        *t == topic && when.is_none_or(|w| record.value == Value::Text(w))
                    })
                    .map(|r| r.2)
                    .collect();
                // The event counts as handled (and is acknowledged) only
                // once the last write it causes is durable.
                let done = Some((m.from, event));
                if matching.is_empty() {
                    self.reacted(cx, done);
                }
                let last = matching.len().saturating_sub(1);
                for (k, value) in matching.into_iter().enumerate() {
                    self.write(
                        cx,
                        None,
                        record.key.id,
                        value,
                        if k == last { done } else { None },
                    );
                }
            }
            Body::Ack { event } => {
                if let Some(r) = &mut self.unpublished {
                    r.ack(&event.seq);
                }
            }
            Body::DbResult { req, record } => {
                let mut ask = None;
                if let Some(Pending::Read {
                    own,
                    foreign,
                    calls_due,
                    id,
                    ..
                }) = self.pending.get_mut(&req)
                {
                    if record.key.table == self.w.table {
                        *own = Some(record);
                        if std::mem::take(calls_due) {
                            ask = Some(*id);
                        }
                    } else if let Some(slot) = foreign.iter_mut().find(|f| f.0 == record.key.table)
                    {
                        slot.1 = Some(record);
                    }
                }
                if let Some(id) = ask {
                    self.ask_calls(cx, req, id);
                }
                self.maybe_answer(cx, req, false);
            }
            Body::Answer { req, answer } => {
                if let Some(Pending::Read { parts, .. }) = self.pending.get_mut(&req)
                    && let Some(part) = parts.iter_mut().find(|p| p.0 == m.from)
                {
                    part.2 = Some(answer);
                }
                self.maybe_answer(cx, req, false);
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        if tag == PUBLISH_TAG {
            if let Some(r) = &mut self.unpublished {
                r.on_timer(cx);
            }
            return;
        }
        let req = u32::try_from(tag).unwrap_or(u32::MAX);
        self.maybe_answer(cx, req, true);
    }

    fn on_crash(&mut self) {
        self.pending.clear();
        if let Some(r) = &mut self.unpublished {
            r.clear();
        }
    }

    fn store(&self) -> Option<&Store> {
        self.local.as_ref()
    }
}

/// The merged answer of a composed read, as one line of text.
fn compose(
    cx: &mut Cx,
    own: &Record,
    parts: &[(NodeIdx, Sym, Option<Answer>)],
    foreign: &[(Sym, Option<Record>)],
) -> String {
    let names = &*cx.names;
    let mut text = format!(
        "{}: {}",
        names.get(own.key.table),
        value_text(names, own.value)
    );
    for (_, callee, part) in parts {
        let callee = names.get(*callee);
        text.push_str(" | ");
        match part {
            Some(Answer::Read { key, value, .. }) => {
                text.push_str(&format!(
                    "{}: {}",
                    names.get(key.table),
                    value_text(names, *value)
                ));
            }
            Some(_) => text.push_str(&format!("{callee}: no data")),
            None => text.push_str(&format!("{callee}: no answer (timed out)")),
        }
    }
    for (table, row) in foreign {
        let value = row.map_or("no answer".to_string(), |r| value_text(names, r.value));
        text.push_str(&format!(
            " | {} (read from its owner's table): {value}",
            names.get(*table)
        ));
    }
    text
}
