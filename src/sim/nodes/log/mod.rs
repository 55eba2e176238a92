//! A partitioned log, in the manner of Kafka. Each topic is split into
//! partitions; an event's key (its record id) picks the partition by a
//! stable hash, and the log appends it there. Order holds within a
//! partition and not across.
//!
//! Consumers read in groups, and they pull: a member fetches a batch from
//! a partition its group assigned it, handles it and commits the offset
//! itself (see [`member`]). The log answers fetches (holding one that
//! finds nothing new until an event comes or `fetch_wait` passes, a long
//! poll), keeps each group's committed offsets (durable), and coordinates
//! the group: a member it has not heard from for the session timeout is
//! taken for dead and its partitions are dealt to the others, which read
//! them from the last commit; a member that joins takes its share back.
//! While a group's members have not all picked up a new assignment, the
//! group is rebalancing. A fetch or commit from an old assignment is
//! answered with the current one.
//!
//! Retention deletes events older than `keep_for`, or beyond a
//! partition's `keep_last`; a fetch or a rewind that asks for deleted
//! events starts at the earliest kept one, and says so.
//!
//! What it holds shows as four tables: each partition's end (and earliest
//! kept offset), each group's committed offset per partition, each
//! group's state, and each consumer's lag (the events in its partitions
//! its group has not committed).

mod group;
pub mod member;
mod state;

use std::collections::{BTreeMap, VecDeque};

use self::state::{Cursor, Entry, GroupRt, MemberRt, Parked, Part, Topic};
use super::{Actor, Cx, DedupWindow, Incoming, Store};
use crate::model::message_flags::REDELIVERY;
use crate::model::{Body, Key, Micros, NodeIdx, Sym, Value};
use crate::scenario::{
    LogSpec, log_consumers, log_end_table, log_groups, log_groups_table, log_lag_table,
    log_offsets_table, offset_row, partition_name, partition_of,
};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

/// The log's one timer: answering long polls that waited enough, finding
/// members gone silent, retention by age.
const TICK: u64 = 0;

#[derive(Clone, Debug)]
pub struct Log {
    topics: Vec<Topic>,
    groups: Vec<GroupRt>,
    cursors: Vec<Cursor>,
    /// Each member's group and place in it.
    member_of: BTreeMap<NodeIdx, (usize, usize)>,
    fetch_wait: Micros,
    session: Micros,
    keep_for: Option<Micros>,
    keep_last: Option<u32>,
    /// Event ids taken in, per publisher: a resent publish is acknowledged
    /// again but not appended twice (durable).
    received: BTreeMap<NodeIdx, DedupWindow>,
    end_table: Sym,
    offsets_table: Sym,
    groups_table: Sym,
    lag_table: Sym,
    /// Ends, offsets, group states and lags as records (durable).
    store: Store,
}

impl Log {
    pub fn build(spec: &LogSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let me = w.my_id;
        let end_table = w.intern(&log_end_table(me));
        let offsets_table = w.intern(&log_offsets_table(me));
        let groups_table = w.intern(&log_groups_table(me));
        let lag_table = w.intern(&log_lag_table(me));
        let one = spec.topics.len() == 1;
        let mut topics = Vec::with_capacity(spec.topics.len());
        for t in &spec.topics {
            let n = t.partitions.clamp(1, 64);
            let parts = (0..n)
                .map(|p| Part {
                    entries: VecDeque::new(),
                    start: 0,
                    end_row: w.intern(&partition_name(&t.name, p, one)),
                    start_row: w.intern(&format!("{} kept from", partition_name(&t.name, p, one))),
                })
                .collect();
            topics.push(Topic {
                name: w.intern(&t.name),
                parts,
            });
        }
        let consumer_list = log_consumers(w.scenario, me);
        let mut groups = Vec::new();
        let mut cursors = Vec::new();
        let mut member_of = BTreeMap::new();
        for (g, group) in log_groups(w.scenario, me).iter().enumerate() {
            let mut members = Vec::new();
            for id in &group.members {
                let Some((_, reads)) = consumer_list.iter().find(|(c, _)| c == id) else {
                    continue;
                };
                let node = w.find(id)?;
                let topics_read = spec
                    .topics
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| reads.contains(&t.name))
                    .map(|(i, _)| i)
                    .collect();
                member_of.insert(node, (g, members.len()));
                members.push(MemberRt {
                    node,
                    topics: topics_read,
                    alive: true,
                    synced: true,
                    last_seen: 0,
                    lag_row: w.intern(id),
                });
            }
            for (ti, t) in spec.topics.iter().enumerate() {
                if !members.iter().any(|m: &MemberRt| m.topics.contains(&ti)) {
                    continue;
                }
                for p in 0..t.partitions.clamp(1, 64) {
                    cursors.push(Cursor {
                        group: g,
                        topic: ti,
                        part: p,
                        owner: None,
                        row: w.intern(&offset_row(&group.name, &t.name, p, one)),
                        committed: 0,
                        parked: None,
                        high: 0,
                    });
                }
            }
            groups.push(GroupRt {
                name: w.intern(&group.name),
                row: w.intern(&group.name),
                rewind_row: w.intern(&format!("{} rewind", group.name)),
                members,
                generation: 0,
                rebalancing: false,
                shown: false,
            });
        }
        let mut log = Log {
            topics,
            groups,
            cursors,
            member_of,
            fetch_wait: spec.fetch_wait.0.max(1000),
            session: spec.session_timeout.0.max(1000),
            keep_for: spec.keep_for.map(|d| d.0),
            keep_last: spec.keep_last.map(|n| n.max(1)),
            received: BTreeMap::new(),
            end_table,
            offsets_table,
            groups_table,
            lag_table,
            store: Store::default(),
        };
        for g in 0..log.groups.len() {
            log.deal(g);
        }
        Ok(log)
    }

    fn part(&self, c: usize) -> Option<&Part> {
        let cur = self.cursors.get(c)?;
        self.topics.get(cur.topic)?.parts.get(cur.part as usize)
    }

    /// The offsets partition of cursor `c` keeps: from its earliest kept
    /// event to its end.
    fn span(&self, c: usize) -> (u32, u32) {
        self.part(c).map_or((0, 0), |p| (p.start, p.end()))
    }

    fn record(&mut self, cx: &mut Cx, table: Sym, row: Sym, value: Value) {
        let key = Key { table, id: row };
        if self.store.get(key).is_some_and(|(v, _)| v == value) {
            return;
        }
        let record = self.store.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    fn record_n(&mut self, cx: &mut Cx, table: Sym, row: Sym, n: u32) {
        self.record(cx, table, row, Value::Int(i64::from(n)));
    }

    /// Records the lag of `node`: over the partitions it reads, the events
    /// appended that its group has not committed.
    fn update_lag(&mut self, cx: &mut Cx, node: NodeIdx) {
        let lag: u32 = (0..self.cursors.len())
            .filter(|&c| self.cursors[c].owner == Some(node))
            .map(|c| self.span(c).1.saturating_sub(self.cursors[c].committed))
            .sum();
        if let Some(&(g, mi)) = self.member_of.get(&node) {
            let row = self.groups[g].members[mi].lag_row;
            self.record_n(cx, self.lag_table, row, lag);
        }
    }

    fn show_group(&mut self, cx: &mut Cx, g: usize) {
        let Some(group) = self.groups.get_mut(g) else {
            return;
        };
        group.shown = true;
        let text = if group.rebalancing {
            format!("rebalancing (generation {})", group.generation)
        } else {
            format!("stable (generation {})", group.generation)
        };
        let row = group.row;
        let value = Value::Text(cx.names.intern(&text));
        self.record(cx, self.groups_table, row, value);
    }

    fn cursor_of(&self, g: usize, topic: Sym, part: u32) -> Option<usize> {
        let ti = self.topics.iter().position(|t| t.name == topic)?;
        self.cursors
            .iter()
            .position(|c| c.group == g && c.topic == ti && c.part == part)
    }

    fn fetch(&mut self, cx: &mut Cx, from_node: NodeIdx, f: (Sym, u32, Option<u32>, u32, u32)) {
        let (topic, part, from, max, generation) = f;
        let Some((g, mi, rejoined)) = self.heard(cx, from_node) else {
            return;
        };
        if rejoined {
            return;
        }
        let cursor = self.cursor_of(g, topic, part);
        let owns = cursor.is_some_and(|c| self.cursors[c].owner == Some(from_node));
        let (Some(c), true) = (cursor, owns && generation == self.groups[g].generation) else {
            // An old assignment: say which partitions it reads now.
            self.send_assignment(cx, g, mi);
            return;
        };
        let group = &mut self.groups[g];
        group.members[mi].synced = true;
        if group.rebalancing && group.members.iter().all(|m| !m.alive || m.synced) {
            group.rebalancing = false;
            self.show_group(cx, g);
        }
        let asked = from.unwrap_or(self.cursors[c].committed);
        // The same fetch asked again (its member heard nothing yet) does
        // not start the long poll's wait over, or it might never end.
        let since = match self.cursors[c].parked {
            Some(p) if p.member == from_node && p.asked == asked => p.since,
            _ => cx.now,
        };
        self.cursors[c].parked = Some(Parked {
            member: from_node,
            asked,
            max: max.clamp(1, crate::scenario::MAX_POLL),
            since,
        });
        self.serve(cx, c, false);
    }

    /// Answers the fetch parked on cursor `c` if the partition has events
    /// from where it asks, or with an empty batch if `empty` (it waited
    /// long enough).
    fn serve(&mut self, cx: &mut Cx, c: usize, empty: bool) {
        let (start, end) = self.span(c);
        let Some(cur) = self.cursors.get(c) else {
            return;
        };
        let Some(p) = cur.parked else {
            return;
        };
        let from = p.asked.clamp(start, end);
        if from >= end && !empty {
            return;
        }
        let count = end.saturating_sub(from).min(p.max);
        let mut first = 0;
        for k in 0..count {
            let body = self
                .part(c)
                .and_then(|part| part.entries.get((from + k - start) as usize))
                .and_then(|e| cx.body(e.body));
            if let Some(b) = body {
                let id = cx.keep(b);
                if k == 0 {
                    first = id;
                }
            }
        }
        let (topic, high) = (self.topics[cur.topic].name, cur.high);
        let generation = self.groups.get(cur.group).map_or(0, |g| g.generation);
        let batch = Body::Fetched {
            topic,
            part: cur.part,
            asked: p.asked,
            from,
            count,
            first,
            committed: cur.committed,
            generation,
            end,
        };
        let id = cx.keep(batch);
        let again = count > 0 && from < high;
        cx.forward_flagged(p.member, id, if again { REDELIVERY } else { 0 });
        let cur = &mut self.cursors[c];
        cur.high = cur.high.max(from + count);
        cur.parked = None;
    }

    fn commit(&mut self, cx: &mut Cx, from_node: NodeIdx, topic: Sym, part: u32, offset: u32) {
        let Some((g, mi, rejoined)) = self.heard(cx, from_node) else {
            return;
        };
        let Some(c) = self.cursor_of(g, topic, part) else {
            return;
        };
        // A commit from a member the partition has moved away from, from
        // one that has not fetched since the last rebalance (or rewind),
        // or older than one already made, does not count.
        if rejoined
            || !self.groups[g].members[mi].synced
            || self.cursors[c].owner != Some(from_node)
            || offset <= self.cursors[c].committed
        {
            return;
        }
        let to = offset.min(self.span(c).1);
        self.cursors[c].committed = to;
        let row = self.cursors[c].row;
        self.record_n(cx, self.offsets_table, row, to);
        self.update_lag(cx, from_node);
    }

    fn append(&mut self, cx: &mut Cx, m: &Incoming, topic: Sym, key: Sym) {
        let Some(ti) = self.topics.iter().position(|t| t.name == topic) else {
            return;
        };
        let parts = self.topics[ti].parts.len() as u32;
        let p = partition_of(cx.names.get(key), parts);
        let Some(part) = self.topics[ti].parts.get_mut(p as usize) else {
            return;
        };
        part.entries.push_back(Entry {
            body: m.body_id,
            at: cx.now,
        });
        let (end, row) = (part.end(), part.end_row);
        self.record_n(cx, self.end_table, row, end);
        self.retain(cx);
        for c in 0..self.cursors.len() {
            let cur = &self.cursors[c];
            if cur.topic == ti && cur.part == p {
                if let Some(r) = cur.owner {
                    self.update_lag(cx, r);
                }
                self.serve(cx, c, false);
            }
        }
    }

    /// Deletes what retention no longer keeps: events older than
    /// `keep_for`, and beyond each partition's `keep_last`.
    fn retain(&mut self, cx: &mut Cx) {
        let mut moved = Vec::new();
        for t in &mut self.topics {
            for part in &mut t.parts {
                let before = part.start;
                while let Some(e) = part.entries.front() {
                    let old = self
                        .keep_for
                        .is_some_and(|k| e.at.saturating_add(k) <= cx.now);
                    let many = self
                        .keep_last
                        .is_some_and(|k| part.entries.len() > k as usize);
                    if !(old || many) {
                        break;
                    }
                    part.entries.pop_front();
                    part.start += 1;
                }
                if part.start != before {
                    moved.push((part.start_row, part.start));
                }
            }
        }
        for (row, start) in moved {
            self.record_n(cx, self.end_table, row, start);
        }
    }

    fn tick(&mut self, cx: &mut Cx) {
        self.retain(cx);
        let now = cx.now;
        // A member whose fetch the log holds is in touch, waiting.
        let waiting: Vec<NodeIdx> = self
            .cursors
            .iter()
            .filter_map(|c| c.parked.map(|p| p.member))
            .collect();
        for node in waiting {
            if let Some(&(g, mi)) = self.member_of.get(&node) {
                self.groups[g].members[mi].last_seen = now;
            }
        }
        for c in 0..self.cursors.len() {
            if self.cursors[c]
                .parked
                .is_some_and(|p| p.since.saturating_add(self.fetch_wait) <= now)
            {
                self.serve(cx, c, true);
            }
        }
        for g in 0..self.groups.len() {
            if !self.groups[g].shown {
                self.show_group(cx, g);
            }
            let silent: Vec<usize> = (0..self.groups[g].members.len())
                .filter(|&mi| {
                    let m = &self.groups[g].members[mi];
                    let holds = self.cursors.iter().any(|c| c.owner == Some(m.node));
                    m.alive
                        && (holds || !m.synced)
                        && m.last_seen.saturating_add(self.session) <= now
                })
                .collect();
            for &mi in &silent {
                self.groups[g].members[mi].alive = false;
            }
            if !silent.is_empty() {
                self.rebalance(cx, g);
            } else if self.groups[g].rebalancing {
                for mi in 0..self.groups[g].members.len() {
                    let m = &self.groups[g].members[mi];
                    if m.alive && !m.synced {
                        self.send_assignment(cx, g, mi);
                    }
                }
            }
        }
        cx.timer((self.fetch_wait / 2).max(1000), TICK);
    }
}

impl Actor for Log {
    fn on_start(&mut self, cx: &mut Cx) {
        cx.timer((self.fetch_wait / 2).max(1000), TICK);
    }

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
                    self.append(cx, m, topic, record.key.id);
                }
            }
            Body::Fetch {
                topic,
                part,
                from,
                max,
                generation,
            } => self.fetch(cx, m.from, (topic, part, from, max, generation)),
            Body::Commit {
                topic,
                part,
                offset,
            } => self.commit(cx, m.from, topic, part, offset),
            Body::Join { .. } => {
                if let Some(&(g, mi)) = self.member_of.get(&m.from) {
                    let member = &mut self.groups[g].members[mi];
                    member.alive = true;
                    member.last_seen = cx.now;
                    self.rebalance(cx, g);
                }
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        if tag == TICK {
            self.tick(cx);
        }
    }

    /// Fetches held for a long poll live in memory: their members ask
    /// again.
    fn on_crash(&mut self) {
        for cur in &mut self.cursors {
            cur.parked = None;
        }
    }

    /// Back, the log gives every member a full session to be heard from.
    fn on_restart(&mut self, cx: &mut Cx) {
        for g in &mut self.groups {
            for m in &mut g.members {
                m.last_seen = cx.now;
            }
        }
        cx.timer((self.fetch_wait / 2).max(1000), TICK);
    }

    /// Sets group `group`'s committed offset in each of its partitions to
    /// `offset` (at most the partition's end; at least its earliest kept
    /// event, which it says), and has the members read from there: a
    /// rebalance, after which every member resumes from the committed
    /// offsets.
    fn on_rewind(&mut self, cx: &mut Cx, group: Sym, offset: u32) {
        let Some(g) = self.groups.iter().position(|x| x.name == group) else {
            return;
        };
        let mut past = Vec::new();
        for c in 0..self.cursors.len() {
            if self.cursors[c].group != g {
                continue;
            }
            let (start, end) = self.span(c);
            if offset < start {
                let name = self
                    .part(c)
                    .map(|p| cx.names.get(p.end_row).to_string())
                    .unwrap_or_default();
                past.push(format!(
                    "{name} keeps #{start} onward (retention deleted #{offset}..#{}), so it starts at #{start}",
                    start - 1
                ));
            }
            let to = offset.clamp(start, end.max(start));
            self.cursors[c].committed = to;
            let row = self.cursors[c].row;
            self.record_n(cx, self.offsets_table, row, to);
        }
        let text = if past.is_empty() {
            format!("rewound to #{offset}")
        } else {
            format!("rewound to #{offset}, but {}", past.join("; "))
        };
        let row = self.groups[g].rewind_row;
        let value = Value::Text(cx.names.intern(&text));
        self.record(cx, self.groups_table, row, value);
        self.rebalance(cx, g);
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
