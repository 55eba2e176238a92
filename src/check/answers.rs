//! What clients got: every request answered, an answer containing a text,
//! and the value a record ends with.

use std::collections::BTreeSet;

use super::{Outcome, node, verdict};
use crate::model::{Body, Key, Micros, NodeIdx, message_flags, value_text};
use crate::trace::query::{Index, UNKNOWN_OUTCOME};
use crate::trace::{StepKind, Trace};

/// Every request `client` sent was answered.
pub(super) fn all_answered(trace: &Trace, client: &str) -> Outcome {
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
    // A timeout is an unknown outcome, not a failure; one the client
    // retried may still end answered.
    let (mut unknown, mut gave_up) = (0, 0);
    for (i, retried) in crate::trace::query::timeouts(trace, trace.steps.len()) {
        if trace.step(i).is_some_and(|s| s.node == c) {
            unknown += 1;
            gave_up += usize::from(!retried);
        }
    }
    let retried = if unknown > gave_up {
        format!(", {} retried", unknown - gave_up)
    } else {
        String::new()
    };
    verdict(
        what,
        answered >= sent && gave_up == 0,
        format!(
            "{answered} answer(s) to {sent} request(s); {unknown} timed out with an {UNKNOWN_OUTCOME}{retried}"
        ),
    )
}

/// Some answer `client` received contains `text`.
pub(super) fn answer_contains(trace: &Trace, client: &str, text: &str) -> Outcome {
    let what = format!("{client} receives an answer containing \"{text}\"");
    let Some(c) = node(trace, client) else {
        return verdict(what, false, format!("no node {client}"));
    };
    let answers = answers_to(trace, c);
    match answers.iter().find(|(_, a)| a.contains(text)) {
        Some((at, a)) => verdict(what, true, format!("it got \"{a}\"")).at(Some(*at)),
        None => {
            let all: Vec<&str> = answers.iter().map(|(_, a)| a.as_str()).collect();
            verdict(
                what,
                false,
                format!("its {} answer(s) were: {}", all.len(), all.join("; ")),
            )
        }
    }
}

/// Some answer reached `client` at least `at_least` after it sent the
/// request (its first send, when it retried).
pub(super) fn answer_waited(trace: &Trace, client: &str, at_least: Micros) -> Outcome {
    let what = format!(
        "{client} waits at least {} for an answer",
        crate::model::fmt_ms(at_least)
    );
    let Some(c) = node(trace, client) else {
        return verdict(what, false, format!("no node {client}"));
    };
    let mut sent: std::collections::BTreeMap<u32, Micros> = Default::default();
    for m in trace.messages.iter() {
        let Some(step) = trace.step(m.cause as usize) else {
            continue;
        };
        if step.node != c {
            continue;
        }
        if let Some(Body::Request { req, .. } | Body::KeyedRequest { req, .. }) = trace.body(m.body)
        {
            sent.entry(*req)
                .or_insert_with(|| trace.step_time(m.cause as usize));
        }
    }
    let longest = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Deliver && s.node == c)
        .filter_map(|s| trace.message(s.id))
        .filter_map(|m| match trace.body(m.body) {
            Some(Body::Answer { req, .. }) => {
                let since = sent.get(req)?;
                Some((m.at().saturating_sub(*since), m.at()))
            }
            _ => None,
        })
        .max();
    match longest {
        Some((wait, at)) => verdict(
            what,
            wait >= at_least,
            format!("its longest wait was {}", crate::model::fmt_ms(wait)),
        )
        .at((wait >= at_least).then_some(at)),
        None => verdict(what, false, "it got no answer".into()),
    }
}

/// At the end, the owner of `table` (or the copy at node `at`) holds
/// `value` for `id`.
pub(super) fn final_value(
    trace: &Trace,
    index: &Index,
    table: &str,
    id: &str,
    value: &str,
    at: Option<&str>,
) -> Outcome {
    let what = match at {
        Some(n) => format!("{table}/{id} at {n} ends as \"{value}\""),
        None => format!("{table}/{id} ends as \"{value}\""),
    };
    let holder = |owner: NodeIdx| match at {
        Some(n) => node(trace, n),
        None => Some(owner),
    };
    let held = trace
        .tables
        .iter()
        .find(|t| Some(t.name) == trace.names.find(table))
        .and_then(|info| {
            let key = Key {
                table: info.name,
                id: trace.names.find(id)?,
            };
            index.record_at(trace, holder(info.owner)?, key, trace.steps.len())
        });
    let (shown, at) = match held {
        Some((r, change)) => (
            value_text(&trace.names, r.value),
            trace
                .changes
                .step_of(change as usize)
                .map(|s| trace.step_time(s as usize)),
        ),
        None => ("—".to_string(), None),
    };
    verdict(what, shown == value, format!("it ends as \"{shown}\"")).at(at)
}

/// The answers delivered to `client`, with when each arrived.
pub(super) fn answers_to(trace: &Trace, client: NodeIdx) -> Vec<(Micros, String)> {
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
                Some((
                    m.at(),
                    format!("{}{stale}", crate::model::body_label(&trace.names, b)),
                ))
            }
            _ => None,
        })
        .collect()
}
