//! A run that is only judged (a search's) records no narration, and
//! nothing else differs: on every preset, with its own seed and the next,
//! it has the same steps but the narration's, the same messages and
//! changes, and every expectation and monitor gives the same verdict; a
//! search finds the same run whichever way its runs record.

use settle::check;
use settle::explore::{self, Options, Recording, Search};
use settle::scenario::Scenario;
use settle::session::presets::PRESETS;
use settle::sim::Engine;
use settle::trace::query::Index;
use settle::trace::{StepKind, Trace};

fn presets() -> Vec<(&'static str, Scenario)> {
    PRESETS
        .iter()
        .map(|p| (p.file, p.load().expect("a preset loads")))
        .collect()
}

/// Every step but the narration's: what it was, where, its flags and
/// when.
fn steps(trace: &Trace) -> Vec<(StepKind, u16, u16, u64)> {
    trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind != StepKind::Mark)
        .map(|(i, s)| (s.kind, s.node, s.flags, trace.step_time(i)))
        .collect()
}

#[test]
fn a_judged_run_drops_only_the_narration_and_every_verdict_stands() {
    let mut narrated = 0;
    for (file, s) in presets() {
        for seed in [s.seed, s.seed.wrapping_add(1)] {
            let mut full = Engine::new(&s, seed).expect("builds");
            full.run();
            let mut judged = Engine::judged(&s, seed).expect("builds");
            judged.run();
            let (full, judged) = (full.trace(), judged.trace());
            let marks = |t: &Trace| t.steps.iter().filter(|s| s.kind == StepKind::Mark).count();
            assert_eq!(marks(judged), 0, "{file} seed {seed}: narration recorded");
            if marks(full) > 0 {
                narrated += 1;
            }
            assert_eq!(steps(full), steps(judged), "{file} seed {seed}");
            assert_eq!(full.totals, judged.totals, "{file} seed {seed}");
            assert_eq!(full.messages.len(), judged.messages.len(), "{file}");
            assert_eq!(full.changes.len(), judged.changes.len(), "{file}");
            let records = |t: &Trace| {
                t.all_changes()
                    .map(|c| (t.change_node(c), t.change_record(c).copied()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(records(full), records(judged), "{file} seed {seed}");
            assert_eq!(
                check::evaluate(&s, full),
                check::evaluate(&s, judged),
                "{file} seed {seed}"
            );
            let readings = |t: &Trace| check::monitors(t, &Index::new(t), t.steps.len());
            assert_eq!(readings(full), readings(judged), "{file} seed {seed}");
        }
    }
    assert!(narrated > 0, "no preset has narration to leave out");
}

/// The search's answer (how many runs it tried, and what it found) with
/// each way of recording.
fn both(s: &Scenario, options: &Options) -> [(usize, Option<explore::Found>); 2] {
    [Recording::Everything, Recording::Judged].map(|r| {
        let search = Search::new(s, options).expect("runs").recording(r);
        explore::in_order(&search)
    })
}

#[test]
fn a_search_finds_the_same_run_whichever_way_its_runs_record() {
    let options = Options {
        budget: 120,
        ..Options::default()
    };
    let mut found = 0;
    for (file, s) in presets() {
        let [everything, judged] = both(&s, &options);
        found += usize::from(judged.1.is_some());
        assert_eq!(everything, judged, "{file}");
    }
    // Lesson 04 without its scripted crash: the dual write breaks.
    let mut s = PRESETS
        .iter()
        .find(|p| p.file == "04-outbox-and-cdc.ron")
        .expect("lesson 04")
        .load()
        .expect("loads");
    s.faults.clear();
    let [everything, judged] = both(
        &s,
        &Options {
            budget: 600,
            ..Options::default()
        },
    );
    assert!(judged.1.is_some(), "the dual write breaks");
    assert_eq!(everything, judged);
    assert!(found > 0, "no preset's search found anything to compare");
}
