//! Where things are on screen: the canvas's pan and zoom, and the rectangle
//! of every node for this frame.

use std::collections::BTreeMap;

use egui::{Pos2, Rect, Vec2, pos2, vec2};

use crate::scenario::Scenario;
use crate::session::edit::NODE_SIZE;

/// A node's size in canvas units.
pub const NODE: Vec2 = vec2(NODE_SIZE.0, NODE_SIZE.1);
/// The snapping grid, in canvas units.
pub const GRID: f32 = 20.0;
/// The zoom range.
pub const MIN_ZOOM: f32 = 0.2;
pub const MAX_ZOOM: f32 = 4.0;

/// The canvas's pan and zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub offset: Vec2,
    pub zoom: f32,
}

impl Default for Transform {
    fn default() -> Self {
        Transform {
            offset: vec2(40.0, 40.0),
            zoom: 1.0,
        }
    }
}

impl Transform {
    pub fn to_screen(self, origin: Pos2, p: Pos2) -> Pos2 {
        origin + self.offset + p.to_vec2() * self.zoom
    }

    pub fn to_world(self, origin: Pos2, p: Pos2) -> Pos2 {
        ((p - origin - self.offset) / self.zoom).to_pos2()
    }

    /// Where a node at canvas position `pos` sits on screen.
    pub fn node_rect(&self, origin: Pos2, pos: (f32, f32)) -> Rect {
        Rect::from_min_size(self.to_screen(origin, pos2(pos.0, pos.1)), NODE * self.zoom)
    }

    /// Zooms by `factor` keeping the point under `at` where it is.
    pub fn zoom_at(&mut self, origin: Pos2, at: Pos2, factor: f32) {
        let before = self.to_world(origin, at);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.to_screen(origin, before);
        self.offset += at - after;
    }

    /// Shows every node of `s` in `rect`, leaving room at the bottom for
    /// the narration card, magnifying no more than `max_zoom` (a drawing of
    /// one or two nodes is not blown up to fill the screen).
    pub fn fit(&mut self, rect: Rect, s: &Scenario, max_zoom: f32) {
        let mut bounds = Rect::NOTHING;
        for n in &s.nodes {
            bounds = bounds.union(Rect::from_min_size(pos2(n.pos.0, n.pos.1), NODE));
        }
        if !bounds.is_positive() {
            *self = Transform::default();
            return;
        }
        let margin = 40.0;
        let zx = (rect.width() - 2.0 * margin) / bounds.width();
        let zy = (rect.height() - 2.0 * margin - 90.0) / bounds.height();
        self.zoom = zx.min(zy).clamp(0.25, max_zoom.max(0.25));
        let center = bounds.center().to_vec2() * self.zoom;
        self.offset = rect.size() / 2.0 - center - vec2(0.0, 45.0);
    }
}

/// Snaps a canvas position to the grid.
pub fn snap(p: Pos2) -> (f32, f32) {
    ((p.x / GRID).round() * GRID, (p.y / GRID).round() * GRID)
}

/// Every node's rectangle on screen this frame.
pub struct Layout<'a> {
    /// By node id.
    pub rects: BTreeMap<&'a str, Rect>,
    /// By run index (scenario order).
    pub by_index: Vec<Rect>,
}

impl<'a> Layout<'a> {
    pub fn new(t: &Transform, origin: Pos2, s: &'a Scenario) -> Self {
        let by_index: Vec<Rect> = s.nodes.iter().map(|n| t.node_rect(origin, n.pos)).collect();
        let rects = s
            .nodes
            .iter()
            .zip(&by_index)
            .map(|(n, &r)| (n.id.as_str(), r))
            .collect();
        Layout { rects, by_index }
    }

    pub fn rect(&self, id: &str) -> Option<Rect> {
        self.rects.get(id).copied()
    }

    pub fn center_of(&self, n: u16) -> Option<Pos2> {
        self.by_index.get(n as usize).map(|r| r.center())
    }
}

/// Where a node's linking port sits on its rectangle.
pub fn port_of(r: Rect) -> Pos2 {
    pos2(r.max.x, r.center().y)
}

/// Where the segment from the centre of `r` towards `to` leaves `r`.
pub fn border_point(r: Rect, to: Pos2) -> Pos2 {
    let c = r.center();
    let d = to - c;
    if d.length_sq() < 1e-3 {
        return c;
    }
    let sx = if d.x.abs() > 1e-3 {
        (r.width() / 2.0) / d.x.abs()
    } else {
        f32::INFINITY
    };
    let sy = if d.y.abs() > 1e-3 {
        (r.height() / 2.0) / d.y.abs()
    } else {
        f32::INFINITY
    };
    c + d * sx.min(sy).min(1.0)
}
