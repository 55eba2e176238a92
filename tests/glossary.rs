//! The glossary explains the words the course uses: every term appears
//! somewhere a learner reads (a lesson's narration or summary, a challenge,
//! the quiz), and every lesson's narration marks some term.

use settle::session::glossary::{TERMS, find};
use settle::session::presets::PRESETS;
use settle::session::quiz;

/// Everything a learner reads, by where it comes from.
fn texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in PRESETS {
        let s = p.load().expect("loads");
        out.push((p.file.to_string(), s.summary.clone()));
        for n in &s.narration {
            out.push((p.file.to_string(), n.text.clone()));
            if let Some(a) = &n.ask {
                out.push((p.file.to_string(), a.explain.clone()));
            }
        }
        for c in &s.challenges {
            out.push((c.title.clone(), c.task.clone()));
            out.extend(c.hints.iter().map(|h| (c.title.clone(), h.clone())));
        }
    }
    let q = quiz::load().expect("the quiz loads");
    for question in &q.questions {
        out.push(("quiz".into(), question.ask.clone()));
        out.push(("quiz".into(), question.explain.clone()));
    }
    out
}

#[test]
fn every_term_is_one_the_course_uses() {
    let texts = texts();
    let unused: Vec<&str> = TERMS
        .iter()
        .filter(|t| {
            !texts
                .iter()
                .any(|(_, text)| find(text).iter().any(|(_, f)| f.term == t.term))
        })
        .map(|t| t.term)
        .collect();
    assert!(unused.is_empty(), "terms nobody reads: {unused:?}");
}

#[test]
fn every_lesson_marks_some_term_in_its_narration() {
    for p in PRESETS {
        let s = p.load().expect("loads");
        let marked = s.narration.iter().any(|n| !find(&n.text).is_empty());
        assert!(marked, "{} marks no term", p.file);
    }
}
