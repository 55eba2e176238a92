//! Conflicts: concurrent writes to a multi-leader table that last-writer-
//! wins silently discarded.

use std::collections::BTreeSet;

use crate::model::peer_state::{Dot, dots_from_text};
use crate::model::{Body, Key, Micros, deliver_flags};
use crate::trace::{StepKind, Trace};

/// Every write last-writer-wins discarded within the first `upto` steps,
/// once each, with its key and when the first copy discarded it. Each copy
/// that meets the conflict discards the same writes, so a write is told by
/// its writer and number (its dot), not by the copies.
pub(super) fn lost_writes(trace: &Trace, upto: usize) -> Vec<(Key, Micros)> {
    let mut seen: BTreeSet<(Key, Dot)> = BTreeSet::new();
    let mut out = Vec::new();
    for (i, s) in trace.steps.iter().enumerate().take(upto) {
        if s.kind != StepKind::Deliver || s.flags & deliver_flags::WRITE_LOST == 0 {
            continue;
        }
        let from = trace.first_change_of(i as u32);
        let lost = (from..trace.changes.len())
            .map_while(|c| trace.change(c).filter(|c| c.step as usize == i))
            .find_map(|c| match trace.body(c.body) {
                Some(Body::PeerState {
                    record,
                    lost: Some(dots),
                    ..
                }) => Some((record.key, *dots)),
                _ => None,
            });
        let Some((key, dots)) = lost else {
            continue;
        };
        for dot in dots_from_text(trace.names.get(dots)) {
            if seen.insert((key, dot)) {
                out.push((key, trace.step_time(i)));
            }
        }
    }
    out
}

/// Concurrent writes to a peer table that last-writer-wins discarded, each
/// counted once, and when the first was.
pub(super) fn writes_lost(trace: &Trace, table: &str) -> (u64, Option<Micros>) {
    let Some(sym) = trace.names.find(table) else {
        return (0, None);
    };
    let mine: Vec<Micros> = lost_writes(trace, trace.steps.len())
        .into_iter()
        .filter(|(k, _)| k.table == sym)
        .map(|(_, t)| t)
        .collect();
    (mine.len() as u64, mine.first().copied())
}
