//! Where labels go so that none prints over another: pure geometry over
//! the laid-out rectangles, so it can be tested without a window. Used for
//! the name plates on a projector (a plate is its node) and for the names
//! hung under boxes zoomed out (a name must not cover the next node or its
//! design-hint tab).

use egui::{Rect, Vec2, vec2};

/// The room kept between two labels, in points.
pub const GAP: f32 = 4.0;

/// Moves each of `wanted` (in order: earlier ones keep their place first)
/// the least it can so that it overlaps none placed before it and none of
/// `fixed`, each kept `GAP` apart, preferring places inside `bounds`.
/// A label that overlaps nothing stays where it was wanted.
///
/// Candidates are tried nearest first on a grid of a quarter of the
/// label's height; when none within reach is free, the label goes just
/// below everything else, so the result never overlaps whatever the input.
pub fn place(wanted: &[Rect], fixed: &[Rect], bounds: Rect) -> Vec<Rect> {
    let choices: Vec<Vec<Rect>> = wanted.iter().map(|&w| vec![w]).collect();
    place_choosing(&choices, fixed, bounds, &|_, _| true)
}

/// Whether a label at `at` reads as belonging to `own` (its node): it is
/// nearer to `own` than to any of `others`.
pub fn nearest_is(at: Rect, own: Rect, others: &[Rect]) -> bool {
    // From edge to edge: a wide name beside its box is near it.
    let d = |r: &Rect| {
        let dx = (r.min.x - at.max.x).max(at.min.x - r.max.x).max(0.0);
        let dy = (r.min.y - at.max.y).max(at.min.y - r.max.y).max(0.0);
        dx.hypot(dy)
    };
    let mine = d(&own);
    others.iter().all(|o| *o == own || d(o) >= mine)
}

/// As [`place`], each label with places it may take in order of
/// preference (a badge above its plate, else below, else beside it): the
/// first that is free and inside `bounds` wins; when none is, the first
/// is moved the least it takes, keeping to places `belongs(i, place)`
/// allows (a name nearer its own node than any other) while it can.
pub fn place_choosing(
    choices: &[Vec<Rect>],
    fixed: &[Rect],
    bounds: Rect,
    belongs: &dyn Fn(usize, Rect) -> bool,
) -> Vec<Rect> {
    let mut placed: Vec<Rect> = Vec::with_capacity(choices.len());
    let mut near_first: Vec<Vec2> = offsets(RINGS).collect();
    // Nearest in points first: a step across is twice a step down.
    let cost = |d: &Vec2| (d.x * 2.0).powi(2) + d.y.powi(2);
    near_first.sort_by(|a, b| cost(a).total_cmp(&cost(b)));
    for (i, options) in choices.iter().enumerate() {
        let Some(&w) = options.first() else {
            placed.push(Rect::NOTHING);
            continue;
        };
        let free = |r: Rect, placed: &[Rect]| {
            let grown = r.expand(GAP / 2.0);
            !placed
                .iter()
                .chain(fixed)
                .any(|o| o.expand(GAP / 2.0).intersect(grown).is_positive())
        };
        if free(w, &placed) {
            placed.push(w);
            continue;
        }
        if let Some(&r) = options[1..]
            .iter()
            .find(|&&r| free(r, &placed) && bounds.contains_rect(r) && belongs(i, r))
        {
            placed.push(r);
            continue;
        }
        let step = vec2((w.height() / 2.0).max(2.0), (w.height() / 4.0).max(1.0));
        let mut outside: Option<Rect> = None;
        let mut inside: Option<Rect> = None;
        let mut astray: Option<Rect> = None;
        for d in &near_first {
            let r = w.translate(*d * step);
            if !free(r, &placed) {
                continue;
            }
            if !belongs(i, r) {
                astray.get_or_insert(r);
            } else if bounds.contains_rect(r) {
                inside = Some(r);
                break;
            } else {
                outside.get_or_insert(r);
            }
        }
        let chosen = inside.or(outside).or(astray).unwrap_or_else(|| {
            let bottom = placed
                .iter()
                .chain(fixed)
                .map(|o| o.max.y)
                .fold(w.min.y, f32::max);
            w.translate(vec2(0.0, bottom + GAP + 1.0 - w.min.y))
        });
        placed.push(chosen);
    }
    placed
}

/// Where a message token's label goes: beside the token at `pos` (of
/// radius `r`), at the first of its four corners (above right first)
/// where a label `size` big overlaps no label already `written` and
/// nothing `kept_off` (nodes, link labels); `None` when every corner is
/// taken, and the label is left out (hovering the token says it).
pub fn token_label(
    pos: egui::Pos2,
    r: f32,
    size: Vec2,
    written: &[Rect],
    kept_off: &[Rect],
) -> Option<Rect> {
    use egui::Align2;
    let corners = [
        (Align2::LEFT_BOTTOM, vec2(r + 3.0, -r - 2.0)),
        (Align2::RIGHT_BOTTOM, vec2(-r - 3.0, -r - 2.0)),
        (Align2::LEFT_TOP, vec2(r + 3.0, r + 2.0)),
        (Align2::RIGHT_TOP, vec2(-r - 3.0, r + 2.0)),
    ];
    corners
        .into_iter()
        .map(|(align, d)| align.anchor_size(pos + d, size))
        .find(|at| !written.iter().chain(kept_off).any(|w| w.intersects(*at)))
}

/// How many grid steps out from the wanted place candidates reach.
const RINGS: i32 = 24;

/// Every grid offset within `rings` steps, across and down.
fn offsets(rings: i32) -> impl Iterator<Item = Vec2> {
    (-rings..=rings)
        .flat_map(move |y| (-rings..=rings).map(move |x| vec2(x as f32, y as f32)))
        .filter(|d| *d != Vec2::ZERO)
}

#[cfg(test)]
/// Whether any two of `rects` overlap (touching edges do not count).
pub fn any_overlap(rects: &[Rect]) -> Option<(usize, usize)> {
    for (i, a) in rects.iter().enumerate() {
        for (j, b) in rects.iter().enumerate().skip(i + 1) {
            if a.intersect(*b).is_positive() {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn r(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect::from_min_size(pos2(x, y), vec2(w, h))
    }

    #[test]
    fn labels_that_touch_are_moved_apart_and_others_stay() {
        // Two plates one over the other (as lesson 04's two orders rows
        // were on a 720-line projector), and one far away.
        let wanted = [
            r(100.0, 100.0, 220.0, 34.0),
            r(110.0, 120.0, 200.0, 34.0),
            r(600.0, 100.0, 120.0, 34.0),
        ];
        let bounds = r(0.0, 0.0, 1280.0, 400.0);
        let placed = place(&wanted, &[], bounds);
        assert_eq!(placed[0], wanted[0]);
        assert_eq!(placed[2], wanted[2]);
        assert_eq!(any_overlap(&placed), None, "{placed:?}");
        assert!(bounds.contains_rect(placed[1]));
        // Moved only a little: it stays by its node.
        assert!((placed[1].center() - wanted[1].center()).length() < 60.0);
    }

    #[test]
    fn a_name_keeps_off_fixed_boxes_and_their_tabs() {
        let boxes = [r(0.0, 0.0, 60.0, 30.0), r(0.0, 50.0, 60.0, 30.0)];
        let tab = r(5.0, 42.0, 50.0, 14.0);
        let name = r(-10.0, 37.0, 80.0, 15.0);
        let fixed = [boxes[0], boxes[1], tab];
        let placed = place(&[name], &fixed, r(-500.0, -500.0, 1000.0, 1000.0));
        for f in fixed {
            assert!(!f.intersects(placed[0]), "{:?} over {f:?}", placed[0]);
        }
    }

    #[test]
    fn a_badge_takes_its_next_choice_before_wandering() {
        let plates = [r(0.0, 40.0, 100.0, 30.0), r(0.0, 0.0, 100.0, 30.0)];
        // Above the lower plate is taken by the upper one: below it is
        // free, so the badge goes there, not beside the upper plate.
        let above = r(20.0, 22.0, 60.0, 16.0);
        let below = r(20.0, 76.0, 60.0, 16.0);
        let placed = place_choosing(
            &[vec![above, below]],
            &plates,
            r(-200.0, -200.0, 600.0, 600.0),
            &|_, _| true,
        );
        assert_eq!(placed[0], below);
    }

    #[test]
    fn a_token_label_keeps_off_nodes_link_labels_and_other_labels() {
        let size = vec2(80.0, 14.0);
        let pos = pos2(100.0, 100.0);
        // Nothing around: above right.
        let free = token_label(pos, 6.0, size, &[], &[]).unwrap();
        assert!(free.min.x > pos.x && free.max.y < pos.y);
        // A node above right and a link's label above left: below.
        let node = r(105.0, 40.0, 120.0, 50.0);
        let cut = r(0.0, 70.0, 95.0, 20.0);
        let at = token_label(pos, 6.0, size, &[], &[node, cut]).unwrap();
        assert!(!at.intersects(node) && !at.intersects(cut));
        assert!(at.min.y > pos.y);
        // Every corner taken: left out.
        let all = r(0.0, 0.0, 300.0, 300.0);
        assert_eq!(token_label(pos, 6.0, size, &[all], &[]), None);
    }

    #[test]
    fn a_name_that_cannot_sit_by_its_own_box_is_not_put_by_another() {
        // A small box squeezed under a big one: under it is taken by the
        // box below, and the nearest free place down there is by the
        // lower box, where the name would read as that box's.
        let own = r(100.0, 100.0, 40.0, 14.0);
        let lower = r(100.0, 130.0, 40.0, 14.0);
        let name = r(80.0, 118.0, 80.0, 12.0);
        let boxes = [own, lower];
        let belongs = |_: usize, at: Rect| nearest_is(at, own, &boxes);
        let placed = place_choosing(&[vec![name]], &boxes, r(0.0, 0.0, 400.0, 400.0), &belongs);
        assert!(nearest_is(placed[0], own, &boxes), "{:?}", placed[0]);
        assert!(!placed[0].intersects(own) && !placed[0].intersects(lower));
    }

    #[test]
    fn a_crowd_never_overlaps_even_when_the_bounds_are_too_small() {
        let wanted: Vec<Rect> = (0..40)
            .map(|i| r(i as f32 * 3.0, 10.0, 150.0, 34.0))
            .collect();
        let placed = place(&wanted, &[], r(0.0, 0.0, 300.0, 100.0));
        assert_eq!(any_overlap(&placed), None);
    }
}
