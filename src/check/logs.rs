//! Partitioned logs: each consumer handles a key's events in the order the
//! log appended them (order holds per key, through every fault), and a
//! group that has caught up has handled every event at least once.

use std::collections::{BTreeMap, BTreeSet};

use super::{Outcome, node, verdict};
use crate::model::{Body, EventId, Key, Micros, NodeIdx, Sym, Value};
use crate::scenario::{Scenario, log_consumers, log_groups, log_lag_table};
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace};

/// An event delivered: at which step, to whom, from whom.
struct Delivered {
    step: usize,
    to: NodeIdx,
    from: NodeIdx,
    event: EventId,
    topic: Sym,
    key: Sym,
}

fn deliveries(trace: &Trace) -> impl Iterator<Item = Delivered> + '_ {
    trace.steps.iter().enumerate().filter_map(|(i, st)| {
        if st.kind != StepKind::Deliver {
            return None;
        }
        let m = trace.message(st.id)?;
        let Some(Body::Event {
            event,
            topic,
            record,
            ..
        }) = trace.body(m.body)
        else {
            return None;
        };
        Some(Delivered {
            step: i,
            to: st.node,
            from: trace.sender(m),
            event: *event,
            topic: *topic,
            key: record.key.id,
        })
    })
}

/// For every consumer of `log`, the events of each key arrive for the
/// first time in the order the log appended them.
pub(super) fn key_order_kept(s: &Scenario, trace: &Trace, log: &str) -> Outcome {
    let what = format!("each consumer of {log} gets every key's events in the log's order");
    let Some(li) = node(trace, log) else {
        return verdict(what, false, format!("there is no node {log}"));
    };
    let consumers: BTreeSet<NodeIdx> = log_consumers(s, log)
        .iter()
        .filter_map(|(id, _)| node(trace, id))
        .collect();
    let mut position: BTreeMap<EventId, u64> = BTreeMap::new();
    let mut first: BTreeSet<(NodeIdx, EventId)> = BTreeSet::new();
    let mut last: BTreeMap<(NodeIdx, Sym, Sym), u64> = BTreeMap::new();
    let (mut checked, mut broken) = (0u64, Vec::new());
    let mut at: Option<Micros> = None;
    for d in deliveries(trace) {
        if d.to == li {
            let n = position.len() as u64;
            position.entry(d.event).or_insert(n);
            continue;
        }
        if d.from != li || !consumers.contains(&d.to) || !first.insert((d.to, d.event)) {
            continue;
        }
        let Some(&pos) = position.get(&d.event) else {
            continue;
        };
        checked += 1;
        let slot = last.entry((d.to, d.topic, d.key)).or_insert(pos);
        if pos < *slot {
            at = at.or(Some(trace.step_time(d.step)));
            broken.push(format!(
                "{} got an older event of {} after a newer one",
                trace.node_id(d.to),
                trace.names.get(d.key)
            ));
        }
        *slot = (*slot).max(pos);
    }
    let why = if broken.is_empty() {
        format!("{checked} first deliveries, each key's in the log's order")
    } else {
        let n = broken.len();
        broken.truncate(3);
        format!("{n} out of order: {}", broken.join("; "))
    };
    verdict(what, broken.is_empty() && checked > 0, why).at(at)
}

/// By time `by`, consumer group `group` of `log` has handled every event
/// the log appended on the topics it reads, at least once, and every
/// member's lag is zero.
pub(super) fn group_caught_up(
    s: &Scenario,
    trace: &Trace,
    index: &Index,
    log: &str,
    group: &str,
    by: Micros,
) -> Outcome {
    let what = format!("group {group} on {log} has caught up, every event handled at least once");
    let (Some(li), Some(g)) = (
        node(trace, log),
        log_groups(s, log).into_iter().find(|g| g.name == group),
    ) else {
        return verdict(what, false, format!("{log} has no group {group}"));
    };
    let consumers = log_consumers(s, log);
    let members: BTreeMap<NodeIdx, String> = g
        .members
        .iter()
        .filter_map(|m| node(trace, m).map(|i| (i, m.clone())))
        .collect();
    let topics: BTreeSet<Sym> = consumers
        .iter()
        .filter(|(id, _)| g.members.contains(id))
        .flat_map(|(_, ts)| ts.iter().filter_map(|t| trace.names.find(t)))
        .collect();
    let upto = trace.first_step_at(by.saturating_add(1));
    let mut appended: BTreeSet<EventId> = BTreeSet::new();
    let mut handled: BTreeSet<EventId> = BTreeSet::new();
    for d in deliveries(trace).take_while(|d| d.step < upto) {
        if !topics.contains(&d.topic) {
            continue;
        }
        if d.to == li {
            appended.insert(d.event);
        } else if d.from == li && members.contains_key(&d.to) {
            handled.insert(d.event);
        }
    }
    let missing = appended.difference(&handled).count();
    let mut lagging = Vec::new();
    if let Some(table) = trace.names.find(&log_lag_table(log)) {
        for (&m, id) in &members {
            let Some(row) = trace.names.find(id) else {
                continue;
            };
            let key = Key { table, id: row };
            if let Some((r, _)) = index.record_at(trace, li, key, upto)
                && let Value::Int(n) = r.value
                && n > 0
            {
                lagging.push(format!("{} lags by {n}", trace.node_id(m)));
            }
        }
    }
    let passed = !appended.is_empty() && missing == 0 && lagging.is_empty();
    let mut why = format!(
        "{} event(s) appended, {} handled by the group",
        appended.len(),
        appended.len() - missing
    );
    if !lagging.is_empty() {
        why.push_str(&format!("; {}", lagging.join(", ")));
    }
    verdict(what, passed, why)
}
