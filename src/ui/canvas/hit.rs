//! What lies under a point of the canvas. One widget for the whole canvas
//! does the hit-testing, so two hundred nodes cost two hundred rectangles,
//! not two hundred widgets.

use egui::Pos2;

use super::transform::{Layout, border_point, port_of};
use crate::scenario::Scenario;
use crate::ui::geometry::distance_to_segment;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Hit {
    #[default]
    Empty,
    /// A node's linking port.
    Port(String),
    Node(String),
    Link(usize),
}

/// The topmost thing at `p`: ports and nodes first (the last drawn wins),
/// then links.
pub fn test(s: &Scenario, layout: &Layout, p: Pos2) -> Hit {
    for n in s.nodes.iter().rev() {
        if let Some(r) = layout.rect(&n.id) {
            if port_of(r).distance(p) <= 9.0 {
                return Hit::Port(n.id.clone());
            }
            if r.contains(p) {
                return Hit::Node(n.id.clone());
            }
        }
    }
    let near = s
        .links
        .iter()
        .position(|l| match (layout.rect(&l.from), layout.rect(&l.to)) {
            (Some(ra), Some(rb)) => {
                distance_to_segment(
                    p,
                    border_point(ra, rb.center()),
                    border_point(rb, ra.center()),
                ) < 6.0
            }
            _ => false,
        });
    near.map_or(Hit::Empty, Hit::Link)
}
