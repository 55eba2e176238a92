//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use settle::scenario::{self, Kind, NodeKind, Scenario};
use settle::session::{Cmd, Edit, Session};
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

/// A node's settings as the session's drawing holds them.
pub fn spec(s: &Session, id: &str) -> NodeKind {
    s.doc
        .scenario
        .nodes
        .iter()
        .find(|n| n.id == id)
        .map(|n| n.kind.clone())
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// Changes a node's settings as the inspector does: one undoable edit.
pub fn set(s: &mut Session, id: &str, kind: NodeKind) {
    s.apply(Cmd::Edit(Edit::SetSpec {
        id: id.into(),
        spec: Box::new(kind),
    }));
}

/// Adds a CDC relay from the palette and links it as a learner would:
/// from the database it tails to the broker it publishes to.
pub fn add_relay(s: &mut Session, database: &str, broker: &str) {
    s.apply(Cmd::Edit(Edit::AddNode {
        kind: Kind::Cdc,
        at: Some((600.0, 420.0)),
    }));
    let relay = s
        .doc
        .scenario
        .nodes
        .last()
        .map(|n| n.id.clone())
        .expect("added");
    for (a, b) in [(database, relay.as_str()), (relay.as_str(), broker)] {
        s.apply(Cmd::Edit(Edit::Connect {
            from: a.into(),
            to: b.into(),
        }));
    }
}
