//! Bounded contexts on the canvas: each a named frame drawn behind its
//! nodes. A frame is sized by its nodes (their bounding box and some
//! room), so it grows and shrinks as they move; dragging its title moves
//! every node inside as one undoable edit (see `gestures`). Each frame is
//! also a group in the accessibility tree, named with its nodes.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, vec2};

use super::draw::Scene;
use super::transform::Layout;
use crate::scenario::{Context, Scenario};
use crate::ui::view::View;

/// Room between a frame and the nodes inside it, in points.
const PAD: f32 = 14.0;

/// One context's frame as laid out this frame.
pub struct Frame<'a> {
    pub context: &'a Context,
    /// The whole frame, title band included.
    pub rect: Rect,
    /// The title's band at the frame's top: what a drag takes hold of.
    pub title: Rect,
    font: FontId,
}

/// The type size of a frame's title: never under 14 points, and on a
/// projector as large as the names on plates.
fn title_size(presenting: bool, plate_font: f32) -> f32 {
    if presenting { plate_font } else { 14.0 }
}

/// The part of canvas `rect` the drawing's nodes are fitted into: all of
/// it without contexts, else less a title band and the frames' room at
/// the top and their room at the bottom.
pub fn fit_room(rect: Rect, s: &Scenario, presenting: bool, plate_font: f32) -> Rect {
    if s.contexts.is_empty() {
        return rect;
    }
    let top = PAD + title_size(presenting, plate_font) + 10.0;
    Rect::from_min_max(rect.min + vec2(0.0, top), rect.max - vec2(0.0, PAD + HANG))
}

/// Room under a node for its name, hung under its box when zoomed out.
const HANG: f32 = 18.0;

/// Every context's frame, in file order: its nodes' bounding box on
/// screen, with room around it and a band above for the title, kept
/// inside `canvas` (so the title stays in sight when the drawing fills
/// it). A context whose nodes are not drawn has no frame.
pub fn frames<'a>(
    painter: &Painter,
    s: &'a Scenario,
    layout: &Layout,
    canvas: Rect,
    (presenting, plate_font): (bool, f32),
) -> Vec<Frame<'a>> {
    let size = title_size(presenting, plate_font);
    let font = FontId::proportional(size);
    s.contexts
        .iter()
        .filter_map(|c| {
            let inner = c
                .nodes
                .iter()
                .filter_map(|id| layout.rect(id))
                .map(|r| {
                    Rect::from_min_max(
                        r.min,
                        r.max + vec2(0.0, if presenting { 0.0 } else { HANG }),
                    )
                })
                .reduce(|a, b| a.union(b))?;
            let band = size + 10.0;
            let title_w = painter
                .layout_no_wrap(c.name.clone(), font.clone(), Color32::WHITE)
                .size()
                .x
                + 16.0;
            let mut rect = inner.expand(PAD);
            rect.min.y -= band;
            rect.max.x = rect.max.x.max(rect.min.x + title_w);
            let inside = canvas.shrink(2.0);
            if rect.intersects(inside) {
                rect = rect.intersect(inside);
            }
            let title = Rect::from_min_size(rect.min, vec2(title_w, band));
            Some(Frame {
                context: c,
                rect,
                title,
                font: font.clone(),
            })
        })
        .collect()
}

/// Whether a point lies on a frame's title: the frame whose nodes a drag
/// from there moves (the last drawn, on top, wins).
pub fn title_at<'a>(frames: &[Frame<'a>], p: Pos2) -> Option<&'a Context> {
    frames
        .iter()
        .rev()
        .find(|f| f.title.contains(p))
        .map(|f| f.context)
}

/// Paints the frames, faintly filled, with their names at the top-left.
pub fn paint(painter: &Painter, visuals: &egui::Visuals, frames: &[Frame], hovered: Option<&str>) {
    let ink = visuals.text_color();
    for f in frames {
        let lit = hovered == Some(f.context.name.as_str());
        let fill = visuals.selection.bg_fill.gamma_multiply(0.07);
        let edge = if lit {
            visuals.selection.stroke.color
        } else {
            visuals.weak_text_color().gamma_multiply(0.7)
        };
        painter.rect(
            f.rect,
            8.0,
            fill,
            Stroke::new(1.5, edge),
            StrokeKind::Inside,
        );
        painter.rect_filled(
            f.title,
            egui::CornerRadius {
                nw: 8,
                ne: 0,
                sw: 0,
                se: 8,
            },
            visuals.selection.bg_fill.gamma_multiply(0.18),
        );
        painter.text(
            f.title.left_center() + vec2(8.0, 0.0),
            Align2::LEFT_CENTER,
            &f.context.name,
            f.font.clone(),
            ink,
        );
    }
}

/// The words a frame is known by: "Context Sales: Orders, Customers DB".
pub fn group_name(view: &View, c: &Context) -> String {
    let names: Vec<&str> = c.nodes.iter().map(|id| view.label(id)).collect();
    format!("Context {}: {}", c.name, names.join(", "))
}

/// Paints the frames behind everything else in the scene, and keeps the
/// names and pills placed after them off their titles. Returns the
/// context whose title is under the pointer.
pub fn draw<'a>(sc: &mut Scene, s: &'a Scenario, presenting: bool) -> Option<&'a Context> {
    let frames = frames(
        &sc.painter,
        s,
        &sc.layout,
        sc.rect,
        (presenting, sc.plate_font),
    );
    let on_title = sc
        .pointer
        .filter(|p| sc.rect.contains(*p))
        .and_then(|p| title_at(&frames, p));
    sc.keep_clear = frames.iter().map(|f| f.title).collect();
    paint(
        &sc.painter,
        &sc.visuals,
        &frames,
        on_title.map(|c| c.name.as_str()),
    );
    on_title
}

/// One group per frame in the accessibility tree, named with its nodes.
pub fn access(ui: &mut Ui, view: &View, layout: &Layout, canvas: Rect, plate_font: f32) {
    let painter = ui.painter().clone();
    let s = view.scenario;
    for f in &frames(&painter, s, layout, canvas, (view.presenting, plate_font)) {
        let id = ui.make_persistent_id(("canvas-context", &f.context.name));
        let resp = ui.interact(f.title, id, Sense::hover());
        let name = group_name(view, f.context);
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &name));
    }
}
