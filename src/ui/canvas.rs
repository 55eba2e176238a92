//! The canvas: the system as boxes and links, with messages travelling as
//! tokens at the moment shown. Drag nodes to move them, drag from a node's
//! port to link it, shift-drag to select with a box, drag empty space to
//! pan, scroll to zoom at the cursor, F to fit.

use std::collections::{BTreeMap, BTreeSet};

use egui::{
    Align2, Color32, CornerRadius, FontId, Id, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2,
    pos2, vec2,
};

use super::app::View;
use super::command::{Action, Cmd, Selection};
use super::edit;
use super::geometry::distance_to_segment;
use super::icons::Icons;
use super::theme;
use crate::scenario::{Micros, NodeKind, Scenario};
use crate::sim::model::body_label;
use crate::sim::model::{Key, Version};
use crate::trace::query::FaultState;

/// A node's size in canvas units.
pub const NODE: Vec2 = vec2(176.0, 58.0);
const GRID: f32 = 20.0;
/// Most message tokens drawn in one frame.
const MAX_TOKENS: usize = 250;

/// The palette's drag payload: a node kind word.
#[derive(Clone, Copy, Debug)]
pub struct NewNode(pub &'static str);

#[derive(Clone, Debug, Default)]
enum Drag {
    #[default]
    None,
    Move {
        origin: Pos2,
        start: BTreeMap<String, (f32, f32)>,
    },
    Connect {
        from: String,
    },
    Select {
        origin: Pos2,
    },
    Pan,
}

/// What lies under a point of the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
enum Hit {
    #[default]
    Empty,
    Port(String),
    Node(String),
    Link(usize),
}

/// What the canvas remembers between frames: the view transform and the
/// gesture in progress.
#[derive(Clone, Debug)]
pub struct CanvasState {
    pub offset: Vec2,
    pub zoom: f32,
    fit: bool,
    /// Where the canvas was drawn last frame, in screen points.
    pub rect: Rect,
    /// The canvas size the last fit was made for; a fit is redone when the
    /// window changes size, until the user pans or zooms by hand.
    fitted_for: Option<Vec2>,
    drag: Drag,
    renaming: Option<(String, String)>,
    rename_focus: bool,
    menu: Hit,
}

impl Default for CanvasState {
    fn default() -> Self {
        CanvasState {
            offset: vec2(40.0, 40.0),
            zoom: 1.0,
            fit: true,
            rect: Rect::NOTHING,
            fitted_for: None,
            drag: Drag::None,
            renaming: None,
            rename_focus: false,
            menu: Hit::Empty,
        }
    }
}

impl CanvasState {
    pub fn request_fit(&mut self) {
        self.fit = true;
    }

    /// Where a node sits on screen.
    pub fn node_screen_rect(&self, pos: (f32, f32)) -> Rect {
        Rect::from_min_size(
            self.to_screen(self.rect.min, pos2(pos.0, pos.1)),
            NODE * self.zoom,
        )
    }

    /// Where a node's linking port sits on screen.
    pub fn port_screen_pos(&self, pos: (f32, f32)) -> Pos2 {
        let r = self.node_screen_rect(pos);
        pos2(r.max.x, r.center().y)
    }

    fn to_screen(&self, origin: Pos2, p: Pos2) -> Pos2 {
        origin + self.offset + p.to_vec2() * self.zoom
    }

    fn to_world(&self, origin: Pos2, p: Pos2) -> Pos2 {
        ((p - origin - self.offset) / self.zoom).to_pos2()
    }

    fn fit_to(&mut self, rect: Rect, s: &Scenario) {
        let mut bounds = Rect::NOTHING;
        for n in &s.nodes {
            bounds = bounds.union(Rect::from_min_size(pos2(n.pos.0, n.pos.1), NODE));
        }
        if !bounds.is_positive() {
            self.zoom = 1.0;
            self.offset = vec2(40.0, 40.0);
            return;
        }
        let margin = 40.0;
        let zx = (rect.width() - 2.0 * margin) / bounds.width();
        // Leave room at the bottom for the narration card.
        let zy = (rect.height() - 2.0 * margin - 90.0) / bounds.height();
        self.zoom = zx.min(zy).clamp(0.25, 2.0);
        let center = bounds.center().to_vec2() * self.zoom;
        self.offset = rect.size() / 2.0 - center - vec2(0.0, 45.0);
    }
}

/// The palette: one entry per node kind; drag onto the canvas, or click to
/// add at the centre.
pub fn palette(ui: &mut egui::Ui, icons: &Icons, cmds: &mut Vec<Cmd>) {
    ui.add_space(6.0);
    ui.heading("Add");
    ui.weak("Drag onto the canvas, or click.");
    ui.add_space(4.0);
    for &(kind, about) in edit::PALETTE {
        let id = Id::unique(("palette", kind));
        let label = format!("Add {kind}");
        let r = ui
            .dnd_drag_source(id, NewNode(kind), |ui| {
                ui.horizontal(|ui| {
                    let tint = theme::kind_color(kind);
                    ui.add(
                        egui::Image::new(icons.for_kind(kind))
                            .tint(tint)
                            .fit_to_exact_size(vec2(26.0, 26.0)),
                    );
                    ui.label(kind);
                });
            })
            .response;
        let click = ui
            .add(egui::Button::new(&label).small())
            .on_hover_text(about);
        if click.clicked() {
            cmds.push(Cmd::Edit(Box::new(move |s| {
                let spot = edit::free_spot(s, (NODE.x, NODE.y));
                edit::add_node(s, kind, spot);
            })));
        }
        r.on_hover_text(about);
        ui.add_space(4.0);
    }
}

/// Which links are cut and which nodes are down at the moment shown.
struct Faults<'a> {
    cut: BTreeSet<(&'a str, &'a str)>,
    down: BTreeSet<&'a str>,
}

fn faults_at<'a>(view: &View<'a>) -> Faults<'a> {
    let mut f = Faults {
        cut: BTreeSet::new(),
        down: BTreeSet::new(),
    };
    let Some(p) = view.player else { return f };
    let t = p.trace();
    let state = FaultState::at(t, p.now());
    f.cut = state
        .cut
        .iter()
        .map(|&(a, b)| (t.node_id(a), t.node_id(b)))
        .collect();
    f.down = state.down.iter().map(|&n| t.node_id(n)).collect();
    f
}

/// Where the segment from the centre of `r` towards `to` leaves `r`.
fn border_point(r: Rect, to: Pos2) -> Pos2 {
    let c = r.center();
    let d = to - c;
    if d.length_sq() < 1e-3 {
        return c;
    }
    let sx = if d.x.abs() > 1e-3 {
        (r.width() / 2.0) / d.x.abs()
    } else {
        f32::INFINITY
    };
    let sy = if d.y.abs() > 1e-3 {
        (r.height() / 2.0) / d.y.abs()
    } else {
        f32::INFINITY
    };
    c + d * sx.min(sy).min(1.0)
}

/// Draws the canvas and handles its gestures.
pub fn ui(ui: &mut egui::Ui, st: &mut CanvasState, view: &View, cmds: &mut Vec<Cmd>) {
    let (rect, bg) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    st.rect = rect;
    let painter = ui.painter_at(rect);
    let origin = rect.min;
    let s = view.scenario;
    if st
        .fitted_for
        .is_some_and(|size| (size - rect.size()).length() > 2.0)
    {
        st.fit = true;
    }
    if st.fit {
        st.fit = false;
        st.fit_to(rect, s);
        st.fitted_for = Some(rect.size());
    }
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color);

    // Zoom at the cursor.
    if let Some(hover) = bg.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = pinch * (scroll * 0.0015).exp();
        if (factor - 1.0).abs() > 1e-4 {
            let before = st.to_world(origin, hover);
            st.zoom = (st.zoom * factor).clamp(0.2, 4.0);
            st.fitted_for = None;
            let after = st.to_screen(origin, before);
            st.offset += hover - after;
        }
    }

    // Grid: faint lines, a few dozen shapes whatever the zoom.
    let step = GRID * st.zoom * if st.zoom < 0.6 { 4.0 } else { 1.0 };
    if step > 8.0 {
        let line = Stroke::new(1.0, visuals.weak_text_color().gamma_multiply(0.12));
        let mut x = rect.min.x + st.offset.x.rem_euclid(step);
        while x < rect.max.x {
            painter.line_segment([pos2(x, rect.min.y), pos2(x, rect.max.y)], line);
            x += step;
        }
        let mut y = rect.min.y + st.offset.y.rem_euclid(step);
        while y < rect.max.y {
            painter.line_segment([pos2(rect.min.x, y), pos2(rect.max.x, y)], line);
            y += step;
        }
    }

    let faults = faults_at(view);
    let (offset, zoom) = (st.offset, st.zoom);
    let node_rect = |n: &crate::scenario::Node| {
        Rect::from_min_size(origin + offset + vec2(n.pos.0, n.pos.1) * zoom, NODE * zoom)
    };
    let rects: BTreeMap<&str, Rect> = s
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), node_rect(n)))
        .collect();
    let pointer = ui.input(|i| i.pointer.hover_pos());

    // Links.
    for (i, l) in s.links.iter().enumerate() {
        let (Some(&ra), Some(&rb)) = (rects.get(l.from.as_str()), rects.get(l.to.as_str())) else {
            continue;
        };
        let (a, b) = (border_point(ra, rb.center()), border_point(rb, ra.center()));
        let cut_ab = faults.cut.contains(&(l.from.as_str(), l.to.as_str()));
        let cut_ba = faults.cut.contains(&(l.to.as_str(), l.from.as_str()));
        let selected = view.selection.link == Some(i);
        let near = pointer.is_some_and(|p| rect.contains(p) && distance_to_segment(p, a, b) < 6.0);
        let base = if selected {
            visuals.selection.bg_fill
        } else {
            visuals.weak_text_color()
        };
        let width = if selected || near { 3.0 } else { 1.8 } * st.zoom.sqrt();
        if cut_ab || cut_ba {
            let stroke = Stroke::new(width, theme::FAULT);
            painter.extend(Shape::dashed_line(&[a, b], stroke, 8.0, 6.0));
            let mid = a + (b - a) * 0.5;
            let text = if cut_ab && cut_ba {
                "✂ cut"
            } else if cut_ab {
                "✂ cut →"
            } else {
                "✂ cut ←"
            };
            let label_dir = if cut_ab && !cut_ba {
                format!("{text} {}", l.to)
            } else if cut_ba && !cut_ab {
                format!("{text} {}", l.from)
            } else {
                text.to_string()
            };
            painter.text(
                mid + vec2(0.0, -12.0),
                Align2::CENTER_CENTER,
                label_dir,
                FontId::proportional(13.0),
                theme::FAULT,
            );
        } else {
            painter.line_segment([a, b], Stroke::new(width, base));
        }
        if l.loss.0 > 0.0 || l.duplicate.0 > 0.0 {
            let mid = a + (b - a) * 0.5;
            let mut tags = Vec::new();
            if l.loss.0 > 0.0 {
                tags.push(format!("loss {:.0}%", l.loss.0 * 100.0));
            }
            if l.duplicate.0 > 0.0 {
                tags.push(format!("dup {:.0}%", l.duplicate.0 * 100.0));
            }
            painter.text(
                mid + vec2(0.0, 12.0),
                Align2::CENTER_CENTER,
                tags.join(" · "),
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            );
        }
    }

    // Messages in flight, as tokens; recent drops as crosses.
    if let Some(p) = view.player {
        let t = p.trace();
        let now = p.time();
        let flying = p.index.in_flight_at(t, p.now());
        let labels = flying.len() <= 40;
        // Past a few hundred tokens the canvas shows density, not messages:
        // draw an even sample and say so.
        let stride = flying.len().div_ceil(MAX_TOKENS).max(1);
        if stride > 1 {
            painter.text(
                rect.right_top() + vec2(-8.0, 6.0),
                Align2::RIGHT_TOP,
                format!("{} messages in flight, 1 in {stride} drawn", flying.len()),
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            );
        }
        // Trace node indices are scenario node indices.
        let by_index: Vec<Rect> = s.nodes.iter().map(node_rect).collect();
        let center_of = |n: u16| by_index.get(n as usize).map(|r| r.center());
        for &m in flying.iter().step_by(stride) {
            let Some(msg) = t.message(m) else { continue };
            let (Some(a), Some(b)) = (center_of(msg.from), center_of(msg.to)) else {
                continue;
            };
            let sent = t.sent_at(msg) as f64;
            let f = ((now - sent) / (msg.at as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
            let (a, b) = (
                border_point(Rect::from_center_size(a, NODE * st.zoom), b),
                border_point(Rect::from_center_size(b, NODE * st.zoom), a),
            );
            let pos = a + (b - a) * f;
            let body = t.body(msg.body);
            let kind = body.map_or("", |b| b.kind());
            let color = theme::message_color(kind);
            let selected = view.selection.message == Some(m);
            let r = if selected { 9.0 } else { 6.5 } * st.zoom.sqrt();
            let outline = if selected {
                Stroke::new(3.0, visuals.strong_text_color())
            } else if labels {
                Stroke::new(1.0, visuals.strong_text_color())
            } else {
                Stroke::NONE
            };
            painter.circle(pos, r, color, outline);
            if labels && let Some(b) = body {
                painter.text(
                    pos + vec2(r + 3.0, -r - 2.0),
                    Align2::LEFT_BOTTOM,
                    body_label(&t.names, b),
                    FontId::proportional(11.5),
                    visuals.text_color(),
                );
            }
        }
        let window = 200_000.0_f64.min(p.until() as f64 / 20.0);
        let first = t.first_step_at((now - window).max(0.0) as u64);
        for &i in p.index.drops_between(first, p.upto()) {
            let Some(step) = t.step(i as usize) else {
                continue;
            };
            let Some(msg) = t.message(step.id) else {
                continue;
            };
            let (Some(a), Some(b)) = (center_of(msg.from), center_of(msg.to)) else {
                continue;
            };
            let pos = a + (b - a) * 0.75;
            let age = ((now - msg.at as f64) / window).clamp(0.0, 1.0) as f32;
            let c = theme::FAULT.gamma_multiply(1.0 - age * 0.8);
            let d = 6.0 * st.zoom.sqrt();
            painter.line_segment([pos - vec2(d, d), pos + vec2(d, d)], Stroke::new(3.0, c));
            painter.line_segment([pos - vec2(d, -d), pos + vec2(d, -d)], Stroke::new(3.0, c));
        }
    }

    // What the pointer is over: a port, a node, or a link. One widget for
    // the whole canvas does the hit-testing, so two hundred nodes cost two
    // hundred rectangles, not two hundred widgets.
    let port_of = |r: Rect| pos2(r.max.x, r.center().y);
    let hit = |p: Pos2| -> Hit {
        for n in s.nodes.iter().rev() {
            if let Some(&r) = rects.get(n.id.as_str()) {
                if port_of(r).distance(p) <= 9.0 {
                    return Hit::Port(n.id.clone());
                }
                if r.contains(p) {
                    return Hit::Node(n.id.clone());
                }
            }
        }
        let near = s.links.iter().enumerate().find(|(_, l)| {
            match (rects.get(l.from.as_str()), rects.get(l.to.as_str())) {
                (Some(&ra), Some(&rb)) => {
                    distance_to_segment(
                        p,
                        border_point(ra, rb.center()),
                        border_point(rb, ra.center()),
                    ) < 6.0
                }
                _ => false,
            }
        });
        match near {
            Some((i, _)) => Hit::Link(i),
            None => Hit::Empty,
        }
    };
    let hovered = bg.hover_pos().map(hit).unwrap_or(Hit::Empty);

    // Nodes, drawn only where visible.
    let focus: BTreeSet<&str> = current_focus(view);
    let behind = behind_replicas(view);
    let detailed = st.zoom >= 0.35;
    let shared_dbs = crate::scenario::shared_databases(s);
    let shared: BTreeSet<&str> = shared_dbs.iter().map(|(db, _)| db.as_str()).collect();
    for n in &s.nodes {
        let r = node_rect(n);
        if !r.expand(12.0).intersects(rect) {
            continue;
        }
        let kind = n.kind.word();
        let accent = theme::kind_color(kind);
        let selected = view.selection.nodes.contains(&n.id);
        let down = faults.down.contains(n.id.as_str());
        let is_hovered = matches!(&hovered, Hit::Node(id) | Hit::Port(id) if id == &n.id);
        let fill = if down {
            visuals.faint_bg_color
        } else {
            visuals.window_fill
        };
        // Zoomed far out, square corners and no icon: the shapes are a few
        // pixels across, and hundreds of them are drawn.
        let radius = if detailed {
            CornerRadius::same((10.0 * st.zoom).clamp(2.0, 20.0) as u8)
        } else {
            CornerRadius::ZERO
        };
        if focus.contains(n.id.as_str()) {
            painter.rect_stroke(
                r.expand(6.0 * st.zoom),
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
        let icon_size = (r.height() - 16.0 * st.zoom).max(8.0);
        let icon_rect = Rect::from_min_size(
            r.min + vec2(10.0, 8.0) * st.zoom,
            vec2(icon_size, icon_size),
        );
        let tint = if down { Color32::GRAY } else { accent };
        if detailed {
            egui::Image::new(view.icons.for_kind(kind))
                .tint(tint)
                .paint_at(ui, icon_rect);
        } else {
            painter.rect_filled(icon_rect.shrink(icon_rect.width() * 0.2), 0.0, tint);
        }
        let text_x = icon_rect.max.x + 8.0 * st.zoom;
        let text_color = if down {
            visuals.weak_text_color()
        } else {
            visuals.strong_text_color()
        };
        let size = (15.0 * st.zoom).clamp(6.0, 30.0);
        // Long names shrink to fit the box rather than spill out of it;
        // zoomed far out, only names are drawn (small print is unreadable).
        let room = (r.max.x - text_x - 18.0 * st.zoom).max(10.0);
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
            pos2(text_x, r.center().y - 2.0 * st.zoom),
            Align2::LEFT_BOTTOM,
            n.label(),
            FontId::proportional(fitted),
            text_color,
        );
        if detailed {
            let sub = match &n.kind {
                NodeKind::Service(svc) => format!("service · {}", svc.table),
                NodeKind::Replica(rep) => format!("replica · {}", rep.table),
                other => other.word().to_string(),
            };
            painter.text(
                pos2(text_x, r.center().y + 2.0 * st.zoom),
                Align2::LEFT_TOP,
                sub,
                FontId::proportional(size * 0.75),
                visuals.weak_text_color(),
            );
        }
        if shared.contains(n.id.as_str()) && detailed {
            painter.text(
                r.right_bottom() + vec2(-8.0, -4.0) * st.zoom,
                Align2::RIGHT_BOTTOM,
                "SHARED!",
                FontId::proportional(size * 0.7),
                theme::FAULT,
            );
        }
        if down {
            painter.text(
                r.right_top() + vec2(-8.0, 6.0) * st.zoom,
                Align2::RIGHT_TOP,
                "CRASHED",
                FontId::proportional(size * 0.8),
                theme::FAULT,
            );
        } else if let Some(&lag) = behind.get(n.id.as_str()) {
            let c = if lag > 0.0 {
                theme::STALE
            } else {
                theme::AGREES
            };
            painter.circle_filled(
                r.right_top() + vec2(-12.0, 12.0) * st.zoom,
                5.0 * st.zoom.sqrt(),
                c,
            );
            if lag > 0.0 && detailed {
                painter.text(
                    r.right_bottom() + vec2(-8.0, -4.0) * st.zoom,
                    Align2::RIGHT_BOTTOM,
                    format!("behind {lag:.0} ms"),
                    FontId::proportional(size * 0.7),
                    c,
                );
            }
        }
        if is_hovered || selected || matches!(st.drag, Drag::Connect { .. }) {
            let on_port = matches!(&hovered, Hit::Port(id) if id == &n.id);
            let c = if on_port {
                visuals.selection.stroke.color
            } else {
                accent
            };
            painter.circle(port_of(r), 6.0, visuals.window_fill, Stroke::new(2.0, c));
        }
    }

    // Gestures begin where the press began.
    let (shift, command) = ui.input(|i| (i.modifiers.shift, i.modifiers.command));
    if bg.drag_started() {
        let origin_pos = bg.interact_pointer_pos().unwrap_or(rect.center());
        let press = ui.input(|i| i.pointer.press_origin()).unwrap_or(origin_pos);
        st.drag = match hit(press) {
            Hit::Port(from) => Drag::Connect { from },
            Hit::Node(id) => {
                let ids: BTreeSet<String> = if view.selection.nodes.contains(&id) {
                    view.selection.nodes.clone()
                } else {
                    cmds.push(Cmd::Select(Selection::node(&id)));
                    [id].into()
                };
                let start = s
                    .nodes
                    .iter()
                    .filter(|m| ids.contains(&m.id))
                    .map(|m| (m.id.clone(), m.pos))
                    .collect();
                cmds.push(Cmd::Checkpoint);
                Drag::Move {
                    origin: press,
                    start,
                }
            }
            _ if shift => Drag::Select { origin: press },
            _ => Drag::Pan,
        };
    }

    // The gesture in progress.
    let pointer_now = ui.input(|i| i.pointer.interact_pos());
    let released = !bg.dragged() && !matches!(st.drag, Drag::None);
    match &st.drag {
        Drag::Move { origin: o, start } => {
            if let Some(p) = pointer_now {
                let delta = (p - *o) / st.zoom;
                let snap = view.snap;
                let start = start.clone();
                cmds.push(Cmd::Gesture(Box::new(move |s| {
                    for n in &mut s.nodes {
                        if let Some(&(x, y)) = start.get(&n.id) {
                            let (mut nx, mut ny) = (x + delta.x, y + delta.y);
                            if snap {
                                nx = (nx / GRID).round() * GRID;
                                ny = (ny / GRID).round() * GRID;
                            }
                            n.pos = (nx, ny);
                        }
                    }
                })));
            }
        }
        Drag::Connect { from } => {
            if let (Some(p), Some(&r)) = (pointer_now, rects.get(from.as_str())) {
                painter.line_segment(
                    [port_of(r), p],
                    Stroke::new(2.5, visuals.selection.stroke.color),
                );
                if released && let Hit::Node(to) | Hit::Port(to) = hit(p) {
                    let from = from.clone();
                    cmds.push(Cmd::Edit(Box::new(move |s| {
                        edit::connect(s, &from, &to);
                    })));
                }
            }
        }
        Drag::Select { origin: o } => {
            if let Some(p) = pointer_now {
                let sel_rect = Rect::from_two_pos(*o, p);
                painter.rect(
                    sel_rect,
                    2.0,
                    visuals.selection.bg_fill.gamma_multiply(0.2),
                    Stroke::new(1.0, visuals.selection.stroke.color),
                    StrokeKind::Inside,
                );
                if released {
                    let nodes = rects
                        .iter()
                        .filter(|(_, r)| r.intersects(sel_rect))
                        .map(|(id, _)| id.to_string())
                        .collect();
                    cmds.push(Cmd::Select(Selection {
                        nodes,
                        ..Selection::default()
                    }));
                }
            }
        }
        Drag::Pan => {
            st.offset += bg.drag_delta();
            st.fitted_for = None;
        }
        Drag::None => {}
    }
    if released {
        st.drag = Drag::None;
    }

    // Clicks: select a node (shift or ctrl adds), a link, or nothing.
    if bg.clicked() {
        let at = bg.interact_pointer_pos().map(hit).unwrap_or(Hit::Empty);
        match at {
            Hit::Node(id) | Hit::Port(id) => {
                let mut sel = if shift || command {
                    view.selection.clone()
                } else {
                    Selection::default()
                };
                sel.link = None;
                if (shift || command) && sel.nodes.contains(&id) {
                    sel.nodes.remove(&id);
                } else {
                    sel.nodes.insert(id);
                }
                cmds.push(Cmd::Select(sel));
            }
            Hit::Link(l) => cmds.push(Cmd::Select(Selection {
                link: Some(l),
                ..Selection::default()
            })),
            Hit::Empty => cmds.push(Cmd::Select(Selection::default())),
        }
    }
    if bg.double_clicked()
        && let Some(Hit::Node(id)) = bg.interact_pointer_pos().map(hit)
    {
        let label = s
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.label().to_string())
            .unwrap_or_default();
        st.renaming = Some((id, label));
        st.rename_focus = true;
    }
    if bg.secondary_clicked() {
        st.menu = bg.interact_pointer_pos().map(hit).unwrap_or(Hit::Empty);
    }
    let menu = st.menu.clone();
    match menu {
        Hit::Node(id) | Hit::Port(id) => {
            let down = faults.down.contains(id.as_str());
            bg.context_menu(|ui| node_menu(ui, &id, down, cmds));
        }
        Hit::Link(l) => {
            if let Some(link) = s.links.get(l) {
                let (a, b) = (link.from.clone(), link.to.clone());
                let cut = faults.cut.contains(&(a.as_str(), b.as_str()))
                    || faults.cut.contains(&(b.as_str(), a.as_str()));
                bg.context_menu(|ui| link_menu(ui, l, &a, &b, cut, cmds));
            }
        }
        Hit::Empty => {}
    }
    let tip = match &hovered {
        Hit::Port(_) => Some("Drag to another node to link them".to_string()),
        Hit::Node(id) => s.nodes.iter().find(|n| &n.id == id).map(|n| {
            format!(
                "{} ({}) — drag to move, double-click to rename, right-click for actions",
                n.label(),
                n.kind.word()
            )
        }),
        Hit::Link(_) => Some("Click to select; right-click to cut or heal".to_string()),
        Hit::Empty => None,
    };
    if let (Some(tip), Drag::None) = (tip, &st.drag) {
        bg.clone().on_hover_text(tip);
    }

    // A new node dropped from the palette.
    if let (Some(NewNode(kind)), Some(p)) =
        (bg.dnd_release_payload::<NewNode>().map(|p| *p), pointer)
    {
        let w = st.to_world(origin, p) - NODE / 2.0;
        let (x, y) = if view.snap {
            ((w.x / GRID).round() * GRID, (w.y / GRID).round() * GRID)
        } else {
            (w.x, w.y)
        };
        cmds.push(Cmd::Edit(Box::new(move |s| {
            edit::add_node(s, kind, (x, y));
        })));
    }

    // Rename in place.
    if let Some((id, text)) = &mut st.renaming {
        let Some(&r) = rects.get(id.as_str()) else {
            st.renaming = None;
            return;
        };
        let edit_rect = Rect::from_min_size(
            pos2(r.min.x + 40.0 * st.zoom, r.min.y + 4.0),
            vec2(r.width() - 48.0 * st.zoom, 24.0),
        );
        let resp = ui.put(
            edit_rect,
            egui::TextEdit::singleline(text).desired_width(edit_rect.width()),
        );
        // Focus once, when renaming starts; after that leaving the field
        // (a click elsewhere, Enter, Escape) ends it.
        if std::mem::take(&mut st.rename_focus) {
            resp.request_focus();
        }
        let done = resp.lost_focus() || ui.input(|i| i.key_pressed(egui::Key::Enter));
        if done {
            let (id, name) = (id.clone(), text.trim().to_string());
            st.renaming = None;
            cmds.push(Cmd::Edit(Box::new(move |s| {
                if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
                    n.name = if name == n.id { String::new() } else { name };
                }
            })));
        }
    }

    if s.nodes.is_empty() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "Drag a client and a service from the palette to begin",
            FontId::proportional(18.0),
            visuals.weak_text_color(),
        );
    }
    if !view.presenting {
        painter.text(
            rect.left_top() + vec2(8.0, 6.0),
            Align2::LEFT_TOP,
            "Drag empty space to pan · Shift+drag to select · Scroll to zoom · F to fit",
            FontId::proportional(11.0),
            visuals.weak_text_color(),
        );
    }
}

fn node_menu(ui: &mut egui::Ui, id: &str, down: bool, cmds: &mut Vec<Cmd>) {
    if down {
        if ui.button("Restart").clicked() {
            cmds.push(Cmd::Act(Action::Restart(id.to_string())));
            ui.close();
        }
    } else if ui.button("Crash").clicked() {
        cmds.push(Cmd::Act(Action::Crash(id.to_string())));
        ui.close();
    }
    if ui.button("Select").clicked() {
        cmds.push(Cmd::Select(Selection::node(id)));
        ui.close();
    }
    if ui.button("Delete").clicked() {
        cmds.push(Cmd::Select(Selection::node(id)));
        cmds.push(Cmd::DeleteSelection);
        ui.close();
    }
}

fn link_menu(ui: &mut egui::Ui, index: usize, a: &str, b: &str, cut: bool, cmds: &mut Vec<Cmd>) {
    let (a, b) = (a.to_string(), b.to_string());
    if cut {
        if ui.button("Heal").clicked() {
            cmds.push(Cmd::Act(Action::Heal { a, b }));
            ui.close();
        }
    } else {
        if ui.button("Cut both ways").clicked() {
            cmds.push(Cmd::Act(Action::Cut {
                a: a.clone(),
                b: b.clone(),
                one_way: false,
            }));
            ui.close();
        }
        if ui.button(format!("Cut {a} → {b} only")).clicked() {
            cmds.push(Cmd::Act(Action::Cut {
                a: a.clone(),
                b: b.clone(),
                one_way: true,
            }));
            ui.close();
        }
        if ui.button(format!("Cut {b} → {a} only")).clicked() {
            cmds.push(Cmd::Act(Action::Cut {
                a: b.clone(),
                b: a.clone(),
                one_way: true,
            }));
            ui.close();
        }
    }
    if ui.button("Delete link").clicked() {
        cmds.push(Cmd::Select(Selection {
            link: Some(index),
            ..Selection::default()
        }));
        cmds.push(Cmd::DeleteSelection);
        ui.close();
    }
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

/// For each replica: how far behind its owner it is at the moment shown,
/// in milliseconds (0 when in sync): the age of the oldest owner write it
/// has not seen. Exact from the index for classroom-sized systems; read
/// from the staleness series (sampled) for very large ones.
fn behind_replicas<'a>(view: &View<'a>) -> BTreeMap<&'a str, f64> {
    let mut out = BTreeMap::new();
    let Some(p) = view.player else { return out };
    let t = p.trace();
    let (now, upto) = (p.now(), p.upto());
    let lookups: usize = t
        .tables
        .iter()
        .map(|tb| tb.replicas.len() * p.index.id_count(tb.name))
        .sum();
    // Trace node indices are scenario node indices.
    let id_of = |n: u16| view.scenario.nodes.get(n as usize).map(|n| n.id.as_str());
    if lookups <= 20_000 {
        for tb in t.tables.iter().filter(|tb| {
            t.nodes
                .get(tb.owner as usize)
                .is_none_or(|n| n.kind != "peer")
        }) {
            for &r in &tb.replicas {
                let mut oldest: Option<Micros> = None;
                for id in p.index.ids(tb.name) {
                    let key = Key { table: tb.name, id };
                    let mine = p
                        .index
                        .record_at(t, r, key, upto)
                        .map_or(Version::NONE, |(rec, _)| rec.version);
                    if let Some(since) = p.index.first_newer(t, tb.owner, key, mine, upto) {
                        oldest = Some(oldest.map_or(since, |o: Micros| o.min(since)));
                    }
                }
                if let Some(id) = id_of(r) {
                    out.insert(
                        id,
                        oldest.map_or(0.0, |since| now.saturating_sub(since) as f64 / 1e3),
                    );
                }
            }
        }
        return out;
    }
    let secs = p.time() / 1e6;
    let at = p.series.t.partition_point(|&x| x <= secs);
    for (node, values) in &p.series.staleness {
        let v = at
            .checked_sub(1)
            .and_then(|i| values.get(i))
            .copied()
            .unwrap_or(0.0);
        if let Some(id) = id_of(*node) {
            out.insert(id, v);
        }
    }
    out
}
