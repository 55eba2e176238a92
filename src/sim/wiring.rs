//! What a node needs to know about the rest of the drawing to build itself:
//! node ids resolved to run indices, names interned, the subscriptions each
//! broker serves and what each broker promises. Made once per run by the
//! builder and handed to every node kind's `build`.

use std::collections::BTreeMap;

use super::build::BuildError;
use super::nodes::Subscription;
use crate::model::{Micros, Names, NodeIdx, Sym};
use crate::scenario::{Kind, Scenario};

pub struct Wiring<'a> {
    pub scenario: &'a Scenario,
    pub names: &'a mut Names,
    index: BTreeMap<&'a str, NodeIdx>,
    /// Per broker: the topics it serves and who subscribes.
    pub(crate) subscriptions: BTreeMap<NodeIdx, Vec<Subscription>>,
    /// The node being built: its index and id.
    pub me: NodeIdx,
    pub my_id: &'a str,
}

impl<'a> Wiring<'a> {
    pub(crate) fn new(scenario: &'a Scenario, names: &'a mut Names) -> Result<Self, BuildError> {
        let index = scenario
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeIdx::try_from(i).map(|i| (n.id.as_str(), i)))
            .collect::<Result<_, _>>()
            .map_err(|_| BuildError("too many nodes".into()))?;
        Ok(Wiring {
            scenario,
            names,
            index,
            subscriptions: BTreeMap::new(),
            me: 0,
            my_id: "",
        })
    }

    /// The run index of node `id`.
    pub fn find(&self, id: &str) -> Result<NodeIdx, BuildError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| BuildError(format!("no node \"{id}\"")))
    }

    /// The symbol for a name.
    pub fn intern(&mut self, s: &str) -> Sym {
        self.names.intern(s)
    }

    /// How long broker `id` waits for an acknowledgement before resending,
    /// or `None` when it does not acknowledge (at-most-once, or no broker).
    pub fn ack_timeout(&self, id: &str) -> Option<Micros> {
        let node = self.scenario.nodes.get(*self.index.get(id)? as usize)?;
        node.kind.ack_timeout()
    }

    /// Whether node `id` is a partitioned log (its consumers join it
    /// again when they restart).
    pub fn is_log(&self, id: &str) -> bool {
        self.index
            .get(id)
            .and_then(|&i| self.scenario.nodes.get(i as usize))
            .is_some_and(|n| n.kind.kind() == Kind::Log)
    }

    /// Adds `subscriber` to `topic` at `broker`, once.
    pub(crate) fn subscribe(&mut self, broker: NodeIdx, topic: Sym, subscriber: NodeIdx) {
        let list = self.subscriptions.entry(broker).or_default();
        match list.iter_mut().find(|x| x.topic == topic) {
            Some(sub) if !sub.subscribers.contains(&subscriber) => sub.subscribers.push(subscriber),
            Some(_) => {}
            None => list.push(Subscription {
                topic,
                subscribers: vec![subscriber],
            }),
        }
    }
}
