//! The layering that keeps Settle exact and reusable, checked by reading
//! the source:
//!
//! - the simulation core (model, scenario, trace, sim, check, explore) and the
//!   exports drawn from it use no UI, clock, thread or hash-order
//!   iteration, so runs are exact and replayable;
//! - the application layer (session) uses no UI toolkit, so tests and any
//!   front end drive it;
//! - each layer uses only the layers below it.

use std::path::{Path, PathBuf};

/// Bottom to top. A layer may name only layers before it in this list.
const LAYERS: &[(&str, &str)] = &[
    ("model", "src/model"),
    ("scenario", "src/scenario"),
    ("trace", "src/trace"),
    ("sim", "src/sim"),
    ("check", "src/check"),
    ("explore", "src/explore"),
    ("export", "src/export"),
    ("session", "src/session"),
];

/// The front ends, above every layer.
const FRONT: &[&str] = &["ui", "cli", "bench"];

const IMPURE: &[&str] = &[
    "egui",
    "eframe",
    "rfd",
    "std::time",
    "Instant",
    "SystemTime",
    "std::thread",
    "HashMap",
    "HashSet",
    "thread_rng",
    "rand::rng()",
];

const UI_TOOLKIT: &[&str] = &["egui", "eframe", "rfd"];

fn sources(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).expect("readable dir") {
            sources(&e.expect("entry").path(), out);
        }
    } else if p.extension().is_some_and(|x| x == "rs") {
        out.push(p.to_path_buf());
    }
}

/// Each line of code in a layer, without comments: (file, line number, code).
fn code_of(dir: &str) -> Vec<(PathBuf, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join(dir), &mut files);
    assert!(!files.is_empty(), "no sources in {dir}");
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("").to_string();
            out.push((f.clone(), n + 1, code));
        }
    }
    out
}

#[test]
fn the_core_has_no_ui_clock_threads_or_hash_order() {
    for (name, dir) in LAYERS.iter().filter(|(n, _)| *n != "session") {
        for (f, n, code) in code_of(dir) {
            for word in IMPURE {
                assert!(
                    !code.contains(word),
                    "{}:{n}: the core ({name}) uses `{word}`",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn the_application_layer_knows_no_ui_toolkit() {
    for (f, n, code) in code_of("src/session") {
        for word in UI_TOOLKIT {
            assert!(
                !code.contains(word),
                "{}:{n}: the session uses `{word}`",
                f.display()
            );
        }
    }
}

/// The layer above layer `i` that `code` names, if any.
fn upward(i: usize, code: &str) -> Option<&'static str> {
    LAYERS[i + 1..]
        .iter()
        .map(|(n, _)| *n)
        .chain(FRONT.iter().copied())
        .find(|up| {
            code.contains(&format!("crate::{up}::")) || code.contains(&format!("crate::{up};"))
        })
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    for (i, (name, dir)) in LAYERS.iter().enumerate() {
        for (f, n, code) in code_of(dir) {
            if let Some(up) = upward(i, &code) {
                panic!("{}:{n}: {name} reaches up into {up}", f.display());
            }
        }
    }
}

/// The check above must really catch an upward path, or it proves nothing.
#[test]
fn an_upward_import_is_caught() {
    let trace = LAYERS
        .iter()
        .position(|(n, _)| *n == "trace")
        .expect("layer");
    assert_eq!(upward(trace, "use crate::sim::Engine;"), Some("sim"));
    assert_eq!(upward(trace, "    crate::ui::theme::FAULT,"), Some("ui"));
    assert_eq!(upward(trace, "use crate::model::Key;"), None);
    assert_eq!(upward(trace, "use crate::scenario::Kind;"), None);
}
