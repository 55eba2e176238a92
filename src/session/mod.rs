//! The application without a window: the drawing being edited and its
//! undo history, the run being shown and its cursor, the selection, and the
//! commands that change them. The desktop window, the tests and (later) the
//! browser build all drive this one [`Session`]; nothing here knows egui.

pub mod actions;
pub mod challenge;
pub mod choose;
pub mod command;
pub mod compare;
pub mod contexts;
pub mod document;
pub mod edit;
pub mod explore;
pub mod files;
pub mod glossary;
pub mod lesson;
pub mod link;
mod open_save;
pub mod player;
pub mod presets;
pub mod progress;
pub mod quiz;
pub mod recovery;
pub mod rename;

use std::path::{Path, PathBuf};

pub use actions::Action;
pub use command::{Cmd, Selection, ViewCmd};
pub use document::Document;
pub use edit::Edit;
pub use player::Player;

use crate::model::{Dur, Micros};
use crate::scenario::{self, Scenario};
use presets::PRESETS;

/// A short message for the person at the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: true,
        }
    }
}

/// The whole application state that is not a view's own.
pub struct Session {
    pub doc: Document,
    pub player: Option<Player>,
    /// The document revision the run was built from.
    built_revision: u64,
    /// Why the drawing cannot run, when it cannot.
    pub problem: Option<String>,
    pub notice: Option<Notice>,
    /// The welcome view is showing.
    pub welcome: bool,
    pub selection: Selection,
    /// A replacement waiting for the user to confirm losing unsaved edits.
    pub confirm: Option<Box<Cmd>>,
    /// A save waiting for the user to confirm overwriting a file that was
    /// changed on disk since it was opened.
    pub overwrite: Option<PathBuf>,
    /// The learner's way through the open lesson.
    pub lesson: lesson::Lesson,
    /// What the learner has done across lessons, kept between runs.
    pub progress: progress::Progress,
    /// Playback speed new runs start at.
    pub speed: f64,
    /// The drawing the app last closed on, to continue.
    pub last: Option<recovery::Snapshot>,
    /// Unsaved work a crash left, waiting to be recovered or discarded.
    pub recovered: Vec<recovery::Recovered>,
    /// Bumped whenever another drawing replaces this one, so views know to
    /// start afresh.
    pub generation: u64,
    /// A second drawing run beside this one, when comparing.
    pub compare: Option<compare::Compare>,
    /// The learner's way through the course quiz.
    pub quiz: quiz::QuizRun,
    /// The challenge being worked on (see [`Session::challenge`]).
    pub challenge: Option<challenge::Active>,
    /// The lesson a drawing opened from a link started as, with the
    /// generation it belongs to (see [`Session::origin_lesson`]).
    origin: Option<(u64, usize)>,
}

/// The last part of a path, for titles.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// A blank drawing for File ▸ New.
pub fn empty_scenario() -> Scenario {
    Scenario {
        title: "Untitled".into(),
        summary: String::new(),
        seed: 1,
        until: Dur::secs(5),
        further_reading: Vec::new(),
        nodes: Vec::new(),
        links: Vec::new(),
        workload: Vec::new(),
        faults: Vec::new(),
        narration: Vec::new(),
        expect: Vec::new(),
        variants: Vec::new(),
        challenges: Vec::new(),
        dismissed_hints: Vec::new(),
        contexts: Vec::new(),
    }
}

impl Session {
    /// The app as a new user first sees it: the welcome view, with the
    /// default lesson loaded behind it.
    pub fn new(speed: f64, found: recovery::AtStart) -> Self {
        let doc = match presets::index_of(presets::DEFAULT)
            .and_then(|i| PRESETS.get(i))
            .map(|p| (p.file, p.load()))
        {
            Some((file, Ok(s))) => Document::new(s, None, file.to_string()),
            _ => Document::new(empty_scenario(), None, "Untitled".into()),
        };
        let mut session = Session {
            doc,
            player: None,
            built_revision: 0,
            problem: None,
            notice: None,
            welcome: true,
            selection: Selection::default(),
            confirm: None,
            overwrite: None,
            lesson: Default::default(),
            progress: Default::default(),
            speed,
            last: found.last,
            recovered: found.recovered,
            generation: 0,
            compare: None,
            quiz: Default::default(),
            challenge: None,
            origin: None,
        };
        session.rebuild();
        session
    }

    /// Shows a document built elsewhere (tests, benchmarks).
    pub fn load(&mut self, doc: Document) {
        self.replace(doc);
    }

    fn replace(&mut self, doc: Document) {
        self.generation += 1;
        self.compare = None;
        self.doc = doc;
        self.selection = Selection::default();
        // A notice is about the drawing it was given on; it does not
        // follow the learner into another one.
        self.notice = None;
        self.welcome = false;
        self.quiz.open = false;
        self.player = None;
        self.rebuild();
    }

    /// A fresh run of the document, at time zero, with its own seed.
    fn rebuild(&mut self) {
        self.built_revision = self.doc.revision;
        self.player = None;
        self.lesson = lesson::Lesson::default();
        self.problem = scenario::problem(&self.doc.scenario);
        if self.problem.is_none() {
            let seed = self.doc.scenario.seed;
            match Player::new(&self.doc.scenario, seed) {
                Ok(mut p) => {
                    p.speed = self.speed;
                    self.player = Some(p);
                    self.lesson = lesson::Lesson::for_run(&self.doc.scenario, seed);
                }
                Err(e) => self.problem = Some(e),
            }
        }
    }

    /// The lesson file the drawing is, if it is a preset lesson unchanged
    /// in name: progress is kept by it.
    pub fn lesson_id(&self) -> Option<&str> {
        let name = self.doc.name.as_str();
        (self.doc.path.is_none() && PRESETS.iter().any(|p| p.file == name)).then_some(name)
    }

    /// Advances playback by `dt` real seconds: at the chosen speed for
    /// Play, at lesson pace for Next (slow while messages travel, quick
    /// over idle stretches). Stops at a question not yet answered.
    pub fn tick(&mut self, dt: f64) {
        let Some(p) = &mut self.player else { return };
        if !p.playing || !dt.is_finite() || dt <= 0.0 {
            return;
        }
        let now = p.time();
        let mut target = match self.lesson.heading_to {
            Some(_) if p.busy() => now + dt * lesson::PACE_BUSY * 1e6,
            Some(_) => {
                let gap = p
                    .next_happening()
                    .map_or(0.0, |t| (t as f64 - now).max(0.0));
                let rate = (gap / 1e6 / lesson::PACE_IDLE_SECS).max(lesson::PACE_BUSY);
                now + dt * rate * 1e6
            }
            None => now + dt * p.speed * 1e6,
        };
        let mut stop = false;
        if let Some(h) = self.lesson.heading_to
            && target >= h as f64
        {
            target = h as f64;
            stop = true;
            self.lesson.heading_to = None;
        }
        p.advance(target, stop);
        // A question reached on the way holds the run at its moment.
        let s = &self.doc.scenario;
        let from = now as Micros;
        let question = p
            .marks()
            .iter()
            .find(|&&(t, n)| t >= from && (t as f64) <= target && self.lesson.blocks(s, n))
            .map(|&(t, _)| t);
        if let Some(t) = question {
            p.advance(t as f64, true);
            self.lesson.heading_to = None;
        }
        self.note_progress();
        self.keep_in_step();
    }

    /// Records a finished lesson once its last step is reached.
    fn note_progress(&mut self) {
        let (Some(p), Some(id)) = (&self.player, self.lesson_id()) else {
            return;
        };
        let last = self.doc.scenario.narration.len().checked_sub(1);
        let now = p.now();
        let reached = p.marks().iter().any(|&(t, n)| t <= now && Some(n) == last);
        if reached {
            let id = id.to_string();
            self.progress.finished(&id);
        }
    }

    /// Applies one command. What only the window can do comes back.
    pub fn apply(&mut self, c: Cmd) -> Option<ViewCmd> {
        let replaces = matches!(
            c,
            Cmd::New
                | Cmd::OpenPreset(_)
                | Cmd::Open(_)
                | Cmd::OpenLink(_)
                | Cmd::OpenBytes { .. }
                | Cmd::Resume
                | Cmd::Recover(_)
                | Cmd::ShowMe { .. }
                | Cmd::OpenChallenge { .. }
        );
        let out = if replaces && self.doc.dirty {
            self.confirm = Some(Box::new(c));
            None
        } else {
            self.really_apply(c)
        };
        self.rebuild_if_edited();
        self.keep_in_step();
        if let Some(p) = &self.player {
            self.speed = p.speed;
        }
        out
    }

    fn really_apply(&mut self, c: Cmd) -> Option<ViewCmd> {
        match c {
            Cmd::New => self.replace(Document::new(empty_scenario(), None, "Untitled".into())),
            Cmd::OpenPreset(i) => match PRESETS.get(i).map(|p| (p.file, p.load())) {
                Some((file, Ok(s))) => self.replace(Document::new(s, None, file.to_string())),
                Some((_, Err(e))) => self.notice = Some(Notice::error(e.to_string())),
                None => {}
            },
            Cmd::Open(path) => self.open(&path),
            Cmd::OpenLink(text) => self.open_link(&text),
            Cmd::OpenBytes { name, bytes } => self.open_bytes(&name, bytes),
            Cmd::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(&path),
                None => return Some(ViewCmd::SaveAsDialog),
            },
            Cmd::SaveTo(path) => {
                self.save_to(&path);
                if !self.doc.dirty
                    && let Some(c) = self.confirm.take()
                {
                    return self.really_apply(*c);
                }
            }
            Cmd::Welcome => self.welcome = true,
            Cmd::Resume => self.resume(),
            Cmd::Recover(i) => self.recover(i),
            Cmd::DiscardRecovered(i) => {
                if i < self.recovered.len() {
                    let r = self.recovered.remove(i);
                    std::fs::remove_file(&r.file).ok();
                }
            }
            Cmd::ConfirmSave => {
                let Some(path) = self.doc.path.clone() else {
                    // The prompt stays until the drawing has a place.
                    return Some(ViewCmd::SaveAsDialog);
                };
                self.save_to(&path);
                if !self.doc.dirty
                    && let Some(c) = self.confirm.take()
                {
                    return self.really_apply(*c);
                }
            }
            Cmd::ConfirmDiscard => {
                if let Some(c) = self.confirm.take() {
                    return self.really_apply(*c);
                }
            }
            Cmd::ConfirmCancel => self.confirm = None,
            Cmd::OverwriteAnyway => {
                if let Some(path) = self.overwrite.take() {
                    self.write(&path);
                    if !self.doc.dirty
                        && let Some(c) = self.confirm.take()
                    {
                        return self.really_apply(*c);
                    }
                }
            }
            Cmd::CancelOverwrite => self.overwrite = None,
            Cmd::Edit(e) => self.doc.apply(&e),
            Cmd::Checkpoint => self.doc.checkpoint(),
            Cmd::Gesture(e) => self.doc.apply_in_gesture(&e),
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
                if !nodes.is_empty() {
                    self.doc.apply(&Edit::DeleteNodes(nodes));
                } else if let Some(l) = self.selection.link {
                    self.doc.apply(&Edit::DeleteLink(l));
                }
                self.selection = Selection::default();
            }
            Cmd::Act(action) => {
                let at = self.player.as_ref().map_or(0, Player::now);
                match action.refused(&self.doc.scenario, at) {
                    Some(why) => self.notice = Some(Notice::error(format!("Not done: {why}"))),
                    None => self.doc.apply(&action.at(at)),
                }
            }
            Cmd::Choose(c) => self.choose_cmd(c),
            Cmd::Select(sel) => self.selection = sel,
            Cmd::SelectMessage(m) => {
                self.selection.message = m;
                if let (Some(m), Some(p)) = (m, &mut self.player)
                    && let Some(msg) = p.trace().message(m)
                {
                    let sent = p.trace().sent_at(msg) as f64;
                    if p.time() < sent {
                        p.seek(sent);
                    }
                }
            }
            Cmd::Guess { step, choice } => {
                if let std::collections::btree_map::Entry::Vacant(e) =
                    self.lesson.guesses.entry(step)
                {
                    e.insert(lesson::Guess::Choice(choice));
                    let right = self
                        .doc
                        .scenario
                        .narration
                        .get(step)
                        .and_then(|n| n.ask.as_ref())
                        .is_some_and(|a| a.answer == choice);
                    if let Some(id) = self.lesson_id().map(str::to_string) {
                        self.progress.guessed(&id, step, right);
                    }
                }
            }
            Cmd::Skip { step } => {
                self.lesson
                    .guesses
                    .entry(step)
                    .or_insert(lesson::Guess::Skipped);
            }
            Cmd::NarrationNext => {
                if let Some(p) = &mut self.player {
                    let now = p.now();
                    match p.mark_after(now) {
                        Some(t) => {
                            self.lesson.heading_to = Some(t);
                            p.playing = true;
                        }
                        None => p.control(&Cmd::End),
                    }
                }
            }
            Cmd::SetSeed(seed) => {
                self.selection.message = None;
                if let Some(p) = &self.player
                    && let Ok(new) = p.rebuilt(&self.doc.scenario, seed)
                {
                    self.player = Some(new);
                }
            }
            Cmd::DismissNotice => self.notice = None,
            Cmd::Compare(c) => self.compare_cmd(c),
            Cmd::ShowMe { lesson, at } => {
                if lesson >= PRESETS.len() {
                    return None;
                }
                self.really_apply(Cmd::OpenPreset(lesson));
                if let Some(p) = &mut self.player {
                    p.control(&Cmd::Pause);
                    p.control(&Cmd::Seek(at as f64));
                }
            }
            Cmd::OpenChallenge { lesson, index } => self.open_challenge(lesson, index),
            Cmd::Challenge(c) => self.challenge_cmd(c),
            Cmd::Quiz(q) => self.quiz_cmd(q),
            Cmd::View(v) => return Some(v),
            Cmd::Play
            | Cmd::Pause
            | Cmd::TogglePlay
            | Cmd::Step
            | Cmd::StepBack
            | Cmd::Seek(_)
            | Cmd::Home
            | Cmd::End
            | Cmd::Faster
            | Cmd::Slower
            | Cmd::SetSpeed(_)
            | Cmd::NarrationBack => {
                if !matches!(c, Cmd::Play | Cmd::TogglePlay) {
                    self.lesson.heading_to = None;
                }
                if let Some(p) = &mut self.player {
                    p.control(&c);
                }
            }
        }
        None
    }

    /// Rebuilds the run when the drawing changed, at the same moment and
    /// with the same seed, so an edit or a live action forks the future.
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
            None => Player::new(s, seed).map(|mut p| {
                p.speed = self.speed;
                p
            }),
        };
        match built {
            Ok(p) => self.player = Some(p),
            Err(e) => self.problem = Some(e),
        }
    }
}
