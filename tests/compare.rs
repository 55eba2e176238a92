//! Compare mode: two drawings, one seed, one clock; where their runs part
//! ways, found from the command line and shown in the app.

use std::process::{Command, Output};

use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use settle::check;
use settle::scenario::{Fault, Link};
use settle::session::compare::{CompareCmd, Side};
use settle::session::presets::{self, PRESETS};
use settle::session::{Cmd, Edit, Session};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn settle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("settle runs")
}

fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

fn preset_paths() -> Vec<String> {
    PRESETS
        .iter()
        .map(|p| format!("scenarios/{}", p.file))
        .collect()
}

#[test]
fn a_preset_against_itself_never_parts_ways() {
    for path in preset_paths() {
        let o = settle(&["compare", &path, &path]);
        assert!(
            o.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(
            last_line(&o),
            "first_difference_at=none differing_records=0",
            "{path}"
        );
    }
}

#[test]
fn every_declared_variant_parts_ways_and_passes_its_own_checks() {
    let mut variants = 0;
    for p in PRESETS {
        let s = p.load().expect("preset loads");
        for (i, v) in s.variants.iter().enumerate() {
            variants += 1;
            let made = s.variant(i).expect("variant");
            let mut engine = settle::sim::Engine::new(&made, made.seed).expect("variant runs");
            engine.run();
            let out = check::evaluate(&made, engine.trace());
            for o in &out {
                assert!(o.passed, "{} / {}: {} — {}", p.file, v.name, o.what, o.why);
            }
            let path = format!("scenarios/{}", p.file);
            let o = settle(&["compare", &path, "--variant", &v.name]);
            let line = last_line(&o);
            assert!(o.status.success(), "{line}");
            assert!(!line.contains("=none"), "{} / {}: {line}", p.file, v.name);
        }
    }
    assert!(variants >= 3, "the lessons declare {variants} variants");
}

#[test]
fn the_outbox_lesson_without_its_crash_differs_by_one_order() {
    let o = settle(&["compare", "scenarios/04-outbox-and-cdc.ron"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("crash Orders (dual write)"), "{out}");
    assert!(
        out.contains("shipping-a orders-dual/1002: A —, B a lamp"),
        "{out}"
    );
    assert_eq!(
        last_line(&o),
        "first_difference_at=0.909s differing_records=1"
    );
}

#[test]
fn compare_says_plainly_what_is_wrong() {
    let o = settle(&["compare", "scenarios/01-data-ownership.ron"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("declares no variants"));
    let o = settle(&[
        "compare",
        "scenarios/06-conflict-resolution.ron",
        "--variant",
        "Nope",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no variant is called \"Nope\""));
    let o = settle(&[
        "compare",
        "no-such.ron",
        "scenarios/06-conflict-resolution.ron",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such.ron"));
}

fn lesson(file: &str) -> Session {
    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::OpenPreset(presets::index_of(file).expect("preset")));
    s
}

#[test]
fn a_copy_changed_in_one_setting_runs_beside_the_original_on_one_clock() {
    let mut s = lesson("04-outbox-and-cdc.ron");
    s.apply(Cmd::Compare(CompareCmd::Duplicate));
    assert_eq!(s.parting_at(), None, "an unchanged copy runs the same");
    // Edit B: slow the left shipping link down.
    s.apply(Cmd::Compare(CompareCmd::Edit(Side::B)));
    let i = s
        .doc
        .scenario
        .links
        .iter()
        .position(|l| l.to == "shipping-a" || l.from == "shipping-a")
        .expect("link");
    let mut link: Link = s.doc.scenario.links[i].clone();
    link.latency = settle::scenario::Latency::Fixed(settle::model::Dur(400_000));
    s.apply(Cmd::Edit(Edit::SetLink { index: i, link }));
    let at = s.parting_at().expect("the runs part ways");
    assert!(at > 0, "{at}");
    // One clock: moving one side moves both.
    s.apply(Cmd::Seek(500_000.0));
    let c = s.compare.as_ref().expect("comparing");
    let other = c.other_player.as_ref().expect("A runs");
    assert_eq!(other.time(), 500_000.0);
    assert!(
        !s.records_differing_now().is_empty(),
        "B's shipping copy is behind at 0.5 s"
    );
    // A new seed reruns both.
    s.apply(Cmd::SetSeed(99));
    let c = s.compare.as_ref().expect("comparing");
    assert_eq!(c.other_player.as_ref().map(|p| p.seed), Some(99));
    // Stopping and keeping B keeps B's edit.
    s.apply(Cmd::Compare(CompareCmd::End { keep: Side::B }));
    assert!(s.compare.is_none());
    assert_eq!(
        s.doc.scenario.links[i].latency,
        settle::scenario::Latency::Fixed(settle::model::Dur(400_000))
    );
    // And opening another lesson leaves compare mode.
    s.apply(Cmd::Compare(CompareCmd::Duplicate));
    s.apply(Cmd::ConfirmDiscard);
    s.apply(Cmd::OpenPreset(0));
    s.apply(Cmd::ConfirmDiscard);
    assert!(s.compare.is_none());
}

#[test]
fn a_declared_variant_marks_where_the_runs_part_ways() {
    let mut s = lesson("04-outbox-and-cdc.ron");
    s.apply(Cmd::Compare(CompareCmd::Variant(0)));
    assert_eq!(s.parting_at(), Some(909_000));
    let c = s.compare.as_ref().expect("comparing");
    assert!(c.other.scenario.faults.is_empty());
    assert!(matches!(
        s.doc.scenario.faults.first(),
        Some(Fault::Crash { .. })
    ));
}

#[test]
fn compare_in_the_window_side_by_side_with_the_difference_marked() {
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        );
    h.run_steps(2);
    h.get_by_label_contains("Outbox and CDC").click();
    h.run_steps(4);
    h.get_by_label("Compare").click();
    h.run_steps(2);
    h.get_by_label("Compare with “No crash”").click();
    h.run_steps(4);
    h.get_by_label("The runs part ways at 0.909s");
    // Both drawings are on screen, each node once per side.
    assert_eq!(
        h.query_all_by_label("Orders (dual write), service").count(),
        2
    );
    h.get_by_label("Go there").click();
    h.run_steps(3);
    assert_eq!(
        h.state().session.player.as_ref().map(|p| p.now()),
        Some(909_000)
    );
    // At the end, shipping (left) differs: A never got order 1002.
    h.state_mut().push(Cmd::End);
    h.run_steps(4);
    assert!(
        h.get_all_by_label_contains("differs from B, which holds a lamp")
            .next()
            .is_some(),
        "the differing record is marked"
    );
    // Clicking a node on side B makes B the side being edited.
    let b_node = h
        .query_all_by_label("Orders (dual write), service")
        .nth(1)
        .expect("B's node");
    b_node.click();
    h.run_steps(3);
    let c = h.state().session.compare.as_ref().expect("comparing");
    assert_eq!(c.editing, Side::B);
    assert!(h.state().session.selection.nodes.contains("orders-a"));
    h.check_accessibility();
}
