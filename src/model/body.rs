//! The bodies of messages, and the record images kept for state changes.
//! Everything here is small and `Copy`: a body is stored once in the trace
//! and shared by every message that carries it.

use super::names::{Names, NodeIdx, Sym};
use super::peer_state;
use super::record::{EventId, Key, Record, Value, Version, value_text};
pub use super::request::ReqOp;

/// An idempotency key: the client that chose it and its number. A client
/// sends the same key with every retry of one write; the owner stores it
/// with the write, in the same transaction, and answers a repeat with what
/// it answered the first time instead of writing again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdemKey {
    pub client: NodeIdx,
    pub n: u32,
}

/// A version token: the record a write changed and the version it made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub key: Key,
    pub version: Version,
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
    /// A versioned write refused: the writer read version `read`, the
    /// record is now at `now`.
    Conflict {
        key: Key,
        read: u32,
        now: Version,
    },
    /// Two-phase commit: a participant's yes vote (record `id` prepared
    /// and locked), or (`released`) its acknowledgement of a decision it
    /// has carried out with nothing more to write.
    Vote {
        id: Sym,
        released: bool,
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
    /// Client to service: a write with the client's idempotency key (its
    /// number; the client is the sender), the same on every retry. Only a
    /// service honours keys.
    KeyedRequest {
        req: u32,
        op: ReqOp,
        key: u32,
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
        /// How the write relates to what is stored.
        mode: WriteKind,
        /// The idempotency key of the request behind it, stored with the
        /// write in the same transaction.
        idem: Option<IdemKey>,
        /// The outbox row's payload when the owner maps it to a shape of
        /// its own (its published contract) rather than the row's columns.
        payload: Option<Sym>,
    },
    DbRead {
        req: u32,
        key: Key,
    },
    /// Database to its service: the committed record. With `replay`, the
    /// write's idempotency key was stored already: nothing was written
    /// now, and `record` is what the first write committed.
    DbWritten {
        req: u32,
        record: Record,
        replay: bool,
    },
    /// Database to its service: a versioned write refused, with the record
    /// as it stands.
    DbConflict {
        req: u32,
        read: u32,
        current: Record,
    },
    /// Database to its service; `Value::Absent` when there is no such record.
    DbResult {
        req: u32,
        record: Record,
    },
    /// A change event: published to a broker and delivered to subscribers.
    /// With `delta`, `record.value` is the amount the change added (stock
    /// −1), not the new value: applying it twice counts it twice.
    Event {
        event: EventId,
        topic: Sym,
        record: Record,
        delta: bool,
        /// A poison message: consumers reject it until they are fixed.
        poison: bool,
    },
    /// Consumer to log, on coming back: hand me my partitions of this
    /// topic again from my group's committed offsets.
    Join {
        topic: Sym,
    },
    /// Member to log: send me up to `max` events of partition `part` of
    /// `topic` from offset `from` (none: from my group's committed offset),
    /// as a member of assignment `generation`.
    Fetch {
        topic: Sym,
        part: u32,
        from: Option<u32>,
        max: u32,
        generation: u32,
    },
    /// Log to member: events `from..from + count` of the partition, kept
    /// as bodies `first..first + count`. `asked` is where the member asked
    /// to start; when retention deleted it, `from` is the earliest kept.
    /// `committed` is the group's committed offset there, so a member
    /// whose commit was lost sends it again. `generation` is the
    /// assignment the fetch was made under: a batch from an older one is
    /// ignored. `end` is the partition's end when the batch was cut (a
    /// high watermark), so a member can tell when it has read everything.
    Fetched {
        topic: Sym,
        part: u32,
        asked: u32,
        from: u32,
        count: u32,
        first: u32,
        committed: u32,
        generation: u32,
        end: u32,
    },
    /// Member to log: my group is done with partition `part` of `topic`
    /// up to `offset`.
    Commit {
        topic: Sym,
        part: u32,
        offset: u32,
    },
    /// Log to member: the partitions of `topic` it reads from now on
    /// (bit n: partition n), in assignment `generation`.
    Assigned {
        topic: Sym,
        parts: u64,
        generation: u32,
    },
    /// Subscriber to broker: this event is handled, stop resending it.
    Ack {
        event: EventId,
    },
    /// Subscriber to broker: this event cannot be handled (a negative
    /// acknowledgement); the broker counts it towards its attempt limit.
    Reject {
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
        /// The writes this change discarded under last-writer-wins, as
        /// text ("writer:count" pairs, see [`peer_state::dots_text`]): one
        /// write lost is discarded by every copy that meets it, and counts
        /// once.
        lost: Option<Sym>,
    },
    /// Database to CDC connector: one change-log row, with its outbox
    /// topic when the row is an outbox entry.
    LogEntry {
        offset: u32,
        record: Record,
        outbox: Option<Sym>,
        /// The outbox row's own payload, when it is not the row's value.
        payload: Option<Sym>,
    },
}

/// How a write to a store relates to what the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// Replace the value.
    Set,
    /// Add the (whole-number) value to the one stored.
    Add,
    /// Replace the value, based on version `read` (its counter); with
    /// `check`, only if the record is still at that version.
    Based { read: u32, check: bool },
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
                | Body::Reject { .. }
                | Body::LogEntry { .. }
                | Body::Fetched { .. }
        )
    }

    /// A short word for the message's kind, used on arrows and in filters.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Request {
                op: ReqOp::Write { .. } | ReqOp::WriteBased { .. } | ReqOp::Edit { .. },
                ..
            }
            | Body::KeyedRequest { .. } => "write",
            Body::Request {
                op: ReqOp::Change { .. },
                ..
            } => "change",
            Body::Request {
                op: ReqOp::Read { .. } | ReqOp::ReadAtLeast { .. } | ReqOp::ReadAfterMyWrite { .. },
                ..
            } => "read",
            Body::Request {
                op: ReqOp::Prepare { .. },
                ..
            } => "prepare",
            Body::Request {
                op: ReqOp::Decide { .. },
                ..
            } => "decision",
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
            Body::Answer {
                answer: Answer::Conflict { .. },
                ..
            } => "conflict",
            Body::Answer {
                answer: Answer::Vote {
                    released: false, ..
                },
                ..
            } => "vote",
            Body::Answer {
                answer: Answer::Vote { released: true, .. },
                ..
            } => "released",
            Body::DbConflict { .. } => "db conflict",
            Body::Join { .. } => "join",
            Body::Fetch { .. } => "fetch",
            Body::Fetched { .. } => "batch",
            Body::Commit { .. } => "commit",
            Body::Assigned { .. } => "assignment",
            Body::DbWrite { .. } => "db write",
            Body::DbRead { .. } => "db read",
            Body::DbWritten { .. } => "committed",
            Body::DbResult { .. } => "db result",
            Body::Event { .. } => "event",
            Body::Ack { .. } => "ack",
            Body::Reject { .. } => "reject",
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
        Body::KeyedRequest { op, key: n, req } => format!(
            "{} (key #{n})",
            body_label(names, &Body::Request { req: *req, op: *op })
        ),
        Body::Request {
            op: ReqOp::Write { id, value, poison },
            ..
        } => {
            let p = if *poison { " (poison)" } else { "" };
            format!("write {}={}{p}", names.get(*id), value_text(names, *value))
        }
        Body::Request {
            op:
                ReqOp::WriteBased {
                    id,
                    value,
                    read,
                    check,
                },
            ..
        } => {
            let how = if *check { "if still" } else { "read" };
            format!(
                "write {}={} ({how} v{read})",
                names.get(*id),
                value_text(names, *value)
            )
        }
        Body::Request {
            op: ReqOp::Edit { id, fields, .. },
            ..
        } => format!("edit {} {}", names.get(*id), names.get(*fields)),
        Body::Request {
            op: ReqOp::Change { id, change },
            ..
        } => format!(
            "{} ({})",
            change.map(|s| names.get(*s)).said(),
            names.get(*id)
        ),
        Body::Request {
            op: ReqOp::Read { id } | ReqOp::ReadAfterMyWrite { id },
            ..
        } => format!("read {}", names.get(*id)),
        Body::Request {
            op: ReqOp::ReadAtLeast { id, token, .. },
            ..
        } => format!(
            "read {} at least {} {}",
            names.get(*id),
            names.get(token.key.id),
            token.version
        ),
        Body::Request {
            op: op @ (ReqOp::Prepare { .. } | ReqOp::Decide { .. }),
            ..
        } => op.two_phase_label(names),
        Body::Answer { answer, .. } => match answer {
            Answer::Written { version, .. } => format!("ok {version}"),
            Answer::Read { value, partial, .. } => {
                let p = if *partial { " (partial)" } else { "" };
                format!("{}{p}", value_text(names, *value))
            }
            Answer::Refused { reason } => format!("refused: {}", names.get(*reason)),
            Answer::Conflict { read, now, .. } => {
                format!("conflict: you read v{read}, it is now {now}")
            }
            Answer::Vote { id, released } => {
                let (said, how) = if *released {
                    ("done", "unlocked")
                } else {
                    ("yes", "prepared, locked")
                };
                format!("{said}: {} {how}", names.get(*id))
            }
        },
        Body::DbWrite {
            key: k,
            value,
            outbox,
            mode,
            idem,
            ..
        } => {
            let also = if outbox.is_some() {
                " + outbox row"
            } else {
                ""
            };
            let also = match idem {
                Some(k) => format!("{also} + key #{}", k.n),
                None => also.to_string(),
            };
            let (op, cond) = match mode {
                WriteKind::Set | WriteKind::Based { check: false, .. } => ("=", String::new()),
                WriteKind::Add => ("+=", String::new()),
                WriteKind::Based { read, check: true } => ("=", format!(" IF v{read}")),
            };
            format!(
                "UPDATE {}{op}{}{cond}{also}",
                key(k),
                value_text(names, *value)
            )
        }
        Body::DbRead { key: k, .. } => format!("SELECT {}", key(k)),
        Body::DbWritten {
            record,
            replay: true,
            ..
        } => format!("key already stored: committed {} before", record.version),
        Body::DbWritten { record, .. } => format!("committed {}", record.version),
        Body::DbResult { record, .. } => format!("row {}", value_text(names, record.value)),
        Body::DbConflict { read, current, .. } => {
            format!("not written: read v{read}, row is {}", current.version)
        }
        Body::Join { topic } => format!(
            "join {}: resume from the committed offset",
            names.get(*topic)
        ),
        Body::Fetch {
            topic,
            part,
            from,
            max,
            ..
        } => {
            let at = from.map_or("the committed offset".to_string(), |o| format!("#{o}"));
            format!(
                "fetch {} p{part} from {at} (up to {max})",
                names.get(*topic)
            )
        }
        Body::Fetched {
            topic,
            part,
            asked,
            from,
            count,
            ..
        } => {
            let t = names.get(*topic);
            let what = match count {
                0 => format!("{t} p{part}: nothing new from #{from}"),
                1 => format!("{t} p{part} #{from}"),
                n => format!("{t} p{part} #{from}..#{}", from + n - 1),
            };
            if asked + 1 == *from {
                format!("{what} (#{asked} deleted by retention: reading from the earliest kept)")
            } else if asked < from {
                format!(
                    "{what} (#{asked}..#{} deleted by retention: reading from the earliest kept)",
                    from - 1
                )
            } else {
                what
            }
        }
        Body::Commit {
            topic,
            part,
            offset,
        } => format!("commit {} p{part} at #{offset}", names.get(*topic)),
        Body::Assigned { topic, parts, .. } => {
            let list: Vec<String> = (0..64)
                .filter(|p| parts & (1u64 << p) != 0)
                .map(|p| format!("p{p}"))
                .collect();
            if list.is_empty() {
                format!("{}: no partition for you", names.get(*topic))
            } else {
                format!("{}: you read {}", names.get(*topic), list.join(", "))
            }
        }
        Body::Event {
            record,
            topic,
            delta,
            poison,
            ..
        } => {
            // A change reads "sku-1 -1" or "sku-1 +10"; a record "sku-1=9".
            let (op, sign) = match (delta, record.value) {
                (true, Value::Int(n)) if n >= 0 => (" ", "+"),
                (true, _) => (" ", ""),
                (false, _) => ("=", ""),
            };
            let p = if *poison { " (poison)" } else { "" };
            format!(
                "{} {}{op}{sign}{} {}{p}",
                names.get(*topic),
                names.get(record.key.id),
                value_text(names, record.value),
                record.version
            )
        }
        Body::Ack { event } => format!("ack #{}", event.seq),
        Body::Reject { event } => format!("reject #{}: cannot handle it", event.seq),
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
            payload,
        } => {
            let what = if outbox.is_some() { "outbox" } else { "change" };
            let value = payload.map_or(record.value, Value::Text);
            format!(
                "#{offset} {what} {}={}",
                names.get(record.key.id),
                value_text(names, value)
            )
        }
    }
}
