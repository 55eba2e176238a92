//! A message broker: topics with subscriptions. Under at-least-once
//! delivery it acknowledges each publish, keeps every delivery until the
//! subscriber acknowledges it and sends it again after a timeout, so a
//! subscriber that is down or cut off by a partition catches up once it is
//! back (its messages wait; they are never given up for silence), and a
//! lost or late acknowledgement produces a real duplicate. A subscriber
//! that rejects a delivery (a poison message it cannot handle) gets it
//! again at once; with a limit on attempts the broker gives up after that
//! many rejections and parks it in a dead-letter queue (shown as a table),
//! from which an operator can re-drive it once the consumer is fixed.
//!
//! It is a queue, not a log: a message is kept only until every
//! subscriber has acknowledged it (at most once: not at all), then it is
//! gone, so nothing can be read again from the start. A projection that
//! must be rebuilt reads from a partitioned log instead.

use std::collections::BTreeMap;

use super::retry::Retries;
use super::{Actor, Cx, Incoming, Store};
use crate::model::deliver_flags::DEAD_LETTERED;
use crate::model::{Body, EventId, Key, Micros, NodeIdx, Sym, Value, body_label};
use crate::scenario::{BrokerSpec, Delivery};
use crate::sim::wiring::Wiring;

/// Subscribers of one topic.
#[derive(Clone, Debug)]
pub struct Subscription {
    pub topic: Sym,
    pub subscribers: Vec<NodeIdx>,
}

/// The name of a broker's dead-letter table.
pub use crate::scenario::dead_letter_table;

/// The row of a dead letter: which event (publisher and number) for which
/// subscriber. Defined once, for the broker and for the checks.
pub fn dead_letter_row(publisher: &str, seq: u32, subscriber: &str) -> String {
    format!("{publisher}#{seq} → {subscriber}")
}

/// Deliveries given up on, parked until an operator re-drives them.
#[derive(Clone, Debug)]
struct DeadLetters {
    table: Sym,
    /// Every node's id, to name rows.
    ids: Vec<Sym>,
    /// Parked deliveries by row: receiver, event and body (durable).
    parked: BTreeMap<Sym, (NodeIdx, EventId, u32)>,
}

#[derive(Clone, Debug)]
pub struct Broker {
    subscriptions: Vec<Subscription>,
    /// Deliveries not yet acknowledged, for at-least-once (durable, like a
    /// broker's stored offsets); `None` for at-most-once.
    unacked: Option<Retries<(NodeIdx, EventId)>>,
    /// The dead-letter queue, when attempts are limited.
    dead: Option<DeadLetters>,
    /// The dead-letter queue as records (durable).
    store: Store,
}

impl Broker {
    /// A broker serving the subscriptions the wiring collected for it.
    pub fn build(spec: &BrokerSpec, w: &mut Wiring) -> Self {
        let timeout = match spec.delivery {
            Delivery::AtLeastOnce { ack_timeout } => Some(ack_timeout.0.max(1)),
            Delivery::AtMostOnce => None,
        };
        let subscriptions = w.subscriptions.remove(&w.me).unwrap_or_default();
        let mut b = Broker::new(subscriptions, timeout);
        if let Some(max) = spec.max_attempts
            && let Some(r) = b.unacked.take()
        {
            b.unacked = Some(r.with_max_attempts(Some(max)));
            let table = w.intern(&dead_letter_table(w.my_id));
            let ids = w
                .scenario
                .nodes
                .iter()
                .map(|n| w.names.intern(&n.id))
                .collect();
            b.dead = Some(DeadLetters {
                table,
                ids,
                parked: BTreeMap::new(),
            });
        }
        b
    }

    pub fn new(subscriptions: Vec<Subscription>, ack_timeout: Option<Micros>) -> Self {
        Broker {
            subscriptions,
            unacked: ack_timeout.map(|t| Retries::new(t, 0)),
            dead: None,
            store: Store::default(),
        }
    }

    /// Deliveries still waiting for an acknowledgement.
    pub fn unacked(&self) -> usize {
        self.unacked.as_ref().map_or(0, Retries::len)
    }

    /// Deliveries parked in the dead-letter queue.
    pub fn dead_letters(&self) -> usize {
        self.dead.as_ref().map_or(0, |d| d.parked.len())
    }

    /// Parks deliveries given up on, each as a row saying what and why.
    fn park(&mut self, cx: &mut Cx, given_up: Vec<((NodeIdx, EventId), NodeIdx, u32, u32)>) {
        let Some(dead) = &mut self.dead else {
            return;
        };
        for ((_, event), to, body, attempts) in given_up {
            let name = |n: NodeIdx| dead.ids.get(n as usize).copied().unwrap_or(0);
            let row = dead_letter_row(
                cx.names.get(name(event.origin)),
                event.seq,
                cx.names.get(name(to)),
            );
            let what = cx
                .body(body)
                .map(|b| body_label(cx.names, &b))
                .unwrap_or_default();
            let text = format!("{what} (rejected {attempts} times)");
            let key = Key {
                table: dead.table,
                id: cx.names.intern(&row),
            };
            let value = Value::Text(cx.names.intern(&text));
            let record = self.store.commit(key, value, cx.now, cx.me);
            let image = cx.keep(Body::Stored { record });
            cx.changed(image);
            dead.parked.insert(key.id, (to, event, body));
            cx.flags |= DEAD_LETTERED;
        }
    }
}

impl Actor for Broker {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Event { event, topic, .. } => {
                // A queue takes every publish as a new message: a producer
                // that resends after a lost acknowledgement publishes twice,
                // and the copies reach subscribers as duplicates.
                if self.unacked.is_some() {
                    cx.send(m.from, Body::Ack { event });
                }
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
            Body::Reject { event } => {
                let given_up = match &mut self.unacked {
                    Some(r) => r.reject(cx, &(m.from, event)),
                    None => None,
                };
                self.park(cx, given_up.into_iter().collect());
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

    /// Delivers every parked message again, with a fresh count of
    /// attempts, and empties the queue. Each goes out now, behind every
    /// newer event the subscriber has had meanwhile: a re-drive does not
    /// keep the order of a key's events.
    fn on_redrive(&mut self, cx: &mut Cx) {
        let (Some(dead), Some(r)) = (&mut self.dead, &mut self.unacked) else {
            return;
        };
        for (row, (to, event, body)) in std::mem::take(&mut dead.parked) {
            r.send(cx, (to, event), to, body);
            let key = Key {
                table: dead.table,
                id: row,
            };
            let record = self.store.commit(key, Value::Absent, cx.now, cx.me);
            let image = cx.keep(Body::Stored { record });
            cx.changed(image);
        }
    }

    fn store(&self) -> Option<&Store> {
        self.dead.as_ref().map(|_| &self.store)
    }
}
