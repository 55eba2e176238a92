//! The choose-next mode's list, above the playback controls: where the run
//! holds because more than one message could arrive next, each of them in
//! words, with what the learner may do to it. Every row and button has an
//! accessible name that says which message it is about, so a screen
//! reader and the keyboard (Tab, Enter) reach the whole list.

use egui::RichText;

use super::theme;
use super::view::View;
use crate::scenario::{Choice, fmt_time};
use crate::session::Cmd;
use crate::session::choose::{self, ChooseCmd};

/// Most rows shown before the list scrolls.
const ROWS_HIGH: f32 = 150.0;

pub fn ui(ui: &mut egui::Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player.filter(|p| p.choose.on) else {
        return;
    };
    let Some(point) = p.choice_point() else {
        ui.weak(
            "Choose next is on: the run stops wherever more than one message could arrive next.",
        );
        return;
    };
    let t = p.trace();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "At {}, {} messages could arrive next. Which one?",
                fmt_time(point.at),
                point.candidates.len()
            ))
            .strong(),
        );
        let r = ui
            .button("Let the network decide")
            .on_hover_text("Deliver what the network would deliver next, and go on");
        if r.clicked() {
            cmds.push(Cmd::Choose(ChooseCmd::LetNetwork));
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("choose-next")
        .max_height(ROWS_HIGH)
        .show(ui, |ui| {
            for (i, c) in point.candidates.iter().enumerate() {
                let mut words = choose::said(t, c);
                if c.message == point.before {
                    words.push_str(" (the network's next)");
                }
                ui.horizontal(|ui| row(ui, view, i + 1, c.message, &words, cmds));
            }
        });
}

/// One candidate: its number (as ringed on the canvas) and words, which
/// select it, then what may be done to it.
fn row(ui: &mut egui::Ui, view: &View, n: usize, m: u32, words: &str, cmds: &mut Vec<Cmd>) {
    let selected = view.selection.message == Some(m);
    let r = ui
        .selectable_label(selected, format!("{n}. {words}"))
        .on_hover_text("Select it: it is highlighted on the canvas and in the diagram");
    if r.clicked() {
        cmds.push(Cmd::SelectMessage(Some(m)));
    }
    for (label, choice, tip) in [
        (
            "Deliver next",
            Choice::Deliver,
            "It arrives now, before the others",
        ),
        ("Drop", Choice::Drop, "It is lost on its link"),
        (
            "Deliver twice",
            Choice::Twice,
            "It arrives now, and a copy right after",
        ),
    ] {
        let text = RichText::new(label).color(match choice {
            Choice::Drop => theme::ink(ui, theme::FAULT),
            Choice::Deliver | Choice::Twice => ui.visuals().text_color(),
        });
        let r = ui.button(text).on_hover_text(tip);
        let name = format!("{label}: {words}");
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        if r.clicked() {
            cmds.push(Cmd::Choose(ChooseCmd::Pick { message: m, choice }));
        }
    }
}
