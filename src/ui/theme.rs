//! Colours and sizes shared by every view, chosen to read on a projector:
//! strong hues for node kinds, and three unmistakable states for copies
//! (agrees, stale, conflicting).

use egui::Color32;

use crate::scenario::Kind;

/// The accent colour of a node kind.
pub fn kind_color(kind: Kind) -> Color32 {
    let [r, g, b] = kind.rgb();
    Color32::from_rgb(r, g, b)
}

/// A copy that matches its owner.
pub const AGREES: Color32 = Color32::from_rgb(0x2e, 0x9e, 0x5b);
/// A copy behind its owner.
pub const STALE: Color32 = Color32::from_rgb(0xe0, 0x9f, 0x1f);
/// A copy that holds something its owner never had.
pub const CONFLICT: Color32 = Color32::from_rgb(0xd6, 0x3b, 0x3b);
/// Faults, drops and cuts.
pub const FAULT: Color32 = Color32::from_rgb(0xd6, 0x3b, 0x3b);
/// A request with an unknown outcome (its client timed out).
pub const UNKNOWN: Color32 = {
    let [r, g, b] = crate::export::palette::UNKNOWN_RGB;
    Color32::from_rgb(r, g, b)
};
/// Narration marks and the current-time line.
pub const NARRATION: Color32 = Color32::from_rgb(0x3a, 0x86, 0xff);
/// Where two compared runs differ: a colour no agreement state uses.
pub const DIFFERS: Color32 = Color32::from_rgb(0xc0, 0x4c, 0xf0);
pub const NOW: Color32 = Color32::from_rgb(0xff, 0x5d, 0x8f);
/// A message's colour by its kind word (one table, shared with exports).
pub fn message_color(kind: &str) -> Color32 {
    let [r, g, b] = crate::export::palette::message_rgb(kind);
    Color32::from_rgb(r, g, b)
}

/// A colour's relative luminance (WCAG 2), from 0 (black) to 1 (white).
pub fn luminance(c: Color32) -> f32 {
    crate::export::Rgb(c.r(), c.g(), c.b()).luminance()
}

/// The WCAG contrast ratio of two colours, from 1 to 21; text needs 4.5.
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text colour that reads on an opaque `bg`: black or white, whichever
/// contrasts more (for any background one of them reaches 4.5:1).
pub fn on(bg: Color32) -> Color32 {
    if contrast(Color32::BLACK, bg) >= contrast(Color32::WHITE, bg) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// `color` made dark or light enough to read as text on `bg` (4.5:1):
/// the hue stays, the brightness gives way.
pub fn readable(color: Color32, bg: Color32) -> Color32 {
    let toward = on(bg);
    let mut c = color;
    for step in 1..=10 {
        if contrast(c, bg) >= 4.5 {
            return c;
        }
        c = color.lerp_to_gamma(toward, step as f32 / 10.0);
    }
    toward
}

/// `color` as text on this panel.
pub fn ink(ui: &egui::Ui, color: Color32) -> Color32 {
    readable(color, ui.visuals().panel_fill)
}

/// Whether a text set in `font` is at most `width` points wide: the
/// measure both kinds of cut below search with.
fn fits_in<'a>(
    painter: &'a egui::Painter,
    font: &'a egui::FontId,
    width: f32,
) -> impl Fn(&str) -> bool + 'a {
    move |t: &str| {
        painter
            .layout_no_wrap(t.to_string(), font.clone(), Color32::WHITE)
            .size()
            .x
            <= width
    }
}

/// A node's name cut to `width`, keeping a trailing parenthesis ("Orders…
/// (left)") where two nodes' names usually differ.
pub fn elide_name(painter: &egui::Painter, text: &str, font: &egui::FontId, width: f32) -> String {
    crate::model::elide::elide_name(text, fits_in(painter, font, width))
}

/// `text` cut with an ellipsis to fit `width` points in `font`.
pub fn elide(painter: &egui::Painter, text: &str, font: &egui::FontId, width: f32) -> String {
    crate::model::elide::elide_with(text, fits_in(painter, font, width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_every_kind_colour_meets_four_and_a_half_to_one() {
        for &k in Kind::ALL {
            let bg = kind_color(k);
            assert!(
                contrast(on(bg), bg) >= 4.5,
                "{k:?}: {}",
                contrast(on(bg), bg)
            );
        }
        for bg in [AGREES, STALE, CONFLICT, NARRATION, NOW] {
            assert!(contrast(on(bg), bg) >= 4.5, "{bg:?}");
        }
    }

    #[test]
    fn coloured_text_reads_on_both_themes() {
        for bg in [
            egui::Visuals::light().panel_fill,
            egui::Visuals::dark().panel_fill,
            egui::Visuals::light().extreme_bg_color,
            egui::Visuals::dark().extreme_bg_color,
        ] {
            for c in [AGREES, STALE, CONFLICT, FAULT, NARRATION, NOW] {
                assert!(contrast(readable(c, bg), bg) >= 4.5, "{c:?} on {bg:?}");
            }
        }
    }
}
