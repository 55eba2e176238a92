//! Every challenge starts unsolved, and the change a learner would make in
//! the editor solves it: each fix below is the same edits the inspector,
//! the palette and a drag between ports push. Only lessons 01, 03, 04, 06,
//! 07 and 10 carry challenges, and each is kept in the progress once solved.

mod common;

use common::{add_relay, set, spec};
use settle::scenario::{Delivery, NodeKind, Strategy, WriteMode};
use settle::session::challenge::{ChallengeCmd, Checked, judge};
use settle::session::presets::PRESETS;
use settle::session::{Cmd, Edit, Session};

fn lesson(file: &str) -> usize {
    PRESETS
        .iter()
        .position(|p| p.file == file)
        .unwrap_or_else(|| panic!("no lesson {file}"))
}

/// A session with the lesson's first challenge open.
fn open(file: &str) -> Session {
    let mut s = Session::new(1.0, Default::default());
    s.apply(Cmd::OpenChallenge {
        lesson: lesson(file),
        index: 0,
    });
    assert!(
        s.challenge().is_some(),
        "{file}: the challenge did not open"
    );
    assert!(!s.welcome);
    assert!(s.problem.is_none(), "{file}: {:?}", s.problem);
    assert!(
        s.lesson_id().is_none(),
        "a challenge is not the lesson itself"
    );
    s
}

fn check(s: &mut Session) -> Checked {
    s.apply(Cmd::Challenge(ChallengeCmd::Check));
    s.challenge()
        .and_then(|a| a.checked.clone())
        .expect("a verdict")
}

/// Checks the drawing as it is: unsolved, with every failing check
/// explained and, where the run shows it, placed at a moment.
fn assert_unsolved(s: &mut Session) {
    let c = check(s);
    assert!(!c.passed(), "solved before any change: {c:?}");
    let outcomes = c.outcomes.expect("the broken drawing runs");
    assert!(outcomes.iter().any(|o| !o.passed));
    let title = s
        .challenge()
        .map(|a| a.challenge.title.clone())
        .unwrap_or_default();
    assert!(!s.progress.challenges.contains(&title));
}

fn assert_solved(s: &mut Session) {
    assert!(s.problem.is_none(), "the fix cannot run: {:?}", s.problem);
    let c = check(s);
    assert!(c.passed(), "not solved: {:#?}", c.outcomes);
    let title = s
        .challenge()
        .map(|a| a.challenge.title.clone())
        .unwrap_or_default();
    assert!(
        s.progress.challenges.contains(&title),
        "not kept in the progress"
    );
}

#[test]
fn the_six_lessons_carry_challenges_and_the_others_none() {
    let with: Vec<&str> = PRESETS
        .iter()
        .filter(|p| !p.load().expect("loads").challenges.is_empty())
        .map(|p| p.file)
        .collect();
    assert_eq!(
        with,
        [
            "01-data-ownership.ron",
            "03-event-driven-replication.ron",
            "04-outbox-and-cdc.ron",
            "06-conflict-resolution.ron",
            "07-saga-compensation.ron",
            "10-bounded-contexts.ron",
        ]
    );
    // Progress keeps a challenge by its title: titles are unique.
    let mut titles: Vec<String> = PRESETS
        .iter()
        .flat_map(|p| p.load().expect("loads").challenges)
        .map(|c| c.title)
        .collect();
    let n = titles.len();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), n);
}

#[test]
fn every_challenge_starts_unsolved_with_hints_to_give() {
    for p in PRESETS {
        for c in p.load().expect("loads").challenges {
            let outcomes = judge(&c.drawing(), &c.goal, c.start.seed)
                .unwrap_or_else(|e| panic!("{}: the start cannot run: {e}", c.title));
            assert!(
                outcomes.iter().any(|o| !o.passed),
                "{}: the broken drawing already meets the goal",
                c.title
            );
            assert!(!c.hints.is_empty(), "{}: no hints", c.title);
        }
    }
}

#[test]
fn reporting_asks_the_owner_instead_of_reading_its_table() {
    let mut s = open("01-data-ownership.ron");
    assert_unsolved(&mut s);
    // Drag a link from reporting to orders: reporting now calls orders.
    s.apply(Cmd::Edit(Edit::Connect {
        from: "reporting".into(),
        to: "orders".into(),
    }));
    // Inspector: untick "Reads straight from: orders"; database: its own store.
    let NodeKind::Service(mut svc) = spec(&s, "reporting") else {
        panic!("reporting is a service")
    };
    assert_eq!(svc.calls, ["orders"]);
    svc.reads.clear();
    svc.database = None;
    set(&mut s, "reporting", NodeKind::Service(svc));
    assert_solved(&mut s);
}

#[test]
fn reading_through_the_owner_while_still_sharing_its_database_is_not_enough() {
    let mut s = open("01-data-ownership.ron");
    s.apply(Cmd::Edit(Edit::Connect {
        from: "reporting".into(),
        to: "orders".into(),
    }));
    let NodeKind::Service(mut svc) = spec(&s, "reporting") else {
        panic!("reporting is a service")
    };
    svc.reads.clear();
    set(&mut s, "reporting", NodeKind::Service(svc));
    let c = check(&mut s);
    let outcomes = c.outcomes.expect("runs");
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.what.as_str())
        .collect();
    assert_eq!(failed, ["each service owns its database"]);
}

#[test]
fn every_copy_catches_up_once_the_bus_delivers_at_least_once() {
    let mut s = open("03-event-driven-replication.ron");
    assert_unsolved(&mut s);
    // Inspector: Delivery ▸ at least once (its default resend time).
    set(
        &mut s,
        "bus",
        NodeKind::Broker(settle::scenario::BrokerSpec {
            delivery: Delivery::default(),
            max_attempts: None,
        }),
    );
    assert_solved(&mut s);
}

#[test]
fn an_order_survives_the_crash_with_an_outbox_and_a_relay() {
    let mut s = open("04-outbox-and-cdc.ron");
    assert_unsolved(&mut s);
    let lost = check(&mut s)
        .outcomes
        .expect("runs")
        .into_iter()
        .find(|o| !o.passed)
        .expect("a failed check");
    assert!(lost.at.is_some(), "a failed check with no moment: {lost:?}");

    // Inspector: Events ▸ outbox.
    let NodeKind::Service(mut svc) = spec(&s, "orders") else {
        panic!("orders is a service")
    };
    svc.write = WriteMode::Outbox;
    set(&mut s, "orders", NodeKind::Service(svc));
    // An outbox nobody publishes loses the events all the same.
    let c = check(&mut s);
    assert!(!c.passed(), "an outbox without a relay passed");
    // Palette: a CDC relay; then links to the database and to the bus.
    add_relay(&mut s, "orders-db", "bus");
    assert_solved(&mut s);
}

#[test]
fn the_cart_keeps_every_change_under_an_or_set_or_version_vectors() {
    for strategy in [Strategy::OrSet, Strategy::VersionVectors] {
        let mut s = open("06-conflict-resolution.ron");
        assert_unsolved(&mut s);
        // Inspector: On conflict, for every copy of the cart (one undo step).
        s.apply(Cmd::Checkpoint);
        for id in ["cart-eu", "cart-us"] {
            let NodeKind::Peer(mut p) = spec(&s, id) else {
                panic!("{id} is a peer")
            };
            p.strategy = strategy;
            s.apply(Cmd::Gesture(Edit::SetSpec {
                id: id.into(),
                spec: Box::new(NodeKind::Peer(p)),
            }));
        }
        assert_solved(&mut s);
    }
}

#[test]
fn the_saga_cleans_up_once_the_inventory_step_has_a_compensation() {
    let mut s = open("07-saga-compensation.ron");
    assert_unsolved(&mut s);
    let half = check(&mut s)
        .outcomes
        .expect("runs")
        .into_iter()
        .find(|o| !o.passed)
        .expect("a failed check");
    assert!(half.why.contains("inventory still holds"), "{}", half.why);
    assert!(half.at.is_some(), "the half-done saga has no moment");
    // Inspector: type the step's compensation.
    let NodeKind::Orchestrator(mut o) = spec(&s, "checkout") else {
        panic!("checkout is an orchestrator")
    };
    o.steps[1].compensation = "released".into();
    set(&mut s, "checkout", NodeKind::Orchestrator(o));
    assert_solved(&mut s);
}

#[test]
fn hints_come_one_at_a_time_and_the_challenge_ends_with_its_drawing() {
    let mut s = open("04-outbox-and-cdc.ron");
    let total = s.challenge().map_or(0, |a| a.challenge.hints.len());
    for k in 1..=total + 2 {
        s.apply(Cmd::Challenge(ChallengeCmd::Hint));
        assert_eq!(s.challenge().map(|a| a.hints), Some(k.min(total)));
    }
    // The drawing is new and unsaved; the lesson reopens in its place.
    assert!(s.doc.path.is_none());
    s.apply(Cmd::OpenPreset(lesson("04-outbox-and-cdc.ron")));
    assert!(s.challenge().is_none());
}

#[test]
fn a_mistake_inside_a_challenge_is_located_inside_it() {
    let text = include_str!("../scenarios/04-outbox-and-cdc.ron");
    let at = text.find("challenges:").expect("a challenge");
    let (lesson, challenge) = text.split_at(at);
    let cases = [
        (
            r#"(from: "orders", to: "orders-db","#,
            r#"(from: "orders", to: "ordersdb","#,
            "in challenge 1's drawing: there is no node \"ordersdb\"",
            "ordersdb",
        ),
        (
            r#"Converged(table: "orders","#,
            r#"Converged(table: "order","#,
            "in challenge 1's drawing: no service owns a table \"order\"",
            "\"order\"",
        ),
        ("hints: [", "hints: [\"\", ", "a hint is empty", "hints"),
        (
            "goal: [",
            "goal: [], old_goal: [",
            "\"old_goal\" is not a setting",
            "old_goal",
        ),
    ];
    for (from, to, says, on_line) in cases {
        let broken = format!("{lesson}{}", challenge.replacen(from, to, 1));
        assert_ne!(broken, text, "{from}");
        let e = settle::scenario::from_str(&broken, "04.ron").expect_err(says);
        assert!(e.message.contains(says), "{e}");
        let line = broken.lines().nth(e.line - 1).unwrap_or("");
        assert!(line.contains(on_line), "{e} points at: {line}");
    }
}

/// After Check my design the view shows the run that was judged, at its
/// end, not still at 0 s.
#[test]
fn checking_a_design_shows_the_run_it_judged() {
    let mut s = open("04-outbox-and-cdc.ron");
    let until = s.player.as_ref().expect("a run").until();
    check(&mut s);
    let p = s.player.as_ref().expect("the run stays");
    assert!(!p.playing);
    assert_eq!(p.now(), until);
}

#[test]
fn shipping_asks_sales_instead_of_reading_across_the_boundary() {
    let mut s = open("10-bounded-contexts.ron");
    // The start shows the flaw as a hint naming both contexts.
    let hint = settle::check::hints(&s.doc.scenario)
        .into_iter()
        .find(|h| h.kind == settle::check::HintKind::CrossContextRead)
        .expect("the start reads across the boundary");
    assert_eq!(hint.node, "deliveries");
    assert_unsolved(&mut s);
    // Drag a link from Deliveries to Customers: Deliveries now calls it.
    s.apply(Cmd::Edit(Edit::Connect {
        from: "deliveries".into(),
        to: "customers".into(),
    }));
    let NodeKind::Service(mut svc) = spec(&s, "deliveries") else {
        panic!("deliveries is a service")
    };
    assert_eq!(svc.calls, ["customers"]);
    // Inspector: untick "customers"; database: its own store.
    svc.reads.clear();
    svc.database = None;
    set(&mut s, "deliveries", NodeKind::Service(svc));
    assert!(
        !settle::check::hints(&s.doc.scenario)
            .iter()
            .any(|h| h.kind == settle::check::HintKind::CrossContextRead)
    );
    assert_solved(&mut s);
}
