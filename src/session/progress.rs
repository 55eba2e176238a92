//! What a learner has done, kept between runs: lessons finished, the
//! predictions they got right, their best quiz score, the challenges they
//! solved. The window stores it (see `ui::app`); this is its shape and the
//! rules for updating it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One lesson's record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// The learner reached its last step.
    pub done: bool,
    /// By narration step: whether their first guess was right.
    pub predictions: BTreeMap<usize, bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// By lesson file name (`04-outbox-and-cdc.ron`).
    pub lessons: BTreeMap<String, LessonProgress>,
    /// The best quiz score: (right answers, questions).
    pub quiz_best: Option<(usize, usize)>,
    /// Challenges solved, by their title.
    pub challenges: BTreeSet<String>,
    /// Bumped on every change, so the window knows to store it.
    #[serde(skip)]
    pub revision: u64,
}

impl Progress {
    /// Records a guess; only the first guess at a question counts.
    pub fn guessed(&mut self, lesson: &str, step: usize, right: bool) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        if let std::collections::btree_map::Entry::Vacant(e) = l.predictions.entry(step) {
            e.insert(right);
            self.revision += 1;
        }
    }

    /// Records that the learner reached a lesson's last step.
    pub fn finished(&mut self, lesson: &str) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        if !l.done {
            l.done = true;
            self.revision += 1;
        }
    }

    /// Records a quiz score, keeping the best.
    pub fn quiz(&mut self, right: usize, of: usize) {
        let better = self.quiz_best.is_none_or(|(r, _)| right > r);
        if better {
            self.quiz_best = Some((right, of));
            self.revision += 1;
        }
    }

    /// Records a solved challenge.
    pub fn solved(&mut self, challenge: &str) {
        if self.challenges.insert(challenge.to_string()) {
            self.revision += 1;
        }
    }

    /// (right, asked) over a lesson's predictions.
    pub fn predictions(&self, lesson: &str) -> (usize, usize) {
        self.lessons.get(lesson).map_or((0, 0), |l| {
            (
                l.predictions.values().filter(|r| **r).count(),
                l.predictions.len(),
            )
        })
    }
}
