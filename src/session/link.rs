//! Links to a lesson at a moment, the part of a page address after `#`:
//! `#lesson=04-outbox-and-cdc&t=0.9s`. A teacher copies one from the app
//! and sends it to a class; opening it lands on that lesson at that moment,
//! paused. The lesson may be named by its file (with or without `.ron`) or
//! by its number alone (`04`), and the moment by any duration Settle reads
//! (`0.9s`, `900ms`).

use super::presets::PRESETS;
use crate::model::{Dur, Micros, parse_dur};

/// Where a link points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The preset's place in [`PRESETS`].
    pub lesson: usize,
    /// The moment, in microseconds of the run.
    pub at: Micros,
}

/// Reads a fragment (with or without its `#`). `Ok(None)` when it names no
/// lesson at all (an empty address opens the welcome view); an error says
/// in a sentence what in it could not be read.
pub fn parse(fragment: &str) -> Result<Option<Link>, String> {
    let text = fragment.trim().trim_start_matches('#');
    let mut lesson = None;
    let mut at = 0;
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match key {
            "lesson" => lesson = Some(find(&value)?),
            "t" => {
                at = parse_dur(&value)
                    .map_err(|e| format!("The link's moment cannot be read: {e}."))?
                    .0
            }
            // Other keys are for other tools (or later versions): pass over.
            _ => {}
        }
    }
    Ok(lesson.map(|lesson| Link { lesson, at }))
}

/// The fragment for a lesson at a moment, as [`parse`] reads it.
pub fn format(lesson: usize, at: Micros) -> Option<String> {
    let file = PRESETS.get(lesson)?.file;
    let name = file.strip_suffix(".ron").unwrap_or(file);
    // Whole milliseconds: what a person can tell apart on the timeline.
    let ms = Dur(at / 1_000 * 1_000);
    Some(format!("#lesson={name}&t={ms}"))
}

/// The preset a link's `lesson=` names.
fn find(name: &str) -> Result<usize, String> {
    let name = name.trim().trim_end_matches(".ron");
    let stem = |file: &str| file.strip_suffix(".ron").unwrap_or(file).to_string();
    if let Some(i) = PRESETS.iter().position(|p| stem(p.file) == name) {
        return Ok(i);
    }
    // A number alone: the one lesson whose file starts with it.
    let numbered: Vec<usize> = PRESETS
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.file
                .split_once('-')
                .is_some_and(|(number, _)| number == name)
        })
        .map(|(i, _)| i)
        .collect();
    match numbered.as_slice() {
        [i] => Ok(*i),
        _ => Err(format!(
            "The link names a lesson \"{name}\" that Settle does not have."
        )),
    }
}

/// Undoes the percent-encoding a browser may apply to an address.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::presets::index_of;

    #[test]
    fn a_lesson_and_a_moment_read_back_as_written() {
        let four = index_of("04-outbox-and-cdc.ron").expect("lesson 04");
        let link = parse("#lesson=04-outbox-and-cdc&t=0.9s").expect("reads");
        assert_eq!(
            link,
            Some(Link {
                lesson: four,
                at: 900_000
            })
        );
        assert_eq!(
            format(four, 912_345).as_deref(),
            Some("#lesson=04-outbox-and-cdc&t=912ms")
        );
        for (i, _) in PRESETS.iter().enumerate() {
            let text = format(i, 1_250_000).expect("formats");
            assert_eq!(
                parse(&text),
                Ok(Some(Link {
                    lesson: i,
                    at: 1_250_000
                }))
            );
        }
    }

    #[test]
    fn a_number_or_a_file_name_finds_the_lesson() {
        let four = index_of("04-outbox-and-cdc.ron").expect("lesson 04");
        assert_eq!(
            parse("lesson=04").map(|l| l.map(|l| l.lesson)),
            Ok(Some(four))
        );
        assert_eq!(
            parse("lesson=04-outbox-and-cdc.ron&t=900ms").map(|l| l.map(|l| l.at)),
            Ok(Some(900_000))
        );
        assert_eq!(
            parse("lesson=04%2Doutbox%2Dand%2Dcdc").map(|l| l.map(|l| l.lesson)),
            Ok(Some(four))
        );
    }

    #[test]
    fn no_lesson_is_no_link_and_a_wrong_one_says_so() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("#"), Ok(None));
        assert_eq!(parse("#t=1s"), Ok(None));
        let wrong = parse("#lesson=99-nothing").expect_err("no such lesson");
        assert!(wrong.contains("99-nothing"), "{wrong}");
        let time = parse("#lesson=04&t=soon").expect_err("bad moment");
        assert!(time.contains("moment"), "{time}");
    }
}
