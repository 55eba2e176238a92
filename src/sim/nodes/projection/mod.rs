//! A projection: CQRS's read side. It folds events from one or more topics
//! into a view with its own key and shape (orders and customers into
//! "orders by customer, with the customer's name and the order total"),
//! keeps a checkpoint of how many events of each topic it has folded, and
//! answers queries from the view. It can hold a read until it reflects a
//! given write (read-your-writes with a version token).
//!
//! Reading from a partitioned log, it can be rebuilt: it reads the log
//! again from the earliest kept event and folds a new view beside the old
//! one, while readers keep being answered from the old view; once the new
//! view has read up to the log's end as of then, readers switch to it at
//! once. Nobody reads a half-built view. A broker cannot feed a rebuild:
//! a queue deletes what it delivered.
//!
//! The view is a function of the newest image of each source record, so
//! the order events arrive in, duplicates and a rebuild all lead to the
//! same view once every event has arrived.

mod fold;

use std::collections::BTreeMap;

pub use self::fold::{SourceRt, fold};
use self::fold::{row_of, upcast};

use super::log::member::{Member, member_timer};
use super::{Actor, Cx, DedupWindow, Incoming, Store};
use crate::model::deliver_flags::{DUPLICATE_IGNORED, OLDER_IGNORED};
use crate::model::{
    Answer, Body, Key, Micros, Names, NodeIdx, Record, ReqOp, Sym, Token, Value, Version,
    value_text,
};
use crate::scenario::{NodeKind, ProjectionSpec};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

/// The name of a projection's checkpoint table: one row per topic, and
/// a row [`REBUILDING_ROW`] while a rebuild is under way.
pub use crate::scenario::checkpoint_table;

/// The checkpoint table's row that shows a rebuild's progress.
pub const REBUILDING_ROW: &str = "rebuilding";

/// A new view being folded beside the old one (durable: once a rebuild
/// has begun, its reading may have committed offsets past what the old
/// view folded, so only the new view can take over; a crash makes it
/// start reading again from the start).
#[derive(Clone, Debug, Default)]
struct Rebuild {
    images: BTreeMap<(usize, Key), Record>,
    folded: BTreeMap<Sym, u32>,
    seen: BTreeMap<NodeIdx, DedupWindow>,
    /// Events read from the log since the rebuild began.
    read: u32,
}

/// A read waiting until the view reflects a write.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    asker: NodeIdx,
    req: u32,
    id: Sym,
    token: Token,
}

#[derive(Clone, Debug)]
pub struct Projection {
    view: Sym,
    checkpoint: Sym,
    broker: NodeIdx,
    acks: bool,
    sources: Vec<SourceRt>,
    /// Tables whose owners publish on the sources' topics: what the view
    /// can be behind.
    tables: Vec<Sym>,
    /// The newest image of each source record, per source (durable).
    images: BTreeMap<(usize, Key), Record>,
    /// The view and the checkpoint, as records (durable).
    pub store: Store,
    /// Events folded per topic: the checkpoint (durable).
    folded: BTreeMap<Sym, u32>,
    /// Processed event ids (durable).
    seen: BTreeMap<NodeIdx, DedupWindow>,
    /// A rebuild under way.
    building: Option<Rebuild>,
    rebuilding_row: Sym,
    /// Reads waiting for a token, by ticket (memory only).
    waiting: BTreeMap<u64, Waiting>,
    next_ticket: u64,
    /// Reading from a partitioned log: the member that pulls from it.
    member: Option<Member>,
}

impl Projection {
    pub fn build(spec: &ProjectionSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let broker = w.find(&spec.broker)?;
        let member = Member::build(w, &spec.broker)?;
        let acks = member.is_none() && w.ack_timeout(&spec.broker).is_some();
        let view = w.intern(&spec.view);
        let checkpoint = w.intern(&checkpoint_table(&spec.view));
        let mut sources = Vec::with_capacity(spec.sources.len());
        let mut tables = Vec::new();
        for s in &spec.sources {
            sources.push(SourceRt {
                topic: w.intern(&s.topic),
                row: s.row.clone(),
                columns: s.columns.clone(),
                upcast: s.upcast.clone(),
            });
            for n in &w.scenario.nodes {
                if let NodeKind::Service(svc) = &n.kind
                    && svc.publish.as_ref().is_some_and(|p| p.topic == s.topic)
                {
                    let t = w.intern(&svc.table);
                    if !tables.contains(&t) {
                        tables.push(t);
                    }
                }
            }
        }
        Ok(Projection {
            view,
            checkpoint,
            broker,
            acks,
            sources,
            tables,
            images: BTreeMap::new(),
            store: Store::default(),
            folded: BTreeMap::new(),
            seen: BTreeMap::new(),
            building: None,
            rebuilding_row: w.intern(REBUILDING_ROW),
            waiting: BTreeMap::new(),
            next_ticket: 0,
            member,
        })
    }

    /// The row ids a source record belongs to (before and after a change).
    fn row_sym(&self, names: &mut Names, s: usize, r: &Record) -> Option<Sym> {
        let source = self.sources.get(s)?;
        let id = names.get(r.key.id).to_string();
        let value = upcast(source, &value_text(names, r.value));
        let row = row_of(source, &id, &value)?.to_string();
        Some(names.intern(&row))
    }

    /// Recomputes one row from the images and records it if it changed.
    fn refresh_row(&mut self, cx: &mut Cx, row: Sym) {
        let row_text_now = cx.names.get(row).to_string();
        let records: Vec<Vec<(String, String)>> = (0..self.sources.len())
            .map(|s| {
                self.images
                    .iter()
                    .filter(|((src, _), _)| *src == s)
                    .map(|(_, r)| {
                        (
                            cx.names.get(r.key.id).to_string(),
                            value_text(cx.names, r.value),
                        )
                    })
                    .collect()
            })
            .collect();
        let rows = fold(&self.sources, &records);
        let value = match rows.get(&row_text_now) {
            Some(text) => Value::Text(cx.names.intern(text)),
            None => Value::Absent,
        };
        let key = Key {
            table: self.view,
            id: row,
        };
        let before = self.store.get(key).map(|(v, _)| v);
        if before == Some(value) || (before.is_none() && value == Value::Absent) {
            return;
        }
        let record = self.store.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    /// Moves the checkpoint of `topic` to `n` events folded.
    fn set_checkpoint(&mut self, cx: &mut Cx, topic: Sym, n: u32) {
        self.folded.insert(topic, n);
        let key = Key {
            table: self.checkpoint,
            id: topic,
        };
        let record = self
            .store
            .commit(key, Value::Int(i64::from(n)), cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    fn fold_event(&mut self, cx: &mut Cx, topic: Sym, record: Record) {
        let Some(s) = self.sources.iter().position(|x| x.topic == topic) else {
            return;
        };
        if let Some(b) = &mut self.building {
            let slot = (s, record.key);
            if b.images
                .get(&slot)
                .is_some_and(|old| old.version >= record.version)
            {
                cx.flags |= OLDER_IGNORED;
                return;
            }
            b.images.insert(slot, record);
            *b.folded.entry(topic).or_default() += 1;
            return;
        }
        let slot = (s, record.key);
        if self
            .images
            .get(&slot)
            .is_some_and(|old| old.version >= record.version)
        {
            cx.flags |= OLDER_IGNORED;
            return;
        }
        let old_row = self
            .images
            .get(&slot)
            .copied()
            .and_then(|old| self.row_sym(cx.names, s, &old));
        self.images.insert(slot, record);
        let new_row = self.row_sym(cx.names, s, &record);
        let n = self.folded.get(&topic).copied().unwrap_or(0) + 1;
        self.set_checkpoint(cx, topic, n);
        for row in [old_row, new_row].into_iter().flatten() {
            self.refresh_row(cx, row);
        }
        self.answer_caught_up(cx);
    }

    /// Whether the view reflects the write the token names.
    fn reflects(&self, token: &Token) -> bool {
        (0..self.sources.len()).any(|s| {
            self.images
                .get(&(s, token.key))
                .is_some_and(|r| r.version >= token.version)
        })
    }

    fn answer_read(&self, cx: &mut Cx, to: NodeIdx, req: u32, id: Sym) {
        let record = self.store.read(Key {
            table: self.view,
            id,
        });
        let answer = Answer::Read {
            key: record.key,
            value: record.value,
            version: record.version,
            partial: false,
        };
        cx.send(to, Body::Answer { req, answer });
    }

    /// Answers every waiting read whose write the view now reflects.
    fn answer_caught_up(&mut self, cx: &mut Cx) {
        let ready: Vec<u64> = self
            .waiting
            .iter()
            .filter(|(_, w)| self.reflects(&w.token))
            .map(|(t, _)| *t)
            .collect();
        for t in ready {
            if let Some(w) = self.waiting.remove(&t) {
                self.answer_read(cx, w.asker, w.req, w.id);
            }
        }
    }

    /// Records the rebuild's progress (events read of those to read, as
    /// far as the log has said), or clears it when none is under way.
    fn show_progress(&mut self, cx: &mut Cx) {
        let value = match (&self.building, &self.member) {
            (Some(b), Some(mb)) => {
                let text = match mb.remaining() {
                    Some(left) => format!("{} of {} events", b.read, b.read + left),
                    None => format!("{} read, the log's end not known yet", b.read),
                };
                Value::Text(cx.names.intern(&text))
            }
            _ => Value::Absent,
        };
        let key = Key {
            table: self.checkpoint,
            id: self.rebuilding_row,
        };
        let before = self.store.get(key).map(|(v, _)| v);
        if before == Some(value) || (before.is_none() && value == Value::Absent) {
            return;
        }
        let record = self.store.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    /// Once the new view has read everything up to the ends the log
    /// last reported, readers switch to it: the images, the checkpoint
    /// and every row of the view change at this one moment.
    fn switch_if_caught_up(&mut self, cx: &mut Cx) {
        if self.building.is_none() {
            return;
        }
        if self.member.as_ref().and_then(Member::remaining) != Some(0) {
            self.show_progress(cx);
            return;
        }
        let Some(b) = self.building.take() else {
            return;
        };
        self.images = b.images;
        self.seen = b.seen;
        let topics: Vec<Sym> = self.sources.iter().map(|s| s.topic).collect();
        for topic in topics {
            let n = b.folded.get(&topic).copied().unwrap_or(0);
            if self.folded.get(&topic) != Some(&n) {
                self.set_checkpoint(cx, topic, n);
            }
        }
        let mut rows: Vec<Sym> = self
            .store
            .iter()
            .filter(|(k, (v, _))| k.table == self.view && *v != Value::Absent)
            .map(|(k, _)| k.id)
            .collect();
        for ((s, _), r) in self.images.clone() {
            rows.extend(self.row_sym(cx.names, s, &r));
        }
        rows.sort_unstable();
        rows.dedup();
        for row in rows {
            self.refresh_row(cx, row);
        }
        self.show_progress(cx);
        self.answer_caught_up(cx);
    }
}

impl Actor for Projection {
    fn on_start(&mut self, cx: &mut Cx) {
        if let Some(mb) = &mut self.member {
            mb.on_start(cx);
        }
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        if let Some(mb) = &mut self.member {
            let dealt = mb.assignments();
            if mb.on_message(cx, m) {
                // Partitions dealt anew resume from the group's committed
                // offsets, which a rebuild does not move back: it reads
                // from the start again.
                if self.building.is_some() && mb.assignments() != dealt {
                    mb.seek_to_beginning(cx);
                    self.building = Some(Rebuild::default());
                }
                // A batch may say the rebuild has read up to the end.
                self.switch_if_caught_up(cx);
                return;
            }
        }
        match m.body {
            Body::Event {
                event,
                topic,
                record,
                ..
            } => {
                let seen = match &mut self.building {
                    Some(b) => {
                        b.read += 1;
                        &mut b.seen
                    }
                    None => &mut self.seen,
                };
                if seen.entry(event.origin).or_default().insert(event.seq) {
                    self.fold_event(cx, topic, record);
                } else {
                    cx.flags |= DUPLICATE_IGNORED;
                }
                if self.acks && m.from == self.broker {
                    cx.send(self.broker, Body::Ack { event });
                }
                self.switch_if_caught_up(cx);
            }
            Body::Request {
                req,
                op: ReqOp::Read { id } | ReqOp::ReadAfterMyWrite { id },
            } => self.answer_read(cx, m.from, req, id),
            Body::Request {
                req,
                op: ReqOp::ReadAtLeast { id, token, wait },
            } => {
                if self.reflects(&token) {
                    self.answer_read(cx, m.from, req, id);
                } else {
                    let ticket = self.next_ticket;
                    self.next_ticket += 1;
                    self.waiting.insert(
                        ticket,
                        Waiting {
                            asker: m.from,
                            req,
                            id,
                            token,
                        },
                    );
                    cx.timer(Micros::from(wait), ticket);
                }
            }
            Body::Request { req, op } if op.writes() => {
                cx.refuse(m.from, req, "a projection is a read-only view");
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        if member_timer(
            self,
            cx,
            tag,
            |p| p.member.as_mut(),
            |p, cx, m| {
                p.on_message(cx, m);
            },
        ) {
            return;
        }
        let Some(w) = self.waiting.remove(&tag) else {
            return;
        };
        let text = format!(
            "not caught up with {} {} yet",
            cx.names.get(w.token.key.id),
            w.token.version
        );
        let reason = cx.names.intern(&text);
        cx.send(
            w.asker,
            Body::Answer {
                req: w.req,
                answer: Answer::Refused { reason },
            },
        );
    }

    fn on_crash(&mut self) {
        self.waiting.clear();
        if let Some(mb) = &mut self.member {
            mb.on_crash();
        }
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        // What it had fetched is gone: the rebuild reads from the start
        // once the log deals it its partitions again.
        if self.building.is_some() {
            self.building = Some(Rebuild::default());
        }
        self.show_progress(cx);
        if let Some(mb) = &mut self.member {
            mb.on_restart(cx);
        }
    }

    /// Folds a new view beside the old one from the earliest event the
    /// log keeps (a seek to the beginning); readers switch to it once it
    /// has caught up. From a broker there is nothing to read again, and
    /// the scenario's checks refuse such a rebuild.
    fn on_rebuild(&mut self, cx: &mut Cx) {
        let Some(mb) = &mut self.member else {
            return;
        };
        mb.seek_to_beginning(cx);
        self.building = Some(Rebuild::default());
        self.show_progress(cx);
    }

    fn behind(&self, latest: &BTreeMap<Key, Version>) -> bool {
        self.tables.iter().any(|&table| {
            let lo = Key { table, id: 0 };
            let hi = Key {
                table,
                id: Sym::MAX,
            };
            latest.range(lo..=hi).any(|(key, v)| {
                !self.reflects(&Token {
                    key: *key,
                    version: *v,
                })
            })
        })
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
