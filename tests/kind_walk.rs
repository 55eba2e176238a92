//! Every node kind walked through every place a user meets it, as a user
//! would: added to a blank drawing with the editor's commands, linked to
//! each kind a link gives a meaning to, validated, run, selected, sent
//! each request it serves from the Fire form, and read by a screen
//! reader. The kinds come from `Kind::ALL`, so a new kind is walked with
//! no change here, and fails here wherever it was left out.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use settle::scenario::{self, Kind, Op, Scenario};
use settle::session::actions::{Action, plain_write, request_targets};
use settle::session::{Cmd, Edit, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1440.0, 900.0))
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

/// Applies an edit as the editor does; returns the new node's id for an
/// added node.
fn edit(h: &mut Harness<'static, SettleApp>, e: Edit) -> Option<String> {
    let before: Vec<String> = ids(&h.state().session.doc.scenario);
    h.state_mut().session.apply(Cmd::Edit(e));
    ids(&h.state().session.doc.scenario)
        .into_iter()
        .find(|id| !before.contains(id))
}

fn ids(s: &Scenario) -> Vec<String> {
    s.nodes.iter().map(|n| n.id.clone()).collect()
}

fn add(h: &mut Harness<'static, SettleApp>, kind: Kind) -> String {
    edit(h, Edit::AddNode { kind, at: None }).expect("a node was added")
}

fn connect(h: &mut Harness<'static, SettleApp>, from: &str, to: &str) {
    edit(
        h,
        Edit::Connect {
            from: from.into(),
            to: to.into(),
        },
    );
}

/// The first node of `kind` other than `not`, added if there is none.
fn one_of(h: &mut Harness<'static, SettleApp>, kind: Kind, not: &str) -> String {
    let s = &h.state().session.doc.scenario;
    match s
        .nodes
        .iter()
        .find(|n| n.kind.kind() == kind && n.id != not)
    {
        Some(n) => n.id.clone(),
        None => add(h, kind),
    }
}

/// The drawing every kind joins: a client asking a service that keeps
/// its table in a database and publishes its changes to a broker, all
/// made with the editor's commands.
fn base(h: &mut Harness<'static, SettleApp>) -> (String, String) {
    h.state_mut().session.apply(Cmd::New);
    // The last kind's drawing is not saved: leave it.
    h.state_mut().session.apply(Cmd::ConfirmDiscard);
    assert!(
        h.state().session.doc.scenario.nodes.is_empty(),
        "File > New leaves a blank drawing"
    );
    let client = add(h, Kind::Client);
    let service = add(h, Kind::Service);
    let db = add(h, Kind::Database);
    let bus = add(h, Kind::Broker);
    connect(h, &client, &service);
    connect(h, &service, &db);
    connect(h, &service, &bus);
    (client, service)
}

/// Links every node to the nodes its settings name and it talks to, as
/// validation asks a user to (a connector added beside a broker names it
/// before it is linked to it).
fn link_what_each_names(h: &mut Harness<'static, SettleApp>) {
    let s = h.state().session.doc.scenario.clone();
    for n in &s.nodes {
        let k = &n.kind;
        let named = k
            .publishes()
            .map(|p| p.broker)
            .into_iter()
            .chain(k.tails())
            .chain(k.database())
            .chain(k.reads().into_iter().map(|r| r.broker))
            .chain(k.calls());
        for other in named {
            if s.nodes.iter().any(|m| m.id == other) {
                connect(h, &n.id, other);
            }
        }
    }
}

fn ops() -> [Op; 2] {
    [plain_write("r1", "v", false), Op::Read { id: "r1".into() }]
}

#[test]
fn every_kind_is_walked_through_the_editor_the_run_the_fire_form_and_the_screen_reader() {
    let mut h = harness();
    h.run_steps(2);
    for &kind in Kind::ALL {
        let word = kind.word();
        let (client, service) = base(&mut h);
        let me = add(&mut h, kind);
        // Link it to each kind a link means something to, either way.
        for &other in Kind::ALL {
            if kind.wire(other).is_some() {
                let them = one_of(&mut h, other, &me);
                connect(&mut h, &me, &them);
            } else if other.wire(kind).is_some() {
                let them = if other == Kind::Service {
                    service.clone()
                } else {
                    one_of(&mut h, other, &me)
                };
                connect(&mut h, &them, &me);
            }
        }
        if kind.serves_requests() {
            connect(&mut h, &client, &me);
        }
        link_what_each_names(&mut h);
        let s = h.state().session.doc.scenario.clone();
        assert_eq!(
            scenario::problem(&s),
            None,
            "a {word} added and linked with the editor does not validate: {:#?}",
            s.nodes
        );
        // It runs to the end.
        h.state_mut().session.apply(Cmd::End);
        assert!(
            h.state().session.problem.is_none() && h.state().session.player.is_some(),
            "a drawing with a {word} does not run: {:?}",
            h.state().session.problem
        );
        // Selected.
        h.state_mut()
            .session
            .apply(Cmd::Select(Selection::node(&me)));
        assert!(h.state().session.selection.nodes.contains(&me));
        // The Fire form offers exactly what validation accepts.
        let now = h.state().session.player.as_ref().map_or(0, |p| p.now());
        let targets = request_targets(&s, &client, now);
        let offered = targets.iter().find(|t| t.to == me);
        for (op, offered) in ops().into_iter().zip([
            offered.is_some_and(|t| t.write),
            offered.is_some_and(|t| t.read),
        ]) {
            let mut after = s.clone();
            Action::Request {
                from: client.clone(),
                to: me.clone(),
                op: op.clone(),
            }
            .at(now)
            .apply(&mut after);
            let accepted = scenario::problem(&after).is_none();
            assert_eq!(
                offered,
                accepted,
                "the Fire form {} {op:?} to a {word}, and validation {}",
                if offered { "offers" } else { "does not offer" },
                if accepted { "accepts it" } else { "refuses it" }
            );
            assert_eq!(accepted, kind.serves(&op), "{word} serves {op:?}");
            if offered {
                h.state_mut().session.apply(Cmd::Act(Action::Request {
                    from: client.clone(),
                    to: me.clone(),
                    op,
                }));
                assert!(
                    h.state().session.problem.is_none(),
                    "firing at a {word} broke the drawing: {:?}",
                    h.state().session.problem
                );
            }
        }
        // Its live actions are offered.
        let trace = h.state().session.player.as_ref().map(|p| p.trace());
        let offers = settle::session::actions::node_offers(&s, trace, &me, now);
        assert!(!offers.is_empty(), "nothing can be done to a {word}");
        // The screen reader hears it, with its state.
        h.run_steps(3);
        let label = format!("{}, {word}", me);
        let said = h
            .get_by_label(&label)
            .accesskit_node()
            .description()
            .unwrap_or_default()
            .to_string();
        assert!(said.contains("selected"), "{label} says {said:?}");
    }
}
