//! The keyboard help overlay, opened with `?`: every binding of the keymap
//! as this platform writes it, then what the mouse does.

use egui::RichText;

use super::keymap;

/// What the pointer does, for the overlay's second half.
const GESTURES: &[(&str, &str)] = &[
    ("Scroll", "Zoom the canvas at the cursor"),
    ("Drag empty space", "Pan the canvas"),
    ("Shift+drag", "Select with a box"),
    ("Drag a node's port", "Link it to another node"),
    ("Double-click a node", "Rename it"),
    ("Right-click", "Crash, restart, cut, heal, delete"),
];

pub fn ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for b in keymap::bindings() {
                        let Some(what) = b.help else { continue };
                        let keys = keymap::keys_text(ctx, &b.keys);
                        ui.label(RichText::new(keys).monospace().strong());
                        ui.label(what);
                        ui.end_row();
                    }
                    for (keys, what) in keymap::canvas::HELP {
                        ui.label(RichText::new(*keys).monospace().strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                    for (gesture, what) in GESTURES {
                        ui.label(RichText::new(*gesture).monospace().strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.weak("Drop a .ron file on the window to open it.");
        });
}
