//! Links, the part of a page address after `#`. A teacher copies one
//! from the app and sends it to a class; opening it lands on a lesson or a
//! drawing at a moment, paused.
//!
//! - A lesson as it ships: `#lesson=04-outbox-and-cdc&t=0.9s`, the lesson
//!   named by its file (with or without `.ron`) or by its number alone
//!   (`04`).
//! - Any drawing: `#design=…&t=1.2s&from=04-outbox-and-cdc`, the drawing
//!   itself packed into the link (see [`packed`]), and, when it started as
//!   a lesson, that lesson, to compare the remix with.
//!
//! The moment may be any duration Settle reads (`0.9s`, `900ms`).

pub mod packed;

use super::presets::PRESETS;
use crate::model::{Dur, Micros, parse_dur};
use crate::scenario::Scenario;

/// What a link opens.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A preset, by its place in [`PRESETS`].
    Lesson(usize),
    /// A drawing carried in the link, and the preset it started as.
    Design {
        scenario: Box<Scenario>,
        from: Option<usize>,
    },
}

/// Where a link points.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub target: Target,
    /// The moment, in microseconds of the run.
    pub at: Micros,
}

/// Whether `text` is meant as a link rather than a file's path: a web
/// address, or anything holding a link's fragment.
pub fn is_link(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("http://")
        || t.starts_with("https://")
        || ["design=", "lesson="]
            .iter()
            .any(|k| t.contains(&format!("#{k}")) || t.starts_with(k))
}

/// The fragment of a link given whole (`https://…/#design=…`) or as its
/// fragment alone.
pub fn fragment_of(text: &str) -> &str {
    let t = text.trim();
    t.split_once('#').map_or(t, |(_, f)| f)
}

/// Reads a fragment (with or without its `#`). `Ok(None)` when it names no
/// lesson and no drawing (an empty address opens the welcome view); an
/// error says in a sentence what in it could not be read.
pub fn parse(fragment: &str) -> Result<Option<Link>, String> {
    let text = fragment.trim().trim_start_matches('#');
    if text.len() > packed::MAX_LINK_CHARS {
        return Err(packed::too_long(text.len()));
    }
    let mut lesson = None;
    let mut design = None;
    let mut from = None;
    let mut at = 0;
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match key {
            "lesson" => lesson = Some(find(&value)?),
            "design" => design = Some(value),
            // An origin this copy of Settle does not know (a newer
            // lesson) costs only the comparison, not the drawing.
            "from" => from = find(&value).ok(),
            "t" => {
                at = parse_dur(&value)
                    .map_err(|e| format!("The link's moment cannot be read: {e}."))?
                    .0
            }
            // Other keys are for other tools (or later versions): pass over.
            _ => {}
        }
    }
    let target = match (design, lesson) {
        (Some(d), _) => Target::Design {
            scenario: Box::new(packed::unpack(&d)?),
            from,
        },
        (None, Some(l)) => Target::Lesson(l),
        (None, None) => return Ok(None),
    };
    Ok(Some(Link { target, at }))
}

/// The fragment for a lesson at a moment, as [`parse`] reads it.
pub fn format(lesson: usize, at: Micros) -> Option<String> {
    let name = stem(PRESETS.get(lesson)?.file);
    Some(format!("#lesson={name}&t={}", moment(at)))
}

/// The fragment carrying a drawing at a moment, and the lesson it started
/// as; an error when it would be too long to share.
pub fn format_design(s: &Scenario, at: Micros, from: Option<usize>) -> Result<String, String> {
    let mut text = format!("#design={}&t={}", packed::pack(s)?, moment(at));
    if let Some(p) = from.and_then(|i| PRESETS.get(i)) {
        text.push_str("&from=");
        text.push_str(stem(p.file));
    }
    if text.len() > packed::MAX_LINK_CHARS {
        return Err(packed::too_long(text.len()));
    }
    Ok(text)
}

/// Whole milliseconds: what a person can tell apart on the timeline.
fn moment(at: Micros) -> Dur {
    Dur(at / 1_000 * 1_000)
}

fn stem(file: &str) -> &str {
    file.strip_suffix(".ron").unwrap_or(file)
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
                target: Target::Lesson(four),
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
                    target: Target::Lesson(i),
                    at: 1_250_000
                }))
            );
        }
    }

    #[test]
    fn a_number_or_a_file_name_finds_the_lesson() {
        let four = index_of("04-outbox-and-cdc.ron").expect("lesson 04");
        assert_eq!(
            parse("lesson=04").map(|l| l.map(|l| l.target)),
            Ok(Some(Target::Lesson(four)))
        );
        assert_eq!(
            parse("lesson=04-outbox-and-cdc.ron&t=900ms").map(|l| l.map(|l| l.at)),
            Ok(Some(900_000))
        );
        assert_eq!(
            parse("lesson=04%2Doutbox%2Dand%2Dcdc").map(|l| l.map(|l| l.target)),
            Ok(Some(Target::Lesson(four)))
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
