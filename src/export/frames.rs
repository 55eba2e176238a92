//! Bounded contexts in an exported picture of the drawing: each a named
//! frame behind its nodes, as the canvas draws it (see
//! `ui::canvas::contexts`), in the page's colours.

use super::palette::{INK, LINE, NARRATION, PAGE};
use super::svg::{Anchor, Font, Stroke, Svg};
use super::text::Measure;
use crate::scenario::Scenario;

/// Room between a frame and its nodes, in pixels.
const PAD: f32 = 12.0;
/// The title's type size.
const TITLE: f32 = 15.0;
/// The band above the nodes the title takes.
const BAND: f32 = TITLE + 9.0;

/// How far frames stand out above the nodes: what the picture's fit must
/// leave free at the top (nothing without contexts).
pub fn room_above(s: &Scenario) -> f32 {
    if s.contexts.is_empty() {
        0.0
    } else {
        PAD + BAND
    }
}

/// Draws every context's frame around the boxes of its nodes (`boxes`
/// by scenario order, as `(x, y, w, h)`).
pub fn draw(svg: &mut Svg, s: &Scenario, boxes: &[(f32, f32, f32, f32)], measure: &Measure) {
    for c in &s.contexts {
        let inside = s
            .nodes
            .iter()
            .zip(boxes)
            .filter(|(n, _)| c.nodes.contains(&n.id))
            .map(|(_, b)| *b);
        let Some((x0, y0, x1, y1)) = inside.fold(None, |acc, (x, y, w, h)| {
            let (a, b, c, d) = acc.unwrap_or((x, y, x + w, y + h));
            Some((a.min(x), b.min(y), c.max(x + w), d.max(y + h)))
        }) else {
            continue;
        };
        let title_w = measure.width(&c.name, TITLE) + 16.0;
        let (x, y) = (x0 - PAD, y0 - PAD - BAND);
        let w = (x1 - x0 + 2.0 * PAD).max(title_w);
        let h = y1 - y + PAD;
        svg.rect(
            (x, y, w, h),
            8.0,
            Some(NARRATION.mix(PAGE, 0.95)),
            Some(Stroke::solid(LINE, 1.5)),
        );
        svg.rect(
            (x, y, title_w, BAND),
            8.0,
            Some(NARRATION.mix(PAGE, 0.85)),
            None,
        );
        svg.text(
            (x + 8.0, y + BAND / 2.0),
            Font {
                size: TITLE,
                color: INK,
                anchor: Anchor::Start,
            },
            &c.name,
        );
    }
}
