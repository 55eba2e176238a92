//! The data behind the patterns, read from the trace: outbox rows and
//! whether the relay sent them, the relay's saved offset against the end of
//! the log, a broker's unacknowledged deliveries, a projection's checkpoint.

mod common;

use settle::model::NodeIdx;
use settle::scenario::Scenario;
use settle::trace::Trace;
use settle::trace::query::{Index, Pipeline, checkpoint};

fn lesson(file: &str) -> Scenario {
    common::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file),
    )
}

fn idx(s: &Scenario, id: &str) -> NodeIdx {
    s.nodes.iter().position(|n| n.id == id).expect(id) as NodeIdx
}

fn upto_time(t: &Trace, at: u64) -> usize {
    t.first_step_at(at + 1)
}

#[test]
fn outbox_rows_are_published_by_the_relay_and_its_offset_reaches_the_log_end() {
    let s = lesson("04-outbox-and-cdc.ron");
    let t = common::run(&s, s.seed);
    let (db, relay) = (idx(&s, "db-b"), idx(&s, "relay"));
    let mut p = Pipeline::new(&s);
    let end = p.at(&t, t.steps.len());
    let rows = end.outbox(db);
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.published.is_some()), "{rows:?}");
    for r in &rows {
        assert_eq!(t.names.get(r.topic), "order-placed");
        assert!(r.published.unwrap() >= r.committed);
    }
    // The left database has no outbox.
    assert!(end.outbox(idx(&s, "db-a")).is_empty());
    let pos = end.relay(relay).expect("a relay");
    assert_eq!(pos.saved, pos.log_end, "{pos:?}");
    assert_eq!(pos.published as usize, rows.len());
    assert!(end.relay(db).is_none());
    // Right after the first commit the row waits, and the offset lags.
    let first = rows[0].committed;
    let at = p.at(&t, upto_time(&t, first));
    let row = at.outbox(db)[0];
    assert_eq!(row.published, None);
    let pos = at.relay(relay).unwrap();
    assert!(pos.saved < pos.log_end, "{pos:?}");
}

#[test]
fn the_fold_gives_the_same_answer_moving_forward_or_starting_afresh() {
    let s = lesson("04-outbox-and-cdc.ron");
    let t = common::run(&s, s.seed);
    let (db, relay, bus) = (idx(&s, "db-b"), idx(&s, "relay"), idx(&s, "bus"));
    let mut walking = Pipeline::new(&s);
    let mut last_saved = 0;
    for k in (0..=t.steps.len()).step_by(7) {
        let w = walking.at(&t, k);
        let (wo, wr, wu) = (w.outbox(db), w.relay(relay), w.unacked(bus));
        let mut fresh = Pipeline::new(&s);
        let f = fresh.at(&t, k);
        assert_eq!(wo, f.outbox(db), "at step {k}");
        assert_eq!(wr, f.relay(relay), "at step {k}");
        assert_eq!(wu, f.unacked(bus), "at step {k}");
        let pos = wr.unwrap();
        assert!(pos.saved <= pos.log_end, "at step {k}: {pos:?}");
        assert!(
            pos.saved >= last_saved,
            "the saved offset went back at step {k}"
        );
        last_saved = pos.saved;
    }
    // Moving back starts again and agrees too.
    let back = walking.at(&t, 40).outbox(db);
    assert_eq!(back, Pipeline::new(&s).at(&t, 40).outbox(db));
}

#[test]
fn a_cut_subscriber_piles_up_unacknowledged_deliveries_until_it_heals() {
    let s = lesson("03-event-driven-replication.ron");
    let t = common::run(&s, s.seed);
    let (bus, recommend, search) = (idx(&s, "bus"), idx(&s, "recommend"), idx(&s, "search"));
    let mut p = Pipeline::new(&s);
    let during = p
        .at(&t, upto_time(&t, 2_400_000))
        .unacked(bus)
        .expect("at least once");
    assert!(
        during.get(&recommend).copied().unwrap_or(0) >= 2,
        "{during:?}"
    );
    assert!(during.get(&search).copied().unwrap_or(0) <= 1, "{during:?}");
    let end = p.at(&t, t.steps.len()).unacked(bus).unwrap();
    assert_eq!(end.values().sum::<u32>(), 0, "{end:?}");
}

#[test]
fn an_at_most_once_broker_has_no_acknowledgements_to_wait_for() {
    let s = lesson("03-event-driven-replication.ron");
    let broken = s.challenges[0].drawing();
    let t = common::run(&broken, broken.seed);
    let mut p = Pipeline::new(&broken);
    assert_eq!(p.at(&t, t.steps.len()).unacked(idx(&broken, "bus")), None);
}

#[test]
fn a_projections_checkpoint_counts_the_events_it_folded_per_topic() {
    let s = lesson("05-cqrs.ron");
    let t = common::run(&s, s.seed);
    let index = Index::new(&t);
    let view = idx(&s, "view");
    let table = t
        .names
        .find("orders-by-customer checkpoint")
        .expect("a checkpoint table");
    let marks = checkpoint(&t, &index, view, table, t.steps.len());
    let of = |topic: &str| {
        marks
            .iter()
            .find(|(x, _)| t.names.get(*x) == topic)
            .map_or(0, |(_, k)| *k)
    };
    assert_eq!(of("order-events"), 3, "{marks:?}");
    assert!(of("customer-events") >= 1, "{marks:?}");
    assert!(checkpoint(&t, &index, view, table, 0).is_empty());
}
