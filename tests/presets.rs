//! Every preset meets its own expectations, and runs the same way twice.

mod common;

use settle::check;

#[test]
fn every_preset_meets_its_expectations() {
    let presets = common::presets();
    assert!(presets.len() >= 2, "the presets are missing");
    for path in presets {
        let s = common::load(&path);
        assert!(
            !s.expect.is_empty(),
            "{} has no expectations",
            path.display()
        );
        assert!(
            !s.narration.is_empty(),
            "{} has no narration",
            path.display()
        );
        let trace = common::run(&s, s.seed);
        for o in check::evaluate(&s, &trace) {
            assert!(o.passed, "{}: {} — {}", path.display(), o.what, o.why);
        }
    }
}

#[test]
fn same_seed_gives_a_byte_identical_trace() {
    for path in common::presets() {
        let s = common::load(&path);
        let a = common::jsonl(&common::run(&s, 11));
        let b = common::jsonl(&common::run(&s, 11));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{} is not deterministic", path.display());
    }
}

#[test]
fn a_different_seed_gives_a_different_trace() {
    for path in common::presets() {
        let s = common::load(&path);
        let a = common::jsonl(&common::run(&s, 1));
        let b = common::jsonl(&common::run(&s, 2));
        assert_ne!(a, b, "{} ignores its seed", path.display());
    }
}

#[test]
fn adding_a_node_leaves_other_nodes_draws_alone() {
    // Each node draws from its own stream, so an unrelated extra node must
    // not change when the replication preset's messages arrive.
    let path = common::presets()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("03-"))
        .expect("preset 03");
    let s = common::load(&path);
    let mut bigger = s.clone();
    let mut extra = s.nodes[0].clone();
    extra.id = "bystander".into();
    bigger.nodes.push(extra);
    let a = common::run(&s, 5);
    let b = common::run(&bigger, 5);
    let arrivals = |t: &settle::trace::Trace| t.messages.iter().map(|m| m.at).collect::<Vec<_>>();
    assert_eq!(arrivals(&a), arrivals(&b));
}

#[test]
fn every_scenario_file_is_a_lesson_in_the_app() {
    let files: Vec<String> = common::presets()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .collect();
    let embedded: Vec<String> = settle::session::presets::PRESETS
        .iter()
        .map(|p| p.file.to_string())
        .collect();
    assert_eq!(
        files, embedded,
        "scenarios/ and the app's lesson list differ"
    );
}
