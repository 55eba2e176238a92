//! A service's settings: the table it owns and the rows it starts with,
//! how it writes (with an outbox or not), where it publishes, and which
//! tables it reads directly.

use egui::Ui;

use super::nodes_of;
use crate::scenario::{
    EventShape, Kind, MAX_STARTING_ROWS, NodeKind, PublishTo, ServiceSpec, ValueSpec, WriteMode,
};
use crate::session::{Cmd, Edit};
use crate::ui::inspector::fields::{self, Fields, gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn service(
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
    starting_rows(ui, st, id, svc, cmds);

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
            // An event store makes the service event-sourced: it keeps no
            // table, its records are the folds of their streams.
            for (db, name) in nodes_of(view, Kind::EventStore) {
                ui.selectable_value(&mut choice, Some(db), format!("{name} (event-sourced)"));
            }
        })
        .response
        .labelled_by(l.id);
    if choice != svc.database {
        let mut k = svc.clone();
        k.event_sourced = nodes_of(view, Kind::EventStore)
            .iter()
            .any(|(e, _)| Some(e) == choice.as_ref());
        k.database = choice;
        cmds.push(Cmd::Edit(set(k)));
    }
    ui.end_row();
    if svc.event_sourced {
        label(ui, "Event-sourced");
        ui.label("each write appends an event to the record's stream; its row is the fold");
        ui.end_row();
    }

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
            // Events go to a broker or to a partitioned log alike.
            for &kind in Kind::ALL.iter().filter(|k| k.carries_events()) {
                for (b, name) in nodes_of(view, kind) {
                    ui.selectable_value(&mut choice, Some(b), name);
                }
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
        label(ui, "Calls");
        let mut in_turn = svc.calls_in_turn;
        ui.horizontal(|ui| {
            ui.radio_value(&mut in_turn, true, CALLS_IN_TURN)
                .on_hover_text("Read its own record first, then ask the services it calls: the figure a textbook draws");
            ui.radio_value(&mut in_turn, false, CALLS_AT_ONCE)
                .on_hover_text("Ask the services it calls while its own record is read: faster, harder to follow");
        });
        if in_turn != svc.calls_in_turn {
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

/// The choice of how a service asks the services it calls, as the
/// inspector words it.
pub const CALLS_IN_TURN: &str = "one after another";
pub const CALLS_AT_ONCE: &str = "all at once";

/// The rows the table holds when the run begins: each one's id and value
/// typed in its own named field, a row added or removed by a button, each
/// change one undoable edit.
fn starting_rows(ui: &mut Ui, st: &mut Fields, id: &str, svc: &ServiceSpec, cmds: &mut Vec<Cmd>) {
    let n = svc.rows.len();
    label(ui, "Starting rows");
    ui.weak(match n {
        0 => "none: the table starts empty".to_string(),
        1 => "1, in place when the run begins".to_string(),
        _ => format!("{n}, in place when the run begins"),
    });
    ui.end_row();
    for (k, (row_id, value)) in svc.rows.iter().enumerate() {
        let l = label(ui, &format!("Row {} id", k + 1));
        ui.horizontal(|ui| {
            let (node, keep, value) = (id.to_string(), row_id.clone(), value.clone());
            fields::text(ui, st, &format!("{id}/rows/{k}/id"), &l, row_id, cmds, {
                move |typed| {
                    // A row needs an id: an emptied field keeps the old one.
                    let row_id = if typed.is_empty() {
                        keep.clone()
                    } else {
                        typed
                    };
                    set_row(&node, k, (row_id, value.clone()))
                }
            });
            let r = ui
                .small_button("Remove")
                .on_hover_text("Take this row out of the starting table");
            let name = format!("Remove row {}", k + 1);
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if r.clicked() {
                cmds.push(Cmd::Edit(Edit::DeleteRow {
                    node: id.to_string(),
                    index: k,
                }));
            }
        });
        ui.end_row();
        let l = label(ui, &format!("Row {} value", k + 1));
        let (node, keep) = (id.to_string(), row_id.clone());
        fields::text(
            ui,
            st,
            &format!("{id}/rows/{k}/value"),
            &l,
            &shown_value(value),
            cmds,
            move |typed| set_row(&node, k, (keep.clone(), typed_value(typed))),
        );
        ui.end_row();
    }
    if n < MAX_STARTING_ROWS {
        ui.label("");
        if ui
            .button("Add a starting row")
            .on_hover_text("A row already written and replicated when the run begins")
            .clicked()
        {
            let fresh = (1..=n + 1)
                .map(|k| k.to_string())
                .find(|c| svc.rows.iter().all(|(r, _)| r != c))
                .unwrap_or_default();
            cmds.push(Cmd::Edit(set_row(
                id,
                n,
                (fresh, ValueSpec::Text(String::new())),
            )));
        }
        ui.end_row();
    }
}

/// The edit that gives starting row `index` of service `node` this id
/// and value.
fn set_row(node: &str, index: usize, row: (String, ValueSpec)) -> Edit {
    Edit::SetRow {
        node: node.to_string(),
        index,
        row,
    }
}

/// A starting value as its field shows it.
fn shown_value(v: &ValueSpec) -> String {
    match v {
        ValueSpec::Text(t) => t.clone(),
        ValueSpec::Int(n) => n.to_string(),
        ValueSpec::Seq => String::new(),
    }
}

/// What was typed as a value: a whole number written plainly (`42`,
/// `-3`, not `007`) is a number a counter or a change event can add to;
/// anything else is text.
fn typed_value(typed: String) -> ValueSpec {
    match typed.parse::<i64>() {
        Ok(n) if n.to_string() == typed => ValueSpec::Int(n),
        _ => ValueSpec::Text(typed),
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
