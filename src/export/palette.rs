//! The colours of exported pictures: the app's hues for kinds, messages
//! and states, on a white page (slides and handouts are printed and
//! projected on white far more often than on dark).

use super::svg::Rgb;
use crate::scenario::Kind;

/// The page.
pub const PAGE: Rgb = Rgb::WHITE;
/// Body text.
pub const INK: Rgb = Rgb(0x1f, 0x23, 0x28);
/// Secondary text: times, kind words, notes.
pub const WEAK: Rgb = Rgb(0x57, 0x60, 0x6a);
/// Links and quiet lines.
pub const LINE: Rgb = Rgb(0x8c, 0x95, 0x9f);
/// Every other row of the diagram.
pub const BAND: Rgb = Rgb(0xf3, 0xf4, 0xf6);
/// Faults, drops and cuts (the app's colour for them).
pub const FAULT: Rgb = Rgb(0xd6, 0x3b, 0x3b);
/// Narration marks (the app's colour for them).
pub const NARRATION: Rgb = Rgb(0x3a, 0x86, 0xff);
/// A copy behind its owner; a stale read.
pub const STALE: Rgb = Rgb(0xe0, 0x9f, 0x1f);
/// A request whose answer never came in time: its outcome is unknown
/// (neither a refusal's green nor an error's red).
pub const UNKNOWN: Rgb = Rgb(UNKNOWN_RGB[0], UNKNOWN_RGB[1], UNKNOWN_RGB[2]);
/// [`UNKNOWN`] as bytes, for the app's theme.
pub const UNKNOWN_RGB: [u8; 3] = [0xc2, 0x18, 0x7a];
/// A crashed node's box.
pub const DOWN: Rgb = Rgb(0xc9, 0xcd, 0xd2);

/// A node kind's accent colour.
pub fn kind(k: Kind) -> Rgb {
    Rgb::from_array(k.rgb())
}

/// A message's colour by its kind word ([`crate::model::Body::kind`]):
/// requests blue, answers green, database traffic the database's orange,
/// events purple, acknowledgements grey. The app draws with the same.
pub fn message_rgb(kind: &str) -> [u8; 3] {
    match kind {
        "write" | "read" => [0x45, 0x9b, 0xd8],
        "written" | "answer" | "refused" => [0x57, 0xb8, 0x7a],
        // A refused versioned write: the warning a learner must notice.
        "conflict" | "db conflict" => [0xe0, 0x5a, 0x5a],
        "db write" | "db read" | "committed" | "db result" => [0xe7, 0x6f, 0x51],
        "event" | "fetch" | "batch" => [0xb0, 0x7c, 0xf0],
        "ack" => [0x9a, 0x9a, 0x9a],
        _ => [0xa0, 0xa0, 0xa0],
    }
}

/// [`message_rgb`] as an [`Rgb`].
pub fn message(kind: &str) -> Rgb {
    Rgb::from_array(message_rgb(kind))
}
