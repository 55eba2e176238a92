//! Messages on the network: sampling a link's latency, loss and
//! duplication when a node sends, and delivering or dropping on arrival.

use rand::RngExt;

use super::{Engine, LinkRt, What};
use crate::model::{Answer, Body, Micros, NodeIdx, message_flags};
use crate::scenario::Latency;
use crate::sim::nodes::Incoming;
use crate::trace::{DropReason, Fate, Message, StepKind};

impl Engine {
    pub(super) fn arrive(&mut self, m: u32, doomed: Option<DropReason>) {
        let Some(msg) = self.trace.messages.get(m as usize).copied() else {
            return;
        };
        let to = msg.to;
        let from = self.trace.sender(&msg);
        let reason = doomed
            .or_else(|| {
                (!self.cut.is_empty() && self.cut.contains(&(from, to)))
                    .then_some(DropReason::Partition)
            })
            .or_else(|| {
                (!self.nodes.get(to as usize).is_some_and(|n| n.up)).then_some(DropReason::NodeDown)
            });
        if let Some(reason) = reason {
            self.record(StepKind::Drop, to, m, reason as u16);
            self.trace.totals.dropped += 1;
            if let Some(stored) = self.trace.messages.get_mut(m as usize) {
                stored.set_fate(Fate::Dropped);
            }
            return;
        }
        let step = self.record(StepKind::Deliver, to, m, 0);
        self.trace.totals.delivered += 1;
        if let Some(stored) = self.trace.messages.get_mut(m as usize) {
            stored.set_fate(Fate::Delivered);
        }
        let Some(&body) = self.trace.bodies.get(msg.body as usize) else {
            return;
        };
        match body {
            Body::Answer { .. } => self.trace.totals.answers += 1,
            Body::Ack { .. } => self.trace.totals.acks += 1,
            _ => {}
        }
        let incoming = Incoming {
            from,
            body_id: msg.body,
            body,
        };
        let flags = self.with_node(to, |beh, cx| beh.on_message(cx, &incoming));
        self.finish(step, to, flags, Some(msg.body));
    }

    fn link(&self, from: NodeIdx, to: NodeIdx) -> Option<LinkRt> {
        let i = self.routes.link(from, to)?;
        self.links.get(i as usize).copied()
    }

    pub(super) fn send(
        &mut self,
        cause: u32,
        from: NodeIdx,
        to: NodeIdx,
        body: u32,
        mut flags: u8,
    ) {
        // One look at the body decides both judgements.
        let (stale, foreign) = match self.trace.bodies.get(body as usize) {
            Some(Body::Answer {
                answer: Answer::Read { key, version, .. },
                ..
            }) => {
                // Older than the owner's latest; or, for a view that is
                // not a copy of one table (a projection), not having
                // folded the owners' latest writes.
                let stale = self.latest.get(key).is_some_and(|latest| latest > version)
                    || self
                        .nodes
                        .get(from as usize)
                        .is_some_and(|rt| rt.beh.behind(&self.latest));
                (stale, false)
            }
            // Data ownership: a service reading a table another service owns.
            Some(Body::DbRead { key, .. }) => {
                let foreign = self
                    .table_service
                    .get(&key.table)
                    .is_some_and(|&owner| owner != from);
                (false, foreign)
            }
            _ => (false, false),
        };
        if stale {
            flags |= message_flags::STALE;
            self.trace.totals.stale_reads += 1;
        }
        if foreign {
            flags |= message_flags::FOREIGN;
            self.trace.totals.foreign_reads += 1;
        }
        if flags & message_flags::REDELIVERY != 0 {
            self.trace.totals.redeliveries += 1;
        }
        let Some(link) = self.link(from, to) else {
            self.launch(cause, to, body, flags, 0, Some(DropReason::NoRoute));
            return;
        };
        let copies = 1 + u8::from(self.chance(from, link.duplicate));
        for copy in 0..copies {
            let latency = self.latency(from, link.latency);
            let lost = self.chance(from, link.loss).then_some(DropReason::Lost);
            let f = if copy > 0 {
                flags | message_flags::DUPLICATE
            } else {
                flags
            };
            self.launch(cause, to, body, f, latency, lost);
        }
        if copies > 1 {
            self.trace.totals.duplicated += 1;
        }
    }

    pub(super) fn launch(
        &mut self,
        cause: u32,
        to: NodeIdx,
        body: u32,
        flags: u8,
        latency: Micros,
        doomed: Option<DropReason>,
    ) {
        let at = self.now.saturating_add(latency).min(Message::LATEST);
        let m = self
            .trace
            .messages
            .push(Message::new(at, body, cause, to, flags, Fate::InFlight));
        let m = u32::try_from(m).unwrap_or(u32::MAX);
        self.trace.totals.sent += 1;
        match doomed {
            Some(why) => self.push_doomed(at, m, why),
            None => self.push(at, What::Arrive(m)),
        }
    }

    fn chance(&mut self, node: NodeIdx, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        let Some(rt) = self.nodes.get_mut(node as usize) else {
            return false;
        };
        rt.rng.random::<f64>() < p
    }

    fn latency(&mut self, node: NodeIdx, l: Latency) -> Micros {
        match l {
            Latency::Fixed(d) => d.0,
            Latency::Uniform { min, max } => match self.nodes.get_mut(node as usize) {
                Some(rt) if max.0 > min.0 => rt.rng.random_range(min.0..=max.0),
                _ => min.0,
            },
        }
    }
}
