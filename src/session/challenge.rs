//! A challenge being worked on: which lesson's it is, the hints shown so
//! far, and the verdict of the last "Check my design". The drawing itself
//! is the session's document, opened unsaved from the challenge's broken
//! start; the learner changes it with the editor like any other.

use super::presets::PRESETS;
use super::{Document, Notice, Session};
use crate::check::{self, Outcome};
use crate::scenario::{Challenge, Expectation, Scenario};
use crate::sim::Engine;

/// What the challenge card asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChallengeCmd {
    /// Run the drawing to its end and judge the goal.
    Check,
    /// Show the next hint.
    Hint,
}

/// The challenge open in the editor.
#[derive(Clone, Debug)]
pub struct Active {
    /// The lesson it comes with, by its place in [`PRESETS`].
    pub lesson: usize,
    /// Its place among the lesson's challenges.
    pub index: usize,
    pub challenge: Challenge,
    /// Each goal check in words, for the card before the first check.
    pub goal: Vec<String>,
    /// The session generation its drawing was opened as: once another
    /// drawing replaces it, the challenge is no longer on screen.
    pub generation: u64,
    /// How many hints are shown.
    pub hints: usize,
    pub checked: Option<Checked>,
}

/// The verdict of one "Check my design".
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The document revision checked: a later edit makes it out of date.
    pub revision: u64,
    /// Each goal check, or why the drawing could not run.
    pub outcomes: Result<Vec<Outcome>, String>,
}

impl Checked {
    /// Every goal check passed.
    pub fn passed(&self) -> bool {
        self.outcomes
            .as_ref()
            .is_ok_and(|o| !o.is_empty() && o.iter().all(|o| o.passed))
    }
}

/// Runs `drawing` to its end with `seed` and judges `goal` on the run.
pub fn judge(drawing: &Scenario, goal: &[Expectation], seed: u64) -> Result<Vec<Outcome>, String> {
    if let Some(p) = crate::scenario::problem(drawing) {
        return Err(p);
    }
    let mut s = drawing.clone();
    s.expect = goal.to_vec();
    let mut engine = Engine::new(&s, seed).map_err(|e| e.to_string())?;
    engine.run();
    Ok(check::evaluate(&s, engine.trace()))
}

/// The name an opened challenge's drawing goes by until saved: a file
/// name, so Save As offers it.
fn file_name(c: &Challenge) -> String {
    let slug: String = c
        .title
        .to_lowercase()
        .chars()
        .map(|ch| if ch.is_alphanumeric() { ch } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("challenge-{slug}")
}

impl Session {
    /// The challenge on screen, if the drawing is still the one it opened.
    pub fn challenge(&self) -> Option<&Active> {
        self.challenge
            .as_ref()
            .filter(|a| a.generation == self.generation)
    }

    /// Opens challenge `index` of preset lesson `lesson` as a new, unsaved
    /// drawing.
    pub(super) fn open_challenge(&mut self, lesson: usize, index: usize) {
        let Some(preset) = PRESETS.get(lesson) else {
            return;
        };
        let s = match preset.load() {
            Ok(s) => s,
            Err(e) => {
                self.notice = Some(Notice::error(e.to_string()));
                return;
            }
        };
        let Some(c) = s.challenges.get(index).cloned() else {
            return;
        };
        // The checks' words come from judging the broken start once.
        let goal = judge(&c.drawing(), &c.goal, c.start.seed)
            .map(|o| o.into_iter().map(|o| o.what).collect())
            .unwrap_or_default();
        self.replace(Document::new(c.drawing(), None, file_name(&c)));
        self.challenge = Some(Active {
            lesson,
            index,
            goal,
            challenge: c,
            generation: self.generation,
            hints: 0,
            checked: None,
        });
    }

    pub(super) fn challenge_cmd(&mut self, c: ChallengeCmd) {
        let generation = self.generation;
        let seed = self
            .player
            .as_ref()
            .map_or(self.doc.scenario.seed, |p| p.seed);
        let revision = self.doc.revision;
        let Some(a) = self
            .challenge
            .as_mut()
            .filter(|a| a.generation == generation)
        else {
            return;
        };
        match c {
            ChallengeCmd::Hint => a.hints = (a.hints + 1).min(a.challenge.hints.len()),
            ChallengeCmd::Check => {
                let outcomes = judge(&self.doc.scenario, &a.challenge.goal, seed);
                let checked = Checked { revision, outcomes };
                let solved = checked.passed();
                a.checked = Some(checked);
                if solved {
                    let title = a.challenge.title.clone();
                    self.progress.solved(&title);
                    self.notice = Some(Notice::info(format!(
                        "Solved: {title}. Your progress keeps it."
                    )));
                }
                // Show the run that was judged, to its end, paused: the
                // verdict is about what it did there.
                if let Some(p) = self.player.as_mut() {
                    p.playing = false;
                    p.seek(p.until() as f64);
                }
            }
        }
    }
}
