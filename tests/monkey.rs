//! A monkey at the keyboard and mouse: thousands of random clicks, drags,
//! keys, scrolls and bits of text, seeded and repeatable, on every lesson
//! and on a blank drawing. The app must never panic, and undoing every
//! edit must give back the drawing each run of the monkey started from.

use egui::{Event, Key, Modifiers, MouseWheelUnit, PointerButton, Pos2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use settle::scenario::Scenario;
use settle::session::presets::PRESETS;
use settle::session::{Cmd, Document};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

const SIZE: (f32, f32) = (1440.0, 900.0);
/// Random events per drawing.
const EVENTS: usize = 300;

const KEYS: &[Key] = &[
    Key::Space,
    Key::Period,
    Key::Comma,
    Key::OpenBracket,
    Key::CloseBracket,
    Key::Home,
    Key::End,
    Key::Delete,
    Key::Backspace,
    Key::F,
    Key::Z,
    Key::Y,
    Key::A,
    Key::L,
    Key::Tab,
    Key::Enter,
    Key::Escape,
    Key::ArrowLeft,
    Key::ArrowRight,
    Key::ArrowUp,
    Key::ArrowDown,
    Key::F11,
    Key::Questionmark,
];

fn at(rng: &mut ChaCha8Rng) -> Pos2 {
    pos2(
        rng.random_range(0.0..SIZE.0),
        // Keep off the menu bar: its File menu reaches the disk.
        rng.random_range(30.0..SIZE.1),
    )
}

fn click(h: &mut Harness<'static, SettleApp>, p: Pos2, button: PointerButton) {
    h.event(Event::PointerMoved(p));
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: p,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

/// One random input event, and a frame to take it in.
fn poke(h: &mut Harness<'static, SettleApp>, rng: &mut ChaCha8Rng) {
    match rng.random_range(0..10) {
        0..=2 => {
            let p = at(rng);
            let button = if rng.random_range(0..6) == 0 {
                PointerButton::Secondary
            } else {
                PointerButton::Primary
            };
            click(h, p, button);
            if rng.random_range(0..8) == 0 {
                click(h, p, button);
            }
        }
        3 | 4 => {
            let (from, to) = (at(rng), at(rng));
            h.event(Event::PointerMoved(from));
            h.event(Event::PointerButton {
                pos: from,
                button: PointerButton::Primary,
                pressed: true,
                modifiers: Modifiers::NONE,
            });
            h.run_steps(1);
            for i in 1..=4 {
                h.event(Event::PointerMoved(from + (to - from) * (i as f32 / 4.0)));
                h.run_steps(1);
            }
            h.event(Event::PointerButton {
                pos: to,
                button: PointerButton::Primary,
                pressed: false,
                modifiers: Modifiers::NONE,
            });
        }
        5..=7 => {
            let key = KEYS[rng.random_range(0..KEYS.len())];
            let modifiers = match rng.random_range(0..6) {
                0 => Modifiers::SHIFT,
                1 => Modifiers::COMMAND,
                _ => Modifiers::NONE,
            };
            // Save and open reach the disk; the monkey stays off them.
            let reaches_disk =
                modifiers == Modifiers::COMMAND && !matches!(key, Key::Z | Key::Y | Key::A);
            if reaches_disk {
                h.key_press(key);
            } else {
                h.key_press_modifiers(modifiers, key);
            }
        }
        8 => {
            h.event(Event::PointerMoved(at(rng)));
            h.event(Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: vec2(
                    rng.random_range(-200.0..200.0),
                    rng.random_range(-300.0..300.0),
                ),
                modifiers: Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
            });
        }
        _ => {
            let words = ["a", "7", "order 9", "ü", "  ", "→", "x".repeat(80).leak()];
            h.event(Event::Text(
                words[rng.random_range(0..words.len())].to_string(),
            ));
        }
    }
    h.run_steps(1);
}

/// Closes whatever the monkey left open, then undoes every edit.
fn undo_everything(h: &mut Harness<'static, SettleApp>) -> Document {
    let app = h.state_mut();
    for c in [Cmd::ConfirmCancel, Cmd::CancelOverwrite] {
        app.session.apply(c);
    }
    let mut steps = 0;
    while app.session.doc.undo() {
        steps += 1;
        assert!(steps < 1_000, "undo never ends");
    }
    app.session.doc.clone()
}

fn monkey(open: impl FnOnce(&mut Harness<'static, SettleApp>), seed: u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = SettleApp::new(Prefs::default());
    app.files_dir = dir.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size(vec2(SIZE.0, SIZE.1))
        .with_max_steps(10)
        .build_ui_state(|ui, app: &mut SettleApp| app.show(ui), app);
    h.run_steps(2);
    open(&mut h);
    h.run_steps(2);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Each drawing the monkey ends up on starts a new undo history.
    let mut generation = h.state().session.generation;
    let mut start: Scenario = h.state().session.doc.scenario.clone();
    for _ in 0..EVENTS {
        poke(&mut h, &mut rng);
        let s = &h.state().session;
        if s.generation != generation {
            generation = s.generation;
            start = s.doc.scenario.clone();
            assert!(!s.doc.can_undo(), "a new drawing came with an undo history");
        }
    }
    let end = undo_everything(&mut h);
    assert_eq!(
        end.scenario, start,
        "undoing every edit did not give the start back"
    );
}

#[test]
fn the_monkey_never_breaks_a_lesson() {
    for (i, p) in PRESETS.iter().enumerate() {
        let title = p.load().expect("preset").title;
        monkey(
            |h| {
                h.get_by_label_contains(&title).click();
            },
            0x5e77_1e00 + i as u64,
        );
    }
}

#[test]
fn the_monkey_never_breaks_a_blank_drawing() {
    monkey(
        |h| {
            h.get_by_label("New drawing").click();
        },
        0xb1a4_c0de,
    );
}
