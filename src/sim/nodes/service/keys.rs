//! A service's idempotency keys. A write that carries one is done once:
//! the key is stored with the write, in the same commit (its own store) or
//! the same transaction (its database), and a retry of the request gets
//! the first answer back, with no second change and no second event.

use super::{Pending, Service};
use crate::model::deliver_flags::DUPLICATE_IGNORED;
use crate::model::{Answer, Body, IdemKey, NodeIdx, Record, ReqOp, WriteKind};
use crate::sim::nodes::Cx;

impl Service {
    /// A write asked for by `asker`, with the idempotency key it carried.
    pub(super) fn request(
        &mut self,
        cx: &mut Cx,
        asker: (NodeIdx, u32),
        op: ReqOp,
        idem: Option<IdemKey>,
    ) {
        let (id, value, mode, poison) = match op {
            ReqOp::Write { id, value, poison } => (id, value, self.plain(), poison),
            ReqOp::WriteBased {
                id,
                value,
                read,
                check,
            } => (id, value, WriteKind::Based { read, check }, false),
            _ => {
                // A key on a read or an edit: keys are for writes only.
                let reason = cx.names.intern("an idempotency key goes with a write");
                let answer = Answer::Refused { reason };
                cx.send(
                    asker.0,
                    Body::Answer {
                        req: asker.1,
                        answer,
                    },
                );
                return;
            }
        };
        self.write(cx, Some(asker), id, (value, mode), None, (poison, idem));
    }

    /// Answers a retry of a write already done to this service's own
    /// store with the first answer; true when it did.
    pub(super) fn done_before(
        &mut self,
        cx: &mut Cx,
        asker: Option<(NodeIdx, u32)>,
        idem: Option<IdemKey>,
    ) -> bool {
        let (Some((to, req)), Some(answer)) = (asker, idem.and_then(|k| self.keys.get(&k))) else {
            return false;
        };
        cx.flags |= DUPLICATE_IGNORED;
        let answer = *answer;
        cx.send(to, Body::Answer { req, answer });
        true
    }

    /// The database found the write's key stored with an earlier write:
    /// that write's answer, and nothing else (no event, no second change).
    pub(super) fn replayed(&mut self, cx: &mut Cx, req: u32, record: Record) {
        if let Some(Pending::Write { asker, event, .. }) = self.pending.remove(&req) {
            if let Some((to, req)) = asker {
                let (key, version) = (record.key, record.version);
                let answer = Answer::Written { key, version };
                cx.send(to, Body::Answer { req, answer });
            }
            self.reacted(cx, event);
        }
    }
}
