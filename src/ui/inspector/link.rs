//! A link's settings in the inspector: latency, loss, duplication.

use egui::{RichText, Ui};

use super::fields::{gesture, label, millis};
use crate::model::{Dur, Prob};
use crate::scenario::{Latency, Link};
use crate::session::{Cmd, Edit};
use crate::ui::view::View;

pub fn settings(ui: &mut Ui, view: &View, index: usize, l: &Link, cmds: &mut Vec<Cmd>) {
    ui.label(
        RichText::new(format!(
            "Link {} ⟷ {}",
            view.label(&l.from),
            view.label(&l.to)
        ))
        .heading(),
    );
    let set = |f: &dyn Fn(&mut Link)| {
        let mut link = l.clone();
        f(&mut link);
        Edit::SetLink { index, link }
    };
    egui::Grid::new("link-grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            label(ui, "Latency");
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
                    cmds.push(Cmd::Edit(set(&|k| k.latency = lat)));
                }
            });
            ui.end_row();
            match l.latency {
                Latency::Fixed(d) => {
                    let lb = label(ui, "Takes");
                    let (r, d) = millis(ui, &lb, d);
                    gesture(&r, cmds, set(&|k| k.latency = Latency::Fixed(d)));
                    ui.end_row();
                }
                Latency::Uniform { min, max } => {
                    let lb = label(ui, "From");
                    let (r, dmin) = millis(ui, &lb, min);
                    let lat = Latency::Uniform {
                        min: dmin,
                        max: max.max(dmin),
                    };
                    gesture(&r, cmds, set(&|k| k.latency = lat));
                    ui.end_row();
                    let lb = label(ui, "To");
                    let (r, dmax) = millis(ui, &lb, max);
                    let lat = Latency::Uniform {
                        min: min.min(dmax),
                        max: dmax,
                    };
                    gesture(&r, cmds, set(&|k| k.latency = lat));
                    ui.end_row();
                }
            }
            let lb = label(ui, "Loss");
            let mut loss = l.loss.0 * 100.0;
            let r = ui
                .add(egui::Slider::new(&mut loss, 0.0..=100.0).suffix(" %"))
                .labelled_by(lb.id);
            gesture(&r, cmds, set(&|k| k.loss = Prob(loss / 100.0)));
            ui.end_row();
            let lb = label(ui, "Duplicates");
            let mut dup = l.duplicate.0 * 100.0;
            let r = ui
                .add(egui::Slider::new(&mut dup, 0.0..=100.0).suffix(" %"))
                .labelled_by(lb.id);
            gesture(&r, cmds, set(&|k| k.duplicate = Prob(dup / 100.0)));
            ui.end_row();
        });
}
