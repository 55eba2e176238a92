//! A CDC relay's polls that find nothing fold into one row ("read log from
//! #2 ×12") in the exported diagrams, and no row that carried data is ever
//! folded. Lesson 04 polls every 40 ms for three seconds.

mod common;

use std::path::Path;

use settle::export::{self, Format, Request, View};
use settle::model::Body;
use settle::trace::Trace;
use settle::trace::query::fold;

fn lesson_04() -> (settle::scenario::Scenario, Trace) {
    let s = common::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/04-outbox-and-cdc.ron"
    )));
    let t = common::run(&s, s.seed);
    (s, t)
}

fn polls(t: &Trace) -> usize {
    (0..t.messages.len() as u32)
        .filter(|&m| {
            t.message(m)
                .and_then(|msg| t.body(msg.body))
                .is_some_and(|b| matches!(b, Body::LogPoll { .. }))
        })
        .count()
}

#[test]
fn folding_keeps_every_row_that_carried_data() {
    let (_, t) = lesson_04();
    let rows: Vec<u32> = (0..t.messages.len() as u32).collect();
    let folded = fold::fold(&t, &rows, Some);
    assert!(
        folded.len() * 2 < rows.len(),
        "{} messages fold to only {} rows",
        rows.len(),
        folded.len()
    );
    // Walk the rows group by group: a group of more than one is nothing
    // but idle polls repeating its first; every message that did anything
    // (a poll that brought rows, any other message) is a row of its own.
    let mut at = 0usize;
    let mut data_polls = 0;
    for &(first, times) in &folded {
        assert_eq!(rows[at], first);
        if times > 1 {
            for &m in &rows[at..at + times as usize] {
                assert!(
                    fold::idle_poll(&t, m),
                    "message {m} folded but did something"
                );
                assert!(fold::repeats(&t, first, m) || m == first);
            }
        }
        if !fold::idle_poll(&t, first)
            && t.message(first)
                .and_then(|m| t.body(m.body))
                .is_some_and(|b| matches!(b, Body::LogPoll { .. }))
        {
            data_polls += 1;
        }
        at += times as usize;
    }
    assert_eq!(at, rows.len());
    assert!(data_polls > 0, "no poll brought rows: the lesson changed?");
}

#[test]
fn the_mermaid_export_folds_idle_polls_and_keeps_data() {
    let (s, t) = lesson_04();
    let mut out = Vec::new();
    settle::trace::export::write_mermaid(&t, &s, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("UTF-8");
    let reads: Vec<&str> = text.lines().filter(|l| l.contains("read log")).collect();
    let all = polls(&t);
    assert!(
        reads.len() * 3 < all,
        "{} polls still take {} lines",
        all,
        reads.len()
    );
    assert!(reads.iter().any(|l| l.contains('×')), "{reads:?}");
    // Every log row the relay was sent is still its own arrow.
    let entries = (0..t.messages.len() as u32)
        .filter(|&m| {
            t.message(m)
                .and_then(|msg| t.body(msg.body))
                .is_some_and(|b| matches!(b, Body::LogEntry { .. }))
        })
        .count();
    let entry_lines = text
        .lines()
        .filter(|l| l.contains("->>") && (l.contains(" outbox ") || l.contains(" change ")))
        .count();
    assert!(entries > 0);
    assert!(entry_lines >= entries, "{entry_lines} of {entries}: {text}");
}

#[test]
fn the_svg_diagram_folds_idle_polls() {
    let (s, t) = lesson_04();
    let svg = export::from_trace(&s, &t, &Request::new(View::Diagram, Format::Svg)).expect("svg");
    let text = String::from_utf8(svg).expect("UTF-8");
    let reads = text.matches("read log").count();
    assert!(reads * 3 < polls(&t), "{reads} read-log rows");
    assert!(text.contains("read log from #") && text.contains('×'));
}
