//! Typing into the inspector, as a user does: click the field (found by its
//! label), select all, type, then Enter, Tab, a click elsewhere or Esc.
//! Each committed change is one undoable edit; Esc keeps what was there.

use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::NodeKind;
use settle::session::{Cmd, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

/// Lesson 03 with node `id` selected.
fn with_selected(id: &str) -> Harness<'static, SettleApp> {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node(id)));
    h.run_steps(3);
    h
}

/// Clicks the field named `label`, selects what it holds and types `text`.
fn type_into(h: &mut Harness<'static, SettleApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.event(Event::Text(text.into()));
    h.run_steps(2);
}

fn name_of(h: &Harness<'static, SettleApp>, id: &str) -> String {
    h.state()
        .session
        .doc
        .scenario
        .nodes
        .iter()
        .find(|n| n.id == id)
        .map(|n| n.label().to_string())
        .expect("node")
}

#[test]
fn a_name_typed_and_entered_stays_and_undoes_in_one_step() {
    let mut h = with_selected("admin");
    type_into(&mut h, "Name", "Teacher");
    assert_eq!(name_of(&h, "admin"), "Admin", "committed before Enter");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(name_of(&h, "admin"), "Teacher");
    assert!(
        h.state().session.doc.title().contains('•'),
        "no unsaved mark"
    );
    // The field shows the new name, not the old one.
    h.run_steps(3);
    assert_eq!(
        name_of(&h, "admin"),
        "Teacher",
        "the field put the old name back"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(
        name_of(&h, "admin"),
        "Admin",
        "one undo restores the old name"
    );
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(
        name_of(&h, "admin"),
        "Teacher",
        "redo brings the new name back"
    );
}

#[test]
fn tab_and_a_click_elsewhere_commit_too() {
    let mut h = with_selected("admin");
    type_into(&mut h, "Name", "Teacher");
    h.key_press(Key::Tab);
    h.run_steps(3);
    assert_eq!(
        name_of(&h, "admin"),
        "Teacher",
        "Tab dropped what was typed"
    );

    let mut h = with_selected("admin");
    type_into(&mut h, "Name", "Teacher");
    // Click an empty spot of the canvas: the selection goes, the name stays.
    let canvas = h.state().canvas.rect;
    h.get_by_label("Name"); // still shown
    let spot = canvas.left_bottom() + vec2(20.0, -20.0);
    h.event(Event::PointerMoved(spot));
    h.event(Event::PointerButton {
        pos: spot,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(Event::PointerButton {
        pos: spot,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(4);
    assert_eq!(name_of(&h, "admin"), "Teacher", "a click away dropped it");
}

#[test]
fn escape_keeps_what_was_there() {
    let mut h = with_selected("admin");
    type_into(&mut h, "Name", "Teacher");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert_eq!(name_of(&h, "admin"), "Admin");
    assert!(!h.state().session.doc.dirty, "Esc changed the drawing");
}

#[test]
fn a_services_table_can_be_renamed_by_typing() {
    let mut h = with_selected("catalog");
    type_into(&mut h, "Owns table", "items");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let table = h
        .state()
        .session
        .doc
        .scenario
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::Service(s) if n.id == "catalog" => Some(s.table.clone()),
            _ => None,
        })
        .expect("catalog");
    assert_eq!(table, "items");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(
        !h.state()
            .session
            .doc
            .scenario
            .nodes
            .iter()
            .any(|n| matches!(&n.kind, NodeKind::Service(s) if s.table == "items"))
    );
}

#[test]
fn a_replicas_topic_can_be_changed_by_typing() {
    let mut h = with_selected("search");
    type_into(&mut h, "Topic", "product-renamed");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let topic = h
        .state()
        .session
        .doc
        .scenario
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::Replica(r) if n.id == "search" => Some(r.topic.clone()),
            _ => None,
        })
        .expect("search");
    assert_eq!(topic, "product-renamed");
}

#[test]
fn typing_then_selecting_another_node_keeps_what_was_typed() {
    let mut h = with_selected("admin");
    type_into(&mut h, "Name", "Teacher");
    h.state_mut().push(Cmd::Select(Selection::node("catalog")));
    h.run_steps(4);
    assert_eq!(name_of(&h, "admin"), "Teacher");
}

/// The Fire form offers only requests the drawing can take: a client
/// linked to a replica can read from it, never write to it.
#[test]
fn the_fire_form_offers_no_write_to_a_replica() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(4);
    h.state_mut().push(settle::session::Cmd::Select(
        settle::session::Selection::node("shopper"),
    ));
    h.run_steps(3);
    h.get_by_label("Fire request");
    h.get_by_label("read");
    assert!(
        h.query_by_label("write").is_none(),
        "a write to a replica is offered"
    );
    h.state_mut().push(settle::session::Cmd::Select(
        settle::session::Selection::node("admin"),
    ));
    h.run_steps(3);
    h.get_by_label("write");
}
