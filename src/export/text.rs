//! How wide a line of text is in the font Settle ships, so exported
//! pictures can centre labels and cut long ones to fit before a viewer
//! ever draws them. Widths come from the font's own advances (no kerning),
//! which is within a few per cent of what the renderer shapes.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans: every exported picture names it, and the PNG and GIF
/// renderer is given this copy, so no system font is ever needed.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Advance widths of the shipped font, per em.
pub struct Measure {
    font: Option<FontRef<'static>>,
    /// Printable ASCII, looked up once: nearly every label is made of it.
    ascii: [f32; 128],
}

/// An em fraction for characters the font cannot tell us about.
const FALLBACK_EM: f32 = 0.6;

impl Default for Measure {
    fn default() -> Self {
        Measure::new()
    }
}

impl Measure {
    pub fn new() -> Measure {
        let font = FontRef::new(FONT).ok();
        let mut m = Measure {
            font,
            ascii: [FALLBACK_EM; 128],
        };
        for c in 0x20u8..0x7f {
            m.ascii[c as usize] = m.lookup(char::from(c));
        }
        m
    }

    fn lookup(&self, c: char) -> f32 {
        let Some(font) = &self.font else {
            return FALLBACK_EM;
        };
        let Some(glyph) = font.charmap().map(c) else {
            return FALLBACK_EM;
        };
        font.glyph_metrics(Size::new(1.0), LocationRef::default())
            .advance_width(glyph)
            .unwrap_or(FALLBACK_EM)
    }

    /// The width of `text` at `size` pixels.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let em: f32 = text
            .chars()
            .map(|c| match self.ascii.get(c as usize) {
                Some(&w) if c.is_ascii() => w,
                _ => self.lookup(c),
            })
            .sum();
        em * size
    }

    /// `text`, cut with an ellipsis if it is wider than `room` pixels.
    pub fn elide(&self, text: &str, size: f32, room: f32) -> String {
        crate::model::elide::elide_with(text, |t| self.width(t, size) <= room)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        let m = Measure::new();
        assert!(m.font.is_some(), "the shipped font reads");
        let i = m.width("i", 10.0);
        let w = m.width("W", 10.0);
        assert!(i > 1.0 && w > 2.0 * i, "i {i}, W {w}");
        assert!((m.width("ab", 20.0) - 2.0 * m.width("ab", 10.0)).abs() < 1e-3);
        assert!(m.width("→ ⟷", 10.0) > 0.0);
    }

    #[test]
    fn the_font_has_every_symbol_the_pictures_use() {
        let font = FontRef::new(FONT).expect("reads");
        for c in "→⟷✂✕↻⚠…·".chars() {
            assert!(font.charmap().map(c).is_some(), "no glyph for {c}");
        }
    }

    #[test]
    fn long_text_is_cut_to_fit() {
        let m = Measure::new();
        let long = "a rather long label on an arrow between two lanes";
        let cut = m.elide(long, 14.0, 120.0);
        assert!(cut.ends_with('…') && m.width(&cut, 14.0) <= 120.0, "{cut}");
        assert_eq!(m.elide("short", 14.0, 120.0), "short");
    }
}
