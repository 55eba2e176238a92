//! What a request asks of the node that receives it: write, read, edit,
//! change, and the two phases of two-phase commit.

use super::body::Token;
use super::names::{Names, Sym};
use super::peer_state::Change;
use super::record::{Value, value_text};

/// What a request asks for. Clients name only the record id; the service
/// that receives it knows which table it owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReqOp {
    /// Write a value, knowing nothing of what was there. With `poison`,
    /// the event the write publishes is one its consumers reject.
    Write {
        id: Sym,
        value: Value,
        poison: bool,
    },
    /// Write a value the writer based on the version `read` of the record
    /// (its counter). With `check`, the owner refuses it if the record has
    /// moved on (optimistic concurrency); without, it is a blind write, and
    /// the owner overwrites whatever came in between (a lost update).
    WriteBased {
        id: Sym,
        value: Value,
        read: u32,
        check: bool,
    },
    /// Work for a client only: set `fields` (`name=value` pairs) in the
    /// record as the client last read it, and write it back.
    Edit {
        id: Sym,
        fields: Sym,
        versioned: bool,
    },
    /// Change a record of a multi-leader table ("add milk"), rather than
    /// write a whole value: what a CRDT replicates.
    Change {
        id: Sym,
        change: Change<Sym>,
    },
    Read {
        id: Sym,
    },
    /// Read from a projection once it reflects `token` (the version a
    /// write's answer carried): read-your-writes. The projection answers
    /// when it has caught up, or says it has not after `wait` µs.
    ReadAtLeast {
        id: Sym,
        token: Token,
        wait: u32,
    },
    /// Work for a client only: a read carrying the token of the client's
    /// latest write, if it has one.
    ReadAfterMyWrite {
        id: Sym,
    },
    /// Two-phase commit, phase one: write `value` tentatively, lock the
    /// record, and vote (a written answer is yes, a refusal no).
    Prepare {
        id: Sym,
        value: Value,
    },
    /// Two-phase commit, phase two: the coordinator's decision on the
    /// prepared change to record `id`.
    Decide {
        id: Sym,
        commit: bool,
    },
}

impl ReqOp {
    /// Whether the request changes data: what a read-only node (a replica,
    /// a projection, a composer) refuses.
    pub fn writes(&self) -> bool {
        match self {
            ReqOp::Write { .. }
            | ReqOp::WriteBased { .. }
            | ReqOp::Edit { .. }
            | ReqOp::Change { .. }
            | ReqOp::Prepare { .. }
            | ReqOp::Decide { .. } => true,
            ReqOp::Read { .. } | ReqOp::ReadAtLeast { .. } | ReqOp::ReadAfterMyWrite { .. } => {
                false
            }
        }
    }
}

impl ReqOp {
    /// What a two-phase commit request says on its arrow; other requests
    /// are labelled with the rest in `body_label`.
    pub fn two_phase_label(&self, names: &Names) -> String {
        match self {
            ReqOp::Prepare { id, value } => {
                format!("prepare {}={}", names.get(*id), value_text(names, *value))
            }
            ReqOp::Decide { id, commit: true } => format!("commit {}", names.get(*id)),
            ReqOp::Decide { id, commit: false } => format!("abort {}", names.get(*id)),
            ReqOp::Write { .. }
            | ReqOp::WriteBased { .. }
            | ReqOp::Edit { .. }
            | ReqOp::Change { .. }
            | ReqOp::Read { .. }
            | ReqOp::ReadAtLeast { .. }
            | ReqOp::ReadAfterMyWrite { .. } => String::new(),
        }
    }
}
