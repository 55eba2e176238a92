//! Live actions: what an instructor does to a running system (crash or
//! restart a node, cut or heal a link, fire a request, skew a clock). Each
//! is recorded at the moment shown as part of the scenario, so the run
//! forks from there and a saved drawing replays the class exactly. The
//! canvas menu and the inspector both offer the lists made here.

use super::edit::Edit;
use crate::model::{Dur, Micros};
use crate::scenario::{Act, Fault, Kind, NodeKind, Op, Scenario, Work};
use crate::trace::Trace;
use crate::trace::query::FaultState;

/// A live action, by the names of what it acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Crash(String),
    Restart(String),
    Cut {
        a: String,
        b: String,
        one_way: bool,
    },
    Heal {
        a: String,
        b: String,
    },
    Request {
        from: String,
        to: String,
        op: Op,
    },
    /// The node's clock jumps ahead.
    Skew {
        node: String,
        ahead: Dur,
    },
    /// A projection's view is emptied and folded again from the start.
    Rebuild(String),
    /// A broker's dead letters are delivered again.
    Redrive(String),
    /// A consumer gets the fix for the poison events it rejects.
    Fix(String),
    /// A log's consumer group reads again from `offset` in every partition.
    Rewind {
        node: String,
        group: String,
        offset: u32,
    },
    /// In the choose-next mode: what happens to message `message`, just
    /// before message `before` arrives, where `kept` choices were already
    /// made (see [`super::choose`]).
    Choose {
        message: u32,
        before: u32,
        choice: crate::scenario::Choice,
        kept: usize,
    },
}

impl Action {
    /// Why validation would refuse the drawing once this action is
    /// recorded in it, while the drawing runs now: a live action never
    /// turns a running lesson into one that cannot run.
    pub fn refused(&self, s: &Scenario, at: Micros) -> Option<String> {
        if crate::scenario::problem(s).is_some() {
            return None;
        }
        let mut after = s.clone();
        self.clone().at(at).apply(&mut after);
        crate::scenario::problem(&after)
    }

    /// The edit that records this action at time `at`.
    pub fn at(self, at: Micros) -> Edit {
        let at = Dur(at);
        match self {
            Action::Crash(node) => Edit::AddFault(Fault::Crash { at, node }),
            Action::Restart(node) => Edit::AddFault(Fault::Restart { at, node }),
            Action::Cut { a, b, one_way } => Edit::AddFault(Fault::Partition {
                at,
                links: vec![(a, b)],
                one_way,
            }),
            Action::Heal { a, b } => Edit::AddFault(Fault::Heal {
                at,
                links: vec![(a, b)],
            }),
            Action::Request { from, to, op } => Edit::AddWork(Work::Request { at, from, to, op }),
            Action::Skew { node, ahead } => Edit::AddFault(Fault::ClockSkew { at, node, ahead }),
            Action::Rebuild(node) => Edit::AddFault(Fault::Rebuild { at, node }),
            Action::Redrive(node) => Edit::AddFault(Fault::Redrive { at, node }),
            Action::Fix(node) => Edit::AddFault(Fault::Fix { at, node }),
            Action::Rewind {
                node,
                group,
                offset,
            } => Edit::AddFault(Fault::Rewind {
                at,
                node,
                group,
                offset,
            }),
            Action::Choose {
                message,
                before,
                choice,
                kept,
            } => Edit::Choose {
                fault: super::choose::fault(at.0, message, before, choice),
                kept,
            },
        }
    }
}

/// An action as a menu or a button offers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub label: String,
    /// A sentence for the tooltip.
    pub hint: &'static str,
    pub action: Action,
}

/// The label people read for node `id`.
fn label<'a>(s: &'a Scenario, id: &'a str) -> &'a str {
    s.nodes
        .iter()
        .find(|n| n.id == id)
        .map_or(id, |n| n.label())
}

/// Index of a node in the run (scenario order).
fn index(s: &Scenario, id: &str) -> Option<u16> {
    s.nodes.iter().position(|n| n.id == id).map(|i| i as u16)
}

/// What can be done to node `id` at time `now` of `trace`.
pub fn node_offers(s: &Scenario, trace: Option<&Trace>, id: &str, now: Micros) -> Vec<Offer> {
    let down = match (trace, index(s, id)) {
        (Some(t), Some(n)) => FaultState::at(t, now).down.contains(&n),
        _ => false,
    };
    let mut out = vec![if down {
        Offer {
            label: "Restart".into(),
            hint: "Bring the node back; its stored data survived",
            action: Action::Restart(id.to_string()),
        }
    } else {
        Offer {
            label: "Crash".into(),
            hint: "Stop the node: memory lost, stored data kept",
            action: Action::Crash(id.to_string()),
        }
    }];
    let Some(node) = s.nodes.iter().find(|n| n.id == id) else {
        return out;
    };
    let kind_of = |id: &str| s.nodes.iter().find(|n| n.id == id).map(|n| n.kind.kind());
    for act in node.kind.acts_now() {
        match act {
            // Offered above, as the node is now.
            Act::CrashRestart => {}
            Act::Skew => {
                // How far ahead the peer's clock already runs.
                let skew = if let NodeKind::Peer(p) = &node.kind {
                    p.clock_skew.0
                } else {
                    0
                };
                out.push(Offer {
                    label: "Clock +500 ms now".into(),
                    hint: "A clock-skew fault at the current moment",
                    action: Action::Skew {
                        node: id.to_string(),
                        ahead: Dur(skew + 500_000),
                    },
                });
            }
            // Only what keeps what it delivered (a log) has anything to
            // read again: a queue has not.
            Act::Rebuild
                if !down
                    && node
                        .kind
                        .reads()
                        .iter()
                        .any(|r| kind_of(r.broker).is_some_and(Kind::keeps_delivered)) =>
            {
                out.push(Offer {
                    label: "Rebuild view now".into(),
                    hint: "Fold a new view beside the old one from the log's earliest kept event; readers switch to it once it has caught up",
                    action: Action::Rebuild(id.to_string()),
                });
            }
            Act::Rebuild => {}
            Act::Redrive if !down => out.push(Offer {
                label: "Re-drive dead letters now".into(),
                hint: "Deliver every message in the dead-letter queue again (once the consumer is fixed)",
                action: Action::Redrive(id.to_string()),
            }),
            Act::Redrive => {}
            Act::Fix => out.push(Offer {
                label: "Deploy a fix now".into(),
                hint: "From now on this consumer handles the poison events it rejected; re-drive them from the broker's dead letters",
                action: Action::Fix(id.to_string()),
            }),
            Act::Rewind if !down => {
                for g in crate::scenario::log_groups(s, id) {
                    out.push(Offer {
                        label: format!("Rewind {} to offset 0 now", g.name),
                        hint: "Move the group's committed offset back to the start of every partition: its members read every event again",
                        action: Action::Rewind {
                            node: id.to_string(),
                            group: g.name,
                            offset: 0,
                        },
                    });
                }
            }
            Act::Rewind => {}
        }
    }
    out
}

/// A node a client may send a request to now, and which of a plain
/// write and a plain read it takes: the Fire form's offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub to: String,
    pub write: bool,
    pub read: bool,
}

/// Where node `from` may send a plain write or read at `now`: exactly
/// what validation accepts once the request is recorded, so firing never
/// leaves a drawing that cannot run. Nothing for a node that sends no
/// requests.
pub fn request_targets(s: &Scenario, from: &str, now: Micros) -> Vec<Target> {
    let sends = s
        .nodes
        .iter()
        .find(|n| n.id == from)
        .is_some_and(|n| n.kind.kind().sends_requests());
    if !sends {
        return Vec::new();
    }
    let accepts = |to: &str, op: Op| {
        Action::Request {
            from: from.to_string(),
            to: to.to_string(),
            op,
        }
        .refused(s, now)
        .is_none()
    };
    s.nodes
        .iter()
        .filter(|m| m.kind.kind().serves_requests() && super::edit::linked(s, from, &m.id))
        .map(|m| Target {
            to: m.id.clone(),
            write: accepts(&m.id, plain_write("x", "x", false)),
            read: accepts(&m.id, Op::Read { id: "x".into() }),
        })
        .filter(|t| t.write || t.read)
        .collect()
}

/// A plain write of text `value` to record `id`.
pub fn plain_write(id: &str, value: &str, poison: bool) -> Op {
    Op::Write {
        id: id.to_string(),
        value: crate::scenario::ValueSpec::Text(value.to_string()),
        poison,
    }
}

/// What can be done to link `index` at time `now` of `trace`.
pub fn link_offers(s: &Scenario, trace: Option<&Trace>, link: usize, now: Micros) -> Vec<Offer> {
    let Some(l) = s.links.get(link) else {
        return Vec::new();
    };
    let (a, b) = (l.from.clone(), l.to.clone());
    let cut = match (trace, index(s, &a), index(s, &b)) {
        (Some(t), Some(x), Some(y)) => FaultState::at(t, now).cut_between(x, y),
        _ => false,
    };
    if cut {
        return vec![Offer {
            label: "Heal".into(),
            hint: "Mend the link: messages get through again",
            action: Action::Heal { a, b },
        }];
    }
    let (la, lb) = (label(s, &a).to_string(), label(s, &b).to_string());
    vec![
        Offer {
            label: "Cut both ways".into(),
            hint: "A network partition: nothing crosses this link",
            action: Action::Cut {
                a: a.clone(),
                b: b.clone(),
                one_way: false,
            },
        },
        Offer {
            label: format!("Cut {la} → {lb} only"),
            hint: "Messages from the first to the second are lost; replies still come back",
            action: Action::Cut {
                a: a.clone(),
                b: b.clone(),
                one_way: true,
            },
        },
        Offer {
            label: format!("Cut {lb} → {la} only"),
            hint: "Messages from the second to the first are lost",
            action: Action::Cut {
                a: b,
                b: a,
                one_way: true,
            },
        },
    ]
}

/// The workload's requests from `id`, each once, to fire again now.
pub fn repeat_offers(s: &Scenario, id: &str) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    for w in s.workload.iter().filter(|w| w.from() == id) {
        let op = match w {
            Work::Request { op, .. } | Work::Every { op, .. } => op.clone(),
        };
        let to = label(s, w.to());
        let label = match &op {
            Op::Write { id: rid, .. } => format!("Fire write {rid} → {to}"),
            Op::Read { id: rid } => format!("Fire read {rid} → {to}"),
            Op::Change { id: rid, change } => format!("Fire {} on {rid} → {to}", change.said()),
            Op::Edit { id: rid, set, .. } => format!("Fire edit {rid} {set} → {to}"),
            Op::ReadAfterMyWrite { id: rid } => format!("Fire read-my-write {rid} → {to}"),
        };
        if out.iter().any(|o| o.label == label) {
            continue;
        }
        out.push(Offer {
            label,
            hint: "Send this request now",
            action: Action::Request {
                from: id.to_string(),
                to: w.to().to_string(),
                op,
            },
        });
    }
    out
}
