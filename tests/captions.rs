//! Recording a lesson: a teacher adds captions (one with a question) while
//! showing a drawing, saves it, and it opens again as a lesson.

use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::presets::{self, PRESETS};
use settle::session::{Cmd, Document, Selection, Session};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    let mut app = SettleApp::new(Prefs::default());
    // The teacher's own drawing: the ownership lesson with its story gone.
    let i = presets::index_of("01-data-ownership.ron").expect("preset");
    let mut s = PRESETS[i].load().expect("loads");
    s.narration.clear();
    s.title = "My demo".into();
    app.session.load(Document::new(s, None, "my-demo".into()));
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(20)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app)
}

/// Types into the `nth` field named `label`, replacing what was there,
/// and leaves it with Tab.
fn type_into(h: &mut Harness<'static, SettleApp>, label: &str, nth: usize, text: &str) {
    h.get_all_by_label(label)
        .nth(nth)
        .expect("the field")
        .click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.event(Event::Text(text.into()));
    h.run_steps(1);
    h.key_press(Key::Tab);
    h.run_steps(3);
}

fn captions(h: &Harness<'static, SettleApp>) -> Vec<settle::scenario::Narration> {
    h.state().session.doc.scenario.narration.clone()
}

#[test]
fn a_recorded_demo_with_two_captions_and_a_question_plays_as_a_lesson() {
    let mut h = harness();
    h.run_steps(3);
    h.get_by_label("● Record").click();
    h.run_steps(3);
    // First caption at 0.5 s, highlighting the node selected.
    h.state_mut().push(Cmd::Seek(500_000.0));
    let id = h.state().session.doc.scenario.nodes[1].id.clone();
    h.state_mut().push(Cmd::Select(Selection::node(&id)));
    h.run_steps(3);
    h.get_by_label("Add a caption at 0.500s").click();
    h.run_steps(3);
    assert_eq!(captions(&h).len(), 1);
    type_into(&mut h, "Caption", 0, "The request reaches the service.");
    assert_eq!(captions(&h)[0].text, "The request reaches the service.");
    assert_eq!(
        captions(&h)[0].focus.len(),
        1,
        "the selected node is highlighted"
    );

    // Second caption at 1.0 s, with a question.
    h.state_mut().push(Cmd::Seek(1_000_000.0));
    h.run_steps(2);
    h.get_by_label("Add a caption at 1.000s").click();
    h.run_steps(3);
    type_into(&mut h, "Caption", 1, "What will the other service see?");
    h.get_all_by_label("Ask a question here")
        .nth(1)
        .expect("checkbox")
        .click();
    h.run_steps(3);
    type_into(
        &mut h,
        "Choices, one per line (2 to 6)",
        0,
        "Its own copy\nNothing\nAn error",
    );
    let ask = captions(&h)[1].ask.clone().expect("a question");
    assert_eq!(ask.choices, ["Its own copy", "Nothing", "An error"]);
    type_into(
        &mut h,
        "Shown with the answer",
        0,
        "Each service keeps its own data.",
    );

    // Editing and deleting captions undo like any edit.
    type_into(&mut h, "Caption", 0, "Oops");
    assert_eq!(captions(&h)[0].text, "Oops");
    h.state_mut().push(Cmd::Undo);
    h.run_steps(2);
    assert_eq!(captions(&h)[0].text, "The request reaches the service.");
    h.get_all_by_label("Delete").next().expect("delete").click();
    h.run_steps(2);
    assert_eq!(captions(&h).len(), 1);
    h.state_mut().push(Cmd::Undo);
    h.run_steps(2);
    assert_eq!(captions(&h).len(), 2);

    // Saved and opened again, it plays as a lesson.
    let dir = std::env::temp_dir().join(format!("settle-captions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("my-demo.ron");
    h.state_mut().push(Cmd::SaveTo(path.clone()));
    h.run_steps(2);
    assert!(
        !h.state().session.doc.dirty,
        "{:?}",
        h.state().session.notice
    );

    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::Open(path));
    assert!(s.problem.is_none(), "{:?}", s.problem);
    assert_eq!(s.doc.scenario.narration.len(), 2);
    assert!(s.player.is_some(), "it runs");
    // Next plays to the first caption, then on to the question, which waits.
    s.apply(Cmd::NarrationNext);
    for _ in 0..2000 {
        s.tick(0.05);
    }
    assert_eq!(s.player.as_ref().map(|p| p.now()), Some(500_000));
    s.apply(Cmd::NarrationNext);
    for _ in 0..2000 {
        s.tick(0.05);
    }
    assert_eq!(s.player.as_ref().map(|p| p.now()), Some(1_000_000));
    assert!(
        s.lesson.blocks(&s.doc.scenario, 1),
        "the question waits for a guess"
    );
    s.apply(Cmd::Guess { step: 1, choice: 0 });
    assert!(!s.lesson.blocks(&s.doc.scenario, 1));
    std::fs::remove_dir_all(&dir).ok();
}

fn caption(ms: u64, text: &str) -> settle::scenario::Narration {
    settle::scenario::Narration {
        at: Some(settle::model::Dur::ms(ms)),
        when: None,
        text: text.into(),
        focus: Vec::new(),
        ask: None,
    }
}

#[test]
fn captions_keep_time_order_and_their_place_among_equals() {
    use settle::session::Edit;
    let mut s = settle::session::empty_scenario();
    for (ms, t) in [(500, "b"), (100, "a"), (500, "c")] {
        Edit::AddCaption(Box::new(caption(ms, t))).apply(&mut s);
    }
    let texts = |s: &settle::scenario::Scenario| -> Vec<String> {
        s.narration.iter().map(|n| n.text.clone()).collect()
    };
    assert_eq!(texts(&s), ["a", "b", "c"]);
    // Rewording keeps the place, even among captions at the same moment.
    Edit::SetCaption {
        index: 1,
        caption: Box::new(caption(500, "B")),
    }
    .apply(&mut s);
    assert_eq!(texts(&s), ["a", "B", "c"]);
    // A new moment moves it.
    Edit::SetCaption {
        index: 0,
        caption: Box::new(caption(900, "a")),
    }
    .apply(&mut s);
    assert_eq!(texts(&s), ["B", "c", "a"]);
    Edit::DeleteCaption(7).apply(&mut s);
    Edit::DeleteCaption(0).apply(&mut s);
    assert_eq!(texts(&s), ["c", "a"]);
}

/// At the end of the run a caption goes just before it, and the button says
/// so rather than offering a moment a millisecond off the one shown.
#[test]
fn at_the_end_the_caption_button_says_just_before_the_end() {
    let mut h = harness();
    h.run_steps(3);
    h.get_by_label("● Record").click();
    h.run_steps(3);
    h.state_mut().push(Cmd::End);
    h.run_steps(3);
    h.get_by_label_contains("Add a caption just before the end (")
        .click();
    h.run_steps(3);
    let until = h.state().session.doc.scenario.until.0;
    assert_eq!(
        captions(&h)[0].at.map(|t| t.0),
        Some(until - 1_000),
        "the caption is not at the last moment the run reaches"
    );
}
