//! Design hints: flaws read from the drawing itself, before anything runs.
//! A run may or may not show what a flaw costs (a dual write loses an event
//! only if the service crashes at the wrong moment); the drawing always
//! shows the flaw. Each hint names its node, says in one line why it
//! matters, and points at the lesson that explains it. A drawing can
//! dismiss a hint ([`Scenario::dismissed_hints`]); dismissed hints are not
//! returned by [`hints`] but are by [`all_hints`].

use std::collections::BTreeSet;

use crate::model::fmt_ms;
use crate::scenario::{Delivery, EventShape, Keeping, NodeKind, Scenario, WriteMode};

/// What sort of flaw a hint points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HintKind {
    /// A service commits, then publishes: no outbox.
    DualWrite,
    /// A consumer without a processed-event table on an at-least-once topic.
    NoDedup,
    /// A call whose timeout cannot do its job: no shorter than its
    /// caller's, or as long as the whole run.
    NoTimeout,
    /// A service reading another service's table.
    ForeignRead,
    /// A database used by more than one service.
    SharedDatabase,
    /// A projection nothing reads.
    UnreadProjection,
    /// A saga step that can be undone but has no compensation.
    NoCompensation,
    /// A service writes outbox rows that no CDC relay reads.
    UnpublishedOutbox,
    /// A node reads another bounded context's table or database.
    CrossContextRead,
}

impl HintKind {
    /// Every kind, in the order the Checks panel lists them.
    pub const ALL: &'static [HintKind] = &[
        HintKind::DualWrite,
        HintKind::NoDedup,
        HintKind::NoTimeout,
        HintKind::ForeignRead,
        HintKind::SharedDatabase,
        HintKind::UnreadProjection,
        HintKind::NoCompensation,
        HintKind::UnpublishedOutbox,
        HintKind::CrossContextRead,
    ];

    /// The word a dismissal is saved under: `dual-write`.
    pub fn word(self) -> &'static str {
        match self {
            HintKind::DualWrite => "dual-write",
            HintKind::NoDedup => "no-dedup",
            HintKind::NoTimeout => "no-timeout",
            HintKind::ForeignRead => "foreign-read",
            HintKind::SharedDatabase => "shared-database",
            HintKind::UnreadProjection => "unread-projection",
            HintKind::NoCompensation => "no-compensation",
            HintKind::UnpublishedOutbox => "unpublished-outbox",
            HintKind::CrossContextRead => "cross-context-read",
        }
    }

    /// The hint's name, for the Checks panel.
    pub fn title(self) -> &'static str {
        match self {
            HintKind::DualWrite => "Dual write",
            HintKind::NoDedup => "No deduplication",
            HintKind::NoTimeout => "No useful timeout",
            HintKind::ForeignRead => "Reads another service's table",
            HintKind::SharedDatabase => "Shared database",
            HintKind::UnreadProjection => "Projection nobody reads",
            HintKind::NoCompensation => "Step without compensation",
            HintKind::UnpublishedOutbox => "Outbox rows nobody publishes",
            HintKind::CrossContextRead => "Reads across a context boundary",
        }
    }

    /// The few capital letters on the node's badge, legible from the
    /// back of a room.
    pub fn badge(self) -> &'static str {
        match self {
            HintKind::DualWrite => "DUAL WRITE",
            HintKind::NoDedup => "NO DEDUP",
            HintKind::NoTimeout => "NO TIMEOUT",
            HintKind::ForeignRead => "FOREIGN READ",
            HintKind::SharedDatabase => "SHARED!",
            HintKind::UnreadProjection => "UNREAD",
            HintKind::NoCompensation => "NO UNDO",
            HintKind::UnpublishedOutbox => "NO RELAY",
            HintKind::CrossContextRead => "BOUNDARY",
        }
    }

    /// The preset lesson (its file in `scenarios/`) that explains it.
    pub fn lesson(self) -> &'static str {
        match self {
            HintKind::DualWrite | HintKind::UnpublishedOutbox => "04-outbox-and-cdc.ron",
            HintKind::NoDedup => "03b-idempotent-consumer.ron",
            HintKind::NoTimeout => "02-api-composition.ron",
            HintKind::ForeignRead | HintKind::SharedDatabase => "01-data-ownership.ron",
            HintKind::UnreadProjection => "05-cqrs.ron",
            HintKind::NoCompensation => "07-saga-compensation.ron",
            HintKind::CrossContextRead => "10-bounded-contexts.ron",
        }
    }
}

/// One flaw of the drawing, on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub kind: HintKind,
    /// The node the badge goes on.
    pub node: String,
    /// Why it matters, in one line.
    pub reason: String,
}

impl Hint {
    /// What a dismissal is saved as: `dual-write:orders`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.word(), self.node)
    }
}

/// Among services that share one database, the first that reads a table
/// another of them owns: (reader, owner).
fn reader_of_anothers_table(s: &Scenario, users: &[String]) -> Option<(String, String)> {
    let table_of = |id: &str| {
        let n = s.nodes.iter().find(|n| n.id == id)?;
        n.kind
            .tables(&n.id)
            .into_iter()
            .find(|k| k.keeping == Keeping::Source)
            .map(|k| k.name)
    };
    users.iter().find_map(|reader| {
        let NodeKind::Service(svc) = &s.nodes.iter().find(|n| &n.id == reader)?.kind else {
            return None;
        };
        users
            .iter()
            .filter(|owner| *owner != reader)
            .find(|owner| table_of(owner).is_some_and(|t| svc.reads.contains(&t)))
            .map(|owner| (reader.clone(), owner.clone()))
    })
}

/// The hints a drawing has not dismissed, in the order of its nodes.
pub fn hints(s: &Scenario) -> Vec<Hint> {
    let dismissed: BTreeSet<&str> = s.dismissed_hints.iter().map(String::as_str).collect();
    all_hints(s)
        .into_iter()
        .filter(|h| !dismissed.contains(h.key().as_str()))
        .collect()
}

/// Every hint of a drawing, dismissed or not.
pub fn all_hints(s: &Scenario) -> Vec<Hint> {
    let label = |id: &str| {
        s.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_string(), |n| n.label().to_string())
    };
    let mut out = Vec::new();
    let mut push = |kind, node: &str, reason: String| {
        out.push(Hint {
            kind,
            node: node.to_string(),
            reason,
        })
    };
    let shared = crate::scenario::shared_databases(s);
    for n in &s.nodes {
        let me = n.label();
        match &n.kind {
            NodeKind::Service(svc) => {
                if let Some(p) = &svc.publish
                    && svc.write == WriteMode::DualWrite
                {
                    push(
                        HintKind::DualWrite,
                        &n.id,
                        format!(
                            "{me} commits, then publishes to {}: a crash between the two loses the event; an outbox row in the same transaction would not be lost.",
                            label(&p.broker)
                        ),
                    );
                }
                // An outbox is half the pattern: a relay must read the
                // database's log and publish its rows.
                if svc.publish.is_some()
                    && svc.write == WriteMode::Outbox
                    && !s.nodes.iter().any(|c| {
                        matches!(&c.kind, NodeKind::Cdc(x) if svc.database.as_ref() == Some(&x.database))
                    })
                {
                    let db = svc.database.as_deref().map_or(String::from("its database"), label);
                    push(
                        HintKind::UnpublishedOutbox,
                        &n.id,
                        format!(
                            "{me} writes its events as outbox rows in {db}, but no CDC relay reads {db}: the rows wait there and nobody is told. Add a CDC relay linked to {db} and to the broker."
                        ),
                    );
                }
                if !svc.calls.is_empty()
                    && let Some(why) = useless_timeout(s, &n.id, svc.call_timeout.0, &svc.calls)
                {
                    push(HintKind::NoTimeout, &n.id, format!("{me} {why}"));
                }
                for t in &svc.reads {
                    let owner = s.nodes.iter().find(|o| {
                        o.id != n.id && matches!(&o.kind, NodeKind::Service(x) if &x.table == t)
                    });
                    let whose =
                        owner.map_or(String::from("another service"), |o| o.label().to_string());
                    push(
                        HintKind::ForeignRead,
                        &n.id,
                        format!(
                            "{me} reads {whose}'s table \"{t}\" straight from the database: neither can change its data on its own; ask {whose} instead."
                        ),
                    );
                }
            }
            NodeKind::Replica(r) if !r.dedup => {
                let at_least_once = s.nodes.iter().any(|b| {
                    b.id == r.broker
                        && matches!(&b.kind, NodeKind::Broker(x) if matches!(x.delivery, Delivery::AtLeastOnce { .. }))
                });
                if at_least_once {
                    let changes = s.nodes.iter().any(|p| {
                        matches!(&p.kind, NodeKind::Service(x)
                            if x.events == EventShape::Change
                                && x.publish.as_ref().is_some_and(|p| p.topic == r.topic))
                    });
                    let cost = if changes {
                        "a redelivered change is applied twice"
                    } else {
                        "a redelivered event is applied again (harmless only while events carry whole versioned records)"
                    };
                    push(
                        HintKind::NoDedup,
                        &n.id,
                        format!(
                            "{me} keeps no processed-event table, but {} delivers \"{}\" at least once: {cost}.",
                            label(&r.broker),
                            r.topic
                        ),
                    );
                }
            }
            NodeKind::Composer(c) => {
                if let Some(why) = useless_timeout(s, &n.id, c.call_timeout.0, &c.calls) {
                    push(HintKind::NoTimeout, &n.id, format!("{me} {why}"));
                }
            }
            NodeKind::Client(c) if c.timeout.0 >= s.until.0 => {
                let asks = s.workload.iter().any(|w| w.from() == n.id);
                if asks {
                    push(
                        HintKind::NoTimeout,
                        &n.id,
                        format!(
                            "{me} waits {} for an answer, as long as the whole run: a request that is never answered is never noticed.",
                            fmt_ms(c.timeout.0)
                        ),
                    );
                }
            }
            NodeKind::Database(_) => {
                if let Some((_, users)) = shared.iter().find(|(db, _)| db == &n.id) {
                    let names: Vec<String> = users.iter().map(|u| label(u)).collect();
                    let names = names.join(" and ");
                    // Sharing the server is a smaller coupling than sharing
                    // tables: say which one the drawing has.
                    let reason = match reader_of_anothers_table(s, users) {
                        Some((reader, owner)) => format!(
                            "{me} holds the tables of {names}, and {} reads {}'s: their schemas are coupled, and none can change, deploy or scale on its own.",
                            label(&reader),
                            label(&owner)
                        ),
                        None => format!(
                            "{me} serves {names}. Each keeps to its own table, so their schemas stay private, but one outage or overload of it stops them all; per-service credentials keep each out of the others' tables."
                        ),
                    };
                    push(HintKind::SharedDatabase, &n.id, reason);
                }
            }
            NodeKind::Projection(p) if !is_read(s, &n.id) => {
                push(
                    HintKind::UnreadProjection,
                    &n.id,
                    format!(
                        "{me} builds the view \"{}\" but nothing reads it: no request, client or gateway asks it, so its work shows nowhere.",
                        p.view
                    ),
                );
            }
            NodeKind::Orchestrator(o) => {
                // Steps after the pivot are retried forward, never undone.
                let undoable = o.pivot.unwrap_or(o.steps.len()).min(o.steps.len());
                let bare: Vec<String> = o.steps[..undoable]
                    .iter()
                    .enumerate()
                    .filter(|(_, st)| st.compensation.trim().is_empty())
                    .map(|(i, st)| format!("step {} ({} {})", i + 1, label(&st.service), st.action))
                    .collect();
                if !bare.is_empty() {
                    let (what, verb) = if bare.len() == 1 {
                        (bare[0].clone(), "has")
                    } else {
                        (bare.join(", "), "have")
                    };
                    push(
                        HintKind::NoCompensation,
                        &n.id,
                        format!(
                            "{me}: {what} {verb} no compensation: when a later step fails, what it did stays done and the saga is left half undone."
                        ),
                    );
                }
            }
            // No hint for these kinds, or none that applies as they are set.
            NodeKind::Replica(_)
            | NodeKind::Client(_)
            | NodeKind::Projection(_)
            | NodeKind::Broker(_)
            | NodeKind::Cdc(_)
            | NodeKind::Peer(_)
            | NodeKind::Log(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_) => {}
        }
    }
    out.extend(super::boundaries::cross_context_reads(s));
    out
}

/// Why a caller's timeout of `timeout` on `calls` cannot do its job, if
/// it cannot: it is no shorter than the timeout of a client asking the
/// caller (the client gives up before the partial answer comes), or it
/// lasts the whole run.
fn useless_timeout(s: &Scenario, caller: &str, timeout: u64, calls: &[String]) -> Option<String> {
    let callees: Vec<&str> = calls
        .iter()
        .map(|c| {
            s.nodes
                .iter()
                .find(|n| &n.id == c)
                .map_or(c.as_str(), |n| n.label())
        })
        .collect();
    let waits = format!("waits {} for {}", fmt_ms(timeout), callees.join(" and "));
    if timeout >= s.until.0 {
        return Some(format!(
            "{waits}, as long as the whole run: a slow service holds every answer; a shorter timeout would answer without it."
        ));
    }
    let impatient = s.nodes.iter().find(|n| {
        matches!(&n.kind, NodeKind::Client(c) if c.timeout.0 <= timeout)
            && s.workload
                .iter()
                .any(|w| w.from() == n.id && w.to() == caller)
    })?;
    let NodeKind::Client(c) = &impatient.kind else {
        return None;
    };
    Some(format!(
        "{waits}, but {} gives up after {}: a slow service fails the whole request instead of giving a partial answer.",
        impatient.label(),
        fmt_ms(c.timeout.0)
    ))
}

/// Whether anything asks a projection: a request aimed at it, a client
/// or gateway linked to it, or a service or gateway calling it.
fn is_read(s: &Scenario, id: &str) -> bool {
    let kind_of = |x: &str| s.nodes.iter().find(|n| n.id == x).map(|n| &n.kind);
    s.workload.iter().any(|w| w.to() == id)
        || s.links.iter().any(|l| {
            let other = if l.from == id {
                &l.to
            } else if l.to == id {
                &l.from
            } else {
                return false;
            };
            matches!(
                kind_of(other),
                Some(NodeKind::Client(_) | NodeKind::Composer(_))
            )
        })
        || s.nodes.iter().any(|n| n.kind.calls().contains(&id))
}
