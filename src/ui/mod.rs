//! The desktop app (eframe/egui). Every view is a function of the trace,
//! the moment shown and the selection; views push [`command::Cmd`]s and
//! the app applies them at the end of the frame.

pub mod app;
pub mod bench;
mod canvas;
mod checks;
pub mod command;
pub mod document;
pub mod edit;
mod fonts;
mod geometry;
mod help;
mod icons;
mod inspector;
mod log;
mod narration;
pub mod player;
mod plots;
pub mod presets;
pub mod replicas;
pub mod screenshot;
mod sequence;
mod theme;
mod timeline;
mod welcome;

pub use app::SettleApp;

use std::path::PathBuf;

/// Opens the window, optionally on a file.
pub fn run_window(file: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Settle")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Settle",
        options,
        Box::new(move |cc| {
            Ok(Box::new(SettleApp::from_storage(
                cc.storage,
                file.as_deref(),
            )))
        }),
    )
    .map_err(|e| e.to_string())
}
