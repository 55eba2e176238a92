//! The learner's way through a lesson: guesses at its questions, when each
//! answer may be revealed, and the pace at which Next plays the run to the
//! next step. Play never runs past a question the learner has not answered
//! or skipped; an answer shows only once the run has shown it.

use std::collections::BTreeMap;

use crate::check;
use crate::model::Micros;
use crate::scenario::{Decided, Scenario};
use crate::sim::Engine;

/// What the learner did with a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guess {
    Choice(usize),
    /// "Just show me."
    Skipped,
}

/// Virtual seconds per real second while messages are in flight during
/// Next: slow enough to watch a hop of a few milliseconds travel.
pub const PACE_BUSY: f64 = 0.04;
/// The longest an idle stretch takes during Next, in real seconds.
pub const PACE_IDLE_SECS: f64 = 0.4;

#[derive(Clone, Debug, Default)]
pub struct Lesson {
    /// By narration step.
    pub guesses: BTreeMap<usize, Guess>,
    /// By narration step with a question: the moment its answer may show.
    pub reveal_at: BTreeMap<usize, Micros>,
    /// Next is playing the run to this moment, at lesson pace.
    pub heading_to: Option<Micros>,
}

impl Lesson {
    /// The lesson state for a fresh run of `s`: when each answer shows, from
    /// a run of the scenario to its end.
    pub fn for_run(s: &Scenario, seed: u64) -> Lesson {
        Lesson {
            reveal_at: reveals(s, seed),
            ..Lesson::default()
        }
    }

    /// Whether step `step`'s question still waits for the learner.
    pub fn blocks(&self, s: &Scenario, step: usize) -> bool {
        s.narration.get(step).is_some_and(|n| n.ask.is_some()) && !self.guesses.contains_key(&step)
    }

    /// Whether step `step`'s answer may show at time `now`.
    pub fn revealed(&self, step: usize, now: Micros) -> bool {
        self.guesses.contains_key(&step) && self.reveal_at.get(&step).is_some_and(|&t| now >= t)
    }
}

/// When each question's answer may show: its `reveal` moment, or else the
/// moment its proof is decided (a count as soon as it is met, a moment once
/// reached, anything else at the end of the run).
pub fn reveals(s: &Scenario, seed: u64) -> BTreeMap<usize, Micros> {
    let asks: Vec<(usize, &crate::scenario::Ask)> = s
        .narration
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.ask.as_ref().map(|a| (i, a)))
        .collect();
    if asks.is_empty() {
        return BTreeMap::new();
    }
    let until = s.until.0;
    let Ok(mut engine) = Engine::new(s, seed) else {
        return asks.iter().map(|&(i, _)| (i, until)).collect();
    };
    engine.run();
    let trace = engine.trace();
    let mut out = BTreeMap::new();
    for (i, ask) in asks {
        let at = match ask.reveal {
            Some(r) => r.0,
            None if ask.proof.is_empty() => until,
            None => {
                let mut proof = s.clone();
                proof.expect = ask.proof.clone();
                let outcomes = check::evaluate(&proof, trace);
                ask.proof
                    .iter()
                    .zip(outcomes)
                    .map(|(e, o)| match e.decided() {
                        Decided::At(t) => t,
                        Decided::WhenMet => o.at.unwrap_or(until),
                        Decided::AtEnd => until,
                    })
                    .max()
                    .unwrap_or(until)
            }
        };
        out.insert(i, at.min(until));
    }
    out
}
