//! The keyboard help overlay, opened with `?`.

use egui::RichText;

/// Every shortcut, as the help overlay lists it.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "Play / pause"),
    (".", "Step one event forward"),
    (",", "Step one event back"),
    ("[  ]", "Slower / faster"),
    ("Home / End", "Jump to the start / the end"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
    ("Ctrl+S / Ctrl+O", "Save / open"),
    ("Delete", "Remove the selection"),
    ("F", "Fit the drawing to the view"),
    ("Scroll", "Zoom the canvas at the cursor"),
    ("Drag empty space", "Pan the canvas"),
    ("Shift+drag", "Select with a box"),
    ("Drag a node's port", "Link it to another node"),
    ("Double-click a node", "Rename it"),
    ("Right-click", "Crash, restart, cut, heal, delete"),
    ("F11", "Presentation mode"),
    ("?", "This help"),
    ("Esc", "Close help, leave presentation, clear selection"),
];

pub fn ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(*keys).monospace().strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.weak("Drop a .ron file on the window to open it.");
        });
}
