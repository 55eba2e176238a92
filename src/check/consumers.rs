//! Consumers and their broker: redelivered changes applied twice by a
//! consumer without a processed-event table, deliveries given up and
//! dead-lettered, and every event accounted for (applied, or parked).

use std::collections::{BTreeMap, BTreeSet};

use super::{Outcome, node, verdict};
use crate::model::{Body, EventId, Micros, NodeIdx, Value};
use crate::scenario::{Kind, Scenario};
use crate::sim::nodes::{dead_letter_row, dead_letter_table};
use crate::trace::query::FaultState;
use crate::trace::{FaultEvent, StepKind, Trace};

/// Deliveries, among the first `upto` steps, of an event its receiver had
/// already been delivered, that changed the receiver's state again: a
/// change counted twice. With when the first happened.
///
/// A rebuild starts its node's view afresh and replays the events into
/// it: each replayed event is applied once to the new view, not a second
/// time to the old one, so a rebuild forgets what its node was delivered.
pub(super) fn duplicates_applied(trace: &Trace, upto: usize) -> (u64, Option<Micros>) {
    let mut delivered: BTreeSet<(NodeIdx, EventId)> = BTreeSet::new();
    let mut count = 0;
    let mut first = None;
    for (i, s) in trace.steps.iter().enumerate().take(upto) {
        if s.kind == StepKind::Fault
            && let Some(FaultEvent::Rebuild(n)) = trace.faults.get(s.id as usize).map(|f| &f.fault)
        {
            // An operator's rebuild runs only on a node that is up.
            let down = FaultState::at(trace, trace.step_time(i)).down;
            if !down.contains(n) {
                delivered.retain(|(node, _)| node != n);
            }
            continue;
        }
        // A poison event rejected was not handled: its next delivery is
        // not a repeat.
        if s.kind != StepKind::Deliver || s.flags & crate::model::deliver_flags::REJECTED != 0 {
            continue;
        }
        let Some(Body::Event { event, .. }) = trace.message(s.id).and_then(|m| trace.body(m.body))
        else {
            continue;
        };
        if trace
            .nodes
            .get(s.node as usize)
            .is_some_and(|n| n.kind.carries_events())
        {
            continue;
        }
        if !delivered.insert((s.node, *event)) {
            let c = trace.first_change_of(i as u32);
            let changed = trace.changes.step_of(c).is_some_and(|s| s as usize == i);
            if changed {
                count += 1;
                first = first.or(Some(trace.step_time(i)));
            }
        }
    }
    (count, first)
}

/// Deliveries parked in dead-letter queues among the first `upto` steps,
/// with when the first was.
pub(super) fn dead_lettered(trace: &Trace, upto: usize) -> (u64, Option<Micros>) {
    let tables = dead_letter_tables(trace);
    let mut count = 0;
    let mut first = None;
    for c in trace.all_changes().take_while(|c| (c.step as usize) < upto) {
        if let Some(r) = trace.change_record(c)
            && tables.contains(&r.key.table)
            && r.value != Value::Absent
        {
            count += 1;
            first = first.or(Some(trace.step_time(c.step as usize)));
        }
    }
    (count, first)
}

fn dead_letter_tables(trace: &Trace) -> BTreeSet<u32> {
    trace
        .nodes
        .iter()
        .filter(|n| n.kind == Kind::Broker)
        .filter_map(|n| trace.names.find(&dead_letter_table(&n.id)))
        .collect()
}

/// Every event published on `topic` reached every subscriber or sits,
/// at the end, in a dead-letter queue.
pub(super) fn every_event_accounted(s: &Scenario, trace: &Trace, topic: &str) -> Outcome {
    let what = format!("every event on {topic} is applied or dead-lettered, none lost");
    let Some(sym) = trace.names.find(topic) else {
        return verdict(what, false, format!("nothing was published on {topic}"));
    };
    let subscribers: Vec<NodeIdx> = s
        .nodes
        .iter()
        .filter(|n| n.kind.reads_topic(topic))
        .filter_map(|n| node(trace, &n.id))
        .collect();
    let mut published: BTreeSet<EventId> = BTreeSet::new();
    let mut got: BTreeSet<(NodeIdx, EventId)> = BTreeSet::new();
    for st in trace.steps.iter().filter(|st| st.kind == StepKind::Deliver) {
        let Some(Body::Event { event, topic, .. }) =
            trace.message(st.id).and_then(|m| trace.body(m.body))
        else {
            continue;
        };
        if *topic != sym {
            continue;
        }
        if trace
            .nodes
            .get(st.node as usize)
            .is_some_and(|n| n.kind.carries_events())
        {
            published.insert(*event);
        } else if st.flags & crate::model::deliver_flags::REJECTED == 0 {
            // A poison event the consumer rejected is not applied.
            got.insert((st.node, *event));
        }
    }
    // What the dead-letter queues hold at the end, by row.
    let tables = dead_letter_tables(trace);
    let mut parked: BTreeMap<u32, bool> = BTreeMap::new();
    for c in trace.all_changes() {
        if let Some(r) = trace.change_record(c)
            && tables.contains(&r.key.table)
        {
            parked.insert(r.key.id, r.value != Value::Absent);
        }
    }
    let (mut applied, mut dead, mut lost) = (0, 0, Vec::new());
    for &event in &published {
        for &sub in &subscribers {
            let row = dead_letter_row(trace.node_id(event.origin), event.seq, trace.node_id(sub));
            if got.contains(&(sub, event)) {
                applied += 1;
            } else if trace
                .names
                .find(&row)
                .is_some_and(|r| parked.get(&r).copied().unwrap_or(false))
            {
                dead += 1;
            } else {
                lost.push(row);
            }
        }
    }
    let why = if lost.is_empty() {
        format!("{applied} delivery(ies) applied, {dead} parked as dead letters")
    } else {
        let n = lost.len();
        lost.truncate(4);
        format!("{n} neither applied nor parked: {}", lost.join("; "))
    };
    verdict(what, lost.is_empty(), why)
}
