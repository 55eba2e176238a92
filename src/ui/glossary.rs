//! Glossary terms marked where they appear, explained on hover, and the
//! Help ▸ Glossary window listing them all, searchable. The terms and
//! their meanings are the session's ([`crate::session::glossary`]).

use std::ops::Range;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{FontId, Galley, Rect, Response, RichText, Sense, Stroke, Ui, Vec2, pos2};

use super::theme;
use crate::session::glossary::{self, Term};

/// Where the terms are in a text, found once while the text stays on
/// screen rather than every frame.
#[derive(Default)]
struct Finder;

type Marks = Vec<(Range<usize>, &'static Term)>;

impl egui::cache::ComputerMut<(&str, &str), Marks> for Finder {
    fn compute(&mut self, (text, about): (&str, &str)) -> Marks {
        glossary::find_in(text, about)
    }
}

/// `text` at `size`, each glossary term underlined the first time it
/// appears and explained while the pointer rests on it. One label, named
/// by the whole text for screen readers.
pub fn text(ui: &mut Ui, text: &str, size: f32) -> Response {
    text_about(ui, text, "", size)
}

/// As [`text`], where `about` says what the text is part of (a lesson's
/// title and summary): a word with two senses takes the one it cues.
pub fn text_about(ui: &mut Ui, text: &str, about: &str, size: f32) -> Response {
    let marks = ui.ctx().memory_mut(|m| {
        m.caches
            .cache::<egui::cache::FrameCache<Marks, Finder>>()
            .get((text, about))
            .clone()
    });
    let color = ui.visuals().text_color();
    let plain = TextFormat {
        font_id: FontId::proportional(size),
        color,
        ..TextFormat::default()
    };
    let marked = TextFormat {
        underline: Stroke::new((size / 14.0).max(1.0), theme::ink(ui, theme::NARRATION)),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let mut at = 0;
    for (r, _) in &marks {
        job.append(text.get(at..r.start).unwrap_or(""), 0.0, plain.clone());
        job.append(text.get(r.clone()).unwrap_or(""), 0.0, marked.clone());
        at = r.end;
    }
    job.append(text.get(at..).unwrap_or(""), 0.0, plain);
    let (pos, galley, response) = egui::Label::new(job)
        .selectable(false)
        .sense(Sense::hover())
        .layout_in_ui(ui);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), text));
    if ui.is_rect_visible(response.rect) {
        ui.painter().galley(pos, galley.clone(), color);
    }
    let hovered = response
        .hover_pos()
        .and_then(|p| term_at(&galley, p - pos, text, &marks));
    match hovered {
        Some(term) => response.on_hover_ui_at_pointer(|ui| explain(ui, term, size)),
        None => response,
    }
}

/// The term whose marked words lie under `p` (relative to the galley).
fn term_at(
    galley: &Galley,
    p: Vec2,
    text: &str,
    marks: &[(Range<usize>, &'static Term)],
) -> Option<&'static Term> {
    let p = pos2(p.x, p.y);
    marks.iter().find_map(|(r, term)| {
        let first = text.get(..r.start)?.chars().count();
        let len = text.get(r.clone())?.chars().count();
        (first..first + len)
            .any(|k| {
                let a = galley.pos_from_cursor(CCursor::new(k));
                let b = galley.pos_from_cursor(CCursor::new(k + 1));
                // A glyph's box: from its cursor to the next, on one row.
                (a.min.y - b.min.y).abs() < 1.0
                    && Rect::from_min_max(a.min, pos2(b.min.x, a.max.y)).contains(p)
            })
            .then_some(*term)
    })
}

/// A term's explanation, at a size the back row can read.
fn explain(ui: &mut Ui, term: &Term, size: f32) {
    ui.set_max_width((size * 24.0).max(320.0));
    ui.label(RichText::new(term.term).size(size).strong());
    ui.label(RichText::new(term.means).size(size * 0.9));
}

/// The Help ▸ Glossary window; `query` is its search text, `None` when
/// the window is closed.
pub fn window(ctx: &egui::Context, query: &mut Option<String>, presenting: bool) {
    let size = if presenting { 22.0 } else { 15.0 };
    let mut open = query.is_some();
    egui::Window::new("Glossary")
        .open(&mut open)
        .collapsible(false)
        .default_size([560.0, 620.0])
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            let Some(q) = query.as_mut() else { return };
            ui.horizontal(|ui| {
                let l = ui.label(RichText::new("Find a term").size(size));
                ui.add(
                    egui::TextEdit::singleline(q)
                        .hint_text("outbox, saga, stale…")
                        .font(FontId::proportional(size)),
                )
                .labelled_by(l.id);
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                let mut any = false;
                for t in glossary::search(q) {
                    any = true;
                    ui.label(RichText::new(t.term).size(size).strong());
                    ui.label(RichText::new(t.means).size(size * 0.9));
                    ui.add_space(size * 0.5);
                }
                if !any {
                    ui.weak(RichText::new("No term matches.").size(size));
                }
            });
        });
    if !open {
        *query = None;
    }
}
