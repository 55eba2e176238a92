//! Everything else the queue holds: timers, workload requests, faults and
//! narration marks, and the watches that start a narration step when what
//! it waits for first happens; and the run's starting rows, put in place
//! before any of them.

use rand::RngExt;

use super::{Engine, GenOp, Watch, What};
use crate::model::{Body, NodeIdx, Record, ReqOp, Sym, Value, deliver_flags, message_flags};
use crate::trace::{FaultEvent, Step, StepKind};

impl Engine {
    /// Puts starting rows in node `node`'s store at 0 s, before anything
    /// happens and with no message: one step, each row a change of it, so
    /// every view shows them from the first moment. The owner's rows are
    /// the latest versions, as its writes would be. Called only while the
    /// run is being built.
    pub(crate) fn start_with(&mut self, node: NodeIdx, records: &[Record]) {
        let Some(store) = self
            .nodes
            .get_mut(node as usize)
            .and_then(|rt| rt.beh.starting_store())
        else {
            return;
        };
        for r in records {
            store.apply_if_newer(r);
        }
        let id = self.timed(0, 0);
        let step = self.record(StepKind::Initial, node, id, 0);
        for r in records {
            let body = self.trace.bodies.push(Body::Stored { record: *r });
            let body = u32::try_from(body).unwrap_or(u32::MAX);
            self.trace.changes.push(step, Some(body));
            self.trace.totals.changes += 1;
            if self.owners.get(&r.key.table) == Some(&node) {
                self.latest.insert(r.key, r.version);
            }
        }
    }

    pub(super) fn timer(&mut self, slot: u32) {
        let Some(t) = self.timers.get(slot as usize).copied() else {
            return;
        };
        self.free_timers.push(slot);
        let live = self
            .nodes
            .get(t.node as usize)
            .is_some_and(|n| n.up && n.epoch == t.epoch);
        if !live {
            return;
        }
        let id = self.timed((t.tag & 0xffff_ffff) as u32, (t.tag >> 32) as u32);
        let step = self.record(StepKind::Timer, t.node, id, 0);
        let flags = self.with_node(t.node, |beh, cx| beh.on_timer(cx, t.tag));
        self.finish(step, t.node, flags, None);
    }

    pub(super) fn work(&mut self, g: u32) {
        let Some(gn) = self.gens.get_mut(g as usize) else {
            return;
        };
        let n = gn.fired;
        gn.fired += 1;
        let more = gn.fired < gn.count;
        let (from, to, item, every) = (gn.from, gn.to, gn.item, gn.every);
        if more {
            self.push(self.now.saturating_add(every), What::Work(g));
        }
        let id = self.timed(item, n);
        let step = self.record(StepKind::Work, from, id, 0);
        self.trace.totals.requests += 1;
        if !self.nodes.get(from as usize).is_some_and(|rt| rt.up) {
            return;
        }
        let op = self.make_op(g, n);
        let flags = self.with_node(from, |beh, cx| beh.on_work(cx, to, op));
        self.finish(step, from, flags, None);
    }

    fn make_op(&mut self, g: u32, n: u32) -> ReqOp {
        let Some(gn) = self.gens.get(g as usize) else {
            return ReqOp::Read { id: 0 };
        };
        let (from, random_keys, op) = (gn.from, gn.random_keys, gn.op);
        let pick = match random_keys {
            Some(k) => match self.nodes.get_mut(from as usize) {
                Some(rt) => rt.rng.random_range(0..k.max(1)),
                None => 0,
            },
            None => 0,
        };
        // Each name is interned when first drawn, as before, so the name
        // table (and the trace) is the same; later draws reuse it.
        let cached = self
            .gens
            .get(g as usize)
            .and_then(|gn| gn.syms.get(pick as usize))
            .copied()
            .filter(|&s| s != Sym::MAX);
        let id = match cached {
            Some(id) => id,
            None => {
                let Some(gn) = self.gens.get_mut(g as usize) else {
                    return ReqOp::Read { id: 0 };
                };
                let id = match random_keys {
                    Some(_) => self.trace.names.intern(&format!("{}{pick}", gn.id)),
                    None => self.trace.names.intern(&gn.id),
                };
                let i = pick as usize;
                if gn.syms.len() <= i {
                    gn.syms.resize(i + 1, Sym::MAX);
                }
                if let Some(s) = gn.syms.get_mut(i) {
                    *s = id;
                }
                id
            }
        };
        match op {
            GenOp::WriteSeq(poison) => ReqOp::Write {
                id,
                value: Value::Int(i64::from(n)),
                poison,
            },
            GenOp::Write(value, poison) => ReqOp::Write { id, value, poison },
            GenOp::Read => ReqOp::Read { id },
            GenOp::Edit { fields, versioned } => ReqOp::Edit {
                id,
                fields,
                versioned,
            },
            GenOp::ReadAfterMyWrite => ReqOp::ReadAfterMyWrite { id },
            GenOp::Change(change) => ReqOp::Change { id, change },
        }
    }

    pub(super) fn fault(&mut self, f: u32) {
        let Some(rec) = self.fault_plan.get(f as usize).cloned() else {
            return;
        };
        let id = self.trace.faults.len() as u32;
        self.trace.faults.push(rec.clone());
        let node = match rec.fault {
            FaultEvent::Crash(n)
            | FaultEvent::Restart(n)
            | FaultEvent::Skew(n, _)
            | FaultEvent::Rebuild(n)
            | FaultEvent::Redrive(n)
            | FaultEvent::Fix(n)
            | FaultEvent::Rewind { node: n, .. }
            | FaultEvent::Renamed { node: n, .. } => n,
            FaultEvent::Cut { from, .. } | FaultEvent::Heal { from, .. } => from,
            // Choices are never queued (see `choice`): nothing to say.
            FaultEvent::HealAll | FaultEvent::Chosen { .. } => 0,
        };
        let step = self.record(StepKind::Fault, node, id, 0);
        match rec.fault {
            FaultEvent::Cut { from, to, one_way } => {
                self.cut.insert((from, to));
                if !one_way {
                    self.cut.insert((to, from));
                }
            }
            FaultEvent::Heal { from, to } => {
                self.cut.remove(&(from, to));
                self.cut.remove(&(to, from));
            }
            FaultEvent::HealAll => self.cut.clear(),
            FaultEvent::Chosen { .. } | FaultEvent::Renamed { .. } => {}
            FaultEvent::Crash(n) => {
                if let Some(rt) = self.nodes.get_mut(n as usize)
                    && rt.up
                {
                    rt.up = false;
                    rt.epoch += 1;
                    rt.beh.on_crash();
                }
            }
            // A deploy reaches a node that is down as well: it runs the
            // fixed code when it comes back.
            FaultEvent::Fix(n) => {
                if let Some(rt) = self.nodes.get_mut(n as usize) {
                    rt.beh.on_fix();
                }
            }
            FaultEvent::Skew(n, by) => {
                if let Some(rt) = self.nodes.get_mut(n as usize) {
                    rt.beh.set_clock_skew(by);
                }
            }
            // Operator actions run only on a node that is up.
            FaultEvent::Rebuild(n) | FaultEvent::Redrive(n) => {
                if self.nodes.get(n as usize).is_some_and(|rt| rt.up) {
                    let rebuild = matches!(rec.fault, FaultEvent::Rebuild(_));
                    let flags = self.with_node(n, |beh, cx| {
                        if rebuild {
                            beh.on_rebuild(cx);
                        } else {
                            beh.on_redrive(cx);
                        }
                    });
                    self.finish(step, n, flags, None);
                }
            }
            FaultEvent::Rewind {
                node: n,
                group,
                offset,
            } => {
                if self.nodes.get(n as usize).is_some_and(|rt| rt.up) {
                    let flags = self.with_node(n, |beh, cx| beh.on_rewind(cx, group, offset));
                    self.finish(step, n, flags, None);
                }
            }
            FaultEvent::Restart(n) => {
                let was_down = self.nodes.get(n as usize).is_some_and(|rt| !rt.up);
                if was_down {
                    if let Some(rt) = self.nodes.get_mut(n as usize) {
                        rt.up = true;
                    }
                    let flags = self.with_node(n, |beh, cx| beh.on_restart(cx));
                    self.finish(step, n, flags, None);
                }
            }
        }
    }

    pub(super) fn mark(&mut self, narration: u32) {
        let id = self.timed(narration, 0);
        self.record(StepKind::Mark, 0, id, 0);
    }

    /// Starts the narration steps whose trigger the steps from `first` on
    /// just met.
    pub(super) fn check_watches(&mut self, first: usize) {
        let last = self.trace.steps.len();
        for i in first..last {
            let Some(s) = self.trace.steps.get(i).copied() else {
                continue;
            };
            let mut fired = Vec::new();
            for (k, &(narration, watch)) in self.watches.iter().enumerate() {
                if self.meets(&s, i, watch) {
                    fired.push((k, narration));
                }
            }
            for &(k, narration) in fired.iter().rev() {
                self.watches.remove(k);
                self.mark(narration);
            }
        }
    }

    fn meets(&self, s: &Step, i: usize, watch: Watch) -> bool {
        let fault = || {
            (s.kind == StepKind::Fault)
                .then(|| self.trace.faults.get(s.id as usize))
                .flatten()
        };
        match watch {
            Watch::Crash(n) => fault().is_some_and(|f| f.fault == FaultEvent::Crash(n)),
            Watch::Restart(n) => fault().is_some_and(|f| f.fault == FaultEvent::Restart(n)),
            Watch::Partition => fault().is_some_and(|f| matches!(f.fault, FaultEvent::Cut { .. })),
            Watch::Heal => fault()
                .is_some_and(|f| matches!(f.fault, FaultEvent::Heal { .. } | FaultEvent::HealAll)),
            Watch::FirstDrop => s.kind == StepKind::Drop,
            // A log's member handles a fetched event on a timer.
            Watch::FirstDuplicateIgnored => {
                matches!(s.kind, StepKind::Deliver | StepKind::Timer)
                    && s.flags & deliver_flags::DUPLICATE_IGNORED != 0
            }
            Watch::FirstStaleRead => {
                let from = self.trace.first_message_of(i as u32);
                self.trace
                    .messages
                    .iter_from(from)
                    .take_while(|m| m.cause as usize == i)
                    .any(|m| m.flags & message_flags::STALE != 0)
            }
            Watch::FirstAnswer(c) => {
                s.kind == StepKind::Deliver
                    && s.node == c
                    && self
                        .trace
                        .message(s.id)
                        .and_then(|m| self.trace.body(m.body))
                        .is_some_and(|b| matches!(b, Body::Answer { .. }))
            }
        }
    }
}
