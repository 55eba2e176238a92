//! The diagram's lanes: one per node, in an order the viewer can change by
//! dragging a header, with lanes hidden or a whole kind (say, every
//! database) collapsed into one lane.

use std::collections::BTreeSet;

use egui::{Align2, FontId, Painter, Rect, Sense, Ui, pos2, vec2};

use crate::model::NodeIdx;
use crate::scenario::Kind;
use crate::trace::Trace;
use crate::ui::theme;

/// What the viewer chose about lanes; kept while the drawing stays open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneChoice {
    /// Nodes in the order the viewer arranged them (empty: scenario order).
    pub order: Vec<NodeIdx>,
    pub hidden: BTreeSet<NodeIdx>,
    /// Kinds shown as one lane each.
    pub collapsed: BTreeSet<Kind>,
}

/// One lane as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub kind: Kind,
    pub nodes: Vec<NodeIdx>,
    /// A collapsed kind rather than one node.
    pub group: bool,
}

/// The lanes to draw, and for each node the lane it is drawn in.
pub struct Lanes {
    pub list: Vec<Lane>,
    of_node: Vec<Option<usize>>,
}

impl Lanes {
    pub fn new(trace: &Trace, choice: &LaneChoice) -> Lanes {
        let n = trace.nodes.len();
        let mut order: Vec<NodeIdx> = choice
            .order
            .iter()
            .copied()
            .filter(|&i| (i as usize) < n)
            .collect();
        for i in 0..n as NodeIdx {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let mut list: Vec<Lane> = Vec::new();
        let mut of_node = vec![None; n];
        for i in order {
            if choice.hidden.contains(&i) {
                continue;
            }
            let Some(info) = trace.nodes.get(i as usize) else {
                continue;
            };
            if choice.collapsed.contains(&info.kind) {
                if let Some(k) = list.iter().position(|l| l.group && l.kind == info.kind) {
                    list[k].nodes.push(i);
                    let count = list[k].nodes.len();
                    list[k].label = group_label(info.kind, count);
                    of_node[i as usize] = Some(k);
                    continue;
                }
                of_node[i as usize] = Some(list.len());
                list.push(Lane {
                    label: group_label(info.kind, 1),
                    kind: info.kind,
                    nodes: vec![i],
                    group: true,
                });
                continue;
            }
            of_node[i as usize] = Some(list.len());
            list.push(Lane {
                label: info.label.clone(),
                kind: info.kind,
                nodes: vec![i],
                group: false,
            });
        }
        Lanes { list, of_node }
    }

    /// The lane node `n` is drawn in, if it is shown.
    pub fn of(&self, n: NodeIdx) -> Option<usize> {
        self.of_node.get(n as usize).copied().flatten()
    }
}

fn group_label(kind: Kind, count: usize) -> String {
    let word = kind.word();
    let plural = match word.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{word}s"),
    };
    format!("{} ({count})", capitalise(&plural))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Where the headers go: the band over the lanes, each lane's centre and
/// width, and the type size.
pub struct Band<'a> {
    pub rect: Rect,
    pub x_of: &'a dyn Fn(usize) -> f32,
    pub width_of: &'a dyn Fn(usize) -> f32,
    pub font: f32,
}

/// Headers over the lanes: drag one sideways to move its lane,
/// right-click for hide and collapse. A squeezed lane's header is a thin
/// plate that names its lane on hover.
pub fn headers(ui: &mut Ui, painter: &Painter, lanes: &Lanes, choice: &mut LaneChoice, b: &Band) {
    let (band, x_of, font) = (b.rect, b.x_of, b.font);
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill);
    let mut dropped: Option<(usize, f32)> = None;
    for (k, lane) in lanes.list.iter().enumerate() {
        let (x, width) = (x_of(k), (b.width_of)(k));
        if x < band.min.x - width || x > band.max.x + width {
            continue;
        }
        let squeezed = width < MIN_FIT;
        let r = Rect::from_center_size(
            pos2(x, band.center().y),
            vec2((width - 8.0).max(4.0), band.height() - 6.0),
        );
        let fill = theme::kind_color(lane.kind);
        painter.rect_filled(r, 5.0, fill);
        let f = FontId::proportional(font);
        if !squeezed {
            let text = theme::elide(painter, &lane.label, &f, r.width() - 8.0);
            painter.text(r.center(), Align2::CENTER_CENTER, text, f, theme::on(fill));
        }
        let resp = ui
            .interact(r, ui.scope_id().with(("lane", k)), Sense::click_and_drag())
            .on_hover_text(format!(
                "{} — drag sideways to move this lane; right-click to hide it or collapse its kind",
                lane.label
            ));
        // Named for screen readers (and tests) only while on screen.
        if band.expand(1.0).contains(pos2(x, band.center().y)) {
            let name = if squeezed {
                format!(
                    "Lane: {} (narrowed: the step is about other lanes)",
                    lane.label
                )
            } else {
                format!("Lane: {}", lane.label)
            };
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        }
        if resp.dragged()
            && let Some(p) = resp.interact_pointer_pos()
        {
            painter.vline(p.x, band.y_range(), ui.visuals().selection.stroke);
        }
        if resp.drag_stopped()
            && let Some(p) = resp.interact_pointer_pos()
        {
            dropped = Some((k, p.x));
        }
        resp.context_menu(|ui| lane_menu(ui, lanes, k, choice));
    }
    if let Some((k, x)) = dropped {
        move_lane(lanes, choice, k, x, b);
    }
}

fn lane_menu(ui: &mut Ui, lanes: &Lanes, k: usize, choice: &mut LaneChoice) {
    let Some(lane) = lanes.list.get(k) else {
        return;
    };
    if ui.button(format!("Hide {}", lane.label)).clicked() {
        choice.hidden.extend(lane.nodes.iter().copied());
        ui.close();
    }
    let group = group_label(lane.kind, 2);
    let group = group.trim_end_matches(" (2)");
    if choice.collapsed.contains(&lane.kind) {
        if ui
            .button(format!("Show each of the {}", group.to_lowercase()))
            .clicked()
        {
            choice.collapsed.remove(&lane.kind);
            ui.close();
        }
    } else if ui
        .button(format!(
            "Collapse all {} into one lane",
            group.to_lowercase()
        ))
        .clicked()
    {
        choice.collapsed.insert(lane.kind);
        ui.close();
    }
    if (!choice.hidden.is_empty() || !choice.collapsed.is_empty() || !choice.order.is_empty())
        && ui
            .button("Show every lane, in the drawing's order")
            .clicked()
    {
        *choice = LaneChoice::default();
        ui.close();
    }
}

/// Moves lane `k` to where it was dropped (screen x).
fn move_lane(lanes: &Lanes, choice: &mut LaneChoice, k: usize, x: f32, b: &Band) {
    let x_of = b.x_of;
    let to = (0..lanes.list.len())
        .min_by(|&a, &c| (x_of(a) - x).abs().total_cmp(&(x_of(c) - x).abs()))
        .unwrap_or(k);
    if to == k || (x_of(to) - x).abs() > (b.width_of)(to).max(MIN_FIT) {
        return;
    }
    let mut list: Vec<Vec<NodeIdx>> = lanes.list.iter().map(|l| l.nodes.clone()).collect();
    let moved = list.remove(k);
    list.insert(to.min(list.len()), moved);
    let mut order: Vec<NodeIdx> = list.into_iter().flatten().collect();
    // Hidden nodes keep a place at the end, so showing them again is stable.
    order.extend(choice.hidden.iter().copied());
    choice.order = order;
}

/// The narrowest a lane the current step is about may be made to fit
/// the others in; below it, the diagram scrolls instead.
pub const MIN_FIT: f32 = 80.0;
/// The width of a lane the current step is not about, when the lanes it
/// is about need the room.
const SQUEEZED: f32 = 22.0;

/// Where each lane lies across the diagram, before sideways scrolling:
/// its left edge and width, in points from the body's left edge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geometry {
    pub left: Vec<f32>,
    pub width: Vec<f32>,
    pub total: f32,
}

impl Geometry {
    /// Every lane `min` wide, or wider to fill `room`; unless `wanted`
    /// (the lanes a lesson step is about: its focus and the lanes of the
    /// rows in view) would then not all be seen at once: then those share
    /// the room, at least [`MIN_FIT`] wide, and the rest are squeezed.
    pub fn fit(n: usize, room: f32, min: f32, wanted: &BTreeSet<usize>) -> Geometry {
        let uniform = (room / n.max(1) as f32).max(min);
        let wanted_n = wanted.iter().filter(|&&k| k < n).count();
        let span = |w: f32| -> f32 {
            let (Some(&a), Some(&b)) = (wanted.first(), wanted.last()) else {
                return 0.0;
            };
            w * (b.min(n.saturating_sub(1)) + 1).saturating_sub(a) as f32
        };
        let widths: Vec<f32> = if wanted_n == 0 || span(uniform) <= room + 0.5 {
            vec![uniform; n]
        } else {
            let others = (n - wanted_n) as f32;
            let share = ((room - SQUEEZED * others) / wanted_n as f32).clamp(MIN_FIT, min);
            (0..n)
                .map(|k| if wanted.contains(&k) { share } else { SQUEEZED })
                .collect()
        };
        let mut left = Vec::with_capacity(n);
        let mut x = 0.0;
        for w in &widths {
            left.push(x);
            x += w;
        }
        Geometry {
            left,
            width: widths,
            total: x,
        }
    }

    /// The centre of lane `k`, from the body's left edge.
    pub fn centre(&self, k: usize) -> f32 {
        self.left.get(k).copied().unwrap_or(self.total) + self.width_of(k) / 2.0
    }

    pub fn width_of(&self, k: usize) -> f32 {
        self.width.get(k).copied().unwrap_or(MIN_FIT)
    }

    /// The sideways scroll nearest `offset` that shows lanes `a..=b` whole
    /// (their left edge first, when they are wider than `room`).
    pub fn reveal(&self, offset: f32, room: f32, a: usize, b: usize) -> f32 {
        let lo = self.left.get(a).copied().unwrap_or(0.0);
        let hi = self.left.get(b).copied().unwrap_or(0.0) + self.width_of(b);
        let mut o = offset;
        if hi > o + room {
            o = hi - room;
        }
        if lo < o {
            o = lo;
        }
        o.clamp(0.0, (self.total - room).max(0.0))
    }
}

/// The screen x of lane `k`'s centre line.
pub fn lane_x(body: Rect, g: &Geometry, offset: f32, k: usize) -> f32 {
    body.min.x + g.centre(k) - offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_fill_the_room_when_they_fit_and_make_room_for_the_wanted_ones() {
        let none = BTreeSet::new();
        let g = Geometry::fit(4, 600.0, 110.0, &none);
        assert_eq!(g.width, vec![150.0; 4]);
        // Eight lanes at 110 need 880 points; the step is about lanes 0 and
        // 4 to 7: those share the room, the other three are squeezed.
        let wanted: BTreeSet<usize> = [0, 4, 5, 6, 7].into();
        let g = Geometry::fit(8, 535.0, 110.0, &wanted);
        assert!(g.total <= 535.0 + 0.01, "{g:?}");
        for k in &wanted {
            assert!(g.width_of(*k) >= MIN_FIT, "{g:?}");
        }
        // Wanted lanes that fit side by side keep every lane as it was.
        let near: BTreeSet<usize> = [1, 2].into();
        assert_eq!(Geometry::fit(8, 535.0, 110.0, &near).width, vec![110.0; 8]);
        // Showing lanes 5 to 7 scrolls right just enough.
        let g = Geometry::fit(8, 535.0, 110.0, &none);
        let o = g.reveal(0.0, 535.0, 5, 7);
        assert!((o - (880.0 - 535.0)).abs() < 0.01, "{o}");
    }
}
