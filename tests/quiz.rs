//! The course quiz: it loads (embedded and as a file `settle validate`
//! checks), covers the course in enough questions, and every "Show me"
//! opens an existing lesson at a moment within its run where a narration
//! step begins, by which the run shows what the explanation says.

use std::process::Command;

use settle::check::{self, Standing};
use settle::session::presets::PRESETS;
use settle::session::quiz::{self, QuizCmd};
use settle::session::{Cmd, Player, Session};

#[test]
fn the_quiz_loads_with_at_least_ten_questions() {
    let q = quiz::load().unwrap_or_else(|e| panic!("{e}"));
    assert!(q.questions.len() >= 10, "{} questions", q.questions.len());
    for (i, question) in q.questions.iter().enumerate() {
        assert!((2..=6).contains(&question.choices.len()), "question {i}");
        assert!(question.answer < question.choices.len(), "question {i}");
        assert!(!question.explain.is_empty(), "question {i}");
        assert!(
            !question.show_me.shows.is_empty(),
            "question {i} shows nothing"
        );
    }
    // The file beside the lessons is the one embedded.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/quiz.ron");
    let text = std::fs::read_to_string(path).expect("reads");
    assert_eq!(text, quiz::TEXT);
}

#[test]
fn the_quiz_asks_about_every_lesson() {
    let q = quiz::load().unwrap_or_else(|e| panic!("{e}"));
    let missing: Vec<&str> = PRESETS
        .iter()
        .map(|p| p.file)
        .filter(|f| !q.questions.iter().any(|x| x.show_me.lesson == *f))
        .collect();
    assert!(missing.is_empty(), "no question shows {missing:?}");
}

#[test]
fn no_answer_gives_itself_away_by_place_or_length() {
    let q = quiz::load().unwrap_or_else(|e| panic!("{e}"));
    let n = q.questions.len();
    let longest = q
        .questions
        .iter()
        .filter(|question| {
            let len = |c: &String| c.chars().count();
            let right = len(&question.choices[question.answer]);
            question
                .choices
                .iter()
                .enumerate()
                .all(|(k, c)| k == question.answer || len(c) < right)
        })
        .count();
    assert!(
        longest * 2 < n,
        "{longest} of {n} answers are the longest choice"
    );
    for place in 0..4 {
        let here = q.questions.iter().filter(|x| x.answer == place).count();
        assert!(here * 2 < n, "{here} of {n} answers are choice {place}");
    }
}

#[test]
fn every_show_me_is_a_step_of_its_lesson_that_shows_the_answer() {
    let q = quiz::load().unwrap_or_else(|e| panic!("{e}"));
    let mut wrong = Vec::new();
    for (i, question) in q.questions.iter().enumerate() {
        let show = &question.show_me;
        let lesson = settle::session::presets::index_of(&show.lesson)
            .unwrap_or_else(|| panic!("question {}: no lesson {}", i + 1, show.lesson));
        let s = PRESETS[lesson].load().expect("the lesson loads");
        let at = show.at.0;
        assert!(at <= s.until.0, "question {}: after the run", i + 1);
        let mut p = Player::new(&s, s.seed).expect("the lesson runs");
        p.seek(s.until.0 as f64);
        let starts: Vec<u64> = p.marks().iter().map(|(t, _)| *t).collect();
        if !starts.contains(&at) {
            wrong.push(format!(
                "question {}: no narration step of {} begins at {at} µs; steps begin at {starts:?}",
                i + 1,
                show.lesson
            ));
        }
        p.seek(at as f64);
        let mut proof = s.clone();
        proof.expect = show.shows.clone();
        for (o, standing) in check::judge_at(&proof, p.trace(), p.upto(), at) {
            if !matches!(standing, Standing::Passed | Standing::PassingSoFar) {
                wrong.push(format!(
                    "question {}: by {at} µs {} does not show {}: {}",
                    i + 1,
                    show.lesson,
                    o.what,
                    o.why
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn taking_the_quiz_keeps_the_best_score_and_show_me_opens_the_moment() {
    let q = quiz::load().unwrap_or_else(|e| panic!("{e}"));
    let n = q.questions.len();
    let mut s = Session::new(1.0, Default::default());
    s.apply(Cmd::Quiz(QuizCmd::Open));
    assert!(s.quiz.open && !s.welcome);
    // Everything right but the first.
    for (i, question) in q.questions.iter().enumerate() {
        let choice = if i == 0 {
            (question.answer + 1) % question.choices.len()
        } else {
            question.answer
        };
        s.apply(Cmd::Quiz(QuizCmd::Pick {
            question: i,
            choice,
        }));
        // A second pick changes nothing.
        s.apply(Cmd::Quiz(QuizCmd::Pick {
            question: i,
            choice: question.answer,
        }));
    }
    assert_eq!(s.quiz.score(q), (n - 1, n));
    assert_eq!(s.progress.quiz_best, Some((n - 1, n)));
    // A worse try keeps the best.
    s.apply(Cmd::Quiz(QuizCmd::Again));
    for (i, question) in q.questions.iter().enumerate() {
        let wrong = (question.answer + 1) % question.choices.len();
        s.apply(Cmd::Quiz(QuizCmd::Pick {
            question: i,
            choice: wrong,
        }));
    }
    assert_eq!(s.progress.quiz_best, Some((n - 1, n)));

    // Show me: the lesson, paused at its moment; then back to the question.
    let k = 7;
    let show = &q.questions[k].show_me;
    let lesson = settle::session::presets::index_of(&show.lesson).expect("a lesson");
    s.apply(Cmd::Quiz(QuizCmd::Leave { question: k }));
    s.apply(Cmd::ShowMe {
        lesson,
        at: show.at.0,
    });
    assert!(!s.quiz.open && !s.welcome);
    assert_eq!(s.doc.name, show.lesson);
    let p = s.player.as_ref().expect("runs");
    assert_eq!(p.now(), show.at.0);
    assert!(!p.playing);
    assert_eq!(s.quiz.left_from, Some(k));
    s.apply(Cmd::Quiz(QuizCmd::Open));
    assert!(s.quiz.open);
    assert_eq!(s.quiz.current, k);
}

fn validate(path: &std::path::Path) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_settle"))
        .arg("validate")
        .arg(path)
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

#[test]
fn settle_validate_checks_the_quiz_with_located_errors() {
    let quiz_file =
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/quiz.ron"));
    let (ok, out) = validate(quiz_file);
    assert!(ok, "{out}");
    assert!(out.contains("quiz \"Course quiz\""), "{out}");

    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            quiz::TEXT.replacen("\"04-outbox-and-cdc.ron\"", "\"04-outbox.ron\"", 1),
            "there is no lesson \"04-outbox.ron\"",
        ),
        (
            quiz::TEXT.replacen("answer: 1,", "answer: 9,", 1),
            "2 to 6 choices",
        ),
        (
            quiz::TEXT.replacen("at: \"650ms\"", "at: \"9s\"", 1),
            "after the lesson's run ends",
        ),
        (
            quiz::TEXT.replacen(
                "NoWriteLost(table: \"orders-outbox\")",
                "NoWriteLost(table: \"orders-x\")",
                1,
            ),
            "no service owns a table \"orders-x\"",
        ),
        (
            quiz::TEXT.replacen("explain:", "explian:", 1),
            "\"explian\" is not a setting",
        ),
    ];
    for (text, says) in cases {
        assert_ne!(text, quiz::TEXT, "the case changed nothing: {says}");
        let path = dir.path().join("quiz.ron");
        std::fs::write(&path, &text).expect("writes");
        let (ok, out) = validate(&path);
        assert!(!ok, "accepted: {says}");
        assert!(out.contains(says), "{out}");
        // file:line:column: sentence, pointing at the changed line.
        let e = quiz::from_str(&text, "quiz.ron").expect_err("refused");
        let line = text.lines().nth(e.line - 1).unwrap_or("");
        assert!(e.line > 1, "{e}");
        assert!(
            ["04-outbox", "answer", "9s", "orders-x", "explian", "shows"]
                .iter()
                .any(|w| line.contains(w)),
            "{e} points at: {line}"
        );
    }
}
