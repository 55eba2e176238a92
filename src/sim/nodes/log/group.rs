//! A log's consumer groups as their coordinator keeps them: dealing the
//! partitions to the members alive, telling each its share, and dealing
//! anew (a rebalance) when a member joins or goes silent.

use super::Log;
use crate::model::{Body, NodeIdx};
use crate::scenario::deal;
use crate::sim::nodes::Cx;

impl Log {
    /// Deals group `g`'s partitions to its members alive, in the order
    /// the scenario lists them, the way the members first work it out.
    pub(super) fn deal(&mut self, g: usize) {
        let Some(group) = self.groups.get(g) else {
            return;
        };
        let mut owners = Vec::new();
        for c in 0..self.cursors.len() {
            let cur = &self.cursors[c];
            if cur.group != g {
                continue;
            }
            let readers: Vec<NodeIdx> = group
                .members
                .iter()
                .filter(|m| m.alive && m.topics.contains(&cur.topic))
                .map(|m| m.node)
                .collect();
            owners.push((c, deal(&readers, cur.part)));
        }
        for (c, owner) in owners {
            self.cursors[c].owner = owner;
        }
    }

    /// The partitions of topic `ti` member `node` reads (bit n:
    /// partition n).
    fn mask(&self, node: NodeIdx, ti: usize) -> u64 {
        self.cursors
            .iter()
            .filter(|c| c.topic == ti && c.owner == Some(node))
            .fold(0, |acc, c| acc | (1u64 << c.part.min(63)))
    }

    pub(super) fn send_assignment(&mut self, cx: &mut Cx, g: usize, mi: usize) {
        let (node, topics, generation) = {
            let group = &self.groups[g];
            let m = &group.members[mi];
            (m.node, m.topics.clone(), group.generation)
        };
        for ti in topics {
            let parts = self.mask(node, ti);
            let topic = self.topics[ti].name;
            cx.send(
                node,
                Body::Assigned {
                    topic,
                    parts,
                    generation,
                },
            );
        }
    }

    /// Deals group `g`'s partitions anew and tells every member alive:
    /// a fetch or commit of the old assignment no longer counts, and the
    /// group is rebalancing until each member with partitions has fetched
    /// under the new one.
    pub(super) fn rebalance(&mut self, cx: &mut Cx, g: usize) {
        self.deal(g);
        let now = cx.now;
        let Some(group) = self.groups.get_mut(g) else {
            return;
        };
        group.generation += 1;
        for c in self.cursors.iter_mut().filter(|c| c.group == g) {
            c.parked = None;
        }
        let members = group.members.len();
        for mi in 0..members {
            if !self.groups[g].members[mi].alive {
                continue;
            }
            let node = self.groups[g].members[mi].node;
            let holds = self.cursors.iter().any(|c| c.owner == Some(node));
            let m = &mut self.groups[g].members[mi];
            m.last_seen = now;
            m.synced = !holds;
            self.send_assignment(cx, g, mi);
        }
        let group = &mut self.groups[g];
        group.rebalancing = group.members.iter().any(|m| m.alive && !m.synced);
        self.show_group(cx, g);
        let nodes: Vec<NodeIdx> = self.groups[g].members.iter().map(|m| m.node).collect();
        for n in nodes {
            self.update_lag(cx, n);
        }
    }

    /// A member was heard from: it is alive (one taken for dead rejoins,
    /// which rebalances its group). Returns its group and place, and
    /// whether it rejoined.
    pub(super) fn heard(&mut self, cx: &mut Cx, node: NodeIdx) -> Option<(usize, usize, bool)> {
        let &(g, mi) = self.member_of.get(&node)?;
        let m = self.groups.get_mut(g)?.members.get_mut(mi)?;
        m.last_seen = cx.now;
        if m.alive {
            return Some((g, mi, false));
        }
        m.alive = true;
        self.rebalance(cx, g);
        Some((g, mi, true))
    }
}
