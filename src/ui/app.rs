//! The Settle window: the session, each view's own state and the
//! preferences. One frame reads input, draws every view, then applies the
//! commands the views pushed: the session carries out what it can and
//! hands back what needs the window (dialogs, presentation, theme).

use std::path::{Path, PathBuf};

use egui::Context;
use serde::{Deserialize, Serialize};

use super::canvas::CanvasState;
use super::checks::ChecksState;
use super::export_window::ExportWindow;
use super::file_dialog::FileDialog;
use super::icons::Icons;
use super::inspector::InspectorState;
use super::keymap::{self, KeyAction};
use super::layout::BottomTab;
use super::log::LogState;
use super::narration::LessonState;
#[cfg(not(target_arch = "wasm32"))]
use super::progress_store::{self, ProgressStore};
#[cfg(not(target_arch = "wasm32"))]
use super::recovery::{self, Saver};
use super::sequence::SequenceState;
use super::{quiz, welcome};
use crate::session::{Cmd, Document, Selection, Session, ViewCmd};

mod files;
use files::Choosing;

/// Preferences and the last drawing, kept between runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub speed: f64,
    pub snap: bool,
    pub px_per_ms: f32,
    /// The palette on the left is shown (View ▸ Palette).
    pub palette: bool,
    /// The inspector, replica states, checks and plots on the right are
    /// shown (View ▸ Side panel): hidden, a laptop's canvas and diagram
    /// get the whole width.
    pub side: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            dark: true,
            speed: 0.1,
            snap: true,
            px_per_ms: 3.0,
            palette: true,
            side: true,
        }
    }
}

pub struct SettleApp {
    pub prefs: Prefs,
    pub session: Session,
    pub canvas: CanvasState,
    pub(super) seq: SequenceState,
    /// Side B's canvas and diagram in compare mode.
    pub canvas_b: CanvasState,
    pub(super) seq_b: SequenceState,
    /// Whether the views were last laid out for compare mode.
    pub(super) compared: bool,
    /// Record is on: the captions window is open.
    pub recording: bool,
    pub(super) captions: super::captions::CaptionsState,
    pub(super) log: LogState,
    pub(super) inspector: InspectorState,
    pub(super) lesson: LessonState,
    pub(super) checks: ChecksState,
    pub(super) bottom: BottomTab,
    /// Where the panel under the drawing (the diagram or the log) was
    /// last frame.
    pub(super) diagram_rect: egui::Rect,
    /// The seed field's text while it is typed into.
    pub(super) seed_text: String,
    icons: Option<Icons>,
    pub help: bool,
    /// The glossary window's search text, while it is open.
    pub glossary: Option<String>,
    pub presenting: bool,
    cmds: Vec<Cmd>,
    last_title: String,
    /// Text of the "Open a path" window, when it is open.
    pub(super) open_path: Option<String>,
    /// The session generation, document revision and seed the views were
    /// last made for.
    shown: Option<(u64, u64, u64)>,
    /// A link to copy to the clipboard in the next frame.
    copied: Option<String>,
    /// The in-window file dialog, while open, and what it chooses for.
    file_dialog: Option<(FileDialog, Choosing)>,
    /// File ▸ Export…: its window, and the export being written.
    pub(super) export: ExportWindow,
    /// Try the platform's file dialog first (the real window does; tests
    /// and benchmarks use the in-window one only).
    pub native_dialogs: bool,
    /// Where file dialogs start when the drawing has no folder of its own.
    pub files_dir: PathBuf,
    /// Keeps the recovery copy on disk (the real window only).
    #[cfg(not(target_arch = "wasm32"))]
    saver: Option<Saver>,
    /// Keeps the learner's progress on disk.
    #[cfg(not(target_arch = "wasm32"))]
    progress_store: Option<ProgressStore>,
    /// Keeps the drawing and the progress in the browser's storage.
    #[cfg(target_arch = "wasm32")]
    keeper: Option<super::web::Keeper>,
    /// A file the browser's picker chose, for the next frame to open.
    #[cfg(target_arch = "wasm32")]
    picked: super::web::Picked,
    /// The page's egui context, for the picker to wake a frame with.
    #[cfg(target_arch = "wasm32")]
    ctx: Option<egui::Context>,
}

impl SettleApp {
    /// The app as a new user first sees it: the welcome view.
    pub fn new(prefs: Prefs) -> Self {
        let session = Session::new(prefs.speed, Default::default());
        let px = prefs.px_per_ms;
        SettleApp {
            prefs,
            session,
            canvas: CanvasState::default(),
            seq: SequenceState::new(px),
            canvas_b: CanvasState::default(),
            seq_b: SequenceState::new(px),
            compared: false,
            recording: false,
            captions: Default::default(),
            log: LogState::default(),
            inspector: InspectorState::default(),
            lesson: LessonState::default(),
            checks: ChecksState::default(),
            bottom: BottomTab::Sequence,
            diagram_rect: egui::Rect::NOTHING,
            seed_text: String::new(),
            icons: None,
            help: false,
            glossary: None,
            presenting: false,
            cmds: Vec::new(),
            last_title: String::new(),
            open_path: None,
            shown: None,
            file_dialog: None,
            copied: None,
            export: ExportWindow::default(),
            native_dialogs: false,
            files_dir: std::env::current_dir().unwrap_or_default(),
            #[cfg(not(target_arch = "wasm32"))]
            saver: None,
            #[cfg(not(target_arch = "wasm32"))]
            progress_store: None,
            #[cfg(target_arch = "wasm32")]
            keeper: None,
            #[cfg(target_arch = "wasm32")]
            picked: Default::default(),
            #[cfg(target_arch = "wasm32")]
            ctx: None,
        }
    }

    /// The app in a web page: preferences, the last drawing and progress
    /// from the browser's storage; a lesson and moment named in the
    /// address open at once, paused.
    #[cfg(target_arch = "wasm32")]
    pub fn in_browser(cc: &eframe::CreationContext<'_>) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = SettleApp::new(prefs);
        app.ctx = Some(cc.egui_ctx.clone());
        app.keeper = Some(super::web::Keeper::start(&mut app.session));
        let (_, fragment) = super::web::location();
        if !fragment.trim_start_matches('#').is_empty() {
            app.apply(Cmd::OpenLink(fragment));
        }
        app
    }

    /// The app with preferences from eframe's storage, opening `file` if given.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, file: Option<&Path>) -> Self {
        let prefs: Prefs = storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = SettleApp::new(prefs);
        app.native_dialogs = true;
        app.keep_recovery_in(recovery::folder());
        app.keep_progress_in(recovery::folder());
        if let Some(path) = file {
            app.open(path);
        }
        app
    }

    /// Keeps a recovery copy of the drawing in `dir`, and offers what an
    /// earlier run left there.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn keep_recovery_in(&mut self, dir: Option<PathBuf>) {
        let Some(dir) = dir else { return };
        let found = crate::session::recovery::at_start(&dir);
        self.session.last = found.last;
        self.session.recovered = found.recovered;
        match Saver::start(dir) {
            Ok(s) => self.saver = Some(s),
            Err(e) => {
                self.session.notice = Some(crate::session::Notice::error(format!(
                    "Settle cannot keep a recovery copy of your drawing: {e}. Save often."
                )))
            }
        }
    }

    /// Keeps the learner's progress in `dir`: reads what an earlier run
    /// left there, and writes every change back.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn keep_progress_in(&mut self, dir: Option<PathBuf>) {
        let Some(dir) = dir else { return };
        match progress_store::load(&dir) {
            Ok(p) => self.session.progress = p,
            Err(e) => self.session.notice = Some(crate::session::Notice::error(e)),
        }
        match ProgressStore::start(dir) {
            Ok(s) => self.progress_store = Some(s),
            Err(e) => {
                self.session.notice = Some(crate::session::Notice::error(format!(
                    "Settle cannot keep your progress between runs: {e}."
                )))
            }
        }
    }

    /// Opens a preset directly (tests, screenshots).
    pub fn open_preset(&mut self, i: usize) {
        self.apply(Cmd::OpenPreset(i));
    }

    /// Opens a file, or shows why it cannot be opened and keeps the drawing.
    pub fn open(&mut self, path: &Path) {
        self.session.open(path);
    }

    /// Shows a document built elsewhere (tests, benchmarks).
    pub fn load(&mut self, doc: Document) {
        self.session.load(doc);
    }

    /// Queues a command as if a view had pushed it (tests, screenshots).
    pub fn push(&mut self, c: Cmd) {
        self.cmds.push(c);
    }

    /// Everything one frame does: input, views, then the commands they pushed.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.icons.is_none() {
            super::fonts::install(&ctx);
            self.icons = Some(Icons::new(&ctx));
        }
        ctx.set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        let mut cmds = std::mem::take(&mut self.cmds);
        self.dropped_files(&ctx, &mut cmds);
        self.keys(&ctx, &mut cmds);
        self.reset_views_if_replaced();
        // A pass egui runs again (a sizing pass) gets no new input but the
        // same frame time: the run advances once per frame.
        if ctx.current_pass_index() == 0 {
            let dt = f64::from(ctx.input(|i| i.stable_dt)).min(0.1);
            self.session.tick(dt);
        }
        let Some(icons) = self.icons.take() else {
            self.cmds = cmds;
            return;
        };
        if self.session.welcome {
            welcome::ui(ui, &icons, &self.session, &mut cmds);
        } else if self.session.quiz.open {
            quiz::ui(ui, &self.session, self.presenting, &mut cmds);
        } else {
            self.editor(ui, &icons, &mut cmds);
        }
        self.icons = Some(icons);
        if let Some(link) = self.copied.take() {
            ctx.copy_text(link);
        }
        self.windows(&ctx, &mut cmds);
        for c in cmds {
            self.apply(c);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            if let Some(saver) = &mut self.saver {
                saver.watch(&self.session);
            }
            if let Some(store) = &mut self.progress_store {
                store.watch(&self.session.progress);
            }
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(keeper) = &mut self.keeper {
            keeper.watch(&self.session);
        }
        // egui paints only on input; a running simulation is input enough.
        if self.session.player.as_ref().is_some_and(|p| p.playing) {
            ctx.request_repaint();
        }
        let mut title = if self.session.welcome {
            "Settle".to_string()
        } else {
            self.session.doc.title()
        };
        // A page's tab names the moment too, while paused: a link's landing
        // place can be read off the tab (and is, by the browser test).
        if cfg!(target_arch = "wasm32")
            && !self.session.welcome
            && let Some(p) = self.session.player.as_ref().filter(|p| !p.playing)
        {
            let at = format!(" at {} — Settle", crate::model::fmt_time(p.now()));
            title = title.replace(" — Settle", &at);
        }
        if title != self.last_title {
            #[cfg(target_arch = "wasm32")]
            super::web::set_title(&title);
            #[cfg(not(target_arch = "wasm32"))]
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    /// Keys of the keymap pressed this frame, as commands.
    fn keys(&mut self, ctx: &Context, cmds: &mut Vec<Cmd>) {
        // A dialog in front takes the keys itself (Esc closes it).
        if self.file_dialog.is_some()
            || self.export.open
            || self.session.confirm.is_some()
            || self.session.overwrite.is_some()
        {
            return;
        }
        let editing = !self.session.welcome && !self.session.quiz.open;
        for action in keymap::pressed(ctx, !editing) {
            let c = match action {
                KeyAction::Run(c) => c,
                KeyAction::Region(forward) => {
                    super::regions::cycle(ctx, forward);
                    continue;
                }
                KeyAction::Escape if self.help => Cmd::View(ViewCmd::ToggleHelp),
                KeyAction::Escape if self.glossary.is_some() => Cmd::View(ViewCmd::ToggleGlossary),
                KeyAction::Escape if self.presenting => Cmd::View(ViewCmd::TogglePresentation),
                KeyAction::Escape => Cmd::Select(Selection::default()),
            };
            cmds.push(c);
        }
    }

    /// A file dropped on the window opens; in a web page it comes as bytes
    /// (as does one the browser's picker chose).
    fn dropped_files(&mut self, ctx: &Context, cmds: &mut Vec<Cmd>) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(f) = dropped.first() {
            #[cfg(not(target_arch = "wasm32"))]
            cmds.push(Cmd::Open(f.path().to_path_buf()));
            #[cfg(target_arch = "wasm32")]
            super::web::read_dropped(f.clone(), self.picked.clone(), ctx.clone());
        }
        #[cfg(target_arch = "wasm32")]
        if let Some((name, bytes)) = self.picked.borrow_mut().take() {
            cmds.push(Cmd::OpenBytes { name, bytes });
        }
        // A new address typed or pasted into the page's address bar.
        #[cfg(target_arch = "wasm32")]
        if let Some(f) = self.keeper.as_mut().and_then(|k| k.address_changed()) {
            cmds.push(Cmd::OpenLink(f));
        }
    }

    /// A new drawing or a new run starts its views afresh.
    fn reset_views_if_replaced(&mut self) {
        let s = &self.session;
        let seed = s.player.as_ref().map_or(s.doc.scenario.seed, |p| p.seed);
        let now = (s.generation, s.doc.revision, seed);
        if Some(now) == self.shown {
            return;
        }
        let replaced = self.shown.is_none_or(|(g, _, _)| g != now.0);
        self.shown = Some(now);
        self.seed_text = seed.to_string();
        self.log = LogState::default();
        if replaced {
            self.canvas.request_fit();
            self.lesson = LessonState::default();
            self.inspector = InspectorState::default();
            self.checks = ChecksState::default();
            self.seq.follow = true;
        }
    }

    /// Applies one command: the session's, or the window's own.
    pub fn apply(&mut self, c: Cmd) {
        let Some(v) = self.session.apply(c) else {
            self.prefs.speed = self.session.speed;
            return;
        };
        match v {
            ViewCmd::OpenDialog => self.choose_file(Choosing::Open),
            ViewCmd::SaveAsDialog => self.choose_file(Choosing::SaveAs),
            ViewCmd::ExportDialog => self.open_export(),
            ViewCmd::TogglePresentation => {
                self.presenting = !self.presenting;
                self.canvas.request_fit();
            }
            ViewCmd::ToggleHelp => self.help = !self.help,
            ViewCmd::ToggleGlossary => {
                self.glossary = match self.glossary {
                    Some(_) => None,
                    None => Some(String::new()),
                }
            }
            ViewCmd::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            ViewCmd::Fit => self.canvas.request_fit(),
            ViewCmd::CopyLink => self.copy_link(),
        }
    }

    /// Where each node's name was painted last frame on side A's canvas
    /// (or B's in compare mode), and at what type size: what the label
    /// placement promises (none over another, none too small) is
    /// checked on this.
    pub fn names_drawn(&self, side_b: bool) -> Vec<(String, egui::Rect, f32)> {
        let c = if side_b { &self.canvas_b } else { &self.canvas };
        c.names
            .iter()
            .map(|n| (n.id.clone(), n.rect, n.size))
            .collect()
    }

    /// How many rows of the sequence diagram (by order) the panel under
    /// the drawing had room for last frame.
    pub fn diagram_rows(&self) -> f32 {
        super::layout::rows_in(self.diagram_rect.height(), self.presenting)
    }

    /// What eframe persists: the preferences (the drawing is kept by the
    /// recovery copy).
    pub fn persisted(&self) -> Prefs {
        self.prefs.clone()
    }
}

impl eframe::App for SettleApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(saver) = &mut self.saver {
            saver.close(&self.session.doc);
        }
    }
}
