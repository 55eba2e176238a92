//! Partitioned logs: each consumer handles a key's events, the first time
//! it gets each, in the order the log appended them (order holds per key,
//! through every fault); every handling is counted, so events a consumer
//! gets again after newer ones (a resume from an older offset, a rewind)
//! are seen; and a group that has caught up has handled every event at
//! least once.

use std::collections::{BTreeMap, BTreeSet};

use super::{Outcome, node, verdict};
use crate::model::{Body, EventId, Key, Micros, NodeIdx, Sym, Value};
use crate::scenario::{Scenario, log_consumers, log_groups, log_lag_table};
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace};

/// An event delivered to the log (a publish) or handled by a consumer:
/// at which step, by whom.
struct Delivered {
    step: usize,
    to: NodeIdx,
    event: EventId,
    topic: Sym,
    key: Sym,
}

fn event_of(trace: &Trace, body: u32) -> Option<(EventId, Sym, Sym)> {
    match trace.body(body)? {
        Body::Event {
            event,
            topic,
            record,
            ..
        } => Some((*event, *topic, record.key.id)),
        _ => None,
    }
}

/// Events delivered to node `log`, in the order it received them: the
/// first delivery of each is its place in the log.
fn published(trace: &Trace, log: NodeIdx) -> impl Iterator<Item = Delivered> + '_ {
    trace.steps.iter().enumerate().filter_map(move |(i, st)| {
        if st.kind != StepKind::Deliver || st.node != log {
            return None;
        }
        let m = trace.message(st.id)?;
        let (event, topic, key) = event_of(trace, m.body)?;
        Some(Delivered {
            step: i,
            to: st.node,
            event,
            topic,
            key,
        })
    })
}

/// Events handled by the members of a log's groups: a member handles
/// each fetched event in a step of its own, whose timer names the event.
fn handled(trace: &Trace) -> impl Iterator<Item = Delivered> + '_ {
    trace.steps.iter().enumerate().filter_map(|(i, st)| {
        if st.kind != StepKind::Timer {
            return None;
        }
        let t = trace.timed.get(st.id as usize)?;
        if t.b != crate::scenario::HANDLE_TAG {
            return None;
        }
        let (event, topic, key) = event_of(trace, t.a)?;
        Some(Delivered {
            step: i,
            to: st.node,
            event,
            topic,
            key,
        })
    })
}

/// How a log's consumers got each key's events: every handling counted.
struct Orders {
    /// Handlings in all, and first ones.
    all: u64,
    first: u64,
    /// First handlings that came after a newer event of the same key.
    broken: Vec<(Micros, String)>,
    /// Handlings (repeats) of an event older than one of the same key the
    /// consumer had already handled.
    older_again: Vec<Micros>,
}

fn orders(s: &Scenario, trace: &Trace, li: NodeIdx, log: &str) -> Orders {
    // Each consumer's group: "first" means the first time its group got
    // the event, as a member that takes over a partition, or is rewound,
    // resumes from an offset the group has read past.
    let group_of: BTreeMap<NodeIdx, usize> = log_groups(s, log)
        .iter()
        .enumerate()
        .flat_map(|(g, grp)| {
            grp.members
                .iter()
                .filter_map(|m| node(trace, m))
                .map(move |n| (n, g))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut position: BTreeMap<EventId, u64> = BTreeMap::new();
    for d in published(trace, li) {
        let n = position.len() as u64;
        position.entry(d.event).or_insert(n);
    }
    let mut first: BTreeSet<(usize, EventId)> = BTreeSet::new();
    let mut group_newest: BTreeMap<(usize, Sym, Sym), u64> = BTreeMap::new();
    let mut newest: BTreeMap<(NodeIdx, Sym, Sym), u64> = BTreeMap::new();
    let mut o = Orders {
        all: 0,
        first: 0,
        broken: Vec::new(),
        older_again: Vec::new(),
    };
    for d in handled(trace) {
        let Some(&g) = group_of.get(&d.to) else {
            continue;
        };
        let Some(&pos) = position.get(&d.event) else {
            continue;
        };
        o.all += 1;
        let is_first = first.insert((g, d.event));
        let group_slot = group_newest.entry((g, d.topic, d.key)).or_insert(pos);
        let group_older = pos < *group_slot;
        *group_slot = (*group_slot).max(pos);
        let slot = newest.entry((d.to, d.topic, d.key)).or_insert(pos);
        let older = pos < *slot;
        if is_first {
            o.first += 1;
            if group_older {
                o.broken.push((
                    trace.step_time(d.step),
                    format!(
                        "{} got an older event of {} after a newer one, the first time its group got it",
                        trace.node_id(d.to),
                        trace.names.get(d.key)
                    ),
                ));
            }
        } else if older {
            o.older_again.push(trace.step_time(d.step));
        }
        *slot = (*slot).max(pos);
    }
    o
}

/// For every consumer of `log`, the events of each key are handled for
/// the first time in the order the log appended them; every handling is
/// counted, repeats included.
pub(super) fn key_order_kept(s: &Scenario, trace: &Trace, log: &str) -> Outcome {
    let what = format!("each consumer of {log} gets every key's events first in the log's order");
    let Some(li) = node(trace, log) else {
        return verdict(what, false, format!("there is no node {log}"));
    };
    let mut o = orders(s, trace, li, log);
    let at = o.broken.first().map(|b| b.0);
    let why = if o.broken.is_empty() {
        format!(
            "{} deliveries: {} first, each key's in the log's order; {} repeats, {} of them an older event after a newer one",
            o.all,
            o.first,
            o.all - o.first,
            o.older_again.len()
        )
    } else {
        let n = o.broken.len();
        o.broken.truncate(3);
        let said: Vec<String> = o.broken.into_iter().map(|b| b.1).collect();
        format!("{n} out of order: {}", said.join("; "))
    };
    verdict(what, at.is_none() && o.first > 0, why).at(at)
}

/// At least `at_least` times, a consumer of `log` got an event of a key
/// again after a newer one of that key: it resumed from an older offset
/// or was rewound.
pub(super) fn older_after_newer(s: &Scenario, trace: &Trace, log: &str, at_least: u32) -> Outcome {
    let what = format!(
        "a consumer of {log} gets an older event again after a newer one, at least {at_least} time(s)"
    );
    let Some(li) = node(trace, log) else {
        return verdict(what, false, format!("there is no node {log}"));
    };
    let o = orders(s, trace, li, log);
    let n = o.older_again.len();
    let at = o
        .older_again
        .get((at_least as usize).saturating_sub(1))
        .copied();
    verdict(
        what,
        n >= at_least as usize,
        format!("{n} of {} deliveries", o.all),
    )
    .at(at)
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
    let appended: BTreeSet<EventId> = published(trace, li)
        .take_while(|d| d.step < upto)
        .filter(|d| topics.contains(&d.topic))
        .map(|d| d.event)
        .collect();
    let handled: BTreeSet<EventId> = handled(trace)
        .take_while(|d| d.step < upto)
        .filter(|d| topics.contains(&d.topic) && members.contains_key(&d.to))
        .map(|d| d.event)
        .collect();
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
