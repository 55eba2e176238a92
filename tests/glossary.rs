//! The glossary explains the words the course uses: every term appears
//! somewhere a learner reads (a lesson's narration or summary, a challenge,
//! the quiz), and every lesson's narration marks some term.

use settle::scenario::NodeKind;
use settle::session::glossary::{TERMS, find, find_in};
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

/// Every "partition" a learner reads explains the sense it has there: a
/// log's partition in a lesson that draws a partitioned log (and in a
/// quiz question about one), a network partition everywhere else.
#[test]
fn partition_means_the_logs_in_log_lessons_and_the_networks_elsewhere() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut check = |place: &str, text: &str, about: &str, logs: bool| {
        let want = if logs {
            "partition (of a log)"
        } else {
            "network partition"
        };
        for (r, t) in find_in(text, about) {
            let word = text[r].to_lowercase();
            if word == "partition" || word == "partitions" {
                checked += 1;
                if t.term != want {
                    wrong.push(format!("{place}: \"{text}\" marks {}", t.term));
                }
            }
        }
    };
    let mut log_lessons = Vec::new();
    for p in PRESETS {
        let s = p.load().expect("loads");
        let logs = s.nodes.iter().any(|n| matches!(n.kind, NodeKind::Log(_)));
        if logs {
            log_lessons.push(p.file);
        }
        let about = format!("{} {}", s.title, s.summary);
        check(p.file, &s.summary, &about, logs);
        for n in &s.narration {
            check(p.file, &n.text, &about, logs);
            if let Some(a) = &n.ask {
                check(p.file, &a.explain, &about, logs);
            }
        }
        for c in &s.challenges {
            check(p.file, &c.task, &c.task, logs);
        }
    }
    let q = quiz::load().expect("the quiz loads");
    for question in &q.questions {
        let logs = log_lessons.contains(&question.show_me.lesson.as_str());
        let about = format!("{} {}", question.ask, question.explain);
        check("quiz", &question.ask, &about, logs);
        check("quiz", &question.explain, &about, logs);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 6, "only {checked} uses of partition checked");
    // Without a cue, the word keeps its network sense; a cue in the text
    // itself is enough.
    let (_, t) = &find("The partition heals.")[0];
    assert_eq!(t.term, "network partition");
    let (_, t) = &find("The topic's first partition.")[0];
    assert_eq!(t.term, "partition (of a log)");
}
