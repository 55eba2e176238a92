//! The challenge card, docked above the canvas while a challenge is open:
//! the task, the goal's checks (each passed or failed after "Check my
//! design", with a jump to the moment that shows it), hints one at a time,
//! and the way back to the lesson; when the checks pass but a short search
//! finds a run that breaks the design, that run, with a button to open it.
//! When a lesson with challenges is done,
//! the same place offers them.

use egui::{Frame, RichText, Ui};

use super::glossary;
use super::theme;
use super::view::View;
use crate::model::fmt_time;
use crate::session::challenge::{Active, Broken, ChallengeCmd};
use crate::session::presets::PRESETS;
use crate::session::{Cmd, Session};

/// Type sizes: normal, and for the back row.
fn sizes(presenting: bool) -> (f32, f32) {
    if presenting {
        (22.0, 18.0)
    } else {
        (15.0, 13.5)
    }
}

/// The card or the offer, as a panel at the top of `ui`; nothing when
/// neither applies.
pub fn panel(ui: &mut Ui, view: &View, session: &Session, cmds: &mut Vec<Cmd>) {
    if let Some(a) = session.challenge() {
        egui::Panel::top("challenge-card")
            .resizable(false)
            .frame(Frame::side_top_panel(ui.style()).inner_margin(10.0))
            .show(ui, |ui| card(ui, view, session, a, cmds));
        return;
    }
    let Some(lesson) = session
        .lesson_id()
        .and_then(|id| PRESETS.iter().position(|p| p.file == id))
    else {
        return;
    };
    let done = session
        .lesson_id()
        .and_then(|id| session.progress.lessons.get(id))
        .is_some_and(|l| l.done);
    if done && !view.scenario.challenges.is_empty() {
        egui::Panel::top("challenge-offer")
            .resizable(false)
            .show(ui, |ui| offer(ui, view, session, lesson, cmds));
    }
}

/// "Lesson done: now fix it yourself", with a button per challenge.
fn offer(ui: &mut Ui, view: &View, session: &Session, lesson: usize, cmds: &mut Vec<Cmd>) {
    let (_, small) = sizes(view.presenting);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Lesson done. Now fix it yourself:")
                .size(small)
                .color(theme::ink(ui, theme::NARRATION))
                .strong(),
        );
        for (index, c) in view.scenario.challenges.iter().enumerate() {
            let solved = session.progress.challenges.contains(&c.title);
            let text = format!("Challenge: {}{}", c.title, if solved { " ✔" } else { "" });
            if ui
                .button(RichText::new(text).size(small))
                .on_hover_text(&c.task)
                .clicked()
            {
                cmds.push(Cmd::OpenChallenge { lesson, index });
            }
        }
    });
}

fn card(ui: &mut Ui, view: &View, session: &Session, a: &Active, cmds: &mut Vec<Cmd>) {
    let (size, small) = sizes(view.presenting);
    let c = &a.challenge;
    let solved = session.progress.challenges.contains(&c.title);
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Challenge")
                .size(small)
                .color(theme::ink(ui, theme::NARRATION))
                .strong(),
        );
        ui.label(RichText::new(&c.title).size(size).strong());
        if solved {
            ui.label(
                RichText::new("✔ Solved")
                    .size(small)
                    .color(theme::ink(ui, theme::AGREES))
                    .strong(),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(RichText::new("Back to the lesson").size(small))
                .on_hover_text("Open the lesson this challenge comes with")
                .clicked()
            {
                cmds.push(Cmd::OpenPreset(a.lesson));
            }
        });
    });
    glossary::text(ui, &c.task, size);
    ui.add_space(4.0);
    goal(ui, view, session, a, small, cmds);
    ui.horizontal_wrapped(|ui| {
        if ui
            .add(egui::Button::new(
                RichText::new("Check my design").size(small).strong(),
            ))
            .on_hover_text("Run the drawing to its end and check the goal")
            .clicked()
        {
            cmds.push(Cmd::Challenge(ChallengeCmd::Check));
        }
        let more = a.hints < c.hints.len();
        let hint = format!(
            "Hint ({} of {})",
            (a.hints + 1).min(c.hints.len()),
            c.hints.len()
        );
        if !c.hints.is_empty()
            && ui
                .add_enabled(more, egui::Button::new(RichText::new(hint).size(small)))
                .on_hover_text("Show the next hint")
                .on_disabled_hover_text("Every hint is shown")
                .clicked()
        {
            cmds.push(Cmd::Challenge(ChallengeCmd::Hint));
        }
    });
    for (k, h) in c.hints.iter().take(a.hints).enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!("Hint {}:", k + 1))
                    .size(small)
                    .strong(),
            );
            glossary::text_about(ui, h, &c.task, small);
        });
    }
}

/// The goal's checks, with the last verdict when there is one.
fn goal(ui: &mut Ui, view: &View, session: &Session, a: &Active, size: f32, cmds: &mut Vec<Cmd>) {
    ui.label(RichText::new("Goal").size(size).strong());
    let checked = a.checked.as_ref();
    if let Some(ch) = checked {
        if ch.revision != session.doc.revision {
            ui.weak(
                RichText::new("You changed the drawing since the last check: check again.")
                    .size(size),
            );
        }
        if let Err(why) = &ch.outcomes {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    theme::ink(ui, theme::STALE),
                    RichText::new("⚠ The drawing cannot run:").size(size),
                );
                ui.label(RichText::new(why).size(size));
            });
        }
    }
    let outcomes = checked.and_then(|c| c.outcomes.as_ref().ok());
    for (k, what) in a.goal.iter().enumerate() {
        let o = outcomes.and_then(|o| o.get(k));
        ui.horizontal_wrapped(|ui| {
            let (mark, color) = match o {
                None => ("○", ui.visuals().weak_text_color()),
                Some(o) if o.passed => ("✔", theme::ink(ui, theme::AGREES)),
                Some(_) => ("✖", theme::ink(ui, theme::FAULT)),
            };
            ui.label(RichText::new(mark).size(size).color(color).strong());
            ui.label(RichText::new(o.map_or(what.as_str(), |o| o.what.as_str())).size(size));
            if let Some(o) = o {
                ui.weak(RichText::new(format!("— {}", o.why)).size(size * 0.92));
                if let Some(t) = o.at.filter(|_| !o.passed && view.player.is_some())
                    && ui
                        .small_button(
                            RichText::new(format!("Show at {}", fmt_time(t))).size(size * 0.92),
                        )
                        .on_hover_text("Pause the run at the moment this check failed")
                        .clicked()
                {
                    cmds.push(Cmd::Pause);
                    cmds.push(Cmd::Seek(t as f64));
                }
            }
        });
    }
    if checked.is_some_and(|c| c.passed() && c.revision == session.doc.revision) {
        ui.label(
            RichText::new("✔ Every check passes: the goal is met.")
                .size(size)
                .color(theme::ink(ui, theme::AGREES))
                .strong(),
        );
    }
    if let Some(b) = checked
        .filter(|c| c.revision == session.doc.revision)
        .and_then(|c| c.broken.as_ref())
    {
        broken(ui, b, size, cmds);
    }
}

/// A run the short search found that breaks a design whose checks pass
/// on the lesson's own run: what happened, and a button to open it.
pub fn broken(ui: &mut Ui, b: &Broken, size: f32, cmds: &mut Vec<Cmd>) {
    ui.label(
        RichText::new(format!("⚠ A search found a run that fails {}:", b.name))
            .size(size)
            .color(theme::ink(ui, theme::FAULT))
            .strong(),
    );
    for line in &b.said {
        ui.label(RichText::new(format!("• {line}")).size(size * 0.92));
    }
    if ui
        .button(RichText::new("Open that run").size(size))
        .on_hover_text(format!(
            "Open the run the search found as a new, unsaved drawing, paused at {}",
            fmt_time(b.at)
        ))
        .clicked()
    {
        cmds.push(Cmd::Challenge(ChallengeCmd::OpenRun {
            scenario: b.scenario.clone(),
            at: b.at,
        }));
    }
}
