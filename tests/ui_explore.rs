//! Explore in the Checks panel: the search runs on its own thread while
//! the window keeps drawing, says what it found, and opens that run as a
//! new unsaved drawing paused at the failing moment.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::Cmd;
use settle::session::presets::PRESETS;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

#[test]
fn explore_finds_the_dual_write_losing_an_order_and_opens_that_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Lesson 04 with its scripted crash taken out: its own run loses
    // nothing.
    let mut s = PRESETS
        .iter()
        .find(|p| p.file == "04-outbox-and-cdc.ron")
        .expect("lesson 04")
        .load()
        .expect("loads");
    s.faults.clear();
    let path = dir.path().join("shop.ron");
    std::fs::write(&path, settle::scenario::to_ron(&s).expect("writes")).expect("written");

    let mut app = SettleApp::new(Prefs::default());
    app.files_dir = dir.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app);
    h.run_steps(2);
    h.state_mut().push(Cmd::Open(path));
    h.run_steps(4);
    h.get_by_label("Explore other runs").click_accesskit();
    let mut opened = false;
    for _ in 0..600 {
        h.run_steps(1);
        if let Some(open) = h.query_by_label("Open that run") {
            open.click_accesskit();
            opened = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(opened, "the search never offered a run to open");
    h.run_steps(3);
    let session = &h.state().session;
    assert!(session.doc.path.is_none(), "the found run is unsaved");
    assert!(
        session.doc.scenario.faults.iter().any(|f| matches!(
            f,
            settle::scenario::Fault::Crash { node, .. } if node == "orders-a"
        )),
        "{:?}",
        session.doc.scenario.faults
    );
    let p = session.player.as_ref().expect("it runs");
    assert!(!p.playing, "paused");
    assert!(p.now() > 0, "at the failing moment, not at the start");
}
