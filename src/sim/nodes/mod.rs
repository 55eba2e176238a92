//! Node behaviours: each kind is a state machine that reacts to a delivered
//! message, a timer or a workload request by changing its own state and
//! telling its [`Cx`] what to send. No behaviour can reach another node: the
//! engine alone moves messages and time. That is data ownership, enforced
//! by the types.

mod broker;
pub(crate) mod cdc;
mod client;
pub(crate) mod composer;
mod database;
pub mod peer;
mod replica;
mod retry;
pub(crate) mod saga;
pub(crate) mod service;
mod store;

pub use broker::{Broker, Subscription};
pub use cdc::Cdc;
pub use client::Client;
pub use composer::Composer;
pub use database::{Database, LogRow};
pub use replica::{DedupWindow, Replica};
pub use saga::Orchestrator;
pub use service::Service;
pub use store::Store;

use rand::rngs::ChaCha8Rng;

use super::model::{Body, Names, NodeIdx, ReqOp};
use crate::scenario::Micros;
use crate::trace::Chunked;

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
    /// Flags for the step being handled (see `trace::deliver_flags`).
    pub flags: u8,
}

impl Cx<'_> {
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

/// Every node kind the engine runs.
#[derive(Clone, Debug)]
pub enum Behaviour {
    Client(Client),
    Service(Service),
    Database(Database),
    Broker(Broker),
    Replica(Replica),
    Cdc(Cdc),
    Composer(Composer),
    Orchestrator(Orchestrator),
    Peer(peer::Peer),
}

impl Behaviour {
    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match self {
            Behaviour::Client(b) => b.on_message(cx, m),
            Behaviour::Service(b) => b.on_message(cx, m),
            Behaviour::Database(b) => b.on_message(cx, m),
            Behaviour::Broker(b) => b.on_message(cx, m),
            Behaviour::Replica(b) => b.on_message(cx, m),
            Behaviour::Cdc(b) => b.on_message(cx, m),
            Behaviour::Composer(b) => b.on_message(cx, m),
            Behaviour::Orchestrator(b) => b.on_message(cx, m),
            Behaviour::Peer(b) => b.on_message(cx, m),
        }
    }

    /// The run begins: arm what runs on its own (a connector's polling).
    /// Only timers may be set here; nothing is sent before time starts.
    pub fn on_start(&mut self, cx: &mut Cx) {
        if let Behaviour::Cdc(b) = self {
            b.on_start(cx);
        }
    }

    pub fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        match self {
            Behaviour::Client(b) => b.on_timer(cx, tag),
            Behaviour::Service(b) => b.on_timer(cx, tag),
            Behaviour::Broker(b) => b.on_timer(cx),
            Behaviour::Cdc(b) => b.on_timer(cx, tag),
            Behaviour::Composer(b) => b.on_timer(cx, tag),
            Behaviour::Orchestrator(b) => b.on_timer(cx, tag),
            Behaviour::Peer(b) => b.on_timer(cx),
            Behaviour::Database(_) | Behaviour::Replica(_) => {}
        }
    }

    /// The workload asks this node to do `op` (towards `to`).
    pub fn on_work(&mut self, cx: &mut Cx, to: NodeIdx, op: ReqOp) {
        match self {
            Behaviour::Client(b) => b.on_work(cx, to, op),
            Behaviour::Service(b) => b.on_local(cx, op),
            Behaviour::Database(_)
            | Behaviour::Broker(_)
            | Behaviour::Replica(_)
            | Behaviour::Cdc(_)
            | Behaviour::Composer(_)
            | Behaviour::Orchestrator(_)
            | Behaviour::Peer(_) => {}
        }
    }

    /// The node crashed: forget what lives only in memory.
    pub fn on_crash(&mut self) {
        match self {
            Behaviour::Client(b) => b.on_crash(),
            Behaviour::Service(b) => b.on_crash(),
            Behaviour::Cdc(b) => b.on_crash(),
            Behaviour::Composer(b) => b.on_crash(),
            Behaviour::Orchestrator(b) => b.on_crash(),
            Behaviour::Database(_)
            | Behaviour::Broker(_)
            | Behaviour::Replica(_)
            | Behaviour::Peer(_) => {}
        }
    }

    /// The node came back: re-arm what its durable state still needs.
    pub fn on_restart(&mut self, cx: &mut Cx) {
        match self {
            Behaviour::Broker(b) => b.on_restart(cx),
            Behaviour::Cdc(b) => b.on_restart(cx),
            Behaviour::Orchestrator(b) => b.on_restart(cx),
            Behaviour::Peer(b) => b.on_restart(cx),
            _ => {}
        }
    }

    /// A clock-skew fault: the node's clock now runs `ahead` fast.
    pub fn set_clock_skew(&mut self, ahead: Micros) {
        if let Behaviour::Peer(p) = self {
            p.set_clock_skew(ahead);
        }
    }

    /// The store this node keeps, if any.
    pub fn store(&self) -> Option<&Store> {
        match self {
            Behaviour::Service(s) => s.local_store(),
            Behaviour::Database(d) => Some(&d.store),
            Behaviour::Replica(r) => Some(&r.store),
            Behaviour::Orchestrator(o) => Some(&o.store),
            Behaviour::Client(_)
            | Behaviour::Broker(_)
            | Behaviour::Cdc(_)
            | Behaviour::Composer(_)
            | Behaviour::Peer(_) => None,
        }
    }
}
