//! The client's retry and idempotency-key settings in the inspector, found
//! by their labels as a screen reader finds them.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::{ClientSpec, NodeKind};
use settle::session::{Cmd, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn checkout(h: &Harness<'static, SettleApp>) -> ClientSpec {
    h.state()
        .session
        .doc
        .scenario
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::Client(c) if n.id == "checkout" => Some(c.clone()),
            _ => None,
        })
        .expect("checkout")
}

#[test]
fn the_client_retries_with_a_key_that_the_inspector_names() {
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        );
    h.run_steps(2);
    h.get_by_label_contains("Outbox and CDC").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node("checkout")));
    h.run_steps(3);
    let c = checkout(&h);
    assert_eq!((c.retries, c.idempotency_key), (1, true));
    h.get_by_label("Retries after a timeout");
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Idempotency key")
        .click();
    h.run_steps(3);
    let c = checkout(&h);
    assert_eq!((c.retries, c.idempotency_key), (1, false), "the key is off");
}
