//! The figures a lesson points at, as a learner sees them in the window at
//! 1280×800: every lane a step talks about is in the sequence diagram's
//! view, and the step that counts eight messages shows those eight.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use settle::session::Cmd;
use settle::session::presets::PRESETS;
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn open(file: &str) -> Harness<'static, SettleApp> {
    let app = SettleApp::new(Prefs::default());
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app);
    h.run_steps(2);
    let i = PRESETS
        .iter()
        .position(|p| p.file == file)
        .expect("the lesson is a preset");
    h.state_mut().push(Cmd::OpenPreset(i));
    h.run_steps(4);
    h
}

/// Moves to the next narration step; false at the last.
fn next_step(h: &mut Harness<'static, SettleApp>) -> bool {
    let next = {
        let s = &mut h.state_mut().session;
        let Some(p) = s.player.as_mut() else {
            return false;
        };
        let now = p.now();
        p.mark_after(now)
    };
    let Some(t) = next else { return false };
    h.state_mut().push(Cmd::Seek(t as f64));
    h.run_steps(4);
    true
}

/// The current step's number and the labels of the nodes it focuses on.
fn focus(h: &Harness<'static, SettleApp>) -> (usize, Vec<String>) {
    let app = h.state();
    let p = app.session.player.as_ref().expect("a run");
    let now = p.now();
    let Some(&(_, n)) = p.marks().iter().rev().find(|(t, _)| *t <= now) else {
        return (0, Vec::new());
    };
    let s = &app.session.doc.scenario;
    let labels = s.narration[n]
        .focus
        .iter()
        .filter_map(|id| s.nodes.iter().find(|x| x.id == *id))
        .map(|x| x.label().to_string())
        .collect();
    (n, labels)
}

/// Where the sequence diagram is drawn (not its tab, named the same).
fn diagram(h: &Harness<'static, SettleApp>) -> egui::Rect {
    h.get_all_by_label("Sequence diagram")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Image)
        .expect("the diagram is shown")
        .rect()
}

/// The diagram's message rows on screen, in words ("0.218 s, Orders to
/// Shared DB: …"); narration rules ("Step 3: …") are not messages.
fn message_rows(h: &Harness<'static, SettleApp>) -> Vec<String> {
    let diagram = diagram(h);
    h.query_all_by_role(egui::accesskit::Role::ListItem)
        .filter(|n| diagram.contains_rect(n.rect().shrink(1.0)))
        .filter_map(|n| n.accesskit_node().label().map(|l| l.to_string()))
        .filter(|l| !l.starts_with("Step ") && l.contains(" s, ") && l.contains(" to "))
        .collect()
}

#[test]
fn every_lane_a_step_of_lesson_00_talks_about_is_in_view() {
    let mut h = open("00-request-path.ron");
    let mut steps = 0;
    loop {
        let (n, labels) = focus(&h);
        let diagram = diagram(&h);
        for label in &labels {
            let name = format!("Lane: {label}");
            let lane = h.query_by_label(&name).unwrap_or_else(|| {
                panic!(
                    "step {}: the lane of {label} is not shown in full (off screen or narrowed)",
                    n + 1
                )
            });
            let r = lane.rect();
            assert!(
                r.min.x >= diagram.min.x - 1.0 && r.max.x <= diagram.max.x + 1.0,
                "step {}: lane {label} at {r:?} lies outside the diagram {diagram:?}",
                n + 1
            );
        }
        steps += 1;
        if !next_step(&mut h) {
            break;
        }
    }
    assert_eq!(steps, 5, "walked every step of the lesson");
}

#[test]
fn the_eight_messages_step_shows_exactly_those_eight() {
    let mut h = open("00-request-path.ron");
    while h
        .state()
        .session
        .player
        .as_ref()
        .is_none_or(|p| p.now() < 400_000)
    {
        assert!(next_step(&mut h), "lesson 00 reaches its third step");
    }
    let rows = message_rows(&h);
    assert_eq!(rows.len(), 8, "the diagram's message rows: {rows:#?}");
    assert!(rows[0].contains("Browser to Orders: read 7"), "{rows:#?}");
    assert!(
        rows[7].contains("Orders to Browser"),
        "the answer is the eighth: {rows:#?}"
    );
    // The same at the last step, for the request with a database per
    // service, whose lanes lie to the right of the first request's.
    while next_step(&mut h) {}
    let rows = message_rows(&h);
    assert_eq!(rows.len(), 8, "{rows:#?}");
    assert!(rows[0].contains("Browser to Orders (own DB)"), "{rows:#?}");
}
