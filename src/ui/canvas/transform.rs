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
    /// How much more (or less) positions are spread vertically than
    /// horizontally: 1 when drawing boxes; name plates on a wide, short
    /// projector screen spread the drawing to the room there is.
    pub aspect: f32,
}

impl Default for Transform {
    fn default() -> Self {
        Transform {
            offset: vec2(40.0, 40.0),
            zoom: 1.0,
            aspect: 1.0,
        }
    }
}

impl Transform {
    /// Screen points per canvas unit, across and down.
    pub fn scale(self) -> Vec2 {
        vec2(self.zoom, self.zoom * self.aspect)
    }

    pub fn to_screen(self, origin: Pos2, p: Pos2) -> Pos2 {
        origin + self.offset + p.to_vec2() * self.scale()
    }

    pub fn to_world(self, origin: Pos2, p: Pos2) -> Pos2 {
        ((p - origin - self.offset) / self.scale()).to_pos2()
    }

    /// Where a node at canvas position `pos` sits on screen.
    pub fn node_rect(&self, origin: Pos2, pos: (f32, f32)) -> Rect {
        Rect::from_min_size(
            self.to_screen(origin, pos2(pos.0, pos.1)),
            NODE * self.scale(),
        )
    }

    /// Zooms by `factor` keeping the point under `at` where it is.
    pub fn zoom_at(&mut self, origin: Pos2, at: Pos2, factor: f32) {
        let before = self.to_world(origin, at);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.to_screen(origin, before);
        self.offset += at - after;
    }

    /// Shows every node of `s` in `rect`, magnifying no more than
    /// `max_zoom` (a drawing of one or two nodes is not blown up to fill
    /// the screen).
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
        let zy = (rect.height() - 2.0 * margin) / bounds.height();
        self.zoom = zx.min(zy).clamp(0.25, max_zoom.max(0.25));
        self.aspect = 1.0;
        let center = bounds.center().to_vec2() * self.zoom;
        self.offset = rect.size() / 2.0 - center;
    }
}

/// Snaps a canvas position to the grid.
pub fn snap(p: Pos2) -> (f32, f32) {
    ((p.x / GRID).round() * GRID, (p.y / GRID).round() * GRID)
}

/// The type sizes of node names on a projector, in points, largest
/// first: a drawing whose plates cannot stand clear of each other on a
/// short screen at one size tries the next, never below 16.
pub const PLATE_FONTS: [f32; 3] = [20.0, 18.0, 16.0];
/// A name plate's height at the largest type size, in points.
pub const PLATE_HEIGHT: f32 = 34.0;

/// In presentation mode nodes are name plates sized for the back row: the
/// name at a fixed size whatever the zoom, the plate as wide as the name.
pub fn plate_size(name_width: f32, font: f32) -> Vec2 {
    vec2(
        name_width + PLATE_PADDING,
        font + PLATE_HEIGHT - PLATE_FONTS[0],
    )
}

/// A plate's width beyond its name: icon, gaps and edges.
pub const PLATE_PADDING: f32 = 24.0 + 34.0;

/// The widest a plate's name may be on a canvas `width` wide: a long
/// name is cut short (whole on hover and for screen readers) rather than
/// push its neighbours off a small projector screen.
pub fn plate_name_room(width: f32) -> f32 {
    (width * 0.22).max(120.0)
}

/// Room for a pill above or below a plate (a design hint, the data held),
/// in points.
pub const PILL_ROOM: f32 = 24.0;

impl Transform {
    /// Shows every plate of `sizes` (by node) in `rect`: positions scale,
    /// plates keep their size. Returns the canvas height at which plates
    /// one above another, each with its pills, would stand clear of each
    /// other at this width, so the window can give the drawing that room.
    pub fn fit_plates(&mut self, rect: Rect, s: &Scenario, sizes: &[Vec2], max_zoom: f32) -> f32 {
        if s.nodes.is_empty() {
            *self = Transform::default();
            return 0.0;
        }
        let centre = |n: &crate::scenario::Node| pos2(n.pos.0, n.pos.1) + NODE / 2.0;
        let mut bounds = Rect::NOTHING;
        for n in &s.nodes {
            bounds = bounds.union(Rect::from_center_size(centre(n), Vec2::ZERO));
        }
        let margin = 16.0;
        let plate_h = sizes.iter().map(|v| v.y).fold(0.0, f32::max);
        let room_y = rect.height() - 2.0 * margin - plate_h - 2.0 * PILL_ROOM;
        // Across and down are fitted each on its own (within a factor of
        // two of each other): plates keep their size, so it is the room
        // between them that matters. Across, the widest scale at which
        // every plate, half its width either side of its centre, is inside.
        let extent = |z: f32| {
            let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
            for (i, n) in s.nodes.iter().enumerate() {
                let half = sizes.get(i).map_or(0.0, |v| v.x / 2.0);
                let x = centre(n).x * z;
                lo = lo.min(x - half);
                hi = hi.max(x + half);
            }
            (lo, hi)
        };
        let span = |z: f32| {
            let (lo, hi) = extent(z);
            hi - lo
        };
        let room_x = rect.width() - 2.0 * margin;
        let (mut lo, mut hi) = (0.05, max_zoom.max(0.05));
        if span(hi) > room_x {
            for _ in 0..24 {
                let mid = (lo + hi) / 2.0;
                if span(mid) <= room_x {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi = lo;
        }
        let fit_x = hi;
        let fit_y = (room_y / bounds.height().max(1.0)).clamp(0.05, max_zoom.max(0.05));
        // Over every pair of plates: those in one row need their centres
        // at least `need_x` apart across; those that would share a column
        // at the width's own scale need their rows `need_y` apart down
        // (the upper plate's data may hang into the gap and the lower
        // one's hints stand in it).
        let (mut need_x, mut need_y): (f32, f32) = (0.0, 0.0);
        for (i, a) in s.nodes.iter().enumerate() {
            for (j, b) in s.nodes.iter().enumerate().skip(i + 1) {
                let half = |k: usize| sizes.get(k).map_or(0.0, |v| v.x / 2.0);
                let (across, down) = ((a.pos.0 - b.pos.0).abs(), (a.pos.1 - b.pos.1).abs());
                let clear = half(i) + half(j) + 8.0;
                if down * fit_y < plate_h + 4.0 && across > 0.0 {
                    need_x = need_x.max(clear / across);
                }
                if across * fit_x < clear && down > 0.0 {
                    need_y = need_y.max((plate_h + 2.0 * PILL_ROOM) / down);
                }
            }
        }
        let zx = fit_x.min((2.0 * fit_y).max(need_x));
        let zy = fit_y.min(2.0 * zx);
        self.zoom = zx;
        self.aspect = zy / zx;
        // Centred on the plates' own extent across (a wide plate at one
        // side would otherwise hang off it), on the centres down.
        let (left, right) = extent(zx);
        self.offset = vec2(
            rect.width() / 2.0 - (left + right) / 2.0,
            rect.height() / 2.0 - bounds.center().y * zy,
        );
        bounds.height() * need_y.min(max_zoom) + 2.0 * margin + plate_h + 2.0 * PILL_ROOM
    }
}

/// Every node's rectangle on screen this frame.
pub struct Layout<'a> {
    /// By node id.
    pub rects: BTreeMap<&'a str, Rect>,
    /// By run index (scenario order).
    pub by_index: Vec<Rect>,
    /// Run index by node id.
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Layout<'a> {
    /// Node rectangles in a canvas at `canvas`: scaled boxes, or (with
    /// `plates`) name plates of those sizes centred where the boxes would
    /// be, each moved the least it takes to stand clear of the others
    /// (plates keep their size whatever the zoom, so two close nodes
    /// would otherwise print one name over the other).
    pub fn new(t: &Transform, canvas: Rect, s: &'a Scenario, plates: Option<&[Vec2]>) -> Self {
        let origin = canvas.min;
        let mut by_index: Vec<Rect> = s
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let r = t.node_rect(origin, n.pos);
                match plates.and_then(|p| p.get(i)) {
                    Some(&size) => Rect::from_center_size(r.center(), size),
                    None => r,
                }
            })
            .collect();
        if plates.is_some() {
            by_index = super::labels::place(&by_index, &[], canvas.shrink(2.0));
        }
        let rects = s
            .nodes
            .iter()
            .zip(&by_index)
            .map(|(n, &r)| (n.id.as_str(), r))
            .collect();
        let index = s
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        Layout {
            rects,
            by_index,
            index,
        }
    }

    pub fn rect(&self, id: &str) -> Option<Rect> {
        self.rects.get(id).copied()
    }

    pub fn center_of(&self, n: u16) -> Option<Pos2> {
        self.by_index.get(n as usize).map(|r| r.center())
    }

    /// The path on screen between nodes `from` and `to` (by run index):
    /// border to border, bent around any node in the way (see
    /// [`super::route::route`]). Links, the tokens on them and the hit
    /// test all follow it.
    pub fn path(&self, from: usize, to: usize) -> Option<Vec<Pos2>> {
        let (ra, rb) = (*self.by_index.get(from)?, *self.by_index.get(to)?);
        let (a, b) = (border_point(ra, rb.center()), border_point(rb, ra.center()));
        let others: Vec<Rect> = self
            .by_index
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != from && k != to)
            .map(|(_, r)| *r)
            .collect();
        Some(super::route::route(a, b, &others))
    }

    /// As [`Layout::path`], by node id.
    pub fn path_between(&self, from: &str, to: &str) -> Option<Vec<Pos2>> {
        self.path(*self.index.get(from)?, *self.index.get(to)?)
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
