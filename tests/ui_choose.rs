//! Choose next, driven as a learner would: the key turns the mode on, the
//! run holds where more than one message could arrive next, the list says
//! each in words with buttons named for it, a pick is recorded in the
//! drawing, and the saved drawing reopens to the same run.

mod common;

use egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::Fault;
use settle::session::Cmd;
use settle::session::choose::said;
use settle::session::presets::index_of;
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

/// The whole run of the drawing shown, as bytes.
fn whole_run(h: &mut Harness<'static, SettleApp>) -> Vec<u8> {
    h.state_mut().push(Cmd::End);
    h.run_steps(2);
    let p = h.state().session.player.as_ref().expect("runs");
    common::jsonl(p.trace())
}

#[test]
fn a_pick_in_the_list_is_recorded_saved_and_replayed_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.run_steps(2);
    let lesson = index_of("03-event-driven-replication.ron").expect("lesson 03");
    h.state_mut().push(Cmd::OpenPreset(lesson));
    h.run_steps(3);
    let untouched = whole_run(&mut h);
    h.state_mut().push(Cmd::Home);
    h.state_mut().push(Cmd::SetSpeed(1.0));
    h.run_steps(2);

    h.key_press(Key::C);
    h.run_steps(2);
    assert!(h.state().session.player.as_ref().expect("runs").choose.on);
    h.get_by_label("Play").click_accesskit();
    let mut held = false;
    for _ in 0..600 {
        h.run_steps(1);
        if h.query_by_label("Let the network decide").is_some() {
            held = true;
            break;
        }
    }
    assert!(held, "the run never held for a choice");
    h.run_steps(1);
    h.check_accessibility();
    let (point, words) = {
        let p = h.state().session.player.as_ref().expect("runs");
        assert!(!p.playing, "held");
        let point = p.choice_point().expect("a choice point");
        let c = point
            .candidates
            .iter()
            .find(|c| c.message != point.before)
            .expect("another message could go first");
        (point.clone(), said(p.trace(), c))
    };
    // Every candidate's buttons are named for it.
    for c in &point.candidates {
        let p = h.state().session.player.as_ref().expect("runs");
        let w = said(p.trace(), c);
        for verb in ["Deliver next", "Drop", "Deliver twice"] {
            let name = format!("{verb}: {w}");
            assert!(
                h.query_by_label_contains(&name).is_some(),
                "no button named {name}"
            );
        }
    }
    h.get_by_label(&format!("Deliver next: {words}"))
        .click_accesskit();
    h.run_steps(3);
    let chosen = {
        let s = &h.state().session;
        let chosen = s
            .doc
            .scenario
            .faults
            .iter()
            .find(|f| matches!(f, Fault::Deliver { .. }))
            .cloned()
            .expect("the pick is in the drawing");
        assert!(s.doc.dirty);
        // It played on from the choice (to the next point, where it holds
        // again, or on).
        let p = s.player.as_ref().expect("runs");
        assert!(
            p.upto() >= point.step + 2,
            "shown: the choice and its arrival"
        );
        assert!(p.playing || p.choice_point().is_some_and(|q| q.step > point.step));
        chosen
    };
    let picked = whole_run(&mut h);
    assert_ne!(picked, untouched, "the choice changed the run");

    let path = dir.path().join("chosen.ron");
    h.state_mut().push(Cmd::SaveTo(path.clone()));
    h.run_steps(3);
    assert!(!h.state().session.doc.dirty, "saved");
    h.state_mut().push(Cmd::New);
    h.run_steps(2);
    h.state_mut().push(Cmd::Open(path));
    h.run_steps(3);
    assert!(h.state().session.doc.scenario.faults.contains(&chosen));
    assert_eq!(whole_run(&mut h), picked, "reopened, the same run");

    // The reopened drawing starts with the mode off; the playback bar's
    // toggle turns it on.
    assert!(!h.state().session.player.as_ref().expect("runs").choose.on);
    h.state_mut().push(Cmd::Home);
    h.run_steps(1);
    h.get_by_label("Choose next").click_accesskit();
    h.run_steps(2);
    assert!(h.state().session.player.as_ref().expect("runs").choose.on);
}

#[test]
fn letting_the_network_decide_from_the_list_records_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.run_steps(2);
    let lesson = index_of("03-event-driven-replication.ron").expect("lesson 03");
    h.state_mut().push(Cmd::OpenPreset(lesson));
    h.state_mut().push(Cmd::SetSpeed(1.0));
    h.run_steps(3);
    h.get_by_label("Choose next").click_accesskit();
    h.run_steps(2);
    h.get_by_label("Play").click_accesskit();
    let mut held = None;
    for _ in 0..600 {
        h.run_steps(1);
        if let Some(p) = h
            .state()
            .session
            .player
            .as_ref()
            .and_then(|p| p.choice_point())
        {
            held = Some(p.step);
            break;
        }
    }
    let step = held.expect("held for a choice");
    h.run_steps(1);
    h.get_by_label("Let the network decide").click_accesskit();
    h.run_steps(1);
    let s = &h.state().session;
    assert!(!s.doc.dirty, "nothing recorded");
    let p = s.player.as_ref().expect("runs");
    assert!(p.upto() > step, "the run went on past the point");
}

/// Presses Tab until the element named `label` has the keyboard.
fn tab_to(h: &mut Harness<'static, SettleApp>, label: &str) {
    for _ in 0..300 {
        if h.query_all_by_label(label).any(|n| n.is_focused()) {
            return;
        }
        h.key_press(Key::Tab);
        h.run_steps(1);
    }
    panic!("Tab never reached {label}");
}

#[test]
fn the_keyboard_alone_turns_the_mode_on_and_drops_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness_in(dir.path());
    h.run_steps(2);
    let lesson = index_of("03-event-driven-replication.ron").expect("lesson 03");
    h.state_mut().push(Cmd::OpenPreset(lesson));
    h.state_mut().push(Cmd::SetSpeed(1.0));
    h.run_steps(3);
    h.key_press(Key::C);
    h.run_steps(2);
    h.key_press(Key::Space);
    let mut point = None;
    for _ in 0..600 {
        h.run_steps(1);
        if let Some(p) = h
            .state()
            .session
            .player
            .as_ref()
            .and_then(|p| p.choice_point())
        {
            point = Some(p);
            break;
        }
    }
    let point = point.expect("held for a choice");
    h.run_steps(2);
    let c = point
        .candidates
        .iter()
        .find(|c| c.message != point.before)
        .expect("a second candidate");
    let name = {
        let p = h.state().session.player.as_ref().expect("runs");
        format!("Drop: {}", said(p.trace(), c))
    };
    tab_to(&mut h, &name);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let faults = &h.state().session.doc.scenario.faults;
    assert!(
        faults
            .iter()
            .any(|f| matches!(f, Fault::Drop { message, .. } if *message == c.message)),
        "{faults:?}"
    );
}
