//! Windows over the editor: the unsaved-changes prompt, "Open a path", and
//! the file dialogs for Open and Save As.

use std::path::PathBuf;

use egui::{Context, Key};

use crate::session::{Cmd, Notice};

/// The "Open a scenario by path" window, while `text` is set.
pub fn open_path(ctx: &Context, text: &mut Option<String>, cmds: &mut Vec<Cmd>) {
    let Some(buf) = text else { return };
    let mut open = true;
    let mut chosen = None;
    egui::Window::new("Open a scenario by path")
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            let l = ui.label("Type or paste the path of a .ron file:");
            let r = ui.text_edit_singleline(buf).labelled_by(l.id);
            if ui.button("Open").clicked()
                || (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)))
            {
                chosen = Some(PathBuf::from(buf.trim()));
            }
        });
    if let Some(path) = chosen {
        *text = None;
        cmds.push(Cmd::Open(path));
    } else if !open {
        *text = None;
    }
}

/// The prompt shown when a command would replace a drawing with unsaved
/// changes.
pub fn confirm_discard(ctx: &Context, title: &str, cmds: &mut Vec<Cmd>) {
    egui::Modal::new(egui::Id::unique("confirm-discard")).show(ctx, |ui| {
        ui.heading("Unsaved changes");
        ui.label(format!("{title} has changes that are not saved."));
        ui.horizontal(|ui| {
            if ui.button("Save first").clicked() {
                cmds.push(Cmd::ConfirmSave);
            }
            if ui.button("Discard changes").clicked() {
                cmds.push(Cmd::ConfirmDiscard);
            }
            if ui.button("Cancel").clicked() {
                cmds.push(Cmd::ConfirmCancel);
            }
        });
    });
}

/// Asks the platform for a file to open; says what to do if no dialog
/// could be shown.
pub fn pick_file(cmds: &mut Vec<Cmd>, notice: &mut Option<Notice>) {
    match rfd::FileDialog::new()
        .add_filter("Settle scenario", &["ron"])
        .pick_file()
    {
        Some(path) => cmds.push(Cmd::Open(path)),
        None => {
            *notice = Some(Notice::info(
                "No file chosen. If no file dialog appeared, use File ▸ Open a path… or drop a .ron file on the window.",
            ))
        }
    }
}

/// Asks the platform where to save.
pub fn save_file(suggested: &str, cmds: &mut Vec<Cmd>, notice: &mut Option<Notice>) {
    match rfd::FileDialog::new()
        .add_filter("Settle scenario", &["ron"])
        .set_file_name(suggested)
        .save_file()
    {
        Some(path) => cmds.push(Cmd::SaveTo(path)),
        None => *notice = Some(Notice::info("Not saved: no file was chosen.")),
    }
}
