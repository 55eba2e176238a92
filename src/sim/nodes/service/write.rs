//! A service's writes: applying one to its own store or its database,
//! the version conflict a stale write meets, and the event and answer a
//! committed write sends. Kept apart from the message handling in
//! `mod.rs`, which only routes requests here.

use super::*;

impl Service {
    /// How a plain write of `value` applies to this service's table.
    pub(super) fn plain(&self) -> WriteKind {
        if self.w.change_events {
            WriteKind::Add
        } else {
            WriteKind::Set
        }
    }

    pub(super) fn write(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        id: Sym,
        (value, mode): (Value, WriteKind),
        event: Option<(NodeIdx, EventId)>,
        (poison, idem): (bool, Option<IdemKey>),
    ) {
        if self.done_before(cx, asker, idem) {
            return;
        }
        if let Some((from, req)) = asker
            && self.locks.get(&id).is_some_and(|&holder| holder != from)
        {
            // A semantic lock: a saga still running holds this record.
            let reason = cx
                .names
                .intern("held by a saga still running (pending); try again when it ends");
            cx.send(
                from,
                Body::Answer {
                    req,
                    answer: Answer::Refused { reason },
                },
            );
            return;
        }
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
            let refusal = (refusal, None);
            if let Some(event) = self.event(cx, refusal, false) {
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
        // The holder's own writes take, keep or release its lock.
        if let Some((from, _)) = asker {
            let pending = matches!(value, Value::Text(t) if cx.names.get(t).ends_with(PENDING));
            if pending {
                self.locks.insert(id, from);
            } else {
                self.locks.remove(&id);
            }
        }
        let key = Key {
            table: self.w.table,
            id,
        };
        let change = (mode == WriteKind::Add).then_some(value);
        let (value, payload) = self.row_shape(cx, value);
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
                    change,
                    poison,
                },
            );
            let outbox = if self.w.outbox {
                self.w.publish.map(|(_, topic)| topic)
            } else {
                None
            };
            let payload = payload.filter(|_| outbox.is_some());
            cx.send(
                db,
                Body::DbWrite {
                    req,
                    key,
                    value,
                    outbox,
                    also,
                    mode,
                    idem,
                    payload,
                },
            );
        } else if let Some(store) = self.local.as_mut() {
            let current = store.read(key).version;
            let record = match mode {
                WriteKind::Based { read, check: true } if read != current.counter => {
                    cx.flags |= VERSION_CONFLICT;
                    self.conflict(cx, asker, key, read, current);
                    self.reacted(cx, event);
                    return;
                }
                WriteKind::Based { read, .. } => {
                    if read != current.counter {
                        cx.flags |= LOST_UPDATE;
                    }
                    store.commit(key, value, cx.now, cx.me)
                }
                WriteKind::Add => {
                    let amount = if let Value::Int(n) = value { n } else { 0 };
                    store.commit_add(key, amount, cx.now, cx.me)
                }
                WriteKind::Set => store.commit(key, value, cx.now, cx.me),
            };
            if let Some(k) = idem {
                let (key, version) = (record.key, record.version);
                self.keys.insert(k, Answer::Written { key, version });
            }
            self.committed(cx, asker, (record, change), Some(()), poison);
            self.reacted(cx, event);
        }
    }

    /// Tells the writer its versioned write was refused, and why.
    pub(super) fn conflict(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        key: Key,
        read: u32,
        now: crate::model::Version,
    ) {
        if let Some((to, req)) = asker {
            cx.send(
                to,
                Body::Answer {
                    req,
                    answer: Answer::Conflict { key, read, now },
                },
            );
        }
    }

    /// A write is durable: publish its event, then tell whoever asked.
    /// `local` is set when the change happened in this node's own store
    /// (then this node records the change; otherwise the database did).
    /// The event announcing `record`, if this service publishes: (broker,
    /// event number, body). With an outbox the event is already committed
    /// as a row, and the relay sends it instead.
    pub(super) fn event(
        &mut self,
        cx: &mut Cx,
        (record, change): (Record, Option<Value>),
        poison: bool,
    ) -> Option<(NodeIdx, u32, u32)> {
        let (broker, topic) = if self.w.outbox { None } else { self.w.publish }?;
        let value = match change {
            Some(c) => c,
            None => self.event_shape(cx, record.value),
        };
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
                record: Record { value, ..record },
                delta: change.is_some(),
                poison,
            }),
        ))
    }

    pub(super) fn send_event(&mut self, cx: &mut Cx, (broker, seq, body): (NodeIdx, u32, u32)) {
        match &mut self.unpublished {
            Some(r) => r.send(cx, seq, broker, body),
            None => cx.forward(broker, body),
        }
    }

    pub(super) fn committed(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        (record, change): (Record, Option<Value>),
        local: Option<()>,
        poison: bool,
    ) {
        let event_body = self.event(cx, (record, change), poison);
        if local.is_some() {
            // The event's record is the new image, unless it carries only
            // the change or the owner's mapping of a renamed column.
            let image = match event_body {
                Some((_, _, body)) if change.is_none() && self.w.renames.is_empty() => body,
                _ => cx.keep(Body::Stored { record }),
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
}
