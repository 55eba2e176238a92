//! A consumer of a partitioned log, as every kind that reads one embeds
//! it: the member pulls. For each partition its group assigned it, it
//! sends a fetch from its position (or, at first, from the group's
//! committed offset), handles the batch that comes back one event at a
//! time at its group's pace, commits the offset as the group's policy
//! says, and fetches again. A lost fetch or batch is asked for again after
//! a while. When the log deals the partitions anew (a rebalance), the
//! member drops what it had not handled and resumes every partition it
//! now holds from the committed offset. Back from a crash it knows
//! nothing: it asks to join, and waits for its partitions.
//!
//! A kind hands the member every message from the log and every timer;
//! the member gives back, one at a time, the events to handle, which the
//! kind handles as it would any event, then says it is done.

use std::collections::VecDeque;

use crate::model::{Body, Micros, NodeIdx, Sym};
use crate::scenario::{CommitPolicy, NodeKind, log_consumers, log_groups, reader_of};
use crate::sim::build::BuildError;
use crate::sim::nodes::{Cx, Incoming};
use crate::sim::wiring::Wiring;

/// The high half of a member's timer tags says what the timer is for.
/// Handling an event: the low half is the body of the event, so the trace
/// tells which event each handling step handled.
const HANDLE: u32 = crate::scenario::HANDLE_TAG;
/// Fetching again if the fetch numbered by the low half got no batch.
const REFETCH: u32 = 0x4c4f_0002;
/// The first fetches, once the run has begun.
const START: u32 = 0x4c4f_0003;
/// The group's automatic commit.
const AUTO_COMMIT: u32 = 0x4c4f_0004;
/// Asking to join again if the join numbered by the low half got no
/// assignment.
const REJOIN: u32 = 0x4c4f_0005;
/// Asking to join again if, in the generation the low half names, the
/// assignment of some topic it reads never came (it was lost).
const UNASSIGNED: u32 = 0x4c4f_0006;

fn tag(kind: u32, low: u32) -> u64 {
    (u64::from(kind) << 32) | u64::from(low)
}

/// One partition the member reads (all memory: a crash forgets it).
#[derive(Clone, Debug)]
struct Part {
    topic: Sym,
    part: u32,
    /// The next offset to fetch; none until the first batch, which starts
    /// at the group's committed offset.
    position: Option<u32>,
    /// The fetch awaiting its batch, by number.
    fetching: Option<u32>,
    /// The offset just after the batch being handled.
    batch_end: Option<u32>,
    /// The last offset this member committed.
    committed: Option<u32>,
    /// The partition's end as the last batch reported it.
    end: Option<u32>,
}

/// An event fetched and not yet handled.
#[derive(Clone, Copy, Debug)]
struct Queued {
    topic: Sym,
    part: u32,
    offset: u32,
    body: u32,
}

/// What a timer meant to the member.
pub enum Timer {
    /// Not one of the member's timers: the kind's own.
    NotMine,
    /// The member did what it was for.
    Done,
    /// Handle this event as if it had arrived, then call
    /// [`Member::handled`].
    Handle(Incoming),
}

#[derive(Clone, Debug)]
pub struct Member {
    log: NodeIdx,
    /// The topics it reads from this log; it joins by the first.
    topics: Vec<Sym>,
    policy: CommitPolicy,
    max_poll: u32,
    pace: Micros,
    /// How long it waits for a batch (or an assignment) before asking
    /// again.
    resend: Micros,
    /// The partitions the scenario deals it when every member is alive:
    /// what it reads from the start.
    initial: Vec<(Sym, u32)>,
    generation: u32,
    parts: Vec<Part>,
    queue: VecDeque<Queued>,
    /// The event being handled, between `on_timer` and `handled`.
    current: Option<Queued>,
    /// Whether a handling timer is armed.
    handling: bool,
    fetches: u32,
    joins: u32,
    /// Joined and no assignment yet.
    joining: bool,
    /// How many times the log has dealt it partitions anew.
    assignments: u32,
    /// The topics whose assignment of the current generation arrived.
    assigned: Vec<Sym>,
}

impl Member {
    /// The member node `w.my_id` is of log `log`, or `None` when `log` is
    /// not a partitioned log (a broker pushes instead).
    pub fn build(w: &mut Wiring, log: &str) -> Result<Option<Member>, BuildError> {
        let Some(NodeKind::Log(spec)) = w
            .scenario
            .nodes
            .iter()
            .find(|n| n.id == log)
            .map(|n| &n.kind)
        else {
            return Ok(None);
        };
        let me = w.my_id;
        let consumers = log_consumers(w.scenario, log);
        let topics: Vec<String> = consumers
            .iter()
            .find(|(id, _)| id == me)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let Some(group) = log_groups(w.scenario, log)
            .into_iter()
            .find(|g| g.members.iter().any(|m| m == me))
        else {
            return Ok(None);
        };
        let mut initial = Vec::new();
        for t in &topics {
            let Some(lt) = spec.topics.iter().find(|x| &x.name == t) else {
                continue;
            };
            for p in 0..lt.partitions.clamp(1, 64) {
                if reader_of(&consumers, &group, t, p) == Some(me) {
                    initial.push((w.intern(t), p));
                }
            }
        }
        // Asks again before the log would take its silence for a crash.
        let fetch_wait = spec.fetch_wait.0.max(1000);
        let session = spec.session_timeout.0.max(1000);
        Ok(Some(Member {
            log: w.find(log)?,
            topics: topics.iter().map(|t| w.intern(t)).collect(),
            policy: group.commit,
            max_poll: group.max_poll,
            pace: group.pace.0,
            resend: fetch_wait.saturating_mul(2).min(session / 2).max(1000),
            initial,
            generation: 0,
            parts: Vec::new(),
            queue: VecDeque::new(),
            current: None,
            handling: false,
            fetches: 0,
            joins: 0,
            joining: false,
            assignments: 0,
            assigned: Vec::new(),
        }))
    }

    /// The run begins: fetch once time starts.
    pub fn on_start(&mut self, cx: &mut Cx) {
        cx.timer(0, tag(START, 0));
        self.arm_auto_commit(cx);
    }

    fn arm_auto_commit(&self, cx: &mut Cx) {
        if let CommitPolicy::Every(d) = self.policy {
            cx.timer(d.0.max(1000), tag(AUTO_COMMIT, 0));
        }
    }

    fn fetch(&mut self, cx: &mut Cx, i: usize) {
        self.fetches += 1;
        let n = self.fetches;
        let Some(p) = self.parts.get_mut(i) else {
            return;
        };
        p.fetching = Some(n);
        let body = Body::Fetch {
            topic: p.topic,
            part: p.part,
            from: p.position,
            max: self.max_poll,
            generation: self.generation,
        };
        cx.send(self.log, body);
        cx.timer(self.resend, tag(REFETCH, n));
    }

    fn commit(&mut self, cx: &mut Cx, i: usize, offset: u32) {
        let Some(p) = self.parts.get_mut(i) else {
            return;
        };
        p.committed = Some(offset);
        let body = Body::Commit {
            topic: p.topic,
            part: p.part,
            offset,
        };
        cx.send(self.log, body);
    }

    fn find(&self, topic: Sym, part: u32) -> Option<usize> {
        self.parts
            .iter()
            .position(|p| p.topic == topic && p.part == part)
    }

    fn arm_handling(&mut self, cx: &mut Cx) {
        if self.handling {
            return;
        }
        if let Some(q) = self.queue.front() {
            self.handling = true;
            cx.timer(self.pace, tag(HANDLE, q.body));
        }
    }

    /// Starts reading one partition, from the group's committed offset
    /// (the log answers the first fetch from there).
    fn read_part(&mut self, cx: &mut Cx, topic: Sym, part: u32) {
        self.parts.push(Part {
            topic,
            part,
            position: None,
            fetching: None,
            batch_end: None,
            committed: None,
            end: None,
        });
        let i = self.parts.len() - 1;
        self.fetch(cx, i);
    }

    /// Reads partitions of `topic` anew: those in `parts` (bit n:
    /// partition n), each from the committed offset.
    fn assign(&mut self, cx: &mut Cx, topic: Sym, parts: u64) {
        self.assignments += 1;
        self.parts.retain(|p| p.topic != topic);
        self.queue.retain(|q| q.topic != topic);
        for part in (0..64u32).filter(|b| parts & (1u64 << b) != 0) {
            self.read_part(cx, topic, part);
        }
    }

    /// Takes a message from the log; false when it is not the member's.
    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) -> bool {
        if m.from != self.log {
            return false;
        }
        match m.body {
            Body::Fetched {
                topic,
                part,
                asked,
                from,
                count,
                first,
                committed,
                generation,
                end,
            } => {
                if generation != self.generation {
                    return true;
                }
                if let Some(i) = self.find(topic, part) {
                    self.parts[i].end = Some(end);
                }
                self.recommit(cx, (topic, part), committed);
                self.batch(cx, (topic, part), asked, (from, count, first));
            }
            Body::Assigned {
                topic,
                parts,
                generation,
            } => {
                let mine: u64 = self
                    .parts
                    .iter()
                    .filter(|p| p.topic == topic)
                    .fold(0, |acc, p| acc | (1u64 << p.part.min(63)));
                let same = generation == self.generation && mine == parts && !self.joining;
                if generation < self.generation || same {
                    return true;
                }
                if generation != self.generation {
                    self.assigned.clear();
                    // The log deals every topic it reads: one whose
                    // assignment is lost would go unread.
                    cx.timer(self.resend, tag(UNASSIGNED, generation));
                }
                if !self.assigned.contains(&topic) {
                    self.assigned.push(topic);
                }
                self.generation = generation;
                self.joining = false;
                self.assign(cx, topic, parts);
            }
            _ => return false,
        }
        true
    }

    /// The log says the group's committed offset is `committed`: if this
    /// member committed further and the commit never arrived (a commit
    /// is not answered), it commits again.
    fn recommit(&mut self, cx: &mut Cx, (topic, part): (Sym, u32), committed: u32) {
        if let Some(i) = self.find(topic, part)
            && let Some(mine) = self.parts[i].committed
            && committed < mine
        {
            self.commit(cx, i, mine);
        }
    }

    /// A batch arrived: it moves the position on, commits first if the
    /// group commits before handling, and queues the events.
    fn batch(&mut self, cx: &mut Cx, (topic, part): (Sym, u32), asked: u32, b: (u32, u32, u32)) {
        let (from, count, first) = b;
        let Some(i) = self.find(topic, part) else {
            return;
        };
        let p = &mut self.parts[i];
        if p.fetching.is_none() || p.position.is_some_and(|x| x != asked) {
            return;
        }
        p.fetching = None;
        let end = from.saturating_add(count);
        p.position = Some(end);
        if count == 0 {
            self.fetch(cx, i);
            return;
        }
        p.batch_end = Some(end);
        if self.policy == CommitPolicy::BeforeHandling {
            self.commit(cx, i, end);
        }
        for k in 0..count {
            self.queue.push_back(Queued {
                topic,
                part,
                offset: from + k,
                body: first.saturating_add(k),
            });
        }
        self.arm_handling(cx);
    }

    /// Takes a timer; see [`Timer`].
    pub fn on_timer(&mut self, cx: &mut Cx, t: u64) -> Timer {
        let (kind, low) = ((t >> 32) as u32, (t & 0xffff_ffff) as u32);
        match kind {
            HANDLE => {
                self.handling = false;
                if self.queue.front().is_some_and(|q| q.body == low)
                    && let Some(q) = self.queue.pop_front()
                    && let Some(body) = cx.body(q.body)
                {
                    self.current = Some(q);
                    return Timer::Handle(Incoming {
                        from: self.log,
                        body_id: q.body,
                        body,
                    });
                }
                self.arm_handling(cx);
            }
            REFETCH => {
                if let Some(i) = self.parts.iter().position(|p| p.fetching == Some(low)) {
                    self.fetch(cx, i);
                }
            }
            START => {
                for (topic, part) in self.initial.clone() {
                    self.read_part(cx, topic, part);
                }
            }
            AUTO_COMMIT => {
                for i in 0..self.parts.len() {
                    let p = &self.parts[i];
                    if let Some(at) = p.position
                        && p.committed != Some(at)
                    {
                        self.commit(cx, i, at);
                    }
                }
                self.arm_auto_commit(cx);
            }
            UNASSIGNED => {
                let missing = self.topics.iter().any(|t| !self.assigned.contains(t));
                if low == self.generation && missing && !self.joining {
                    self.join(cx);
                }
            }
            REJOIN => {
                if self.joining && low == self.joins {
                    self.join(cx);
                }
            }
            _ => return Timer::NotMine,
        }
        Timer::Done
    }

    /// The kind has handled the event the last timer gave it: at the end
    /// of a batch the member commits (if the group commits after
    /// handling) and fetches the next; otherwise the next event waits for
    /// the group's pace.
    pub fn handled(&mut self, cx: &mut Cx) {
        if let Some(q) = self.current.take()
            && let Some(i) = self.find(q.topic, q.part)
            && self.parts[i].batch_end == Some(q.offset + 1)
        {
            self.parts[i].batch_end = None;
            if self.policy == CommitPolicy::AfterHandling {
                self.commit(cx, i, q.offset + 1);
            }
            self.fetch(cx, i);
        }
        self.arm_handling(cx);
    }

    /// Reads every partition it holds again from its earliest kept event
    /// (a seek to the beginning): what was fetched and not handled is
    /// dropped, and the group's commits follow the new reading.
    pub fn seek_to_beginning(&mut self, cx: &mut Cx) {
        self.queue.clear();
        for i in 0..self.parts.len() {
            let p = &mut self.parts[i];
            p.position = Some(0);
            p.batch_end = None;
            p.end = None;
            self.fetch(cx, i);
        }
    }

    /// How many times the log has dealt it partitions anew (each time it
    /// resumes from the committed offsets).
    pub fn assignments(&self) -> u32 {
        self.assignments
    }

    /// Events between where it reads and the ends the log last reported,
    /// fetched or not, besides the one being handled; `None` until every
    /// partition it holds has reported its end, and while some topic it
    /// reads has no partition dealt to it (an assignment still to come).
    pub fn remaining(&self) -> Option<u32> {
        if self
            .topics
            .iter()
            .any(|t| !self.parts.iter().any(|p| p.topic == *t))
        {
            return None;
        }
        let mut n = self.queue.len() as u32;
        for p in &self.parts {
            n = n.saturating_add(p.end?.saturating_sub(p.position?));
        }
        Some(n)
    }

    fn join(&mut self, cx: &mut Cx) {
        let Some(&topic) = self.topics.first() else {
            return;
        };
        self.joins += 1;
        self.joining = true;
        cx.send(self.log, Body::Join { topic });
        cx.timer(self.resend, tag(REJOIN, self.joins));
    }

    /// A crash forgets everything the member knew.
    pub fn on_crash(&mut self) {
        self.generation = 0;
        self.parts.clear();
        self.queue.clear();
        self.current = None;
        self.handling = false;
        self.joining = false;
    }

    /// Back from a crash: ask to join the group again.
    pub fn on_restart(&mut self, cx: &mut Cx) {
        self.join(cx);
        self.arm_auto_commit(cx);
    }
}

/// Runs a kind's timer through its member first: an event the member
/// hands over is handled by `handle` (the kind's own handling of a
/// delivered message). True when the member took the timer.
pub fn member_timer<K>(
    kind: &mut K,
    cx: &mut Cx,
    t: u64,
    member: fn(&mut K) -> Option<&mut Member>,
    handle: fn(&mut K, &mut Cx, &Incoming),
) -> bool {
    let Some(m) = member(kind) else {
        return false;
    };
    match m.on_timer(cx, t) {
        Timer::NotMine => false,
        Timer::Done => true,
        Timer::Handle(msg) => {
            handle(kind, cx, &msg);
            if let Some(m) = member(kind) {
                m.handled(cx);
            }
            true
        }
    }
}
