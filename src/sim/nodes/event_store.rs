//! An event store: one append-only stream of events per record (an
//! aggregate), written by event-sourced services. An append that was based
//! on a read carries the stream version its writer expects; when another
//! append came first, it is refused as a conflict and nothing is written
//! (optimistic concurrency, as a database's versioned write in lesson 06b).
//! The record's state is the fold of its stream: each event's fields
//! overlay the state before it (`status=paid` changes only the status), an
//! added amount adds. Every appended event goes, in append order, to the
//! subscribers of the topic named after its table (a projection), with its
//! position in the store as its number.
//!
//! Settle folds a stream where it is kept and answers a read with the
//! fold; a real service reads the stream's events and folds them itself.

use super::committed::Committed;
use super::{Actor, Cx, Incoming, Store, Subscription};
use crate::model::deliver_flags::VERSION_CONFLICT;
use crate::model::fields::set_fields;
use crate::model::{Body, EventId, Key, NodeIdx, Record, Sym, Value, WriteKind, value_text};
use crate::scenario::{EventStoreSpec, event_row, event_table, snapshot_table};
use crate::sim::wiring::Wiring;

#[derive(Clone, Debug)]
pub struct EventStore {
    /// Each stream's folded state (its version counter is the stream's
    /// length) and each event as a row of the events table (durable).
    store: Store,
    /// The table the events are shown in.
    events: Sym,
    /// Snapshots: every how many events of a stream, and their table.
    snapshots: Option<(u32, Sym)>,
    /// Every event in append order: its body, kept in the trace (durable;
    /// its index is the event's position).
    log: Vec<u32>,
    /// Who subscribes to each table's events.
    subscriptions: Vec<Subscription>,
    /// The appends done (durable), so a duplicate or a retry with an
    /// idempotency key appends once; the record kept for a key is the
    /// state its append made.
    committed: Committed,
}

impl EventStore {
    pub fn build(spec: &EventStoreSpec, w: &mut Wiring) -> Self {
        let events = w.intern(&event_table(w.my_id));
        let snapshots = spec
            .snapshot_every
            .map(|n| (n.max(1), w.intern(&snapshot_table(w.my_id))));
        EventStore {
            store: Store::default(),
            events,
            snapshots,
            log: Vec::new(),
            subscriptions: w.subscriptions.remove(&w.me).unwrap_or_default(),
            committed: Committed::default(),
        }
    }

    /// How many events the store holds, over all streams.
    pub fn len(&self) -> usize {
        self.log.len()
    }

    /// Whether it holds no event yet.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Appends `value` to the stream of `key` and answers `req` of `from`.
    fn append(
        &mut self,
        cx: &mut Cx,
        from: NodeIdx,
        req: u32,
        key: Key,
        value: Value,
        mode: WriteKind,
    ) -> Record {
        let before = self.store.read(key);
        let state = fold(cx, before.value, value, mode);
        let folded = self.store.commit(key, state, cx.now, cx.me);
        let n = folded.version.counter;
        let row_id = event_row(cx.names.get(key.id), n);
        let row = Key {
            table: self.events,
            id: cx.names.intern(&row_id),
        };
        let stored = self.store.commit(row, value, cx.now, cx.me);
        let image = cx.keep(Body::Stored { record: stored });
        cx.changed(image);
        if let Some((every, table)) = self.snapshots
            && n.is_multiple_of(every)
        {
            // The fold up to this event, kept so that loading the record
            // replays only the events after it.
            let text = format!("{} (#{n})", value_text(cx.names, state));
            let snap = Value::Text(cx.names.intern(&text));
            let key = Key { table, id: key.id };
            let record = self.store.commit(key, snap, cx.now, cx.me);
            let image = cx.keep(Body::Stored { record });
            cx.changed(image);
        }
        let reply = cx.send(
            from,
            Body::DbWritten {
                req,
                record: folded,
                replay: false,
            },
        );
        cx.changed(reply);
        let event = cx.keep(Body::Event {
            event: EventId {
                origin: cx.me,
                seq: self.log.len() as u32 + 1,
            },
            topic: key.table,
            record: Record {
                key,
                value,
                version: folded.version,
            },
            delta: mode == WriteKind::Add,
            poison: false,
        });
        self.log.push(event);
        for sub in self.subscriptions.iter().filter(|s| s.topic == key.table) {
            for &to in &sub.subscribers {
                cx.forward(to, event);
            }
        }
        folded
    }
}

/// The state after `event`, from the state before it: an added amount
/// adds; fields (`name=value` pairs) overlay the fields before; any other
/// value replaces the state.
fn fold(cx: &mut Cx, before: Value, event: Value, mode: WriteKind) -> Value {
    match (mode, before, event) {
        (WriteKind::Add, Value::Int(a), Value::Int(b)) => Value::Int(a.saturating_add(b)),
        (_, Value::Text(a), Value::Text(b)) if cx.names.get(b).contains('=') => {
            let text = set_fields(cx.names.get(a), cx.names.get(b));
            Value::Text(cx.names.intern(&text))
        }
        _ => event,
    }
}

impl Actor for EventStore {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        // Appended already: answered again, nothing appended.
        if self.committed.answer_again(cx, m, &self.store).is_some() {
            return;
        }
        match m.body {
            Body::DbWrite {
                req,
                key,
                value,
                mode,
                idem,
                ..
            } => {
                let current = self.store.read(key);
                if let WriteKind::Based { read, check: true } = mode
                    && read != current.version.counter
                {
                    // The expected version is stale: another append came
                    // first. Nothing is appended.
                    cx.flags |= VERSION_CONFLICT;
                    cx.send(m.from, Body::DbConflict { req, read, current });
                    return;
                }
                let folded = self.append(cx, m.from, req, key, value, mode);
                if let Some(k) = idem {
                    self.committed.remember(k, folded);
                }
            }
            Body::DbRead { req, key } => {
                let record = self.store.read(key);
                cx.send(m.from, Body::DbResult { req, record });
            }
            _ => {}
        }
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
