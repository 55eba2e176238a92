//! The data behind the messaging patterns, at a moment: each database's
//! outbox rows (and whether its relay has sent them), each CDC relay's
//! saved offset against the end of the change log it tails, and each
//! broker's deliveries still waiting for a subscriber's acknowledgement.
//!
//! All of it is read from the trace, never from the engine: a fold over
//! the steps, in order, that moves forward cheaply as a run plays and
//! starts again from the first step when the moment moves back.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Body, EventId, Key, Micros, NodeIdx, Sym, Version, deliver_flags};
use crate::scenario::Scenario;
use crate::trace::{StepKind, Trace};

/// One outbox row: an event committed in the same transaction as its
/// record, waiting in the database for the relay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// Its place in the database's change log.
    pub offset: u32,
    /// The record it announces, and that record's version.
    pub key: Key,
    pub version: Version,
    /// The topic it is for.
    pub topic: Sym,
    pub committed: Micros,
    /// When a relay first sent it to the broker.
    pub published: Option<Micros>,
}

/// Where a CDC relay stands in the change log it tails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelayPosition {
    /// The offset it resumes from after a crash: every row before it is
    /// handled (published and, when the broker acknowledges, acknowledged).
    pub saved: u32,
    /// Rows in the log: the offset the next commit gets.
    pub log_end: u32,
    /// Rows it has sent to the broker (counting each row once).
    pub published: u32,
}

/// How a relay is wired: read once from the drawing.
#[derive(Clone, Debug)]
struct RelaySpec {
    database: NodeIdx,
    /// Publishes every change, not only outbox rows.
    every_change: bool,
    /// Publishes only the changes of this table (raw capture).
    table: Option<String>,
    /// Its broker acknowledges publishes.
    acked: bool,
}

/// Everything folded so far.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    relays: BTreeMap<NodeIdx, RelaySpec>,
    /// Brokers that wait for acknowledgements.
    acking: BTreeSet<NodeIdx>,
    /// Steps folded.
    upto: usize,
    /// Per database: rows in its change log, and its outbox rows by offset.
    log_end: BTreeMap<NodeIdx, u32>,
    outbox: BTreeMap<NodeIdx, BTreeMap<u32, OutboxRow>>,
    /// Per relay: offsets handled, the saved offset, offsets sent.
    handled: BTreeMap<NodeIdx, BTreeSet<u32>>,
    saved: BTreeMap<NodeIdx, u32>,
    sent: BTreeMap<NodeIdx, BTreeSet<u32>>,
    /// Per broker: deliveries not yet acknowledged, by subscriber.
    unacked: BTreeMap<NodeIdx, BTreeSet<(NodeIdx, EventId)>>,
}

impl Pipeline {
    /// A fold for the drawing `s` (node indices are its node order), at
    /// the first step.
    pub fn new(s: &Scenario) -> Self {
        let index = |id: &str| {
            s.nodes
                .iter()
                .position(|n| n.id == id)
                .map(|i| i as NodeIdx)
        };
        let mut p = Pipeline::default();
        for (i, n) in s.nodes.iter().enumerate() {
            if n.kind.acks_deliveries() {
                p.acking.insert(i as NodeIdx);
            }
            // A relay: it tails a database's change log and publishes.
            if let (Some(db), Some(out)) = (n.kind.tails(), n.kind.publishes()) {
                let acked = s
                    .nodes
                    .iter()
                    .any(|b| b.id == out.broker && b.kind.acks_deliveries());
                if let Some(database) = index(db) {
                    p.relays.insert(
                        i as NodeIdx,
                        RelaySpec {
                            database,
                            every_change: out.topic.is_some(),
                            table: n.kind.captures_table().map(str::to_string),
                            acked,
                        },
                    );
                }
            }
        }
        p
    }

    /// The fold once `upto` steps of `trace` were applied: forward from
    /// where it stands, or again from the start when `upto` is earlier.
    pub fn at(&mut self, trace: &Trace, upto: usize) -> &Self {
        let upto = upto.min(trace.steps.len());
        if upto < self.upto {
            *self = Pipeline {
                relays: std::mem::take(&mut self.relays),
                acking: std::mem::take(&mut self.acking),
                ..Pipeline::default()
            };
        }
        for i in self.upto..upto {
            self.step(trace, i);
        }
        self.upto = upto;
        self
    }

    /// The steps folded.
    pub fn upto(&self) -> usize {
        self.upto
    }

    fn step(&mut self, trace: &Trace, i: usize) {
        let Some(s) = trace.steps.get(i) else { return };
        let node = s.node;
        let t = trace.step_time(i);
        // Changes this step made: a database's change log grows by them.
        let first_change = trace.first_change_of(i as u32);
        let changes: Vec<_> = trace
            .changes_from(first_change)
            .take_while(|c| c.step as usize == i)
            .collect();
        let delivered = (s.kind == StepKind::Deliver)
            .then(|| trace.message(s.id))
            .flatten()
            .copied();
        let body = delivered.and_then(|m| trace.body(m.body)).copied();
        let is_db = trace
            .nodes
            .get(node as usize)
            .is_some_and(|n| n.kind == crate::scenario::Kind::Database);
        if is_db && !changes.is_empty() {
            let end = self.log_end.entry(node).or_insert(0);
            // The write itself goes first in the log, a staged second
            // change after it.
            if let Some(Body::DbWrite {
                outbox: Some(topic),
                ..
            }) = body
                && let Some(r) = changes.iter().find_map(|c| match trace.body(c.body) {
                    Some(Body::DbWritten { record, .. }) => Some(*record),
                    _ => None,
                })
            {
                self.outbox.entry(node).or_default().insert(
                    *end,
                    OutboxRow {
                        offset: *end,
                        key: r.key,
                        version: r.version,
                        topic,
                        committed: t,
                        published: None,
                    },
                );
            }
            *end += changes.len() as u32;
        }
        if let Some(relay) = self.relays.get(&node).cloned() {
            let other_table = |k: crate::model::Key| {
                relay
                    .table
                    .as_deref()
                    .is_some_and(|t| trace.names.get(k.table) != t)
            };
            match body {
                Some(Body::LogEntry { offset, record, .. }) if other_table(record.key) => {
                    // A raw capture publishes only its own table's rows.
                    self.handle(node, offset);
                }
                Some(Body::LogEntry { offset, outbox, .. })
                    if outbox.is_none() && !relay.every_change =>
                {
                    // Nothing to publish: handled once read.
                    self.handle(node, offset);
                }
                Some(Body::Ack { event }) if relay.acked => {
                    self.handle(node, event.seq.saturating_sub(1));
                }
                _ => {}
            }
        }
        // Sends made by this step.
        let from = trace.first_message_of(i as u32);
        let sends: Vec<_> = trace
            .messages
            .iter_from(from)
            .take_while(|m| m.cause as usize == i)
            .copied()
            .collect();
        for m in sends {
            let Some(Body::Event { event, .. }) = trace.body(m.body).copied() else {
                continue;
            };
            let sender = trace.sender(&m);
            if let Some(relay) = self.relays.get(&sender).cloned() {
                let offset = event.seq.saturating_sub(1);
                if self.sent.entry(sender).or_default().insert(offset)
                    && let Some(row) = self
                        .outbox
                        .get_mut(&relay.database)
                        .and_then(|rows| rows.get_mut(&offset))
                {
                    row.published.get_or_insert(t);
                }
                if !relay.acked {
                    self.handle(sender, offset);
                }
            } else if self.acking.contains(&sender) {
                self.unacked
                    .entry(sender)
                    .or_default()
                    .insert((m.to, event));
            }
        }
        if self.acking.contains(&node) {
            if let (Some(m), Some(Body::Ack { event })) = (delivered, body)
                && let Some(set) = self.unacked.get_mut(&node)
            {
                set.remove(&(trace.sender(&m), event));
            }
            // Deliveries given up on are parked as dead letters, rows
            // named `publisher#seq → subscriber`.
            if s.flags & deliver_flags::DEAD_LETTERED != 0 {
                for c in &changes {
                    let Some(r) = trace.change_record(*c) else {
                        continue;
                    };
                    if let Some(parked) = parse_dead_letter(trace, trace.names.get(r.key.id))
                        && let Some(set) = self.unacked.get_mut(&node)
                    {
                        set.remove(&parked);
                    }
                }
            }
        }
    }

    fn handle(&mut self, relay: NodeIdx, offset: u32) {
        let saved = self.saved.entry(relay).or_insert(0);
        let done = self.handled.entry(relay).or_default();
        if offset >= *saved {
            done.insert(offset);
        }
        while done.remove(saved) {
            *saved += 1;
        }
    }

    /// A database's outbox rows, in log order.
    pub fn outbox(&self, database: NodeIdx) -> Vec<OutboxRow> {
        self.outbox
            .get(&database)
            .map(|rows| rows.values().copied().collect())
            .unwrap_or_default()
    }

    /// Where a CDC relay stands, or `None` for a node that is not one.
    pub fn relay(&self, relay: NodeIdx) -> Option<RelayPosition> {
        let spec = self.relays.get(&relay)?;
        Some(RelayPosition {
            saved: self.saved.get(&relay).copied().unwrap_or(0),
            log_end: self.log_end.get(&spec.database).copied().unwrap_or(0),
            published: self.sent.get(&relay).map_or(0, |s| s.len() as u32),
        })
    }

    /// A broker's deliveries awaiting acknowledgement, per subscriber
    /// (subscribers with none left out), or `None` for a broker that does
    /// not wait for acknowledgements (or a node that is not a broker).
    pub fn unacked(&self, broker: NodeIdx) -> Option<BTreeMap<NodeIdx, u32>> {
        if !self.acking.contains(&broker) {
            return None;
        }
        let mut out = BTreeMap::new();
        for &(to, _) in self.unacked.get(&broker).into_iter().flatten() {
            *out.entry(to).or_insert(0) += 1;
        }
        Some(out)
    }
}

/// The delivery a dead-letter row names: `publisher#seq → subscriber`.
fn parse_dead_letter(trace: &Trace, row: &str) -> Option<(NodeIdx, EventId)> {
    let (event, to) = row.split_once(" → ")?;
    let (origin, seq) = event.rsplit_once('#')?;
    let node = |id: &str| {
        trace
            .nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| i as NodeIdx)
    };
    Some((
        node(to)?,
        EventId {
            origin: node(origin)?,
            seq: seq.parse().ok()?,
        },
    ))
}

/// A projection's checkpoint at a moment: events folded per topic, read
/// from its checkpoint table (`table`).
pub fn checkpoint(
    trace: &Trace,
    index: &super::Index,
    projection: NodeIdx,
    table: Sym,
    upto: usize,
) -> Vec<(Sym, u32)> {
    index
        .store_at(trace, projection, upto)
        .into_iter()
        .filter(|r| r.key.table == table)
        .map(|r| {
            let n = match r.value {
                crate::model::Value::Int(n) => u32::try_from(n).unwrap_or(0),
                _ => 0,
            };
            (r.key.id, n)
        })
        .collect()
}
