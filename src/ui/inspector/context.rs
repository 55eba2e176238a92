//! A node's bounded context in the inspector: the context it is framed
//! in (typing another name moves it there, making that context if none
//! has the name; clearing the field takes it out), and the context's own
//! name, to rename it. Each change is one undoable edit.

use egui::Ui;

use super::fields::{self, Fields};
use crate::scenario::Node;
use crate::session::contexts::ContextEdit;
use crate::session::{Cmd, Edit};
use crate::ui::view::View;

pub fn ui(ui: &mut Ui, view: &View, st: &mut Fields, n: &Node, cmds: &mut Vec<Cmd>) {
    let s = view.scenario;
    let home = s.context_of(&n.id).map(|c| c.name.clone());
    let known: Vec<&str> = s.contexts.iter().map(|c| c.name.as_str()).collect();
    let tip = if known.is_empty() {
        "The bounded context this node is framed in. Type a name to make one; leave empty for none."
            .to_string()
    } else {
        format!(
            "The bounded context this node is framed in: {}. Type a new name to make one; clear it to take the node out.",
            known.join(", ")
        )
    };
    ui.horizontal(|ui| {
        let l = fields::label(ui, "Context").on_hover_text(tip);
        let id = n.id.clone();
        fields::text(
            ui,
            st,
            &format!("{}/context", n.id),
            &l,
            home.as_deref().unwrap_or(""),
            cmds,
            move |name| {
                Edit::Context(if name.trim().is_empty() {
                    ContextEdit::TakeOut { node: id.clone() }
                } else {
                    ContextEdit::Put {
                        node: id.clone(),
                        context: name,
                    }
                })
            },
        );
    });
    if let Some(from) = home {
        ui.horizontal(|ui| {
            let l = fields::label(ui, "Context name")
                .on_hover_text("Rename the context, for every node in it");
            let key = format!("{}/context-name", n.id);
            let current = from.clone();
            fields::text(ui, st, &key, &l, &current, cmds, move |to| {
                Edit::Context(ContextEdit::Rename {
                    from: from.clone(),
                    to,
                })
            });
        });
    }
}
