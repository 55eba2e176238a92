//! Our own SVG, drawn into pixels: a PNG is the SVG rasterised, and a GIF
//! is the canvas's SVG rasterised once per frame. resvg is given only the
//! font Settle ships (no system fonts), so a PNG made on a laptop and one
//! made on a build server are the same picture.

use std::io::Cursor;

use image::{ImageEncoder, RgbaImage};
use resvg::{tiny_skia, usvg};

use super::canvas::Scene;
use super::quantise::quantise;
use super::text::FONT;
use super::{ExportError, Size};
use crate::model::Micros;
use crate::scenario::Scenario;
use crate::trace::Trace;
use crate::trace::query::Index;

/// Turns SVG text into pixels, with the shipped font loaded once.
pub struct Renderer {
    opt: usvg::Options<'static>,
}

impl Renderer {
    pub fn new() -> Renderer {
        let mut opt = usvg::Options {
            font_family: "DejaVu Sans".into(),
            ..usvg::Options::default()
        };
        let db = opt.fontdb_mut();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Renderer { opt }
    }

    /// The picture `svg` describes, at its own size, in straight RGBA.
    pub fn rgba(&self, svg: &str) -> Result<RgbaImage, ExportError> {
        let tree = usvg::Tree::from_str(svg, &self.opt)
            .map_err(|e| ExportError(format!("cannot draw the picture: {e}")))?;
        let size = tree.size().to_int_size();
        let (w, h) = (size.width(), size.height());
        let mut pixmap = tiny_skia::Pixmap::new(w, h)
            .ok_or_else(|| ExportError(format!("cannot make a {w}x{h} picture")))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        // Straightened in place: a picture at the largest size holds a
        // quarter of a gigabyte, which should not be held twice.
        let mut data = pixmap.take();
        for p in data.chunks_exact_mut(4) {
            let a = u16::from(p[3]);
            if a != 0 && a != 255 {
                for c in &mut p[..3] {
                    *c = ((u16::from(*c) * 255 + a / 2) / a).min(255) as u8;
                }
            }
        }
        RgbaImage::from_raw(w, h, data)
            .ok_or_else(|| ExportError(format!("cannot make a {w}x{h} picture")))
    }

    /// The picture `svg` describes, as PNG bytes.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, ExportError> {
        let img = self.rgba(svg)?;
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(Cursor::new(&mut out))
            .write_image(
                img.as_raw(),
                img.width(),
                img.height(),
                image::ExtendedColorType::Rgba8,
            )
            .map_err(|e| ExportError(format!("cannot encode the PNG: {e}")))?;
        Ok(out)
    }
}

/// How long each frame of an animation shows: 12.5 frames a second, a
/// rate GIF delays (in hundredths of a second) hold exactly.
pub const FRAME_MS: u16 = 80;
/// Most frames in one animation: enough for 24 s, small enough to make
/// in seconds and to mail.
pub const MAX_FRAMES: usize = 300;
/// The largest side of an animation: a slide needs no more, and every
/// frame is drawn and compressed on its own.
pub const MAX_GIF_SIDE: u32 = 2048;

/// How many frames an animation of `span` of virtual time gets: it plays
/// at a tenth of its speed, the app's own starting pace (messages on a
/// link of a few milliseconds can be followed), but never shorter than
/// 3 s or longer than [`MAX_FRAMES`] (24 s).
pub fn frame_count(span: Micros) -> usize {
    let real_ms = (span as f64 / 1e3 * 10.0).clamp(3_000.0, 24_000.0);
    ((real_ms / f64::from(FRAME_MS)).round() as usize).clamp(2, MAX_FRAMES)
}

/// The canvas animated from `from` to `to`, as GIF bytes. After the first
/// frame each frame holds only the rectangle that changed, with what did
/// not change inside it see-through (the frame before shows there), which
/// keeps files small.
pub fn gif(
    s: &Scenario,
    t: &Trace,
    size: Size,
    from: Micros,
    to: Micros,
) -> Result<Vec<u8>, ExportError> {
    if size.w > MAX_GIF_SIDE || size.h > MAX_GIF_SIDE {
        return Err(ExportError(format!(
            "an animation may be at most {MAX_GIF_SIDE} pixels a side, not {size}"
        )));
    }
    let err = |e: gif::EncodingError| ExportError(format!("cannot encode the GIF: {e}"));
    let index = Index::new(t);
    let scene = Scene::new(s, t, &index, size);
    let renderer = Renderer::new();
    let frames = frame_count(to - from);
    // The virtual time between two frames, which each frame stands for.
    let step = (to - from) / (frames as u64 - 1).max(1);
    let mut out = Vec::new();
    {
        let (w, h) = (size.w as u16, size.h as u16);
        let mut enc = gif::Encoder::new(&mut out, w, h, &[]).map_err(err)?;
        enc.set_repeat(gif::Repeat::Infinite).map_err(err)?;
        let mut before: Option<RgbaImage> = None;
        for k in 0..frames {
            let at = from + (to - from) * k as u64 / (frames as u64 - 1);
            // The first frame has no frame before it: it shows its moment.
            let window = if k == 0 { 0 } else { step };
            let img = renderer.rgba(&scene.svg(at, window, Some((from, to))))?;
            let (x, y, cw, ch) = match &before {
                Some(prev) => changed(prev, &img),
                None => (0, 0, img.width(), img.height()),
            };
            let mut part = image::imageops::crop_imm(&img, x, y, cw, ch).to_image();
            if let Some(prev) = &before {
                unchanged_to_clear(&mut part, prev, (x, y));
            }
            let q = quantise(part.as_raw());
            let mut frame = gif::Frame::from_palette_pixels(
                cw as u16,
                ch as u16,
                q.pixels,
                q.palette,
                q.transparent,
            );
            frame.left = x as u16;
            frame.top = y as u16;
            frame.delay = FRAME_MS / 10;
            frame.dispose = gif::DisposalMethod::Keep;
            enc.write_frame(&frame).map_err(err)?;
            before = Some(img);
        }
    }
    Ok(out)
}

/// What a pixel kept from the frame before is written as: see-through
/// (GIF's one transparent colour; the quantiser gives it an index of its
/// own, so no visible pixel shares it).
const CLEAR: image::Rgba<u8> = image::Rgba([255, 0, 255, 0]);

/// Makes every pixel of `part` (placed at `at` in the whole picture) that
/// is the same in `prev` see-through: long runs of one index compress to
/// almost nothing, so a frame costs only what moved.
fn unchanged_to_clear(part: &mut RgbaImage, prev: &RgbaImage, at: (u32, u32)) {
    for (x, y, p) in part.enumerate_pixels_mut() {
        if prev.get_pixel_checked(x + at.0, y + at.1) == Some(p) {
            *p = CLEAR;
        }
    }
}

/// The smallest rectangle (x, y, w, h) holding every pixel that differs
/// between two pictures of one size; one pixel when none does.
fn changed(a: &RgbaImage, b: &RgbaImage) -> (u32, u32, u32, u32) {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (y, (ra, rb)) in a.rows().zip(b.rows()).enumerate() {
        let mut first = None;
        let mut last = 0;
        for (x, (pa, pb)) in ra.zip(rb).enumerate() {
            if pa != pb {
                first.get_or_insert(x);
                last = x;
            }
        }
        if let Some(first) = first {
            x0 = x0.min(first as u32);
            x1 = x1.max(last as u32);
            y0 = y0.min(y as u32);
            y1 = y1.max(y as u32);
        }
    }
    if x0 == u32::MAX {
        (0, 0, 1, 1)
    } else {
        (x0, y0, x1 - x0 + 1, y1 - y0 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn animations_are_a_few_seconds_and_bounded() {
        assert_eq!(frame_count(0), 38, "at least 3 s");
        assert_eq!(frame_count(1_000_000), 125, "1 s of a run plays in 10 s");
        assert_eq!(frame_count(5_000_000), MAX_FRAMES, "at most 24 s");
        assert_eq!(frame_count(3_600_000_000), MAX_FRAMES);
    }

    #[test]
    fn only_the_changed_rectangle_is_kept() {
        let a = RgbaImage::from_pixel(10, 8, image::Rgba([255, 255, 255, 255]));
        let mut b = a.clone();
        assert_eq!(changed(&a, &b), (0, 0, 1, 1));
        b.put_pixel(3, 2, image::Rgba([0, 0, 0, 255]));
        b.put_pixel(6, 5, image::Rgba([0, 0, 0, 255]));
        assert_eq!(changed(&a, &b), (3, 2, 4, 4));
        let mut part = image::imageops::crop_imm(&b, 3, 2, 4, 4).to_image();
        unchanged_to_clear(&mut part, &a, (3, 2));
        assert_eq!(part.get_pixel(0, 0), &image::Rgba([0, 0, 0, 255]));
        assert_eq!(part.get_pixel(1, 1), &CLEAR);
    }

    #[test]
    fn text_is_drawn_with_the_shipped_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#fff"/><text x="4" y="28" font-size="24" font-family="DejaVu Sans">Settle</text></svg>"##;
        let img = Renderer::new().rgba(svg).expect("draws");
        let dark = img.pixels().filter(|p| p.0[0] < 128).count();
        assert!(dark > 50, "no text was drawn ({dark} dark pixels)");
    }

    #[test]
    fn see_through_colours_come_out_straight() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#3a86ff" fill-opacity="0.5"/></svg>"##;
        let img = Renderer::new().rgba(svg).expect("draws");
        let p = img.get_pixel(1, 1).0;
        assert!((i16::from(p[3]) - 128).abs() <= 1, "alpha {p:?}");
        for (got, want) in p[..3].iter().zip([0x3a, 0x86, 0xff]) {
            assert!((i16::from(*got) - want).abs() <= 2, "{p:?}");
        }
    }
}
