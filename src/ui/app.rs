//! The Settle window: owns the document, the run, the selection and each
//! view's own state, lays the views out, and applies the commands they
//! push once the frame is drawn.

use std::path::{Path, PathBuf};

use egui::{Context, Key, KeyboardShortcut, Modifiers, ViewportCommand};
use serde::{Deserialize, Serialize};

use super::canvas::{self, CanvasState};
use super::command::{Action, Cmd, Selection};
use super::document::Document;
use super::icons::Icons;
use super::inspector::{self, InspectorState};
use super::log::{self, LogState};
use super::player::Player;
use super::presets::{self, PRESETS};
use super::sequence::{self, SequenceState};
use super::{checks, help, narration, plots, replicas, timeline, welcome};
use crate::scenario::{self, Dur, Fault, Scenario, Work};

/// Preferences and the last drawing, kept between runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub speed: f64,
    pub snap: bool,
    pub px_per_ms: f32,
    /// The document open when the app last closed, so nothing drawn is lost.
    pub autosave: Option<Autosave>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            dark: true,
            speed: 0.1,
            snap: true,
            px_per_ms: 3.0,
            autosave: None,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Autosave {
    pub ron: String,
    pub path: Option<PathBuf>,
    pub name: String,
    pub dirty: bool,
}

/// What the views read: the drawing, the run, the selection.
pub struct View<'a> {
    pub scenario: &'a Scenario,
    pub player: Option<&'a Player>,
    pub selection: &'a Selection,
    pub icons: &'a Icons,
    pub presenting: bool,
    pub snap: bool,
    pub can_undo: bool,
    pub can_redo: bool,
}

/// A short message across the top of the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BottomTab {
    Sequence,
    Log,
}

pub struct SettleApp {
    pub prefs: Prefs,
    pub doc: Document,
    pub player: Option<Player>,
    built_revision: u64,
    /// Why the drawing cannot run, when it cannot.
    pub problem: Option<String>,
    pub notice: Option<Notice>,
    pub welcome: bool,
    pub selection: Selection,
    pub canvas: CanvasState,
    seq: SequenceState,
    log: LogState,
    inspector: InspectorState,
    icons: Option<Icons>,
    pub help: bool,
    pub presenting: bool,
    cmds: Vec<Cmd>,
    last_title: String,
    /// Text of the "Open a path" window, when it is open.
    open_path: Option<String>,
    /// A replacement waiting for the user to confirm losing unsaved edits.
    confirm: Option<Cmd>,
    bottom: BottomTab,
    seed_text: String,
    lesson: narration::LessonState,
    checks: checks::ChecksState,
}

impl SettleApp {
    /// The app as a new user first sees it: the welcome view.
    pub fn new(prefs: Prefs) -> Self {
        let (doc, player) = match PRESETS.get(presets::DEFAULT).map(presets::Preset::load) {
            Some(Ok(s)) => {
                let player = Player::new(&s, s.seed).ok().map(|mut p| {
                    p.speed = prefs.speed;
                    p
                });
                (
                    Document::new(s, None, PRESETS[presets::DEFAULT].file.to_string()),
                    player,
                )
            }
            _ => (
                Document::new(empty_scenario(), None, "Untitled".into()),
                None,
            ),
        };
        let px = prefs.px_per_ms;
        let mut app = SettleApp {
            prefs,
            doc,
            player,
            built_revision: 0,
            problem: None,
            notice: None,
            welcome: true,
            selection: Selection::default(),
            canvas: CanvasState::default(),
            seq: SequenceState::new(px),
            log: LogState::default(),
            inspector: InspectorState::default(),
            icons: None,
            help: false,
            presenting: false,
            cmds: Vec::new(),
            last_title: String::new(),
            open_path: None,
            confirm: None,
            bottom: BottomTab::Sequence,
            seed_text: String::new(),
            lesson: narration::LessonState::default(),
            checks: checks::ChecksState::default(),
        };
        app.sync_seed_text();
        app
    }

    /// The app with preferences from eframe's storage, opening `file` if given.
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, file: Option<&Path>) -> Self {
        let prefs: Prefs = storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = SettleApp::new(prefs);
        if let Some(path) = file {
            app.open(path);
        }
        app
    }

    /// Opens a preset directly (tests, screenshots).
    pub fn open_preset(&mut self, i: usize) {
        self.apply(Cmd::OpenPreset(i));
    }

    /// Opens a file, or shows why it cannot be opened and keeps the drawing.
    pub fn open(&mut self, path: &Path) {
        match scenario::load_file(path) {
            Ok(s) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                self.replace(Document::new(s, Some(path.to_path_buf()), name));
            }
            Err(e) => {
                self.notice = Some(Notice {
                    text: e.to_string(),
                    error: true,
                });
            }
        }
    }

    /// Shows a document built elsewhere (tests, benchmarks).
    pub fn load(&mut self, doc: Document) {
        self.replace(doc);
    }

    fn replace(&mut self, doc: Document) {
        let seed = doc.scenario.seed;
        self.doc = doc;
        self.selection = Selection::default();
        self.welcome = false;
        self.player = None;
        self.problem = scenario::problem(&self.doc.scenario);
        if self.problem.is_none() {
            match Player::new(&self.doc.scenario, seed) {
                Ok(mut p) => {
                    p.speed = self.prefs.speed;
                    self.player = Some(p);
                }
                Err(e) => self.problem = Some(e),
            }
        }
        self.built_revision = self.doc.revision;
        self.canvas.request_fit();
        self.log = LogState::default();
        self.lesson = narration::LessonState::default();
        self.inspector = InspectorState::default();
        self.checks = checks::ChecksState::default();
        self.seq.follow = true;
        self.sync_seed_text();
    }

    fn sync_seed_text(&mut self) {
        self.seed_text = self
            .player
            .as_ref()
            .map_or(self.doc.scenario.seed, |p| p.seed)
            .to_string();
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
        let zoom = if self.presenting { 1.3 } else { 1.0 };
        if (ctx.zoom_factor() - zoom).abs() > 1e-3 {
            // A new zoom takes effect next frame; laying out this one at the
            // old scale would size the panels wrongly for good.
            ctx.set_zoom_factor(zoom);
            ctx.request_repaint();
            return;
        }
        self.dropped_files(&ctx);
        self.shortcuts(&ctx);
        if let Some(p) = &mut self.player {
            let dt = f64::from(ctx.input(|i| i.stable_dt)).min(0.1);
            p.tick(dt);
            if p.playing {
                ctx.request_repaint();
            }
        }
        let Some(icons) = self.icons.take() else {
            return;
        };
        if self.welcome {
            let resume = self.prefs.autosave.as_ref().map(|a| a.name.clone());
            welcome::ui(ui, &icons, resume.as_deref(), &mut self.cmds);
        } else {
            self.editor(ui, &icons);
        }
        self.icons = Some(icons);
        self.windows(&ctx);
        let cmds = std::mem::take(&mut self.cmds);
        for c in cmds {
            self.apply(c);
        }
        self.rebuild_if_edited();
        // egui paints only on input; a running simulation is input enough.
        if self.player.as_ref().is_some_and(|p| p.playing) {
            ctx.request_repaint();
        }
        let title = if self.welcome {
            "Settle".to_string()
        } else {
            self.doc.title()
        };
        if title != self.last_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    fn editor(&mut self, ui: &mut egui::Ui, icons: &Icons) {
        let player = self.player.as_ref();
        let view = View {
            scenario: &self.doc.scenario,
            player,
            selection: &self.selection,
            icons,
            presenting: self.presenting,
            snap: self.prefs.snap,
            can_undo: self.doc.can_undo(),
            can_redo: self.doc.can_redo(),
        };
        let cmds = &mut self.cmds;
        egui::Panel::top("menu").show(ui, |ui| {
            menu_bar(
                ui,
                &view,
                &self.doc,
                cmds,
                &mut self.prefs,
                &mut self.open_path,
            );
            banner(ui, self.problem.as_deref(), &mut self.notice);
            for (db, users) in scenario::shared_databases(&self.doc.scenario) {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(super::theme::FAULT, "⚠ Shared database:");
                    ui.label(format!(
                        "{db} is used by {}. Each service should own its data: sharing a database couples their schemas, and none of them can be changed, deployed or scaled on its own.",
                        users.join(" and ")
                    ));
                });
            }
        });
        egui::Panel::bottom("timeline").show(ui, |ui| {
            timeline::ui(ui, &view, &mut self.seed_text, cmds);
        });
        if !self.presenting {
            egui::Panel::left("palette")
                .resizable(false)
                .exact_size(150.0)
                .show(ui, |ui| {
                    canvas::palette(ui, icons, cmds);
                });
            egui::Panel::right("side")
                .resizable(true)
                .default_size(500.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("side-scroll")
                        .show(ui, |ui| {
                            inspector::ui(ui, &view, &mut self.inspector, cmds);
                            ui.separator();
                            egui::CollapsingHeader::new(
                                egui::RichText::new("Replica states").heading(),
                            )
                            .default_open(true)
                            .show(ui, |ui| replicas::ui(ui, &view, cmds));
                            egui::CollapsingHeader::new(egui::RichText::new("Checks").heading())
                                .default_open(true)
                                .show(ui, |ui| {
                                    checks::ui(ui, &view, self.doc.revision, &mut self.checks, cmds)
                                });
                            egui::CollapsingHeader::new(egui::RichText::new("Plots").heading())
                                .default_open(true)
                                .show(ui, |ui| plots::ui(ui, &view));
                        });
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            // Each mode keeps its own diagram height.
            let (id, share) = if self.presenting {
                ("diagram-presenting", 0.34)
            } else {
                ("diagram", 0.38)
            };
            let height = (ui.available_height() * share).max(160.0);
            egui::Panel::bottom(id)
                .resizable(true)
                .default_size(height)
                .size_range(140.0..=900.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.selectable_value(
                            &mut self.bottom,
                            BottomTab::Sequence,
                            "Sequence diagram",
                        );
                        ui.selectable_value(&mut self.bottom, BottomTab::Log, "Event log");
                    });
                    match self.bottom {
                        BottomTab::Sequence => sequence::ui(ui, &mut self.seq, &view, cmds),
                        BottomTab::Log => log::ui(ui, &mut self.log, &view, cmds),
                    }
                });
            let rect = ui.available_rect_before_wrap();
            canvas::ui(ui, &mut self.canvas, &view, cmds);
            narration::ui(ui, rect, &view, &mut self.lesson, cmds);
        });
    }

    fn windows(&mut self, ctx: &Context) {
        if self.help {
            help::ui(ctx, &mut self.help);
        }
        if let Some(text) = &mut self.open_path {
            let mut open = true;
            let mut chosen = None;
            egui::Window::new("Open a scenario by path")
                .open(&mut open)
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label("Type or paste the path of a .ron file:");
                    let r = ui.text_edit_singleline(text);
                    if ui.button("Open").clicked()
                        || (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)))
                    {
                        chosen = Some(PathBuf::from(text.trim()));
                    }
                });
            if let Some(path) = chosen {
                self.open_path = None;
                self.cmds.push(Cmd::Open(path));
            } else if !open {
                self.open_path = None;
            }
        }
        if self.confirm.is_some() {
            let mut decision = None;
            egui::Modal::new(egui::Id::unique("confirm-discard")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "{} has changes that are not saved.",
                    self.doc.title().trim_end_matches(" — Settle")
                ));
                ui.horizontal(|ui| {
                    if ui.button("Save first").clicked() {
                        decision = Some(0);
                    }
                    if ui.button("Discard changes").clicked() {
                        decision = Some(1);
                    }
                    if ui.button("Cancel").clicked() {
                        decision = Some(2);
                    }
                });
            });
            match decision {
                Some(0) => {
                    self.apply(Cmd::Save);
                    if !self.doc.dirty
                        && let Some(c) = self.confirm.take()
                    {
                        self.really_apply(c);
                    }
                }
                Some(1) => {
                    if let Some(c) = self.confirm.take() {
                        self.really_apply(c);
                    }
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
    }

    fn shortcuts(&mut self, ctx: &Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let cmd = |k| KeyboardShortcut::new(Modifiers::COMMAND, k);
        let cmd_shift = |k| KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, k);
        let mut out = Vec::new();
        ctx.input_mut(|i| {
            // Undo in a text field belongs to the field.
            if !typing
                && (i.consume_shortcut(&cmd_shift(Key::Z)) || i.consume_shortcut(&cmd(Key::Y)))
            {
                out.push(Cmd::Redo);
            }
            if !typing && i.consume_shortcut(&cmd(Key::Z)) {
                out.push(Cmd::Undo);
            }
            if i.consume_shortcut(&cmd_shift(Key::S)) {
                out.push(Cmd::SaveAs);
            }
            if i.consume_shortcut(&cmd(Key::S)) {
                out.push(Cmd::Save);
            }
            if i.consume_shortcut(&cmd(Key::O)) {
                out.push(Cmd::OpenDialog);
            }
            if i.consume_key(Modifiers::NONE, Key::F11) {
                out.push(Cmd::TogglePresentation);
            }
            if typing {
                return;
            }
            let plain: [(Key, fn() -> Cmd); 10] = [
                (Key::Space, || Cmd::TogglePlay),
                (Key::Period, || Cmd::Step),
                (Key::Comma, || Cmd::StepBack),
                (Key::OpenBracket, || Cmd::Slower),
                (Key::CloseBracket, || Cmd::Faster),
                (Key::Home, || Cmd::Home),
                (Key::End, || Cmd::End),
                (Key::Delete, || Cmd::DeleteSelection),
                (Key::Backspace, || Cmd::DeleteSelection),
                (Key::F, || Cmd::Fit),
            ];
            for (key, make) in plain {
                if i.consume_key(Modifiers::NONE, key) {
                    out.push(make());
                }
            }
            let question = i
                .events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"));
            if question
                || i.consume_key(Modifiers::SHIFT, Key::Slash)
                || i.consume_key(Modifiers::NONE, Key::Questionmark)
            {
                out.push(Cmd::ToggleHelp);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                if self.help {
                    out.push(Cmd::ToggleHelp);
                } else if self.presenting {
                    out.push(Cmd::TogglePresentation);
                } else {
                    out.push(Cmd::Select(Selection::default()));
                }
            }
        });
        if self.welcome {
            out.retain(|c| matches!(c, Cmd::OpenDialog | Cmd::ToggleHelp));
        }
        self.cmds.extend(out);
    }

    fn dropped_files(&mut self, ctx: &Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(path) = dropped.first().map(|f| f.path().to_path_buf()) {
            self.cmds.push(Cmd::Open(path));
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, c: Cmd) {
        let replaces = matches!(
            c,
            Cmd::New | Cmd::OpenPreset(_) | Cmd::Open(_) | Cmd::Resume
        );
        if replaces && self.doc.dirty {
            self.confirm = Some(c);
            return;
        }
        self.really_apply(c);
    }

    fn really_apply(&mut self, c: Cmd) {
        match c {
            Cmd::New => {
                self.replace(Document::new(empty_scenario(), None, "Untitled".into()));
            }
            Cmd::OpenPreset(i) => match PRESETS.get(i).map(|p| (p.file, p.load())) {
                Some((file, Ok(s))) => self.replace(Document::new(s, None, file.to_string())),
                Some((_, Err(e))) => {
                    self.notice = Some(Notice {
                        text: e.to_string(),
                        error: true,
                    })
                }
                None => {}
            },
            Cmd::Open(path) => self.open(&path),
            Cmd::OpenDialog => {
                let picked = rfd::FileDialog::new()
                    .add_filter("Settle scenario", &["ron"])
                    .pick_file();
                match picked {
                    Some(path) => self.apply(Cmd::Open(path)),
                    None => {
                        if self.open_path.is_none() {
                            self.notice = Some(Notice {
                                text: "No file chosen. If no file dialog appeared, use File ▸ Open a path… or drop a .ron file on the window.".into(),
                                error: false,
                            });
                        }
                    }
                }
            }
            Cmd::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(&path),
                None => self.apply(Cmd::SaveAs),
            },
            Cmd::SaveAs => {
                let suggested = format!("{}.ron", self.doc.name.trim_end_matches(".ron"));
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter("Settle scenario", &["ron"])
                    .set_file_name(suggested)
                    .save_file()
                {
                    self.save_to(&path);
                } else {
                    self.notice = Some(Notice {
                        text: "Not saved: no file was chosen.".into(),
                        error: false,
                    });
                }
            }
            Cmd::Welcome => self.welcome = true,
            Cmd::Resume => self.resume(),
            Cmd::Edit(f) => self.doc.edit(f),
            Cmd::Checkpoint => self.doc.checkpoint(),
            Cmd::Gesture(f) => self.doc.edit_in_gesture(f),
            // Link indices may name other links after an undo or redo.
            Cmd::Undo => {
                self.doc.undo();
                self.selection.link = None;
            }
            Cmd::Redo => {
                self.doc.redo();
                self.selection.link = None;
            }
            Cmd::DeleteSelection => {
                let nodes: Vec<String> = self.selection.nodes.iter().cloned().collect();
                let link = self.selection.link;
                if !nodes.is_empty() {
                    self.doc.edit(move |s| super::edit::delete_nodes(s, &nodes));
                } else if let Some(l) = link {
                    self.doc.edit(move |s| super::edit::delete_link(s, l));
                }
                self.selection = Selection::default();
            }
            Cmd::Play => self.with_player(|p| {
                if p.at_end() {
                    p.seek(0.0);
                }
                p.playing = true;
            }),
            Cmd::Pause => self.with_player(|p| p.playing = false),
            Cmd::TogglePlay => self.with_player(|p| {
                if p.at_end() && !p.playing {
                    p.seek(0.0);
                }
                p.playing = !p.playing;
            }),
            Cmd::Step => self.with_player(Player::step_forward),
            Cmd::StepBack => self.with_player(Player::step_back),
            Cmd::Seek(t) => self.with_player(|p| p.seek(t)),
            Cmd::Home => self.with_player(|p| {
                p.playing = false;
                p.seek(0.0);
            }),
            Cmd::End => self.with_player(|p| {
                p.playing = false;
                let end = p.until() as f64;
                p.seek(end);
            }),
            Cmd::Faster => self.with_player(|p| p.scale_speed(2.0)),
            Cmd::Slower => self.with_player(|p| p.scale_speed(0.5)),
            Cmd::SetSpeed(v) => self.with_player(|p| {
                p.speed = v.clamp(super::player::MIN_SPEED, super::player::MAX_SPEED)
            }),
            Cmd::SetSeed(seed) => {
                self.selection.message = None;
                if let Some(p) = &self.player
                    && let Ok(new) = p.rebuilt(&self.doc.scenario, seed)
                {
                    self.player = Some(new);
                }
                self.sync_seed_text();
            }
            Cmd::Act(action) => self.act(action),
            Cmd::Select(sel) => self.selection = sel,
            Cmd::SelectMessage(m) => {
                self.selection.message = m;
                if let (Some(m), Some(p)) = (m, &self.player)
                    && let Some(msg) = p.trace().message(m)
                {
                    let sent = p.trace().sent_at(msg) as f64;
                    let t = p.time();
                    if t < sent {
                        self.with_player(|p| p.seek(sent));
                    }
                }
            }
            Cmd::TogglePresentation => self.presenting = !self.presenting,
            Cmd::ToggleHelp => self.help = !self.help,
            Cmd::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            Cmd::Fit => self.canvas.request_fit(),
            Cmd::NarrationBack => self.with_player(|p| {
                let now = p.now();
                let earlier: Vec<u64> = p
                    .marks()
                    .iter()
                    .map(|m| m.0)
                    .filter(|&t| t <= now)
                    .collect();
                let target = earlier.iter().rev().nth(1).copied().unwrap_or(0);
                p.playing = false;
                p.seek(target as f64);
            }),
            Cmd::NarrationNext => self.with_player(|p| {
                p.playing = false;
                p.next_mark();
            }),
        }
        if let Some(p) = &self.player {
            self.prefs.speed = p.speed;
        }
    }

    fn with_player(&mut self, f: impl FnOnce(&mut Player)) {
        if let Some(p) = &mut self.player {
            f(p);
        }
    }

    fn save_to(&mut self, path: &Path) {
        let text = match scenario::to_ron(&self.doc.scenario) {
            Ok(t) => t,
            Err(e) => {
                self.notice = Some(Notice {
                    text: format!("Could not write the scenario: {e}"),
                    error: true,
                });
                return;
            }
        };
        match std::fs::write(path, text) {
            Ok(()) => {
                self.doc.path = Some(path.to_path_buf());
                self.doc.dirty = false;
                self.notice = Some(Notice {
                    text: format!("Saved {}", path.display()),
                    error: false,
                });
            }
            Err(e) => {
                self.notice = Some(Notice {
                    text: format!("Could not save {}: {e}", path.display()),
                    error: true,
                })
            }
        }
    }

    /// Records a live action at the current moment, as part of the scenario:
    /// the run is rebuilt and the future from here forks.
    fn act(&mut self, action: Action) {
        let at = Dur(self.player.as_ref().map_or(0, Player::now));
        self.doc.edit(move |s| match action {
            Action::Crash(node) => s.faults.push(Fault::Crash { at, node }),
            Action::Restart(node) => s.faults.push(Fault::Restart { at, node }),
            Action::Cut { a, b, one_way } => s.faults.push(Fault::Partition {
                at,
                links: vec![(a, b)],
                one_way,
            }),
            Action::Heal { a, b } => s.faults.push(Fault::Heal {
                at,
                links: vec![(a, b)],
            }),
            Action::Request { from, to, op } => s.workload.push(Work::Request { at, from, to, op }),
            Action::Skew { node, ahead } => s.faults.push(Fault::ClockSkew { at, node, ahead }),
        });
    }

    fn rebuild_if_edited(&mut self) {
        if self.doc.revision == self.built_revision {
            return;
        }
        self.built_revision = self.doc.revision;
        let s = &self.doc.scenario;
        self.selection
            .nodes
            .retain(|id| s.nodes.iter().any(|n| &n.id == id));
        if self.selection.link.is_some_and(|l| l >= s.links.len()) {
            self.selection.link = None;
        }
        self.problem = scenario::problem(s);
        // A run of the old drawing would be drawn onto the new one's nodes.
        self.selection.message = None;
        if self.problem.is_some() {
            self.player = None;
            return;
        }
        let seed = self.player.as_ref().map_or(s.seed, |p| p.seed);
        let built = match &self.player {
            Some(p) => p.rebuilt(s, seed),
            None => Player::new(s, seed),
        };
        match built {
            Ok(p) => self.player = Some(p),
            Err(e) => self.problem = Some(e),
        }
        self.log = LogState::default();
    }

    /// What eframe persists.
    pub fn persisted(&self) -> Prefs {
        let mut prefs = self.prefs.clone();
        prefs.autosave = scenario::to_ron(&self.doc.scenario)
            .ok()
            .map(|ron| Autosave {
                ron,
                path: self.doc.path.clone(),
                name: self.doc.name.clone(),
                dirty: self.doc.dirty,
            });
        prefs
    }

    /// Reopens the drawing that was open when the app last closed.
    pub fn resume(&mut self) {
        let Some(a) = self.prefs.autosave.clone() else {
            return;
        };
        match scenario::from_str(&a.ron, &a.name) {
            Ok(s) => {
                let mut doc = Document::new(s, a.path, a.name);
                doc.dirty = a.dirty;
                self.replace(doc);
            }
            Err(e) => {
                self.notice = Some(Notice {
                    text: format!("The last drawing could not be restored: {e}"),
                    error: true,
                })
            }
        }
    }

    /// Queues a command as if a view had pushed it (tests, screenshots).
    pub fn push(&mut self, c: Cmd) {
        self.cmds.push(c);
    }
}

impl eframe::App for SettleApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }
}

/// A blank drawing for File ▸ New.
pub fn empty_scenario() -> Scenario {
    Scenario {
        title: "Untitled".into(),
        summary: String::new(),
        seed: 1,
        until: Dur::secs(5),
        nodes: Vec::new(),
        links: Vec::new(),
        workload: Vec::new(),
        faults: Vec::new(),
        narration: Vec::new(),
        expect: Vec::new(),
    }
}

fn menu_bar(
    ui: &mut egui::Ui,
    view: &View,
    doc: &Document,
    cmds: &mut Vec<Cmd>,
    prefs: &mut Prefs,
    open_path: &mut Option<String>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("New").clicked() {
                cmds.push(Cmd::New);
            }
            if ui
                .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                .clicked()
            {
                cmds.push(Cmd::OpenDialog);
            }
            if ui.button("Open a path…").clicked() {
                *open_path = Some(String::new());
            }
            ui.menu_button("Lessons", |ui| {
                for (i, p) in PRESETS.iter().enumerate() {
                    if ui.button(p.file.trim_end_matches(".ron")).clicked() {
                        cmds.push(Cmd::OpenPreset(i));
                    }
                }
            });
            ui.separator();
            if ui
                .add(egui::Button::new("Save").shortcut_text("Ctrl+S"))
                .clicked()
            {
                cmds.push(Cmd::Save);
            }
            if ui
                .add(egui::Button::new("Save As…").shortcut_text("Ctrl+Shift+S"))
                .clicked()
            {
                cmds.push(Cmd::SaveAs);
            }
            ui.separator();
            if ui.button("Welcome").clicked() {
                cmds.push(Cmd::Welcome);
            }
        });
        ui.menu_button("Edit", |ui| {
            if ui
                .add_enabled(
                    view.can_undo,
                    egui::Button::new("Undo").shortcut_text("Ctrl+Z"),
                )
                .clicked()
            {
                cmds.push(Cmd::Undo);
            }
            if ui
                .add_enabled(
                    view.can_redo,
                    egui::Button::new("Redo").shortcut_text("Ctrl+Shift+Z"),
                )
                .clicked()
            {
                cmds.push(Cmd::Redo);
            }
            if ui
                .add_enabled(
                    !view.selection.is_empty(),
                    egui::Button::new("Delete").shortcut_text("Del"),
                )
                .clicked()
            {
                cmds.push(Cmd::DeleteSelection);
            }
            ui.checkbox(&mut prefs.snap, "Snap to grid");
        });
        ui.menu_button("View", |ui| {
            if ui
                .add(egui::Button::new("Presentation mode").shortcut_text("F11"))
                .clicked()
            {
                cmds.push(Cmd::TogglePresentation);
            }
            if ui
                .add(egui::Button::new("Fit to view").shortcut_text("F"))
                .clicked()
            {
                cmds.push(Cmd::Fit);
            }
            let theme = if prefs.dark {
                "Light theme"
            } else {
                "Dark theme"
            };
            if ui.button(theme).clicked() {
                cmds.push(Cmd::ToggleTheme);
            }
        });
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts").shortcut_text("?"))
                .clicked()
            {
                cmds.push(Cmd::ToggleHelp);
            }
        });
        ui.separator();
        ui.strong(&doc.scenario.title);
        if doc.dirty {
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
                cmds.push(Cmd::TogglePresentation);
            }
        });
    });
}

fn banner(ui: &mut egui::Ui, problem: Option<&str>, notice: &mut Option<Notice>) {
    if let Some(p) = problem {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(super::theme::STALE, "⚠ Can't run yet:");
            ui.label(p);
        });
    }
    let mut close = false;
    if let Some(n) = notice.as_ref() {
        ui.horizontal_wrapped(|ui| {
            let color = if n.error {
                super::theme::FAULT
            } else {
                super::theme::AGREES
            };
            ui.colored_label(color, if n.error { "✖" } else { "✔" });
            ui.label(&n.text);
            if ui.small_button("Dismiss").clicked() {
                close = true;
            }
        });
    }
    if close {
        *notice = None;
    }
}
