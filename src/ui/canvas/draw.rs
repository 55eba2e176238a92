//! Painting the canvas under its nodes: the grid, links (cut ones dashed),
//! messages in flight as tokens and recent drops as crosses. The nodes
//! themselves are painted by `nodes`, over these.

use std::collections::BTreeSet;

use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, Visuals, pos2, vec2};

use super::transform::{GRID, Layout, NODE, Transform, border_point};
use crate::model::body_label;
use crate::trace::query::FaultState;
use crate::ui::theme;
use crate::ui::view::View;

/// Most message tokens drawn in one frame.
const MAX_TOKENS: usize = 250;

/// What painting needs this frame.
pub struct Scene<'a> {
    pub painter: Painter,
    pub rect: Rect,
    pub visuals: Visuals,
    pub t: Transform,
    pub layout: Layout<'a>,
    pub faults: Faults<'a>,
    pub pointer: Option<Pos2>,
    /// The type size of names on plates, on a projector.
    pub plate_font: f32,
    /// Where names and pills must not be placed: the contexts' titles.
    pub keep_clear: Vec<Rect>,
}

/// Which links are cut and which nodes are down at the moment shown.
#[derive(Default)]
pub struct Faults<'a> {
    pub cut: BTreeSet<(&'a str, &'a str)>,
    pub down: BTreeSet<&'a str>,
}

impl<'a> Faults<'a> {
    pub fn at(view: &View<'a>) -> Self {
        let Some(p) = view.player else {
            return Faults::default();
        };
        let t = p.trace();
        let state = FaultState::at(t, p.now());
        let id = |n: u16| {
            view.scenario
                .nodes
                .get(n as usize)
                .map_or("?", |n| n.id.as_str())
        };
        Faults {
            cut: state.cut.iter().map(|&(a, b)| (id(a), id(b))).collect(),
            down: state.down.iter().map(|&n| id(n)).collect(),
        }
    }
}

/// Faint grid lines, a few dozen shapes whatever the zoom.
pub fn grid(sc: &Scene) {
    let step = GRID * sc.t.zoom * if sc.t.zoom < 0.6 { 4.0 } else { 1.0 };
    if step <= 8.0 {
        return;
    }
    let (rect, p) = (sc.rect, &sc.painter);
    let line = Stroke::new(1.0, sc.visuals.weak_text_color().gamma_multiply(0.12));
    let mut x = rect.min.x + sc.t.offset.x.rem_euclid(step);
    while x < rect.max.x {
        p.line_segment([pos2(x, rect.min.y), pos2(x, rect.max.y)], line);
        x += step;
    }
    let mut y = rect.min.y + sc.t.offset.y.rem_euclid(step);
    while y < rect.max.y {
        p.line_segment([pos2(rect.min.x, y), pos2(rect.max.x, y)], line);
        y += step;
    }
}

/// Links, with cuts dashed and labelled, and lossy links tagged; a link
/// that would pass through a node it does not connect bends around it.
/// Returns where the labels went, for message labels to keep off.
pub fn links(sc: &Scene, view: &View) -> Vec<Rect> {
    let (painter, visuals) = (&sc.painter, &sc.visuals);
    let mut labels = Vec::new();
    for (i, l) in view.scenario.links.iter().enumerate() {
        let Some(path) = sc.layout.path_between(&l.from, &l.to) else {
            continue;
        };
        let (Some(&a), Some(&b)) = (path.first(), path.last()) else {
            continue;
        };
        let cut_ab = sc.faults.cut.contains(&(l.from.as_str(), l.to.as_str()));
        let cut_ba = sc.faults.cut.contains(&(l.to.as_str(), l.from.as_str()));
        let selected = view.selection.link == Some(i);
        let near = sc
            .pointer
            .is_some_and(|p| sc.rect.contains(p) && super::route::distance(p, &path) < 6.0);
        let base = if selected {
            visuals.selection.bg_fill
        } else {
            visuals.weak_text_color()
        };
        let width = if selected || near { 3.0 } else { 1.8 } * sc.t.zoom.sqrt();
        let mid = super::route::along(&path, 0.5);
        if cut_ab || cut_ba {
            let stroke = Stroke::new(width, theme::FAULT);
            painter.extend(Shape::dashed_line(&path, stroke, 8.0, 6.0));
            let text = match (cut_ab, cut_ba) {
                (true, true) => "✂ cut".to_string(),
                (true, false) => format!("✂ cut → {}", view.label(&l.to)),
                _ => format!("✂ cut ← {}", view.label(&l.from)),
            };
            labels.push(painter.text(
                mid + vec2(0.0, -12.0),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(13.0),
                theme::readable(theme::FAULT, visuals.extreme_bg_color),
            ));
        } else {
            painter.add(Shape::line(path.clone(), Stroke::new(width, base)));
        }
        let color = if cut_ab || cut_ba { theme::FAULT } else { base };
        let (ab, ba) = crate::scenario::flow(view.scenario, l);
        // Arrowheads point along the path's last (or first) stretch.
        let n = path.len();
        if ab && n >= 2 {
            arrowhead(painter, path[n - 2], b, sc.t.zoom, color);
        }
        if ba && n >= 2 {
            arrowhead(painter, path[1], a, sc.t.zoom, color);
        }
        if let Some(tags) = l.faults_said() {
            labels.push(painter.text(
                mid + vec2(0.0, 12.0),
                Align2::CENTER_CENTER,
                tags,
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            ));
        }
    }
    labels
}

/// A filled arrowhead at `to`, pointing away from `from`.
fn arrowhead(painter: &Painter, from: Pos2, to: Pos2, zoom: f32, color: egui::Color32) {
    let d = to - from;
    if d.length() < 1.0 {
        return;
    }
    let dir = d.normalized();
    let side = vec2(-dir.y, dir.x);
    let len = 11.0 * zoom.sqrt();
    let tip = to - dir * 2.0;
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            tip - dir * len + side * len * 0.45,
            tip - dir * len - side * len * 0.45,
        ],
        color,
        Stroke::NONE,
    ));
}

/// Messages in flight as tokens; recent drops as fading crosses. A
/// token's label never prints over a node, a link's label (`link_labels`)
/// or another token's label: it takes the first free corner of its token,
/// else is left out.
pub fn messages(sc: &Scene, view: &View, link_labels: &[Rect]) {
    let Some(p) = view.player else { return };
    let (painter, visuals) = (&sc.painter, &sc.visuals);
    let t = p.trace();
    let now = p.time();
    let zoom = sc.t.zoom;
    let flying = p.index.in_flight_at(t, p.now());
    let labels = flying.len() <= 40;
    // Past a few hundred tokens the canvas shows density, not messages:
    // draw an even sample and say so.
    let stride = flying.len().div_ceil(MAX_TOKENS).max(1);
    if stride > 1 {
        painter.text(
            sc.rect.right_top() + vec2(-8.0, 6.0),
            Align2::RIGHT_TOP,
            format!("{} messages in flight, 1 in {stride} drawn", flying.len()),
            FontId::proportional(11.0),
            visuals.weak_text_color(),
        );
    }
    let mut written: Vec<Rect> = Vec::new();
    let mut kept_off: Vec<Rect> = sc.layout.by_index.clone();
    kept_off.extend_from_slice(link_labels);
    for &m in flying.iter().step_by(stride) {
        let Some(msg) = t.message(m) else { continue };
        let Some(path) = sc.layout.path(t.sender(msg) as usize, msg.to as usize) else {
            continue;
        };
        let sent = t.sent_at(msg) as f64;
        let f = ((now - sent) / (msg.at() as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
        let pos = super::route::along(&path, f);
        let body = t.body(msg.body);
        let color = theme::message_color(body.map_or("", |b| b.kind()));
        let selected = view.selection.message == Some(m);
        let r = if selected { 9.0 } else { 6.5 } * zoom.sqrt();
        let outline = if selected {
            Stroke::new(3.0, visuals.strong_text_color())
        } else if labels {
            Stroke::new(1.0, visuals.strong_text_color())
        } else {
            Stroke::NONE
        };
        painter.circle(pos, r, color, outline);
        if labels && let Some(b) = body {
            // A label that would print over one already drawn is left out
            // (its token stays; hovering it or the diagram says what it
            // is): two messages on one link would otherwise garble both.
            let galley = painter.layout_no_wrap(
                body_label(&t.names, b),
                FontId::proportional(11.5),
                visuals.text_color(),
            );
            let spot = super::labels::token_label(pos, r, galley.size(), &written, &kept_off);
            let at = match spot {
                Some(at) => Some(at),
                // The selected message always says what it is.
                None if selected => Some(
                    Align2::LEFT_BOTTOM.anchor_size(pos + vec2(r + 3.0, -r - 2.0), galley.size()),
                ),
                None => None,
            };
            if let Some(at) = at {
                written.push(at);
                painter.galley(at.min, galley, visuals.text_color());
            }
        }
    }
    let window = 200_000.0_f64.min(p.until() as f64 / 20.0);
    let first = t.first_step_at((now - window).max(0.0) as u64);
    for &i in p.index.drops_between(first, p.upto()) {
        let Some(msg) = t.step(i as usize).and_then(|s| t.message(s.id)) else {
            continue;
        };
        let Some(path) = sc.layout.path(t.sender(msg) as usize, msg.to as usize) else {
            continue;
        };
        let pos = super::route::along(&path, 0.75);
        let age = ((now - msg.at() as f64) / window).clamp(0.0, 1.0) as f32;
        let c = theme::FAULT.gamma_multiply(1.0 - age * 0.8);
        let d = 6.0 * zoom.sqrt();
        painter.line_segment([pos - vec2(d, d), pos + vec2(d, d)], Stroke::new(3.0, c));
        painter.line_segment([pos - vec2(d, -d), pos + vec2(d, -d)], Stroke::new(3.0, c));
    }
}

/// The selected message, wherever it is in its life at the moment shown:
/// waiting at its sender, travelling (its token is ringed), arrived at its
/// receiver, or dropped on the way.
pub fn selected_message(sc: &Scene, view: &View) {
    let (Some(p), Some(m)) = (view.player, view.selection.message) else {
        return;
    };
    let t = p.trace();
    let Some(msg) = t.message(m) else { return };
    let (Some(a), Some(b)) = (
        sc.layout.center_of(t.sender(msg)),
        sc.layout.center_of(msg.to),
    ) else {
        return;
    };
    let zoom = sc.t.zoom;
    let (a, b) = (
        border_point(Rect::from_center_size(a, NODE * zoom), b),
        border_point(Rect::from_center_size(b, NODE * zoom), a),
    );
    let now = p.time();
    let sent = t.sent_at(msg) as f64;
    let arrived = msg.at() as f64 <= now;
    let dropped = arrived && msg.fate() == crate::trace::Fate::Dropped;
    let (at, caption) = if now < sent {
        (
            a,
            format!("sends at {}", crate::model::fmt_time(sent as u64)),
        )
    } else if !arrived {
        return; // in flight: its token is drawn ringed
    } else if dropped {
        (
            a + (b - a) * 0.75,
            format!("dropped at {}", crate::model::fmt_time(msg.at())),
        )
    } else {
        (
            b,
            format!("delivered at {}", crate::model::fmt_time(msg.at())),
        )
    };
    let ring = sc.visuals.strong_text_color();
    sc.painter
        .circle_stroke(at, 11.0 * zoom.sqrt(), Stroke::new(3.0, ring));
    sc.painter.text(
        at + vec2(0.0, -14.0 * zoom.sqrt()),
        Align2::CENTER_BOTTOM,
        caption,
        FontId::proportional(12.0),
        ring,
    );
}
