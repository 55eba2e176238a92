//! What the search does to a run: another seed, or faults an operator
//! could have caused (a crash and its restart, a link cut and mended, one
//! message lost), each written as the scenario faults that reproduce it.

use crate::model::{Micros, fmt_time};
use crate::scenario::{Dur, Fault};

/// One thing done to a run on top of what the drawing scripts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inject {
    /// A node crashes just after a moment of its own (a message arrived
    /// or left) and, if the run lasts, restarts `down` later.
    Crash {
        node: String,
        label: String,
        at: Micros,
        restart: Option<Micros>,
        /// What the node had just done, in words ("it receives …").
        after: String,
    },
    /// The messages arriving on one direction of a link at one instant
    /// are lost: the direction is cut at that instant and mended a
    /// microsecond later. A lost acknowledgement is how an at-least-once
    /// broker comes to deliver twice.
    Lose {
        from: String,
        to: String,
        labels: (String, String),
        at: Micros,
        what: String,
    },
    /// Both directions of a link are cut from `at` and mended at `heal`.
    Cut {
        a: String,
        b: String,
        labels: (String, String),
        at: Micros,
        heal: Option<Micros>,
    },
}

impl Inject {
    /// When it begins.
    pub fn at(&self) -> Micros {
        match self {
            Inject::Crash { at, .. } | Inject::Lose { at, .. } | Inject::Cut { at, .. } => *at,
        }
    }

    /// The scenario faults that make it happen.
    pub fn faults(&self) -> Vec<Fault> {
        match self {
            Inject::Crash {
                node, at, restart, ..
            } => {
                let mut f = vec![Fault::Crash {
                    at: Dur(*at),
                    node: node.clone(),
                }];
                if let Some(r) = restart {
                    f.push(Fault::Restart {
                        at: Dur(*r),
                        node: node.clone(),
                    });
                }
                f
            }
            Inject::Lose { from, to, at, .. } => {
                let link = vec![(from.clone(), to.clone())];
                vec![
                    Fault::Partition {
                        at: Dur(*at),
                        links: link.clone(),
                        one_way: true,
                    },
                    Fault::Heal {
                        at: Dur(at + 1),
                        links: link,
                    },
                ]
            }
            Inject::Cut { a, b, at, heal, .. } => {
                let link = vec![(a.clone(), b.clone())];
                let mut f = vec![Fault::Partition {
                    at: Dur(*at),
                    links: link.clone(),
                    one_way: false,
                }];
                if let Some(h) = heal {
                    f.push(Fault::Heal {
                        at: Dur(*h),
                        links: link,
                    });
                }
                f
            }
        }
    }

    /// In words, naming nodes as people read them.
    pub fn said(&self) -> String {
        match self {
            Inject::Crash {
                label,
                at,
                restart,
                after,
                ..
            } => {
                let back = restart
                    .map(|r| format!("; it restarts at {}", fmt_time(r)))
                    .unwrap_or_else(|| "; it stays down to the end".into());
                format!(
                    "{label} crashes at {}, just after {after}{back}",
                    fmt_time(*at)
                )
            }
            Inject::Lose {
                labels, at, what, ..
            } => format!(
                "{what} from {} to {} is lost at {}",
                labels.0,
                labels.1,
                fmt_time(*at)
            ),
            Inject::Cut {
                labels, at, heal, ..
            } => {
                let mend = heal
                    .map(|h| format!(" until {}", fmt_time(h)))
                    .unwrap_or_else(|| " for the rest of the run".into());
                format!(
                    "the link {} ⟷ {} is cut at {}{mend}",
                    labels.0,
                    labels.1,
                    fmt_time(*at)
                )
            }
        }
    }
}

/// A run to try: a seed and the faults added to the drawing's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub seed: u64,
    pub injects: Vec<Inject>,
}

impl Candidate {
    /// How many faults it adds: 0 for another seed.
    pub fn depth(&self) -> usize {
        self.injects.len()
    }

    /// Every scenario fault it adds, in time order.
    pub fn faults(&self) -> Vec<Fault> {
        let mut f: Vec<Fault> = self.injects.iter().flat_map(Inject::faults).collect();
        f.sort_by_key(|f| f.at());
        f
    }
}
