//! Every export opens in an ordinary viewer, on every preset: the SVGs
//! parse as XML and name the nodes as text, the PNGs decode at the size
//! asked, the GIFs decode in many frames and keep the app's colours, the
//! CSV has its header and one row per sample, and the trace is exactly
//! what `settle run` writes. Mistakes on the command line get one line
//! naming them and write nothing. (File ▸ Export in the app is tested in
//! ui_export.rs.)

mod common;

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use image::AnimationDecoder;
use settle::export::{self, Format, Request, Size, View};
use settle::model::Dur;
use settle::trace::Trace;
use settle::trace::query::{FaultState, Series};

fn request(view: View, format: Format) -> Request {
    Request::new(view, format)
}

/// Every piece of text in an SVG document, which must parse as XML.
fn svg_texts(bytes: &[u8], what: &str) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("SVG is UTF-8");
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// Every text in an SVG is large enough to read on a slide.
fn assert_readable(bytes: &[u8], what: &str) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let doc = roxmltree::Document::parse(text).expect("XML");
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f32 = n
            .attribute("font-size")
            .and_then(|s| s.parse().ok())
            .expect("every text has a size");
        assert!(size >= 14.0, "{what}: {size} px text {:?}", n.text());
    }
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("the PNG decodes");
    (img.width(), img.height())
}

/// The names of the nodes that send or receive a message.
fn taking_part(t: &Trace) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in t.messages.iter() {
        out.insert(t.node_label(t.sender(m)).to_string());
        out.insert(t.node_label(m.to).to_string());
    }
    out
}

/// Whether `name` is among the texts, whole or cut short with an ellipsis
/// (long names are cut to fit their box).
fn shown_in(texts: &[String], name: &str) -> bool {
    texts.iter().any(|t| {
        t == name
            || t.strip_suffix('…')
                .is_some_and(|stem| stem.chars().count() >= 6 && name.starts_with(stem))
    })
}

#[test]
fn every_preset_exports_every_view() {
    for path in common::presets() {
        let what = path.display().to_string();
        let s = common::load(&path);
        let t = common::run(&s, s.seed);
        let make = |req: &Request| {
            export::from_trace(&s, &t, req).unwrap_or_else(|e| panic!("{what}: {req:?}: {e}"))
        };

        let svg = make(&request(View::Diagram, Format::Svg));
        let texts = svg_texts(&svg, &what);
        for name in taking_part(&t) {
            assert!(shown_in(&texts, &name), "{what}: diagram lacks {name}");
        }
        assert!(
            texts.iter().any(|x| x.contains(&s.title)),
            "{what}: no title"
        );
        assert_readable(&svg, &what);

        let mut slide = request(View::Diagram, Format::Png);
        slide.size = Some(Size::SLIDE);
        assert_eq!(png_size(&make(&slide)), (1280, 720), "{what}");
        let (w, h) = png_size(&make(&request(View::Diagram, Format::Png)));
        assert!(
            (720..=export::MAX_SIDE).contains(&w) && (200..=export::MAX_SIDE).contains(&h),
            "{what}: the whole diagram is {w}x{h}"
        );

        let mut still = request(View::Canvas, Format::Svg);
        still.at = Some(t.until / 2);
        let svg = make(&still);
        let texts = svg_texts(&svg, &what);
        let down = FaultState::at(&t, t.until / 2).down;
        for (i, n) in s.nodes.iter().enumerate() {
            assert!(
                shown_in(&texts, n.label()),
                "{what}: canvas lacks {}",
                n.label()
            );
            // Every kind, projections too, says what it is under its name.
            let small = if down.contains(&(i as settle::model::NodeIdx)) {
                "CRASHED".to_string()
            } else {
                n.kind.small_print()
            };
            assert!(
                shown_in(&texts, &small),
                "{what}: {} lacks \"{small}\"",
                n.label()
            );
        }
        assert_readable(&svg, &what);
        assert_eq!(
            png_size(&make(&request(View::Canvas, Format::Png))),
            (1280, 720),
            "{what}"
        );

        let csv = String::from_utf8(make(&request(View::Series, Format::Csv))).expect("UTF-8");
        let mut lines = csv.lines();
        let header = lines.next().expect("a header");
        assert!(
            header.starts_with("time_s,divergent_records,messages_in_flight"),
            "{what}: {header}"
        );
        let columns = header.split(',').count();
        let mut series = Series::new(&t);
        series.finish(t.until);
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), series.t.len(), "{what}: one row per sample");
        assert!(rows.len() > 100, "{what}: {} samples", rows.len());
        for row in &rows {
            assert_eq!(row.split(',').count(), columns, "{what}: {row}");
            for cell in row.split(',') {
                cell.parse::<f64>()
                    .unwrap_or_else(|_| panic!("{what}: not a number {cell}"));
            }
        }

        assert_eq!(
            make(&request(View::Trace, Format::Jsonl)),
            common::jsonl(&t),
            "{what}"
        );
        let mut mmd = Vec::new();
        settle::trace::export::write_mermaid(&t, &s, &mut mmd).expect("writes");
        assert_eq!(make(&request(View::Trace, Format::Mmd)), mmd, "{what}");
    }
}

/// Every frame of a GIF, each composed as a viewer shows it.
fn gif_frames(bytes: &[u8], what: &str) -> Vec<image::RgbaImage> {
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{what}: the GIF does not decode: {e}"));
    decoder
        .into_frames()
        .map(|f| f.map(image::Frame::into_buffer))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{what}: a frame does not decode: {e}"))
}

#[test]
fn every_preset_animates_in_many_frames() {
    for path in common::presets() {
        let what = path.display().to_string();
        let s = common::load(&path);
        let mut req = request(View::Canvas, Format::Gif);
        req.size = Some(Size::new(320, 180).expect("a size"));
        let mid = s.until.0 / 2;
        req.from = Some(mid);
        req.to = Some(mid + 400_000);
        let gif = export::export(&s, s.seed, &req).unwrap_or_else(|e| panic!("{what}: {e}"));
        let frames = gif_frames(&gif, &what);
        // 0.4 s of a run plays at a tenth of its speed, 12.5 frames a second.
        assert_eq!(frames.len(), 50, "{what}");
        for f in &frames {
            assert_eq!(f.dimensions(), (320, 180), "{what}");
        }
        assert!(
            frames.iter().any(|f| f != &frames[0]),
            "{what}: nothing moves"
        );
    }
}

#[test]
fn an_animation_keeps_the_colours_of_small_things() {
    let s = common::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/04-outbox-and-cdc.ron"
    )));
    let size = Some(Size::new(640, 360).expect("a size"));
    let mut req = request(View::Canvas, Format::Gif);
    req.from = Some(800_000);
    req.to = Some(1_200_000);
    req.size = size;
    let frames = gif_frames(&export::export(&s, s.seed, &req).expect("exports"), "04");
    let mut still = request(View::Canvas, Format::Png);
    still.size = size;
    let png = export::export(&s, s.seed, &still).expect("png");
    let still = image::load_from_memory(&png).expect("decodes").to_rgba8();
    // The legend's request dot is a few dozen pixels of the app's blue: a
    // quantiser that spends its colours on large areas turns it teal.
    let blue = image::Rgba([0x45, 0x9b, 0xd8, 0xff]);
    let count = |img: &image::RgbaImage| img.pixels().filter(|p| **p == blue).count();
    assert!(count(&still) > 20, "the still has the blue dot");
    for (k, f) in frames.iter().enumerate() {
        assert!(count(f) > 20, "frame {k} lost the request blue");
    }
    // And the first frame is the still at that moment, but for the
    // progress bar along the bottom.
    let mut at_start = request(View::Canvas, Format::Png);
    at_start.at = Some(800_000);
    at_start.size = size;
    let end = image::load_from_memory(&export::export(&s, s.seed, &at_start).expect("png"))
        .expect("decodes")
        .to_rgba8();
    let last = frames.first().expect("frames");
    assert_eq!(last.dimensions(), end.dimensions());
    let bar = end.height() - 16;
    let (mut sum, mut n, mut far) = (0u64, 0u64, 0u64);
    for (x, y, p) in end.enumerate_pixels().filter(|&(_, y, _)| y < bar) {
        let q = last.get_pixel(x, y);
        let d: u64 = (0..3).map(|c| u64::from(p.0[c].abs_diff(q.0[c]))).sum();
        sum += d;
        n += 1;
        far += u64::from(d > 96);
    }
    let mean = sum as f64 / n as f64 / 3.0;
    assert!(
        mean < 1.5,
        "the last frame is off the still by {mean:.2} a channel"
    );
    assert!(far * 1000 < n, "{far} of {n} pixels are far off");
}

#[test]
fn an_animation_of_a_long_run_is_bounded() {
    let mut s = common::load(&common::presets()[0]);
    s.until = Dur(600_000_000);
    let mut req = request(View::Canvas, Format::Gif);
    req.size = Some(Size::new(160, 100).expect("a size"));
    let frames = gif_frames(
        &export::export(&s, s.seed, &req).expect("exports"),
        "10 min",
    );
    assert_eq!(
        frames.len(),
        300,
        "at most 300 frames, spread over the span"
    );
    req.size = Some(Size::new(4000, 2000).expect("a size a PNG may have"));
    let e = export::export(&s, s.seed, &req).expect_err("too large a GIF");
    assert!(e.0.contains("2048"), "{e}");
}

#[test]
fn a_long_diagram_is_cut_with_a_note() {
    let s = common::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/03-event-driven-replication.ron"
    )));
    let t = common::run(&s, s.seed);
    let mut req = request(View::Diagram, Format::Svg);
    req.size = Some(Size::SLIDE);
    let slide = export::from_trace(&s, &t, &req).expect("exports");
    let texts = svg_texts(&slide, "diagram");
    let note = texts
        .iter()
        .find(|x| x.contains("more rows"))
        .expect("a note");
    let left: usize = note
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("a count");
    assert!(left > 100, "{note}");
    // Without a size the vector diagram draws every row (up to its cap).
    let whole = export::from_trace(&s, &t, &request(View::Diagram, Format::Svg)).expect("svg");
    let all = svg_texts(&whole, "diagram");
    assert!(!all.iter().any(|x| x.contains("more rows")), "cut");
    assert!(all.len() > texts.len() + left, "{} texts", all.len());
}

fn settle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("settle runs")
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn out_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

const LESSON: &str = "scenarios/03-event-driven-replication.ron";

#[test]
fn the_command_line_writes_what_run_writes() {
    let dir = temp_dir();
    let jsonl = out_in(dir.path(), "t.jsonl");
    let mmd = out_in(dir.path(), "t.mmd");
    let ran = out_in(dir.path(), "ran.jsonl");
    let ran_mmd = out_in(dir.path(), "ran.mmd");
    for (out, view) in [(&jsonl, "trace"), (&mmd, "trace")] {
        let o = settle(&[
            "export",
            LESSON,
            "--view",
            view,
            "--out",
            out.to_str().expect("utf-8"),
            "--seed",
            "7",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(said.starts_with("Exported the trace to"), "{said}");
    }
    let o = settle(&[
        "run",
        LESSON,
        "--seed",
        "7",
        "--trace-out",
        ran.to_str().expect("utf-8"),
        "--mermaid-out",
        ran_mmd.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success());
    let read = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert_eq!(read(&jsonl), read(&ran));
    assert_eq!(read(&mmd), read(&ran_mmd));
    assert!(read(&mmd).starts_with(b"sequenceDiagram"));

    let png = out_in(dir.path(), "c.png");
    let o = settle(&[
        "export",
        LESSON,
        "--view",
        "canvas",
        "--at",
        "1.5s",
        "--size",
        "640x360",
        "--out",
        png.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(png_size(&read(&png)), (640, 360));

    let gif = out_in(dir.path(), "c.gif");
    let o = settle(&[
        "export",
        LESSON,
        "--view",
        "canvas",
        "--from",
        "1s",
        "--to",
        "1.4s",
        "--size",
        "480x270",
        "--out",
        gif.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let frames = gif_frames(&read(&gif), "c.gif");
    assert!(frames.len() > 10, "{} frames", frames.len());

    let svg = out_in(dir.path(), "d.svg");
    let csv = out_in(dir.path(), "s.csv");
    for (view, out) in [("diagram", &svg), ("series", &csv)] {
        let o = settle(&[
            "export",
            LESSON,
            "--view",
            view,
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(!svg_texts(&read(&svg), "d.svg").is_empty());
    let table = String::from_utf8(read(&csv)).expect("UTF-8");
    assert!(table.starts_with("time_s,"), "{table:.80}");
    assert!(table.lines().count() > 100);
}

#[test]
fn mistakes_get_one_line_naming_them_and_write_nothing() {
    let dir = temp_dir();
    let broken = out_in(dir.path(), "broken.ron");
    std::fs::write(
        &broken,
        "(title: \"x\",\n nodes: [ (id: \"a\", kind: Cache()) ])",
    )
    .expect("w");
    let broken = broken.to_str().expect("utf-8").to_string();
    let out = |name: &str| {
        out_in(dir.path(), name)
            .to_str()
            .expect("utf-8")
            .to_string()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "diagram".into(),
                "--out".into(),
                out("d.txt"),
            ],
            ".txt",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "diagram".into(),
                "--out".into(),
                out("d"),
            ],
            "no extension",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "series".into(),
                "--out".into(),
                out("s.png"),
            ],
            ".csv",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "picture".into(),
                "--out".into(),
                out("p.png"),
            ],
            "not a view",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--size".into(),
                "0x0".into(),
                "--out".into(),
                out("c.png"),
            ],
            "--size",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--size".into(),
                "9000x100".into(),
                "--out".into(),
                out("c.png"),
            ],
            "8192",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--size".into(),
                "big".into(),
                "--out".into(),
                out("c.png"),
            ],
            "WIDTHxHEIGHT",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--at".into(),
                "99s".into(),
                "--out".into(),
                out("c.png"),
            ],
            "after the end",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--at".into(),
                "2".into(),
                "--out".into(),
                out("c.png"),
            ],
            "no unit",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "diagram".into(),
                "--from".into(),
                "3s".into(),
                "--to".into(),
                "1s".into(),
                "--out".into(),
                out("d.svg"),
            ],
            "before",
        ),
        (
            vec![
                LESSON.into(),
                "--view".into(),
                "canvas".into(),
                "--from".into(),
                "1s".into(),
                "--out".into(),
                out("c.png"),
            ],
            "--at",
        ),
        (
            vec![
                broken.clone(),
                "--view".into(),
                "diagram".into(),
                "--out".into(),
                out("d.svg"),
            ],
            "broken.ron:2:",
        ),
        (
            vec![
                "no-such-file.ron".into(),
                "--view".into(),
                "diagram".into(),
                "--out".into(),
                out("d.svg"),
            ],
            "no-such-file.ron",
        ),
    ];
    let words = |w: &[&str]| w.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    let (gif, svg, png) = (out("a.gif"), out("d.svg"), out("d.png"));
    let more: Vec<(Vec<String>, &str)> = vec![
        // A GIF is bounded tighter than a still: every frame is drawn.
        (
            words(&[
                LESSON,
                "--view",
                "canvas",
                "--size",
                "4000x2000",
                "--out",
                &gif,
            ]),
            "2048",
        ),
        (
            words(&[
                LESSON, "--view", "canvas", "--from", "2s", "--to", "1s", "--out", &gif,
            ]),
            "before",
        ),
        (
            words(&[LESSON, "--view", "canvas", "--at", "1s", "--out", &gif]),
            "--from and --to",
        ),
        (
            words(&[
                LESSON,
                "--view",
                "diagram",
                "--size",
                "1280x10000",
                "--out",
                &png,
            ]),
            "8192",
        ),
        (
            words(&[LESSON, "--view", "diagram", "--to", "30s", "--out", &svg]),
            "after the end",
        ),
        (
            words(&[LESSON, "--view", "trace", "--out", &out("t.csv")]),
            ".jsonl or .mmd",
        ),
        (
            words(&[
                LESSON,
                "--view",
                "series",
                "--size",
                "800x600",
                "--out",
                &out("s.csv"),
            ]),
            "no size",
        ),
    ];
    let cases = cases.into_iter().chain(more);
    for (args, names) in cases {
        let mut all = vec!["export"];
        all.extend(args.iter().map(String::as_str));
        let o = settle(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{all:?} succeeded");
        assert_eq!(err.trim().lines().count(), 1, "{all:?}: {err}");
        assert!(err.contains(names), "{all:?}: {err}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("lists")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "only the broken scenario is there: {left:?}");
}

#[test]
fn a_large_drawing_stays_within_a_bitmap_s_bounds() {
    // One writer fanning out to 60 replicas: 62 lanes at their usual width
    // would make a diagram over 9 000 pixels wide.
    let s = settle::bench::fanout_scenario(settle::bench::FanoutArgs {
        replicas: 60,
        keys: 10,
        writes: 1,
        seed: 1,
    });
    let t = common::run(&s, s.seed);
    let make = |req: &Request| export::from_trace(&s, &t, req).expect("exports");
    let (w, h) = png_size(&make(&request(View::Diagram, Format::Png)));
    assert!(w <= export::MAX_SIDE && h <= export::MAX_SIDE, "{w}x{h}");
    assert!(w > 4_000, "every lane is drawn: {w} wide");
    let texts = svg_texts(&make(&request(View::Diagram, Format::Svg)), "fan-out");
    assert!(texts.len() > 100);
    assert_eq!(
        png_size(&make(&request(View::Canvas, Format::Png))),
        (1280, 720)
    );
}
