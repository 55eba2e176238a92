//! Each pattern's lesson shows its effect, and the effect goes away when
//! the pattern is switched off: the checks would fail if the pattern broke.

mod common;

use proptest::prelude::*;
use settle::check::{self, Monitor};
use settle::scenario::{Dur, Expectation, Fault, NodeKind, Scenario, WriteMode};

fn lesson(name: &str) -> Scenario {
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))
        .expect("preset exists");
    common::load(&path)
}

fn outcome(s: &Scenario, e: Expectation) -> check::Outcome {
    let mut s = s.clone();
    s.expect = vec![e];
    let trace = common::run(&s, s.seed);
    check::evaluate(&s, &trace).remove(0)
}

fn no_write_lost(table: &str) -> Expectation {
    Expectation::NoWriteLost {
        table: table.into(),
    }
}

#[test]
fn the_dual_write_loses_the_event_the_crash_interrupts() {
    let s = lesson("04-");
    let o = outcome(&s, no_write_lost("orders-dual"));
    assert!(!o.passed, "{}", o.why);
    assert!(o.why.contains("orders-dual/1002"), "{}", o.why);
    // The check points at the commit whose event was lost.
    assert_eq!(o.at, Some(908_000));
}

#[test]
fn turning_the_outbox_off_loses_the_event_too() {
    let mut s = lesson("04-");
    assert!(outcome(&s, no_write_lost("orders-outbox")).passed);
    for n in &mut s.nodes {
        if let NodeKind::Service(svc) = &mut n.kind
            && svc.table == "orders-outbox"
        {
            svc.write = WriteMode::DualWrite;
        }
    }
    // As a dual writer it must reach the broker itself.
    s.links.push(settle::scenario::Link {
        from: "orders-b".into(),
        to: "bus".into(),
        latency: settle::scenario::Latency::Fixed(Dur::ms(4)),
        loss: Default::default(),
        duplicate: Default::default(),
    });
    let o = outcome(&s, no_write_lost("orders-outbox"));
    assert!(
        !o.passed,
        "without the outbox the crash should lose order 1002: {}",
        o.why
    );
}

#[test]
fn a_crashed_relay_resumes_from_its_saved_offset() {
    let mut s = lesson("04-");
    s.faults.push(Fault::Crash {
        at: Dur::ms(920),
        node: "relay".into(),
    });
    s.faults.push(Fault::Restart {
        at: Dur::ms(1_500),
        node: "relay".into(),
    });
    assert!(outcome(&s, no_write_lost("orders-outbox")).passed);
    let trace = common::run(&s, s.seed);
    assert!(
        trace.totals.dropped > 0,
        "the crash dropped nothing: the test tests nothing"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever crashes the relay, the broker or the outbox service go
    /// through (each restarted), the outbox side loses no write.
    #[test]
    fn the_outbox_never_loses_a_write(
        crashes in prop::collection::vec((0usize..3, 0u64..2_000, 5u64..500), 0..5),
        seed in any::<u64>(),
    ) {
        let mut s = lesson("04-");
        s.faults.retain(|f| !matches!(f, Fault::Crash { node, .. } | Fault::Restart { node, .. } if node == "orders-a"));
        s.until = Dur::secs(6);
        for (who, start, len) in crashes {
            let node = ["relay", "bus", "orders-b"][who].to_string();
            s.faults.push(Fault::Crash { at: Dur::ms(start), node: node.clone() });
            s.faults.push(Fault::Restart { at: Dur::ms(start + len), node });
        }
        s.expect = vec![no_write_lost("orders-outbox")];
        let trace = common::run(&s, seed);
        let o = check::evaluate(&s, &trace).remove(0);
        prop_assert!(o.passed, "{} (faults {:?})", o.why, s.faults);
    }
}

#[test]
fn a_service_reading_anothers_table_is_flagged_and_only_then() {
    let s = lesson("01-");
    assert_eq!(
        settle::scenario::shared_databases(&s),
        vec![(
            "orders-db".to_string(),
            vec!["orders".to_string(), "reporting".to_string()]
        )]
    );
    assert!(outcome(&s, Expectation::ForeignReads { at_least: 1 }).passed);
    let mut own_data_only = s.clone();
    for n in &mut own_data_only.nodes {
        if let NodeKind::Service(svc) = &mut n.kind {
            svc.reads.clear();
        }
    }
    let o = outcome(&own_data_only, Expectation::ForeignReads { at_least: 1 });
    assert!(!o.passed, "{}", o.why);
}

#[test]
fn the_shared_database_takes_both_services_down() {
    let s = lesson("01-");
    let trace = common::run(&s, s.seed);
    // The analyst's report during the crash and the web shop's order read both go unanswered.
    assert_eq!(trace.totals.gave_up, 2);
}

#[test]
fn the_gateways_timeout_is_what_turns_a_dead_service_into_a_partial_answer() {
    let s = lesson("02-");
    assert!(
        outcome(
            &s,
            Expectation::AllAnswered {
                client: "web".into()
            }
        )
        .passed
    );
    let mut patient = s.clone();
    for n in &mut patient.nodes {
        if let NodeKind::Composer(c) = &mut n.kind {
            c.call_timeout = Dur::secs(10);
        }
    }
    let o = outcome(
        &patient,
        Expectation::AllAnswered {
            client: "web".into(),
        },
    );
    assert!(
        !o.passed,
        "without a timeout the page should wait in vain while shipping is down: {}",
        o.why
    );
    let partial = outcome(
        &patient,
        Expectation::AnswerContains {
            client: "web".into(),
            text: "(partial)".into(),
        },
    );
    assert!(!partial.passed, "{}", partial.why);
}

#[test]
fn only_the_read_model_serves_stale_reads() {
    let s = lesson("05-");
    assert!(outcome(&s, Expectation::StaleReads { at_least: 1 }).passed);
    // Reading the write model (the customers service owns "ann") instead
    // of the read model is never stale.
    let mut from_writer = s.clone();
    for w in &mut from_writer.workload {
        if let settle::scenario::Work::Request { to, op, .. } = w
            && to == "view"
        {
            *to = "customers".into();
            *op = settle::scenario::Op::Read { id: "ann".into() };
        }
    }
    from_writer.narration.clear();
    let o = outcome(&from_writer, Expectation::StaleReads { at_least: 1 });
    assert!(!o.passed, "{}", o.why);
}

fn sagas_settled() -> Expectation {
    Expectation::SagasSettled {
        completed_at_least: 0,
        compensated_at_least: 0,
    }
}

#[test]
fn a_saga_without_real_compensations_is_caught_half_done() {
    let s = lesson("07-");
    assert!(outcome(&s, sagas_settled()).passed);
    let mut no_undo = s.clone();
    for n in &mut no_undo.nodes {
        if let NodeKind::Orchestrator(o) = &mut n.kind {
            for st in &mut o.steps {
                st.compensation = st.action.clone();
            }
        }
    }
    let o = outcome(&no_undo, sagas_settled());
    assert!(!o.passed, "{}", o.why);
    assert!(o.why.contains("still holds"), "{}", o.why);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever services or the orchestrator itself crash (and restart),
    /// every saga ends completed or with every finished step compensated.
    #[test]
    fn a_saga_completes_or_is_compensated(
        crashes in prop::collection::vec((0usize..5, 0u64..2_500, 5u64..800), 0..5),
        seed in any::<u64>(),
    ) {
        let mut s = lesson("07-");
        s.faults.clear();
        s.until = Dur::secs(12);
        for (who, start, len) in crashes {
            let node = ["checkout", "orders", "inventory", "payments", "shipping"][who].to_string();
            s.faults.push(Fault::Crash { at: Dur::ms(start), node: node.clone() });
            s.faults.push(Fault::Restart { at: Dur::ms(start + len), node });
        }
        s.expect = vec![sagas_settled()];
        let trace = common::run(&s, seed);
        let o = check::evaluate(&s, &trace).remove(0);
        prop_assert!(o.passed, "{} (faults {:?})", o.why, s.faults);
    }
}

#[test]
fn without_a_unit_of_work_the_crash_leaves_half_a_change() {
    let s = lesson("08-");
    let whole = |table: &str, ledger: &str| Expectation::NoHalfWrite {
        table: table.into(),
        ledger: ledger.into(),
    };
    assert!(outcome(&s, whole("balances-b", "journal-b")).passed);
    let o = outcome(&s, whole("balances-a", "journal-a"));
    assert!(!o.passed && o.why.contains("balances-a/bob"), "{}", o.why);
    let mut one_by_one = s.clone();
    for n in &mut one_by_one.nodes {
        if let NodeKind::Service(svc) = &mut n.kind {
            svc.unit_of_work = false;
        }
    }
    assert!(!outcome(&one_by_one, whole("balances-b", "journal-b")).passed);
}

mod conflicts {
    use super::*;
    use settle::model::peer_state::{State, VersionVector};
    use settle::scenario::Strategy as Resolve;

    #[test]
    fn last_writer_wins_loses_a_write_that_version_vectors_keep() {
        let s = lesson("06-");
        let lost = |s: &Scenario, table: &str| {
            outcome(
                s,
                Expectation::WritesLost {
                    table: table.into(),
                    at_least: 1,
                },
            )
        };
        assert!(lost(&s, "cart-lww").passed);
        assert!(!lost(&s, "cart-vv").passed);
        // The skewed clock decides the winner: with it Bob's earlier eggs
        // win; without it Alice's later milk does.
        let cart = |s: &Scenario| {
            let trace = common::run(s, s.seed);
            let index = settle::trace::query::Index::new(&trace);
            let key = settle::model::Key {
                table: trace.names.find("cart-lww").expect("table"),
                id: trace.names.find("c1").expect("id"),
            };
            let (r, _) = index
                .record_at(&trace, 1, key, trace.steps.len())
                .expect("lww-eu holds c1");
            settle::model::value_text(&trace.names, r.value)
        };
        assert_eq!(cart(&s), "eggs");
        let mut fair = s.clone();
        fair.faults
            .retain(|f| !matches!(f, Fault::ClockSkew { .. }));
        assert_eq!(cart(&fair), "milk");
        // A change reads the cart its region holds: nobody's bread goes
        // unless someone removes it.
        let mut calm = s.clone();
        calm.faults.clear();
        assert_eq!(cart(&calm), "eggs, milk");
        // Resolved by version vectors instead, the cart keeps both writes.
        let mut kept = s.clone();
        for n in &mut kept.nodes {
            if let NodeKind::Peer(p) = &mut n.kind
                && p.strategy == Resolve::LastWriterWins
            {
                p.strategy = Resolve::VersionVectors;
            }
        }
        assert!(!lost(&kept, "cart-lww").passed);
    }

    fn vv(pairs: &[(u16, u32)]) -> VersionVector {
        pairs.iter().copied().collect()
    }

    /// States of CRDT kind `kind`, each reached by changes from copies
    /// 0..3, so tags are unique and totals are what copies counted.
    fn state(kind: usize) -> impl Strategy<Value = State> {
        use settle::model::peer_state::Change;
        let strategy = [
            Resolve::GCounter,
            Resolve::PnCounter,
            Resolve::GSet,
            Resolve::OrSet,
        ][kind % 4];
        let changes = prop::collection::vec((0u16..3, 0u8..4, "[a-d]", 1u32..5), 1..6);
        changes.prop_map(move |list| {
            let mut s: Option<State> = None;
            for (me, what, item, n) in list {
                let change = match what {
                    0 => Change::Add(item.as_str()),
                    1 => Change::Remove(item.as_str()),
                    2 => Change::Increment(n),
                    _ => Change::Decrement(n),
                };
                if let Ok(next) = State::change(s.as_ref(), strategy, change, me, 0) {
                    s = Some(next);
                }
            }
            s.unwrap_or_else(|| match kind % 4 {
                0 => State::GCounter(Default::default()),
                1 => State::PnCounter(Default::default()),
                2 => State::GSet(Default::default()),
                _ => State::OrSet(Default::default()),
            })
        })
    }

    /// Three states of one CRDT kind.
    fn three() -> impl Strategy<Value = (State, State, State)> {
        (0usize..4).prop_flat_map(|k| (state(k), state(k), state(k)))
    }

    fn siblings() -> impl Strategy<Value = State> {
        prop::collection::vec(
            ("[a-d]", prop::collection::btree_map(0u16..3, 0u32..4, 0..3)),
            1..4,
        )
        .prop_map(|list| State::Siblings(vec![]).merge(&State::Siblings(list)).0)
    }

    proptest! {
        #[test]
        fn crdt_merges_are_commutative_associative_idempotent((a, b, c) in three()) {
            let m = |x: &State, y: &State| x.merge(y).0;
            prop_assert_eq!(m(&a, &b), m(&b, &a));
            prop_assert_eq!(m(&m(&a, &b), &c), m(&a, &m(&b, &c)));
            prop_assert_eq!(m(&a, &a), a);
        }

        #[test]
        fn sibling_merges_are_commutative_associative_idempotent(a in siblings(), b in siblings(), c in siblings()) {
            let m = |x: &State, y: &State| x.merge(y).0;
            prop_assert_eq!(m(&a, &b), m(&b, &a));
            prop_assert_eq!(m(&m(&a, &b), &c), m(&a, &m(&b, &c)));
            prop_assert_eq!(m(&a, &a), a);
        }
    }

    #[test]
    fn concurrent_versions_are_both_kept_and_a_later_one_replaces_both() {
        let a = State::Siblings(vec![("milk".into(), vv(&[(0, 2)]))]);
        let b = State::Siblings(vec![("eggs".into(), vv(&[(0, 1), (1, 1)]))]);
        let both = a.merge(&b).0;
        assert_eq!(both.display(), "eggs ‖ milk");
        let later = State::write(
            Some(&both),
            settle::model::peer_state::Strategy::VersionVectors,
            "cheese",
            1,
            0,
        )
        .expect("a register takes any write");
        assert_eq!(later.merge(&both).0.display(), "cheese");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Whatever partitions come and heal, and whenever the writes
        /// happen, version vectors lose no write and every table converges;
        /// the PN-counter ends at what was counted up less what was counted
        /// down.
        #[test]
        fn healing_partitions_leave_peers_converged_without_loss(
            cuts in prop::collection::vec((0u64..1_500, 10u64..800), 0..4),
            times in prop::collection::vec(0u64..2_000, 8),
            seed in any::<u64>(),
        ) {
            let mut s = lesson("06-");
            s.until = Dur::secs(8);
            s.faults.clear();
            let pairs = vec![("lww-eu".to_string(), "lww-us".to_string()), ("vv-eu".into(), "vv-us".into()), ("ctr-eu".into(), "ctr-us".into()), ("set-eu".into(), "set-us".into()), ("tag-eu".into(), "tag-us".into())];
            use settle::scenario::Op;
            for (start, len) in cuts {
                s.faults.push(Fault::Partition { at: Dur::ms(start), links: pairs.clone(), one_way: false });
                s.faults.push(Fault::Heal { at: Dur::ms(start + len), links: vec![] });
            }
            let mut k = 0;
            for w in &mut s.workload {
                if let settle::scenario::Work::Request { at, op: Op::Write { .. } | Op::Change { .. }, .. } = w {
                    *at = Dur::ms(times[k % times.len()]);
                    k += 1;
                }
            }
            s.workload.retain(|w| !matches!(w, settle::scenario::Work::Request { op: settle::scenario::Op::Read { .. }, .. }));
            s.expect = vec![
                Expectation::WritesLostAtMost { table: "cart-vv".into(), at_most: 0 },
                Expectation::Converged { table: "cart-lww".into(), by: Dur::secs(7) },
                Expectation::Converged { table: "cart-vv".into(), by: Dur::secs(7) },
                Expectation::Converged { table: "likes".into(), by: Dur::secs(7) },
                Expectation::Converged { table: "cart-or".into(), by: Dur::secs(7) },
                Expectation::Converged { table: "tags".into(), by: Dur::secs(7) },
            ];
            let trace = common::run(&s, seed);
            for o in check::evaluate(&s, &trace) {
                prop_assert!(o.passed, "{} — {} ({:?})", o.what, o.why, s.faults);
            }
            let index = settle::trace::query::Index::new(&trace);
            let likes = trace.names.find("likes").expect("likes");
            let p1 = trace.names.find("p1").expect("p1");
            for node in ["ctr-eu", "ctr-us"] {
                let n = trace.nodes.iter().position(|x| x.id == node).expect("node") as u16;
                let (r, _) = index.record_at(&trace, n, settle::model::Key { table: likes, id: p1 }, trace.steps.len()).expect("a count");
                // Two likes and one unlike, in whatever order they met.
                prop_assert_eq!(settle::model::value_text(&trace.names, r.value), "1");
            }
        }
    }
}

/// A monitor's count at the end of a run; a monitor that does not exist
/// fails the test instead of reading as zero.
fn monitor_count(
    trace: &settle::trace::Trace,
    index: &settle::trace::query::Index,
    which: Monitor,
) -> u64 {
    check::monitors(trace, index, trace.steps.len())
        .into_iter()
        .find(|m| m.monitor == which)
        .unwrap_or_else(|| panic!("no monitor {which:?}"))
        .count
}

#[test]
fn monitors_watch_every_run() {
    let count = |s: &Scenario, which: Monitor| {
        let trace = common::run(s, s.seed);
        let index = settle::trace::query::Index::new(&trace);
        monitor_count(&trace, &index, which)
    };
    assert!(count(&lesson("06-"), Monitor::WritesLost) > 0);
    assert_eq!(count(&lesson("03-"), Monitor::DivergedAtRest), 0);
    let s = lesson("04-");
    assert_eq!(count(&s, Monitor::OutboxStuck), 0);
    let mut stalled = s.clone();
    stalled.faults.push(Fault::Crash {
        at: Dur::ms(500),
        node: "relay".into(),
    });
    assert!(
        count(&stalled, Monitor::OutboxStuck) > 0,
        "a dead relay leaves outbox rows unpublished"
    );
    assert!(count(&lesson("01-"), Monitor::ForeignReads) > 0);
}

#[test]
fn in_a_choreography_the_compensation_is_a_reaction_to_the_refusal() {
    let s = lesson("07b-");
    let ends = |s: &Scenario, table: &str, id: &str, value: &str| {
        outcome(
            s,
            Expectation::FinalValue {
                table: table.into(),
                id: id.into(),
                value: value.into(),
                at: None,
            },
        )
        .passed
    };
    assert!(ends(&s, "orders", "13", "cancelled"));
    assert!(ends(&s, "shipments", "12", "scheduled"));
    // Without the reaction to refusals nobody cancels order 13.
    let mut deaf = s.clone();
    for n in &mut deaf.nodes {
        if let NodeKind::Service(svc) = &mut n.kind {
            svc.on.retain(|r| r.when.as_deref() != Some("rejected"));
        }
    }
    assert!(ends(&deaf, "orders", "13", "placed"));
    assert!(!ends(&deaf, "orders", "13", "cancelled"));
}

#[test]
fn a_saga_stuck_on_a_dead_service_is_flagged_half_done() {
    let mut s = lesson("07-");
    s.until = Dur::secs(8);
    // Shipping dies for good during order 14, after the pivot: the saga
    // retries it forward in vain, and can neither finish nor be undone.
    s.faults.retain(|f| !matches!(f, Fault::Restart { .. }));
    let trace = common::run(&s, s.seed);
    let index = settle::trace::query::Index::new(&trace);
    let stuck = monitor_count(&trace, &index, Monitor::SagasHalfDone);
    assert_eq!(stuck, 1);
    let healthy = lesson("07-");
    let trace = common::run(&healthy, healthy.seed);
    let index = settle::trace::query::Index::new(&trace);
    let stuck = monitor_count(&trace, &index, Monitor::SagasHalfDone);
    assert_eq!(stuck, 0);
}

#[test]
fn a_reaction_survives_a_cut_to_its_database() {
    let mut s = lesson("07b-");
    for n in &mut s.nodes {
        if let NodeKind::Service(svc) = &mut n.kind
            && svc.table == "payments"
        {
            svc.database = Some("pay-db".into());
        }
    }
    s.nodes.push(settle::scenario::Node {
        id: "pay-db".into(),
        name: String::new(),
        pos: (1000.0, 100.0),
        kind: NodeKind::Database(settle::scenario::DatabaseSpec {}),
    });
    s.links.push(settle::scenario::Link {
        from: "payments".into(),
        to: "pay-db".into(),
        latency: settle::scenario::Latency::Fixed(Dur::ms(2)),
        loss: Default::default(),
        duplicate: Default::default(),
    });
    // Order 12's charge reaches the database while the link is cut.
    s.faults.push(Fault::Partition {
        at: Dur::ms(205),
        links: vec![("payments".into(), "pay-db".into())],
        one_way: false,
    });
    s.faults.push(Fault::Heal {
        at: Dur::ms(600),
        links: vec![],
    });
    let trace = common::run(&s, s.seed);
    assert!(
        trace.totals.dropped > 0,
        "the cut dropped nothing: the test tests nothing"
    );
    let o = outcome(
        &s,
        Expectation::FinalValue {
            table: "payments".into(),
            id: "12".into(),
            value: "charged".into(),
            at: None,
        },
    );
    assert!(
        o.passed,
        "the reaction was lost with its database write: {}",
        o.why
    );
    let o = outcome(
        &s,
        Expectation::FinalValue {
            table: "shipments".into(),
            id: "12".into(),
            value: "scheduled".into(),
            at: None,
        },
    );
    assert!(o.passed, "{}", o.why);
}

#[test]
fn lesson_00_exports_the_textbook_figure_in_order() {
    let s = lesson("00-");
    let trace = common::run(&s, s.seed);
    let mut out = Vec::new();
    settle::trace::export::write_mermaid(&trace, &s, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("utf-8");
    let arrows: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.contains(">>") && !l.starts_with("Note"))
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    let figure = [
        "browser->>orders",
        "orders->>shared_db",
        "shared_db-->>orders",
        "orders->>customers",
        "customers->>shared_db",
        "shared_db-->>customers",
        "customers-->>orders",
        "orders-->>browser",
    ];
    let start = arrows
        .iter()
        .position(|a| *a == figure[0])
        .expect("the browser asks orders");
    assert_eq!(&arrows[start..start + figure.len()], &figure, "{text}");
}
