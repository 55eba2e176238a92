//! Properties that must hold for every fault schedule and every delivery
//! order, not just the ones the presets happen to show.

use proptest::prelude::*;
use settle::check;
use settle::model::{Key, Record, Value, Version};
use settle::scenario::{Dur, Expectation, Fault, Scenario, from_str};
use settle::sim::Engine;
use settle::sim::nodes::{DedupWindow, Store};

const REPLICAS: usize = 3;

fn base(duplicate: f64) -> Scenario {
    let replicas: String = (0..REPLICAS)
        .map(|i| {
            format!(r#"(id: "r{i}", kind: Replica(broker: "bus", topic: "t", table: "items")),"#)
        })
        .collect();
    let links: String = (0..REPLICAS)
        .map(|i| format!(r#"(from: "bus", to: "r{i}", latency: Uniform(min: "1ms", max: "40ms"), duplicate: {duplicate}),"#))
        .collect();
    let text = format!(
        r#"(
        title: "property",
        until: "8s",
        nodes: [
            (id: "admin", kind: Client()),
            (id: "svc", kind: Service(table: "items", database: "db", publish: (broker: "bus", topic: "t"))),
            (id: "db", kind: Database()),
            (id: "bus", kind: Broker(delivery: AtLeastOnce(ack_timeout: "100ms"))),
            {replicas}
        ],
        links: [
            (from: "admin", to: "svc"),
            (from: "svc", to: "db"),
            (from: "svc", to: "bus", latency: Uniform(min: "1ms", max: "10ms"), duplicate: {duplicate}),
            {links}
        ],
        workload: [
            Every(start: "10ms", every: "40ms", count: 40, from: "admin", to: "svc",
                  op: Write(id: "k", value: Seq), random_keys: 6),
        ],
    )"#
    );
    from_str(&text, "property.ron").unwrap_or_else(|e| panic!("{e}"))
}

/// A fault that begins in the first two seconds and is repaired within
/// two more: a cut link (either way, or one way) or a crashed node.
#[derive(Clone, Debug)]
struct Episode {
    target: usize,
    one_way: bool,
    crash: bool,
    start_ms: u64,
    length_ms: u64,
}

fn episode() -> impl Strategy<Value = Episode> {
    (
        0..REPLICAS + 2,
        any::<bool>(),
        any::<bool>(),
        0u64..2_000,
        10u64..2_000,
    )
        .prop_map(|(target, one_way, crash, start_ms, length_ms)| Episode {
            target,
            one_way,
            crash,
            start_ms,
            length_ms,
        })
}

fn with_faults(mut s: Scenario, episodes: &[Episode]) -> Scenario {
    for e in episodes {
        let (start, end) = (Dur::ms(e.start_ms), Dur::ms(e.start_ms + e.length_ms));
        // Crashes hit the broker, the database or a replica. The writing
        // service is left running: a crash between its commit and its
        // publish loses the event, the dual write the outbox lesson shows.
        let (a, b) = match e.target {
            0 => ("svc".to_string(), "bus".to_string()),
            1 => ("bus".to_string(), "db".to_string()),
            n => ("bus".to_string(), format!("r{}", n - 2)),
        };
        if e.crash {
            let node = if e.target == 0 { "bus".to_string() } else { b };
            s.faults.push(Fault::Crash {
                at: start,
                node: node.clone(),
            });
            s.faults.push(Fault::Restart { at: end, node });
        } else if e.target == 1 {
            continue; // bus and db are not linked
        } else {
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
    }
    s.expect = vec![
        Expectation::Converged {
            table: "items".into(),
            by: s.until,
        },
        Expectation::NoEventLost { topic: "t".into() },
    ];
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn healed_faults_always_end_converged(episodes in prop::collection::vec(episode(), 0..6), seed in any::<u64>()) {
        let s = with_faults(base(0.0), &episodes);
        let mut engine = Engine::new(&s, seed).expect("builds");
        engine.run();
        for o in check::evaluate(&s, engine.trace()) {
            prop_assert!(o.passed, "{} — {} (faults: {:?})", o.what, o.why, s.faults);
        }
    }

    #[test]
    fn duplicated_deliveries_never_change_the_final_state(p in 0.0f64..0.9, seed in any::<u64>()) {
        let s = with_faults(base(p), &[]);
        let mut engine = Engine::new(&s, seed).expect("builds");
        engine.run();
        let owner = engine.store(2).expect("db store").clone();
        prop_assert!(!owner.is_empty());
        for r in 0..REPLICAS {
            prop_assert_eq!(engine.store((4 + r) as u16), Some(&owner));
        }
        if p > 0.3 {
            prop_assert!(engine.trace().totals.duplicated > 0);
        }
    }

    /// At the level of one replica: any order, any repetition of the same
    /// events gives the copy that applying each once, in order, gives.
    #[test]
    fn an_idempotent_consumer_ignores_order_and_repeats(
        writes in prop::collection::vec((0u32..5, 0i64..100), 1..40),
        extra in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        order in any::<prop::sample::Index>(),
    ) {
        let events: Vec<(u32, Record)> = writes.iter().enumerate().map(|(i, &(id, v))| {
            let seq = i as u32 + 1;
            (seq, Record { key: Key { table: 0, id }, value: Value::Int(v), version: Version { time: u64::from(seq), counter: seq, origin: 0 } })
        }).collect();
        let mut reference = Store::default();
        for (_, r) in &events {
            reference.apply_if_newer(r);
        }
        let mut deliveries: Vec<(u32, Record)> = events.clone();
        for i in &extra {
            deliveries.push(*i.get(&events));
        }
        let rotate = order.index(deliveries.len());
        deliveries.rotate_left(rotate);
        deliveries.reverse();
        let mut copy = Store::default();
        let mut seen = DedupWindow::default();
        for (seq, r) in &deliveries {
            if seen.insert(*seq) {
                copy.apply_if_newer(r);
            }
        }
        prop_assert_eq!(copy, reference);
    }
}

#[test]
fn the_base_system_really_sees_duplicates_and_faults() {
    // Guards the properties above against testing nothing.
    let s = with_faults(
        base(0.5),
        &[Episode {
            target: 2,
            one_way: false,
            crash: false,
            start_ms: 100,
            length_ms: 900,
        }],
    );
    let mut engine = Engine::new(&s, 1).expect("builds");
    engine.run();
    let t = engine.trace().totals;
    assert!(
        t.duplicates_ignored > 0 && t.dropped > 0 && t.redeliveries > 0,
        "{t:?}"
    );
}

#[test]
fn a_duplicated_database_write_commits_once() {
    let mut s = base(0.0);
    for l in &mut s.links {
        if l.to == "db" {
            l.duplicate = settle::scenario::Prob(0.9);
        }
    }
    s.expect = vec![
        Expectation::NoWriteLost {
            table: "items".into(),
        },
        Expectation::Converged {
            table: "items".into(),
            by: s.until,
        },
    ];
    let mut engine = Engine::new(&s, 3).expect("builds");
    engine.run();
    assert!(
        engine.trace().totals.duplicated > 10,
        "the link duplicated nothing"
    );
    for o in check::evaluate(&s, engine.trace()) {
        assert!(o.passed, "{} — {}", o.what, o.why);
    }
}
