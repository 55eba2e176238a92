//! A database node: versioned tables and an ordered change log, which a
//! change-data-capture connector reads from an offset. A write that
//! carries a request's idempotency key stores the key in the same
//! transaction, so a retry of that request finds it and writes nothing.

use super::committed::{Again, Committed};
use super::{Actor, Cx, Incoming, Store};
use crate::model::deliver_flags::DUPLICATE_IGNORED;
use crate::model::deliver_flags::{LOST_UPDATE, VERSION_CONFLICT};
use crate::model::{Body, Record, Sym, Value, WriteKind};

/// Most log rows sent in answer to one poll.
const LOG_BATCH: u32 = 16;

/// One committed write, as the change log keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogRow {
    pub record: Record,
    /// Set when an outbox row for this topic committed in the same
    /// transaction.
    pub outbox: Option<Sym>,
    /// The outbox row's payload, when the owner mapped it to a shape of
    /// its own; otherwise the event carries the row's value.
    pub payload: Option<Sym>,
}

#[derive(Clone, Debug, Default)]
pub struct Database {
    /// The tables (durable).
    pub store: Store,
    /// Every committed write, in commit order (durable).
    pub log: Vec<LogRow>,
    /// The writes committed (durable), so a duplicate or a retry with an
    /// idempotency key commits once.
    committed: Committed,
}

impl Actor for Database {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        if let Some(again) = self.committed.answer_again(cx, m, &self.store) {
            // Already committed: answered again, nothing changes. A retry
            // with the key of a request already done is a duplicate the
            // key caught.
            if again == Again::Retry {
                cx.flags |= DUPLICATE_IGNORED;
            }
            return;
        }
        match m.body {
            Body::DbWrite {
                req,
                key,
                value,
                outbox,
                also,
                mode,
                idem,
                payload,
            } => {
                let current = self.store.read(key).version.counter;
                let record = match mode {
                    WriteKind::Based { read, check: true } if read != current => {
                        // Optimistic concurrency: the row moved on since
                        // the writer read it; nothing is written.
                        cx.flags |= VERSION_CONFLICT;
                        let current = self.store.read(key);
                        cx.send(m.from, Body::DbConflict { req, read, current });
                        return;
                    }
                    WriteKind::Based { read, .. } => {
                        if read != current {
                            // A blind write over a version its writer never saw.
                            cx.flags |= LOST_UPDATE;
                        }
                        self.store.commit(key, value, cx.now, cx.me)
                    }
                    WriteKind::Add => {
                        let amount = match value {
                            Value::Int(n) => n,
                            _ => 0,
                        };
                        self.store.commit_add(key, amount, cx.now, cx.me)
                    }
                    WriteKind::Set => self.store.commit(key, value, cx.now, cx.me),
                };
                // One transaction: the record, its outbox row, its
                // idempotency key and any other staged change, or none.
                self.log.push(LogRow {
                    record,
                    outbox,
                    payload,
                });
                if let Some(k) = idem {
                    self.committed.remember(k, record);
                }
                if let Some((k, v)) = also {
                    let second = self.store.commit(k, v, cx.now, cx.me);
                    self.log.push(LogRow {
                        record: second,
                        outbox: None,
                        payload: None,
                    });
                    let image = cx.keep(Body::Stored { record: second });
                    cx.changed(image);
                }
                let reply = cx.send(
                    m.from,
                    Body::DbWritten {
                        req,
                        record,
                        replay: false,
                    },
                );
                cx.changed(reply);
            }
            Body::DbRead { req, key } => {
                let record = self.store.read(key);
                cx.send(m.from, Body::DbResult { req, record });
            }
            Body::LogPoll { from } => {
                let end = (from.saturating_add(LOG_BATCH) as usize).min(self.log.len());
                for offset in from as usize..end {
                    if let Some(row) = self.log.get(offset) {
                        let body = Body::LogEntry {
                            offset: offset as u32,
                            record: row.record,
                            outbox: row.outbox,
                            payload: row.payload,
                        };
                        cx.send(m.from, body);
                    }
                }
            }
            _ => {}
        }
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }

    fn starting_store(&mut self) -> Option<&mut Store> {
        Some(&mut self.store)
    }
}
