//! The bodies of messages, and the record images kept for state changes.
//! Everything here is small and `Copy`: a body is stored once in the trace
//! and shared by every message that carries it.

use super::names::{Names, Sym};
use super::peer_state;
use super::record::{EventId, Key, Record, Value, Version, value_text};

/// What a request asks for. Clients name only the record id; the service
/// that receives it knows which table it owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReqOp {
    Write { id: Sym, value: Value },
    Read { id: Sym },
}

/// The answer to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Written {
        key: Key,
        version: Version,
    },
    Read {
        key: Key,
        value: Value,
        version: Version,
        /// Some part of a composed answer was missing (a call timed out).
        partial: bool,
    },
    Refused {
        reason: Sym,
    },
}

/// The content of a message, or a record image kept for a state change.
/// Stored once in the trace and shared by every message that carries it
/// (a broker fans one event out to all subscribers without copying).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Client or composer to service.
    Request {
        req: u32,
        op: ReqOp,
    },
    /// Service to whoever asked.
    Answer {
        req: u32,
        answer: Answer,
    },
    /// Service to its database. With `outbox`, an outbox row for that
    /// topic commits in the same transaction.
    DbWrite {
        req: u32,
        key: Key,
        value: Value,
        outbox: Option<Sym>,
        /// A second change committed in the same transaction (a unit of work).
        also: Option<(Key, Value)>,
    },
    DbRead {
        req: u32,
        key: Key,
    },
    /// Database to its service: the committed record.
    DbWritten {
        req: u32,
        record: Record,
    },
    /// Database to its service; `Value::Absent` when there is no such record.
    DbResult {
        req: u32,
        record: Record,
    },
    /// A change event: published to a broker and delivered to subscribers.
    Event {
        event: EventId,
        topic: Sym,
        record: Record,
    },
    /// Subscriber to broker: this event is handled, stop resending it.
    Ack {
        event: EventId,
    },
    /// A record image that is not a message: what a local write stored.
    Stored {
        record: Record,
    },
    /// CDC connector to database: send the change log from this offset.
    LogPoll {
        from: u32,
    },
    /// Peer to peer: the whole state of one record, encoded as text.
    Gossip {
        table: Sym,
        id: Sym,
        state: Sym,
        seq: u32,
    },
    /// A peer's record image for a state change, with the strategy's
    /// metadata (stamp, version vectors, CRDT state) as text.
    PeerState {
        record: Record,
        meta: Sym,
    },
    /// Database to CDC connector: one change-log row, with its outbox
    /// topic when the row is an outbox entry.
    LogEntry {
        offset: u32,
        record: Record,
        outbox: Option<Sym>,
    },
}

impl Body {
    /// The record this body carries, if it carries one.
    pub fn record(&self) -> Option<&Record> {
        match self {
            Body::DbWritten { record, .. }
            | Body::DbResult { record, .. }
            | Body::Event { record, .. }
            | Body::Stored { record }
            | Body::LogEntry { record, .. }
            | Body::PeerState { record, .. } => Some(record),
            _ => None,
        }
    }

    /// Whether this is a reply to something asked: sequence diagrams draw
    /// replies dashed, as Mermaid does.
    pub fn is_reply(&self) -> bool {
        matches!(
            self,
            Body::Answer { .. }
                | Body::DbWritten { .. }
                | Body::DbResult { .. }
                | Body::Ack { .. }
                | Body::LogEntry { .. }
        )
    }

    /// A short word for the message's kind, used on arrows and in filters.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Request {
                op: ReqOp::Write { .. },
                ..
            } => "write",
            Body::Request {
                op: ReqOp::Read { .. },
                ..
            } => "read",
            Body::Answer {
                answer: Answer::Written { .. },
                ..
            } => "written",
            Body::Answer {
                answer: Answer::Read { .. },
                ..
            } => "answer",
            Body::Answer {
                answer: Answer::Refused { .. },
                ..
            } => "refused",
            Body::DbWrite { .. } => "db write",
            Body::DbRead { .. } => "db read",
            Body::DbWritten { .. } => "committed",
            Body::DbResult { .. } => "db result",
            Body::Event { .. } => "event",
            Body::Ack { .. } => "ack",
            Body::Stored { .. } => "stored",
            Body::LogPoll { .. } => "log poll",
            Body::LogEntry { .. } => "log row",
            Body::Gossip { .. } => "sync",
            Body::PeerState { .. } => "state",
        }
    }
}

/// A one-line label for a message body, as drawn on an arrow.
pub fn body_label(names: &Names, b: &Body) -> String {
    let key = |k: &Key| format!("{}/{}", names.get(k.table), names.get(k.id));
    match b {
        Body::Request {
            op: ReqOp::Write { id, value },
            ..
        } => {
            format!("write {}={}", names.get(*id), value_text(names, *value))
        }
        Body::Request {
            op: ReqOp::Read { id },
            ..
        } => format!("read {}", names.get(*id)),
        Body::Answer { answer, .. } => match answer {
            Answer::Written { version, .. } => format!("ok {version}"),
            Answer::Read { value, partial, .. } => {
                let p = if *partial { " (partial)" } else { "" };
                format!("{}{p}", value_text(names, *value))
            }
            Answer::Refused { reason } => format!("refused: {}", names.get(*reason)),
        },
        Body::DbWrite {
            key: k,
            value,
            outbox,
            ..
        } => {
            let also = if outbox.is_some() {
                " + outbox row"
            } else {
                ""
            };
            format!("UPDATE {}={}{also}", key(k), value_text(names, *value))
        }
        Body::DbRead { key: k, .. } => format!("SELECT {}", key(k)),
        Body::DbWritten { record, .. } => format!("committed {}", record.version),
        Body::DbResult { record, .. } => format!("row {}", value_text(names, record.value)),
        Body::Event { record, topic, .. } => format!(
            "{} {}={} {}",
            names.get(*topic),
            names.get(record.key.id),
            value_text(names, record.value),
            record.version
        ),
        Body::Ack { event } => format!("ack #{}", event.seq),
        Body::Stored { record } => format!("stored {}", key(&record.key)),
        Body::LogPoll { from } => format!("read log from #{from}"),
        Body::Gossip { id, state, .. } => {
            let shown = peer_state::decode(names.get(*state))
                .map(|s| s.display())
                .unwrap_or_default();
            format!("sync {}={shown}", names.get(*id))
        }
        Body::PeerState { record, .. } => format!("state {}", value_text(names, record.value)),
        Body::LogEntry {
            offset,
            record,
            outbox,
        } => {
            let what = if outbox.is_some() { "outbox" } else { "change" };
            format!(
                "#{offset} {what} {}={}",
                names.get(record.key.id),
                value_text(names, record.value)
            )
        }
    }
}
