//! The moments worth breaking, read from the drawing's own run: each
//! instant a message arrives at or leaves a node (a crash just after it),
//! each arrival on a link (that message lost, or the link cut from then).

use std::collections::BTreeSet;

use super::inject::Inject;
use crate::model::{Micros, NodeIdx, body_label};
use crate::scenario::{Fault, Kind, Scenario};
use crate::trace::{StepKind, Trace};

/// How long a crashed node stays down, or a cut link stays cut, when the
/// drawing scripts no crash and restart (or cut and heal) to copy it from.
pub const DEFAULT_DOWN: Micros = 400_000;

/// How long the drawing's own faults keep a node down and a link cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spans {
    pub down: Micros,
    pub cut: Micros,
}

impl Spans {
    /// The first crash followed by a restart of the same node, and the
    /// first cut followed by a heal, in the drawing's faults; the default
    /// where it scripts none.
    pub fn of(s: &Scenario) -> Spans {
        let mut down = None;
        let mut cut = None;
        for (i, f) in s.faults.iter().enumerate() {
            let later = s.faults.iter().skip(i + 1);
            match f {
                Fault::Crash { at, node } if down.is_none() => {
                    down = later
                        .filter_map(|g| match g {
                            Fault::Restart { at: r, node: n } if n == node && r.0 > at.0 => {
                                Some(r.0 - at.0)
                            }
                            _ => None,
                        })
                        .next();
                }
                Fault::Partition { at, .. } if cut.is_none() => {
                    cut = later
                        .filter_map(|g| match g {
                            Fault::Heal { at: h, .. } if h.0 > at.0 => Some(h.0 - at.0),
                            _ => None,
                        })
                        .next();
                }
                _ => {}
            }
        }
        Spans {
            down: down.unwrap_or(DEFAULT_DOWN),
            cut: cut.unwrap_or(DEFAULT_DOWN),
        }
    }
}

/// Every single fault worth trying on the run `trace` of the drawing,
/// in order: crashes (by time, then node), lost messages, cut links.
/// A client is the person or program using the system, not part of the
/// design, so it is never crashed. Each fault ends (a restart, a heal)
/// early enough that the run, which goes on to `horizon`, lasts at least
/// as long again after it: a fault mended just before the end would find
/// copies still catching up, late rather than lost.
pub fn singles(trace: &Trace, spans: Spans, horizon: Micros) -> Vec<Inject> {
    let until = horizon;
    let id = |n: NodeIdx| trace.node_id(n).to_string();
    let label = |n: NodeIdx| trace.node_label(n).to_string();
    // The recovery `d` after `t`, if the run settles for `d` after it.
    let later =
        |t: Micros, d: Micros| Some(t.saturating_add(d)).filter(|&x| x.saturating_add(d) <= until);
    let mut crashes = Vec::new();
    let mut losses = Vec::new();
    let mut cuts = Vec::new();
    let mut crashed: BTreeSet<(NodeIdx, Micros)> = BTreeSet::new();
    let mut lost: BTreeSet<(NodeIdx, NodeIdx, Micros)> = BTreeSet::new();
    let mut cut: BTreeSet<(NodeIdx, NodeIdx, Micros)> = BTreeSet::new();
    for (i, st) in trace.steps.iter().enumerate() {
        let t = trace.step_time(i);
        let node = st.node;
        let what = |b: u32| {
            trace
                .body(b)
                .map(|b| body_label(&trace.names, b))
                .unwrap_or_default()
        };
        let mut after = None;
        // The first message this step sent, said as "sends X to Y".
        let sent = trace
            .messages
            .get(trace.first_message_of(i as u32))
            .filter(|m| m.cause as usize == i)
            .map(|m| format!("sends {} to {}", what(m.body), label(m.to)));
        if st.kind == StepKind::Deliver
            && let Some(m) = trace.message(st.id)
        {
            let from = trace.sender(m);
            let and = sent
                .as_ref()
                .map(|s| format!(" and {s}"))
                .unwrap_or_default();
            after = Some(format!(
                "it receives {} from {}{and}",
                what(m.body),
                label(from)
            ));
            let settles = later(t, spans.down).is_some();
            if settles && lost.insert((from, node, t)) {
                losses.push(Inject::Lose {
                    from: id(from),
                    to: id(node),
                    labels: (label(from), label(node)),
                    at: t,
                    what: what(m.body),
                });
            }
            let pair = (from.min(node), from.max(node));
            if let Some(heal) = later(t, spans.cut)
                && cut.insert((pair.0, pair.1, t))
            {
                cuts.push(Inject::Cut {
                    a: id(pair.0),
                    b: id(pair.1),
                    labels: (label(pair.0), label(pair.1)),
                    at: t,
                    heal: Some(heal),
                });
            }
        } else if let Some(sent) = sent {
            after = Some(format!("it {sent}"));
        }
        let is_client = trace
            .nodes
            .get(node as usize)
            .is_none_or(|n| n.kind == Kind::Client);
        if let Some(after) = after
            && !is_client
            && let Some(restart) = later(t + 1, spans.down)
            && crashed.insert((node, t))
        {
            crashes.push(Inject::Crash {
                node: id(node),
                label: label(node),
                at: t + 1,
                restart: Some(restart),
                after,
            });
        }
    }
    crashes.extend(losses);
    crashes.extend(cuts);
    crashes
}
