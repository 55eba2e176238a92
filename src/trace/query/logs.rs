//! Partitioned logs as the views see them: each consumer's lag (the
//! events in its partitions its group has not committed) at a moment, read
//! from the lag table the log keeps.

use std::collections::BTreeMap;

use super::Index;
use crate::model::{Key, NodeIdx, Value};
use crate::scenario::{Kind, log_lag_table};
use crate::trace::Trace;

/// Each log consumer's lag once `upto` steps were applied, summed over
/// the logs it reads; consumers of a log with no lag recorded yet are
/// absent.
pub fn consumer_lags(trace: &Trace, index: &Index, upto: usize) -> BTreeMap<NodeIdx, u32> {
    let mut out = BTreeMap::new();
    for (li, n) in trace.nodes.iter().enumerate() {
        if n.kind != Kind::Log {
            continue;
        }
        let Some(table) = trace.names.find(&log_lag_table(&n.id)) else {
            continue;
        };
        for id in index.ids(table) {
            let Some(consumer) = trace.nodes.iter().position(|m| m.id == trace.names.get(id))
            else {
                continue;
            };
            let key = Key { table, id };
            let lag = match index.record_at(trace, li as NodeIdx, key, upto) {
                Some((r, _)) => match r.value {
                    Value::Int(v) => u32::try_from(v).unwrap_or(0),
                    _ => 0,
                },
                None => 0,
            };
            *out.entry(consumer as NodeIdx).or_insert(0) += lag;
        }
    }
    out
}

/// The event a log's member handled in timer step `s`, if that is what
/// the timer was for: its body.
pub fn handled_event(trace: &Trace, s: &crate::trace::Step) -> Option<u32> {
    if s.kind != crate::trace::StepKind::Timer {
        return None;
    }
    let t = trace.timed.get(s.id as usize)?;
    (t.b == crate::scenario::HANDLE_TAG).then_some(t.a)
}
