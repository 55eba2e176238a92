//! The course around the lessons, driven as a learner does, by labels,
//! clicks, keys and the pointer: the quiz with its score and "Show me",
//! the glossary (on hover in the lesson card, and in Help ▸ Glossary),
//! challenges fixed in the inspector, and progress kept between runs.

use egui::{Event, Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::scenario::{NodeKind, Strategy, WriteMode};
use settle::session::presets::PRESETS;
use settle::session::quiz;
use settle::session::{Cmd, Edit, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness_with(app: SettleApp) -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(50)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app)
}

fn harness() -> Harness<'static, SettleApp> {
    harness_with(SettleApp::new(Prefs::default()))
}

fn lesson(file: &str) -> usize {
    PRESETS
        .iter()
        .position(|p| p.file == file)
        .expect("a lesson")
}

fn spec(h: &Harness<'static, SettleApp>, id: &str) -> NodeKind {
    h.state()
        .session
        .doc
        .scenario
        .nodes
        .iter()
        .find(|n| n.id == id)
        .map(|n| n.kind.clone())
        .expect("node")
}

#[test]
fn the_quiz_is_taken_by_clicking_and_keeps_its_best_score() {
    let q = quiz::load().expect("the quiz loads");
    let n = q.questions.len();
    let mut h = harness();
    h.run_steps(2);
    // Below the lesson cards: scrolled into view, as a learner would.
    h.get_by_label_contains("Course quiz").scroll_to_me();
    h.run_steps(3);
    h.get_by_label_contains("Course quiz").click();
    h.run_steps(3);
    assert!(h.state().session.quiz.open);
    h.get_by_label_contains(&format!("Question 1 of {n}"));
    // Large type for a projector, and back.
    h.get_by_label("Present").click();
    h.run_steps(3);
    assert!(h.state().presenting);
    h.get_by_label("Exit presentation").click();
    h.run_steps(3);
    assert!(!h.state().presenting);
    for (i, question) in q.questions.iter().enumerate() {
        // One wrong answer, on the second question; the rest right.
        let pick = if i == 1 {
            (question.answer + 1) % question.choices.len()
        } else {
            question.answer
        };
        h.get_by_label(&question.choices[pick]).click();
        h.run_steps(3);
        let verdict = if i == 1 { "Not quite." } else { "Right." };
        h.get_by_label(verdict);
        // The right choice is marked once picked.
        h.get_by_label(&format!("✔ {}", question.choices[question.answer]));
        if i + 1 < n {
            h.get_by_label("Next question ▶").click();
            h.run_steps(3);
        }
    }
    h.get_by_label(&format!("Your score: {} of {n}", n - 1));
    assert_eq!(h.state().session.progress.quiz_best, Some((n - 1, n)));

    // Show me opens the lesson at the moment, paused; the way back returns.
    h.get_by_label("2").click();
    h.run_steps(3);
    let show = q.questions[1].show_me.clone();
    h.get_by_label_contains("Show me ▶").click();
    h.run_steps(4);
    let s = &h.state().session;
    assert!(!s.quiz.open && !s.welcome);
    assert_eq!(s.doc.name, show.lesson);
    let p = s.player.as_ref().expect("runs");
    assert_eq!(p.now(), show.at.0);
    assert!(!p.playing);
    h.get_by_label("Back to the quiz").click();
    h.run_steps(3);
    assert!(h.state().session.quiz.open);
    h.get_by_label(&format!("Question 2 of {n}"));

    h.get_by_label("Try again").click();
    h.run_steps(3);
    assert!(h.state().session.quiz.picks.is_empty());
    h.get_by_label("Back to the lessons").click();
    h.run_steps(3);
    assert!(h.state().session.welcome);
    h.get_by_label_contains(&format!("best score {} of {n}", n - 1));
}

#[test]
fn the_glossary_opens_from_the_help_menu_and_finds_a_term() {
    let mut h = harness();
    h.run_steps(2);
    h.state_mut()
        .open_preset(lesson("07-saga-compensation.ron"));
    h.run_steps(3);
    h.get_by_label("Help").click();
    h.run_steps(2);
    h.get_by_label("Glossary").click();
    h.run_steps(3);
    assert!(h.state().glossary.is_some());
    h.get_by_label("Find a term").click();
    h.run_steps(1);
    h.event(Event::Text("compensat".into()));
    h.run_steps(3);
    h.get_by_label_contains("A write that undoes an earlier step of a saga");
    assert!(
        h.query_by_label_contains("A table in a service's own database")
            .is_none(),
        "the outbox is listed though it does not match"
    );
    // Esc closes it, before anything else.
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.state().glossary.is_none());
}

#[test]
fn a_term_in_the_lesson_card_is_explained_on_hover() {
    let mut h = harness();
    // Explain at once, even while the pointer moves.
    h.ctx.all_styles_mut(|s| {
        s.interaction.tooltip_delay = 0.0;
        s.interaction.show_tooltips_only_when_still = false;
    });
    h.run_steps(2);
    h.state_mut().open_preset(lesson("04-outbox-and-cdc.ron"));
    h.run_steps(3);
    // The card's first step speaks of a dual write; rest the pointer on it.
    // (The diagram's narration row says it too; the card is the one on top.)
    let rect = h
        .get_all_by_label_contains("The same shop twice")
        .map(|n| n.rect())
        .min_by(|a, b| a.top().total_cmp(&b.top()))
        .expect("the card");
    let explanation = "Committing to the database and then publishing";
    assert!(h.query_by_label_contains(explanation).is_none());
    // Along each line of the text, 10 points apart, until it explains.
    let lines = (rect.height() / 16.0).round().max(1.0) as usize;
    let mut found = false;
    'scan: for line in 0..lines {
        let y = rect.top() + rect.height() * (line as f32 + 0.5) / lines as f32;
        let mut x = rect.left() + 5.0;
        while x < rect.right() {
            h.event(Event::PointerMoved(Pos2::new(x, y)));
            h.run_steps(2);
            if h.query_by_label_contains(explanation).is_some() {
                found = true;
                break 'scan;
            }
            x += 10.0;
        }
    }
    assert!(found, "no explanation of the dual write on hover");
}

/// Marks lesson `file` done (as reaching its last step does) and opens it.
fn lesson_done(h: &mut Harness<'static, SettleApp>, file: &str) {
    h.state_mut().session.progress.finished(file);
    h.state_mut().open_preset(lesson(file));
    h.run_steps(3);
}

#[test]
fn a_done_lesson_offers_its_challenge_fixed_in_the_inspector_and_kept_solved() {
    let mut h = harness();
    h.run_steps(2);
    lesson_done(&mut h, "04-outbox-and-cdc.ron");
    h.get_by_label("Challenge: An order that survives the crash")
        .click();
    h.run_steps(4);
    assert!(h.state().session.challenge().is_some());
    h.get_by_label("Check my design").click();
    h.run_steps(3);
    // The failed check jumps to its moment.
    let show = h
        .get_all_by_label_contains("Show at")
        .next()
        .expect("a jump");
    show.click();
    h.run_steps(3);
    let p = h.state().session.player.as_ref().expect("runs");
    assert!(!p.playing && p.now() > 0);
    // Hints, one at a time.
    h.get_by_label("Hint (1 of 3)").click();
    h.run_steps(3);
    h.get_by_label("Hint 1:");
    h.get_by_label("Hint (2 of 3)");

    // The fix: the inspector's outbox, a relay from the palette, two links.
    h.state_mut().push(Cmd::Select(Selection::node("orders")));
    h.run_steps(3);
    h.get_by_label("outbox: row in the same commit").click();
    h.run_steps(3);
    let NodeKind::Service(svc) = spec(&h, "orders") else {
        panic!("a service")
    };
    assert_eq!(svc.write, WriteMode::Outbox);
    h.get_by_label("Add cdc").click();
    h.run_steps(3);
    let relay = h
        .state()
        .session
        .doc
        .scenario
        .nodes
        .last()
        .map(|n| n.id.clone())
        .expect("added");
    for (a, b) in [("orders-db", relay.as_str()), (relay.as_str(), "bus")] {
        h.state_mut().push(Cmd::Edit(Edit::Connect {
            from: a.into(),
            to: b.into(),
        }));
        h.run_steps(2);
    }
    h.get_by_label("Check my design").click();
    h.run_steps(3);
    h.get_by_label("✔ Every check passes: the goal is met.");
    assert!(
        h.state()
            .session
            .progress
            .challenges
            .contains("An order that survives the crash")
    );

    h.get_by_label("Back to the lesson").click();
    h.run_steps(4);
    assert!(
        h.state().session.confirm.is_some(),
        "no question before losing the edits"
    );
    // Leaving an edited drawing asks first.
    h.get_by_label("Discard changes").click();
    h.run_steps(3);
    assert_eq!(h.state().session.doc.name, "04-outbox-and-cdc.ron");
    h.get_by_label("Challenge: An order that survives the crash ✔");
}

#[test]
fn the_cart_strategy_is_chosen_for_every_copy_in_one_step() {
    let mut h = harness();
    h.run_steps(2);
    h.state_mut().push(Cmd::OpenChallenge {
        lesson: lesson("06-conflict-resolution.ron"),
        index: 0,
    });
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node("cart-eu")));
    h.run_steps(3);
    h.get_by_label("On conflict").click();
    h.run_steps(3);
    h.get_by_label("OR-set: add and remove, add wins (CRDT)")
        .click();
    h.run_steps(3);
    for id in ["cart-eu", "cart-us"] {
        let NodeKind::Peer(p) = spec(&h, id) else {
            panic!("a peer")
        };
        assert_eq!(p.strategy, Strategy::OrSet, "{id}");
    }
    assert!(h.state().session.problem.is_none());
    h.get_by_label("Check my design").click();
    h.run_steps(3);
    h.get_by_label("✔ Every check passes: the goal is met.");
    // One undo puts both back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    for id in ["cart-eu", "cart-us"] {
        let NodeKind::Peer(p) = spec(&h, id) else {
            panic!("a peer")
        };
        assert_eq!(p.strategy, Strategy::LastWriterWins, "{id}");
    }
}

#[test]
fn a_compensation_typed_into_the_saga_solves_its_challenge() {
    let mut h = harness();
    h.run_steps(2);
    h.state_mut().push(Cmd::OpenChallenge {
        lesson: lesson("07-saga-compensation.ron"),
        index: 0,
    });
    h.run_steps(3);
    h.state_mut().push(Cmd::Select(Selection::node("checkout")));
    h.run_steps(3);
    // The pointer comes to the field, then clicks it.
    h.get_by_label("2. Inventory: reserved, undone by").hover();
    h.run_steps(1);
    h.get_by_label("2. Inventory: reserved, undone by").click();
    h.run_steps(2);
    assert!(
        h.get_by_label("2. Inventory: reserved, undone by")
            .is_focused(),
        "the field did not take the focus"
    );
    h.event(Event::Text("released".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let NodeKind::Orchestrator(o) = spec(&h, "checkout") else {
        panic!("an orchestrator")
    };
    assert_eq!(o.steps[1].compensation, "released");
    h.get_by_label("Check my design").click();
    h.run_steps(3);
    h.get_by_label("✔ Every check passes: the goal is met.");
}

#[test]
fn reporting_is_unhooked_from_the_shared_database_in_the_inspector() {
    let mut h = harness();
    h.run_steps(2);
    h.state_mut().push(Cmd::OpenChallenge {
        lesson: lesson("01-data-ownership.ron"),
        index: 0,
    });
    h.run_steps(3);
    // The link a drag from reporting's port to orders makes.
    h.state_mut().push(Cmd::Edit(Edit::Connect {
        from: "reporting".into(),
        to: "orders".into(),
    }));
    h.state_mut()
        .push(Cmd::Select(Selection::node("reporting")));
    h.run_steps(3);
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "orders")
        .click();
    h.run_steps(3);
    h.get_by_label("Database").click();
    h.run_steps(3);
    h.get_by_label("its own store").click();
    h.run_steps(3);
    let NodeKind::Service(svc) = spec(&h, "reporting") else {
        panic!("a service")
    };
    assert!(svc.reads.is_empty() && svc.database.is_none(), "{svc:?}");
    h.get_by_label("Check my design").click();
    h.run_steps(3);
    h.get_by_label("✔ Every check passes: the goal is met.");
}

#[test]
fn progress_is_kept_between_runs_and_shown_on_the_welcome_view() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let mut app = SettleApp::new(Prefs::default());
        app.keep_progress_in(Some(dir.path().to_path_buf()));
        let mut h = harness_with(app);
        h.run_steps(2);
        // Lesson 01 to its last step, with its question answered right.
        h.state_mut().open_preset(lesson("01-data-ownership.ron"));
        h.run_steps(3);
        h.state_mut().push(Cmd::Guess { step: 2, choice: 1 });
        h.state_mut().push(Cmd::SetSpeed(100.0));
        h.state_mut().push(Cmd::Play);
        h.run_steps(10);
        assert!(h.state().session.progress.lessons["01-data-ownership.ron"].done);
        h.state_mut().push(Cmd::Welcome);
        h.run_steps(3);
        h.get_by_label_contains("01 Data ownership (✔ Done · 1 of 1 predicted)");
        h.get_by_label_contains(&format!("1 of {} lessons done", PRESETS.len()));
    }
    // A new run reads it back.
    let mut app = SettleApp::new(Prefs::default());
    app.keep_progress_in(Some(dir.path().to_path_buf()));
    let mut h = harness_with(app);
    h.run_steps(2);
    h.get_by_label_contains("01 Data ownership (✔ Done · 1 of 1 predicted)");
    let p = &h.state().session.progress;
    assert_eq!(p.predictions("01-data-ownership.ron"), (1, 1));
}
