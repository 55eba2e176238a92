//! The canvas for keyboards and screen readers. Every node and every link
//! is an element of its own in the accessibility tree, named and described
//! in words (its kind, crashed, behind by how much, cut, messages in
//! flight), focusable in reading order. The keyboard does on the canvas
//! what the mouse does: Tab moves through the nodes and links, arrows move
//! a node, L links, Shift+F10 (or M) opens the actions, Delete removes.
//!
//! The elements are registered before the canvas's own pointer area, so a
//! pointer still reaches the canvas's gestures; only the keyboard and
//! assistive technology act on these.

use std::collections::BTreeMap;

use egui::{Id, Key, Modifiers, Rect, Response, Sense, Stroke, StrokeKind, Ui, vec2};

use super::CanvasState;
use super::draw::Faults;
use super::transform::{GRID, Layout};
use crate::model::NodeIdx;
use crate::scenario::{Latency, Node};
use crate::session::{Cmd, Edit, Selection, actions};
use crate::ui::keymap::canvas as keys;
use crate::ui::view::View;

/// What the keyboard is doing on the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keyboard {
    /// A link being made from this node: Enter on another finishes it.
    pub linking: Option<String>,
    /// The actions menu open for this node or link.
    pub menu: Option<Target>,
    /// Move keyboard focus into the inspector next frame.
    pub to_inspector: bool,
}

/// What the canvas knows about its nodes this frame, beyond the drawing.
pub struct Notes<'a> {
    pub staleness: &'a BTreeMap<&'a str, f64>,
    pub hints: &'a BTreeMap<String, Vec<crate::check::Hint>>,
    pub data: &'a BTreeMap<String, crate::ui::data::NodeData>,
    /// Each log consumer's lag, in events.
    pub lags: &'a BTreeMap<&'a str, u32>,
}

/// A node or a link, by id or index.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Node(String),
    Link(usize),
}

/// The id of a node's element, for giving it the keyboard.
pub(super) fn node_id(ui: &Ui, id: &str) -> Id {
    ui.make_persistent_id(("canvas-node", id))
}

fn link_id(ui: &Ui, i: usize) -> Id {
    ui.make_persistent_id(("canvas-link", i))
}

/// Registers an element per node (in reading order) and per link, and
/// handles the keys pressed on them.
pub fn elements(
    ui: &mut Ui,
    st: &mut CanvasState,
    view: &View,
    layout: &Layout,
    faults: &Faults,
    notes: &Notes,
    cmds: &mut Vec<Cmd>,
) {
    let s = view.scenario;
    let mut order: Vec<&Node> = s.nodes.iter().collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (layout.rect(&a.id), layout.rect(&b.id));
        let key = |r: Option<Rect>| r.map_or((0.0, 0.0), |r| (r.min.y, r.min.x));
        let (ka, kb) = (key(ra), key(rb));
        // Rows of nodes within a third of a node's height read as one row.
        (ka.0 / 24.0)
            .round()
            .total_cmp(&(kb.0 / 24.0).round())
            .then(ka.1.total_cmp(&kb.1))
    });
    for n in order {
        let Some(r) = layout.rect(&n.id) else {
            continue;
        };
        let state = node_state(view, n, faults, notes);
        let name = format!("{}, {}", n.label(), n.kind.word());
        let resp = ui.interact(r, node_id(ui, &n.id), Sense::click());
        resp.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::Button,
                true,
                view.selection.nodes.contains(&n.id),
                &name,
            )
        });
        describe(ui, &resp, &state);
        node_keys(ui, st, view, n, r, &resp, cmds);
    }
    let flying = in_flight_per_link(view);
    for (i, l) in s.links.iter().enumerate() {
        let (Some(a), Some(b)) = (layout.rect(&l.from), layout.rect(&l.to)) else {
            continue;
        };
        let r = Rect::from_two_pos(a.center(), b.center()).expand(4.0);
        let name = format!("Link {} to {}", view.label(&l.from), view.label(&l.to));
        let cut = (
            faults.cut.contains(&(l.from.as_str(), l.to.as_str())),
            faults.cut.contains(&(l.to.as_str(), l.from.as_str())),
        );
        let mut words = vec![match cut {
            (true, true) => "cut".to_string(),
            (true, false) => format!("cut towards {}", view.label(&l.to)),
            (false, true) => format!("cut towards {}", view.label(&l.from)),
            (false, false) => "connected".to_string(),
        }];
        words.push(match l.latency {
            Latency::Fixed(d) => format!("latency {}", crate::model::fmt_ms(d.0)),
            Latency::Uniform { min, max } => format!(
                "latency {} to {}",
                crate::model::fmt_ms(min.0),
                crate::model::fmt_ms(max.0)
            ),
        });
        let pair = ordered(&l.from, &l.to);
        match flying.get(&pair).copied().unwrap_or(0) {
            0 => {}
            1 => words.push("1 message in flight".into()),
            k => words.push(format!("{k} messages in flight")),
        }
        let resp = ui.interact(r, link_id(ui, i), Sense::click());
        resp.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::Button,
                true,
                view.selection.link == Some(i),
                &name,
            )
        });
        describe(ui, &resp, &words.join(", "));
        if resp.gained_focus() || resp.clicked() {
            cmds.push(Cmd::Select(Selection::link(i)));
        }
        if resp.has_focus() {
            let menu = ui.input_mut(|inp| {
                inp.consume_shortcut(&keys::MENU)
                    || inp.consume_key(Modifiers::NONE, keys::MENU_ALT)
            }) || ui.input(|inp| {
                inp.has_accesskit_action_request(resp.id, egui::accesskit::Action::ShowContextMenu)
            });
            if menu {
                st.keys.menu = Some(Target::Link(i));
            }
            ui.painter()
                .line_segment([a.center(), b.center()], ui.visuals().selection.stroke);
        }
    }
}

/// A node's state in words, for its description.
fn node_state(view: &View, n: &Node, faults: &Faults, notes: &Notes) -> String {
    let staleness = notes.staleness;
    let hints = notes.hints.get(&n.id);
    let mut words = Vec::new();
    if faults.down.contains(n.id.as_str()) {
        words.push("crashed".to_string());
    }
    match staleness.get(n.id.as_str()) {
        Some(&ms) if ms > 0.0 => words.push(format!(
            "stale: behind its owner by {}",
            crate::model::fmt_ms((ms * 1000.0) as u64)
        )),
        Some(_) => words.push("agrees with its owner".to_string()),
        None => {}
    }
    if let Some(lag) = notes.lags.get(n.id.as_str()) {
        words.push(format!(
            "consumer lag {lag} event{}",
            if *lag == 1 { "" } else { "s" }
        ));
    }
    if let Some(d) = notes.data.get(&n.id) {
        words.extend(d.lines.iter().cloned());
    }
    for h in hints.into_iter().flatten() {
        words.push(format!(
            "design hint, {}: {}",
            h.kind.title().to_lowercase(),
            h.reason
        ));
    }
    if view.selection.nodes.contains(&n.id) {
        words.push("selected".to_string());
    }
    if words.is_empty() {
        words.push("running".to_string());
    }
    words.join(", ")
}

fn describe(ui: &Ui, resp: &Response, text: &str) {
    ui.ctx().accesskit_node_builder(resp.id, |node| {
        node.set_description(text.to_string());
        node.add_action(egui::accesskit::Action::ShowContextMenu);
    });
}

/// The keys pressed on a focused node.
fn node_keys(
    ui: &mut Ui,
    st: &mut CanvasState,
    view: &View,
    n: &Node,
    r: Rect,
    resp: &Response,
    cmds: &mut Vec<Cmd>,
) {
    if resp.gained_focus() && !view.selection.nodes.contains(&n.id) {
        cmds.push(Cmd::Select(Selection::node(&n.id)));
    }
    // A screen reader's click (AccessKit's Click action) or Space: select
    // the node and keep the keyboard on it. The pointer never lands here:
    // the canvas's own area lies on top.
    if resp.clicked() {
        if !view.selection.nodes.contains(&n.id) {
            cmds.push(Cmd::Select(Selection::node(&n.id)));
        }
        resp.request_focus();
    }
    if !resp.has_focus() {
        return;
    }
    // Arrows belong to the node while it has focus, not to focus moving.
    ui.memory_mut(|m| {
        m.set_focus_lock_filter(
            resp.id,
            egui::EventFilter {
                horizontal_arrows: true,
                vertical_arrows: true,
                ..Default::default()
            },
        )
    });
    let (dx, dy, shift) = ui.input(|i| {
        let step = |k: Key| i.key_pressed(k) as i32 as f32;
        (
            step(Key::ArrowRight) - step(Key::ArrowLeft),
            step(Key::ArrowDown) - step(Key::ArrowUp),
            i.modifiers.shift,
        )
    });
    if dx != 0.0 || dy != 0.0 {
        let by = if shift { keys::SHOVE } else { GRID };
        let to = (n.pos.0 + dx * by, n.pos.1 + dy * by);
        cmds.push(Cmd::Edit(Edit::Move(vec![(n.id.clone(), to)])));
    }
    let (link, enter, menu, delete, escape) = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, keys::LINK),
            i.key_pressed(Key::Enter),
            i.consume_shortcut(&keys::MENU) || i.consume_key(Modifiers::NONE, keys::MENU_ALT),
            i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace),
            i.key_pressed(Key::Escape),
        )
    });
    let assisted_menu = ui.input(|i| {
        i.has_accesskit_action_request(resp.id, egui::accesskit::Action::ShowContextMenu)
    });
    if link {
        st.keys.linking = Some(n.id.clone());
    }
    if enter {
        match st.keys.linking.take() {
            Some(from) if from != n.id => cmds.push(Cmd::Edit(Edit::Connect {
                from,
                to: n.id.clone(),
            })),
            Some(_) => {}
            None => st.keys.to_inspector = true,
        }
    }
    if menu || assisted_menu {
        st.keys.menu = Some(Target::Node(n.id.clone()));
    }
    if delete {
        cmds.push(Cmd::Select(Selection::node(&n.id)));
        cmds.push(Cmd::DeleteSelection);
    }
    if escape {
        st.keys.linking = None;
    }
    ui.painter().rect_stroke(
        r.expand(5.0),
        8.0,
        Stroke::new(2.5, ui.visuals().selection.stroke.color),
        StrokeKind::Outside,
    );
}

/// The actions menu opened from the keyboard, beside its node or link.
pub fn menu(ui: &mut Ui, st: &mut CanvasState, view: &View, layout: &Layout, cmds: &mut Vec<Cmd>) {
    let Some(target) = st.keys.menu.clone() else {
        return;
    };
    let s = view.scenario;
    let trace = view.player.map(|p| p.trace());
    let (title, anchor, offers) = match &target {
        Target::Node(id) => {
            let Some(r) = layout.rect(id) else {
                st.keys.menu = None;
                return;
            };
            (
                format!("Actions for {}", view.label(id)),
                r.left_bottom(),
                actions::node_offers(s, trace, id, view.now()),
            )
        }
        Target::Link(i) => {
            let Some(l) = s.links.get(*i) else {
                st.keys.menu = None;
                return;
            };
            let (Some(a), Some(b)) = (layout.rect(&l.from), layout.rect(&l.to)) else {
                st.keys.menu = None;
                return;
            };
            (
                format!(
                    "Actions for the link {} – {}",
                    view.label(&l.from),
                    view.label(&l.to)
                ),
                a.center() + (b.center() - a.center()) * 0.5,
                actions::link_offers(s, trace, *i, view.now()),
            )
        }
    };
    let mut close = false;
    egui::Area::new(ui.make_persistent_id("canvas-keyboard-menu"))
        .order(egui::Order::Foreground)
        .fixed_pos(anchor + vec2(0.0, 6.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(egui::RichText::new(title).strong());
                let mut first = true;
                let mut button = |ui: &mut Ui, text: &str| {
                    let r = ui.button(text);
                    if std::mem::take(&mut first)
                        && !r.has_focus()
                        && ui.memory(|m| m.focused().is_none())
                    {
                        r.request_focus();
                    }
                    r.clicked()
                };
                for o in offers {
                    if button(ui, &o.label) {
                        cmds.push(Cmd::Act(o.action));
                        close = true;
                    }
                }
                match &target {
                    Target::Node(id) => {
                        if button(ui, "Link to another node (L)") {
                            st.keys.linking = Some(id.clone());
                            close = true;
                        }
                        if button(ui, "Delete") {
                            cmds.push(Cmd::Select(Selection::node(id)));
                            cmds.push(Cmd::DeleteSelection);
                            close = true;
                        }
                    }
                    Target::Link(i) => {
                        if button(ui, "Delete link") {
                            cmds.push(Cmd::Select(Selection::link(*i)));
                            cmds.push(Cmd::DeleteSelection);
                            close = true;
                        }
                    }
                }
                if button(ui, "Close (Esc)") || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
    if close {
        st.keys.menu = None;
    }
}

/// Messages on the wire now, per pair of nodes (either direction).
fn in_flight_per_link<'a>(view: &View<'a>) -> BTreeMap<(&'a str, &'a str), usize> {
    let mut out = BTreeMap::new();
    let Some(p) = view.player else { return out };
    let t = p.trace();
    let id = |n: NodeIdx| view.scenario.nodes.get(n as usize).map(|n| n.id.as_str());
    for m in p.index.in_flight_at(t, p.now()) {
        let Some(msg) = t.message(m) else { continue };
        if let (Some(a), Some(b)) = (id(t.sender(msg)), id(msg.to)) {
            *out.entry(ordered(a, b)).or_insert(0) += 1;
        }
    }
    out
}

fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}
