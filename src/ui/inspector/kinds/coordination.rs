//! Settings of the kinds that coordinate writes across services: saga
//! orchestrators and the peers that merge concurrent writes.

use egui::Ui;

use crate::scenario::{NodeKind, OrchestratorSpec, PeerSpec, Strategy};
use crate::session::Cmd;
use crate::ui::inspector::fields::{self, Fields, gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn orchestrator(
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

/// How a strategy reads in the inspector.
fn strategy_words(s: Strategy) -> &'static str {
    match s {
        Strategy::LastWriterWins => "last writer wins (by timestamp)",
        Strategy::VersionVectors => "keep both (version vectors)",
        Strategy::GCounter => "G-counter: count up only (CRDT)",
        Strategy::PnCounter => "PN-counter: count up and down (CRDT)",
        Strategy::GSet => "G-set: add only (CRDT)",
        Strategy::OrSet => "OR-set: add and remove, add wins (CRDT)",
    }
}

/// What a strategy does with a conflict, for its tooltip.
fn strategy_hover(s: Strategy) -> &'static str {
    match s {
        Strategy::LastWriterWins => "The later timestamp wins; the other write is silently lost",
        Strategy::VersionVectors => {
            "Concurrent writes are kept side by side as siblings, for a reader to merge"
        }
        Strategy::GCounter => {
            "Each copy keeps the total it added; merging keeps each copy's larger total. It refuses a decrement"
        }
        Strategy::PnCounter => {
            "A G-counter of increments and one of decrements; the value is their difference"
        }
        Strategy::GSet => "Merging takes the union; nothing can be removed",
        Strategy::OrSet => {
            "Each add carries a unique tag; a remove removes the tags its copy has seen, so a concurrent add survives"
        }
    }
}

pub(super) fn peer(ui: &mut Ui, view: &View, id: &str, p: &PeerSpec, cmds: &mut Vec<Cmd>) {
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
            for s in Strategy::ALL {
                ui.selectable_value(&mut choice, s, strategy_words(s))
                    .on_hover_text(strategy_hover(s));
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
