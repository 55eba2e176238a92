//! Compare mode: a second drawing (B) beside the first (A), run with the
//! same seed on the same clock, so a learner who changes one setting sees
//! what would have happened otherwise next to what did. One side at a time
//! is the session's document, edited with every tool the app has; the
//! other waits here with its own run, kept at the same moment.

use super::{Document, Player, Selection, Session, lesson};
use crate::model::Micros;
use crate::scenario::{self, Scenario};
use crate::trace::query::{self, Moment, Parting, RecordDiff};

/// One of the two drawings being compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn letter(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// What compare mode can be asked to do.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareCmd {
    /// B starts as a copy of the drawing, to change.
    Duplicate,
    /// B is the drawing's declared variant with this index.
    Variant(usize),
    /// B is the preset lesson with this index, as it ships: a drawing
    /// remixed from it, beside the original.
    Lesson(usize),
    /// Edit this side (the other keeps its run, at the same moment).
    Edit(Side),
    /// Leave compare mode, keeping this side as the drawing.
    End { keep: Side },
}

/// The side not being edited, and what the two runs share.
pub struct Compare {
    pub other: Document,
    pub other_player: Option<Player>,
    /// Why the other side cannot run, when it cannot.
    pub other_problem: Option<String>,
    other_built: u64,
    /// Which side the session's document is.
    pub editing: Side,
    /// Where the two runs part ways (whole runs), once both can run.
    pub parting: Option<Parting>,
    /// The (A, B) revisions and seed `parting` was found for.
    parted_for: Option<(u64, u64, u64)>,
    /// The side not being edited plays no lesson of its own.
    pub idle_lesson: lesson::Lesson,
}

impl Compare {
    fn new(other: Document) -> Self {
        Compare {
            other_built: other.revision.wrapping_sub(1),
            other,
            other_player: None,
            other_problem: None,
            editing: Side::A,
            parting: None,
            parted_for: None,
            idle_lesson: lesson::Lesson::default(),
        }
    }
}

impl Session {
    pub(super) fn compare_cmd(&mut self, c: CompareCmd) {
        match c {
            CompareCmd::Duplicate => {
                let mut b = self.doc.scenario.clone();
                b.title = format!("{} (B)", b.title);
                // The lesson's words are about A; B is there to be changed.
                b.narration.clear();
                b.variants.clear();
                b.challenges.clear();
                self.start_compare(b);
            }
            CompareCmd::Variant(i) => {
                if let Some(b) = self.doc.scenario.variant(i) {
                    self.start_compare(b);
                }
            }
            CompareCmd::Lesson(i) => match super::presets::PRESETS.get(i).map(|p| p.load()) {
                Some(Ok(mut b)) => {
                    b.title = format!("{} (the lesson)", b.title);
                    self.start_compare(b);
                }
                Some(Err(e)) => self.notice = Some(super::Notice::error(e.to_string())),
                None => {}
            },
            CompareCmd::Edit(side) => self.edit_side(side),
            CompareCmd::End { keep } => {
                self.edit_side(keep);
                self.compare = None;
            }
        }
    }

    fn start_compare(&mut self, b: Scenario) {
        if self.compare.is_some() {
            self.edit_side(Side::A);
        }
        let name = format!("{} (B)", self.doc.name.trim_end_matches(".ron"));
        let mut other = Document::new(b, None, name);
        // A copy no one has edited is nothing to lose.
        other.dirty = false;
        self.compare = Some(Compare::new(other));
        self.keep_in_step();
    }

    /// Makes `side` the session's document; the other side's drawing, run
    /// and problem move into the compare state.
    fn edit_side(&mut self, side: Side) {
        let Some(c) = &mut self.compare else { return };
        if c.editing == side {
            return;
        }
        let playing = self.player.as_ref().is_some_and(|p| p.playing);
        std::mem::swap(&mut self.doc, &mut c.other);
        std::mem::swap(&mut self.player, &mut c.other_player);
        std::mem::swap(&mut self.problem, &mut c.other_problem);
        std::mem::swap(&mut self.built_revision, &mut c.other_built);
        c.editing = side;
        self.selection = Selection::default();
        self.lesson = match &self.player {
            Some(p) => lesson::Lesson::for_run(&self.doc.scenario, p.seed),
            None => lesson::Lesson::default(),
        };
        if let Some(p) = &mut self.player {
            p.playing = playing;
        }
        self.keep_in_step();
    }

    /// Keeps the other side's run at the session's seed and moment, and
    /// finds where the runs part ways whenever either drawing changed.
    pub(super) fn keep_in_step(&mut self) {
        let Some(c) = &mut self.compare else { return };
        let Some(p) = &mut self.player else { return };
        let seed = p.seed;
        if c.other.revision != c.other_built
            || c.other_player.as_ref().is_some_and(|o| o.seed != seed)
        {
            c.other_built = c.other.revision;
            c.other_problem = scenario::problem(&c.other.scenario);
            c.other_player = None;
            if c.other_problem.is_none() {
                match Player::new(&c.other.scenario, seed) {
                    Ok(o) => c.other_player = Some(o),
                    Err(e) => c.other_problem = Some(e),
                }
            }
        }
        let Some(o) = &mut c.other_player else { return };
        o.playing = false;
        let (ra, rb) = match c.editing {
            Side::A => (self.doc.revision, c.other.revision),
            Side::B => (c.other.revision, self.doc.revision),
        };
        if c.parted_for != Some((ra, rb, seed)) {
            c.parted_for = Some((ra, rb, seed));
            // Both runs to their ends, then back: scrubbing is exact.
            let (t, ot) = (p.time(), o.time());
            p.seek(f64::MAX);
            o.seek(f64::MAX);
            c.parting = match c.editing {
                Side::A => query::first_difference(p.trace(), o.trace()),
                Side::B => query::first_difference(o.trace(), p.trace()),
            };
            p.seek(t);
            o.seek(ot);
        }
        if o.time() != p.time() {
            o.seek(p.time());
        }
    }

    /// The moment the two runs part ways, if they do.
    pub fn parting_at(&self) -> Option<Micros> {
        self.compare.as_ref()?.parting.as_ref().map(|p| p.at)
    }

    /// Each side's drawing and run, A first.
    pub fn sides(&self) -> Option<[(Side, &Document, Option<&Player>); 2]> {
        let c = self.compare.as_ref()?;
        let mine = (c.editing, &self.doc, self.player.as_ref());
        let theirs = (
            match c.editing {
                Side::A => Side::B,
                Side::B => Side::A,
            },
            &c.other,
            c.other_player.as_ref(),
        );
        Some(match c.editing {
            Side::A => [mine, theirs],
            Side::B => [theirs, mine],
        })
    }

    /// Records the two runs hold differently at the moment shown.
    pub fn records_differing_now(&self) -> Vec<RecordDiff> {
        let Some([(_, _, Some(a)), (_, _, Some(b))]) = self.sides() else {
            return Vec::new();
        };
        query::records_differing(moment(a), moment(b))
    }
}

fn moment(p: &Player) -> Moment<'_> {
    Moment {
        trace: p.trace(),
        index: &p.index,
        upto: p.upto(),
    }
}
