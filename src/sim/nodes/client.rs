//! A client: sends the workload's requests and waits for answers.

use std::collections::BTreeMap;

use super::{Actor, Cx, Incoming};
use crate::model::deliver_flags::GAVE_UP;
use crate::model::{Body, Micros, NodeIdx, ReqOp};
use crate::scenario::ClientSpec;

#[derive(Clone, Debug)]
pub struct Client {
    timeout: Micros,
    next_req: u32,
    /// Requests sent and not yet answered (memory only).
    waiting: BTreeMap<u32, Micros>,
}

impl Client {
    pub fn new(timeout: Micros) -> Self {
        Client {
            timeout,
            next_req: 1,
            waiting: BTreeMap::new(),
        }
    }

    pub fn build(spec: &ClientSpec) -> Self {
        Client::new(spec.timeout.0)
    }

    /// Requests still waiting for an answer.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

impl Actor for Client {
    fn on_work(&mut self, cx: &mut Cx, to: NodeIdx, op: ReqOp) {
        let req = self.next_req;
        self.next_req += 1;
        cx.send(to, Body::Request { req, op });
        self.waiting.insert(req, cx.now);
        cx.timer(self.timeout, u64::from(req));
    }

    fn on_message(&mut self, _cx: &mut Cx, m: &Incoming) {
        if let Body::Answer { req, .. } = m.body {
            self.waiting.remove(&req);
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
    }
}
