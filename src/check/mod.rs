//! Evaluates a scenario's expectations against a trace: each one passes or
//! fails with a sentence saying why, in words a teacher can read aloud.
//! One file per pattern; [`monitors`] watches every run for hazards.

mod answers;
mod boundaries;
mod conflicts;
mod consumers;
mod copies;
pub mod hints;
mod logs;
mod monitors;
mod projections;
mod sagas;
mod unit_of_work;

pub use hints::{Hint, HintKind, all_hints, hints};
pub use monitors::{Monitor, MonitorReading, OUTBOX_BOUND, diverged_at_rest, monitors};

use crate::model::{Micros, NodeIdx, deliver_flags, message_flags};
use crate::scenario::{Decided, Expectation, Scenario};
use crate::trace::query::Index;
use crate::trace::{StepKind, Trace};

/// The verdict on one expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The expectation, in words.
    pub what: String,
    pub passed: bool,
    /// Why it passed or failed, with the numbers.
    pub why: String,
    /// The moment that shows it best (the first lost write, the first stale
    /// read...): the app's Checks panel jumps there on a click.
    pub at: Option<Micros>,
}

impl Outcome {
    fn at(mut self, t: Option<Micros>) -> Self {
        self.at = t;
        self
    }
}

/// When the first step matching `pred` happened.
fn first_step(trace: &Trace, pred: impl Fn(&crate::trace::Step) -> bool) -> Option<Micros> {
    trace
        .steps
        .iter()
        .position(pred)
        .map(|i| trace.step_time(i))
}

/// When the first message with any of `flags` was sent.
fn first_flagged(trace: &Trace, flags: u8) -> Option<Micros> {
    trace
        .messages
        .iter()
        .find(|m| m.flags & flags != 0)
        .map(|m| trace.sent_at(m))
}

/// Where an expectation stands at a moment of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Passed,
    Failed,
    /// Passing on what has happened so far; the rest of the run decides.
    PassingSoFar,
    /// Not met so far; the rest of the run may still meet it.
    NotYet,
}

/// Every expectation of `s` judged on what had happened once `upto` steps
/// of `trace` were applied, at time `now`: final where the moment shown
/// decides it, provisional where the rest of the run still could.
pub fn judge_at(s: &Scenario, trace: &Trace, upto: usize, now: Micros) -> Vec<(Outcome, Standing)> {
    let finished = now >= trace.until;
    let cut = trace.prefix(upto);
    let outcomes = evaluate(s, &cut);
    s.expect
        .iter()
        .zip(outcomes)
        .map(|(e, o)| {
            let decided = finished
                || match e.decided() {
                    Decided::At(t) => now >= t,
                    Decided::WhenMet => o.passed,
                    Decided::AtEnd => false,
                };
            let standing = match (decided, o.passed) {
                (true, true) => Standing::Passed,
                (true, false) => Standing::Failed,
                (false, true) => Standing::PassingSoFar,
                (false, false) => Standing::NotYet,
            };
            (o, standing)
        })
        .collect()
}

/// Evaluates every expectation of `s` on `trace`.
pub fn evaluate(s: &Scenario, trace: &Trace) -> Vec<Outcome> {
    evaluate_indexed(s, trace, &Index::new(trace))
}

/// [`evaluate`] with an index of the whole trace the caller already
/// built (a search judges each run against several checks, one index).
pub fn evaluate_indexed(s: &Scenario, trace: &Trace, index: &Index) -> Vec<Outcome> {
    s.expect
        .iter()
        .map(|e| evaluate_one(s, e, trace, index))
        .collect()
}

fn node(trace: &Trace, id: &str) -> Option<NodeIdx> {
    trace
        .nodes
        .iter()
        .position(|n| n.id == id)
        .map(|i| i as NodeIdx)
}

fn verdict(what: String, passed: bool, why: String) -> Outcome {
    Outcome {
        what,
        passed,
        why,
        at: None,
    }
}

/// The one place each kind of expectation is judged.
fn evaluate_one(s: &Scenario, e: &Expectation, trace: &Trace, index: &Index) -> Outcome {
    let t = &trace.totals;
    match e {
        Expectation::Converged { table, by } => copies::converged(trace, index, table, by.0),
        Expectation::Diverged { table, at } => copies::diverged(trace, index, table, at.0),
        Expectation::VisibleWithin { table, within } => {
            copies::visible_within(trace, table, within.0)
        }
        Expectation::NoEventLost { topic } => copies::no_event_lost(s, trace, topic),
        Expectation::NoWriteLost { table } => copies::no_write_lost(trace, table),
        Expectation::StaleReads { at_least } => {
            at_least_check("stale read(s) served", t.stale_reads, *at_least)
                .at(first_flagged(trace, message_flags::STALE))
        }
        Expectation::ForeignReads { at_least } => at_least_check(
            "read(s) straight from another service's table",
            t.foreign_reads,
            *at_least,
        )
        .at(first_flagged(trace, message_flags::FOREIGN)),
        Expectation::ForeignReadsAtMost { at_most } => verdict(
            format!("at most {at_most} read(s) straight from another service's table"),
            t.foreign_reads <= u64::from(*at_most),
            format!("{} read(s) of another service's table", t.foreign_reads),
        )
        .at(first_flagged(trace, message_flags::FOREIGN)),
        Expectation::NoSharedDatabase => {
            let shared = crate::scenario::shared_databases(s);
            let why = if shared.is_empty() {
                "every database is used by one service".to_string()
            } else {
                shared
                    .iter()
                    .map(|(db, users)| format!("{db} is used by {}", users.join(" and ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            verdict(
                "each service owns its database".to_string(),
                shared.is_empty(),
                why,
            )
        }
        Expectation::DuplicatesIgnored { at_least } => at_least_check(
            "duplicate delivery(ies) recognised and ignored",
            t.duplicates_ignored,
            *at_least,
        )
        .at(first_step(trace, |s| {
            s.kind == StepKind::Deliver && s.flags & deliver_flags::DUPLICATE_IGNORED != 0
        })),
        Expectation::Dropped { at_least } => {
            at_least_check("message(s) dropped", t.dropped, *at_least)
                .at(first_step(trace, |s| s.kind == StepKind::Drop))
        }
        Expectation::FinalValue {
            table,
            id,
            value,
            at,
        } => answers::final_value(trace, index, table, id, value, at.as_deref()),
        Expectation::LostUpdates { at_least } => at_least_check(
            "blind write(s) over a change their writer never read (lost updates)",
            t.lost_updates,
            *at_least,
        )
        .at(first_step(trace, |s| {
            s.flags & deliver_flags::LOST_UPDATE != 0
        })),
        Expectation::NoLostUpdate => verdict(
            "no update is lost".into(),
            t.lost_updates == 0,
            format!("{} lost update(s)", t.lost_updates),
        )
        .at(first_step(trace, |s| {
            s.flags & deliver_flags::LOST_UPDATE != 0
        })),
        Expectation::VersionConflicts { at_least } => at_least_check(
            "versioned write(s) refused because the record had moved on",
            t.version_conflicts,
            *at_least,
        )
        .at(first_step(trace, |s| {
            s.flags & deliver_flags::VERSION_CONFLICT != 0
        })),
        Expectation::DuplicatesApplied { at_least } => {
            let (n, first) = consumers::duplicates_applied(trace, trace.steps.len());
            at_least_check("redelivered event(s) applied a second time", n, *at_least).at(first)
        }
        Expectation::DeadLettered { at_least } => {
            let (n, first) = consumers::dead_lettered(trace, trace.steps.len());
            at_least_check("delivery(ies) given up and dead-lettered", n, *at_least).at(first)
        }
        Expectation::EveryEventAccounted { topic } => {
            consumers::every_event_accounted(s, trace, topic)
        }
        Expectation::ViewMatchesSources { projection } => {
            projections::view_matches_sources(s, trace, index, projection)
        }
        Expectation::AllAnswered { client } => answers::all_answered(trace, client)
            .at(first_step(trace, |s| {
                s.kind == StepKind::Timer && s.flags & deliver_flags::GAVE_UP != 0
            })),
        Expectation::AnswerContains { client, text } => {
            answers::answer_contains(trace, client, text)
        }
        Expectation::AnswerWaited { client, at_least } => {
            answers::answer_waited(trace, client, at_least.0)
        }
        Expectation::WritesLost { table, at_least } => {
            let (n, first) = conflicts::writes_lost(trace, table);
            at_least_check(
                &format!("concurrent write(s) to {table} silently lost"),
                n,
                *at_least,
            )
            .at(first)
        }
        Expectation::WritesLostAtMost { table, at_most } => {
            let (n, first) = conflicts::writes_lost(trace, table);
            verdict(
                format!("at most {at_most} concurrent write(s) to {table} lost"),
                n <= u64::from(*at_most),
                format!("{n} lost"),
            )
            .at(first)
        }
        Expectation::NoHalfWrite { table, ledger } => {
            unit_of_work::no_half_write(trace, table, ledger)
        }
        Expectation::KeyOrderKept { log } => logs::key_order_kept(s, trace, log),
        Expectation::OlderAfterNewer { log, at_least } => {
            logs::older_after_newer(s, trace, log, *at_least)
        }
        Expectation::GroupCaughtUp { log, group, by } => {
            logs::group_caught_up(s, trace, index, log, group, by.0)
        }
        Expectation::SagasSettled {
            completed_at_least,
            compensated_at_least,
        } => sagas::sagas_settled(s, trace, *completed_at_least, *compensated_at_least),
    }
}

fn at_least_check(what: &str, count: u64, at_least: u32) -> Outcome {
    verdict(
        format!("at least {at_least} {what}"),
        count >= u64::from(at_least),
        format!("{count} {what}"),
    )
}
