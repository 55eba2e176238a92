//! Edits to a drawing's bounded contexts: put a node in one (creating it
//! by naming it), take a node out, rename one. A context left with no
//! node goes, since its frame is drawn around its nodes. An edit that
//! would break the file's rules (a name too long, too many contexts, a
//! name taken) changes nothing.

use crate::scenario::{CONTEXT_NAME_CHARS, Context, MAX_CONTEXTS, Scenario};

/// One change to the contexts.
#[derive(Clone, Debug, PartialEq)]
pub enum ContextEdit {
    /// Node `node` into the context called `context` (made if no context
    /// has that name), out of any other.
    Put { node: String, context: String },
    /// Node `node` out of its context.
    TakeOut { node: String },
    /// The context called `from` renamed `to`.
    Rename { from: String, to: String },
}

/// Whether `name` may name a context.
fn usable(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= CONTEXT_NAME_CHARS
}

impl ContextEdit {
    /// Carries the edit out on `s`.
    pub fn apply(&self, s: &mut Scenario) {
        match self {
            ContextEdit::Put { node, context } => {
                let name = context.trim();
                let exists = s.contexts.iter().any(|c| c.name == name);
                if !usable(name)
                    || !s.nodes.iter().any(|n| &n.id == node)
                    || (!exists && s.contexts.len() >= MAX_CONTEXTS)
                {
                    return;
                }
                take_out(s, node);
                match s.contexts.iter_mut().find(|c| c.name == name) {
                    Some(c) => c.nodes.push(node.clone()),
                    None => s.contexts.push(Context {
                        name: name.to_string(),
                        nodes: vec![node.clone()],
                    }),
                }
            }
            ContextEdit::TakeOut { node } => take_out(s, node),
            ContextEdit::Rename { from, to } => {
                let to = to.trim();
                if !usable(to) || s.contexts.iter().any(|c| c.name == to) {
                    return;
                }
                if let Some(c) = s.contexts.iter_mut().find(|c| &c.name == from) {
                    c.name = to.to_string();
                }
            }
        }
    }
}

/// Takes node `id` out of whatever context holds it; a context left
/// empty goes.
fn take_out(s: &mut Scenario, id: &str) {
    forget(s, &[id.to_string()]);
}

/// Takes the nodes `ids` out of every context (they were deleted, or are
/// moving), dropping contexts left empty.
pub fn forget(s: &mut Scenario, ids: &[String]) {
    for c in &mut s.contexts {
        c.nodes.retain(|n| !ids.contains(n));
    }
    s.contexts.retain(|c| !c.nodes.is_empty());
}
