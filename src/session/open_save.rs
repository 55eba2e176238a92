//! The ways a drawing comes in and goes out: opening a file, bytes or a
//! link, saving (asking before overwriting a file changed on disk), a link
//! to the drawing on screen, and bringing back the last or a crashed
//! drawing.

use std::path::Path;

use super::link::{self, Link, Target};
use super::{Cmd, Document, Notice, Session, empty_scenario, file_name, files, presets};
use crate::model::Micros;
use crate::scenario;

impl Session {
    /// Opens a file, or shows why it cannot be opened and keeps the drawing.
    /// From the welcome view the error opens on a blank drawing, so it is
    /// seen at once.
    /// A link given where a path is expected (`settle open URL`, the "Open
    /// a path" field) opens as a link.
    pub fn open(&mut self, path: &Path) {
        if !path.is_file()
            && let Some(text) = path.to_str().filter(|t| link::is_link(t))
        {
            self.open_link(text);
            return;
        }
        match scenario::load_file(path) {
            Ok(s) => {
                let mut doc = Document::new(s, Some(path.to_path_buf()), file_name(path));
                doc.disk = files::fingerprint_of(path);
                self.replace(doc);
            }
            Err(e) => {
                if self.welcome {
                    self.replace(Document::new(empty_scenario(), None, "Untitled".into()));
                }
                self.notice = Some(Notice::error(e.to_string()));
            }
        }
    }

    /// Opens a file handed over as bytes, with no path of its own (the
    /// browser's file picker, a file dropped on the page): like [`open`],
    /// an error is shown and the drawing kept.
    ///
    /// [`open`]: Session::open
    pub fn open_bytes(&mut self, name: &str, bytes: Vec<u8>) {
        match scenario::load_bytes(name, bytes) {
            Ok(s) => self.replace(Document::new(s, None, name.to_string())),
            Err(e) => {
                if self.welcome {
                    self.replace(Document::new(empty_scenario(), None, "Untitled".into()));
                }
                self.notice = Some(Notice::error(e.to_string()));
            }
        }
    }

    /// Opens what a link names: a lesson, or the drawing it carries as an
    /// unsaved copy, paused at the link's moment. A link that cannot be
    /// read says why and changes nothing: the drawing (or the welcome
    /// view) stays.
    pub fn open_link(&mut self, text: &str) {
        let link = match link::parse(link::fragment_of(text)) {
            Ok(Some(l)) => l,
            Ok(None) => {
                self.notice = Some(Notice::error(
                    "The link names no lesson and no drawing: it should hold #lesson=… or #design=….",
                ));
                return;
            }
            Err(e) => {
                self.notice = Some(Notice::error(e));
                return;
            }
        };
        let Link { target, at } = link;
        match target {
            Target::Lesson(lesson) => {
                self.really_apply(Cmd::ShowMe { lesson, at });
            }
            Target::Design { scenario, from } => {
                let title = scenario.title.trim();
                let name = if title.is_empty() || title == "Untitled" {
                    "Untitled (from a link)".to_string()
                } else {
                    title.to_string()
                };
                self.replace(Document::new(*scenario, None, name.clone()));
                self.origin = from.map(|i| (self.generation, i));
                self.pause_at(at);
                let mut said = format!("Opened \"{name}\" from a link, as an unsaved copy.");
                if let Some(p) = from.and_then(|i| presets::PRESETS.get(i)) {
                    said.push_str(&format!(
                        " It started as lesson {}: File ▸ Compare with the lesson it came from shows both.",
                        p.number()
                    ));
                }
                self.notice = Some(Notice::info(said));
            }
        }
    }

    /// Holds the run at `at`.
    fn pause_at(&mut self, at: Micros) {
        if let Some(p) = &mut self.player {
            p.control(&Cmd::Pause);
            p.control(&Cmd::Seek(at as f64));
        }
    }

    /// The preset the drawing on screen opened from a link as a remix of.
    pub fn origin_lesson(&self) -> Option<usize> {
        self.origin
            .filter(|(g, _)| *g == self.generation)
            .map(|(_, i)| i)
    }

    /// Whether File ▸ Copy link has a drawing to link to.
    pub fn can_link(&self) -> bool {
        !self.welcome && self.compare.is_none()
    }

    /// A link (its fragment) to the drawing on screen at the moment shown:
    /// a lesson as it ships is named; any other drawing travels in the
    /// link, with the lesson it started as. An error says why there is
    /// none (too large a drawing, compare mode).
    pub fn link_here(&self) -> Result<String, String> {
        if self.welcome {
            return Err("Open a drawing first: a link holds the drawing on screen.".into());
        }
        if self.compare.is_some() {
            return Err("Leave compare mode first: a link holds one drawing.".into());
        }
        let at = self.player.as_ref().map_or(0, |p| p.now());
        let preset = presets::index_of(&self.doc.name).filter(|_| self.doc.path.is_none());
        match preset {
            Some(lesson) if !self.doc.dirty => {
                link::format(lesson, at).ok_or_else(|| "No such lesson.".to_string())
            }
            _ => link::format_design(&self.doc.scenario, at, preset.or(self.origin_lesson())),
        }
    }

    /// The drawing as the file Save writes, and the name to give it.
    pub fn file_to_save(&self) -> Result<(String, String), String> {
        let text = scenario::to_ron(&self.doc.scenario)
            .map_err(|e| format!("Could not write the scenario: {e}"))?;
        let name = format!("{}.ron", self.doc.name.trim_end_matches(".ron"));
        Ok((name, text))
    }

    /// The drawing was handed to the person as a download named `name`: it
    /// is saved as far as Settle can tell.
    pub fn downloaded(&mut self, name: &str) {
        self.doc.name = name.to_string();
        self.doc.dirty = false;
        self.notice = Some(Notice::info(format!("Downloaded {name}")));
    }

    /// Saves to `path`, unless it is the drawing's own file and someone
    /// changed it on disk since: then it asks first.
    pub(super) fn save_to(&mut self, path: &Path) {
        let own = self.doc.path.as_deref() == Some(path);
        let now = files::fingerprint_of(path);
        if own && now.is_some() && now != self.doc.disk {
            self.overwrite = Some(path.to_path_buf());
            return;
        }
        self.write(path);
    }

    pub(super) fn write(&mut self, path: &Path) {
        let text = match scenario::to_ron(&self.doc.scenario) {
            Ok(t) => t,
            Err(e) => {
                self.notice = Some(Notice::error(format!("Could not write the scenario: {e}")));
                return;
            }
        };
        match files::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                self.doc.path = Some(path.to_path_buf());
                self.doc.name = file_name(path);
                self.doc.dirty = false;
                self.doc.disk = Some(files::fingerprint(text.as_bytes()));
                self.notice = Some(Notice::info(format!("Saved {}", path.display())));
            }
            Err(e) => {
                self.notice = Some(Notice::error(format!(
                    "Could not save {}: {e}",
                    path.display()
                )))
            }
        }
    }

    /// Reopens the drawing that was open when the app last closed.
    pub fn resume(&mut self) {
        let Some(last) = &self.last else {
            return;
        };
        match last.document() {
            Ok(doc) => self.replace(doc),
            Err(e) => {
                self.notice = Some(Notice::error(format!(
                    "The last drawing could not be restored: {e}"
                )))
            }
        }
    }

    /// Brings back unsaved work a crash left; its kept copy is removed
    /// once the drawing is open again (the live recovery copy takes over).
    pub(super) fn recover(&mut self, i: usize) {
        let Some(r) = self.recovered.get(i) else {
            return;
        };
        match r.snapshot.document() {
            Ok(doc) => {
                let file = self.recovered.remove(i).file;
                self.replace(doc);
                std::fs::remove_file(file).ok();
            }
            Err(e) => {
                self.notice = Some(Notice::error(format!(
                    "The unsaved drawing could not be read back: {e}"
                )))
            }
        }
    }
}
