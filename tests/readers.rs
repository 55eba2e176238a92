//! Who reads a topic is one answer (the kind's roles), so the checks count
//! every reader: a projection that misses events breaks "no event lost"
//! just as a replica would.

mod common;

use settle::model::Dur;
use settle::scenario::{Expectation, Fault};

#[test]
fn a_projection_cut_off_from_its_log_loses_events_for_no_event_lost() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/05-cqrs.ron");
    let mut s = common::load(&path);
    s.expect = vec![Expectation::NoEventLost {
        topic: "order-events".into(),
    }];
    s.faults = vec![Fault::Partition {
        at: Dur(0),
        links: vec![("log".into(), "view".into())],
        one_way: false,
    }];
    assert_eq!(settle::scenario::problem(&s), None);
    let trace = common::run(&s, s.seed);
    let outcomes = settle::check::evaluate(&s, &trace);
    let lost = outcomes
        .iter()
        .find(|o| o.what.contains("order-events"))
        .expect("the expectation is judged");
    assert!(
        !lost.passed,
        "the projection read nothing, yet: {}",
        lost.why
    );
    assert!(lost.why.contains("view"), "{}", lost.why);
}
