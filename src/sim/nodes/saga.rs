//! A saga orchestrator. It runs a business action as a sequence of steps,
//! each a write at one service. When a step is refused (or its answer does
//! not come in time, so its outcome is unknown) it runs the compensations
//! of the steps done, newest first, retrying each until it is
//! acknowledged. Its saga log is durable: after a crash it resumes every
//! unfinished saga where it stood. A step without a compensation cannot
//! be undone: the saga passes over it, and what it did stays.

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming, Store};
use crate::scenario::{OrchestratorSpec, pending_mark};
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

use crate::model::{Answer, Body, Key, Micros, NodeIdx, ReqOp, Sym, Value};

/// One step, resolved: the service, the value that does it, the value
/// that undoes it (none when the step has no compensation).
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub service: NodeIdx,
    pub name: Sym,
    pub action: Value,
    pub compensation: Option<Value>,
    /// The action marked pending (a semantic lock), confirmed at the end.
    pub pending: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct OrchestratorWiring {
    pub steps: Vec<Step>,
    pub timeout: Micros,
    /// The table its saga log is shown as.
    pub table: Sym,
    /// Steps from this index on come after the pivot: once the pivot step
    /// has succeeded there is no going back, so they are retried forward.
    pub forward_from: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Doing step i.
    Forward(usize),
    /// Undoing step i (counting down to 0).
    Compensating(usize),
    /// Every step done: confirming step i, marked pending until now.
    Confirming(usize),
    Completed,
    Compensated,
}

/// What a request does to a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Do,
    Undo,
    Confirm,
}

#[derive(Clone, Copy, Debug)]
struct Saga {
    asker: Option<(NodeIdx, u32)>,
    phase: Phase,
}

#[derive(Clone, Debug)]
pub struct Orchestrator {
    w: OrchestratorWiring,
    /// The saga log as records, one per saga (durable).
    pub store: Store,
    /// Every saga's phase (durable, written with the log).
    sagas: BTreeMap<Sym, Saga>,
    /// Requests waiting for an answer: request number to saga (memory only).
    pending: BTreeMap<u32, Sym>,
    last_req: u32,
}

impl Orchestrator {
    pub fn build(spec: &OrchestratorSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let mut steps = Vec::with_capacity(spec.steps.len());
        for st in &spec.steps {
            steps.push(Step {
                service: w.find(&st.service)?,
                name: w.intern(&st.service),
                action: Value::Text(w.intern(&st.action)),
                compensation: (!st.compensation.trim().is_empty())
                    .then(|| Value::Text(w.intern(&st.compensation))),
                pending: st
                    .pending
                    .then(|| Value::Text(w.intern(&pending_mark(&st.action)))),
            });
        }
        let table = w.intern(w.my_id);
        let forward_from = spec.pivot.unwrap_or(steps.len());
        Ok(Orchestrator::new(OrchestratorWiring {
            steps,
            timeout: spec.step_timeout.0.max(1),
            table,
            forward_from,
        }))
    }

    pub fn new(w: OrchestratorWiring) -> Self {
        Orchestrator {
            w,
            store: Store::default(),
            sagas: BTreeMap::new(),
            pending: BTreeMap::new(),
            last_req: 0,
        }
    }

    /// A step's answer: move the saga on.
    fn answered(&mut self, cx: &mut Cx, req: u32, id: Sym, ok: bool, from: NodeIdx) {
        let Some(saga) = self.sagas.get(&id).copied() else {
            return;
        };
        if let Phase::Forward(i) = saga.phase
            && !ok
            && i >= self.w.forward_from
        {
            // Past the pivot a refusal is not a reason to undo: the step
            // is tried again when its timer runs out.
            self.pending.insert(req, id);
            let text = format!("step {} refused; past the pivot, retrying it", i + 1);
            self.log(cx, id, &text);
            return;
        }
        let next = match (saga.phase, ok) {
            (Phase::Forward(i), true) if i + 1 < self.w.steps.len() => Phase::Forward(i + 1),
            (Phase::Forward(_), true) => self.confirm_from(0),
            // A confirmation is past every step: it is only ever retried.
            (Phase::Confirming(j), _) => self.confirm_from(j + 1),
            (Phase::Forward(0), false) => Phase::Compensated,
            (Phase::Forward(i), false) => Phase::Compensating(i - 1),
            // A refused compensation is a definite answer: the service holds
            // nothing of that step to undo (it refused the step too). Only
            // a missing answer makes the saga try again (see on_timer).
            (Phase::Compensating(0), _) => Phase::Compensated,
            (Phase::Compensating(j), _) => Phase::Compensating(j - 1),
            (done, _) => done,
        };
        let why = (!ok && matches!(saga.phase, Phase::Forward(_)))
            .then(|| format!("{} said no", cx.names.get(self.name_of(from))));
        self.set(cx, id, next);
        self.advance(cx, id, why);
    }

    /// The first step from `j` on still marked pending, or the end.
    fn confirm_from(&self, j: usize) -> Phase {
        (j..self.w.steps.len())
            .find(|&k| self.w.steps.get(k).is_some_and(|s| s.pending.is_some()))
            .map_or(Phase::Completed, Phase::Confirming)
    }

    fn name_of(&self, node: NodeIdx) -> Sym {
        self.w
            .steps
            .iter()
            .find(|s| s.service == node)
            .map_or(0, |s| s.name)
    }

    fn set(&mut self, _cx: &mut Cx, id: Sym, phase: Phase) {
        if let Some(s) = self.sagas.get_mut(&id) {
            s.phase = phase;
        }
    }

    /// Records the saga's phase in the log and sends what it needs next.
    fn advance(&mut self, cx: &mut Cx, id: Sym, reason: Option<String>) {
        let Some(saga) = self.sagas.get(&id).copied() else {
            return;
        };
        // Nothing undoes a step without a compensation: pass over it.
        if let Phase::Compensating(j) = saga.phase
            && self
                .w
                .steps
                .get(j)
                .is_some_and(|s| s.compensation.is_none())
        {
            let next = match j {
                0 => Phase::Compensated,
                j => Phase::Compensating(j - 1),
            };
            self.set(cx, id, next);
            let why = format!("step {} has no compensation, so it stays done", j + 1);
            return self.advance(cx, id, Some(why));
        }
        let n = self.w.steps.len();
        let text = match saga.phase {
            Phase::Forward(i) => match &reason {
                Some(why) => format!("{why}: step {} of {n}", i + 1),
                None => format!("step {} of {n}", i + 1),
            },
            Phase::Compensating(j) => match &reason {
                Some(why) => format!("{why}: undoing step {}", j + 1),
                None => format!("undoing step {}", j + 1),
            },
            Phase::Confirming(j) => format!("all steps done: confirming step {}", j + 1),
            Phase::Completed => "completed".to_string(),
            Phase::Compensated => match &reason {
                Some(why) => format!("compensated ({why})"),
                None => "compensated".to_string(),
            },
        };
        self.log(cx, id, &text);
        match saga.phase {
            Phase::Forward(i) => self.send(cx, id, i, Act::Do),
            Phase::Compensating(j) => self.send(cx, id, j, Act::Undo),
            Phase::Confirming(j) => self.send(cx, id, j, Act::Confirm),
            Phase::Completed | Phase::Compensated => {
                if let Some((to, req)) = saga.asker {
                    let answer = if saga.phase == Phase::Completed {
                        let r = self.store.read(Key {
                            table: self.w.table,
                            id,
                        });
                        Answer::Written {
                            key: r.key,
                            version: r.version,
                        }
                    } else {
                        Answer::Refused {
                            reason: cx.names.intern(&text),
                        }
                    };
                    cx.send(to, Body::Answer { req, answer });
                }
            }
        }
    }

    fn log(&mut self, cx: &mut Cx, id: Sym, text: &str) {
        let value = Value::Text(cx.names.intern(text));
        let record = self.store.commit(
            Key {
                table: self.w.table,
                id,
            },
            value,
            cx.now,
            cx.me,
        );
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
    }

    fn send(&mut self, cx: &mut Cx, id: Sym, step: usize, act: Act) {
        let Some(s) = self.w.steps.get(step).copied() else {
            return;
        };
        self.last_req += 1;
        let req = self.last_req;
        let value = match (act, s.compensation) {
            (Act::Do, _) => s.pending.unwrap_or(s.action),
            (Act::Undo, Some(c)) => c,
            (Act::Undo, None) => return,
            (Act::Confirm, _) => s.action,
        };
        cx.send(
            s.service,
            Body::Request {
                req,
                op: ReqOp::Write {
                    id,
                    value,
                    poison: false,
                },
            },
        );
        self.pending.insert(req, id);
        cx.timer(self.w.timeout, u64::from(req));
    }
}

impl Actor for Orchestrator {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op: ReqOp::Write { id, .. },
            } => {
                if self.sagas.contains_key(&id) {
                    let reason = cx.names.intern("this saga has already started");
                    cx.send(
                        m.from,
                        Body::Answer {
                            req,
                            answer: Answer::Refused { reason },
                        },
                    );
                    return;
                }
                self.sagas.insert(
                    id,
                    Saga {
                        asker: Some((m.from, req)),
                        phase: Phase::Forward(0),
                    },
                );
                self.advance(cx, id, None);
            }
            Body::Answer { req, answer } => {
                let Some(id) = self.pending.remove(&req) else {
                    return;
                };
                let ok = matches!(answer, Answer::Written { .. });
                self.answered(cx, req, id, ok, m.from);
            }
            _ => {}
        }
    }

    /// No answer in time: a step's outcome is unknown, so it is undone
    /// too; a compensation is simply tried again.
    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        let req = u32::try_from(tag).unwrap_or(u32::MAX);
        let Some(id) = self.pending.remove(&req) else {
            return;
        };
        let Some(saga) = self.sagas.get(&id).copied() else {
            return;
        };
        let next = match saga.phase {
            // Past the pivot there is no going back: try the step again.
            Phase::Forward(i) if i >= self.w.forward_from => Phase::Forward(i),
            Phase::Forward(i) => Phase::Compensating(i),
            other => other,
        };
        self.set(cx, id, next);
        let who = match saga.phase {
            Phase::Forward(i) if i >= self.w.forward_from => self.w.steps.get(i).map(|s| {
                format!(
                    "{} did not answer; past the pivot, retrying",
                    cx.names.get(s.name)
                )
            }),
            Phase::Forward(i) => self
                .w
                .steps
                .get(i)
                .map(|s| format!("{} did not answer", cx.names.get(s.name))),
            _ => None,
        };
        self.advance(cx, id, who);
    }

    fn on_crash(&mut self) {
        self.pending.clear();
    }

    /// Resumes every unfinished saga from its logged phase.
    fn on_restart(&mut self, cx: &mut Cx) {
        let open: Vec<Sym> = self
            .sagas
            .iter()
            .filter(|(_, s)| {
                matches!(
                    s.phase,
                    Phase::Forward(_) | Phase::Compensating(_) | Phase::Confirming(_)
                )
            })
            .map(|(id, _)| *id)
            .collect();
        for id in open {
            self.advance(cx, id, None);
        }
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
