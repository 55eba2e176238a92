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

/// Headers over the lanes: drag one sideways to move its lane,
/// right-click for hide and collapse.
/// Where the headers go: the band over the lanes, each lane's centre, the
/// lane width and the type size.
pub struct Band<'a> {
    pub rect: Rect,
    pub x_of: &'a dyn Fn(usize) -> f32,
    pub width: f32,
    pub font: f32,
}

pub fn headers(ui: &mut Ui, painter: &Painter, lanes: &Lanes, choice: &mut LaneChoice, b: &Band) {
    let (band, x_of, width, font) = (b.rect, b.x_of, b.width, b.font);
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill);
    let mut dropped: Option<(usize, f32)> = None;
    for (k, lane) in lanes.list.iter().enumerate() {
        let x = x_of(k);
        if x < band.min.x - width || x > band.max.x + width {
            continue;
        }
        let r = Rect::from_center_size(
            pos2(x, band.center().y),
            vec2(width - 8.0, band.height() - 6.0),
        );
        let fill = theme::kind_color(lane.kind);
        painter.rect_filled(r, 5.0, fill);
        let f = FontId::proportional(font);
        let text = theme::elide(painter, &lane.label, &f, r.width() - 8.0);
        painter.text(r.center(), Align2::CENTER_CENTER, text, f, theme::on(fill));
        let resp = ui
            .interact(r, ui.scope_id().with(("lane", k)), Sense::click_and_drag())
            .on_hover_text(format!(
                "{} — drag sideways to move this lane; right-click to hide it or collapse its kind",
                lane.label
            ));
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
        move_lane(lanes, choice, k, x, x_of, width);
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
fn move_lane(
    lanes: &Lanes,
    choice: &mut LaneChoice,
    k: usize,
    x: f32,
    x_of: &dyn Fn(usize) -> f32,
    width: f32,
) {
    let to = (0..lanes.list.len())
        .min_by(|&a, &b| (x_of(a) - x).abs().total_cmp(&(x_of(b) - x).abs()))
        .unwrap_or(k);
    if to == k || (x_of(to) - x).abs() > width {
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

/// The screen x of lane `k`'s centre line.
pub fn lane_x(body: Rect, width: f32, offset: f32, k: usize) -> f32 {
    body.min.x + width * (k as f32 + 0.5) - offset
}
