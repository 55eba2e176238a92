//! `settle screenshot`: opens the real window on a scenario, moves to a
//! moment, saves a PNG of the whole window and exits. Used for the README's
//! picture and by CI to prove the window really draws.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::app::{Prefs, SettleApp};
use crate::scenario::Micros;
use crate::session::Cmd;

/// What the screenshot callback reports back to the app.
type Outcome = Arc<Mutex<Option<Result<(), String>>>>;

struct ShotApp {
    app: SettleApp,
    at: Micros,
    out: PathBuf,
    frames: u32,
    requested: bool,
    outcome: Outcome,
}

fn save_png(image: &egui::ColorImage, out: &Path) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let png = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or("the screenshot had an unexpected size")?;
    png.save(out)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}

impl eframe::App for ShotApp {
    /// Screenshots start from the same layout every time.
    fn persist_egui_memory(&self) -> bool {
        false
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.frames == 1 {
            self.app.push(Cmd::Seek(self.at as f64));
            self.app.push(Cmd::Pause);
        }
        self.app.show(ui);
        self.frames += 1;
        // A few frames let layout, fonts and textures settle before the shot.
        if self.frames >= 8 && !self.requested {
            self.requested = true;
            let out = self.out.clone();
            let outcome = self.outcome.clone();
            ctx.request_screenshot(move |img| {
                let r = save_png(&img, &out);
                if let Ok(mut slot) = outcome.lock() {
                    *slot = Some(r);
                }
            });
        }
        let done = self.outcome.lock().map(|o| o.is_some()).unwrap_or(true);
        if done {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ctx.request_repaint();
    }
}

/// Opens `file` in a window of `size`, shows moment `at`, saves `out`.
/// How the window looks in the shot.
#[derive(Clone, Copy, Debug, Default)]
pub struct Look {
    /// Presentation mode, as on a projector.
    pub present: bool,
    /// The light theme.
    pub light: bool,
}

pub fn screenshot(
    file: &Path,
    at: Micros,
    out: &Path,
    size: (f32, f32),
    look: Look,
) -> Result<(), String> {
    crate::scenario::load_file(file).map_err(|e| e.to_string())?;
    let mut app = SettleApp::new(Prefs {
        dark: !look.light,
        ..Prefs::default()
    });
    app.presenting = look.present;
    app.open(file);
    let outcome: Outcome = Arc::new(Mutex::new(None));
    let shot = ShotApp {
        app,
        at,
        out: out.to_path_buf(),
        frames: 0,
        requested: false,
        outcome: outcome.clone(),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Settle")
            .with_inner_size([size.0, size.1])
            .with_resizable(false),
        persist_window: false,
        ..Default::default()
    };
    eframe::run_native(
        "Settle screenshot",
        options,
        Box::new(move |_cc| Ok(Box::new(shot))),
    )
    .map_err(|e| e.to_string())?;
    let result = outcome
        .lock()
        .map_err(|_| "the screenshot was lost".to_string())?
        .take();
    result.unwrap_or_else(|| Err("the window closed before the screenshot was taken".into()))
}
