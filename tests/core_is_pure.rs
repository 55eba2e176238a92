//! The simulation core must not depend on the UI, a clock, threads or
//! hash-order iteration: that is what makes runs exact and replayable.
//! This test reads the source and fails if any of it creeps in.

use std::path::Path;

const CORE: &[&str] = &["src/sim", "src/scenario", "src/trace", "src/check.rs"];
const FORBIDDEN: &[&str] = &[
    "egui",
    "eframe",
    "std::time",
    "Instant",
    "SystemTime",
    "std::thread",
    "HashMap",
    "HashSet",
    "thread_rng",
    "rand::rng()",
];

fn sources(p: &Path, out: &mut Vec<std::path::PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).expect("readable dir") {
            sources(&e.expect("entry").path(), out);
        }
    } else if p.extension().is_some_and(|x| x == "rs") {
        out.push(p.to_path_buf());
    }
}

#[test]
fn the_core_has_no_ui_clock_threads_or_hash_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for c in CORE {
        sources(&root.join(c), &mut files);
    }
    assert!(files.len() > 10, "core sources not found");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                assert!(
                    !code.contains(word),
                    "{}:{}: the core uses `{word}`",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}
