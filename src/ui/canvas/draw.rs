//! Painting the canvas: the grid, links (cut ones dashed), messages in
//! flight as tokens, recent drops as crosses, and the nodes with their
//! state (crashed, behind, design hints, narration focus).

use std::collections::{BTreeMap, BTreeSet};

use egui::{
    Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Ui,
    Visuals, pos2, vec2,
};

use super::hit::Hit;
use super::transform::{GRID, Layout, NODE, Transform, border_point, port_of};
use crate::model::body_label;
use crate::trace::query::{FaultState, staleness_ms};
use crate::ui::geometry::distance_to_segment;
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

/// Links, with cuts dashed and labelled, and lossy links tagged.
pub fn links(sc: &Scene, view: &View) {
    let (painter, visuals) = (&sc.painter, &sc.visuals);
    for (i, l) in view.scenario.links.iter().enumerate() {
        let (Some(ra), Some(rb)) = (sc.layout.rect(&l.from), sc.layout.rect(&l.to)) else {
            continue;
        };
        let (a, b) = (border_point(ra, rb.center()), border_point(rb, ra.center()));
        let cut_ab = sc.faults.cut.contains(&(l.from.as_str(), l.to.as_str()));
        let cut_ba = sc.faults.cut.contains(&(l.to.as_str(), l.from.as_str()));
        let selected = view.selection.link == Some(i);
        let near = sc
            .pointer
            .is_some_and(|p| sc.rect.contains(p) && distance_to_segment(p, a, b) < 6.0);
        let base = if selected {
            visuals.selection.bg_fill
        } else {
            visuals.weak_text_color()
        };
        let width = if selected || near { 3.0 } else { 1.8 } * sc.t.zoom.sqrt();
        let mid = a + (b - a) * 0.5;
        if cut_ab || cut_ba {
            let stroke = Stroke::new(width, theme::FAULT);
            painter.extend(Shape::dashed_line(&[a, b], stroke, 8.0, 6.0));
            let text = match (cut_ab, cut_ba) {
                (true, true) => "✂ cut".to_string(),
                (true, false) => format!("✂ cut → {}", view.label(&l.to)),
                _ => format!("✂ cut ← {}", view.label(&l.from)),
            };
            painter.text(
                mid + vec2(0.0, -12.0),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(13.0),
                theme::readable(theme::FAULT, visuals.extreme_bg_color),
            );
        } else {
            painter.line_segment([a, b], Stroke::new(width, base));
        }
        let color = if cut_ab || cut_ba { theme::FAULT } else { base };
        let (ab, ba) = crate::scenario::flow(view.scenario, l);
        if ab {
            arrowhead(painter, a, b, sc.t.zoom, color);
        }
        if ba {
            arrowhead(painter, b, a, sc.t.zoom, color);
        }
        if let Some(tags) = l.faults_said() {
            painter.text(
                mid + vec2(0.0, 12.0),
                Align2::CENTER_CENTER,
                tags,
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            );
        }
    }
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

/// Messages in flight as tokens; recent drops as fading crosses.
pub fn messages(sc: &Scene, view: &View) {
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
    for &m in flying.iter().step_by(stride) {
        let Some(msg) = t.message(m) else { continue };
        let (Some(a), Some(b)) = (
            sc.layout.center_of(t.sender(msg)),
            sc.layout.center_of(msg.to),
        ) else {
            continue;
        };
        let sent = t.sent_at(msg) as f64;
        let f = ((now - sent) / (msg.at() as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
        let (a, b) = (
            border_point(Rect::from_center_size(a, NODE * zoom), b),
            border_point(Rect::from_center_size(b, NODE * zoom), a),
        );
        let pos = a + (b - a) * f;
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
            let at = Align2::LEFT_BOTTOM.anchor_size(pos + vec2(r + 3.0, -r - 2.0), galley.size());
            if selected || !written.iter().any(|w: &Rect| w.intersects(at)) {
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
        let (Some(a), Some(b)) = (
            sc.layout.center_of(t.sender(msg)),
            sc.layout.center_of(msg.to),
        ) else {
            continue;
        };
        let pos = a + (b - a) * 0.75;
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

/// What a node says about its state, beside its name.
struct Badges<'h> {
    crashed: bool,
    /// The badges of its design hints (`DUAL WRITE`).
    hints: Vec<&'h str>,
    /// How far behind its owner a copy is, in ms (0 when caught up).
    behind: Option<f64>,
    /// A log consumer's lag, in events.
    lag: Option<u32>,
    /// Its data now, in a few words, and whether it waits on something.
    data: Option<(&'h str, bool)>,
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

/// The nodes, drawn only where visible: boxes scaled with the drawing, or
/// on a projector name plates whose names stay large at any zoom.
pub fn nodes(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    hovered: &Hit,
    connecting: bool,
    notes: &super::access::Notes,
) {
    let (behind, hints, data, lags) = (notes.staleness, notes.hints, notes.data, notes.lags);
    let (painter, visuals) = (&sc.painter, &sc.visuals);
    let zoom = sc.t.zoom;
    let focus = current_focus(view);
    for n in &view.scenario.nodes {
        let Some(r) = sc.layout.rect(&n.id) else {
            continue;
        };
        if !r.expand(12.0).intersects(sc.rect) {
            continue;
        }
        let kind = n.kind.kind();
        let accent = theme::kind_color(kind);
        let selected = view.selection.nodes.contains(&n.id);
        let down = sc.faults.down.contains(n.id.as_str());
        let is_hovered = matches!(hovered, Hit::Node(id) | Hit::Port(id) if id == &n.id);
        let fill = if down {
            visuals.faint_bg_color
        } else {
            visuals.window_fill
        };
        let plate = view.presenting;
        // Zoomed far out, square corners and no icon: the shapes are a few
        // pixels across, and hundreds of them are drawn.
        let detailed = plate || zoom >= 0.35;
        let radius = if plate {
            CornerRadius::same(10)
        } else if detailed {
            CornerRadius::same((10.0 * zoom).clamp(2.0, 20.0) as u8)
        } else {
            CornerRadius::ZERO
        };
        if focus.contains(n.id.as_str()) {
            let grow = if plate { 6.0 } else { 6.0 * zoom };
            painter.rect_stroke(
                r.expand(grow),
                radius,
                Stroke::new(4.0, theme::NARRATION.gamma_multiply(0.8)),
                StrokeKind::Outside,
            );
        }
        painter.rect_filled(r, radius, fill);
        let border = if selected {
            Stroke::new(3.0, visuals.selection.stroke.color)
        } else if is_hovered {
            Stroke::new(3.0, accent)
        } else {
            Stroke::new(2.0, if down { Color32::GRAY } else { accent })
        };
        painter.rect_stroke(r, radius, border, StrokeKind::Inside);
        let tint = if down { Color32::GRAY } else { accent };
        let text_color = if down {
            visuals.weak_text_color()
        } else {
            visuals.strong_text_color()
        };
        if plate {
            name_plate(ui, sc, view, n, r, tint, text_color);
        } else {
            name_box(ui, sc, view, n, r, detailed, tint, text_color);
        }
        let badges = Badges {
            crashed: down,
            hints: hints
                .get(&n.id)
                .map(|v| {
                    let mut words: Vec<&str> = v.iter().map(|h| h.kind.badge()).collect();
                    words.dedup();
                    words
                })
                .unwrap_or_default(),
            behind: behind.get(n.id.as_str()).copied(),
            lag: lags.get(n.id.as_str()).copied(),
            data: data.get(&n.id).map(|d| (d.badge.as_str(), d.waiting)),
        };
        if plate {
            plate_badges(painter, r, &badges);
        } else if detailed || badges.crashed {
            box_badges(painter, r, zoom, &badges, fill);
        }
        if is_hovered || selected || connecting {
            let on_port = matches!(hovered, Hit::Port(id) if id == &n.id);
            let c = if on_port {
                visuals.selection.stroke.color
            } else {
                accent
            };
            painter.circle(port_of(r), 6.0, visuals.window_fill, Stroke::new(2.0, c));
        }
    }
}

/// The smallest a node's name is drawn, in points.
const NAME_MIN: f32 = 12.0;

/// A node as a box scaled with the drawing: icon, name, and its kind and
/// table in small print.
#[allow(clippy::too_many_arguments)]
fn name_box(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    n: &crate::scenario::Node,
    r: Rect,
    detailed: bool,
    tint: Color32,
    text_color: Color32,
) {
    let (painter, zoom) = (&sc.painter, sc.t.zoom);
    let icon_size = (r.height() - 16.0 * zoom).max(8.0);
    let icon_rect = Rect::from_min_size(r.min + vec2(10.0, 8.0) * zoom, vec2(icon_size, icon_size));
    if detailed {
        egui::Image::new(view.icons.for_kind(n.kind.kind()))
            .tint(tint)
            .paint_at(ui, icon_rect);
    } else {
        painter.rect_filled(icon_rect.shrink(icon_rect.width() * 0.2), 0.0, tint);
    }
    let text_x = icon_rect.max.x + 8.0 * zoom;
    let size = (15.0 * zoom).clamp(6.0, 30.0);
    // Zoomed out (a lesson fitted to a laptop's canvas), a name inside
    // the box would be a few pixels tall: it goes under the box instead,
    // never smaller than the smallest size the back row and a laptop read.
    if size < NAME_MIN {
        let font = FontId::proportional(NAME_MIN);
        let width = (r.width() * 1.8).max(90.0);
        let text = theme::elide(painter, n.label(), &font, width);
        let galley = painter.layout_no_wrap(text, font, text_color);
        let at = Align2::CENTER_TOP.anchor_size(pos2(r.center().x, r.max.y + 7.0), galley.size());
        painter.rect_filled(
            at.expand2(vec2(3.0, 1.0)),
            3.0,
            sc.visuals.window_fill.gamma_multiply(0.85),
        );
        painter.galley(at.min, galley, text_color);
        return;
    }
    // Long names shrink to fit the box rather than spill out of it;
    // zoomed far out, only names are drawn (small print is unreadable).
    let room = (r.max.x - text_x - 18.0 * zoom).max(10.0);
    let wide = if detailed {
        painter
            .layout_no_wrap(
                n.label().to_string(),
                FontId::proportional(size),
                text_color,
            )
            .size()
            .x
    } else {
        0.0
    };
    let fitted = if wide > room {
        (size * room / wide).max(size * 0.6)
    } else {
        size
    };
    painter.text(
        pos2(text_x, r.center().y - 2.0 * zoom),
        Align2::LEFT_BOTTOM,
        n.label(),
        FontId::proportional(fitted),
        text_color,
    );
    if detailed {
        let sub = n.kind.small_print();
        painter.text(
            pos2(text_x, r.center().y + 2.0 * zoom),
            Align2::LEFT_TOP,
            sub,
            FontId::proportional(size * 0.75),
            sc.visuals.weak_text_color(),
        );
    }
}

/// A node as a name plate for the back row: icon and name at a fixed size.
fn name_plate(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    n: &crate::scenario::Node,
    r: Rect,
    tint: Color32,
    text_color: Color32,
) {
    let icon = Rect::from_center_size(pos2(r.min.x + 10.0 + 12.0, r.center().y), vec2(24.0, 24.0));
    egui::Image::new(view.icons.for_kind(n.kind.kind()))
        .tint(tint)
        .paint_at(ui, icon);
    let font = FontId::proportional(super::transform::PLATE_FONT);
    // The plate was sized for the name, cut short if it is very long.
    let room = r.width() - super::transform::PLATE_PADDING + 1.0;
    sc.painter.text(
        pos2(icon.max.x + 8.0, r.center().y),
        Align2::LEFT_CENTER,
        theme::elide(&sc.painter, n.label(), &font, room),
        font,
        text_color,
    );
}

/// A log consumer's lag as a pill on the bottom edge of its box, left
/// (design hints take the top edge, the data badge the bottom right):
/// amber while its group has events to commit, green at zero.
fn lag_pill(painter: &Painter, r: Rect, size: f32, lag: u32) {
    let c = if lag > 0 { theme::STALE } else { theme::AGREES };
    let galley = painter.layout_no_wrap(
        format!("lag {lag}"),
        FontId::proportional(size),
        theme::on(c),
    );
    let at = pos2(r.min.x + size, r.max.y - galley.size().y * 0.5);
    let pill = Rect::from_min_size(at, galley.size()).expand2(vec2(size * 0.4, 1.0));
    painter.rect_filled(pill, size * 0.4, c);
    painter.galley(at, galley, theme::on(c));
}

/// State words on a box: design hints as amber tabs on its top edge, a log
/// consumer's lag and its data on the bottom edge; inside, crashed and how
/// far behind.
fn box_badges(painter: &Painter, r: Rect, zoom: f32, b: &Badges, fill: Color32) {
    let size = (15.0 * zoom).clamp(6.0, 30.0);
    // Badges carry the lesson's point (a dual write, a lag, a crash): never
    // smaller than 10 points, however far the drawing is zoomed out.
    let badge = (size * 0.72).max(10.0);
    if let Some(lag) = b.lag
        && !b.crashed
    {
        lag_pill(painter, r, badge, lag);
    }
    let mut x = r.min.x + 10.0 * zoom;
    for word in &b.hints {
        let galley = painter.layout_no_wrap(
            format!("⚠ {word}"),
            FontId::proportional(badge),
            theme::on(theme::STALE),
        );
        let at = pos2(x, r.min.y - galley.size().y * 0.5);
        let tab = Rect::from_min_size(at, galley.size()).expand2(vec2(4.0, 1.0) * zoom.sqrt());
        painter.rect_filled(tab, 4.0 * zoom.sqrt(), theme::STALE);
        painter.galley(at, galley, theme::on(theme::STALE));
        x = tab.max.x + 4.0 * zoom;
    }
    if let Some((text, waiting)) = b.data {
        let c = if waiting { theme::STALE } else { theme::AGREES };
        let galley =
            painter.layout_no_wrap(text.to_string(), FontId::proportional(badge), theme::on(c));
        let at = pos2(
            r.max.x - 10.0 * zoom - galley.size().x,
            r.max.y - galley.size().y * 0.5,
        );
        let tab = Rect::from_min_size(at, galley.size()).expand2(vec2(4.0, 1.0) * zoom.sqrt());
        painter.rect_filled(tab, 4.0 * zoom.sqrt(), c);
        painter.galley(at, galley, theme::on(c));
    }
    if b.crashed {
        painter.text(
            r.right_top() + vec2(-8.0, 6.0) * zoom,
            Align2::RIGHT_TOP,
            "CRASHED",
            FontId::proportional((size * 0.8).max(10.0)),
            theme::readable(theme::FAULT, fill),
        );
    } else if let Some(lag) = b.behind {
        let c = if lag > 0.0 {
            theme::STALE
        } else {
            theme::AGREES
        };
        painter.circle_filled(
            r.right_top() + vec2(-12.0, 12.0) * zoom,
            5.0 * zoom.sqrt(),
            c,
        );
        if lag > 0.0 {
            painter.text(
                r.right_bottom() + vec2(-8.0, -4.0) * zoom,
                Align2::RIGHT_BOTTOM,
                format!("behind {lag:.0} ms"),
                FontId::proportional(size * 0.7),
                theme::readable(c, fill),
            );
        }
    }
}

/// State words above a name plate, large enough to read from afar.
fn plate_badges(painter: &Painter, r: Rect, b: &Badges) {
    let mut words: Vec<(String, Color32)> = Vec::new();
    if b.crashed {
        words.push(("CRASHED".into(), theme::FAULT));
    }
    for word in &b.hints {
        words.push((format!("⚠ {word}"), theme::STALE));
    }
    if !b.crashed
        && let Some(lag) = b.behind
        && lag > 0.0
    {
        words.push((format!("behind {lag:.0} ms"), theme::STALE));
    }
    if !b.crashed
        && let Some(lag) = b.lag
    {
        let c = if lag > 0 { theme::STALE } else { theme::AGREES };
        words.push((format!("lag {lag}"), c));
    }
    let mut y = r.min.y - 3.0;
    for (text, c) in words {
        let galley = painter.layout_no_wrap(text, FontId::proportional(16.0), theme::on(c));
        let at = pos2(r.center().x - galley.size().x / 2.0, y - galley.size().y);
        let pill = Rect::from_min_size(at, galley.size()).expand2(vec2(6.0, 1.0));
        painter.rect_filled(pill, 6.0, c);
        painter.galley(at, galley, theme::on(c));
        y = pill.min.y - 2.0;
    }
    // The data hangs below the plate.
    if let Some((text, waiting)) = b.data {
        let c = if waiting { theme::STALE } else { theme::AGREES };
        let galley =
            painter.layout_no_wrap(text.to_string(), FontId::proportional(16.0), theme::on(c));
        let at = pos2(r.center().x - galley.size().x / 2.0, r.max.y + 3.0);
        let pill = Rect::from_min_size(at, galley.size()).expand2(vec2(6.0, 1.0));
        painter.rect_filled(pill, 6.0, c);
        painter.galley(at, galley, theme::on(c));
    }
}
