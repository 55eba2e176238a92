//! The canvas's right-click menus: the live actions a node or a link
//! offers (the same list the inspector shows), moving a node between
//! bounded contexts, select and delete.

use egui::Ui;

use crate::session::actions::{self, Offer};
use crate::session::contexts::ContextEdit;
use crate::session::{Cmd, Edit, Selection};
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
    context_items(ui, view, id, cmds);
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

/// Moving the node between the drawing's bounded contexts: into each
/// other context there is, or out of its own. A new context is made by
/// naming it in the inspector.
fn context_items(ui: &mut Ui, view: &View, id: &str, cmds: &mut Vec<Cmd>) {
    let s = view.scenario;
    let home = s.context_of(id).map(|c| c.name.as_str());
    for c in s.contexts.iter().filter(|c| Some(c.name.as_str()) != home) {
        if ui.button(format!("Put in context {}", c.name)).clicked() {
            cmds.push(Cmd::Edit(Edit::Context(ContextEdit::Put {
                node: id.to_string(),
                context: c.name.clone(),
            })));
            ui.close();
        }
    }
    if let Some(name) = home
        && ui.button(format!("Take out of context {name}")).clicked()
    {
        cmds.push(Cmd::Edit(Edit::Context(ContextEdit::TakeOut {
            node: id.to_string(),
        })));
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
