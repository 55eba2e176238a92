//! The sequence diagram as a picture, laid out as the app's "By order"
//! view draws it: one lane per node that takes part, headed by its name in
//! its kind's colour; one row per message in the order they were sent,
//! with its time on the left and an arrow from sender to receiver labelled
//! with what it says; replies dashed; dropped messages ending in a cross;
//! faults and narration steps as rows across. Type is large enough for a
//! slide (14 px and up), and the number of rows is bounded: what does not
//! fit is counted in a closing note.

use std::collections::BTreeSet;

use super::palette::{self, BAND, FAULT, INK, LINE, NARRATION, PAGE, STALE, UNKNOWN, WEAK};
use super::svg::{Anchor, Font, Rgb, Stroke, Svg};
use super::text::Measure;
use super::{Lanes, Size};
use crate::model::{Body, Micros, NodeIdx, message_flags};
use crate::scenario::{Scenario, fmt_time};
use crate::trace::export::{fault_said, message_said};
use crate::trace::query::fold;
use crate::trace::{Fate, StepKind, Trace};

/// Most rows one diagram draws, whatever its size: past this a diagram
/// is a wall, not a figure.
pub const MAX_ROWS: usize = 2_000;

const MARGIN: f32 = 28.0;
const ROW: f32 = 36.0;
const GUTTER: f32 = 92.0;
const TITLE_PX: f32 = 22.0;
const LABEL_PX: f32 = 15.0;
const SMALL_PX: f32 = 14.0;
const HEADER_PX: f32 = 16.0;
const HEADER_H: f32 = 36.0;
/// Where the lane headers start, under the title and subtitle.
const HEADERS_TOP: f32 = MARGIN + 62.0;
/// Where the first row starts.
const BODY_TOP: f32 = HEADERS_TOP + HEADER_H + 10.0;

/// What the caller chose.
pub struct Options<'a> {
    pub size: Option<Size>,
    pub from: Micros,
    pub to: Micros,
    pub lanes: &'a Lanes,
    /// The longest side the picture may have when no size is given (a
    /// bitmap's bound; lanes narrow and rows are cut to stay within it).
    pub max_side: Option<f32>,
}

/// One row of the figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// A message, and how many identical polls that found nothing it
    /// stands for (1 for any other message; see `trace::query::fold`).
    Message(u32, u32),
    /// A fault, by its place in the trace's faults.
    Fault(u32),
    /// A narration step began (its index in the scenario), and when.
    Mark(u32, Micros),
    /// A client stopped waiting (its timer step): an unknown outcome.
    Timeout(u32),
}

/// The rows in the span, at most `cap`, and how many more there were.
fn rows(t: &Trace, o: &Options, hidden: &BTreeSet<NodeIdx>, cap: usize) -> (Vec<Row>, usize) {
    let mut out: Vec<(Row, u32)> = Vec::new();
    let mut left_out = 0usize;
    let message = |r: Row| match r {
        Row::Message(m, _) => Some(m),
        _ => None,
    };
    let mut push = |row: Row| {
        let before = out.len();
        if before < cap {
            fold::push(t, &mut out, row, message);
        } else if let Some(&(last, _)) = out.last()
            && let (Some(a), Some(b)) = (message(last), message(row))
            && fold::repeats(t, a, b)
        {
            fold::push(t, &mut out, row, message);
        } else {
            left_out += 1;
        }
    };
    let first = t.first_step_at(o.from);
    let mut m = t.first_message_of(first as u32);
    for i in first..t.steps.len() {
        if t.step_time(i) > o.to {
            break;
        }
        let Some(s) = t.step(i) else { break };
        match s.kind {
            StepKind::Fault => push(Row::Fault(s.id)),
            StepKind::Mark => {
                let n = t.timed.get(s.id as usize).map_or(0, |w| w.a);
                push(Row::Mark(n, t.step_time(i)));
            }
            StepKind::Timer
                if !hidden.contains(&s.node) && crate::trace::query::timeout_at(t, i).is_some() =>
            {
                push(Row::Timeout(i as u32));
            }
            _ => {}
        }
        while let Some(msg) = t.messages.get(m).filter(|msg| msg.cause as usize == i) {
            if !hidden.contains(&t.sender(msg)) && !hidden.contains(&msg.to) {
                push(Row::Message(m as u32, 1));
            }
            m += 1;
        }
    }
    let rows = out
        .into_iter()
        .map(|(r, n)| match r {
            Row::Message(m, _) => Row::Message(m, n),
            r => r,
        })
        .collect();
    (rows, left_out)
}

/// The lanes to draw, in order: the nodes sending or receiving a message
/// drawn (every shown node when there is none), the viewer's order first.
fn lanes(t: &Trace, rows: &[Row], choice: &Lanes, hidden: &BTreeSet<NodeIdx>) -> Vec<NodeIdx> {
    let mut part = BTreeSet::new();
    for row in rows {
        if let Row::Message(m, _) = row
            && let Some(msg) = t.message(*m)
        {
            part.insert(t.sender(msg));
            part.insert(msg.to);
        }
    }
    let idx = |id: &str| {
        t.nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| i as NodeIdx)
    };
    let mut order: Vec<NodeIdx> = choice.order.iter().filter_map(|id| idx(id)).collect();
    for i in 0..t.nodes.len() as NodeIdx {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order.retain(|n| !hidden.contains(n) && (part.is_empty() || part.contains(n)));
    order
}

/// Where things go.
struct Layout {
    w: f32,
    lane_w: f32,
    body_left: f32,
    body_right: f32,
}

impl Layout {
    fn lane_x(&self, k: usize) -> f32 {
        self.body_left + self.lane_w * (k as f32 + 0.5)
    }

    fn row_y(k: usize) -> f32 {
        BODY_TOP + ROW * (k as f32 + 0.5)
    }
}

/// The diagram of `t` as an SVG document.
pub fn svg(s: &Scenario, t: &Trace, o: &Options) -> String {
    let measure = Measure::new();
    let hidden: BTreeSet<NodeIdx> = o
        .lanes
        .hidden
        .iter()
        .filter_map(|id| t.nodes.iter().position(|n| &n.id == id))
        .map(|i| i as NodeIdx)
        .collect();
    // Rows that fit: the asked height, else the tallest allowed, keeping
    // one row for the closing note.
    let fit = |h: f32| ((h - BODY_TOP - MARGIN) / ROW - 1.0).floor().max(1.0) as usize;
    let cap = match (o.size, o.max_side) {
        (Some(size), _) => fit(size.h as f32),
        (None, Some(h)) => fit(h),
        (None, None) => MAX_ROWS,
    }
    .min(MAX_ROWS);
    let (rows, left_out) = rows(t, o, &hidden, cap);
    let lanes = lanes(t, &rows, o.lanes, &hidden);
    let n = lanes.len().max(1) as f32;
    let (w, h, lane_w) = match o.size {
        Some(size) => {
            let w = size.w as f32;
            (w, size.h as f32, (w - 2.0 * MARGIN - GUTTER) / n)
        }
        None => {
            let widest = lanes
                .iter()
                .map(|&l| measure.width(t.node_label(l), HEADER_PX))
                .fold(0.0, f32::max);
            let mut lane_w = (widest + 28.0).clamp(150.0, 240.0);
            if let Some(side) = o.max_side {
                lane_w = lane_w.min((side - 2.0 * MARGIN - GUTTER) / n).max(1.0);
            }
            let w = (2.0 * MARGIN + GUTTER + n * lane_w).max(720.0);
            let extra = if left_out > 0 { 1.0 } else { 0.0 };
            let h = BODY_TOP + ROW * (rows.len() as f32 + extra) + MARGIN;
            (w, h, (w - 2.0 * MARGIN - GUTTER) / n)
        }
    };
    let lay = Layout {
        w,
        lane_w,
        body_left: MARGIN + GUTTER,
        body_right: w - MARGIN,
    };
    let mut svg = Svg::new(w, h, PAGE, &format!("{}: sequence diagram", s.title));
    title(&mut svg, &measure, s, t, o, &lay, &rows);
    let body_bottom = (BODY_TOP + ROW * (rows.len() as f32 + 0.5)).min(h - MARGIN / 2.0);
    for k in (1..rows.len()).step_by(2) {
        svg.rect(
            (MARGIN, BODY_TOP + ROW * k as f32, w - 2.0 * MARGIN, ROW),
            0.0,
            Some(BAND),
            None,
        );
    }
    for (k, &node) in lanes.iter().enumerate() {
        let x = lay.lane_x(k);
        let color = t
            .nodes
            .get(node as usize)
            .map_or(LINE, |n| palette::kind(n.kind));
        svg.line(
            (x, HEADERS_TOP + HEADER_H),
            (x, body_bottom),
            Stroke::solid(color.mix(PAGE, 0.45), 2.0),
        );
        header(&mut svg, &measure, t, node, x, lane_w);
    }
    let lane_of = |n: NodeIdx| lanes.iter().position(|&l| l == n);
    let narration = |i: u32| {
        s.narration
            .get(i as usize)
            .map(|n| n.text.as_str())
            .unwrap_or_default()
    };
    for (k, row) in rows.iter().enumerate() {
        let y = Layout::row_y(k);
        let bg = if k % 2 == 1 { BAND } else { PAGE };
        match *row {
            Row::Message(m, n) => message(&mut svg, &measure, t, (m, n), y, bg, &lay, &lane_of),
            Row::Fault(i) => {
                if let Some(f) = t.faults.get(i as usize) {
                    let text = fault_said(t, &f.fault);
                    rule(&mut svg, &measure, &lay, y, f.at, &text, FAULT, bg);
                }
            }
            Row::Mark(i, at) => {
                let text = format!("Step {}: {}", i + 1, narration(i));
                rule(&mut svg, &measure, &lay, y, at, &text, NARRATION, bg);
            }
            Row::Timeout(i) => {
                let text = crate::trace::query::timeout_said(t, i as usize).unwrap_or_default();
                let at = t.step_time(i as usize);
                rule(
                    &mut svg,
                    &measure,
                    &lay,
                    y,
                    at,
                    &format!("? {text}"),
                    UNKNOWN,
                    bg,
                );
            }
        }
    }
    if left_out > 0 {
        let y = Layout::row_y(rows.len());
        let note = format!(
            "… {left_out} more rows up to {} are not drawn: export a shorter span of time to see them",
            fmt_time(o.to)
        );
        let room = lay.body_right - MARGIN;
        svg.text(
            (MARGIN, y),
            font(SMALL_PX, WEAK, Anchor::Start),
            &measure.elide(&note, SMALL_PX, room),
        );
    }
    svg.finish()
}

fn font(size: f32, color: Rgb, anchor: Anchor) -> Font {
    Font {
        size,
        color,
        anchor,
    }
}

/// The scenario's title and what the picture covers.
fn title(
    svg: &mut Svg,
    m: &Measure,
    s: &Scenario,
    t: &Trace,
    o: &Options,
    lay: &Layout,
    rows: &[Row],
) {
    let room = lay.w - 2.0 * MARGIN;
    svg.text(
        (MARGIN, MARGIN + 12.0),
        font(TITLE_PX, INK, Anchor::Start),
        &m.elide(&s.title, TITLE_PX, room),
    );
    let messages: u32 = rows
        .iter()
        .map(|r| match r {
            Row::Message(_, n) => *n,
            _ => 0,
        })
        .sum();
    let sub = format!(
        "Sequence diagram · seed {} · {} to {} · {messages} messages",
        t.seed,
        fmt_time(o.from),
        fmt_time(o.to)
    );
    svg.text(
        (MARGIN, MARGIN + 40.0),
        font(SMALL_PX, WEAK, Anchor::Start),
        &m.elide(&sub, SMALL_PX, room),
    );
}

/// A lane's header: the node's name on its kind's colour.
fn header(svg: &mut Svg, m: &Measure, t: &Trace, node: NodeIdx, x: f32, lane_w: f32) {
    let Some(info) = t.nodes.get(node as usize) else {
        return;
    };
    let fill = palette::kind(info.kind);
    let box_w = (lane_w - 10.0).max(20.0);
    svg.rect(
        (x - box_w / 2.0, HEADERS_TOP, box_w, HEADER_H),
        6.0,
        Some(fill),
        None,
    );
    svg.text(
        (x, HEADERS_TOP + HEADER_H / 2.0),
        font(HEADER_PX, fill.on(), Anchor::Middle),
        &m.elide(&info.label, HEADER_PX, box_w - 10.0),
    );
}

/// A message's row: its time, its arrow, its label.
#[allow(clippy::too_many_arguments)]
fn message(
    svg: &mut Svg,
    measure: &Measure,
    t: &Trace,
    (m, times): (u32, u32),
    y: f32,
    bg: Rgb,
    lay: &Layout,
    lane_of: &dyn Fn(NodeIdx) -> Option<usize>,
) {
    let Some(msg) = t.message(m) else { return };
    let (Some(a), Some(b)) = (lane_of(t.sender(msg)), lane_of(msg.to)) else {
        return;
    };
    svg.text(
        (lay.body_left - 12.0, y),
        font(SMALL_PX, WEAK, Anchor::End),
        &fmt_time(t.sent_at(msg)),
    );
    let body = t.body(msg.body);
    let dropped = msg.fate() == Fate::Dropped;
    let color = if dropped {
        FAULT
    } else {
        palette::message(body.map_or("", Body::kind))
    };
    let dashed = body.is_some_and(Body::is_reply) || msg.flags & message_flags::DUPLICATE != 0;
    let stroke = if dashed {
        Stroke::dashed(color, 2.2, 7.0, 5.0)
    } else {
        Stroke::solid(color, 2.2)
    };
    let (x1, x2) = (lay.lane_x(a), lay.lane_x(b));
    let ya = y + 9.0;
    if a == b {
        // Both ends in one lane: a small loop out to the right.
        let r = 26.0;
        svg.polyline(
            &[
                (x1, ya - 12.0),
                (x1 + r, ya - 12.0),
                (x1 + r, ya),
                (x1 + 8.0, ya),
            ],
            stroke,
        );
        svg.polygon(
            &[(x1, ya), (x1 + 9.0, ya - 5.0), (x1 + 9.0, ya + 5.0)],
            color,
        );
    } else {
        let dir = (x2 - x1).signum();
        if dropped {
            let end = x2 - dir * 8.0;
            svg.line((x1, ya), (end, ya), stroke);
            cross(svg, (end, ya), 6.0);
        } else {
            svg.line((x1, ya), (x2 - dir * 9.0, ya), stroke);
            svg.polygon(
                &[
                    (x2, ya),
                    (x2 - dir * 12.0, ya - 5.5),
                    (x2 - dir * 12.0, ya + 5.5),
                ],
                color,
            );
        }
    }
    let mut label = message_said(t, m) + &fold::times_said(times);
    if dropped {
        let why = t.drop_reason(m).map_or("dropped", |r| r.text());
        label.push_str(&format!("  ✕ {why}"));
    } else if msg.fate() == Fate::InFlight {
        label.push_str("  (still on its way at the end)");
    }
    let ink = if dropped || msg.flags & message_flags::FOREIGN != 0 {
        FAULT.readable_on(bg)
    } else if msg.flags & message_flags::STALE != 0 {
        STALE.readable_on(bg)
    } else {
        INK
    };
    let room = lay.body_right - lay.body_left - 16.0;
    let text = measure.elide(&label, LABEL_PX, room);
    let tw = measure.width(&text, LABEL_PX);
    let mid = (x1 + x2) / 2.0 + if a == b { 40.0 } else { 0.0 };
    let left = (mid - tw / 2.0)
        .min(lay.body_right - 8.0 - tw)
        .max(lay.body_left + 8.0);
    let ly = y - 7.0;
    svg.rect((left - 3.0, ly - 10.0, tw + 6.0, 20.0), 3.0, Some(bg), None);
    svg.text((left, ly), font(LABEL_PX, ink, Anchor::Start), &text);
}

/// A cross: where a dropped message ended.
fn cross(svg: &mut Svg, (x, y): (f32, f32), d: f32) {
    let s = Stroke::solid(FAULT, 3.0);
    svg.line((x - d, y - d), (x + d, y + d), s);
    svg.line((x - d, y + d), (x + d, y - d), s);
}

/// A row across every lane: a fault, a narration step or a timeout.
#[allow(clippy::too_many_arguments)]
fn rule(
    svg: &mut Svg,
    measure: &Measure,
    lay: &Layout,
    y: f32,
    at: Micros,
    text: &str,
    color: Rgb,
    bg: Rgb,
) {
    svg.text(
        (lay.body_left - 12.0, y),
        font(SMALL_PX, color.readable_on(bg), Anchor::End),
        &fmt_time(at),
    );
    svg.line(
        (lay.body_left, y),
        (lay.body_right, y),
        Stroke::dashed(color.mix(PAGE, 0.3), 2.0, 8.0, 5.0),
    );
    let room = lay.body_right - lay.body_left - 24.0;
    let shown = measure.elide(text, LABEL_PX, room);
    let tw = measure.width(&shown, LABEL_PX);
    let left = lay.body_left + 10.0;
    svg.rect(
        (lay.body_left, y - 11.0, tw + 14.0, 22.0),
        0.0,
        Some(bg),
        None,
    );
    svg.text(
        (left, y),
        font(LABEL_PX, color.readable_on(bg), Anchor::Start),
        &shown,
    );
}
