//! The layering that keeps Settle exact and reusable, checked by reading
//! the source:
//!
//! - the simulation core (model, scenario, trace, sim, check), the search
//!   for a breaking run (explore) and the exports drawn from it use no UI,
//!   clock, thread or hash-order iteration, so runs are exact and
//!   replayable;
//! - the application layer (session) uses no UI toolkit, so tests and any
//!   front end drive it;
//! - each layer uses only the layers below it, and no files of different
//!   layers (the front ends ui, cli, bench and the crate root included)
//!   import each other in a cycle.
//!
//! Imports are read with `syn`, as the compiler sees them: `use` trees
//! with groups and nesting, `crate::`, `self::` and `super::super::`
//! paths, paths written inline in code and types, and `crate::` or
//! `super::` paths inside macro calls.

mod source;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// Bottom to top. A layer may name only layers before it in this list;
/// the front ends, last, may name each other but not in a cycle.
const LAYERS: &[&str] = &[
    "model", "scenario", "trace", "sim", "check", "explore", "export", "session",
];

/// The front ends, above every layer (`lib` is the crate root, `main` the
/// binary).
const FRONT: &[&str] = &["ui", "cli", "bench", "lib", "main"];

/// The layers that may not use a UI toolkit.
const NO_UI: &[&str] = &[
    "model", "scenario", "trace", "sim", "check", "explore", "export", "session",
];

const UI_TOOLKIT: &[&str] = &["egui", "eframe", "rfd", "egui_plot", "egui_kittest"];

/// Words the core and the exports must not use (clock, threads, hash
/// order, unseeded randomness), checked on the text without comments.
const IMPURE: &[&str] = &[
    "std::time",
    "Instant",
    "SystemTime",
    "std::thread",
    "HashMap",
    "HashSet",
    "thread_rng",
    "rand::rng()",
];

/// The layer a module path belongs to: its first segment.
fn layer_of(module: &[String]) -> &str {
    module.first().map_or("lib", String::as_str)
}

/// Rank of a layer: its place in [`LAYERS`], the front ends above.
fn rank(layer: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| *l == layer)
        .unwrap_or(LAYERS.len())
}

/// A file's module path from its place under src/.
fn module_of(file: &str) -> Vec<String> {
    let rel = file.trim_start_matches("src/").trim_end_matches(".rs");
    match rel {
        "lib" => Vec::new(),
        "main" => vec!["main".into()],
        _ => {
            let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            parts
        }
    }
}

/// What one file names: modules of this crate (resolved to absolute
/// paths) and outside crates.
#[derive(Default)]
struct Named {
    modules: Vec<Vec<String>>,
    crates: BTreeSet<String>,
}

/// Reads every path one file names.
struct Reader<'a> {
    /// The module the code being read is in (the file's, then inline
    /// modules).
    here: Vec<String>,
    /// Every module of the crate, to resolve a path that starts at a child
    /// module.
    known: &'a BTreeSet<Vec<String>>,
    /// The crate's name as the binary spells it.
    binary: bool,
    out: Named,
}

impl Reader<'_> {
    /// Resolves a path written in module `self.here`, segments as written.
    fn resolve(&mut self, segs: &[String]) {
        let Some(first) = segs.first() else { return };
        let mut at: Vec<String>;
        let mut rest = segs;
        match first.as_str() {
            "crate" => {
                at = Vec::new();
                rest = &rest[1..];
            }
            "settle" if self.binary => {
                at = Vec::new();
                rest = &rest[1..];
            }
            "self" => {
                at = self.here.clone();
                rest = &rest[1..];
            }
            "super" => {
                at = self.here.clone();
                while rest.first().is_some_and(|s| s == "super") {
                    at.pop();
                    rest = &rest[1..];
                }
                if rest.first().is_some_and(|s| s == "self") {
                    rest = &rest[1..];
                }
            }
            _ => {
                let mut child = self.here.clone();
                child.push(first.clone());
                if self.known.contains(&child) {
                    at = self.here.clone();
                } else {
                    if first.chars().next().is_some_and(char::is_lowercase) && segs.len() > 1 {
                        self.out.crates.insert(first.clone());
                    }
                    return;
                }
            }
        }
        at.extend(rest.iter().cloned());
        self.out.modules.push(at);
    }

    /// Every path a `use` tree names, groups and nesting expanded.
    fn use_tree(&mut self, prefix: &mut Vec<String>, t: &syn::UseTree) {
        match t {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                // `use a::{self, b}`: `self` is `a` itself.
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.resolve(&full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                self.resolve(&full);
            }
            syn::UseTree::Glob(_) => {
                let full = prefix.clone();
                self.resolve(&full);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    /// Paths starting with `crate`, `super` or `self` inside a macro's
    /// tokens, which `syn` leaves unparsed.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => self.macro_tokens(g.stream()),
                TokenTree::Ident(id)
                    if matches!(id.to_string().as_str(), "crate" | "super" | "self")
                        || (self.binary && id == "settle")
                        || UI_TOOLKIT.iter().any(|u| id == u) =>
                {
                    let mut segs = vec![id.to_string()];
                    let mut j = i + 1;
                    while let (
                        Some(TokenTree::Punct(a)),
                        Some(TokenTree::Punct(b)),
                        Some(TokenTree::Ident(next)),
                    ) = (trees.get(j), trees.get(j + 1), trees.get(j + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segs.push(next.to_string());
                        j += 3;
                    }
                    if segs.len() > 1 {
                        self.resolve(&segs);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() > 1 {
            self.resolve(&segs);
        }
        visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.visit_path(&m.path);
        self.macro_tokens(m.tokens.clone());
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.here.push(m.ident.to_string());
        visit::visit_item_mod(self, m);
        self.here.pop();
    }
}

/// The crate as a graph of files: for each file (by module path), the
/// modules and outside crates it names.
struct Graph {
    files: BTreeMap<Vec<String>, (String, Named)>,
}

impl Graph {
    fn of(sources: &[(String, syn::File)]) -> Graph {
        let mut known: BTreeSet<Vec<String>> = sources.iter().map(|(f, _)| module_of(f)).collect();
        // Inline modules (`mod tests { .. }`) are known too.
        for (f, ast) in sources {
            for item in &ast.items {
                if let syn::Item::Mod(m) = item
                    && m.content.is_some()
                {
                    let mut p = module_of(f);
                    p.push(m.ident.to_string());
                    known.insert(p);
                }
            }
        }
        let mut files = BTreeMap::new();
        for (f, ast) in sources {
            let mut r = Reader {
                here: module_of(f),
                known: &known,
                binary: f == "src/main.rs",
                out: Named::default(),
            };
            r.visit_file(ast);
            files.insert(module_of(f), (f.clone(), r.out));
        }
        Graph { files }
    }

    /// The file a module path is in: the longest prefix that is a file.
    fn file_of(&self, module: &[String]) -> Option<&Vec<String>> {
        (0..=module.len())
            .rev()
            .find_map(|n| self.files.get_key_value(&module[..n]).map(|(k, _)| k))
    }

    /// Each file's imports of other files.
    fn edges(&self) -> BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> {
        let mut out: BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> = BTreeMap::new();
        for (m, (_, named)) in &self.files {
            let set = out.entry(m).or_default();
            for target in &named.modules {
                if let Some(f) = self.file_of(target)
                    && f != m
                {
                    set.insert(f);
                }
            }
        }
        out
    }

    /// Every way the layering is broken, as sentences.
    fn violations(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (m, (file, named)) in &self.files {
            let mine = layer_of(m);
            for target in &named.modules {
                let theirs = layer_of(target);
                if rank(theirs) > rank(mine) {
                    out.push(format!(
                        "{file}: {mine} reaches up into {theirs} (crate::{})",
                        target.join("::")
                    ));
                }
            }
            if NO_UI.contains(&mine) {
                for c in named
                    .crates
                    .iter()
                    .filter(|c| UI_TOOLKIT.contains(&c.as_str()))
                {
                    out.push(format!("{file}: {mine} uses the UI toolkit {c}"));
                }
            }
        }
        for cycle in self.cycles_across_layers() {
            out.push(format!(
                "files of different layers import each other: {cycle}"
            ));
        }
        out
    }

    /// Strongly connected groups of files that span more than one layer.
    fn cycles_across_layers(&self) -> Vec<String> {
        let edges = self.edges();
        let nodes: Vec<&Vec<String>> = edges.keys().copied().collect();
        let reach = |from: &Vec<String>| {
            let mut seen: BTreeSet<&Vec<String>> = BTreeSet::new();
            let mut todo = vec![from];
            while let Some(n) = todo.pop() {
                for &next in edges.get(n).into_iter().flatten() {
                    if seen.insert(next) {
                        todo.push(next);
                    }
                }
            }
            seen
        };
        let reaches: BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> =
            nodes.iter().map(|&n| (n, reach(n))).collect();
        let mut done: BTreeSet<&Vec<String>> = BTreeSet::new();
        let mut out = Vec::new();
        for &n in &nodes {
            if done.contains(n) {
                continue;
            }
            let group: Vec<&Vec<String>> = nodes
                .iter()
                .copied()
                .filter(|&m| reaches[n].contains(m) && reaches[m].contains(n))
                .collect();
            done.extend(group.iter().copied());
            let layers: BTreeSet<&str> = group.iter().map(|m| layer_of(m)).collect();
            if layers.len() > 1 {
                let names: Vec<String> = group.iter().map(|m| self.files[*m].0.clone()).collect();
                out.push(names.join(" <-> "));
            }
        }
        out
    }
}

#[test]
fn each_layer_uses_only_the_layers_below_it_and_no_layers_form_a_cycle() {
    let graph = Graph::of(&source::parsed());
    // The graph must see the imports it is about, or it proves nothing.
    let ui_app = graph
        .files
        .get(&vec!["ui".to_string(), "app".to_string()])
        .expect("src/ui/app.rs is read");
    assert!(ui_app.1.modules.iter().any(|m| layer_of(m) == "session"));
    assert!(ui_app.1.crates.contains("egui"));
    for (m, (file, _)) in &graph.files {
        let l = layer_of(m);
        assert!(
            LAYERS.contains(&l) || FRONT.contains(&l),
            "{file}: the module {l} is in no layer; add it to LAYERS or FRONT"
        );
    }
    let v = graph.violations();
    assert!(v.is_empty(), "the layering is broken:\n{}", v.join("\n"));
}

/// A planted import of each sort must be caught: grouped and nested use
/// trees, `super::super` paths in code, a toolkit named in a type, a
/// path inside a macro, and a cycle between two front ends.
#[test]
fn planted_violations_are_caught() {
    let planted = [
        ("src/model/mod.rs", "pub mod a;"),
        ("src/model/a.rs", "pub struct A;"),
        (
            "src/trace/mod.rs",
            "use crate::{model::a::A, sim::{self, nodes::{Broker}}};",
        ),
        ("src/sim/mod.rs", "pub mod nodes;"),
        ("src/sim/nodes.rs", "pub struct Broker;"),
        (
            "src/scenario/deep/mod.rs",
            "fn f() { let _ = super::super::ui::theme::FAULT; }",
        ),
        ("src/check/mod.rs", "fn g(_: egui::Color32) {}"),
        (
            "src/export/mod.rs",
            "fn h() { let _ = format!(\"{}\", crate::session::edit::X); }",
        ),
        ("src/session/mod.rs", "pub mod edit;"),
        ("src/session/edit.rs", "pub const X: u8 = 0;"),
        ("src/ui/mod.rs", "pub mod theme;"),
        ("src/ui/theme.rs", "pub const FAULT: u8 = 0;"),
        ("src/cli/mod.rs", "use crate::bench::Fanout;"),
        (
            "src/bench.rs",
            "pub struct Fanout; use crate::cli as front;",
        ),
    ];
    let sources: Vec<(String, syn::File)> = planted
        .iter()
        .map(|(f, src)| (f.to_string(), syn::parse_file(src).expect("parses")))
        .collect();
    let v = Graph::of(&sources).violations();
    let said = v.join("\n");
    for expected in [
        "src/trace/mod.rs: trace reaches up into sim (crate::sim)",
        "src/trace/mod.rs: trace reaches up into sim (crate::sim::nodes::Broker)",
        "src/scenario/deep/mod.rs: scenario reaches up into ui (crate::ui::theme::FAULT)",
        "src/check/mod.rs: check uses the UI toolkit egui",
        "src/export/mod.rs: export reaches up into session (crate::session::edit::X)",
        "files of different layers import each other: src/bench.rs <-> src/cli/mod.rs",
    ] {
        assert!(said.contains(expected), "not caught: {expected}\n{said}");
    }
    assert!(
        !said.contains("model::a"),
        "an import from below was taken for a violation:\n{said}"
    );
}

fn code_lines(file: &str) -> Vec<(usize, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(file)).expect("readable source");
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn the_core_has_no_clock_threads_or_hash_order() {
    let files = source::parsed();
    let core = [
        "model", "scenario", "trace", "sim", "check", "explore", "export",
    ];
    let mut checked = 0;
    for (f, _) in &files {
        if !core.contains(&layer_of(&module_of(f))) {
            continue;
        }
        checked += 1;
        for (n, code) in code_lines(f) {
            for word in IMPURE {
                assert!(!code.contains(word), "{f}:{n}: the core uses `{word}`");
            }
        }
    }
    assert!(checked > 50, "the core was not found");
}
