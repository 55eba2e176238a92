//! Small geometry shared by the views.

use egui::Pos2;

/// Distance from `p` to the segment from `a` to `b`: how near the pointer
/// is to a link or an arrow.
pub fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    (a + ab * t).distance(p)
}
