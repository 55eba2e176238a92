//! The data behind the messaging patterns, in words and badges: a CDC
//! relay's saved offset against the end of its log, a broker's deliveries
//! awaiting acknowledgement per subscriber, a projection's checkpoint, a
//! database's outbox rows. Read from the trace at the moment shown
//! ([`crate::trace::query::Pipeline`]); the canvas, its accessible
//! descriptions, the inspector and the replica states all say the same.

use egui::{RichText, Ui};

use super::theme;
use super::view::View;
use crate::model::{NodeIdx, fmt_time};
use crate::scenario::{Node, NodeKind, WriteMode};
use crate::session::Player;
use crate::trace::query::{Pipeline, checkpoint};

/// What one node's data says now.
pub struct NodeData {
    /// A few words for the canvas badge: `offset 5 / log 7`.
    pub badge: String,
    /// Whether it is waiting on something (drawn amber, not green).
    pub waiting: bool,
    /// Sentences for the inspector and the node's description.
    pub lines: Vec<String>,
}

/// The data a node shows, if its kind has any.
pub fn of_node(view: &View, p: &Player, pipe: &Pipeline, n: &Node) -> Option<NodeData> {
    let s = view.scenario;
    let idx = s.nodes.iter().position(|x| x.id == n.id)? as NodeIdx;
    let t = p.trace();
    match &n.kind {
        NodeKind::Cdc(c) => {
            let pos = pipe.relay(idx)?;
            let behind = pos.log_end.saturating_sub(pos.saved);
            Some(NodeData {
                badge: format!("offset {} / log {}", pos.saved, pos.log_end),
                waiting: behind > 0,
                lines: vec![
                    format!(
                        "Saved offset {}: after a crash it reads {}'s change log again from row {}.",
                        pos.saved,
                        view.label(&c.database),
                        pos.saved
                    ),
                    format!(
                        "End of the log: {} row(s); {} not yet handled.",
                        pos.log_end, behind
                    ),
                    format!("Rows sent to {}: {}.", view.label(&c.broker), pos.published),
                ],
            })
        }
        NodeKind::Broker(_) => {
            let Some(unacked) = pipe.unacked(idx) else {
                return Some(NodeData {
                    badge: "at most once".into(),
                    waiting: false,
                    lines: vec![
                        "At most once: no delivery waits for an acknowledgement; a lost one stays lost."
                            .into(),
                    ],
                });
            };
            let total: u32 = unacked.values().sum();
            let mut lines = vec![format!(
                "Deliveries awaiting acknowledgement: {total} (resent until acknowledged)."
            )];
            for sub in subscribers(view, &n.id) {
                let i = s.nodes.iter().position(|x| x.id == sub).unwrap_or(0) as NodeIdx;
                let k = unacked.get(&i).copied().unwrap_or(0);
                lines.push(format!("{}: {k} unacknowledged", view.label(&sub)));
            }
            Some(NodeData {
                badge: format!("unacked {total}"),
                waiting: total > 0,
                lines,
            })
        }
        NodeKind::Projection(pr) => {
            let table = t
                .names
                .find(&crate::sim::nodes::projection::checkpoint_table(&pr.view))?;
            let marks = checkpoint(t, &p.index, idx, table, p.upto());
            let folded: u32 = marks.iter().map(|(_, k)| k).sum();
            let mut lines = vec![format!(
                "Checkpoint: {folded} event(s) folded into \"{}\"; a rebuild folds a new view from the log's earliest kept event.",
                pr.view
            )];
            let rebuilding = t.names.find(crate::sim::nodes::projection::REBUILDING_ROW);
            if let Some(row) = rebuilding
                && let Some(r) = p
                    .index
                    .store_at(t, idx, p.upto())
                    .into_iter()
                    .find(|r| r.key.table == table && r.key.id == row)
                && let crate::model::Value::Text(text) = r.value
            {
                lines.push(format!(
                    "rebuilding: {} (readers get the old view until it has caught up)",
                    t.names.get(text)
                ));
            }
            for src in &pr.sources {
                let k = t
                    .names
                    .find(&src.topic)
                    .and_then(|sym| marks.iter().find(|(x, _)| *x == sym))
                    .map_or(0, |(_, k)| *k);
                lines.push(format!("{}: {k} folded", src.topic));
            }
            Some(NodeData {
                badge: format!("checkpoint {folded}"),
                waiting: false,
                lines,
            })
        }
        NodeKind::Database(_) if has_outbox(view, &n.id) => {
            let rows = pipe.outbox(idx);
            let waiting = rows.iter().filter(|r| r.published.is_none()).count();
            Some(NodeData {
                badge: format!("outbox {} · {waiting} waiting", rows.len()),
                waiting: waiting > 0,
                lines: vec![format!(
                    "Outbox: {} row(s), {waiting} waiting for the relay.",
                    rows.len()
                )],
            })
        }
        NodeKind::Coordinator(c) => Some(locks_held(view, p, c)),
        NodeKind::EventStore(_) => Some(events_kept(p, idx, &n.id)),
        // These show their state as tables and lanes, with no gauge of their own.
        NodeKind::Database(_)
        | NodeKind::Client(_)
        | NodeKind::Service(_)
        | NodeKind::Replica(_)
        | NodeKind::Composer(_)
        | NodeKind::Orchestrator(_)
        | NodeKind::Peer(_)
        | NodeKind::Log(_) => None,
    }
}

/// Nodes that subscribe at a broker, in drawing order.
fn subscribers(view: &View, broker: &str) -> Vec<String> {
    view.scenario
        .nodes
        .iter()
        .filter(|n| n.kind.reads_from(broker))
        .map(|n| n.id.clone())
        .collect()
}

/// Whether a service writes an outbox into this database.
fn has_outbox(view: &View, db: &str) -> bool {
    view.scenario.nodes.iter().any(|n| {
        matches!(&n.kind, NodeKind::Service(svc)
            if svc.write == WriteMode::Outbox && svc.database.as_deref() == Some(db))
    })
}

/// The inspector's "Data now" for the selected node.
pub fn inspector(ui: &mut Ui, view: &View, n: &Node) {
    let Some(p) = view.player else { return };
    let pipe = p.pipeline();
    let Some(d) = of_node(view, p, &pipe, n) else {
        return;
    };
    ui.add_space(6.0);
    ui.label(RichText::new(format!("Data now ({})", fmt_time(p.now()))).strong())
        .on_hover_text("Read from the run at the moment shown");
    for line in &d.lines {
        ui.label(line);
    }
}

/// The outbox tables, one per database a service writes an outbox into,
/// for the replica states: each row's record, topic and whether the
/// relay has sent it.
pub fn outboxes(ui: &mut Ui, view: &View) {
    let Some(p) = view.player else { return };
    let t = p.trace();
    let pipe = p.pipeline();
    let font = if view.presenting { 17.0 } else { 12.5 };
    for (i, db) in view.scenario.nodes.iter().enumerate() {
        if !matches!(db.kind, NodeKind::Database(_)) || !has_outbox(view, &db.id) {
            continue;
        }
        let rows = pipe.outbox(i as NodeIdx);
        let waiting = rows.iter().filter(|r| r.published.is_none()).count();
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "{} outbox — {} row(s), {waiting} waiting for the relay",
                db.label(),
                rows.len()
            ))
            .size(font + 1.0)
            .strong(),
        );
        if rows.is_empty() {
            ui.weak("No outbox rows yet.");
            continue;
        }
        let row_h = font + 10.0;
        egui::ScrollArea::vertical()
            .id_salt(("outbox", i))
            .max_height(row_h * 8.5)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, rows.len(), |ui, range| {
                egui::Grid::new(("outbox-grid", i))
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for r in &rows[range] {
                            ui.label(
                                RichText::new(format!("#{}", r.offset))
                                    .size(font)
                                    .monospace(),
                            );
                            ui.label(
                                RichText::new(format!(
                                    "{} v{}",
                                    t.key_text(r.key),
                                    r.version.counter
                                ))
                                .size(font),
                            );
                            ui.label(RichText::new(t.names.get(r.topic)).size(font));
                            match r.published {
                                Some(at) => ui.label(
                                    RichText::new(format!("✔ published {}", fmt_time(at)))
                                        .size(font)
                                        .color(theme::ink(ui, theme::AGREES)),
                                ),
                                None => ui.label(
                                    RichText::new("… waiting for the relay")
                                        .size(font)
                                        .color(theme::ink(ui, theme::STALE)),
                                ),
                            };
                            ui.end_row();
                        }
                    });
            });
    }
}

/// The rows a coordinator's participants hold locked for prepared
/// transactions at the moment shown: each waits for a decision.
fn locks_held(view: &View, p: &Player, c: &crate::scenario::CoordinatorSpec) -> NodeData {
    let t = p.trace();
    let mut total = 0;
    let mut lines = Vec::new();
    for part in &c.participants {
        let table = t.names.find(&crate::scenario::lock_table(&part.service));
        let idx = view
            .scenario
            .nodes
            .iter()
            .position(|x| x.id == part.service);
        let (Some(table), Some(idx)) = (table, idx) else {
            continue;
        };
        let ids: Vec<&str> = p
            .index
            .store_at(t, idx as NodeIdx, p.upto())
            .into_iter()
            .filter(|r| r.key.table == table && r.value != crate::model::Value::Absent)
            .map(|r| t.names.get(r.key.id))
            .collect();
        total += ids.len();
        if !ids.is_empty() {
            lines.push(format!(
                "{} holds {} locked for a prepared transaction: reads of it wait for the decision.",
                view.label(&part.service),
                ids.join(", ")
            ));
        }
    }
    lines.insert(
        0,
        format!("Rows its participants hold locked, waiting for its decision: {total}."),
    );
    NodeData {
        badge: format!("locks held {total}"),
        waiting: total > 0,
        lines,
    }
}

/// An event store's events and streams so far: a row of its events table
/// per event, named `stream #n`.
fn events_kept(p: &Player, idx: NodeIdx, id: &str) -> NodeData {
    let t = p.trace();
    let table = t.names.find(&crate::scenario::event_table(id));
    let rows: Vec<&str> = p
        .index
        .store_at(t, idx, p.upto())
        .into_iter()
        .filter(|r| Some(r.key.table) == table)
        .map(|r| t.names.get(r.key.id))
        .collect();
    let mut streams: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.rsplit_once(" #").map(|(s, _)| s))
        .collect();
    streams.sort_unstable();
    streams.dedup();
    NodeData {
        badge: format!("{} events · {} streams", rows.len(), streams.len()),
        waiting: false,
        lines: vec![format!(
            "{} event(s) appended so far, in {} stream(s): {}.",
            rows.len(),
            streams.len(),
            if streams.is_empty() {
                "none yet".to_string()
            } else {
                streams.join(", ")
            }
        )],
    }
}
