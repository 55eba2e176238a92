//! A table's starting rows: in place at 0 s with no message, at the owner
//! and at every copy of the whole table, and refused with a place in the
//! file when there are too many or one is wrong.

mod common;

use settle::scenario;
use settle::sim::Engine;
use settle::trace::query::Index;

/// A catalog with two starting rows in its database, followed by a
/// replica, and no workload at all.
const CATALOG: &str = r#"(
    title: "Starting rows",
    seed: 3,
    until: "500ms",
    nodes: [
        (id: "catalog", pos: (0, 0), kind: Service(table: "products", database: "db",
            publish: (broker: "bus", topic: "products"),
            rows: [("lamp", Text("a lamp, 30")), ("mug", Int(4))])),
        (id: "db", pos: (0, 100), kind: Database()),
        (id: "bus", pos: (100, 0), kind: Broker(delivery: AtMostOnce)),
        (id: "search", pos: (200, 0), kind: Replica(broker: "bus", topic: "products", table: "products")),
    ],
    links: [
        (from: "catalog", to: "db", latency: Fixed("2ms")),
        (from: "catalog", to: "bus", latency: Fixed("2ms")),
        (from: "bus", to: "search", latency: Fixed("2ms")),
    ],
)"#;

fn values_at_start(t: &settle::trace::Trace, node: &str) -> Vec<(String, String)> {
    let index = Index::new(t);
    let n = t
        .nodes
        .iter()
        .position(|i| i.id == node)
        .expect("node exists") as u16;
    // The moment 0 s shows every step at 0 s.
    let upto = t.first_step_at(1);
    index
        .store_at(t, n, upto)
        .iter()
        .map(|r| {
            (
                t.key_text(r.key),
                settle::model::value_text(&t.names, r.value),
            )
        })
        .collect()
}

#[test]
fn starting_rows_are_there_at_zero_seconds_without_a_message() {
    let s = scenario::from_str(CATALOG, "catalog.ron").unwrap_or_else(|e| panic!("{e}"));
    let mut e = Engine::new(&s, 3).expect("builds");
    e.run();
    let t = e.trace();
    assert_eq!(t.messages.len(), 0, "no message puts the rows in place");
    let want = vec![
        ("products/lamp".to_string(), "a lamp, 30".to_string()),
        ("products/mug".to_string(), "4".to_string()),
    ];
    assert_eq!(
        values_at_start(t, "db"),
        want,
        "the owner holds them at 0 s"
    );
    assert_eq!(
        values_at_start(t, "search"),
        want,
        "a copy of the whole table starts with them too"
    );
    // Same version at the owner and at the copy: they agree from the start.
    let index = Index::new(t);
    let upto = t.first_step_at(1);
    let db = index.store_at(t, 1, upto);
    let copy = index.store_at(t, 3, upto);
    assert_eq!(
        db.iter().map(|r| r.version).collect::<Vec<_>>(),
        copy.iter().map(|r| r.version).collect::<Vec<_>>()
    );
    assert!(
        index.divergent_keys(t, db[0].key.table, upto).is_empty(),
        "the copy agrees with its owner at 0 s"
    );
    // The live store the service reads from holds them as well.
    let store = e.store(1).expect("a database keeps a store");
    assert_eq!(store.len(), 2);
}

#[test]
fn a_read_of_a_starting_row_answers_it() {
    let src = CATALOG
        .replace(
            "nodes: [",
            r#"nodes: [ (id: "web", pos: (0, 200), kind: Client()),"#,
        )
        .replace(
            "links: [",
            r#"workload: [Request(at: "10ms", from: "web", to: "catalog", op: Read(id: "lamp"))], expect: [AnswerContains(client: "web", text: "a lamp, 30")], links: [(from: "web", to: "catalog", latency: Fixed("2ms")),"#,
        );
    let s = scenario::from_str(&src, "catalog.ron").unwrap_or_else(|e| panic!("{e}"));
    let t = common::run(&s, 3);
    let verdicts = settle::check::evaluate(&s, &t);
    assert!(
        !verdicts.is_empty() && verdicts.iter().all(|v| v.passed),
        "{verdicts:?}"
    );
}

#[test]
fn too_many_starting_rows_are_refused_where_they_are_written() {
    let rows: Vec<String> = (0..=scenario::MAX_STARTING_ROWS)
        .map(|i| format!("(\"r{i}\", Int({i}))"))
        .collect();
    let src = CATALOG.replace(
        r#"rows: [("lamp", Text("a lamp, 30")), ("mug", Int(4))]"#,
        &format!("rows: [{}]", rows.join(", ")),
    );
    let err = scenario::from_str(&src, "catalog.ron").expect_err("too many rows");
    let text = err.to_string();
    assert!(text.contains("at most 1000"), "{text}");
    assert!(
        text.starts_with("catalog.ron:8:"),
        "located at the rows field: {text}"
    );
}

#[test]
fn a_starting_row_given_twice_or_without_a_value_is_refused() {
    let twice = CATALOG.replace(r#"("mug", Int(4))"#, r#"("lamp", Int(4))"#);
    let err = scenario::from_str(&twice, "catalog.ron")
        .expect_err("twice")
        .to_string();
    assert!(err.contains("row \"lamp\" twice"), "{err}");
    let seq = CATALOG.replace(r#"("mug", Int(4))"#, r#"("mug", Seq)"#);
    let err = scenario::from_str(&seq, "catalog.ron")
        .expect_err("Seq")
        .to_string();
    assert!(err.contains("needs a value"), "{err}");
}
