//! The menu bar and the banner under it (why the drawing cannot run, the
//! last notice, the shared-database warning).

use egui::{RichText, Ui};

use super::keymap;
use super::theme;
use super::view::View;
use crate::session::compare::CompareCmd;
use crate::session::presets::PRESETS;
use crate::session::quiz::QuizCmd;
use crate::session::{Cmd, Notice, Session, ViewCmd};

/// A menu entry with the shortcut the keymap gives its command.
fn item(ui: &mut Ui, label: &str, cmd: Cmd, enabled: bool, cmds: &mut Vec<Cmd>) {
    let mut b = egui::Button::new(label);
    if let Some(keys) = keymap::shortcut_text(ui.ctx(), &cmd) {
        b = b.shortcut_text(keys);
    }
    if ui.add_enabled(enabled, b).clicked() {
        cmds.push(cmd);
        // A pointer click closes the menu by itself; a screen reader's
        // or keyboard's activation does not, so close it here.
        ui.close();
    }
}

/// Everything the bar needs besides the view.
pub struct Bar<'a> {
    pub title: &'a str,
    pub dirty: bool,
    pub dark: bool,
    pub snap: &'a mut bool,
    /// View ▸ Palette and View ▸ Side panel.
    pub palette: &'a mut bool,
    pub side: &'a mut bool,
    /// Set to open the "Open a path" window.
    pub open_path: &'a mut Option<String>,
    /// The Record switch.
    pub recording: &'a mut bool,
    /// There is a drawing to copy a link to.
    pub link: bool,
    /// The lesson the drawing came from, when it opened from a link as a
    /// remix of one.
    pub origin: Option<usize>,
}

pub fn bar(ui: &mut Ui, view: &View, bar: Bar, cmds: &mut Vec<Cmd>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, "New", Cmd::New, true, cmds);
            item(ui, "Open…", Cmd::View(ViewCmd::OpenDialog), true, cmds);
            // A page cannot read paths: the browser's picker is the way in,
            // and a link goes in the address bar.
            if !cfg!(target_arch = "wasm32") && ui.button("Open a path or a link…").clicked() {
                *bar.open_path = Some(String::new());
                ui.close();
            }
            ui.menu_button("Lessons", |ui| {
                for (i, p) in PRESETS.iter().enumerate() {
                    let title = p.load().map_or_else(|_| p.file.to_string(), |s| s.title);
                    if ui.button(format!("{} {title}", p.number())).clicked() {
                        cmds.push(Cmd::OpenPreset(i));
                        ui.close();
                    }
                }
                ui.separator();
                item(ui, "Course quiz", Cmd::Quiz(QuizCmd::Open), true, cmds);
            });
            ui.separator();
            item(ui, "Save", Cmd::Save, true, cmds);
            item(ui, "Save As…", Cmd::View(ViewCmd::SaveAsDialog), true, cmds);
            item(
                ui,
                "Export…",
                Cmd::View(ViewCmd::ExportDialog),
                view.player.is_some(),
                cmds,
            );
            ui.separator();
            let copy = ui
                .add_enabled(bar.link, egui::Button::new("Copy link to this drawing"))
                .on_hover_text(
                    "A web address that carries this drawing and opens it at this moment, paused",
                )
                .on_disabled_hover_text("Open a drawing, and leave compare mode, to link to it");
            if copy.clicked() {
                cmds.push(Cmd::View(ViewCmd::CopyLink));
                ui.close();
            }
            let lesson = bar.origin.and_then(|i| PRESETS.get(i));
            let compare = ui
                .add_enabled(
                    lesson.is_some(),
                    egui::Button::new("Compare with the lesson it came from"),
                )
                .on_disabled_hover_text("For a drawing opened from a link made from a lesson");
            if let (Some(i), Some(p)) = (bar.origin, lesson) {
                let compare = compare.on_hover_text(format!(
                    "Run lesson {} as it ships beside this drawing",
                    p.number()
                ));
                if compare.clicked() {
                    cmds.push(Cmd::Compare(CompareCmd::Lesson(i)));
                    ui.close();
                }
            }
            ui.separator();
            item(ui, "Welcome", Cmd::Welcome, true, cmds);
        });
        ui.menu_button("Edit", |ui| {
            item(ui, "Undo", Cmd::Undo, view.can_undo, cmds);
            item(ui, "Redo", Cmd::Redo, view.can_redo, cmds);
            item(
                ui,
                "Delete",
                Cmd::DeleteSelection,
                !view.selection.is_empty(),
                cmds,
            );
            ui.checkbox(bar.snap, "Snap to grid");
        });
        ui.menu_button("View", |ui| {
            item(
                ui,
                "Presentation mode",
                Cmd::View(ViewCmd::TogglePresentation),
                true,
                cmds,
            );
            item(ui, "Fit to view", Cmd::View(ViewCmd::Fit), true, cmds);
            let theme = if bar.dark {
                "Light theme"
            } else {
                "Dark theme"
            };
            item(ui, theme, Cmd::View(ViewCmd::ToggleTheme), true, cmds);
            ui.separator();
            ui.checkbox(bar.palette, "Palette")
                .on_hover_text("The kinds to add, on the left");
            ui.checkbox(bar.side, "Side panel").on_hover_text(
                "Inspector, replica states, checks and plots, on the right; hide it to give the drawing and the diagram the width",
            );
        });
        ui.menu_button("Compare", |ui| super::compare::menu(ui, view, cmds));
        ui.menu_button("Help", |ui| {
            item(
                ui,
                "Keyboard shortcuts",
                Cmd::View(ViewCmd::ToggleHelp),
                true,
                cmds,
            );
            item(
                ui,
                "Glossary",
                Cmd::View(ViewCmd::ToggleGlossary),
                true,
                cmds,
            );
        });
        ui.separator();
        ui.strong(bar.title);
        if bar.dirty {
            ui.weak("(unsaved)");
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let label = if view.presenting {
                "Exit presentation"
            } else {
                "Present"
            };
            if ui
                .button(label)
                .on_hover_text("Large type, side panels hidden (F11)")
                .clicked()
            {
                cmds.push(Cmd::View(ViewCmd::TogglePresentation));
            }
            let rec = if *bar.recording {
                RichText::new("● Recording").color(theme::ink(ui, theme::FAULT))
            } else {
                RichText::new("● Record")
            };
            ui.toggle_value(bar.recording, rec).on_hover_text(
                "Keep live actions and write captions: the drawing becomes a lesson",
            );
        });
    });
}

/// Unsaved work a crash left, each with Recover and Discard: shown on the
/// welcome view and above the editor until the person decides.
pub fn recovered(ui: &mut Ui, session: &Session, cmds: &mut Vec<Cmd>) {
    let now = crate::session::recovery::now_ms();
    for (i, r) in session.recovered.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                theme::ink(ui, theme::STALE),
                "⚠ Unsaved work from a run that did not close normally:",
            );
            ui.label(r.snapshot.describe(now));
            if ui
                .button("Recover")
                .on_hover_text("Open it again, unsaved changes and all")
                .clicked()
            {
                cmds.push(Cmd::Recover(i));
            }
            if ui
                .button("Discard")
                .on_hover_text("Throw this unsaved work away for good")
                .clicked()
            {
                cmds.push(Cmd::DiscardRecovered(i));
            }
        });
    }
}

/// Why the drawing cannot run, and the last notice. (The shared-database
/// warning is a design hint now: a badge on the canvas, listed in Checks.)
pub fn banner(ui: &mut Ui, problem: Option<&str>, notice: Option<&Notice>, cmds: &mut Vec<Cmd>) {
    if let Some(p) = problem {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::ink(ui, theme::STALE), "⚠ Can't run yet:");
            ui.label(p);
        });
    }
    if let Some(n) = notice {
        ui.horizontal_wrapped(|ui| {
            let color = if n.error { theme::FAULT } else { theme::AGREES };
            ui.colored_label(theme::ink(ui, color), if n.error { "✖" } else { "✔" });
            ui.label(&n.text);
            if ui.small_button("Dismiss").clicked() {
                cmds.push(Cmd::DismissNotice);
            }
        });
    }
}
