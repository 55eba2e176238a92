//! Further reading: every lesson ends with two or three public references
//! for the mechanism it shows, the README lists the same ones, and a file
//! can only offer short titles with `https://` addresses.

use settle::scenario;
use settle::session::presets::PRESETS;

#[test]
fn every_lesson_lists_two_or_three_readings_and_the_readme_the_same() {
    let readme = include_str!("../README.md");
    for p in PRESETS {
        let s = p.load().unwrap_or_else(|e| panic!("{e}"));
        let n = s.further_reading.len();
        assert!((2..=3).contains(&n), "{} lists {n} readings", p.file);
        let number = p.file.split('-').next().unwrap_or("");
        let line = readme
            .lines()
            .find(|l| l.starts_with(&format!("- {number}: ")))
            .unwrap_or_else(|| panic!("the README has no reading line for {number}"));
        for r in &s.further_reading {
            assert!(r.url.starts_with("https://"), "{}: {}", p.file, r.url);
            let link = format!("[{}]({})", r.title, r.url);
            assert!(line.contains(&link), "README line {number} lacks {link}");
        }
    }
}

#[test]
fn a_reading_needs_a_title_and_a_web_address() {
    let base = |reading: &str| {
        format!(r#"(title: "t", further_reading: [{reading}], nodes: [(id: "a", kind: Client())])"#)
    };
    let ok = base(
        r#"(title: "Pattern: Saga", url: "https://microservices.io/patterns/data/saga.html")"#,
    );
    let s = scenario::from_str(&ok, "ok.ron").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.further_reading.len(), 1);
    let many = r#"(title: "x", url: "https://a.example/"), "#.repeat(6);
    let cases = [
        (
            r#"(title: "x", url: "javascript:alert(1)")"#,
            "not a web address",
        ),
        (
            r#"(title: "x", url: "https://no host")"#,
            "not a web address",
        ),
        (r#"(title: "", url: "https://a.example/")"#, "needs a title"),
        (many.as_str(), "at most 5"),
    ];
    for (reading, says) in cases {
        let e = scenario::from_str(&base(reading), "bad.ron").expect_err(says);
        assert!(e.message.contains(says), "{reading}: {e}");
        assert_eq!(e.line, 1, "{e}");
    }
}
