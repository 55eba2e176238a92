//! The editor's frame: menu bar and banner on top, playback at the bottom,
//! the palette on the left, inspector, replica states, checks and plots on
//! the right, and in the middle the canvas over the sequence diagram (or
//! the event log), with the narration card. In compare mode the middle
//! shows both drawings and both diagrams side by side, A on the left.

use super::app::SettleApp;
use super::icons::Icons;
use super::regions::{self, Region};
use super::view::{CompareView, View};
use super::{
    canvas, captions, checks, compare, inspector, log, menus, narration, plots, replicas, sequence,
    timeline,
};
use crate::session::Cmd;
use crate::session::compare::Side;

/// What the bottom half of the middle shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BottomTab {
    Sequence,
    Log,
}

/// Above the rows of the panel under the drawing: its tab row, the
/// diagram's toolbar and the lane headers, in points.
const DIAGRAM_CHROME: f32 = 80.0;
/// The rows a new drawing's diagram needs in view: one request through a
/// service and its database, with replies and an event, is about eight.
const DIAGRAM_ROWS: f32 = 8.0;

/// The rows the diagram keeps on a projector however short the screen:
/// enough to follow a request to its reply and the event it sends.
const PRESENTING_ROWS: f32 = 6.0;

/// A by-order row's height (as the sequence diagram draws it).
fn row_height(presenting: bool) -> f32 {
    if presenting { 32.0 } else { 24.0 }
}

/// How many rows of the by-order diagram a panel `height` tall shows.
pub fn rows_in(height: f32, presenting: bool) -> f32 {
    ((height - DIAGRAM_CHROME) / row_height(presenting)).max(0.0)
}

/// Runs a view of one side: the side being edited pushes its commands as
/// they are; the other side's go through [`compare::from_idle_side`].
fn routed(view: &View, editing: bool, cmds: &mut Vec<Cmd>, f: impl FnOnce(&mut Vec<Cmd>)) {
    if editing {
        f(cmds);
    } else {
        let mut pushed = Vec::new();
        f(&mut pushed);
        let side = view.compare.map_or(Side::B, |c| c.side);
        compare::from_idle_side(side, pushed, cmds);
    }
}

/// Lays `n` views out side by side in the space left in `ui` (egui's
/// columns reach past panels shown inside the same ui, so the space is
/// measured here and split by hand).
fn side_by_side(ui: &mut egui::Ui, n: usize, mut add: impl FnMut(usize, &mut egui::Ui)) {
    let rect = ui.available_rect_before_wrap();
    let gap = 8.0;
    let w = ((rect.width() - gap * (n as f32 - 1.0)) / n as f32).max(1.0);
    for i in 0..n {
        let x = rect.min.x + i as f32 * (w + gap);
        let r = egui::Rect::from_min_size(egui::pos2(x, rect.min.y), egui::vec2(w, rect.height()));
        ui.scope_builder(
            egui::UiBuilder::new().max_rect(r).id_salt(("side", i)),
            |ui| {
                ui.set_clip_rect(r.intersect(ui.clip_rect()));
                add(i, ui)
            },
        );
    }
    ui.allocate_rect(rect, egui::Sense::hover());
}

/// The heading over one side's view in compare mode.
fn side_heading(ui: &mut egui::Ui, view: &View, editing: bool) {
    let Some(c) = view.compare else { return };
    let mut text = egui::RichText::new(format!("{} · {}", c.side.letter(), view.scenario.title))
        .strong()
        .size(if view.presenting { 20.0 } else { 15.0 });
    if !editing {
        text = text.weak();
    }
    let r = ui.label(text);
    if !editing {
        r.on_hover_text("Click into this side to edit it");
    }
}

/// The side panel: the inspector, both sides' replica states, the checks
/// and the plots.
fn side_panel(
    ui: &mut egui::Ui,
    view: &View,
    sides: &[(&View, bool)],
    (inspector, checks): (&mut inspector::InspectorState, &mut checks::ChecksState),
    revision: u64,
    cmds: &mut Vec<Cmd>,
) {
    egui::Panel::right("side")
        .resizable(true)
        .default_size(500.0)
        .show(ui, |ui| {
            regions::anchor(ui, Region::Inspector, ui.max_rect());
            egui::ScrollArea::vertical()
                .id_salt("side-scroll")
                .show(ui, |ui| {
                    inspector::ui(ui, view, inspector, cmds);
                    ui.separator();
                    egui::CollapsingHeader::new(egui::RichText::new("Replica states").heading())
                        .default_open(true)
                        .show(ui, |ui| {
                            for &(v, ed) in sides {
                                ui.push_id(("replicas", v.compare.map(|c| c.side)), |ui| {
                                    side_heading(ui, v, ed);
                                    routed(v, ed, cmds, |c| replicas::ui(ui, v, c));
                                });
                            }
                        });
                    egui::CollapsingHeader::new(egui::RichText::new("Checks").heading())
                        .default_open(true)
                        .show(ui, |ui| checks::ui(ui, view, revision, checks, cmds));
                    egui::CollapsingHeader::new(egui::RichText::new("Plots").heading())
                        .default_open(true)
                        .show(ui, |ui| plots::ui(ui, view));
                });
        });
}

/// On a projector, the run's views large under the drawing: the diagram
/// beside the replica states (in compare mode, both sides' replica
/// states). `drawing` is the height the drawing's plates want. Returns
/// where the diagram is (nothing in compare mode, which shows none).
fn presenting_views(
    ui: &mut egui::Ui,
    drawing: f32,
    seq_a: &mut sequence::SequenceState,
    view: &View,
    sides: &[(&View, bool)],
    cmds: &mut Vec<Cmd>,
) -> egui::Rect {
    // The back row needs the run's views large: under the
    // drawing, the diagram beside the replica states (in
    // compare mode, both sides' replica states).
    // The drawing keeps the room its plates need (up to 60 %
    // of the space), so on a short projector screen the views
    // give way rather than plates piling onto each other; but never
    // below a few rows of the diagram, which the lesson is told through
    // (the plates, a little closer, stay clear of each other).
    let space = ui.available_height();
    // The panel's own frame, and a point for egui rounding it to pixels.
    let frame = egui::Frame::side_top_panel(ui.style())
        .total_margin()
        .sum()
        .y
        + 1.0;
    let least = (DIAGRAM_CHROME + PRESENTING_ROWS * row_height(true) + frame)
        .min(space * 0.75)
        .max(140.0);
    let most = (space - drawing.min(space * 0.6)).clamp(least, 900.0_f32.max(least));
    let height = (space * 0.45).max(least).min(most);
    egui::Panel::bottom("views-presenting")
        .resizable(true)
        .default_size(height)
        .size_range(least..=most)
        .show(ui, |ui| {
            if sides.len() > 1 {
                side_by_side(ui, sides.len(), |i, ui| {
                    let (v, ed) = sides[i];
                    side_heading(ui, v, ed);
                    egui::ScrollArea::vertical()
                        .id_salt("replicas-presenting")
                        .show(ui, |ui| routed(v, ed, cmds, |c| replicas::ui(ui, v, c)));
                });
                return egui::Rect::NOTHING;
            }
            egui::Panel::right("replicas-presenting")
                .resizable(true)
                .default_size(ui.available_width() * 0.38)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("replicas-presenting-scroll")
                        .show(ui, |ui| replicas::ui(ui, view, cmds));
                });
            let diagram = ui.available_rect_before_wrap();
            sequence::ui(ui, seq_a, view, cmds);
            diagram
        })
        .inner
}

/// Off a projector, the panel under the drawing: the sequence diagram
/// (both sides' in compare mode) or the event log. Returns where it is.
fn diagram_panel(
    ui: &mut egui::Ui,
    (bottom, log): (&mut BottomTab, &mut log::LogState),
    (seq_a, seq_b): (&mut sequence::SequenceState, &mut sequence::SequenceState),
    view: &View,
    sides: &[(&View, bool)],
    cmds: &mut Vec<Cmd>,
) -> egui::Rect {
    // Never so short that one request's messages do not fit
    // (a panel keeps the size it was first given: a lesson's
    // card took room then, a new drawing has none).
    let space = ui.available_height();
    let least = (DIAGRAM_CHROME + DIAGRAM_ROWS * row_height(false))
        .min(space * 0.55)
        .max(140.0);
    let height = (space * 0.38).max(least);
    let panel = egui::Panel::bottom("diagram")
        .resizable(true)
        .default_size(height)
        .size_range(least..=900.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(bottom, BottomTab::Sequence, "Sequence diagram");
                ui.selectable_value(bottom, BottomTab::Log, "Event log");
            });
            match *bottom {
                BottomTab::Sequence if sides.len() > 1 => {
                    side_by_side(ui, sides.len(), |i, ui| {
                        let (v, ed) = sides[i];
                        let st = match v.compare.map_or(Side::A, |c| c.side) {
                            Side::A => &mut *seq_a,
                            Side::B => &mut *seq_b,
                        };
                        side_heading(ui, v, ed);
                        routed(v, ed, cmds, |c| sequence::ui(ui, st, v, c));
                    });
                }
                BottomTab::Sequence => sequence::ui(ui, seq_a, view, cmds),
                BottomTab::Log => log::ui(ui, log, view, cmds),
            }
        });
    panel.response.rect
}

/// The top of the window: the menu bar, the recovered-drawing offer,
/// the compare bar, the banner and the way back to the quiz.
fn top_bar(
    ui: &mut egui::Ui,
    (view, session): (&View, &crate::session::Session),
    bar: menus::Bar,
    differs_now: usize,
    cmds: &mut Vec<Cmd>,
) {
    egui::Panel::top("menu").show(ui, |ui| {
        regions::anchor(ui, Region::Menu, ui.max_rect());
        menus::bar(ui, view, bar, cmds);
        menus::recovered(ui, session, cmds);
        compare::bar(ui, session, differs_now, cmds);
        menus::banner(
            ui,
            session.problem.as_deref(),
            session.notice.as_ref(),
            cmds,
        );
        super::quiz::return_strip(ui, session, cmds);
    });
}

impl SettleApp {
    pub(super) fn editor(&mut self, ui: &mut egui::Ui, icons: &Icons, cmds: &mut Vec<Cmd>) {
        let session = &self.session;
        let comparing = session.compare.is_some();
        if comparing != self.compared {
            self.compared = comparing;
            self.canvas.request_fit();
            self.canvas_b.request_fit();
        }
        let differs = compare::differs(session);
        let parting = session.parting_at();
        let first_step = |side: Side| {
            let p = session.compare.as_ref()?.parting.as_ref()?;
            match side {
                Side::A => p.a,
                Side::B => p.b,
            }
        };
        let mut view = View::new(session, icons, self.presenting, self.prefs.snap);
        let editing = session.compare.as_ref().map_or(Side::A, |c| c.editing);
        let compare_view = |side: Side| CompareView {
            side,
            parting,
            first_step: first_step(side),
            differs: &differs[match side {
                Side::A => 0,
                Side::B => 1,
            }],
        };
        let other = session.compare.as_ref().map(|c| {
            let side = match c.editing {
                Side::A => Side::B,
                Side::B => Side::A,
            };
            let mut v = View::other(
                session,
                &c.other,
                c.other_player.as_ref(),
                &c.idle_lesson,
                icons,
                self.presenting,
            );
            v.compare = Some(compare_view(side));
            v
        });
        if comparing {
            view.compare = Some(compare_view(editing));
        }
        // Both sides, A first, each with whether it is the one edited.
        let sides: Vec<(&View, bool)> = match (&other, editing) {
            (None, _) => vec![(&view, true)],
            (Some(o), Side::A) => vec![(&view, true), (o, false)],
            (Some(o), Side::B) => vec![(o, false), (&view, true)],
        };
        let title = view.scenario.title.clone();
        let bar = menus::Bar {
            title: &title,
            dirty: session.doc.dirty,
            dark: self.prefs.dark,
            snap: &mut self.prefs.snap,
            palette: &mut self.prefs.palette,
            side: &mut self.prefs.side,
            open_path: &mut self.open_path,
            recording: &mut self.recording,
            link: session.can_link(),
            origin: session.origin_lesson(),
        };
        top_bar(ui, (&view, session), bar, differs[0].values.len(), cmds);
        egui::Panel::bottom("timeline").show(ui, |ui| {
            regions::anchor(ui, Region::Playback, ui.max_rect());
            timeline::ui(ui, &view, &mut self.seed_text, cmds);
        });
        if !self.presenting && self.prefs.palette {
            egui::Panel::left("palette")
                .resizable(false)
                .exact_size(150.0)
                .show(ui, |ui| canvas::palette(ui, icons, cmds));
        }
        if !self.presenting && self.prefs.side {
            side_panel(
                ui,
                &view,
                &sides,
                (&mut self.inspector, &mut self.checks),
                session.doc.revision,
                cmds,
            );
        }
        let (canvas_a, canvas_b) = (&mut self.canvas, &mut self.canvas_b);
        let (seq_a, seq_b) = (&mut self.seq, &mut self.seq_b);
        egui::CentralPanel::default().show(ui, |ui| {
            match &other {
                // The lesson's card follows A, whose run it tells.
                Some(a) if editing == Side::B => {
                    if !a.scenario.narration.is_empty() {
                        ui.horizontal(|ui| {
                            ui.label("The lesson's steps tell side A's run.");
                            if ui.button("Back to A").clicked() {
                                cmds.push(Cmd::Compare(crate::session::compare::CompareCmd::Edit(
                                    Side::A,
                                )));
                            }
                        });
                    }
                }
                _ => narration::panel(ui, &view, &mut self.lesson, cmds),
            }
            super::challenge::panel(ui, &view, session, cmds);
            if self.presenting {
                let drawing = canvas_a.wants_height.max(canvas_b.wants_height);
                self.diagram_rect = presenting_views(ui, drawing, seq_a, &view, &sides, cmds);
            } else {
                self.diagram_rect = diagram_panel(
                    ui,
                    (&mut self.bottom, &mut self.log),
                    (seq_a, seq_b),
                    &view,
                    &sides,
                    cmds,
                );
            }
            regions::anchor(ui, Region::Drawing, ui.available_rect_before_wrap());
            if comparing {
                side_by_side(ui, sides.len(), |i, ui| {
                    let (v, ed) = sides[i];
                    let st = match v.compare.map_or(Side::A, |c| c.side) {
                        Side::A => &mut *canvas_a,
                        Side::B => &mut *canvas_b,
                    };
                    side_heading(ui, v, ed);
                    routed(v, ed, cmds, |c| canvas::ui(ui, st, v, c));
                });
            } else {
                canvas::ui(ui, canvas_a, &view, cmds);
            }
        });
        if self.recording {
            captions::window(
                ui.ctx(),
                &mut self.recording,
                &mut self.captions,
                &view,
                cmds,
            );
        }
        self.enter_goes_to_inspector(editing);
    }

    /// Enter on a node on the canvas goes on to its settings.
    fn enter_goes_to_inspector(&mut self, editing: Side) {
        let asked = match editing {
            Side::A => self.canvas.take_to_inspector(),
            Side::B => self.canvas_b.take_to_inspector(),
        };
        if asked && let Some(id) = self.session.selection.nodes.iter().next() {
            self.inspector.focus_name(id);
        }
    }
}
