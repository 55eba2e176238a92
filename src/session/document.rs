//! The scenario being edited, where it lives on disk, and its undo history.
//! Every edit goes through [`Document::edit`], so every edit can be undone.

use std::path::PathBuf;

use super::edit::Edit;
use crate::scenario::Scenario;

/// Most undo steps kept; older ones are forgotten.
const UNDO_LIMIT: usize = 200;

#[derive(Clone, Debug)]
pub struct Document {
    pub scenario: Scenario,
    /// Where it was opened from or saved to; `None` for a preset or a new one.
    pub path: Option<PathBuf>,
    /// Name shown in the title when there is no path.
    pub name: String,
    /// Changed since it was opened or saved.
    pub dirty: bool,
    /// A fingerprint of what the file held when it was opened or last
    /// saved, to notice a change made on disk by someone else.
    pub disk: Option<u64>,
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    /// The state a gesture in progress started from.
    gesture_start: Option<Scenario>,
    /// Bumped on every change, so views know when to refresh.
    pub revision: u64,
}

impl Document {
    pub fn new(scenario: Scenario, path: Option<PathBuf>, name: String) -> Self {
        Document {
            scenario,
            path,
            name,
            dirty: false,
            disk: None,
            undo: Vec::new(),
            redo: Vec::new(),
            gesture_start: None,
            revision: 0,
        }
    }

    /// Applies an edit that can be undone.
    pub fn apply(&mut self, e: &Edit) {
        self.edit(|s| e.apply(s));
    }

    /// Applies part of a gesture begun with [`Document::checkpoint`].
    pub fn apply_in_gesture(&mut self, e: &Edit) {
        self.edit_in_gesture(|s| e.apply(s));
    }

    fn edit(&mut self, f: impl FnOnce(&mut Scenario)) {
        self.gesture_start = None;
        let before = self.scenario.clone();
        f(&mut self.scenario);
        if self.scenario != before {
            self.undo.push(before);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
            self.redo.clear();
            self.changed();
        }
    }

    /// Remembers the current state as one undo step, for a gesture (a drag)
    /// whose many small changes should undo together.
    pub fn checkpoint(&mut self) {
        // Kept aside until the gesture really changes something, so a
        // click that changes nothing costs no undo step and keeps Redo.
        self.gesture_start = Some(self.scenario.clone());
    }

    fn edit_in_gesture(&mut self, f: impl FnOnce(&mut Scenario)) {
        let before = self.scenario.clone();
        f(&mut self.scenario);
        if self.scenario == before {
            return;
        }
        if let Some(start) = self.gesture_start.take() {
            self.undo.push(start);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        self.changed();
    }

    pub fn undo(&mut self) -> bool {
        self.gesture_start = None;
        let Some(prev) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(&mut self.scenario, prev));
        self.changed();
        true
    }

    pub fn redo(&mut self) -> bool {
        self.gesture_start = None;
        let Some(next) = self.redo.pop() else {
            return false;
        };
        self.undo.push(std::mem::replace(&mut self.scenario, next));
        self.changed();
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn changed(&mut self) {
        self.dirty = true;
        self.revision += 1;
    }

    /// The window title: file name, a mark when unsaved, the app's name.
    pub fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| self.name.clone());
        let mark = if self.dirty { " •" } else { "" };
        format!("{name}{mark} — Settle")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new(crate::session::empty_scenario(), None, "t".into())
    }

    #[test]
    fn a_gesture_is_one_undo_step_and_an_idle_one_costs_none() {
        let mut d = doc();
        d.edit(|s| s.title = "a".into());
        d.undo();
        assert!(d.can_redo());
        // Focusing a field without changing anything keeps Redo.
        d.checkpoint();
        d.edit_in_gesture(|_| {});
        assert!(d.can_redo(), "an idle gesture cleared redo");
        // A drag of many small moves undoes in one step.
        d.checkpoint();
        for i in 0..5 {
            d.edit_in_gesture(|s| s.seed = i + 10);
        }
        assert_eq!(d.scenario.seed, 14);
        assert!(!d.can_redo());
        d.undo();
        assert_eq!(d.scenario.seed, 1);
        assert!(d.dirty);
    }
}
