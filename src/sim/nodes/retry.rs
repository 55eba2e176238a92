//! Resending until acknowledged: the mechanism behind at-least-once
//! delivery, shared by the broker (towards subscribers) and by services
//! (towards the broker). Each entry is resent when its acknowledgement is
//! overdue, waiting twice as long each time, up to eight times the timeout.

use std::collections::BTreeMap;

use super::Cx;
use crate::model::NodeIdx;
use crate::model::message_flags::REDELIVERY;
use crate::scenario::Micros;

#[derive(Clone, Copy, Debug)]
struct Entry {
    to: NodeIdx,
    body: u32,
    attempts: u32,
    due: Micros,
}

/// Deliveries waiting for an acknowledgement, keyed by `K`.
#[derive(Clone, Debug)]
pub struct Retries<K: Ord> {
    timeout: Micros,
    /// Timer tag this node uses for its resend checks.
    tag: u64,
    waiting: BTreeMap<K, Entry>,
    /// The earliest check already scheduled (memory only).
    armed: Option<Micros>,
    /// Give up on an entry after this many sends; `None`: never.
    max_attempts: Option<u32>,
}

/// A delivery given up after its last attempt: its key, receiver, body
/// and how many times it was sent.
pub type GivenUp<K> = (K, NodeIdx, u32, u32);

impl<K: Ord + Copy> Retries<K> {
    pub fn new(timeout: Micros, tag: u64) -> Self {
        Retries {
            timeout: timeout.max(1),
            tag,
            waiting: BTreeMap::new(),
            armed: None,
            max_attempts: None,
        }
    }

    /// Gives up on an entry after `n` sends instead of retrying for ever.
    pub fn with_max_attempts(mut self, n: Option<u32>) -> Self {
        self.max_attempts = n.map(|n| n.max(1));
        self
    }

    /// Sends `body` to `to` and keeps it until `ack(key)`.
    pub fn send(&mut self, cx: &mut Cx, key: K, to: NodeIdx, body: u32) {
        cx.forward(to, body);
        let due = cx.now + self.timeout;
        self.waiting.insert(
            key,
            Entry {
                to,
                body,
                attempts: 1,
                due,
            },
        );
        self.arm(cx, due);
    }

    pub fn ack(&mut self, key: &K) {
        self.waiting.remove(key);
    }

    /// Resends what is overdue, and returns what has used up its attempts
    /// (removed, not resent). Call from the node's timer with `self.tag`.
    pub fn on_timer(&mut self, cx: &mut Cx) -> Vec<GivenUp<K>> {
        // An earlier check superseded by a nearer one: let only the one
        // now armed run, so chains of checks never pile up.
        if self.armed.is_some_and(|a| a > cx.now) {
            return Vec::new();
        }
        self.armed = None;
        let mut given_up = Vec::new();
        for (k, e) in &self.waiting {
            if e.due <= cx.now && self.max_attempts.is_some_and(|m| e.attempts >= m) {
                given_up.push((*k, e.to, e.body, e.attempts));
            }
        }
        for (k, ..) in &given_up {
            self.waiting.remove(k);
        }
        let mut next: Option<Micros> = None;
        for e in self.waiting.values_mut() {
            if e.due <= cx.now {
                cx.forward_flagged(e.to, e.body, REDELIVERY);
                e.attempts += 1;
                e.due = cx.now + self.timeout * (1u64 << (e.attempts - 1).min(3));
            }
            next = Some(next.map_or(e.due, |n| n.min(e.due)));
        }
        if let Some(due) = next {
            self.arm(cx, due);
        }
        given_up
    }

    /// After a restart: timers died with the crash, so schedule again.
    pub fn rearm(&mut self, cx: &mut Cx) {
        self.armed = None;
        if let Some(due) = self.waiting.values().map(|e| e.due.max(cx.now)).min() {
            self.arm(cx, due);
        }
    }

    /// Forgets everything (for state that lives only in memory).
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.armed = None;
    }

    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    fn arm(&mut self, cx: &mut Cx, due: Micros) {
        if self.armed.is_some_and(|a| a <= due) {
            return;
        }
        self.armed = Some(due);
        cx.timer(due.saturating_sub(cx.now), self.tag);
    }
}
