//! The caption card: the scenario's narration step for the moment shown,
//! with Back and Next. Back rewinds to the previous step's moment; Next
//! runs on to the next one.

use egui::{Align2, Frame, Rect, RichText, vec2};

use super::app::View;
use super::command::Cmd;
use super::theme;
use crate::scenario::fmt_time;

pub fn ui(ui: &mut egui::Ui, canvas: Rect, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else { return };
    let steps = &view.scenario.narration;
    if steps.is_empty() {
        return;
    }
    let now = p.now();
    let shown: Vec<(u64, usize)> = p
        .marks()
        .iter()
        .copied()
        .filter(|(t, _)| *t <= now)
        .collect();
    let current = shown.last().copied();
    let width = (canvas.width() * 0.62).clamp(320.0, 900.0);
    egui::Area::new(egui::Id::unique("narration-card"))
        .order(egui::Order::Foreground)
        .pivot(Align2::CENTER_BOTTOM)
        .fixed_pos(canvas.center_bottom() - vec2(0.0, 12.0))
        .show(ui.ctx(), |ui| {
            Frame::popup(ui.style()).inner_margin(12.0).show(ui, |ui| {
                ui.set_width(width);
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!("Step {} of {}", shown.len(), steps.len()))
                            .color(theme::NARRATION)
                            .strong(),
                    );
                    if let Some((t, _)) = current {
                        ui.weak(fmt_time(t));
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .add_enabled(!p.at_end(), egui::Button::new("Next ▶"))
                            .on_hover_text("Run on to the next step")
                            .clicked()
                        {
                            cmds.push(Cmd::NarrationNext);
                        }
                        if ui
                            .add_enabled(current.is_some(), egui::Button::new("◀ Back"))
                            .on_hover_text("Rewind to the previous step")
                            .clicked()
                        {
                            cmds.push(Cmd::NarrationBack);
                        }
                    });
                });
                let text = match current.and_then(|(_, n)| steps.get(n)) {
                    Some(step) => step.text.clone(),
                    None => format!("{} — press Play or Next to begin.", view.scenario.summary),
                };
                ui.label(RichText::new(text).size(if view.presenting { 17.0 } else { 15.0 }));
            });
        });
}
