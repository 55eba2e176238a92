//! The form to send a request now, from a client or a service.

use egui::Ui;

use crate::scenario::{Node, Op};
use crate::session::{Action, Cmd, actions};
use crate::ui::view::View;

/// The request form's fields, kept while the user types.
#[derive(Default)]
pub struct FireForm {
    to: String,
    write: bool,
    id: String,
    value: String,
    /// The write's event is a poison message its consumers reject.
    poison: bool,
    /// Why the last Fire did nothing.
    problem: Option<&'static str>,
}

pub fn ui(ui: &mut Ui, view: &View, st: &mut FireForm, n: &Node, cmds: &mut Vec<Cmd>) {
    if !n.kind.kind().sends_requests() {
        return;
    }
    let s = view.scenario;
    // Only what validation would accept is offered: a write to a replica
    // or a read of an orchestrator would leave a drawing that cannot run.
    let targets: Vec<(String, bool, bool)> = actions::request_targets(s, &n.id, view.now())
        .into_iter()
        .map(|t| (t.to, t.write, t.read))
        .collect();
    if targets.is_empty() {
        ui.weak("Link this client to a service to send it requests.");
        return;
    }
    let Some((_, can_write, can_read)) = targets
        .iter()
        .find(|(t, ..)| *t == st.to)
        .or(targets.first())
        .cloned()
        .map(|(t, w, r)| {
            st.to = t.clone();
            (t, w, r)
        })
    else {
        return;
    };
    if !can_write {
        st.write = false;
    } else if !can_read {
        st.write = true;
    }
    ui.horizontal(|ui| {
        let l = ui.label("To");
        egui::ComboBox::from_id_salt("fire-to")
            .selected_text(view.label(&st.to).to_string())
            .show_ui(ui, |ui| {
                for (t, ..) in &targets {
                    ui.selectable_value(&mut st.to, t.clone(), view.label(t));
                }
            })
            .response
            .labelled_by(l.id);
        if can_write {
            ui.radio_value(&mut st.write, true, "write");
        }
        if can_read {
            ui.radio_value(&mut st.write, false, "read");
        }
    });
    ui.horizontal(|ui| {
        let l = ui.label("Record id");
        ui.add(egui::TextEdit::singleline(&mut st.id).desired_width(70.0))
            .labelled_by(l.id);
        if st.write {
            let l = ui.label("value");
            ui.add(egui::TextEdit::singleline(&mut st.value).desired_width(90.0))
                .labelled_by(l.id);
        }
    });
    // Only an event a service publishes itself can be marked.
    let publishes = crate::scenario::publishes_to_queue(s, &st.to);
    st.poison &= st.write && publishes;
    if st.write && publishes {
        ui.checkbox(&mut st.poison, "poison event").on_hover_text(
            "Its event is one the consumers cannot handle (malformed, or a value their code fails on): they reject it until a fix is deployed to them",
        );
    }
    let fire = ui
        .button("Fire request")
        .on_hover_text("Send it at the current moment")
        .clicked();
    if fire {
        let rid = st.id.trim().to_string();
        st.problem = None;
        if rid.is_empty() {
            st.problem = Some("Type the id of the record to read or write first.");
        } else {
            let op = if st.write {
                actions::plain_write(&rid, st.value.trim(), st.poison)
            } else {
                Op::Read { id: rid }
            };
            cmds.push(Cmd::Act(Action::Request {
                from: n.id.clone(),
                to: st.to.clone(),
                op,
            }));
        }
    }
    if let Some(p) = st.problem {
        ui.colored_label(crate::ui::theme::ink(ui, crate::ui::theme::FAULT), p);
    }
}
