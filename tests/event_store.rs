//! Event sourcing: an event-sourced service appends each write to its
//! record's stream in an event store, with the version it expects when the
//! write was based on a read; a stale expected version is refused; the
//! record is the fold of its stream; a projection subscribed to the store
//! gets every event, in append order.

mod common;

use settle::check;
use settle::model::{Answer, Body, value_text};
use settle::scenario::{Scenario, from_str, to_ron};
use settle::trace::{StepKind, Trace};

/// An event-sourced orders service, its store and a projection; `work`
/// is the workload and `expect` the expectations.
fn text(service: &str, work: &str, expect: &str) -> String {
    format!(
        r#"(
        title: "es",
        until: "2s",
        nodes: [
            (id: "app", kind: Client()),
            (id: "a", kind: Client()),
            (id: "b", kind: Client()),
            (id: "orders", kind: Service({service})),
            (id: "store", kind: EventStore()),
            (id: "view", kind: Projection(broker: "store", view: "status",
                sources: [(topic: "orders", columns: [Copy(name: "status", field: "status")])])),
        ],
        links: [
            (from: "app", to: "orders", latency: Uniform(min: "5ms", max: "10ms")),
            (from: "a", to: "orders", latency: Uniform(min: "5ms", max: "15ms")),
            (from: "b", to: "orders", latency: Uniform(min: "5ms", max: "15ms")),
            (from: "orders", to: "store", latency: Uniform(min: "1ms", max: "4ms")),
            (from: "store", to: "view", latency: Uniform(min: "20ms", max: "60ms")),
        ],
        workload: [{work}],
        expect: [{expect}],
    )"#
    )
}

const SOURCED: &str = r#"table: "orders", database: "store", event_sourced: true"#;

const ORDERS: &str = r#"
    Request(at: "100ms", from: "app", to: "orders", op: Write(id: "o1", value: Text("customer=ann total=30 status=placed"))),
    Request(at: "200ms", from: "app", to: "orders", op: Write(id: "o2", value: Text("customer=bob total=45 status=placed"))),
    Request(at: "400ms", from: "app", to: "orders", op: Write(id: "o1", value: Text("status=paid"))),
    Request(at: "800ms", from: "a", to: "orders", op: Read(id: "o2")),
    Request(at: "810ms", from: "b", to: "orders", op: Read(id: "o2")),
    Request(at: "1000ms", from: "b", to: "orders", op: Edit(id: "o2", set: "status=paid", versioned: true)),
    Request(at: "1200ms", from: "a", to: "orders", op: Edit(id: "o2", set: "note=gift", versioned: true)),
"#;

fn drawing(expect: &str) -> Scenario {
    from_str(&text(SOURCED, ORDERS, expect), "es.ron").unwrap_or_else(|e| panic!("{e}"))
}

fn node(t: &Trace, id: &str) -> u16 {
    t.nodes.iter().position(|n| n.id == id).expect("node") as u16
}

/// The bodies node `at` was handed, in delivery order.
fn delivered(t: &Trace, at: &str) -> Vec<Body> {
    let n = node(t, at);
    (0..t.steps.len())
        .filter_map(|i| t.step(i))
        .filter(|s| s.kind == StepKind::Deliver && s.node == n)
        .filter_map(|s| t.message(s.id).and_then(|m| t.body(m.body)).copied())
        .collect()
}

fn failures(s: &Scenario, t: &Trace) -> Vec<String> {
    check::evaluate(s, t)
        .into_iter()
        .filter(|o| !o.passed)
        .map(|o| format!("{}: {}", o.what, o.why))
        .collect()
}

#[test]
fn appends_with_the_expected_version_and_refuses_a_stale_one() {
    let s = drawing("");
    let t = common::run(&s, 1);
    // The store refused exactly one append: Clerk A's, which expected a version the stream had left.
    let refused: Vec<Body> = delivered(&t, "orders")
        .into_iter()
        .filter(|b| matches!(b, Body::DbConflict { .. }))
        .collect();
    assert_eq!(refused.len(), 1, "one stale append");
    let Body::DbConflict { read, current, .. } = refused[0] else {
        unreachable!()
    };
    assert_eq!(
        (read, current.version.counter),
        (1, 2),
        "expected 1, stream at 2"
    );
    let a_conflicts = delivered(&t, "a")
        .iter()
        .filter(|b| {
            matches!(
                b,
                Body::Answer {
                    answer: Answer::Conflict { .. },
                    ..
                }
            )
        })
        .count();
    assert_eq!(a_conflicts, 1, "Clerk A is told of the conflict");
    // Clerk B was not: its append expected the version the stream was at.
    assert!(!delivered(&t, "b").iter().any(|b| matches!(
        b,
        Body::Answer {
            answer: Answer::Conflict { .. },
            ..
        }
    )));
}

#[test]
fn a_record_is_the_fold_of_its_stream_and_each_event_is_a_row() {
    let s = drawing(
        r#"
        FinalValue(table: "orders", id: "o1", value: "customer=ann total=30 status=paid"),
        FinalValue(table: "orders", id: "o2", value: "customer=bob total=45 status=paid note=gift"),
        VersionConflicts(at_least: 1),
        ViewMatchesSources(projection: "view"),
        AllAnswered(client: "a"),
        "#,
    );
    let t = common::run(&s, 1);
    assert_eq!(failures(&s, &t), Vec::<String>::new());
    // The store's events table: a row per event, named by stream and
    // number, holding the event as appended (not the fold).
    let table = t.names.find("store events").expect("the events table");
    let rows: Vec<(String, String)> = t
        .bodies
        .iter()
        .filter_map(|b| match b {
            Body::Stored { record } if record.key.table == table => Some((
                t.names.get(record.key.id).to_string(),
                value_text(&t.names, record.value),
            )),
            _ => None,
        })
        .collect();
    let want = [
        ("o1 #1", "customer=ann total=30 status=placed"),
        ("o2 #1", "customer=bob total=45 status=placed"),
        ("o1 #2", "status=paid"),
        ("o2 #2", "customer=bob total=45 status=paid"),
        ("o2 #3", "customer=bob total=45 status=paid note=gift"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(rows, want);
}

#[test]
fn a_subscriber_gets_every_event_in_append_order() {
    let s = drawing("");
    let t = common::run(&s, 3);
    let store = node(&t, "store");
    let seqs: Vec<u32> = delivered(&t, "view")
        .into_iter()
        .filter_map(|b| match b {
            Body::Event { event, .. } if event.origin == store => Some(event.seq),
            _ => None,
        })
        .collect();
    // Five appends: o1 twice, o2 placed, Clerk B's, Clerk A's retry.
    assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
}

#[test]
fn the_same_file_gives_the_same_trace_and_writes_back_unchanged() {
    let s = drawing("");
    assert_eq!(
        common::jsonl(&common::run(&s, 7)),
        common::jsonl(&common::run(&s, 7))
    );
    let back = to_ron(&s).expect("writes");
    assert!(back.contains("event_sourced: true"), "{back}");
    assert!(back.contains("EventStore"), "{back}");
    assert_eq!(from_str(&back, "back.ron").expect("reads back"), s);
    // A service that is not event-sourced writes no such field.
    let plain = common::load(std::path::Path::new(
        "scenarios/06b-optimistic-concurrency.ron",
    ));
    assert!(!to_ron(&plain).expect("writes").contains("event_sourced"));
}

#[test]
fn a_snapshot_keeps_the_fold_every_n_events_of_a_stream() {
    let text = text(SOURCED, ORDERS, "").replace("EventStore()", "EventStore(snapshot_every: 2)");
    let s = from_str(&text, "snap.ron").unwrap_or_else(|e| panic!("{e}"));
    let t = common::run(&s, 1);
    let table = t
        .names
        .find("store snapshots")
        .expect("the snapshots table");
    let rows: Vec<String> = t
        .bodies
        .iter()
        .filter_map(|b| match b {
            Body::Stored { record } if record.key.table == table => Some(format!(
                "{}={}",
                t.names.get(record.key.id),
                value_text(&t.names, record.value)
            )),
            _ => None,
        })
        .collect();
    // o1 has 2 events, o2 has 3: one snapshot each, at its 2nd event.
    assert_eq!(
        rows,
        [
            "o1=customer=ann total=30 status=paid (#2)",
            "o2=customer=bob total=45 status=paid (#2)",
        ]
    );
    // A snapshot every 0 events is refused where it is written.
    let bad = text.replace("snapshot_every: 2", "snapshot_every: 0");
    let e = from_str(&bad, "snap.ron").expect_err("refused").to_string();
    assert!(e.starts_with("snap.ron:9:"), "{e}");
}

/// The error `service` gets, as `file:line:col: message`.
fn error(service: &str) -> String {
    match from_str(&text(service, "", ""), "bad.ron") {
        Ok(_) => panic!("{service} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_settings_are_refused_where_they_are_written() {
    // Event-sourced with no store.
    let e = error(r#"table: "orders", event_sourced: true"#);
    assert!(e.starts_with("bad.ron:8:"), "{e}");
    assert!(e.contains("needs an event store"), "{e}");
    // A store used as a plain database.
    let e = error(r#"table: "orders", database: "store""#);
    assert!(e.starts_with("bad.ron:8:"), "{e}");
    assert!(e.contains("event_sourced: true"), "{e}");
    // An event-sourced service that would keep a table of its own.
    let e = error(r#"table: "orders", database: "store", event_sourced: true, ledger: "journal""#);
    assert!(e.contains("keeps no table"), "{e}");
    // A projection of the store naming a table nobody appends there.
    let e = error(r#"table: "sales", database: "store", event_sourced: true"#);
    assert!(e.starts_with("bad.ron:11:"), "{e}");
    assert!(
        e.contains("no event-sourced service appends \"orders\""),
        "{e}"
    );
}
