//! Partitioned logs under any fault schedule: every consumer gets each
//! key's events, the first time, in the order the log appended them, and
//! a consumer group that commits after handling and has caught up after
//! the faults has handled every event at least once. Committing before
//! handling loses events to a crash; a crashed member's partitions go to
//! the others; retention deletes old events and a rewind past it says so.

mod common;

use proptest::prelude::*;
use settle::check;
use settle::model::{Body, Value};
use settle::scenario::{Dur, Expectation, Fault, Scenario, from_str};
use settle::sim::Engine;
use settle::trace::Trace;

/// The consumers: r0 and r1 share group "shared", r2 reads alone.
const CONSUMERS: usize = 3;

fn base(loss: [f64; CONSUMERS], duplicate: f64) -> Scenario {
    let replicas: String = (0..CONSUMERS)
        .map(|i| {
            format!(r#"(id: "r{i}", kind: Replica(broker: "log", topic: "t", table: "items")),"#)
        })
        .collect();
    let links: String = (0..CONSUMERS)
        .map(|i| {
            format!(
                r#"(from: "log", to: "r{i}", latency: Uniform(min: "1ms", max: "40ms"), loss: {}, duplicate: {duplicate}),"#,
                loss[i]
            )
        })
        .collect();
    let text = format!(
        r#"(
        title: "log property",
        until: "12s",
        nodes: [
            (id: "admin", kind: Client()),
            (id: "svc", kind: Service(table: "items", publish: (broker: "log", topic: "t"))),
            (id: "log", kind: Log(
                topics: [(name: "t", partitions: 3)],
                groups: [
                    (name: "shared", members: ["r0", "r1"], max_poll: 2),
                    (name: "solo", members: ["r2"], max_poll: 3, pace: "5ms"),
                ],
                ack_timeout: "80ms",
                fetch_wait: "200ms",
                session_timeout: "600ms",
            )),
            {replicas}
        ],
        links: [
            (from: "admin", to: "svc"),
            (from: "svc", to: "log", latency: Uniform(min: "1ms", max: "10ms"), duplicate: {duplicate}),
            {links}
        ],
        workload: [
            Every(start: "10ms", every: "40ms", count: 40, from: "admin", to: "svc",
                  op: Write(id: "k", value: Seq), random_keys: 5),
        ],
    )"#
    );
    from_str(&text, "log-property.ron").unwrap_or_else(|e| panic!("{e}"))
}

/// A fault in the first three seconds, repaired within two more: a cut
/// link (either way or one way), a crashed node, or an operator's rewind
/// of a group to the start.
#[derive(Clone, Debug)]
struct Episode {
    /// 0: the service's link, 1: the log, 2..: a consumer.
    target: usize,
    what: u8,
    one_way: bool,
    start_ms: u64,
    length_ms: u64,
}

fn episode() -> impl Strategy<Value = Episode> {
    (
        0..CONSUMERS + 2,
        0u8..3,
        any::<bool>(),
        0u64..3_000,
        10u64..2_000,
    )
        .prop_map(|(target, what, one_way, start_ms, length_ms)| Episode {
            target,
            what,
            one_way,
            start_ms,
            length_ms,
        })
}

fn with_faults(mut s: Scenario, episodes: &[Episode]) -> Scenario {
    for e in episodes {
        let (start, end) = (Dur::ms(e.start_ms), Dur::ms(e.start_ms + e.length_ms));
        let consumer = e.target.checked_sub(2).map(|n| format!("r{n}"));
        match e.what {
            // Crash the log or a consumer (the service is left running:
            // its dual write would lose events before the log sees them).
            0 => {
                let node = consumer.unwrap_or_else(|| "log".to_string());
                s.faults.push(Fault::Crash {
                    at: start,
                    node: node.clone(),
                });
                s.faults.push(Fault::Restart { at: end, node });
            }
            1 => {
                let (a, b) = match consumer {
                    Some(c) => ("log".to_string(), c),
                    None => ("svc".to_string(), "log".to_string()),
                };
                s.faults.push(Fault::Partition {
                    at: start,
                    links: vec![(a.clone(), b.clone())],
                    one_way: e.one_way,
                });
                s.faults.push(Fault::Heal {
                    at: end,
                    links: vec![(a, b)],
                });
            }
            // Back to the start: a rewind forward would skip events on
            // purpose, and the group could not have handled them.
            _ => s.faults.push(Fault::Rewind {
                at: start,
                node: "log".into(),
                group: if e.one_way { "shared" } else { "solo" }.into(),
                offset: 0,
            }),
        }
    }
    s.expect = vec![
        Expectation::KeyOrderKept { log: "log".into() },
        Expectation::GroupCaughtUp {
            log: "log".into(),
            group: "shared".into(),
            by: s.until,
        },
        Expectation::GroupCaughtUp {
            log: "log".into(),
            group: "solo".into(),
            by: s.until,
        },
    ];
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn key_order_holds_and_caught_up_groups_handled_everything(
        episodes in prop::collection::vec(episode(), 0..5),
        loss in prop::array::uniform3(0.0f64..0.3),
        duplicate in 0.0f64..0.3,
        seed in 0u64..1_000,
    ) {
        let s = with_faults(base(loss, duplicate), &episodes);
        let mut engine = Engine::new(&s, seed).expect("builds");
        engine.run();
        for o in check::evaluate(&s, engine.trace()) {
            prop_assert!(o.passed, "{}: {} (faults: {:?})", o.what, o.why, s.faults);
        }
    }
}

/// Without faults the same system passes too, and a crash of a consumer
/// makes it see events again after it rejoins.
#[test]
fn a_consumer_that_restarts_reads_again_from_its_last_commit() {
    let mut s = base([0.0; CONSUMERS], 0.0);
    // Slow enough (100 ms an event) that the crash falls inside a batch.
    if let Some(settle::scenario::NodeKind::Log(l)) = s
        .nodes
        .iter_mut()
        .find(|n| n.id == "log")
        .map(|n| &mut n.kind)
    {
        l.groups[1].pace = Dur::ms(100);
    }
    s.faults.push(Fault::Crash {
        at: Dur::ms(650),
        node: "r2".into(),
    });
    s.faults.push(Fault::Restart {
        at: Dur::ms(1_050),
        node: "r2".into(),
    });
    let s = with_faults(s, &[]);
    let mut engine = Engine::new(&s, 1).expect("builds");
    engine.run();
    let trace = engine.trace();
    for o in check::evaluate(&s, trace) {
        assert!(o.passed, "{}: {}", o.what, o.why);
    }
    assert!(
        trace.totals.duplicates_ignored > 0,
        "r2 commits after each batch of 3, so what it handled of the batch its crash cut comes again"
    );
}

/// Texts the log recorded in its tables (group states, rewinds).
fn texts(trace: &Trace) -> Vec<String> {
    trace
        .bodies
        .iter()
        .filter_map(|b| match b {
            Body::Stored { record } => match record.value {
                Value::Text(t) => Some(trace.names.get(t).to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// One consumer alone in its group, slow (50 ms an event) and fetching
/// batches of 5 from a burst of 20 events, crashed at `crash_ms` for
/// 300 ms: a crash in the middle of a batch.
fn one_slow_member(commit: &str, crash_ms: u64) -> Scenario {
    let text = format!(
        r#"(
        title: "commit policy",
        until: "6s",
        nodes: [
            (id: "admin", kind: Client()),
            (id: "svc", kind: Service(table: "items", publish: (broker: "log", topic: "t"))),
            (id: "log", kind: Log(
                topics: [(name: "t", partitions: 1)],
                groups: [(name: "g", members: ["r"], commit: {commit}, max_poll: 5, pace: "50ms")],
                fetch_wait: "100ms",
            )),
            (id: "r", kind: Replica(broker: "log", topic: "t", table: "items")),
        ],
        links: [
            (from: "admin", to: "svc"),
            (from: "svc", to: "log", latency: Fixed("2ms")),
            (from: "log", to: "r", latency: Fixed("2ms")),
        ],
        workload: [
            Every(start: "10ms", every: "5ms", count: 20, from: "admin", to: "svc",
                  op: Write(id: "k", value: Seq), random_keys: 20),
        ],
        faults: [
            Crash(at: "{crash_ms}ms", node: "r"),
            Restart(at: "{}ms", node: "r"),
        ],
        expect: [GroupCaughtUp(log: "log", group: "g", by: "6s")],
    )"#,
        crash_ms + 300
    );
    from_str(&text, "commit-policy.ron").unwrap_or_else(|e| panic!("{e}"))
}

fn caught_up(s: &Scenario, seed: u64) -> bool {
    let mut engine = Engine::new(s, seed).expect("builds");
    engine.run();
    check::evaluate(s, engine.trace()).iter().all(|o| o.passed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Committed after handling, a batch a crash interrupts comes again:
    /// whenever the member crashes, every event is handled at least once.
    #[test]
    fn commit_after_handling_never_loses_an_event(crash_ms in 40u64..1_200, seed in 0u64..100) {
        prop_assert!(caught_up(&one_slow_member("AfterHandling", crash_ms), seed));
    }
}

/// Committed before handling, the rest of a batch a crash interrupts is
/// never handled: the member resumes after the batch.
#[test]
fn commit_before_handling_loses_events_under_a_crash() {
    let lost = (0..12)
        .map(|k| 100 + k * 60)
        .filter(|&ms| !caught_up(&one_slow_member("BeforeHandling", ms), 1))
        .count();
    assert!(
        lost > 0,
        "no crash made commit-before-handling lose an event"
    );
    // The same crashes with the commit after handling lose nothing.
    for k in 0..12 {
        assert!(caught_up(
            &one_slow_member("AfterHandling", 100 + k * 60),
            1
        ));
    }
}

/// A member that crashes and stays down: after the session timeout its
/// partitions go to the other member, which reads them from the last
/// commit, and the group shows it was rebalancing.
#[test]
fn a_rebalance_hands_a_crashed_members_partitions_to_the_others() {
    let mut s = base([0.0; CONSUMERS], 0.0);
    s.faults.push(Fault::Crash {
        at: Dur::ms(400),
        node: "r0".into(),
    });
    let s = with_faults(s, &[]);
    let mut engine = Engine::new(&s, 3).expect("builds");
    engine.run();
    let trace = engine.trace();
    for o in check::evaluate(&s, trace) {
        assert!(o.passed, "{}: {}", o.what, o.why);
    }
    let said = texts(trace);
    assert!(
        said.iter().any(|t| t.starts_with("rebalancing")),
        "the group never showed rebalancing: {said:?}"
    );
    // Without the rebalance the group's share of r0 stays unread.
    let mut stuck = s.clone();
    if let Some(settle::scenario::NodeKind::Log(l)) = stuck
        .nodes
        .iter_mut()
        .find(|n| n.id == "log")
        .map(|n| &mut n.kind)
    {
        l.session_timeout = Dur::secs(60);
    }
    assert!(
        !caught_up(&stuck, 3),
        "r0's partitions were read without a rebalance"
    );
}

/// A log that keeps 3 events per partition: a rewind to the start says
/// what retention deleted and starts at the earliest kept event.
#[test]
fn retention_drops_old_events_and_a_rewind_past_it_says_so() {
    // After the rewind, r2 reads again only what is kept: at most 3 per
    // partition (the workload is long over).
    let again = rewound_past_retention(|l| l.keep_last = Some(3), 5);
    assert!(
        (1..=9).contains(&again),
        "r2 read {again} events again; retention keeps 9"
    );
}

/// The same scenario and seed give the same trace, faults and all.
#[test]
fn a_log_runs_the_same_way_twice() {
    let mut s = base([0.1, 0.0, 0.2], 0.1);
    s.faults.push(Fault::Crash {
        at: Dur::ms(500),
        node: "r1".into(),
    });
    s.faults.push(Fault::Restart {
        at: Dur::ms(2_500),
        node: "r1".into(),
    });
    let a = common::jsonl(&common::run(&s, 8));
    let b = common::jsonl(&common::run(&s, 8));
    assert_eq!(a, b);
}

/// A log that keeps events one second: long after the workload, a rewind
/// to the start finds every event deleted, and says so.
#[test]
fn retention_by_age_deletes_what_is_older() {
    let again = rewound_past_retention(|l| l.keep_for = Some(Dur::secs(1)), 2);
    assert_eq!(again, 0, "events older than a second were read again");
}

/// Runs the base drawing with the log's retention set by `keep`, rewinds
/// the solo group to offset 0 at 5 s, checks the log says what retention
/// deleted, and returns how many events r2 fetched again after the rewind.
fn rewound_past_retention(keep: impl FnOnce(&mut settle::scenario::LogSpec), seed: u64) -> u32 {
    let mut s = base([0.0; CONSUMERS], 0.0);
    if let Some(settle::scenario::NodeKind::Log(l)) = s
        .nodes
        .iter_mut()
        .find(|n| n.id == "log")
        .map(|n| &mut n.kind)
    {
        keep(l);
    }
    s.faults.push(Fault::Rewind {
        at: Dur::secs(5),
        node: "log".into(),
        group: "solo".into(),
        offset: 0,
    });
    let mut engine = Engine::new(&s, seed).expect("builds");
    engine.run();
    let trace = engine.trace();
    let said = texts(trace);
    assert!(
        said.iter()
            .any(|t| t.contains("rewound to #0, but") && t.contains("retention deleted")),
        "the rewind did not say what retention deleted: {said:?}"
    );
    let r2 = trace.nodes.iter().position(|n| n.id == "r2").expect("r2") as settle::model::NodeIdx;
    let again: u32 = trace
        .steps
        .iter()
        .enumerate()
        .filter(|(i, st)| {
            st.kind == settle::trace::StepKind::Deliver
                && st.node == r2
                && trace.step_time(*i) > Dur::secs(5).0
        })
        .filter_map(
            |(_, st)| match trace.message(st.id).and_then(|m| trace.body(m.body)) {
                Some(Body::Fetched { count, .. }) => Some(*count),
                _ => None,
            },
        )
        .sum();
    again
}
