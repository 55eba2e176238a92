//! The welcome view: New, Open and Continue; the lessons as cards, each
//! marked with what the learner has done (finished, predictions right, its
//! challenges solved); the course quiz with its best score; the glossary.
//! The progress shown is the session's, kept between runs.

use egui::{Align2, FontId, Rect, RichText, Sense, Stroke, StrokeKind, Ui, vec2};

use super::icons::Icons;
use super::menus::recovered;
use super::theme;
use crate::scenario::Scenario;
use crate::session::presets::{PRESETS, Preset};
use crate::session::quiz::{self, QuizCmd};
use crate::session::{Cmd, Session, ViewCmd};

/// A lesson card's size without challenges, and the height each adds.
const CARD: egui::Vec2 = vec2(340.0, 126.0);
const CHALLENGE_ROW: f32 = 32.0;

pub fn ui(ui: &mut Ui, icons: &Icons, session: &Session, cmds: &mut Vec<Cmd>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            header(ui, icons, session, cmds);
            let lessons: Vec<(usize, &Preset, Option<Scenario>)> = PRESETS
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p, p.load().ok()))
                .collect();
            ui.vertical_centered(|ui| {
                ui.add_space(22.0);
                ui.label(RichText::new("Lessons").size(20.0).strong());
                ui.label(RichText::new(summary(session, &lessons)).size(14.0).weak());
                ui.add_space(8.0);
            });
            let most = lessons
                .iter()
                .filter_map(|(_, _, s)| s.as_ref().map(|s| s.challenges.len()))
                .max()
                .unwrap_or(0);
            let card = CARD + vec2(0.0, CHALLENGE_ROW * most as f32);
            // Each card also takes the item spacing and a gap.
            let per_row = ((ui.available_width() / (CARD.x + 40.0)).floor() as usize).max(1);
            for row in lessons.chunks(per_row) {
                ui.horizontal(|ui| {
                    let used = row.len() as f32 * (CARD.x + 16.0);
                    ui.add_space((ui.available_width() - used).max(0.0) / 2.0);
                    for (i, p, s) in row {
                        lesson_card(ui, session, (*i, p), s.as_ref(), card, cmds);
                        ui.add_space(16.0);
                    }
                });
                ui.add_space(16.0);
            }
            ui.vertical_centered(|ui| {
                quiz_card(ui, session, cmds);
                ui.add_space(14.0);
                if ui
                    .button(RichText::new("Glossary").size(15.0))
                    .on_hover_text("Every term the lessons use, explained")
                    .clicked()
                {
                    cmds.push(Cmd::View(ViewCmd::ToggleGlossary));
                }
                ui.add_space(10.0);
                ui.weak("Press ? at any time for keyboard shortcuts.");
            });
        });
    });
}

fn header(ui: &mut Ui, icons: &Icons, session: &Session, cmds: &mut Vec<Cmd>) {
    let resume = session.last.as_ref().map(|l| l.name.as_str());
    ui.vertical_centered(|ui| {
        ui.add_space(28.0);
        ui.add(egui::Image::new(&icons.app).fit_to_exact_size(vec2(72.0, 72.0)));
        ui.label(RichText::new("Settle").size(40.0).strong());
        ui.label(
            RichText::new("Watch data move and settle across microservices")
                .size(18.0)
                .weak(),
        );
        ui.add_space(18.0);
        recovered(ui, session, cmds);
        // Why a link or a file did not open.
        super::menus::banner(ui, None, session.notice.as_ref(), cmds);
        ui.horizontal(|ui| {
            let w = if resume.is_some() { 3.0 } else { 2.0 } * 160.0;
            ui.add_space((ui.available_width() - w).max(0.0) / 2.0);
            let big = |text: String| {
                egui::Button::new(RichText::new(text).size(16.0)).min_size(vec2(150.0, 34.0))
            };
            if ui.add(big("New drawing".into())).clicked() {
                cmds.push(Cmd::New);
            }
            if ui
                .add(big("Open…".into()))
                .on_hover_text("Or drop a .ron file on the window")
                .clicked()
            {
                cmds.push(Cmd::View(ViewCmd::OpenDialog));
            }
            if let Some(name) = resume
                && ui
                    .add(big(format!("Continue {name}")))
                    .on_hover_text("Reopen what was open when Settle last closed")
                    .clicked()
            {
                cmds.push(Cmd::Resume);
            }
        });
    });
}

/// "3 of 9 lessons done · 4 of 6 predictions right · 1 of 5 challenges solved".
fn summary(session: &Session, lessons: &[(usize, &Preset, Option<Scenario>)]) -> String {
    let p = &session.progress;
    let done = lessons
        .iter()
        .filter(|(_, l, _)| p.lessons.get(l.file).is_some_and(|l| l.done))
        .count();
    let (right, asked) = lessons.iter().fold((0, 0), |(r, a), (_, l, _)| {
        let (lr, la) = p.predictions(l.file);
        (r + lr, a + la)
    });
    let titles: Vec<&str> = lessons
        .iter()
        .filter_map(|(_, _, s)| s.as_ref())
        .flat_map(|s| s.challenges.iter().map(|c| c.title.as_str()))
        .collect();
    let solved = titles.iter().filter(|t| p.challenges.contains(**t)).count();
    let predictions = match asked {
        0 => "no predictions made yet".to_string(),
        n => format!("{right} of {n} predictions right"),
    };
    format!(
        "{done} of {} lessons done · {predictions} · {solved} of {} challenges solved",
        lessons.len(),
        titles.len()
    )
}

fn lesson_card(
    ui: &mut Ui,
    session: &Session,
    (i, p): (usize, &Preset),
    s: Option<&Scenario>,
    card: egui::Vec2,
    cmds: &mut Vec<Cmd>,
) {
    ui.allocate_ui_with_layout(card, egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.set_min_size(card);
        let frame = Rect::from_min_size(ui.cursor().min, card);
        lesson_face(ui, session, (i, p), s, frame, cmds);
        // Its challenges, one button each along the card's foot.
        let challenges = s.map_or(&[][..], |s| s.challenges.as_slice());
        for (index, c) in challenges.iter().enumerate() {
            let solved = session.progress.challenges.contains(&c.title);
            let text = format!("Challenge: {}{}", c.title, if solved { " ✔" } else { "" });
            ui.horizontal(|ui| {
                ui.add_space(10.0);
                let b = ui
                    .add_sized(
                        vec2(CARD.x - 20.0, CHALLENGE_ROW - 6.0),
                        egui::Button::new(RichText::new(text).size(13.5)),
                    )
                    .on_hover_text(format!(
                        "{}{}",
                        c.task,
                        if solved { " (solved)" } else { "" }
                    ));
                if b.clicked() {
                    cmds.push(Cmd::OpenChallenge { lesson: i, index });
                }
            });
        }
    });
}

/// The card's frame and its clickable top: number, title, summary and
/// what the learner has done.
fn lesson_face(
    ui: &mut Ui,
    session: &Session,
    (i, p): (usize, &Preset),
    s: Option<&Scenario>,
    frame: Rect,
    cmds: &mut Vec<Cmd>,
) {
    let (title, summary) = match s {
        Some(s) => (s.title.clone(), s.summary.clone()),
        None => (p.file.to_string(), format!("{} could not be read", p.file)),
    };
    let number = p.number();
    let done = session.progress.lessons.get(p.file).is_some_and(|l| l.done);
    let (rect, resp) = ui.allocate_exact_size(CARD, Sense::click());
    let visuals = ui.visuals();
    let fill = if resp.hovered() {
        visuals.widgets.hovered.bg_fill
    } else {
        visuals.faint_bg_color
    };
    let border = if done {
        Stroke::new(2.0, theme::ink(ui, theme::AGREES))
    } else {
        Stroke::new(1.5, visuals.widgets.inactive.bg_stroke.color)
    };
    let painter = ui.painter();
    painter.rect(frame, 10.0, fill, border, StrokeKind::Inside);
    // Title and summary stay inside the card and clear of the status line
    // at its foot: what does not fit ends in "…" (the whole text is the
    // card's accessible name and its lesson's first words).
    let fitted = |text: String, size: f32, color, rows: usize| {
        let mut job =
            egui::text::LayoutJob::simple(text, FontId::proportional(size), color, CARD.x - 28.0);
        job.wrap.max_rows = rows;
        job.wrap.overflow_character = Some('…');
        painter.layout_job(job)
    };
    let title_galley = fitted(
        format!("{number}  {title}"),
        18.0,
        visuals.strong_text_color(),
        1,
    );
    painter.galley(
        rect.min + vec2(14.0, 12.0),
        title_galley,
        visuals.text_color(),
    );
    let row = ui.fonts_mut(|f| f.row_height(&FontId::proportional(13.5)));
    let room = CARD.y - 40.0 - 34.0;
    let rows = ((room / row).floor() as usize).max(1);
    let galley = fitted(summary, 13.5, visuals.text_color(), rows);
    painter.galley(rect.min + vec2(14.0, 40.0), galley, visuals.text_color());
    let (right, asked) = session.progress.predictions(p.file);
    let mut status = Vec::new();
    if done {
        status.push("✔ Done".to_string());
    }
    if asked > 0 {
        status.push(format!("{right} of {asked} predicted"));
    }
    let status = status.join(" · ");
    painter.text(
        rect.left_bottom() + vec2(14.0, -10.0),
        Align2::LEFT_BOTTOM,
        &status,
        FontId::proportional(13.5),
        if done {
            theme::ink(ui, theme::AGREES)
        } else {
            visuals.weak_text_color()
        },
    );
    let label = if status.is_empty() {
        format!("{number} {title}")
    } else {
        format!("{number} {title} ({status})")
    };
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if resp.on_hover_text("Open this lesson").clicked() {
        cmds.push(Cmd::OpenPreset(i));
    }
}

/// The course quiz, with the best score so far.
fn quiz_card(ui: &mut Ui, session: &Session, cmds: &mut Vec<Cmd>) {
    let (count, error) = match quiz::load() {
        Ok(q) => (q.questions.len(), None),
        Err(e) => (0, Some(e.to_string())),
    };
    let best = match session.progress.quiz_best {
        Some((r, n)) => format!("best score {r} of {n}"),
        None => "not taken yet".to_string(),
    };
    let text = format!("Course quiz — {count} questions, {best}");
    let b = egui::Button::new(RichText::new(text).size(17.0)).min_size(vec2(420.0, 40.0));
    let r = ui
        .add_enabled(error.is_none(), b)
        .on_hover_text("Questions on the whole course, each with a Show me into its lesson");
    if let Some(e) = error {
        ui.colored_label(theme::ink(ui, theme::FAULT), e);
    }
    if r.clicked() {
        cmds.push(Cmd::Quiz(QuizCmd::Open));
    }
}
