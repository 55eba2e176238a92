//! A CDC connector's capture chosen in the inspector, driven headless by
//! accessible labels: lesson 04b's outbox relay is switched to capture
//! the customers table's row changes, and gets a topic to publish them on.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::{Capture, NodeKind};
use settle::session::{Cmd, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        // Tall enough that the inspector shows below the replica states.
        .with_size(vec2(1600.0, 2400.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

fn relay(h: &Harness<'static, SettleApp>) -> settle::scenario::CdcSpec {
    let s = &h.state().session.doc.scenario;
    match s.nodes.iter().find(|n| n.id == "relay").map(|n| &n.kind) {
        Some(NodeKind::Cdc(c)) => c.clone(),
        other => panic!("not a connector: {other:?}"),
    }
}

#[test]
fn the_inspector_switches_a_connector_from_the_outbox_to_a_tables_row_changes() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("CDC and event contracts").click();
    h.run_steps(3);
    assert_eq!(
        h.state().session.doc.scenario.title,
        "CDC and event contracts"
    );
    h.state_mut().push(Cmd::Select(Selection::node("relay")));
    h.run_steps(6);
    assert_eq!(relay(&h).capture, Capture::Outbox);
    h.get_by_label("Captures").click();
    h.run_steps(3);
    h.get_by_label("every row change of customers").click();
    h.run_steps(3);
    let c = relay(&h);
    assert_eq!(c.capture, Capture::Table("customers".into()));
    assert_eq!(c.topic.as_deref(), Some("customers.changes"));
    // And back: the outbox again, one undoable edit each way.
    h.get_by_label("Captures").click();
    h.run_steps(3);
    h.get_by_label("the outbox (published events)").click();
    h.run_steps(3);
    assert_eq!(relay(&h).capture, Capture::Outbox);
}
