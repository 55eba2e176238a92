//! Compare mode on screen: the Compare menu, a bar naming both sides with
//! the moment their runs part ways, and what each side's views need to
//! mark the records that differ.

use egui::{RichText, Ui};

use super::theme;
use super::view::{Differs, View};
use crate::scenario::fmt_time;
use crate::session::compare::{CompareCmd, Side};
use crate::session::{Cmd, Session};

/// The Compare menu: start from a copy or a declared variant; while
/// comparing, choose the side to edit or stop.
pub fn menu(ui: &mut Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let can_run = view.player.is_some();
    match view.compare {
        None => {
            if ui
                .add_enabled(can_run, egui::Button::new("Duplicate as B and compare"))
                .on_hover_text("Run a copy beside this drawing; change anything in it")
                .on_disabled_hover_text("The drawing must be able to run first")
                .clicked()
            {
                cmds.push(Cmd::Compare(CompareCmd::Duplicate));
                ui.close();
            }
            if !view.scenario.variants.is_empty() {
                ui.separator();
                ui.weak("Variants this lesson declares:");
                for (i, v) in view.scenario.variants.iter().enumerate() {
                    let b = egui::Button::new(format!("Compare with “{}”", v.name));
                    let r = ui.add_enabled(can_run, b);
                    let r = if v.about.is_empty() {
                        r
                    } else {
                        r.on_hover_text(&v.about)
                    };
                    if r.clicked() {
                        cmds.push(Cmd::Compare(CompareCmd::Variant(i)));
                        ui.close();
                    }
                }
            }
        }
        Some(c) => {
            for side in [Side::A, Side::B] {
                if ui
                    .add_enabled(
                        c.side != side,
                        egui::Button::new(format!("Edit {}", side.letter())),
                    )
                    .clicked()
                {
                    cmds.push(Cmd::Compare(CompareCmd::Edit(side)));
                    ui.close();
                }
            }
            ui.separator();
            for side in [Side::A, Side::B] {
                if ui
                    .button(format!("Stop comparing, keep {}", side.letter()))
                    .clicked()
                {
                    cmds.push(Cmd::Compare(CompareCmd::End { keep: side }));
                    ui.close();
                }
            }
        }
    }
}

/// The bar under the menu while comparing.
pub fn bar(ui: &mut Ui, session: &Session, differs_now: usize, cmds: &mut Vec<Cmd>) {
    let (Some(c), Some(sides)) = (&session.compare, session.sides()) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Comparing").strong());
        for (side, doc, _) in sides {
            let editing = side == c.editing;
            let text = format!("{} · {}", side.letter(), doc.scenario.title);
            let r = ui
                .selectable_label(editing, RichText::new(text).strong())
                .on_hover_text(if editing {
                    "You are editing this side"
                } else {
                    "Edit this side (the other keeps its run)"
                });
            if r.clicked() && !editing {
                cmds.push(Cmd::Compare(CompareCmd::Edit(side)));
            }
        }
        ui.separator();
        match session.parting_at() {
            Some(t) => {
                ui.colored_label(
                    theme::ink(ui, theme::DIFFERS),
                    format!("The runs part ways at {}", fmt_time(t)),
                );
                if ui
                    .button("Go there")
                    .on_hover_text("Show the moment they first differ")
                    .clicked()
                {
                    cmds.push(Cmd::Pause);
                    cmds.push(Cmd::Seek(t as f64));
                }
            }
            None if c.other_player.is_some() => {
                ui.label("The runs agree from start to end");
            }
            None => {}
        }
        if differs_now > 0 {
            ui.label(format!(
                "· {differs_now} record{} differ now (outlined)",
                if differs_now == 1 { "" } else { "s" }
            ));
        }
        if let Some(p) = &c.other_problem {
            ui.colored_label(
                theme::ink(ui, theme::FAULT),
                format!("{} cannot run: {p}", other_letter(c.editing)),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Stop comparing")
                .on_hover_text("Keep the side you are editing")
                .clicked()
            {
                cmds.push(Cmd::Compare(CompareCmd::End { keep: c.editing }));
            }
        });
    });
}

fn other_letter(side: Side) -> &'static str {
    match side {
        Side::A => "B",
        Side::B => "A",
    }
}

/// What each side's views mark: for A, what B holds where they differ
/// now, and the other way round.
pub fn differs(session: &Session) -> [Differs; 2] {
    let mut a = Differs {
        other: "B",
        ..Differs::default()
    };
    let mut b = Differs {
        other: "A",
        ..Differs::default()
    };
    for d in session.records_differing_now() {
        let key = (d.node, d.table, d.id);
        let dash = |v: Option<String>| v.unwrap_or_else(|| "no record".into());
        b.values.insert(key.clone(), dash(d.a));
        a.values.insert(key, dash(d.b));
    }
    [a, b]
}

/// Commands from the side not being edited: a click there makes it the
/// side being edited (and keeps its selection); moving the shared clock
/// works from either side; nothing else edits a drawing no one chose.
pub fn from_idle_side(side: Side, pushed: Vec<Cmd>, cmds: &mut Vec<Cmd>) {
    let mut switched = false;
    for c in pushed {
        match c {
            Cmd::Select(_) | Cmd::SelectMessage(_) | Cmd::Checkpoint => {
                if !switched {
                    cmds.push(Cmd::Compare(CompareCmd::Edit(side)));
                    switched = true;
                }
                if !matches!(c, Cmd::Checkpoint) {
                    cmds.push(c);
                }
            }
            Cmd::Seek(_) | Cmd::Pause | Cmd::Play | Cmd::View(_) => cmds.push(c),
            _ => {}
        }
    }
}
