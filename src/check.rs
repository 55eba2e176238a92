//! Evaluates a scenario's expectations against a finished trace: each one
//! passes or fails with a sentence saying why, in words a teacher can read
//! aloud.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::{Expectation, Micros, NodeKind, Scenario, fmt_time};
use crate::sim::model::{Body, EventId, NodeIdx};
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace, deliver_flags, message_flags};

/// The verdict on one expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The expectation, in words.
    pub what: String,
    pub passed: bool,
    /// Why it passed or failed, with the numbers.
    pub why: String,
    /// The moment that shows it best (the first lost write, the first stale
    /// read...): the app's Checks panel jumps there on a click.
    pub at: Option<Micros>,
}

impl Outcome {
    fn at(mut self, t: Option<Micros>) -> Self {
        self.at = t;
        self
    }
}

/// When the first step matching `pred` happened.
fn first_step(trace: &Trace, pred: impl Fn(&crate::trace::Step) -> bool) -> Option<Micros> {
    trace
        .steps
        .iter()
        .position(pred)
        .map(|i| trace.step_time(i))
}

/// When the first message with any of `flags` was sent.
fn first_flagged(trace: &Trace, flags: u8) -> Option<Micros> {
    trace
        .messages
        .iter()
        .find(|m| m.flags & flags != 0)
        .map(|m| trace.sent_at(m))
}

/// Evaluates every expectation of `s` on `trace`.
pub fn evaluate(s: &Scenario, trace: &Trace) -> Vec<Outcome> {
    let index = Index::new(trace);
    s.expect
        .iter()
        .map(|e| evaluate_one(s, e, trace, &index))
        .collect()
}

fn node(trace: &Trace, id: &str) -> Option<NodeIdx> {
    trace
        .nodes
        .iter()
        .position(|n| n.id == id)
        .map(|i| i as NodeIdx)
}

fn verdict(what: String, passed: bool, why: String) -> Outcome {
    Outcome {
        what,
        passed,
        why,
        at: None,
    }
}

fn evaluate_one(s: &Scenario, e: &Expectation, trace: &Trace, index: &Index) -> Outcome {
    let outcome = evaluate_inner(s, e, trace, index);
    if outcome.at.is_some() {
        return outcome;
    }
    let at = match e {
        Expectation::Converged { by: at, .. } | Expectation::Diverged { at, .. } => Some(at.0),
        Expectation::StaleReads { .. } => first_flagged(trace, message_flags::STALE),
        Expectation::ForeignReads { .. } => first_flagged(trace, message_flags::FOREIGN),
        Expectation::Dropped { .. } => first_step(trace, |s| s.kind == StepKind::Drop),
        Expectation::DuplicatesIgnored { .. } => first_step(trace, |s| {
            s.kind == StepKind::Deliver && s.flags & deliver_flags::DUPLICATE_IGNORED != 0
        }),
        Expectation::AllAnswered { .. } => first_step(trace, |s| {
            s.kind == StepKind::Timer && s.flags & deliver_flags::GAVE_UP != 0
        }),
        _ => None,
    };
    outcome.at(at)
}

fn evaluate_inner(s: &Scenario, e: &Expectation, trace: &Trace, index: &Index) -> Outcome {
    let t = &trace.totals;
    match e {
        Expectation::Converged { table, by } => {
            let what = format!(
                "every copy of {table} agrees with its owner by {}",
                fmt_time(by.0)
            );
            let Some(sym) = trace.names.find(table) else {
                return verdict(what, false, format!("no table {table} was ever written"));
            };
            let upto = trace.first_step_at(by.0 + 1);
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
        }
        Expectation::Diverged { table, at } => {
            let what = format!(
                "some copy of {table} lags behind its owner at {}",
                fmt_time(at.0)
            );
            let Some(sym) = trace.names.find(table) else {
                return verdict(what, false, format!("no table {table} was ever written"));
            };
            let upto = trace.first_step_at(at.0 + 1);
            let diverged = index.divergent_keys(trace, sym, upto);
            let n = diverged.len();
            verdict(
                what,
                n > 0,
                format!("{n} record(s) differ between copies at that moment"),
            )
        }
        Expectation::StaleReads { at_least } => {
            at_least_check("stale read(s) served", t.stale_reads, *at_least)
        }
        Expectation::DuplicatesIgnored { at_least } => at_least_check(
            "duplicate delivery(ies) recognised and ignored",
            t.duplicates_ignored,
            *at_least,
        ),
        Expectation::Dropped { at_least } => {
            at_least_check("message(s) dropped", t.dropped, *at_least)
        }
        Expectation::ForeignReads { at_least } => at_least_check(
            "read(s) straight from another service's table",
            t.foreign_reads,
            *at_least,
        ),
        Expectation::NoEventLost { topic } => no_event_lost(s, trace, topic),
        Expectation::NoWriteLost { table } => no_write_lost(trace, table),
        Expectation::FinalValue { table, id, value } => {
            let what = format!("{table}/{id} ends as \"{value}\"");
            let held = trace
                .tables
                .iter()
                .find(|t| Some(t.name) == trace.names.find(table))
                .and_then(|info| {
                    let key = crate::sim::model::Key {
                        table: info.name,
                        id: trace.names.find(id)?,
                    };
                    index.record_at(trace, info.owner, key, trace.steps.len())
                });
            let (shown, at) = match held {
                Some((r, change)) => (
                    crate::sim::model::value_text(&trace.names, r.value),
                    trace
                        .changes
                        .get(change as usize)
                        .map(|c| trace.step_time(c.step as usize)),
                ),
                None => ("—".to_string(), None),
            };
            verdict(what, &shown == value, format!("it ends as \"{shown}\"")).at(at)
        }
        Expectation::WritesLost { table, at_least } => {
            let n = writes_lost(trace, table);
            at_least_check(
                &format!("concurrent write(s) to {table} silently lost"),
                n.0,
                *at_least,
            )
            .at(n.1)
        }
        Expectation::WritesLostAtMost { table, at_most } => {
            let n = writes_lost(trace, table);
            verdict(
                format!("at most {at_most} concurrent write(s) to {table} lost"),
                n.0 <= u64::from(*at_most),
                format!("{} lost", n.0),
            )
            .at(n.1)
        }
        Expectation::NoHalfWrite { table, ledger } => no_half_write(trace, table, ledger),
        Expectation::SagasSettled {
            completed_at_least,
            compensated_at_least,
        } => sagas_settled(s, trace, *completed_at_least, *compensated_at_least),
        Expectation::VisibleWithin { table, within } => visible_within(trace, table, within.0),
        Expectation::AllAnswered { client } => {
            let what = format!("every request from {client} is answered");
            let Some(c) = node(trace, client) else {
                return verdict(what, false, format!("no node {client}"));
            };
            let sent = trace
                .steps
                .iter()
                .filter(|s| s.kind == StepKind::Work && s.node == c)
                .count();
            // Distinct requests answered: a duplicated answer counts once.
            let answered = trace
                .steps
                .iter()
                .filter(|s| s.kind == StepKind::Deliver && s.node == c)
                .filter_map(|s| trace.message(s.id))
                .filter_map(|m| match trace.body(m.body) {
                    Some(Body::Answer { req, .. }) => Some(*req),
                    _ => None,
                })
                .collect::<BTreeSet<u32>>()
                .len();
            let gave_up = trace
                .steps
                .iter()
                .filter(|s| {
                    s.node == c
                        && s.flags & deliver_flags::GAVE_UP != 0
                        && s.kind == StepKind::Timer
                })
                .count();
            verdict(
                what,
                answered >= sent && gave_up == 0,
                format!("{answered} answer(s) to {sent} request(s); gave up on {gave_up}"),
            )
        }
        Expectation::AnswerContains { client, text } => {
            let what = format!("{client} receives an answer containing \"{text}\"");
            let Some(c) = node(trace, client) else {
                return verdict(what, false, format!("no node {client}"));
            };
            let answers = answers_to(trace, c);
            match answers.iter().find(|a| a.contains(text.as_str())) {
                Some(a) => verdict(what, true, format!("it got \"{a}\"")),
                None => verdict(
                    what,
                    false,
                    format!(
                        "its {} answer(s) were: {}",
                        answers.len(),
                        answers.join("; ")
                    ),
                ),
            }
        }
    }
}

fn at_least_check(what: &str, count: u64, at_least: u32) -> Outcome {
    verdict(
        format!("at least {at_least} {what}"),
        count >= u64::from(at_least),
        format!("{count} {what}"),
    )
}

/// Texts of the answers delivered to `client`.
fn answers_to(trace: &Trace, client: NodeIdx) -> Vec<String> {
    trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Deliver && s.node == client)
        .filter_map(|s| trace.message(s.id))
        .filter_map(|m| match trace.body(m.body) {
            Some(b @ Body::Answer { .. }) => {
                let stale = if m.flags & message_flags::STALE != 0 {
                    " [stale]"
                } else {
                    ""
                };
                Some(format!(
                    "{}{stale}",
                    crate::sim::model::body_label(&trace.names, b)
                ))
            }
            _ => None,
        })
        .collect()
}

/// Every event published on `topic` was delivered to every subscriber.
fn no_event_lost(s: &Scenario, trace: &Trace, topic: &str) -> Outcome {
    let what = format!("no event on {topic} is lost");
    let Some(sym) = trace.names.find(topic) else {
        return verdict(what, false, format!("nothing was published on {topic}"));
    };
    let mut published: BTreeSet<EventId> = BTreeSet::new();
    let mut got: BTreeMap<NodeIdx, BTreeSet<EventId>> = BTreeMap::new();
    let subscribers: BTreeSet<NodeIdx> = s
        .nodes
        .iter()
        .filter(|n| match &n.kind {
            NodeKind::Replica(r) => r.topic == topic,
            // Services reacting to the topic subscribe to it too.
            NodeKind::Service(svc) => svc.on.iter().any(|r| r.topic == topic),
            _ => false,
        })
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
            .is_some_and(|n| n.kind == "broker")
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
                .is_some_and(|n| n.kind == "broker")
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
fn no_write_lost(trace: &Trace, table: &str) -> Outcome {
    let what = format!("no write to {table} is lost on the way to its copies");
    let Some(sym) = trace.names.find(table) else {
        return verdict(what, false, format!("no table {table} was ever written"));
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return verdict(what, false, format!("no service owns {table}"));
    };
    let mut committed: BTreeSet<(crate::sim::model::Key, crate::sim::model::Version)> =
        BTreeSet::new();
    for c in trace.changes.iter() {
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

/// How long each write to `table` took to show on each copy: for every
/// version committed at the owner and every copy, the time from the commit
/// to the copy first holding that version or a newer one. `None` where a
/// copy never caught up with a version.
pub fn visibility_lags(trace: &Trace, table: &str) -> Vec<(NodeIdx, Option<u64>)> {
    let Some(sym) = trace.names.find(table) else {
        return Vec::new();
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return Vec::new();
    };
    // Peers' versions are digests of merged states, not commit times.
    if trace
        .nodes
        .get(info.owner as usize)
        .is_some_and(|n| n.kind == "peer")
    {
        return Vec::new();
    }
    // Per (node, key): the versions it held, with when, in order.
    let mut held: BTreeMap<
        (NodeIdx, crate::sim::model::Key),
        Vec<(crate::sim::model::Version, u64)>,
    > = BTreeMap::new();
    for c in trace.changes.iter() {
        let node = trace.change_node(c);
        if node != info.owner && !info.replicas.contains(&node) {
            continue;
        }
        if let Some(r) = trace.change_record(c).filter(|r| r.key.table == sym) {
            held.entry((node, r.key))
                .or_default()
                .push((r.version, trace.step_time(c.step as usize)));
        }
    }
    let mut out = Vec::new();
    for ((node, key), versions) in &held {
        if *node != info.owner {
            continue;
        }
        for &(version, committed) in versions {
            for &r in &info.replicas {
                let seen = held
                    .get(&(r, *key))
                    .and_then(|copy| copy.iter().find(|(v, _)| *v >= version))
                    .map(|&(_, at)| at.saturating_sub(committed));
                out.push((r, seen));
            }
        }
    }
    out
}

fn visible_within(trace: &Trace, table: &str, within: u64) -> Outcome {
    let what = format!(
        "every write to {table} shows on every copy within {}",
        crate::scenario::Dur(within)
    );
    let lags = visibility_lags(trace, table);
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

/// Every saga either completed (every step's service holds the step's
/// action) or was compensated (no step's service still holds its action);
/// none is left half-done.
fn sagas_settled(
    s: &Scenario,
    trace: &Trace,
    completed_at_least: u32,
    compensated_at_least: u32,
) -> Outcome {
    let what = format!(
        "every saga completes or is fully compensated (at least {completed_at_least} completed, {compensated_at_least} compensated)"
    );
    let mut last: BTreeMap<(NodeIdx, crate::sim::model::Key), crate::sim::model::Value> =
        BTreeMap::new();
    for c in trace.changes.iter() {
        if let Some(r) = trace.change_record(c) {
            last.insert((trace.change_node(c), r.key), r.value);
        }
    }
    let text = |v: &crate::sim::model::Value| crate::sim::model::value_text(&trace.names, *v);
    let (mut completed, mut compensated, mut half) = (0u32, 0u32, Vec::new());
    for (oi, n) in s.nodes.iter().enumerate() {
        let NodeKind::Orchestrator(o) = &n.kind else {
            continue;
        };
        // Where each step's service keeps its table.
        let mut places = Vec::new();
        for st in &o.steps {
            let Some(NodeKind::Service(svc)) =
                s.nodes.iter().find(|m| m.id == st.service).map(|m| &m.kind)
            else {
                continue;
            };
            let Some(table) = trace.names.find(&svc.table) else {
                continue;
            };
            let Some(info) = trace.tables.iter().find(|t| t.name == table) else {
                continue;
            };
            places.push((st, info.owner, table));
        }
        for ((node, key), state) in &last {
            if *node as usize != oi {
                continue;
            }
            let state = text(state);
            let id = trace.names.get(key.id);
            let holds = |owner: NodeIdx, table| {
                last.get(&(owner, crate::sim::model::Key { table, id: key.id }))
                    .map(text)
            };
            if state.starts_with("completed") {
                completed += 1;
                for (st, owner, table) in &places {
                    if holds(*owner, *table).as_deref() != Some(st.action.as_str()) {
                        half.push(format!(
                            "saga {id} completed but {} does not hold \"{}\"",
                            st.service, st.action
                        ));
                    }
                }
            } else if state.starts_with("compensated") {
                compensated += 1;
                for (st, owner, table) in &places {
                    if holds(*owner, *table).as_deref() == Some(st.action.as_str()) {
                        half.push(format!(
                            "saga {id} was compensated but {} still holds \"{}\"",
                            st.service, st.action
                        ));
                    }
                }
            } else {
                half.push(format!("saga {id} stopped half-done: {state}"));
            }
        }
    }
    let why = format!(
        "{completed} completed, {compensated} compensated{}",
        if half.is_empty() {
            String::new()
        } else {
            format!("; {}", half.join("; "))
        }
    );
    verdict(
        what,
        half.is_empty() && completed >= completed_at_least && compensated >= compensated_at_least,
        why,
    )
}

/// Every record of `table` has a matching entry in `ledger` and the other
/// way round, at the owner, at the end of the run.
fn no_half_write(trace: &Trace, table: &str, ledger: &str) -> Outcome {
    let what = format!("every change to {table} has its {ledger} entry, and the other way round");
    let (Some(t), Some(l)) = (trace.names.find(table), trace.names.find(ledger)) else {
        return verdict(
            what,
            false,
            format!("{table} or {ledger} was never written"),
        );
    };
    let owner = |name| {
        trace
            .tables
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.owner)
    };
    let mut last: BTreeMap<crate::sim::model::Key, crate::sim::model::Value> = BTreeMap::new();
    for c in trace.changes.iter() {
        if let Some(r) = trace.change_record(c)
            && ((r.key.table == t && owner(t) == Some(trace.change_node(c)))
                || (r.key.table == l && owner(l) == Some(trace.change_node(c))))
        {
            last.insert(r.key, r.value);
        }
    }
    let mut half = Vec::new();
    let mut pairs = 0;
    for (key, value) in &last {
        let other = if key.table == t { l } else { t };
        let twin = last.get(&crate::sim::model::Key {
            table: other,
            id: key.id,
        });
        if twin != Some(value) {
            let v = crate::sim::model::value_text(&trace.names, *value);
            half.push(format!(
                "{}={v} has no matching {}",
                trace.key_text(*key),
                trace.names.get(other)
            ));
        } else if key.table == t {
            pairs += 1;
        }
    }
    if half.is_empty() {
        verdict(what, true, format!("all {pairs} change(s) are whole"))
    } else {
        verdict(what, false, half.join("; "))
    }
}

/// Concurrent writes to a peer table that last-writer-wins discarded, and
/// when the first was.
fn writes_lost(trace: &Trace, table: &str) -> (u64, Option<Micros>) {
    let Some(sym) = trace.names.find(table) else {
        return (0, None);
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return (0, None);
    };
    let at_peer = |n: NodeIdx| n == info.owner || info.replicas.contains(&n);
    let mut first = None;
    let mut count = 0;
    for (i, s) in trace.steps.iter().enumerate() {
        if s.kind == StepKind::Deliver
            && s.flags & deliver_flags::WRITE_LOST != 0
            && at_peer(s.node)
        {
            count += 1;
            first = first.or(Some(trace.step_time(i)));
        }
    }
    (count, first)
}

/// A monitor: a named hazard Settle watches for in every run, whatever the
/// scenario expects, evaluated on the steps up to a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Monitor {
    pub what: &'static str,
    /// How many times it happened so far.
    pub count: u64,
    /// When it first happened.
    pub first: Option<Micros>,
}

/// How long an outbox row may wait for its relay before it counts as stuck.
pub const OUTBOX_BOUND: Micros = 1_000_000;

/// Every monitor, over the first `upto` steps.
pub fn monitors(trace: &Trace, index: &Index, upto: usize) -> Vec<Monitor> {
    let now = upto.checked_sub(1).map_or(0, |i| trace.step_time(i));
    let mut stale = (0, None);
    let mut foreign = (0, None);
    let mut lost = (0, None);
    let mut committed_outbox: BTreeMap<
        (crate::sim::model::Key, crate::sim::model::Version),
        Micros,
    > = BTreeMap::new();
    let mut published: BTreeSet<(crate::sim::model::Key, crate::sim::model::Version)> =
        BTreeSet::new();
    let bump = |c: &mut (u64, Option<Micros>), t: Micros| {
        c.0 += 1;
        c.1 = c.1.or(Some(t));
    };
    for (i, s) in trace.steps.iter().enumerate().take(upto) {
        let t = trace.step_time(i);
        if s.kind == StepKind::Deliver && s.flags & deliver_flags::WRITE_LOST != 0 {
            bump(&mut lost, t);
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
                    .changes
                    .get(first)
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
                    .is_some_and(|n| n.kind == "broker") =>
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
    // Copies that still differ although nothing is on the wire any more.
    let quiet = index.in_flight_at(trace, now).is_empty();
    let diverged: u64 = if quiet && upto > 0 {
        trace
            .tables
            .iter()
            .filter(|t| !t.replicas.is_empty())
            .map(|t| index.divergent_keys(trace, t.name, upto).len() as u64)
            .sum()
    } else {
        0
    };
    // Sagas begun more than two seconds ago that are neither completed
    // nor compensated: left half-done (perhaps retrying in vain).
    let mut saga_state: BTreeMap<(NodeIdx, crate::sim::model::Key), (String, Micros)> =
        BTreeMap::new();
    for c in trace
        .changes
        .iter()
        .take_while(|c| (c.step as usize) < upto)
    {
        let node = trace.change_node(c);
        if trace
            .nodes
            .get(node as usize)
            .is_none_or(|n| n.kind != "orchestrator")
        {
            continue;
        }
        if let Some(r) = trace.change_record(c) {
            let text = crate::sim::model::value_text(&trace.names, r.value);
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
    vec![
        Monitor {
            what: "sagas left half-done",
            count: stalled.0,
            first: stalled.1,
        },
        Monitor {
            what: "writes silently lost by last-writer-wins",
            count: lost.0,
            first: lost.1,
        },
        Monitor {
            what: "records still diverged with nothing in flight",
            count: diverged,
            first: (diverged > 0).then_some(now),
        },
        Monitor {
            what: "stale reads served",
            count: stale.0,
            first: stale.1,
        },
        Monitor {
            what: "outbox rows unpublished after 1 s",
            count: stuck.0,
            first: stuck.1,
        },
        Monitor {
            what: "reads of another service's table",
            count: foreign.0,
            first: foreign.1,
        },
    ]
}
