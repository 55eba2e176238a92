//! Bounded contexts: named frames that group nodes on the canvas. A
//! context is the part of a system where one model, and one meaning of
//! each word, holds (Sales' "customer" has a credit limit, Shipping's has
//! a delivery address). The file spells them `contexts: [(name: "Sales",
//! nodes: ["sales", "orders"])]`; a node belongs to at most one. They run
//! nothing: the simulation ignores them, the canvas frames them and the
//! design hints judge what crosses their edges.

use serde::{Deserialize, Serialize};

use super::Scenario;

/// One bounded context: its name and the nodes inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The frame's title: "Sales".
    pub name: String,
    /// Ids of the nodes inside, in the order the file lists them.
    #[serde(default)]
    pub nodes: Vec<String>,
}

/// The most contexts one drawing may declare.
pub const MAX_CONTEXTS: usize = 32;

/// The longest context name, in characters: a frame's title must fit
/// above its nodes.
pub const CONTEXT_NAME_CHARS: usize = 40;

impl Scenario {
    /// The context node `id` is drawn in, if any.
    pub fn context_of(&self, id: &str) -> Option<&Context> {
        self.contexts
            .iter()
            .find(|c| c.nodes.iter().any(|n| n == id))
    }
}
