//! The canvas's gestures: drag a node to move it (a selection moves
//! together, as one undo step), drag from a port to link, shift-drag to
//! select with a box, drag empty space to pan, click to select, double-click
//! to rename, drop a palette entry to add a node.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Pos2, Rect, Response, Stroke, StrokeKind, Ui, pos2, vec2};

use super::CanvasState;
use super::draw::Scene;
use super::hit::{self, Hit};
use super::palette::NewNode;
use super::transform::{NODE, port_of, snap};
use crate::session::{Cmd, Edit, Selection};
use crate::ui::view::View;

/// The gesture in progress.
#[derive(Clone, Debug, Default)]
pub enum Drag {
    #[default]
    None,
    Move {
        origin: Pos2,
        start: BTreeMap<String, (f32, f32)>,
    },
    Connect {
        from: String,
    },
    Select {
        origin: Pos2,
    },
    Pan,
}

/// Starts, continues and ends drags.
pub fn drags(
    ui: &Ui,
    st: &mut CanvasState,
    sc: &Scene,
    view: &View,
    bg: &Response,
    cmds: &mut Vec<Cmd>,
) {
    let s = view.scenario;
    let shift = ui.input(|i| i.modifiers.shift);
    if bg.drag_started() {
        let origin = bg.interact_pointer_pos().unwrap_or(sc.rect.center());
        let press = ui.input(|i| i.pointer.press_origin()).unwrap_or(origin);
        let frames = super::contexts::frames(
            &sc.painter,
            s,
            &sc.layout,
            sc.rect,
            (view.presenting, sc.plate_font),
        );
        let title = super::contexts::title_at(&frames, press);
        st.drag = match hit::test(s, &sc.layout, press) {
            // A frame's title carries the context's nodes with it.
            Hit::Empty if let Some(c) = title => {
                let ids: BTreeSet<String> = c.nodes.iter().cloned().collect();
                cmds.push(Cmd::Select(Selection {
                    nodes: ids.clone(),
                    ..Selection::default()
                }));
                start_move(s, &ids, press, cmds)
            }
            Hit::Port(from) => Drag::Connect { from },
            Hit::Node(id) => {
                let ids: BTreeSet<String> = if view.selection.nodes.contains(&id) {
                    view.selection.nodes.clone()
                } else {
                    cmds.push(Cmd::Select(Selection::node(&id)));
                    [id].into()
                };
                start_move(s, &ids, press, cmds)
            }
            _ if shift => Drag::Select { origin: press },
            _ => Drag::Pan,
        };
    }

    let pointer_now = ui.input(|i| i.pointer.interact_pos());
    let released = !bg.dragged() && !matches!(st.drag, Drag::None);
    match &st.drag {
        Drag::Move { origin, start } => {
            if let Some(p) = pointer_now {
                let delta = (p - *origin) / st.t.scale();
                let places = start
                    .iter()
                    .map(|(id, &(x, y))| {
                        let at = pos2(x + delta.x, y + delta.y);
                        (id.clone(), if view.snap { snap(at) } else { (at.x, at.y) })
                    })
                    .collect();
                cmds.push(Cmd::Gesture(Edit::Move(places)));
            }
        }
        Drag::Connect { from } => {
            if let (Some(p), Some(r)) = (pointer_now, sc.layout.rect(from)) {
                sc.painter.line_segment(
                    [port_of(r), p],
                    Stroke::new(2.5, sc.visuals.selection.stroke.color),
                );
                if released && let Hit::Node(to) | Hit::Port(to) = hit::test(s, &sc.layout, p) {
                    cmds.push(Cmd::Edit(Edit::Connect {
                        from: from.clone(),
                        to,
                    }));
                }
            }
        }
        Drag::Select { origin } => {
            if let Some(p) = pointer_now {
                let sel_rect = Rect::from_two_pos(*origin, p);
                sc.painter.rect(
                    sel_rect,
                    2.0,
                    sc.visuals.selection.bg_fill.gamma_multiply(0.2),
                    Stroke::new(1.0, sc.visuals.selection.stroke.color),
                    StrokeKind::Inside,
                );
                if released {
                    let nodes = sc
                        .layout
                        .rects
                        .iter()
                        .filter(|(_, r)| r.intersects(sel_rect))
                        .map(|(id, _)| id.to_string())
                        .collect();
                    cmds.push(Cmd::Select(Selection {
                        nodes,
                        ..Selection::default()
                    }));
                }
            }
        }
        Drag::Pan => {
            st.t.offset += bg.drag_delta();
            st.fitted_for = None;
        }
        Drag::None => {}
    }
    if released {
        st.drag = Drag::None;
    }
}

/// Starts moving nodes `ids` from `press`: their places now, and a
/// checkpoint so the whole drag undoes as one step.
fn start_move(
    s: &crate::scenario::Scenario,
    ids: &BTreeSet<String>,
    press: Pos2,
    cmds: &mut Vec<Cmd>,
) -> Drag {
    let start = s
        .nodes
        .iter()
        .filter(|m| ids.contains(&m.id))
        .map(|m| (m.id.clone(), m.pos))
        .collect();
    cmds.push(Cmd::Checkpoint);
    Drag::Move {
        origin: press,
        start,
    }
}

/// Clicks: select a node (shift or ctrl adds), a link, or nothing;
/// double-click renames; right-click opens a menu.
pub fn clicks(
    ui: &Ui,
    st: &mut CanvasState,
    sc: &Scene,
    view: &View,
    bg: &Response,
    cmds: &mut Vec<Cmd>,
) {
    let s = view.scenario;
    let (shift, command) = ui.input(|i| (i.modifiers.shift, i.modifiers.command));
    let at = |r: &Response| {
        r.interact_pointer_pos()
            .map_or(Hit::Empty, |p| hit::test(s, &sc.layout, p))
    };
    if bg.clicked() {
        match at(bg) {
            Hit::Node(id) | Hit::Port(id) => {
                let mut sel = if shift || command {
                    view.selection.clone()
                } else {
                    Selection::default()
                };
                sel.link = None;
                if (shift || command) && sel.nodes.contains(&id) {
                    sel.nodes.remove(&id);
                } else {
                    sel.nodes.insert(id);
                }
                cmds.push(Cmd::Select(sel));
            }
            Hit::Link(l) => cmds.push(Cmd::Select(Selection::link(l))),
            Hit::Empty => cmds.push(Cmd::Select(Selection::default())),
        }
    }
    if bg.double_clicked()
        && let Hit::Node(id) = at(bg)
    {
        let name = view.label(&id).to_string();
        st.renaming = Some((id, name));
        st.rename_focus = true;
    }
    if bg.secondary_clicked() {
        st.menu = at(bg);
    }
}

/// A new node dropped from the palette.
pub fn drop_new_node(
    st: &CanvasState,
    sc: &Scene,
    view: &View,
    bg: &Response,
    cmds: &mut Vec<Cmd>,
) {
    let (Some(NewNode(kind)), Some(p)) =
        (bg.dnd_release_payload::<NewNode>().map(|p| *p), sc.pointer)
    else {
        return;
    };
    // The whole node lands inside the canvas, even when dropped at its edge.
    let size = NODE * st.t.zoom;
    let inside = sc.rect.shrink(4.0);
    let min = (p - size / 2.0)
        .max(inside.min)
        .min((inside.max - size).max(inside.min));
    let w = st.t.to_world(sc.rect.min, min);
    let at = if view.snap { snap(w) } else { (w.x, w.y) };
    cmds.push(Cmd::Edit(Edit::AddNode { kind, at: Some(at) }));
}

/// Renaming a node in place, after a double-click.
pub fn rename(ui: &mut Ui, st: &mut CanvasState, sc: &Scene, cmds: &mut Vec<Cmd>) {
    let Some((id, text)) = &mut st.renaming else {
        return;
    };
    let Some(r) = sc.layout.rect(id) else {
        st.renaming = None;
        return;
    };
    let zoom = st.t.zoom;
    let edit_rect = Rect::from_min_size(
        pos2(r.min.x + 40.0 * zoom, r.min.y + 4.0),
        vec2(r.width() - 48.0 * zoom, 24.0),
    );
    let resp = ui.put(
        edit_rect,
        egui::TextEdit::singleline(text).desired_width(edit_rect.width()),
    );
    // Focus once, when renaming starts; after that leaving the field
    // (a click elsewhere, Enter) ends it, and Escape cancels.
    if std::mem::take(&mut st.rename_focus) {
        resp.request_focus();
        return;
    }
    let escape = crate::ui::keymap::escape_pressed(ui.ctx());
    if !resp.has_focus() {
        if !escape {
            cmds.push(Cmd::Edit(Edit::Rename {
                id: id.clone(),
                name: text.trim().to_string(),
            }));
        }
        // Ended from the keyboard: the keyboard goes back to the node, not
        // to the start of the window.
        if escape || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            let node = super::access::node_id(ui, id);
            ui.memory_mut(|m| m.request_focus(node));
        }
        st.renaming = None;
    }
}
