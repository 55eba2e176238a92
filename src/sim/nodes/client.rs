//! A client: sends the workload's requests and waits for answers. It
//! remembers what it last read of each record and the version token of its
//! latest write, so it can edit a record as a clerk does (read, change a
//! field, write back, with or without the version it read) and ask a
//! projection to read its own writes.

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming};
use crate::model::deliver_flags::GAVE_UP;
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

#[derive(Clone, Debug)]
pub struct Client {
    timeout: Micros,
    next_req: u32,
    /// Requests sent and not yet answered (memory only).
    waiting: BTreeMap<u32, (Micros, Purpose)>,
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
            next_req: 1,
            waiting: BTreeMap::new(),
            read: BTreeMap::new(),
            token: None,
        }
    }

    pub fn build(spec: &ClientSpec) -> Self {
        Client::new(spec.timeout.0)
    }

    /// Requests still waiting for an answer.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    fn request(&mut self, cx: &mut Cx, to: NodeIdx, op: ReqOp, purpose: Purpose) {
        let req = self.next_req;
        self.next_req += 1;
        cx.send(to, Body::Request { req, op });
        self.waiting.insert(req, (cx.now, purpose));
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
        let Some((_, purpose)) = self.waiting.remove(&req) else {
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
            Answer::Conflict { .. } | Answer::Refused { .. } => {}
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
        if self.waiting.remove(&req).is_some() {
            cx.flags |= GAVE_UP;
        }
    }

    fn on_crash(&mut self) {
        self.waiting.clear();
        self.read.clear();
        self.token = None;
    }
}
