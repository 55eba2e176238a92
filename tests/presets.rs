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
    let arrivals = |t: &settle::trace::Trace| t.messages.iter().map(|m| m.at()).collect::<Vec<_>>();
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

#[test]
fn totals_recounted_from_the_record_equal_the_engines() {
    for path in common::presets() {
        let s = common::load(&path);
        let t = common::run(&s, s.seed);
        assert_eq!(
            settle::trace::Totals::recount(&t),
            t.totals,
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_prefix_is_the_run_stopped_at_that_step() {
    for path in common::presets() {
        let s = common::load(&path);
        let full = common::run(&s, s.seed);
        let whole = full.prefix(full.steps.len());
        assert_eq!(common::jsonl(&whole), common::jsonl(&full));
        // Stopping the engine at a moment records what the prefix holds.
        let t = s.until.0 / 3;
        let mut e = settle::sim::Engine::new(&s, s.seed).expect("builds");
        e.run_until(t);
        let stopped = e.trace();
        let cut = full.prefix(stopped.steps.len());
        assert_eq!(cut.totals, stopped.totals, "{}", path.display());
        assert_eq!(cut.messages.len(), stopped.messages.len());
        let fates =
            |tr: &settle::trace::Trace| tr.messages.iter().map(|m| m.fate()).collect::<Vec<_>>();
        assert_eq!(fates(&cut), fates(stopped), "{}", path.display());
    }
}

#[test]
fn the_fanout_benchmark_runs_the_same_way_twice_and_reads_back_exactly() {
    let size = settle::bench::FanoutArgs {
        replicas: 6,
        keys: 20,
        writes: 400,
        seed: 3,
    };
    let s = settle::bench::fanout_scenario(size);
    let a = common::run(&s, 3);
    let b = common::run(&s, 3);
    assert_eq!(common::jsonl(&a), common::jsonl(&b));
    // Changes read the same by index as in order, whether their body is
    // stored or implied by the delivery that made them.
    let listed: Vec<_> = a.all_changes().collect();
    assert_eq!(listed.len(), a.changes.len());
    assert!(listed.len() > 400 * 6 / 2);
    for (i, c) in listed.iter().enumerate() {
        assert_eq!(a.change(i), Some(*c));
        assert!(a.change_record(*c).is_some());
    }
    // A cut keeps exactly the changes of the steps before it.
    let cut = a.prefix(a.steps.len() / 2);
    let kept: Vec<_> = cut.all_changes().collect();
    assert_eq!(kept.as_slice(), &listed[..kept.len()]);
    assert!(kept.iter().all(|c| (c.step as usize) < cut.steps.len()));
}
