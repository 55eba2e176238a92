//! A drawing carried in a link (`#design=…&t=…&from=…`): every lesson
//! comes back from its link unchanged, an edit gives another link and
//! another run, a remix compares with its lesson in one command, and a
//! link that is cut, damaged, too long or a zip bomb says so and changes
//! nothing.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use settle::model::Dur;
use settle::scenario::Latency;
use settle::session::compare::CompareCmd;
use settle::session::link::packed::{MAX_LINK_CHARS, MAX_TEXT_BYTES};
use settle::session::link::{self, Link, Target};
use settle::session::presets::{self, PRESETS};
use settle::session::{Cmd, Document, Edit, Session};

fn four() -> usize {
    presets::index_of("04-outbox-and-cdc.ron").expect("lesson 04")
}

fn lesson(i: usize) -> Session {
    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::OpenPreset(i));
    s
}

/// Lesson 04 with one link's latency changed to 400 ms.
fn edited_four() -> Session {
    let mut s = lesson(four());
    let mut l = s.doc.scenario.links[0].clone();
    l.latency = Latency::Fixed(Dur(400_000));
    s.apply(Cmd::Edit(Edit::SetLink { index: 0, link: l }));
    s
}

/// The session's drawing and view, to check nothing changed.
fn state(s: &Session) -> (String, u64, bool, u64, Option<u64>) {
    (
        s.doc.name.clone(),
        s.generation,
        s.welcome,
        s.doc.revision,
        s.player.as_ref().map(|p| p.now()),
    )
}

#[test]
fn every_lesson_comes_back_from_its_link_unchanged() {
    for (i, p) in PRESETS.iter().enumerate() {
        let s = p.load().expect("the preset loads");
        let text = link::format_design(&s, 1_200_000, Some(i)).expect("a link");
        assert!(text.starts_with("#design="), "{text}");
        assert!(text.len() < MAX_LINK_CHARS, "{}: {}", p.file, text.len());
        let back = link::parse(&text).expect("reads").expect("a link");
        assert_eq!(back.at, 1_200_000, "{}", p.file);
        match back.target {
            Target::Design { scenario, from } => {
                assert_eq!(*scenario, s, "{} changed on the way", p.file);
                assert_eq!(from, Some(i));
            }
            t => panic!("{}: {t:?}", p.file),
        }
    }
}

#[test]
fn a_link_opens_its_drawing_paused_at_its_moment_as_an_unsaved_copy() {
    let s = edited_four();
    let text = s.link_here().expect("a link");
    assert!(text.contains("&from=04-outbox-and-cdc"), "{text}");
    let mut t = Session::new(0.5, Default::default());
    t.apply(Cmd::OpenLink(format!("https://example.org/settle/{text}")));
    assert!(!t.welcome);
    assert_eq!(t.doc.scenario, s.doc.scenario);
    assert_eq!(t.doc.path, None);
    assert_eq!(t.doc.name, s.doc.scenario.title);
    let p = t.player.as_ref().expect("it runs");
    assert!(!p.playing);
    assert_eq!(p.now(), 0);
    // An unchanged lesson is named, not carried; a moment comes along.
    let mut l = lesson(four());
    l.apply(Cmd::Seek(1_000_000.0));
    assert_eq!(
        l.link_here().as_deref(),
        Ok("#lesson=04-outbox-and-cdc&t=1s")
    );
}

#[test]
fn an_edit_in_one_latency_gives_another_link_and_another_run() {
    let original = PRESETS[four()].load().expect("loads");
    let plain = link::format_design(&original, 1_000_000, Some(four())).expect("a link");
    let mut s = edited_four();
    s.apply(Cmd::Seek(1_000_000.0));
    let edited = s.link_here().expect("a link");
    assert_ne!(plain, edited);
    assert!(edited.contains("&t=1s"), "{edited}");

    // Opened, the remix compares with its lesson in one command, and the
    // two runs part ways; the unedited drawing's do not.
    let mut t = Session::new(0.5, Default::default());
    t.apply(Cmd::OpenLink(edited));
    assert_eq!(t.player.as_ref().map(|p| p.now()), Some(1_000_000));
    assert_eq!(t.origin_lesson(), Some(four()));
    t.apply(Cmd::Compare(CompareCmd::Lesson(four())));
    let c = t.compare.as_ref().expect("comparing");
    let mut shipped = original.clone();
    shipped.title = format!("{} (the lesson)", original.title);
    assert_eq!(c.other.scenario, shipped);
    assert!(t.parting_at().is_some(), "the edit changes the run");

    let mut u = Session::new(0.5, Default::default());
    u.apply(Cmd::OpenLink(plain));
    u.apply(Cmd::Compare(CompareCmd::Lesson(four())));
    assert!(u.compare.is_some());
    assert_eq!(u.parting_at(), None, "an unedited copy runs as the lesson");
}

#[test]
fn a_drawing_without_a_lesson_has_no_origin_to_compare_with() {
    let mut s = Session::new(0.5, Default::default());
    let mut mine = PRESETS[0].load().expect("loads");
    mine.title = "Untitled".into();
    s.load(Document::new(mine, None, "Untitled".into()));
    let text = s.link_here().expect("a link");
    assert!(!text.contains("from="), "{text}");
    let mut t = Session::new(0.5, Default::default());
    t.apply(Cmd::OpenLink(text));
    assert_eq!(
        t.notice.as_ref().map(|n| n.error),
        Some(false),
        "{:?}",
        t.notice
    );
    assert_eq!(t.doc.name, "Untitled (from a link)");
    assert_eq!(t.origin_lesson(), None);
    // The origin belongs to the drawing the link opened, not the next.
    let remix = edited_four().link_here().expect("a link");
    t.apply(Cmd::OpenLink(remix));
    assert_eq!(t.origin_lesson(), Some(four()));
    t.apply(Cmd::OpenPreset(0));
    assert_eq!(t.origin_lesson(), None);
}

/// Opens `text` on the welcome view and on a drawing: each time a
/// sentence, and nothing else changes.
fn refused(text: &str) -> String {
    let mut w = Session::new(0.5, Default::default());
    let before = state(&w);
    w.apply(Cmd::OpenLink(text.to_string()));
    assert_eq!(state(&w), before, "the welcome view changed");
    let said = w.notice.clone().expect("a notice");
    assert!(said.error, "{said:?}");
    let mut d = lesson(0);
    d.apply(Cmd::Seek(500_000.0));
    let before = state(&d);
    d.apply(Cmd::OpenLink(text.to_string()));
    assert_eq!(state(&d), before, "the drawing changed");
    assert_eq!(d.notice.as_ref(), Some(&said));
    said.text
}

/// Lesson 04 with 3 000 more nodes named by chance: a valid drawing too
/// large for a link (names by chance hardly compress).
fn bloated() -> settle::scenario::Scenario {
    let mut s = PRESETS[four()].load().expect("loads");
    let mut x: u64 = 7;
    let base = s.nodes[0].clone();
    for _ in 0..3_000 {
        let mut n = base.clone();
        n.id = (0..16)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + (x >> 59) as u8 % 26)
            })
            .collect();
        s.nodes.push(n);
    }
    s
}

fn remix() -> String {
    edited_four().link_here().expect("a link")
}

#[test]
fn a_cut_link_says_it_is_cut_short() {
    let text = remix();
    let design_end = text.find("&t=").expect("a moment");
    for cut in [
        design_end - 1,
        design_end - 2,
        design_end - 3,
        design_end / 2,
        12,
    ] {
        let said = refused(&text[..cut]);
        assert!(
            said.contains("cut short") || said.contains("damaged"),
            "cut at {cut}: {said}"
        );
    }
}

#[test]
fn a_link_with_any_one_character_changed_is_refused() {
    let s = PRESETS[0].load().expect("loads");
    let text = link::format_design(&s, 0, None).expect("a link");
    let start = "#design=".len();
    let end = text.find("&t=").expect("a moment");
    for i in start..end {
        let mut bytes = text.clone().into_bytes();
        // Another character of the alphabet, so only the checks inside the
        // drawing (zlib's own and the scenario's) can tell.
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(bytes).expect("ascii");
        match link::parse(&flipped) {
            Err(e) => assert!(!e.is_empty()),
            Ok(l) => panic!("a changed character at {i} was read as {l:?}"),
        }
    }
    let said = refused(&text.replacen('A', "*", 1));
    assert!(said.contains("damaged"), "{said}");
}

#[test]
fn a_long_link_and_a_zip_bomb_are_refused_before_unpacking() {
    let long = format!("#design={}", "A".repeat(MAX_LINK_CHARS));
    let said = refused(&long);
    assert!(said.contains("Share the drawing as a file"), "{said}");

    // Ten megabytes of spaces pack into a link of a few kilobytes.
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 10 << 20], 10);
    let text = format!("#design={}", URL_SAFE_NO_PAD.encode(bomb));
    assert!(text.len() < MAX_LINK_CHARS / 2, "{}", text.len());
    let said = refused(&text);
    assert!(
        said.contains(&format!("more than {} KiB", MAX_TEXT_BYTES / 1024)),
        "{said}"
    );

    // A drawing too large for a link is refused when the link is made.
    let e = link::format_design(&bloated(), 0, None).expect_err("too long");
    assert!(e.contains("Share the drawing as a file"), "{e}");
}

#[test]
fn a_drawing_that_is_not_a_scenario_names_the_link_line_and_column() {
    let text = "(title: \"x\", nodes: [(id: \"a\", kind: Nonsense)])";
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
    let said = refused(&format!("#design={}", URL_SAFE_NO_PAD.encode(packed)));
    assert!(said.contains("the link:1:"), "{said}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever follows the `#`, reading it never panics, and opening it
    /// either opens something or changes nothing.
    #[test]
    fn any_fragment_is_read_or_refused_in_a_sentence(
        text in "(design=|lesson=|t=|from=|&|[A-Za-z0-9_%.-]{0,40}){0,8}",
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        for fragment in [text.clone(), format!("#design={}", URL_SAFE_NO_PAD.encode(&bytes))] {
            match link::parse(&fragment) {
                Ok(Some(Link { .. })) | Ok(None) => {}
                Err(e) => prop_assert!(e.ends_with('.') || e.contains("the link:"), "{e}"),
            }
            let mut s = lesson(0);
            let before = state(&s);
            s.apply(Cmd::OpenLink(fragment.clone()));
            if s.notice.as_ref().is_some_and(|n| n.error) {
                prop_assert_eq!(state(&s), before);
            }
        }
    }
}

#[test]
fn settle_link_prints_a_link_that_opens_the_file_at_its_moment() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_settle"))
            .args(args)
            .output()
            .expect("settle runs")
    };
    let o = run(&[
        "link",
        "scenarios/04-outbox-and-cdc.ron",
        "--at",
        "1s",
        "--base",
        "https://example.org/settle/",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        text.starts_with("https://example.org/settle/#design="),
        "{text}"
    );
    assert!(text.ends_with("&t=1s&from=04-outbox-and-cdc"), "{text}");
    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::OpenLink(text));
    assert_eq!(s.doc.scenario, PRESETS[four()].load().expect("loads"));
    assert_eq!(s.player.as_ref().map(|p| p.now()), Some(1_000_000));

    let o = run(&["link", "scenarios/04-outbox-and-cdc.ron", "--at", "99s"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("after the end"));

    // A drawing too large for a link: share the file instead.
    let dir = tempfile::tempdir().expect("a folder");
    let big = dir.path().join("big.ron");
    let text = settle::scenario::to_ron(&bloated()).expect("writes");
    std::fs::write(&big, text).expect("writes");
    let o = run(&["link", big.to_str().expect("utf-8")]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Share the drawing as a file"), "{err}");
}

#[test]
fn a_link_given_as_a_path_opens_as_a_link() {
    // `settle open URL` and the Open a path field hand the link over as a path.
    let text = format!("https://example.org/settle/{}", remix());
    let mut s = Session::new(0.5, Default::default());
    s.apply(Cmd::Open(std::path::PathBuf::from(&text)));
    assert!(!s.welcome, "{:?}", s.notice);
    assert_eq!(s.doc.scenario, edited_four().doc.scenario);
    let mut t = Session::new(0.5, Default::default());
    t.apply(Cmd::Open(std::path::PathBuf::from("#lesson=04&t=0.5s")));
    assert_eq!(t.doc.name, "04-outbox-and-cdc.ron");
    assert_eq!(t.player.as_ref().map(|p| p.now()), Some(500_000));
}
