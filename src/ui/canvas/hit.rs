//! What lies under a point of the canvas. One widget for the whole canvas
//! does the hit-testing, so two hundred nodes cost two hundred rectangles,
//! not two hundred widgets.

use egui::Pos2;

use super::transform::{Layout, port_of};
use crate::scenario::Scenario;

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
    let near = s.links.iter().position(|l| {
        layout
            .path_between(&l.from, &l.to)
            .is_some_and(|path| super::route::distance(p, &path) < 6.0)
    });
    near.map_or(Hit::Empty, Hit::Link)
}
