//! Reading and writing scenario files, with errors that say where and why.

use std::fmt;
use std::path::Path;

use ron::extensions::Extensions;

use super::Scenario;
use super::locate::{line_col, offset_of};
use super::validate::validate;

/// Every size a file can ask for, bounded so that no file can make Settle
/// allocate without limit or run for ever. The numbers are documented in
/// the README's scenario reference.
#[derive(Clone, Copy, Debug)]
pub struct Bounds;

impl Bounds {
    /// Largest file read, in bytes.
    pub const FILE_BYTES: usize = 4 * 1024 * 1024;
    /// Deepest bracket nesting the parser follows.
    pub const NESTING: usize = 32;
    pub const NODES: usize = 10_000;
    pub const LINKS: usize = 100_000;
    pub const WORK_ITEMS: usize = 100_000;
    /// Requests one generator may fire, and all generators together.
    pub const GENERATED: u64 = 10_000_000;
    /// Distinct keys a generator may draw from.
    pub const RANDOM_KEYS: u32 = 1_000_000;
    pub const FAULTS: usize = 10_000;
    pub const NARRATION: usize = 1_000;
    pub const EXPECTATIONS: usize = 1_000;
    /// Named variants one scenario may declare.
    pub const VARIANTS: usize = 16;
    /// Longest id, in characters.
    pub const ID_CHARS: usize = 64;
    /// Longest text (titles, captions, values), in characters.
    pub const TEXT_CHARS: usize = 10_000;
    /// Challenges one lesson carries, hints one challenge gives, and the
    /// checks of its goal.
    pub const CHALLENGES: usize = 8;
    pub const HINTS: usize = 10;
    pub const GOAL: usize = 20;
    /// Design hints one drawing may dismiss.
    pub const DISMISSED_HINTS: usize = 1_000;
    /// Questions in the quiz.
    pub const QUESTIONS: usize = 200;
    /// Further readings one lesson lists, and the longest title and
    /// address of one, in characters.
    pub const READINGS: usize = 5;
    pub const READING_CHARS: usize = 200;
    pub const URL_CHARS: usize = 500;
}

/// A scenario that could not be loaded: where, and in a sentence, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

pub(super) fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(Bounds::NESTING)
}

/// Parses and checks scenario text; `file` names it in errors.
pub fn from_str(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let at = |line, col, message: String| ScenarioError {
        file: file.to_string(),
        line,
        col,
        message,
    };
    if src.len() > Bounds::FILE_BYTES {
        return Err(at(
            1,
            1,
            format!(
                "the file is {} bytes; scenarios are limited to {} bytes",
                src.len(),
                Bounds::FILE_BYTES
            ),
        ));
    }
    if src.trim().is_empty() {
        return Err(at(
            1,
            1,
            "the file is empty: a scenario starts with ( title: \"...\", nodes: [ ... ] )".into(),
        ));
    }
    if super::quiz::is_quiz(src) {
        return Err(at(
            1,
            1,
            "this is the course quiz, not a scenario: `settle validate` checks it, and the welcome view opens it".into(),
        ));
    }
    let scenario: Scenario = ron_options().from_str(src).map_err(|e| {
        at(
            e.span.start.line,
            e.span.start.col,
            plain_ron_message(&e.code),
        )
    })?;
    if let Some(problem) = validate(&scenario).into_iter().next() {
        let (line, col) = line_col(src, offset_of(src, &problem.place));
        return Err(at(line, col, problem.message));
    }
    Ok(scenario)
}

/// Reads a scenario file from disk.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = read_text(path)?;
    from_str(&text, &path.display().to_string())
}

/// Reads a file of Settle's (a scenario, the quiz) as text, refusing one
/// too large to be either.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let file = path.display().to_string();
    let fail = |message: String| ScenarioError {
        file: file.clone(),
        line: 1,
        col: 1,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot open the file: {e}")))?;
    if meta.len() > Bounds::FILE_BYTES as u64 {
        return Err(too_large(&file, meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    text_of(&file, bytes)
}

/// Reads a file handed over as bytes (a browser's file picker or a file
/// dropped on the page), with the same limits as one read from disk.
pub fn load_bytes(file: &str, bytes: Vec<u8>) -> Result<Scenario, ScenarioError> {
    if bytes.len() > Bounds::FILE_BYTES {
        return Err(too_large(file, bytes.len() as u64));
    }
    let text = text_of(file, bytes)?;
    from_str(&text, file)
}

fn too_large(file: &str, len: u64) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        line: 1,
        col: 1,
        message: format!(
            "the file is {len} bytes; scenarios are limited to {} bytes",
            Bounds::FILE_BYTES
        ),
    }
}

fn text_of(file: &str, bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: 1,
        col: 1,
        message: format!(
            "the file is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Writes a scenario as RON a person can read and edit.
pub fn to_ron(scenario: &Scenario) -> Result<String, ron::Error> {
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .extensions(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .struct_names(false);
    ron::ser::to_string_pretty(scenario, pretty)
}

/// ron's messages are written for programmers; these are for whoever wrote
/// the file.
pub(super) fn plain_ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends too early: a bracket or quote is not closed".to_string(),
        E::ExceededRecursionLimit => format!(
            "brackets are nested more than {} deep; a scenario never needs that",
            Bounds::NESTING
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = outer.as_deref().map(kind_word).unwrap_or("value");
            format!(
                "\"{found}\" is not a {what} Settle knows; use one of: {}",
                expected.join(", ")
            )
        }
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "\"{found}\" is not a setting of {}; the settings are: {}",
            outer.as_deref().unwrap_or("this item"),
            expected.join(", ")
        ),
        E::MissingStructField { field, outer } => format!(
            "{} needs a \"{field}\" setting",
            outer.as_deref().unwrap_or("this item")
        ),
        E::DuplicateStructField { field, .. } => format!("\"{field}\" is given twice"),
        E::Message(m) => m.clone(),
        E::ExpectedString | E::ExpectedStringEnd => {
            "a text in double quotes is needed here, like \"orders\"".to_string()
        }
        E::ExpectedInteger | E::IntegerOutOfBounds => {
            "a whole number is needed here, within the allowed range".to_string()
        }
        E::ExpectedFloat => "a number is needed here, like 0.25".to_string(),
        E::ExpectedBoolean => "true or false is needed here".to_string(),
        E::ExpectedArray => "a list in square brackets is needed here, like [ ... ]".to_string(),
        E::ExpectedArrayEnd => "the list is not closed: a `]` or a `,` is missing".to_string(),
        E::ExpectedComma => "a comma is missing between two items".to_string(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            "a group of settings in round brackets is needed here, like (id: \"a\", ...)"
                .to_string()
        }
        E::ExpectedStructLikeEnd => {
            "the group of settings is not closed: a `)` or a `,` is missing".to_string()
        }
        E::ExpectedMapColon => "a colon is missing after a setting's name".to_string(),
        E::ExpectedIdentifier => "a setting's name is needed here".to_string(),
        E::UnclosedBlockComment | E::UnclosedLineComment => "a comment is not closed".to_string(),
        E::TrailingCharacters => {
            "there is more text after the scenario's closing bracket".to_string()
        }
        E::UnexpectedChar(c) => format!("the character {c:?} does not belong here"),
        E::InvalidValueForType { expected, found } => {
            format!("{found} was given where {expected} is needed")
        }
        E::Utf8Error(_) => "the file is not UTF-8 text".to_string(),
        other => format!("this is not valid scenario syntax: {other}"),
    }
}

fn kind_word(outer: &str) -> &'static str {
    match outer {
        "NodeKind" => "node kind",
        "Latency" => "latency shape",
        "Fault" => "fault",
        "Work" => "kind of work",
        "Op" => "request",
        "Expectation" => "expectation",
        "Trigger" => "trigger",
        "Delivery" => "delivery guarantee",
        "ValueSpec" => "value",
        _ => "name",
    }
}
