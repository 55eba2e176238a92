//! Malformed and hostile scenario files: each gives an error that names the
//! file, line and column and says what is wrong, and nothing panics.

use settle::scenario::{Bounds, from_str, load_file};

const GOOD: &str = r#"(
    title: "t",
    nodes: [
        (id: "c", kind: Client()),
        (id: "s", kind: Service(table: "x")),
    ],
    links: [
        (from: "c", to: "s"),
    ],
    workload: [
        Request(at: "10ms", from: "c", to: "s", op: Read(id: "1")),
    ],
)"#;

/// Two peers of one table and a change to it, with STRATEGY and CHANGE to
/// fill in.
const PEERS: &str = r#"(
    title: "t",
    nodes: [
        (id: "c", kind: Client()),
        (id: "a", kind: Peer(table: "cart", strategy: STRATEGY)),
        (id: "b", kind: Peer(table: "cart", strategy: STRATEGY)),
    ],
    links: [
        (from: "c", to: "a"),
        (from: "a", to: "b"),
    ],
    workload: [
        Request(at: "10ms", from: "c", to: "a", op: Change(id: "c1", change: CHANGE)),
    ],
)"#;

/// (name, file text, expected line, expected column, words the message must contain)
fn cases() -> Vec<(&'static str, String, usize, usize, &'static str)> {
    let deep = format!(
        "(title: \"t\", nodes: {}{})",
        "[".repeat(200),
        "]".repeat(200)
    );
    let huge_count = GOOD.replace(
        r#"Request(at: "10ms", from: "c", to: "s", op: Read(id: "1")),"#,
        r#"Every(start: "0ms", every: "1ms", count: 4000000000, from: "c", to: "s", op: Read(id: "1")),"#,
    );
    let over_bound = GOOD.replace(
        r#"Request(at: "10ms", from: "c", to: "s", op: Read(id: "1")),"#,
        r#"Every(start: "0ms", every: "1ms", count: 20000000, from: "c", to: "s", op: Read(id: "1")),"#,
    );
    vec![
        (
            "truncated",
            GOOD[..GOOD.len() - 4].to_string(),
            11,
            0,
            "ends too early",
        ),
        (
            "wrong type",
            GOOD.replace(r#"title: "t""#, "title: 5"),
            2,
            0,
            "double quotes",
        ),
        (
            "unknown kind",
            GOOD.replace("Client()", "Cache()"),
            4,
            25,
            "not a node kind Settle knows; use one of: Client",
        ),
        (
            "dangling link",
            GOOD.replace(r#"(from: "c", to: "s")"#, r#"(from: "c", to: "paymnt")"#),
            8,
            25,
            "no node \"paymnt\"",
        ),
        (
            "negative latency",
            GOOD.replace(
                r#"(from: "c", to: "s")"#,
                r#"(from: "c", to: "s", latency: Fixed("-5ms"))"#,
            ),
            8,
            0,
            "negative",
        ),
        (
            "latency without unit",
            GOOD.replace(
                r#"(from: "c", to: "s")"#,
                r#"(from: "c", to: "s", latency: Fixed(5))"#,
            ),
            8,
            0,
            "no unit",
        ),
        ("absurd count", huge_count, 11, 0, ""),
        ("count over the bound", over_bound, 11, 0, "count must be"),
        ("deep nesting", deep, 1, 0, ""),
        (
            "unknown setting",
            GOOD.replace("Client()", "Client(speed: 3)"),
            4,
            0,
            "not a setting",
        ),
        (
            "duplicate id",
            GOOD.replace(r#"(id: "s", kind"#, r#"(id: "c", kind"#),
            5,
            0,
            "two nodes",
        ),
        (
            "probability above one",
            GOOD.replace(
                r#"(from: "c", to: "s")"#,
                r#"(from: "c", to: "s", loss: 1.5)"#,
            ),
            8,
            0,
            "probability",
        ),
        (
            "work after the end",
            GOOD.replace(r#"at: "10ms""#, r#"at: "10min""#),
            11,
            0,
            "after the run ends",
        ),
        (
            "write to a replica's broker",
            GOOD.replace(
                r#"Service(table: "x")"#,
                r#"Replica(broker: "c", topic: "t", table: "x")"#,
            ),
            5,
            0,
            "is a client, but a broker",
        ),
        (
            "a remove from a grow-only set",
            PEERS
                .replace("STRATEGY", "GSet")
                .replace("CHANGE", r#"Remove("bread")"#),
            0,
            0,
            "remove bread: a G-set (grow-only) cannot remove: an OR-set can",
        ),
        (
            "a decrement of a grow-only counter",
            PEERS
                .replace("STRATEGY", "GCounter")
                .replace("CHANGE", "Decrement(1)"),
            0,
            0,
            "a G-counter (grow-only) cannot count down",
        ),
        (
            "an add to a counter",
            PEERS
                .replace("STRATEGY", "PnCounter")
                .replace("CHANGE", r#"Add("milk")"#),
            0,
            0,
            "a counter is changed by Increment or Decrement",
        ),
        (
            "a change by nothing",
            PEERS
                .replace("STRATEGY", "PnCounter")
                .replace("CHANGE", "Increment(0)"),
            0,
            0,
            "a count changes by at least 1",
        ),
        (
            "a change sent to a service",
            GOOD.replace(
                r#"op: Read(id: "1")"#,
                r#"op: Change(id: "1", change: Add("milk"))"#,
            ),
            0,
            0,
            "goes to a peer of a multi-leader table",
        ),
        ("empty", String::new(), 1, 1, "empty"),
        ("garbage", "\u{0}\u{1}ÿ not ron".to_string(), 1, 0, ""),
    ]
}

#[test]
fn each_malformed_file_gives_a_located_plain_error() {
    for (name, text, line, col, words) in cases() {
        let result = std::panic::catch_unwind(|| from_str(&text, "lesson.ron"));
        let Ok(result) = result else {
            panic!("{name}: panicked")
        };
        let Err(e) = result else {
            panic!("{name}: accepted a bad file")
        };
        let shown = e.to_string();
        println!("{name}: {shown}");
        assert!(shown.starts_with("lesson.ron:"), "{name}: {shown}");
        assert!(e.line >= 1 && e.col >= 1, "{name}: {shown}");
        if line > 0 {
            assert_eq!(e.line, line, "{name}: wrong line in {shown}");
        }
        if col > 0 {
            assert_eq!(e.col, col, "{name}: wrong column in {shown}");
        }
        assert!(
            shown.contains(words),
            "{name}: message lacks \"{words}\": {shown}"
        );
        assert!(e.message.len() > 10, "{name}: message too short: {shown}");
    }
}

#[test]
fn the_good_file_loads() {
    let s = from_str(GOOD, "good.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.nodes.len(), 2);
}

#[test]
fn oversized_and_non_text_files_are_refused_without_reading_them_whole() {
    let dir = std::env::temp_dir().join(format!("settle-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let big = dir.join("big.ron");
    std::fs::write(&big, vec![b' '; Bounds::FILE_BYTES + 1]).expect("write");
    let e = load_file(&big).expect_err("too big");
    assert!(e.message.contains("limited to"), "{e}");
    let binary = dir.join("binary.ron");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).expect("write");
    let e = load_file(&binary).expect_err("not text");
    assert!(e.message.contains("UTF-8"), "{e}");
    let missing = load_file(&dir.join("nope.ron")).expect_err("missing");
    assert!(missing.to_string().contains("nope.ron"), "{missing}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_saved_scenario_reads_back_the_same() {
    for path in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).expect("dir") {
        let path = path.expect("entry").path();
        if path.file_name().is_some_and(|n| n == "quiz.ron") {
            continue;
        }
        let s = load_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = settle::scenario::to_ron(&s).expect("serialises");
        let back = from_str(&text, "saved.ron").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, s, "{}", path.display());
    }
}

mod mutated {
    use proptest::prelude::*;
    use settle::scenario::{Dur, from_str};
    use settle::sim::Engine;

    const PRESET: &str = include_str!("../scenarios/04-outbox-and-cdc.ron");

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Any corruption of a real scenario either loads (and then runs
        /// without panicking) or gives a located error; never a panic.
        #[test]
        fn corrupted_scenarios_never_panic(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..6),
        ) {
            let mut text: Vec<char> = PRESET.chars().collect();
            for (at, how, c) in edits {
                if text.is_empty() {
                    break;
                }
                let i = at.index(text.len());
                match how {
                    0 => text[i] = c,
                    1 => { text.remove(i); }
                    2 => text.insert(i, c),
                    _ => text.truncate(i),
                }
            }
            let text: String = text.into_iter().collect();
            match from_str(&text, "mutated.ron") {
                Ok(mut s) => {
                    s.until = s.until.min(Dur::secs(3));
                    if let Ok(mut engine) = Engine::new(&s, 1) {
                        engine.run();
                        let _ = settle::check::evaluate(&s, engine.trace());
                    }
                }
                Err(e) => prop_assert!(e.line >= 1 && e.col >= 1 && !e.message.is_empty()),
            }
        }
    }
}
