//! The course quiz view: one question at a time, the learner's pick marked
//! right or wrong with the explanation, "Show me" into the lesson that
//! demonstrates it, a row of numbered questions to move between, and the
//! score once every question is answered. In the editor, a strip offers
//! the way back to the question the learner left from.

use egui::{RichText, Ui, vec2};

use super::glossary;
use super::theme;
use crate::model::fmt_time;
use crate::scenario::Quiz;
use crate::session::quiz::{self, QuizCmd, QuizRun};
use crate::session::{Cmd, Session};

/// Type sizes: text and the smaller lines, bigger for the back row.
fn sizes(presenting: bool) -> (f32, f32) {
    if presenting {
        (26.0, 20.0)
    } else {
        (19.0, 15.0)
    }
}

/// The quiz, filling the window.
pub fn ui(ui: &mut Ui, session: &Session, presenting: bool, cmds: &mut Vec<Cmd>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            let width = ui
                .available_width()
                .min(if presenting { 1200.0 } else { 860.0 });
            ui.vertical_centered(|ui| {
                ui.set_max_width(width);
                ui.with_layout(
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| match quiz::load() {
                        Ok(q) => body(ui, q, &session.quiz, session, presenting, cmds),
                        Err(e) => {
                            ui.colored_label(theme::ink(ui, theme::FAULT), e.to_string());
                        }
                    },
                );
            });
        });
    });
}

fn body(
    ui: &mut Ui,
    q: &Quiz,
    run: &QuizRun,
    session: &Session,
    presenting: bool,
    cmds: &mut Vec<Cmd>,
) {
    let (size, small) = sizes(presenting);
    let n = q.questions.len();
    ui.add_space(16.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(&q.title).size(size * 1.6).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(RichText::new("Back to the lessons").size(small))
                .clicked()
            {
                cmds.push(Cmd::Quiz(QuizCmd::Close));
                cmds.push(Cmd::Welcome);
            }
            // Large type for the back row, as in the editor.
            let present = if presenting {
                "Exit presentation"
            } else {
                "Present"
            };
            if ui
                .button(RichText::new(present).size(small))
                .on_hover_text("Large type for a projector")
                .clicked()
            {
                cmds.push(Cmd::View(crate::session::ViewCmd::TogglePresentation));
            }
        });
    });
    if !q.intro.is_empty() {
        ui.label(RichText::new(&q.intro).size(small).weak());
    }
    ui.add_space(10.0);
    if run.finished(q) {
        score(ui, q, run, session, size, cmds);
    }
    navigator(ui, q, run, small, cmds);
    ui.add_space(12.0);
    let i = run.current.min(n.saturating_sub(1));
    let Some(question) = q.questions.get(i) else {
        return;
    };
    ui.label(
        RichText::new(format!("Question {} of {n}", i + 1))
            .size(small)
            .color(theme::ink(ui, theme::NARRATION))
            .strong(),
    );
    // The question as a whole says which sense a shared word has.
    let about = format!("{} {}", question.ask, question.explain);
    glossary::text_about(ui, &question.ask, &about, size);
    ui.add_space(8.0);
    let picked = run.picks.get(&i).copied();
    for (k, choice) in question.choices.iter().enumerate() {
        let (mark, color) = match picked {
            Some(_) if k == question.answer => ("✔ ", Some(theme::AGREES)),
            Some(p) if p == k => ("✖ ", Some(theme::FAULT)),
            _ => ("", None),
        };
        let mut text = RichText::new(format!("{mark}{choice}")).size(small * 1.05);
        if let Some(c) = color {
            text = text.color(theme::ink(ui, c)).strong();
        }
        let button = egui::Button::new(text).min_size(vec2(ui.available_width(), small * 2.4));
        if ui.add_enabled(picked.is_none(), button).clicked() {
            cmds.push(Cmd::Quiz(QuizCmd::Pick {
                question: i,
                choice: k,
            }));
        }
    }
    let Some(p) = picked else {
        return;
    };
    ui.add_space(8.0);
    let (verdict, color) = if p == question.answer {
        ("Right.", theme::AGREES)
    } else {
        ("Not quite.", theme::STALE)
    };
    ui.label(
        RichText::new(verdict)
            .size(size)
            .color(theme::ink(ui, color))
            .strong(),
    );
    glossary::text_about(ui, &question.explain, &about, small * 1.05);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let show = &question.show_me;
        if let Some(lesson) = crate::session::presets::index_of(&show.lesson) {
            let title = crate::session::presets::PRESETS
                .get(lesson)
                .and_then(|p| p.load().ok())
                .map_or_else(|| show.lesson.clone(), |s| s.title);
            if ui
                .button(RichText::new(format!("Show me ▶ {title}")).size(small))
                .on_hover_text(format!(
                    "Open the lesson at {}, paused, where it shows this",
                    fmt_time(show.at.0)
                ))
                .clicked()
            {
                cmds.push(Cmd::Quiz(QuizCmd::Leave { question: i }));
                cmds.push(Cmd::ShowMe {
                    lesson,
                    at: show.at.0,
                });
            }
        }
        if i + 1 < n
            && ui
                .button(RichText::new("Next question ▶").size(small).strong())
                .clicked()
        {
            cmds.push(Cmd::Quiz(QuizCmd::Go(i + 1)));
        }
    });
}

/// One numbered button per question, coloured by how it went.
fn navigator(ui: &mut Ui, q: &Quiz, run: &QuizRun, size: f32, cmds: &mut Vec<Cmd>) {
    ui.horizontal_wrapped(|ui| {
        for (k, question) in q.questions.iter().enumerate() {
            let text = RichText::new(format!("{}", k + 1)).size(size);
            let text = match run.picks.get(&k) {
                Some(p) if *p == question.answer => text.color(theme::ink(ui, theme::AGREES)),
                Some(_) => text.color(theme::ink(ui, theme::STALE)),
                None => text,
            };
            let state = match run.picks.get(&k) {
                Some(p) if *p == question.answer => "right",
                Some(_) => "wrong",
                None => "not answered",
            };
            if ui
                .add(egui::Button::selectable(run.current == k, text))
                .on_hover_text(format!("Question {}: {state}", k + 1))
                .clicked()
            {
                cmds.push(Cmd::Quiz(QuizCmd::Go(k)));
            }
        }
    });
}

fn score(ui: &mut Ui, q: &Quiz, run: &QuizRun, session: &Session, size: f32, cmds: &mut Vec<Cmd>) {
    let (right, _) = run.score(q);
    let n = q.questions.len();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("Your score: {right} of {n}"))
                .size(size * 1.2)
                .color(theme::ink(ui, theme::NARRATION))
                .strong(),
        );
        if let Some((best, of)) = session.progress.quiz_best {
            ui.label(RichText::new(format!("(best: {best} of {of})")).size(size));
        }
        if ui.button(RichText::new("Try again").size(size)).clicked() {
            cmds.push(Cmd::Quiz(QuizCmd::Again));
        }
    });
    ui.add_space(8.0);
}

/// In the editor, after "Show me": the way back to the question.
pub fn return_strip(ui: &mut Ui, session: &Session, cmds: &mut Vec<Cmd>) {
    let Some(q) = session.quiz.left_from.filter(|_| !session.quiz.open) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            theme::ink(ui, theme::NARRATION),
            format!("From question {} of the quiz.", q + 1),
        );
        if ui.button("Back to the quiz").clicked() {
            cmds.push(Cmd::Quiz(QuizCmd::Open));
        }
    });
}
