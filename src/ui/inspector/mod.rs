//! The inspector: the settings of what is selected, which take effect on
//! the next run (rebuilt at the same moment), and the live actions an
//! instructor fires: crash or restart a node, cut or heal a link, send a
//! request now.

mod context;
pub(super) mod fields;
mod fire;
mod kinds;
mod link;

use egui::{RichText, Ui};

use super::theme;
use super::view::View;
use crate::model::{body_label, fmt_time};
use crate::scenario::{Kind, Node};
use crate::session::{Cmd, Edit, actions};
use crate::trace::Fate;

/// What the inspector keeps between frames: the field being typed into
/// and the request form.
#[derive(Default)]
pub struct InspectorState {
    fields: fields::Fields,
    fire: fire::FireForm,
}

impl InspectorState {
    /// Puts keyboard focus in node `id`'s name field when it is next drawn.
    pub fn focus_name(&mut self, id: &str) {
        self.fields.focus = Some(format!("{id}/name"));
    }
}

pub fn ui(ui: &mut Ui, view: &View, st: &mut InspectorState, cmds: &mut Vec<Cmd>) {
    st.fields.begin();
    ui.heading("Inspector");
    if let Some(m) = view.selection.message {
        message(ui, view, m);
        ui.separator();
    }
    let s = view.scenario;
    if view.selection.nodes.len() > 1 {
        ui.label(format!(
            "{} nodes selected. Drag one to move them all; Delete removes them.",
            view.selection.nodes.len()
        ));
    } else if let Some(n) = view
        .selection
        .nodes
        .iter()
        .next()
        .and_then(|id| view.node(id))
    {
        node(ui, view, st, n, cmds);
    } else if let Some((i, link)) = view
        .selection
        .link
        .and_then(|l| s.links.get(l).map(|k| (l, k)))
    {
        link::settings(ui, view, i, link, cmds);
        act_now(
            ui,
            actions::link_offers(s, view.player.map(|p| p.trace()), i, view.now()),
            cmds,
        );
    } else if view.selection.message.is_none() {
        ui.weak("Select a node, a link or a message to see its settings and actions.");
    }
    st.fields.end(cmds);
}

fn message(ui: &mut Ui, view: &View, m: u32) {
    let Some(p) = view.player else { return };
    let t = p.trace();
    let Some(msg) = t.message(m) else { return };
    ui.label(RichText::new("Message").strong());
    if let Some(b) = t.body(msg.body) {
        ui.label(RichText::new(body_label(&t.names, b)).color(theme::message_color(b.kind())));
    }
    let name = |n| t.nodes.get(n as usize).map_or("?", |i| i.label.as_str());
    ui.label(format!("{} → {}", name(t.sender(msg)), name(msg.to)));
    ui.label(format!(
        "sent {}, arrives {}",
        fmt_time(t.sent_at(msg)),
        fmt_time(msg.at())
    ));
    let fate = if msg.at() > p.now() {
        "in flight"
    } else {
        match msg.fate() {
            Fate::Delivered => "delivered",
            Fate::Dropped => "dropped",
            Fate::InFlight => "in flight",
        }
    };
    ui.label(format!("now: {fate}"));
}

fn node(ui: &mut Ui, view: &View, st: &mut InspectorState, n: &Node, cmds: &mut Vec<Cmd>) {
    let kind = n.kind.kind();
    ui.horizontal(|ui| {
        ui.add(
            egui::Image::new(view.icons.for_kind(kind))
                .tint(theme::kind_color(kind))
                .fit_to_exact_size(egui::vec2(28.0, 28.0)),
        );
        ui.label(RichText::new(n.label()).heading());
        ui.weak(format!("{} · id {}", kind.word(), n.id));
    });
    ui.horizontal(|ui| {
        let l = fields::label(ui, "Name");
        let id = n.id.clone();
        fields::text(
            ui,
            &mut st.fields,
            &format!("{}/name", n.id),
            &l,
            n.label(),
            cmds,
            move |name| Edit::Rename {
                id: id.clone(),
                name,
            },
        );
    });
    context::ui(ui, view, &mut st.fields, n, cmds);
    kinds::settings(ui, view, &mut st.fields, n, cmds);
    super::data::inspector(ui, view, n);
    let trace = view.player.map(|p| p.trace());
    let mut offers = actions::node_offers(view.scenario, trace, &n.id, view.now());
    if matches!(kind, Kind::Client | Kind::Service) {
        offers.extend(actions::repeat_offers(view.scenario, &n.id));
    }
    act_now(ui, offers, cmds);
    fire::ui(ui, view, &mut st.fire, n, cmds);
}

/// The live actions on offer, as buttons.
fn act_now(ui: &mut Ui, offers: Vec<actions::Offer>, cmds: &mut Vec<Cmd>) {
    ui.add_space(6.0);
    ui.label(RichText::new("Act now").strong())
        .on_hover_text("Recorded at the current moment; the run forks from here");
    ui.horizontal_wrapped(|ui| {
        for o in offers {
            if ui.button(&o.label).on_hover_text(o.hint).clicked() {
                cmds.push(Cmd::Act(o.action));
            }
        }
    });
}
