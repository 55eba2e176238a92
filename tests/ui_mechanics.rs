//! The new lessons and the projection's controls in the real app, driven
//! headless by their accessible labels: the welcome view lists the lessons
//! in course order, and the inspector of a projection offers the rebuild.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::Fault;
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

#[test]
fn the_welcome_view_lists_the_new_lessons_and_a_projection_rebuilds_from_its_inspector() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Idempotent consumer and dead letters");
    h.get_by_label_contains("Optimistic concurrency");
    h.get_by_label_contains("CQRS").click();
    h.run_steps(3);
    assert_eq!(h.state().session.doc.scenario.title, "CQRS");
    h.state_mut().push(Cmd::Seek(1_500_000.0));
    h.run_steps(2);
    h.state_mut().push(Cmd::Select(Selection::node("view")));
    h.run_steps(6);
    // Each source's row field can be edited there too.
    h.get_by_label("order-events rows by field");
    h.get_by_label("Rebuild view now").click();
    h.run_steps(3);
    let faults = &h.state().session.doc.scenario.faults;
    assert!(
        faults.iter().any(
            |f| matches!(f, Fault::Rebuild { node, at } if node == "view" && at.0 == 1_500_000)
        ),
        "{faults:?}"
    );
    let order: Vec<&str> = settle::session::presets::PRESETS
        .iter()
        .map(|p| p.file)
        .collect();
    let at = |f: &str| order.iter().position(|x| *x == f).expect("listed");
    assert_eq!(
        at("03b-idempotent-consumer.ron"),
        at("03-event-driven-replication.ron") + 1
    );
    assert_eq!(
        at("06b-optimistic-concurrency.ron"),
        at("06-conflict-resolution.ron") + 1
    );
}

/// A service can publish to a partitioned log as well as to a broker, so
/// its inspector offers both: in the log lesson, moving the accounts
/// service's events from the log to nothing and back is done there.
#[test]
fn a_services_publish_choice_offers_logs_as_well_as_brokers() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Partitioned log").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node("accounts")));
    h.run_steps(6);
    h.get_by_label("Publishes to").click();
    h.run_steps(3);
    h.get_by_label("nothing").click();
    h.run_steps(3);
    let publish =
        |h: &Harness<'static, SettleApp>| match &h.state().session.doc.scenario.nodes[1].kind {
            settle::scenario::NodeKind::Service(s) => s.publish.as_ref().map(|p| p.broker.clone()),
            other => panic!("not a service: {other:?}"),
        };
    assert_eq!(publish(&h), None);
    let combo = h.get_by_label("Publishes to").rect();
    h.get_by_label("Publishes to").click();
    h.run_steps(3);
    // "Event log" also names the log's node and a tab: take the choice
    // that opened under the drop-down.
    h.get_all_by_label("Event log")
        .find(|n| n.rect().min.y > combo.min.y && (n.rect().min.x - combo.min.x).abs() < 40.0)
        .expect("the log is offered")
        .click();
    h.run_steps(3);
    assert_eq!(publish(&h).as_deref(), Some("log"));
}
