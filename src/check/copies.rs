//! Replication: copies that agree with their owner by a moment, lag at a
//! moment, show every write within a bound, and receive every event and
//! every committed version.

use std::collections::{BTreeMap, BTreeSet};

use super::{Outcome, node, verdict};
use crate::model::{Body, EventId, Key, Micros, NodeIdx, Version, fmt_time};
use crate::scenario::Scenario;
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace};

/// Every copy of `table` agrees with its owner at time `by`.
pub(super) fn converged(trace: &Trace, index: &Index, table: &str, by: Micros) -> Outcome {
    let what = format!(
        "every copy of {table} agrees with its owner by {}",
        fmt_time(by)
    );
    let Some(sym) = trace.names.find(table) else {
        return verdict(what, false, format!("no table {table} was ever written"));
    };
    let upto = trace.first_step_at(by + 1);
    let diverged = index.divergent_keys(trace, sym, upto);
    let total = index.id_count(sym);
    if diverged.is_empty() {
        verdict(
            what,
            true,
            format!("all {total} records match on every copy"),
        )
    } else {
        let sample: Vec<&str> = diverged
            .iter()
            .take(5)
            .map(|&id| trace.names.get(id))
            .collect();
        verdict(
            what,
            false,
            format!(
                "{} of {total} records still differ (e.g. {})",
                diverged.len(),
                sample.join(", ")
            ),
        )
    }
    .at(Some(by))
}

/// Some copy of `table` differs from its owner at time `at`.
pub(super) fn diverged(trace: &Trace, index: &Index, table: &str, at: Micros) -> Outcome {
    let what = format!(
        "some copy of {table} lags behind its owner at {}",
        fmt_time(at)
    );
    let Some(sym) = trace.names.find(table) else {
        return verdict(what, false, format!("no table {table} was ever written"));
    };
    let upto = trace.first_step_at(at + 1);
    let diverged = index.divergent_keys(trace, sym, upto);
    let n = diverged.len();
    verdict(
        what,
        n > 0,
        format!("{n} record(s) differ between copies at that moment"),
    )
    .at(Some(at))
}

pub(super) fn visible_within(trace: &Trace, table: &str, within: u64) -> Outcome {
    let what = format!(
        "every write to {table} shows on every copy within {}",
        crate::scenario::Dur(within)
    );
    let lags = crate::trace::query::visibility_lags(trace, table);
    if lags.is_empty() {
        return verdict(what, false, format!("no write to {table} reached a copy"));
    }
    let never = lags.iter().filter(|(_, l)| l.is_none()).count();
    let worst = lags.iter().filter_map(|(_, l)| *l).max().unwrap_or(0);
    let seen: Vec<u64> = lags.iter().filter_map(|(_, l)| *l).collect();
    let mean = seen.iter().sum::<u64>() / (seen.len().max(1) as u64);
    let why = format!(
        "{} write(s) × copies: mean lag {}, worst {}{}",
        lags.len(),
        crate::scenario::fmt_ms(mean),
        crate::scenario::fmt_ms(worst),
        if never > 0 {
            format!(", {never} never shown")
        } else {
            String::new()
        }
    );
    verdict(what, never == 0 && worst <= within, why)
}

/// Every event published on `topic` was delivered to every subscriber.
pub(super) fn no_event_lost(s: &Scenario, trace: &Trace, topic: &str) -> Outcome {
    let what = format!("no event on {topic} is lost");
    let Some(sym) = trace.names.find(topic) else {
        return verdict(what, false, format!("nothing was published on {topic}"));
    };
    let mut published: BTreeSet<EventId> = BTreeSet::new();
    let mut got: BTreeMap<NodeIdx, BTreeSet<EventId>> = BTreeMap::new();
    let subscribers: BTreeSet<NodeIdx> = s
        .nodes
        .iter()
        .filter(|n| n.kind.reads_topic(topic))
        .filter_map(|n| node(trace, &n.id))
        .collect();
    for s in trace.steps.iter().filter(|s| s.kind == StepKind::Deliver) {
        let Some(m) = trace.message(s.id) else {
            continue;
        };
        let Some(Body::Event { event, topic, .. }) = trace.body(m.body) else {
            continue;
        };
        if *topic != sym {
            continue;
        }
        if trace
            .nodes
            .get(s.node as usize)
            .is_some_and(|n| n.kind.carries_events())
        {
            published.insert(*event);
        } else if subscribers.contains(&s.node) {
            got.entry(s.node).or_default().insert(*event);
        }
    }
    // Events handed to the broker but never received by it are lost too.
    let mut sent_to_broker: BTreeSet<EventId> = BTreeSet::new();
    for m in trace.messages.iter() {
        if let Some(Body::Event { event, topic, .. }) = trace.body(m.body)
            && *topic == sym
            && trace
                .nodes
                .get(m.to as usize)
                .is_some_and(|n| n.kind.carries_events())
        {
            sent_to_broker.insert(*event);
        }
    }
    let never_reached_broker = sent_to_broker.difference(&published).count();
    let mut missing = Vec::new();
    for (&sub, have) in &got {
        let lacking = published.difference(have).count();
        if lacking > 0 {
            missing.push(format!("{} lacks {lacking}", trace.node_id(sub)));
        }
    }
    let subs_with_none: Vec<&str> = subscribers
        .iter()
        .filter(|s| !got.contains_key(s))
        .map(|&s| trace.node_id(s))
        .collect();
    let passed = missing.is_empty()
        && never_reached_broker == 0
        && (published.is_empty() || subs_with_none.is_empty());
    let why = if passed {
        format!("all {} event(s) reached every subscriber", published.len())
    } else {
        let mut parts = missing;
        if never_reached_broker > 0 {
            parts.push(format!("{never_reached_broker} never reached the broker"));
        }
        if !subs_with_none.is_empty() && !published.is_empty() {
            parts.push(format!("{} received none", subs_with_none.join(", ")));
        }
        parts.join("; ")
    };
    verdict(what, passed, why)
}

/// Every version committed at the table's owner was delivered, as an
/// event, to every copy of the table.
pub(super) fn no_write_lost(trace: &Trace, table: &str) -> Outcome {
    let what = format!("no write to {table} is lost on the way to its copies");
    let Some(sym) = trace.names.find(table) else {
        return verdict(what, false, format!("no table {table} was ever written"));
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return verdict(what, false, format!("no service owns {table}"));
    };
    let mut committed: BTreeSet<(Key, Version)> = BTreeSet::new();
    for c in trace.all_changes() {
        if trace.change_node(c) != info.owner {
            continue;
        }
        if let Some(r) = trace.change_record(c).filter(|r| r.key.table == sym) {
            committed.insert((r.key, r.version));
        }
    }
    let mut delivered = BTreeSet::new();
    for s in trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Deliver && info.replicas.contains(&s.node))
    {
        let Some(m) = trace.message(s.id) else {
            continue;
        };
        if let Some(Body::Event { record, .. }) = trace.body(m.body) {
            delivered.insert((s.node, record.key, record.version));
        }
    }
    let mut lost = Vec::new();
    let mut first_lost: Option<Micros> = None;
    for &(key, version) in &committed {
        for &r in &info.replicas {
            if !delivered.contains(&(r, key, version)) {
                first_lost = Some(first_lost.map_or(version.time, |t| t.min(version.time)));
                lost.push(format!(
                    "{} {version} never reached {}",
                    trace.key_text(key),
                    trace.node_id(r)
                ));
            }
        }
    }
    let outcome = if lost.is_empty() {
        verdict(
            what,
            true,
            format!(
                "all {} committed write(s) reached all {} copies",
                committed.len(),
                info.replicas.len()
            ),
        )
    } else {
        let n = lost.len();
        lost.truncate(4);
        verdict(
            what,
            false,
            format!("{n} delivery(ies) missing: {}", lost.join("; ")),
        )
    };
    outcome.at(first_lost)
}

/// Whether something on the wire at `now` (`upto` steps applied) may still
/// change a copy. A CDC connector's poll of a change log it has read to
/// the end carries nothing, and a connector polls on a timer whatever
/// happens: it must not make diverged copies look as if they were still
/// settling.
pub(super) fn anything_on_its_way(trace: &Trace, index: &Index, now: Micros, upto: usize) -> bool {
    let mut log_ends: BTreeMap<NodeIdx, u32> = BTreeMap::new();
    index.in_flight_at(trace, now).into_iter().any(|m| {
        let Some(msg) = trace.message(m) else {
            return false;
        };
        let Some(&Body::LogPoll { from }) = trace.body(msg.body) else {
            return true;
        };
        // Rows in the database's change log: one per change it committed.
        let end = *log_ends.entry(msg.to).or_insert_with(|| {
            trace
                .all_changes()
                .take_while(|c| (c.step as usize) < upto)
                .filter(|&c| trace.change_node(c) == msg.to)
                .count() as u32
        });
        end > from
    })
}

/// The records of multi-copy tables that differ between copies once
/// `upto` steps were applied, and when the oldest difference began.
pub(super) fn diverged_records(trace: &Trace, index: &Index, upto: usize) -> (u64, Option<Micros>) {
    let mut count = 0;
    let mut began: Option<Micros> = None;
    for t in trace.tables.iter().filter(|t| !t.replicas.is_empty()) {
        for id in index.divergent_keys(trace, t.name, upto) {
            count += 1;
            let key = Key { table: t.name, id };
            if let Some(since) = index.diverged_since(trace, t, key, upto) {
                began = Some(began.map_or(since, |b| b.min(since)));
            }
        }
    }
    (count, began)
}
