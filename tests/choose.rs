//! The choose-next mode without a window: the run stops where more than
//! one message could arrive next, a pick is recorded in the drawing and
//! changes the run as it says, the past stays as it was, and the saved
//! drawing replays the same run.

mod common;

use settle::model::message_flags;
use settle::scenario::{Choice, Fault, Scenario, from_str, to_ron};
use settle::session::choose::{ChooseCmd, Point};
use settle::session::presets::PRESETS;
use settle::session::{Cmd, Document, Session};
use settle::trace::{DropReason, FaultEvent, StepKind, Totals, Trace};

fn lesson(file: &str) -> Scenario {
    PRESETS
        .iter()
        .find(|p| p.file == file)
        .expect("preset")
        .load()
        .expect("loads")
}

/// A session on `s`, in the choose-next mode, played until the run
/// stops at its first choice point.
fn stopped(s: Scenario) -> (Session, Point) {
    let mut session = Session::new(0.1, Default::default());
    session.load(Document::new(s, None, "drawing.ron".into()));
    session.apply(Cmd::Choose(ChooseCmd::Toggle));
    session.apply(Cmd::SetSpeed(1.0));
    session.apply(Cmd::Play);
    for _ in 0..10_000 {
        session.tick(0.01);
        let p = session.player.as_ref().expect("runs");
        if let Some(point) = p.choice_point() {
            assert!(!p.playing, "the run holds at a choice point");
            return (session, point);
        }
        assert!(p.playing, "stopped with nothing to choose");
    }
    panic!("no choice point reached");
}

/// The run of the session's drawing to its end, as a fresh engine makes it.
fn full_run(s: &Scenario) -> Trace {
    common::run(s, s.seed)
}

/// The step that delivers or drops message `m`.
fn arrival(t: &Trace, m: u32) -> Option<(usize, StepKind)> {
    (0..t.steps.len()).find_map(|i| {
        let s = t.step(i)?;
        (matches!(s.kind, StepKind::Deliver | StepKind::Drop) && s.id == m).then_some((i, s.kind))
    })
}

/// Picks a message other than the network's own next.
fn other(point: &Point) -> u32 {
    point
        .candidates
        .iter()
        .map(|c| c.message)
        .find(|&m| m != point.before)
        .expect("a second candidate")
}

#[test]
fn a_choice_point_lists_every_message_that_could_arrive_first() {
    let (session, point) = stopped(lesson("03-event-driven-replication.ron"));
    let p = session.player.as_ref().expect("runs");
    let t = p.trace();
    assert_eq!(p.upto(), point.step, "held just before the arrival");
    assert_eq!(
        point.candidates[0].message, point.before,
        "the network's next comes first"
    );
    for c in &point.candidates {
        let m = t.message(c.message).expect("exists");
        assert!(
            t.sent_at(m) <= point.at && m.at() >= point.at,
            "{c:?} is on the wire"
        );
        let said = settle::session::choose::said(t, c);
        assert!(
            said.contains(" → ") && said.contains(&format!("#{}", c.message)),
            "{said}"
        );
    }
}

#[test]
fn deliver_next_makes_the_chosen_message_arrive_first_and_replays_after_saving() {
    let base = lesson("03-event-driven-replication.ron");
    let (mut session, point) = stopped(base.clone());
    let chosen = other(&point);
    session.apply(Cmd::Choose(ChooseCmd::Pick {
        message: chosen,
        choice: Choice::Deliver,
    }));
    let s = session.doc.scenario.clone();
    assert!(session.doc.dirty, "a choice is an edit of the drawing");
    assert_eq!(
        s.faults.last(),
        Some(&Fault::Deliver {
            at: settle::model::Dur(point.at),
            message: chosen,
            before: point.before,
        })
    );
    let p = session.player.as_ref().expect("runs");
    assert_eq!(
        p.upto(),
        point.step + 2,
        "the choice and its arrival are shown"
    );

    let before = full_run(&base);
    let after = full_run(&s);
    // The past is as it was.
    for i in 0..point.step {
        assert_eq!(before.step(i), after.step(i), "step {i} changed");
    }
    // Then the choice, and the chosen message arrives, at the point's time.
    let step = after.step(point.step).expect("the choice");
    assert_eq!(step.kind, StepKind::Fault);
    assert_eq!(
        after.faults[step.id as usize].fault,
        FaultEvent::Chosen {
            message: chosen,
            before: point.before,
            choice: Choice::Deliver
        }
    );
    let (at, kind) = arrival(&after, chosen).expect("arrives");
    assert_eq!((at, kind), (point.step + 1, StepKind::Deliver));
    assert_eq!(after.step_time(at), point.at);
    let (was, _) = arrival(&before, chosen).expect("arrived in the base run");
    assert!(was > point.step, "it used to arrive later");
    let (next, _) = arrival(&after, point.before).expect("the other still arrives");
    assert!(next > at, "the network's next now comes after it");
    assert_eq!(Totals::recount(&after), after.totals);

    // Saved, read back and run again: the same run, byte for byte.
    let text = to_ron(&s).expect("writes");
    let back = from_str(&text, "chosen.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, s);
    assert_eq!(common::jsonl(&full_run(&back)), common::jsonl(&after));
    // And the session's own run is that run.
    let mut session = session;
    session.apply(Cmd::Choose(ChooseCmd::Toggle));
    session.apply(Cmd::End);
    let shown = session.player.as_ref().expect("runs").trace();
    assert_eq!(common::jsonl(shown), common::jsonl(&after));
}

#[test]
fn drop_loses_the_message_and_twice_delivers_a_copy() {
    let base = lesson("03-event-driven-replication.ron");
    let (mut dropped, point) = stopped(base.clone());
    let chosen = other(&point);
    dropped.apply(Cmd::Choose(ChooseCmd::Pick {
        message: chosen,
        choice: Choice::Drop,
    }));
    let t = full_run(&dropped.doc.scenario);
    let (at, kind) = arrival(&t, chosen).expect("dropped");
    assert_eq!((at, kind), (point.step + 1, StepKind::Drop));
    assert_eq!(t.drop_reason(chosen), Some(DropReason::Lost));
    assert_eq!(Totals::recount(&t), t.totals);

    let (mut twice, point) = stopped(base);
    let chosen = other(&point);
    twice.apply(Cmd::Choose(ChooseCmd::Pick {
        message: chosen,
        choice: Choice::Twice,
    }));
    let t = full_run(&twice.doc.scenario);
    assert_eq!(arrival(&t, chosen).map(|a| a.0), Some(point.step + 1));
    let original = *t.message(chosen).expect("exists");
    let copy = (0..t.messages.len() as u32)
        .find(|&m| {
            let c = t.message(m).expect("exists");
            m != chosen
                && c.body == original.body
                && c.to == original.to
                && c.cause as usize == point.step
        })
        .expect("a copy sent by the choice");
    let c = t.message(copy).expect("exists");
    assert!(
        c.flags & message_flags::DUPLICATE != 0,
        "marked as a duplicate"
    );
    assert_eq!(t.sender(c), t.sender(&original), "from the same sender");
    assert_eq!(
        arrival(&t, copy).map(|a| a.1),
        Some(StepKind::Deliver),
        "the copy arrives too"
    );
    assert_eq!(Totals::recount(&t), t.totals);
}

#[test]
fn letting_the_network_decide_records_nothing_and_plays_on() {
    let (mut session, point) = stopped(lesson("03-event-driven-replication.ron"));
    let faults = session.doc.scenario.faults.len();
    session.apply(Cmd::Choose(ChooseCmd::LetNetwork));
    assert_eq!(session.doc.scenario.faults.len(), faults);
    let p = session.player.as_ref().expect("runs");
    assert_eq!(p.upto(), point.step + 1, "the network's next arrived");
    assert!(p.playing, "it plays on, as it was playing");
}

#[test]
fn a_choice_earlier_in_the_run_replaces_the_later_ones_and_undo_brings_them_back() {
    let (mut session, point) = stopped(lesson("03-event-driven-replication.ron"));
    session.apply(Cmd::Choose(ChooseCmd::Pick {
        message: other(&point),
        choice: Choice::Drop,
    }));
    let one = session.doc.scenario.clone();
    // Back before that choice, and choose again there.
    session.apply(Cmd::Home);
    session.apply(Cmd::Play);
    let mut again = None;
    for _ in 0..10_000 {
        session.tick(0.01);
        if let Some(p) = session.player.as_ref().and_then(|p| p.choice_point()) {
            again = Some(p);
            break;
        }
    }
    let again = again.expect("stops at the first point again");
    // The same point, where the earlier choice is shown being made.
    let ids = |p: &Point| p.candidates.iter().map(|c| c.message).collect::<Vec<_>>();
    assert_eq!(
        (again.step, again.at, again.before, ids(&again)),
        (point.step, point.at, point.before, ids(&point)),
    );
    session.apply(Cmd::Choose(ChooseCmd::Pick {
        message: other(&again),
        choice: Choice::Twice,
    }));
    let choices: Vec<&Fault> = session
        .doc
        .scenario
        .faults
        .iter()
        .filter(|f| f.choice().is_some())
        .collect();
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert!(matches!(choices[0], Fault::Duplicate { .. }));
    session.apply(Cmd::Undo);
    assert_eq!(session.doc.scenario, one);
}

#[test]
fn the_same_message_chosen_twice_is_a_located_error() {
    let mut s = lesson("03-event-driven-replication.ron");
    s.faults.push(Fault::Deliver {
        at: settle::model::Dur(600_000),
        message: 4,
        before: 3,
    });
    s.faults.push(Fault::Drop {
        at: settle::model::Dur(700_000),
        message: 4,
        before: 5,
    });
    let text = to_ron(&s).expect("writes");
    let err = from_str(&text, "twice.ron")
        .expect_err("refused")
        .to_string();
    assert!(err.contains("twice.ron:"), "{err}");
    assert!(err.contains("message #4 was already chosen"), "{err}");
}

#[test]
fn a_choice_that_finds_nothing_where_it_was_made_changes_nothing() {
    let s = lesson("03-event-driven-replication.ron");
    let base = full_run(&s);
    let mut stale = s.clone();
    // No message arrives at this moment: a choice made in a run that has
    // since changed.
    stale.faults.push(Fault::Duplicate {
        at: settle::model::Dur(1),
        message: 0,
        before: 1,
    });
    assert_eq!(common::jsonl(&full_run(&stale)), common::jsonl(&base));
}

#[test]
fn a_message_chosen_over_a_cut_link_is_still_dropped_there() {
    let base = lesson("03-event-driven-replication.ron");
    let (mut session, point) = stopped(base.clone());
    let chosen = other(&point);
    session.apply(Cmd::Choose(ChooseCmd::Pick {
        message: chosen,
        choice: Choice::Deliver,
    }));
    let mut s = session.doc.scenario.clone();
    let t = full_run(&base);
    let msg = t.message(chosen).expect("exists");
    let (from, to) = (t.node_id(t.sender(msg)), t.node_id(msg.to));
    // The link the chosen message travels is cut after it was sent.
    s.faults.push(Fault::Partition {
        at: settle::model::Dur(t.sent_at(msg) + 1),
        links: vec![(from.to_string(), to.to_string())],
        one_way: false,
    });
    let cut = full_run(&s);
    let (at, kind) = arrival(&cut, chosen).expect("arrives somewhere");
    assert_eq!(kind, StepKind::Drop);
    assert_eq!(cut.drop_reason(chosen), Some(DropReason::Partition));
    let choice = cut.step(at - 1).expect("the choice before it");
    assert_eq!(choice.kind, StepKind::Fault, "dropped where it was chosen");
    assert_eq!(cut.step_time(at), point.at);
}
