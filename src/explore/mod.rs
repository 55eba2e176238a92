//! Exploring a drawing for the run that breaks it. A design that "seems to
//! work" often fails only under one unlucky crash or message order; the
//! engine is deterministic and fast, so the search tries them: other
//! seeds first, then every single fault read from the drawing's own run
//! (a crash just after each message a node receives or sends, each
//! arrival lost, each link cut at each arrival), then every pair of them.
//! The smallest fault sets come first, so what it finds is minimal.
//!
//! The search is pure and in order: candidate `i` is always the same run,
//! and the answer is the first failing candidate in that order, however
//! the caller spreads the candidates over threads (see [`search`]).

mod inject;
mod judge;
mod moments;

pub use inject::{Candidate, Inject};
pub use judge::{Failure, Judge, about, is_promise, name};
pub use moments::{DEFAULT_DOWN, Spans, singles};

use std::ops::Range;

use crate::model::{Micros, fmt_time};
use crate::scenario::Scenario;
use crate::sim::{BuildError, Engine};

/// How wide and how deep to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The most runs to try.
    pub budget: usize,
    /// The most faults added to one run (0, 1 or 2).
    pub faults: usize,
    /// How many seeds besides the drawing's own to try first.
    pub seeds: u64,
    /// Judge only the expectations about this table, topic, log, client
    /// or projection (and only this table's divergence).
    pub only: Option<String>,
}

/// The deepest fault set the search builds: pairs already number in the
/// tens of thousands on a lesson-sized drawing.
pub const MAX_FAULTS: usize = 2;

impl Default for Options {
    fn default() -> Self {
        Options {
            budget: DEFAULT_BUDGET,
            faults: 2,
            seeds: 8,
            only: None,
        }
    }
}

/// Runs tried by default: on lesson 04, 3 to 8 seconds of a busy 2-core
/// machine's release build (see the README's explore paragraph), so
/// about ten on a laptop doing something else too.
pub const DEFAULT_BUDGET: usize = 50_000;

/// What each run of a search records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recording {
    /// Only what the judging reads ([`Engine::judged`]), from the drawing
    /// without its narration: what a search needs.
    #[default]
    Judged,
    /// Everything a view could draw, as `settle run` records it: for
    /// measuring what judging alone saves (`settle bench explore`).
    Everything,
}

/// A search set up on one drawing: its candidates, in order.
#[derive(Debug)]
pub struct Search {
    scenario: Scenario,
    /// The drawing as its judged runs build it: without the narration
    /// and the lesson's text, which no judged run reads, so each run
    /// copies less.
    judged: Scenario,
    recording: Recording,
    judge: Judge,
    singles: Vec<Inject>,
    seeds: u64,
    len: usize,
}

/// What a search found.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Its place in candidate order, from 0.
    pub index: usize,
    pub candidate: Candidate,
    pub failure: Failure,
}

impl Found {
    /// The moment to show: the failure's own, else its last fault.
    pub fn at(&self) -> Micros {
        self.failure
            .at
            .or_else(|| self.candidate.injects.iter().map(Inject::at).max())
            .unwrap_or(0)
    }

    /// The drawing that reproduces it: the candidate's seed, its faults
    /// after the drawing's own, and the expectation that fails.
    pub fn scenario(&self, s: &Scenario) -> Scenario {
        let mut found = with_candidate(s, &self.candidate);
        if !found.expect.contains(&self.failure.expectation) {
            found.expect.push(self.failure.expectation.clone());
        }
        found
    }

    /// What happened, in sentences.
    pub fn said(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.candidate.depth() == 0 {
            lines.push(format!("With seed {}", self.candidate.seed));
        }
        lines.extend(self.candidate.injects.iter().map(Inject::said));
        lines.push(format!(
            "{} fails at {}: {}",
            self.failure.name,
            fmt_time(self.at()),
            self.failure.why
        ));
        lines
    }
}

impl Search {
    /// Runs the drawing once with its own seed and reads the moments to
    /// break from that run.
    pub fn new(s: &Scenario, options: &Options) -> Result<Search, BuildError> {
        let mut engine = Engine::new(s, s.seed)?;
        engine.run();
        let base = engine.into_trace();
        let judge = Judge::new(s, &base, options.only.as_deref(), SETTLE);
        let faults = options.faults.min(MAX_FAULTS);
        let singles = if faults > 0 {
            singles(&base, Spans::of(s), s.until.0.saturating_add(SETTLE))
        } else {
            Vec::new()
        };
        let n = singles.len();
        let all = 1
            + options.seeds as usize
            + n
            + if faults >= 2 {
                n * n.saturating_sub(1) / 2
            } else {
                0
            };
        Ok(Search {
            scenario: s.clone(),
            judged: untold(s),
            recording: Recording::default(),
            judge,
            singles,
            seeds: options.seeds,
            len: all.min(options.budget),
        })
    }

    /// The same search with each run recording `recording`; the answer
    /// is the same either way (tests/explore.rs checks).
    pub fn recording(mut self, recording: Recording) -> Search {
        self.recording = recording;
        self
    }

    /// How many candidates the search will try at most.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is nothing to try.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the drawing promises anything a run could break.
    pub fn judges_anything(&self) -> bool {
        !self.judge.is_empty()
    }

    /// How many single faults the drawing's run offers.
    pub fn singles(&self) -> usize {
        self.singles.len()
    }

    /// The drawing searched.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Candidate `i`: the drawing's seed, then the other seeds, then each
    /// single fault, then each pair (the later one's index first).
    pub fn candidate(&self, i: usize) -> Option<Candidate> {
        if i >= self.len {
            return None;
        }
        let base = self.scenario.seed;
        let seeds = 1 + self.seeds as usize;
        if i < seeds {
            return Some(Candidate {
                seed: base.wrapping_add(i as u64),
                injects: Vec::new(),
            });
        }
        let k = i - seeds;
        let n = self.singles.len();
        if k < n {
            return Some(Candidate {
                seed: base,
                injects: vec![self.singles.get(k)?.clone()],
            });
        }
        let (a, b) = pair(k - n);
        Some(Candidate {
            seed: base,
            injects: vec![self.singles.get(a)?.clone(), self.singles.get(b)?.clone()],
        })
    }

    /// Runs candidate `i` and judges it.
    pub fn try_one(&self, i: usize) -> Option<Found> {
        let candidate = self.candidate(i)?;
        let mut engine = match self.recording {
            Recording::Judged => {
                Engine::judged(&with_candidate(&self.judged, &candidate), candidate.seed)
            }
            Recording::Everything => {
                Engine::new(&with_candidate(&self.scenario, &candidate), candidate.seed)
            }
        }
        .ok()?;
        engine.run();
        let failure = self.judge.judge(engine.trace(), candidate.depth() > 0)?;
        Some(Found {
            index: i,
            candidate,
            failure,
        })
    }

    /// The first failing candidate in `range`, trying them in order.
    pub fn first_in(&self, range: Range<usize>) -> Option<Found> {
        range.into_iter().find_map(|i| self.try_one(i))
    }
}

/// Pair number `k` of single faults, `(a, b)` with `a < b`, ordered by
/// `b` then `a`: every pair of the first `b` singles before any with a
/// later one.
fn pair(k: usize) -> (usize, usize) {
    // The largest b with b(b-1)/2 <= k.
    let mut b = (((8.0 * k as f64 + 1.0).sqrt() + 1.0) / 2.0) as usize;
    while b * b.saturating_sub(1) / 2 > k {
        b -= 1;
    }
    while (b + 1) * b / 2 <= k {
        b += 1;
    }
    (k - b * b.saturating_sub(1) / 2, b)
}

/// The drawing without what only a reader or a view uses (its summary,
/// narration, reading list, variants and challenges): what a judged run
/// is built from.
fn untold(s: &Scenario) -> Scenario {
    let mut run = s.clone();
    run.summary.clear();
    run.further_reading.clear();
    run.narration.clear();
    run.variants.clear();
    run.challenges.clear();
    run
}

/// How long a run with added faults goes on past the drawing's end, with
/// no new work: resends back off (up to eight times their timeout) after
/// an outage, and what arrives late is not lost. The found scenario keeps
/// the longer end, so it reproduces.
pub const SETTLE: Micros = 3_000_000;

/// The drawing as a candidate runs it: its faults added, in time order,
/// and with added faults the settling time after its end.
pub fn with_candidate(s: &Scenario, c: &Candidate) -> Scenario {
    let mut run = s.clone();
    run.seed = c.seed;
    run.faults.extend(c.faults());
    run.faults.sort_by_key(|f| f.at());
    if c.depth() > 0 {
        run.until = crate::scenario::Dur(s.until.0.saturating_add(SETTLE));
    }
    run
}

/// How many candidates a round gives each worker before the search looks
/// for a failure: small enough to stop soon after one, large enough that
/// starting the workers costs little.
pub const ROUND: usize = 32;

/// Searches in rounds of candidates; `spread` tries a range and returns
/// its first failure (in order), however it divides the range among
/// threads; `progress` hears how many were tried and stops the search by
/// returning false. Returns how many were tried (up to and with the
/// failure) and the failure.
pub fn search(
    s: &Search,
    workers: usize,
    spread: &dyn Fn(&Search, Range<usize>) -> Option<Found>,
    progress: &mut dyn FnMut(usize) -> bool,
) -> (usize, Option<Found>) {
    let step = ROUND * workers.max(1);
    let mut start = 0;
    while start < s.len() {
        let end = (start + step).min(s.len());
        if let Some(found) = spread(s, start..end) {
            return (found.index + 1, Some(found));
        }
        start = end;
        if !progress(start) {
            break;
        }
    }
    (start, None)
}

/// Tries the whole search on this thread (the browser build, tests).
pub fn in_order(s: &Search) -> (usize, Option<Found>) {
    search(s, 1, &|s, r| s.first_in(r), &mut |_| true)
}

#[cfg(test)]
mod tests {
    use super::pair;

    #[test]
    fn pairs_are_numbered_in_order_without_gaps() {
        let mut k = 0;
        for b in 1..60 {
            for a in 0..b {
                assert_eq!(pair(k), (a, b), "pair {k}");
                k += 1;
            }
        }
    }
}
