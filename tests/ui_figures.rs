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

/// The lanes of the message rows on screen: sender and receiver labels.
fn lanes_of_rows(h: &Harness<'static, SettleApp>) -> Vec<String> {
    message_rows(h)
        .iter()
        .filter_map(|row| {
            let (_, rest) = row.split_once(" s, ")?;
            let (ends, _) = rest.split_once(": ")?;
            let (from, to) = ends.split_once(" to ")?;
            Some([from.to_string(), to.to_string()])
        })
        .flatten()
        .collect()
}

/// Every lane of the message rows on screen is shown whole.
fn every_lane_shown(h: &Harness<'static, SettleApp>) {
    let diagram = diagram(h);
    for label in lanes_of_rows(h) {
        let name = format!("Lane: {label}");
        let lane = h
            .query_by_label(&name)
            .unwrap_or_else(|| panic!("the lane of {label} is off screen or narrowed"));
        let r = lane.rect();
        assert!(
            r.min.x >= diagram.min.x - 1.0 && r.max.x <= diagram.max.x + 1.0,
            "lane {label} at {r:?} lies outside the diagram {diagram:?}"
        );
    }
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
    every_lane_shown(&h);
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
    every_lane_shown(&h);
}

/// What the replica states draw in the cell whose name starts `name`.
fn cell_shown(h: &Harness<'static, SettleApp>, name: &str) -> Vec<String> {
    h.query_all_by_role(egui::accesskit::Role::Cell)
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with(name))
        })
        .filter_map(|n| n.accesskit_node().value().map(|v| v.to_string()))
        .collect()
}

fn seek(h: &mut Harness<'static, SettleApp>, ms: f64) {
    h.state_mut().push(Cmd::Seek(ms * 1000.0));
    h.run_steps(4);
}

#[test]
fn a_record_the_lesson_is_about_is_shown_whole() {
    let mut h = open("06b-optimistic-concurrency.ron");
    // From the start, Ann's row as the run begins with it.
    seek(&mut h, 10.0);
    assert_eq!(
        cell_shown(&h, "Customer DB, ann:"),
        vec!["name=Ann city=Oslo phone=111".to_string()]
    );
    // Clerk B has moved Ann to Bergen: the city is the point.
    seek(&mut h, 600.0);
    assert_eq!(
        cell_shown(&h, "Customer DB, ann:"),
        vec!["name=Ann city=Bergen phone=111".to_string()]
    );
    seek(&mut h, 2500.0);
    assert_eq!(
        cell_shown(&h, "Customer DB, bob:"),
        vec!["name=Bob city=Bergen phone=555".to_string()]
    );
}

#[test]
fn a_dead_letter_is_shown_with_its_reason() {
    let mut h = open("03b-idempotent-consumer.ron");
    seek(&mut h, 1700.0);
    let shown = cell_shown(&h, "Event bus, inventory#");
    assert_eq!(shown.len(), 3, "a dead letter per consumer: {shown:?}");
    for s in &shown {
        assert!(
            s.ends_with("(rejected 3 times)") && !s.contains('…'),
            "the reason is shown: {s:?}"
        );
    }
}

#[test]
fn the_owner_stays_beside_the_ids_when_a_step_brings_a_copy_into_view() {
    let mut h = open("03b-idempotent-consumer.ron");
    let mut scrolled = false;
    loop {
        let (n, _) = focus(&h);
        let title = h.get_by_label_contains("stock — ").rect();
        let owner = h
            .get_by_label("Inventory: the owner, its store the source of truth")
            .rect();
        assert!(
            owner.min.x >= title.min.x + 60.0,
            "step {}: the owner's column at {owner:?} is scrolled under the ids (table at {title:?})",
            n + 1
        );
        // Reports, the last copy, is brought into view when a step
        // names it, beside the owner.
        if let Some(r) = h.query_by_label("Reports: a copy") {
            let diagram = diagram(&h);
            scrolled |= r.rect().max.x <= 1280.0 && r.rect().min.x > diagram.max.x;
        }
        if !next_step(&mut h) {
            break;
        }
    }
    assert!(scrolled, "some step showed the Reports copy whole");
}

/// Whether `r` lies wholly in the side panel's visible height: under the
/// menu bar and over the player's controls.
fn in_side_view(h: &Harness<'static, SettleApp>, r: egui::Rect) -> bool {
    let controls = h.get_by_label("Step back").rect();
    r.min.y >= 20.0 && r.max.y <= controls.min.y
}

/// Walks lesson `file` to the first step at or after `ms`.
fn to_step(h: &mut Harness<'static, SettleApp>, ms: u64) {
    while h
        .state()
        .session
        .player
        .as_ref()
        .is_none_or(|p| p.now() < ms * 1000)
    {
        assert!(next_step(h), "the lesson reaches {ms} ms");
    }
}

#[test]
fn the_plot_a_step_points_at_is_scrolled_into_view() {
    let mut h = open("09-partitioned-log.ron");
    let lag =
        |h: &Harness<'static, SettleApp>| h.get_by_label_contains("Plot of consumer lag").rect();
    // Before, the plot lies below the replica states, out of sight.
    to_step(&mut h, 90);
    h.run_steps(3);
    assert!(!in_side_view(&h, lag(&h)), "{:?}", lag(&h));
    // "Watch the lag badges and the consumer lag plot".
    to_step(&mut h, 700);
    h.run_steps(3);
    assert!(in_side_view(&h, lag(&h)), "{:?}", lag(&h));
}

#[test]
fn the_table_a_step_names_is_scrolled_into_view() {
    let mut h = open("09-partitioned-log.ron");
    to_step(&mut h, 700);
    h.run_steps(3);
    let groups = |h: &Harness<'static, SettleApp>| h.get_by_label_contains("log groups — ").rect();
    assert!(
        !in_side_view(&h, groups(&h)),
        "the lag plot is in view instead"
    );
    // "The group rebalances (see its state in the log's groups table)".
    to_step(&mut h, 3300);
    h.run_steps(3);
    assert!(in_side_view(&h, groups(&h)), "{:?}", groups(&h));
}
