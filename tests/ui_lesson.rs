//! The lesson card as a learner meets it in the window: it sits above the
//! drawing and never over it, every node a step talks about is in view at
//! the window's default size and on a projector, and Next plays the run.

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::Cmd;
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

/// Every node the current step focuses on lies wholly inside the canvas.
fn focus_in_view(h: &Harness<'static, SettleApp>, lesson: &str) {
    let app = h.state();
    let Some(p) = app.session.player.as_ref() else {
        return;
    };
    let now = p.now();
    let Some(&(_, n)) = p.marks().iter().rev().find(|(t, _)| *t <= now) else {
        return;
    };
    let canvas = app.canvas.rect;
    for id in &app.session.doc.scenario.narration[n].focus {
        let r = app.canvas.drawn.get(id).copied().expect("focus node drawn");
        assert!(
            canvas.expand(1.0).contains_rect(r),
            "{lesson} step {}: {id} at {r:?} is not wholly in the canvas {canvas:?}",
            n + 1
        );
    }
}

fn walk_every_lesson(size: (f32, f32), presenting: bool) {
    for (i, p) in PRESETS.iter().enumerate() {
        let mut h = harness(size, presenting);
        h.run_steps(2);
        h.state_mut().push(Cmd::OpenPreset(i));
        h.run_steps(4);
        let steps = h.state().session.doc.scenario.narration.len();
        for _ in 0..steps {
            // Step through by seeking to each step's moment (Next is tested
            // on its own); answer any question so nothing holds the run.
            let next = {
                let s = &mut h.state_mut().session;
                let Some(p) = s.player.as_mut() else { break };
                let now = p.now();
                p.mark_after(now)
            };
            let Some(t) = next else { break };
            h.state_mut().push(Cmd::Seek(t as f64));
            h.run_steps(3);
            focus_in_view(&h, p.file);
        }
    }
}

#[test]
fn focus_nodes_stay_in_view_at_the_default_size() {
    walk_every_lesson((1440.0, 900.0), false);
}

#[test]
fn focus_nodes_stay_in_view_on_a_projector() {
    walk_every_lesson((1280.0, 720.0), true);
}

#[test]
fn next_in_the_card_plays_the_run_to_the_next_step() {
    let mut h = harness((1440.0, 900.0), false);
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    h.get_by_label("Next ▶").click();
    h.run_steps(1);
    let p = h.state().session.player.as_ref().expect("runs");
    assert!(p.playing, "Next did not start playing");
    let start = p.time();
    h.run_steps(10);
    let later = h.state().session.player.as_ref().expect("runs").time();
    assert!(later > start, "the run did not move");
    // The card says which step it is, for screen readers too.
    h.get_by_label_contains("Step 1 of");
}

/// On a short projector screen (1024×768, three lines of narration) every
/// lesson's name plates stand clear of each other, and the sequence
/// diagram stays beside the replica states instead of being drawn over
/// them (a toolbar wider than its panel used to widen the diagram).
#[test]
fn a_short_projector_screen_keeps_plates_apart_and_the_views_side_by_side() {
    for (i, p) in PRESETS.iter().enumerate() {
        let mut h = harness((1024.0, 768.0), true);
        h.run_steps(2);
        h.state_mut().push(Cmd::OpenPreset(i));
        h.run_steps(6);
        let diagram = h.get_by_label("Sequence diagram").rect();
        if let Some(table) = h.query_all_by_label_contains("record(s)").next() {
            let table = table.rect();
            assert!(
                diagram.max.x <= table.min.x + 1.0,
                "{}: the diagram {diagram:?} reaches over the replica states at {table:?}",
                p.file
            );
        }
        let plates: Vec<_> = h.state().canvas.drawn.iter().collect();
        for (k, (a, ra)) in plates.iter().enumerate() {
            for (b, rb) in plates.iter().skip(k + 1) {
                assert!(
                    !ra.shrink(1.0).intersects(rb.shrink(1.0)),
                    "{}: plates {a} {ra:?} and {b} {rb:?} overlap",
                    p.file
                );
            }
        }
    }
}

/// When a step talks about a copy the replica panel cuts off (lesson 03's
/// Recommendations, on a 1280x720 projector), its table scrolls to it; and
/// the diagram numbers the step as the card does, by when it is reached.
#[test]
fn the_step_shows_its_copy_and_numbers_itself_as_the_card_does() {
    let mut h = harness((1280.0, 720.0), true);
    h.run_steps(2);
    let i = PRESETS
        .iter()
        .position(|p| p.file.starts_with("03-"))
        .expect("lesson 03");
    h.state_mut().push(Cmd::OpenPreset(i));
    h.run_steps(4);
    h.state_mut().push(Cmd::Seek(2_600_000.0));
    h.run_steps(4);
    assert!(
        h.query_all_by_label_contains("Recommendations, sku-")
            .next()
            .is_some(),
        "the copy the step is about is not in view"
    );
    // Every step, at its own moment (when its rule is the diagram's newest
    // row): the card's number and the diagram's agree. Lesson 03 has steps
    // set off by happenings, so the file's order is not the run's.
    h.state_mut().push(Cmd::End);
    h.run_steps(3);
    let steps: Vec<(u64, String)> = {
        let app = h.state();
        let p = app.session.player.as_ref().expect("runs");
        p.marks()
            .iter()
            .map(|&(at, n)| (at, app.session.doc.scenario.narration[n].text.clone()))
            .collect()
    };
    assert!(steps.len() > 3);
    for (k, (at, text)) in steps.iter().enumerate() {
        h.state_mut().push(Cmd::Seek(*at as f64));
        h.run_steps(4);
        let k = k + 1;
        h.get_by_label_contains(&format!("Step {k} of"));
        let start: String = text.chars().take(30).collect();
        assert!(
            h.query_all_by_label_contains(&format!("Step {k}: {start}"))
                .next()
                .is_some(),
            "the diagram does not call \"{start}…\" step {k}"
        );
    }
}

/// Once the last step is reached, the card offers the lesson's further
/// reading as links named by their titles, inside a 1280×800 window; not
/// before.
#[test]
fn the_card_ends_with_further_reading_links() {
    let i = PRESETS
        .iter()
        .position(|p| p.file == "07-saga-compensation.ron")
        .expect("the saga lesson");
    let mut h = harness((1280.0, 800.0), false);
    h.run_steps(2);
    h.state_mut().push(Cmd::OpenPreset(i));
    h.run_steps(4);
    let titles: Vec<String> = h
        .state()
        .session
        .doc
        .scenario
        .further_reading
        .iter()
        .map(|r| r.title.clone())
        .collect();
    assert!(titles.len() >= 2, "{titles:?}");
    assert!(
        h.query_by_label(&titles[0]).is_none(),
        "shown before the end"
    );
    // Just before the last step, nothing yet; at it, the links.
    let last = {
        let p = h.state_mut().session.player.as_mut().expect("runs");
        let mut t = 0;
        while let Some(next) = p.mark_after(t) {
            t = next;
        }
        t
    };
    h.state_mut().push(Cmd::Seek((last - 1) as f64));
    h.run_steps(4);
    assert!(
        h.query_by_label(&titles[0]).is_none(),
        "shown before the end"
    );
    h.state_mut().push(Cmd::Seek(last as f64));
    h.run_steps(4);
    h.get_by_label_contains("Further reading");
    for t in &titles {
        let link = h.get_by_label(t);
        let r = link.rect();
        assert!(
            r.max.x <= 1280.0 && r.max.y <= 800.0,
            "{t} lies outside the window at {r:?}"
        );
    }
}
