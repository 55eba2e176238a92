//! The diagram "by time": arrows at true time scale, sloping from send to
//! arrival, except that stretches where nothing is on the wire are squeezed
//! to a short break (marked), so a second of silence does not push the
//! story off screen. Labels never overlap: one that would is stacked above
//! its neighbour or left to the arrow's hover text.

use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2, vec2};

use super::arrows::{self, Arrow};
use super::lanes::Lanes;
use crate::model::{Micros, fmt_time};
use crate::trace::{Fate, Trace, partition_point};
use crate::ui::geometry::distance_to_segment;
use crate::ui::theme;

/// Most arrows drawn in one frame; past that, every k-th is drawn.
pub const MAX_ARROWS: usize = 500;
/// How tall a squeezed idle stretch is drawn, in points.
pub const BREAK_PX: f32 = 22.0;
/// The shortest idle stretch worth remembering.
const MIN_IDLE: Micros = 2_000;

/// Stretches with nothing on the wire, found once and extended as the run
/// grows.
#[derive(Clone, Debug, Default)]
pub struct Idle {
    spans: Vec<(Micros, Micros)>,
    seen: usize,
    /// The latest arrival among messages seen so far.
    busy_until: Micros,
}

impl Idle {
    pub fn update(&mut self, t: &Trace) {
        for i in self.seen..t.messages.len() {
            let Some(m) = t.message(i as u32) else { break };
            let sent = t.sent_at(m);
            if sent > self.busy_until.saturating_add(MIN_IDLE) {
                self.spans.push((self.busy_until, sent));
            }
            self.busy_until = self.busy_until.max(m.at());
        }
        self.seen = t.messages.len();
    }
}

/// Maps virtual time to screen height, squeezing long idle stretches.
pub struct Axis<'a> {
    /// Idle stretches longer than a break would be, squeezed.
    spans: Vec<&'a (Micros, Micros)>,
    /// Points per microsecond.
    scale: f64,
    /// Microseconds a break stands for on screen.
    break_us: f64,
}

impl<'a> Axis<'a> {
    pub fn new(idle: &'a Idle, px_per_ms: f32) -> Self {
        let scale = f64::from(px_per_ms) / 1000.0;
        let break_us = f64::from(BREAK_PX) / scale;
        let spans = idle
            .spans
            .iter()
            .filter(|(a, b)| (b - a) as f64 > 2.0 * break_us)
            .collect();
        Axis {
            spans,
            scale,
            break_us,
        }
    }

    /// Time with the squeezed stretches taken out, in microseconds.
    pub fn squeeze(&self, t: f64) -> f64 {
        let mut cut = 0.0;
        for &&(a, b) in &self.spans {
            let (a, b) = (a as f64, b as f64);
            if t <= a {
                break;
            }
            let inside = t.min(b) - a;
            // Inside a break time runs slowly across its short height.
            cut += inside - inside * self.break_us / (b - a);
        }
        t - cut
    }

    /// Screen offset of time `t` below the squeezed time `top`.
    pub fn y(&self, top: f64, t: f64) -> f32 {
        ((self.squeeze(t) - top) * self.scale) as f32
    }

    /// Squeezed microseconds a height of `px` points covers.
    pub fn span(&self, px: f32) -> f64 {
        f64::from(px) / self.scale
    }

    /// The breaks whose squeezed position lies within `top..bottom`.
    pub fn breaks(&self) -> impl Iterator<Item = (Micros, Micros)> + '_ {
        self.spans.iter().map(|s| **s)
    }
}

/// What drawing one frame needs.
pub struct Frame<'a> {
    pub painter: &'a Painter,
    pub t: &'a Trace,
    /// The drawing, for the bounded contexts a message crosses.
    pub scenario: &'a crate::scenario::Scenario,
    pub lanes: &'a Lanes,
    pub lane_x: &'a dyn Fn(usize) -> f32,
    pub body: Rect,
    pub gutter: Rect,
    pub now: f64,
    /// Squeezed time at the top of the body.
    pub top: f64,
    pub selected: Option<u32>,
    pub font: f32,
    pub text: egui::Color32,
    pub weak: egui::Color32,
    pub bg: egui::Color32,
    pub max_latency: Micros,
}

/// Draws what falls in the window; returns the message nearest `pointer`.
pub fn draw(f: &Frame, axis: &Axis, pointer: Option<Pos2>) -> Option<u32> {
    let t = f.t;
    let y_of = |time: f64| f.body.min.y + axis.y(f.top, time);
    let bottom_sq = f.top + axis.span(f.body.height());
    // The real time at the top, found by walking up from the squeezed one.
    let real_top = unsqueeze(axis, f.top);
    let real_bottom = unsqueeze(axis, bottom_sq).min(f.now);
    ticks(f, axis, real_top, unsqueeze(axis, bottom_sq));
    for (a, b) in axis.breaks() {
        let (ya, yb) = (y_of(a as f64), y_of(b as f64));
        if yb < f.body.min.y || ya > f.body.max.y {
            continue;
        }
        zigzag(f.painter, f.body, (ya + yb) / 2.0, f.weak);
        f.painter.text(
            pos2(f.gutter.max.x - 6.0, (ya + yb) / 2.0),
            Align2::RIGHT_CENTER,
            format!("+{}", crate::model::fmt_ms(b - a)),
            FontId::monospace(f.font * 0.75),
            f.weak,
        );
    }
    let earliest = (real_top - f.max_latency as f64).max(0.0) as u64;
    let latest = real_bottom.max(0.0) as u64;
    let lo = partition_point(t.messages.len(), |i| {
        t.messages.get(i).is_some_and(|m| t.sent_at(m) < earliest)
    });
    let hi = partition_point(t.messages.len(), |i| {
        t.messages.get(i).is_some_and(|m| t.sent_at(m) <= latest)
    });
    let total = hi.saturating_sub(lo);
    let stride = total.div_ceil(MAX_ARROWS).max(1);
    let labels = stride == 1 && total <= 400;
    let font = FontId::proportional(f.font);
    let mut placed: Vec<Rect> = Vec::new();
    let mut hovered: Option<(f32, u32)> = None;
    let mut m = lo;
    while m < hi {
        let i = m as u32;
        m += stride;
        let Some(msg) = t.message(i) else { continue };
        let (Some(la), Some(lb)) = (f.lanes.of(t.sender(msg)), f.lanes.of(msg.to)) else {
            continue;
        };
        let (x1, x2) = ((f.lane_x)(la), (f.lane_x)(lb));
        if x1.max(x2) < f.body.min.x || x1.min(x2) > f.body.max.x {
            continue;
        }
        let sent = t.sent_at(msg) as f64;
        let arrive = msg.at() as f64;
        let from = pos2(x1, y_of(sent));
        let to = pos2(x2, y_of(arrive));
        if to.y < f.body.min.y && from.y < f.body.min.y {
            continue;
        }
        let flying = arrive > f.now;
        let head = if flying {
            from + (to - from)
                * (((f.now - sent) / (arrive - sent).max(1.0)) as f32).clamp(0.0, 1.0)
        } else {
            to
        };
        let dropped = msg.fate() == Fate::Dropped && !flying;
        let selected = f.selected == Some(i);
        arrows::paint(
            f.painter,
            t,
            i,
            &Arrow {
                from,
                head,
                to,
                flying,
                dropped,
                selected,
            },
        );
        if labels || selected {
            label(f, i, from, to, &font, &mut placed);
        }
        if let Some(p) = pointer {
            let d = distance_to_segment(p, from, head);
            if d < 6.0 && hovered.is_none_or(|(best, _)| d < best) {
                hovered = Some((d, i));
            }
        }
    }
    timeouts(f, &y_of, (real_top, real_bottom));
    if stride > 1 {
        f.painter.text(
            f.body.right_top() + vec2(-6.0, 4.0),
            Align2::RIGHT_TOP,
            format!("showing 1 in {stride} of {total} messages — zoom in for all"),
            FontId::proportional(11.0),
            f.weak,
        );
    }
    hovered.map(|h| h.1)
}

/// Most timeouts marked in one frame.
const MAX_TIMEOUTS: usize = 200;

/// A mark on a client's lane where it stopped waiting: "?" and the words
/// for an unknown outcome, in their own colour (not a refusal's green nor
/// an error's red).
fn timeouts(f: &Frame, y_of: &dyn Fn(f64) -> f32, (top, bottom): (f64, f64)) {
    let t = f.t;
    let first = t.first_step_at(top.max(0.0) as u64);
    let last = t.first_step_at(bottom.max(0.0) as u64 + 1);
    let font = FontId::proportional(f.font * 0.9);
    let color = theme::readable(theme::UNKNOWN, f.bg);
    for i in (first..last).take(MAX_TIMEOUTS * 50) {
        if crate::trace::query::timeout_at(t, i).is_none() {
            continue;
        }
        let Some(lane) = t.step(i).and_then(|s| f.lanes.of(s.node)) else {
            continue;
        };
        let p = pos2((f.lane_x)(lane), y_of(t.step_time(i) as f64));
        f.painter.circle_filled(p, 7.0, theme::UNKNOWN);
        f.painter.text(
            p,
            Align2::CENTER_CENTER,
            "?",
            FontId::proportional(11.0),
            theme::on(theme::UNKNOWN),
        );
        f.painter.text(
            p + vec2(10.0, 0.0),
            Align2::LEFT_CENTER,
            crate::trace::query::UNKNOWN_OUTCOME,
            font.clone(),
            color,
        );
    }
}

/// A label at its arrow's middle, moved up past labels already placed; left
/// out (the arrow's hover says it) when there is no room.
fn label(f: &Frame, i: u32, from: Pos2, to: Pos2, font: &FontId, placed: &mut Vec<Rect>) {
    let text = arrows::label_in(f.scenario, f.t, i);
    let width = ((to.x - from.x).abs() - 8.0).max(140.0);
    let shown = theme::elide(f.painter, &text, font, width);
    let color = arrows::label_color(f.t, i, f.text, f.bg);
    let galley = f.painter.layout_no_wrap(shown, font.clone(), color);
    let size = galley.size();
    let mid = from + (to - from) * 0.5;
    for lift in 0..3 {
        let at = pos2(
            mid.x - size.x / 2.0,
            mid.y - 3.0 - size.y * (lift as f32 + 1.0),
        );
        let r = Rect::from_min_size(at, size);
        if placed.iter().any(|p| p.intersects(r)) {
            continue;
        }
        f.painter
            .rect_filled(r.expand(1.0), 2.0, f.bg.gamma_multiply(0.85));
        f.painter.galley(at, galley, color);
        placed.push(r);
        return;
    }
}

/// Real time for a squeezed time (the squeeze is monotone).
fn unsqueeze(axis: &Axis, sq: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, sq.max(0.0) * 1e6 + 1e12);
    for _ in 0..80 {
        let mid = (lo + hi) / 2.0;
        if axis.squeeze(mid) < sq {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

fn ticks(f: &Frame, axis: &Axis, from: f64, to: f64) {
    let tick = nice_tick((to - from).max(1.0) / 6.0);
    let mut tt = (from / tick).ceil() * tick;
    while tt < to {
        let y = f.body.min.y + axis.y(f.top, tt);
        if (tt - f.now).abs() >= tick * 0.4 && y > f.body.min.y + 4.0 {
            f.painter.text(
                pos2(f.gutter.min.x + 4.0, y),
                Align2::LEFT_CENTER,
                fmt_time(tt.max(0.0) as u64),
                FontId::monospace(f.font * 0.85),
                f.weak,
            );
        }
        tt += tick;
    }
}

/// A break mark across the lanes.
fn zigzag(painter: &Painter, body: Rect, y: f32, color: egui::Color32) {
    let mut pts = Vec::new();
    let mut x = body.min.x;
    let mut up = true;
    while x < body.max.x {
        pts.push(pos2(x, y + if up { -3.0 } else { 3.0 }));
        x += 8.0;
        up = !up;
    }
    painter.add(Shape::line(
        pts,
        Stroke::new(1.0, color.gamma_multiply(0.6)),
    ));
}

/// A round tick spacing near `raw` microseconds.
fn nice_tick(raw: f64) -> f64 {
    let steps = [
        100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 3e7,
        6e7,
    ];
    steps.iter().copied().find(|&s| s >= raw).unwrap_or(6e7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_idle_stretch_shrinks_to_a_break() {
        let idle = Idle {
            spans: vec![(100_000, 1_100_000)],
            seen: 0,
            busy_until: 0,
        };
        let axis = Axis::new(&idle, 1.0);
        // Before the stretch, time is true.
        assert!((axis.y(0.0, 50_000.0) - 50.0).abs() < 0.01);
        // The second of silence takes one break's height.
        let across = axis.y(0.0, 1_100_000.0) - axis.y(0.0, 100_000.0);
        assert!((across - BREAK_PX).abs() < 0.01, "{across}");
        // After it, time is true again.
        let after = axis.y(0.0, 1_200_000.0) - axis.y(0.0, 1_100_000.0);
        assert!((after - 100.0).abs() < 0.01);
        assert!((unsqueeze(&axis, axis.squeeze(700_000.0)) - 700_000.0).abs() < 1.0);
    }
}
