//! Painting the nodes: boxes scaled with the drawing (zoomed out, the name
//! hangs under the box), or on a projector name plates whose names stay
//! large at any zoom; each with its state badges and the narration's focus.
//! Names hung under boxes are placed by [`super::labels::place`] so none
//! prints over another node, its tabs or another name.

use egui::{
    Align2, Color32, CornerRadius, FontId, Galley, Pos2, Rect, Stroke, StrokeKind, Ui, pos2, vec2,
};
use std::sync::Arc;

use super::badges::{Badges, Pill, box_badges, paint_pill, plate_pills};
use super::draw::Scene;
use super::hit::Hit;
use super::notes::current_focus;
use super::transform::port_of;
use crate::ui::theme;
use crate::ui::view::View;

/// The smallest a node's name is drawn off a projector, in points.
pub const NAME_MIN: f32 = 12.0;

/// A node's name as painted this frame: where, and at what type size.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub id: String,
    pub rect: Rect,
    pub size: f32,
}

/// A name waiting to be hung under its box once every box is drawn.
struct Hung {
    id: String,
    galley: Arc<Galley>,
    color: Color32,
    wanted: Rect,
    /// Its node's box: a name that cannot hang under it goes above it,
    /// else beside it, before it wanders.
    node: Rect,
}

/// The nodes, drawn only where visible. Returns each name as painted.
pub fn nodes(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    hovered: &Hit,
    connecting: bool,
    notes: &super::access::Notes,
) -> Vec<Name> {
    let (behind, hints, data, lags) = (notes.staleness, notes.hints, notes.data, notes.lags);
    let (painter, visuals) = (&sc.painter, &sc.visuals);
    let zoom = sc.t.zoom;
    let focus = current_focus(view);
    let mut names = Vec::new();
    let mut hung: Vec<Hung> = Vec::new();
    // Boxes and the tabs standing out of them: hung names keep off these.
    let mut taken: Vec<Rect> = sc.keep_clear.clone();
    // Pills by plates, placed once every plate is drawn.
    let mut pills: Vec<Pill> = Vec::new();
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
        taken.push(r);
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
        let look = Look {
            detailed,
            tint,
            text_color,
        };
        if plate {
            names.push(name_plate(ui, sc, view, n, r, &look));
        } else {
            match name_box(ui, sc, view, n, r, &look) {
                Placed::Drawn(name) => names.push(name),
                Placed::Hang(h) => hung.push(h),
            }
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
            pills.extend(plate_pills(painter, r, &badges));
        } else if detailed || badges.crashed {
            taken.extend(box_badges(painter, r, zoom, &badges, fill));
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
    names.extend(hang(sc, hung, &taken));
    // A plate's pills stand clear of every plate (they carry the lesson's
    // point: a dual write, a crash), and of each other.
    let choices: Vec<Vec<Rect>> = pills.iter().map(Pill::choices).collect();
    let plates = sc.layout.by_index.as_slice();
    let belongs = |i: usize, at: Rect| {
        pills
            .get(i)
            .is_none_or(|p| super::labels::nearest_is(at, p.plate, plates))
    };
    let placed = super::labels::place_choosing(&choices, &taken, sc.rect, &belongs);
    for (pill, at) in pills.into_iter().zip(placed) {
        paint_pill(painter, pill, at);
    }
    names
}

/// How a node's name is drawn.
struct Look {
    detailed: bool,
    tint: Color32,
    text_color: Color32,
}

/// A name drawn in its box, or one to hang under it.
enum Placed {
    Drawn(Name),
    Hang(Hung),
}

/// The names hung under boxes, each moved the least it takes to print
/// over no box, tab or other name.
fn hang(sc: &Scene, hung: Vec<Hung>, taken: &[Rect]) -> Vec<Name> {
    let pad = vec2(3.0, 1.0);
    let choices: Vec<Vec<Rect>> = hung
        .iter()
        .map(|h| {
            let w = h.wanted.expand2(pad);
            let (n, gap) = (h.node, w.min.y - h.node.max.y);
            let up = w.translate(vec2(0.0, n.min.y - gap - w.max.y));
            let mid = n.center().y - w.height() / 2.0;
            let right = Rect::from_min_size(pos2(n.max.x + gap, mid), w.size());
            let left = Rect::from_min_size(pos2(n.min.x - gap - w.width(), mid), w.size());
            // Then the corners, still touching its own box.
            let shift = vec2(w.width() / 2.0, 0.0);
            vec![
                w,
                up,
                right,
                left,
                w.translate(shift),
                w.translate(-shift),
                up.translate(shift),
                up.translate(-shift),
            ]
        })
        .collect();
    let boxes = sc.layout.by_index.as_slice();
    let belongs = |i: usize, at: Rect| {
        hung.get(i)
            .is_none_or(|h| super::labels::nearest_is(at, h.node, boxes))
    };
    let placed = super::labels::place_choosing(&choices, taken, sc.rect, &belongs);
    hung.into_iter()
        .zip(placed)
        .map(|(h, at)| {
            let size = h.galley.size();
            let text = at.shrink2(pad);
            sc.painter
                .rect_filled(at, 3.0, sc.visuals.window_fill.gamma_multiply(0.85));
            sc.painter.galley(text.min, h.galley, h.color);
            Name {
                id: h.id,
                rect: Rect::from_min_size(text.min, size),
                size: NAME_MIN,
            }
        })
        .collect()
}

/// A node as a box scaled with the drawing: icon, name, and its kind and
/// table in small print.
fn name_box(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    n: &crate::scenario::Node,
    r: Rect,
    look: &Look,
) -> Placed {
    let (painter, zoom) = (&sc.painter, sc.t.zoom);
    let icon_size = (r.height() - 16.0 * zoom).max(8.0);
    let icon_rect = Rect::from_min_size(r.min + vec2(10.0, 8.0) * zoom, vec2(icon_size, icon_size));
    if look.detailed {
        egui::Image::new(view.icons.for_kind(n.kind.kind()))
            .tint(look.tint)
            .paint_at(ui, icon_rect);
    } else {
        painter.rect_filled(icon_rect.shrink(icon_rect.width() * 0.2), 0.0, look.tint);
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
        let galley = painter.layout_no_wrap(text, font, look.text_color);
        let wanted =
            Align2::CENTER_TOP.anchor_size(pos2(r.center().x, r.max.y + 7.0), galley.size());
        return Placed::Hang(Hung {
            id: n.id.clone(),
            galley,
            color: look.text_color,
            wanted,
            node: r,
        });
    }
    // Long names shrink to fit the box rather than spill out of it, but
    // never below the smallest readable size: past that they are cut
    // short (whole on hover and for screen readers).
    let room = (r.max.x - text_x - 18.0 * zoom).max(10.0);
    let wide = painter
        .layout_no_wrap(
            n.label().to_string(),
            FontId::proportional(size),
            look.text_color,
        )
        .size()
        .x;
    let fitted = if wide > room {
        (size * room / wide).max(NAME_MIN)
    } else {
        size
    };
    let font = FontId::proportional(fitted);
    let text = theme::elide(painter, n.label(), &font, room);
    let galley = painter.layout_no_wrap(text, font, look.text_color);
    let at =
        Align2::LEFT_BOTTOM.anchor_size(pos2(text_x, r.center().y - 2.0 * zoom), galley.size());
    painter.galley(at.min, galley, look.text_color);
    if look.detailed {
        let sub = n.kind.small_print();
        painter.text(
            pos2(text_x, r.center().y + 2.0 * zoom),
            Align2::LEFT_TOP,
            sub,
            FontId::proportional(size * 0.75),
            sc.visuals.weak_text_color(),
        );
    }
    Placed::Drawn(Name {
        id: n.id.clone(),
        rect: at,
        size: fitted,
    })
}

/// A node as a name plate for the back row: icon and name at the plate
/// size the fit chose.
fn name_plate(
    ui: &Ui,
    sc: &Scene,
    view: &View,
    n: &crate::scenario::Node,
    r: Rect,
    look: &Look,
) -> Name {
    let icon = Rect::from_center_size(pos2(r.min.x + 10.0 + 12.0, r.center().y), vec2(24.0, 24.0));
    egui::Image::new(view.icons.for_kind(n.kind.kind()))
        .tint(look.tint)
        .paint_at(ui, icon);
    let font = FontId::proportional(sc.plate_font);
    // The plate was sized for the name, cut short if it is very long.
    let room = r.width() - super::transform::PLATE_PADDING + 1.0;
    let text = theme::elide(&sc.painter, n.label(), &font, room);
    let galley = sc.painter.layout_no_wrap(text, font, look.text_color);
    let at: Pos2 = pos2(icon.max.x + 8.0, r.center().y - galley.size().y / 2.0);
    sc.painter.galley(at, galley, look.text_color);
    // The plate is the label a projector shows: it is what must stand
    // clear of the others.
    Name {
        id: n.id.clone(),
        rect: r,
        size: sc.plate_font,
    }
}
