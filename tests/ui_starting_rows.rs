//! A service's starting rows in the inspector: added by a button, their id
//! and value typed into named fields, removed by a button, each change one
//! undoable edit of the drawing.

use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::{NodeKind, ValueSpec};
use settle::session::{Cmd, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

/// Lesson 03 (whose catalog starts empty) with the catalog selected.
fn catalog_selected() -> Harness<'static, SettleApp> {
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        );
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node("catalog")));
    h.run_steps(3);
    h
}

/// Clicks the field named `label`, selects what it holds, types `text`
/// and leaves it with Enter.
fn type_into(h: &mut Harness<'static, SettleApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.event(Event::Text(text.into()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
}

fn rows(h: &Harness<'static, SettleApp>) -> Vec<(String, ValueSpec)> {
    let s = &h.state().session.doc.scenario;
    match s.nodes.iter().find(|n| n.id == "catalog").map(|n| &n.kind) {
        Some(NodeKind::Service(svc)) => svc.rows.clone(),
        other => panic!("the catalog is not a service: {other:?}"),
    }
}

fn undo(h: &mut Harness<'static, SettleApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
}

fn text(s: &str) -> ValueSpec {
    ValueSpec::Text(s.into())
}

#[test]
fn starting_rows_are_added_typed_into_and_removed_each_undoably() {
    let mut h = catalog_selected();
    assert!(rows(&h).is_empty(), "lesson 03's catalog starts empty");

    h.get_by_label("Add a starting row").click();
    h.run_steps(3);
    assert_eq!(rows(&h), vec![("1".into(), text(""))]);

    type_into(&mut h, "Row 1 id", "1001");
    assert_eq!(rows(&h), vec![("1001".into(), text(""))]);
    type_into(&mut h, "Row 1 value", "a lamp");
    assert_eq!(rows(&h), vec![("1001".into(), text("a lamp"))]);

    h.get_by_label("Add a starting row").click();
    h.run_steps(3);
    type_into(&mut h, "Row 2 value", "42");
    assert_eq!(
        rows(&h),
        vec![
            ("1001".into(), text("a lamp")),
            ("1".into(), ValueSpec::Int(42))
        ],
        "a plain whole number is kept as a number"
    );
    assert_eq!(h.state().session.problem, None, "the rows are valid");

    undo(&mut h);
    assert_eq!(rows(&h)[1], ("1".into(), text("")), "one undo per value");

    h.get_by_label("Remove row 1").click();
    h.run_steps(3);
    assert_eq!(rows(&h), vec![("1".into(), text(""))]);
    undo(&mut h);
    assert_eq!(rows(&h).len(), 2, "the removed row comes back");
    assert_eq!(rows(&h)[0], ("1001".into(), text("a lamp")));
}

#[test]
fn an_emptied_row_id_keeps_the_old_one() {
    let mut h = catalog_selected();
    h.get_by_label("Add a starting row").click();
    h.run_steps(3);
    type_into(&mut h, "Row 1 id", "");
    assert_eq!(rows(&h), vec![("1".into(), text(""))]);
}

/// Row edits that name no row, or a node that keeps no rows, change
/// nothing; a table at its limit takes no more rows.
#[test]
fn row_edits_out_of_range_change_nothing() {
    use settle::scenario::MAX_STARTING_ROWS;
    use settle::session::Edit;
    let mut s = settle::session::presets::PRESETS[3]
        .load()
        .expect("lesson 03");
    let before = s.clone();
    let row = ("9".to_string(), text("x"));
    for e in [
        Edit::SetRow {
            node: "catalog".into(),
            index: 5,
            row: row.clone(),
        },
        Edit::DeleteRow {
            node: "catalog".into(),
            index: 0,
        },
        Edit::SetRow {
            node: "nowhere".into(),
            index: 0,
            row: row.clone(),
        },
    ] {
        e.apply(&mut s);
        assert_eq!(s, before, "{e:?} changed the drawing");
    }
    for k in 0..MAX_STARTING_ROWS + 1 {
        Edit::SetRow {
            node: "catalog".into(),
            index: k,
            row: (k.to_string(), text("x")),
        }
        .apply(&mut s);
    }
    match s.nodes.iter().find(|n| n.id == "catalog").map(|n| &n.kind) {
        Some(NodeKind::Service(svc)) => assert_eq!(svc.rows.len(), MAX_STARTING_ROWS),
        other => panic!("the catalog is not a service: {other:?}"),
    }
}
