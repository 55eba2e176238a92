//! Sagas: each one completed every step or left every step it did
//! compensated.

use std::collections::BTreeMap;

use super::{Outcome, verdict};
use crate::model::{Key, Micros, NodeIdx, Value, value_text};
use crate::scenario::{NodeKind, Scenario};
use crate::trace::Trace;

/// Every saga either completed (every step's service holds the step's
/// action) or was compensated (no step's service still holds its action);
/// none is left half-done.
pub(super) fn sagas_settled(
    s: &Scenario,
    trace: &Trace,
    completed_at_least: u32,
    compensated_at_least: u32,
) -> Outcome {
    let what = format!(
        "every saga completes or is fully compensated (at least {completed_at_least} completed, {compensated_at_least} compensated)"
    );
    let mut last: BTreeMap<(NodeIdx, Key), Value> = BTreeMap::new();
    // When each record last changed: a saga left half-done is shown at the
    // moment its log last moved.
    let mut when: BTreeMap<(NodeIdx, Key), Micros> = BTreeMap::new();
    for c in trace.all_changes() {
        if let Some(r) = trace.change_record(c) {
            last.insert((trace.change_node(c), r.key), r.value);
            when.insert(
                (trace.change_node(c), r.key),
                trace.step_time(c.step as usize),
            );
        }
    }
    let mut first_half: Option<Micros> = None;
    let text = |v: &Value| value_text(&trace.names, *v);
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
            let before = half.len();
            let state = text(state);
            let id = trace.names.get(key.id);
            let holds =
                |owner: NodeIdx, table| last.get(&(owner, Key { table, id: key.id })).map(text);
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
                    let held = holds(*owner, *table);
                    let marked = crate::scenario::pending_mark(&st.action);
                    if held.as_deref() == Some(st.action.as_str())
                        || held.as_deref() == Some(marked.as_str())
                    {
                        half.push(format!(
                            "saga {id} was compensated but {} still holds \"{}\"",
                            st.service, st.action
                        ));
                    }
                }
            } else {
                half.push(format!("saga {id} stopped half-done: {state}"));
            }
            if half.len() > before {
                let t = when.get(&(*node, *key)).copied();
                first_half = match (first_half, t) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
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
    .at(first_half)
}
