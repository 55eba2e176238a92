//! An API composer (a gateway): answers one query by asking several
//! services in parallel and merging their answers. It owns no data. A
//! service that has not answered when the per-call timeout fires is left
//! out, and the answer is marked partial rather than failing whole.

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming};
use crate::scenario::ComposerSpec;
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

use crate::model::{Answer, Body, Key, Micros, NodeIdx, ReqOp, Sym, Value, Version, value_text};

/// How a composer is wired, resolved to node indices.
#[derive(Clone, Debug)]
pub struct ComposerWiring {
    /// Services asked, with the id used to name a missing answer.
    pub calls: Vec<(NodeIdx, Sym)>,
    pub call_timeout: Micros,
    /// The composer's own name, used as the table of its answers.
    pub name: Sym,
}

#[derive(Clone, Debug)]
struct Query {
    asker: (NodeIdx, u32),
    id: Sym,
    parts: Vec<(NodeIdx, Sym, Option<Answer>)>,
}

#[derive(Clone, Debug)]
pub struct Composer {
    w: ComposerWiring,
    last_req: u32,
    /// Queries waiting for answers (memory only).
    pending: BTreeMap<u32, Query>,
}

impl Composer {
    pub fn build(spec: &ComposerSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let calls = spec
            .calls
            .iter()
            .map(|callee| Ok((w.find(callee)?, w.intern(callee))))
            .collect::<Result<Vec<_>, BuildError>>()?;
        let name = w.intern(w.my_id);
        Ok(Composer::new(ComposerWiring {
            calls,
            call_timeout: spec.call_timeout.0,
            name,
        }))
    }

    pub fn new(w: ComposerWiring) -> Self {
        Composer {
            w,
            last_req: 0,
            pending: BTreeMap::new(),
        }
    }

    fn maybe_answer(&mut self, cx: &mut Cx, req: u32, timed_out: bool) {
        let Some(q) = self.pending.get(&req) else {
            return;
        };
        let complete = q.parts.iter().all(|p| p.2.is_some());
        if !complete && !timed_out {
            return;
        }
        let Some(q) = self.pending.remove(&req) else {
            return;
        };
        let names = &*cx.names;
        let pieces: Vec<String> = q
            .parts
            .iter()
            .map(|(_, callee, part)| match part {
                Some(Answer::Read { key, value, .. }) => {
                    format!("{}: {}", names.get(key.table), value_text(names, *value))
                }
                Some(_) => format!("{}: no data", names.get(*callee)),
                None => format!("{}: no answer (timed out)", names.get(*callee)),
            })
            .collect();
        let value = Value::Text(cx.names.intern(&pieces.join(" | ")));
        let key = Key {
            table: self.w.name,
            id: q.id,
        };
        let answer = Answer::Read {
            key,
            value,
            version: Version::NONE,
            partial: !complete,
        };
        cx.send(
            q.asker.0,
            Body::Answer {
                req: q.asker.1,
                answer,
            },
        );
    }
}

impl Actor for Composer {
    fn on_crash(&mut self) {
        self.pending.clear();
    }

    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op:
                    ReqOp::Read { id } | ReqOp::ReadAtLeast { id, .. } | ReqOp::ReadAfterMyWrite { id },
            } => {
                self.last_req += 1;
                let mine = self.last_req;
                for &(callee, _) in &self.w.calls {
                    cx.send(
                        callee,
                        Body::Request {
                            req: mine,
                            op: ReqOp::Read { id },
                        },
                    );
                }
                cx.timer(self.w.call_timeout, u64::from(mine));
                let parts = self
                    .w
                    .calls
                    .iter()
                    .map(|&(c, name)| (c, name, None))
                    .collect();
                self.pending.insert(
                    mine,
                    Query {
                        asker: (m.from, req),
                        id,
                        parts,
                    },
                );
            }
            Body::Request { req, op } if op.writes() => {
                cx.refuse(
                    m.from,
                    req,
                    "a composer answers queries; send writes to the service that owns the data",
                );
            }
            Body::Answer { req, answer } => {
                if let Some(q) = self.pending.get_mut(&req)
                    && let Some(part) = q.parts.iter_mut().find(|p| p.0 == m.from)
                {
                    part.2 = Some(answer);
                }
                self.maybe_answer(cx, req, false);
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        let req = u32::try_from(tag).unwrap_or(u32::MAX);
        self.maybe_answer(cx, req, true);
    }
}
