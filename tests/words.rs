//! The words of a lesson match its screen: a step names nodes as the
//! drawing labels them, never by an id the learner cannot see, and a node a
//! step names by its full name is among those it highlights.

mod common;

/// Whether `word` occurs in `text` as a whole word (ids contain hyphens,
/// so a hyphen counts as part of a word).
fn has_word(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

#[test]
fn steps_name_nodes_as_the_drawing_does() {
    let mut wrong = Vec::new();
    for path in common::presets() {
        if common::is_quiz(&path) {
            continue;
        }
        let s = common::load(&path);
        for (i, step) in s.narration.iter().enumerate() {
            for n in &s.nodes {
                let name = n.label();
                // An id that is not also how the drawing names the node.
                if !name.eq_ignore_ascii_case(&n.id)
                    && n.id.contains('-')
                    && has_word(&step.text, &n.id)
                {
                    wrong.push(format!(
                        "{} step {}: says {:?}, an id; the drawing says {name:?}",
                        path.display(),
                        i + 1,
                        n.id
                    ));
                }
                // A node named in full is highlighted.
                if name.contains(' ') && step.text.contains(name) && !step.focus.contains(&n.id) {
                    wrong.push(format!(
                        "{} step {}: names {name:?} but does not highlight it",
                        path.display(),
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
