//! Choices of what arrives next, as the choose-next mode records them in
//! the drawing ([`crate::scenario::Fault::Deliver`], `Drop`, `Duplicate`):
//! just before a queued message arrives, the learner has a message still
//! in flight arrive instead, be lost, or arrive twice.
//!
//! A choice is not queued as a happening of its own: it is applied when
//! the arrival it was made in front of comes up, so it lands exactly where
//! the learner made it, even among several arrivals at the same
//! microsecond, and a run without choices is the same run as before,
//! happening for happening. A choice whose messages are no longer where it
//! found them (something earlier in the run changed) does nothing.

use std::collections::BTreeSet;

use super::Engine;
use crate::model::{Micros, message_flags};
use crate::scenario::{Choice, Fault};
use crate::trace::{DropReason, Fate, FaultEvent, FaultRec, Message, StepKind};

/// One recorded choice, as the engine applies it.
#[derive(Clone, Copy, Debug)]
struct Pick {
    at: Micros,
    message: u32,
    before: u32,
    choice: Choice,
}

/// The drawing's choices, and the messages they have settled.
#[derive(Debug, Default)]
pub(crate) struct Choices {
    /// In time order (file order among equal times); `None` once applied.
    picks: Vec<Option<Pick>>,
    /// The first pick that may still apply.
    next: usize,
    /// Messages a choice delivered or dropped whose queued arrival is
    /// still to come: that arrival is void.
    settled: BTreeSet<u32>,
}

impl Choices {
    /// Nothing left to apply or to skip: the engine's fast path.
    #[inline]
    pub(super) fn idle(&self) -> bool {
        self.next >= self.picks.len() && self.settled.is_empty()
    }

    /// Queued arrivals a choice has already made happen (void when they
    /// come up).
    pub(super) fn settled(&self) -> usize {
        self.settled.len()
    }
}

impl Engine {
    /// Takes the choices among `faults`, to apply as the run goes.
    pub(crate) fn plan_choices(&mut self, faults: &[Fault]) {
        let mut picks: Vec<Pick> = faults
            .iter()
            .filter_map(|f| {
                let (message, before, choice) = f.choice()?;
                Some(Pick {
                    at: f.at().0,
                    message,
                    before,
                    choice,
                })
            })
            .collect();
        picks.sort_by_key(|p| p.at);
        self.choices = Choices {
            picks: picks.into_iter().map(Some).collect(),
            next: 0,
            settled: BTreeSet::new(),
        };
    }

    /// The queued arrival of message `m` (doomed for `why`, if it was):
    /// the choices made just before it first, then the arrival itself,
    /// unless a choice already settled the message.
    #[inline]
    pub(super) fn arrival(&mut self, m: u32, why: Option<DropReason>) {
        if self.choices.idle() || !self.before_arrival(m) {
            self.arrive(m, why);
        }
    }

    /// Called as the queued arrival of message `m` comes up: applies the
    /// choices made just before it, in the order they were made, then
    /// says whether `m` was already settled by a choice (its arrival is
    /// then void).
    fn before_arrival(&mut self, m: u32) -> bool {
        let now = self.now;
        // A choice whose moment passed without its arrival coming up
        // there belongs to a run that has since changed: it is void.
        while let Some(p) = self.choices.picks.get(self.choices.next) {
            match p {
                Some(p) if p.at >= now => break,
                _ => self.choices.next += 1,
            }
        }
        let mut i = self.choices.next;
        while let Some(slot) = self.choices.picks.get_mut(i) {
            match *slot {
                Some(p) if p.at > now => break,
                Some(p) if p.before == m => {
                    *slot = None;
                    self.apply_choice(p);
                }
                _ => {}
            }
            i += 1;
        }
        self.choices.settled.remove(&m)
    }

    /// Why message `m`, still queued, was doomed when it was sent, if it was.
    fn doom_of(&self, m: u32) -> Option<DropReason> {
        self.doomed
            .iter()
            .enumerate()
            .find(|&(slot, &(d, _))| d == m && !self.free_doomed.contains(&(slot as u32)))
            .map(|(_, &(_, why))| why)
    }

    /// Carries out one choice now: a fault step at the message's sender
    /// says what was chosen, then the message arrives (or is lost) now.
    /// What happens on arrival is what would have happened at its own
    /// time: a cut link or a crashed receiver still drops it, and a
    /// message the link was to lose is still lost.
    fn apply_choice(&mut self, p: Pick) {
        let Some(msg) = self.trace.messages.get(p.message as usize).copied() else {
            return;
        };
        if msg.fate() != Fate::InFlight || self.choices.settled.contains(&p.message) {
            return;
        }
        let doom = self.doom_of(p.message);
        let from = self.trace.sender(&msg);
        let id = u32::try_from(self.trace.faults.len()).unwrap_or(u32::MAX);
        self.trace.faults.push(FaultRec {
            at: self.now,
            fault: FaultEvent::Chosen {
                message: p.message,
                before: p.before,
                choice: p.choice,
            },
        });
        let step = self.record(StepKind::Fault, from, id, 0);
        // It arrives now, and the trace says so: its arrival time is the
        // time of the step that delivers or drops it.
        if let Some(stored) = self.trace.messages.get_mut(p.message as usize) {
            *stored = Message::new(
                self.now,
                msg.body,
                msg.cause,
                msg.to,
                msg.flags,
                Fate::InFlight,
            );
        }
        self.choices.settled.insert(p.message);
        match p.choice {
            Choice::Deliver => self.arrive(p.message, doom),
            Choice::Drop => self.arrive(p.message, Some(DropReason::Lost)),
            Choice::Twice => {
                self.arrive(p.message, doom);
                // The copy is sent by the choice's step (at the sender),
                // so messages stay in the order of the steps that sent them.
                self.launch(
                    step,
                    msg.to,
                    msg.body,
                    msg.flags | message_flags::DUPLICATE,
                    0,
                    doom,
                );
                self.trace.totals.duplicated += 1;
            }
        }
    }
}
