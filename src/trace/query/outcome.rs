//! Requests whose client stopped waiting. A timeout is not a failure: the
//! service may have done the request and its answer been lost or late, so
//! the client cannot tell. Every view and check words it the same way,
//! from here: an *unknown outcome*.

use crate::model::{Body, deliver_flags};
use crate::trace::{StepKind, Trace};

/// The word every view uses for a request its client stopped waiting for.
pub const UNKNOWN_OUTCOME: &str = "unknown outcome";

/// Most messages searched back from a timeout for the request it ends.
const SEARCH_BACK: usize = 200_000;

/// A client's timeout, read from its timer step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout {
    /// The request message that got no answer in time, when found.
    pub request: Option<u32>,
    /// The client sent it again (with the same key, if it has one).
    pub retried: bool,
}

/// Step `i` as a client's timeout, if it is one.
pub fn timeout_at(trace: &Trace, i: usize) -> Option<Timeout> {
    let s = trace.step(i)?;
    if s.kind != StepKind::Timer || s.flags & deliver_flags::GAVE_UP == 0 {
        return None;
    }
    let req = trace.timed.get(s.id as usize)?.a;
    let end = trace.first_message_of(i as u32);
    let request = (end.saturating_sub(SEARCH_BACK)..end).rev().find(|&m| {
        trace.message(m as u32).is_some_and(|msg| {
            trace.sender(msg) == s.node
                && matches!(
                    trace.body(msg.body),
                    Some(Body::Request { req: r, .. } | Body::KeyedRequest { req: r, .. }) if *r == req
                )
        })
    });
    Some(Timeout {
        request: request.map(|m| m as u32),
        retried: s.flags & deliver_flags::RETRIED != 0,
    })
}

/// Step `i`, a client's timeout, in words: "Checkout: no answer to write
/// 1002=a lamp in time: unknown outcome (it may have been done); sending
/// it again".
pub fn timeout_said(trace: &Trace, i: usize) -> Option<String> {
    let t = timeout_at(trace, i)?;
    let client = trace.step(i).map_or("?", |s| trace.node_label(s.node));
    let what = t
        .request
        .and_then(|m| trace.message(m))
        .and_then(|msg| trace.body(msg.body))
        .map(|b| crate::model::body_label(&trace.names, b))
        .unwrap_or_else(|| "its request".to_string());
    let then = if t.retried {
        "sending it again"
    } else {
        "giving up"
    };
    Some(format!(
        "{client}: no answer to {what} in time: {UNKNOWN_OUTCOME} (it may have been done); {then}"
    ))
}

/// The timeouts among the first `upto` steps: (step, retried).
pub fn timeouts(trace: &Trace, upto: usize) -> impl Iterator<Item = (usize, bool)> + '_ {
    trace
        .steps
        .iter()
        .take(upto)
        .enumerate()
        .filter(|(_, s)| s.kind == StepKind::Timer && s.flags & deliver_flags::GAVE_UP != 0)
        .map(|(i, s)| (i, s.flags & deliver_flags::RETRIED != 0))
}
