//! The replica states: for every table, rows are record ids and columns
//! are its copies, owner first. Each cell shows value and version at the
//! moment shown, coloured by how the copy compares with the owner (agrees,
//! behind, conflicting; see `trace::query::agreement`). Only the visible
//! rows and columns are looked up, and each visible cell is an element of
//! its own for screen readers ("Search, sku-3: 7, version v2, stale").

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, Ui, pos2, vec2};

use super::theme;
use super::view::{Differs, View};
use crate::model::{Body, Key, Record, value_text};
use crate::session::{Cmd, Player, Selection};
use crate::trace::query::Agreement;
use crate::trace::{TableInfo, Trace};

/// Sizes of the table, scaled up on a projector.
#[derive(Clone, Copy)]
struct Metrics {
    row: f32,
    col: f32,
    key_col: f32,
    font: f32,
}

impl Metrics {
    fn new(presenting: bool) -> Self {
        let k = if presenting { 1.4 } else { 1.0 };
        Metrics {
            row: 34.0 * k,
            col: 104.0 * k,
            key_col: 70.0 * k,
            font: 12.5 * k,
        }
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

fn word(a: Agreement) -> &'static str {
    match a {
        Agreement::Agrees => "agrees with the owner",
        Agreement::Stale => "stale",
        Agreement::Conflict => "conflicting",
        Agreement::Empty => "no record",
    }
}

pub fn ui(ui: &mut Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.weak("Copies appear once the scenario can run.");
        return;
    };
    let t = p.trace();
    if t.tables.is_empty() {
        ui.weak("No service owns a table yet.");
        return;
    }
    let m = Metrics::new(view.presenting);
    ui.horizontal(|ui| {
        for a in [Agreement::Agrees, Agreement::Stale, Agreement::Conflict] {
            let (r, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, color(a));
            ui.label(egui::RichText::new(word(a)).size(m.font));
        }
    });
    let differs = view.compare.map(|c| c.differs);
    // The nodes the lesson's current step talks about, with how many steps
    // have been reached (a new step may scroll a table to its copies).
    let now = p.now();
    let reached = p.marks().iter().filter(|(at, _)| *at <= now).count();
    let focus: Vec<u16> = p
        .marks()
        .get(reached.wrapping_sub(1))
        .and_then(|&(_, n)| view.scenario.narration.get(n))
        .map(|step| {
            step.focus
                .iter()
                .filter_map(|id| t.nodes.iter().position(|x| x.id == *id))
                .filter_map(|i| u16::try_from(i).ok())
                .collect()
        })
        .unwrap_or_default();
    let focus = Focus {
        step: reached,
        nodes: &focus,
    };
    let bring = table_to_show(ui, view, t, &focus);
    for (ti, table) in t.tables.iter().enumerate() {
        let top = ui.cursor().min;
        table_ui(ui, p, ti, table, &m, differs, &focus, cmds);
        if bring == Some(ti) {
            let r = Rect::from_min_max(top, pos2(ui.max_rect().max.x, ui.min_rect().max.y));
            ui.scroll_to_rect(r, None);
        }
    }
    super::data::outboxes(ui, view);
}

/// The table a lesson's step has just pointed at, to bring into view once
/// (the learner can scroll away again): the one its text names ("the
/// 'bus dead letters' table", "the log's groups table"), or else, unless
/// it names a plot, the first with a copy it talks about.
fn table_to_show(ui: &Ui, view: &View, t: &Trace, focus: &Focus) -> Option<usize> {
    let (step, text) = super::plots::current_step(view)?;
    let seen = ui.make_persistent_id("replicas-step");
    if ui.data(|d| d.get_temp::<usize>(seen)) == Some(step) {
        return None;
    }
    ui.data_mut(|d| d.insert_temp(seen, step));
    let said = text
        .to_lowercase()
        .replace("'s ", " ")
        .replace(['\'', '"'], "");
    let named = t.tables.iter().position(|table| {
        let name = t.names.get(table.name).to_lowercase();
        said.contains(&format!("{name} table"))
    });
    if named.is_some() || super::plots::named_plot(text).is_some() {
        return named;
    }
    t.tables.iter().position(|table| {
        std::iter::once(&table.owner)
            .chain(&table.replicas)
            .any(|n| focus.nodes.contains(n))
    })
}

/// The lesson's current step: how many steps have been reached, and the
/// nodes it talks about.
struct Focus<'a> {
    step: usize,
    nodes: &'a [u16],
}

/// One table: a header of copies, a row per record id.
#[allow(clippy::too_many_arguments)]
fn table_ui(
    ui: &mut Ui,
    p: &Player,
    ti: usize,
    table: &TableInfo,
    m: &Metrics,
    differs: Option<&Differs>,
    focus: &Focus,
    cmds: &mut Vec<Cmd>,
) {
    let t = p.trace();
    let name = t.names.get(table.name);
    let columns: Vec<u16> = std::iter::once(table.owner)
        .chain(table.replicas.iter().copied())
        .collect();
    let rows = p.index.id_count(table.name);
    // The id column grows with the ids (looking at the first few hundred:
    // a run may have a million), up to about three times its width.
    let font = FontId::monospace(m.font);
    let glyph = ui
        .painter()
        .layout_no_wrap("0".into(), font, Color32::WHITE)
        .size()
        .x;
    let longest = p
        .index
        .ids(table.name)
        .take(500)
        .map(|id| t.names.get(id).chars().count())
        .max()
        .unwrap_or(2);
    let m = &Metrics {
        key_col: (glyph * longest as f32 + 16.0).clamp(m.key_col, m.key_col * 3.2),
        ..*m
    };
    // Each column as wide as the values it holds (looking at the first
    // few hundred ids), so the value a lesson is about is read whole; at
    // most as wide as the panel beside the ids.
    let avail = ui.available_width();
    let widths = column_widths(
        ui,
        p,
        table,
        &columns,
        m,
        (avail - m.key_col - 8.0).max(m.col),
    );
    let lefts = lefts(&widths);
    let owner_w = widths.first().copied().unwrap_or(m.col);
    ui.add_space(4.0);
    // Copies beyond the panel's edge are said so in the title, for a room
    // that cannot see a scroll bar appear on hover.
    let hidden = (1..columns.len())
        .filter(|&c| m.key_col + lefts[c] + widths[c] > avail)
        .count();
    title_ui(ui, name, rows, columns.len(), hidden, m);
    let width = m.key_col + widths.iter().sum::<f32>();
    let height = m.row * (rows as f32 + 1.0);
    // When a step talks about a copy the panel cuts off, the table scrolls
    // it into view once (the learner can scroll away again). The owner
    // stays beside the ids, so the copy is always seen against it.
    let area = scroll_to_focus(ui, ti, focus, &columns, &lefts, &widths, m.key_col);
    area.id_salt(("replicas", ti))
        .max_height(m.row * 8.5)
        .auto_shrink([false, true])
        .show_viewport(ui, |ui, viewport| {
            let (full, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
            let origin = full.min;
            // The ids and the owner stick to the left of the viewport, the
            // header to its top; copies scrolled sideways pass under the
            // owner, so they are clipped to the right of it.
            let pinned = origin.x + viewport.min.x + m.key_col;
            let col_rect = |c: usize, y: f32| {
                let x = if c == 0 {
                    pinned
                } else {
                    origin.x + m.key_col + lefts[c]
                };
                Rect::from_min_size(pos2(x, y), vec2(widths[c], m.row))
            };
            let shown_cols: Vec<usize> = (0..columns.len())
                .filter(|&c| {
                    let r = col_rect(c, 0.0);
                    c == 0 || (r.max.x > pinned + owner_w && r.min.x < origin.x + viewport.max.x)
                })
                .collect();
            let first_row = (viewport.min.y / m.row).floor().max(1.0) as usize - 1;
            let last_row = ((viewport.max.y / m.row).ceil() as usize).min(rows);
            let hy = origin.y + viewport.min.y;
            let ids = ui.painter().clone();
            let whole = ui.clip_rect();
            let copies = whole.intersect(Rect::from_min_max(
                pos2(pinned + owner_w, whole.min.y),
                whole.max,
            ));
            let owners = whole.intersect(Rect::from_min_max(pos2(pinned, whole.min.y), whole.max));
            for &c in &shown_cols {
                ui.set_clip_rect(if c == 0 { owners } else { copies });
                header(ui, t, columns[c], c == 0, col_rect(c, hy), m, (ti, c), cmds);
            }
            ids.text(
                pos2(origin.x + viewport.min.x + 6.0, hy + m.row / 2.0),
                Align2::LEFT_CENTER,
                "id",
                FontId::proportional(m.font),
                ui.visuals().weak_text_color(),
            );
            for (row, id) in p
                .index
                .ids(table.name)
                .enumerate()
                .skip(first_row)
                .take(last_row.saturating_sub(first_row))
            {
                let y = origin.y + m.row * (row as f32 + 1.0);
                if y < hy + m.row - 1.0 {
                    continue;
                }
                // A long id is cut short rather than run under the values;
                // each cell's accessible name and hover carry it whole.
                let font = FontId::monospace(m.font);
                let shown = theme::elide(&ids, t.names.get(id), &font, m.key_col - 10.0);
                ids.text(
                    pos2(origin.x + viewport.min.x + 6.0, y + m.row / 2.0),
                    Align2::LEFT_CENTER,
                    shown,
                    font,
                    ui.visuals().text_color(),
                );
                let key = Key {
                    table: table.name,
                    id,
                };
                for &c in &shown_cols {
                    let node = columns[c];
                    ui.set_clip_rect(if c == 0 { owners } else { copies });
                    let r = col_rect(c, y).shrink(2.0);
                    let other = differs.and_then(|d| {
                        let v = d.get(t.node_id(node), t.names.get(table.name), t.names.get(id))?;
                        Some((d.other, v))
                    });
                    cell(ui, p, table, key, node, c == 0, r, m, other, (ti, row, c));
                }
            }
            ui.set_clip_rect(whole);
        });
}

/// A table's title: its name, records and copies, and how many copies
/// lie beyond the panel's edge.
fn title_ui(ui: &mut Ui, name: &str, rows: usize, copies: usize, hidden: usize, m: &Metrics) {
    let title = ui.label(
        egui::RichText::new(format!(
            "{name} — {rows} record(s), {} cop{}{}",
            copies,
            if copies == 1 { "y" } else { "ies" },
            if hidden > 0 {
                format!(" · {hidden} more ↔")
            } else {
                String::new()
            }
        ))
        .size(m.font + 1.0)
        .strong(),
    );
    if hidden > 0 {
        title.on_hover_text("Scroll the table sideways (Shift and the wheel) to see every copy");
    }
}

/// The table's scroll area, scrolled once to the last copy the lesson's
/// step talks about when the panel cuts it off (the learner can scroll
/// away again).
fn scroll_to_focus(
    ui: &mut Ui,
    ti: usize,
    focus: &Focus,
    columns: &[u16],
    lefts: &[f32],
    widths: &[f32],
    key_col: f32,
) -> egui::ScrollArea {
    let mut area = egui::ScrollArea::both();
    let avail = ui.available_width();
    let owner_w = widths.first().copied().unwrap_or(0.0);
    let seen_id = ui.make_persistent_id(("replicas-focus", ti));
    let wanted = columns
        .iter()
        .rposition(|c| focus.nodes.contains(c))
        .map(|c| (focus.step, c));
    if let Some((step, c)) = wanted
        && ui.data(|d| d.get_temp::<(usize, usize)>(seen_id)) != Some((step, c))
    {
        let end = key_col + lefts[c] + widths[c] - avail + 4.0;
        area = area.horizontal_scroll_offset(end.clamp(0.0, (lefts[c] - owner_w).max(0.0)));
        ui.data_mut(|d| d.insert_temp(seen_id, (step, c)));
    }
    area
}

/// Each column's left edge, from the first's.
fn lefts(widths: &[f32]) -> Vec<f32> {
    widths
        .iter()
        .scan(0.0, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect()
}

/// Each column's width: wide enough for the longest value it holds at
/// the moment shown among the first few hundred ids (a run may have a
/// million), between the usual width and `most`.
fn column_widths(
    ui: &Ui,
    p: &Player,
    table: &TableInfo,
    columns: &[u16],
    m: &Metrics,
    most: f32,
) -> Vec<f32> {
    let t = p.trace();
    let font = FontId::proportional(m.font);
    let painter = ui.painter();
    columns
        .iter()
        .map(|&node| {
            let widest = p
                .index
                .ids(table.name)
                .take(300)
                .filter_map(|id| {
                    let key = Key {
                        table: table.name,
                        id,
                    };
                    p.index.record_at(t, node, key, p.upto())
                })
                .map(|(r, _)| value_text(&t.names, r.value))
                .map(|text| {
                    painter
                        .layout_no_wrap(text, font.clone(), Color32::WHITE)
                        .size()
                        .x
                })
                .fold(0.0, f32::max);
            // The value's margins, the cell's inset and its outline.
            (widest + 18.0).clamp(m.col, most.max(m.col))
        })
        .collect()
}

/// A column's header: the copy's name, the owner starred; a click selects it.
#[allow(clippy::too_many_arguments)]
fn header(
    ui: &mut Ui,
    t: &Trace,
    node: u16,
    owner: bool,
    r: Rect,
    m: &Metrics,
    salt: (usize, usize),
    cmds: &mut Vec<Cmd>,
) {
    let info = t.nodes.get(node as usize);
    let Some(info) = info else { return };
    // A neutral plate with the kind's colour as a bar under it, so the
    // column is tied to its node on the canvas without wearing the amber
    // or red that mean stale and conflicting in the cells below.
    let painter = ui.painter();
    let plate = r.shrink(1.0);
    painter.rect_filled(plate, 3.0, ui.visuals().widgets.inactive.bg_fill);
    let bar = Rect::from_min_max(pos2(plate.min.x, plate.max.y - 4.0), plate.max);
    painter.rect_filled(bar, 2.0, theme::kind_color(info.kind));
    let label = if owner {
        format!("★ {}", info.label)
    } else {
        info.label.clone()
    };
    let font = FontId::proportional(m.font);
    let shown = theme::elide_name(painter, &label, &font, r.width() - 8.0);
    painter.text(
        r.center() - vec2(0.0, 2.0),
        Align2::CENTER_CENTER,
        shown,
        font,
        ui.visuals().strong_text_color(),
    );
    let resp = ui.interact(r, ui.scope_id().with(("col", salt)), Sense::click());
    let about = if owner {
        format!("{}: the owner, its store the source of truth", info.label)
    } else {
        format!("{}: a copy", info.label)
    };
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &about));
    if resp.clicked() {
        cmds.push(Cmd::Select(Selection::node(&info.id)));
    }
    resp.on_hover_text(about);
}

/// One copy of one record at the moment shown.
#[allow(clippy::too_many_arguments)]
fn cell(
    ui: &mut Ui,
    p: &Player,
    table: &TableInfo,
    key: Key,
    node: u16,
    owner: bool,
    r: Rect,
    m: &Metrics,
    other: Option<(&str, &str)>,
    salt: (usize, usize, usize),
) {
    let t = p.trace();
    let upto = p.upto();
    let found = p.index.record_at(t, node, key, upto);
    let copy: Option<Record> = found.map(|(r, _)| r);
    let a = if owner {
        if copy.is_some() {
            Agreement::Agrees
        } else {
            Agreement::Empty
        }
    } else {
        p.index.agreement_at(t, table, node, key, upto)
    };
    // A peer's change carries its strategy's metadata.
    let meta = found
        .and_then(|(_, ch)| t.change(ch as usize))
        .and_then(|ch| t.body(ch.body))
        .and_then(|b| match b {
            Body::PeerState { meta, .. } => Some(t.names.get(*meta).to_string()),
            _ => None,
        });
    let (value, version) = match copy {
        Some(rec) => (
            value_text(&t.names, rec.value),
            meta.unwrap_or_else(|| rec.version.to_string()),
        ),
        None => ("—".to_string(), String::new()),
    };
    let col = color(a);
    let visuals = ui.visuals().clone();
    let painter = ui.painter();
    painter.rect_filled(r, 3.0, col.gamma_multiply(0.22));
    painter.rect_stroke(r, 3.0, Stroke::new(1.0, col), StrokeKind::Inside);
    let font = FontId::proportional(m.font);
    let room = r.width() - 10.0;
    let ink = visuals.strong_text_color();
    // The value whole on its line over the version; a value too long for
    // the widest column takes both lines instead (the version is in the
    // hover and the accessible name), and only what is longer still ends
    // in an ellipsis. `shown` is what is drawn, for screen readers too.
    let shown = if painter
        .layout_no_wrap(value.clone(), font.clone(), ink)
        .size()
        .x
        <= room
    {
        painter.text(
            pos2(r.min.x + 6.0, r.center().y - 1.0),
            Align2::LEFT_BOTTOM,
            &value,
            font,
            ink,
        );
        let vfont = FontId::monospace(m.font * 0.76);
        let vshown = theme::elide(painter, &version, &vfont, room);
        painter.text(
            pos2(r.min.x + 6.0, r.center().y + 1.0),
            Align2::LEFT_TOP,
            vshown,
            vfont,
            visuals.weak_text_color(),
        );
        value.clone()
    } else {
        let mut job = egui::text::LayoutJob::simple(value.clone(), font, ink, room);
        job.wrap.max_rows = 2;
        let galley = painter.layout_job(job);
        let elided = galley.elided;
        let shown: String = galley.rows.iter().map(|row| row.text()).collect();
        painter.galley(
            pos2(r.min.x + 6.0, r.center().y - galley.size().y / 2.0),
            galley,
            ink,
        );
        if elided {
            format!("{}…", shown.trim_end_matches('…'))
        } else {
            value.clone()
        }
    };
    if other.is_some() {
        // Differs from the other side of a comparison: a thick outline in
        // a colour no agreement state uses, and a mark in the corner.
        let c = theme::DIFFERS;
        painter.rect_stroke(r.expand(1.0), 3.0, Stroke::new(3.0, c), StrokeKind::Outside);
        painter.text(
            pos2(r.max.x - 4.0, r.min.y + 1.0),
            Align2::RIGHT_TOP,
            "≠",
            FontId::proportional(m.font),
            theme::readable(c, visuals.panel_fill),
        );
    }
    let who = t.node_label(node);
    let id = t.names.get(key.id);
    let mut spoken = if copy.is_some() {
        format!("{who}, {id}: {value}, version {version}, {}", word(a))
    } else {
        format!("{who}, {id}: no record")
    };
    if let Some((side, theirs)) = other {
        spoken.push_str(&format!("; differs from {side}, which holds {theirs}"));
    }
    let resp = ui.interact(r, ui.scope_id().with(("cell", salt)), Sense::hover());
    resp.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::Cell, true, &spoken);
        info.current_text_value = Some(shown.clone());
        info
    });
    if resp.hovered() {
        let text = match a {
            Agreement::Agrees if owner => format!("{who} owns {id}"),
            Agreement::Agrees => format!("{who} agrees with the owner on {id}"),
            Agreement::Stale => format!("{who} is behind on {id}: it has {version}"),
            Agreement::Conflict => format!("{who} holds a version of {id} the owner never had"),
            Agreement::Empty => "no record yet".to_string(),
        };
        let text = match other {
            Some((side, theirs)) => format!("{text}\nSide {side} holds {theirs} here"),
            None => text,
        };
        resp.on_hover_text(text);
    }
}
