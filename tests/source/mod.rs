//! Settle's own source, parsed with `syn`, for the tests that check how it
//! is put together (layering, kind roles).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, sorted, as (path relative to the crate,
/// parsed file).
///
/// `SETTLE_SOURCE_ROOT` reads another checkout instead (to count what an
/// older version had).
pub fn parsed() -> Vec<(String, syn::File)> {
    let other = std::env::var("SETTLE_SOURCE_ROOT").ok();
    let root = Path::new(other.as_deref().unwrap_or(env!("CARGO_MANIFEST_DIR")));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    files.sort();
    assert!(files.len() > 50, "src/ was not found");
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable source");
            let ast = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{}: does not parse: {e}", f.display()));
            let rel = f
                .strip_prefix(root)
                .expect("under the crate")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, ast)
        })
        .collect()
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).expect("readable dir") {
            collect(&e.expect("entry").path(), out);
        }
    } else if p.extension().is_some_and(|x| x == "rs") {
        out.push(p.to_path_buf());
    }
}
