//! A challenge being worked on: which lesson's it is, the hints shown so
//! far, and the verdict of the last "Check my design". The drawing itself
//! is the session's document, opened unsaved from the challenge's broken
//! start; the learner changes it with the editor like any other.

use super::presets::PRESETS;
use super::{Document, Notice, Session};
use crate::check::{self, Outcome};
use crate::explore::{self, Found, Options, Search};
use crate::model::Micros;
use crate::scenario::{Challenge, Expectation, Scenario};
use crate::sim::Engine;

/// What the challenge card asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ChallengeCmd {
    /// Run the drawing to its end and judge the goal.
    Check,
    /// Show the next hint.
    Hint,
    /// Open a run a search found (the found scenario, as an unsaved
    /// drawing) paused at its failing moment. The challenge card and the
    /// Checks panel's Explore both offer it.
    OpenRun { scenario: Box<Scenario>, at: Micros },
}

/// How many runs "Check my design" searches once the goal passes on the
/// lesson's own run: seeds and the first single faults, a fraction of a
/// second on a laptop.
pub const CHECK_BUDGET: usize = 300;

/// A run that breaks a design, as a search found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Broken {
    /// The check or monitor that failed (`NoWriteLost`).
    pub name: String,
    /// The faults and the failure, in sentences.
    pub said: Vec<String>,
    /// The moment that shows it.
    pub at: Micros,
    /// The drawing that reproduces it.
    pub scenario: Box<Scenario>,
}

impl Broken {
    /// What a search found, on drawing `s`.
    pub fn from_found(s: &Scenario, found: &Found) -> Broken {
        let mut scenario = found.scenario(s);
        scenario.title = format!("{} — found run", s.title);
        Broken {
            name: found.failure.name.clone(),
            said: found.said(),
            at: found.at(),
            scenario: Box::new(scenario),
        }
    }
}

/// The first run within `budget` that breaks what `drawing` promises
/// about `goal`, searched on this thread.
pub fn search_goal(drawing: &Scenario, goal: &[Expectation], budget: usize) -> Option<Broken> {
    let mut s = drawing.clone();
    s.expect = goal.to_vec();
    let options = Options {
        budget,
        ..Options::default()
    };
    let search = Search::new(&s, &options).ok()?;
    let (_, found) = explore::in_order(&search);
    found.map(|f| Broken::from_found(&s, &f))
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
    /// When every check passed: a run the short search found that breaks
    /// the design all the same.
    pub broken: Option<Broken>,
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

    /// Opens `scenario` as a new unsaved drawing, paused at `at`.
    fn open_run(&mut self, scenario: Scenario, at: Micros) {
        self.replace(Document::new(scenario, None, "found-run".into()));
        if let Some(p) = self.player.as_mut() {
            p.playing = false;
            p.seek(at as f64);
        }
    }

    pub(super) fn challenge_cmd(&mut self, c: ChallengeCmd) {
        if let ChallengeCmd::OpenRun { scenario, at } = c {
            self.open_run(*scenario, at);
            return;
        }
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
            ChallengeCmd::OpenRun { .. } => {}
            ChallengeCmd::Check => {
                let outcomes = judge(&self.doc.scenario, &a.challenge.goal, seed);
                let mut checked = Checked {
                    revision,
                    outcomes,
                    broken: None,
                };
                let solved = checked.passed();
                if solved {
                    checked.broken =
                        search_goal(&self.doc.scenario, &a.challenge.goal, CHECK_BUDGET);
                }
                let broken = checked.broken.as_ref().map(|b| b.name.clone());
                a.checked = Some(checked);
                if solved {
                    let title = a.challenge.title.clone();
                    self.progress.solved(&title);
                    let more = match broken {
                        Some(name) => format!(
                            " But a search found a run that breaks it ({name}): see the card."
                        ),
                        None => String::new(),
                    };
                    self.notice = Some(Notice::info(format!(
                        "Solved: {title}. Your progress keeps it.{more}"
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
