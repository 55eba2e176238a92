//! A small SVG writer: just the shapes the exported pictures use, with
//! text kept as real `<text>` (so a slide tool can search and restyle it)
//! and everything a file may say escaped, so no scenario name can break
//! the XML.

use std::fmt::Write;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    pub fn from_array([r, g, b]: [u8; 3]) -> Rgb {
        Rgb(r, g, b)
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// This colour moved a fraction `f` (0 to 1) of the way to `other`.
    pub fn mix(self, other: Rgb, f: f32) -> Rgb {
        let f = f.clamp(0.0, 1.0);
        let m = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }

    /// Relative luminance (WCAG 2), 0 for black to 1 for white.
    pub fn luminance(self) -> f32 {
        let lin = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// The WCAG contrast ratio with `other`, 1 to 21 (text needs 4.5).
    pub fn contrast(self, other: Rgb) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn on(self) -> Rgb {
        if Rgb::BLACK.contrast(self) >= Rgb::WHITE.contrast(self) {
            Rgb::BLACK
        } else {
            Rgb::WHITE
        }
    }

    /// This hue darkened or lightened until it reads as text on `bg`.
    pub fn readable_on(self, bg: Rgb) -> Rgb {
        let toward = bg.on();
        (0..=10)
            .map(|step| self.mix(toward, step as f32 / 10.0))
            .find(|c| c.contrast(bg) >= 4.5)
            .unwrap_or(toward)
    }
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: f32,
    /// Dash and gap lengths, for dashed lines.
    pub dash: Option<(f32, f32)>,
}

impl Stroke {
    pub fn solid(color: Rgb, width: f32) -> Stroke {
        Stroke {
            color,
            width,
            dash: None,
        }
    }

    pub fn dashed(color: Rgb, width: f32, dash: f32, gap: f32) -> Stroke {
        Stroke {
            color,
            width,
            dash: Some((dash, gap)),
        }
    }

    fn attrs(&self) -> String {
        let mut a = format!(
            r#" stroke="{}" stroke-width="{}""#,
            self.color.hex(),
            num(self.width)
        );
        if let Some((d, g)) = self.dash {
            let _ = write!(a, r#" stroke-dasharray="{} {}""#, num(d), num(g));
        }
        a
    }
}

/// Where text hangs from its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A line of text: its size in pixels, colour and alignment. `y` is the
/// baseline's middle: text is centred on it vertically.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    pub size: f32,
    pub color: Rgb,
    pub anchor: Anchor,
}

/// The document being written.
pub struct Svg {
    out: String,
}

/// A coordinate written short: two decimals at most.
fn num(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Text safe inside XML: the five special characters escaped, and the
/// control characters XML 1.0 forbids left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Svg {
    /// A `w` × `h` pixel picture on a `bg` background. Text is set in DejaVu
    /// Sans, the font Settle ships, so the PNG drawn from this file looks
    /// the same on any machine.
    pub fn new(w: f32, h: f32, bg: Rgb, title: &str) -> Svg {
        let mut out = String::with_capacity(64 * 1024);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, sans-serif">"#,
            w = num(w),
            h = num(h)
        );
        let _ = write!(out, "\n<title>{}</title>\n", escape(title));
        let _ = writeln!(
            out,
            r#"<rect width="{}" height="{}" fill="{}"/>"#,
            num(w),
            num(h),
            bg.hex()
        );
        Svg { out }
    }

    /// A rectangle with corners rounded by `radius`.
    pub fn rect(
        &mut self,
        (x, y, w, h): (f32, f32, f32, f32),
        radius: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    ) {
        let fill = fill.map_or_else(|| "none".to_string(), Rgb::hex);
        let stroke = stroke.map(|s| s.attrs()).unwrap_or_default();
        let _ = writeln!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{fill}"{stroke}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            num(radius)
        );
    }

    pub fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), stroke: Stroke) {
        let _ = writeln!(
            self.out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}"{} stroke-linecap="round"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            stroke.attrs()
        );
    }

    /// An open path through `points`.
    pub fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke) {
        let _ = writeln!(
            self.out,
            r#"<polyline points="{}" fill="none"{} stroke-linejoin="round"/>"#,
            points_attr(points),
            stroke.attrs()
        );
    }

    pub fn polygon(&mut self, points: &[(f32, f32)], fill: Rgb) {
        let _ = writeln!(
            self.out,
            r#"<polygon points="{}" fill="{}"/>"#,
            points_attr(points),
            fill.hex()
        );
    }

    pub fn circle(&mut self, (x, y): (f32, f32), r: f32, fill: Rgb, stroke: Option<Stroke>) {
        let stroke = stroke.map(|s| s.attrs()).unwrap_or_default();
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"{stroke}/>"#,
            num(x),
            num(y),
            num(r),
            fill.hex()
        );
    }

    /// One line of text, vertically centred on `y`.
    pub fn text(&mut self, (x, y): (f32, f32), font: Font, text: &str) {
        let anchor = match font.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        // Centred by hand (a third of the size below the middle) rather
        // than with dominant-baseline, which some viewers ignore.
        let _ = writeln!(
            self.out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{anchor}">{}</text>"#,
            num(x),
            num(y + font.size * 0.35),
            num(font.size),
            font.color.hex(),
            escape(text)
        );
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

fn points_attr(points: &[(f32, f32)]) -> String {
    points
        .iter()
        .map(|&(x, y)| format!("{},{}", num(x), num(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_file_cannot_break_the_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}e"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;e"
        );
        let mut s = Svg::new(100.0, 50.0, Rgb::WHITE, "</svg><script>");
        s.text(
            (1.0, 2.0),
            Font {
                size: 14.0,
                color: Rgb::BLACK,
                anchor: Anchor::Start,
            },
            "]]><x",
        );
        let doc = s.finish();
        assert!(!doc.contains("<script>") && !doc.contains("<x"), "{doc}");
        assert_eq!(doc.matches("</svg>").count(), 1);
    }

    #[test]
    fn numbers_are_short_and_always_finite() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(-0.5), "-0.5");
    }

    #[test]
    fn readable_colours_reach_four_and_a_half_to_one() {
        let amber = Rgb(0xe0, 0x9f, 0x1f);
        assert!(amber.readable_on(Rgb::WHITE).contrast(Rgb::WHITE) >= 4.5);
        assert_eq!(Rgb(0x20, 0x20, 0x20).on(), Rgb::WHITE);
    }
}
