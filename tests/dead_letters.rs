//! Dead letters are for poison messages, and duplicates come from real
//! causes. A consumer that is down parks nothing (its messages wait); a
//! running consumer that keeps rejecting a poison event gets it parked
//! after the broker's attempt limit; a re-drive after the fix delivers it
//! behind the key's newer events; a lost acknowledgement, and a producer
//! resending a publish, each make a duplicate the idempotent consumer
//! absorbs. Each test also runs without the cause and shows the effect go.

mod common;

use settle::check::{self, Monitor};
use settle::model::{Body, EventId, deliver_flags};
use settle::scenario::{Expectation, Fault, Scenario, from_str};
use settle::trace::query::Index;
use settle::trace::{StepKind, Trace};

/// A till, a service publishing stock changes, a broker giving up after
/// `max` rejections, and one consumer `wh`, with `extra` faults and work.
fn stock(max: u32, dedup: bool, work: &str, faults: &str) -> Scenario {
    let text = format!(
        r#"(
        title: "stock",
        until: "5s",
        nodes: [
            (id: "till", kind: Client()),
            (id: "inv", kind: Service(table: "stock", publish: (broker: "bus", topic: "s"), events: Change)),
            (id: "bus", kind: Broker(delivery: AtLeastOnce(ack_timeout: "50ms"), max_attempts: {max})),
            (id: "wh", kind: Replica(broker: "bus", topic: "s", table: "stock", dedup: {dedup})),
        ],
        links: [
            (from: "till", to: "inv"),
            (from: "inv", to: "bus"),
            (from: "bus", to: "wh", latency: Uniform(min: "5ms", max: "20ms")),
        ],
        workload: [
            Request(at: "10ms", from: "till", to: "inv", op: Write(id: "sku", value: Int(100))),
            Every(start: "100ms", every: "100ms", count: 10, from: "till", to: "inv", op: Write(id: "sku", value: Int(-1))),
            {work}
        ],
        faults: [{faults}],
    )"#
    );
    from_str(&text, "stock.ron").unwrap_or_else(|e| panic!("{e}"))
}

fn parked(trace: &Trace) -> u64 {
    let index = Index::new(trace);
    check::monitors(trace, &index, trace.steps.len())
        .into_iter()
        .find(|m| m.monitor == Monitor::DeadLetters)
        .map_or(0, |m| m.count)
}

fn holds(s: &Scenario, e: Expectation) -> bool {
    let mut s = s.clone();
    s.expect = vec![e];
    let trace = common::run(&s, s.seed);
    check::evaluate(&s, &trace).remove(0).passed
}

fn final_at(value: &str, at: &str) -> Expectation {
    Expectation::FinalValue {
        table: "stock".into(),
        id: "sku".into(),
        value: value.into(),
        at: Some(at.into()),
    }
}

/// Deliveries to node `to` whose receiver flagged `flag`.
fn flagged(trace: &Trace, to: &str, flag: u16) -> usize {
    trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Deliver && trace.node_id(s.node) == to)
        .filter(|s| s.flags & flag != 0)
        .count()
}

/// Messages of kind `kind` ("reject", "ack") sent by `from`.
fn sent_by(trace: &Trace, from: &str, kind: &str) -> usize {
    trace
        .messages
        .iter()
        .filter(|m| trace.node_id(trace.sender(m)) == from)
        .filter(|m| trace.body(m.body).is_some_and(|b| b.kind() == kind))
        .count()
}

#[test]
fn a_consumer_that_is_down_parks_nothing_and_catches_up() {
    // Down from 150 ms to 2 s: a dozen timeouts per delivery, none counted.
    let s = stock(
        2,
        true,
        "",
        r#"Crash(at: "150ms", node: "wh"), Restart(at: "2s", node: "wh")"#,
    );
    let trace = common::run(&s, 7);
    assert!(trace.totals.redeliveries > 10, "the bus kept resending");
    assert_eq!(parked(&trace), 0, "a down consumer's messages wait");
    assert!(holds(&s, final_at("90", "wh")), "it catches up once back");
    // Down for good: its messages wait for ever, still none parked.
    let gone = stock(2, true, "", r#"Crash(at: "150ms", node: "wh")"#);
    let trace = common::run(&gone, 7);
    assert_eq!(parked(&trace), 0);
    assert!(!holds(&gone, final_at("90", "wh")));
}

#[test]
fn a_poison_event_is_parked_after_the_limit_of_rejections() {
    let poison = r#"Request(at: "450ms", from: "till", to: "inv", op: Write(id: "sku", value: Int(-1), poison: true)),"#;
    let s = stock(3, true, poison, "");
    let trace = common::run(&s, 7);
    // The running consumer rejects it each time, and the bus resends it
    // until the third rejection, then parks it.
    assert_eq!(sent_by(&trace, "wh", "reject"), 3);
    assert_eq!(flagged(&trace, "wh", deliver_flags::REJECTED), 3);
    assert_eq!(flagged(&trace, "bus", deliver_flags::DEAD_LETTERED), 1);
    assert_eq!(parked(&trace), 1);
    // Its sale is not counted; the ten others are.
    assert!(holds(&s, final_at("90", "wh")));
    assert!(holds(
        &s,
        Expectation::FinalValue {
            table: "stock".into(),
            id: "sku".into(),
            value: "89".into(),
            at: None,
        }
    ));
    assert!(holds(
        &s,
        Expectation::EveryEventAccounted { topic: "s".into() }
    ));
    // The limit is the broker's: with five, five rejections.
    let trace = common::run(&stock(5, true, poison, ""), 7);
    assert_eq!(sent_by(&trace, "wh", "reject"), 5);
    // The same sale, not poison: nothing rejected, nothing parked.
    let plain = stock(3, true, &poison.replace(", poison: true", ""), "");
    let trace = common::run(&plain, 7);
    assert_eq!(sent_by(&trace, "wh", "reject"), 0);
    assert_eq!(parked(&trace), 0);
    // A re-drive before the fix: rejected three times more, parked again.
    let early = stock(3, true, poison, r#"Redrive(at: "2s", node: "bus")"#);
    let trace = common::run(&early, 7);
    assert_eq!(sent_by(&trace, "wh", "reject"), 6);
    assert_eq!(flagged(&trace, "bus", deliver_flags::DEAD_LETTERED), 2);
    // After the fix the re-drive lands.
    let fixed = stock(
        3,
        true,
        poison,
        r#"Fix(at: "1500ms", node: "wh"), Redrive(at: "2s", node: "bus")"#,
    );
    assert!(holds(&fixed, final_at("89", "wh")));
}

/// The event (publisher and number) of a delivery's body, if an event.
fn event_of(trace: &Trace, body: u32) -> Option<(EventId, bool)> {
    match trace.body(body) {
        Some(Body::Event { event, poison, .. }) => Some((*event, *poison)),
        _ => None,
    }
}

#[test]
fn a_redrive_after_the_fix_delivers_behind_newer_events_of_the_key() {
    let s = common::load(
        &common::presets()
            .into_iter()
            .find(|p| p.to_string_lossy().contains("03b-"))
            .expect("lesson 03b"),
    );
    let trace = common::run(&s, s.seed);
    assert!(parked(&trace) >= 1);
    // Reports' applied deliveries, in order: (event number, poison).
    let applied: Vec<(u32, bool)> = trace
        .steps
        .iter()
        .filter(|st| st.kind == StepKind::Deliver && trace.node_id(st.node) == "reports")
        .filter(|st| st.flags & deliver_flags::REJECTED == 0)
        .filter_map(|st| trace.message(st.id))
        .filter_map(|m| event_of(&trace, m.body))
        .map(|(e, poison)| (e.seq, poison))
        .collect();
    let at = applied
        .iter()
        .position(|&(_, poison)| poison)
        .expect("the poison sale is applied after the re-drive");
    let poison_seq = applied[at].0;
    assert!(
        applied[..at].iter().any(|&(seq, _)| seq > poison_seq),
        "a newer sale of the same key reached Reports first: {applied:?}"
    );
    assert!(holds(&s, final_at_sku1("reports")));
    // Without the fix the re-drive is rejected again: Reports stays short.
    let mut unfixed = s.clone();
    unfixed.faults.retain(|f| !matches!(f, Fault::Fix { .. }));
    unfixed.narration.clear();
    assert!(!holds(&unfixed, final_at_sku1("reports")));
    // Without the re-drive as well.
    let mut no_redrive = s.clone();
    no_redrive
        .faults
        .retain(|f| !matches!(f, Fault::Redrive { .. }));
    no_redrive.narration.clear();
    assert!(!holds(&no_redrive, final_at_sku1("reports")));
    assert!(holds(
        &no_redrive,
        Expectation::EveryEventAccounted {
            topic: "stock-changed".into()
        }
    ));
}

fn final_at_sku1(at: &str) -> Expectation {
    Expectation::FinalValue {
        table: "stock".into(),
        id: "sku-1".into(),
        value: "2".into(),
        at: Some(at.into()),
    }
}

#[test]
fn a_lost_acknowledgement_makes_the_broker_resend_a_duplicate() {
    // The consumer's acknowledgements are lost for a while: it applied each
    // event, yet the bus sends it again.
    let cut = r#"Partition(at: "250ms", links: [("wh", "bus")], one_way: true), Heal(at: "600ms", links: [("wh", "bus")])"#;
    let s = stock(3, true, "", cut);
    let trace = common::run(&s, 7);
    assert!(flagged(&trace, "wh", deliver_flags::DUPLICATE_IGNORED) > 0);
    assert!(holds(&s, final_at("90", "wh")));
    // Without its processed-event table the consumer counts them twice.
    let forgetful = stock(3, false, "", cut);
    assert!(holds(
        &forgetful,
        Expectation::DuplicatesApplied { at_least: 1 }
    ));
    assert!(!holds(&forgetful, final_at("90", "wh")));
    // Nothing lost, nothing resent: no duplicate.
    let calm = stock(3, false, "", "");
    let trace = common::run(&calm, 7);
    assert_eq!(trace.totals.redeliveries, 0);
    assert!(holds(&calm, final_at("90", "wh")));
}

#[test]
fn a_producer_resending_after_a_timeout_publishes_twice() {
    // The bus's acknowledgements to Inventory are lost for a while: the
    // service resends its publishes, and the bus takes each resend as a
    // new message, so the consumer gets the event twice.
    let cut = r#"Partition(at: "250ms", links: [("bus", "inv")], one_way: true), Heal(at: "600ms", links: [("bus", "inv")])"#;
    let s = stock(3, true, "", cut);
    let trace = common::run(&s, 7);
    let resent = trace
        .messages
        .iter()
        .filter(|m| trace.node_id(trace.sender(m)) == "inv" && trace.node_id(m.to) == "bus")
        .filter(|m| m.flags & settle::model::message_flags::REDELIVERY != 0)
        .count();
    assert!(resent > 0, "the producer resent");
    assert!(flagged(&trace, "wh", deliver_flags::DUPLICATE_IGNORED) > 0);
    // The idempotent consumer absorbs it.
    assert!(holds(&s, final_at("90", "wh")));
    // A consumer without the table counts the resent sales twice.
    let forgetful = stock(3, false, "", cut);
    assert!(!holds(&forgetful, final_at("90", "wh")));
}
