//! Monitors: hazards Settle watches for in every run, whatever the
//! scenario expects, evaluated on the steps up to a moment.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Body, Key, Micros, NodeIdx, Version, deliver_flags, message_flags, value_text};
use crate::scenario::Kind;
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace};

/// A hazard Settle watches for in every run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Monitor {
    /// Sagas begun more than two seconds ago, neither completed nor
    /// compensated.
    SagasHalfDone,
    /// Concurrent writes discarded by last-writer-wins.
    WritesLost,
    /// Copies that still differ although nothing is on the wire.
    DivergedAtRest,
    /// Reads answered with an older version than the owner held.
    StaleReads,
    /// Outbox rows their relay has not published after [`OUTBOX_BOUND`].
    OutboxStuck,
    /// Reads of another service's table from a shared database.
    ForeignReads,
    /// Blind writes over a change their writer never read.
    LostUpdates,
    /// Redelivered changes applied a second time.
    DuplicatesApplied,
    /// Deliveries a broker gave up on and parked as dead letters.
    DeadLetters,
    /// Requests a client stopped waiting for: done or not, it cannot tell.
    UnknownOutcomes,
}

impl Monitor {
    /// What it counts, in words.
    pub fn what(self) -> &'static str {
        match self {
            Monitor::SagasHalfDone => "sagas left half-done",
            Monitor::WritesLost => "writes silently lost by last-writer-wins",
            Monitor::DivergedAtRest => "records still diverged with nothing in flight",
            Monitor::StaleReads => "stale reads served",
            Monitor::OutboxStuck => "outbox rows unpublished after 1 s",
            Monitor::ForeignReads => "reads of another service's table",
            Monitor::LostUpdates => "updates lost to blind writes",
            Monitor::DuplicatesApplied => "redelivered changes applied twice",
            Monitor::DeadLetters => "deliveries given up as dead letters",
            Monitor::UnknownOutcomes => "requests timed out: outcome unknown to their client",
        }
    }
}

/// A monitor's reading over the steps up to a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorReading {
    pub monitor: Monitor,
    /// How many times it happened so far.
    pub count: u64,
    /// When it first happened.
    pub first: Option<Micros>,
}

impl MonitorReading {
    pub fn what(&self) -> &'static str {
        self.monitor.what()
    }
}

/// How long an outbox row may wait for its relay before it counts as stuck.
pub const OUTBOX_BOUND: Micros = 1_000_000;

/// Copies that still differ although nothing is on the wire any more
/// that could change them (nor waiting in a log for a consumer that has
/// yet to read it), counted from when they began to differ: the
/// [`Monitor::DivergedAtRest`] reading of [`monitors`], alone (a search
/// judges only this one, on every run it tries).
pub fn diverged_at_rest(trace: &Trace, index: &Index, upto: usize) -> MonitorReading {
    let now = upto.checked_sub(1).map_or(0, |i| trace.step_time(i));
    let quiet = !super::copies::anything_on_its_way(trace, index, now, upto)
        && crate::trace::query::consumer_lags(trace, index, upto)
            .values()
            .all(|&lag| lag == 0);
    let (count, first) = if quiet && upto > 0 {
        super::copies::diverged_records(trace, index, upto)
    } else {
        (0, None)
    };
    MonitorReading {
        monitor: Monitor::DivergedAtRest,
        count,
        first,
    }
}

/// Every monitor, over the first `upto` steps.
pub fn monitors(trace: &Trace, index: &Index, upto: usize) -> Vec<MonitorReading> {
    let now = upto.checked_sub(1).map_or(0, |i| trace.step_time(i));
    let mut stale = (0, None);
    let mut foreign = (0, None);
    let mut lost_updates = (0, None);
    let mut committed_outbox: BTreeMap<(Key, Version), Micros> = BTreeMap::new();
    let mut published: BTreeSet<(Key, Version)> = BTreeSet::new();
    let bump = |c: &mut (u64, Option<Micros>), t: Micros| {
        c.0 += 1;
        c.1 = c.1.or(Some(t));
    };
    for (i, s) in trace.steps.iter().enumerate().take(upto) {
        let t = trace.step_time(i);
        if s.flags & deliver_flags::LOST_UPDATE != 0 {
            bump(&mut lost_updates, t);
        }
        let Some(m) = (s.kind == StepKind::Deliver)
            .then(|| trace.message(s.id))
            .flatten()
        else {
            continue;
        };
        match trace.body(m.body) {
            // An outbox row commits where its write is delivered.
            Some(Body::DbWrite {
                key,
                outbox: Some(_),
                ..
            }) => {
                let first = trace.first_change_of(i as u32);
                if let Some(r) = trace
                    .change(first)
                    .filter(|c| c.step as usize == i)
                    .and_then(|c| trace.change_record(c))
                {
                    committed_outbox.insert((*key, r.version), t);
                }
            }
            Some(Body::Event { record, .. })
                if trace
                    .nodes
                    .get(s.node as usize)
                    .is_some_and(|n| n.kind.carries_events()) =>
            {
                published.insert((record.key, record.version));
            }
            _ => {}
        }
        // Sends made by this step.
        let from = trace.first_message_of(i as u32);
        for msg in trace
            .messages
            .iter_from(from)
            .take_while(|msg| msg.cause as usize == i)
        {
            if msg.flags & message_flags::STALE != 0 {
                bump(&mut stale, t);
            }
            if msg.flags & message_flags::FOREIGN != 0 {
                bump(&mut foreign, t);
            }
        }
    }
    let mut stuck = (0, None);
    for (row, committed) in &committed_outbox {
        if !published.contains(row) && now.saturating_sub(*committed) > OUTBOX_BOUND {
            bump(&mut stuck, committed + OUTBOX_BOUND);
        }
    }
    let diverged = diverged_at_rest(trace, index, upto);
    let diverged = (diverged.count, diverged.first);
    // Each write last-writer-wins discarded, once however many copies
    // discarded it.
    let discarded = super::conflicts::lost_writes(trace, upto);
    let lost = (discarded.len() as u64, discarded.first().map(|&(_, t)| t));
    // Sagas begun more than two seconds ago that are neither completed
    // nor compensated: left half-done (perhaps retrying in vain).
    let mut saga_state: BTreeMap<(NodeIdx, Key), (String, Micros)> = BTreeMap::new();
    for c in trace.all_changes().take_while(|c| (c.step as usize) < upto) {
        let node = trace.change_node(c);
        if trace
            .nodes
            .get(node as usize)
            .is_none_or(|n| n.kind != Kind::Orchestrator)
        {
            continue;
        }
        if let Some(r) = trace.change_record(c) {
            let text = value_text(&trace.names, r.value);
            let t = trace.step_time(c.step as usize);
            let entry = saga_state
                .entry((node, r.key))
                .or_insert((String::new(), t));
            entry.0 = text;
        }
    }
    let mut stalled = (0, None);
    for (text, since) in saga_state.values() {
        let settled = text.starts_with("completed") || text.starts_with("compensated");
        if !settled && now.saturating_sub(*since) > 2_000_000 {
            bump(&mut stalled, *since);
        }
    }
    let twice = super::consumers::duplicates_applied(trace, upto);
    let dead = super::consumers::dead_lettered(trace, upto);
    let mut unknown = (0, None);
    for (i, _) in crate::trace::query::timeouts(trace, upto) {
        bump(&mut unknown, trace.step_time(i));
    }
    vec![
        MonitorReading {
            monitor: Monitor::SagasHalfDone,
            count: stalled.0,
            first: stalled.1,
        },
        MonitorReading {
            monitor: Monitor::WritesLost,
            count: lost.0,
            first: lost.1,
        },
        MonitorReading {
            monitor: Monitor::DivergedAtRest,
            count: diverged.0,
            first: diverged.1,
        },
        MonitorReading {
            monitor: Monitor::StaleReads,
            count: stale.0,
            first: stale.1,
        },
        MonitorReading {
            monitor: Monitor::OutboxStuck,
            count: stuck.0,
            first: stuck.1,
        },
        MonitorReading {
            monitor: Monitor::ForeignReads,
            count: foreign.0,
            first: foreign.1,
        },
        MonitorReading {
            monitor: Monitor::LostUpdates,
            count: lost_updates.0,
            first: lost_updates.1,
        },
        MonitorReading {
            monitor: Monitor::DuplicatesApplied,
            count: twice.0,
            first: twice.1,
        },
        MonitorReading {
            monitor: Monitor::DeadLetters,
            count: dead.0,
            first: dead.1,
        },
        MonitorReading {
            monitor: Monitor::UnknownOutcomes,
            count: unknown.0,
            first: unknown.1,
        },
    ]
}
