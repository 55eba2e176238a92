//! The course quiz: its questions, embedded like the lessons and checked
//! against them, and the learner's way through it. One question at a
//! time; the first pick counts; the score is kept in the progress when the
//! last question is answered. "Show me" leaves the quiz for the lesson
//! moment that demonstrates an answer, and the learner can come back.

use std::collections::BTreeMap;

use super::Session;
use super::presets::PRESETS;
use crate::scenario::{self, Quiz, ScenarioError};

/// The quiz's file name in `scenarios/`.
pub const FILE: &str = "quiz.ron";
/// The quiz's text, embedded so the app works from any folder.
pub const TEXT: &str = include_str!("../../scenarios/quiz.ron");

/// The embedded quiz, checked once (it is read every frame it shows).
pub fn load() -> Result<&'static Quiz, &'static ScenarioError> {
    static QUIZ: std::sync::OnceLock<Result<Quiz, ScenarioError>> = std::sync::OnceLock::new();
    QUIZ.get_or_init(|| from_str(TEXT, FILE)).as_ref()
}

/// Parses quiz text and checks every "Show me" against the preset lessons.
pub fn from_str(text: &str, file: &str) -> Result<Quiz, ScenarioError> {
    scenario::quiz_from_str(text, file, |name| {
        PRESETS
            .iter()
            .find(|p| p.file == name)
            .and_then(|p| p.load().ok())
    })
}

/// What the quiz view asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuizCmd {
    /// Show the quiz, where the learner left it.
    Open,
    /// Hide it (the welcome view or the editor shows again).
    Close,
    /// The learner's pick for a question; only the first counts.
    Pick { question: usize, choice: usize },
    /// Show this question.
    Go(usize),
    /// Leave for question `question`'s "Show me" (a [`super::Cmd::ShowMe`]
    /// follows); the editor offers the way back.
    Leave { question: usize },
    /// Start over: no picks, first question.
    Again,
}

/// The learner's way through the quiz.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuizRun {
    /// The quiz view is showing.
    pub open: bool,
    /// The question shown.
    pub current: usize,
    /// By question: the learner's first pick.
    pub picks: BTreeMap<usize, usize>,
    /// The question whose "Show me" the learner followed.
    pub left_from: Option<usize>,
}

impl QuizRun {
    /// (right, answered) so far.
    pub fn score(&self, quiz: &Quiz) -> (usize, usize) {
        let right = self
            .picks
            .iter()
            .filter(|(q, c)| quiz.questions.get(**q).is_some_and(|q| q.answer == **c))
            .count();
        (right, self.picks.len())
    }

    /// Every question answered.
    pub fn finished(&self, quiz: &Quiz) -> bool {
        !quiz.questions.is_empty() && self.picks.len() >= quiz.questions.len()
    }
}

impl Session {
    pub(super) fn quiz_cmd(&mut self, c: QuizCmd) {
        let Ok(quiz) = load() else {
            return;
        };
        let n = quiz.questions.len();
        let run = &mut self.quiz;
        match c {
            QuizCmd::Open => {
                run.open = true;
                run.left_from = None;
                self.welcome = false;
            }
            QuizCmd::Close => {
                run.open = false;
                run.left_from = None;
            }
            QuizCmd::Go(q) => run.current = q.min(n.saturating_sub(1)),
            QuizCmd::Pick { question, choice } => {
                let valid = quiz
                    .questions
                    .get(question)
                    .is_some_and(|q| choice < q.choices.len());
                if valid && !run.picks.contains_key(&question) {
                    run.picks.insert(question, choice);
                    if run.finished(quiz) {
                        let (right, _) = run.score(quiz);
                        self.progress.quiz(right, n);
                    }
                }
            }
            QuizCmd::Leave { question } => {
                run.open = false;
                run.left_from = Some(question);
                run.current = question.min(n.saturating_sub(1));
            }
            QuizCmd::Again => {
                *run = QuizRun {
                    open: run.open,
                    ..QuizRun::default()
                };
            }
        }
    }
}
