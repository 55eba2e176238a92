//! Links in the window: a link pasted into File ▸ Open a path or a link
//! opens the drawing it carries, File ▸ Compare with the lesson it came
//! from puts the lesson beside it, File ▸ Copy link to this drawing puts a
//! link on the clipboard, and a broken link's sentence shows on the
//! welcome view.

use egui::{Event, Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::session::presets::{self, PRESETS};
use settle::session::{Cmd, Edit, Session};
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

/// Lesson 04 with one link slowed, as a link.
fn remix() -> String {
    let four = presets::index_of("04-outbox-and-cdc.ron").expect("lesson 04");
    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::OpenPreset(four));
    let mut l = s.doc.scenario.links[0].clone();
    l.latency = settle::scenario::Latency::Fixed(settle::model::Dur(400_000));
    s.apply(Cmd::Edit(Edit::SetLink { index: 0, link: l }));
    s.apply(Cmd::Seek(1_000_000.0));
    format!(
        "https://example.org/settle/{}",
        s.link_here().expect("a link")
    )
}

fn paste(h: &mut Harness<'static, SettleApp>, text: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open a path or a link…").click();
    h.run_steps(2);
    h.get_by_label("Type or paste the path of a .ron file, or a link to a drawing:")
        .click();
    h.run_steps(1);
    h.event(Event::Text(text.into()));
    h.run_steps(1);
    h.get_by_label("Open").click();
    h.run_steps(4);
}

#[test]
fn a_pasted_link_opens_its_drawing_and_compares_with_its_lesson() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label_contains("Event-driven replication").click();
    h.run_steps(3);
    paste(&mut h, &remix());
    let four = PRESETS[presets::index_of("04-outbox-and-cdc.ron").expect("04")]
        .load()
        .expect("loads");
    {
        let app = h.state();
        assert_eq!(app.session.doc.name, four.title);
        assert_ne!(app.session.doc.scenario, four, "the edit came along");
        assert_eq!(
            app.session.player.as_ref().map(|p| p.now()),
            Some(1_000_000)
        );
        assert!(app.session.compare.is_none());
    }
    h.get_by_label_contains("It started as lesson 04");
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Compare with the lesson it came from")
        .click();
    h.run_steps(4);
    let app = h.state();
    let c = app.session.compare.as_ref().expect("comparing");
    assert_eq!(c.other.scenario.nodes, four.nodes);
    assert!(app.session.parting_at().is_some());
}

#[test]
fn a_broken_link_says_why_on_the_welcome_view() {
    let mut h = harness();
    h.run_steps(2);
    // The Open a path window is the desktop's; the welcome view has the
    // File menu only once a drawing is open, so open the link directly.
    let text = remix();
    let cut = &text[..text.len() / 2];
    h.state_mut().push(Cmd::OpenLink(cut.to_string()));
    h.run_steps(3);
    assert!(h.state().session.welcome);
    h.get_by_label_contains("cut short");
    h.key_press(Key::Escape);
}
