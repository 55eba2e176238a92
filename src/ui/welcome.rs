//! The welcome view: the lessons as cards, plus New and Open.

use egui::{Align2, FontId, RichText, Sense, Stroke, StrokeKind, vec2};

use super::icons::Icons;
use super::menus::recovered;
use crate::session::presets::PRESETS;
use crate::session::{Cmd, Session};

pub fn ui(ui: &mut egui::Ui, icons: &Icons, session: &Session, cmds: &mut Vec<Cmd>) {
    let resume = session.last.as_ref().map(|l| l.name.as_str());
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(28.0);
                ui.add(egui::Image::new(&icons.app).fit_to_exact_size(vec2(72.0, 72.0)));
                ui.label(RichText::new("Settle").size(40.0).strong());
                ui.label(
                    RichText::new("Watch data move and settle across microservices")
                        .size(18.0)
                        .weak(),
                );
                ui.add_space(18.0);
                recovered(ui, session, cmds);
                ui.horizontal(|ui| {
                    let w = if resume.is_some() { 3.0 } else { 2.0 } * 160.0;
                    ui.add_space((ui.available_width() - w).max(0.0) / 2.0);
                    if ui
                        .add(
                            egui::Button::new(RichText::new("New drawing").size(16.0))
                                .min_size(vec2(150.0, 34.0)),
                        )
                        .clicked()
                    {
                        cmds.push(Cmd::New);
                    }
                    if ui
                        .add(
                            egui::Button::new(RichText::new("Open…").size(16.0))
                                .min_size(vec2(150.0, 34.0)),
                        )
                        .on_hover_text("Or drop a .ron file on the window")
                        .clicked()
                    {
                        cmds.push(Cmd::View(crate::session::ViewCmd::OpenDialog));
                    }
                    if let Some(name) = resume
                        && ui
                            .add(
                                egui::Button::new(
                                    RichText::new(format!("Continue {name}")).size(16.0),
                                )
                                .min_size(vec2(150.0, 34.0)),
                            )
                            .on_hover_text("Reopen what was open when Settle last closed")
                            .clicked()
                    {
                        cmds.push(Cmd::Resume);
                    }
                });
                ui.add_space(22.0);
                ui.label(RichText::new("Lessons").size(20.0).strong());
                ui.add_space(8.0);
            });
            let card = vec2(340.0, 120.0);
            // Each card also takes the item spacing and a gap.
            let per_row = ((ui.available_width() / (card.x + 40.0)).floor() as usize).max(1);
            for row in PRESETS.chunks(per_row) {
                ui.horizontal(|ui| {
                    let used = row.len() as f32 * (card.x + 16.0);
                    ui.add_space((ui.available_width() - used).max(0.0) / 2.0);
                    for p in row {
                        let i = PRESETS.iter().position(|q| q.file == p.file).unwrap_or(0);
                        let (title, summary) = match p.load() {
                            Ok(s) => (s.title, s.summary),
                            Err(e) => (p.file.to_string(), e.to_string()),
                        };
                        let number = p.file.split('-').next().unwrap_or("");
                        let (rect, resp) = ui.allocate_exact_size(card, Sense::click());
                        let visuals = ui.visuals();
                        let fill = if resp.hovered() {
                            visuals.widgets.hovered.bg_fill
                        } else {
                            visuals.faint_bg_color
                        };
                        ui.painter().rect(
                            rect,
                            10.0,
                            fill,
                            Stroke::new(1.5, visuals.widgets.inactive.bg_stroke.color),
                            StrokeKind::Inside,
                        );
                        ui.painter().text(
                            rect.min + vec2(14.0, 12.0),
                            Align2::LEFT_TOP,
                            format!("{number}  {title}"),
                            FontId::proportional(18.0),
                            visuals.strong_text_color(),
                        );
                        let galley = ui.painter().layout(
                            summary,
                            FontId::proportional(13.5),
                            visuals.text_color(),
                            card.x - 28.0,
                        );
                        ui.painter().galley(
                            rect.min + vec2(14.0, 42.0),
                            galley,
                            visuals.text_color(),
                        );
                        let label = format!("{number} {title}");
                        resp.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        let resp = resp.on_hover_text("Open this lesson");
                        if resp.clicked() {
                            cmds.push(Cmd::OpenPreset(i));
                        }
                        ui.add_space(16.0);
                    }
                });
                ui.add_space(16.0);
            }
            ui.vertical_centered(|ui| {
                ui.add_space(10.0);
                ui.weak("Press ? at any time for keyboard shortcuts.");
            });
        });
    });
}
