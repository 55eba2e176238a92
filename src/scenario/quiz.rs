//! The course quiz as a document: multiple-choice questions, each
//! explained and tied to the moment of a lesson that shows its answer.
//! Read with the same located errors as a scenario; which lessons exist is
//! the caller's to say (the presets live above this layer).

use serde::{Deserialize, Serialize};

use super::load::{Bounds, ScenarioError, plain_ron_message, ron_options};
use super::locate::{Where, line_col, offset_of, top_level_names};
use super::{Dur, Expectation, Scenario};

/// The quiz at the end of the course.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub title: String,
    /// Shown before the first question.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
    pub questions: Vec<Question>,
}

/// One multiple-choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: String,
    pub choices: Vec<String>,
    /// Index of the right choice, from 0.
    pub answer: usize,
    /// Why the answer is right, shown once the learner has picked.
    pub explain: String,
    /// Where a lesson shows it.
    pub show_me: ShowMe,
}

/// A moment of a lesson, and what its run shows by then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowMe {
    /// The lesson's file name, like "04-outbox-and-cdc.ron".
    pub lesson: String,
    /// The moment to open it at: where a narration step begins.
    pub at: Dur,
    /// What the lesson's run has shown by that moment (the tests check
    /// it, so an explanation cannot drift from its lesson).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shows: Vec<Expectation>,
}

/// Whether `src` looks like a quiz rather than a scenario: its outermost
/// brackets hold `questions`.
pub fn is_quiz(src: &str) -> bool {
    top_level_names(src).contains(&"questions")
}

/// Parses and checks quiz text; `lesson` finds a lesson by file name, so
/// that every "Show me" can be checked against it.
pub fn quiz_from_str(
    src: &str,
    file: &str,
    lesson: impl Fn(&str) -> Option<Scenario>,
) -> Result<Quiz, ScenarioError> {
    let at = |place: &Where, message: String| {
        let (line, col) = line_col(src, offset_of(src, place));
        ScenarioError {
            file: file.to_string(),
            line,
            col,
            message,
        }
    };
    if src.len() > Bounds::FILE_BYTES {
        return Err(at(
            &Where::section(""),
            format!(
                "the file is {} bytes; the limit is {}",
                src.len(),
                Bounds::FILE_BYTES
            ),
        ));
    }
    let quiz: Quiz = ron_options().from_str(src).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: plain_ron_message(&e.code),
    })?;
    match problems(&quiz, &lesson).into_iter().next() {
        Some((place, message)) => Err(at(&place, message)),
        None => Ok(quiz),
    }
}

/// Every problem with the quiz, where it was written.
fn problems(quiz: &Quiz, lesson: &impl Fn(&str) -> Option<Scenario>) -> Vec<(Where, String)> {
    let mut out = Vec::new();
    fn text(place: Where, what: &str, t: &str, out: &mut Vec<(Where, String)>) {
        if t.trim().is_empty() {
            out.push((place, format!("the {what} is empty")));
        } else if t.chars().count() > Bounds::TEXT_CHARS {
            out.push((
                place,
                format!(
                    "the {what} is longer than {} characters",
                    Bounds::TEXT_CHARS
                ),
            ));
        }
    }
    text(Where::section("title"), "title", &quiz.title, &mut out);
    let n = quiz.questions.len();
    if n == 0 || n > Bounds::QUESTIONS {
        out.push((
            Where::section("questions"),
            format!(
                "a quiz needs 1 to {} questions; this one has {n}",
                Bounds::QUESTIONS
            ),
        ));
        return out;
    }
    for (i, q) in quiz.questions.iter().enumerate() {
        text(
            Where::field("questions", i, "ask"),
            "question",
            &q.ask,
            &mut out,
        );
        text(
            Where::field("questions", i, "explain"),
            "explanation",
            &q.explain,
            &mut out,
        );
        if !(2..=6).contains(&q.choices.len()) || q.answer >= q.choices.len() {
            out.push((
                Where::field("questions", i, "answer"),
                "a question needs 2 to 6 choices and an answer that is one of them (counting from 0)"
                    .into(),
            ));
        }
        for c in &q.choices {
            text(Where::text("questions", i, c), "choice", c, &mut out);
        }
        let place = Where::text("questions", i, &q.show_me.lesson);
        let Some(mut s) = lesson(&q.show_me.lesson) else {
            out.push((
                place,
                format!("there is no lesson \"{}\" to show", q.show_me.lesson),
            ));
            continue;
        };
        if q.show_me.at > s.until {
            out.push((
                Where::field("questions", i, "at"),
                format!(
                    "{} is after the lesson's run ends at {}",
                    q.show_me.at, s.until
                ),
            ));
        }
        if q.show_me.shows.len() > Bounds::GOAL {
            out.push((
                Where::field("questions", i, "shows"),
                format!("at most {} checks per \"Show me\"", Bounds::GOAL),
            ));
        }
        // What it shows must name what the lesson has.
        s.expect = q.show_me.shows.clone();
        s.challenges.clear();
        for p in super::validate::validate(&s) {
            if p.place.section == "expect" {
                out.push((
                    Where::field("questions", i, "shows"),
                    format!("in what lesson {} shows: {}", q.show_me.lesson, p.message),
                ));
            }
        }
    }
    out
}
