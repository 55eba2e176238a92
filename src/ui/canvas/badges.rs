//! State words on a node: design hints, crashed, how far behind, a log
//! consumer's lag and the data it holds, as tabs and pills on a box or
//! above and below a name plate.

use egui::{Align2, Color32, FontId, Painter, Rect, pos2, vec2};

use crate::ui::theme;

/// What a node says about its state, beside its name.
pub struct Badges<'h> {
    pub crashed: bool,
    /// The badges of its design hints (`DUAL WRITE`).
    pub hints: Vec<&'h str>,
    /// How far behind its owner a copy is, in ms (0 when caught up).
    pub behind: Option<f64>,
    /// A log consumer's lag, in events.
    pub lag: Option<u32>,
    /// Its data now, in a few words, and whether it waits on something.
    pub data: Option<(&'h str, bool)>,
}

/// A log consumer's lag as a pill on the bottom edge of its box, left
/// (design hints take the top edge, the data badge the bottom right):
/// amber while its group has events to commit, green at zero.
fn lag_pill(painter: &Painter, r: Rect, size: f32, lag: u32) -> Rect {
    let c = if lag > 0 { theme::STALE } else { theme::AGREES };
    let galley = painter.layout_no_wrap(
        format!("lag {lag}"),
        FontId::proportional(size),
        theme::on(c),
    );
    let at = pos2(r.min.x + size, r.max.y - galley.size().y * 0.5);
    let pill = Rect::from_min_size(at, galley.size()).expand2(vec2(size * 0.4, 1.0));
    painter.rect_filled(pill, size * 0.4, c);
    painter.galley(at, galley, theme::on(c));
    pill
}

/// State words on a box: crashed and the design hints as tabs on its top
/// edge, a log consumer's lag and its data on the bottom edge; inside, how
/// far behind. Returns the tabs and pills that stand out of the box, for
/// names hung under boxes to keep clear of.
pub fn box_badges(painter: &Painter, r: Rect, zoom: f32, b: &Badges, fill: Color32) -> Vec<Rect> {
    let mut out = Vec::new();
    let size = (15.0 * zoom).clamp(6.0, 30.0);
    // Badges carry the lesson's point (a dual write, a lag, a crash): never
    // smaller than 10 points, however far the drawing is zoomed out.
    let badge = (size * 0.72).max(10.0);
    if let Some(lag) = b.lag
        && !b.crashed
    {
        out.push(lag_pill(painter, r, badge, lag));
    }
    // Crashed and the design hints share the top edge as one row of tabs,
    // left to right, so none is drawn over another however narrow the box.
    let mut tabs: Vec<(String, Color32)> = Vec::new();
    if b.crashed {
        tabs.push(("CRASHED".into(), theme::FAULT));
    }
    tabs.extend(b.hints.iter().map(|w| (format!("⚠ {w}"), theme::STALE)));
    let mut x = r.min.x + 10.0 * zoom;
    for (word, c) in tabs {
        let galley = painter.layout_no_wrap(word, FontId::proportional(badge), theme::on(c));
        let at = pos2(x, r.min.y - galley.size().y * 0.5);
        let tab = Rect::from_min_size(at, galley.size()).expand2(vec2(4.0, 1.0) * zoom.sqrt());
        painter.rect_filled(tab, 4.0 * zoom.sqrt(), c);
        out.push(tab);
        painter.galley(at, galley, theme::on(c));
        // Past this tab's padding and the next one's, with a gap.
        x = tab.max.x + 4.0 * zoom.sqrt() + 3.0;
    }
    if let Some((text, waiting)) = b.data {
        let c = if waiting { theme::STALE } else { theme::AGREES };
        let galley =
            painter.layout_no_wrap(text.to_string(), FontId::proportional(badge), theme::on(c));
        let at = pos2(
            r.max.x - 10.0 * zoom - galley.size().x,
            r.max.y - galley.size().y * 0.5,
        );
        let tab = Rect::from_min_size(at, galley.size()).expand2(vec2(4.0, 1.0) * zoom.sqrt());
        painter.rect_filled(tab, 4.0 * zoom.sqrt(), c);
        out.push(tab);
        painter.galley(at, galley, theme::on(c));
    }
    if b.crashed {
        // Said by its tab on the top edge, above.
    } else if let Some(lag) = b.behind {
        let c = if lag > 0.0 {
            theme::STALE
        } else {
            theme::AGREES
        };
        painter.circle_filled(
            r.right_top() + vec2(-12.0, 12.0) * zoom,
            5.0 * zoom.sqrt(),
            c,
        );
        if lag > 0.0 {
            painter.text(
                r.right_bottom() + vec2(-8.0, -4.0) * zoom,
                Align2::RIGHT_BOTTOM,
                format!("behind {lag:.0} ms"),
                FontId::proportional(size * 0.7),
                theme::readable(c, fill),
            );
        }
    }
    out
}

/// A state word as a pill by a name plate, before it is placed.
pub struct Pill {
    pub galley: std::sync::Arc<egui::Galley>,
    pub color: Color32,
    /// Where it would hang: above the plate (state), below it (data).
    pub wanted: Rect,
    /// The plate it belongs to: a pill that cannot hang where it would
    /// stays beside its own plate rather than by a neighbour's.
    pub plate: Rect,
}

impl Pill {
    /// Its places in order of preference: where it would hang, then on
    /// the plate's other side, then left and right of it.
    pub fn choices(&self) -> Vec<Rect> {
        let (w, p) = (self.wanted, self.plate);
        let flipped = if w.center().y < p.center().y {
            w.translate(vec2(0.0, p.max.y - w.min.y + (p.min.y - w.max.y)))
        } else {
            w.translate(vec2(0.0, p.min.y - w.max.y - (w.min.y - p.max.y)))
        };
        let beside_y = p.center().y - w.height() / 2.0;
        let left = Rect::from_min_size(pos2(p.min.x - 6.0 - w.width(), beside_y), w.size());
        let right = Rect::from_min_size(pos2(p.max.x + 6.0, beside_y), w.size());
        vec![w, flipped, left, right]
    }
}

/// State words above a name plate, large enough to read from afar, and
/// the data it holds below: laid out, for the caller to move clear of
/// the other plates (see [`super::labels::place`]) and paint.
pub fn plate_pills(painter: &Painter, r: Rect, b: &Badges) -> Vec<Pill> {
    let mut words: Vec<(String, Color32)> = Vec::new();
    if b.crashed {
        words.push(("CRASHED".into(), theme::FAULT));
    }
    for word in &b.hints {
        words.push((format!("⚠ {word}"), theme::STALE));
    }
    if !b.crashed
        && let Some(lag) = b.behind
        && lag > 0.0
    {
        words.push((format!("behind {lag:.0} ms"), theme::STALE));
    }
    if !b.crashed
        && let Some(lag) = b.lag
    {
        let c = if lag > 0 { theme::STALE } else { theme::AGREES };
        words.push((format!("lag {lag}"), c));
    }
    let mut out = Vec::new();
    // Apart by more than the placement's gap, so a pill where it
    // would hang counts as free.
    let mut y = r.min.y - 6.0;
    for (text, c) in words {
        let galley = painter.layout_no_wrap(text, FontId::proportional(16.0), theme::on(c));
        let at = pos2(r.center().x - galley.size().x / 2.0, y - galley.size().y);
        let wanted = Rect::from_min_size(at, galley.size()).expand2(vec2(6.0, 1.0));
        y = wanted.min.y - 6.0;
        out.push(Pill {
            galley,
            color: c,
            wanted,
            plate: r,
        });
    }
    // The data hangs below the plate.
    if let Some((text, waiting)) = b.data {
        let c = if waiting { theme::STALE } else { theme::AGREES };
        let galley =
            painter.layout_no_wrap(text.to_string(), FontId::proportional(16.0), theme::on(c));
        let at = pos2(r.center().x - galley.size().x / 2.0, r.max.y + 7.0);
        let wanted = Rect::from_min_size(at, galley.size()).expand2(vec2(6.0, 1.0));
        out.push(Pill {
            galley,
            color: c,
            wanted,
            plate: r,
        });
    }
    out
}

/// Paints a pill at `at` (its place once moved clear).
pub fn paint_pill(painter: &Painter, pill: Pill, at: Rect) {
    painter.rect_filled(at, 6.0, pill.color);
    let text = at.shrink2(vec2(6.0, 1.0));
    painter.galley(text.min, pill.galley, theme::on(pill.color));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Zoomed out on a crashed node with a design hint and a data badge
    /// (lesson 04's dual write, 07c's coordinator), every word has its own
    /// place: CRASHED used to be painted inside the box's corner, under
    /// the hint's tab and over the data badge.
    #[test]
    fn a_crashed_box_draws_no_word_over_another() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let painter = ui.painter().clone();
            for zoom in [0.4_f32, 0.6, 1.0, 1.6] {
                let r = Rect::from_min_size(pos2(100.0, 100.0), vec2(120.0, 44.0) * zoom);
                let b = Badges {
                    crashed: true,
                    hints: vec!["DUAL WRITE"],
                    behind: None,
                    lag: None,
                    data: Some(("locks held 4", false)),
                };
                let rects = box_badges(&painter, r, zoom, &b, Color32::BLACK);
                assert_eq!(rects.len(), 3, "crashed, the hint and the data: {rects:?}");
                for (i, a) in rects.iter().enumerate() {
                    for c in &rects[i + 1..] {
                        assert!(!a.intersects(*c), "at zoom {zoom}: {a:?} overlaps {c:?}");
                    }
                }
            }
        });
        // Nothing draws the frame: its font atlas is dropped on purpose.
        output.textures_delta.clear();
    }
}
