//! The queue of pending happenings, in (time, sequence) order.
//!
//! Nearly everything a run queues is due within a few tens of
//! milliseconds (a message's latency, a timer), so the queue is a timing
//! wheel: one slot per 8 µs for the next 32 ms, each slot a list kept in
//! (time, sequence) order, and a bitmap of the slots that hold something.
//! Queuing is an append (or a short walk within 8 µs), and the next
//! happening is the head of the first marked slot. What is due later
//! waits in a binary heap and moves into the wheel as time comes within
//! reach of it. Any order of pushes is handled; one earlier than the
//! last taken (the engine makes none) rebuilds the wheel from it. A run
//! that never has many happenings pending (a lesson, each of a search's
//! runs) keeps them all in the heap and never sets up the wheel.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::model::Micros;

/// A queued happening: 16 bytes. The order is (time, sequence number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pending {
    pub at: Micros,
    pub seq: u32,
    pub what: u32,
}

impl Ord for Pending {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse so the earliest comes first.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Pending {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Microseconds per slot, as a shift.
const SHIFT: u32 = 3;
/// Slots in the wheel (a power of two, at most 64 × 64 for the bitmaps).
const SLOTS: usize = 1 << 12;
const MASK: usize = SLOTS - 1;
/// No entry.
const NIL: u32 = u32::MAX;
/// How many pending happenings set up the wheel.
const WHEEL_FROM: usize = 256;

#[inline]
fn earlier(a: &Pending, b: &Pending) -> bool {
    (a.at, a.seq) < (b.at, b.seq)
}

#[inline]
fn block(at: Micros) -> u64 {
    at >> SHIFT
}

/// Pending happenings, earliest first.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// First and last entry of each slot's list (empty until first used).
    head: Vec<u32>,
    tail: Vec<u32>,
    /// Entries and the next of each in its list; freed ones chain from
    /// `free`.
    entries: Vec<(Pending, u32)>,
    free: Option<u32>,
    /// Bit `s % 64` of word `s / 64`: slot `s` holds something; bit `w`
    /// of `summary`: word `w` is not zero.
    bits: Vec<u64>,
    summary: u64,
    /// What is due beyond the wheel's reach.
    far: BinaryHeap<Pending>,
    /// The time of the last happening taken: the wheel holds what is due
    /// in the `SLOTS` blocks from its block on.
    now: Micros,
    in_wheel: usize,
}

impl Queue {
    pub fn len(&self) -> usize {
        self.in_wheel + self.far.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues `p`.
    #[inline]
    pub fn push(&mut self, p: Pending) {
        if p.at < self.now {
            return self.push_earlier(p);
        }
        if self.head.is_empty() {
            self.far.push(p);
            if self.far.len() >= WHEEL_FROM {
                self.head = vec![NIL; SLOTS];
                self.tail = vec![NIL; SLOTS];
                self.bits = vec![0; SLOTS / 64];
                self.reach();
            }
            return;
        }
        if block(p.at) - block(self.now) < SLOTS as u64 {
            self.put(p);
        } else {
            self.far.push(p);
        }
    }

    /// A push before the last happening taken: start again from it.
    #[cold]
    fn push_earlier(&mut self, p: Pending) {
        let all = self.drain_sorted();
        self.now = all.first().map_or(p.at, |q| q.at.min(p.at));
        for q in all {
            self.push(q);
        }
        self.push(p);
    }

    /// Puts `p` in its slot's list, in order (the wheel is set up).
    fn put(&mut self, p: Pending) {
        let s = (block(p.at) as usize) & MASK;
        let n = match self.free {
            Some(n) => {
                self.free = self
                    .entries
                    .get(n as usize)
                    .map(|e| e.1)
                    .filter(|&f| f != NIL);
                n
            }
            None => {
                self.entries.push((p, NIL));
                u32::try_from(self.entries.len() - 1).unwrap_or(NIL)
            }
        };
        self.in_wheel += 1;
        let (head, tail) = (self.head[s], self.tail[s]);
        if head == NIL {
            self.entries[n as usize] = (p, NIL);
            self.head[s] = n;
            self.tail[s] = n;
            self.bits[s >> 6] |= 1 << (s & 63);
            self.summary |= 1 << (s >> 6);
        } else if !earlier(&p, &self.entries[tail as usize].0) {
            self.entries[n as usize] = (p, NIL);
            self.entries[tail as usize].1 = n;
            self.tail[s] = n;
        } else if earlier(&p, &self.entries[head as usize].0) {
            self.entries[n as usize] = (p, head);
            self.head[s] = n;
        } else {
            // Somewhere inside: after the last entry not later than it.
            let mut at = head;
            loop {
                let next = self.entries[at as usize].1;
                if next == NIL || earlier(&p, &self.entries[next as usize].0) {
                    self.entries[n as usize] = (p, next);
                    self.entries[at as usize].1 = n;
                    break;
                }
                at = next;
            }
        }
    }

    /// The first slot holding something, from the current one on.
    #[inline]
    fn first_slot(&self) -> Option<usize> {
        if self.in_wheel == 0 {
            return None;
        }
        let cursor = (block(self.now) as usize) & MASK;
        let w = cursor >> 6;
        let here = self.bits[w] & (!0u64 << (cursor & 63));
        if here != 0 {
            return Some((w << 6) | here.trailing_zeros() as usize);
        }
        let later = if w == 63 {
            0
        } else {
            self.summary & (!0u64 << (w + 1))
        };
        let word = if later != 0 {
            later.trailing_zeros() as usize
        } else {
            // Round the wheel: the earliest words hold the latest blocks.
            self.summary.trailing_zeros() as usize
        };
        Some((word << 6) | self.bits[word].trailing_zeros() as usize)
    }

    /// The earliest happening, without taking it.
    #[inline]
    pub fn peek(&self) -> Option<Pending> {
        match self.first_slot() {
            Some(s) => Some(self.entries[self.head[s] as usize].0),
            None => self.far.peek().copied(),
        }
    }

    /// Takes the earliest happening.
    #[inline]
    pub fn pop(&mut self) -> Option<Pending> {
        if self.head.is_empty() {
            let p = self.far.pop()?;
            self.now = p.at;
            return Some(p);
        }
        if self.in_wheel == 0 {
            self.now = self.far.peek()?.at;
            self.reach();
        }
        let s = self.first_slot()?;
        let n = self.head[s];
        let (p, next) = self.entries[n as usize];
        self.entries[n as usize].1 = self.free.unwrap_or(NIL);
        self.free = Some(n);
        self.in_wheel -= 1;
        self.head[s] = next;
        if next == NIL {
            self.tail[s] = NIL;
            self.bits[s >> 6] &= !(1 << (s & 63));
            if self.bits[s >> 6] == 0 {
                self.summary &= !(1 << (s >> 6));
            }
        }
        let moved = block(p.at) != block(self.now);
        self.now = p.at;
        if moved {
            self.reach();
        }
        Some(p)
    }

    /// Moves into the wheel what has come within its reach.
    fn reach(&mut self) {
        while let Some(p) = self.far.peek().copied() {
            if block(p.at) - block(self.now) >= SLOTS as u64 {
                break;
            }
            self.far.pop();
            self.put(p);
        }
    }

    /// Everything queued, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = Pending> + '_ {
        let wheel = (0..self.head.len()).flat_map(move |s| {
            let mut at = self.head[s];
            std::iter::from_fn(move || {
                let (p, next) = *self.entries.get(at as usize)?;
                at = next;
                Some(p)
            })
        });
        wheel.chain(self.far.iter().copied())
    }

    /// Takes everything, in (time, sequence) order.
    pub fn drain_sorted(&mut self) -> Vec<Pending> {
        let mut all: Vec<Pending> = self.iter().collect();
        all.sort_by_key(|p| (p.at, p.seq));
        let now = self.now;
        *self = Queue::default();
        self.now = now;
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wheel gives what a binary heap gives, for pushes near and far,
    /// ties in time, and pushes before the last taken.
    #[test]
    fn takes_in_the_order_a_heap_would() {
        let mut state = 7u64;
        let mut draw = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let mut heap = BinaryHeap::new();
        let mut wheel = Queue::default();
        let (mut seq, mut now) = (0u32, 0u64);
        for _ in 0..100_000 {
            if draw(5) < 3 || heap.is_empty() {
                seq += 1;
                let at = match draw(1000) {
                    0 => now.saturating_sub(draw(50)),
                    1..=99 => now + draw(200_000),
                    100..=199 => now,
                    _ => now + draw(40),
                };
                let p = Pending { at, seq, what: seq };
                heap.push(p);
                wheel.push(p);
            } else {
                assert_eq!(wheel.peek(), heap.peek().copied());
                let p = heap.pop();
                assert_eq!(wheel.pop(), p);
                now = p.map_or(now, |p| p.at);
            }
            assert_eq!(wheel.len(), heap.len());
        }
        let mut rest = heap.into_sorted_vec();
        rest.reverse();
        assert_eq!(wheel.drain_sorted(), rest);
    }
}
