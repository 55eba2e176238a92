//! The lesson player: the scenario's narration step for the moment shown,
//! as a caption card with Back and Next, the chapter list of all steps, and
//! the prediction a step asks for. Back rewinds the run to the previous
//! step's moment; Next runs on to the next one; the answer to a prediction
//! is revealed once the learner has run past it.

use egui::{Align2, Frame, Rect, RichText, vec2};

use super::theme;
use super::view::View;
use crate::scenario::{Trigger, fmt_time};
use crate::session::Cmd;

/// Whether the step list is open. Reset when another scenario opens.
#[derive(Default)]
pub struct LessonState {
    pub show_steps: bool,
}

fn trigger_text(t: &Trigger) -> String {
    match t {
        Trigger::Crash(n) => format!("when {n} crashes"),
        Trigger::Restart(n) => format!("when {n} restarts"),
        Trigger::Partition => "when a link is cut".into(),
        Trigger::Heal => "when a link heals".into(),
        Trigger::FirstDrop => "at the first lost message".into(),
        Trigger::FirstDuplicateIgnored => "at the first duplicate".into(),
        Trigger::FirstStaleRead => "at the first stale read".into(),
        Trigger::FirstAnswer(n) => format!("when {n} gets an answer"),
    }
}

pub fn ui(ui: &mut egui::Ui, canvas: Rect, view: &View, st: &mut LessonState, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else { return };
    let steps = &view.scenario.narration;
    if steps.is_empty() {
        return;
    }
    let now = p.now();
    let shown: Vec<(u64, usize)> = p
        .marks()
        .iter()
        .copied()
        .filter(|(t, _)| *t <= now)
        .collect();
    let current = shown.last().copied();
    let width = (canvas.width() * 0.62).clamp(320.0, 900.0);
    egui::Area::new(egui::Id::unique("narration-card"))
        // Under windows and dialogs, over the canvas.
        .order(egui::Order::Middle)
        .pivot(Align2::CENTER_BOTTOM)
        .fixed_pos(canvas.center_bottom() - vec2(0.0, 12.0))
        .show(ui.ctx(), |ui| {
            Frame::popup(ui.style()).inner_margin(12.0).show(ui, |ui| {
                ui.set_width(width);
                ui.horizontal(|ui| {
                    let label = format!("Step {} of {}", shown.len(), steps.len());
                    if ui
                        .selectable_label(
                            st.show_steps,
                            RichText::new(label)
                                .color(theme::ink(ui, theme::NARRATION))
                                .strong(),
                        )
                        .on_hover_text("All the steps of this lesson")
                        .clicked()
                    {
                        st.show_steps = !st.show_steps;
                    }
                    if let Some((t, _)) = current {
                        ui.weak(fmt_time(t));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let done = p.at_end()
                            || (shown.len() == steps.len()
                                && !p.marks().iter().any(|(t, _)| *t > now));
                        if ui
                            .add_enabled(!p.at_end(), egui::Button::new("Next ▶"))
                            .on_hover_text("Run on to the next step")
                            .clicked()
                        {
                            cmds.push(Cmd::NarrationNext);
                        }
                        if ui
                            .add_enabled(current.is_some(), egui::Button::new("◀ Back"))
                            .on_hover_text("Rewind to the previous step")
                            .clicked()
                        {
                            cmds.push(Cmd::NarrationBack);
                        }
                        if done && shown.len() == steps.len() {
                            ui.weak("Lesson done: change anything and play on.");
                        }
                    });
                });
                let step = current.and_then(|(_, n)| steps.get(n).map(|s| (n, s)));
                match step {
                    Some((n, step)) => {
                        ui.label(RichText::new(&step.text).size(if view.presenting {
                            17.0
                        } else {
                            15.0
                        }));
                        if let Some(ask) = &step.ask {
                            ui.add_space(4.0);
                            match view.guesses.get(&n).copied() {
                                None => {
                                    ui.horizontal_wrapped(|ui| {
                                        ui.label(RichText::new("Your guess:").strong());
                                        for (i, c) in ask.choices.iter().enumerate() {
                                            if ui.button(c).clicked() {
                                                cmds.push(Cmd::Guess { step: n, choice: i });
                                            }
                                        }
                                    });
                                }
                                Some(g) => {
                                    let pick = ask.choices.get(g).map_or("", String::as_str);
                                    ui.label(format!("You guessed: {pick}. Press Next and watch."));
                                }
                            }
                        }
                    }
                    None => {
                        ui.label(
                            RichText::new(format!(
                                "{} — press Play or Next to begin.",
                                view.scenario.summary
                            ))
                            .size(15.0),
                        );
                    }
                }
                // Answers to predictions the learner has run past.
                for &(t, n) in &shown {
                    let Some(ask) = steps.get(n).and_then(|s| s.ask.as_ref()) else {
                        continue;
                    };
                    if t >= now || current.is_some_and(|(_, c)| c == n) {
                        continue;
                    }
                    let right = ask.choices.get(ask.answer).map_or("", String::as_str);
                    let verdict = match view.guesses.get(&n) {
                        Some(&g) if g == ask.answer => ("✔ You predicted it:", theme::AGREES),
                        Some(_) => ("✖ Not quite — it was:", theme::STALE),
                        None => ("The answer:", theme::NARRATION),
                    };
                    ui.horizontal_wrapped(|ui| {
                        ui.colored_label(theme::ink(ui, verdict.1), verdict.0);
                        ui.label(RichText::new(right).strong());
                        if !ask.explain.is_empty() {
                            ui.label(&ask.explain);
                        }
                    });
                }
                if st.show_steps {
                    ui.separator();
                    for (i, s) in steps.iter().enumerate() {
                        let reached = p.marks().iter().find(|(_, n)| *n == i).map(|(t, _)| *t);
                        let when = match (reached, s.at, &s.when) {
                            (Some(t), _, _) => fmt_time(t),
                            (None, Some(at), _) => fmt_time(at.0),
                            (None, None, Some(w)) => trigger_text(w),
                            (None, None, None) => String::new(),
                        };
                        let mut text: String = s.text.chars().take(90).collect();
                        if s.text.chars().count() > 90 {
                            text.push('…');
                        }
                        let is_current = current.is_some_and(|(_, c)| c == i);
                        ui.horizontal(|ui| {
                            ui.weak(format!("{:>2}  {when:>8}", i + 1));
                            let target = reached.or(s.at.map(|a| a.0));
                            let r = ui.add_enabled(
                                target.is_some(),
                                egui::Button::selectable(is_current, text),
                            );
                            if r.clicked()
                                && let Some(t) = target
                            {
                                cmds.push(Cmd::Pause);
                                cmds.push(Cmd::Seek(t as f64));
                            }
                        });
                    }
                }
            });
        });
}
