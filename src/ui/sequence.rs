//! The live sequence diagram: one lane per node, one arrow per message at
//! true time scale, in-flight arrows drawn as far as they have come, drops
//! and duplicates marked. It follows the current time unless the user
//! scrolls away. Only arrows inside the visible window are looked at, and
//! at most [`MAX_ARROWS`] of them are drawn, so a million-message run draws
//! as fast as a small one.

use egui::{Align2, FontId, Rect, Sense, Shape, Stroke, pos2, vec2};

use super::geometry::distance_to_segment;
use super::theme;
use super::view::View;
use crate::model::body_label;
use crate::model::{deliver_flags, message_flags};
use crate::scenario::fmt_time;
use crate::session::Cmd;
use crate::trace::{DropReason, Fate, StepKind, partition_point};

/// Most arrows drawn in one frame; past that, every k-th is drawn.
pub const MAX_ARROWS: usize = 500;
const HEADER: f32 = 30.0;
const GUTTER: f32 = 64.0;
const MIN_LANE: f32 = 96.0;

pub struct SequenceState {
    /// Vertical scale.
    pub px_per_ms: f32,
    /// Keep the current time in view.
    pub follow: bool,
    /// Time at the top edge when not following, in microseconds.
    top: f64,
    /// Horizontal scroll, in points.
    lane_offset: f32,
}

impl SequenceState {
    pub fn new(px_per_ms: f32) -> Self {
        SequenceState {
            px_per_ms: px_per_ms.clamp(0.01, 50.0),
            follow: true,
            top: 0.0,
            lane_offset: 0.0,
        }
    }
}

pub fn ui(ui: &mut egui::Ui, st: &mut SequenceState, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.weak("The sequence diagram appears once the scenario can run.");
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .selectable_label(st.follow, "Follow now")
            .on_hover_text("Keep the current time in view")
            .clicked()
        {
            st.follow = !st.follow;
        }
        ui.label("Scale");
        ui.add(
            egui::Slider::new(&mut st.px_per_ms, 0.05..=20.0)
                .logarithmic(true)
                .suffix(" px/ms"),
        )
        .on_hover_text("Ctrl+scroll over the diagram also zooms");
        ui.weak("Scroll to look back · Shift+scroll for more lanes · click an arrow to select it");
    });
    let t = p.trace();
    let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click());
    if rect.height() < HEADER + 20.0 {
        return;
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color);
    let body = Rect::from_min_max(pos2(rect.min.x + GUTTER, rect.min.y + HEADER), rect.max);
    let now = p.time();

    // Scrolling and zooming.
    if resp.hovered() {
        let (scroll, zoom, shift) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.modifiers.shift));
        if (zoom - 1.0).abs() > 1e-4 {
            st.px_per_ms = (st.px_per_ms * zoom).clamp(0.05, 20.0);
        } else if shift || scroll.x.abs() > scroll.y.abs() {
            st.lane_offset -= if shift { scroll.y } else { scroll.x };
        } else if scroll.y.abs() > 0.0 {
            if st.follow {
                st.top = now - f64::from(body.height() - 40.0) / f64::from(st.px_per_ms) * 1000.0;
                st.follow = false;
            }
            st.top -= f64::from(scroll.y) / f64::from(st.px_per_ms) * 1000.0;
        }
    }
    let span = f64::from(body.height()) / f64::from(st.px_per_ms) * 1000.0;
    if st.follow {
        st.top = now - span + 40.0 / f64::from(st.px_per_ms) * 1000.0;
    }
    st.top = st.top.max(-span * 0.1).min(p.until() as f64);
    let top = st.top;
    let bottom = top + span;
    let y_of = |time: f64| body.min.y + ((time - top) / 1000.0) as f32 * st.px_per_ms;

    // Lanes.
    let n = t.nodes.len().max(1);
    let lane_w = (body.width() / n as f32).max(MIN_LANE);
    let max_offset = (lane_w * n as f32 - body.width()).max(0.0);
    st.lane_offset = st.lane_offset.clamp(0.0, max_offset);
    let lane_x = |i: u16| body.min.x + lane_w * (f32::from(i) + 0.5) - st.lane_offset;
    for (i, node) in t.nodes.iter().enumerate() {
        let x = lane_x(i as u16);
        if x < body.min.x - lane_w || x > body.max.x + lane_w {
            continue;
        }
        let color = theme::kind_color(node.kind);
        painter.line_segment(
            [pos2(x, body.min.y), pos2(x, body.max.y)],
            Stroke::new(1.0, color.gamma_multiply(0.5)),
        );
    }

    // Time ticks in the gutter.
    let tick = nice_tick(span / 6.0);
    let mut tt = (top / tick).ceil() * tick;
    while tt < bottom {
        let y = y_of(tt);
        if (tt - now).abs() < tick * 0.4 {
            tt += tick;
            continue;
        }
        painter.text(
            pos2(rect.min.x + 4.0, y),
            Align2::LEFT_CENTER,
            fmt_time(tt.max(0.0) as u64),
            FontId::monospace(10.5),
            visuals.weak_text_color(),
        );
        painter.line_segment(
            [
                pos2(rect.min.x + GUTTER - 6.0, y),
                pos2(rect.min.x + GUTTER, y),
            ],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        tt += tick;
    }

    // Faults and narration marks across the lanes.
    for rec in t
        .faults
        .iter()
        .filter(|f| (f.at as f64) >= top && (f.at as f64) <= bottom.min(now))
    {
        let y = y_of(rec.at as f64);
        painter.extend(Shape::dashed_line(
            &[pos2(body.min.x, y), pos2(body.max.x, y)],
            Stroke::new(1.5, theme::FAULT),
            6.0,
            4.0,
        ));
        painter.text(
            pos2(body.max.x - 6.0, y - 2.0),
            Align2::RIGHT_BOTTOM,
            crate::trace::export::fault_said(t, &rec.fault),
            FontId::proportional(12.0),
            theme::readable(theme::FAULT, visuals.extreme_bg_color),
        );
    }
    for &(at, n) in p
        .marks()
        .iter()
        .filter(|(at, _)| (*at as f64) >= top && (*at as f64) <= bottom.min(now))
    {
        let y = y_of(at as f64);
        painter.circle_filled(pos2(body.min.x + 6.0, y), 4.0, theme::NARRATION);
        painter.text(
            pos2(body.min.x + 14.0, y),
            Align2::LEFT_CENTER,
            format!("narration {}", n + 1),
            FontId::proportional(10.5),
            theme::readable(theme::NARRATION, visuals.extreme_bg_color),
        );
    }

    // Arrows.
    let earliest = (top - p.index.max_latency() as f64).max(0.0) as u64;
    let latest = bottom.min(now).max(0.0) as u64;
    let lo = partition_point(t.messages.len(), |i| {
        t.messages.get(i).is_some_and(|m| t.sent_at(m) < earliest)
    });
    let hi = partition_point(t.messages.len(), |i| {
        t.messages.get(i).is_some_and(|m| t.sent_at(m) <= latest)
    });
    let total = hi.saturating_sub(lo);
    let stride = total.div_ceil(MAX_ARROWS).max(1);
    let labels = stride == 1 && total <= 400;
    let pointer = resp.hover_pos();
    let mut hovered: Option<(f32, u32)> = None;
    let mut m = lo;
    while m < hi {
        let i = m as u32;
        m += stride;
        let Some(msg) = t.message(i) else { continue };
        let sent = t.sent_at(msg) as f64;
        let (x1, x2) = (lane_x(msg.from), lane_x(msg.to));
        if x1.max(x2) < body.min.x || x1.min(x2) > body.max.x {
            continue;
        }
        let arrive = msg.at as f64;
        if arrive < top && sent < top {
            continue;
        }
        let a = pos2(x1, y_of(sent));
        let full = pos2(x2, y_of(arrive));
        let flying = arrive > now;
        let b = if flying {
            a + (full - a) * (((now - sent) / (arrive - sent).max(1.0)) as f32).clamp(0.0, 1.0)
        } else {
            full
        };
        let bodyv = t.body(msg.body);
        let kind = bodyv.map_or("", |b| b.kind());
        let dropped = msg.fate == Fate::Dropped && !flying;
        let selected = view.selection.message == Some(i);
        let color = if dropped {
            theme::FAULT
        } else {
            theme::message_color(kind)
        };
        let width = if selected { 3.5 } else { 1.6 };
        let stroke = Stroke::new(width, color);
        if msg.flags & message_flags::DUPLICATE != 0 {
            painter.extend(Shape::dashed_line(&[a, b], stroke, 5.0, 3.0));
        } else {
            painter.line_segment([a, b], stroke);
        }
        if dropped {
            let d = 5.0;
            painter.line_segment(
                [b - vec2(d, d), b + vec2(d, d)],
                Stroke::new(2.5, theme::FAULT),
            );
            painter.line_segment(
                [b - vec2(d, -d), b + vec2(d, -d)],
                Stroke::new(2.5, theme::FAULT),
            );
        } else if !flying {
            let dir = (b - a).normalized();
            let side = vec2(-dir.y, dir.x);
            painter.add(Shape::convex_polygon(
                vec![b, b - dir * 8.0 + side * 4.0, b - dir * 8.0 - side * 4.0],
                color,
                Stroke::NONE,
            ));
        } else {
            painter.circle_filled(b, 4.0, color);
        }
        if (labels || selected)
            && let Some(bv) = bodyv
        {
            let mut text = body_label(&t.names, bv);
            if msg.flags & message_flags::REDELIVERY != 0 {
                text = format!("↻ {text}");
            }
            if msg.flags & message_flags::STALE != 0 {
                text.push_str(" (stale)");
            }
            if msg.flags & message_flags::FOREIGN != 0 {
                text.push_str(" ⚠ not its table");
            }
            if text.chars().count() > 44 {
                text = text.chars().take(43).collect::<String>() + "…";
            }
            let mid = a + (full - a) * 0.5;
            let c = if msg.flags & message_flags::FOREIGN != 0 {
                theme::FAULT
            } else if msg.flags & message_flags::STALE != 0 {
                theme::STALE
            } else {
                visuals.text_color()
            };
            painter.text(
                mid + vec2(0.0, -3.0),
                Align2::CENTER_BOTTOM,
                text,
                FontId::proportional(11.0),
                theme::readable(c, visuals.extreme_bg_color),
            );
        }
        if let Some(pp) = pointer {
            let d = distance_to_segment(pp, a, b);
            if d < 6.0 && hovered.is_none_or(|(best, _)| d < best) {
                hovered = Some((d, i));
            }
        }
    }
    if stride > 1 {
        painter.text(
            body.right_top() + vec2(-6.0, 4.0),
            Align2::RIGHT_TOP,
            format!("showing 1 in {stride} of {total} messages — zoom in for all"),
            FontId::proportional(11.0),
            visuals.weak_text_color(),
        );
    }

    // The current time.
    let y_now = y_of(now);
    if y_now >= body.min.y && y_now <= body.max.y {
        painter.line_segment(
            [pos2(rect.min.x, y_now), pos2(body.max.x, y_now)],
            Stroke::new(1.5, theme::NOW),
        );
        painter.text(
            pos2(rect.min.x + 2.0, y_now - 2.0),
            Align2::LEFT_BOTTOM,
            fmt_time(now as u64),
            FontId::monospace(11.0),
            theme::NOW,
        );
    }

    // Lane headers, over everything.
    painter.rect_filled(
        Rect::from_min_max(rect.min, pos2(rect.max.x, rect.min.y + HEADER)),
        0.0,
        visuals.panel_fill,
    );
    for (i, node) in t.nodes.iter().enumerate() {
        let x = lane_x(i as u16);
        if x < body.min.x - lane_w / 2.0 || x > body.max.x + lane_w / 2.0 {
            continue;
        }
        let color = theme::kind_color(node.kind);
        let r = Rect::from_center_size(
            pos2(x, rect.min.y + HEADER / 2.0),
            vec2(lane_w - 10.0, HEADER - 8.0),
        );
        painter.rect_filled(r, 5.0, color);
        let font = FontId::proportional(12.5);
        let label = theme::elide(&painter, &node.label, &font, r.width() - 8.0);
        painter.text(
            r.center(),
            Align2::CENTER_CENTER,
            label,
            font,
            theme::on(color),
        );
    }

    // Hover and click.
    if let Some((_, i)) = hovered
        && let Some(msg) = t.message(i)
    {
        let label = t
            .body(msg.body)
            .map(|b| body_label(&t.names, b))
            .unwrap_or_default();
        let fate = match msg.fate {
            Fate::InFlight => "in flight".to_string(),
            Fate::Delivered => "delivered".to_string(),
            Fate::Dropped => {
                let reason = drop_reason(t, i).map_or("dropped", DropReason::text);
                format!("dropped ({reason})")
            }
        };
        let mut lines = vec![
            label,
            format!("{} → {}", t.node_label(msg.from), t.node_label(msg.to)),
            format!(
                "sent {} · arrives {}",
                fmt_time(t.sent_at(msg)),
                fmt_time(msg.at)
            ),
            fate,
        ];
        if msg.flags & message_flags::DUPLICATE != 0 {
            lines.push("a second copy made by the link".into());
        }
        if msg.flags & message_flags::REDELIVERY != 0 {
            lines.push("resent: the first try was not acknowledged".into());
        }
        if msg.flags & message_flags::STALE != 0 {
            lines.push("stale: the owner already had a newer version".into());
        }
        if ignored_duplicate(t, i) {
            lines.push("the receiver had applied it already and ignored it".into());
        }
        resp.clone().on_hover_text_at_pointer(lines.join("\n"));
    }
    if resp.clicked() {
        cmds.push(Cmd::SelectMessage(hovered.map(|h| h.1)));
    }
}

/// Why message `m` was dropped, from its drop step.
fn drop_reason(t: &crate::trace::Trace, m: u32) -> Option<DropReason> {
    let at = t.message(m)?.at;
    let first = t.first_step_at(at);
    t.steps
        .iter_from(first)
        .take(10_000)
        .find(|s| s.kind == StepKind::Drop && s.id == m)
        .map(|s| DropReason::from_flags(s.flags))
}

fn ignored_duplicate(t: &crate::trace::Trace, m: u32) -> bool {
    let Some(msg) = t.message(m) else {
        return false;
    };
    let first = t.first_step_at(msg.at);
    t.steps
        .iter_from(first)
        .take(10_000)
        .find(|s| s.kind == StepKind::Deliver && s.id == m)
        .is_some_and(|s| s.flags & deliver_flags::DUPLICATE_IGNORED != 0)
}

/// A round tick spacing near `raw` microseconds.
fn nice_tick(raw: f64) -> f64 {
    let steps = [
        100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 3e7,
        6e7,
    ];
    steps.iter().copied().find(|&s| s >= raw).unwrap_or(6e7)
}
