//! What counts as a broken run. A drawing's expectations are of two
//! sorts: promises a design keeps whatever happens (no write lost, every
//! copy converged, no half-done write), and demonstrations that a run
//! shows a hazard the lesson is about (at least one stale read, copies
//! still diverged at 2.9 s). A search for a broken run judges the
//! promises only: a run where a demonstrated hazard fails to show is not
//! a broken design.
//!
//! Of the monitors, one means a failure in any design: copies that still
//! differ when nothing is left on the wire that could mend them
//! (`DivergedAtRest`): eventual consistency, broken for good. The others
//! are not failures by themselves: stale reads and requests that time out
//! are what any crash or cut costs a correct design; lost writes and
//! lost updates are what last-writer-wins and blind writes do by choice,
//! and a drawing promises against them with an expectation; dead letters
//! are a broker doing its job; a stuck outbox row is late, not lost, until
//! it shows as a divergence; reads of another's table are checked by
//! `NoSharedDatabase`; a half-done saga is judged by `SagasSettled`.
//! A fault the search adds stretches deadlines (a relay down for 400 ms
//! publishes 400 ms late, and resends back off after an outage): a run
//! with added faults goes on past the drawing's end with no new work, and
//! a promise with a deadline (`Converged`, `GroupCaughtUp`) is judged at
//! that later end instead, and `VisibleWithin` not at all. Late is not
//! lost.
//! How many sagas complete is the story's count: under added faults
//! `SagasSettled` asks only that none is left half-done.
//! Answers the story pins (`AnswerContains`) are demonstrations too.
//!
//! A diverged table is written into the found scenario as
//! `Converged(table, by: the end)`, so `settle run --check` fails on it.

use crate::check;
use crate::model::Micros;
use crate::scenario::{Dur, Expectation, Scenario};
use crate::trace::Trace;
use crate::trace::query::Index;

/// Whether an expectation is a promise (judged) or a demonstration.
pub fn is_promise(e: &Expectation) -> bool {
    use Expectation as E;
    match e {
        E::Converged { .. }
        | E::NoEventLost { .. }
        | E::NoWriteLost { .. }
        | E::VisibleWithin { .. }
        | E::SagasSettled { .. }
        | E::NoHalfWrite { .. }
        | E::WritesLostAtMost { .. }
        | E::FinalValue { .. }
        | E::NoLostUpdate
        | E::EveryEventAccounted { .. }
        | E::ViewMatchesSources { .. }
        | E::ForeignReadsAtMost { .. }
        | E::NoSharedDatabase
        | E::AllAnswered { .. }
        | E::KeyOrderKept { .. }
        | E::GroupCaughtUp { .. } => true,
        E::Diverged { .. }
        | E::StaleReads { .. }
        | E::DuplicatesIgnored { .. }
        | E::Dropped { .. }
        | E::WritesLost { .. }
        | E::LostUpdates { .. }
        | E::VersionConflicts { .. }
        | E::DuplicatesApplied { .. }
        | E::DeadLettered { .. }
        | E::ForeignReads { .. }
        | E::AnswerContains { .. }
        | E::AnswerWaited { .. }
        | E::OlderAfterNewer { .. } => false,
    }
}

/// The promise as judged under added faults: deadlines moved to the end
/// of the run (`until`), a bound on visibility dropped.
pub fn under_faults(e: &Expectation, until: Micros) -> Option<Expectation> {
    let end = Dur(until);
    Some(match e {
        Expectation::Converged { table, .. } => Expectation::Converged {
            table: table.clone(),
            by: end,
        },
        Expectation::GroupCaughtUp { log, group, .. } => Expectation::GroupCaughtUp {
            log: log.clone(),
            group: group.clone(),
            by: end,
        },
        Expectation::VisibleWithin { .. } => return None,
        // How many sagas complete is the story's count; under a fault
        // (the order lost on its way in) what must hold is that none is
        // left half-done.
        Expectation::SagasSettled { .. } => Expectation::SagasSettled {
            completed_at_least: 0,
            compensated_at_least: 0,
        },
        other => other.clone(),
    })
}

/// The name of an expectation as a file spells it: `NoWriteLost`.
pub fn name(e: &Expectation) -> String {
    let debug = format!("{e:?}");
    debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The table, topic, log, client or projection an expectation is about.
pub fn about(e: &Expectation) -> Option<&str> {
    use Expectation as E;
    match e {
        E::Converged { table, .. }
        | E::Diverged { table, .. }
        | E::NoWriteLost { table }
        | E::VisibleWithin { table, .. }
        | E::NoHalfWrite { table, .. }
        | E::WritesLost { table, .. }
        | E::WritesLostAtMost { table, .. }
        | E::FinalValue { table, .. } => Some(table),
        E::NoEventLost { topic } | E::EveryEventAccounted { topic } => Some(topic),
        E::ViewMatchesSources { projection } => Some(projection),
        E::AllAnswered { client }
        | E::AnswerContains { client, .. }
        | E::AnswerWaited { client, .. } => Some(client),
        E::KeyOrderKept { log } | E::OlderAfterNewer { log, .. } | E::GroupCaughtUp { log, .. } => {
            Some(log)
        }
        _ => None,
    }
}

/// A broken run: what broke, when, and the expectation that says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The expectation's or the monitor's name (`NoWriteLost`,
    /// `DivergedAtRest`).
    pub name: String,
    /// The check's verdict in words.
    pub why: String,
    /// The moment that shows it, if the check names one.
    pub at: Option<Micros>,
    /// The expectation a scenario carries to fail the same way.
    pub expectation: Expectation,
}

/// The promises a search judges, and the tables whose copies must not
/// stay diverged at rest.
#[derive(Clone, Debug)]
pub struct Judge {
    /// The drawing with the judged promises as its expectations.
    promised: Scenario,
    /// The same, as judged under added faults ([`under_faults`]).
    faulted: Scenario,
    /// Each watched table, with the drawing expecting it converged at the
    /// end: as written, and at the later end of a run with added faults.
    tables: Vec<(Scenario, Scenario)>,
}

impl Judge {
    /// Judges `s`'s promises (only those about `only`, when given) and,
    /// for every replicated table (or `only`) whose copies agree at the
    /// end of the drawing's own run `base`, divergence at rest.
    /// Runs with added faults go on `settle` past the drawing's end.
    pub fn new(s: &Scenario, base: &Trace, only: Option<&str>, settle: Micros) -> Judge {
        let wanted = |what: Option<&str>| only.is_none_or(|o| what == Some(o));
        let mut promised = s.clone();
        promised.expect = s
            .expect
            .iter()
            .filter(|e| is_promise(e) && wanted(about(e)))
            .cloned()
            .collect();
        let mut faulted = promised.clone();
        faulted.expect = promised
            .expect
            .iter()
            .filter_map(|e| under_faults(e, s.until.0.saturating_add(settle)))
            .collect();
        let tables = base
            .tables
            .iter()
            .filter(|t| !t.replicas.is_empty())
            .map(|t| base.names.get(t.name).to_string())
            .filter(|t| wanted(Some(t)))
            .map(|table| {
                let at_end = |by: Micros| {
                    let mut one = s.clone();
                    one.expect = vec![Expectation::Converged {
                        table: table.clone(),
                        by: Dur(by),
                    }];
                    one
                };
                (at_end(s.until.0), at_end(s.until.0.saturating_add(settle)))
            })
            .collect::<Vec<_>>();
        let index = Index::new(base);
        let reading = check::diverged_at_rest(base, &index, base.steps.len());
        let tables = tables
            .into_iter()
            .filter(|(one, _)| diverged_table(one, base, &index, &reading).is_none())
            .collect();
        Judge {
            promised,
            faulted,
            tables,
        }
    }

    /// Whether there is anything to judge.
    pub fn is_empty(&self) -> bool {
        self.promised.expect.is_empty() && self.tables.is_empty()
    }

    /// The first promise `trace` breaks, in the drawing's order, else the
    /// first table left diverged at rest; `faulted` when the search added
    /// faults to the run.
    pub fn judge(&self, trace: &Trace, faulted: bool) -> Option<Failure> {
        let promised = if faulted {
            &self.faulted
        } else {
            &self.promised
        };
        // One index of the run serves every check below.
        let index = Index::new(trace);
        if !promised.expect.is_empty() {
            let outcomes = check::evaluate_indexed(promised, trace, &index);
            if let Some((e, o)) = promised
                .expect
                .iter()
                .zip(outcomes)
                .find(|(_, o)| !o.passed)
            {
                return Some(Failure {
                    name: name(e),
                    why: format!("{} — {}", o.what, o.why),
                    at: o.at,
                    expectation: e.clone(),
                });
            }
        }
        if self.tables.is_empty() {
            return None;
        }
        // The monitor reads every table at once: read it once.
        let reading = check::diverged_at_rest(trace, &index, trace.steps.len());
        self.tables.iter().find_map(|(one, late)| {
            diverged_table(if faulted { late } else { one }, trace, &index, &reading)
        })
    }
}

/// Whether `one`'s single expectation (a table converged at the end)
/// fails on `trace` while copies differ with nothing on its way
/// (`reading`, the run's [`check::diverged_at_rest`]).
fn diverged_table(
    one: &Scenario,
    trace: &Trace,
    index: &Index,
    reading: &check::MonitorReading,
) -> Option<Failure> {
    if reading.count == 0 {
        return None;
    }
    let e = one.expect.first()?;
    let o = check::evaluate_indexed(one, trace, index)
        .into_iter()
        .next()?;
    (!o.passed).then(|| Failure {
        name: "DivergedAtRest".into(),
        why: format!("{}: {} — {}", reading.what(), o.what, o.why),
        at: reading.first.or(o.at),
        expectation: e.clone(),
    })
}
