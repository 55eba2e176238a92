//! Where a link runs. Straight from one node to the other, unless that
//! line would pass through a node it does not connect: three nodes in a
//! row, a link from the first to the third drawn straight would read as
//! two links through the middle one. Such a link bends into a gentle
//! curve that clears every other node. Pure geometry, tested without a
//! window; the painter, the hit test and the message tokens all follow
//! the same points.

use egui::{Pos2, Rect, Vec2};

use crate::ui::geometry::distance_to_segment;

/// Points along a curved link: enough for a smooth curve on screen.
const SAMPLES: usize = 20;
/// How far a link keeps from a node it does not connect, in points.
const CLEARANCE: f32 = 6.0;

/// The link's path from `a` to `b` (on the borders of its two nodes),
/// keeping off `others` (every other node's rectangle): the straight
/// segment when it is clear, else the least bent curve, to either side,
/// that is. A crowd no bend clears keeps the last tried.
pub fn route(a: Pos2, b: Pos2, others: &[Rect]) -> Vec<Pos2> {
    let straight = vec![a, b];
    let blocked: Vec<Rect> = others
        .iter()
        .map(|r| r.expand(CLEARANCE))
        .filter(|r| crosses(&straight, *r))
        .collect();
    if blocked.is_empty() {
        return straight;
    }
    let d = b - a;
    let len = d.length();
    if len < 1.0 {
        return straight;
    }
    // Up first (or left, for an upright link): names hang under boxes.
    let mut normal = Vec2::new(-d.y, d.x) / len;
    if normal.y > 0.0 || (normal.y == 0.0 && normal.x > 0.0) {
        normal = -normal;
    }
    let mut last = straight;
    for k in 1..=12 {
        for side in [1.0, -1.0] {
            let bend = side * k as f32 * len.max(80.0) * 0.06;
            let curve = bent(a, b, normal * bend);
            if !others.iter().any(|r| crosses(&curve, r.expand(CLEARANCE))) {
                return curve;
            }
            last = curve;
        }
    }
    last
}

/// A quadratic curve from `a` to `b` whose middle stands `offset` from the
/// straight line's middle.
fn bent(a: Pos2, b: Pos2, offset: Vec2) -> Vec<Pos2> {
    // The control point of a quadratic Bézier is twice as far out as the
    // curve's middle.
    let c = a + (b - a) * 0.5 + offset * 2.0;
    (0..=SAMPLES)
        .map(|i| {
            let t = i as f32 / SAMPLES as f32;
            let u = 1.0 - t;
            (a.to_vec2() * (u * u) + c.to_vec2() * (2.0 * u * t) + b.to_vec2() * (t * t)).to_pos2()
        })
        .collect()
}

/// Whether the path goes through `r`.
pub fn crosses(path: &[Pos2], r: Rect) -> bool {
    path.windows(2).any(|w| segment_hits_rect(w[0], w[1], r))
}

/// Whether the segment from `a` to `b` touches the inside of `r`.
fn segment_hits_rect(a: Pos2, b: Pos2, r: Rect) -> bool {
    if r.contains(a) || r.contains(b) {
        return true;
    }
    // Clip the segment to the rectangle's slab in x, then in y.
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    let d = b - a;
    for (p, dp, lo, hi) in [(a.x, d.x, r.min.x, r.max.x), (a.y, d.y, r.min.y, r.max.y)] {
        if dp.abs() < 1e-6 {
            if p < lo || p > hi {
                return false;
            }
        } else {
            let (mut ta, mut tb) = ((lo - p) / dp, (hi - p) / dp);
            if ta > tb {
                std::mem::swap(&mut ta, &mut tb);
            }
            t0 = t0.max(ta);
            t1 = t1.min(tb);
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// The point a fraction `f` (0 to 1) of the way along `path`.
pub fn along(path: &[Pos2], f: f32) -> Pos2 {
    let total: f32 = path.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut left = total * f.clamp(0.0, 1.0);
    for w in path.windows(2) {
        let l = w[0].distance(w[1]);
        if left <= l && l > 0.0 {
            return w[0] + (w[1] - w[0]) * (left / l);
        }
        left -= l;
    }
    path.last().copied().unwrap_or(Pos2::ZERO)
}

/// How near `p` is to `path`.
pub fn distance(p: Pos2, path: &[Pos2]) -> f32 {
    path.windows(2)
        .map(|w| distance_to_segment(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, vec2};

    fn node(x: f32, y: f32) -> Rect {
        Rect::from_min_size(pos2(x, y), vec2(100.0, 40.0))
    }

    #[test]
    fn a_link_past_a_node_in_line_bends_around_it() {
        // Three nodes in a row: first to third.
        let (first, middle, third) = (node(0.0, 0.0), node(200.0, 0.0), node(400.0, 0.0));
        let (a, b) = (pos2(first.max.x, 20.0), pos2(third.min.x, 20.0));
        assert!(crosses(&[a, b], middle), "the straight line goes through");
        let path = route(a, b, &[middle]);
        assert!(path.len() > 2, "bent");
        assert!(!crosses(&path, middle), "{path:?}");
        assert_eq!(path.first(), Some(&a));
        assert_eq!(path.last(), Some(&b));
        // Gently: it never strays further than a node's height or so.
        assert!(path.iter().all(|p| (p.y - 20.0).abs() < 90.0), "{path:?}");
    }

    #[test]
    fn a_clear_link_stays_straight() {
        let (a, b) = (pos2(100.0, 20.0), pos2(400.0, 20.0));
        assert_eq!(route(a, b, &[node(200.0, 100.0)]), vec![a, b]);
    }

    #[test]
    fn a_token_travels_along_the_path() {
        let path = [pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(10.0, 10.0)];
        assert_eq!(along(&path, 0.0), pos2(0.0, 0.0));
        assert_eq!(along(&path, 0.5), pos2(10.0, 0.0));
        assert_eq!(along(&path, 1.0), pos2(10.0, 10.0));
        assert!(distance(pos2(12.0, 5.0), &path) <= 2.0);
    }
}
