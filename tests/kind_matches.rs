//! What a node kind does in a drawing is said once, in `scenario::roles`,
//! by an exhaustive `match` per question. A `match` on a kind elsewhere
//! that ends in a catch-all arm (`_ =>`, or a bare binding) decides a role
//! for every kind it does not name, including the next kind anyone adds,
//! without the compiler asking. This test reads src/ and refuses such a
//! match, except the few listed in [`ALLOWED`], which each pick one kind's
//! settings out of a node (the arm for every other kind means "not the
//! node I am looking for", not a role).

mod source;

use syn::visit::{self, Visit};

/// (file, function, why the catch-all decides no role).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "src/check/projections.rs",
        "view_matches_sources",
        "finds the settings of the projection the expectation names",
    ),
    (
        "src/scenario/validate/kinds.rs",
        "projection",
        "picks the services publishing a source topic, to read their event shape",
    ),
    (
        "src/scenario/validate/kinds.rs",
        "peer",
        "finds another peer of the same table, to compare strategies",
    ),
];

/// A `match` over kinds with a catch-all arm: (file, enclosing function).
fn kind_matches_with_catch_all(file: &str, ast: &syn::File) -> Vec<(String, String)> {
    // A file with an `enum Kind` of its own (a tokeniser's token kinds)
    // matches on that, not on node kinds.
    let own_kind = ast
        .items
        .iter()
        .any(|i| matches!(i, syn::Item::Enum(e) if e.ident == "Kind"));
    if own_kind {
        return Vec::new();
    }
    let mut f = Finder {
        file,
        func: String::new(),
        found: Vec::new(),
    };
    f.visit_file(ast);
    f.found
}

struct Finder<'a> {
    file: &'a str,
    func: String,
    found: Vec<(String, String)>,
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, i: &'ast syn::ItemFn) {
        let outer = std::mem::replace(&mut self.func, i.sig.ident.to_string());
        visit::visit_item_fn(self, i);
        self.func = outer;
    }

    fn visit_impl_item_fn(&mut self, i: &'ast syn::ImplItemFn) {
        let outer = std::mem::replace(&mut self.func, i.sig.ident.to_string());
        visit::visit_impl_item_fn(self, i);
        self.func = outer;
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        let over_kinds = m.arms.iter().any(|a| names_kind(&a.pat));
        let catch_all = m
            .arms
            .iter()
            .any(|a| a.guard.is_none() && is_catch_all(&a.pat));
        if over_kinds && catch_all {
            self.found.push((self.file.to_string(), self.func.clone()));
        }
        visit::visit_expr_match(self, m);
    }
}

/// Whether a path names a variant of `Kind` or `NodeKind`.
fn is_kind_path(p: &syn::Path) -> bool {
    let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
    segs.len() >= 2 && matches!(segs[segs.len() - 2].as_str(), "Kind" | "NodeKind")
}

/// Whether a pattern names a kind anywhere inside it.
fn names_kind(p: &syn::Pat) -> bool {
    match p {
        syn::Pat::Path(x) => is_kind_path(&x.path),
        syn::Pat::TupleStruct(x) => is_kind_path(&x.path) || x.elems.iter().any(names_kind),
        syn::Pat::Struct(x) => is_kind_path(&x.path) || x.fields.iter().any(|f| names_kind(&f.pat)),
        syn::Pat::Or(x) => x.cases.iter().any(names_kind),
        syn::Pat::Tuple(x) => x.elems.iter().any(names_kind),
        syn::Pat::Reference(x) => names_kind(&x.pat),
        syn::Pat::Paren(x) => names_kind(&x.pat),
        syn::Pat::Ident(x) => x.subpat.as_ref().is_some_and(|(_, p)| names_kind(p)),
        syn::Pat::Slice(x) => x.elems.iter().any(names_kind),
        _ => false,
    }
}

/// Whether a pattern matches anything: `_`, a bare binding, or a tuple of
/// those.
fn is_catch_all(p: &syn::Pat) -> bool {
    match p {
        syn::Pat::Wild(_) => true,
        // `None` and other capitalised names are variants, not bindings.
        syn::Pat::Ident(x) => {
            x.subpat.is_none() && !x.ident.to_string().starts_with(char::is_uppercase)
        }
        syn::Pat::Tuple(x) => x.elems.iter().all(is_catch_all),
        syn::Pat::Reference(x) => is_catch_all(&x.pat),
        syn::Pat::Paren(x) => is_catch_all(&x.pat),
        _ => false,
    }
}

#[test]
fn no_catch_all_arm_decides_a_kind_role() {
    let mut found = Vec::new();
    for (file, ast) in source::parsed() {
        found.extend(kind_matches_with_catch_all(&file, &ast));
    }
    let refused: Vec<String> = found
        .iter()
        .filter(|(f, func)| !ALLOWED.iter().any(|(af, afn, _)| af == f && afn == func))
        .map(|(f, func)| format!("{f} in fn {func}"))
        .collect();
    eprintln!(
        "{} kind matches with a catch-all arm, {} not allowed",
        found.len(),
        refused.len()
    );
    assert!(
        refused.is_empty(),
        "a match on a node kind decides with a catch-all arm; ask scenario::roles, \
         or list every kind:\n{}",
        refused.join("\n")
    );
    for (f, func, _) in ALLOWED {
        assert!(
            found.iter().any(|(x, y)| x == f && y == func),
            "{f} fn {func} is allowed a catch-all but has none: drop it from ALLOWED"
        );
    }
}

/// The reader must really see a catch-all, nested or in a tuple, or it
/// proves nothing.
#[test]
fn a_catch_all_over_kinds_is_caught() {
    let planted = r#"
        fn f(k: &NodeKind) -> bool { match k { NodeKind::Broker(_) | NodeKind::Log(_) => true, _ => false } }
        fn g(x: Option<&NodeKind>) { match x { Some(NodeKind::Peer(p)) => {}, other => {} } }
        fn h(a: &NodeKind, b: Kind) { match (a, b) { (NodeKind::Cdc(c), Kind::Database) => {}, (_, _) => {} } }
        fn exhaustive(k: Kind) -> bool { match k { Kind::Broker | Kind::Log => true, Kind::Client => false } }
        fn other_enum(s: StepKind) -> bool { match s { StepKind::Send => true, _ => false } }
    "#;
    let ast = syn::parse_file(planted).expect("parses");
    let found: Vec<String> = kind_matches_with_catch_all("planted.rs", &ast)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    assert_eq!(found, ["f", "g", "h"]);
}
