//! Drawing one message as an arrow (solid for requests and events, dashed
//! for replies as Mermaid draws them, a dot at the head while in flight, a
//! cross when dropped), its label, and what hovering one says.

use egui::{Color32, Painter, Pos2, Shape, Stroke, vec2};

use crate::model::{Body, deliver_flags, fmt_time, message_flags};
use crate::trace::{DropReason, Fate, StepKind, Trace};
use crate::ui::theme;

/// How a message is drawn at the moment shown.
pub struct Arrow {
    pub from: Pos2,
    /// Where the head is now (short of `to` while in flight).
    pub head: Pos2,
    pub to: Pos2,
    pub flying: bool,
    pub dropped: bool,
    pub selected: bool,
}

/// The colour of message `m`.
pub fn color(t: &Trace, m: u32, dropped: bool) -> Color32 {
    if dropped {
        return theme::FAULT;
    }
    let kind = t
        .message(m)
        .and_then(|msg| t.body(msg.body))
        .map_or("", Body::kind);
    theme::message_color(kind)
}

pub fn paint(painter: &Painter, t: &Trace, m: u32, a: &Arrow) {
    let color = color(t, m, a.dropped);
    let reply = t
        .message(m)
        .and_then(|msg| t.body(msg.body))
        .is_some_and(Body::is_reply);
    let width = if a.selected { 3.5 } else { 1.8 };
    let stroke = Stroke::new(width, color);
    let duplicate = t
        .message(m)
        .is_some_and(|msg| msg.flags & message_flags::DUPLICATE != 0);
    if reply || duplicate {
        painter.extend(Shape::dashed_line(&[a.from, a.head], stroke, 6.0, 4.0));
    } else {
        painter.line_segment([a.from, a.head], stroke);
    }
    if a.dropped {
        let d = 5.0;
        let x = Stroke::new(2.5, theme::FAULT);
        painter.line_segment([a.head - vec2(d, d), a.head + vec2(d, d)], x);
        painter.line_segment([a.head - vec2(d, -d), a.head + vec2(d, -d)], x);
    } else if a.flying {
        painter.circle_filled(a.head, 4.5, color);
    } else if (a.to - a.from).length() > 1.0 {
        let dir = (a.to - a.from).normalized();
        let side = vec2(-dir.y, dir.x);
        painter.add(Shape::convex_polygon(
            vec![
                a.head,
                a.head - dir * 9.0 + side * 4.5,
                a.head - dir * 9.0 - side * 4.5,
            ],
            color,
            Stroke::NONE,
        ));
    }
}

/// The label drawn on an arrow: what the message says, with its flags.
pub fn label(t: &Trace, m: u32) -> String {
    crate::trace::export::message_said(t, m)
}

/// [`label`], and between two bounded contexts the published language
/// the message speaks: "… [Sales published language]".
pub fn label_in(s: &crate::scenario::Scenario, t: &Trace, m: u32) -> String {
    let said = label(t, m);
    match crate::trace::export::published_language(s, t, m) {
        Some(lang) => format!("{said} [{lang}]"),
        None => said,
    }
}

/// The colour of an arrow's label on `bg`.
pub fn label_color(t: &Trace, m: u32, normal: Color32, bg: Color32) -> Color32 {
    let flags = t.message(m).map_or(0, |msg| msg.flags);
    let c = if flags & message_flags::FOREIGN != 0 {
        theme::FAULT
    } else if flags & message_flags::STALE != 0 {
        theme::STALE
    } else {
        return normal;
    };
    theme::readable(c, bg)
}

/// Everything hovering a message says about it.
pub fn hover_text(t: &Trace, m: u32) -> String {
    let Some(msg) = t.message(m) else {
        return String::new();
    };
    let fate = match msg.fate() {
        Fate::InFlight => "in flight".to_string(),
        Fate::Delivered => "delivered".to_string(),
        Fate::Dropped => {
            let reason = t.drop_reason(m).map_or("dropped", DropReason::text);
            format!("dropped ({reason})")
        }
    };
    let mut lines = vec![
        label(t, m),
        format!("{} → {}", t.node_label(t.sender(msg)), t.node_label(msg.to)),
        format!(
            "sent {} · arrives {}",
            fmt_time(t.sent_at(msg)),
            fmt_time(msg.at())
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
    if ignored_duplicate(t, m) {
        lines.push("the receiver had applied it already and ignored it".into());
    }
    lines.join("\n")
}

fn ignored_duplicate(t: &Trace, m: u32) -> bool {
    let Some(msg) = t.message(m) else {
        return false;
    };
    let first = t.first_step_at(msg.at());
    t.steps
        .iter_from(first)
        .take(10_000)
        .find(|s| s.kind == StepKind::Deliver && s.id == m)
        .is_some_and(|s| s.flags & deliver_flags::DUPLICATE_IGNORED != 0)
}
