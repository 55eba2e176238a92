//! Folding repeated polls. A CDC relay asks its database's change log for
//! new rows every few tens of milliseconds; most asks find nothing, and a
//! sequence diagram of them is a wall of "read log" rows that hides the
//! rows that carried data. Consecutive identical polls that changed
//! nothing fold into one row, "read log from #2 ×12". The app's diagram
//! and every export fold with the functions here, so they agree.

use crate::model::Body;
use crate::trace::{Fate, StepKind, Trace};

/// The step at which message `m` was delivered, if it was.
fn delivery_step(t: &Trace, m: u32) -> Option<usize> {
    let msg = t.message(m)?;
    if msg.fate() != Fate::Delivered {
        return None;
    }
    let at = msg.at();
    (t.first_step_at(at)..t.steps.len())
        .take_while(|&i| t.step_time(i) == at)
        .find(|&i| {
            t.step(i)
                .is_some_and(|s| s.kind == StepKind::Deliver && s.id == m)
        })
}

/// Whether message `m` is a poll of a change log that found nothing: it
/// arrived, and its receiver sent nothing back and changed nothing. A
/// poll that was dropped or that brought rows is never folded.
pub fn idle_poll(t: &Trace, m: u32) -> bool {
    let Some(msg) = t.message(m) else {
        return false;
    };
    if !matches!(t.body(msg.body), Some(Body::LogPoll { .. })) {
        return false;
    }
    let Some(step) = delivery_step(t, m) else {
        return false;
    };
    let step = step as u32;
    let sent_nothing = t
        .messages
        .get(t.first_message_of(step))
        .is_none_or(|next| next.cause != step);
    let changed_nothing = t
        .changes
        .step_of(t.first_change_of(step))
        .is_none_or(|s| s != step);
    sent_nothing && changed_nothing
}

/// Whether `later` repeats `earlier`: both idle polls, from the same
/// sender to the same receiver, asking the same thing.
pub fn repeats(t: &Trace, earlier: u32, later: u32) -> bool {
    let (Some(a), Some(b)) = (t.message(earlier), t.message(later)) else {
        return false;
    };
    t.sender(a) == t.sender(b)
        && a.to == b.to
        && t.body(a.body) == t.body(b.body)
        && idle_poll(t, earlier)
        && idle_poll(t, later)
}

/// Adds `row` to rows already folded (each with how many rows it stands
/// for): a message repeating the last row's message folds into it.
/// `message` says which message a row shows, if any.
pub fn push<R: Copy>(
    t: &Trace,
    folded: &mut Vec<(R, u32)>,
    row: R,
    message: impl Fn(R) -> Option<u32>,
) {
    if let (Some(m), Some((last, times))) = (message(row), folded.last_mut())
        && let Some(first) = message(*last)
        && repeats(t, first, m)
    {
        *times += 1;
        return;
    }
    folded.push((row, 1));
}

/// `rows` folded: each kept row with how many rows it stands for.
pub fn fold<R: Copy>(t: &Trace, rows: &[R], message: impl Fn(R) -> Option<u32>) -> Vec<(R, u32)> {
    let mut out = Vec::with_capacity(rows.len());
    for &r in rows {
        push(t, &mut out, r, &message);
    }
    out
}

/// What a folded row adds to its label: " ×12", or nothing for one.
pub fn times_said(times: u32) -> String {
    if times > 1 {
        format!(" ×{times}")
    } else {
        String::new()
    }
}
