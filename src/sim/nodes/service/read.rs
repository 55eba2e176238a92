//! A service answering a read: its own record, rows it reads straight
//! from a shared database, and answers from services it calls in
//! parallel, merged into one answer (API composition), or sent partial
//! when a call times out.

use super::{Pending, Service};
use crate::model::{Answer, Body, Key, NodeIdx, Record, ReqOp, Sym, Value, value_text};
use crate::sim::nodes::Cx;

impl Service {
    pub(super) fn read(&mut self, cx: &mut Cx, asker: (NodeIdx, u32), id: Sym) {
        let key = Key {
            table: self.w.table,
            id,
        };
        let req = self.next_req();
        let own = self.local.as_ref().map(|s| s.read(key));
        if let (None, Some(db)) = (own, self.w.database) {
            cx.send(db, Body::DbRead { req, key });
            for &table in &self.w.reads {
                cx.send(
                    db,
                    Body::DbRead {
                        req,
                        key: Key { table, id },
                    },
                );
            }
        }
        let foreign = self.w.reads.iter().map(|&t| (t, None)).collect();
        let parts = self
            .w
            .calls
            .iter()
            .map(|&(c, name)| (c, name, None))
            .collect();
        // In turn: the called services are asked once the own record is in.
        let calls_due = self.w.calls_in_turn && own.is_none();
        if !calls_due {
            self.ask_calls(cx, req, id);
        }
        self.pending.insert(
            req,
            Pending::Read {
                asker,
                id,
                calls_due,
                own,
                parts,
                foreign,
            },
        );
        self.maybe_answer(cx, req, false);
    }

    /// Asks every called service for `id`, under the read's own number so
    /// their answers find it, and starts waiting for them.
    pub(super) fn ask_calls(&mut self, cx: &mut Cx, req: u32, id: Sym) {
        for &(callee, _) in &self.w.calls {
            cx.send(
                callee,
                Body::Request {
                    req,
                    op: ReqOp::Read { id },
                },
            );
        }
        if !self.w.calls.is_empty() {
            cx.timer(self.w.call_timeout, u64::from(req));
        }
    }

    /// Answers a read once every part is in, or on timeout with what is in.
    pub(super) fn maybe_answer(&mut self, cx: &mut Cx, req: u32, timed_out: bool) {
        let Some(Pending::Read {
            own,
            parts,
            foreign,
            ..
        }) = self.pending.get(&req)
        else {
            return;
        };
        let complete = own.is_some()
            && parts.iter().all(|p| p.2.is_some())
            && foreign.iter().all(|f| f.1.is_some());
        if !complete && !timed_out {
            return;
        }
        let Some(Pending::Read {
            asker,
            id,
            own,
            parts,
            foreign,
            ..
        }) = self.pending.remove(&req)
        else {
            return;
        };
        let own = own.unwrap_or(Record {
            key: Key {
                table: self.w.table,
                id,
            },
            value: Value::Absent,
            version: crate::model::Version::NONE,
        });
        let answer = if parts.is_empty() && foreign.is_empty() {
            Answer::Read {
                key: own.key,
                value: own.value,
                version: own.version,
                partial: !complete,
            }
        } else {
            let text = compose(cx, &own, &parts, &foreign);
            let value = Value::Text(cx.names.intern(&text));
            Answer::Read {
                key: own.key,
                value,
                version: own.version,
                partial: !complete,
            }
        };
        cx.send(
            asker.0,
            Body::Answer {
                req: asker.1,
                answer,
            },
        );
    }
}

/// The merged answer of a composed read, as one line of text.
fn compose(
    cx: &mut Cx,
    own: &Record,
    parts: &[(NodeIdx, Sym, Option<Answer>)],
    foreign: &[(Sym, Option<Record>)],
) -> String {
    let names = &*cx.names;
    let mut text = format!(
        "{}: {}",
        names.get(own.key.table),
        value_text(names, own.value)
    );
    for (_, callee, part) in parts {
        let callee = names.get(*callee);
        text.push_str(" | ");
        match part {
            Some(Answer::Read { key, value, .. }) => {
                text.push_str(&format!(
                    "{}: {}",
                    names.get(key.table),
                    value_text(names, *value)
                ));
            }
            Some(_) => text.push_str(&format!("{callee}: no data")),
            None => text.push_str(&format!("{callee}: no answer (timed out)")),
        }
    }
    for (table, row) in foreign {
        let value = row.map_or("no answer".to_string(), |r| value_text(names, r.value));
        text.push_str(&format!(
            " | {} (read from its owner's table): {value}",
            names.get(*table)
        ));
    }
    text
}
