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

fn run_to_end(s: &Scenario, seed: u64) -> settle::trace::Trace {
    let mut e = Engine::new(s, seed).expect("builds");
    e.run();
    e.into_trace()
}

/// Orders and customers folded by a projection reading from a log (a
/// queue cannot be read again for a rebuild); the projection and the log
/// ("bus") are the nodes faults hit.
fn projection_base() -> Scenario {
    let text = r#"(
        title: "projection property",
        until: "8s",
        nodes: [
            (id: "app", kind: Client()),
            (id: "orders", kind: Service(table: "orders", database: "db", publish: (broker: "bus", topic: "o"))),
            (id: "db", kind: Database()),
            (id: "customers", kind: Service(table: "customers", publish: (broker: "bus", topic: "c"))),
            (id: "bus", kind: Log(topics: [(name: "o"), (name: "c")])),
            (id: "view", kind: Projection(broker: "bus", view: "by-customer", sources: [
                (topic: "c", columns: [Copy(name: "name")]),
                (topic: "o", row: "customer", columns: [Count(name: "n"), Sum(name: "total", field: "total")]),
            ])),
        ],
        links: [
            (from: "app", to: "orders"), (from: "app", to: "customers"),
            (from: "orders", to: "db"), (from: "orders", to: "bus"), (from: "customers", to: "bus"),
            (from: "bus", to: "view", latency: Uniform(min: "1ms", max: "60ms"), duplicate: 0.2),
        ],
        workload: [
            Every(start: "10ms", every: "50ms", count: 12, from: "app", to: "customers", op: Write(id: "k", value: Text("Kim")), random_keys: 3),
            Request(at: "20ms", from: "app", to: "orders", op: Write(id: "o1", value: Text("customer=k0 total=5"))),
            Request(at: "400ms", from: "app", to: "orders", op: Write(id: "o2", value: Text("customer=k1 total=7"))),
            Request(at: "900ms", from: "app", to: "orders", op: Write(id: "o1", value: Text("customer=k2 total=9"))),
            Request(at: "1400ms", from: "app", to: "orders", op: Write(id: "o3", value: Text("customer=k2 total=1"))),
        ],
        expect: [ViewMatchesSources(projection: "view")],
    )"#;
    from_str(text, "projection.ron").unwrap_or_else(|e| panic!("{e}"))
}

/// When the projection's view changed while a rebuild was under way and
/// readers were not being switched over (a half-built view shown), if
/// ever: a step of the projection may change the view only outside a
/// rebuild, or as the step that ends it.
fn changed_mid_rebuild(trace: &settle::trace::Trace) -> Option<u64> {
    let view = trace.nodes.iter().position(|n| n.id == "view")? as u16;
    let table = trace.names.find("by-customer")?;
    let checkpoint = trace.names.find("by-customer checkpoint")?;
    let row = trace.names.find("rebuilding");
    let mut rebuilding = false;
    let changes: Vec<_> = trace.changes_from(0).collect();
    let mut i = 0;
    while i < changes.len() {
        let step = changes[i].step;
        let (mut touched, was) = (false, rebuilding);
        while i < changes.len() && changes[i].step == step {
            let c = changes[i];
            i += 1;
            let node = trace.steps.get(c.step as usize).map(|s| s.node);
            let Some(r) = trace.change_record(c).filter(|_| node == Some(view)) else {
                continue;
            };
            if r.key.table == checkpoint && Some(r.key.id) == row {
                rebuilding = matches!(r.value, Value::Text(_));
            } else if r.key.table == table {
                touched = true;
            }
        }
        if touched && was && rebuilding {
            return Some(trace.step_time(step as usize));
        }
    }
    None
}

/// Changes (stock -1) sent through an at-least-once broker to a consumer
/// that keeps, or does not keep, its processed-event table.
fn stock_base(dedup: bool, duplicate: f64, max_attempts: Option<u32>) -> Scenario {
    let limit = max_attempts.map_or(String::new(), |n| format!(", max_attempts: {n}"));
    let text = format!(
        r#"(
        title: "stock property",
        until: "8s",
        nodes: [
            (id: "till", kind: Client()),
            (id: "inv", kind: Service(table: "stock", publish: (broker: "bus", topic: "s"), events: Change)),
            (id: "bus", kind: Broker(delivery: AtLeastOnce(ack_timeout: "60ms"){limit})),
            (id: "wh", kind: Replica(broker: "bus", topic: "s", table: "stock", dedup: {dedup})),
        ],
        links: [
            (from: "till", to: "inv"),
            (from: "inv", to: "bus"),
            (from: "bus", to: "wh", latency: Uniform(min: "1ms", max: "80ms"), duplicate: {duplicate}),
        ],
        workload: [
            Every(start: "10ms", every: "30ms", count: 30, from: "till", to: "inv", op: Write(id: "sku", value: Int(-1)), random_keys: 2),
        ],
    )"#
    );
    from_str(&text, "stock.ron").unwrap_or_else(|e| panic!("{e}"))
}

/// Cuts and crashes of the consumer side (index 0: the view or warehouse,
/// 1: the bus), each healed within two seconds.
fn consumer_faults(s: &mut Scenario, consumer: &str, faults: &[(bool, bool, u64, u64)]) {
    for &(crash, on_bus, start, len) in faults {
        let (at, end) = (Dur::ms(start), Dur::ms(start + len));
        if crash {
            let node = if on_bus { "bus" } else { consumer }.to_string();
            s.faults.push(Fault::Crash {
                at,
                node: node.clone(),
            });
            s.faults.push(Fault::Restart { at: end, node });
        } else {
            let link = ("bus".to_string(), consumer.to_string());
            s.faults.push(Fault::Partition {
                at,
                links: vec![link.clone()],
                one_way: on_bus,
            });
            s.faults.push(Fault::Heal {
                at: end,
                links: vec![link],
            });
        }
    }
}

fn fault_list() -> impl Strategy<Value = Vec<(bool, bool, u64, u64)>> {
    prop::collection::vec(
        (any::<bool>(), any::<bool>(), 0u64..2_500, 10u64..2_000),
        0..5,
    )
}

/// The final value each node holds for each key of `table`.
fn finals(trace: &settle::trace::Trace, node: u16, table: &str) -> Vec<(u32, Value)> {
    let index = settle::trace::query::Index::new(trace);
    let sym = trace.names.find(table).expect("table written");
    index
        .store_at(trace, node, trace.steps.len())
        .into_iter()
        .filter(|r| r.key.table == sym)
        .map(|r| (r.key.id, r.value))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A projection rebuilt at any moment, under any healing faults, ends
    /// with the view its sources fold to: the one built event by event.
    #[test]
    fn a_rebuilt_projection_equals_the_incremental_one(
        faults in fault_list(),
        rebuilds in prop::collection::vec(0u64..5_000, 0..3),
        seed in any::<u64>(),
    ) {
        let mut s = projection_base();
        consumer_faults(&mut s, "view", &faults);
        for at in rebuilds {
            s.faults.push(Fault::Rebuild { at: Dur::ms(at), node: "view".into() });
        }
        let trace = run_to_end(&s, seed);
        let o = check::evaluate(&s, &trace).remove(0);
        prop_assert!(o.passed, "{} (faults {:?})", o.why, s.faults);
        if let Some(at) = changed_mid_rebuild(&trace) {
            prop_assert!(false, "the view changed mid-rebuild at {at} µs (faults {:?})", s.faults);
        }
    }

    /// With its processed-event table, a consumer of changes ends equal to
    /// the owner whatever is duplicated, cut, crashed or resent.
    #[test]
    fn with_the_processed_event_table_redeliveries_change_nothing(
        p in 0.0f64..0.8,
        faults in fault_list(),
        seed in any::<u64>(),
    ) {
        let mut s = stock_base(true, p, None);
        consumer_faults(&mut s, "wh", &faults);
        let trace = run_to_end(&s, seed);
        prop_assert_eq!(finals(&trace, 3, "stock"), finals(&trace, 1, "stock"));
    }

    /// With a limit on attempts, every event ends applied by the consumer
    /// or parked in the dead-letter queue (a poison sale among them),
    /// whatever faults (healed or not).
    #[test]
    fn every_event_ends_applied_or_dead_lettered(
        max in 1u32..5,
        faults in fault_list(),
        poison_at in 20u64..900,
        seed in any::<u64>(),
    ) {
        let mut s = stock_base(true, 0.1, Some(max));
        s.workload.push(settle::scenario::Work::Request {
            at: Dur::ms(poison_at),
            from: "till".into(),
            to: "inv".into(),
            op: settle::scenario::Op::Write {
                id: "sku0".into(),
                value: settle::scenario::ValueSpec::Int(-1),
                poison: true,
            },
        });
        consumer_faults(&mut s, "wh", &faults);
        s.expect = vec![Expectation::EveryEventAccounted { topic: "s".into() }];
        let trace = run_to_end(&s, seed);
        let o = check::evaluate(&s, &trace).remove(0);
        prop_assert!(o.passed, "{} (faults {:?})", o.why, s.faults);
    }

    /// Two clerks editing one record with versioned writes, in any
    /// interleaving: no update is lost, and both edits survive.
    #[test]
    fn versioned_writes_lose_no_update(
        a in (0u64..400, 0u64..400),
        b in (0u64..400, 0u64..400),
        seed in any::<u64>(),
    ) {
        let text = format!(r#"(
            title: "clerks",
            until: "3s",
            nodes: [
                (id: "a", kind: Client()), (id: "b", kind: Client()),
                (id: "svc", kind: Service(table: "t", database: "db")), (id: "db", kind: Database()),
            ],
            links: [(from: "a", to: "svc"), (from: "b", to: "svc"), (from: "svc", to: "db")],
            workload: [
                Request(at: "10ms", from: "a", to: "svc", op: Write(id: "r", value: Text("x=0 y=0"))),
                Request(at: "{}ms", from: "a", to: "svc", op: Read(id: "r")),
                Request(at: "{}ms", from: "a", to: "svc", op: Edit(id: "r", set: "x=1", versioned: true)),
                Request(at: "{}ms", from: "b", to: "svc", op: Read(id: "r")),
                Request(at: "{}ms", from: "b", to: "svc", op: Edit(id: "r", set: "y=2", versioned: true)),
            ],
            expect: [NoLostUpdate, FinalValue(table: "t", id: "r", value: "x=1 y=2")],
        )"#, 50 + a.0, 50 + a.0 + a.1, 50 + b.0, 50 + b.0 + b.1);
        let s = from_str(&text, "clerks.ron").unwrap_or_else(|e| panic!("{e}"));
        let trace = run_to_end(&s, seed);
        for o in check::evaluate(&s, &trace) {
            prop_assert!(o.passed, "{} — {}", o.what, o.why);
        }
    }
}

#[test]
fn the_mechanics_properties_see_what_they_guard() {
    // Without the table, duplicates do change the count: the property
    // above is not vacuous.
    let s = stock_base(false, 0.6, None);
    let trace = run_to_end(&s, 2);
    assert_ne!(finals(&trace, 3, "stock"), finals(&trace, 1, "stock"));
    // A consumer down for good parks nothing: its messages wait.
    let mut s = stock_base(true, 0.0, Some(2));
    s.faults.push(Fault::Crash {
        at: Dur::ms(100),
        node: "wh".into(),
    });
    let trace = run_to_end(&s, 2);
    let parked = check::monitors(
        &trace,
        &settle::trace::query::Index::new(&trace),
        trace.steps.len(),
    )
    .into_iter()
    .find(|m| m.monitor == check::Monitor::DeadLetters)
    .map_or(0, |m| m.count);
    assert_eq!(parked, 0);
}
