//! The window's regions for the keyboard: F6 moves focus to the next one
//! (menu bar, lesson card, drawing, inspector, playback), Shift+F6 to the
//! previous, as desktop applications and browsers do. Without them the
//! drawing is dozens of Tab presses away from the menu.
//!
//! Each region registers a named, focusable anchor at its top-left corner
//! every frame it is on screen. F6 focuses the anchor of the next region
//! shown; Tab then walks into the region from there, because egui moves
//! focus in the order widgets were registered. A screen reader announces
//! the anchor by the region's name.

use egui::{Context, Id, Rect, Sense, Stroke, StrokeKind, Ui, vec2};

/// A region, in the order F6 visits them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Region {
    Menu,
    Card,
    Drawing,
    Inspector,
    Playback,
}

impl Region {
    pub const ALL: [Region; 5] = [
        Region::Menu,
        Region::Card,
        Region::Drawing,
        Region::Inspector,
        Region::Playback,
    ];

    /// The anchor's accessible name.
    pub fn name(self) -> &'static str {
        match self {
            Region::Menu => "Menu bar region",
            Region::Card => "Lesson card region",
            Region::Drawing => "Drawing region",
            Region::Inspector => "Inspector region",
            Region::Playback => "Playback region",
        }
    }

    fn id(self) -> Id {
        Id::unique(("settle-region", self as u8))
    }
}

/// The regions shown in the last frame, with their areas.
#[derive(Clone, Default)]
struct Shown {
    pass: u64,
    areas: Vec<(Region, Rect)>,
}

fn shown_id() -> Id {
    Id::unique("settle-regions-shown")
}

/// Registers `region`'s anchor at the top-left of `area`; while the anchor
/// has the keyboard, the region is outlined so a sighted keyboard user sees
/// where focus landed.
pub fn anchor(ui: &mut Ui, region: Region, area: Rect) {
    let ctx = ui.ctx().clone();
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| {
        let shown = d.get_temp_mut_or_default::<Shown>(shown_id());
        if shown.pass != pass {
            *shown = Shown {
                pass,
                areas: Vec::new(),
            };
        }
        if !shown.areas.iter().any(|(r, _)| *r == region) {
            shown.areas.push((region, area));
        }
    });
    let spot = Rect::from_min_size(area.min, vec2(1.0, 1.0));
    let resp = ui.interact(spot, region.id(), Sense::focusable_noninteractive());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Region, true, region.name()));
    if resp.has_focus() {
        ui.ctx()
            .layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                Id::unique("settle-region-ring"),
            ))
            .rect_stroke(
                area.shrink(2.0),
                4.0,
                Stroke::new(3.0, ui.visuals().selection.stroke.color),
                StrokeKind::Inside,
            );
    }
}

/// The region that holds the keyboard now: the one whose anchor has focus,
/// or whose area holds the focused widget.
fn current(ctx: &Context, shown: &Shown) -> Option<Region> {
    let focused = ctx.memory(|m| m.focused())?;
    if let Some(r) = Region::ALL.into_iter().find(|r| r.id() == focused) {
        return Some(r);
    }
    let at = ctx.read_response(focused)?.rect.center();
    // The smallest area wins: the card sits inside the drawing's column.
    shown
        .areas
        .iter()
        .filter(|(_, a)| a.contains(at))
        .min_by(|(_, a), (_, b)| a.area().total_cmp(&b.area()))
        .map(|(r, _)| *r)
}

/// Moves the keyboard to the next region shown (or the previous one).
pub fn cycle(ctx: &Context, forward: bool) {
    let shown = ctx.data(|d| d.get_temp::<Shown>(shown_id()).unwrap_or_default());
    let mut order: Vec<Region> = shown.areas.iter().map(|(r, _)| *r).collect();
    order.sort();
    if order.is_empty() {
        return;
    }
    let n = order.len();
    let next = match current(ctx, &shown).and_then(|c| order.iter().position(|r| *r == c)) {
        Some(i) if forward => order[(i + 1) % n],
        Some(i) => order[(i + n - 1) % n],
        None if forward => order[0],
        None => order[n - 1],
    };
    ctx.memory_mut(|m| m.request_focus(next.id()));
}
