//! Settings of the kinds that move events: brokers, partitioned logs,
//! the replicas they feed, and change-data-capture connectors.

use egui::Ui;

use crate::model::Dur;
use crate::scenario::{BrokerSpec, Capture, CdcSpec, Delivery, Keeping, NodeKind, ReplicaSpec};
use crate::session::Cmd;
use crate::ui::inspector::fields::{self, Fields, gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn broker(ui: &mut Ui, id: &str, b: &BrokerSpec, cmds: &mut Vec<Cmd>) {
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
                .on_hover_text("Park a delivery in the dead-letter queue once its subscriber has rejected it this many times (a poison message), instead of retrying for ever; a subscriber that is down only falls behind");
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

pub(super) fn replica(
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
        .flat_map(|m| m.kind.tables(&m.id))
        .filter(|k| k.keeping == Keeping::Source)
        .map(|k| k.name)
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

pub(super) fn cdc(ui: &mut Ui, view: &View, id: &str, c: &CdcSpec, cmds: &mut Vec<Cmd>) {
    label(ui, "Reads the log of");
    ui.label(view.label(&c.database));
    ui.end_row();
    capture(ui, view, id, c, cmds);
    label(ui, "Publishes to");
    let what = match (c.capture.table(), c.topic.as_deref()) {
        (Some(t), Some(topic)) => format!("{t}'s row changes on {topic}"),
        (Some(t), None) => format!("nothing yet: {t}'s row changes need a topic"),
        (None, Some(topic)) => format!("outbox rows on their topic; every change on {topic}"),
        (None, None) => "outbox rows on their topic".to_string(),
    };
    ui.label(format!("{} ({what})", view.label(&c.broker)));
    ui.end_row();
    let l = label(ui, "Polls every");
    let (r, d) = millis(ui, &l, c.poll);
    let mut k = c.clone();
    k.poll = Dur(d.0.max(1000));
    gesture(&r, cmds, set_spec(id, NodeKind::Cdc(k)));
    ui.end_row();
}

/// What the connector publishes: the outbox, or the row changes of one of
/// the tables kept in the database it tails (raw change data capture).
fn capture(ui: &mut Ui, view: &View, id: &str, c: &CdcSpec, cmds: &mut Vec<Cmd>) {
    let l = label(ui, "Captures");
    let tables: Vec<String> = view
        .scenario
        .nodes
        .iter()
        .flat_map(|m| m.kind.tables(&m.id))
        .filter(|k| k.keeping == Keeping::Source && k.in_database == Some(c.database.as_str()))
        .map(|k| k.name)
        .collect();
    let shown = |k: &Capture| match k {
        Capture::Outbox => "the outbox (published events)".to_string(),
        Capture::Table(t) => format!("every row change of {t}"),
    };
    let mut choice = c.capture.clone();
    egui::ComboBox::from_id_salt("cdc-capture")
        .selected_text(shown(&c.capture))
        .show_ui(ui, |ui| {
            let options = std::iter::once(Capture::Outbox).chain(tables.into_iter().map(Capture::Table));
            for k in options {
                let text = shown(&k);
                ui.selectable_value(&mut choice, k, text);
            }
        })
        .response
        .labelled_by(l.id)
        .on_hover_text("The outbox publishes the events the service writes on purpose; a table's row changes carry its columns as the table has them");
    if choice != c.capture {
        let mut k = c.clone();
        if let Some(t) = choice.table()
            && k.topic.is_none()
        {
            k.topic = Some(format!("{t}.changes"));
        }
        k.capture = choice;
        cmds.push(Cmd::Edit(set_spec(id, NodeKind::Cdc(k))));
    }
    ui.end_row();
}
