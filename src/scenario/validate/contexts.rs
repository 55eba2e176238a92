//! Bounded contexts: each has a usable name of its own, names only nodes
//! that exist, and no node sits in two (a frame is drawn around its nodes,
//! and one node cannot be drawn in two frames).

use std::collections::BTreeMap;

use super::super::locate::Where;
use super::super::{CONTEXT_NAME_CHARS, MAX_CONTEXTS};
use super::Checker;

impl Checker<'_> {
    pub(super) fn contexts(&mut self) {
        let list = &self.s.contexts;
        if list.len() > MAX_CONTEXTS {
            self.fail(
                Where::section("contexts"),
                format!(
                    "{} contexts; a drawing may frame at most {MAX_CONTEXTS}",
                    list.len()
                ),
            );
            return;
        }
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut home: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, c) in list.iter().enumerate() {
            let name = c.name.trim();
            if name.is_empty() || c.name.chars().count() > CONTEXT_NAME_CHARS {
                self.fail(
                    Where::field("contexts", i, "name"),
                    format!(
                        "a context needs a name of 1 to {CONTEXT_NAME_CHARS} characters, shown as its frame's title"
                    ),
                );
            } else if names.insert(name, i).is_some() {
                self.fail(
                    Where::field("contexts", i, "name"),
                    format!("two contexts are called \"{name}\"; give each its own name"),
                );
            }
            if c.nodes.is_empty() {
                self.fail(
                    Where::field("contexts", i, "nodes"),
                    format!("the context \"{name}\" holds no nodes; a frame is drawn around its nodes, so list at least one"),
                );
            }
            for id in &c.nodes {
                let place = Where::text("contexts", i, id);
                if self.node_ref(place.clone(), id).is_none() {
                    continue;
                }
                match home.insert(id.as_str(), &c.name) {
                    Some(first) if first == c.name => self.fail(
                        place,
                        format!("{} is listed twice in the context \"{name}\"", self.who(id)),
                    ),
                    Some(first) => self.fail(
                        place,
                        format!(
                            "{} is in two contexts, \"{first}\" and \"{name}\"; a node belongs to one context at most",
                            self.who(id)
                        ),
                    ),
                    None => {}
                }
            }
        }
    }
}
