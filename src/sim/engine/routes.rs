//! Which link joins two nodes. Every message sent asks this, and a broker
//! fanning out asks it once per subscriber, so a node whose neighbours are
//! numbered closely enough keeps a table indexed by neighbour (one array
//! read); a node with a few neighbours scattered across a large drawing
//! keeps them sorted and searches, so memory stays linear in the links.

use crate::model::NodeIdx;

/// No link in a dense table.
const NONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
enum Neighbours {
    /// Link index by neighbour index (`NONE` where there is no link).
    Dense(Box<[u32]>),
    /// (neighbour, link index), sorted by neighbour.
    Sorted(Box<[(NodeIdx, u32)]>),
}

/// Each node's links, by neighbour.
#[derive(Clone, Debug, Default)]
pub(crate) struct Routes(Vec<Neighbours>);

impl Routes {
    /// Routes for `nodes` nodes joined by `links` (a, b), both ways; the
    /// link's index is its place in the list.
    pub(crate) fn new(nodes: usize, links: &[(NodeIdx, NodeIdx)]) -> Self {
        let mut lists: Vec<Vec<(NodeIdx, u32)>> = vec![Vec::new(); nodes];
        for (i, &(a, b)) in links.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(NONE);
            if let Some(l) = lists.get_mut(a as usize) {
                l.push((b, i));
            }
            if let Some(l) = lists.get_mut(b as usize) {
                l.push((a, i));
            }
        }
        let per_node = lists
            .into_iter()
            .map(|mut list| {
                list.sort_unstable();
                let span = list.last().map_or(0, |e| e.0 as usize + 1);
                // A table costs four bytes per index up to the farthest
                // neighbour; allow it while that stays near the list's size.
                if span <= 4 * list.len() + 64 {
                    let mut table = vec![NONE; span];
                    for &(to, link) in list.iter().rev() {
                        if let Some(t) = table.get_mut(to as usize) {
                            *t = link;
                        }
                    }
                    Neighbours::Dense(table.into_boxed_slice())
                } else {
                    Neighbours::Sorted(list.into_boxed_slice())
                }
            })
            .collect();
        Routes(per_node)
    }

    /// The index of the link between `from` and `to`, if they are joined.
    #[inline]
    pub(crate) fn link(&self, from: NodeIdx, to: NodeIdx) -> Option<u32> {
        match self.0.get(from as usize)? {
            Neighbours::Dense(table) => table.get(to as usize).copied().filter(|&l| l != NONE),
            Neighbours::Sorted(list) => {
                let i = list.binary_search_by_key(&to, |e| e.0).ok()?;
                list.get(i).map(|e| e.1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_link_both_ways_whether_kept_as_table_or_list() {
        // Node 0 fans out to 1..=40 (a table); node 41 has one neighbour
        // numbered far above it (a list).
        let mut links: Vec<(NodeIdx, NodeIdx)> = (1..=40).map(|r| (0, r)).collect();
        links.push((41, 5000));
        let routes = Routes::new(5001, &links);
        assert!(matches!(routes.0[0], Neighbours::Dense(_)));
        assert!(matches!(routes.0[41], Neighbours::Sorted(_)));
        for (i, &(a, b)) in links.iter().enumerate() {
            assert_eq!(routes.link(a, b), Some(i as u32));
            assert_eq!(routes.link(b, a), Some(i as u32));
        }
        assert_eq!(routes.link(1, 2), None);
        assert_eq!(routes.link(0, 41), None);
        assert_eq!(routes.link(41, 4999), None);
        assert_eq!(routes.link(6000, 0), None);
    }
}
