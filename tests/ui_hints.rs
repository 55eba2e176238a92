//! Design hints in the window: listed in the Checks panel with a "Show
//! me" and a Dismiss named for screen readers; a dismissal is saved with
//! the drawing and stays dismissed when it is opened again.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::Cmd;
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

const DUAL: &str = "Dual write (Orders (dual write))";

#[test]
fn a_hint_dismissed_by_name_stays_dismissed_after_save_and_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.ron");
    let mut h = harness_in(dir.path());
    h.run_steps(2);
    h.get_by_label_contains("Outbox and CDC").click();
    h.run_steps(4);
    // The lesson shows a dual write on purpose: its hint is listed, with
    // the lesson that explains it.
    h.get_by_label(&format!("Show me: {DUAL}"));
    h.get_by_label(&format!("Dismiss hint: {DUAL}"))
        .click_accesskit();
    h.run_steps(3);
    assert!(
        h.query_by_label(&format!("Dismiss hint: {DUAL}")).is_none(),
        "still listed after Dismiss"
    );
    assert_eq!(
        h.state().session.doc.scenario.dismissed_hints,
        vec!["dual-write:orders-a".to_string()]
    );
    h.state_mut().push(Cmd::SaveTo(path.clone()));
    h.run_steps(3);
    assert!(!h.state().session.doc.dirty, "not saved");
    drop(h);

    let mut h = harness_in(dir.path());
    h.run_steps(2);
    h.state_mut().push(Cmd::Open(path.clone()));
    h.run_steps(4);
    assert_eq!(h.state().session.doc.path.as_deref(), Some(path.as_path()));
    assert!(
        h.query_by_label(&format!("Dismiss hint: {DUAL}")).is_none(),
        "the dismissed hint came back on reopening"
    );
    // It can be brought back, and that is an edit like any other.
    h.get_by_label_contains("Dismissed hints (1)")
        .click_accesskit();
    h.run_steps(2);
    h.get_by_label(&format!("Bring back hint: {DUAL}"))
        .click_accesskit();
    h.run_steps(3);
    h.get_by_label(&format!("Dismiss hint: {DUAL}"));
    assert!(h.state().session.doc.dirty);
}

#[test]
fn show_me_opens_the_lesson_that_explains_the_hint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.run_steps(2);
    h.get_by_label_contains("Idempotent consumer").click();
    h.run_steps(4);
    // Lesson 03b's Warehouse B keeps no processed-event table on purpose.
    h.get_by_label_contains("Dismiss hint: No deduplication")
        .click_accesskit();
    h.run_steps(3);
    assert!(h.state().session.doc.dirty);
    // The lesson dismisses its dual-write hint (it is lesson 04's); the
    // Checks panel lists it among the dismissed, and brings it back.
    h.get_by_label_contains("Dismissed hints (2)").click();
    h.run_steps(3);
    h.get_by_label_contains("Bring back hint: Dual write")
        .click_accesskit();
    h.run_steps(3);
    // Dual-write hints point at lesson 04.
    h.get_by_label_contains("Show me: Dual write")
        .click_accesskit();
    h.run_steps(3);
    // The drawing was changed: the app asks before replacing it.
    h.state_mut().push(Cmd::ConfirmDiscard);
    h.run_steps(4);
    assert_eq!(h.state().session.doc.name, "04-outbox-and-cdc.ron");
}
