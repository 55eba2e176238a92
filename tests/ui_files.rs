//! Nothing is lost to a missing dialog, a bad file or a crash: saving works
//! with no desktop portal (the in-window dialog takes over), a failure is
//! shown as an error, a file changed on disk is not overwritten unasked, a
//! bad file opens on its error, and work left by a killed app comes back.

use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::{Cmd, Edit};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness_in(dir: &std::path::Path) -> Harness<'static, SettleApp> {
    let mut app = SettleApp::new(Prefs::default());
    app.files_dir = dir.to_path_buf();
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app)
}

fn open_lesson(h: &mut Harness<'static, SettleApp>) {
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
}

fn add_node(h: &mut Harness<'static, SettleApp>) {
    h.get_by_label("Add service").click();
    h.run_steps(2);
}

#[test]
fn save_works_without_a_desktop_portal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    open_lesson(&mut h);
    add_node(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    // The drawing has no file yet: the in-window dialog asks for a name.
    h.get_by_label("File name").click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("shop".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(4);
    let path = dir.path().join("shop.ron");
    assert!(path.exists(), "nothing was saved");
    let app = h.state();
    assert!(!app.session.doc.dirty);
    assert_eq!(app.session.doc.path.as_deref(), Some(path.as_path()));
    let notice = app.session.notice.as_ref().expect("a notice");
    assert!(!notice.error && notice.text.contains("Saved"), "{notice:?}");
    let back = settle::scenario::load_file(&path).expect("the saved file loads");
    assert_eq!(back, app.session.doc.scenario);
}

#[test]
fn a_save_that_fails_says_so_as_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    open_lesson(&mut h);
    add_node(&mut h);
    let nowhere = dir.path().join("no such folder").join("shop.ron");
    h.state_mut().push(Cmd::SaveTo(nowhere.clone()));
    h.run_steps(2);
    let app = h.state();
    let notice = app.session.notice.as_ref().expect("a notice");
    assert!(notice.error, "a failed save shown as {notice:?}");
    assert!(app.session.doc.dirty, "the drawing claims to be saved");
    assert!(!nowhere.exists());
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_unasked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.ron");
    let mut h = harness_in(dir.path());
    open_lesson(&mut h);
    h.state_mut().push(Cmd::SaveTo(path.clone()));
    h.run_steps(2);
    assert!(!h.state().session.doc.dirty);
    // Someone else edits the file.
    let theirs = std::fs::read_to_string(&path)
        .expect("saved")
        .replace("Event-driven replication", "Their edit");
    std::fs::write(&path, &theirs).expect("write");
    add_node(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    assert!(h.state().session.overwrite.is_some(), "no question asked");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), theirs);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    h.get_by_label("Replace it").click();
    h.run_steps(3);
    assert_ne!(std::fs::read_to_string(&path).expect("read"), theirs);
    assert!(!h.state().session.doc.dirty);
}

#[test]
fn save_first_in_the_unsaved_prompt_goes_through_the_dialog() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    open_lesson(&mut h);
    add_node(&mut h);
    h.state_mut().push(Cmd::New);
    h.run_steps(3);
    h.get_by_label("Save first").click();
    h.run_steps(3);
    h.get_by_label("File name").click();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("kept".into()));
    h.key_press(Key::Enter);
    h.run_steps(4);
    assert!(dir.path().join("kept.ron").exists());
    let app = h.state();
    assert!(app.session.confirm.is_none(), "the prompt stayed");
    assert!(
        app.session.doc.scenario.nodes.is_empty(),
        "New did not go on"
    );
}

#[test]
fn a_bad_file_opened_at_start_shows_its_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.ron");
    std::fs::write(
        &path,
        "(title: \"x\", nodes: [ (id: \"a\", kind: Cache()) ])",
    )
    .expect("write");
    let mut h = harness_in(dir.path());
    h.state_mut().open(&path);
    h.run_steps(3);
    let app = h.state();
    assert!(
        !app.session.welcome,
        "the error hides behind the welcome view"
    );
    let notice = app.session.notice.as_ref().expect("an error");
    assert!(
        notice.error && notice.text.contains("broken.ron:1:"),
        "{notice:?}"
    );
    h.get_by_label_contains("is not a node kind");
}

#[test]
fn unsaved_work_comes_back_after_the_app_is_killed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.state_mut()
        .keep_recovery_in(Some(dir.path().to_path_buf()));
    open_lesson(&mut h);
    add_node(&mut h);
    h.state_mut().push(Cmd::Edit(Edit::Rename {
        id: "service-1".into(),
        name: "Last edit".into(),
    }));
    h.run_steps(2);
    // The copy reaches the disk within two seconds, with no more frames.
    let live = dir.path().join("recovery.ron");
    let started = Instant::now();
    let mut text = String::new();
    while started.elapsed() < Duration::from_secs(3) {
        text = std::fs::read_to_string(&live).unwrap_or_default();
        if text.contains("Last edit") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        text.contains("Last edit"),
        "the last edit never reached the disk"
    );
    // Killed: no clean exit runs.
    std::mem::forget(h);
    let mut again = harness_in(dir.path());
    again
        .state_mut()
        .keep_recovery_in(Some(dir.path().to_path_buf()));
    again.run_steps(2);
    again.get_by_label_contains("did not close normally");
    again.get_by_label("Recover").click();
    again.run_steps(3);
    let app = again.state();
    assert!(!app.session.welcome);
    assert!(
        app.session.doc.dirty,
        "recovered work must still read as unsaved"
    );
    assert!(
        app.session
            .doc
            .scenario
            .nodes
            .iter()
            .any(|n| n.label() == "Last edit")
    );
}

#[test]
fn opening_a_lesson_first_does_not_destroy_recovered_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.state_mut()
        .keep_recovery_in(Some(dir.path().to_path_buf()));
    open_lesson(&mut h);
    add_node(&mut h);
    let live = dir.path().join("recovery.ron");
    let started = Instant::now();
    while !live.exists() && started.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::mem::forget(h);
    let mut again = harness_in(dir.path());
    again
        .state_mut()
        .keep_recovery_in(Some(dir.path().to_path_buf()));
    again.run_steps(2);
    again.get_by_label_contains("API composition").click();
    again.run_steps(3);
    again.state_mut().push(Cmd::Edit(Edit::AddNode {
        kind: settle::scenario::Kind::Client,
        at: None,
    }));
    again.run_steps(2);
    std::thread::sleep(Duration::from_millis(2500));
    // Still offered, and still recoverable.
    let app = again.state();
    assert_eq!(app.session.recovered.len(), 1);
    assert!(app.session.recovered[0].file.exists());
}
