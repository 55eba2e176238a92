//! A client: sends the workload's requests and waits for answers. It
//! remembers what it last read of each record and the version token of its
//! latest write, so it can edit a record as a clerk does (read, change a
//! field, write back, with or without the version it read) and ask a
//! projection to read its own writes.
//!
//! A request that times out has an unknown outcome, not a failed one: the
//! service may have done it and its answer been lost or late. The client
//! can send it again; a write then carries an idempotency key, the same on
//! every try, which the service stores with the write so the retry is not
//! done twice.

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming};
use crate::model::deliver_flags::{GAVE_UP, RETRIED};
use crate::model::fields::set_fields;
use crate::model::{Answer, Body, Micros, NodeIdx, ReqOp, Sym, Token, Value, value_text};
use crate::scenario::ClientSpec;

/// How many times a versioned edit is tried before the clerk gives up.
const EDIT_TRIES: u32 = 3;

/// A clerk's edit in progress.
#[derive(Clone, Copy, Debug)]
struct Edit {
    to: NodeIdx,
    id: Sym,
    fields: Sym,
    versioned: bool,
    tries: u32,
}

/// What an outstanding request was for, beyond waiting for its answer.
#[derive(Clone, Copy, Debug)]
enum Purpose {
    Plain,
    /// The write of an edit: a conflict makes the clerk re-read.
    EditWrite(Edit),
    /// The re-read after a conflict: its answer makes the clerk try again.
    EditReread(Edit),
}

/// A request waiting for its answer.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    purpose: Purpose,
    to: NodeIdx,
    op: ReqOp,
    /// Its idempotency key, when the client sends keys and it is a write.
    key: Option<u32>,
    /// Tries left after this one.
    retries: u32,
}

#[derive(Clone, Debug)]
pub struct Client {
    timeout: Micros,
    /// Sends after a timeout before the client gives up.
    retries: u32,
    /// Give each write an idempotency key.
    keys: bool,
    next_req: u32,
    /// Requests sent and not yet answered (memory only).
    waiting: BTreeMap<u32, Waiting>,
    /// What this client last read of each record id: value and version
    /// counter (memory only, like a form on a screen).
    read: BTreeMap<Sym, (Value, u32)>,
    /// The token of its latest acknowledged write (memory only).
    token: Option<Token>,
}

impl Client {
    pub fn new(timeout: Micros) -> Self {
        Client {
            timeout,
            retries: 0,
            keys: false,
            next_req: 1,
            waiting: BTreeMap::new(),
            read: BTreeMap::new(),
            token: None,
        }
    }

    pub fn build(spec: &ClientSpec) -> Self {
        Client {
            retries: spec.retries,
            keys: spec.idempotency_key,
            ..Client::new(spec.timeout.0)
        }
    }

    /// Requests still waiting for an answer.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    fn request(&mut self, cx: &mut Cx, to: NodeIdx, op: ReqOp, purpose: Purpose) {
        // A write's key is the number of its first try.
        let write = matches!(op, ReqOp::Write { .. } | ReqOp::WriteBased { .. });
        let key = (self.keys && write).then_some(self.next_req);
        let w = Waiting {
            purpose,
            to,
            op,
            key,
            retries: self.retries,
        };
        self.send(cx, w);
    }

    /// Sends a request (a first try or a retry) and waits for its answer.
    fn send(&mut self, cx: &mut Cx, w: Waiting) {
        let req = self.next_req;
        self.next_req += 1;
        let op = w.op;
        let body = match w.key {
            Some(key) => Body::KeyedRequest { req, op, key },
            None => Body::Request { req, op },
        };
        cx.send(w.to, body);
        self.waiting.insert(req, w);
        cx.timer(self.timeout, u64::from(req));
    }

    /// Writes the record as last read with the edit's fields set.
    fn write_edit(&mut self, cx: &mut Cx, e: Edit) {
        let (value, read) = self.read.get(&e.id).copied().unwrap_or((Value::Absent, 0));
        let before = match value {
            Value::Absent => String::new(),
            v => value_text(cx.names, v),
        };
        let after = set_fields(&before, cx.names.get(e.fields));
        let value = Value::Text(cx.names.intern(&after));
        let op = ReqOp::WriteBased {
            id: e.id,
            value,
            read,
            check: e.versioned,
        };
        self.request(cx, e.to, op, Purpose::EditWrite(e));
    }
}

impl Actor for Client {
    fn on_work(&mut self, cx: &mut Cx, to: NodeIdx, op: ReqOp) {
        match op {
            ReqOp::Edit {
                id,
                fields,
                versioned,
            } => {
                let e = Edit {
                    to,
                    id,
                    fields,
                    versioned,
                    tries: 1,
                };
                self.write_edit(cx, e);
            }
            ReqOp::ReadAfterMyWrite { id } => {
                let op = match self.token {
                    Some(token) => ReqOp::ReadAtLeast {
                        id,
                        token,
                        // Half its own patience, so the "not yet" answer
                        // has time to come back before the client gives up.
                        wait: u32::try_from(self.timeout / 2).unwrap_or(u32::MAX),
                    },
                    None => ReqOp::Read { id },
                };
                self.request(cx, to, op, Purpose::Plain);
            }
            op => self.request(cx, to, op, Purpose::Plain),
        }
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        let Body::Answer { req, answer } = m.body else {
            return;
        };
        let Some(Waiting { purpose, .. }) = self.waiting.remove(&req) else {
            return;
        };
        match answer {
            Answer::Read {
                key,
                value,
                version,
                ..
            } => {
                self.read.insert(key.id, (value, version.counter));
            }
            Answer::Written { key, version } => {
                self.token = Some(Token { key, version });
                if let Purpose::EditWrite(e) = purpose {
                    // What it wrote is what it now has on screen.
                    let text = set_fields(
                        &self
                            .read
                            .get(&e.id)
                            .map(|(v, _)| match v {
                                Value::Absent => String::new(),
                                v => value_text(cx.names, *v),
                            })
                            .unwrap_or_default(),
                        cx.names.get(e.fields),
                    );
                    let value = Value::Text(cx.names.intern(&text));
                    self.read.insert(key.id, (value, version.counter));
                }
            }
            Answer::Conflict { .. } | Answer::Refused { .. } | Answer::Vote { .. } => {}
        }
        match (purpose, answer) {
            (Purpose::EditWrite(e), Answer::Conflict { .. }) if e.tries < EDIT_TRIES => {
                // Someone changed the record since it was read: read it
                // again, then apply the same edit to what is there now.
                let again = Edit {
                    tries: e.tries + 1,
                    ..e
                };
                self.request(
                    cx,
                    e.to,
                    ReqOp::Read { id: e.id },
                    Purpose::EditReread(again),
                );
            }
            (Purpose::EditReread(e), Answer::Read { .. }) => self.write_edit(cx, e),
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        let req = u32::try_from(tag).unwrap_or(u32::MAX);
        let Some(w) = self.waiting.remove(&req) else {
            return;
        };
        // No answer in time: the client cannot tell whether it was done.
        cx.flags |= GAVE_UP;
        if w.retries > 0 {
            cx.flags |= RETRIED;
            let again = Waiting {
                retries: w.retries - 1,
                ..w
            };
            self.send(cx, again);
        }
    }

    fn on_crash(&mut self) {
        self.waiting.clear();
        self.read.clear();
        self.token = None;
    }
}
