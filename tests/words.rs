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

/// "Left" and "right" in a step must match the drawing: the nodes it
/// highlights lie further apart across than down.
#[test]
fn left_and_right_mean_what_the_drawing_shows() {
    let said = [
        "left:",
        "right:",
        "on the left",
        "on the right",
        "(left)",
        "(right)",
    ];
    let mut wrong = Vec::new();
    for path in common::presets() {
        if common::is_quiz(&path) {
            continue;
        }
        let s = common::load(&path);
        for (i, step) in s.narration.iter().enumerate() {
            let text = step.text.to_lowercase();
            if !said.iter().any(|w| text.contains(w)) {
                continue;
            }
            let at: Vec<(f32, f32)> = s
                .nodes
                .iter()
                .filter(|n| step.focus.contains(&n.id))
                .map(|n| n.pos)
                .collect();
            let spread = |f: fn(&(f32, f32)) -> f32| {
                let v: Vec<f32> = at.iter().map(f).collect();
                v.iter().copied().fold(f32::MIN, f32::max)
                    - v.iter().copied().fold(f32::MAX, f32::min)
            };
            if at.len() < 2 || spread(|p| p.0) < spread(|p| p.1) {
                wrong.push(format!(
                    "{} step {}: says left or right of nodes drawn one above the other",
                    path.display(),
                    i + 1
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
