//! Pictures and tables of a run, for slides and handouts: the sequence
//! diagram and the canvas as SVG and PNG, the canvas animated as a GIF,
//! the plotted series as CSV, and the trace as JSON Lines or Mermaid.
//!
//! Everything here is a pure function of (scenario, seed, request) that
//! returns the file's bytes; the command line and the app write them (each
//! its own way, both atomically). Pictures are drawn once, as SVG, and the
//! PNG and GIF frames are that same SVG rasterised with the font Settle
//! ships, so the vector and the bitmap agree by construction and look the
//! same on every machine.
//!
//! `svg` writes the shapes, `text` measures labels, `palette` holds the
//! colours, `diagram` and `canvas` lay out the two pictures, `raster`
//! turns SVG into PNG and GIF (`quantise` picks each GIF frame's colours),
//! and `series` writes the plotted numbers.

mod canvas;
mod diagram;
mod frames;
pub mod palette;
mod quantise;
mod raster;
mod series;
mod svg;
mod text;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

pub use svg::Rgb;
pub use text::FONT;

use crate::model::Micros;
use crate::scenario::{Scenario, fmt_time};
use crate::sim::Engine;
use crate::trace::Trace;
use crate::trace::export::{write_jsonl, write_mermaid};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The sequence diagram, one row per message in send order.
    Diagram,
    /// The drawing at a moment, or animated over a span of time.
    Canvas,
    /// The numbers behind the plots.
    Series,
    /// Every step of the run.
    Trace,
}

impl View {
    pub const ALL: [View; 4] = [View::Diagram, View::Canvas, View::Series, View::Trace];

    /// The word the command line takes: `diagram`, `canvas`…
    pub fn word(self) -> &'static str {
        match self {
            View::Diagram => "diagram",
            View::Canvas => "canvas",
            View::Series => "series",
            View::Trace => "trace",
        }
    }

    /// The view a word names.
    pub fn from_word(word: &str) -> Option<View> {
        View::ALL
            .into_iter()
            .find(|v| v.word().eq_ignore_ascii_case(word.trim()))
    }

    /// The formats this view can be written as, the usual one first.
    pub fn formats(self) -> &'static [Format] {
        match self {
            View::Diagram => &[Format::Svg, Format::Png],
            View::Canvas => &[Format::Png, Format::Svg, Format::Gif],
            View::Series => &[Format::Csv],
            View::Trace => &[Format::Jsonl, Format::Mmd],
        }
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A file format, named by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Gif,
    Csv,
    Jsonl,
    Mmd,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Svg,
        Format::Png,
        Format::Gif,
        Format::Csv,
        Format::Jsonl,
        Format::Mmd,
    ];

    /// The file extension, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Mmd => "mmd",
        }
    }

    /// What the format is, for a menu: "PNG image".
    pub fn describe(self) -> &'static str {
        match self {
            Format::Svg => "SVG (vector, text stays text)",
            Format::Png => "PNG image",
            Format::Gif => "animated GIF",
            Format::Csv => "CSV table",
            Format::Jsonl => "JSON Lines",
            Format::Mmd => "Mermaid",
        }
    }

    /// The format a file name asks for, by its extension.
    pub fn of_path(path: &Path) -> Result<Format, ExportError> {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            return Err(ExportError(format!(
                "{} has no extension: end the name in {} to say which format to write",
                path.display(),
                Format::ALL
                    .map(|f| format!(".{}", f.extension()))
                    .join(", ")
            )));
        };
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
            .ok_or_else(|| {
                ExportError(format!(
                    "{}: Settle cannot write .{ext} files; it writes {}",
                    path.display(),
                    Format::ALL
                        .map(|f| format!(".{}", f.extension()))
                        .join(", ")
                ))
            })
    }
}

/// A picture's size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub w: u32,
    pub h: u32,
}

/// The smallest and largest side a picture may have: smaller is
/// unreadable, larger costs memory for nothing a screen can show.
pub const MIN_SIDE: u32 = 100;
pub const MAX_SIDE: u32 = 8192;

impl Size {
    /// The size a still of the canvas gets unless asked otherwise: a 16:9
    /// slide.
    pub const SLIDE: Size = Size { w: 1280, h: 720 };

    /// Reads `1280x720`.
    pub fn parse(text: &str) -> Result<Size, ExportError> {
        let t = text.trim();
        let bad = || {
            ExportError(format!(
                "\"{t}\" is not a size: write WIDTHxHEIGHT in pixels, like 1280x720, each side from {MIN_SIDE} to {MAX_SIDE}"
            ))
        };
        let (w, h) = t.split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let side = |v: &str| v.trim().parse::<u32>().ok();
        let (Some(w), Some(h)) = (side(w), side(h)) else {
            return Err(bad());
        };
        Size::new(w, h)
    }

    /// A size within the bounds.
    pub fn new(w: u32, h: u32) -> Result<Size, ExportError> {
        let ok = |v: u32| (MIN_SIDE..=MAX_SIDE).contains(&v);
        if ok(w) && ok(h) {
            Ok(Size { w, h })
        } else {
            Err(ExportError(format!(
                "the size {w}x{h} is out of range: each side must be from {MIN_SIDE} to {MAX_SIDE} pixels"
            )))
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.w, self.h)
    }
}

/// Which of the diagram's lanes to draw and in what order, by node id, as
/// the viewer arranged them in the app. Empty: every node that takes part,
/// in the drawing's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lanes {
    pub order: Vec<String>,
    pub hidden: BTreeSet<String>,
}

/// One export: what, as which format, over which time, at which size.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub view: View,
    pub format: Format,
    /// The moment a still of the canvas shows (default: the end).
    pub at: Option<Micros>,
    /// The span of time a diagram covers or an animation plays (default:
    /// the whole run).
    pub from: Option<Micros>,
    pub to: Option<Micros>,
    /// The picture's size (default: the canvas a 16:9 slide, the diagram
    /// as large as its rows need).
    pub size: Option<Size>,
    pub lanes: Lanes,
}

impl Request {
    /// An export of `view` as `format` with every choice left to its default.
    pub fn new(view: View, format: Format) -> Request {
        Request {
            view,
            format,
            at: None,
            from: None,
            to: None,
            size: None,
            lanes: Lanes::default(),
        }
    }

    /// Whether the request makes sense for a run ending at `until`; the
    /// first thing wrong with it, in a sentence, if not.
    pub fn check(&self, until: Micros) -> Result<(), ExportError> {
        let (view, ext) = (self.view, self.format.extension());
        if !view.formats().contains(&self.format) {
            let can = view
                .formats()
                .iter()
                .map(|f| format!(".{}", f.extension()))
                .collect::<Vec<_>>()
                .join(" or ");
            return Err(ExportError(format!(
                "the {view} view is written as {can}, not .{ext}"
            )));
        }
        let still = view == View::Canvas && self.format != Format::Gif;
        let spans = view == View::Diagram || (view == View::Canvas && !still);
        if self.at.is_some() && !still {
            return Err(ExportError(match view {
                View::Diagram => "--at picks a moment of the canvas; a diagram covers a span of time: use --from and --to".into(),
                View::Canvas => "an animation plays a span of time: use --from and --to rather than --at".into(),
                _ => format!("the {view} export covers the whole run; leave out --at"),
            }));
        }
        if (self.from.is_some() || self.to.is_some()) && !spans {
            return Err(ExportError(if still {
                "a still of the canvas shows one moment: use --at, or write a .gif to animate from --from to --to".into()
            } else {
                format!("the {view} export covers the whole run; leave out --from and --to")
            }));
        }
        if self.size.is_some() && !matches!(view, View::Diagram | View::Canvas) {
            return Err(ExportError(format!(
                "the {view} export is text and has no size; leave out --size"
            )));
        }
        let after_end = |what: &str, t: Micros| {
            ExportError(format!(
                "{what} {} is after the end of the run at {}",
                fmt_time(t),
                fmt_time(until)
            ))
        };
        if let Some(at) = self.at.filter(|&t| t > until) {
            return Err(after_end("--at", at));
        }
        if let Some(from) = self.from.filter(|&t| t >= until) {
            return Err(after_end("--from", from));
        }
        if let Some(to) = self.to.filter(|&t| t > until) {
            return Err(after_end("--to", to));
        }
        let (from, to) = self.span(until);
        if from >= to {
            return Err(ExportError(format!(
                "--from {} must come before --to {}",
                fmt_time(from),
                fmt_time(to)
            )));
        }
        Ok(())
    }

    /// The span of time covered, with the defaults filled in.
    fn span(&self, until: Micros) -> (Micros, Micros) {
        (self.from.unwrap_or(0), self.to.unwrap_or(until))
    }
}

/// Why an export cannot be made, in a sentence for the person who asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExportError(pub String);

/// A file's size for people: `412 KB`.
pub fn bytes_said(n: usize) -> String {
    match n {
        n if n < 1_000 => format!("{n} bytes"),
        n if n < 1_000_000 => format!("{} KB", n.div_ceil(1_000)),
        n => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// Runs `scenario` with `seed` to its end and returns the bytes of the
/// file `req` asks for.
pub fn export(scenario: &Scenario, seed: u64, req: &Request) -> Result<Vec<u8>, ExportError> {
    let until = scenario.until.micros();
    req.check(until)?;
    let mut engine = Engine::new(scenario, seed).map_err(|e| ExportError(e.to_string()))?;
    engine.run_until(until);
    let trace = engine.into_trace();
    from_trace(scenario, &trace, req)
}

/// The bytes of the file `req` asks for, from a run already made.
pub fn from_trace(
    scenario: &Scenario,
    trace: &Trace,
    req: &Request,
) -> Result<Vec<u8>, ExportError> {
    let until = trace.until;
    req.check(until)?;
    let (from, to) = req.span(until);
    let picture = |svg: String| -> Result<Vec<u8>, ExportError> {
        match req.format {
            Format::Png => raster::Renderer::new().png(&svg),
            _ => Ok(svg.into_bytes()),
        }
    };
    match (req.view, req.format) {
        (View::Diagram, _) => {
            let opts = diagram::Options {
                size: req.size,
                from,
                to,
                lanes: &req.lanes,
                // A bitmap larger than this is refused by viewers; a
                // vector file may run longer.
                max_side: (req.format == Format::Png).then_some(MAX_SIDE as f32),
            };
            picture(diagram::svg(scenario, trace, &opts))
        }
        (View::Canvas, Format::Gif) => {
            raster::gif(scenario, trace, req.size.unwrap_or(Size::SLIDE), from, to)
        }
        (View::Canvas, _) => {
            let at = req.at.unwrap_or(until);
            let size = req.size.unwrap_or(Size::SLIDE);
            let index = crate::trace::query::Index::new(trace);
            let scene = canvas::Scene::new(scenario, trace, &index, size);
            picture(scene.svg(at, 0, None))
        }
        (View::Series, _) => Ok(series::csv(trace).into_bytes()),
        (View::Trace, format) => {
            let mut out = Vec::new();
            let written = if format == Format::Mmd {
                write_mermaid(trace, scenario, &mut out)
            } else {
                write_jsonl(trace, &mut out)
            };
            written.map_err(|e| ExportError(format!("cannot write the trace: {e}")))?;
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension_and_the_view() {
        assert_eq!(Format::of_path(Path::new("a/b.PNG")), Ok(Format::Png));
        let e = Format::of_path(Path::new("b.txt")).expect_err("unknown");
        assert!(e.0.contains(".txt") && e.0.contains(".svg"), "{e}");
        assert!(Format::of_path(Path::new("noext")).is_err());
        let wrong = Request::new(View::Series, Format::Png).check(1_000_000);
        assert!(wrong.expect_err("series as png").0.contains(".csv"));
        for v in View::ALL {
            for &f in v.formats() {
                assert_eq!(Request::new(v, f).check(1_000_000), Ok(()));
            }
            assert_eq!(View::from_word(v.word()), Some(v));
        }
    }

    #[test]
    fn sizes_are_bounded() {
        assert_eq!(Size::parse("1280x720"), Ok(Size { w: 1280, h: 720 }));
        assert_eq!(Size::parse(" 800 X 600 "), Ok(Size { w: 800, h: 600 }));
        for bad in ["", "1280", "x720", "0x0", "99999x100", "-5x100", "1e3x100"] {
            assert!(Size::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_must_fall_in_the_run_and_in_order() {
        let until = 5_000_000;
        let mut r = Request::new(View::Canvas, Format::Png);
        r.at = Some(6_000_000);
        assert!(
            r.check(until)
                .expect_err("late")
                .0
                .contains("after the end")
        );
        let mut r = Request::new(View::Diagram, Format::Svg);
        r.from = Some(2_000_000);
        r.to = Some(1_000_000);
        assert!(r.check(until).expect_err("backwards").0.contains("before"));
        r.to = Some(3_000_000);
        assert_eq!(r.check(until), Ok(()));
        r.at = Some(1);
        assert!(r.check(until).is_err(), "a diagram has no single moment");
        let mut r = Request::new(View::Series, Format::Csv);
        r.size = Some(Size::SLIDE);
        assert!(r.check(until).is_err(), "a table has no size");
    }
}
