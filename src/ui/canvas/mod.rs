//! The canvas: the system as boxes and links, with messages travelling as
//! tokens at the moment shown. Drag nodes to move them, drag from a node's
//! port to link it, shift-drag to select with a box, drag empty space to
//! pan, scroll to zoom at the cursor, F to fit.
//!
//! `transform` places things, `draw` paints them, `hit` says what is under
//! the pointer, `gestures` turns input into commands, `menus` holds the
//! right-click menus and `palette` the list of kinds to add.

mod access;
mod badges;
mod choices;
mod contexts;
mod draw;
mod gestures;
mod hit;
pub mod labels;
mod menus;
mod nodes;
mod notes;
mod palette;
mod route;
mod transform;

pub use nodes::Name;

pub use palette::palette;

use egui::{Align2, FontId, Rect, Sense, Ui, Vec2, vec2};

use crate::session::Cmd;
use crate::ui::view::View;
use draw::{Faults, Scene};
use gestures::Drag;
use hit::Hit;
use transform::{Layout, Transform};

/// What the canvas remembers between frames: the view transform and the
/// gesture in progress.
#[derive(Clone, Debug)]
pub struct CanvasState {
    t: Transform,
    fit: bool,
    /// Where the canvas was drawn last frame, in screen points.
    pub rect: Rect,
    /// The canvas size the last fit was made for; a fit is redone when the
    /// window changes size, until the user pans or zooms by hand.
    fitted_for: Option<Vec2>,
    drag: Drag,
    renaming: Option<(String, String)>,
    rename_focus: bool,
    menu: Hit,
    /// What the keyboard is doing on the canvas.
    pub(super) keys: access::Keyboard,
    /// Where each node was drawn last frame (boxes or name plates).
    pub drawn: std::collections::BTreeMap<String, Rect>,
    /// On a projector, the height the name plates need to stand clear of
    /// each other (see `Transform::fit_plates`); the layout gives the
    /// drawing that much before the views under it.
    pub wants_height: f32,
    /// Each node's name as painted last frame (a plate on a projector):
    /// where and at what type size, for tests and the label placement's
    /// promise that none prints over another.
    pub names: Vec<Name>,
    /// The type size of names on plates that the last fit chose (the
    /// largest at which the plates stand clear inside the canvas).
    pub plate_font: f32,
    /// How many nodes the drawing had last frame: a node added since (the
    /// palette's Add button places it on a grid) that lands outside the
    /// canvas makes the view fit again, so it is never added unseen.
    known: usize,
}

impl Default for CanvasState {
    fn default() -> Self {
        CanvasState {
            t: Transform::default(),
            fit: true,
            rect: Rect::NOTHING,
            fitted_for: None,
            drag: Drag::None,
            renaming: None,
            rename_focus: false,
            menu: Hit::Empty,
            keys: Default::default(),
            drawn: Default::default(),
            wants_height: 0.0,
            names: Vec::new(),
            plate_font: transform::PLATE_FONTS[0],
            known: 0,
        }
    }
}

impl CanvasState {
    pub fn request_fit(&mut self) {
        self.fit = true;
    }

    /// Where a node at canvas position `pos` sits on screen.
    pub fn node_screen_rect(&self, pos: (f32, f32)) -> Rect {
        self.t.node_rect(self.rect.min, pos)
    }

    /// Where a node's linking port sits on screen.
    pub fn port_screen_pos(&self, pos: (f32, f32)) -> egui::Pos2 {
        transform::port_of(self.node_screen_rect(pos))
    }

    /// Whether Enter on a node asked for its settings this frame.
    pub fn take_to_inspector(&mut self) -> bool {
        std::mem::take(&mut self.keys.to_inspector)
    }

    /// The current zoom.
    pub fn zoom(&self) -> f32 {
        self.t.zoom
    }
}

/// On a projector, each node's name plate size at type size `font`,
/// sized by its name (a very long name cut short).
fn plate_sizes(ui: &Ui, s: &crate::scenario::Scenario, width: f32, font: f32) -> Vec<Vec2> {
    let most = transform::plate_name_room(width);
    s.nodes
        .iter()
        .map(|n| {
            let w = ui
                .painter()
                .layout_no_wrap(
                    n.label().to_string(),
                    egui::FontId::proportional(font),
                    egui::Color32::WHITE,
                )
                .size()
                .x;
            transform::plate_size(w.min(most), font)
        })
        .collect()
}

/// Fits the view to the drawing when asked (or when the canvas changed
/// size); returns the plate sizes on a projector.
fn fit_if_asked(ui: &Ui, st: &mut CanvasState, view: &View, rect: Rect) -> Option<Vec<Vec2>> {
    let s = view.scenario;
    if st.fit {
        st.fit = false;
        // Context frames stand out above their nodes by their title's
        // band: the fit leaves them that room at the top.
        let (rect, full) = (
            contexts::fit_room(rect, s, view.presenting, st.plate_font),
            rect,
        );
        if view.presenting {
            // The largest type at which every plate, moved clear of the
            // others, still stands inside the canvas.
            for font in transform::PLATE_FONTS {
                let sizes = plate_sizes(ui, s, rect.width(), font);
                st.wants_height = st.t.fit_plates(rect, s, &sizes, 2.5);
                st.plate_font = font;
                let placed = Layout::new(&st.t, rect, s, Some(&sizes));
                if placed.by_index.iter().all(|r| rect.contains_rect(*r)) {
                    break;
                }
            }
        } else {
            st.wants_height = 0.0;
            st.t.fit(rect, s, 1.25);
        }
        st.t.offset.y += rect.min.y - full.min.y;
        st.fitted_for = Some(full.size());
    }
    view.presenting
        .then(|| plate_sizes(ui, s, rect.width(), st.plate_font))
}

/// What hovering the canvas says.
fn tooltip(
    view: &View,
    hovered: &Hit,
    on_title: Option<&crate::scenario::Context>,
) -> Option<String> {
    match hovered {
        Hit::Empty if let Some(c) = on_title => Some(format!(
            "{} — drag the title to move the context with its nodes",
            contexts::group_name(view, c)
        )),
        Hit::Port(_) => Some("Drag to another node to link them".to_string()),
        Hit::Node(id) => view.node(id).map(|n| {
            format!(
                "{} ({}) — drag to move, double-click to rename, right-click for actions",
                n.label(),
                n.kind.word()
            )
        }),
        Hit::Link(_) => Some("Click to select; right-click to cut or heal".to_string()),
        Hit::Empty => None,
    }
}

/// A link being made from the keyboard: a dashed line from its node to
/// the node focused now.
fn linking_line(ui: &Ui, st: &CanvasState, sc: &Scene, s: &crate::scenario::Scenario) {
    if let Some(from) = st.keys.linking.as_deref().and_then(|id| sc.layout.rect(id)) {
        let to = ui
            .memory(|m| m.focused())
            .and_then(|f| {
                s.nodes
                    .iter()
                    .find(|n| ui.make_persistent_id(("canvas-node", &n.id)) == f)
            })
            .and_then(|n| sc.layout.rect(&n.id))
            .map_or(from.center() + vec2(60.0, 0.0), |r| r.center());
        sc.painter.extend(egui::Shape::dashed_line(
            &[from.center(), to],
            egui::Stroke::new(2.5, sc.visuals.selection.stroke.color),
            8.0,
            5.0,
        ));
    }
}

/// Draws the canvas and handles its gestures.
pub fn ui(ui: &mut Ui, st: &mut CanvasState, view: &View, cmds: &mut Vec<Cmd>) {
    let rect = Rect::from_min_size(ui.next_widget_position(), ui.available_size());
    st.rect = rect;
    let s = view.scenario;
    if st
        .fitted_for
        .is_some_and(|size| (size - rect.size()).length() > 2.0)
    {
        st.fit = true;
    }
    let plates = fit_if_asked(ui, st, view, rect);
    let visuals = ui.visuals().clone();
    ui.painter_at(rect)
        .rect_filled(rect, 0.0, visuals.extreme_bg_color);
    // Keyboard and screen-reader elements first, so the pointer still
    // reaches the canvas's own area registered after them.
    let faults = Faults::at(view);
    let staleness = notes::behind(view);
    let lags = notes::lags(view);
    let hints = notes::hints_by_node(view);
    let data = notes::data_by_node(view);
    {
        let layout = Layout::new(&st.t, rect, s, plates.as_deref());
        let added = s
            .nodes
            .get(st.known.min(s.nodes.len())..)
            .unwrap_or_default();
        if st.known > 0
            && added
                .iter()
                .any(|n| layout.rect(&n.id).is_some_and(|r| !rect.contains_rect(r)))
        {
            st.fit = true;
            ui.ctx().request_repaint();
        }
        st.known = s.nodes.len();
        if crate::ui::keymap::escape_pressed(ui.ctx()) {
            st.keys.linking = None;
        }
        let notes = access::Notes {
            staleness: &staleness,
            hints: &hints,
            data: &data,
            lags: &lags,
        };
        access::elements(ui, st, view, &layout, &faults, &notes, cmds);
        contexts::access(ui, view, &layout, rect, st.plate_font);
    }
    let bg = ui.allocate_rect(rect, Sense::click_and_drag());
    bg.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Canvas,
            true,
            "Drawing: Tab moves through its nodes and links",
        )
    });

    // Zoom at the cursor.
    if let Some(hover) = bg.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = pinch * (scroll * 0.0015).exp();
        if (factor - 1.0).abs() > 1e-4 {
            st.t.zoom_at(rect.min, hover, factor);
            st.fitted_for = None;
        }
    }

    let mut sc = Scene {
        painter: ui.painter_at(rect),
        rect,
        visuals,
        t: st.t,
        layout: Layout::new(&st.t, rect, s, plates.as_deref()),
        faults,
        pointer: ui.input(|i| i.pointer.hover_pos()),
        plate_font: st.plate_font,
        keep_clear: Vec::new(),
    };
    st.drawn = sc
        .layout
        .rects
        .iter()
        .map(|(id, r)| (id.to_string(), *r))
        .collect();
    draw::grid(&sc);
    let on_title = contexts::draw(&mut sc, s, view.presenting);
    let link_labels = draw::links(&sc, view);
    draw::messages(&sc, view, &link_labels);
    draw::selected_message(&sc, view);
    choices::rings(&sc, view);
    let hovered = bg
        .hover_pos()
        .map_or(Hit::Empty, |p| hit::test(s, &sc.layout, p));
    let connecting = matches!(st.drag, Drag::Connect { .. }) || st.keys.linking.is_some();
    let notes = access::Notes {
        staleness: &staleness,
        hints: &hints,
        data: &data,
        lags: &lags,
    };
    st.names = nodes::nodes(ui, &sc, view, &hovered, connecting, &notes);
    linking_line(ui, st, &sc, s);
    access::menu(ui, st, view, &sc.layout, cmds);

    gestures::drags(ui, st, &sc, view, &bg, cmds);
    gestures::clicks(ui, st, &sc, view, &bg, cmds);
    match st.menu.clone() {
        Hit::Node(id) | Hit::Port(id) => {
            bg.context_menu(|ui| menus::node_menu(ui, view, &id, cmds));
        }
        Hit::Link(l) => {
            bg.context_menu(|ui| menus::link_menu(ui, view, l, cmds));
        }
        Hit::Empty => {}
    }
    if let (Some(tip), Drag::None) = (tooltip(view, &hovered, on_title), &st.drag) {
        bg.clone().on_hover_text(tip);
    }
    gestures::drop_new_node(st, &sc, view, &bg, cmds);
    gestures::rename(ui, st, &sc, cmds);

    if s.nodes.is_empty() {
        sc.painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "Drag a client and a service from the palette to begin",
            FontId::proportional(18.0),
            sc.visuals.weak_text_color(),
        );
    }
    if !view.presenting {
        sc.painter.text(
            rect.left_top() + vec2(8.0, 6.0),
            Align2::LEFT_TOP,
            "Drag empty space to pan · Shift+drag to select · Scroll to zoom · F to fit",
            FontId::proportional(11.0),
            sc.visuals.weak_text_color(),
        );
    }
}
