//! In the choose-next mode, while the run holds for a choice: each message
//! that could arrive next is ringed where it is on its link and numbered as
//! in the list under the drawing, so the learner sees which is which.

use egui::{Align2, FontId, Stroke};

use super::draw::Scene;
use crate::ui::theme;
use crate::ui::view::View;

pub fn rings(sc: &Scene, view: &View) {
    let Some(point) = view.player.and_then(|p| p.choice_point()) else {
        return;
    };
    let Some(p) = view.player else { return };
    let zoom = sc.t.zoom.sqrt();
    let now = p.time();
    for (i, c) in point.candidates.iter().enumerate() {
        let Some(path) = sc.layout.path(c.from as usize, c.to as usize) else {
            continue;
        };
        let sent = c.sent as f64;
        let f = ((now - sent) / (c.due as f64 - sent).max(1.0)).clamp(0.0, 1.0) as f32;
        let pos = super::route::along(&path, f);
        let r = 12.0 * zoom;
        sc.painter
            .circle_stroke(pos, r, Stroke::new(2.5, theme::NOW));
        sc.painter.text(
            pos + egui::vec2(-r, -r),
            Align2::RIGHT_BOTTOM,
            format!("{}", i + 1),
            FontId::proportional(13.0),
            theme::NOW,
        );
    }
}
