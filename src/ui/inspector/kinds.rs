//! Each node kind's settings in the inspector, one function per kind. A
//! change replaces the node's settings as one undoable edit; the run is
//! rebuilt at the same moment.

use egui::Ui;

use super::fields::{self, Fields, gesture, label, millis, set_spec};
use crate::model::Dur;
use crate::scenario::{
    BrokerSpec, CdcSpec, ClientSpec, Column, ComposerSpec, Delivery, EventShape, Kind, LogSpec,
    Node, NodeKind, OrchestratorSpec, PeerSpec, ProjectionSpec, PublishTo, ReplicaSpec,
    ServiceSpec, Strategy, WriteMode,
};
use crate::session::Cmd;
use crate::ui::view::View;

/// The settings grid of node `n`.
pub fn settings(ui: &mut Ui, view: &View, st: &mut Fields, n: &Node, cmds: &mut Vec<Cmd>) {
    egui::Grid::new("inspector-grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| match &n.kind {
            NodeKind::Client(c) => client(ui, &n.id, c, cmds),
            NodeKind::Service(svc) => service(ui, view, st, &n.id, svc, cmds),
            NodeKind::Database(_) => database(ui, view, &n.id),
            NodeKind::Broker(b) => broker(ui, &n.id, b, cmds),
            NodeKind::Replica(r) => replica(ui, view, st, &n.id, r, cmds),
            NodeKind::Cdc(c) => cdc(ui, view, &n.id, c, cmds),
            NodeKind::Composer(c) => composer(ui, view, &n.id, c, cmds),
            NodeKind::Orchestrator(o) => orchestrator(ui, view, st, &n.id, o, cmds),
            NodeKind::Peer(p) => peer(ui, view, &n.id, p, cmds),
            NodeKind::Projection(p) => projection(ui, view, st, &n.id, p, cmds),
            NodeKind::Log(l) => log(ui, view, &n.id, l, cmds),
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
    let l = label(ui, "Gives up after");
    let (r, d) = millis(ui, &l, c.timeout);
    gesture(
        &r,
        cmds,
        set_spec(id, NodeKind::Client(ClientSpec { timeout: d })),
    );
    ui.end_row();
}

fn service(
    ui: &mut Ui,
    view: &View,
    st: &mut Fields,
    id: &str,
    svc: &ServiceSpec,
    cmds: &mut Vec<Cmd>,
) {
    let set = |k: ServiceSpec| set_spec(id, NodeKind::Service(k));
    let l = label(ui, "Owns table");
    let (owner, base) = (id.to_string(), svc.clone());
    fields::text(
        ui,
        st,
        &format!("{id}/table"),
        &l,
        &svc.table,
        cmds,
        move |table| {
            let mut k = base.clone();
            if !table.is_empty() {
                k.table = table;
            }
            set_spec(&owner, NodeKind::Service(k))
        },
    );
    ui.end_row();

    let l = label(ui, "Database");
    let current = svc
        .database
        .as_deref()
        .map_or("its own store", |d| view.label(d));
    let mut choice = svc.database.clone();
    egui::ComboBox::from_id_salt("svc-db")
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, "its own store");
            for (db, name) in nodes_of(view, Kind::Database) {
                ui.selectable_value(&mut choice, Some(db), name);
            }
        })
        .response
        .labelled_by(l.id);
    if choice != svc.database {
        let mut k = svc.clone();
        k.database = choice;
        cmds.push(Cmd::Edit(set(k)));
    }
    ui.end_row();

    let l = label(ui, "Publishes to");
    let current = svc.publish.as_ref().map_or("nothing".to_string(), |p| {
        format!("{} / {}", view.label(&p.broker), p.topic)
    });
    let now = svc.publish.as_ref().map(|p| p.broker.clone());
    let mut choice = now.clone();
    egui::ComboBox::from_id_salt("svc-pub")
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, "nothing");
            for (b, name) in nodes_of(view, Kind::Broker) {
                ui.selectable_value(&mut choice, Some(b), name);
            }
        })
        .response
        .labelled_by(l.id);
    if choice != now {
        let mut k = svc.clone();
        k.publish = choice.map(|broker| PublishTo {
            broker,
            topic: format!("{}-changed", svc.table),
        });
        cmds.push(Cmd::Edit(set(k)));
    }
    ui.end_row();

    if svc.publish.is_some() && svc.database.is_some() {
        label(ui, "Events");
        ui.vertical(|ui| {
            let mut mode = svc.write;
            let a = ui
                .radio_value(
                    &mut mode,
                    WriteMode::DualWrite,
                    "dual write: commit, then publish",
                )
                .on_hover_text("A crash between the commit and the publish loses the event");
            let b = ui
                .radio_value(
                    &mut mode,
                    WriteMode::Outbox,
                    "outbox: row in the same commit",
                )
                .on_hover_text("A CDC connector on the database publishes the row, at least once");
            if a.changed() || b.changed() {
                let mut k = svc.clone();
                k.write = mode;
                cmds.push(Cmd::Edit(set(k)));
            }
        });
        ui.end_row();
    }

    if svc.publish.is_some() {
        label(ui, "Each event carries");
        ui.vertical(|ui| {
            let mut shape = svc.events;
            let a = ui
                .radio_value(&mut shape, EventShape::Record, "the whole record and its version")
                .on_hover_text("Applying it twice writes the same version again: harmless");
            let b = ui
                .radio_value(&mut shape, EventShape::Change, "only the change (stock -1)")
                .on_hover_text("Each write adds its number; a consumer that applies an event twice counts it twice");
            if a.changed() || b.changed() {
                let mut k = svc.clone();
                k.events = shape;
                cmds.push(Cmd::Edit(set(k)));
            }
        });
        ui.end_row();
    }
    direct_reads(ui, id, svc, cmds);

    let others: Vec<(String, String)> = nodes_of(view, Kind::Service)
        .into_iter()
        .filter(|(o, _)| o != id)
        .collect();
    if !others.is_empty() {
        label(ui, "Asks on reads");
        ui.vertical(|ui| {
            for (o, name) in others {
                let mut on = svc.calls.contains(&o);
                if ui.checkbox(&mut on, name).changed() {
                    let mut k = svc.clone();
                    if on {
                        k.calls.push(o.clone());
                    } else {
                        k.calls.retain(|c| c != &o);
                    }
                    cmds.push(Cmd::Edit(set(k)));
                }
            }
        });
        ui.end_row();
        label(ui, "");
        let mut in_turn = svc.calls_in_turn;
        if ui
            .checkbox(&mut in_turn, "one after its own read, not all at once")
            .on_hover_text("Ask the called services only once this service has read its own record")
            .changed()
        {
            let mut k = svc.clone();
            k.calls_in_turn = in_turn;
            cmds.push(Cmd::Edit(set(k)));
        }
        ui.end_row();
        let l = label(ui, "Waits at most");
        let (r, d) = millis(ui, &l, svc.call_timeout);
        let mut k = svc.clone();
        k.call_timeout = d;
        gesture(&r, cmds, set(k));
        ui.end_row();
    }
}

/// The tables of other services this one reads straight from a database
/// they share. A read can only be unticked here, never added: the editor
/// does not offer the anti-pattern, only the way out of it.
fn direct_reads(ui: &mut Ui, id: &str, svc: &ServiceSpec, cmds: &mut Vec<Cmd>) {
    if svc.reads.is_empty() {
        return;
    }
    label(ui, "Reads straight from");
    ui.vertical(|ui| {
        for table in &svc.reads {
            let mut on = true;
            if ui
                .checkbox(&mut on, table)
                .on_hover_text("Another service's table, read from the database they share")
                .changed()
            {
                let mut k = svc.clone();
                k.reads.retain(|t| t != table);
                cmds.push(Cmd::Edit(set_spec(id, NodeKind::Service(k))));
            }
        }
    });
    ui.end_row();
}

fn database(ui: &mut Ui, view: &View, id: &str) {
    label(ui, "Holds");
    let tables: Vec<&str> = view
        .scenario
        .nodes
        .iter()
        .filter_map(|m| match &m.kind {
            NodeKind::Service(svc) if svc.database.as_deref() == Some(id) => {
                Some(svc.table.as_str())
            }
            _ => None,
        })
        .collect();
    ui.label(if tables.is_empty() {
        "no table yet: link a service to it".to_string()
    } else {
        tables.join(", ")
    });
    ui.end_row();
}

fn broker(ui: &mut Ui, id: &str, b: &BrokerSpec, cmds: &mut Vec<Cmd>) {
    let max_attempts = b.max_attempts;
    let set = |delivery| {
        set_spec(
            id,
            NodeKind::Broker(BrokerSpec {
                delivery,
                max_attempts,
            }),
        )
    };
    label(ui, "Delivery");
    let mut at_least = matches!(b.delivery, Delivery::AtLeastOnce { .. });
    ui.vertical(|ui| {
        let a = ui.radio_value(&mut at_least, true, "at least once (acks, resends)");
        let c = ui.radio_value(&mut at_least, false, "at most once (no resends)");
        if a.changed() || c.changed() {
            let delivery = if at_least {
                Delivery::default()
            } else {
                Delivery::AtMostOnce
            };
            cmds.push(Cmd::Edit(set(delivery)));
        }
    });
    ui.end_row();
    if let Delivery::AtLeastOnce { ack_timeout } = b.delivery {
        let l = label(ui, "Resend after");
        let (r, d) = millis(ui, &l, ack_timeout);
        let delivery = Delivery::AtLeastOnce {
            ack_timeout: Dur(d.0.max(1000)),
        };
        gesture(&r, cmds, set(delivery));
        ui.end_row();
        let dl = label(ui, "Dead letters");
        ui.horizontal(|ui| {
            let mut limited = b.max_attempts.is_some();
            let mut n = b.max_attempts.unwrap_or(3);
            let c = ui
                .checkbox(&mut limited, "give up after")
                .on_hover_text("Park a delivery in the dead-letter queue after this many attempts instead of retrying for ever");
            let r = ui.add_enabled(limited, egui::DragValue::new(&mut n).range(1..=100))
                .labelled_by(dl.id);
            ui.label("attempts");
            let spec = BrokerSpec {
                delivery: b.delivery,
                max_attempts: limited.then_some(n),
            };
            if c.changed() {
                cmds.push(Cmd::Edit(set_spec(id, NodeKind::Broker(spec))));
            } else {
                gesture(&r, cmds, set_spec(id, NodeKind::Broker(spec)));
            }
        });
        ui.end_row();
    }
}

/// A log's settings: how long it waits for a consumer's acknowledgement,
/// each topic's partitions, and each group's commit interval and pace.
fn log(ui: &mut Ui, view: &View, id: &str, l: &LogSpec, cmds: &mut Vec<Cmd>) {
    let set = |k: LogSpec| set_spec(id, NodeKind::Log(k));
    let lbl = label(ui, "Resend after");
    let (r, d) = millis(ui, &lbl, l.ack_timeout);
    let mut k = l.clone();
    k.ack_timeout = Dur(d.0.max(1000));
    gesture(&r, cmds, set(k));
    ui.end_row();
    for (i, t) in l.topics.iter().enumerate() {
        let lbl = label(ui, &format!("Topic {} partitions", t.name));
        let mut n = t.partitions;
        let r = ui
            .add(egui::DragValue::new(&mut n).range(1..=64))
            .labelled_by(lbl.id)
            .on_hover_text("A key always goes to the same partition; order holds within one");
        let mut k = l.clone();
        k.topics[i].partitions = n;
        gesture(&r, cmds, set(k));
        ui.end_row();
    }
    for (i, g) in l.groups.iter().enumerate() {
        let lbl = label(ui, &format!("Group {} commits every", g.name));
        let mut n = g.commit_every;
        let r = ui
            .add(
                egui::DragValue::new(&mut n)
                    .range(1..=1000)
                    .suffix(" events"),
            )
            .labelled_by(lbl.id)
            .on_hover_text(
                "A member that crashes reads again what it handled since its group's last commit",
            );
        let mut k = l.clone();
        k.groups[i].commit_every = n;
        gesture(&r, cmds, set(k));
        ui.end_row();
        let lbl = label(ui, &format!("Group {} pace", g.name));
        let (r, d) = millis(ui, &lbl, g.pace);
        let mut k = l.clone();
        k.groups[i].pace = d;
        gesture(&r, cmds, set(k));
        ui.end_row();
    }
    label(ui, "Groups");
    let groups: Vec<String> = crate::scenario::log_groups(view.scenario, id)
        .iter()
        .map(|g| {
            let members: Vec<&str> = g.members.iter().map(|m| view.label(m)).collect();
            format!("{}: {}", g.name, members.join(", "))
        })
        .collect();
    ui.label(if groups.is_empty() {
        "no consumer yet: link a replica to it".to_string()
    } else {
        groups.join("\n")
    });
    ui.end_row();
}

fn replica(
    ui: &mut Ui,
    view: &View,
    st: &mut Fields,
    id: &str,
    r: &ReplicaSpec,
    cmds: &mut Vec<Cmd>,
) {
    let l = label(ui, "Copies table");
    let tables: Vec<String> = view
        .scenario
        .nodes
        .iter()
        .filter_map(|m| match &m.kind {
            NodeKind::Service(svc) => Some(svc.table.clone()),
            _ => None,
        })
        .collect();
    let mut choice = r.table.clone();
    egui::ComboBox::from_id_salt("rep-table")
        .selected_text(r.table.clone())
        .show_ui(ui, |ui| {
            for t in tables {
                ui.selectable_value(&mut choice, t.clone(), t);
            }
        })
        .response
        .labelled_by(l.id);
    if choice != r.table {
        let mut k = r.clone();
        k.table = choice;
        cmds.push(Cmd::Edit(set_spec(id, NodeKind::Replica(k))));
    }
    ui.end_row();
    label(ui, "From broker");
    ui.label(view.label(&r.broker));
    ui.end_row();
    let l = label(ui, "Topic");
    let (owner, base) = (id.to_string(), r.clone());
    fields::text(
        ui,
        st,
        &format!("{id}/topic"),
        &l,
        &r.topic,
        cmds,
        move |topic| {
            let mut k = base.clone();
            k.topic = topic;
            set_spec(&owner, NodeKind::Replica(k))
        },
    );
    ui.end_row();
    label(ui, "Duplicates");
    let mut dedup = r.dedup;
    if ui
        .checkbox(&mut dedup, "remembers processed event ids")
        .on_hover_text(
            "An idempotent consumer: an event it has applied is skipped if it comes again",
        )
        .changed()
    {
        let mut k = r.clone();
        k.dedup = dedup;
        cmds.push(Cmd::Edit(set_spec(id, NodeKind::Replica(k))));
    }
    ui.end_row();
}

fn cdc(ui: &mut Ui, view: &View, id: &str, c: &CdcSpec, cmds: &mut Vec<Cmd>) {
    label(ui, "Reads the log of");
    ui.label(view.label(&c.database));
    ui.end_row();
    label(ui, "Publishes to");
    ui.label(format!(
        "{} (outbox rows on their topic{})",
        view.label(&c.broker),
        c.topic
            .as_deref()
            .map(|t| format!("; every change on {t}"))
            .unwrap_or_default()
    ));
    ui.end_row();
    let l = label(ui, "Polls every");
    let (r, d) = millis(ui, &l, c.poll);
    let mut k = c.clone();
    k.poll = Dur(d.0.max(1000));
    gesture(&r, cmds, set_spec(id, NodeKind::Cdc(k)));
    ui.end_row();
}

fn composer(ui: &mut Ui, view: &View, id: &str, c: &ComposerSpec, cmds: &mut Vec<Cmd>) {
    label(ui, "Asks in parallel");
    let names: Vec<&str> = c.calls.iter().map(|s| view.label(s)).collect();
    ui.label(names.join(", "));
    ui.end_row();
    let l = label(ui, "Waits at most");
    let (r, d) = millis(ui, &l, c.call_timeout);
    let mut k = c.clone();
    k.call_timeout = d;
    gesture(&r, cmds, set_spec(id, NodeKind::Composer(k)));
    ui.end_row();
}

fn orchestrator(
    ui: &mut Ui,
    view: &View,
    fields_st: &mut Fields,
    id: &str,
    o: &OrchestratorSpec,
    cmds: &mut Vec<Cmd>,
) {
    // Each step, the write that undoes it (empty: nothing can), and
    // whether it holds its record pending until the saga ends.
    for (k, st) in o.steps.iter().enumerate() {
        let l = label(
            ui,
            &format!(
                "{}. {}: {}, undone by",
                k + 1,
                view.label(&st.service),
                st.action
            ),
        );
        ui.horizontal(|ui| {
            let (owner, base) = (id.to_string(), o.clone());
            fields::text(
                ui,
                fields_st,
                &format!("{id}/compensation/{k}"),
                &l,
                &st.compensation,
                cmds,
                move |undo| {
                    let mut spec = base.clone();
                    if let Some(step) = spec.steps.get_mut(k) {
                        step.compensation = undo;
                    }
                    set_spec(&owner, NodeKind::Orchestrator(spec))
                },
            );
            if st.compensation.trim().is_empty() {
                ui.label("(none: this step cannot be undone)");
            }
            let mut pending = st.pending;
            if ui
                .checkbox(&mut pending, "pending")
                .on_hover_text("A semantic lock: the record reads pending, and only this saga may write it, until the saga ends")
                .changed()
            {
                let mut spec = o.clone();
                if let Some(step) = spec.steps.get_mut(k) {
                    step.pending = pending;
                }
                cmds.push(Cmd::Edit(set_spec(id, NodeKind::Orchestrator(spec))));
            }
        });
        ui.end_row();
    }
    let l = label(ui, "Gives a step");
    let (r, d) = millis(ui, &l, o.step_timeout);
    let mut k = o.clone();
    k.step_timeout = d;
    gesture(&r, cmds, set_spec(id, NodeKind::Orchestrator(k)));
    ui.end_row();
    let l = label(ui, "Pivot");
    let shown = |p: Option<usize>| match p {
        None => "none: every step can be undone".to_string(),
        Some(n) => format!("step {n}: later steps are retried forward"),
    };
    let mut choice = o.pivot;
    egui::ComboBox::from_id_salt("saga-pivot")
        .selected_text(shown(o.pivot))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut choice, None, shown(None));
            for n in 1..=o.steps.len() {
                ui.selectable_value(&mut choice, Some(n), shown(Some(n)));
            }
        })
        .response
        .labelled_by(l.id)
        .on_hover_text("The step after which the saga never goes back");
    if choice != o.pivot {
        let mut k = o.clone();
        k.pivot = choice;
        cmds.push(Cmd::Edit(set_spec(id, NodeKind::Orchestrator(k))));
    }
    ui.end_row();
}

fn projection(
    ui: &mut Ui,
    view: &View,
    st: &mut Fields,
    id: &str,
    p: &ProjectionSpec,
    cmds: &mut Vec<Cmd>,
) {
    let l = label(ui, "View");
    let (owner, base) = (id.to_string(), p.clone());
    fields::text(
        ui,
        st,
        &format!("{id}/view"),
        &l,
        &p.view,
        cmds,
        move |name| {
            let mut k = base.clone();
            if !name.is_empty() {
                k.view = name;
            }
            set_spec(&owner, NodeKind::Projection(k))
        },
    );
    ui.end_row();
    label(ui, "From broker");
    ui.label(view.label(&p.broker));
    ui.end_row();
    label(ui, "Folds");
    ui.vertical(|ui| {
        for src in &p.sources {
            let row = src
                .row
                .as_deref()
                .map_or("its own id".to_string(), |f| format!("its {f}"));
            let columns: Vec<String> = src
                .columns
                .iter()
                .map(|c| match c {
                    Column::Copy { name, field } => match field {
                        Some(f) => format!("{name} = {f}"),
                        None => format!("{name} = the value"),
                    },
                    Column::Count { name } => format!("{name} = how many"),
                    Column::Sum { name, field } => format!("{name} = sum of {field}"),
                })
                .collect();
            ui.label(format!(
                "{} → row by {row}: {}",
                src.topic,
                columns.join(", ")
            ));
        }
    });
    ui.end_row();
    // Which field of each source's records names its row: editable, so a
    // learner can regroup the view (orders by customer, or by order).
    for (k, src) in p.sources.iter().enumerate() {
        let l = label(ui, &format!("{} rows by field", src.topic));
        let (owner, base) = (id.to_string(), p.clone());
        fields::text(
            ui,
            st,
            &format!("{id}/row/{k}"),
            &l,
            src.row.as_deref().unwrap_or(""),
            cmds,
            move |field| {
                let mut spec = base.clone();
                if let Some(s) = spec.sources.get_mut(k) {
                    s.row = (!field.trim().is_empty()).then(|| field.trim().to_string());
                }
                set_spec(&owner, NodeKind::Projection(spec))
            },
        );
        ui.end_row();
    }
}

/// How a strategy reads in the inspector.
fn strategy_words(s: Strategy) -> &'static str {
    match s {
        Strategy::LastWriterWins => "last writer wins (by timestamp)",
        Strategy::VersionVectors => "keep both (version vectors)",
        Strategy::Counter => "add up (counter CRDT)",
        Strategy::Set => "union (set CRDT)",
    }
}

fn peer(ui: &mut Ui, view: &View, id: &str, p: &PeerSpec, cmds: &mut Vec<Cmd>) {
    label(ui, "Copy of");
    ui.label(&p.table);
    ui.end_row();
    // Every copy of a table settles conflicts alike: a choice here is made
    // for all of them, as one undoable edit.
    let l = label(ui, "On conflict");
    let mut choice = p.strategy;
    egui::ComboBox::from_id_salt("peer-strategy")
        .selected_text(strategy_words(p.strategy))
        .show_ui(ui, |ui| {
            for s in [
                Strategy::LastWriterWins,
                Strategy::VersionVectors,
                Strategy::Counter,
                Strategy::Set,
            ] {
                ui.selectable_value(&mut choice, s, strategy_words(s));
            }
        })
        .response
        .labelled_by(l.id)
        .on_hover_text(format!("For every copy of {}", p.table));
    if choice != p.strategy {
        cmds.push(Cmd::Checkpoint);
        for m in &view.scenario.nodes {
            if let NodeKind::Peer(q) = &m.kind
                && q.table == p.table
            {
                let mut k = q.clone();
                k.strategy = choice;
                cmds.push(Cmd::Gesture(set_spec(&m.id, NodeKind::Peer(k))));
            }
        }
    }
    ui.end_row();
    let l = label(ui, "Clock ahead by");
    let (r, d) = millis(ui, &l, p.clock_skew);
    let mut k = p.clone();
    k.clock_skew = d;
    gesture(&r, cmds, set_spec(id, NodeKind::Peer(k)));
    ui.end_row();
}
