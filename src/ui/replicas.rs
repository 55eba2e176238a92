//! The replica states: for every table, rows are record ids and columns
//! are its copies, owner first. Each cell shows value and version at the
//! moment shown, coloured by whether it agrees with the owner, is behind
//! (stale), or holds something the owner never had (conflict). Only the
//! visible rows and columns are looked up.

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, pos2, vec2};

use super::theme;
use super::view::View;
use crate::model::{Key, Record, Version, value_text};
use crate::scenario::Kind;
use crate::session::{Cmd, Selection};

const ROW: f32 = 34.0;
const COL: f32 = 100.0;
const KEY_COL: f32 = 70.0;

/// How a copy compares with its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    Agrees,
    Stale,
    Conflict,
    Empty,
}

/// Compares a copy's record with the owner's.
pub fn agreement(owner: Option<&Record>, copy: Option<&Record>) -> Agreement {
    let ov = owner.map_or(Version::NONE, |r| r.version);
    let cv = copy.map_or(Version::NONE, |r| r.version);
    match (ov.is_none(), cv.is_none()) {
        (true, true) => Agreement::Empty,
        _ if cv == ov && owner.map(|r| r.value) == copy.map(|r| r.value) => Agreement::Agrees,
        _ if cv < ov => Agreement::Stale,
        _ => Agreement::Conflict,
    }
}

fn color(a: Agreement) -> Color32 {
    match a {
        Agreement::Agrees => theme::AGREES,
        Agreement::Stale => theme::STALE,
        Agreement::Conflict => theme::CONFLICT,
        Agreement::Empty => Color32::GRAY,
    }
}

pub fn ui(ui: &mut egui::Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.weak("Copies appear once the scenario can run.");
        return;
    };
    let t = p.trace();
    if t.tables.is_empty() {
        ui.weak("No service owns a table yet.");
        return;
    }
    ui.horizontal(|ui| {
        for (a, word) in [
            (Agreement::Agrees, "agrees with owner"),
            (Agreement::Stale, "stale"),
            (Agreement::Conflict, "conflicting"),
        ] {
            let (r, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, color(a));
            ui.label(word);
        }
    });
    let upto = p.upto();
    for (ti, table) in t.tables.iter().enumerate() {
        let name = t.names.get(table.name);
        // Peer tables accept writes everywhere; the first peer is only the
        // reference column.
        let multi_leader = t
            .nodes
            .get(table.owner as usize)
            .is_some_and(|n| n.kind == Kind::Peer);
        let columns: Vec<u16> = std::iter::once(table.owner)
            .chain(table.replicas.iter().copied())
            .collect();
        let rows = p.index.id_count(table.name);
        ui.add_space(4.0);
        ui.label(
            egui::RichText::new(format!(
                "{name} — {rows} record(s), {} cop{}",
                columns.len(),
                if columns.len() == 1 { "y" } else { "ies" }
            ))
            .strong(),
        );
        let width = KEY_COL + COL * columns.len() as f32;
        let height = ROW * (rows as f32 + 1.0);
        egui::ScrollArea::both()
            .id_salt(("replicas", ti))
            .max_height(280.0)
            .auto_shrink([false, true])
            .show_viewport(ui, |ui, viewport| {
                let (full, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
                let origin = full.min;
                let painter = ui.painter();
                let visuals = ui.visuals().clone();
                let first_col = ((viewport.min.x - KEY_COL) / COL).floor().max(0.0) as usize;
                let last_col = (((viewport.max.x - KEY_COL) / COL).ceil().max(0.0) as usize)
                    .min(columns.len());
                let first_row = (viewport.min.y / ROW).floor().max(1.0) as usize - 1;
                let last_row = ((viewport.max.y / ROW).ceil() as usize).min(rows);
                // Header: sticks to the top of the viewport.
                let hy = origin.y + viewport.min.y;
                for (c, &node) in columns.iter().enumerate().take(last_col).skip(first_col) {
                    let r = Rect::from_min_size(
                        pos2(origin.x + KEY_COL + COL * c as f32, hy),
                        vec2(COL, ROW),
                    );
                    let info = t.nodes.get(node as usize);
                    let kind = info.map_or(Kind::Service, |i| i.kind);
                    let fill = theme::kind_color(kind);
                    painter.rect_filled(r.shrink(1.0), 3.0, fill);
                    let mut label = info.map_or("?".into(), |i| i.label.clone());
                    if c == 0 {
                        label = format!("★ {label}");
                    }
                    let font = FontId::proportional(12.0);
                    let label = theme::elide(painter, &label, &font, r.width() - 8.0);
                    painter.text(
                        r.center(),
                        Align2::CENTER_CENTER,
                        label,
                        font,
                        theme::on(fill),
                    );
                    let resp = ui.interact(r, ui.scope_id().with(("col", ti, c)), Sense::click());
                    if resp.clicked() {
                        cmds.push(Cmd::Select(Selection::node(
                            info.map_or("", |i| i.id.as_str()),
                        )));
                    }
                    resp.on_hover_text(if c == 0 {
                        "The owner: its store is the source of truth"
                    } else {
                        "A copy fed by events"
                    });
                }
                painter.text(
                    pos2(origin.x + viewport.min.x + 6.0, hy + ROW / 2.0),
                    Align2::LEFT_CENTER,
                    "id",
                    FontId::proportional(12.0),
                    visuals.weak_text_color(),
                );
                for (row, id) in p
                    .index
                    .ids(table.name)
                    .enumerate()
                    .skip(first_row)
                    .take(last_row.saturating_sub(first_row))
                {
                    let y = origin.y + ROW * (row as f32 + 1.0);
                    if y < hy + ROW - 1.0 {
                        continue;
                    }
                    let key = Key {
                        table: table.name,
                        id,
                    };
                    painter.text(
                        pos2(origin.x + viewport.min.x + 6.0, y + ROW / 2.0),
                        Align2::LEFT_CENTER,
                        t.names.get(id),
                        FontId::monospace(12.0),
                        visuals.text_color(),
                    );
                    let owner = p.index.record_at(t, table.owner, key, upto).map(|(r, _)| r);
                    for (c, &node) in columns.iter().enumerate().take(last_col).skip(first_col) {
                        let r = Rect::from_min_size(
                            pos2(origin.x + KEY_COL + COL * c as f32, y),
                            vec2(COL, ROW),
                        )
                        .shrink(2.0);
                        let found = p.index.record_at(t, node, key, upto);
                        let copy = if c == 0 { owner } else { found.map(|(r, _)| r) };
                        // A peer's change carries its strategy's metadata.
                        let meta = found
                            .and_then(|(_, ch)| t.changes.get(ch as usize))
                            .and_then(|ch| t.body(ch.body))
                            .and_then(|b| match b {
                                crate::model::Body::PeerState { meta, .. } => {
                                    Some(t.names.get(*meta).to_string())
                                }
                                _ => None,
                            });
                        let a = if c == 0 {
                            if owner.is_some() {
                                Agreement::Agrees
                            } else {
                                Agreement::Empty
                            }
                        } else if multi_leader
                            && owner.map(|o| (o.value, o.version))
                                != copy.map(|c| (c.value, c.version))
                        {
                            // Peers have no owner: any difference is a conflict
                            // still to be merged.
                            Agreement::Conflict
                        } else {
                            agreement(owner.as_ref(), copy.as_ref())
                        };
                        let col = color(a);
                        painter.rect_filled(r, 3.0, col.gamma_multiply(0.22));
                        painter.rect_stroke(r, 3.0, Stroke::new(1.0, col), StrokeKind::Inside);
                        let (value, version) = match copy {
                            Some(rec) => (
                                value_text(&t.names, rec.value),
                                meta.unwrap_or_else(|| rec.version.to_string()),
                            ),
                            None => ("—".to_string(), String::new()),
                        };
                        painter.text(
                            pos2(r.min.x + 6.0, r.center().y - 1.0),
                            Align2::LEFT_BOTTOM,
                            value,
                            FontId::proportional(12.5),
                            visuals.strong_text_color(),
                        );
                        painter.text(
                            pos2(r.min.x + 6.0, r.center().y + 1.0),
                            Align2::LEFT_TOP,
                            version,
                            FontId::monospace(9.5),
                            visuals.weak_text_color(),
                        );
                        let resp = ui.interact(
                            r,
                            ui.scope_id().with(("cell", ti, row, c)),
                            Sense::hover(),
                        );
                        if resp.hovered() {
                            let who = t.node_label(node);
                            let text = match a {
                                Agreement::Agrees => {
                                    format!("{who} agrees with the owner on {}", t.names.get(id))
                                }
                                Agreement::Stale => format!(
                                    "{who} is behind: it has {}, the owner has {}",
                                    copy.map_or("nothing".into(), |c| c.version.to_string()),
                                    owner.map_or("nothing".into(), |o| o.version.to_string())
                                ),
                                Agreement::Conflict => {
                                    format!("{who} holds a version the owner never had")
                                }
                                Agreement::Empty => "no record yet".to_string(),
                            };
                            resp.on_hover_text(text);
                        }
                    }
                }
            });
    }
}
