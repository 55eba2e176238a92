//! A lesson a learner finishes alone: Play stops at a question, Next plays
//! the run (animated, not a jump) to the next step and stops there, an
//! answer stays hidden until the run has shown it, and every question's
//! answer is proved by its own run.

mod common;

use settle::check::{self, Standing};
use settle::model::Micros;
use settle::session::lesson::PACE_BUSY;
use settle::session::presets::PRESETS;
use settle::session::{Cmd, Session};

fn session_on(file: &str) -> Session {
    let i = PRESETS
        .iter()
        .position(|p| p.file == file)
        .expect("preset exists");
    let mut s = Session::new(0.1, Default::default());
    s.apply(Cmd::OpenPreset(i));
    s
}

fn now(s: &Session) -> Micros {
    s.player.as_ref().expect("runs").now()
}

fn playing(s: &Session) -> bool {
    s.player.as_ref().is_some_and(|p| p.playing)
}

/// Ticks 60 frames a second until playback stops; returns the frames.
fn play_out(s: &mut Session, max_frames: usize) -> usize {
    let mut frames = 0;
    while playing(s) && frames < max_frames {
        s.tick(1.0 / 60.0);
        frames += 1;
    }
    frames
}

/// The narration steps with a question, and when each is reached.
fn questions(s: &mut Session) -> Vec<(usize, Micros)> {
    let p = s.player.as_mut().expect("runs");
    let until = p.until();
    p.mark_after(until);
    let mut out = Vec::new();
    let mut t = 0;
    while let Some(at) = p.mark_after(t) {
        for &(m, n) in p.marks() {
            if m == at && s.doc.scenario.narration[n].ask.is_some() {
                out.push((n, m));
            }
        }
        t = at;
    }
    out.dedup();
    out
}

#[test]
fn play_stops_at_a_question_until_it_is_answered() {
    let mut s = session_on("04-outbox-and-cdc.ron");
    let asked = questions(&mut s);
    let (step, at) = asked[0];
    s.apply(Cmd::Play);
    play_out(&mut s, 100_000);
    assert_eq!(now(&s), at, "Play ran past the question");
    assert!(!playing(&s));
    // Play again without answering: it stays.
    s.apply(Cmd::Play);
    play_out(&mut s, 600);
    assert_eq!(now(&s), at, "Play ran past an unanswered question");
    s.apply(Cmd::Guess { step, choice: 0 });
    s.apply(Cmd::Play);
    play_out(&mut s, 600);
    assert!(now(&s) > at, "an answered question still holds the run");
}

#[test]
fn next_plays_to_the_next_step_and_stops_there() {
    let mut s = session_on("03-event-driven-replication.ron");
    let next = s
        .player
        .as_mut()
        .expect("runs")
        .mark_after(0)
        .expect("a second step");
    s.apply(Cmd::NarrationNext);
    assert!(playing(&s), "Next did not play");
    let dt = 1.0 / 60.0;
    let mut frames = 0;
    while playing(&s) && frames < 100_000 {
        let before = s.player.as_ref().expect("runs").time();
        let busy = s.player.as_ref().expect("runs").busy();
        s.tick(dt);
        let moved = s.player.as_ref().expect("runs").time() - before;
        // While messages travel, a frame moves time only a little: they
        // are seen moving.
        if busy {
            assert!(
                moved <= dt * PACE_BUSY * 1e6 + 1.0,
                "a busy frame jumped {moved} µs"
            );
        }
        frames += 1;
    }
    assert_eq!(now(&s), next, "Next stopped off the step");
    let secs = frames as f64 / 60.0;
    assert!((1.0..=20.0).contains(&secs), "the step took {secs} s");
}

#[test]
fn an_answer_stays_hidden_until_the_run_shows_it() {
    let mut s = session_on("04-outbox-and-cdc.ron");
    let (step, at) = questions(&mut s)[0];
    s.apply(Cmd::Seek(at as f64));
    s.apply(Cmd::Guess { step, choice: 1 });
    let reveal = s.lesson.reveal_at[&step];
    assert!(reveal > at, "the answer shows at the question itself");
    assert!(!s.lesson.revealed(step, at));
    assert!(!s.lesson.revealed(step, reveal - 1));
    assert!(s.lesson.revealed(step, reveal));
}

#[test]
fn every_question_is_answered_by_its_own_run() {
    let mut asked = 0;
    for p in PRESETS {
        let s = p.load().expect("preset loads");
        let reveals = settle::session::lesson::reveals(&s, s.seed);
        let trace = common::run(&s, s.seed);
        for (n, step) in s.narration.iter().enumerate() {
            let Some(ask) = &step.ask else { continue };
            asked += 1;
            assert!(
                !ask.proof.is_empty(),
                "{} step {}: a question without a proof",
                p.file,
                n + 1
            );
            let mut proof = s.clone();
            proof.expect = ask.proof.clone();
            for o in check::evaluate(&proof, &trace) {
                assert!(
                    o.passed,
                    "{} step {}: {} — {}",
                    p.file,
                    n + 1,
                    o.what,
                    o.why
                );
            }
            // By the moment the answer shows, the run already shows it.
            let at = reveals[&n];
            let upto = trace.first_step_at(at + 1);
            for (o, standing) in check::judge_at(&proof, &trace, upto, at) {
                assert!(
                    matches!(standing, Standing::Passed | Standing::PassingSoFar),
                    "{} step {}: at {at} µs the run does not yet show {}",
                    p.file,
                    n + 1,
                    o.what
                );
            }
        }
    }
    assert!(asked >= 8, "only {asked} questions across the lessons");
}

/// A guess's verdict comes when the run has shown the answer: at the latest
/// at the first step after the moment the question's proof first holds,
/// not when the run ends.
#[test]
fn a_verdict_comes_no_later_than_the_step_after_the_run_shows_it() {
    let mut late = Vec::new();
    for p in PRESETS {
        let s = p.load().expect("preset loads");
        let reveals = settle::session::lesson::reveals(&s, s.seed);
        let trace = common::run(&s, s.seed);
        let mut player = settle::session::Player::new(&s, s.seed).expect("the lesson runs");
        // Marks are recorded as the run is played: play it to the end.
        player.seek(s.until.0 as f64);
        let mut marks: Vec<Micros> = player.marks().iter().map(|&(t, _)| t).collect();
        marks.sort_unstable();
        for (n, step) in s.narration.iter().enumerate() {
            let Some(ask) = &step.ask else { continue };
            let mut proof = s.clone();
            proof.expect = ask.proof.clone();
            let asked = player
                .marks()
                .iter()
                .find(|&&(_, m)| m == n)
                .map_or(0, |&(t, _)| t);
            // The first moment after the question (to the millisecond)
            // by which the run shows the answer so far.
            let shown = (asked / 1000 + 1..=s.until.0 / 1000)
                .map(|ms| ms * 1000)
                .find(|&t| {
                    let upto = trace.first_step_at(t + 1);
                    check::judge_at(&proof, &trace, upto, t)
                        .iter()
                        .all(|(_, st)| matches!(st, Standing::Passed | Standing::PassingSoFar))
                });
            let Some(shown) = shown else { continue };
            let next = marks
                .iter()
                .copied()
                .find(|&t| t > shown)
                .unwrap_or(s.until.0);
            if reveals[&n] > next {
                late.push(format!(
                    "{} step {}: the run shows the answer at {shown} µs, the verdict comes at {} µs",
                    p.file,
                    n + 1,
                    reveals[&n]
                ));
            }
        }
    }
    assert!(late.is_empty(), "{}", late.join("\n"));
}
