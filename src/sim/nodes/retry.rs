//! Resending until acknowledged: the mechanism behind at-least-once
//! delivery, shared by the broker (towards subscribers) and by services
//! (towards the broker). Each entry is resent when its acknowledgement is
//! overdue, waiting twice as long each time, up to eight times the timeout.
//!
//! Silence never uses up an entry: a receiver that is down or cut off
//! leaves its deliveries waiting (lag), resent with backoff until they
//! land. Only a receiver that answers "I cannot handle this" (a reject)
//! spends an attempt, and with a limit the entry is given up after that
//! many rejections: a poison message, for a dead-letter queue. (A real
//! broker may also count a delivery whose consumer crashed holding it;
//! Settle counts rejections only.)

use std::collections::BTreeMap;

use super::Cx;
use crate::model::NodeIdx;
use crate::model::message_flags::REDELIVERY;
use crate::scenario::Micros;

#[derive(Clone, Copy, Debug)]
struct Entry {
    to: NodeIdx,
    body: u32,
    /// Times sent: sets the backoff.
    sends: u32,
    /// Times the receiver rejected it: counts towards the limit.
    rejections: u32,
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
    /// Give up on an entry after this many rejections; `None`: never.
    max_attempts: Option<u32>,
}

/// A delivery given up after its last attempt: its key, receiver, body
/// and how many times it was rejected.
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

    /// Gives up on an entry after `n` rejections instead of retrying for
    /// ever.
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
                sends: 1,
                rejections: 0,
                due,
            },
        );
        self.arm(cx, due);
    }

    pub fn ack(&mut self, key: &K) {
        self.waiting.remove(key);
    }

    /// The receiver rejected the entry `key`: count it, and send it again
    /// at once (a requeue), or give it up if that was its last attempt
    /// (removed, not resent). An entry already given up or acknowledged
    /// is ignored.
    pub fn reject(&mut self, cx: &mut Cx, key: &K) -> Option<GivenUp<K>> {
        let e = self.waiting.get_mut(key)?;
        e.rejections += 1;
        if self.max_attempts.is_some_and(|m| e.rejections >= m) {
            let (to, body, n) = (e.to, e.body, e.rejections);
            self.waiting.remove(key);
            return Some((*key, to, body, n));
        }
        cx.forward_flagged(e.to, e.body, REDELIVERY);
        e.sends += 1;
        e.due = cx.now + self.timeout;
        let due = e.due;
        self.arm(cx, due);
        None
    }

    /// Resends what is overdue, waiting longer each time. Call from the
    /// node's timer with `self.tag`.
    pub fn on_timer(&mut self, cx: &mut Cx) {
        // An earlier check superseded by a nearer one: let only the one
        // now armed run, so chains of checks never pile up.
        if self.armed.is_some_and(|a| a > cx.now) {
            return;
        }
        self.armed = None;
        let mut next: Option<Micros> = None;
        for e in self.waiting.values_mut() {
            if e.due <= cx.now {
                cx.forward_flagged(e.to, e.body, REDELIVERY);
                e.sends += 1;
                e.due = cx.now + self.timeout * (1u64 << (e.sends - 1).min(3));
            }
            next = Some(next.map_or(e.due, |n| n.min(e.due)));
        }
        if let Some(due) = next {
            self.arm(cx, due);
        }
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
