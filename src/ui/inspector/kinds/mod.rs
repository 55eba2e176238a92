//! Each node kind's settings in the inspector, one function per kind,
//! grouped by the part of the system the kind plays. A change replaces
//! the node's settings as one undoable edit; the run is rebuilt at the
//! same moment.

mod coordination;
mod coordinator;
mod log;
mod messaging;
mod read_side;
mod service;

use egui::Ui;

use super::fields::{Fields, gesture, label, millis, set_spec};
use crate::scenario::{ClientSpec, EventStoreSpec, Kind, Node, NodeKind};
use crate::session::Cmd;
use crate::ui::view::View;

/// The settings grid of node `n`.
pub fn settings(ui: &mut Ui, view: &View, st: &mut Fields, n: &Node, cmds: &mut Vec<Cmd>) {
    egui::Grid::new("inspector-grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| match &n.kind {
            NodeKind::Client(c) => client(ui, &n.id, c, cmds),
            NodeKind::Service(svc) => service::service(ui, view, st, &n.id, svc, cmds),
            NodeKind::Database(_) => database(ui, view, &n.id),
            NodeKind::Broker(b) => messaging::broker(ui, &n.id, b, cmds),
            NodeKind::Replica(r) => messaging::replica(ui, view, st, &n.id, r, cmds),
            NodeKind::Cdc(c) => messaging::cdc(ui, view, &n.id, c, cmds),
            NodeKind::Composer(c) => read_side::composer(ui, view, &n.id, c, cmds),
            NodeKind::Orchestrator(o) => coordination::orchestrator(ui, view, st, &n.id, o, cmds),
            NodeKind::Peer(p) => coordination::peer(ui, view, &n.id, p, cmds),
            NodeKind::Projection(p) => read_side::projection(ui, view, st, &n.id, p, cmds),
            NodeKind::Log(l) => log::log(ui, view, &n.id, l, cmds),
            NodeKind::Coordinator(c) => coordinator::coordinator(ui, view, &n.id, c, cmds),
            NodeKind::EventStore(e) => event_store(ui, view, &n.id, e, cmds),
        });
}

/// Ids of the nodes of one kind, with their names.
fn nodes_of(view: &View, kind: Kind) -> Vec<(String, String)> {
    view.scenario
        .nodes
        .iter()
        .filter(|m| m.kind.kind() == kind)
        .map(|m| (m.id.clone(), m.label().to_string()))
        .collect()
}

fn client(ui: &mut Ui, id: &str, c: &ClientSpec, cmds: &mut Vec<Cmd>) {
    let set = |k: ClientSpec| set_spec(id, NodeKind::Client(k));
    let l = label(ui, "Gives up after");
    let (r, d) = millis(ui, &l, c.timeout);
    gesture(&r, cmds, set(ClientSpec { timeout: d, ..*c }));
    ui.end_row();
    let l = label(ui, "Retries after a timeout");
    let mut n = c.retries;
    let r = ui
        .add(egui::DragValue::new(&mut n).range(0..=crate::scenario::MAX_CLIENT_RETRIES))
        .labelled_by(l.id)
        .on_hover_text("A timed-out request has an unknown outcome: it may have been done. Send it again this many times before giving up");
    // A key matters only to a retry: no retries, no key.
    let k = ClientSpec {
        retries: n,
        idempotency_key: c.idempotency_key && n > 0,
        ..*c
    };
    gesture(&r, cmds, set(k));
    ui.end_row();
    let l = label(ui, "Idempotency key");
    let mut on = c.idempotency_key;
    let r = ui
        .add_enabled(
            c.retries > 0,
            egui::Checkbox::new(&mut on, "same key on every retry of a write"),
        )
        .labelled_by(l.id)
        .on_hover_text("The service stores the key with the write, in the same transaction, and answers a retry with the first answer instead of writing twice");
    if r.changed() {
        cmds.push(Cmd::Edit(set(ClientSpec {
            idempotency_key: on,
            ..*c
        })));
    }
    ui.end_row();
}

/// An event store: whose streams it keeps, and how often it snapshots.
fn event_store(ui: &mut Ui, view: &View, id: &str, e: &EventStoreSpec, cmds: &mut Vec<Cmd>) {
    label(ui, "Streams of");
    let writers: Vec<String> = view
        .scenario
        .nodes
        .iter()
        .filter(|m| m.kind.database() == Some(id))
        .map(|m| m.label().to_string())
        .collect();
    ui.label(if writers.is_empty() {
        "no service yet: link a service to it".to_string()
    } else {
        format!("{}: one stream per record", writers.join(", "))
    });
    ui.end_row();
    let l = label(ui, "Snapshot every");
    let mut n = e.snapshot_every.unwrap_or(0);
    let r = ui
        .add(
            egui::DragValue::new(&mut n)
                .range(0..=crate::scenario::MAX_SNAPSHOT_EVERY)
                .suffix(" events"),
        )
        .labelled_by(l.id)
        .on_hover_text("Keep each stream's fold every this many events; 0 takes none");
    let k = EventStoreSpec {
        snapshot_every: (n > 0).then_some(n),
    };
    gesture(&r, cmds, set_spec(id, NodeKind::EventStore(k)));
    ui.end_row();
}

fn database(ui: &mut Ui, view: &View, id: &str) {
    label(ui, "Holds");
    let tables: Vec<String> = view
        .scenario
        .nodes
        .iter()
        .flat_map(|m| m.kind.tables(&m.id))
        .filter(|k| k.in_database == Some(id))
        .map(|k| k.name)
        .collect();
    ui.label(if tables.is_empty() {
        "no table yet: link a service to it".to_string()
    } else {
        tables.join(", ")
    });
    ui.end_row();
}
