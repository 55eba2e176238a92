//! A message broker: topics with subscriptions. Under at-least-once
//! delivery it keeps every delivery until the subscriber acknowledges it and
//! sends it again after a timeout (doubling up to 8x), so a subscriber cut
//! off by a partition catches up once the link heals, and a late
//! acknowledgement produces a real duplicate.

use std::collections::BTreeMap;

use super::{Cx, Incoming};
use crate::scenario::Micros;
use crate::sim::model::{Body, EventId, NodeIdx, Sym};
use crate::trace::message_flags::REDELIVERY;

/// Subscribers of one topic.
#[derive(Clone, Debug)]
pub struct Subscription {
    pub topic: Sym,
    pub subscribers: Vec<NodeIdx>,
}

#[derive(Clone, Copy, Debug)]
struct Unacked {
    body: u32,
    attempts: u32,
    due: Micros,
}

#[derive(Clone, Debug)]
pub struct Broker {
    subscriptions: Vec<Subscription>,
    /// `None` for at-most-once delivery.
    ack_timeout: Option<Micros>,
    /// Every event received, per topic, in arrival order (durable).
    pub log: BTreeMap<Sym, Vec<u32>>,
    /// Deliveries not yet acknowledged (durable, like a broker's offsets).
    unacked: BTreeMap<(NodeIdx, EventId), Unacked>,
    /// The earliest time a redelivery check is already scheduled for.
    armed: Option<Micros>,
}

impl Broker {
    pub fn new(subscriptions: Vec<Subscription>, ack_timeout: Option<Micros>) -> Self {
        Broker { subscriptions, ack_timeout, log: BTreeMap::new(), unacked: BTreeMap::new(), armed: None }
    }

    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Event { event, topic, .. } => {
                self.log.entry(topic).or_default().push(m.body_id);
                let Some(si) = self.subscriptions.iter().position(|s| s.topic == topic) else { return };
                for k in 0..self.subscriptions[si].subscribers.len() {
                    let to = self.subscriptions[si].subscribers[k];
                    cx.forward(to, m.body_id);
                    if let Some(timeout) = self.ack_timeout {
                        let due = cx.now + timeout;
                        self.unacked.insert((to, event), Unacked { body: m.body_id, attempts: 1, due });
                        self.arm(cx, due);
                    }
                }
            }
            Body::Ack { event } => {
                self.unacked.remove(&(m.from, event));
            }
            _ => {}
        }
    }

    /// Resends every delivery whose acknowledgement is overdue.
    pub fn on_timer(&mut self, cx: &mut Cx) {
        self.armed = None;
        let Some(timeout) = self.ack_timeout else { return };
        let mut next: Option<Micros> = None;
        for (&(to, _), u) in self.unacked.iter_mut() {
            if u.due <= cx.now {
                cx.forward_flagged(to, u.body, REDELIVERY);
                u.attempts += 1;
                u.due = cx.now + timeout * u64::from(1u32 << (u.attempts - 1).min(3));
            }
            next = Some(next.map_or(u.due, |n| n.min(u.due)));
        }
        if let Some(due) = next {
            self.arm(cx, due);
        }
    }

    pub fn on_restart(&mut self, cx: &mut Cx) {
        self.armed = None;
        if let Some(due) = self.unacked.values().map(|u| u.due.max(cx.now)).min() {
            self.arm(cx, due);
        }
    }

    fn arm(&mut self, cx: &mut Cx, due: Micros) {
        if self.armed.is_some_and(|a| a <= due) {
            return;
        }
        self.armed = Some(due);
        cx.timer(due.saturating_sub(cx.now), 0);
    }

    /// Deliveries still waiting for an acknowledgement.
    pub fn unacked(&self) -> usize {
        self.unacked.len()
    }
}
