//! The live sequence diagram: one lane per node, one arrow per message.
//! "By order" draws one row per message in the order they were sent, as a
//! textbook figure does (the default for lessons and presentation); "by
//! time" keeps the true time scale with idle stretches squeezed. Both
//! follow the moment shown unless the viewer scrolls away, draw in-flight
//! arrows as far as they have come, and look only at what is on screen.
//!
//! `lanes` holds the lanes (order, hidden, collapsed), `by_order` and
//! `by_time` the two layouts, `arrows` what both draw of a message.

mod arrows;
mod by_order;
mod by_time;
mod lanes;

use std::collections::BTreeSet;

use egui::{Align2, FontId, Rect, Sense, Stroke, Ui, pos2};

use super::theme;
use super::view::View;
use crate::model::fmt_time;
use crate::session::Cmd;
use by_order::{Metrics, Row, Rows};
use by_time::{Axis, Idle};
use lanes::{Geometry, LaneChoice, Lanes};

/// How the diagram lays messages out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    ByOrder,
    ByTime,
}

const MIN_LANE: f32 = 110.0;

pub struct SequenceState {
    pub layout: Layout,
    /// Vertical scale of the time layout.
    pub px_per_ms: f32,
    /// Keep the moment shown in view.
    pub follow: bool,
    /// Where the view starts when not following: a row (by order) or a
    /// squeezed time in microseconds (by time).
    top: f64,
    /// Horizontal scroll, in points.
    lane_offset: f32,
    pub lanes: LaneChoice,
    rows: Rows,
    idle: Idle,
    /// What the caches were built for: (run, lane choice).
    made_for: Option<((u64, u64, u64), LaneChoice)>,
    /// The selected message the view last scrolled to.
    scrolled_to: Option<u32>,
    /// What last frame showed, row by row, in words: the diagram's
    /// elements for screen readers.
    spoken: Vec<(Rect, String)>,
    /// The lanes last brought into view for the lesson's step, so the
    /// diagram scrolls sideways only when they change, never against the
    /// viewer's own scrolling.
    revealed: BTreeSet<usize>,
}

impl SequenceState {
    pub fn new(px_per_ms: f32) -> Self {
        SequenceState {
            layout: Layout::ByOrder,
            px_per_ms: px_per_ms.clamp(0.01, 50.0),
            follow: true,
            top: 0.0,
            lane_offset: 0.0,
            lanes: LaneChoice::default(),
            rows: Rows::default(),
            idle: Idle::default(),
            made_for: None,
            scrolled_to: None,
            spoken: Vec::new(),
            revealed: BTreeSet::new(),
        }
    }
}

/// Type sizes: (labels, headers, row height).
fn sizes(presenting: bool) -> (f32, f32, f32) {
    if presenting {
        (16.0, 16.0, 32.0)
    } else {
        (12.0, 12.5, 24.0)
    }
}

pub fn ui(ui: &mut Ui, st: &mut SequenceState, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.weak("The sequence diagram appears once the scenario can run.");
        return;
    };
    toolbar(ui, st);
    let t = p.trace();
    let key = (view.run, st.lanes.clone());
    if st.made_for.as_ref() != Some(&key) {
        st.rows = Rows::default();
        st.idle = Idle::default();
        st.made_for = Some(key);
    }
    let lanes = Lanes::new(t, &st.lanes);
    st.rows.update(t, &lanes);
    st.idle.update(t);

    let (label_px, header_px, row_px) = sizes(view.presenting);
    let header_h = header_px + 14.0;
    let gutter_w = if view.presenting { 84.0 } else { 64.0 };
    // The rows in words, registered before the diagram's own area so the
    // pointer still reaches the diagram.
    for (k, (r, words)) in st.spoken.iter().enumerate() {
        let e = ui.interact(*r, ui.make_persistent_id(("seq-row", k)), Sense::hover());
        e.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ListItem, true, words));
    }
    let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Sequence diagram"));
    if rect.height() < header_h + 20.0 {
        return;
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    let bg = visuals.extreme_bg_color;
    painter.rect_filled(rect, 0.0, bg);
    let body = Rect::from_min_max(pos2(rect.min.x + gutter_w, rect.min.y + header_h), rect.max);
    let gutter = Rect::from_min_max(pos2(rect.min.x, body.min.y), pos2(body.min.x, rect.max.y));

    // Scrolling: sideways for lanes, up and down through time or rows.
    if resp.hovered() {
        let (scroll, zoom, shift) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.modifiers.shift));
        if st.layout == Layout::ByTime && (zoom - 1.0).abs() > 1e-4 {
            st.px_per_ms = (st.px_per_ms * zoom).clamp(0.05, 20.0);
        } else if shift || scroll.x.abs() > scroll.y.abs() {
            st.lane_offset -= if shift { scroll.y } else { scroll.x };
        } else if scroll.y.abs() > 0.0 {
            st.follow = false;
            st.top -= match st.layout {
                Layout::ByOrder => f64::from(scroll.y / row_px),
                Layout::ByTime => f64::from(scroll.y) / f64::from(st.px_per_ms) * 1000.0,
            };
        }
    }
    let now = p.time();
    let selected = view.selection.message;
    // A newly selected message scrolls into view.
    let jump = selected.filter(|&m| st.scrolled_to != Some(m));
    st.scrolled_to = selected;
    let focus = focus_lanes(view, &lanes);
    // By order: which rows are in view, and how tall, before the lanes
    // are laid out, so the lanes of the rows in view can be given room.
    let mut rows = RowsInView {
        first: 0,
        last: 0,
        row: row_px,
        about: 0,
    };
    if st.layout == Layout::ByOrder {
        rows = rows_in_view(st, p.upto(), jump, body.height(), row_px);
    }
    let geo = lay_out_lanes(st, t, &lanes, &focus, &rows, body.width());
    let offset = st.lane_offset;
    let lane_x = |k: usize| lanes::lane_x(body, &geo, offset, k);
    for (k, lane) in lanes.list.iter().enumerate() {
        let x = lane_x(k);
        if x >= body.min.x && x <= body.max.x {
            painter.line_segment(
                [pos2(x, body.min.y), pos2(x, body.max.y)],
                Stroke::new(1.0, theme::kind_color(lane.kind).gamma_multiply(0.5)),
            );
        }
    }
    let pointer = resp.hover_pos();
    let hovered = match st.layout {
        Layout::ByOrder => {
            let RowsInView {
                first,
                last,
                row: row_px,
                ..
            } = rows;
            let narration = |n: u32| rule_text(view.scenario, p.marks(), n);
            let candidates: Vec<u32> = p
                .choice_point()
                .map(|c| c.candidates.iter().map(|c| c.message).collect())
                .unwrap_or_default();
            let frame = by_order::Frame {
                painter: &painter,
                t,
                scenario: view.scenario,
                lanes: &lanes,
                lane_x: &lane_x,
                body,
                gutter,
                now,
                selected,
                text: visuals.text_color(),
                weak: visuals.weak_text_color(),
                bg,
                narration: &narration,
                parting: view
                    .compare
                    .and_then(|c| c.first_step)
                    .and_then(|i| by_order::row_of_step(t, i)),
                candidates: &candidates,
            };
            let metrics = Metrics {
                row: row_px,
                font: label_px.min(row_px * 0.62),
            };
            let shown_rows = &st.rows.rows[first..last];
            let hovered = by_order::draw(&frame, shown_rows, &metrics, pointer);
            st.spoken = shown_rows
                .iter()
                .enumerate()
                .map(|(k, row)| {
                    let y = body.min.y + k as f32 * row_px;
                    let r =
                        Rect::from_min_size(pos2(body.min.x, y), egui::vec2(body.width(), row_px));
                    (r, by_order::spoken(&frame, row, now))
                })
                .collect();
            // The moment shown: under the last row sent by now.
            let y = body.min.y + (last - first) as f32 * row_px;
            now_line(&painter, rect, body, y, now, theme::NOW);
            hovered
        }
        Layout::ByTime => {
            let axis = Axis::new(&st.idle, st.px_per_ms);
            let span = axis.span(body.height());
            if let Some(m) = jump.and_then(|m| t.message(m)) {
                st.follow = false;
                st.top = axis.squeeze(t.sent_at(m) as f64) - span / 2.0;
            }
            if st.follow {
                st.top = axis.squeeze(now) - span + axis.span(40.0);
            }
            st.top = st.top.max(-span * 0.1);
            let frame = by_time::Frame {
                painter: &painter,
                t,
                scenario: view.scenario,
                lanes: &lanes,
                lane_x: &lane_x,
                body,
                gutter,
                now,
                top: st.top,
                selected,
                font: label_px,
                text: visuals.text_color(),
                weak: visuals.weak_text_color(),
                bg,
                max_latency: p.index.max_latency(),
            };
            let hovered = by_time::draw(&frame, &axis, pointer);
            st.spoken.clear();
            let y = body.min.y + axis.y(st.top, now);
            if y >= body.min.y && y <= body.max.y {
                now_line(&painter, rect, body, y, now, theme::NOW);
            }
            hovered
        }
    };
    let band = Rect::from_min_max(rect.min, pos2(rect.max.x, body.min.y));
    lanes::headers(
        ui,
        &painter,
        &lanes,
        &mut st.lanes,
        &lanes::Band {
            rect: band,
            x_of: &lane_x,
            width_of: &|k| geo.width_of(k),
            font: header_px,
        },
    );
    beyond(ui, &painter, &lanes, &lane_x, body, band, header_px);
    if let Some(i) = hovered {
        resp.clone()
            .on_hover_text_at_pointer(arrows::hover_text(t, i));
    }
    if resp.clicked() {
        cmds.push(Cmd::SelectMessage(hovered));
    }
}

/// Lays the lanes out across `room` and scrolls sideways to what the
/// lesson's step is about (its focus and, by order, the lanes of the rows
/// in view) when that changes.
fn lay_out_lanes(
    st: &mut SequenceState,
    t: &crate::trace::Trace,
    lanes: &Lanes,
    focus: &BTreeSet<usize>,
    rows: &RowsInView,
    room: f32,
) -> Geometry {
    let mut wanted: BTreeSet<usize> = focus.clone();
    if !focus.is_empty() && st.layout == Layout::ByOrder {
        for row in st.rows.rows.get(rows.about..rows.last).unwrap_or_default() {
            if let Row::Message(i) = *row
                && let Some(m) = t.message(i)
            {
                wanted.extend(lanes.of(t.sender(m)));
                wanted.extend(lanes.of(m.to));
            }
        }
    }
    let geo = Geometry::fit(lanes.list.len(), room, MIN_LANE, &wanted);
    if wanted != st.revealed {
        // A new step, or new rows in lanes out of sight: bring what the
        // step is about into view (its focus first, if not all fits).
        let span = |set: &BTreeSet<usize>| Some((*set.first()?, *set.last()?));
        let width = |(a, b): (usize, usize)| geo.centre(b) - geo.centre(a) + geo.width_of(a);
        let show = span(&wanted)
            .filter(|&r| width(r) <= room)
            .or_else(|| span(focus));
        if let Some((a, b)) = show {
            st.lane_offset = geo.reveal(st.lane_offset, room, a, b);
        }
        st.revealed = wanted;
    }
    st.lane_offset = st.lane_offset.clamp(0.0, (geo.total - room).max(0.0));
    geo
}

/// A narration step's rule, "Step k: …", numbered as the card numbers
/// it (in the order steps are reached), cut at a word when long.
fn rule_text(
    scenario: &crate::scenario::Scenario,
    marks: &[(crate::model::Micros, usize)],
    n: u32,
) -> String {
    let k = marks
        .iter()
        .position(|&(_, m)| m == n as usize)
        .map_or(n as usize + 1, |k| k + 1);
    let text = scenario
        .narration
        .get(n as usize)
        .map(|s| {
            if s.text.chars().count() <= 100 {
                return s.text.clone();
            }
            let head: String = s.text.chars().take(100).collect();
            let cut = head.rfind(' ').unwrap_or(head.len());
            format!(
                "{}…",
                head[..cut].trim_end_matches([',', ';', ':', '.', ' '])
            )
        })
        .unwrap_or_default();
    format!("Step {k}: {text}")
}

/// The rows of the by-order layout in view, and their height.
struct RowsInView {
    first: usize,
    last: usize,
    row: f32,
    /// The first row the lesson's step speaks of (from the previous
    /// step's rule, while following), whose lanes are given room even
    /// when the row itself no longer fits.
    about: usize,
}

/// Which rows are in view: around a newly selected message, or, while
/// following, the last ones; then rows are made shorter (down to 70 %)
/// so that everything since the previous narration step's rule fits, as
/// a lesson's step speaks of what just happened ("eight messages").
fn rows_in_view(
    st: &mut SequenceState,
    upto: usize,
    jump: Option<u32>,
    height: f32,
    row_px: f32,
) -> RowsInView {
    let shown = st.rows.shown(upto);
    let mut row = row_px;
    let mut about = None;
    if st.follow {
        let mut marks = st.rows.rows[..shown.min(st.rows.rows.len())]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, r)| matches!(r, Row::Mark(_)))
            .map(|(i, _)| i);
        // Without a lesson's steps (or before its second) nothing is
        // spoken of as a whole: rows keep their height.
        if let Some(from) = marks.nth(1) {
            about = Some(from);
            let need = shown.saturating_sub(from).max(1) as f32;
            if need * row > height {
                row = (height / need).max(row_px * 0.7);
            }
        }
    }
    let fit = (height / row).floor().max(1.0) as usize;
    if let Some(r) = jump.and_then(|m| st.rows.row_of(m)).filter(|&r| r < shown) {
        st.follow = false;
        st.top = r.saturating_sub(fit / 2) as f64;
    }
    if st.follow {
        st.top = shown.saturating_sub(fit) as f64;
    }
    st.top = st.top.clamp(0.0, shown.saturating_sub(1) as f64);
    let first = st.top as usize;
    RowsInView {
        first,
        last: (first + fit + 1).min(shown),
        row,
        about: about.map_or(first, |a| a.min(first)),
    }
}

/// The lanes of the nodes the lesson's current step talks about.
fn focus_lanes(view: &View, lanes: &Lanes) -> BTreeSet<usize> {
    let Some(p) = view.player else {
        return BTreeSet::new();
    };
    let now = p.now();
    let Some(&(_, n)) = p.marks().iter().rev().find(|(at, _)| *at <= now) else {
        return BTreeSet::new();
    };
    let Some(step) = view.scenario.narration.get(n) else {
        return BTreeSet::new();
    };
    let t = p.trace();
    step.focus
        .iter()
        .filter_map(|id| t.nodes.iter().position(|x| x.id == *id))
        .filter_map(|i| lanes.of(u16::try_from(i).ok()?))
        .collect()
}

/// Lanes past either edge are said so over the headers: a learner does
/// not guess that the diagram scrolls sideways.
fn beyond(
    ui: &Ui,
    painter: &egui::Painter,
    lanes: &Lanes,
    lane_x: &dyn Fn(usize) -> f32,
    body: Rect,
    band: Rect,
    header_px: f32,
) {
    let visuals = ui.visuals();
    let right = lanes
        .list
        .iter()
        .enumerate()
        .filter(|&(k, _)| lane_x(k) > body.max.x)
        .count();
    let left = lanes
        .list
        .iter()
        .enumerate()
        .filter(|&(k, _)| lane_x(k) < body.min.x)
        .count();
    for (n, at_right) in [(right, true), (left, false)] {
        if n == 0 {
            continue;
        }
        let words = if at_right {
            format!("{n} more →")
        } else {
            format!("← {n} more")
        };
        let galley = painter.layout_no_wrap(
            words,
            egui::FontId::proportional(header_px * 0.9),
            visuals.strong_text_color(),
        );
        let x = if at_right {
            band.max.x - galley.size().x - 8.0
        } else {
            band.min.x + 4.0
        };
        let at = pos2(x, band.center().y - galley.size().y / 2.0);
        let pill = Rect::from_min_size(at, galley.size()).expand2(egui::vec2(5.0, 2.0));
        painter.rect_filled(pill, 4.0, visuals.widgets.inactive.bg_fill);
        painter.galley(at, galley, visuals.strong_text_color());
        let tip = ui.interact(
            pill,
            ui.make_persistent_id(("lanes-beyond", at_right)),
            Sense::hover(),
        );
        tip.on_hover_text(
            "Shift and the wheel (or a sideways scroll) over the diagram shows the other lanes",
        );
    }
}

fn toolbar(ui: &mut Ui, st: &mut SequenceState) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut st.layout, Layout::ByOrder, "By order")
            .on_hover_text("One row per message, in the order they were sent");
        ui.selectable_value(&mut st.layout, Layout::ByTime, "By time")
            .on_hover_text("True time scale; long silences squeezed to a break");
        ui.separator();
        if ui
            .selectable_label(st.follow, "Follow now")
            .on_hover_text("Keep the moment shown in view")
            .clicked()
        {
            st.follow = !st.follow;
        }
        if st.layout == Layout::ByTime {
            let l = ui.label("Scale");
            ui.add(
                egui::Slider::new(&mut st.px_per_ms, 0.05..=20.0)
                    .logarithmic(true)
                    .suffix(" px/ms"),
            )
            .labelled_by(l.id)
            .on_hover_text("Ctrl+scroll over the diagram also zooms");
        }
        if (!st.lanes.hidden.is_empty() || !st.lanes.collapsed.is_empty())
            && ui
                .button("Show every lane")
                .on_hover_text("Bring back hidden lanes and expand collapsed ones")
                .clicked()
        {
            st.lanes.hidden.clear();
            st.lanes.collapsed.clear();
        }
        // Cut short rather than widen the row: a row wider than its panel
        // widens the panel's space, and the diagram under it would then
        // be drawn over whatever sits beside it.
        ui.add(
            egui::Label::new(
                egui::RichText::new(
                    "Scroll to look back · drag a lane's header to move it · right-click it to hide or collapse",
                )
                .weak(),
            )
            .truncate(),
        );
    });
}

fn now_line(
    painter: &egui::Painter,
    rect: Rect,
    body: Rect,
    y: f32,
    now: f64,
    color: egui::Color32,
) {
    painter.line_segment(
        [pos2(rect.min.x, y), pos2(body.max.x, y)],
        Stroke::new(1.5, color),
    );
    // At the right end, on a plate of the background: the gutter on the
    // left holds each row's own time, which the label would run into.
    let galley = painter.layout_no_wrap(fmt_time(now as u64), FontId::monospace(12.0), color);
    let plate = Align2::RIGHT_BOTTOM
        .anchor_size(pos2(body.max.x - 2.0, y - 1.0), galley.size())
        .expand(2.0);
    painter.rect_filled(plate, 3.0, painter.ctx().global_style().visuals.panel_fill);
    painter.galley(plate.shrink(2.0).min, galley, color);
}
