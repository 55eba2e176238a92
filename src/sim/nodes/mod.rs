//! Node behaviours: each kind is a state machine that reacts to a delivered
//! message, a timer or a workload request by changing its own state and
//! telling its [`Cx`] what to send. No behaviour can reach another node: the
//! engine alone moves messages and time. That is data ownership, enforced
//! by the types.

mod broker;
pub(crate) mod cdc;
mod client;
mod committed;
pub(crate) mod composer;
mod coordinator;
mod database;
mod event_store;
pub mod log;
pub mod peer;
pub mod projection;
mod replica;
mod retry;
pub(crate) mod saga;
pub(crate) mod service;
mod store;

pub use self::log::Log;
pub use broker::{Broker, Subscription, dead_letter_row, dead_letter_table};
pub use cdc::Cdc;
pub use client::Client;
pub use composer::Composer;
pub use coordinator::Coordinator;
pub use database::{Database, LogRow};
pub use event_store::EventStore;
pub use projection::Projection;
pub use replica::{DedupWindow, Replica, Windows};
pub use saga::Orchestrator;
pub use service::Service;
pub use store::Store;

use rand::rngs::ChaCha8Rng;

use super::build::BuildError;
use super::wiring::Wiring;
use std::collections::BTreeMap;

use crate::model::{Body, Chunked, Key, Micros, Names, NodeIdx, ReqOp, Sym, Version};
use crate::scenario::NodeKind;

/// What a behaviour asks the engine to do on its behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Out {
    /// Send the body (an index into the trace's bodies) to a node.
    Send { to: NodeIdx, body: u32, flags: u8 },
    /// Call back `on_timer(tag)` after this long, unless the node crashes.
    Timer { after: Micros, tag: u64 },
    /// The node's store now holds the record in this body.
    Changed { body: u32 },
}

/// The context a behaviour acts through: the time, its own random stream,
/// the shared name table, and an outbox.
pub struct Cx<'a> {
    pub now: Micros,
    pub me: NodeIdx,
    pub rng: &'a mut ChaCha8Rng,
    pub names: &'a mut Names,
    pub(crate) bodies: &'a mut Chunked<Body>,
    pub(crate) out: &'a mut Vec<Out>,
    /// Flags for the step being handled (see `model::deliver_flags`).
    pub flags: u16,
}

impl Cx<'_> {
    /// Answers request `req` of `to` with a refusal that says why.
    pub fn refuse(&mut self, to: NodeIdx, req: u32, why: &str) {
        let reason = self.names.intern(why);
        let answer = crate::model::Answer::Refused { reason };
        self.send(to, Body::Answer { req, answer });
    }

    /// Records a body and returns its index, without sending it.
    pub fn keep(&mut self, body: Body) -> u32 {
        u32::try_from(self.bodies.push(body)).unwrap_or(u32::MAX)
    }

    /// Sends a new body.
    pub fn send(&mut self, to: NodeIdx, body: Body) -> u32 {
        let id = self.keep(body);
        self.forward(to, id);
        id
    }

    /// Sends a body already in the trace (a broker fanning out one event).
    pub fn forward(&mut self, to: NodeIdx, body: u32) {
        self.out.push(Out::Send { to, body, flags: 0 });
    }

    /// Sends a body already in the trace, marked (a redelivery).
    pub fn forward_flagged(&mut self, to: NodeIdx, body: u32, flags: u8) {
        self.out.push(Out::Send { to, body, flags });
    }

    pub fn timer(&mut self, after: Micros, tag: u64) {
        self.out.push(Out::Timer { after, tag });
    }

    /// A body already in the trace, by its index.
    pub fn body(&self, id: u32) -> Option<Body> {
        self.bodies.get(id as usize).copied()
    }

    /// Reports a store write; `body` must hold the new record.
    pub fn changed(&mut self, body: u32) {
        self.out.push(Out::Changed { body });
    }
}

/// A message as its receiver sees it.
#[derive(Clone, Copy, Debug)]
pub struct Incoming {
    pub from: NodeIdx,
    pub body_id: u32,
    pub body: Body,
}

/// A node's behaviour: a state machine reacting to what the engine hands
/// it. Every hook but `on_message` has a default that does nothing, so a
/// kind implements only what it reacts to. A behaviour changes only its own
/// state and acts on the world only through its [`Cx`].
pub trait Actor: std::fmt::Debug {
    /// The run begins: arm what runs on its own (a connector's polling).
    /// Only timers may be set here; nothing is sent before time starts.
    fn on_start(&mut self, _cx: &mut Cx) {}

    /// A message arrived.
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming);

    /// A timer this node set has fired (unless it crashed since).
    fn on_timer(&mut self, _cx: &mut Cx, _tag: u64) {}

    /// The workload asks this node to do `op` (towards `to`).
    fn on_work(&mut self, _cx: &mut Cx, _to: NodeIdx, _op: ReqOp) {}

    /// The node crashed: forget what lives only in memory.
    fn on_crash(&mut self) {}

    /// The node came back: re-arm what its durable state still needs.
    fn on_restart(&mut self, _cx: &mut Cx) {}

    /// A clock-skew fault: the node's clock now runs `ahead` fast.
    fn set_clock_skew(&mut self, _ahead: Micros) {}

    /// An operator rebuilds this node's derived state from the start (a
    /// projection re-reads its topics).
    fn on_rebuild(&mut self, _cx: &mut Cx) {}

    /// An operator re-drives this node's dead-letter queue.
    fn on_redrive(&mut self, _cx: &mut Cx) {}

    /// A fix is deployed to this consumer: it stops rejecting poison
    /// events.
    fn on_fix(&mut self) {}

    /// An operator moves consumer group `group` of this log to `offset`
    /// in every partition.
    fn on_rewind(&mut self, _cx: &mut Cx, _group: Sym, _offset: u32) {}

    /// Whether what this node answers from is behind the owners' latest
    /// versions (`latest`), for nodes whose view is not a plain copy of one
    /// table (a projection). Plain copies are judged by their answer's
    /// version instead.
    fn behind(&self, _latest: &BTreeMap<Key, Version>) -> bool {
        false
    }

    /// The store this node keeps, if any: what tests and the benchmark may
    /// read of its state (views read the trace instead).
    fn store(&self) -> Option<&Store> {
        None
    }

    /// The store the run's starting rows are put in before time begins
    /// (the table's owner and the copies that follow it), if any.
    fn starting_store(&mut self) -> Option<&mut Store> {
        None
    }
}

/// Builds the behaviour of one node from its settings. Each kind builds
/// itself; this only picks the kind.
pub fn build(kind: &NodeKind, w: &mut Wiring) -> Result<Box<dyn Actor>, BuildError> {
    Ok(match kind {
        NodeKind::Client(spec) => Box::new(Client::build(spec)),
        NodeKind::Service(spec) => Box::new(Service::build(spec, w)?),
        NodeKind::Database(_) => Box::new(Database::default()),
        NodeKind::Broker(spec) => Box::new(Broker::build(spec, w)),
        NodeKind::Replica(spec) => Box::new(Replica::build(spec, w)?),
        NodeKind::Cdc(spec) => Box::new(Cdc::build(spec, w)?),
        NodeKind::Composer(spec) => Box::new(Composer::build(spec, w)?),
        NodeKind::Orchestrator(spec) => Box::new(Orchestrator::build(spec, w)?),
        NodeKind::Peer(spec) => Box::new(peer::Peer::build(spec, w)?),
        NodeKind::Projection(spec) => Box::new(Projection::build(spec, w)?),
        NodeKind::Log(spec) => Box::new(Log::build(spec, w)?),
        NodeKind::Coordinator(spec) => Box::new(Coordinator::build(spec, w)?),
        NodeKind::EventStore(spec) => Box::new(EventStore::build(spec, w)),
    })
}
