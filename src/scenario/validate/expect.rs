//! Expectations checked: the tables, topics and nodes they name exist.

use std::collections::BTreeSet;

use super::super::locate::Where;
use super::super::{Expectation, Keeping, NodeKind};
use super::Checker;

impl<'a> Checker<'a> {
    pub(super) fn expectations(&mut self) {
        let s = self.s;
        let tables: BTreeSet<String> = s
            .nodes
            .iter()
            .flat_map(|n| n.kind.tables(&n.id))
            .filter(|k| matches!(k.keeping, Keeping::Source | Keeping::Shared))
            .map(|k| k.name)
            .collect();
        let topics: BTreeSet<&str> = s
            .nodes
            .iter()
            .filter_map(|n| n.kind.publishes_topic())
            .collect();
        for (i, e) in s.expect.iter().enumerate() {
            match e {
                Expectation::NoWriteLost { table } | Expectation::VisibleWithin { table, .. } => {
                    if !tables.contains(table.as_str()) {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                }
                Expectation::Converged { table, by: at } | Expectation::Diverged { table, at } => {
                    if !tables.contains(table.as_str()) {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                    self.before_end(Where::item("expect", i), at.0);
                }
                Expectation::NoEventLost { topic } | Expectation::EveryEventAccounted { topic } => {
                    if !topics.contains(topic.as_str()) {
                        self.fail(
                            Where::text("expect", i, topic),
                            format!("no service publishes to a topic \"{topic}\""),
                        );
                    }
                }
                Expectation::AllAnswered { client }
                | Expectation::AnswerContains { client, .. }
                | Expectation::AnswerWaited { client, .. } => {
                    self.expect_kind(Where::text("expect", i, client), client, "client", |k| {
                        matches!(k, NodeKind::Client(_))
                    });
                }
                Expectation::NoHalfWrite { table, ledger } => {
                    let declared = s.nodes.iter().any(|n| {
                        matches!(&n.kind, NodeKind::Service(svc) if &svc.table == table && svc.ledger.as_deref() == Some(ledger.as_str()))
                    });
                    if !declared {
                        self.fail(
                            Where::text("expect", i, ledger),
                            format!("no service owns \"{table}\" with the ledger \"{ledger}\""),
                        );
                    }
                }
                Expectation::WritesLost { table, .. }
                | Expectation::WritesLostAtMost { table, .. } => {
                    let peers = s
                        .nodes
                        .iter()
                        .any(|n| matches!(&n.kind, NodeKind::Peer(p) if &p.table == table));
                    if !peers {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no peers share a table \"{table}\""),
                        );
                    }
                }
                Expectation::FinalValue { table, at, .. } => {
                    // A projection's view is a table its projection owns.
                    let view = s
                        .nodes
                        .iter()
                        .any(|n| matches!(&n.kind, NodeKind::Projection(p) if &p.view == table));
                    if !tables.contains(table.as_str()) && !view {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                    if let Some(node) = at {
                        self.node_ref(Where::text("expect", i, node), node);
                    }
                }
                Expectation::ViewMatchesSources { projection } => {
                    self.expect_kind(
                        Where::text("expect", i, projection),
                        projection,
                        "projection",
                        |k| matches!(k, NodeKind::Projection(_)),
                    );
                }
                Expectation::KeyOrderKept { log } | Expectation::OlderAfterNewer { log, .. } => {
                    self.expect_kind(Where::text("expect", i, log), log, "log", |k| {
                        matches!(k, NodeKind::Log(_))
                    });
                }
                Expectation::GroupCaughtUp { log, group, by } => {
                    if self.expect_kind(Where::text("expect", i, log), log, "log", |k| {
                        matches!(k, NodeKind::Log(_))
                    }) && !crate::scenario::log_groups(s, log)
                        .iter()
                        .any(|g| &g.name == group)
                    {
                        self.fail(
                            Where::text("expect", i, group),
                            format!("{} has no consumer group \"{group}\"", self.who(log)),
                        );
                    }
                    self.before_end(Where::item("expect", i), by.0);
                }
                Expectation::SagasSettled { .. }
                | Expectation::ForeignReads { .. }
                | Expectation::ForeignReadsAtMost { .. }
                | Expectation::NoSharedDatabase
                | Expectation::StaleReads { .. }
                | Expectation::DuplicatesIgnored { .. }
                | Expectation::Dropped { .. }
                | Expectation::LostUpdates { .. }
                | Expectation::NoLostUpdate
                | Expectation::VersionConflicts { .. }
                | Expectation::DuplicatesApplied { .. }
                | Expectation::DeadLettered { .. } => {}
            }
        }
    }
}
