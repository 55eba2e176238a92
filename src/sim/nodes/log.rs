//! A partitioned log, in the manner of Kafka. Each topic is split into
//! partitions; an event's key (its record id) picks the partition by a
//! stable hash, and the log appends it there. Order holds within a
//! partition and not across.
//!
//! Consumers read in groups. For each group and partition the log keeps a
//! cursor: the committed offset (durable, like Kafka's stored offsets) and
//! the next event to hand the member that reads the partition. It hands
//! one event at a time and waits for the member's acknowledgement (sending
//! it again after a timeout), so a partition's events reach the member in
//! the log's order whatever the network does. After `commit_every` events,
//! or at the end of the partition, the group's offset is committed. A
//! member that restarts asks to join again and reads from the committed
//! offset: what it handled since the last commit comes again. An operator
//! can rewind a group to any offset, and its members read from there.
//!
//! What it holds shows as three tables: each partition's end, each
//! group's committed offset per partition, and each consumer's lag (the
//! events in its partitions its group has not committed).

use std::collections::BTreeMap;

use super::{Actor, Cx, DedupWindow, Incoming, Store};
use crate::model::message_flags::REDELIVERY;
use crate::model::{Body, EventId, Key, Micros, NodeIdx, Sym, Value};
use crate::scenario::{
    LogSpec, log_consumers, log_end_table, log_groups, log_lag_table, log_offsets_table,
    offset_row, partition_name, partition_of, reader_of,
};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

/// One appended event.
#[derive(Clone, Copy, Debug)]
struct Entry {
    body: u32,
    event: EventId,
}

/// A topic: its name and its partitions' entries (durable).
#[derive(Clone, Debug)]
struct Topic {
    name: Sym,
    parts: Vec<Vec<Entry>>,
    /// The row of each partition in the end table.
    end_rows: Vec<Sym>,
}

/// An event handed to a member and not yet acknowledged.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    offset: u32,
    due: Micros,
    attempts: u32,
}

/// Where one group stands in one partition.
#[derive(Clone, Debug)]
struct Cursor {
    group: usize,
    topic: usize,
    part: u32,
    reader: Option<NodeIdx>,
    row: Sym,
    /// The committed offset: events before it are done (durable).
    committed: u32,
    /// The next event to hand over (memory).
    next: u32,
    /// Events handled since the last commit (memory).
    since_commit: u32,
    waiting: Option<Waiting>,
    /// Not before this moment: the member's pace (memory).
    ready_at: Micros,
    /// The furthest offset ever handed over: what comes again is marked a
    /// redelivery (durable).
    high: u32,
}

#[derive(Clone, Debug)]
struct GroupRt {
    name: Sym,
    commit_every: u32,
    pace: Micros,
}

#[derive(Clone, Debug)]
pub struct Log {
    topics: Vec<Topic>,
    groups: Vec<GroupRt>,
    cursors: Vec<Cursor>,
    /// Each consumer and its row in the lag table.
    consumers: Vec<(NodeIdx, Sym)>,
    ack_timeout: Micros,
    /// Event ids taken in, per publisher: a resent publish is acknowledged
    /// again but not appended twice (durable).
    received: BTreeMap<NodeIdx, DedupWindow>,
    end_table: Sym,
    offsets_table: Sym,
    lag_table: Sym,
    /// Ends, offsets and lags as records (durable).
    store: Store,
}

impl Log {
    pub fn build(spec: &LogSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let me = w.my_id;
        let end_table = w.intern(&log_end_table(me));
        let offsets_table = w.intern(&log_offsets_table(me));
        let lag_table = w.intern(&log_lag_table(me));
        let one = spec.topics.len() == 1;
        let mut topics = Vec::with_capacity(spec.topics.len());
        for t in &spec.topics {
            let n = t.partitions.clamp(1, 64);
            let end_rows = (0..n)
                .map(|p| w.intern(&partition_name(&t.name, p, one)))
                .collect();
            topics.push(Topic {
                name: w.intern(&t.name),
                parts: vec![Vec::new(); n as usize],
                end_rows,
            });
        }
        let consumer_list = log_consumers(w.scenario, me);
        let mut consumers = Vec::with_capacity(consumer_list.len());
        for (id, _) in &consumer_list {
            let idx = w.find(id)?;
            let row = w.intern(id);
            consumers.push((idx, row));
        }
        let groups_spec = log_groups(w.scenario, me);
        let mut groups = Vec::with_capacity(groups_spec.len());
        let mut cursors = Vec::new();
        for (g, group) in groups_spec.iter().enumerate() {
            groups.push(GroupRt {
                name: w.intern(&group.name),
                commit_every: group.commit_every.max(1),
                pace: group.pace.0,
            });
            for (ti, t) in spec.topics.iter().enumerate() {
                let reads = group.members.iter().any(|m| {
                    consumer_list
                        .iter()
                        .any(|(id, ts)| id == m && ts.contains(&t.name))
                });
                if !reads {
                    continue;
                }
                for p in 0..t.partitions.clamp(1, 64) {
                    let reader = match reader_of(&consumer_list, group, &t.name, p) {
                        Some(id) => Some(w.find(id)?),
                        None => None,
                    };
                    let row = w.intern(&offset_row(&group.name, &t.name, p, one));
                    cursors.push(Cursor {
                        group: g,
                        topic: ti,
                        part: p,
                        reader,
                        row,
                        committed: 0,
                        next: 0,
                        since_commit: 0,
                        waiting: None,
                        ready_at: 0,
                        high: 0,
                    });
                }
            }
        }
        Ok(Log {
            topics,
            groups,
            cursors,
            consumers,
            ack_timeout: spec.ack_timeout.0.max(1),
            received: BTreeMap::new(),
            end_table,
            offsets_table,
            lag_table,
            store: Store::default(),
        })
    }

    fn end(&self, c: usize) -> u32 {
        self.cursors
            .get(c)
            .and_then(|c| self.topics.get(c.topic)?.parts.get(c.part as usize))
            .map_or(0, |p| p.len() as u32)
    }

    fn record(&mut self, cx: &mut Cx, table: Sym, row: Sym, n: u32) {
        let key = Key { table, id: row };
        let value = Value::Int(i64::from(n));
        if self.store.get(key).is_some_and(|(v, _)| v == value) {
            return;
        }
        let record = self.store.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    /// Records the lag of `consumer`: over the partitions it reads, the
    /// events appended that its group has not committed.
    fn update_lag(&mut self, cx: &mut Cx, consumer: NodeIdx) {
        let lag: u32 = (0..self.cursors.len())
            .filter(|&c| self.cursors[c].reader == Some(consumer))
            .map(|c| self.end(c).saturating_sub(self.cursors[c].committed))
            .sum();
        if let Some(&(_, row)) = self.consumers.iter().find(|(n, _)| *n == consumer) {
            self.record(cx, self.lag_table, row, lag);
        }
    }

    fn commit(&mut self, cx: &mut Cx, c: usize, offset: u32) {
        let Some(cur) = self.cursors.get_mut(c) else {
            return;
        };
        cur.committed = offset;
        cur.since_commit = 0;
        let (row, reader) = (cur.row, cur.reader);
        self.record(cx, self.offsets_table, row, offset);
        if let Some(r) = reader {
            self.update_lag(cx, r);
        }
    }

    /// Hands the cursor's next event to its member, or sends again the
    /// one it waits for once overdue.
    fn pump(&mut self, cx: &mut Cx, c: usize) {
        let end = self.end(c);
        let timeout = self.ack_timeout;
        let Some(cur) = self.cursors.get_mut(c) else {
            return;
        };
        let Some(reader) = cur.reader else {
            return;
        };
        let Some(part) = self
            .topics
            .get(cur.topic)
            .and_then(|t| t.parts.get(cur.part as usize))
        else {
            return;
        };
        if let Some(w) = &mut cur.waiting {
            if w.due <= cx.now
                && let Some(e) = part.get(w.offset as usize)
            {
                cx.forward_flagged(reader, e.body, REDELIVERY);
                let wait = timeout.saturating_mul(1 << w.attempts.min(1));
                w.attempts += 1;
                w.due = cx.now.saturating_add(wait);
                cx.timer(wait, c as u64);
            }
            return;
        }
        if cx.now < cur.ready_at || cur.next >= end {
            return;
        }
        let Some(e) = part.get(cur.next as usize) else {
            return;
        };
        let again = cur.next < cur.high;
        cx.forward_flagged(reader, e.body, if again { REDELIVERY } else { 0 });
        cur.high = cur.high.max(cur.next + 1);
        cur.waiting = Some(Waiting {
            offset: cur.next,
            due: cx.now.saturating_add(timeout),
            attempts: 1,
        });
        cx.timer(timeout, c as u64);
    }

    /// Moves cursor `c` back to its committed offset (a member rejoining,
    /// the log restarting or an operator's rewind) and reads from there.
    fn restart_cursor(&mut self, cx: &mut Cx, c: usize) {
        if let Some(cur) = self.cursors.get_mut(c) {
            cur.next = cur.committed;
            cur.since_commit = 0;
            cur.waiting = None;
            cur.ready_at = cx.now;
        }
        self.pump(cx, c);
    }

    fn append(&mut self, cx: &mut Cx, m: &Incoming, event: EventId, topic: Sym, key: Sym) {
        let Some(ti) = self.topics.iter().position(|t| t.name == topic) else {
            return;
        };
        let parts = self.topics[ti].parts.len() as u32;
        let p = partition_of(cx.names.get(key), parts);
        let Some(part) = self.topics[ti].parts.get_mut(p as usize) else {
            return;
        };
        part.push(Entry {
            body: m.body_id,
            event,
        });
        let end = part.len() as u32;
        let row = self.topics[ti].end_rows[p as usize];
        self.record(cx, self.end_table, row, end);
        for c in 0..self.cursors.len() {
            let cur = &self.cursors[c];
            if cur.topic == ti && cur.part == p {
                if let Some(r) = cur.reader {
                    self.update_lag(cx, r);
                }
                self.pump(cx, c);
            }
        }
    }

    /// A member acknowledged an event: the cursor moves on, commits when
    /// due, and hands over the next (after the group's pace).
    fn acked(&mut self, cx: &mut Cx, from: NodeIdx, event: EventId) {
        let found = self.cursors.iter().position(|cur| {
            cur.reader == Some(from)
                && cur.waiting.is_some_and(|w| {
                    self.topics
                        .get(cur.topic)
                        .and_then(|t| t.parts.get(cur.part as usize))
                        .and_then(|p| p.get(w.offset as usize))
                        .is_some_and(|e| e.event == event)
                })
        });
        let Some(c) = found else {
            return;
        };
        let end = self.end(c);
        let cur = &mut self.cursors[c];
        let Some(w) = cur.waiting.take() else {
            return;
        };
        cur.next = w.offset + 1;
        cur.since_commit += 1;
        let group = &self.groups[cur.group];
        let (every, pace) = (group.commit_every, group.pace);
        let next = cur.next;
        if cur.since_commit >= every || next >= end {
            self.commit(cx, c, next);
        }
        if pace > 0 {
            self.cursors[c].ready_at = cx.now.saturating_add(pace);
            cx.timer(pace, c as u64);
        } else {
            self.pump(cx, c);
        }
    }
}

impl Actor for Log {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Event {
                event,
                topic,
                record,
                ..
            } => {
                cx.send(m.from, Body::Ack { event });
                if self
                    .received
                    .entry(event.origin)
                    .or_default()
                    .insert(event.seq)
                {
                    self.append(cx, m, event, topic, record.key.id);
                }
            }
            Body::Ack { event } => self.acked(cx, m.from, event),
            Body::Join { topic } => {
                for c in 0..self.cursors.len() {
                    let cur = &self.cursors[c];
                    let topic_matches = self.topics.get(cur.topic).is_some_and(|t| t.name == topic);
                    if cur.reader == Some(m.from) && topic_matches {
                        self.restart_cursor(cx, c);
                    }
                }
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        self.pump(cx, tag as usize);
    }

    fn on_crash(&mut self) {
        for cur in &mut self.cursors {
            cur.next = cur.committed;
            cur.since_commit = 0;
            cur.waiting = None;
            cur.ready_at = 0;
        }
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        for c in 0..self.cursors.len() {
            self.restart_cursor(cx, c);
        }
    }

    /// Sets group `group`'s committed offset in each of its partitions to
    /// `offset` (at most the partition's end), and reads from there.
    fn on_rewind(&mut self, cx: &mut Cx, group: Sym, offset: u32) {
        let Some(g) = self.groups.iter().position(|x| x.name == group) else {
            return;
        };
        for c in 0..self.cursors.len() {
            if self.cursors[c].group != g {
                continue;
            }
            let to = offset.min(self.end(c));
            self.commit(cx, c, to);
            self.restart_cursor(cx, c);
        }
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
