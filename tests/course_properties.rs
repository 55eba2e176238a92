//! Any sequence of the course's commands (quiz picks, Show me, opening a
//! challenge, checking it, hints) mixed with edits, undo and playback
//! leaves the session whole: no panic, a score within the quiz, a
//! challenge only while its drawing is on screen.

use proptest::prelude::*;
use settle::scenario::Kind;
use settle::session::challenge::ChallengeCmd;
use settle::session::presets::PRESETS;
use settle::session::quiz::{self, QuizCmd};
use settle::session::{Cmd, Edit, Session};

fn command() -> impl Strategy<Value = Cmd> {
    let n = PRESETS.len() + 2;
    prop_oneof![
        Just(Cmd::Quiz(QuizCmd::Open)),
        Just(Cmd::Quiz(QuizCmd::Close)),
        Just(Cmd::Quiz(QuizCmd::Again)),
        (0..30usize).prop_map(|q| Cmd::Quiz(QuizCmd::Go(q))),
        (0..30usize).prop_map(|q| Cmd::Quiz(QuizCmd::Leave { question: q })),
        (0..30usize, 0..8usize)
            .prop_map(|(question, choice)| Cmd::Quiz(QuizCmd::Pick { question, choice })),
        (
            0..n,
            prop_oneof![Just(0u64), Just(u64::MAX), 0..5_000_000u64]
        )
            .prop_map(|(lesson, at)| Cmd::ShowMe { lesson, at }),
        (0..n, 0..3usize).prop_map(|(lesson, index)| Cmd::OpenChallenge { lesson, index }),
        Just(Cmd::Challenge(ChallengeCmd::Check)),
        Just(Cmd::Challenge(ChallengeCmd::Hint)),
        Just(Cmd::Edit(Edit::AddNode {
            kind: Kind::Cdc,
            at: None
        })),
        Just(Cmd::Undo),
        Just(Cmd::ConfirmDiscard),
        Just(Cmd::ConfirmCancel),
        Just(Cmd::Welcome),
        Just(Cmd::End),
        (0..n).prop_map(Cmd::OpenPreset),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn course_commands_never_panic(cmds in prop::collection::vec(command(), 1..60)) {
        let q = quiz::load().expect("the quiz loads");
        let mut s = Session::new(1.0, Default::default());
        for c in cmds {
            s.apply(c);
            prop_assert!(s.quiz.picks.len() <= q.questions.len());
            prop_assert!(s.quiz.picks.iter().all(|(k, c)| q.questions.get(*k).is_some_and(|x| *c < x.choices.len())));
            if let Some((right, of)) = s.progress.quiz_best {
                prop_assert!(right <= of && of == q.questions.len());
            }
            if let Some(a) = s.challenge() {
                prop_assert_eq!(a.generation, s.generation);
                prop_assert!(a.hints <= a.challenge.hints.len());
            }
            if let Some(p) = &s.player {
                prop_assert!(p.time().is_finite() && p.now() <= p.until());
            }
        }
    }
}
