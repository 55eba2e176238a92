//! What a store remembers of the writes it committed, so that a write the
//! network duplicated, or a retry that carries an idempotency key, is
//! answered again and changes nothing. The database and the event store
//! both keep it; it is durable, as the rows it guards are.

use std::collections::BTreeMap;

use super::{Cx, DedupWindow, Incoming, Store};
use crate::model::{Body, IdemKey, NodeIdx, Record};

/// How a write already committed came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Again {
    /// The same request again (the network duplicated it).
    Duplicate,
    /// A new request with the idempotency key of one already committed.
    Retry,
}

#[derive(Clone, Debug, Default)]
pub struct Committed {
    /// Write requests already committed, per sender.
    applied: BTreeMap<NodeIdx, DedupWindow>,
    /// Idempotency keys of the writes committed, with the record each
    /// committed (a row of the same transaction as the write).
    keys: BTreeMap<IdemKey, Record>,
}

impl Committed {
    /// If `m` is a write already committed, answers it as the first was
    /// answered (a duplicate with the record as it stands now, a retry
    /// with what its first request committed) and says which it was.
    /// Any other message is left to the caller; a new write is remembered.
    pub fn answer_again(&mut self, cx: &mut Cx, m: &Incoming, store: &Store) -> Option<Again> {
        let Body::DbWrite { req, key, idem, .. } = m.body else {
            return None;
        };
        let (record, again) = if !self.applied.entry(m.from).or_default().insert(req) {
            (store.read(key), Again::Duplicate)
        } else {
            (idem.and_then(|k| self.keys.get(&k).copied())?, Again::Retry)
        };
        let replay = again == Again::Retry;
        cx.send(
            m.from,
            Body::DbWritten {
                req,
                record,
                replay,
            },
        );
        Some(again)
    }

    /// Remembers the record a write with idempotency key `k` committed.
    pub fn remember(&mut self, k: IdemKey, record: Record) {
        self.keys.insert(k, record);
    }
}
