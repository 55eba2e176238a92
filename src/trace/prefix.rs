//! A trace cut at a moment: what had happened once a number of steps were
//! applied, as if the run had stopped there. Checks judge the moment shown
//! on a prefix, so a verdict never depends on what the viewer has not yet
//! reached.

use super::{Fate, StepKind, Totals, Trace};
use crate::model::{Body, deliver_flags, message_flags};

impl Totals {
    /// Counts everything the engine counts as it runs, from the record
    /// alone. Equal to the engine's running totals (a test keeps it so).
    pub fn recount(trace: &Trace) -> Totals {
        let mut t = Totals {
            sent: trace.messages.len() as u64,
            changes: trace.changes.len() as u64,
            ..Totals::default()
        };
        for m in trace.messages.iter() {
            let f = m.flags;
            t.duplicated += u64::from(f & message_flags::DUPLICATE != 0);
            t.redeliveries += u64::from(f & message_flags::REDELIVERY != 0);
            t.stale_reads += u64::from(f & message_flags::STALE != 0);
            t.foreign_reads += u64::from(f & message_flags::FOREIGN != 0);
        }
        for s in trace.steps.iter() {
            let f = s.flags;
            match s.kind {
                StepKind::Deliver => {
                    t.delivered += 1;
                    match trace.message(s.id).and_then(|m| trace.body(m.body)) {
                        Some(Body::Answer { .. }) => t.answers += 1,
                        Some(Body::Ack { .. }) => t.acks += 1,
                        _ => {}
                    }
                }
                StepKind::Drop => t.dropped += 1,
                StepKind::Work => t.requests += 1,
                StepKind::Timer | StepKind::Fault | StepKind::Mark | StepKind::Initial => {}
            }
            if s.kind != StepKind::Drop {
                t.duplicates_ignored += u64::from(f & deliver_flags::DUPLICATE_IGNORED != 0);
                t.older_ignored += u64::from(f & deliver_flags::OLDER_IGNORED != 0);
                t.gave_up += u64::from(f & deliver_flags::GAVE_UP != 0);
                t.writes_lost += u64::from(f & deliver_flags::WRITE_LOST != 0);
                t.lost_updates += u64::from(f & deliver_flags::LOST_UPDATE != 0);
                t.version_conflicts += u64::from(f & deliver_flags::VERSION_CONFLICT != 0);
            }
        }
        t
    }
}

impl Trace {
    /// The trace as it stood once `upto` steps were applied: later steps,
    /// the messages and changes they made and the faults not yet happened
    /// are gone; messages whose arrival lies ahead are in flight again.
    pub fn prefix(&self, upto: usize) -> Trace {
        let upto = upto.min(self.steps.len());
        let mut t = self.clone();
        t.steps.truncate(upto);
        t.messages.truncate(self.first_message_of(upto as u32));
        t.changes.truncate(self.first_change_of(upto as u32));
        let faults = t.steps.iter().filter(|s| s.kind == StepKind::Fault).count();
        t.faults.truncate(faults);
        for i in 0..t.messages.len() {
            if let Some(m) = t.messages.get_mut(i) {
                m.set_fate(Fate::InFlight);
            }
        }
        for i in 0..upto {
            let Some(s) = t.steps.get(i).copied() else {
                continue;
            };
            let fate = match s.kind {
                StepKind::Deliver => Fate::Delivered,
                StepKind::Drop => Fate::Dropped,
                _ => continue,
            };
            if let Some(m) = t.messages.get_mut(s.id as usize) {
                m.set_fate(fate);
            }
        }
        t.totals = Totals::recount(&t);
        t
    }
}
