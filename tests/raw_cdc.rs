//! Raw change data capture and a schema change (lesson 04b): a connector
//! that captures a table publishes each row change with the row's columns;
//! after the owner renames a column, the consumer of those row changes
//! loses the field while the consumer of the owner's published event keeps
//! it; an upcaster mends the first; the file reads back as written; and a
//! capture or a rename that names what is not there is refused where it
//! is written.

mod common;

use settle::check;
use settle::model::{Body, value_text};
use settle::scenario::{Expectation, Fault, NodeKind, Scenario, from_str, to_ron};
use settle::trace::Trace;

const LESSON: &str = "04b-cdc-and-event-contracts.ron";

fn lesson() -> Scenario {
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(LESSON))
        .expect("the lesson exists");
    common::load(&path)
}

/// The record values of the events node `id` sent, in order.
fn published_by(trace: &Trace, id: &str) -> Vec<String> {
    let node = trace
        .nodes
        .iter()
        .position(|n| n.id == id)
        .expect("node exists") as u16;
    trace
        .messages
        .iter_from(0)
        .filter(|m| trace.sender(m) == node)
        .filter_map(|m| match trace.body(m.body) {
            Some(Body::Event { record, .. }) => Some(format!(
                "{}:{}",
                trace.names.get(record.key.id),
                value_text(&trace.names, record.value)
            )),
            _ => None,
        })
        .collect()
}

fn final_value(table: &str, id: &str, value: &str) -> Expectation {
    Expectation::FinalValue {
        table: table.into(),
        id: id.into(),
        value: value.into(),
        at: None,
    }
}

/// Each expectation's verdict on a run of `s`, with why.
fn verdicts(s: &Scenario, expect: Vec<Expectation>) -> Vec<(bool, String)> {
    let mut s = s.clone();
    s.expect = expect;
    let trace = common::run(&s, s.seed);
    check::evaluate(&s, &trace)
        .into_iter()
        .map(|o| (o.passed, format!("{} — {}", o.what, o.why)))
        .collect()
}

#[test]
fn a_table_capture_publishes_each_row_change_with_the_rows_columns() {
    let s = lesson();
    let trace = common::run(&s, s.seed);
    let mut raw = published_by(&trace, "rows");
    raw.dedup();
    // One event per committed change of the table, the row as the table
    // has it: before the rename with city, after it with town. The outbox
    // rows committed beside them are not the capture's to publish.
    assert_eq!(
        raw,
        [
            "ann:name=Ann city=Oslo",
            "bo:name=Bo city=Lima",
            "cy:name=Cy town=Rome",
            "ann:name=Ann town=Bergen",
        ]
    );
    let mut published = published_by(&trace, "relay");
    published.dedup();
    assert_eq!(
        published,
        [
            "ann:name=Ann city=Oslo",
            "bo:name=Bo city=Lima",
            "cy:name=Cy city=Rome",
            "ann:name=Ann city=Bergen",
        ],
        "the outbox carries the event the owner maps, in the shape it promised"
    );
}

#[test]
fn after_the_rename_the_row_consumer_loses_the_field_and_the_event_consumer_does_not() {
    let s = lesson();
    let after = verdicts(
        &s,
        vec![
            final_value("mailing-rows", "cy", "name=Cy city=—"),
            final_value("mailing-rows", "ann", "name=Ann city=—"),
            final_value("mailing-rows", "bo", "name=Bo city=Lima"),
            final_value("mailing-events", "cy", "name=Cy city=Rome"),
            final_value("mailing-events", "ann", "name=Ann city=Bergen"),
            final_value("customers", "cy", "name=Cy town=Rome"),
        ],
    );
    for (passed, why) in &after {
        assert!(passed, "{why}");
    }
    // Without the rename both lists keep every city: the rename is what
    // breaks the row consumer.
    let mut unchanged = s.clone();
    unchanged.faults.clear();
    let before = verdicts(
        &unchanged,
        vec![
            final_value("mailing-rows", "cy", "name=Cy city=Rome"),
            final_value("mailing-rows", "ann", "name=Ann city=Bergen"),
            final_value("customers", "cy", "name=Cy city=Rome"),
        ],
    );
    for (passed, why) in &before {
        assert!(passed, "{why}");
    }
}

#[test]
fn an_upcaster_reads_events_of_both_shapes() {
    let s = lesson();
    let v = s.variant(0).expect("the upcaster variant");
    let trace = common::run(&v, v.seed);
    let outcomes = check::evaluate(&v, &trace);
    assert!(outcomes.len() >= 3);
    for o in &outcomes {
        assert!(o.passed, "{} — {}", o.what, o.why);
    }
    // The same consumer reading town without the upcaster misses the
    // customers written before the rename.
    let mut plain = v.clone();
    for n in &mut plain.nodes {
        if let NodeKind::Projection(p) = &mut n.kind {
            for src in &mut p.sources {
                src.upcast.clear();
            }
        }
    }
    let got = verdicts(
        &plain,
        vec![
            final_value("mailing-rows", "bo", "name=Bo town=—"),
            final_value("mailing-rows", "cy", "name=Cy town=Rome"),
        ],
    );
    for (passed, why) in &got {
        assert!(passed, "{why}");
    }
}

#[test]
fn the_lesson_file_reads_back_as_written_and_the_default_capture_is_not_spelt() {
    let s = lesson();
    let text = to_ron(&s).expect("serialises");
    assert!(text.contains("capture: Table(\"customers\")"), "{text}");
    assert!(text.contains("RenameColumn("), "{text}");
    assert!(text.contains("upcast: [(\"city\", \"town\")]"), "{text}");
    let back = from_str(&text, "saved.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, s);
    // The outbox relay captures the outbox, which goes without saying.
    let relay = text
        .lines()
        .find(|l| l.contains("\"relay\""))
        .expect("the relay's line");
    assert!(!relay.contains("capture"), "{relay}");
    assert!(
        s.faults
            .iter()
            .any(|f| matches!(f, Fault::RenameColumn { .. })),
        "the rename is a fault of the file"
    );
}

/// The lesson's text with one string replaced, loaded.
fn with(from: &str, to: &str) -> settle::scenario::ScenarioError {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/04b-cdc-and-event-contracts.ron"
    ))
    .expect("reads");
    assert!(text.contains(from), "{from}");
    let bad = text.replacen(from, to, 1);
    from_str(&bad, "lesson.ron").expect_err("refused")
}

/// The line and column where `needle` first is in the lesson once `from`
/// is replaced by `to`.
fn place_of(from: &str, to: &str, needle: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/04b-cdc-and-event-contracts.ron"
    ))
    .expect("reads")
    .replacen(from, to, 1);
    let at = text.find(needle).expect("needle");
    let line = text[..at].lines().count().max(1);
    let line = if text[..at].ends_with('\n') {
        line + 1
    } else {
        line
    };
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn a_capture_or_rename_of_what_is_not_there_is_refused_where_it_is_written() {
    let e = with(
        "capture: Table(\"customers\")",
        "capture: Table(\"clients\")",
    );
    assert!(
        e.message.contains("no service keeps a table \"clients\""),
        "{e}"
    );
    let (line, _) = place_of(
        "capture: Table(\"customers\")",
        "capture: Table(\"clients\")",
        "\"clients\"",
    );
    assert_eq!(e.line, line, "{e}");

    let e = with(
        "from: \"city\", to: \"town\"",
        "from: \"cty\", to: \"town\"",
    );
    assert!(
        e.message
            .contains("no row of \"customers\" has a column \"cty\"")
            && e.message.contains("name, city"),
        "{e}"
    );
    let (line, col) = place_of(
        "from: \"city\", to: \"town\"",
        "from: \"cty\", to: \"town\"",
        "\"cty\"",
    );
    assert_eq!((e.line, e.col), (line, col), "{e}");

    let e = with(
        "table: \"customers\", from: \"city\"",
        "table: \"orders\", from: \"city\"",
    );
    assert!(
        e.message
            .contains("owns the table \"customers\", not \"orders\""),
        "{e}"
    );

    let e = with("to: \"town\"),", "to: \"my town\"),");
    assert!(e.message.contains("no spaces"), "{e}");

    let e = with(
        "topic: \"customers.rows\", poll: \"40ms\", capture",
        "poll: \"40ms\", capture",
    );
    assert!(e.message.contains("needs a topic"), "{e}");
}

#[test]
fn a_renamed_column_can_be_renamed_again_and_the_event_keeps_its_first_name() {
    let mut s = lesson();
    s.faults.push(Fault::RenameColumn {
        at: settle::scenario::Dur::ms(2000),
        node: "customers".into(),
        table: "customers".into(),
        from: "town".into(),
        to: "place".into(),
    });
    // The file with both renames is accepted.
    let text = to_ron(&s).expect("serialises");
    let s = from_str(&text, "twice.ron").unwrap_or_else(|e| panic!("{e}"));
    let got = verdicts(
        &s,
        vec![
            final_value("customers", "ann", "name=Ann place=Bergen"),
            final_value("customers", "cy", "name=Cy town=Rome"),
            final_value("mailing-events", "ann", "name=Ann city=Bergen"),
        ],
    );
    for (passed, why) in &got {
        assert!(passed, "{why}");
    }
}

/// The rename is a moment of the run: the diagram, the event log and the
/// exported trace all show it where it happened, in the team's words.
#[test]
fn the_rename_is_recorded_at_its_moment() {
    let s = lesson();
    let trace = common::run(&s, s.seed);
    let said: Vec<(u64, String)> = trace
        .faults
        .iter()
        .map(|f| (f.at, settle::trace::export::fault_said(&trace, &f.fault)))
        .collect();
    assert!(
        said.iter()
            .any(|(at, words)| *at == 1_200_000 && words == "Customers renames column city to town"),
        "the rename is not among the run's faults: {said:?}"
    );
}
