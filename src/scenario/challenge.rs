//! Challenges: after a lesson, the same system broken in the way the
//! lesson warned about, and a goal the learner meets by changing the
//! drawing. Stored with the lesson, as data.

use serde::{Deserialize, Serialize};

use super::{Expectation, Scenario};

/// Something to do, not only to watch: a broken drawing and the checks
/// that a fixed one passes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Names the challenge, and keeps it solved in the learner's progress.
    pub title: String,
    /// What to do, in words.
    pub task: String,
    /// The drawing the learner starts from: a whole scenario, broken.
    pub start: Box<Scenario>,
    /// What a run of the learner's drawing must show.
    pub goal: Vec<Expectation>,
    /// Given one at a time, on request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

impl Challenge {
    /// The drawing to open: the broken start, with the goal as its checks
    /// (so the Checks panel and `settle run --check` judge it too).
    pub fn drawing(&self) -> Scenario {
        let mut s = (*self.start).clone();
        s.expect = self.goal.clone();
        s
    }
}
