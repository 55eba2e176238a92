//! Conflicts: concurrent writes to a multi-leader table that last-writer-
//! wins silently discarded.

use crate::model::{Micros, NodeIdx, deliver_flags};
use crate::trace::{StepKind, Trace};

/// Concurrent writes to a peer table that last-writer-wins discarded, and
/// when the first was.
pub(super) fn writes_lost(trace: &Trace, table: &str) -> (u64, Option<Micros>) {
    let Some(sym) = trace.names.find(table) else {
        return (0, None);
    };
    let Some(info) = trace.tables.iter().find(|t| t.name == sym) else {
        return (0, None);
    };
    let at_peer = |n: NodeIdx| n == info.owner || info.replicas.contains(&n);
    let mut first = None;
    let mut count = 0;
    for (i, s) in trace.steps.iter().enumerate() {
        if s.kind == StepKind::Deliver
            && s.flags & deliver_flags::WRITE_LOST != 0
            && at_peer(s.node)
        {
            count += 1;
            first = first.or(Some(trace.step_time(i)));
        }
    }
    (count, first)
}
