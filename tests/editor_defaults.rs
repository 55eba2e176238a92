//! What a drawing made from a blank page looks like after the usual first
//! edits: a renamed service's table follows its name while the user has
//! not named it, and how a service asks the services it calls is a choice
//! the inspector shows, one after another by default.

use egui::accesskit::Toggled;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use settle::scenario::{self, Kind, NodeKind, Scenario, ServiceSpec};
use settle::session::edit::Edit;
use settle::session::{Cmd, Document, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn service<'a>(s: &'a Scenario, id: &str) -> &'a ServiceSpec {
    match s.nodes.iter().find(|n| n.id == id).map(|n| &n.kind) {
        Some(NodeKind::Service(svc)) => svc,
        other => panic!("{id} is not a service: {other:?}"),
    }
}

fn apply(doc: &mut Document, e: Edit) {
    doc.apply(&e);
}

fn add(doc: &mut Document, kind: Kind) -> String {
    let before = doc.scenario.nodes.len();
    apply(doc, Edit::AddNode { kind, at: None });
    doc.scenario.nodes[before].id.clone()
}

fn connect(doc: &mut Document, a: &str, b: &str) {
    apply(
        doc,
        Edit::Connect {
            from: a.into(),
            to: b.into(),
        },
    );
}

fn rename(doc: &mut Document, id: &str, name: &str) {
    apply(
        doc,
        Edit::Rename {
            id: id.into(),
            name: name.into(),
        },
    );
}

#[test]
fn a_renamed_service_takes_its_default_table_and_topic_along() {
    let mut doc = Document::new(settle::session::empty_scenario(), None, "t".into());
    let svc = add(&mut doc, Kind::Service);
    let db = add(&mut doc, Kind::Database);
    let bus = add(&mut doc, Kind::Broker);
    connect(&mut doc, &svc, &db);
    connect(&mut doc, &svc, &bus);
    let rep = add(&mut doc, Kind::Replica);
    connect(&mut doc, &rep, &bus);
    assert_eq!(service(&doc.scenario, &svc).table, "service-1-data");

    rename(&mut doc, &svc, "Orders");
    let s = &doc.scenario;
    assert_eq!(service(s, &svc).table, "orders-data");
    let topic = &service(s, &svc).publish.as_ref().expect("publishes").topic;
    assert_eq!(topic, "orders-data-changed");
    let Some(NodeKind::Replica(r)) = s.nodes.iter().find(|n| n.id == rep).map(|n| &n.kind) else {
        panic!("no replica");
    };
    assert_eq!(
        (r.table.as_str(), r.topic.as_str()),
        ("orders-data", "orders-data-changed")
    );
    assert_eq!(scenario::problem(s), None, "the renamed drawing still runs");

    // Renamed again while the table still has the name it was given.
    rename(&mut doc, &svc, "Order service");
    assert_eq!(service(&doc.scenario, &svc).table, "order-service-data");

    // A table the user named stays as it is.
    let mut k = service(&doc.scenario, &svc).clone();
    k.table = "purchases".into();
    apply(
        &mut doc,
        Edit::SetSpec {
            id: svc.clone(),
            spec: Box::new(NodeKind::Service(k)),
        },
    );
    rename(&mut doc, &svc, "Shop");
    assert_eq!(service(&doc.scenario, &svc).table, "purchases");

    // Undo goes back one rename at a time.
    assert!(doc.undo());
    assert!(doc.undo());
    assert_eq!(service(&doc.scenario, &svc).table, "order-service-data");
}

#[test]
fn a_name_another_table_has_is_not_taken() {
    let mut doc = Document::new(settle::session::empty_scenario(), None, "t".into());
    let a = add(&mut doc, Kind::Service);
    let b = add(&mut doc, Kind::Service);
    rename(&mut doc, &a, "Orders");
    rename(&mut doc, &b, "orders");
    assert_eq!(service(&doc.scenario, &a).table, "orders-data");
    assert_eq!(service(&doc.scenario, &b).table, "service-2-data");
}

#[test]
fn how_a_service_calls_is_a_choice_in_the_inspector_one_after_another_by_default() {
    let mut h = Harness::builder()
        .with_size(vec2(1440.0, 900.0))
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        );
    h.run_steps(2);
    let session = &mut h.state_mut().session;
    session.apply(Cmd::New);
    session.apply(Cmd::ConfirmDiscard);
    for kind in [Kind::Service, Kind::Service] {
        session.apply(Cmd::Edit(Edit::AddNode { kind, at: None }));
    }
    session.apply(Cmd::Edit(Edit::Connect {
        from: "service-1".into(),
        to: "service-2".into(),
    }));
    session.apply(Cmd::Select(Selection::node("service-1")));
    h.run_steps(4);
    let s = &h.state().session.doc.scenario;
    assert_eq!(service(s, "service-1").calls, ["service-2"]);
    assert!(
        service(s, "service-1").calls_in_turn,
        "new services call one after another"
    );
    let chosen = |h: &Harness<'static, SettleApp>, label: &str| {
        h.get_by_label(label).accesskit_node().toggled() == Some(Toggled::True)
    };
    assert!(chosen(&h, "one after another") && !chosen(&h, "all at once"));
    h.get_by_label("all at once").click();
    h.run_steps(4);
    assert!(!service(&h.state().session.doc.scenario, "service-1").calls_in_turn);
    assert!(chosen(&h, "all at once"));
    h.get_by_label("one after another").click();
    h.run_steps(4);
    assert!(service(&h.state().session.doc.scenario, "service-1").calls_in_turn);
}
