//! The real app, driven headless by its accessible labels and by pointer
//! gestures, as a user would: open a lesson, play, pause, step, step back,
//! add a node from the palette, link two nodes, undo, redo, fire a fault.

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

/// Opens the replication lesson from the welcome view.
fn open_lesson(h: &mut Harness<'static, SettleApp>) {
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    assert!(!h.state().session.welcome, "the lesson did not open");
    assert!(
        h.state().session.player.is_some(),
        "the lesson cannot run: {:?}",
        h.state().session.problem
    );
}

fn drag(h: &mut Harness<'static, SettleApp>, from: Pos2, to: Pos2) {
    h.event(Event::PointerMoved(from));
    h.run_steps(1);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(1);
    for i in 1..=8 {
        let p = from + (to - from) * (i as f32 / 8.0);
        h.event(Event::PointerMoved(p));
        h.run_steps(1);
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
}

#[test]
fn welcome_lists_the_lessons_and_opens_one() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("API composition");
    h.get_by_label("New drawing");
    open_lesson(&mut h);
    assert_eq!(
        h.state().session.doc.scenario.title,
        "Event-driven replication"
    );
}

#[test]
fn play_pause_step_and_step_back() {
    let mut h = harness();
    open_lesson(&mut h);
    h.get_by_label("Play").click();
    h.run_steps(20);
    let p = h.state().session.player.as_ref().expect("player");
    assert!(p.playing && p.time() > 0.0, "Play did not start the run");
    h.get_by_label("Pause").click();
    h.run_steps(2);
    let p = h.state().session.player.as_ref().expect("player");
    assert!(!p.playing);
    let (time, upto) = (p.time(), p.upto());
    h.run_steps(5);
    assert_eq!(
        h.state().session.player.as_ref().expect("player").time(),
        time,
        "time moved while paused"
    );

    h.get_by_label("Step").click();
    h.run_steps(2);
    assert_eq!(
        h.state().session.player.as_ref().expect("player").upto(),
        upto + 1
    );
    h.get_by_label("Step").click();
    h.run_steps(2);
    h.get_by_label("Step back").click();
    h.run_steps(2);
    assert_eq!(
        h.state().session.player.as_ref().expect("player").upto(),
        upto + 1
    );
}

#[test]
fn keyboard_drives_playback() {
    let mut h = harness();
    open_lesson(&mut h);
    let start = h.state().session.player.as_ref().expect("player").upto();
    h.key_press(egui::Key::Period);
    h.run_steps(2);
    h.key_press(egui::Key::Period);
    h.run_steps(2);
    assert_eq!(
        h.state().session.player.as_ref().expect("player").upto(),
        start + 2
    );
    h.key_press(egui::Key::Comma);
    h.run_steps(2);
    assert_eq!(
        h.state().session.player.as_ref().expect("player").upto(),
        start + 1
    );
    h.key_press(egui::Key::End);
    h.run_steps(2);
    assert!(h.state().session.player.as_ref().expect("player").at_end());
}

#[test]
fn palette_adds_a_node_and_undo_redo_restore_it() {
    let mut h = harness();
    open_lesson(&mut h);
    let before = h.state().session.doc.scenario.nodes.len();
    h.get_by_label("Add service").click();
    h.run_steps(2);
    assert_eq!(h.state().session.doc.scenario.nodes.len(), before + 1);
    assert!(h.state().session.doc.dirty);
    assert!(
        h.state().session.doc.title().contains('•'),
        "the title shows no unsaved mark"
    );
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().session.doc.scenario.nodes.len(), before, "undo");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().session.doc.scenario.nodes.len(),
        before + 1,
        "redo"
    );
}

#[test]
fn dragging_from_a_port_links_two_nodes() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label("New drawing").click();
    h.run_steps(2);
    h.get_by_label("Add client").click();
    h.run_steps(2);
    h.get_by_label("Add service").click();
    h.run_steps(3);
    let app = h.state();
    assert_eq!(app.session.doc.scenario.nodes.len(), 2);
    assert!(app.session.doc.scenario.links.is_empty());
    // Found by name in the accessibility tree; the port is the node's
    // right-hand handle.
    let client = h.get_by_label("client-1, client").rect();
    let from = h
        .state()
        .canvas
        .port_screen_pos(h.state().session.doc.scenario.nodes[0].pos);
    assert!(
        client.expand(12.0).contains(from),
        "the port is off its node"
    );
    let to = h.get_by_label("service-1, service").rect().center();
    drag(&mut h, from, to);
    let s = &h.state().session.doc.scenario;
    assert_eq!(s.links.len(), 1, "no link was made");
    assert_eq!(
        (s.links[0].from.as_str(), s.links[0].to.as_str()),
        ("client-1", "service-1")
    );
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert!(
        h.state().session.doc.scenario.links.is_empty(),
        "undo removes the link"
    );
}

#[test]
fn dragging_a_node_moves_it_and_one_undo_puts_it_back() {
    let mut h = harness();
    open_lesson(&mut h);
    let start = h.state().session.doc.scenario.nodes[0].pos;
    let name = format!(
        "{}, client",
        h.state().session.doc.scenario.nodes[0].label()
    );
    let center = h.get_by_label(&name).rect().center();
    drag(&mut h, center, center + vec2(0.0, 120.0));
    let moved = h.state().session.doc.scenario.nodes[0].pos;
    assert!(moved.1 > start.1 + 40.0, "{start:?} -> {moved:?}");
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().session.doc.scenario.nodes[0].pos, start);
}

#[test]
fn crashing_a_node_forks_the_run_at_the_moment_shown() {
    let mut h = harness();
    open_lesson(&mut h);
    h.state_mut().push(settle::session::Cmd::Seek(1_000_000.0));
    h.run_steps(2);
    h.state_mut().push(settle::session::Cmd::Select(
        settle::session::Selection::node("pricing"),
    ));
    h.run_steps(2);
    h.get_by_label("Crash").click();
    h.run_steps(3);
    let app = h.state();
    let faults = &app.session.doc.scenario.faults;
    assert!(
        faults.iter().any(|f| matches!(f, settle::scenario::Fault::Crash { node, at } if node == "pricing" && at.0 == 1_000_000)),
        "{faults:?}"
    );
    let p = app.session.player.as_ref().expect("player");
    assert_eq!(
        p.now(),
        1_000_000,
        "the run did not stay at the moment shown"
    );
    h.get_by_label("Restart");
}

#[test]
fn a_broken_file_shows_its_error_and_keeps_the_drawing() {
    let mut h = harness();
    open_lesson(&mut h);
    h.get_by_label("Add service").click();
    h.run_steps(2);
    let nodes = h.state().session.doc.scenario.nodes.len();
    let path = std::env::temp_dir().join(format!("settle-ui-broken-{}.ron", std::process::id()));
    std::fs::write(
        &path,
        "(title: \"x\", nodes: [ (id: \"a\", kind: Cache()) ])",
    )
    .expect("write");
    h.state_mut().open(&path);
    h.run_steps(2);
    let app = h.state();
    let notice = app.session.notice.as_ref().expect("an error is shown");
    assert!(
        notice.error && notice.text.contains(":1:") && notice.text.contains("Cache"),
        "{notice:?}"
    );
    assert_eq!(
        app.session.doc.scenario.nodes.len(),
        nodes,
        "the drawing was lost"
    );
    h.get_by_label_contains("is not a node kind");
    std::fs::remove_file(&path).ok();
}

#[test]
fn help_overlay_opens_on_question_mark() {
    let mut h = harness();
    open_lesson(&mut h);
    h.event(Event::Text("?".into()));
    h.run_steps(5);
    assert!(h.state().help);
    h.get_by_label("Play / pause");
}

#[test]
fn the_last_drawing_comes_back_after_a_restart() {
    let dir = std::env::temp_dir().join(format!("settle-ui-restart-{}", std::process::id()));
    let mut h = harness();
    h.state_mut().keep_recovery_in(Some(dir.clone()));
    open_lesson(&mut h);
    h.get_by_label("Add service").click();
    h.run_steps(2);
    let nodes = h.state().session.doc.scenario.nodes.len();
    // A normal exit, as eframe ends the app.
    eframe::App::on_exit(h.state_mut(), None);
    drop(h);
    let mut again = harness();
    again.state_mut().keep_recovery_in(Some(dir.clone()));
    again.run_steps(2);
    again.get_by_label_contains("Continue").click();
    again.run_steps(3);
    let app = again.state();
    assert!(!app.session.welcome);
    assert_eq!(app.session.doc.scenario.nodes.len(), nodes);
    assert!(
        app.session.doc.dirty,
        "the restored drawing is still unsaved"
    );
    assert!(
        app.session.recovered.is_empty(),
        "a clean exit is not a crash"
    );
    std::fs::remove_dir_all(&dir).ok();
}
