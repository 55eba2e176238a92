//! A service that owns one table. It writes and reads only its own store
//! (a database node, or a store of its own), publishes a change event after
//! each committed write when asked to, and can answer a read by composing
//! its own record with answers from other services it calls in parallel.
//! A write that carries an idempotency key is done once: the key is stored
//! with the write, and a retry gets the first answer back.

use std::collections::BTreeMap;

mod keys;
mod prepared;
mod read;
mod schema;
mod write;

use super::log::member::{Member, member_timer};
use super::retry::Retries;
use super::{Actor, Cx, Incoming, Store};
use crate::model::WriteKind;
use crate::model::deliver_flags::{LOST_UPDATE, VERSION_CONFLICT};
use crate::model::{
    Answer, Body, EventId, IdemKey, Key, Micros, NodeIdx, Record, ReqOp, Sym, Value,
};
use crate::scenario::{EventShape, PENDING, ServiceSpec, WriteMode};
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
    /// Events carry the change (each write adds its value), not the record.
    pub change_events: bool,
    /// Columns of its table renamed at a moment (schema changes).
    pub renames: Vec<schema::Rename>,
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
        /// The amount added, when events carry changes.
        change: Option<Value>,
        /// Its event is a poison message (consumers reject it).
        poison: bool,
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
    /// Records marked pending by a saga still running (semantic locks):
    /// only the node that marked one may write it (durable).
    locks: BTreeMap<Sym, NodeIdx>,
    /// Events published and not yet acknowledged by the broker. Memory
    /// only: a crash between commit and publish loses the event, which is
    /// exactly the dual-write problem the outbox exists to solve.
    unpublished: Option<Retries<u32>>,
    /// Idempotency keys of the writes to its own store, with the answer
    /// each got (durable: stored in the write's commit). With a database
    /// the database keeps them, in the write's transaction.
    keys: BTreeMap<IdemKey, Answer>,
    /// Reacting to events of a partitioned log: the member that pulls
    /// from it (the first log its reactions name).
    member: Option<Member>,
    /// Its part in two-phase commit, when a coordinator names it.
    participant: Option<prepared::Participant>,
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
        let member = match spec.on.iter().find(|r| w.is_log(&r.broker)) {
            Some(r) => Member::build(w, &r.broker)?,
            None => None,
        };
        let acks_to = spec
            .on
            .iter()
            .filter(|r| !w.is_log(&r.broker) && w.ack_timeout(&r.broker).is_some())
            .filter_map(|r| w.find(&r.broker).ok())
            .collect();
        let mut service = Service::new(ServiceWiring {
            change_events: spec.events == EventShape::Change,
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
            renames: Vec::new(),
        });
        service.member = member;
        service.w.renames = schema::renames(w, &spec.table);
        // Only a service some coordinator names holds prepared changes:
        // its lock table is named (and interned) for no other.
        let named = w
            .scenario
            .nodes
            .iter()
            .any(|n| n.kind.participants().contains(&w.my_id));
        if named {
            let table = w.intern(&crate::scenario::lock_table(w.my_id));
            service.participant = Some(prepared::Participant::new(table));
        }
        Ok(service)
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
            locks: BTreeMap::new(),
            unpublished,
            keys: BTreeMap::new(),
            member: None,
            participant: None,
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
}

impl Actor for Service {
    /// Work the workload asks of this service itself.
    fn on_work(&mut self, cx: &mut Cx, _to: NodeIdx, op: ReqOp) {
        if let ReqOp::Write { id, value, poison } = op {
            let mode = self.plain();
            self.write(cx, None, id, (value, mode), None, (poison, None));
        }
    }

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
            Body::KeyedRequest { req, op, key } => {
                let idem = IdemKey {
                    client: m.from,
                    n: key,
                };
                if !self.wait_for_lock(cx, (m.from, req), op, Some(idem)) {
                    self.request(cx, (m.from, req), op, Some(idem));
                }
            }
            // A record locked by a prepared change: the request waits.
            Body::Request { req, op } if self.wait_for_lock(cx, (m.from, req), op, None) => {}
            Body::Request {
                req,
                op: ReqOp::Prepare { id, value },
            } => self.prepare(cx, (m.from, req), id, value),
            Body::Request {
                req,
                op: ReqOp::Decide { id, commit },
            } => self.decide(cx, (m.from, req), id, commit),
            Body::Request {
                req,
                op: op @ (ReqOp::Write { .. } | ReqOp::WriteBased { .. }),
            } => self.request(cx, (m.from, req), op, None),
            Body::Request {
                req,
                op: ReqOp::Edit { .. },
            } => {
                let reason = cx
                    .names
                    .intern("an edit is made by a client, which writes the result");
                cx.send(
                    m.from,
                    Body::Answer {
                        req,
                        answer: Answer::Refused { reason },
                    },
                );
            }
            // The owner's own table is never behind its writes.
            Body::Request {
                req,
                op:
                    ReqOp::Read { id } | ReqOp::ReadAtLeast { id, .. } | ReqOp::ReadAfterMyWrite { id },
            } => self.read(cx, (m.from, req), id),
            Body::DbConflict { req, read, current } => {
                if let Some(Pending::Write { asker, event, .. }) = self.pending.remove(&req) {
                    self.conflict(cx, asker, current.key, read, current.version);
                    self.reacted(cx, event);
                }
            }
            Body::DbWritten {
                req,
                record,
                replay: true,
            } => self.replayed(cx, req, record),
            Body::DbWritten { req, record, .. } => match self.pending.remove(&req) {
                // Written one change at a time: now the next. A crash here
                // leaves the first change without the second.
                Some(Pending::Write {
                    asker,
                    then: Some((key, value)),
                    event,
                    change,
                    poison,
                    ..
                }) => {
                    if let Some(db) = self.w.database {
                        let next = self.next_req();
                        if let Some(p) = &mut self.participant {
                            p.carry_commit(req, next);
                        }
                        self.pending.insert(
                            next,
                            Pending::Write {
                                asker,
                                then: None,
                                first: Some(record),
                                event,
                                change,
                                poison,
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
                                mode: WriteKind::Set,
                                idem: None,
                                payload: None,
                            },
                        );
                    }
                }
                Some(Pending::Write {
                    asker,
                    then: None,
                    first,
                    event,
                    change,
                    poison,
                }) => {
                    let image = (first.unwrap_or(record), change);
                    self.committed(cx, asker, image, None, poison);
                    self.reacted(cx, event);
                    self.commit_durable(cx, req);
                }
                _ => {}
            },
            Body::Event {
                event,
                topic,
                record,
                ..
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
                        (value, WriteKind::Set),
                        if k == last { done } else { None },
                        (false, None),
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
        if member_timer(
            self,
            cx,
            tag,
            |s| s.member.as_mut(),
            |s, cx, m| {
                s.on_message(cx, m);
            },
        ) {
            return;
        }
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
        if let Some(p) = &mut self.participant {
            p.on_crash();
        }
        if let Some(r) = &mut self.unpublished {
            r.clear();
        }
        if let Some(mb) = &mut self.member {
            mb.on_crash();
        }
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        if let Some(mb) = &mut self.member {
            mb.on_restart(cx);
        }
    }

    fn store(&self) -> Option<&Store> {
        self.local.as_ref()
    }

    fn starting_store(&mut self) -> Option<&mut Store> {
        self.local.as_mut()
    }
}
