//! Finds where in a RON file a checked value was written, so that an error
//! found after parsing (a link to a node that does not exist) can still name
//! the line and column. serde hands us values without positions; this
//! scanner recovers them from the text, knowing only RON's brackets,
//! strings and comments.

use std::ops::Range;

/// A place in a scenario, as the validator names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Where {
    /// Top-level field: `"nodes"`, `"links"`, `"workload"`...
    pub section: &'static str,
    /// Item within that list, when the section is a list.
    pub index: Option<usize>,
    /// A field inside the item (`to`), or a quoted value inside it.
    pub detail: Detail,
    /// Outer places whose bracketed values this one lies inside, outermost
    /// first: a challenge's own drawing is a scenario within a scenario.
    pub within: Vec<Where>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    None,
    Field(&'static str),
    /// A string literal with this content.
    Text(String),
}

impl Where {
    pub fn section(section: &'static str) -> Self {
        Where {
            section,
            index: None,
            detail: Detail::None,
            within: Vec::new(),
        }
    }

    pub fn item(section: &'static str, index: usize) -> Self {
        Where {
            section,
            index: Some(index),
            detail: Detail::None,
            within: Vec::new(),
        }
    }

    pub fn field(section: &'static str, index: usize, field: &'static str) -> Self {
        Where {
            section,
            index: Some(index),
            detail: Detail::Field(field),
            within: Vec::new(),
        }
    }

    pub fn text(section: &'static str, index: usize, text: &str) -> Self {
        Where {
            section,
            index: Some(index),
            detail: Detail::Text(text.to_string()),
            within: Vec::new(),
        }
    }

    /// The same place, inside the value found at `outer`.
    pub fn inside(mut self, outer: Where) -> Self {
        self.within.insert(0, outer);
        self
    }
}

/// Byte offset of the best match for `place`, or of the nearest enclosing
/// thing that could be found (the item, the section, the file start).
pub fn offset_of(src: &str, place: &Where) -> usize {
    let (mut base, mut end) = (0, src.len());
    for outer in &place.within {
        let Some(text) = src.get(base..end) else {
            break;
        };
        let at = offset_in(text, outer);
        match bracketed(text, at) {
            Some(range) => (base, end) = (base + range.start, base + range.end),
            None => return base + at,
        }
    }
    base + src.get(base..end).map_or(0, |text| offset_in(text, place))
}

/// The bracketed value starting at or after `at`, up to its closing
/// bracket.
fn bracketed(src: &str, at: usize) -> Option<Range<usize>> {
    let tokens = scan(src);
    let open = tokens.iter().find(|t| t.at >= at && t.kind == Kind::Open)?;
    let close = tokens
        .iter()
        .find(|t| t.at > open.at && t.kind == Kind::Close && t.depth == open.depth)?;
    Some(open.at..close.end)
}

/// [`offset_of`] for a place directly in `src`'s outermost brackets.
fn offset_in(src: &str, place: &Where) -> usize {
    let tokens = scan(src);
    let Some(section) = top_level_keys(&tokens, src)
        .into_iter()
        .find(|(name, _)| *name == place.section)
    else {
        return 0;
    };
    let section_range = section.1;
    let Some(index) = place.index else {
        return section_range.start;
    };
    let items = list_items(&tokens, section_range.clone());
    let Some(item) = items.get(index) else {
        return section_range.start;
    };
    let found = match &place.detail {
        Detail::None => None,
        Detail::Field(name) => find_field(&tokens, src, item.clone(), name),
        Detail::Text(text) => tokens.iter().find_map(|t| {
            (t.kind == Kind::Str
                && item.contains(&t.at)
                && src.get(t.at + 1..t.end - 1) == Some(text))
            .then_some(t.at)
        }),
    };
    found.unwrap_or(item.start)
}

/// The names set directly in the outermost brackets, in file order.
pub fn top_level_names(src: &str) -> Vec<&str> {
    let tokens = scan(src);
    top_level_keys(&tokens, src)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = src.get(..offset.min(src.len())).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Comma,
    Colon,
    Str,
    Word,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    at: usize,
    end: usize,
    depth: usize,
}

/// Splits the text into the few tokens the locator needs, with the bracket
/// depth at which each stands. Unterminated strings and comments end the
/// scan quietly: the parser has already reported them.
fn scan(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        match c {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.push(Token {
                    kind: Kind::Str,
                    at: start,
                    end: i,
                    depth,
                });
                continue;
            }
            b'(' | b'[' | b'{' => {
                out.push(Token {
                    kind: Kind::Open,
                    at: i,
                    end: i + 1,
                    depth,
                });
                depth += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                out.push(Token {
                    kind: Kind::Close,
                    at: i,
                    end: i + 1,
                    depth,
                });
            }
            b',' => out.push(Token {
                kind: Kind::Comma,
                at: i,
                end: i + 1,
                depth,
            }),
            b':' => out.push(Token {
                kind: Kind::Colon,
                at: i,
                end: i + 1,
                depth,
            }),
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
                {
                    i += 1;
                }
                out.push(Token {
                    kind: Kind::Word,
                    at: start,
                    end: i,
                    depth,
                });
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `name: ...` pairs directly inside the outermost brackets, with the byte
/// range each covers.
fn top_level_keys<'a>(tokens: &[Token], src: &'a str) -> Vec<(&'a str, Range<usize>)> {
    let mut keys: Vec<(&str, usize)> = Vec::new();
    for pair in tokens.windows(2) {
        let (word, colon) = (pair[0], pair[1]);
        if word.kind == Kind::Word
            && word.depth == 1
            && colon.kind == Kind::Colon
            && let Some(name) = src.get(word.at..word.end)
        {
            keys.push((name, word.at));
        }
    }
    let mut out = Vec::with_capacity(keys.len());
    for (i, (name, at)) in keys.iter().enumerate() {
        let end = keys.get(i + 1).map_or(src.len(), |k| k.1);
        out.push((*name, *at..end));
    }
    out
}

/// The byte range of each item of the list in `section`.
fn list_items(tokens: &[Token], section: Range<usize>) -> Vec<Range<usize>> {
    let mut items = Vec::new();
    let mut open: Option<usize> = None;
    let mut start: Option<usize> = None;
    for t in tokens.iter().filter(|t| section.contains(&t.at)) {
        match (t.kind, t.depth) {
            (Kind::Open, 1) if open.is_none() => open = Some(t.at),
            (Kind::Comma, 2) | (Kind::Close, 1) => {
                if let Some(s) = start.take() {
                    items.push(s..t.at);
                }
                if t.kind == Kind::Close {
                    break;
                }
            }
            (_, d) if d >= 2 && open.is_some() && start.is_none() => start = Some(t.at),
            _ => {}
        }
    }
    items
}

fn find_field(tokens: &[Token], src: &str, item: Range<usize>, name: &str) -> Option<usize> {
    tokens.windows(3).find_map(|w| {
        let hit = w[0].kind == Kind::Word
            && item.contains(&w[0].at)
            && w[1].kind == Kind::Colon
            && src.get(w[0].at..w[0].end) == Some(name);
        hit.then_some(w[2].at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"(
    title: "t", // a comment with "quotes" and links:
    nodes: [
        (id: "a", kind: Client()),
        (id: "b", kind: Service(table: "x")),
    ],
    links: [
        (from: "a", to: "b"),
        (from: "b", to: "nowhere"),
    ],
)"#;

    #[test]
    fn finds_a_field_in_the_second_item() {
        let at = offset_of(SRC, &Where::field("links", 1, "to"));
        assert_eq!(line_col(SRC, at), (9, 25));
    }

    #[test]
    fn finds_a_quoted_value() {
        let at = offset_of(SRC, &Where::text("nodes", 1, "x"));
        assert_eq!(&SRC[at..at + 3], "\"x\"");
    }

    #[test]
    fn finds_a_place_inside_a_nested_value() {
        let src = r#"(
    title: "outer",
    challenges: [
        (title: "one", start: (nodes: [(id: "x")])),
        (title: "two", start: (
            nodes: [(id: "a"), (id: "b", kind: Client())],
        ), goal: [Dropped(at_least: 1), Converged(table: "t")]),
    ],
)"#;
        let inner = Where::field("nodes", 1, "kind")
            .inside(Where::section("start"))
            .inside(Where::item("challenges", 1));
        let at = offset_of(src, &inner);
        assert_eq!(&src[at..at + 6], "Client");
        let goal = Where::text("goal", 1, "t").inside(Where::item("challenges", 1));
        let at = offset_of(src, &goal);
        assert_eq!(&src[at..at + 3], "\"t\"");
    }

    #[test]
    fn falls_back_to_the_section() {
        let at = offset_of(SRC, &Where::item("links", 7));
        assert_eq!(line_col(SRC, at), (7, 5));
    }
}
