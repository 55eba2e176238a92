//! A service as a participant in two-phase commit. On PREPARE it records
//! the change tentatively and locks the record, then votes: a written
//! answer is yes, a refusal no. Until the coordinator's decision arrives
//! the record stays locked: reads and writes of it wait (a participant
//! that voted yes has promised to commit if told to, so it may neither
//! show nor overwrite the old value as final). On COMMIT it writes the
//! change for real and releases the lock; on ABORT it drops the change.
//! The prepared changes are durable: a participant that crashes while
//! prepared is still prepared, and still locked, when it restarts.

use std::collections::BTreeMap;

use super::{Service, Store};
use crate::model::{Answer, Body, IdemKey, Key, NodeIdx, ReqOp, Sym, Value};
use crate::sim::nodes::Cx;

/// A request that arrived while its record was locked.
#[derive(Clone, Copy, Debug)]
pub(super) struct Waiting {
    asker: (NodeIdx, u32),
    op: ReqOp,
    idem: Option<IdemKey>,
}

/// What a participant keeps of the transactions it prepared.
#[derive(Clone, Debug)]
pub(super) struct Participant {
    /// The table its locks are recorded in (named for the service).
    table: Sym,
    /// Records locked by a prepared change: the coordinator and the value
    /// to write on commit (durable).
    held: BTreeMap<Sym, (NodeIdx, Value)>,
    /// The lock rows, recorded in the trace so views can count them.
    rows: Store,
    /// Requests waiting for a lock, in arrival order (memory only: a
    /// crash drops them, and their senders time out).
    waiting: Vec<Waiting>,
    /// Commits being written to the database: request number to record.
    /// The lock is released once the commit is durable.
    committing: BTreeMap<u32, Sym>,
}

impl Participant {
    pub(super) fn new(table: Sym) -> Self {
        Participant {
            table,
            held: BTreeMap::new(),
            rows: Store::default(),
            waiting: Vec::new(),
            committing: BTreeMap::new(),
        }
    }

    /// Whether record `id` is locked by a prepared change.
    pub(super) fn locks(&self, id: Sym) -> bool {
        self.held.contains_key(&id)
    }

    /// A commit written in two steps (no unit of work): its lock waits
    /// for the second.
    pub(super) fn carry_commit(&mut self, from: u32, to: u32) {
        if let Some(id) = self.committing.remove(&from) {
            self.committing.insert(to, id);
        }
    }

    pub(super) fn on_crash(&mut self) {
        self.waiting.clear();
        self.committing.clear();
    }
}

/// The record a request is about, for the requests a lock holds back.
fn record_of(op: ReqOp) -> Option<Sym> {
    match op {
        ReqOp::Write { id, .. }
        | ReqOp::WriteBased { id, .. }
        | ReqOp::Read { id }
        | ReqOp::ReadAtLeast { id, .. }
        | ReqOp::ReadAfterMyWrite { id } => Some(id),
        ReqOp::Edit { .. }
        | ReqOp::Change { .. }
        | ReqOp::Prepare { .. }
        | ReqOp::Decide { .. } => None,
    }
}

impl Service {
    /// Holds back a read or write of a locked record until the lock is
    /// released; true when it did.
    pub(super) fn wait_for_lock(
        &mut self,
        cx: &mut Cx,
        asker: (NodeIdx, u32),
        op: ReqOp,
        idem: Option<IdemKey>,
    ) -> bool {
        let Some(p) = self.participant.as_mut() else {
            return false;
        };
        match record_of(op) {
            Some(id) if p.locks(id) => {
                p.waiting.push(Waiting { asker, op, idem });
                cx.flags |= crate::model::deliver_flags::WAITS_FOR_LOCK;
                true
            }
            _ => false,
        }
    }

    /// Phase one: lock the record, keep the change, vote.
    pub(super) fn prepare(&mut self, cx: &mut Cx, asker: (NodeIdx, u32), id: Sym, value: Value) {
        let no = if self.participant.is_none() {
            Some("no coordinator names this service as a participant")
        } else if self.w.rejects.contains(&id) {
            Some("votes no: rejected by the service's rules")
        } else if self.locks.contains_key(&id) {
            Some("votes no: held by a saga still running")
        } else if self
            .participant
            .as_ref()
            .and_then(|p| p.held.get(&id))
            .is_some_and(|&(holder, _)| holder != asker.0)
        {
            Some("votes no: locked by another transaction")
        } else {
            None
        };
        if let Some(why) = no {
            cx.refuse(asker.0, asker.1, why);
            return;
        }
        let Some(p) = self.participant.as_mut() else {
            return;
        };
        p.held.insert(id, (asker.0, value));
        p.lock_row(cx, id, value);
        let answer = Answer::Vote {
            id,
            released: false,
        };
        cx.send(
            asker.0,
            Body::Answer {
                req: asker.1,
                answer,
            },
        );
    }

    /// Phase two: commit (write the change, then release the lock) or
    /// abort (drop it and release). A decision on a record not held was
    /// carried out already: it is acknowledged again.
    pub(super) fn decide(&mut self, cx: &mut Cx, asker: (NodeIdx, u32), id: Sym, commit: bool) {
        let Some(p) = self.participant.as_mut() else {
            cx.refuse(asker.0, asker.1, "no coordinator names this service");
            return;
        };
        let held = p.held.get(&id).copied();
        let ack = Answer::Vote { id, released: true };
        let Some((_, value)) = held else {
            let (to, req) = asker;
            cx.send(to, Body::Answer { req, answer: ack });
            return;
        };
        // The commit is being written already (the decision was sent
        // again): the write in progress answers for both.
        if p.committing.values().any(|&c| c == id) {
            return;
        }
        if !commit {
            self.release(cx, id);
            let (to, req) = asker;
            cx.send(to, Body::Answer { req, answer: ack });
            return;
        }
        let before = self.last_req;
        let mode = self.plain();
        self.write(cx, Some(asker), id, (value, mode), None, (false, None));
        match self.participant.as_mut() {
            // Written to a database: released once the commit is durable.
            Some(p) if self.last_req != before => {
                p.committing.insert(self.last_req, id);
            }
            _ => self.release(cx, id),
        }
    }

    /// A database commit is durable: release the lock it was written for.
    pub(super) fn commit_durable(&mut self, cx: &mut Cx, req: u32) {
        if let Some(id) = self
            .participant
            .as_mut()
            .and_then(|p| p.committing.remove(&req))
        {
            self.release(cx, id);
        }
    }

    /// Releases the lock on `id` and lets the requests that waited for it
    /// go on, in the order they came.
    fn release(&mut self, cx: &mut Cx, id: Sym) {
        let Some(p) = self.participant.as_mut() else {
            return;
        };
        if p.held.remove(&id).is_none() {
            return;
        }
        p.lock_row(cx, id, Value::Absent);
        let (go, stay): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut p.waiting)
            .into_iter()
            .partition(|w| record_of(w.op) == Some(id));
        p.waiting = stay;
        for w in go {
            match w.op {
                ReqOp::Read { id }
                | ReqOp::ReadAtLeast { id, .. }
                | ReqOp::ReadAfterMyWrite { id } => {
                    self.read(cx, w.asker, id);
                }
                op => self.request(cx, w.asker, op, w.idem),
            }
        }
    }
}

impl Participant {
    /// Records the lock row of `id` (absent once released) in the trace.
    fn lock_row(&mut self, cx: &mut Cx, id: Sym, value: Value) {
        let key = Key {
            table: self.table,
            id,
        };
        let record = self.rows.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }
}
