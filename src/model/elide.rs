//! Cutting a label to the room it has, with an ellipsis: the app measures
//! with egui's fonts and the export with its own, so the measure is the
//! caller's and the search is shared.

/// `text` if it fits, else its longest prefix that fits with "…" after it
/// (just "…" when nothing does). `fits` must grow false as text lengthens.
pub fn elide_with(text: &str, fits: impl Fn(&str) -> bool) -> String {
    if fits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let t: String = chars[..mid].iter().collect::<String>() + "…";
        if fits(&t) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>() + "…"
}

/// Like [`elide_with`] for a node's name: a name ending in a parenthesis
/// ("Orders DB (left)") keeps the parenthesis and loses letters before it
/// ("Orders… (left)"), since that is where such names tell two nodes
/// apart. Falls back to cutting the end when the parenthesis alone leaves
/// no room for two letters of what comes before.
pub fn elide_name(text: &str, fits: impl Fn(&str) -> bool) -> String {
    if fits(text) {
        return text.to_string();
    }
    if text.ends_with(')')
        && let Some(i) = text.rfind(" (")
    {
        let (head, tail) = text.split_at(i);
        let kept = elide_with(head, |h| fits(&format!("{h}{tail}")));
        if kept.chars().count() > 2 {
            return kept + tail;
        }
    }
    elide_with(text, fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_that_fits_is_kept() {
        let fits = |t: &str| t.chars().count() <= 5;
        assert_eq!(elide_with("abc", fits), "abc");
        assert_eq!(elide_with("abcdefgh", fits), "abcd…");
        assert_eq!(elide_with("abcdefgh", |_| false), "…");
    }

    #[test]
    fn a_name_keeps_the_parenthesis_that_tells_it_apart() {
        let fits = |t: &str| t.chars().count() <= 14;
        assert_eq!(elide_name("Orders DB (left)", fits), "Orders… (left)");
        assert_eq!(elide_name("Orders DB (right)", fits), "Order… (right)");
        assert_eq!(elide_name("Short (x)", fits), "Short (x)");
        // No room before the parenthesis: the end is cut instead.
        assert_eq!(elide_name("Ab (a very long note)", fits), "Ab (a very lo…");
        assert_eq!(elide_name("No parenthesis here", fits), "No parenthesi…");
    }
}
