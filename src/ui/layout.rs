//! The editor's frame: menu bar and banner on top, playback at the bottom,
//! the palette on the left, inspector, replica states, checks and plots on
//! the right, and in the middle the canvas over the sequence diagram (or
//! the event log), with the narration card.

use super::app::SettleApp;
use super::icons::Icons;
use super::view::View;
use super::{
    canvas, checks, inspector, log, menus, narration, plots, replicas, sequence, timeline,
};
use crate::session::Cmd;

/// What the bottom half of the middle shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BottomTab {
    Sequence,
    Log,
}

impl SettleApp {
    pub(super) fn editor(&mut self, ui: &mut egui::Ui, icons: &Icons, cmds: &mut Vec<Cmd>) {
        let session = &self.session;
        let view = View::new(session, icons, self.presenting, self.prefs.snap);
        egui::Panel::top("menu").show(ui, |ui| {
            let title = view.scenario.title.clone();
            menus::bar(
                ui,
                &view,
                menus::Bar {
                    title: &title,
                    dirty: session.doc.dirty,
                    dark: self.prefs.dark,
                    snap: &mut self.prefs.snap,
                    open_path: &mut self.open_path,
                },
                cmds,
            );
            menus::recovered(ui, session, cmds);
            menus::banner(
                ui,
                &view,
                session.problem.as_deref(),
                session.notice.as_ref(),
                cmds,
            );
            super::quiz::return_strip(ui, session, cmds);
        });
        egui::Panel::bottom("timeline").show(ui, |ui| {
            timeline::ui(ui, &view, &mut self.seed_text, cmds);
        });
        if !self.presenting {
            egui::Panel::left("palette")
                .resizable(false)
                .exact_size(150.0)
                .show(ui, |ui| canvas::palette(ui, icons, cmds));
            let revision = session.doc.revision;
            egui::Panel::right("side")
                .resizable(true)
                .default_size(500.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("side-scroll")
                        .show(ui, |ui| {
                            inspector::ui(ui, &view, &mut self.inspector, cmds);
                            ui.separator();
                            egui::CollapsingHeader::new(
                                egui::RichText::new("Replica states").heading(),
                            )
                            .default_open(true)
                            .show(ui, |ui| replicas::ui(ui, &view, cmds));
                            egui::CollapsingHeader::new(egui::RichText::new("Checks").heading())
                                .default_open(true)
                                .show(ui, |ui| {
                                    checks::ui(ui, &view, revision, &mut self.checks, cmds)
                                });
                            egui::CollapsingHeader::new(egui::RichText::new("Plots").heading())
                                .default_open(true)
                                .show(ui, |ui| plots::ui(ui, &view));
                        });
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            narration::panel(ui, &view, &mut self.lesson, cmds);
            super::challenge::panel(ui, &view, session, cmds);
            if self.presenting {
                // The back row needs the run's views large: the diagram and
                // the replica states side by side under the drawing.
                let height = (ui.available_height() * 0.45).max(180.0);
                egui::Panel::bottom("views-presenting")
                    .resizable(true)
                    .default_size(height)
                    .size_range(140.0..=900.0)
                    .show(ui, |ui| {
                        egui::Panel::right("replicas-presenting")
                            .resizable(true)
                            .default_size(ui.available_width() * 0.4)
                            .show(ui, |ui| {
                                egui::ScrollArea::vertical()
                                    .id_salt("replicas-presenting-scroll")
                                    .show(ui, |ui| replicas::ui(ui, &view, cmds));
                            });
                        sequence::ui(ui, &mut self.seq, &view, cmds);
                    });
            } else {
                let height = (ui.available_height() * 0.38).max(160.0);
                egui::Panel::bottom("diagram")
                    .resizable(true)
                    .default_size(height)
                    .size_range(140.0..=900.0)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.selectable_value(
                                &mut self.bottom,
                                BottomTab::Sequence,
                                "Sequence diagram",
                            );
                            ui.selectable_value(&mut self.bottom, BottomTab::Log, "Event log");
                        });
                        match self.bottom {
                            BottomTab::Sequence => sequence::ui(ui, &mut self.seq, &view, cmds),
                            BottomTab::Log => log::ui(ui, &mut self.log, &view, cmds),
                        }
                    });
            }
            canvas::ui(ui, &mut self.canvas, &view, cmds);
        });
    }
}
