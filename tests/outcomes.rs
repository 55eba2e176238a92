//! A timeout is an unknown outcome, not a failure, and every view says so;
//! a retry carrying an idempotency key is done once, a retry without one
//! twice; a projection rebuild's replays are not duplicates applied.

mod common;

use proptest::prelude::*;
use settle::check::{self, Monitor};
use settle::export::{self, Format, View};
use settle::model::{Key, deliver_flags};
use settle::scenario::{Expectation, Fault, NodeKind, Scenario, from_str};
use settle::trace::Trace;
use settle::trace::query::{Index, UNKNOWN_OUTCOME, timeout_at, timeout_said, timeouts};

fn lesson(name: &str) -> Scenario {
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))
        .expect("preset exists");
    common::load(&path)
}

/// The lesson with its clients' retries and keys set as given.
fn clients(mut s: Scenario, retries: u32, key: bool) -> Scenario {
    for n in &mut s.nodes {
        if let NodeKind::Client(c) = &mut n.kind {
            c.retries = retries;
            c.idempotency_key = key;
        }
    }
    s
}

/// How many writes node `node` committed to `table`/`id`.
fn commits(trace: &Trace, node: &str, table: &str, id: &str) -> usize {
    let n = trace.nodes.iter().position(|x| x.id == node).expect("node") as u16;
    let key = Key {
        table: trace.names.find(table).expect("table"),
        id: trace.names.find(id).expect("id"),
    };
    trace
        .all_changes()
        .filter(|c| trace.change_node(*c) == n)
        .filter(|c| trace.change_record(*c).is_some_and(|r| r.key == key))
        .count()
}

fn monitor(trace: &Trace, which: Monitor) -> u64 {
    let index = Index::new(trace);
    check::monitors(trace, &index, trace.steps.len())
        .into_iter()
        .find(|m| m.monitor == which)
        .unwrap_or_else(|| panic!("no monitor {which:?}"))
        .count
}

#[test]
fn a_timeout_is_an_unknown_outcome_and_every_view_says_so() {
    // Lesson 4 with a client that does not retry: it times out on order
    // 1002 on both sides, although both databases committed the order.
    let s = clients(lesson("04-"), 0, false);
    let trace = common::run(&s, s.seed);
    let outs: Vec<(usize, bool)> = timeouts(&trace, trace.steps.len()).collect();
    assert_eq!(outs.len(), 2, "one timeout per side");
    for &(i, retried) in &outs {
        assert!(!retried);
        assert_eq!(trace.step_time(i), 1_900_000);
        let t = timeout_at(&trace, i).expect("a timeout");
        assert!(t.request.is_some(), "the timeout names its request");
        let said = timeout_said(&trace, i).expect("words");
        assert!(
            said.contains("1002") && said.contains(UNKNOWN_OUTCOME),
            "{said}"
        );
        assert!(!said.contains("fail"), "{said}");
    }
    // The outcome was unknown, not failed: the order was in fact placed.
    let mut placed = s.clone();
    placed.expect = vec![Expectation::FinalValue {
        table: "orders-dual".into(),
        id: "1002".into(),
        value: "a lamp".into(),
        at: None,
    }];
    assert!(check::evaluate(&placed, &trace)[0].passed);
    // The check and the monitor word it so.
    let mut answered = s.clone();
    answered.expect = vec![Expectation::AllAnswered {
        client: "checkout".into(),
    }];
    let o = check::evaluate(&answered, &trace).remove(0);
    assert!(!o.passed && o.why.contains(UNKNOWN_OUTCOME), "{}", o.why);
    assert_eq!(monitor(&trace, Monitor::UnknownOutcomes), 2);
    // The exported diagram draws it as its own row, in its own colour.
    let svg = export::export(
        &s,
        s.seed,
        &export::Request::new(View::Diagram, Format::Svg),
    )
    .expect("exports");
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(
        svg.contains(UNKNOWN_OUTCOME),
        "the diagram shows no unknown outcome"
    );
    let hex = {
        let [r, g, b] = export::palette::UNKNOWN_RGB;
        format!("#{r:02x}{g:02x}{b:02x}")
    };
    assert!(svg.to_lowercase().contains(&hex), "no {hex} in the diagram");
    let mut mermaid = Vec::new();
    settle::trace::export::write_mermaid(&trace, &s, &mut mermaid).expect("writes");
    assert!(String::from_utf8_lossy(&mermaid).contains(UNKNOWN_OUTCOME));
}

#[test]
fn a_retry_with_the_key_orders_once_and_without_it_twice() {
    // Lesson 4 as shipped: Checkout retries order 1002 with its key.
    let s = lesson("04-");
    let keyed = common::run(&s, s.seed);
    for (db, table) in [("db-a", "orders-dual"), ("db-b", "orders-outbox")] {
        assert_eq!(commits(&keyed, db, table, "1002"), 1, "{db} ordered twice");
    }
    // Each database recognised the key before the step that says so
    // (at 1.92 s) begins.
    let replays: Vec<u64> = keyed
        .steps
        .iter()
        .enumerate()
        .filter(|(_, st)| st.flags & deliver_flags::DUPLICATE_IGNORED != 0)
        .filter(|(_, st)| matches!(keyed.nodes[st.node as usize].id.as_str(), "db-a" | "db-b"))
        .map(|(i, _)| keyed.step_time(i))
        .collect();
    assert_eq!(replays.len(), 2, "each database recognised the key");
    assert!(
        replays.iter().all(|&t| t > 1_900_000 && t < 1_920_000),
        "{replays:?}"
    );
    assert!(timeouts(&keyed, keyed.steps.len()).all(|(_, retried)| retried));
    // The same retry without a key commits the order a second time.
    let bare = clients(s.clone(), 1, false);
    let plain = common::run(&bare, bare.seed);
    for (db, table) in [("db-a", "orders-dual"), ("db-b", "orders-outbox")] {
        assert_eq!(commits(&plain, db, table, "1002"), 2, "{db}");
    }
    // Lesson 8: Bob is paid once with the key, twice without; the key
    // does not finish the half-done change on the left.
    let s = lesson("08-");
    let keyed = common::run(&s, s.seed);
    assert_eq!(commits(&keyed, "db-b", "balances-b", "bob"), 1);
    assert_eq!(commits(&keyed, "db-a", "balances-a", "bob"), 1);
    assert_eq!(commits(&keyed, "db-a", "journal-a", "bob"), 0);
    let bare = clients(s.clone(), 1, false);
    let plain = common::run(&bare, bare.seed);
    assert_eq!(commits(&plain, "db-b", "balances-b", "bob"), 2);
}

/// A client, an account service with a database, and a link cut one way
/// for `cut_ms`: the write is done, its answer is lost, the client cannot
/// tell, and retries.
fn lossy(retries: u32, key: bool, cut_ms: u64) -> Scenario {
    let src = format!(
        r#"(
    title: "Retry",
    seed: 1,
    until: "5s",
    nodes: [
        (id: "c", name: "Client", pos: (0, 0), kind: Client(timeout: "200ms", retries: {retries}, idempotency_key: {key})),
        (id: "svc", name: "Accounts", pos: (200, 0), kind: Service(table: "accounts", database: "db")),
        (id: "db", name: "DB", pos: (400, 0), kind: Database()),
    ],
    links: [
        (from: "c", to: "svc", latency: Fixed("5ms")),
        (from: "svc", to: "db", latency: Fixed("3ms")),
    ],
    workload: [
        Request(at: "100ms", from: "c", to: "svc", op: Write(id: "alice", value: Int(10))),
    ],
    faults: [
        Partition(at: "101ms", links: [("svc", "c")], one_way: true),
        Heal(at: "{heal}ms", links: [("svc", "c")]),
    ],
)"#,
        heal = 101 + cut_ms
    );
    from_str(&src, "retry.ron").unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// However long the answers are lost and however often the client
    /// retries, a keyed write commits once; without the key every try
    /// commits again.
    #[test]
    fn a_keyed_retry_commits_once_and_a_bare_one_every_time(retries in 1u32..=3, cut in 50u64..900) {
        let s = lossy(retries, true, cut);
        let t = common::run(&s, s.seed);
        prop_assert_eq!(commits(&t, "db", "accounts", "alice"), 1);
        let s = lossy(retries, false, cut);
        let t = common::run(&s, s.seed);
        let tries = 1 + timeouts(&t, t.steps.len()).filter(|(_, r)| *r).count();
        prop_assert!(tries > 1, "the client never retried");
        prop_assert_eq!(commits(&t, "db", "accounts", "alice"), tries);
    }
}

#[test]
fn a_rebuilds_replays_are_not_duplicates_applied() {
    let s = lesson("05-");
    assert!(
        s.faults.iter().any(|f| matches!(f, Fault::Rebuild { .. })),
        "lesson 5 rebuilds its projection"
    );
    let trace = common::run(&s, s.seed);
    assert_eq!(monitor(&trace, Monitor::DuplicatesApplied), 0);
}

#[test]
fn the_client_options_are_checked_with_plain_words() {
    let base = lesson("04-");
    let bad = |retries: u32, key: bool| {
        let s = clients(base.clone(), retries, key);
        let text = settle::scenario::to_ron(&s).expect("saves");
        from_str(&text, "x.ron").expect_err("refused").to_string()
    };
    let e = bad(9, true);
    assert!(e.contains("at most 5 times") && e.contains("9"), "{e}");
    let e = bad(0, true);
    assert!(e.contains("idempotency key matters only to a retry"), "{e}");
    // A keyed client's writes must go to a service.
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("04-"))
        .expect("preset exists");
    let text = std::fs::read_to_string(path).expect("reads");
    let link = r#"(from: "checkout", to: "orders-b", latency: Fixed("5ms")),"#;
    let work = r#"workload: ["#;
    assert!(text.contains(link) && text.contains(work));
    let text = text
        .replacen(link, &format!(r#"{link} (from: "checkout", to: "shipping-a", latency: Fixed("5ms")),"#), 1)
        .replacen(
            work,
            r#"workload: [ Request(at: "400ms", from: "checkout", to: "shipping-a", op: Write(id: "9", value: Text("x"))),"#,
            1,
        );
    let e = from_str(&text, "x.ron").expect_err("refused").to_string();
    assert!(e.contains("only a service stores"), "{e}");
}
