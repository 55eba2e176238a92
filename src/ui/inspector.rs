//! The inspector: settings of what is selected, which take effect on the
//! next run (the run is rebuilt at the same moment), and the live actions
//! an instructor fires: crash or restart a node, cut or heal a link, send
//! a request now.

use egui::{Response, RichText};

use super::app::View;
use super::command::{Action, Cmd};
use super::theme;
use crate::scenario::{
    Delivery, Dur, Latency, NodeKind, Op, Prob, PublishTo, Scenario, ValueSpec, WriteMode,
};
use crate::sim::model::body_label;
use crate::trace::Fate;
use crate::trace::query::FaultState;

/// The request form's fields, kept while the user types.
#[derive(Default)]
pub struct InspectorState {
    to: String,
    write: bool,
    id: String,
    value: String,
    /// Text being typed into settings fields, by field.
    texts: std::collections::BTreeMap<String, String>,
}

/// A text field for a setting: shows the current value while idle, and
/// returns the typed value (trimmed) when the user leaves the field having
/// changed it.
fn text_setting(
    ui: &mut egui::Ui,
    st: &mut InspectorState,
    key: &str,
    current: &str,
) -> Option<String> {
    let buf = st
        .texts
        .entry(key.to_string())
        .or_insert_with(|| current.to_string());
    let r = ui.add(egui::TextEdit::singleline(buf).id_salt(key));
    let typed = buf.trim().to_string();
    if r.lost_focus() {
        *buf = current.to_string();
        return (typed != current).then_some(typed);
    }
    if !r.has_focus() {
        // Not being typed into: follow the document (undo, canvas rename).
        *buf = current.to_string();
    }
    None
}

/// Pushes `set` as part of one undoable gesture: a checkpoint when the
/// widget is first touched, then each change.
fn gesture(r: &Response, cmds: &mut Vec<Cmd>, set: impl FnOnce(&mut Scenario) + 'static) {
    if r.drag_started() || r.gained_focus() {
        cmds.push(Cmd::Checkpoint);
    }
    if r.changed() {
        if r.dragged() || r.has_focus() {
            cmds.push(Cmd::Gesture(Box::new(set)));
        } else {
            cmds.push(Cmd::Edit(Box::new(set)));
        }
    }
}

fn ms(ui: &mut egui::Ui, d: Dur) -> (Response, Dur) {
    let mut v = d.0 as f64 / 1000.0;
    let r = ui.add(
        egui::DragValue::new(&mut v)
            .range(0.0..=60_000.0)
            .speed(1.0)
            .suffix(" ms"),
    );
    (r, Dur((v * 1000.0).round() as u64))
}

fn set_kind(id: String, kind: NodeKind) -> impl FnOnce(&mut Scenario) + 'static {
    move |s| {
        if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
            n.kind = kind;
        }
    }
}

pub fn ui(ui: &mut egui::Ui, view: &View, st: &mut InspectorState, cmds: &mut Vec<Cmd>) {
    ui.heading("Inspector");
    let s = view.scenario;
    if let Some(m) = view.selection.message {
        message(ui, view, m);
        ui.separator();
    }
    if view.selection.nodes.len() > 1 {
        ui.label(format!(
            "{} nodes selected. Drag one to move them all; Delete removes them.",
            view.selection.nodes.len()
        ));
        return;
    }
    if let Some(id) = view.selection.nodes.iter().next() {
        if let Some(n) = s.nodes.iter().find(|n| &n.id == id) {
            node(ui, view, st, n, cmds);
        }
        return;
    }
    if let Some(l) = view.selection.link {
        if let Some(link) = s.links.get(l) {
            link_ui(ui, view, l, link, cmds);
        }
        return;
    }
    if view.selection.message.is_none() {
        ui.weak("Select a node, a link or a message to see its settings and actions.");
    }
}

fn message(ui: &mut egui::Ui, view: &View, m: u32) {
    let Some(p) = view.player else { return };
    let t = p.trace();
    let Some(msg) = t.message(m) else { return };
    ui.label(RichText::new("Message").strong());
    if let Some(b) = t.body(msg.body) {
        ui.label(RichText::new(body_label(&t.names, b)).color(theme::message_color(b.kind())));
    }
    ui.label(format!("{} → {}", t.node_id(msg.from), t.node_id(msg.to)));
    ui.label(format!(
        "sent {}, arrives {}",
        crate::scenario::fmt_time(t.sent_at(msg)),
        crate::scenario::fmt_time(msg.at)
    ));
    let fate = if msg.at > p.now() {
        "in flight"
    } else {
        match msg.fate {
            Fate::Delivered => "delivered",
            Fate::Dropped => "dropped",
            Fate::InFlight => "in flight",
        }
    };
    ui.label(format!("now: {fate}"));
}

/// The fault state at the moment shown, if the scenario runs.
fn faults(view: &View) -> Option<FaultState> {
    view.player.map(|p| FaultState::at(p.trace(), p.now()))
}

/// Trace node index of a scenario node id (they share order).
fn index_of(view: &View, id: &str) -> Option<u16> {
    view.scenario
        .nodes
        .iter()
        .position(|n| n.id == id)
        .map(|i| i as u16)
}

fn down_at(view: &View, id: &str) -> bool {
    let (Some(f), Some(n)) = (faults(view), index_of(view, id)) else {
        return false;
    };
    f.down.contains(&n)
}

fn node(
    ui: &mut egui::Ui,
    view: &View,
    st: &mut InspectorState,
    n: &crate::scenario::Node,
    cmds: &mut Vec<Cmd>,
) {
    let s = view.scenario;
    let id = n.id.clone();
    ui.horizontal(|ui| {
        ui.add(
            egui::Image::new(view.icons.for_kind(n.kind.word()))
                .tint(theme::kind_color(n.kind.word()))
                .fit_to_exact_size(egui::vec2(28.0, 28.0)),
        );
        ui.label(RichText::new(n.label()).heading());
        ui.weak(format!("{} · id {}", n.kind.word(), n.id));
    });
    // Name: edited as text, applied when the field is left.
    ui.horizontal(|ui| {
        ui.label("Name");
        if let Some(name) = text_setting(ui, st, &format!("{id}/name"), &n.name) {
            let id = id.clone();
            cmds.push(Cmd::Edit(Box::new(move |s| {
                if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
                    n.name = name;
                }
            })));
        }
    });
    let names_of = |want: fn(&NodeKind) -> bool| -> Vec<String> {
        s.nodes
            .iter()
            .filter(|m| want(&m.kind))
            .map(|m| m.id.clone())
            .collect()
    };
    egui::Grid::new("inspector-grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| match &n.kind {
            NodeKind::Client(c) => {
                ui.label("Gives up after");
                let (r, d) = ms(ui, c.timeout);
                gesture(
                    &r,
                    cmds,
                    set_kind(
                        id.clone(),
                        NodeKind::Client(crate::scenario::ClientSpec { timeout: d }),
                    ),
                );
                ui.end_row();
            }
            NodeKind::Service(svc) => {
                ui.label("Owns table");
                let edited = text_setting(ui, st, &format!("{id}/table"), &svc.table);
                if let Some(table) = edited.filter(|t| !t.is_empty()) {
                    let mut k = svc.clone();
                    k.table = table;
                    cmds.push(Cmd::Edit(Box::new(set_kind(
                        id.clone(),
                        NodeKind::Service(k),
                    ))));
                }
                ui.end_row();
                ui.label("Database");
                let current = svc
                    .database
                    .clone()
                    .unwrap_or_else(|| "its own store".into());
                egui::ComboBox::from_id_salt("svc-db")
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        let mut choice = svc.database.clone();
                        ui.selectable_value(&mut choice, None, "its own store");
                        for db in names_of(|k| matches!(k, NodeKind::Database(_))) {
                            ui.selectable_value(&mut choice, Some(db.clone()), db);
                        }
                        if choice != svc.database {
                            let mut k = svc.clone();
                            k.database = choice;
                            cmds.push(Cmd::Edit(Box::new(set_kind(
                                id.clone(),
                                NodeKind::Service(k),
                            ))));
                        }
                    });
                ui.end_row();
                ui.label("Publishes to");
                let current = svc.publish.as_ref().map_or("nothing".to_string(), |p| {
                    format!("{} / {}", p.broker, p.topic)
                });
                egui::ComboBox::from_id_salt("svc-pub")
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        let mut choice = svc.publish.as_ref().map(|p| p.broker.clone());
                        ui.selectable_value(&mut choice, None, "nothing");
                        for b in names_of(|k| matches!(k, NodeKind::Broker(_))) {
                            ui.selectable_value(&mut choice, Some(b.clone()), b);
                        }
                        if choice != svc.publish.as_ref().map(|p| p.broker.clone()) {
                            let mut k = svc.clone();
                            k.publish = choice.map(|broker| PublishTo {
                                broker,
                                topic: format!("{}-changed", svc.table),
                            });
                            cmds.push(Cmd::Edit(Box::new(set_kind(
                                id.clone(),
                                NodeKind::Service(k),
                            ))));
                        }
                    });
                ui.end_row();
                if svc.publish.is_some() && svc.database.is_some() {
                    ui.label("Events");
                    ui.vertical(|ui| {
                        let mut mode = svc.write;
                        let a = ui
                            .radio_value(
                                &mut mode,
                                WriteMode::DualWrite,
                                "dual write: commit, then publish",
                            )
                            .on_hover_text(
                                "A crash between the commit and the publish loses the event",
                            );
                        let b = ui
                            .radio_value(
                                &mut mode,
                                WriteMode::Outbox,
                                "outbox: row in the same commit",
                            )
                            .on_hover_text(
                                "A CDC connector on the database publishes the row, at least once",
                            );
                        if a.changed() || b.changed() {
                            let mut k = svc.clone();
                            k.write = mode;
                            cmds.push(Cmd::Edit(Box::new(set_kind(
                                id.clone(),
                                NodeKind::Service(k),
                            ))));
                        }
                    });
                    ui.end_row();
                }
                let others: Vec<String> = names_of(|k| matches!(k, NodeKind::Service(_)))
                    .into_iter()
                    .filter(|o| o != &id)
                    .collect();
                if !others.is_empty() {
                    ui.label("Asks on reads");
                    ui.vertical(|ui| {
                        for o in others {
                            let mut on = svc.calls.contains(&o);
                            if ui.checkbox(&mut on, &o).changed() {
                                let mut k = svc.clone();
                                if on {
                                    k.calls.push(o.clone());
                                } else {
                                    k.calls.retain(|c| c != &o);
                                }
                                cmds.push(Cmd::Edit(Box::new(set_kind(
                                    id.clone(),
                                    NodeKind::Service(k),
                                ))));
                            }
                        }
                    });
                    ui.end_row();
                    ui.label("Waits at most");
                    let (r, d) = ms(ui, svc.call_timeout);
                    let mut k = svc.clone();
                    k.call_timeout = d;
                    gesture(&r, cmds, set_kind(id.clone(), NodeKind::Service(k)));
                    ui.end_row();
                }
            }
            NodeKind::Broker(b) => {
                ui.label("Delivery");
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
                        cmds.push(Cmd::Edit(Box::new(set_kind(
                            id.clone(),
                            NodeKind::Broker(crate::scenario::BrokerSpec { delivery }),
                        ))));
                    }
                });
                ui.end_row();
                if let Delivery::AtLeastOnce { ack_timeout } = b.delivery {
                    ui.label("Resend after");
                    let (r, d) = ms(ui, ack_timeout);
                    gesture(
                        &r,
                        cmds,
                        set_kind(
                            id.clone(),
                            NodeKind::Broker(crate::scenario::BrokerSpec {
                                delivery: Delivery::AtLeastOnce {
                                    ack_timeout: Dur(d.0.max(1000)),
                                },
                            }),
                        ),
                    );
                    ui.end_row();
                }
            }
            NodeKind::Replica(r) => {
                ui.label("Copies table");
                let tables: Vec<String> = s
                    .nodes
                    .iter()
                    .filter_map(|m| match &m.kind {
                        NodeKind::Service(svc) => Some(svc.table.clone()),
                        _ => None,
                    })
                    .collect();
                egui::ComboBox::from_id_salt("rep-table")
                    .selected_text(r.table.clone())
                    .show_ui(ui, |ui| {
                        let mut choice = r.table.clone();
                        for t in tables {
                            ui.selectable_value(&mut choice, t.clone(), t);
                        }
                        if choice != r.table {
                            let mut k = r.clone();
                            k.table = choice;
                            cmds.push(Cmd::Edit(Box::new(set_kind(
                                id.clone(),
                                NodeKind::Replica(k),
                            ))));
                        }
                    });
                ui.end_row();
                ui.label("From broker");
                ui.label(&r.broker);
                ui.end_row();
                ui.label("Topic");
                if let Some(topic) = text_setting(ui, st, &format!("{id}/topic"), &r.topic) {
                    let mut k = r.clone();
                    k.topic = topic;
                    cmds.push(Cmd::Edit(Box::new(set_kind(
                        id.clone(),
                        NodeKind::Replica(k),
                    ))));
                }
                ui.end_row();
            }
            NodeKind::Peer(p) => {
                ui.label("Copy of");
                ui.label(&p.table);
                ui.end_row();
                ui.label("On conflict");
                ui.label(match p.strategy {
                    crate::scenario::Strategy::LastWriterWins => "last writer wins (by timestamp)",
                    crate::scenario::Strategy::VersionVectors => "keep both (version vectors)",
                    crate::scenario::Strategy::Counter => "add up (counter CRDT)",
                    crate::scenario::Strategy::Set => "union (set CRDT)",
                });
                ui.end_row();
                if ui
                    .button("Clock +500 ms now")
                    .on_hover_text("A clock-skew fault at the current moment")
                    .clicked()
                {
                    cmds.push(Cmd::Act(Action::Skew {
                        node: id.clone(),
                        ahead: Dur(p.clock_skew.0 + 500_000),
                    }));
                }
                ui.end_row();
                ui.label("Clock ahead by");
                let (r, d) = ms(ui, p.clock_skew);
                let mut k = p.clone();
                k.clock_skew = d;
                gesture(&r, cmds, set_kind(id.clone(), NodeKind::Peer(k)));
                ui.end_row();
            }
            NodeKind::Orchestrator(o) => {
                ui.label("Steps");
                ui.vertical(|ui| {
                    for (k, st) in o.steps.iter().enumerate() {
                        ui.label(format!(
                            "{}. {}: {} (undo: {})",
                            k + 1,
                            st.service,
                            st.action,
                            st.compensation
                        ));
                    }
                });
                ui.end_row();
                ui.label("Gives a step");
                let (r, d) = ms(ui, o.step_timeout);
                let mut k = o.clone();
                k.step_timeout = d;
                gesture(&r, cmds, set_kind(id.clone(), NodeKind::Orchestrator(k)));
                ui.end_row();
            }
            NodeKind::Composer(c) => {
                ui.label("Asks in parallel");
                ui.label(c.calls.join(", "));
                ui.end_row();
                ui.label("Waits at most");
                let (r, d) = ms(ui, c.call_timeout);
                let mut k = c.clone();
                k.call_timeout = d;
                gesture(&r, cmds, set_kind(id.clone(), NodeKind::Composer(k)));
                ui.end_row();
            }
            NodeKind::Cdc(c) => {
                ui.label("Reads the log of");
                ui.label(&c.database);
                ui.end_row();
                ui.label("Publishes to");
                ui.label(format!(
                    "{} (outbox rows on their topic{})",
                    c.broker,
                    c.topic
                        .as_deref()
                        .map(|t| format!("; every change on {t}"))
                        .unwrap_or_default()
                ));
                ui.end_row();
                ui.label("Polls every");
                let (r, d) = ms(ui, c.poll);
                let mut k = c.clone();
                k.poll = Dur(d.0.max(1000));
                gesture(&r, cmds, set_kind(id.clone(), NodeKind::Cdc(k)));
                ui.end_row();
            }
            NodeKind::Database(_) => {
                ui.label("Holds");
                let tables: Vec<&str> = s
                    .nodes
                    .iter()
                    .filter_map(|m| match &m.kind {
                        NodeKind::Service(svc) if svc.database.as_deref() == Some(id.as_str()) => {
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
        });

    ui.add_space(6.0);
    ui.label(RichText::new("Act now").strong())
        .on_hover_text("Recorded at the current moment; the run forks from here");
    ui.horizontal(|ui| {
        if down_at(view, &id) {
            if ui
                .button("Restart")
                .on_hover_text("Bring the node back; its stored data survived")
                .clicked()
            {
                cmds.push(Cmd::Act(Action::Restart(id.clone())));
            }
        } else if ui
            .button("Crash")
            .on_hover_text("Stop the node: memory lost, stored data kept")
            .clicked()
        {
            cmds.push(Cmd::Act(Action::Crash(id.clone())));
        }
    });
    if matches!(n.kind, NodeKind::Client(_) | NodeKind::Service(_)) {
        fire(ui, view, st, n, cmds);
    }
}

/// The form to send a request now, and quick repeats of the workload's.
fn fire(
    ui: &mut egui::Ui,
    view: &View,
    st: &mut InspectorState,
    n: &crate::scenario::Node,
    cmds: &mut Vec<Cmd>,
) {
    let s = view.scenario;
    let id = n.id.clone();
    let mut seen = Vec::new();
    for w in &s.workload {
        if w.from() != id {
            continue;
        }
        let op = match w {
            crate::scenario::Work::Request { op, .. } | crate::scenario::Work::Every { op, .. } => {
                op.clone()
            }
        };
        let label = match &op {
            Op::Write { id: rid, .. } => format!("Fire write {rid} → {}", w.to()),
            Op::Read { id: rid } => format!("Fire read {rid} → {}", w.to()),
        };
        if seen.contains(&label) {
            continue;
        }
        seen.push(label.clone());
        if ui
            .button(&label)
            .on_hover_text("Send this request now")
            .clicked()
        {
            cmds.push(Cmd::Act(Action::Request {
                from: id.clone(),
                to: w.to().to_string(),
                op: op.clone(),
            }));
        }
    }
    if !matches!(n.kind, NodeKind::Client(_)) {
        return;
    }
    let targets: Vec<String> = s
        .nodes
        .iter()
        .filter(|m| {
            matches!(
                m.kind,
                NodeKind::Service(_) | NodeKind::Replica(_) | NodeKind::Composer(_)
            ) && super::edit::linked(s, &id, &m.id)
        })
        .map(|m| m.id.clone())
        .collect();
    if targets.is_empty() {
        ui.weak("Link this client to a service to send it requests.");
        return;
    }
    if !targets.contains(&st.to) {
        st.to = targets[0].clone();
    }
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("fire-to")
            .selected_text(st.to.clone())
            .show_ui(ui, |ui| {
                for t in &targets {
                    ui.selectable_value(&mut st.to, t.clone(), t);
                }
            });
        ui.radio_value(&mut st.write, true, "write");
        ui.radio_value(&mut st.write, false, "read");
    });
    ui.horizontal(|ui| {
        ui.label("id");
        ui.add(
            egui::TextEdit::singleline(&mut st.id)
                .desired_width(70.0)
                .hint_text("42"),
        );
        if st.write {
            ui.label("value");
            ui.add(
                egui::TextEdit::singleline(&mut st.value)
                    .desired_width(90.0)
                    .hint_text("paid"),
            );
        }
    });
    let ready = !st.id.trim().is_empty();
    if ui
        .add_enabled(ready, egui::Button::new("Fire request"))
        .on_hover_text("Send it at the current moment")
        .clicked()
    {
        let rid = st.id.trim().to_string();
        let op = if st.write {
            Op::Write {
                id: rid,
                value: ValueSpec::Text(st.value.trim().to_string()),
            }
        } else {
            Op::Read { id: rid }
        };
        cmds.push(Cmd::Act(Action::Request {
            from: id,
            to: st.to.clone(),
            op,
        }));
    }
}

fn link_ui(
    ui: &mut egui::Ui,
    view: &View,
    index: usize,
    l: &crate::scenario::Link,
    cmds: &mut Vec<Cmd>,
) {
    ui.label(RichText::new(format!("Link {} ⟷ {}", l.from, l.to)).heading());
    let set =
        move |f: Box<dyn FnOnce(&mut crate::scenario::Link)>| -> Box<dyn FnOnce(&mut Scenario)> {
            Box::new(move |s: &mut Scenario| {
                if let Some(link) = s.links.get_mut(index) {
                    f(link);
                }
            })
        };
    egui::Grid::new("link-grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Latency");
            let mut uniform = matches!(l.latency, Latency::Uniform { .. });
            ui.horizontal(|ui| {
                let a = ui.radio_value(&mut uniform, false, "fixed");
                let b = ui.radio_value(&mut uniform, true, "between");
                if a.changed() || b.changed() {
                    let lat = if uniform {
                        Latency::Uniform {
                            min: l.latency.max(),
                            max: Dur(l.latency.max().0 * 2),
                        }
                    } else {
                        Latency::Fixed(l.latency.max())
                    };
                    cmds.push(Cmd::Edit(set(Box::new(move |k| k.latency = lat))));
                }
            });
            ui.end_row();
            match l.latency {
                Latency::Fixed(d) => {
                    ui.label("Takes");
                    let (r, d) = ms(ui, d);
                    gesture(
                        &r,
                        cmds,
                        set(Box::new(move |k| k.latency = Latency::Fixed(d))),
                    );
                    ui.end_row();
                }
                Latency::Uniform { min, max } => {
                    ui.label("From");
                    let (r, dmin) = ms(ui, min);
                    gesture(
                        &r,
                        cmds,
                        set(Box::new(move |k| {
                            k.latency = Latency::Uniform {
                                min: dmin,
                                max: max.max(dmin),
                            }
                        })),
                    );
                    ui.end_row();
                    ui.label("To");
                    let (r, dmax) = ms(ui, max);
                    gesture(
                        &r,
                        cmds,
                        set(Box::new(move |k| {
                            k.latency = Latency::Uniform {
                                min: min.min(dmax),
                                max: dmax,
                            }
                        })),
                    );
                    ui.end_row();
                }
            }
            ui.label("Loss");
            let mut loss = l.loss.0 * 100.0;
            let r = ui.add(egui::Slider::new(&mut loss, 0.0..=100.0).suffix(" %"));
            gesture(
                &r,
                cmds,
                set(Box::new(move |k| k.loss = Prob(loss / 100.0))),
            );
            ui.end_row();
            ui.label("Duplicates");
            let mut dup = l.duplicate.0 * 100.0;
            let r = ui.add(egui::Slider::new(&mut dup, 0.0..=100.0).suffix(" %"));
            gesture(
                &r,
                cmds,
                set(Box::new(move |k| k.duplicate = Prob(dup / 100.0))),
            );
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Act now").strong());
    let cut = match (faults(view), index_of(view, &l.from), index_of(view, &l.to)) {
        (Some(f), Some(a), Some(b)) => f.cut_between(a, b),
        _ => false,
    };
    let (a, b) = (l.from.clone(), l.to.clone());
    ui.horizontal_wrapped(|ui| {
        if cut {
            if ui
                .button("Heal")
                .on_hover_text("Mend the link, both ways")
                .clicked()
            {
                cmds.push(Cmd::Act(Action::Heal {
                    a: a.clone(),
                    b: b.clone(),
                }));
            }
        } else {
            if ui
                .button("Cut both ways")
                .on_hover_text("A network partition between the two")
                .clicked()
            {
                cmds.push(Cmd::Act(Action::Cut {
                    a: a.clone(),
                    b: b.clone(),
                    one_way: false,
                }));
            }
            if ui
                .button(format!("Cut {a} → {b}"))
                .on_hover_text("Only messages in this direction are lost")
                .clicked()
            {
                cmds.push(Cmd::Act(Action::Cut {
                    a: a.clone(),
                    b: b.clone(),
                    one_way: true,
                }));
            }
            if ui.button(format!("Cut {b} → {a}")).clicked() {
                cmds.push(Cmd::Act(Action::Cut {
                    a: b.clone(),
                    b: a.clone(),
                    one_way: true,
                }));
            }
        }
    });
}
