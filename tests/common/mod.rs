//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use settle::scenario::{self, Scenario};
use settle::sim::Engine;
use settle::trace::Trace;

/// Every preset scenario shipped in `scenarios/`, sorted by name.
pub fn presets() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron") && !is_quiz(p))
        .collect();
    files.sort();
    files
}

/// The course quiz lives beside the lessons but is not a scenario.
pub fn is_quiz(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|n| n == "quiz.ron")
}

pub fn load(path: &std::path::Path) -> Scenario {
    scenario::load_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a scenario to its end with a seed.
pub fn run(s: &Scenario, seed: u64) -> Trace {
    let mut e = Engine::new(s, seed).expect("builds");
    e.run();
    e.into_trace()
}

/// The whole trace as JSON Lines bytes: a complete, byte-exact fingerprint.
pub fn jsonl(t: &Trace) -> Vec<u8> {
    let mut out = Vec::new();
    settle::trace::export::write_jsonl(t, &mut out).expect("writes to memory");
    out
}
