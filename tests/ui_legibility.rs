//! What an instructor at a 1280×720 projector and a learner at a 1280×800
//! laptop must be able to read: no node's name prints over another's, names
//! stay large enough (16 px presenting, 12 px otherwise), both sides of a
//! comparison stay legible, and a new drawing's sequence diagram has room
//! for the messages of one request.

use egui::{Rect, vec2};
use egui_kittest::Harness;
use settle::session::Cmd;
use settle::session::compare::CompareCmd;
use settle::session::presets::PRESETS;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness(size: (f32, f32), presenting: bool) -> Harness<'static, SettleApp> {
    let mut app = SettleApp::new(Prefs::default());
    app.presenting = presenting;
    Harness::builder()
        .with_size(vec2(size.0, size.1))
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app)
}

/// The names painted on one canvas (id, where, type size): none over
/// another, none too small.
fn names_legible(names: &[(String, Rect, f32)], min: f32, what: &str) {
    assert!(!names.is_empty(), "{what}: no names drawn");
    for (i, (a, ra, size)) in names.iter().enumerate() {
        assert!(*size >= min, "{what}: {a} drawn at {size} px, under {min}");
        for (b, rb, _) in &names[i + 1..] {
            let both: Rect = ra.intersect(*rb);
            assert!(
                !both.is_positive(),
                "{what}: {a} at {ra:?} overlaps {b} at {rb:?}"
            );
        }
    }
}

fn every_preset(size: (f32, f32), presenting: bool) {
    let min = if presenting { 16.0 } else { 12.0 };
    for (i, p) in PRESETS.iter().enumerate() {
        let mut h = harness(size, presenting);
        h.run_steps(2);
        h.state_mut().push(Cmd::OpenPreset(i));
        h.run_steps(4);
        // At the start and at the last narration step (badges and pills
        // that came up during the run take room too).
        let what = format!("{} at {size:?} presenting {presenting}", p.file);
        names_legible(&h.state().names_drawn(false), min, &what);
        let last = h
            .state()
            .session
            .player
            .as_ref()
            .and_then(|p| p.marks().last().map(|m| m.0));
        if let Some(t) = last {
            h.state_mut().push(Cmd::Seek(t as f64));
            h.run_steps(3);
            names_legible(
                &h.state().names_drawn(false),
                min,
                &format!("{what}, last step"),
            );
        }
    }
}

#[test]
fn names_stand_clear_on_a_720_line_projector() {
    every_preset((1280.0, 720.0), true);
}

#[test]
fn names_stand_clear_on_an_800_line_projector() {
    every_preset((1280.0, 800.0), true);
}

#[test]
fn names_stand_clear_on_a_720_line_laptop() {
    every_preset((1280.0, 720.0), false);
}

#[test]
fn names_stand_clear_on_an_800_line_laptop() {
    every_preset((1280.0, 800.0), false);
}

#[test]
fn both_sides_of_a_comparison_stay_legible_on_a_laptop() {
    for (i, p) in PRESETS.iter().enumerate() {
        let mut h = harness((1280.0, 800.0), false);
        h.run_steps(2);
        h.state_mut().push(Cmd::OpenPreset(i));
        h.run_steps(3);
        h.state_mut().push(Cmd::Compare(CompareCmd::Duplicate));
        h.run_steps(4);
        let app = h.state();
        assert!(app.session.compare.is_some(), "{}: not comparing", p.file);
        names_legible(&app.names_drawn(false), 12.0, &format!("{} side A", p.file));
        names_legible(&app.names_drawn(true), 12.0, &format!("{} side B", p.file));
    }
}

/// After a lesson (whose card takes the top of the window), File ▸ New:
/// the diagram under the blank drawing has room for about eight rows, the
/// messages of one request through a service and its database.
#[test]
fn a_new_drawing_has_room_for_one_requests_messages() {
    let mut h = harness((1280.0, 800.0), false);
    h.run_steps(2);
    h.state_mut().push(Cmd::OpenPreset(4));
    h.run_steps(4);
    h.state_mut().push(Cmd::New);
    h.run_steps(4);
    let app = h.state();
    assert!(app.session.doc.scenario.nodes.is_empty());
    let rows = app.diagram_rows();
    assert!(rows >= 8.0, "the diagram has room for {rows:.1} rows");
}

/// On a 1280×720 projector, under a lesson's card, the diagram beside the
/// replica states still shows six rows: a request, its reply and the
/// event it sends, enough to follow the story the lesson tells.
#[test]
fn a_720_line_projector_shows_six_rows_of_the_diagram() {
    for (i, p) in PRESETS.iter().enumerate() {
        let mut h = harness((1280.0, 720.0), true);
        h.run_steps(2);
        h.state_mut().push(Cmd::OpenPreset(i));
        h.run_steps(4);
        let rows = h.state().diagram_rows();
        assert!(
            rows >= 6.0,
            "{}: the diagram has room for {rows:.1} rows",
            p.file
        );
    }
}
