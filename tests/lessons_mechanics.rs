//! The mechanics under the lessons' headlines (issue 10): a projection's
//! version token and rebuild, versioned writes, change events with and
//! without the processed-event table, dead letters and a saga's pivot.
//! Each test switches the mechanism off and shows the lesson's effect go.

mod common;

use settle::check::{self, Monitor};
use settle::model::{Key, Value};
use settle::scenario::{Expectation, Fault, NodeKind, Op, Scenario, Work};
use settle::trace::query::Index;

fn lesson(name: &str) -> Scenario {
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))
        .expect("preset exists");
    common::load(&path)
}

fn outcome(s: &Scenario, e: Expectation) -> check::Outcome {
    let mut s = s.clone();
    s.expect = vec![e];
    let trace = common::run(&s, s.seed);
    check::evaluate(&s, &trace).remove(0)
}

fn answer(client: &str, text: &str) -> Expectation {
    Expectation::AnswerContains {
        client: client.into(),
        text: text.into(),
    }
}

fn final_value(id: &str, value: &str, at: Option<&str>) -> Expectation {
    Expectation::FinalValue {
        table: "stock".into(),
        id: id.into(),
        value: value.into(),
        at: at.map(str::to_string),
    }
}

#[test]
fn the_version_token_turns_a_stale_read_into_a_wait() {
    let s = lesson("05-");
    let trace = common::run(&s, s.seed);
    let with_token = trace.totals.stale_reads;
    assert!(outcome(&s, answer("app", "not caught up")).passed);
    // Without the token the same reads are plain reads: more of them are
    // stale, and the view never says it has not caught up.
    let mut plain = s.clone();
    for w in &mut plain.workload {
        if let Work::Request { op, .. } = w
            && let Op::ReadAfterMyWrite { id } = op
        {
            *op = Op::Read { id: id.clone() };
        }
    }
    plain.narration.clear();
    let trace = common::run(&plain, plain.seed);
    assert!(
        trace.totals.stale_reads > with_token,
        "{} stale with the token, {} without",
        with_token,
        trace.totals.stale_reads
    );
    assert!(!outcome(&plain, answer("app", "not caught up")).passed);
}

/// Lesson 05's run, and how to read the view's row for ann and the
/// rebuild's progress row at a moment (in ms).
struct Rebuilt {
    trace: settle::trace::Trace,
    index: Index,
    node: u16,
    ann: Key,
    progress: Key,
}

impl Rebuilt {
    fn new(s: &Scenario) -> Self {
        let trace = common::run(s, s.seed);
        let index = Index::new(&trace);
        let view = trace.names.find("orders-by-customer").expect("view table");
        let checkpoint = trace
            .names
            .find("orders-by-customer checkpoint")
            .expect("checkpoint table");
        let ann = trace.names.find("ann").expect("ann");
        let row = trace.names.find("rebuilding");
        let node = s.nodes.iter().position(|n| n.id == "view").expect("view") as u16;
        Rebuilt {
            ann: Key {
                table: view,
                id: ann,
            },
            progress: Key {
                table: checkpoint,
                id: row.unwrap_or(u32::MAX),
            },
            trace,
            index,
            node,
        }
    }

    fn at(&self, key: Key, ms: u64) -> Option<Value> {
        self.index
            .record_at(
                &self.trace,
                self.node,
                key,
                self.trace.first_step_at(ms * 1000),
            )
            .map(|(r, _)| r.value)
    }

    fn rebuilding(&self, ms: u64) -> bool {
        matches!(self.at(self.progress, ms), Some(Value::Text(_)))
    }
}

#[test]
fn during_a_rebuild_readers_are_answered_from_the_old_view_only() {
    let s = lesson("05-");
    let r = Rebuilt::new(&s);
    let before = r.at(r.ann, 1990);
    assert!(matches!(before, Some(Value::Text(_))), "{before:?}");
    let mut during = 0;
    for ms in 2000..2600 {
        if r.rebuilding(ms) {
            during += 1;
            assert_eq!(r.at(r.ann, ms), before, "at {ms} ms, mid-rebuild");
        }
    }
    assert!(during > 100, "the rebuild took {during} ms");
    assert!(r.rebuilding(2210), "the read at 2210 ms comes mid-rebuild");
    // That read is answered with the old view's row, whole.
    assert!(outcome(&s, answer("app", "name=Ann orders=2 total=75")).passed);
    assert_eq!(r.at(r.ann, 2500), before, "and the new view is the same");
}

#[test]
fn after_the_switch_the_view_equals_a_fresh_fold_of_the_log() {
    use settle::sim::nodes::projection::{SourceRt, fold};
    let s = lesson("05-");
    let r = Rebuilt::new(&s);
    let switch = (2000..3000)
        .find(|&ms| r.rebuilding(ms) && !r.rebuilding(ms + 1))
        .map(|ms| ms + 1)
        .expect("the rebuild ends");
    // Every event the log took in by then, newest image per key.
    let t = &r.trace;
    let log = s.nodes.iter().position(|n| n.id == "log").expect("log") as u16;
    let mut images: std::collections::BTreeMap<(String, String), (settle::model::Version, String)> =
        Default::default();
    for m in t.messages.iter() {
        if m.to != log || m.fate() != settle::trace::Fate::Delivered || m.at() > switch * 1000 {
            continue;
        }
        if let Some(settle::model::Body::Event { topic, record, .. }) = t.body(m.body) {
            let slot = (
                t.names.get(*topic).to_string(),
                t.names.get(record.key.id).to_string(),
            );
            let value = settle::model::value_text(&t.names, record.value);
            if images.get(&slot).is_none_or(|(v, _)| *v < record.version) {
                images.insert(slot, (record.version, value));
            }
        }
    }
    let Some(NodeKind::Projection(p)) = s.nodes.iter().find(|n| n.id == "view").map(|n| &n.kind)
    else {
        panic!("view is a projection");
    };
    let sources: Vec<SourceRt> = p
        .sources
        .iter()
        .map(|x| SourceRt {
            topic: 0,
            row: x.row.clone(),
            columns: x.columns.clone(),
            upcast: x.upcast.clone(),
        })
        .collect();
    let records: Vec<Vec<(String, String)>> = p
        .sources
        .iter()
        .map(|x| {
            images
                .iter()
                .filter(|((topic, _), _)| *topic == x.topic)
                .map(|((_, id), (_, v))| (id.clone(), v.clone()))
                .collect()
        })
        .collect();
    let fresh = fold(&sources, &records);
    let view: std::collections::BTreeMap<String, String> = r
        .index
        .store_at(t, r.node, t.first_step_at(switch * 1000))
        .into_iter()
        .filter(|x| x.key.table == r.ann.table && x.value != Value::Absent)
        .map(|x| {
            (
                t.names.get(x.key.id).to_string(),
                settle::model::value_text(&t.names, x.value),
            )
        })
        .collect();
    assert!(!fresh.is_empty());
    assert_eq!(view, fresh, "at {switch} ms");
}

#[test]
fn blind_writes_lose_an_update_that_versioned_writes_keep() {
    let s = lesson("06b-");
    let bob = |value: &str| Expectation::FinalValue {
        table: "customers".into(),
        id: "bob".into(),
        value: value.into(),
        at: None,
    };
    assert!(outcome(&s, bob("name=Bob city=Bergen phone=555")).passed);
    let mut blind = s.clone();
    for w in &mut blind.workload {
        if let Work::Request {
            op: Op::Edit { versioned, .. },
            ..
        } = w
        {
            *versioned = false;
        }
    }
    blind.narration.clear();
    let o = outcome(&blind, bob("name=Bob city=Bergen phone=555"));
    assert!(!o.passed, "{}", o.why);
    assert!(!outcome(&blind, Expectation::VersionConflicts { at_least: 1 }).passed);
    let trace = common::run(&blind, blind.seed);
    assert_eq!(trace.totals.lost_updates, 2);
    // And versioned everywhere, nothing is lost.
    let mut careful = s.clone();
    for w in &mut careful.workload {
        if let Work::Request {
            op: Op::Edit { versioned, .. },
            ..
        } = w
        {
            *versioned = true;
        }
    }
    careful.narration.clear();
    assert!(outcome(&careful, Expectation::NoLostUpdate).passed);
}

#[test]
fn without_its_processed_event_table_a_consumer_counts_a_sale_twice() {
    let s = lesson("03b-");
    assert!(outcome(&s, Expectation::DuplicatesApplied { at_least: 1 }).passed);
    assert!(!outcome(&s, final_value("sku-1", "2", Some("warehouse-b"))).passed);
    // Warehouse B with the table: nothing is applied twice, its count is right.
    let mut fixed = s.clone();
    let mut careless_a = s.clone();
    for (scenario, who, dedup) in [
        (&mut fixed, "warehouse-b", true),
        (&mut careless_a, "warehouse-a", false),
    ] {
        for n in &mut scenario.nodes {
            if let NodeKind::Replica(r) = &mut n.kind
                && n.id == who
            {
                r.dedup = dedup;
            }
        }
        scenario.narration.clear();
    }
    assert!(!outcome(&fixed, Expectation::DuplicatesApplied { at_least: 1 }).passed);
    assert!(outcome(&fixed, final_value("sku-1", "2", Some("warehouse-b"))).passed);
    // Warehouse A without it goes wrong the same way.
    assert!(!outcome(&careless_a, final_value("sku-1", "2", Some("warehouse-a"))).passed);
    // With whole-record events the duplicates are harmless even without it.
    let mut records = s.clone();
    for n in &mut records.nodes {
        if let NodeKind::Service(svc) = &mut n.kind {
            svc.events = settle::scenario::EventShape::Record;
        }
    }
    records.narration.clear();
    assert!(!outcome(&records, Expectation::DuplicatesApplied { at_least: 1 }).passed);
}

#[test]
fn a_limited_broker_parks_dead_letters_and_a_redrive_delivers_them() {
    let s = lesson("03b-");
    let trace = common::run(&s, s.seed);
    let index = Index::new(&trace);
    let parked = check::monitors(&trace, &index, trace.steps.len())
        .into_iter()
        .find(|m| m.monitor == Monitor::DeadLetters)
        .map_or(0, |m| m.count);
    assert!(parked > 0);
    assert!(outcome(&s, final_value("sku-1", "2", Some("reports"))).passed);
    // Without the re-drive Reports stays short of the parked changes, yet
    // every event is accounted for: applied, or parked.
    let mut no_redrive = s.clone();
    no_redrive
        .faults
        .retain(|f| !matches!(f, Fault::Redrive { .. }));
    no_redrive.narration.clear();
    assert!(!outcome(&no_redrive, final_value("sku-1", "2", Some("reports"))).passed);
    let accounted = Expectation::EveryEventAccounted {
        topic: "stock-changed".into(),
    };
    assert!(outcome(&no_redrive, accounted.clone()).passed);
    // Without a limit the broker retries for ever: nothing is parked.
    let mut unlimited = s.clone();
    for n in &mut unlimited.nodes {
        if let NodeKind::Broker(b) = &mut n.kind {
            b.max_attempts = None;
        }
    }
    unlimited
        .faults
        .retain(|f| !matches!(f, Fault::Redrive { .. }));
    unlimited.narration.clear();
    assert!(!outcome(&unlimited, Expectation::DeadLettered { at_least: 1 }).passed);
}

#[test]
fn after_the_pivot_a_silent_service_is_retried_not_compensated() {
    let s = lesson("07-");
    let settled = |completed, compensated| Expectation::SagasSettled {
        completed_at_least: completed,
        compensated_at_least: compensated,
    };
    assert!(outcome(&s, settled(2, 1)).passed);
    let mut no_pivot = s.clone();
    for n in &mut no_pivot.nodes {
        if let NodeKind::Orchestrator(o) = &mut n.kind {
            o.pivot = None;
        }
    }
    no_pivot.narration.clear();
    let o = outcome(&no_pivot, settled(2, 1));
    assert!(!o.passed, "without the pivot order 14 is undone: {}", o.why);
    assert!(outcome(&no_pivot, settled(1, 2)).passed);
}

#[test]
fn a_pending_mark_keeps_others_off_the_reserved_stock() {
    let s = lesson("07-");
    let refused = answer("clerk", "held by a saga still running");
    let settled = Expectation::SagasSettled {
        completed_at_least: 2,
        compensated_at_least: 1,
    };
    assert!(outcome(&s, refused.clone()).passed);
    assert!(outcome(&s, settled.clone()).passed);
    // Without the semantic lock the clerk takes the stock of an order the
    // saga then completes: a completed saga whose stock is gone.
    let mut unlocked = s.clone();
    for n in &mut unlocked.nodes {
        if let NodeKind::Orchestrator(o) = &mut n.kind {
            for st in &mut o.steps {
                st.pending = false;
            }
        }
    }
    unlocked.narration.clear();
    assert!(!outcome(&unlocked, refused).passed);
    let o = outcome(&unlocked, settled);
    assert!(!o.passed, "{}", o.why);
    assert!(o.why.contains("does not hold \"reserved\""), "{}", o.why);
}

#[test]
fn rebuilding_a_projection_fed_by_a_queue_is_refused() {
    let s = lesson("05-");
    let why = |s: &Scenario| settle::scenario::problem(s).into_iter().collect::<Vec<_>>();
    assert!(why(&s).is_empty(), "{:?}", why(&s));
    let mut queue = s.clone();
    for n in &mut queue.nodes {
        if n.id == "log" {
            n.kind = NodeKind::Broker(settle::scenario::BrokerSpec {
                delivery: settle::scenario::Delivery::AtMostOnce,
                max_attempts: None,
            });
        }
    }
    let problems = why(&queue);
    assert!(
        problems
            .iter()
            .any(|m| m.contains("a queue deletes what it delivered: rebuild from a log")),
        "{problems:?}"
    );
    queue.faults.retain(|f| !matches!(f, Fault::Rebuild { .. }));
    assert!(why(&queue).is_empty(), "{:?}", why(&queue));
}
