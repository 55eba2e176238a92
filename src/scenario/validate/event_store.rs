//! Checks of event sourcing: an event-sourced service appends to an event
//! store (its `database`) and keeps nothing the store's streams cannot
//! give (no ledger, outbox, starting rows, direct reads or publishing of
//! its own); a store is written only by event-sourced services; a
//! projection reading a store names a table some service appends there.

use super::Checker;
use crate::scenario::locate::Where;
use crate::scenario::{
    EventStoreSpec, MAX_SNAPSHOT_EVERY, Node, NodeKind, ProjectionSpec, ServiceSpec, WriteMode,
};

impl Checker<'_> {
    /// The database (or event store) a service keeps its table in.
    pub(super) fn service_store(&mut self, i: usize, n: &Node, svc: &ServiceSpec) {
        let Some(db) = &svc.database else {
            if svc.event_sourced {
                self.fail(
                    Where::field("nodes", i, "event_sourced"),
                    "an event-sourced service needs an event store as its \"database\"".into(),
                );
            }
            return;
        };
        if svc.event_sourced {
            self.must_reach(i, &n.id, db, "event store", |k| {
                matches!(k, NodeKind::EventStore(_))
            });
            let own_table = svc.ledger.is_some()
                || svc.write == WriteMode::Outbox
                || svc.publish.is_some()
                || !svc.reads.is_empty()
                || !svc.rows.is_empty();
            if own_table {
                self.fail(
                    Where::field("nodes", i, "event_sourced"),
                    "an event-sourced service keeps no table: no ledger, outbox, publish, reads or starting rows (its events are in the store, and projections subscribe there)".into(),
                );
            }
        } else {
            let store = self.s.nodes.iter().find(|m| &m.id == db);
            if store.is_some_and(|m| matches!(m.kind, NodeKind::EventStore(_))) {
                self.fail(
                    Where::text("nodes", i, db),
                    format!(
                        "{} is an event store: set \"event_sourced: true\" to append events to it",
                        self.who(db)
                    ),
                );
            } else {
                self.must_reach(i, &n.id, db, "database", |k| {
                    matches!(k, NodeKind::Database(_))
                });
            }
        }
    }

    /// An event store's settings: snapshots every 1 to 1000 events.
    pub(super) fn event_store(&mut self, i: usize, e: &EventStoreSpec) {
        if e.snapshot_every
            .is_some_and(|n| n == 0 || n > MAX_SNAPSHOT_EVERY)
        {
            self.fail(
                Where::field("nodes", i, "snapshot_every"),
                format!("a snapshot is taken every 1 to {MAX_SNAPSHOT_EVERY} events of a stream"),
            );
        }
    }

    /// Whether node `id` is an event store.
    pub(super) fn is_event_store(&self, id: &str) -> bool {
        self.s
            .nodes
            .iter()
            .any(|m| m.id == id && matches!(m.kind, NodeKind::EventStore(_)))
    }

    /// A projection reading an event store: each source topic is the
    /// table of a service that appends there.
    pub(super) fn projection_of_store(&mut self, i: usize, p: &ProjectionSpec) {
        if !self.is_event_store(&p.broker) {
            return;
        }
        for src in &p.sources {
            let written = self.s.nodes.iter().any(|m| {
                matches!(&m.kind, NodeKind::Service(svc)
                    if svc.event_sourced && svc.table == src.topic
                        && svc.database.as_deref() == Some(p.broker.as_str()))
            });
            if !written {
                self.fail(
                    Where::text("nodes", i, &src.topic),
                    format!(
                        "no event-sourced service appends \"{}\" to {}: a store's subscription is named after the table its events change",
                        src.topic,
                        self.who(&p.broker)
                    ),
                );
            }
        }
    }
}
