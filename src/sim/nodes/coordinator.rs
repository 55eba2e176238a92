//! A two-phase commit coordinator. Phase one: it asks every participant
//! to prepare its part (each writes the change tentatively, locks the
//! record, and votes). Phase two: when all voted yes it decides to commit,
//! otherwise (a no, or a vote missing in time) to abort; it logs the
//! decision durably before telling anyone, then sends it to every
//! participant again and again until each acknowledges. A participant
//! that voted yes can do nothing on its own: it waits for the decision,
//! holding its lock. So when the coordinator crashes after the prepares,
//! the locks stay held until it restarts; it then resends a logged
//! decision, or aborts a transaction it never decided (presumed abort).

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming, Store};
use crate::model::{Answer, Body, Key, Micros, NodeIdx, ReqOp, Sym, Value};
use crate::scenario::CoordinatorSpec;
use crate::sim::build::BuildError;
use crate::sim::wiring::Wiring;

/// One participant, resolved: the service, its name, the value its part
/// of the transaction writes.
#[derive(Clone, Copy, Debug)]
struct Part {
    service: NodeIdx,
    name: Sym,
    action: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Prepares sent, votes coming in; nothing decided (nothing logged
    /// but the start).
    Preparing,
    /// The decision is logged: commit (true) or abort, sent until every
    /// participant acknowledges it.
    Decided(bool),
    /// Every participant acknowledged the decision.
    Done(bool),
}

#[derive(Clone, Copy, Debug)]
struct Txn {
    asker: Option<(NodeIdx, u32)>,
    phase: Phase,
}

/// Timer tags: the vote deadline and the decision resend, each with the
/// transaction's id in the low bits.
const VOTE_TAG: u64 = 1 << 40;
const RESEND_TAG: u64 = 2 << 40;

#[derive(Clone, Debug)]
pub struct Coordinator {
    parts: Vec<Part>,
    vote_timeout: Micros,
    resend: Micros,
    /// The table its log is shown as (named after it).
    table: Sym,
    /// Its transaction log as records, one per transaction (durable).
    pub store: Store,
    /// Every transaction's phase (durable, written with the log).
    txns: BTreeMap<Sym, Txn>,
    /// Per transaction: the votes in so far, or the acknowledgements of
    /// the decision, one per participant (memory only).
    heard: BTreeMap<Sym, Vec<Option<bool>>>,
    /// Requests waiting for an answer: request number to transaction,
    /// participant, and whether it carried the decision (memory only).
    pending: BTreeMap<u32, (Sym, usize, bool)>,
    last_req: u32,
}

impl Coordinator {
    pub fn build(spec: &CoordinatorSpec, w: &mut Wiring) -> Result<Self, BuildError> {
        let mut parts = Vec::with_capacity(spec.participants.len());
        for p in &spec.participants {
            parts.push(Part {
                service: w.find(&p.service)?,
                name: w.intern(&p.service),
                action: Value::Text(w.intern(&p.action)),
            });
        }
        let table = w.intern(w.my_id);
        Ok(Coordinator {
            parts,
            vote_timeout: spec.vote_timeout.0.max(1),
            resend: spec.resend.0.max(1),
            table,
            store: Store::default(),
            txns: BTreeMap::new(),
            heard: BTreeMap::new(),
            pending: BTreeMap::new(),
            last_req: 0,
        })
    }

    /// A client asks for transaction `id`: phase one begins.
    fn begin(&mut self, cx: &mut Cx, asker: (NodeIdx, u32), id: Sym) {
        if self.txns.contains_key(&id) {
            cx.refuse(asker.0, asker.1, "this transaction has already started");
            return;
        }
        let phase = Phase::Preparing;
        let asker = Some(asker);
        self.txns.insert(id, Txn { asker, phase });
        let n = self.parts.len();
        self.log(
            cx,
            id,
            &format!("preparing: asking {n} participants to vote"),
        );
        self.heard.insert(id, vec![None; n]);
        for i in 0..n {
            if let Some(p) = self.parts.get(i).copied() {
                let op = ReqOp::Prepare {
                    id,
                    value: p.action,
                };
                self.ask(cx, id, i, op);
            }
        }
        cx.timer(self.vote_timeout, VOTE_TAG | u64::from(id));
    }

    fn ask(&mut self, cx: &mut Cx, id: Sym, i: usize, op: ReqOp) {
        let Some(p) = self.parts.get(i) else { return };
        self.last_req += 1;
        let req = self.last_req;
        cx.send(p.service, Body::Request { req, op });
        let decision = matches!(op, ReqOp::Decide { .. });
        self.pending.insert(req, (id, i, decision));
    }

    /// Logs the decision, then sends it to every participant that has
    /// not acknowledged it yet.
    fn decide(&mut self, cx: &mut Cx, id: Sym, commit: bool, why: &str) {
        if let Some(t) = self.txns.get_mut(&id) {
            t.phase = Phase::Decided(commit);
        }
        let what = if commit { "commit" } else { "abort" };
        self.log(cx, id, &format!("decided: {what} ({why})"));
        self.heard.insert(id, vec![None; self.parts.len()]);
        self.send_decision(cx, id, commit);
    }

    fn send_decision(&mut self, cx: &mut Cx, id: Sym, commit: bool) {
        let heard = self.heard.get(&id).cloned().unwrap_or_default();
        for i in 0..self.parts.len() {
            if heard.get(i).copied().flatten().is_none() {
                self.ask(cx, id, i, ReqOp::Decide { id, commit });
            }
        }
        cx.timer(self.resend, RESEND_TAG | u64::from(id));
    }

    /// A vote or an acknowledgement from participant `i`.
    fn answered(&mut self, cx: &mut Cx, (id, i, decision): (Sym, usize, bool), yes: bool) {
        let Some(txn) = self.txns.get(&id).copied() else {
            return;
        };
        match (decision, txn.phase) {
            // A yes that comes after the decision counts for nothing, but
            // its prepare overtook the decision on the way (or came after
            // it): that participant now holds a lock and must be told.
            (false, Phase::Decided(commit) | Phase::Done(commit)) => {
                if yes {
                    self.ask(cx, id, i, ReqOp::Decide { id, commit });
                }
                return;
            }
            (true, Phase::Preparing | Phase::Done(_)) => return,
            (false, Phase::Preparing) | (true, Phase::Decided(_)) => {}
        }
        let Some(slot) = self.heard.get_mut(&id).and_then(|h| h.get_mut(i)) else {
            return;
        };
        *slot = Some(yes);
        let all_in = self
            .heard
            .get(&id)
            .is_some_and(|h| h.iter().all(Option::is_some));
        let name = self.parts.get(i).map_or(0, |p| p.name);
        match txn.phase {
            Phase::Preparing if !yes => {
                let why = format!("{} voted no", cx.names.get(name));
                self.decide(cx, id, false, &why);
            }
            Phase::Preparing if all_in => self.decide(cx, id, true, "every participant voted yes"),
            Phase::Decided(commit) if all_in => self.finish(cx, id, commit, txn.asker),
            Phase::Preparing | Phase::Decided(_) | Phase::Done(_) => {}
        }
    }

    /// Every participant carried the decision out: answer the client.
    fn finish(&mut self, cx: &mut Cx, id: Sym, commit: bool, asker: Option<(NodeIdx, u32)>) {
        if let Some(t) = self.txns.get_mut(&id) {
            t.phase = Phase::Done(commit);
        }
        self.heard.remove(&id);
        let text = if commit { "committed" } else { "aborted" };
        let version = self.log(cx, id, text);
        let Some((to, req)) = asker else { return };
        let answer = if commit {
            let key = Key {
                table: self.table,
                id,
            };
            Answer::Written { key, version }
        } else {
            Answer::Refused {
                reason: cx.names.intern("aborted: every participant rolled back"),
            }
        };
        cx.send(to, Body::Answer { req, answer });
    }

    fn log(&mut self, cx: &mut Cx, id: Sym, text: &str) -> crate::model::Version {
        let value = Value::Text(cx.names.intern(text));
        let key = Key {
            table: self.table,
            id,
        };
        let record = self.store.commit(key, value, cx.now, cx.me);
        let body = cx.keep(Body::Stored { record });
        cx.changed(body);
        record.version
    }
}

impl Actor for Coordinator {
    fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::Request {
                req,
                op: ReqOp::Write { id, .. },
            } => self.begin(cx, (m.from, req), id),
            Body::Answer { req, answer } => {
                let Some(asked) = self.pending.remove(&req) else {
                    return;
                };
                let yes = matches!(answer, Answer::Written { .. } | Answer::Vote { .. });
                self.answered(cx, asked, yes);
            }
            _ => {}
        }
    }

    /// The vote deadline passed with votes missing: abort. The resend
    /// timer sends the decision again to whoever has not acknowledged.
    fn on_timer(&mut self, cx: &mut Cx, tag: u64) {
        let id = Sym::try_from(tag & ((1 << 40) - 1)).unwrap_or(Sym::MAX);
        let Some(txn) = self.txns.get(&id).copied() else {
            return;
        };
        match (tag & !((1 << 40) - 1), txn.phase) {
            (VOTE_TAG, Phase::Preparing) => {
                let silent = self
                    .heard
                    .get(&id)
                    .and_then(|h| h.iter().position(Option::is_none));
                let name = silent.and_then(|i| self.parts.get(i)).map_or(0, |p| p.name);
                let why = format!("no vote from {} in time", cx.names.get(name));
                self.decide(cx, id, false, &why);
            }
            (RESEND_TAG, Phase::Decided(commit)) => self.send_decision(cx, id, commit),
            _ => {}
        }
    }

    fn on_crash(&mut self) {
        self.pending.clear();
        self.heard.clear();
    }

    /// Reads its log: a logged decision is sent again; a transaction with
    /// no decision logged is aborted, since no participant can have been
    /// told to commit it.
    fn on_restart(&mut self, cx: &mut Cx) {
        let open: Vec<(Sym, Phase)> = self
            .txns
            .iter()
            .filter(|(_, t)| !matches!(t.phase, Phase::Done(_)))
            .map(|(id, t)| (*id, t.phase))
            .collect();
        for (id, phase) in open {
            match phase {
                Phase::Preparing => self.decide(cx, id, false, "restarted with no decision logged"),
                Phase::Decided(commit) => {
                    let what = if commit { "commit" } else { "abort" };
                    self.log(cx, id, &format!("restarted: sending {what} again"));
                    self.heard.insert(id, vec![None; self.parts.len()]);
                    self.send_decision(cx, id, commit);
                }
                Phase::Done(_) => {}
            }
        }
    }

    fn store(&self) -> Option<&Store> {
        Some(&self.store)
    }
}
