//! The event log: every step up to the moment shown, newest last,
//! filterable by node and kind. Rows are drawn only where visible; a
//! filter's matches are kept and extended as the run grows.

use egui::RichText;

use super::theme;
use super::view::View;
use crate::model::body_label;
use crate::model::deliver_flags;
use crate::scenario::fmt_time;
use crate::session::{Cmd, Selection};
use crate::trace::{DropReason, StepKind, Trace};

const KINDS: [(StepKind, &str); 6] = [
    (StepKind::Deliver, "deliveries"),
    (StepKind::Drop, "drops"),
    (StepKind::Work, "requests"),
    (StepKind::Timer, "timers"),
    (StepKind::Fault, "faults"),
    (StepKind::Mark, "narration"),
];

pub struct LogState {
    node: Option<u16>,
    kinds: [bool; 6],
    /// Matching step indices, and how many steps were scanned for them.
    matches: Vec<u32>,
    scanned: usize,
    key: (Option<u16>, [bool; 6]),
    /// The selected message the log last scrolled to.
    scrolled_to: Option<u32>,
}

impl Default for LogState {
    fn default() -> Self {
        LogState {
            node: None,
            kinds: [true, true, true, false, true, true],
            matches: Vec::new(),
            scanned: 0,
            key: (None, [false; 6]),
            scrolled_to: None,
        }
    }
}

impl LogState {
    fn refresh(&mut self, t: &Trace) {
        if self.key != (self.node, self.kinds) {
            self.key = (self.node, self.kinds);
            self.matches.clear();
            self.scanned = 0;
        }
        for (i, s) in t.steps.iter_from(self.scanned).enumerate() {
            let kind_on = KINDS
                .iter()
                .zip(self.kinds)
                .any(|((k, _), on)| on && *k == s.kind);
            let node_on = self.node.is_none_or(|n| {
                n == s.node
                    || (matches!(s.kind, StepKind::Deliver | StepKind::Drop)
                        && t.message(s.id).is_some_and(|m| t.sender(m) == n))
            });
            if kind_on && node_on {
                self.matches.push((self.scanned + i) as u32);
            }
        }
        self.scanned = t.steps.len();
    }
}

/// One line of the log for step `i`.
pub fn describe(t: &Trace, i: usize) -> (String, egui::Color32) {
    let Some(s) = t.step(i) else {
        return (String::new(), egui::Color32::GRAY);
    };
    let node = t.node_label(s.node);
    match s.kind {
        StepKind::Deliver | StepKind::Drop => {
            let Some(m) = t.message(s.id) else {
                return (String::new(), egui::Color32::GRAY);
            };
            let body = t.body(m.body);
            let label = body.map(|b| body_label(&t.names, b)).unwrap_or_default();
            let kind = body.map_or("", |b| b.kind());
            if s.kind == StepKind::Drop {
                let why = DropReason::from_flags(s.flags).text();
                (
                    format!(
                        "✖ {} → {node}  {label}  (dropped: {why})",
                        t.node_label(t.sender(m))
                    ),
                    theme::FAULT,
                )
            } else {
                let mut text = format!("{} → {node}  {label}", t.node_label(t.sender(m)));
                if s.flags & deliver_flags::DUPLICATE_IGNORED != 0 {
                    text.push_str("  (duplicate, ignored)");
                }
                if s.flags & deliver_flags::OLDER_IGNORED != 0 {
                    text.push_str("  (older version, ignored)");
                }
                if s.flags & deliver_flags::WAITS_FOR_LOCK != 0 {
                    text.push_str("  (waits: the record is locked by a prepared transaction)");
                }
                if s.flags & deliver_flags::LOST_UPDATE != 0 {
                    text.push_str("  (lost update: overwrote a version its writer never read)");
                }
                if s.flags & deliver_flags::VERSION_CONFLICT != 0 {
                    text.push_str("  (version conflict: refused)");
                }
                if s.flags & deliver_flags::REJECTED != 0 {
                    text.push_str("  (poison: cannot handle it, rejected)");
                }
                if s.flags & deliver_flags::DEAD_LETTERED != 0 {
                    text.push_str("  (last attempt: moved to the dead-letter queue)");
                }
                (text, theme::message_color(kind))
            }
        }
        StepKind::Work => (format!("{node} fires a request"), theme::NARRATION),
        StepKind::Timer => {
            if let Some(b) = crate::trace::query::handled_event(t, s)
                && let Some(body) = t.body(b)
            {
                let text = format!(
                    "{node} handles {}",
                    crate::model::body_label(&t.names, body)
                );
                return (text, egui::Color32::GRAY);
            }
            if let Some(text) = crate::trace::query::timeout_said(t, i) {
                return (format!("? {text}"), theme::UNKNOWN);
            }
            (format!("{node}: timer"), egui::Color32::GRAY)
        }
        StepKind::Fault => {
            let text = t
                .faults
                .get(s.id as usize)
                .map(|f| crate::trace::export::fault_said(t, &f.fault))
                .unwrap_or_default();
            (format!("⚡ {text}"), theme::FAULT)
        }
        StepKind::Mark => (
            format!(
                "narration {}",
                t.timed.get(s.id as usize).map_or(0, |w| w.a) + 1
            ),
            theme::NARRATION,
        ),
        StepKind::Initial => (
            format!(
                "{node} starts with {} row(s) (data it held before the run)",
                t.changes_of_step(i as u32)
            ),
            theme::NARRATION,
        ),
    }
}

pub fn ui(ui: &mut egui::Ui, st: &mut LogState, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.weak("The log fills once the scenario can run.");
        return;
    };
    let t = p.trace();
    ui.horizontal_wrapped(|ui| {
        let current = st
            .node
            .map_or("all nodes".to_string(), |n| t.node_label(n).to_string());
        egui::ComboBox::from_id_salt("log-node")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut st.node, None, "all nodes");
                for (i, n) in t.nodes.iter().enumerate() {
                    ui.selectable_value(&mut st.node, Some(i as u16), &n.label);
                }
            });
        for (k, (_, word)) in KINDS.iter().enumerate() {
            ui.checkbox(&mut st.kinds[k], *word);
        }
    });
    st.refresh(t);
    let upto = p.upto() as u32;
    let visible = st.matches.partition_point(|&i| i < upto);
    let row_h = 20.0;
    // A newly selected message scrolls its row into the middle of the view.
    let target = view
        .selection
        .message
        .filter(|&m| st.scrolled_to != Some(m))
        .and_then(|m| {
            st.matches[..visible].iter().position(|&i| {
                t.step(i as usize).is_some_and(|s| {
                    matches!(s.kind, StepKind::Deliver | StepKind::Drop) && s.id == m
                })
            })
        });
    if target.is_some() || view.selection.message.is_none() {
        st.scrolled_to = view.selection.message;
    }
    // Both ways: a line is never cut short (a drop's reason, a dead
    // letter's last attempt come at its end), it scrolls sideways instead.
    let mut area = egui::ScrollArea::both()
        .id_salt("log")
        .auto_shrink([false, false])
        .stick_to_bottom(target.is_none());
    if let Some(row) = target {
        let pitch = row_h + ui.spacing().item_spacing.y;
        let offset = row as f32 * pitch - ui.available_height() / 2.0;
        area = area.vertical_scroll_offset(offset.max(0.0));
    }
    area.show_rows(ui, row_h, visible, |ui, range| {
        for &i in &st.matches[range] {
            let i = i as usize;
            let (text, color) = describe(t, i);
            ui.horizontal(|ui| {
                ui.label(RichText::new(fmt_time(t.step_time(i))).monospace().weak());
                let selected = t.step(i).is_some_and(|s| {
                    matches!(s.kind, StepKind::Deliver | StepKind::Drop)
                        && view.selection.message == Some(s.id)
                });
                let r = ui.selectable_label(selected, RichText::new(text).color(color));
                if r.clicked()
                    && let Some(s) = t.step(i)
                {
                    match s.kind {
                        StepKind::Deliver | StepKind::Drop => {
                            cmds.push(Cmd::SelectMessage(Some(s.id)))
                        }
                        _ => cmds.push(Cmd::Select(Selection::node(t.node_id(s.node)))),
                    }
                }
            });
        }
    });
}
