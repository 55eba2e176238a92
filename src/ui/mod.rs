//! The desktop app (eframe/egui): one module per view, each a function of
//! the session's state (the drawing, the run, its moment, the selection)
//! that pushes [`crate::session::Cmd`]s; [`app`] applies them once the
//! frame is drawn. Nothing here runs the simulation or edits the drawing
//! itself: that is the session's.

pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
mod canvas;
mod captions;
mod challenge;
mod checks;
mod choose;
mod compare;
mod data;
mod dialogs;
mod export_window;
// A page has no folders to list: the browser's picker takes its place.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
mod file_dialog;
mod fonts;
mod geometry;
mod glossary;
mod help;
mod icons;
mod inspector;
mod keymap;
mod layout;
mod log;
mod menus;
mod narration;
mod plots;
#[cfg(not(target_arch = "wasm32"))]
pub mod progress_store;
mod quiz;
#[cfg(not(target_arch = "wasm32"))]
mod recovery;
mod regions;
mod replicas;
#[cfg(not(target_arch = "wasm32"))]
pub mod screenshot;
mod sequence;
mod theme;
mod timeline;
mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
mod web_a11y;
mod welcome;

pub use app::SettleApp;

#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;

/// Opens the window, optionally on a file.
#[cfg(not(target_arch = "wasm32"))]
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
