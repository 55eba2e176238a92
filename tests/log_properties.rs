//! Partitioned logs under any fault schedule: every consumer gets each
//! key's events in the order the log appended them, and a consumer group
//! that has caught up after the faults has handled every event at least
//! once.

use proptest::prelude::*;
use settle::check;
use settle::scenario::{Dur, Expectation, Fault, Scenario, from_str};
use settle::sim::Engine;

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
                    (name: "shared", members: ["r0", "r1"], commit_every: 2),
                    (name: "solo", members: ["r2"], commit_every: 3, pace: "5ms"),
                ],
                ack_timeout: "80ms",
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
    s.faults.push(Fault::Crash {
        at: Dur::ms(500),
        node: "r2".into(),
    });
    s.faults.push(Fault::Restart {
        at: Dur::ms(900),
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
        "r2 commits every 3 events, so some come again after its restart"
    );
}
