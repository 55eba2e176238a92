//! The palette: one entry per node kind; drag onto the canvas, or click to
//! add at the first free spot.

use egui::{Id, Ui, vec2};

use crate::scenario::Kind;
use crate::session::{Cmd, Edit};
use crate::ui::icons::Icons;
use crate::ui::theme;

/// The palette's drag payload: the kind of node to add.
#[derive(Clone, Copy, Debug)]
pub struct NewNode(pub Kind);

pub fn palette(ui: &mut Ui, icons: &Icons, cmds: &mut Vec<Cmd>) {
    ui.add_space(6.0);
    ui.heading("Add");
    ui.weak("Drag onto the canvas, or click.");
    ui.add_space(4.0);
    for &kind in Kind::ALL {
        let id = Id::unique(("palette", kind));
        let r = ui
            .dnd_drag_source(id, NewNode(kind), |ui| {
                ui.horizontal(|ui| {
                    ui.add(
                        egui::Image::new(icons.for_kind(kind))
                            .tint(theme::kind_color(kind))
                            .fit_to_exact_size(vec2(26.0, 26.0)),
                    );
                    ui.label(kind.word());
                });
            })
            .response;
        let click = ui
            .add(egui::Button::new(format!("Add {}", kind.word())).small())
            .on_hover_text(kind.about());
        if click.clicked() {
            cmds.push(Cmd::Edit(Edit::AddNode { kind, at: None }));
        }
        r.on_hover_text(kind.about());
        ui.add_space(4.0);
    }
}
