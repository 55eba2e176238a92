//! Bounded contexts: kept in the file (and left out of files without
//! them), checked with located errors, judged (a table read across a
//! context's edge is a design hint naming both contexts, also in `settle
//! validate`), edited as undoable edits, grouped in the Mermaid export,
//! and on the canvas a frame whose title drags all its nodes as one undo.

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::check::{HintKind, hints};
use settle::scenario::{self, Scenario, from_str, to_ron};
use settle::session::contexts::ContextEdit;
use settle::session::{Document, Edit};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

const LESSON: &str = include_str!("../scenarios/10-bounded-contexts.ron");

/// Sales owns its customers table in its database; Shipping's service
/// keeps its table in that database too and reads Sales' table from it.
/// CONTEXTS is filled in.
const SHARED: &str = r#"(
    title: "t",
    nodes: [
        (id: "desk", kind: Client()),
        (id: "sales", name: "Customers", kind: Service(table: "customers", database: "sales-db")),
        (id: "sales-db", name: "Sales DB", kind: Database()),
        (id: "ship", name: "Deliveries", kind: Service(table: "deliveries", database: "sales-db", reads: ["customers"])),
    ],
    links: [
        (from: "desk", to: "sales"),
        (from: "sales", to: "sales-db"),
        (from: "ship", to: "sales-db"),
    ],
    CONTEXTS
)"#;

fn shared(contexts: &str) -> String {
    SHARED.replace("CONTEXTS", contexts)
}

fn load(text: &str) -> Scenario {
    from_str(text, "t.ron").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn contexts_survive_a_round_trip_and_files_without_them_stay_as_they_were() {
    let s = load(LESSON);
    assert_eq!(s.contexts.len(), 2);
    assert_eq!(s.contexts[1].name, "Shipping");
    let text = to_ron(&s).expect("writes");
    assert_eq!(load(&text), s);
    let plain = load(&shared(""));
    assert!(plain.contexts.is_empty());
    let text = to_ron(&plain).expect("writes");
    assert!(!text.contains("contexts"), "{text}");
}

/// (contexts, what the error must point at, whether its last
/// occurrence on the line, words the message must contain)
fn bad() -> Vec<(String, &'static str, bool, &'static str)> {
    let many: Vec<String> = (0..33)
        .map(|i| format!(r#"(name: "C{i}", nodes: ["desk"])"#))
        .collect();
    vec![
        (
            r#"contexts: [(name: "Sales", nodes: ["sales", "nobody"])],"#.into(),
            "\"nobody\"",
            false,
            "there is no node \"nobody\"",
        ),
        (
            r#"contexts: [(name: "Sales", nodes: ["sales"]), (name: "Shipping", nodes: ["ship", "sales"])],"#.into(),
            "\"sales\"",
            true,
            "is in two contexts, \"Sales\" and \"Shipping\"",
        ),
        (
            r#"contexts: [(name: " ", nodes: ["sales"])],"#.into(),
            "\" \"",
            false,
            "a name of 1 to 40 characters",
        ),
        (
            format!(r#"contexts: [(name: "{}", nodes: ["sales"])],"#, "x".repeat(41)),
            "\"xx",
            false,
            "a name of 1 to 40 characters",
        ),
        (
            r#"contexts: [(name: "Sales", nodes: ["sales"]), (name: "Sales", nodes: ["ship"])],"#.into(),
            "\"Sales\"",
            true,
            "two contexts are called \"Sales\"",
        ),
        (
            r#"contexts: [(name: "Sales", nodes: [])],"#.into(),
            "[]",
            false,
            "holds no nodes",
        ),
        (
            format!("contexts: [{}],", many.join(", ")),
            "contexts",
            false,
            "at most 32",
        ),
    ]
}

#[test]
fn bad_contexts_are_located_errors() {
    for (contexts, at, last, words) in bad() {
        let text = shared(&contexts);
        let e = from_str(&text, "t.ron").expect_err(&contexts);
        assert!(e.message.contains(words), "{contexts}: {e}");
        let (line, row) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("contexts:"))
            .expect("the contexts line");
        let col = if last { row.rfind(at) } else { row.find(at) }.expect("in the line");
        assert_eq!((e.line, e.col), (line + 1, col + 1), "{contexts}: {e}");
    }
}

#[test]
fn a_table_read_across_a_context_boundary_is_a_hint_naming_both_contexts() {
    let split = load(&shared(
        r#"contexts: [(name: "Sales", nodes: ["desk", "sales", "sales-db"]), (name: "Shipping", nodes: ["ship"])],"#,
    ));
    let found: Vec<_> = hints(&split)
        .into_iter()
        .filter(|h| h.kind == HintKind::CrossContextRead)
        .collect();
    // Sales' table read from Sales' database: one hint on the reader.
    assert_eq!(found.len(), 1, "{found:?}");
    let h = &found[0];
    assert_eq!(h.node, "ship");
    assert!(
        h.reason.contains("context Shipping") && h.reason.contains("context Sales"),
        "{}",
        h.reason
    );
    assert!(h.reason.contains("\"customers\""), "{}", h.reason);
    // Only keeping its own table in Sales' database crosses the edge too.
    let stored = load(&shared(
        r#"contexts: [(name: "Sales", nodes: ["desk", "sales", "sales-db"]), (name: "Shipping", nodes: ["ship"])],"#,
    ).replace(r#", reads: ["customers"]"#, ""));
    let found: Vec<_> = hints(&stored)
        .into_iter()
        .filter(|h| h.kind == HintKind::CrossContextRead)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .reason
            .contains("in Sales DB, a database of context Sales")
            && found[0].reason.contains("(context Shipping)"),
        "{}",
        found[0].reason
    );
    assert_eq!(
        HintKind::CrossContextRead.lesson(),
        "10-bounded-contexts.ron"
    );
    // One context around them all, or none: nothing crosses an edge.
    for contexts in [
        r#"contexts: [(name: "Shop", nodes: ["desk", "sales", "sales-db", "ship"])],"#,
        "",
    ] {
        let s = load(&shared(contexts));
        assert!(
            !hints(&s)
                .iter()
                .any(|h| h.kind == HintKind::CrossContextRead),
            "{contexts}"
        );
    }
    // The lesson's own drawing talks across its edge by events only.
    assert!(
        !settle::check::all_hints(&load(LESSON))
            .iter()
            .any(|h| h.kind == HintKind::CrossContextRead)
    );
}

#[test]
fn settle_validate_prints_the_hint_with_both_contexts() {
    let path = std::env::temp_dir().join(format!("contexts-test-{}.ron", std::process::id()));
    let text = shared(
        r#"contexts: [(name: "Sales", nodes: ["desk", "sales", "sales-db"]), (name: "Shipping", nodes: ["ship"])],"#,
    );
    std::fs::write(&path, text).expect("writes");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_settle"))
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    let _ = std::fs::remove_file(&path);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    let line = said
        .lines()
        .find(|l| l.contains("Reads across a context boundary") || l.contains("cross-context"))
        .unwrap_or_else(|| panic!("no cross-context hint in:\n{said}"));
    let all: String = said.lines().skip_while(|l| *l != line).collect();
    assert!(
        all.contains("context Shipping") && all.contains("context Sales"),
        "{said}"
    );
}

#[test]
fn context_edits_put_take_out_rename_and_undo() {
    let mut d = Document::new(load(&shared("")), None, "t".into());
    let put = |node: &str, context: &str| {
        Edit::Context(ContextEdit::Put {
            node: node.into(),
            context: context.into(),
        })
    };
    d.apply(&put("sales", "Sales"));
    d.apply(&put("sales-db", "Sales"));
    d.apply(&put("ship", "Shipping"));
    let names = |d: &Document| -> Vec<(String, Vec<String>)> {
        d.scenario
            .contexts
            .iter()
            .map(|c| (c.name.clone(), c.nodes.clone()))
            .collect()
    };
    assert_eq!(
        names(&d),
        vec![
            ("Sales".into(), vec!["sales".into(), "sales-db".into()]),
            ("Shipping".into(), vec!["ship".into()])
        ]
    );
    // Moving a node leaves the context it was in.
    d.apply(&put("sales-db", "Shipping"));
    assert_eq!(
        d.scenario.context_of("sales-db").map(|c| c.name.as_str()),
        Some("Shipping")
    );
    assert_eq!(d.scenario.contexts[0].nodes, vec!["sales".to_string()]);
    d.apply(&Edit::Context(ContextEdit::Rename {
        from: "Shipping".into(),
        to: "Delivery".into(),
    }));
    assert_eq!(d.scenario.contexts[1].name, "Delivery");
    // A rename onto a name taken, or a name too long, changes nothing.
    let before = d.scenario.clone();
    d.apply(&Edit::Context(ContextEdit::Rename {
        from: "Delivery".into(),
        to: "Sales".into(),
    }));
    d.apply(&put("desk", &"x".repeat(41)));
    d.apply(&put("nobody", "Sales"));
    assert_eq!(d.scenario.contexts, before.contexts);
    // The last node out takes its context with it.
    d.apply(&Edit::Context(ContextEdit::TakeOut {
        node: "sales".into(),
    }));
    assert!(d.scenario.contexts.iter().all(|c| c.name != "Sales"));
    assert!(scenario::problem(&d.scenario).is_none());
    // Deleting a node takes it out of its context.
    d.apply(&Edit::DeleteNodes(vec!["ship".into()]));
    assert_eq!(d.scenario.contexts[0].nodes, vec!["sales-db".to_string()]);
    assert!(scenario::problem(&d.scenario).is_none());
    while d.undo() {}
    assert!(d.scenario.contexts.is_empty());
}

#[test]
fn the_mermaid_export_boxes_each_context_and_marks_its_published_language() {
    let s = load(LESSON);
    let mut e = settle::sim::Engine::new(&s, s.seed).expect("builds");
    e.run_until(s.until.0);
    let t = e.into_trace();
    let mut out = Vec::new();
    settle::trace::export::write_mermaid(&t, &s, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("utf-8");
    let head: Vec<&str> = text.lines().take(13).map(str::trim).collect();
    assert_eq!(head[2], "box transparent Sales");
    assert_eq!(head[8], "end");
    assert_eq!(head[9], "box transparent Shipping");
    assert!(head[10].starts_with("participant recipients"));
    // The projection reads Sales' events across the edge: Sales' words.
    assert!(
        text.lines()
            .any(|l| l.contains("log-->>recipients") && l.contains("[Sales published language]")),
        "{text}"
    );
    // A fetch from Shipping asks Sales' API: Sales' words too.
    let fetch = (0..t.messages.len() as u32)
        .find(|&m| {
            t.message(m).is_some_and(|msg| {
                t.nodes[t.sender(msg) as usize].id == "recipients"
                    && t.nodes[msg.to as usize].id == "log"
            })
        })
        .expect("the projection fetches");
    assert_eq!(
        settle::trace::export::published_language(&s, &t, fetch).as_deref(),
        Some("Sales published language")
    );
    // Nor is a read of another context's database: that is no language
    // it published.
    let across = load(&shared(
        r#"contexts: [(name: "Sales", nodes: ["desk", "sales", "sales-db"]), (name: "Shipping", nodes: ["ship"])],"#,
    ).replace("links: [", r#"workload: [Request(at: "10ms", from: "desk", to: "ship", op: Read(id: "1"))], links: [(from: "desk", to: "ship"), "#));
    let mut e = settle::sim::Engine::new(&across, 1).expect("builds");
    e.run_until(across.until.0);
    let ta = e.into_trace();
    let mut out = Vec::new();
    settle::trace::export::write_mermaid(&ta, &across, &mut out).expect("writes");
    let said = String::from_utf8(out).expect("utf-8");
    assert!(
        said.lines().any(|l| l.contains("ship->>sales_db")),
        "{said}"
    );
    assert!(
        !said
            .lines()
            .any(|l| l.contains("sales_db") && l.contains("published")),
        "{said}"
    );
    // The desk's request to Shipping's service speaks Shipping's API.
    assert!(
        said.lines()
            .any(|l| l.contains("desk->>ship") && l.contains("[Shipping published language]")),
        "{said}"
    );
    // Inside one context nothing is marked.
    assert!(
        !text
            .lines()
            .any(|l| l.contains("customers->>sales_db") && l.contains("published"))
    );
}

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

fn drag(h: &mut Harness<'static, SettleApp>, from: Pos2, to: Pos2) {
    h.event(Event::PointerMoved(from));
    h.run_steps(1);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(1);
    for i in 1..=8 {
        let p = from + (to - from) * (i as f32 / 8.0);
        h.event(Event::PointerMoved(p));
        h.run_steps(1);
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
}

#[test]
fn dragging_a_frames_title_moves_all_its_nodes_and_one_undo_puts_them_back() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Bounded contexts and aggregates")
        .click();
    h.run_steps(3);
    let before = h.state().session.doc.scenario.clone();
    let title = h
        .get_by_label("Context Shipping: Recipients, Dispatch desk")
        .rect()
        .center();
    drag(&mut h, title, title + vec2(0.0, 80.0));
    let after = h.state().session.doc.scenario.clone();
    for n in &before.nodes {
        let m = after
            .nodes
            .iter()
            .find(|m| m.id == n.id)
            .expect("still there");
        let inside = ["recipients", "dispatch"].contains(&n.id.as_str());
        if inside {
            assert!(
                m.pos.1 > n.pos.1 + 40.0,
                "{}: {:?} -> {:?}",
                n.id,
                n.pos,
                m.pos
            );
            assert!((m.pos.0 - n.pos.0).abs() < 25.0, "{}", n.id);
        } else {
            assert_eq!(m.pos, n.pos, "{} is not in Shipping", n.id);
        }
    }
    // The two nodes moved together by the same amount.
    let shift = |id: &str| {
        let (a, b) = (
            before.nodes.iter().find(|n| n.id == id).expect("node").pos,
            after.nodes.iter().find(|n| n.id == id).expect("node").pos,
        );
        (b.0 - a.0, b.1 - a.1)
    };
    let (a, b) = (shift("recipients"), shift("dispatch"));
    assert!(
        (a.0 - b.0).abs() < 25.0 && (a.1 - b.1).abs() < 25.0,
        "{a:?} {b:?}"
    );
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().session.doc.scenario.nodes, before.nodes);
}
