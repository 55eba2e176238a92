//! The diagram "by order", as a textbook or a Mermaid figure draws it: one
//! row per message in the order they were sent, faults and narration steps
//! as rows of their own, the time in the gutter. Rows are collected once
//! and extended as the run grows; only the rows on screen are drawn.

use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, pos2};

use super::arrows::{self, Arrow};
use super::lanes::Lanes;
use crate::model::fmt_time;
use crate::trace::{Fate, StepKind, Trace, partition_point};
use crate::ui::theme;

/// One row of the figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Message(u32),
    /// Consecutive identical polls that found nothing, folded into one
    /// row: the first poll, and how many there were (see
    /// `trace::query::fold`).
    Polls(u32, u32),
    /// A fault, by its place in the trace's faults.
    Fault(u32),
    /// A narration step began (its index in the scenario).
    Mark(u32),
    /// A client stopped waiting for an answer (its timer step): the
    /// request's outcome is unknown.
    Timeout(u32),
}

/// The rows so far, with the step each belongs to.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    pub rows: Vec<Row>,
    step_of: Vec<u32>,
    steps_seen: usize,
    messages_seen: usize,
}

impl Rows {
    /// Takes in the steps recorded since last time; messages to hidden
    /// lanes are left out.
    pub fn update(&mut self, t: &Trace, lanes: &Lanes) {
        let before = self.rows.len();
        for i in self.steps_seen..t.steps.len() {
            let Some(s) = t.step(i) else { break };
            match s.kind {
                StepKind::Fault => self.push(Row::Fault(s.id), i),
                StepKind::Mark => {
                    let n = t.timed.get(s.id as usize).map_or(0, |w| w.a);
                    self.push(Row::Mark(n), i);
                }
                StepKind::Timer
                    if lanes.of(s.node).is_some()
                        && crate::trace::query::timeout_at(t, i).is_some() =>
                {
                    self.push(Row::Timeout(i as u32), i);
                }
                _ => {}
            }
            let end = t.first_message_of(i as u32 + 1);
            for m in self.messages_seen..end {
                let Some(msg) = t.message(m as u32) else {
                    continue;
                };
                if lanes.of(t.sender(msg)).is_some() && lanes.of(msg.to).is_some() {
                    self.push(Row::Message(m as u32), i);
                }
            }
            self.messages_seen = end.max(self.messages_seen);
        }
        self.steps_seen = t.steps.len();
        self.fold_recent(t, before);
    }

    /// Folds repeated polls among the rows taken in since `before` rows
    /// and the few before them. A poll is known to have found nothing
    /// only once it has arrived, after later rows may have been taken in,
    /// so the last rows are looked at again each time.
    fn fold_recent(&mut self, t: &Trace, before: usize) {
        const RECENT: usize = 64;
        let from = before.saturating_sub(RECENT).min(self.rows.len());
        let rows = self.rows.split_off(from);
        let steps = self.step_of.split_off(from);
        let polls = |r: Row| match r {
            Row::Message(m) => Some((m, 1)),
            Row::Polls(m, n) => Some((m, n)),
            _ => None,
        };
        for (row, step) in rows.into_iter().zip(steps) {
            if let Some(last) = self.rows.last_mut()
                && let (Some((a, n)), Some((b, more))) = (polls(*last), polls(row))
                && crate::trace::query::fold::repeats(t, a, b)
            {
                *last = Row::Polls(a, n + more);
                continue;
            }
            self.rows.push(row);
            self.step_of.push(step);
        }
    }

    fn push(&mut self, row: Row, step: usize) {
        self.rows.push(row);
        self.step_of.push(step as u32);
    }

    /// Rows belonging to the first `upto` steps.
    pub fn shown(&self, upto: usize) -> usize {
        partition_point(self.step_of.len(), |i| (self.step_of[i] as usize) < upto)
    }

    /// The row of message `m`, if it has one.
    pub fn row_of(&self, m: u32) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| matches!(*r, Row::Message(i) | Row::Polls(i, _) if i == m))
    }
}

/// A row in words: "0.300 s, Checkout to Orders: write 1001".
pub fn spoken(f: &Frame, row: &Row, now: f64) -> String {
    let (t, narration) = (f.t, f.narration);
    match *row {
        Row::Message(i) | Row::Polls(i, _) => {
            let Some(msg) = t.message(i) else {
                return String::new();
            };
            let fate = if msg.at() as f64 > now {
                ", in flight"
            } else if msg.fate() == Fate::Dropped {
                ", dropped"
            } else {
                ""
            };
            let times = match *row {
                Row::Polls(_, n) => crate::trace::query::fold::times_said(n),
                _ => String::new(),
            };
            format!(
                "{} s, {} to {}: {}{times}{fate}",
                fmt_time(t.sent_at(msg)).trim_end_matches('s'),
                t.node_label(t.sender(msg)),
                t.node_label(msg.to),
                arrows::label_in(f.scenario, t, i)
            )
        }
        Row::Fault(i) => t.faults.get(i as usize).map_or(String::new(), |r| {
            format!(
                "{} s, fault: {}",
                fmt_time(r.at).trim_end_matches('s'),
                crate::trace::export::fault_said(t, &r.fault)
            )
        }),
        Row::Mark(n) => narration(n),
        Row::Timeout(i) => format!(
            "{} s, {}",
            fmt_time(t.step_time(i as usize)).trim_end_matches('s'),
            crate::trace::query::timeout_said(t, i as usize).unwrap_or_default()
        ),
    }
}

/// The row a step shows as: its message, its fault or its mark.
pub fn row_of_step(t: &Trace, step: usize) -> Option<Row> {
    let s = t.step(step)?;
    match s.kind {
        StepKind::Deliver | StepKind::Drop => Some(Row::Message(s.id)),
        StepKind::Fault => Some(Row::Fault(s.id)),
        _ => None,
    }
}

/// Sizes of the figure.
pub struct Metrics {
    pub row: f32,
    pub font: f32,
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
    pub selected: Option<u32>,
    pub text: egui::Color32,
    pub weak: egui::Color32,
    pub bg: egui::Color32,
    /// A narration step's rule, "Step k: …", numbered as the card numbers
    /// it (by when it is reached, not by its place in the file).
    pub narration: &'a dyn Fn(u32) -> String,
    /// In compare mode, the row where this run first differs from the other.
    pub parting: Option<Row>,
    /// In the choose-next mode, while the run holds: the messages that
    /// could arrive next, numbered as in the list (ringed at their heads).
    pub candidates: &'a [u32],
}

/// Draws `rows` from the top of the body; returns the message under
/// `pointer`.
pub fn draw(f: &Frame, rows: &[Row], m: &Metrics, pointer: Option<Pos2>) -> Option<u32> {
    let font = FontId::proportional(m.font);
    let mut hovered = None;
    for (k, row) in rows.iter().enumerate() {
        let y = f.body.min.y + (k as f32 + 0.5) * m.row;
        let band = Rect::from_min_max(
            pos2(f.body.min.x, y - m.row / 2.0),
            pos2(f.body.max.x, y + m.row / 2.0),
        );
        if k % 2 == 1 {
            f.painter
                .rect_filled(band, 0.0, f.weak.gamma_multiply(0.04));
        }
        if f.parting == Some(*row) {
            f.painter
                .rect_filled(band, 0.0, theme::DIFFERS.gamma_multiply(0.25));
            f.painter.text(
                pos2(f.gutter.min.x + 2.0, band.min.y),
                Align2::LEFT_TOP,
                "≠",
                FontId::proportional(m.font),
                theme::DIFFERS,
            );
        }
        match *row {
            Row::Message(i) => {
                if message(f, i, y, m, &font, 1) && pointer.is_some_and(|p| band.contains(p)) {
                    hovered = Some(i);
                }
            }
            Row::Polls(i, n) => {
                if message(f, i, y, m, &font, n) && pointer.is_some_and(|p| band.contains(p)) {
                    hovered = Some(i);
                }
            }
            Row::Fault(i) => {
                let text =
                    f.t.faults
                        .get(i as usize)
                        .map(|r| {
                            format!(
                                "{}  {}",
                                fmt_time(r.at),
                                crate::trace::export::fault_said(f.t, &r.fault)
                            )
                        })
                        .unwrap_or_default();
                rule(f, y, &text, theme::FAULT, &font);
            }
            Row::Mark(n) => {
                rule(f, y, &(f.narration)(n), theme::NARRATION, &font);
            }
            Row::Timeout(i) => {
                let text = format!(
                    "{}  ? {}",
                    fmt_time(f.t.step_time(i as usize)),
                    crate::trace::query::timeout_said(f.t, i as usize).unwrap_or_default()
                );
                rule(f, y, &text, theme::UNKNOWN, &font);
            }
        }
    }
    hovered
}

/// A message's row; false when it is not drawn (its lanes are off screen).
fn message(f: &Frame, i: u32, y: f32, m: &Metrics, font: &FontId, times: u32) -> bool {
    let t = f.t;
    let Some(msg) = t.message(i) else {
        return false;
    };
    let (Some(a), Some(b)) = (f.lanes.of(t.sender(msg)), f.lanes.of(msg.to)) else {
        return false;
    };
    let (x1, x2) = ((f.lane_x)(a), (f.lane_x)(b));
    let sent = t.sent_at(msg) as f64;
    f.painter.text(
        pos2(f.gutter.max.x - 6.0, y),
        Align2::RIGHT_CENTER,
        fmt_time(sent as u64),
        FontId::monospace(m.font * 0.8),
        f.weak,
    );
    let flying = (msg.at() as f64) > f.now;
    let dropped = msg.fate() == Fate::Dropped && !flying;
    let selected = f.selected == Some(i);
    let y_arrow = y + m.row * 0.22;
    if a == b {
        // Both ends in one collapsed lane: a small loop.
        let r = m.row * 0.3;
        let c = arrows::color(t, i, dropped);
        f.painter.add(Shape::closed_line(
            vec![
                pos2(x1, y_arrow - r),
                pos2(x1 + 3.0 * r, y_arrow - r),
                pos2(x1 + 3.0 * r, y_arrow),
                pos2(x1, y_arrow),
            ],
            Stroke::new(1.6, c),
        ));
    } else {
        let from = pos2(x1, y_arrow);
        let to = pos2(x2, y_arrow);
        let frac = ((f.now - sent) / (msg.at() as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
        let head = if flying {
            from + (to - from) * frac
        } else {
            to
        };
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
        if let Some(n) = f.candidates.iter().position(|&c| c == i) {
            let r = m.row * 0.32;
            f.painter
                .circle_stroke(head, r, Stroke::new(2.0, theme::NOW));
            f.painter.text(
                head + egui::vec2(r, -r),
                Align2::LEFT_BOTTOM,
                (n + 1).to_string(),
                FontId::proportional(m.font),
                theme::NOW,
            );
        }
    }
    // One message per row: its label may use the whole width, centred
    // over its arrow as far as the edges allow.
    let color = arrows::label_color(t, i, f.text, f.bg);
    let room = f.body.width() - 16.0;
    let label = arrows::label_in(f.scenario, t, i) + &crate::trace::query::fold::times_said(times);
    let shown = theme::elide(f.painter, &label, font, room);
    let galley = f.painter.layout_no_wrap(shown, font.clone(), color);
    let w = galley.size().x;
    let mid = (x1 + x2) / 2.0 + if a == b { m.row } else { 0.0 };
    let left = (mid - w / 2.0)
        .min(f.body.max.x - 8.0 - w)
        .max(f.body.min.x + 8.0);
    let at = pos2(left, y_arrow - 2.0 - galley.size().y);
    f.painter.rect_filled(
        Rect::from_min_size(at, galley.size()).expand(1.0),
        2.0,
        f.bg.gamma_multiply(0.85),
    );
    f.painter.galley(at, galley, color);
    true
}

/// A row across the lanes: a fault, a narration step or a timeout.
fn rule(f: &Frame, y: f32, text: &str, color: egui::Color32, font: &FontId) {
    let c = theme::readable(color, f.bg);
    f.painter.extend(Shape::dashed_line(
        &[pos2(f.body.min.x, y), pos2(f.body.max.x, y)],
        Stroke::new(1.2, color.gamma_multiply(0.6)),
        6.0,
        4.0,
    ));
    let shown = theme::elide(f.painter, text, font, f.body.width() - 16.0);
    let galley = f.painter.layout_no_wrap(shown, font.clone(), c);
    let at = pos2(f.body.min.x + 8.0, y - galley.size().y / 2.0);
    f.painter.rect_filled(
        Rect::from_min_size(at, galley.size()).expand(2.0),
        2.0,
        f.bg,
    );
    f.painter.galley(at, galley, c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Engine;
    use crate::ui::sequence::lanes::LaneChoice;

    /// Lesson 04's relay polls every 40 ms: played live, a frame at a
    /// time, the diagram folds the polls that found nothing just as a
    /// diagram made of the finished run does.
    #[test]
    fn live_rows_fold_idle_polls_as_the_finished_run_does() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/04-outbox-and-cdc.ron");
        let s = crate::scenario::load_file(&path).expect("lesson 04 loads");
        let mut e = Engine::new(&s, s.seed).expect("builds");
        let mut live = Rows::default();
        let mut at = 0;
        while at < e.until() {
            at += 16_000;
            e.run_until(at);
            let lanes = Lanes::new(e.trace(), &LaneChoice::default());
            live.update(e.trace(), &lanes);
        }
        e.run();
        let t = e.trace();
        let mut whole = Rows::default();
        whole.update(t, &Lanes::new(t, &LaneChoice::default()));
        assert_eq!(live.rows, whole.rows);
        let folded: u32 = live
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Polls(_, n) => Some(*n),
                _ => None,
            })
            .sum();
        assert!(folded > 20, "{folded} polls folded");
        let messages = live
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Message(_) | Row::Polls(..)))
            .count();
        assert!(messages * 3 < t.messages.len() * 2, "{messages} rows");
    }
}
