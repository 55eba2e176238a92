//! Conflicts between copies: the CRDTs merge by their laws and keep what
//! they promise (an OR-set a concurrent add, a PN-counter a decrement),
//! and the monitors count what happened (a write last-writer-wins lost,
//! once; copies still diverged, from when they began to differ).

mod common;

use proptest::prelude::*;
use settle::check::{self, Monitor};
use settle::model::peer_state::{Change, State, Strategy as Resolve};
use settle::model::{Body, NodeIdx};
use settle::scenario::Scenario;

fn lesson(name: &str) -> Scenario {
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))
        .expect("preset exists");
    common::load(&path)
}

/// One copy's change: who makes it, and what.
fn change() -> impl Strategy<Value = (NodeIdx, Change<String>)> {
    let what = prop_oneof![
        "[a-c]".prop_map(Change::Add),
        "[a-c]".prop_map(Change::Remove),
        (1u32..5).prop_map(Change::Increment),
        (1u32..5).prop_map(Change::Decrement),
    ];
    (0u16..3, what)
}

/// Applies `changes` in order on top of `start`, skipping what the
/// strategy refuses.
fn apply(
    start: Option<State>,
    strategy: Resolve,
    changes: &[(NodeIdx, Change<String>)],
) -> Option<State> {
    let mut s = start;
    for (me, c) in changes {
        if let Ok(next) = State::change(s.as_ref(), strategy, c.as_str(), *me, 0) {
            s = Some(next);
        }
    }
    s
}

fn merge(a: &State, b: &State) -> State {
    a.merge(b).0
}

proptest! {
    /// Three copies start from one shared history and then change apart;
    /// whatever order their states meet in, and however often, they end
    /// the same: merge is commutative, associative and idempotent.
    #[test]
    fn every_crdt_merge_obeys_the_laws(
        kind in 0usize..4,
        shared in prop::collection::vec(change(), 0..5),
        apart in prop::collection::vec(prop::collection::vec(change(), 0..5), 3),
    ) {
        let strategy = [Resolve::GCounter, Resolve::PnCounter, Resolve::GSet, Resolve::OrSet][kind];
        let empty = State::change(None, strategy, Change::Increment(1), 0, 0)
            .or_else(|_| State::change(None, strategy, Change::Add("z"), 0, 0))
            .expect("a first change");
        let start = apply(Some(empty), strategy, &shared);
        let [a, b, c] = [0, 1, 2].map(|i| apply(start.clone(), strategy, &apart[i]).expect("a state"));
        prop_assert_eq!(merge(&a, &b), merge(&b, &a));
        prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
        prop_assert_eq!(merge(&a, &a), a.clone());
        prop_assert_eq!(merge(&merge(&a, &b), &b), merge(&a, &b));
    }

    /// A remove takes only the adds its copy has seen: an add of the same
    /// element made meanwhile on another copy survives the merge (add
    /// wins), and a remove made after seeing that add takes it away.
    #[test]
    fn an_or_set_keeps_a_concurrent_add(
        history in prop::collection::vec(change(), 0..6),
        item in "[a-c]",
        remover in 0u16..3,
        adder in 0u16..3,
    ) {
        let start = apply(None, Resolve::OrSet, &history);
        let mut removed = start.clone();
        let mut added = start.clone();
        removed = apply(removed, Resolve::OrSet, &[(remover, Change::Remove(item.clone()))]);
        added = apply(added, Resolve::OrSet, &[(adder, Change::Add(item.clone()))]);
        let added = added.expect("an add leaves a state");
        let merged = match &removed {
            Some(r) => merge(r, &added),
            None => added.clone(),
        };
        let has = |s: &State| s.display().trim_matches(['{', '}']).split(", ").any(|x| x == item);
        prop_assert!(has(&merged), "{} lost the concurrent add of {item}", merged.display());
        if let Some(r) = &removed {
            prop_assert!(has(&merge(&added, r)));
        }
        // Removed after the add was seen, it is gone, on every copy.
        let seen = apply(Some(merged.clone()), Resolve::OrSet, &[(remover, Change::Remove(item.clone()))])
            .expect("a state");
        prop_assert!(!has(&seen));
        prop_assert!(!has(&merge(&merged, &seen)));
    }

    /// Every copy's increments and decrements count once in the merged
    /// total, whichever copies made them and in whatever order the states
    /// meet.
    #[test]
    fn a_pn_counter_counts_every_decrement(
        changes in prop::collection::vec((0u16..3, -4i64..5), 1..12),
    ) {
        let mut copies: Vec<Option<State>> = vec![None, None, None];
        let mut total = 0;
        for (me, by) in &changes {
            let c = if *by < 0 { Change::Decrement(by.unsigned_abs() as u32) } else { Change::Increment(*by as u32) };
            let Ok(next) = State::change(copies[*me as usize].as_ref(), Resolve::PnCounter, c, *me, 0) else {
                continue;
            };
            copies[*me as usize] = Some(next);
            total += by;
        }
        let states: Vec<State> = copies.into_iter().flatten().collect();
        let merged = states.iter().skip(1).fold(states[0].clone(), |a, b| merge(&a, b));
        prop_assert_eq!(merged.display(), total.to_string());
        let back = states.iter().rev().skip(1).fold(states[states.len() - 1].clone(), |a, b| merge(&a, b));
        prop_assert_eq!(back.display(), total.to_string());
    }
}

#[test]
fn grow_only_types_refuse_what_they_cannot_keep() {
    let g = State::change(None, Resolve::GCounter, Change::Increment(2), 0, 0).expect("counts up");
    assert!(State::change(Some(&g), Resolve::GCounter, Change::Decrement(1), 0, 0).is_err());
    let s = State::change(None, Resolve::GSet, Change::Add("bread"), 0, 0).expect("adds");
    assert!(State::change(Some(&s), Resolve::GSet, Change::Remove("bread"), 0, 0).is_err());
    assert!(State::change(Some(&s), Resolve::GSet, Change::Increment(1), 0, 0).is_err());
}

/// A monitor's reading at `upto` steps.
fn reading(
    s: &Scenario,
    upto: impl Fn(&settle::trace::Trace) -> usize,
    which: Monitor,
) -> check::MonitorReading {
    let trace = common::run(s, s.seed);
    let index = settle::trace::query::Index::new(&trace);
    check::monitors(&trace, &index, upto(&trace))
        .into_iter()
        .find(|m| m.monitor == which)
        .expect("the monitor exists")
}

#[test]
fn a_write_lost_to_last_writer_wins_counts_once_however_many_copies_drop_it() {
    let s = lesson("06-conflict");
    let end = |t: &settle::trace::Trace| t.steps.len();
    // The challenge's cart: Alice's milk is discarded by both regions, each
    // on meeting the other's cart. One write lost.
    let cart = s.challenges[0].start.clone();
    let trace = common::run(&cart, cart.seed);
    let discards = trace
        .steps
        .iter()
        .filter(|st| st.flags & settle::model::deliver_flags::WRITE_LOST != 0)
        .count();
    assert!(
        discards >= 2,
        "both copies discard the milk ({discards} discards)"
    );
    assert_eq!(reading(&cart, end, Monitor::WritesLost).count, 1);
    // The lesson: Alice's two changes (the bread out, milk in) are lost.
    assert_eq!(reading(&s, end, Monitor::WritesLost).count, 2);
    // In sync, Bob's two changes (eggs, then the bread out) are both lost.
    let sync = s.variant(0).expect("Clocks in sync");
    assert_eq!(reading(&sync, end, Monitor::WritesLost).count, 2);
    // Without a partition or skew nothing is lost; with only the skew,
    // Alice's later change is lost on the spot, once.
    assert_eq!(
        reading(
            &s.variant(1).expect("No partition"),
            end,
            Monitor::WritesLost
        )
        .count,
        0
    );
    assert_eq!(
        reading(
            &s.variant(2).expect("Skew, no partition"),
            end,
            Monitor::WritesLost
        )
        .count,
        1
    );
}

#[test]
fn copies_still_diverged_are_reported_from_when_they_began_while_a_cdc_polls() {
    // Lesson 04: the dual write loses order 1002's event at 0.909 s, so
    // shipping (left) lacks it for good, while the CDC relay on the right
    // polls its change log every 40 ms.
    let s = lesson("04-outbox");
    let trace = common::run(&s, s.seed);
    let index = settle::trace::query::Index::new(&trace);
    let poll_in_flight = |upto: usize| {
        let now = trace.step_time(upto - 1);
        index.in_flight_at(&trace, now).into_iter().any(|m| {
            let body = trace.message(m).map(|m| m.body);
            matches!(body.and_then(|b| trace.body(b)), Some(Body::LogPoll { .. }))
        })
    };
    let late = trace.first_step_at(2_500_000);
    let upto = (late..=trace.steps.len())
        .find(|&u| u > 0 && poll_in_flight(u))
        .expect("a poll in flight late in the run");
    let m = check::monitors(&trace, &index, upto)
        .into_iter()
        .find(|m| m.monitor == Monitor::DivergedAtRest)
        .expect("the monitor exists");
    assert_eq!(m.count, 1, "order 1002 differs, poll or no poll");
    let began = m.first.expect("when it began");
    assert!(
        (900_000..1_000_000).contains(&began),
        "it began with the commit at 0.908 s, not at {began}"
    );
}
