//! A message broker: topics with subscriptions. Under at-least-once
//! delivery it acknowledges each publish, keeps every delivery until the
//! subscriber acknowledges it and sends it again after a timeout, so a
//! subscriber cut off by a partition catches up once the link heals, and a
//! late acknowledgement produces a real duplicate.

use std::collections::BTreeMap;

use super::retry::Retries;
use super::{Actor, Cx, DedupWindow, Incoming};
use crate::model::{Body, EventId, Micros, NodeIdx, Sym};
use crate::scenario::{BrokerSpec, Delivery};
use crate::sim::wiring::Wiring;

/// Subscribers of one topic.
#[derive(Clone, Debug)]
pub struct Subscription {
    pub topic: Sym,
    pub subscribers: Vec<NodeIdx>,
}

#[derive(Clone, Debug)]
pub struct Broker {
    subscriptions: Vec<Subscription>,
    /// Every event received, per topic, in arrival order (durable).
    pub log: BTreeMap<Sym, Vec<u32>>,
    /// Event ids already taken in, per publisher, so a publisher's resend
    /// is acknowledged again but not fanned out twice (durable).
    received: BTreeMap<NodeIdx, DedupWindow>,
    /// Deliveries not yet acknowledged, for at-least-once (durable, like a
    /// broker's stored offsets); `None` for at-most-once.
    unacked: Option<Retries<(NodeIdx, EventId)>>,
}

impl Broker {
    /// A broker serving the subscriptions the wiring collected for it.
    pub fn build(spec: &BrokerSpec, w: &mut Wiring) -> Self {
        let timeout = match spec.delivery {
            Delivery::AtLeastOnce { ack_timeout } => Some(ack_timeout.0.max(1)),
            Delivery::AtMostOnce => None,
        };
        let subscriptions = w.subscriptions.remove(&w.me).unwrap_or_default();
        Broker::new(subscriptions, timeout)
    }

    pub fn new(subscriptions: Vec<Subscription>, ack_timeout: Option<Micros>) -> Self {
        Broker {
            subscriptions,
            log: BTreeMap::new(),
            received: BTreeMap::new(),
            unacked: ack_timeout.map(|t| Retries::new(t, 0)),
        }
    }

    /// Deliveries still waiting for an acknowledgement.
    pub fn unacked(&self) -> usize {
        self.unacked.as_ref().map_or(0, Retries::len)
    }
}

impl Actor for Broker {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Event { event, topic, .. } => {
                if self.unacked.is_some() {
                    cx.send(m.from, Body::Ack { event });
                }
                if !self
                    .received
                    .entry(event.origin)
                    .or_default()
                    .insert(event.seq)
                {
                    return;
                }
                self.log.entry(topic).or_default().push(m.body_id);
                let Some(sub) = self.subscriptions.iter().find(|s| s.topic == topic) else {
                    return;
                };
                for &to in &sub.subscribers {
                    match &mut self.unacked {
                        Some(r) => r.send(cx, (to, event), to, m.body_id),
                        None => cx.forward(to, m.body_id),
                    }
                }
            }
            Body::Ack { event } => {
                if let Some(r) = &mut self.unacked {
                    r.ack(&(m.from, event));
                }
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, _tag: u64) {
        if let Some(r) = &mut self.unacked {
            r.on_timer(cx);
        }
    }

    fn on_restart(&mut self, cx: &mut Cx) {
        if let Some(r) = &mut self.unacked {
            r.rearm(cx);
        }
    }
}
