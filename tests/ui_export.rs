//! File ▸ Export in the app, driven as a person drives it, by accessible
//! names alone: open the window from the menu, pick what to export and its
//! format, type the moment, span and size, export, and name the file in
//! the in-window dialog (no desktop portal here, as on many Linux desktops
//! and every CI machine). The file must be there and open in a viewer.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use image::AnimationDecoder;
use settle::session::Cmd;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

const LESSON: &str = "03-event-driven-replication";

fn harness_in(dir: &Path) -> Harness<'static, SettleApp> {
    let mut app = SettleApp::new(Prefs::default());
    app.files_dir = dir.to_path_buf();
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app);
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    h
}

/// Clicks the field named `label`, selects what it holds and types `text`.
fn type_into(h: &mut Harness<'static, SettleApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.event(Event::Text(text.into()));
    h.run_steps(2);
}

/// Whether some text on screen holds `needle` (a label's text is its
/// value, not its name).
fn says(h: &Harness<'static, SettleApp>, needle: &'static str) -> bool {
    h.query_all_by(move |n| n.value().is_some_and(|v| v.contains(needle)))
        .next()
        .is_some()
}

fn value_of(h: &Harness<'static, SettleApp>, label: &str) -> Option<String> {
    h.get_by_label(label).accesskit_node().value()
}

/// File ▸ Export…, then what to export and its format, by their names.
fn open_export(h: &mut Harness<'static, SettleApp>, what: &str, format: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export…").click();
    h.run_steps(4);
    h.get_by_role_and_label(Role::RadioButton, what).click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::RadioButton, format).click();
    h.run_steps(2);
}

/// Clicks Export… in the window, then types `path` as the file name in
/// the dialog that follows and saves.
fn save_as(h: &mut Harness<'static, SettleApp>, path: &Path) {
    h.state_mut().session.notice = None;
    h.get_by_label("Export…").click();
    h.run_steps(3);
    h.check_accessibility();
    let full = path.to_str().expect("a UTF-8 path");
    type_into(h, "File name", full);
    h.get_by_label("Save").click();
    // The dialog settles (a question before replacing a file is laid out
    // over a frame or two) before anything in it is clicked.
    h.run_steps(5);
}

/// Waits for the export, written on a thread of its own, to say how it
/// went; it must have gone well.
fn wait_exported(h: &mut Harness<'static, SettleApp>, path: &Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .expect("a file name");
    let start = Instant::now();
    loop {
        let done = h
            .state()
            .session
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains(&name) && !n.text.starts_with("Exporting"));
        if done {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {name}: {:?}",
            h.state().session.notice
        );
        h.run_steps(1);
        std::thread::sleep(Duration::from_millis(20));
    }
    let notice = h.state().session.notice.clone().expect("a notice");
    assert!(
        !notice.error && notice.text.starts_with("Exported the"),
        "{notice:?}"
    );
}

fn export_to(h: &mut Harness<'static, SettleApp>, path: &Path) {
    save_as(h, path);
    wait_exported(h, path);
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("the PNG decodes");
    (img.width(), img.height())
}

/// Every text of an SVG, which must parse as XML.
fn svg_texts(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let doc = roxmltree::Document::parse(text).expect("the SVG parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_canvas_exports_at_the_moment_on_screen_or_one_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.state_mut().push(Cmd::Seek(2_200_000.0));
    h.run_steps(2);

    open_export(&mut h, "Canvas", ".svg");
    h.check_accessibility();
    assert_eq!(value_of(&h, "Moment").as_deref(), Some("2.2s"), "on screen");
    assert_eq!(value_of(&h, "Size").as_deref(), Some("1280x720"));
    // The dialog offers a name made of the drawing's and the view's.
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert_eq!(
        value_of(&h, "File name"),
        Some(format!("{LESSON}-canvas.svg"))
    );
    h.get_by_label("Cancel").click();
    h.run_steps(2);

    // A folder of one's own, typed as part of the name.
    let slides = dir.path().join("slides");
    std::fs::create_dir(&slides).expect("mkdir");
    open_export(&mut h, "Canvas", ".svg");
    let svg = slides.join("moment.svg");
    export_to(&mut h, &svg);
    assert!(svg_texts(&read(&svg)).iter().any(|t| t == "at 2.200s"));

    open_export(&mut h, "Canvas", ".png");
    type_into(&mut h, "Moment", "1.5s");
    type_into(&mut h, "Size", "800x450");
    let png = slides.join("moment.png");
    export_to(&mut h, &png);
    assert_eq!(png_size(&read(&png)), (800, 450));

    // Exporting over a file asks first, and says what would replace it.
    open_export(&mut h, "Canvas", ".png");
    type_into(&mut h, "Size", "640x360");
    save_as(&mut h, &png);
    assert!(says(&h, "Replace it with the export?"));
    assert_eq!(png_size(&read(&png)), (800, 450), "not yet replaced");
    h.get_by_label("Replace").click();
    wait_exported(&mut h, &png);
    assert_eq!(png_size(&read(&png)), (640, 360));
}

#[test]
fn the_diagram_and_an_animation_export_over_a_span_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());

    open_export(&mut h, "Diagram", ".png");
    h.check_accessibility();
    type_into(&mut h, "From", "1s");
    type_into(&mut h, "To", "1.5s");
    let png = dir.path().join("diagram.png");
    export_to(&mut h, &png);
    let (w, h_px) = png_size(&read(&png));
    assert!(w >= 720 && h_px > 200, "{w}x{h_px}");

    open_export(&mut h, "Canvas animation", ".gif");
    h.check_accessibility();
    type_into(&mut h, "From", "1s");
    type_into(&mut h, "To", "1.4s");
    type_into(&mut h, "Size", "480x270");
    let gif = dir.path().join("moving.gif");
    export_to(&mut h, &gif);
    let frames: Vec<image::Frame> = image::codecs::gif::GifDecoder::new(Cursor::new(read(&gif)))
        .expect("the GIF decodes")
        .into_frames()
        .collect::<Result<_, _>>()
        .expect("every frame decodes");
    assert!(frames.len() > 10, "{} frames", frames.len());
    assert_eq!(frames[0].buffer().dimensions(), (480, 270));
}

#[test]
fn a_mistake_in_a_field_is_said_in_the_window_and_nothing_is_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    open_export(&mut h, "Canvas", ".png");
    type_into(&mut h, "Moment", "soon");
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert!(
        h.query_by_label("File name").is_none(),
        "no file is asked for"
    );
    assert!(says(&h, "Moment:"), "the field is named in the error");
    type_into(&mut h, "Moment", "1s");
    type_into(&mut h, "Size", "9000x100");
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert!(says(&h, "8192"), "the bound is said");
    assert!(h.query_by_label("File name").is_none());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("lists").count(),
        0,
        "nothing written"
    );
}

#[test]
fn every_choice_in_the_window_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    for (what, formats) in [
        ("Diagram", &[".svg", ".png"][..]),
        ("Canvas", &[".png", ".svg"]),
        ("Canvas animation", &[".gif"]),
        ("Series", &[".csv"]),
        ("Trace", &[".jsonl", ".mmd"]),
    ] {
        for format in formats {
            open_export(&mut h, what, format);
            h.check_accessibility();
            h.get_by_label("Cancel").click();
            h.run_steps(2);
        }
    }
}
