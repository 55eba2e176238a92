//! File ▸ Export…: a small window to pick what to export (the diagram, the
//! canvas still or animated, the plotted series, the trace), its format,
//! the moment or span of time and the size, starting from what is on
//! screen. The file itself is chosen with the same dialogs as Save As, and
//! written on a thread of its own, so a long animation never freezes the
//! window; the result comes back as a notice.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::{Context, Ui};

use super::theme;
use crate::export::{self, Format, Lanes, Request, Size, View};
use crate::model::{Dur, Micros, parse_dur};
use crate::scenario::Scenario;
use crate::session::Notice;

/// The choices the window offers: the canvas still and animated are two,
/// because they take a moment and a span of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Diagram,
    Canvas,
    Animation,
    Series,
    Trace,
}

impl What {
    const ALL: [What; 5] = [
        What::Diagram,
        What::Canvas,
        What::Animation,
        What::Series,
        What::Trace,
    ];

    fn label(self) -> &'static str {
        match self {
            What::Diagram => "Diagram",
            What::Canvas => "Canvas",
            What::Animation => "Canvas animation",
            What::Series => "Series",
            What::Trace => "Trace",
        }
    }

    fn about(self) -> &'static str {
        match self {
            What::Diagram => "The sequence diagram, one row per message",
            What::Canvas => "The drawing at one moment",
            What::Animation => "The drawing moving over a span of time",
            What::Series => "The numbers behind the plots, one row per sample",
            What::Trace => "Every step of the run, as Settle's command line writes it",
        }
    }

    fn view(self) -> View {
        match self {
            What::Diagram => View::Diagram,
            What::Canvas | What::Animation => View::Canvas,
            What::Series => View::Series,
            What::Trace => View::Trace,
        }
    }

    fn formats(self) -> Vec<Format> {
        match self {
            What::Canvas => vec![Format::Png, Format::Svg],
            What::Animation => vec![Format::Gif],
            What::Diagram | What::Series | What::Trace => self.view().formats().to_vec(),
        }
    }

    /// The words a notice uses: "Exported the canvas animation to …".
    fn said(self) -> &'static str {
        match self {
            What::Diagram => "diagram",
            What::Canvas => "canvas",
            What::Animation => "canvas animation",
            What::Series => "series",
            What::Trace => "trace",
        }
    }
}

/// An export being written on its own thread.
struct Running {
    done: Receiver<Result<String, String>>,
}

/// The window's choices, kept while the app runs so a second export
/// starts from the first one's.
pub struct ExportWindow {
    pub open: bool,
    what: What,
    format: Format,
    at: String,
    from: String,
    to: String,
    size: String,
    lanes: Lanes,
    error: Option<String>,
    /// What the window asked for, waiting for a file to be chosen.
    pending: Option<(Request, What)>,
    running: Option<Running>,
}

impl Default for ExportWindow {
    fn default() -> Self {
        ExportWindow {
            open: false,
            what: What::Diagram,
            format: Format::Svg,
            at: String::new(),
            from: String::new(),
            to: String::new(),
            size: String::new(),
            lanes: Lanes::default(),
            error: None,
            pending: None,
            running: None,
        }
    }
}

/// The size field's text for a choice: a slide for the canvas, and none
/// (as large as its rows need) for the diagram.
fn default_size(w: What) -> String {
    match w {
        What::Canvas | What::Animation => Size::SLIDE.to_string(),
        What::Diagram | What::Series | What::Trace => String::new(),
    }
}

/// A moment as a person types it, to the millisecond: `2.345s`.
fn moment_text(t: Micros) -> String {
    Dur(t / 1_000 * 1_000).to_string()
}

impl ExportWindow {
    /// Opens the window on what is on screen: the moment shown, the whole
    /// run, the diagram's lanes as arranged.
    pub fn show_for(&mut self, now: Micros, until: Micros, lanes: Lanes) {
        self.open = true;
        self.error = None;
        self.at = moment_text(now);
        self.from = moment_text(0);
        self.to = moment_text(until);
        self.lanes = lanes;
        if self.size.trim().is_empty() {
            self.size = default_size(self.what);
        }
        if !self.what.formats().contains(&self.format) {
            self.format = self.what.formats()[0];
        }
    }

    /// Whether an export is being written.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The request the window's fields make, or what is wrong with them.
    fn request(&self, until: Micros) -> Result<Request, String> {
        let time = |name: &str, text: &str| {
            parse_dur(text)
                .map(|d| d.0)
                .map_err(|e| format!("{name}: {e}"))
        };
        let mut req = Request::new(self.what.view(), self.format);
        match self.what {
            What::Canvas => req.at = Some(time("Moment", &self.at)?),
            What::Diagram | What::Animation => {
                req.from = Some(time("From", &self.from)?);
                req.to = Some(time("To", &self.to)?);
            }
            What::Series | What::Trace => {}
        }
        if matches!(self.what, What::Diagram | What::Canvas | What::Animation)
            && !self.size.trim().is_empty()
        {
            req.size = Some(Size::parse(&self.size).map_err(|e| format!("Size: {e}"))?);
        }
        if self.what == What::Diagram {
            req.lanes = self.lanes.clone();
        }
        req.check(until).map_err(|e| e.to_string())?;
        Ok(req)
    }

    /// Draws the window; gives the request once the person asks to export
    /// it, for the app to find it a file.
    pub fn ui(&mut self, ctx: &Context, until: Micros) -> Option<Request> {
        if !self.open {
            return None;
        }
        let mut open = true;
        let mut asked = None;
        // Opened near the middle, over the views it exports, rather than
        // over the menu bar in the corner.
        let at = ctx.content_rect().center() - egui::vec2(0.0, 120.0);
        egui::Window::new("Export")
            .open(&mut open)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(at)
            .order(egui::Order::Foreground)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                asked = self.fields(ui, until);
            });
        if !open {
            self.open = false;
        }
        asked
    }

    fn fields(&mut self, ui: &mut Ui, until: Micros) -> Option<Request> {
        ui.label("What to export:");
        for w in What::ALL {
            if ui
                .radio_value(&mut self.what, w, w.label())
                .on_hover_text(w.about())
                .changed()
            {
                self.format = w.formats()[0];
                self.error = None;
                self.size = default_size(w);
            }
        }
        ui.separator();
        ui.label("Format:");
        ui.horizontal_wrapped(|ui| {
            for f in self.what.formats() {
                ui.radio_value(&mut self.format, f, format!(".{}", f.extension()))
                    .on_hover_text(f.describe());
            }
        });
        ui.separator();
        match self.what {
            What::Canvas => {
                field(
                    ui,
                    "Moment",
                    &mut self.at,
                    "The moment the picture shows, like 2.5s",
                );
            }
            What::Diagram | What::Animation => {
                field(
                    ui,
                    "From",
                    &mut self.from,
                    "Where the span of time starts, like 0s",
                );
                field(ui, "To", &mut self.to, "Where it ends");
            }
            What::Series | What::Trace => {
                ui.weak("The whole run, seed and all, as the drawing stands.");
            }
        }
        if matches!(self.what, What::Diagram | What::Canvas | What::Animation) {
            let hint = if self.what == What::Diagram {
                "Width x height in pixels; leave empty for as tall as the rows need"
            } else {
                "Width x height in pixels, like 1280x720"
            };
            field(ui, "Size", &mut self.size, hint);
        }
        if self.what == What::Diagram && self.lanes != Lanes::default() {
            ui.weak("Lanes as arranged in the diagram (order and hidden lanes).");
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::ink(ui, theme::FAULT), e);
        }
        ui.add_space(6.0);
        let mut asked = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!self.busy(), egui::Button::new("Export…"))
                .on_hover_text("Choose where to save it")
                .clicked()
            {
                match self.request(until) {
                    Ok(req) => {
                        self.error = None;
                        self.pending = Some((req.clone(), self.what));
                        self.open = false;
                        asked = Some(req);
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            if ui.button("Cancel").clicked() {
                self.open = false;
            }
        });
        asked
    }

    /// A file name to suggest: the drawing's name and what is exported.
    pub fn suggested_name(&self, doc: &str) -> String {
        let stem = doc.trim_end_matches(".ron");
        let (what, ext) = match &self.pending {
            Some((req, what)) => (*what, req.format.extension()),
            None => (self.what, self.format.extension()),
        };
        let what = what.said().replace(' ', "-");
        format!("{stem}-{what}.{ext}")
    }

    /// The extension the file must have, while a file is being chosen.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn extension(&self) -> &'static str {
        self.pending
            .as_ref()
            .map_or(self.format.extension(), |(r, _)| r.format.extension())
    }

    /// Starts writing the export waiting for a file, to `path`; says so
    /// in a notice.
    pub fn start(&mut self, scenario: Scenario, seed: u64, path: PathBuf) -> Notice {
        let Some((mut req, what)) = self.pending.take() else {
            return Notice::error("There is nothing to export.");
        };
        // The name chosen may ask for another format the view allows.
        if let Ok(f) = Format::of_path(&path)
            && req.view.formats().contains(&f)
            && f != req.format
            && !(what == What::Canvas && f == Format::Gif)
            && !(what == What::Animation && f != Format::Gif)
        {
            req.format = f;
        }
        if Format::of_path(&path).ok() != Some(req.format) {
            return Notice::error(format!(
                "{} does not end in .{}: give the file that extension to export it",
                path.display(),
                req.format.extension()
            ));
        }
        let (tx, rx) = channel();
        let said = what.said();
        let shown = path.display().to_string();
        std::thread::spawn(move || {
            let result = export::export(&scenario, seed, &req)
                .map_err(|e| format!("Cannot export the {said}: {e}"))
                .and_then(|bytes| {
                    crate::session::files::write_atomic(&path, &bytes)
                        .map_err(|e| format!("Cannot write {}: {e}", path.display()))
                        .map(|()| {
                            format!(
                                "Exported the {said} to {} ({}).",
                                path.display(),
                                export::bytes_said(bytes.len())
                            )
                        })
                });
            // The window may have closed meanwhile; nobody is left to tell.
            let _ = tx.send(result);
        });
        self.running = Some(Running { done: rx });
        Notice::info(format!("Exporting the {said} to {shown}…"))
    }

    /// In a web page: makes the export waiting for a file now (a page has
    /// no threads to hand it to, so a long animation holds the page while
    /// it is made) and hands it over as a download called `name`.
    #[cfg(target_arch = "wasm32")]
    pub fn download(&mut self, scenario: &Scenario, seed: u64, name: String) -> Notice {
        let Some((req, what)) = self.pending.take() else {
            return Notice::error("There is nothing to export.");
        };
        let said = what.said();
        match export::export(scenario, seed, &req) {
            Ok(bytes) => {
                let size = export::bytes_said(bytes.len());
                super::web::download(name.clone(), bytes);
                Notice::info(format!("Exported the {said} as {name} ({size})."))
            }
            Err(e) => Notice::error(format!("Cannot export the {said}: {e}")),
        }
    }

    /// Forgets the export waiting for a file (the dialog was cancelled).
    pub fn cancel(&mut self) {
        self.pending = None;
    }

    /// How the running export ended, once it has.
    pub fn poll(&mut self) -> Option<Notice> {
        let running = self.running.as_ref()?;
        let notice = match running.done.try_recv() {
            Err(TryRecvError::Empty) => return None,
            Ok(Ok(text)) => Notice::info(text),
            Ok(Err(text)) => Notice::error(text),
            Err(TryRecvError::Disconnected) => {
                Notice::error("The export stopped before it finished.")
            }
        };
        self.running = None;
        Some(notice)
    }
}

/// A labelled one-line field, named by its label for screen readers.
fn field(ui: &mut Ui, label: &str, text: &mut String, hint: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(text).desired_width(160.0))
            .labelled_by(l.id)
            .on_hover_text(hint);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_make_a_request_or_say_what_is_wrong() {
        let mut w = ExportWindow::default();
        w.show_for(2_345_678, 5_000_000, Lanes::default());
        assert_eq!(w.at, "2.345s");
        w.what = What::Canvas;
        w.format = Format::Png;
        w.size = "800x600".into();
        let req = w.request(5_000_000).expect("a request");
        assert_eq!(req.at, Some(2_345_000));
        assert_eq!(req.size, Some(Size { w: 800, h: 600 }));
        w.at = "9s".into();
        assert!(
            w.request(5_000_000)
                .expect_err("late")
                .contains("after the end")
        );
        w.at = "soon".into();
        assert!(
            w.request(5_000_000)
                .expect_err("not a time")
                .starts_with("Moment")
        );
        w.what = What::Animation;
        w.format = Format::Gif;
        w.size = "5x5".into();
        assert!(w.request(5_000_000).expect_err("tiny").starts_with("Size"));
    }
}
