//! Settings of a two-phase commit coordinator: what each participant
//! writes, how long it waits for the votes, how often it resends its
//! decision.

use egui::Ui;

use crate::scenario::{CoordinatorSpec, NodeKind};
use crate::session::Cmd;
use crate::ui::inspector::fields::{gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn coordinator(
    ui: &mut Ui,
    view: &View,
    id: &str,
    c: &CoordinatorSpec,
    cmds: &mut Vec<Cmd>,
) {
    if c.participants.is_empty() {
        let l = label(ui, "Participants");
        ui.label("none yet: draw a link from here to a service")
            .labelled_by(l.id);
        ui.end_row();
    }
    for (k, p) in c.participants.iter().enumerate() {
        let l = label(
            ui,
            &format!("{}. {} prepares", k + 1, view.label(&p.service)),
        );
        let mut action = p.action.clone();
        let r = ui
            .text_edit_singleline(&mut action)
            .labelled_by(l.id)
            .on_hover_text(
                "The value this participant writes tentatively on prepare, and for real on commit",
            );
        if r.lost_focus() && action != p.action && !action.trim().is_empty() {
            let mut spec = c.clone();
            if let Some(q) = spec.participants.get_mut(k) {
                q.action = action;
            }
            cmds.push(Cmd::Edit(set_spec(id, NodeKind::Coordinator(spec))));
        }
        ui.end_row();
    }
    let l = label(ui, "Waits for the votes");
    let (r, d) = millis(ui, &l, c.vote_timeout);
    let r = r.on_hover_text("A vote missing after this long is a no: the transaction aborts");
    let mut k = c.clone();
    k.vote_timeout = d;
    gesture(&r, cmds, set_spec(id, NodeKind::Coordinator(k)));
    ui.end_row();
    let l = label(ui, "Resends its decision every");
    let (r, d) = millis(ui, &l, c.resend);
    let mut k = c.clone();
    k.resend = d;
    gesture(&r, cmds, set_spec(id, NodeKind::Coordinator(k)));
    ui.end_row();
}
