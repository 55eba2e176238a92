//! The ways a drawing comes in and goes out: opening a file or bytes,
//! saving (asking before overwriting a file changed on disk), a link to
//! the lesson on screen, and bringing back the last or a crashed drawing.

use std::path::Path;

use super::{Document, Notice, Session, empty_scenario, file_name, files, link, presets};
use crate::scenario;

impl Session {
    /// Opens a file, or shows why it cannot be opened and keeps the drawing.
    /// From the welcome view the error opens on a blank drawing, so it is
    /// seen at once.
    pub fn open(&mut self, path: &Path) {
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

    /// A link to the lesson on screen at the moment shown (see [`link`]),
    /// while a lesson is open as it ships; `None` for any other drawing,
    /// since a link can only name a lesson every copy of Settle has.
    pub fn link_here(&self) -> Option<String> {
        if self.welcome || self.doc.path.is_some() || self.doc.dirty || self.compare.is_some() {
            return None;
        }
        let lesson = presets::index_of(&self.doc.name)?;
        let at = self.player.as_ref().map_or(0, |p| p.now());
        link::format(lesson, at)
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
