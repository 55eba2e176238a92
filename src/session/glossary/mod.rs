//! The words the lessons use, each explained in a sentence or two for a
//! learner: marked where they appear (the lesson card, the quiz, the
//! challenges) and listed in Help ▸ Glossary. A term is found by any of
//! its forms, whole words only, ignoring case. A word with two senses
//! ("partition": of a network, or of a log) is listed under both; the
//! words around it pick one (see [`find_in`]).

use std::ops::Range;

/// One term and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The name the glossary lists it under.
    pub term: &'static str,
    /// The ways a text may write it, in lower case (plurals included).
    pub forms: &'static [&'static str],
    pub means: &'static str,
    /// Words (lower case, whole) that show a form shared with another
    /// term means this one; empty for the sense a form has by default.
    pub cues: &'static [&'static str],
}

mod terms;

pub use terms::TERMS;

/// The first place each term appears in `text`, in text order: the byte
/// range of the words and the term. Longer forms win where forms overlap
/// ("transactional outbox" over "outbox"); a form two terms share takes
/// the sense the text's own words cue.
pub fn find(text: &str) -> Vec<(Range<usize>, &'static Term)> {
    find_in(text, "")
}

/// As [`find`], with `about` (the lesson's title and summary, say) also
/// read for cues: a lesson about a partitioned log means a log's
/// partition even where a sentence says only "partition".
pub fn find_in(text: &str, about: &str) -> Vec<(Range<usize>, &'static Term)> {
    let lower = text.to_ascii_lowercase();
    let about = about.to_ascii_lowercase();
    let cued = |t: &Term| {
        t.cues
            .iter()
            .any(|c| has_word(&lower, c) || has_word(&about, c))
    };
    let bytes = lower.as_bytes();
    let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    let mut found: Vec<(Range<usize>, &'static Term)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if (i > 0 && word(i - 1)) || !word(i) {
            i += 1;
            continue;
        }
        let rest = &lower[i..];
        let matching: Vec<(&'static Term, &str)> = TERMS
            .iter()
            .flat_map(|t| t.forms.iter().map(move |f| (t, *f)))
            .filter(|(_, f)| rest.starts_with(f) && !word(i + f.len()))
            .collect();
        let longest = matching.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
        let senses: Vec<(&'static Term, &str)> = matching
            .into_iter()
            .filter(|(_, f)| f.len() == longest)
            .collect();
        // The cued sense, else the one that needs no cue, else the first.
        let best = senses
            .iter()
            .find(|(t, _)| cued(t))
            .or_else(|| senses.iter().find(|(t, _)| t.cues.is_empty()))
            .or_else(|| senses.first())
            .copied();
        match best {
            Some((t, f)) => {
                if !found.iter().any(|(_, seen)| seen.term == t.term) {
                    found.push((i..i + f.len(), t));
                }
                i += f.len();
            }
            None => i += 1,
        }
    }
    found
}

/// Whether `phrase` occurs in `text` as whole words.
fn has_word(text: &str, phrase: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    text.match_indices(phrase)
        .any(|(i, _)| (i == 0 || !word(i - 1)) && !word(i + phrase.len()))
}

/// The terms whose name or meaning contains `query`, ignoring case; all
/// of them for an empty query.
pub fn search(query: &str) -> impl Iterator<Item = &'static Term> {
    let q = query.trim().to_lowercase();
    TERMS.iter().filter(move |t| {
        q.is_empty() || t.term.to_lowercase().contains(&q) || t.means.to_lowercase().contains(&q)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_first_occurrence_longest_form() {
        let text = "The transactional outbox beats a dual write; the outbox row is read by CDC. Sagas compensate.";
        let found: Vec<(&str, &str)> = find(text)
            .into_iter()
            .map(|(r, t)| (&text[r], t.term))
            .collect();
        assert_eq!(
            found,
            vec![
                ("transactional outbox", "outbox"),
                ("dual write", "dual write"),
                ("CDC", "change data capture (CDC)"),
                ("Sagas", "saga"),
            ]
        );
        // No match inside a longer word.
        assert!(find("outboxes sagacity").is_empty());
        // Byte ranges stay right after characters wider than one byte.
        let text = "eggs ‖ milk — siblings";
        let (r, t) = &find(text)[0];
        assert_eq!((&text[r.clone()], t.term), ("siblings", "sibling"));
    }

    #[test]
    fn terms_are_sorted_and_their_forms_lower_case() {
        let names: Vec<String> = TERMS.iter().map(|t| t.term.to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for t in TERMS {
            for f in t.forms {
                assert_eq!(*f, f.to_lowercase(), "{}", t.term);
            }
        }
        assert_eq!(search("LWW").count(), 0);
        assert!(search("last-writer").any(|t| t.term == "last-writer-wins"));
    }
}
