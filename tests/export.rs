//! Every export opens in an ordinary viewer, on every preset: the SVGs
//! parse as XML and name the nodes as text, the PNGs decode at the size
//! asked, the GIF has many frames, the CSV has its header and one row per
//! sample, and the trace is exactly what `settle run` writes. Mistakes on
//! the command line get one line naming them, and File ▸ Export works in
//! the app without a desktop portal.

mod common;

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use image::AnimationDecoder;
use resvg::usvg::roxmltree;
use settle::export::{self, Format, Request, Size, View};
use settle::session::Cmd;
use settle::trace::Trace;
use settle::trace::query::Series;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

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
        out.insert(t.node_label(m.from).to_string());
        out.insert(t.node_label(m.to).to_string());
    }
    out
}

/// What the SVG writer makes of a name (long names are cut to fit).
fn shown_in(texts: &[String], name: &str) -> bool {
    let escaped_start: String = name.chars().take(8).collect();
    texts
        .iter()
        .any(|t| t == name || t.starts_with(&escaped_start))
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

        let mut still = request(View::Canvas, Format::Svg);
        still.at = Some(t.until / 2);
        let svg = make(&still);
        let texts = svg_texts(&svg, &what);
        for n in &s.nodes {
            assert!(
                shown_in(&texts, n.label()),
                "{what}: canvas lacks {}",
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

#[test]
fn the_canvas_animates_in_many_frames() {
    let s = common::load(&common::presets()[3]);
    let mut req = request(View::Canvas, Format::Gif);
    req.size = Some(Size::new(480, 270).expect("a size"));
    req.from = Some(1_000_000);
    req.to = Some(1_400_000);
    let gif = export::export(&s, s.seed, &req).expect("exports");
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(&gif)).expect("the GIF decodes");
    let frames: Vec<image::Frame> = decoder
        .into_frames()
        .collect::<Result<_, _>>()
        .expect("every frame decodes");
    assert!(frames.len() > 10, "{} frames", frames.len());
    assert!(frames.len() <= 300);
    for f in &frames {
        assert_eq!(f.buffer().dimensions(), (480, 270));
    }
    // Something moves: not every frame is the same picture.
    let first = frames[0].buffer();
    assert!(
        frames.iter().any(|f| f.buffer() != first),
        "a still animation"
    );
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
    assert_eq!(std::fs::read(&jsonl).ok(), std::fs::read(&ran).ok());
    assert_eq!(std::fs::read(&mmd).ok(), std::fs::read(&ran_mmd).ok());

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
    assert_eq!(png_size(&std::fs::read(&png).expect("written")), (640, 360));
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

/// Runs frames until `done` holds, for at most `secs` seconds of real time
/// (an export is written on a thread of its own).
fn run_until(h: &mut Harness<'static, SettleApp>, secs: u64, done: impl Fn(&SettleApp) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out");
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn file_export_in_the_app_writes_the_canvas_as_on_screen() {
    let dir = temp_dir();
    let mut app = SettleApp::new(Prefs::default());
    app.files_dir = dir.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app);
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::Seek(2_200_000.0));
    h.run_steps(2);

    for (format, name) in [
        (".png", "03-event-driven-replication-canvas.png"),
        (".svg", "03-event-driven-replication-canvas.svg"),
    ] {
        h.get_by_label("File").click();
        h.run_steps(2);
        h.get_by_label("Export…").click();
        h.run_steps(4);
        h.get_by_role_and_label(Role::RadioButton, "Canvas").click();
        h.run_steps(2);
        h.get_by_role_and_label(Role::RadioButton, format).click();
        h.run_steps(2);
        h.check_accessibility();
        assert_eq!(
            h.get_by_label("Moment").accesskit_node().value().as_deref(),
            Some("2.2s"),
            "the moment on screen"
        );
        h.get_by_label("Export…").click();
        h.run_steps(3);
        // No portal here: the in-window dialog, with a name ready.
        assert_eq!(
            h.get_by_label("File name")
                .accesskit_node()
                .value()
                .as_deref(),
            Some(name)
        );
        h.get_by_label("Save").click();
        run_until(&mut h, 30, |app| {
            app.session
                .notice
                .as_ref()
                .is_some_and(|n| n.text.contains(name) && !n.text.starts_with("Exporting"))
        });
        let notice = h.state().session.notice.clone().expect("a notice");
        assert!(
            !notice.error && notice.text.starts_with("Exported the canvas to"),
            "{notice:?}"
        );
        let path = dir.path().join(name);
        let bytes = std::fs::read(&path).expect("the file is there");
        if format == ".png" {
            assert_eq!(png_size(&bytes), (1280, 720));
        } else {
            let texts = svg_texts(&bytes, "canvas");
            assert!(texts.iter().any(|t| t == "at 2.200s"), "{texts:?}");
        }
    }
}
