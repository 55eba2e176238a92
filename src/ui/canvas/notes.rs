//! What the canvas says about each node beyond its box, read from the run
//! at the moment shown: the narration step's focus, how far behind a copy
//! is, a log consumer's lag, the data it holds and its design hints.

use std::collections::{BTreeMap, BTreeSet};

use crate::trace::query::staleness_ms;
use crate::ui::view::View;

/// The nodes the current narration step talks about.
pub fn current_focus<'a>(view: &View<'a>) -> BTreeSet<&'a str> {
    let Some(p) = view.player else {
        return BTreeSet::new();
    };
    let now = p.now();
    let Some(&(_, n)) = p.marks().iter().rev().find(|(t, _)| *t <= now) else {
        return BTreeSet::new();
    };
    view.scenario
        .narration
        .get(n)
        .map(|s| s.focus.iter().map(String::as_str).collect())
        .unwrap_or_default()
}

/// How far behind its owner each copy is, in ms, by node id.
pub fn behind<'a>(view: &View<'a>) -> BTreeMap<&'a str, f64> {
    let Some(p) = view.player else {
        return BTreeMap::new();
    };
    staleness_ms(p.trace(), &p.index, &p.series, p.upto(), p.now())
        .into_iter()
        .filter_map(|(n, ms)| Some((view.scenario.nodes.get(n as usize)?.id.as_str(), ms)))
        .collect()
}

/// Each log consumer's lag at the moment shown, by node id.
pub fn lags<'a>(view: &View<'a>) -> BTreeMap<&'a str, u32> {
    let Some(p) = view.player else {
        return BTreeMap::new();
    };
    crate::trace::query::consumer_lags(p.trace(), &p.index, p.upto())
        .into_iter()
        .filter_map(|(n, lag)| Some((view.scenario.nodes.get(n as usize)?.id.as_str(), lag)))
        .collect()
}

/// Each node's data now (offsets, unacknowledged deliveries, checkpoint,
/// outbox), for badges and descriptions.
pub fn data_by_node(view: &View) -> BTreeMap<String, crate::ui::data::NodeData> {
    let Some(p) = view.player else {
        return BTreeMap::new();
    };
    let pipe = p.pipeline();
    view.scenario
        .nodes
        .iter()
        .filter_map(|n| Some((n.id.clone(), crate::ui::data::of_node(view, p, &pipe, n)?)))
        .collect()
}

/// The design hints not dismissed, per node: what the badges and the
/// nodes' descriptions say.
pub fn hints_by_node(view: &View) -> BTreeMap<String, Vec<crate::check::Hint>> {
    let mut out: BTreeMap<String, Vec<crate::check::Hint>> = BTreeMap::new();
    for h in crate::check::hints(view.scenario) {
        out.entry(h.node.clone()).or_default().push(h);
    }
    out
}
