//! Colours and sizes shared by every view, chosen to read on a projector:
//! strong hues for node kinds, and three unmistakable states for copies
//! (agrees, stale, conflicting).

use egui::Color32;

use crate::scenario::Kind;

/// The accent colour of a node kind.
pub fn kind_color(kind: Kind) -> Color32 {
    let [r, g, b] = kind.rgb();
    Color32::from_rgb(r, g, b)
}

/// A copy that matches its owner.
pub const AGREES: Color32 = Color32::from_rgb(0x2e, 0x9e, 0x5b);
/// A copy behind its owner.
pub const STALE: Color32 = Color32::from_rgb(0xe0, 0x9f, 0x1f);
/// A copy that holds something its owner never had.
pub const CONFLICT: Color32 = Color32::from_rgb(0xd6, 0x3b, 0x3b);
/// Faults, drops and cuts.
pub const FAULT: Color32 = Color32::from_rgb(0xd6, 0x3b, 0x3b);
/// Narration marks and the current-time line.
pub const NARRATION: Color32 = Color32::from_rgb(0x3a, 0x86, 0xff);
pub const NOW: Color32 = Color32::from_rgb(0xff, 0x5d, 0x8f);
/// A message's colour by its kind word.
pub fn message_color(kind: &str) -> Color32 {
    match kind {
        "write" | "read" => Color32::from_rgb(0x45, 0x9b, 0xd8),
        "written" | "answer" | "refused" => Color32::from_rgb(0x57, 0xb8, 0x7a),
        "db write" | "db read" | "committed" | "db result" => Color32::from_rgb(0xe7, 0x6f, 0x51),
        "event" => Color32::from_rgb(0xb0, 0x7c, 0xf0),
        "ack" => Color32::from_rgb(0x9a, 0x9a, 0x9a),
        _ => Color32::GRAY,
    }
}

/// Text colour that reads on `bg`.
pub fn on(bg: Color32) -> Color32 {
    let l = 0.299 * f32::from(bg.r()) + 0.587 * f32::from(bg.g()) + 0.114 * f32::from(bg.b());
    if l > 150.0 {
        Color32::from_gray(20)
    } else {
        Color32::WHITE
    }
}
