//! The choose-next mode: the run stops wherever more than one message
//! could arrive next, lists them, and the learner picks which arrives
//! (or is lost, or arrives twice). Each pick is recorded in the drawing as
//! a fault ([`Fault::Deliver`], [`Fault::Drop`], [`Fault::Duplicate`]),
//! as live actions are, so stepping back, undo, saving and sharing replay
//! it; the engine applies it (see `sim::engine::choice`).
//!
//! "Could arrive next" is kept simple: just before a message arrives at
//! time T, every message still in flight that its link could have
//! carried by T (sent at least the link's shortest latency before T) may
//! go first. Settle's links are not ordered connections: the engine draws
//! each message's latency on its own, so messages on one link may
//! overtake each other already, and a choice only picks among orders the
//! network could produce. What the receiver would have sent in between,
//! had a message really arrived earlier, is not considered: the choice
//! happens at T.

use std::collections::BTreeMap;

use crate::model::{Micros, NodeIdx};
use crate::scenario::{Choice, Dur, Fault, Latency, Scenario};
use crate::trace::query::Index;
use crate::trace::{FaultEvent, StepKind, Trace};

/// The shortest latency of each link, by its ends (both ways), as the
/// engine routes: the first link between two nodes carries their messages.
#[derive(Clone, Debug, Default)]
pub struct Floors(BTreeMap<(NodeIdx, NodeIdx), Micros>);

impl Floors {
    pub fn of(s: &Scenario) -> Floors {
        let index = |id: &str| {
            s.nodes
                .iter()
                .position(|n| n.id == id)
                .map(|i| i as NodeIdx)
        };
        let mut floors = BTreeMap::new();
        for l in &s.links {
            let (Some(a), Some(b)) = (index(&l.from), index(&l.to)) else {
                continue;
            };
            let least = match l.latency {
                Latency::Fixed(d) => d.0,
                Latency::Uniform { min, .. } => min.0,
            };
            floors.entry((a, b)).or_insert(least);
            floors.entry((b, a)).or_insert(least);
        }
        Floors(floors)
    }

    /// The least time a message from `from` to `to` takes (none without a link).
    fn least(&self, from: NodeIdx, to: NodeIdx) -> Micros {
        self.0.get(&(from, to)).copied().unwrap_or(0)
    }
}

/// A message that could arrive next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub message: u32,
    pub from: NodeIdx,
    pub to: NodeIdx,
    pub sent: Micros,
    /// When the network would deliver it.
    pub due: Micros,
}

/// A moment where more than one message could arrive next: just before
/// step `step`, the arrival of message `before` at `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub step: usize,
    pub at: Micros,
    pub before: u32,
    /// The network's own next first, then by when each is due.
    pub candidates: Vec<Candidate>,
}

/// The choice point just before step `k`, if there is one: step `k` is an
/// arrival that no choice made (or a choice made there, to make
/// differently), and another message could arrive first.
pub fn point_at(trace: &Trace, index: &Index, floors: &Floors, k: usize) -> Option<Point> {
    let s = trace.step(k)?;
    let before = match s.kind {
        StepKind::Deliver | StepKind::Drop if !made_by_choice(trace, k) => s.id,
        StepKind::Fault => match trace.faults.get(s.id as usize)?.fault {
            FaultEvent::Chosen { before, .. } => before,
            _ => return None,
        },
        _ => return None,
    };
    let at = trace.step_time(k);
    let sent_before = trace.first_message_of(k as u32);
    // Sent late enough to be still on the wire: no message takes longer
    // than the index's longest.
    let oldest = at.saturating_sub(index.max_latency());
    let first = crate::trace::partition_point(sent_before, |i| {
        trace
            .messages
            .get(i)
            .is_some_and(|m| trace.sent_at(m) < oldest)
    });
    // Messages that arrived at `at` itself, before step `k`.
    let arrived_now: Vec<u32> = (trace.first_step_at(at)..k)
        .filter_map(|i| trace.step(i))
        .filter(|s| matches!(s.kind, StepKind::Deliver | StepKind::Drop))
        .map(|s| s.id)
        .collect();
    let mut candidates = Vec::new();
    for (j, m) in trace.messages.iter_from(first).enumerate() {
        let i = first + j;
        if i >= sent_before {
            break;
        }
        let i = i as u32;
        let due = m.at();
        let on_wire = due > at || (due == at && !arrived_now.contains(&i));
        if !on_wire {
            continue;
        }
        let (from, sent) = (trace.sender(m), trace.sent_at(m));
        if i == before || sent.saturating_add(floors.least(from, m.to)) <= at {
            candidates.push(Candidate {
                message: i,
                from,
                to: m.to,
                sent,
                due,
            });
        }
    }
    candidates.sort_by_key(|c| (c.message != before, c.due, c.message));
    (candidates.len() > 1).then_some(Point {
        step: k,
        at,
        before,
        candidates,
    })
}

/// Whether step `k` is the arrival a choice just made (the step before
/// it records that choice about this very message).
fn made_by_choice(trace: &Trace, k: usize) -> bool {
    let (Some(s), Some(prev)) = (trace.step(k), k.checked_sub(1).and_then(|p| trace.step(p)))
    else {
        return false;
    };
    prev.kind == StepKind::Fault
        && trace.faults.get(prev.id as usize).is_some_and(
            |f| matches!(f.fault, FaultEvent::Chosen { message, .. } if message == s.id),
        )
}

/// A candidate in words: "Orders → Broker: OrderPlaced #3, sent 0.412 s".
pub fn said(trace: &Trace, c: &Candidate) -> String {
    format!(
        "{} → {}: {} #{}, sent {}",
        trace.node_label(c.from),
        trace.node_label(c.to),
        crate::trace::export::message_said(trace, c.message),
        c.message,
        crate::scenario::fmt_time(c.sent)
    )
}

/// The fault that records `choice` of `message`, just before message
/// `before` arrives at `at`.
pub fn fault(at: Micros, message: u32, before: u32, choice: Choice) -> Fault {
    let at = Dur(at);
    match choice {
        Choice::Deliver => Fault::Deliver {
            at,
            message,
            before,
        },
        Choice::Drop => Fault::Drop {
            at,
            message,
            before,
        },
        Choice::Twice => Fault::Duplicate {
            at,
            message,
            before,
        },
    }
}

/// Records a choice in the drawing, made at a point where `kept` choices
/// had already been made (as the run shows them). The choices made
/// later go: later in the run, or at the same point after those kept.
/// They were made in a future that this choice changes (messages are
/// named by their number in the run, which a new choice may reorder).
pub fn record(s: &mut Scenario, choice: &Fault, kept: usize) {
    let Some((_, before, _)) = choice.choice() else {
        return;
    };
    let at = choice.at();
    let mut here = 0;
    s.faults.retain(|f| match f.choice() {
        None => true,
        Some(_) if f.at() < at => true,
        Some((_, b, _)) if f.at() == at && b == before => {
            here += 1;
            here <= kept
        }
        Some(_) => f.at() == at,
    });
    s.faults.push(choice.clone());
}

/// How many choices were made at point `p` before its step, as the run
/// shows them.
pub fn made_at(trace: &Trace, p: &Point) -> usize {
    (trace.first_step_at(p.at)..p.step)
        .filter_map(|i| trace.step(i))
        .filter(|s| s.kind == StepKind::Fault)
        .filter_map(|s| trace.faults.get(s.id as usize))
        .filter(|f| matches!(f.fault, FaultEvent::Chosen { before, .. } if before == p.before))
        .count()
}

/// The mode's state in a run: on or off, the links' shortest latencies,
/// and the choice point the learner let pass.
#[derive(Clone, Debug, Default)]
pub struct Mode {
    pub on: bool,
    pub floors: Floors,
    /// The step whose choice point the learner let the network decide.
    pub passed: Option<usize>,
    /// The run was playing when it stopped: a choice plays on.
    pub resume: bool,
}

/// What the learner asks of the choose-next mode.
#[derive(Clone, Debug, PartialEq)]
pub enum ChooseCmd {
    /// Turn the mode on or off.
    Toggle,
    /// At the choice point shown, do `choice` with `message`.
    Pick { message: u32, choice: Choice },
    /// At the choice point shown, let the network deliver what it would.
    LetNetwork,
}

impl super::Session {
    /// Carries out a command of the choose-next mode.
    pub(super) fn choose_cmd(&mut self, c: ChooseCmd) {
        let Some(p) = &mut self.player else { return };
        match c {
            ChooseCmd::Toggle => {
                p.choose.on = !p.choose.on;
                p.choose.passed = None;
            }
            ChooseCmd::LetNetwork => let_network(p),
            ChooseCmd::Pick { message, choice } => {
                let Some(point) = p.choice_point() else {
                    return;
                };
                if !point.candidates.iter().any(|c| c.message == message) {
                    return;
                }
                // The network's own next, delivered next: nothing to record.
                if choice == Choice::Deliver && message == point.before {
                    let_network(p);
                    return;
                }
                let resume = p.choose.resume;
                let action = super::Action::Choose {
                    message,
                    before: point.before,
                    choice,
                    kept: made_at(p.trace(), &point),
                };
                if let Some(why) = action.refused(&self.doc.scenario, point.at) {
                    self.notice = Some(super::Notice::error(format!("Not done: {why}")));
                    return;
                }
                self.doc.apply(&action.at(point.at));
                self.rebuild_if_edited();
                if let Some(p) = &mut self.player {
                    p.show_choice(point.step, resume);
                }
            }
        }
    }
}

/// Lets the arrival the run stopped before happen, and plays on if the
/// run was playing.
fn let_network(p: &mut super::Player) {
    let resume = p.choose.resume;
    p.choose.passed = Some(p.upto());
    p.step_forward();
    p.playing = resume;
    p.choose.resume = resume;
}
