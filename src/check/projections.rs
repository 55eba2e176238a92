//! Projections: the view a projection holds equals its sources folded
//! afresh from their owners' tables, whatever order the events came in
//! and however often the view was rebuilt.

use super::{Outcome, verdict};
use crate::model::{Key, Value, value_text};
use crate::scenario::{NodeKind, Scenario};
use crate::sim::nodes::projection::{SourceRt, fold};
use crate::trace::Trace;
use crate::trace::query::Index;

/// At the end, the view of `projection` equals the fold of its sources.
pub(super) fn view_matches_sources(
    s: &Scenario,
    trace: &Trace,
    index: &Index,
    projection: &str,
) -> Outcome {
    let what = format!("{projection}'s view equals its sources folded afresh");
    let Some((at, spec)) = s.nodes.iter().enumerate().find_map(|(i, n)| match &n.kind {
        NodeKind::Projection(p) if n.id == projection => Some((i as u16, p)),
        _ => None,
    }) else {
        return verdict(what, false, format!("there is no projection {projection}"));
    };
    let end = trace.steps.len();
    let names = &trace.names;
    let mut shape = Vec::new();
    let mut records = Vec::new();
    for src in &spec.sources {
        shape.push(SourceRt {
            topic: names.find(&src.topic).unwrap_or(u32::MAX),
            row: src.row.clone(),
            columns: src.columns.clone(),
            upcast: src.upcast.clone(),
        });
        let mut list = Vec::new();
        for n in &s.nodes {
            let NodeKind::Service(svc) = &n.kind else {
                continue;
            };
            // An event-sourced service's events go to its store, under
            // its table's name.
            let appends = svc.event_sourced
                && svc.table == src.topic
                && svc.database.as_deref() == Some(spec.broker.as_str());
            if !appends && svc.publish.as_ref().is_none_or(|p| p.topic != src.topic) {
                continue;
            }
            let Some(info) = names
                .find(&svc.table)
                .and_then(|t| trace.tables.iter().find(|i| i.name == t))
            else {
                continue;
            };
            for id in index.ids(info.name) {
                let key = Key {
                    table: info.name,
                    id,
                };
                if let Some((r, _)) = index.record_at(trace, info.owner, key, end)
                    && r.value != Value::Absent
                {
                    list.push((names.get(id).to_string(), value_text(names, r.value)));
                }
            }
        }
        records.push(list);
    }
    let expected = fold(&shape, &records);
    let view = names.find(&spec.view);
    let held: std::collections::BTreeMap<String, String> = index
        .store_at(trace, at, end)
        .into_iter()
        .filter(|r| Some(r.key.table) == view && r.value != Value::Absent)
        .map(|r| (names.get(r.key.id).to_string(), value_text(names, r.value)))
        .collect();
    if held == expected {
        verdict(what, true, format!("all {} row(s) match", held.len()))
    } else {
        let differ: Vec<String> = expected
            .iter()
            .filter(|(k, v)| held.get(*k) != Some(*v))
            .map(|(k, v)| format!("{k} should be \"{v}\""))
            .chain(
                held.keys()
                    .filter(|k| !expected.contains_key(*k))
                    .map(|k| format!("{k} should not exist")),
            )
            .take(4)
            .collect();
        verdict(what, false, differ.join("; "))
    }
}
