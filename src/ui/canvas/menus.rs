//! The canvas's right-click menus: the live actions a node or a link
//! offers (the same list the inspector shows), plus select and delete.

use egui::Ui;

use crate::session::actions::{self, Offer};
use crate::session::{Cmd, Selection};
use crate::ui::view::View;

fn offers_ui(ui: &mut Ui, offers: Vec<Offer>, cmds: &mut Vec<Cmd>) {
    for o in offers {
        if ui.button(&o.label).on_hover_text(o.hint).clicked() {
            cmds.push(Cmd::Act(o.action));
            ui.close();
        }
    }
}

pub fn node_menu(ui: &mut Ui, view: &View, id: &str, cmds: &mut Vec<Cmd>) {
    let trace = view.player.map(|p| p.trace());
    offers_ui(
        ui,
        actions::node_offers(view.scenario, trace, id, view.now()),
        cmds,
    );
    if ui.button("Select").clicked() {
        cmds.push(Cmd::Select(Selection::node(id)));
        ui.close();
    }
    if ui.button("Delete").clicked() {
        cmds.push(Cmd::Select(Selection::node(id)));
        cmds.push(Cmd::DeleteSelection);
        ui.close();
    }
}

pub fn link_menu(ui: &mut Ui, view: &View, index: usize, cmds: &mut Vec<Cmd>) {
    let trace = view.player.map(|p| p.trace());
    offers_ui(
        ui,
        actions::link_offers(view.scenario, trace, index, view.now()),
        cmds,
    );
    if ui.button("Delete link").clicked() {
        cmds.push(Cmd::Select(Selection::link(index)));
        cmds.push(Cmd::DeleteSelection);
        ui.close();
    }
}
