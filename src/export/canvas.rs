//! The drawing at a moment, as a picture: nodes where the scenario puts
//! them, fitted to the page; links with arrowheads the way requests and
//! events flow; cut links broken and red; crashed nodes greyed and
//! labelled; messages on the wire as dots part way along their link;
//! recent drops as fading crosses. An animation is this picture drawn at
//! one moment after another, with a bar showing how far it has played.

use std::collections::BTreeMap;

use super::Size;
use super::palette::{self, DOWN, FAULT, INK, LINE, NARRATION, PAGE, WEAK};
use super::svg::{Anchor, Font, Rgb, Stroke, Svg};
use super::text::Measure;
use crate::model::{Body, Micros, NodeIdx, body_label};
use crate::scenario::{NODE_SIZE, Scenario, flow, fmt_time};
use crate::trace::Trace;
use crate::trace::query::{FaultState, Index};

const MARGIN: f32 = 32.0;
/// Room for the title and subtitle.
const TOP: f32 = 70.0;
/// Room for the legend (and an animation's progress bar).
const BOTTOM: f32 = 40.0;
/// Room around the nodes for what is drawn outside them ("CRASHED",
/// cut labels).
const PAD: f32 = 30.0;
/// Most message dots drawn at one moment; past that, an even sample.
const MAX_TOKENS: usize = 250;
/// How many moments a frame of an animation looks at for messages.
const SUBSAMPLES: u64 = 4;
/// Dots are labelled with what they carry only when this few are flying.
const MAX_LABELLED: usize = 12;

/// A box in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn center(self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether the two boxes share any area.
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Where the line from the centre towards `to` leaves the box.
    fn border_towards(self, to: (f32, f32)) -> (f32, f32) {
        let (cx, cy) = self.center();
        let (dx, dy) = (to.0 - cx, to.1 - cy);
        if dx.abs() < 1e-3 && dy.abs() < 1e-3 {
            return (cx, cy);
        }
        let sx = if dx.abs() > 1e-3 {
            self.w / 2.0 / dx.abs()
        } else {
            f32::INFINITY
        };
        let sy = if dy.abs() > 1e-3 {
            self.h / 2.0 / dy.abs()
        } else {
            f32::INFINITY
        };
        let s = sx.min(sy).min(1.0);
        (cx + dx * s, cy + dy * s)
    }
}

/// Everything about the picture that stays the same from moment to
/// moment: worked out once, drawn for each frame.
pub struct Scene<'a> {
    s: &'a Scenario,
    t: &'a Trace,
    index: &'a Index,
    size: Size,
    measure: Measure,
    /// Each node's box, in scenario order (the trace's node order).
    boxes: Vec<Rect>,
    by_id: BTreeMap<&'a str, NodeIdx>,
    scale: f32,
}

impl<'a> Scene<'a> {
    /// Fits the drawing into `size`, with margins, magnifying at most
    /// twice (a drawing of two nodes is not blown up to fill a slide).
    pub fn new(s: &'a Scenario, t: &'a Trace, index: &'a Index, size: Size) -> Scene<'a> {
        let (nw, nh) = NODE_SIZE;
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for n in &s.nodes {
            x0 = x0.min(n.pos.0);
            y0 = y0.min(n.pos.1);
            x1 = x1.max(n.pos.0 + nw);
            y1 = y1.max(n.pos.1 + nh);
        }
        let (w, h) = (size.w as f32, size.h as f32);
        let room_w = (w - 2.0 * (MARGIN + PAD)).max(10.0);
        let above = super::frames::room_above(s);
        let room_h = (h - TOP - above - BOTTOM - 2.0 * PAD).max(10.0);
        let (bw, bh) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let scale = if s.nodes.is_empty() {
            1.0
        } else {
            (room_w / bw).min(room_h / bh).clamp(0.05, 2.0)
        };
        let left = MARGIN + PAD + (room_w - bw * scale) / 2.0;
        let top = TOP + above + PAD + (room_h - bh * scale) / 2.0;
        let boxes = s
            .nodes
            .iter()
            .map(|n| Rect {
                x: left + (n.pos.0 - x0) * scale,
                y: top + (n.pos.1 - y0) * scale,
                w: nw * scale,
                h: nh * scale,
            })
            .collect();
        let by_id = s
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i as NodeIdx))
            .collect();
        Scene {
            s,
            t,
            index,
            size,
            measure: Measure::new(),
            boxes,
            by_id,
            scale,
        }
    }

    fn rect_of(&self, n: NodeIdx) -> Option<Rect> {
        self.boxes.get(n as usize).copied()
    }

    /// Messages on the wire at some moment of `(at - window, at]`, each
    /// with the latest such moment, in message order. A frame of an
    /// animation stands for the `window` of time since the frame before:
    /// a message that crossed a short link between two frames is caught
    /// in one of them rather than never shown.
    fn flying(&self, at: Micros, window: Micros) -> Vec<(u32, Micros)> {
        let mut seen: BTreeMap<u32, Micros> = BTreeMap::new();
        for k in 0..SUBSAMPLES {
            let when = at.saturating_sub(window * k / SUBSAMPLES);
            for m in self.index.in_flight_at(self.t, when) {
                seen.entry(m).or_insert(when);
            }
            if window == 0 {
                break;
            }
        }
        seen.into_iter().collect()
    }

    /// The picture at moment `at`; an animation's frame also gives the
    /// `window` of time it stands for and its `span`, for the progress
    /// bar.
    pub fn svg(&self, at: Micros, window: Micros, span: Option<(Micros, Micros)>) -> String {
        let (w, h) = (self.size.w as f32, self.size.h as f32);
        let mut svg = Svg::new(w, h, PAGE, &format!("{}: the drawing", self.s.title));
        let faults = FaultState::at(self.t, at);
        let flying = self.flying(at, window);
        self.title(&mut svg, at, flying.len());
        if self.s.nodes.is_empty() {
            svg.text(
                (w / 2.0, h / 2.0),
                font(18.0, WEAK, Anchor::Middle),
                "The drawing is empty.",
            );
        }
        let boxes: Vec<_> = self.boxes.iter().map(|r| (r.x, r.y, r.w, r.h)).collect();
        super::frames::draw(&mut svg, self.s, &boxes, &self.measure);
        self.links(&mut svg, &faults);
        self.nodes(&mut svg, &faults);
        self.drops(&mut svg, at);
        self.messages(&mut svg, &flying);
        self.legend(&mut svg);
        if let Some((from, to)) = span {
            let f = (at.saturating_sub(from)) as f32 / (to.saturating_sub(from)).max(1) as f32;
            let (x, y, bw) = (MARGIN, h - 10.0, w - 2.0 * MARGIN);
            svg.rect((x, y, bw, 5.0), 2.5, Some(LINE.mix(PAGE, 0.6)), None);
            svg.rect(
                (x, y, bw * f.clamp(0.0, 1.0), 5.0),
                2.5,
                Some(NARRATION),
                None,
            );
        }
        svg.finish()
    }

    fn title(&self, svg: &mut Svg, at: Micros, flying: usize) {
        let w = self.size.w as f32;
        let moment = format!("at {}", fmt_time(at));
        let mw = self.measure.width(&moment, 22.0);
        svg.text(
            (w - MARGIN, MARGIN + 10.0),
            font(22.0, INK, Anchor::End),
            &moment,
        );
        let room = (w - 2.0 * MARGIN - mw - 24.0).max(20.0);
        svg.text(
            (MARGIN, MARGIN + 10.0),
            font(22.0, INK, Anchor::Start),
            &self.measure.elide(&self.s.title, 22.0, room),
        );
        let sub = format!(
            "seed {} · {flying} message{} in flight",
            self.t.seed,
            if flying == 1 { "" } else { "s" }
        );
        svg.text(
            (MARGIN, MARGIN + 36.0),
            font(14.0, WEAK, Anchor::Start),
            &self.measure.elide(&sub, 14.0, w - 2.0 * MARGIN),
        );
    }

    fn links(&self, svg: &mut Svg, faults: &FaultState) {
        let width = (2.5 * self.scale.sqrt()).clamp(1.5, 4.0);
        for l in &self.s.links {
            let (Some(&a), Some(&b)) = (
                self.by_id.get(l.from.as_str()),
                self.by_id.get(l.to.as_str()),
            ) else {
                continue;
            };
            let (Some(ra), Some(rb)) = (self.rect_of(a), self.rect_of(b)) else {
                continue;
            };
            let (pa, pb) = (
                ra.border_towards(rb.center()),
                rb.border_towards(ra.center()),
            );
            let (cut_ab, cut_ba) = (faults.cut.contains(&(a, b)), faults.cut.contains(&(b, a)));
            let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
            let color = if cut_ab || cut_ba { FAULT } else { LINE };
            if cut_ab || cut_ba {
                svg.line(pa, pb, Stroke::dashed(FAULT, width + 0.5, 10.0, 7.0));
                let text = match (cut_ab, cut_ba) {
                    (true, true) => "✂ cut".to_string(),
                    (true, false) => format!("✂ cut → {}", self.t.node_label(b)),
                    _ => format!("✂ cut → {}", self.t.node_label(a)),
                };
                self.tag(svg, (mid.0, mid.1 - 16.0), &text, FAULT.readable_on(PAGE));
            } else {
                svg.line(pa, pb, Stroke::solid(LINE, width));
            }
            let (ab, ba) = flow(self.s, l);
            if ab {
                self.arrowhead(svg, pa, pb, color);
            }
            if ba {
                self.arrowhead(svg, pb, pa, color);
            }
            if let Some(tags) = l.faults_said() {
                self.tag(svg, (mid.0, mid.1 + 16.0), &tags, WEAK);
            }
        }
    }

    /// A short text on a white ground, centred at `at`.
    fn tag(&self, svg: &mut Svg, at: (f32, f32), text: &str, color: Rgb) {
        let tw = self.measure.width(text, 14.0);
        svg.rect(
            (at.0 - tw / 2.0 - 4.0, at.1 - 10.0, tw + 8.0, 20.0),
            4.0,
            Some(PAGE),
            None,
        );
        svg.text(at, font(14.0, color, Anchor::Middle), text);
    }

    /// A filled arrowhead at `to`, pointing away from `from`.
    fn arrowhead(&self, svg: &mut Svg, from: (f32, f32), to: (f32, f32), color: Rgb) {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1.0 {
            return;
        }
        let (ux, uy) = (dx / len, dy / len);
        let size = (13.0 * self.scale.sqrt()).clamp(8.0, 20.0);
        let tip = (to.0 - ux * 2.0, to.1 - uy * 2.0);
        let back = (tip.0 - ux * size, tip.1 - uy * size);
        let side = (-uy * size * 0.45, ux * size * 0.45);
        svg.polygon(
            &[
                tip,
                (back.0 + side.0, back.1 + side.1),
                (back.0 - side.0, back.1 - side.1),
            ],
            color,
        );
    }

    fn nodes(&self, svg: &mut Svg, faults: &FaultState) {
        let s = self.scale;
        let name_px = (17.0 * s).clamp(14.0, 32.0);
        let word_px = (14.0 * s).clamp(14.0, 26.0);
        // Too small a box for two lines: the name alone.
        let two_lines = name_px + word_px + 10.0 <= NODE_SIZE.1 * s;
        for (i, n) in self.s.nodes.iter().enumerate() {
            let Some(r) = self.boxes.get(i).copied() else {
                continue;
            };
            let accent = palette::kind(n.kind.kind());
            let down = faults.down.contains(&(i as NodeIdx));
            let radius = (10.0 * s).clamp(3.0, 20.0);
            let (fill, border, ink) = if down {
                (
                    DOWN.mix(PAGE, 0.5),
                    Stroke::dashed(WEAK, 2.5, 6.0, 4.0),
                    WEAK,
                )
            } else {
                (accent.mix(PAGE, 0.85), Stroke::solid(accent, 3.0), INK)
            };
            svg.rect((r.x, r.y, r.w, r.h), radius, Some(fill), Some(border));
            let (cx, cy) = r.center();
            let room = r.w - 14.0;
            // A long name is set smaller (down to 14 px) before it is cut.
            let fit = |text: &str, px: f32| {
                let wide = self.measure.width(text, 1.0).max(1e-3);
                let px = (room / wide).clamp(14.0_f32.min(px), px);
                (self.measure.elide(text, px, room), px)
            };
            let (name, name_px) = fit(n.label(), name_px);
            if two_lines {
                let gap = (r.h - name_px - word_px) / 3.0;
                let name_y = r.y + gap + name_px / 2.0;
                let word_y = name_y + name_px / 2.0 + gap + word_px / 2.0;
                svg.text((cx, name_y), font(name_px, ink, Anchor::Middle), &name);
                // A crashed node says so in place of its small print:
                // above the box a label would cover the links that end
                // there.
                let (word, word_ink) = if down {
                    ("CRASHED".to_string(), FAULT.readable_on(fill))
                } else {
                    (n.kind.small_print(), accent.readable_on(fill))
                };
                let (word, word_px) = fit(&word, word_px);
                svg.text((cx, word_y), font(word_px, word_ink, Anchor::Middle), &word);
            } else {
                svg.text((cx, cy), font(name_px, ink, Anchor::Middle), &name);
            }
            if down && !two_lines {
                let text = "CRASHED";
                let tw = self.measure.width(text, 14.0);
                let pill = (cx - tw / 2.0 - 8.0, r.y - 26.0, tw + 16.0, 22.0);
                svg.rect(pill, 11.0, Some(FAULT), None);
                svg.text(
                    (cx, r.y - 15.0),
                    font(14.0, FAULT.on(), Anchor::Middle),
                    text,
                );
            }
        }
    }

    /// Messages on the wire at `at`, as dots part way along their link.
    fn messages(&self, svg: &mut Svg, flying: &[(u32, Micros)]) {
        let t = self.t;
        let stride = flying.len().div_ceil(MAX_TOKENS).max(1);
        let labelled = flying.len() <= MAX_LABELLED;
        let r = (7.0 * self.scale.sqrt()).clamp(5.0, 12.0);
        let mut labels = Vec::new();
        for &(m, at) in flying.iter().step_by(stride) {
            let Some(msg) = t.message(m) else { continue };
            let (Some(ra), Some(rb)) = (self.rect_of(t.sender(msg)), self.rect_of(msg.to)) else {
                continue;
            };
            let (a, b) = (
                ra.border_towards(rb.center()),
                rb.border_towards(ra.center()),
            );
            let sent = t.sent_at(msg) as f64;
            let f = ((at as f64 - sent) / (msg.at() as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
            let p = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
            let body = t.body(msg.body);
            let color = palette::message(body.map_or("", Body::kind));
            svg.circle(p, r, color, Some(Stroke::solid(INK, 1.5)));
            if labelled && let Some(b) = body {
                labels.push((p, body_label(&t.names, b)));
            }
        }
        // Labels over every dot and link, beside their dot where they
        // cover no node's name and no other label.
        let mut placed: Vec<Rect> = Vec::new();
        for ((x, y), text) in labels {
            let tw = self.measure.width(&text, 14.0) + 6.0;
            let spots = [
                (x + r + 2.0, y - r - 20.0),
                (x - r - 2.0 - tw, y - r - 20.0),
                (x + r + 2.0, y + r),
                (x - r - 2.0 - tw, y + r),
            ];
            let free = |b: &Rect, others: &[Rect]| {
                b.x >= 0.0
                    && b.x + b.w <= self.size.w as f32
                    && !self.boxes.iter().chain(others).any(|o| o.overlaps(b))
            };
            let rects = spots.map(|(x, y)| Rect {
                x,
                y,
                w: tw,
                h: 20.0,
            });
            let Some(b) = rects
                .iter()
                .find(|b| free(b, &placed))
                .or_else(|| rects.iter().find(|b| free(b, &[])))
                .copied()
            else {
                continue;
            };
            svg.rect((b.x, b.y, b.w, b.h), 4.0, Some(PAGE), None);
            svg.text(
                (b.x + 3.0, b.y + 10.0),
                font(14.0, INK, Anchor::Start),
                &text,
            );
            placed.push(b);
        }
        if stride > 1 {
            let text = format!("{} messages in flight, 1 in {stride} drawn", flying.len());
            svg.text(
                (self.size.w as f32 - MARGIN, MARGIN + 36.0),
                font(14.0, WEAK, Anchor::End),
                &text,
            );
        }
    }

    /// Messages dropped in the moments just before `at`, as crosses that
    /// fade as they age.
    fn drops(&self, svg: &mut Svg, at: Micros) {
        let t = self.t;
        let window = 200_000u64.min(t.until / 20).max(1);
        let first = t.first_step_at(at.saturating_sub(window));
        let upto = t.first_step_at(at.saturating_add(1));
        let d = (7.0 * self.scale.sqrt()).clamp(5.0, 12.0);
        for &i in self.index.drops_between(first, upto) {
            let Some(msg) = t.step(i as usize).and_then(|s| t.message(s.id)) else {
                continue;
            };
            let (Some(ra), Some(rb)) = (self.rect_of(t.sender(msg)), self.rect_of(msg.to)) else {
                continue;
            };
            // Between the boxes, near the receiver, over the link: drawn
            // after the nodes, so a short link's cross is not hidden.
            let (a, b) = (
                ra.border_towards(rb.center()),
                rb.border_towards(ra.center()),
            );
            let p = (a.0 + (b.0 - a.0) * 0.7, a.1 + (b.1 - a.1) * 0.7);
            let age = (at.saturating_sub(msg.at())) as f32 / window as f32;
            let c = FAULT.mix(PAGE, age.clamp(0.0, 1.0) * 0.8);
            let s = Stroke::solid(c, 3.5);
            svg.line((p.0 - d, p.1 - d), (p.0 + d, p.1 + d), s);
            svg.line((p.0 - d, p.1 + d), (p.0 + d, p.1 - d), s);
        }
    }

    /// What the colours of the dots mean, along the bottom.
    fn legend(&self, svg: &mut Svg) {
        let y = self.size.h as f32 - BOTTOM / 2.0 - 6.0;
        let mut x = MARGIN;
        let limit = self.size.w as f32 - MARGIN;
        let items = [
            ("request", palette::message("write")),
            ("answer", palette::message("answer")),
            ("database", palette::message("db write")),
            ("event", palette::message("event")),
            ("ack", palette::message("ack")),
        ];
        for (word, color) in items {
            let tw = self.measure.width(word, 14.0);
            if x + 18.0 + tw > limit {
                break;
            }
            svg.circle((x + 6.0, y), 6.0, color, Some(Stroke::solid(INK, 1.0)));
            svg.text((x + 17.0, y), font(14.0, WEAK, Anchor::Start), word);
            x += 17.0 + tw + 18.0;
        }
    }
}

fn font(size: f32, color: Rgb, anchor: Anchor) -> Font {
    Font {
        size,
        color,
        anchor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_catches_a_message_that_crossed_since_the_frame_before() {
        let s = crate::scenario::from_str(
            include_str!("../../scenarios/00-request-path.ron"),
            "00-request-path.ron",
        )
        .expect("the preset loads");
        let mut e = crate::sim::Engine::new(&s, s.seed).expect("builds");
        e.run_until(s.until.0);
        let t = e.into_trace();
        let index = Index::new(&t);
        let scene = Scene::new(&s, &t, &index, super::super::Size::SLIDE);
        // A message of 5 ms, delivered just before a frame 10 ms after
        // the one before: at the frame's own moment it is gone.
        let (m, msg) = (0..t.messages.len() as u32)
            .filter_map(|m| t.message(m).map(|msg| (m, msg)))
            .find(|(_, msg)| msg.at() - t.sent_at(msg) == 5_000)
            .expect("a 5 ms message");
        let at = msg.at() + 1;
        assert!(!scene.flying(at, 0).iter().any(|&(x, _)| x == m));
        let caught = scene.flying(at, 10_000);
        let (_, when) = caught
            .iter()
            .find(|&&(x, _)| x == m)
            .expect("caught in the frame");
        assert!(
            t.sent_at(msg) <= *when && *when < msg.at(),
            "drawn on its way"
        );
    }

    #[test]
    fn lines_leave_a_box_at_its_border() {
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 50.0,
        };
        assert_eq!(r.border_towards((200.0, 25.0)), (100.0, 25.0));
        assert_eq!(r.border_towards((50.0, -100.0)), (50.0, 0.0));
        assert_eq!(r.border_towards((50.0, 25.0)), (50.0, 25.0));
    }
}
