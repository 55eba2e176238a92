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
}
