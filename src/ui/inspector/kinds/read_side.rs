//! Settings of the read side: composers that join answers at request
//! time, and projections that fold events into a view ahead of time.

use egui::Ui;

use crate::scenario::{Column, ComposerSpec, NodeKind, ProjectionSpec};
use crate::session::Cmd;
use crate::ui::inspector::fields::{self, Fields, gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn composer(ui: &mut Ui, view: &View, id: &str, c: &ComposerSpec, cmds: &mut Vec<Cmd>) {
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

pub(super) fn projection(
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
