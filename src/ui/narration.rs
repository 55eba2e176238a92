//! The lesson card, docked above the canvas so it never covers the drawing:
//! the narration step for the moment shown, Back and Next (which plays the
//! run to the next step), the question a step asks, and its answer once
//! the run has shown it. The step list opens from the card's header.

use egui::{Frame, RichText, Ui};

use super::theme;
use super::view::View;
use crate::model::fmt_time;
use crate::scenario::{Ask, Reading, Trigger};
use crate::session::Cmd;
use crate::session::lesson::Guess;

/// Whether the step list is open. Reset when another scenario opens.
#[derive(Default)]
pub struct LessonState {
    pub show_steps: bool,
}

/// Type sizes of the card: normal, and for the back row.
fn sizes(presenting: bool) -> (f32, f32) {
    if presenting {
        (24.0, 20.0)
    } else {
        (16.0, 14.0)
    }
}

fn trigger_text(view: &View, t: &Trigger) -> String {
    match t {
        Trigger::Crash(n) => format!("when {} crashes", view.label(n)),
        Trigger::Restart(n) => format!("when {} restarts", view.label(n)),
        Trigger::Partition => "when a link is cut".into(),
        Trigger::Heal => "when a link heals".into(),
        Trigger::FirstDrop => "at the first lost message".into(),
        Trigger::FirstDuplicateIgnored => "at the first duplicate".into(),
        Trigger::FirstStaleRead => "at the first stale read".into(),
        Trigger::FirstAnswer(n) => format!("when {} gets an answer", view.label(n)),
    }
}

/// The card, as a panel at the top of `ui`; nothing when the drawing has
/// no narration.
pub fn panel(ui: &mut Ui, view: &View, st: &mut LessonState, cmds: &mut Vec<Cmd>) {
    if view.player.is_none() || view.scenario.narration.is_empty() {
        return;
    }
    egui::Panel::top("lesson-card")
        .resizable(false)
        .frame(Frame::side_top_panel(ui.style()).inner_margin(10.0))
        .show(ui, |ui| card(ui, view, st, cmds));
}

fn card(ui: &mut Ui, view: &View, st: &mut LessonState, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else { return };
    super::regions::anchor(ui, super::regions::Region::Card, ui.max_rect());
    let steps = &view.scenario.narration;
    let (text_size, small) = sizes(view.presenting);
    let now = p.now();
    let shown: Vec<(u64, usize)> = p
        .marks()
        .iter()
        .copied()
        .filter(|(t, _)| *t <= now)
        .collect();
    let current = shown.last().copied();
    let step = current.and_then(|(_, n)| steps.get(n).map(|s| (n, s)));
    let waiting = step.is_some_and(|(n, _)| view.lesson.blocks(view.scenario, n));
    ui.horizontal(|ui| {
        let label = format!("Step {} of {}", shown.len(), steps.len());
        if ui
            .selectable_label(
                st.show_steps,
                RichText::new(label)
                    .size(small)
                    .color(theme::ink(ui, theme::NARRATION))
                    .strong(),
            )
            .on_hover_text("All the steps of this lesson")
            .clicked()
        {
            st.show_steps = !st.show_steps;
        }
        if let Some((t, _)) = current {
            ui.weak(RichText::new(fmt_time(t)).size(small));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let next = egui::Button::new(RichText::new("Next ▶").size(small).strong());
            let tip = if waiting {
                "Answer the question (or skip it) first"
            } else {
                "Play the run to the next step"
            };
            if ui
                .add_enabled(!p.at_end() && !waiting, next)
                .on_hover_text(tip)
                .on_disabled_hover_text(tip)
                .clicked()
            {
                cmds.push(Cmd::NarrationNext);
            }
            if ui
                .add_enabled(
                    current.is_some(),
                    egui::Button::new(RichText::new("◀ Back").size(small)),
                )
                .on_hover_text("Rewind to the previous step")
                .clicked()
            {
                cmds.push(Cmd::NarrationBack);
            }
            if shown.len() == steps.len() && !p.marks().iter().any(|(t, _)| *t > now) {
                ui.weak(RichText::new("Lesson done: change anything and play on.").size(small));
            }
        });
    });
    // What the lesson is about, for words with two senses.
    let about = format!("{} {}", view.scenario.title, view.scenario.summary);
    match step {
        Some((n, s)) => {
            step_text(ui, &s.text, &about, text_size);
            if let Some(ask) = &s.ask {
                question(ui, view, n, ask, text_size, cmds);
            }
        }
        None => {
            step_text(
                ui,
                &format!("{} Press Next to begin.", view.scenario.summary),
                &about,
                text_size,
            );
        }
    }
    if shown.len() == steps.len() {
        further_reading(ui, &view.scenario.further_reading, small);
    }
    // Answers to earlier questions the run has since shown.
    for &(_, n) in shown.iter().rev().skip(1) {
        if let Some(ask) = steps.get(n).and_then(|s| s.ask.as_ref())
            && view.lesson.revealed(n, now)
        {
            answer(ui, view, n, ask, small);
        }
    }
    if st.show_steps {
        step_list(ui, view, current.map(|c| c.1), small, cmds);
    }
}

/// Once every step has been reached: where to read more on what the
/// lesson showed, one wrapped line of links that open in the browser.
/// Each link is named by its title for screen readers.
fn further_reading(ui: &mut Ui, list: &[Reading], size: f32) {
    if list.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Further reading:")
                .size(size)
                .color(theme::ink(ui, theme::NARRATION))
                .strong(),
        );
        for (i, r) in list.iter().enumerate() {
            if i > 0 {
                ui.weak(RichText::new("·").size(size));
            }
            ui.hyperlink_to(RichText::new(&r.title).size(size), &r.url)
                .on_hover_text(&r.url);
        }
    });
}

/// A step's words, announced to screen readers when the step changes.
pub fn step_text(ui: &mut Ui, text: &str, about: &str, size: f32) {
    let r = super::glossary::text_about(ui, text, about, size);
    ui.ctx().accesskit_node_builder(r.id, |node| {
        node.set_live(egui::accesskit::Live::Polite);
    });
}

/// The question of step `n`: the choices until the learner picks or skips,
/// then what they picked, and the answer once the run has shown it.
fn question(ui: &mut Ui, view: &View, n: usize, ask: &Ask, size: f32, cmds: &mut Vec<Cmd>) {
    let now = view.now();
    ui.add_space(4.0);
    match view.lesson.guesses.get(&n) {
        None => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Your guess:").size(size * 0.8).strong());
                for (i, c) in ask.choices.iter().enumerate() {
                    if ui.button(RichText::new(c).size(size * 0.8)).clicked() {
                        cmds.push(Cmd::Guess { step: n, choice: i });
                    }
                }
                if ui
                    .button(RichText::new("Skip — just show me").size(size * 0.7))
                    .clicked()
                {
                    cmds.push(Cmd::Skip { step: n });
                }
            });
        }
        Some(g) if !view.lesson.revealed(n, now) => {
            let said = match g {
                Guess::Choice(c) => format!(
                    "You guessed: {}. Press Next and watch.",
                    ask.choices.get(*c).map_or("", String::as_str)
                ),
                Guess::Skipped => "Press Next and watch.".to_string(),
            };
            ui.label(RichText::new(said).size(size * 0.8));
        }
        Some(_) => answer(ui, view, n, ask, size * 0.8),
    }
}

fn answer(ui: &mut Ui, view: &View, n: usize, ask: &Ask, size: f32) {
    let right = ask.choices.get(ask.answer).map_or("", String::as_str);
    let (mark, color) = match view.lesson.guesses.get(&n) {
        Some(Guess::Choice(g)) if *g == ask.answer => ("✔ You predicted it:", theme::AGREES),
        Some(Guess::Choice(_)) => ("✖ Not quite — it was:", theme::STALE),
        _ => ("The answer:", theme::NARRATION),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(mark)
                .size(size)
                .color(theme::ink(ui, color))
                .strong(),
        );
        ui.label(RichText::new(right).size(size).strong());
        if !ask.explain.is_empty() {
            ui.label(RichText::new(&ask.explain).size(size));
        }
    });
}

fn step_list(ui: &mut Ui, view: &View, current: Option<usize>, size: f32, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else { return };
    ui.separator();
    // Opened, the list shows several steps at once (a scroll area left to
    // itself opens only as tall as the card was).
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .min_scrolled_height(160.0)
        .show(ui, |ui| {
            for (i, s) in view.scenario.narration.iter().enumerate() {
                let reached = p.marks().iter().find(|(_, n)| *n == i).map(|(t, _)| *t);
                let when = match (reached, s.at, &s.when) {
                    (Some(t), _, _) => fmt_time(t),
                    (None, Some(at), _) => fmt_time(at.0),
                    (None, None, Some(w)) => trigger_text(view, w),
                    (None, None, None) => String::new(),
                };
                let mut text: String = s.text.chars().take(90).collect();
                if s.text.chars().count() > 90 {
                    text.push('…');
                }
                ui.horizontal(|ui| {
                    ui.weak(RichText::new(format!("{:>2}  {when:>8}", i + 1)).size(size));
                    let target = reached.or(s.at.map(|a| a.0));
                    let r = ui.add_enabled(
                        target.is_some(),
                        egui::Button::selectable(
                            current == Some(i),
                            RichText::new(text).size(size),
                        ),
                    );
                    if r.clicked()
                        && let Some(t) = target
                    {
                        cmds.push(Cmd::Pause);
                        cmds.push(Cmd::Seek(t as f64));
                    }
                });
            }
        });
}
