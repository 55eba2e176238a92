//! Playback: a run of the current scenario, the cursor that says which
//! moment every view shows, and the controls that move it. The engine runs
//! only as far as the cursor has been; scrubbing back reads the recorded
//! trace, so it is exact and costs no re-run.

use super::choose;
use super::command::Cmd;
use crate::model::Micros;
use crate::scenario::Scenario;
use crate::sim::Engine;
use crate::trace::query::{Index, Pipeline, Series};
use crate::trace::{StepKind, Trace};

/// Slowest and fastest playback, in virtual seconds per real second.
pub const MIN_SPEED: f64 = 0.001;
pub const MAX_SPEED: f64 = 100.0;

pub struct Player {
    engine: Engine,
    pub index: Index,
    pub series: Series,
    /// The moment shown, in virtual microseconds (fractional while playing
    /// slowly, so tokens glide).
    time: f64,
    /// Steps applied at that moment.
    upto: usize,
    pub playing: bool,
    /// Virtual seconds per real second.
    pub speed: f64,
    pub seed: u64,
    marks: Vec<(Micros, usize)>,
    marks_seen: usize,
    /// Outbox rows, relay offsets and unacknowledged deliveries, folded
    /// up to the moment last asked for.
    pipeline: std::cell::RefCell<Pipeline>,
    /// The choose-next mode (see [`choose`]).
    pub choose: choose::Mode,
}

impl Player {
    /// A fresh run of `s`, at time zero.
    pub fn new(s: &Scenario, seed: u64) -> Result<Player, String> {
        let engine = Engine::new(s, seed).map_err(|e| e.to_string())?;
        let index = Index::new(engine.trace());
        let series = Series::new(engine.trace());
        let mut p = Player {
            engine,
            index,
            series,
            time: 0.0,
            upto: 0,
            playing: false,
            speed: 0.1,
            seed,
            marks: Vec::new(),
            marks_seen: 0,
            pipeline: std::cell::RefCell::new(Pipeline::new(s)),
            choose: choose::Mode {
                floors: choose::Floors::of(s),
                ..choose::Mode::default()
            },
        };
        p.seek(0.0);
        Ok(p)
    }

    /// A fresh run of `s` that shows the same moment as `self` did.
    pub fn rebuilt(&self, s: &Scenario, seed: u64) -> Result<Player, String> {
        let mut p = Player::new(s, seed)?;
        p.speed = self.speed;
        p.playing = self.playing;
        p.choose.on = self.choose.on;
        p.seek(self.time);
        Ok(p)
    }

    pub fn trace(&self) -> &Trace {
        self.engine.trace()
    }

    /// The data behind the messaging patterns (outbox rows, relay
    /// offsets, unacknowledged deliveries) at the moment shown.
    pub fn pipeline(&self) -> std::cell::Ref<'_, Pipeline> {
        self.pipeline.borrow_mut().at(self.trace(), self.upto);
        self.pipeline.borrow()
    }

    /// The moment shown, in microseconds.
    pub fn time(&self) -> f64 {
        self.time
    }

    pub fn now(&self) -> Micros {
        self.time as Micros
    }

    /// Steps applied at the moment shown.
    pub fn upto(&self) -> usize {
        self.upto
    }

    pub fn until(&self) -> Micros {
        self.engine.until()
    }

    /// Whether the moment shown is the end of the run.
    pub fn at_end(&self) -> bool {
        self.time as Micros >= self.engine.until()
    }

    /// Moves to virtual time `t`, running the engine that far if needed.
    pub fn seek(&mut self, t: f64) {
        // A moment that is not a number (a broken drag) moves nothing.
        if t.is_nan() {
            return;
        }
        let t = t.clamp(0.0, self.engine.until() as f64);
        self.time = t;
        let whole = t as Micros;
        if whole >= self.engine.now() {
            self.engine.run_until(whole);
            self.refresh();
        }
        self.upto = self.trace().first_step_at(whole.saturating_add(1));
    }

    /// Plays on to time `t` (never past the end), stopping there if `stop`.
    pub fn advance(&mut self, t: f64, stop: bool) {
        if let Some(k) = self.choice_ahead(t) {
            // The run holds where the learner has a choice to make.
            self.upto = k;
            self.time = self.trace().step_time(k) as f64;
            self.playing = false;
            self.choose.resume = true;
            return;
        }
        self.seek(t);
        if stop || self.at_end() {
            self.playing = false;
        }
    }

    /// In the choose-next mode, the first choice point between the moment
    /// shown and `t` (running the engine that far), other than the one
    /// the learner let pass.
    fn choice_ahead(&mut self, t: f64) -> Option<usize> {
        if !self.choose.on || t.is_nan() {
            return None;
        }
        let whole = t.clamp(0.0, self.engine.until() as f64) as Micros;
        if whole >= self.engine.now() {
            self.engine.run_until(whole);
            self.refresh();
        }
        let end = self.trace().first_step_at(whole.saturating_add(1));
        let (trace, index, floors) = (self.engine.trace(), &self.index, &self.choose.floors);
        (self.upto..end).find(|&k| {
            self.choose.passed != Some(k) && choose::point_at(trace, index, floors, k).is_some()
        })
    }

    /// The choice point at the moment shown, when the mode is on.
    pub fn choice_point(&self) -> Option<choose::Point> {
        if !self.choose.on {
            return None;
        }
        choose::point_at(self.trace(), &self.index, &self.choose.floors, self.upto)
    }

    /// After a choice recorded at step `k` (this run is the one rebuilt
    /// with it): shows the choice and the arrival it made, and plays on if
    /// the run was playing when it stopped.
    pub fn show_choice(&mut self, k: usize, resume: bool) {
        let at = self.trace().step_time(k);
        self.seek(at as f64);
        let chosen = self
            .trace()
            .step(k)
            .is_some_and(|s| s.kind == StepKind::Fault);
        if chosen && k + 1 < self.trace().steps.len() {
            self.upto = k + 2;
        }
        self.choose.passed = None;
        self.choose.resume = resume;
        self.playing = resume;
    }

    /// The moment of the first narration mark after `t`, running the engine
    /// ahead as far as needed (the moment shown stays where it is).
    pub fn mark_after(&mut self, t: Micros) -> Option<Micros> {
        loop {
            if let Some(&(at, _)) = self.marks.iter().find(|(at, _)| *at > t) {
                return Some(at);
            }
            if self.engine.end().is_some() || self.engine.now() >= self.engine.until() {
                return None;
            }
            let ahead =
                (self.engine.now() + (self.engine.until() / 20).max(1)).min(self.engine.until());
            self.engine.run_until(ahead);
            self.refresh();
        }
    }

    /// When the next thing happens after the moment shown, as far as the
    /// run has been recorded or is queued.
    pub fn next_happening(&self) -> Option<Micros> {
        let t = self.trace();
        if self.upto < t.steps.len() {
            return Some(t.step_time(self.upto));
        }
        self.engine.next_at()
    }

    /// Whether any message is on the wire at the moment shown.
    pub fn busy(&self) -> bool {
        !self.index.in_flight_at(self.trace(), self.now()).is_empty()
    }

    /// Shows one more step (running the engine for it if needed).
    pub fn step_forward(&mut self) {
        self.playing = false;
        while self.upto >= self.trace().steps.len() {
            if !self.engine.step() {
                self.refresh();
                return;
            }
        }
        self.refresh();
        self.upto += 1;
        self.time = self.trace().step_time(self.upto - 1) as f64;
    }

    /// Shows one step fewer.
    pub fn step_back(&mut self) {
        self.playing = false;
        if self.upto == 0 {
            return;
        }
        self.upto -= 1;
        self.time = match self.upto {
            0 => 0.0,
            n => self.trace().step_time(n - 1) as f64,
        };
    }

    /// Multiplies the speed, within the allowed range.
    pub fn scale_speed(&mut self, factor: f64) {
        self.speed = (self.speed * factor).clamp(MIN_SPEED, MAX_SPEED);
    }

    /// Narration marks recorded so far: (time, narration index).
    pub fn marks(&self) -> &[(Micros, usize)] {
        &self.marks
    }

    /// Runs ahead until the next narration mark after the moment shown and
    /// moves there; stays put if there is none before the end.
    pub fn next_mark(&mut self) -> bool {
        let now = self.now();
        loop {
            if let Some(&(t, _)) = self.marks.iter().find(|(t, _)| *t > now) {
                self.seek(t as f64);
                return true;
            }
            if self.engine.end().is_some() || self.engine.now() >= self.engine.until() {
                return false;
            }
            let ahead =
                (self.engine.now() + (self.engine.until() / 20).max(1)).min(self.engine.until());
            self.engine.run_until(ahead);
            self.refresh();
        }
    }

    /// Carries out a playback command; others are ignored.
    pub fn control(&mut self, c: &Cmd) {
        // Playing on from a choice point lets the network decide there.
        if matches!(c, Cmd::Play | Cmd::TogglePlay) {
            self.choose.passed = Some(self.upto);
        } else {
            self.choose.resume = false;
        }
        match *c {
            Cmd::Play => {
                if self.at_end() {
                    self.seek(0.0);
                }
                self.playing = true;
            }
            Cmd::Pause => self.playing = false,
            Cmd::TogglePlay => {
                if self.at_end() && !self.playing {
                    self.seek(0.0);
                }
                self.playing = !self.playing;
            }
            Cmd::Step => self.step_forward(),
            Cmd::StepBack => self.step_back(),
            Cmd::Seek(t) => self.seek(t),
            Cmd::Home => {
                self.playing = false;
                self.seek(0.0);
            }
            Cmd::End => {
                self.playing = false;
                self.seek(self.until() as f64);
            }
            Cmd::Faster => self.scale_speed(2.0),
            Cmd::Slower => self.scale_speed(0.5),
            Cmd::SetSpeed(v) if v.is_nan() => {}
            Cmd::SetSpeed(v) => self.speed = v.clamp(MIN_SPEED, MAX_SPEED),
            Cmd::NarrationBack => {
                let now = self.now();
                let earlier: Vec<Micros> = self
                    .marks
                    .iter()
                    .map(|m| m.0)
                    .filter(|&t| t <= now)
                    .collect();
                let target = earlier.iter().rev().nth(1).copied().unwrap_or(0);
                self.playing = false;
                self.seek(target as f64);
            }
            Cmd::NarrationNext => {
                self.playing = false;
                self.next_mark();
            }
            _ => {}
        }
    }

    fn refresh(&mut self) {
        let trace = self.engine.trace();
        self.index.update(trace);
        self.series.update(trace);
        for (i, s) in trace.steps.iter_from(self.marks_seen).enumerate() {
            if s.kind == StepKind::Mark
                && let Some(w) = trace.timed.get(s.id as usize)
            {
                self.marks
                    .push((trace.step_time(self.marks_seen + i), w.a as usize));
            }
        }
        self.marks_seen = trace.steps.len();
    }
}
