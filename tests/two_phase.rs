//! Two-phase commit: a participant that voted yes holds its lock until
//! the decision arrives, and a read of the locked row waits exactly that
//! long. With the coordinator crashed after the prepares, that is until it
//! restarts; without the crash, no longer than the decision's round trip.

mod common;

use settle::model::{Body, Micros, ReqOp, Value};
use settle::scenario::{Scenario, from_str};
use settle::trace::{StepKind, Trace};

/// A coordinator over two services; a clerk reads stock 14 at 1.7 s while
/// the transaction for 14, begun at 1.5 s, is prepared. `faults` as given.
fn drawing(faults: &str, clerk_at: &str) -> Scenario {
    let text = format!(
        r#"(
        title: "2pc",
        until: "4s",
        nodes: [
            (id: "shop", kind: Client(timeout: "3s")),
            (id: "tx", kind: Coordinator(participants: [
                (service: "orders", action: "created"),
                (service: "inv", action: "reserved"),
            ], vote_timeout: "200ms", resend: "100ms")),
            (id: "orders", kind: Service(table: "orders")),
            (id: "inv", kind: Service(table: "stock")),
            (id: "clerk", kind: Client(timeout: "3s")),
        ],
        links: [
            (from: "shop", to: "tx", latency: Uniform(min: "5ms", max: "10ms")),
            (from: "tx", to: "orders", latency: Uniform(min: "5ms", max: "15ms")),
            (from: "tx", to: "inv", latency: Uniform(min: "5ms", max: "15ms")),
            (from: "clerk", to: "inv", latency: Uniform(min: "5ms", max: "15ms")),
        ],
        workload: [
            Request(at: "1500ms", from: "shop", to: "tx", op: Write(id: "14", value: Text("place"))),
            Request(at: "{clerk_at}", from: "clerk", to: "inv", op: Read(id: "14")),
        ],
        faults: [{faults}],
    )"#
    );
    from_str(&text, "2pc.ron").unwrap_or_else(|e| panic!("{e}"))
}

fn node(t: &Trace, id: &str) -> settle::model::NodeIdx {
    t.nodes.iter().position(|n| n.id == id).expect("node") as settle::model::NodeIdx
}

/// Steps at which node `at` was handed a message whose body passes `f`.
fn deliveries(t: &Trace, at: &str, f: impl Fn(&Body) -> bool) -> Vec<usize> {
    let n = node(t, at);
    (0..t.steps.len())
        .filter(|&i| {
            t.step(i).is_some_and(|s| {
                s.kind == StepKind::Deliver
                    && s.node == n
                    && t.message(s.id).and_then(|m| t.body(m.body)).is_some_and(&f)
            })
        })
        .collect()
}

/// The step at which `inv` answered the clerk's read, and when it did.
fn read_answered(t: &Trace) -> (usize, Micros) {
    let clerk = node(t, "clerk");
    let step = deliveries(t, "clerk", |b| matches!(b, Body::Answer { .. }))
        .into_iter()
        .next()
        .expect("the clerk is answered");
    let m = t.message(t.step(step).expect("step").id).expect("message");
    assert_eq!(t.step(step).map(|s| s.node), Some(clerk));
    (m.cause as usize, t.step_time(m.cause as usize))
}

/// When `inv` was handed the decision on record 14.
fn decision_at(t: &Trace) -> Vec<usize> {
    deliveries(t, "inv", |b| {
        matches!(
            b,
            Body::Request {
                op: ReqOp::Decide { .. },
                ..
            }
        )
    })
}

/// When `inv`'s lock row for 14 was taken and released.
fn lock_span(t: &Trace) -> (Micros, Micros) {
    let inv = node(t, "inv");
    let table = t.names.find("inv locks").expect("the lock table is named");
    let mut held = None;
    let mut released = None;
    for c in t.changes_from(0) {
        let Some(r) = t.change_record(c) else {
            continue;
        };
        let at = t.step_time(c.step as usize);
        if r.key.table != table || t.step(c.step as usize).map(|s| s.node) != Some(inv) {
            continue;
        }
        match r.value {
            Value::Absent => released = released.or(Some(at)),
            _ => held = held.or(Some(at)),
        }
    }
    (held.expect("locked"), released.expect("released"))
}

#[test]
fn a_read_of_a_locked_row_waits_exactly_until_the_decision_arrives() {
    let s = drawing(
        r#"Crash(at: "1512ms", node: "tx"), Restart(at: "2500ms", node: "tx")"#,
        "1700ms",
    );
    let t = common::run(&s, 7);
    let (answered_in, at) = read_answered(&t);
    let decided = decision_at(&t);
    // The read is answered in the very step the decision is handled.
    assert_eq!(decided.first(), Some(&answered_in), "answered at {at}");
    assert!(at > 2_500_000, "answered at {at}, before the restart");
    // Its arrow says that it waits.
    let read = deliveries(&t, "inv", |b| {
        matches!(
            b,
            Body::Request {
                op: ReqOp::Read { .. },
                ..
            }
        )
    });
    let [read] = read[..] else {
        panic!("one read: {read:?}")
    };
    let m = t.step(read).expect("step").id;
    let said = settle::trace::export::message_said(&t, m);
    assert!(said.ends_with("(waits: locked)"), "{said}");
}

#[test]
fn with_the_crash_the_locks_are_held_until_the_restart() {
    let s = drawing(
        r#"Crash(at: "1512ms", node: "tx"), Restart(at: "2500ms", node: "tx")"#,
        "1700ms",
    );
    let t = common::run(&s, 7);
    let (held, released) = lock_span(&t);
    assert!(held < 1_600_000, "locked at {held}");
    assert!(
        (2_500_000..2_600_000).contains(&released),
        "released at {released}"
    );
    // No decision was logged before the crash: the restart aborts.
    let stock = t.names.find("stock").expect("table");
    let written = t
        .changes_from(0)
        .filter_map(|c| t.change_record(c))
        .any(|r| r.key.table == stock);
    assert!(!written, "an aborted change was written");
}

#[test]
fn without_the_crash_nothing_blocks_beyond_one_round_trip() {
    // The clerk's read arrives while the transaction is prepared (the
    // prepare reaches inv by 1.525 s; its decision one round trip later).
    for clerk_at in ["1505ms", "1515ms", "1525ms"] {
        let s = drawing("", clerk_at);
        let t = common::run(&s, 7);
        let (held, released) = lock_span(&t);
        // Vote back and decision out: two hops of at most 15 ms, plus
        // the other participant's prepare round trip at most.
        assert!(released - held <= 60_000, "held {}", released - held);
        let (_, at) = read_answered(&t);
        let sent = settle::model::parse_dur(clerk_at).expect("dur").0;
        // Two hops to and from inv, and the lock's remaining time.
        assert!(at - sent <= 15_000 + 60_000, "waited {}", at - sent);
        let stock = t.names.find("stock").expect("table");
        assert!(
            t.changes_from(0)
                .filter_map(|c| t.change_record(c))
                .any(|r| r.key.table == stock),
            "the committed change is written"
        );
    }
}

#[test]
fn the_locks_plot_counts_rows_held_until_the_restart() {
    let s = drawing(
        r#"Crash(at: "1512ms", node: "tx"), Restart(at: "2500ms", node: "tx")"#,
        "1700ms",
    );
    let t = common::run(&s, 7);
    let mut series = settle::trace::query::Series::new(&t);
    series.finish(t.until);
    let at = |secs: f64| {
        let i = series.t.partition_point(|&x| x <= secs) - 1;
        series.locks[i]
    };
    assert_eq!(at(1.4), 0.0);
    assert_eq!(at(2.0), 2.0, "both participants hold their lock");
    assert_eq!(at(3.0), 0.0, "released after the restart");
}

#[test]
fn a_participant_named_twice_or_not_a_service_is_refused_where_it_is_written() {
    let twice = r#"(
    title: "t",
    nodes: [
        (id: "tx", kind: Coordinator(participants: [
            (service: "a", action: "x"),
            (service: "a", action: "y"),
        ])),
        (id: "a", kind: Service(table: "a")),
    ],
    links: [(from: "tx", to: "a")],
)"#;
    let e = from_str(twice, "twice.ron")
        .expect_err("refused")
        .to_string();
    // Located at the participant's name, where it is first written.
    assert!(e.contains("twice.ron:5:"), "{e}");
    assert!(e.contains("named twice"), "{e}");
    let db = twice
        .replace(r#"(service: "a", action: "y"),"#, "")
        .replace(r#"kind: Service(table: "a")"#, "kind: Database()");
    let e = from_str(&db, "db.ron").expect_err("refused").to_string();
    assert!(e.contains("db.ron:5:"), "{e}");
    assert!(e.contains("service"), "{e}");
}

/// Lesson 07c beside its saga variant: the records that differ are the
/// ones the saga changed, not the lock rows released on one side and
/// never taken on the other (both read "—").
#[test]
fn the_lesson_and_its_saga_differ_only_where_a_value_differs() {
    use settle::trace::query::{Index, Moment, records_differing};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join("07c-two-phase-commit.ron");
    let s = common::load(&path);
    let b = s.variant(0).expect("the saga variant");
    let (ta, tb) = (common::run(&s, s.seed), common::run(&b, b.seed));
    let (ia, ib) = (Index::new(&ta), Index::new(&tb));
    let diffs = records_differing(Moment::end(&ta, &ia), Moment::end(&tb, &ib));
    assert!(
        diffs.iter().all(|d| !d.table.ends_with(" locks")),
        "{diffs:?}"
    );
    // Stock 14: the saga left it reserved, two-phase commit never did.
    assert!(
        diffs.iter().any(|d| d.table == "stock"
            && d.id == "14"
            && d.a.as_deref() == Some("in stock")
            && d.b.as_deref() == Some("reserved")),
        "{diffs:?}"
    );
}

/// Links that reorder messages: an abort can overtake a prepare. The
/// participant then locks after the decision; the coordinator, hearing
/// its late yes, tells it again, so no lock outlives the transaction.
#[test]
fn a_prepare_overtaken_by_its_abort_is_still_released() {
    let text = r#"(
        title: "reorder",
        until: "3s",
        nodes: [
            (id: "shop", kind: Client(timeout: "2s")),
            (id: "tx", kind: Coordinator(participants: [
                (service: "no", action: "x"),
                (service: "a", action: "x"),
                (service: "b", action: "x"),
            ], vote_timeout: "500ms", resend: "100ms")),
            (id: "no", kind: Service(table: "n", rejects: ["t"])),
            (id: "a", kind: Service(table: "a")),
            (id: "b", kind: Service(table: "b")),
        ],
        links: [
            (from: "shop", to: "tx"),
            (from: "tx", to: "no", latency: Fixed("2ms")),
            (from: "tx", to: "a", latency: Uniform(min: "1ms", max: "200ms")),
            (from: "tx", to: "b", latency: Uniform(min: "1ms", max: "200ms")),
        ],
        workload: [
            Request(at: "10ms", from: "shop", to: "tx", op: Write(id: "t", value: Text("go"))),
        ],
    )"#;
    let s = from_str(text, "reorder.ron").unwrap_or_else(|e| panic!("{e}"));
    let mut overtaken = 0;
    for seed in 1..=20 {
        let t = common::run(&s, seed);
        let mut series = settle::trace::query::Series::new(&t);
        series.finish(t.until);
        assert_eq!(
            series.locks.last(),
            Some(&0.0),
            "seed {seed}: a lock is left"
        );
        // Count the runs where some participant took its lock after the
        // decision reached it.
        for who in ["a", "b"] {
            let decided = deliveries(&t, who, |b| {
                matches!(
                    b,
                    Body::Request {
                        op: ReqOp::Decide { .. },
                        ..
                    }
                )
            });
            let prepared = deliveries(&t, who, |b| {
                matches!(
                    b,
                    Body::Request {
                        op: ReqOp::Prepare { .. },
                        ..
                    }
                )
            });
            if decided.first() < prepared.first() {
                overtaken += 1;
            }
        }
    }
    assert!(overtaken > 0, "no run reordered a prepare and its abort");
}
