//! The recovery copy: the drawing as it stood a moment ago, kept in a file
//! of its own so that a crash, a `kill -9` or a power cut loses at most the
//! last second or two of work. The window writes it shortly after every
//! change (see `ui::recovery`); this module says what the file holds and
//! what to make of one found at start.
//!
//! A copy left by a clean exit is the drawing to continue. A copy with
//! unsaved changes left by anything else is moved aside at start, so that
//! opening a lesson or a new drawing cannot overwrite it, and offered until
//! the person recovers or discards it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Document;
use super::files::write_atomic;
use crate::scenario::{self, Scenario, ScenarioError};

/// The file the window keeps the live copy in.
pub const LIVE: &str = "recovery.ron";
/// Copies moved aside after a crash start with this.
const ASIDE: &str = "recovered-";
/// Most moved-aside copies offered at once (older ones stay on disk).
const OFFERED: usize = 5;

/// The current time in milliseconds since 1970 (the browser's clock in
/// the web build, where the standard library has none).
pub fn now_ms() -> u64 {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What the recovery file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When it was written, in milliseconds since 1970.
    pub saved_at_ms: u64,
    /// Where the drawing came from or was saved to.
    pub path: Option<PathBuf>,
    /// Its name in the title.
    pub name: String,
    /// The drawing's own title.
    pub title: String,
    pub nodes: usize,
    pub links: usize,
    /// It held changes not saved to its file.
    pub dirty: bool,
    /// Written as the app closed normally.
    pub clean_exit: bool,
    /// The drawing, as a scenario file.
    pub ron: String,
}

impl Snapshot {
    /// A snapshot of `doc` taken at `now_ms`.
    pub fn of(doc: &Document, now_ms: u64, clean_exit: bool) -> Option<Snapshot> {
        let ron = scenario::to_ron(&doc.scenario).ok()?;
        Some(Snapshot {
            saved_at_ms: now_ms,
            path: doc.path.clone(),
            name: doc.name.clone(),
            title: doc.scenario.title.clone(),
            nodes: doc.scenario.nodes.len(),
            links: doc.scenario.links.len(),
            dirty: doc.dirty,
            clean_exit,
            ron,
        })
    }

    pub fn to_text(&self) -> Option<String> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).ok()
    }

    pub fn from_text(text: &str) -> Option<Snapshot> {
        ron::from_str(text).ok()
    }

    /// The drawing it holds, or why it cannot be read.
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        scenario::from_str(&self.ron, &self.name)
    }

    /// The drawing as a document, unsaved changes and all.
    pub fn document(&self) -> Result<Document, ScenarioError> {
        let mut doc = Document::new(self.scenario()?, self.path.clone(), self.name.clone());
        doc.dirty = self.dirty;
        Ok(doc)
    }

    /// What it is, for a person: "Untitled — 5 nodes, 3 links, changed 2
    /// minutes ago".
    pub fn describe(&self, now_ms: u64) -> String {
        let name = if self.title.is_empty() || self.title == self.name {
            self.name.clone()
        } else {
            format!("{} ({})", self.title, self.name)
        };
        format!(
            "{name} — {} node{}, {} link{}, changed {}",
            self.nodes,
            if self.nodes == 1 { "" } else { "s" },
            self.links,
            if self.links == 1 { "" } else { "s" },
            ago(now_ms.saturating_sub(self.saved_at_ms))
        )
    }
}

/// "just now", "4 minutes ago", "2 days ago".
fn ago(ms: u64) -> String {
    let s = ms / 1000;
    let (n, unit) = match s {
        0..=44 => return "just now".into(),
        45..=5399 => (s.div_ceil(60), "minute"),
        5400..=129_599 => (s.div_ceil(3600), "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// A copy kept aside after a crash, waiting for a decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    pub file: PathBuf,
    pub snapshot: Snapshot,
}

/// What the recovery folder holds at start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AtStart {
    /// The drawing the app closed on, to continue.
    pub last: Option<Snapshot>,
    /// Unsaved work left by crashes, newest first.
    pub recovered: Vec<Recovered>,
}

/// Reads the recovery folder at start. A live copy with unsaved changes
/// that was not written by a clean exit is moved aside (renamed, never
/// rewritten), so nothing the app does next can overwrite it.
pub fn at_start(dir: &Path) -> AtStart {
    let mut out = AtStart::default();
    let live = dir.join(LIVE);
    if let Some(snap) = std::fs::read_to_string(&live)
        .ok()
        .and_then(|t| Snapshot::from_text(&t))
    {
        if snap.dirty && !snap.clean_exit {
            let aside = dir.join(format!("{ASIDE}{}.ron", snap.saved_at_ms));
            if std::fs::rename(&live, &aside).is_err() {
                // Cannot move it: keep a copy beside it instead.
                if let Some(text) = snap.to_text() {
                    write_atomic(&aside, text.as_bytes()).ok();
                }
            }
        }
        out.last = Some(snap);
    }
    let mut aside: Vec<Recovered> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(ASIDE) && n.ends_with(".ron"))
        })
        .filter_map(|file| {
            let snapshot = Snapshot::from_text(&std::fs::read_to_string(&file).ok()?)?;
            Some(Recovered { file, snapshot })
        })
        .collect();
    aside.sort_by_key(|r| std::cmp::Reverse(r.snapshot.saved_at_ms));
    aside.truncate(OFFERED);
    out.recovered = aside;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(dirty: bool) -> Document {
        let mut d = Document::new(super::super::empty_scenario(), None, "Untitled".into());
        d.dirty = dirty;
        d
    }

    #[test]
    fn a_crash_with_unsaved_work_is_moved_aside_and_offered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let snap = Snapshot::of(&doc(true), 1_000_000, false).expect("snapshot");
        let text = snap.to_text().expect("text");
        std::fs::write(dir.path().join(LIVE), &text).expect("write");
        let found = at_start(dir.path());
        assert_eq!(found.recovered.len(), 1);
        assert_eq!(found.recovered[0].snapshot, snap);
        assert!(!dir.path().join(LIVE).exists(), "moved aside");
        // Starting again offers it again: nothing was decided.
        assert_eq!(at_start(dir.path()).recovered.len(), 1);
        assert_eq!(
            snap.describe(1_000_000 + 150_000),
            "Untitled — 0 nodes, 0 links, changed 3 minutes ago"
        );
    }

    #[test]
    fn a_clean_exit_is_the_drawing_to_continue_not_a_crash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let snap = Snapshot::of(&doc(true), 5, true).expect("snapshot");
        std::fs::write(dir.path().join(LIVE), snap.to_text().expect("text")).expect("write");
        let found = at_start(dir.path());
        assert!(found.recovered.is_empty());
        assert_eq!(found.last, Some(snap));
        assert!(dir.path().join(LIVE).exists());
    }
}
