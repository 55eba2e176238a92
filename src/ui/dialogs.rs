//! Windows over the editor: the unsaved-changes prompt, "Open a path", and
//! the file dialogs for Open and Save As.

use std::path::PathBuf;

use egui::{Context, Key};

use crate::session::{Cmd, ViewCmd, link};

/// The "Open a scenario by path" window, while `text` is set. A link
/// pasted there (a web address of the web build, or its `#…` part) opens
/// the lesson or drawing it names.
pub fn open_path(ctx: &Context, text: &mut Option<String>, cmds: &mut Vec<Cmd>) {
    let Some(buf) = text else { return };
    let mut open = true;
    let mut chosen = None;
    egui::Window::new("Open a scenario by path")
        .open(&mut open)
        .order(egui::Order::Foreground)
        .collapsible(false)
        .show(ctx, |ui| {
            let l = ui.label("Type or paste the path of a .ron file, or a link to a drawing:");
            let r = ui.text_edit_singleline(buf).labelled_by(l.id);
            if ui.button("Open").clicked()
                || (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)))
            {
                chosen = Some(PathBuf::from(buf.trim()));
            }
        });
    if let Some(path) = chosen {
        *text = None;
        cmds.push(match path.to_str().filter(|t| link::is_link(t)) {
            Some(t) if !path.is_file() => Cmd::OpenLink(t.to_string()),
            _ => Cmd::Open(path),
        });
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

/// The unsaved-changes prompt's sibling: the drawing's file was changed
/// on disk since it was opened.
pub fn confirm_overwrite(ctx: &Context, path: &std::path::Path, cmds: &mut Vec<Cmd>) {
    egui::Modal::new(egui::Id::unique("confirm-overwrite")).show(ctx, |ui| {
        ui.heading("The file changed on disk");
        ui.label(format!(
            "{} was changed by something else since you opened it. Saving now replaces those changes with this drawing.",
            path.display()
        ));
        ui.horizontal(|ui| {
            if ui.button("Replace it").clicked() {
                cmds.push(Cmd::OverwriteAnyway);
            }
            if ui.button("Save as…").clicked() {
                cmds.push(Cmd::CancelOverwrite);
                cmds.push(Cmd::View(ViewCmd::SaveAsDialog));
            }
            if ui.button("Cancel").clicked() {
                cmds.push(Cmd::CancelOverwrite);
            }
        });
    });
}

/// What asking the platform for a file gave.
#[cfg(not(target_arch = "wasm32"))]
pub enum Native {
    Chosen(PathBuf),
    /// The person closed the dialog.
    Cancelled,
    /// No dialog could be shown.
    Unavailable,
}

/// A dialog that comes back faster than a person can close one never
/// appeared: rfd says "no file" at once when there is no desktop portal.
#[cfg(not(target_arch = "wasm32"))]
const TOO_QUICK: std::time::Duration = std::time::Duration::from_millis(400);

/// What kind of file a dialog lists: a name for people and extensions.
#[cfg(not(target_arch = "wasm32"))]
pub type Filter<'a> = (&'a str, &'a [&'a str]);

/// Scenario files, what Open and Save As list.
#[cfg(not(target_arch = "wasm32"))]
pub const SCENARIOS: Filter<'static> = ("Settle scenario", &["ron"]);

/// Asks the platform for a file to open, or where to save one.
#[cfg(not(target_arch = "wasm32"))]
pub fn native(save_as: Option<&str>, dir: &std::path::Path, filter: Filter) -> Native {
    let started = std::time::Instant::now();
    let dialog = rfd::FileDialog::new()
        .add_filter(filter.0, filter.1)
        .set_directory(dir);
    let picked = match save_as {
        Some(name) => dialog.set_file_name(name).save_file(),
        None => dialog.pick_file(),
    };
    match picked {
        Some(p) => Native::Chosen(p),
        None if started.elapsed() < TOO_QUICK => Native::Unavailable,
        None => Native::Cancelled,
    }
}
