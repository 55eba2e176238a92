//! Challenges checked: bounded, worded, and their drawings valid
//! scenarios whose goal names what the drawing has. A problem inside a
//! challenge's drawing is located inside it.

use super::super::load::Bounds;
use super::super::locate::Where;
use super::{Checker, Problem, validate};

impl Checker<'_> {
    pub(super) fn challenges(&mut self) {
        let list = &self.s.challenges;
        if list.len() > Bounds::CHALLENGES {
            self.fail(
                Where::section("challenges"),
                format!(
                    "{} challenges; a lesson has at most {}",
                    list.len(),
                    Bounds::CHALLENGES
                ),
            );
            return;
        }
        for (i, c) in list.iter().enumerate() {
            let here = |place: Where| place.inside(Where::item("challenges", i));
            for (field, text) in [("title", &c.title), ("task", &c.task)] {
                if text.trim().is_empty() {
                    self.fail(
                        here(Where::section(field)),
                        format!("challenge {} needs a {field}", i + 1),
                    );
                }
                self.text_ok(here(Where::section(field)), field, text);
            }
            if c.hints.len() > Bounds::HINTS {
                self.fail(
                    here(Where::section("hints")),
                    format!("a challenge has at most {} hints", Bounds::HINTS),
                );
            }
            for (k, h) in c.hints.iter().enumerate() {
                if h.trim().is_empty() {
                    self.fail(here(Where::item("hints", k)), "a hint is empty".into());
                }
                self.text_ok(here(Where::item("hints", k)), "hint", h);
            }
            if c.goal.is_empty() || c.goal.len() > Bounds::GOAL {
                self.fail(
                    here(Where::section("goal")),
                    format!("a challenge's goal needs 1 to {} checks", Bounds::GOAL),
                );
            }
            if !c.start.expect.is_empty() {
                self.fail(
                    here(Where::section("start")),
                    "a challenge's drawing takes its checks from the goal; move its \"expect\" there".into(),
                );
            }
            if !c.start.challenges.is_empty() {
                self.fail(
                    here(Where::section("start")),
                    "a challenge's drawing cannot hold challenges of its own".into(),
                );
                continue;
            }
            let start = |place: Where| here(place.inside(Where::section("start")));
            // The goal is checked as the drawing's own expectations would be.
            let problems = validate(&c.drawing());
            for Problem { place, message } in problems {
                let place = if place.section == "expect" && place.within.is_empty() {
                    here(Where {
                        section: "goal",
                        ..place
                    })
                } else {
                    start(place)
                };
                self.fail(
                    place,
                    format!("in challenge {}'s drawing: {message}", i + 1),
                );
            }
        }
    }
}
