//! What happens to a system over a run, as a file spells it: the workload's
//! requests, the faults an operator injects, and the narration that tells
//! the story.

use serde::{Deserialize, Serialize};

use crate::model::Dur;

/// Something the workload does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// One request at one moment. From a client it travels to `to`; from a
    /// service it is performed by the service itself.
    Request {
        at: Dur,
        from: String,
        to: String,
        op: Op,
    },
    /// `count` requests, one every `every`, starting at `start`.
    Every {
        start: Dur,
        every: Dur,
        count: u32,
        from: String,
        to: String,
        op: Op,
        /// When set, each request picks its id uniformly from this many keys:
        /// the op's id followed by a number below it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        random_keys: Option<u32>,
    },
}

impl Work {
    /// The node that fires this work.
    pub fn from(&self) -> &str {
        match self {
            Work::Request { from, .. } | Work::Every { from, .. } => from,
        }
    }

    /// The node the work is aimed at.
    pub fn to(&self) -> &str {
        match self {
            Work::Request { to, .. } | Work::Every { to, .. } => to,
        }
    }
}

/// A request as the client phrases it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    Write {
        id: String,
        value: ValueSpec,
        /// The event this write publishes is one its consumers reject (a
        /// poison message: malformed, or a value their code fails on), until
        /// a fix is deployed to them.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        poison: bool,
    },
    Read {
        id: String,
    },
    /// A change to a record of a multi-leader table, as the writer means
    /// it: `Change(id: "c1", change: Add("milk"))`, `Remove("bread")`,
    /// `Increment(1)`, `Decrement(1)`. A CRDT table replicates the change
    /// itself; a register applies it to its copy and writes the result.
    Change {
        id: String,
        change: crate::model::peer_state::Change<String>,
    },
    /// A clerk's edit: set these fields (`name=value` pairs separated by
    /// spaces) in the record as this client last read it, and write the
    /// whole record back. With `versioned`, the write carries the version
    /// read, a conflict makes the client re-read and try again; without,
    /// it overwrites whatever changed since (a blind write).
    Edit {
        id: String,
        set: String,
        #[serde(default)]
        versioned: bool,
    },
    /// A read that carries the version token of this client's latest
    /// write: a projection answers once it reflects that write.
    ReadAfterMyWrite {
        id: String,
    },
}

impl Op {
    /// The record id the request is about.
    pub fn id(&self) -> &str {
        match self {
            Op::Write { id, .. }
            | Op::Read { id }
            | Op::Change { id, .. }
            | Op::Edit { id, .. }
            | Op::ReadAfterMyWrite { id } => id,
        }
    }

    /// Whether it changes a record.
    pub fn writes(&self) -> bool {
        matches!(self, Op::Write { .. } | Op::Edit { .. } | Op::Change { .. })
    }
}

/// A value to write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ValueSpec {
    Text(String),
    Int(i64),
    /// The request's number within its generator (0, 1, 2, ...).
    Seq,
}

/// A fault, named as an operator would say it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// Cut these links; with `one_way`, only from the first node to the second.
    Partition {
        at: Dur,
        links: Vec<(String, String)>,
        #[serde(default)]
        one_way: bool,
    },
    /// Mend these links (both directions); an empty list mends every cut.
    Heal {
        at: Dur,
        #[serde(default)]
        links: Vec<(String, String)>,
    },
    /// Stop a node: messages to it are dropped, its memory is lost, its
    /// stored data is kept.
    Crash { at: Dur, node: String },
    /// Start a crashed node again.
    Restart { at: Dur, node: String },
    /// From now on the node's clock runs this far ahead of true time: its
    /// last-writer-wins stamps claim writes happened later than they did.
    ClockSkew { at: Dur, node: String, ahead: Dur },
    /// An operator rebuilds a projection that reads from a log: a new view
    /// is folded beside the old one from the log's earliest kept event and
    /// takes over once it has caught up.
    Rebuild { at: Dur, node: String },
    /// An operator re-drives a broker's dead-letter queue: each parked
    /// message is delivered again, with a fresh count of attempts.
    Redrive { at: Dur, node: String },
    /// The team deploys a fix to a consumer: from now on it handles the
    /// poison events it used to reject.
    Fix { at: Dur, node: String },
    /// An operator moves a consumer group's committed offset on a log back
    /// (or forward) to `offset` in every partition: its members read again
    /// from there.
    Rewind {
        at: Dur,
        node: String,
        group: String,
        #[serde(default)]
        offset: u32,
    },
    /// A choice of what arrives next (made in the choose-next mode): just
    /// before message `before` would arrive at `at`, message `message`,
    /// still in flight, arrives instead. Messages are named by their
    /// number in the run (the diagram's `#n`), which stays the same as
    /// long as nothing earlier changes.
    Deliver { at: Dur, message: u32, before: u32 },
    /// Just before message `before` would arrive at `at`, message
    /// `message` is lost on its link.
    Drop { at: Dur, message: u32, before: u32 },
    /// Just before message `before` would arrive at `at`, message
    /// `message` arrives, and a copy of it right after.
    Duplicate { at: Dur, message: u32, before: u32 },
    /// The team that owns a table renames one of its columns (a schema
    /// change): from now on the owner service writes its rows with the new
    /// name. Its published events keep the old one (it maps them).
    RenameColumn {
        at: Dur,
        node: String,
        table: String,
        from: String,
        to: String,
    },
}

impl Fault {
    /// When the fault happens.
    pub fn at(&self) -> Dur {
        match self {
            Fault::Partition { at, .. }
            | Fault::Heal { at, .. }
            | Fault::Crash { at, .. }
            | Fault::Restart { at, .. }
            | Fault::ClockSkew { at, .. }
            | Fault::Rebuild { at, .. }
            | Fault::Redrive { at, .. }
            | Fault::Fix { at, .. }
            | Fault::Rewind { at, .. }
            | Fault::RenameColumn { at, .. }
            | Fault::Deliver { at, .. }
            | Fault::Drop { at, .. }
            | Fault::Duplicate { at, .. } => *at,
        }
    }

    /// For a choice of what arrives next: (message chosen, message it
    /// goes before, what was chosen).
    pub fn choice(&self) -> Option<(u32, u32, Choice)> {
        match *self {
            Fault::Deliver {
                message, before, ..
            } => Some((message, before, Choice::Deliver)),
            Fault::Drop {
                message, before, ..
            } => Some((message, before, Choice::Drop)),
            Fault::Duplicate {
                message, before, ..
            } => Some((message, before, Choice::Twice)),
            Fault::Partition { .. }
            | Fault::Heal { .. }
            | Fault::Crash { .. }
            | Fault::Restart { .. }
            | Fault::ClockSkew { .. }
            | Fault::Rebuild { .. }
            | Fault::Redrive { .. }
            | Fault::Fix { .. }
            | Fault::Rewind { .. }
            | Fault::RenameColumn { .. } => None,
        }
    }
}

/// What the learner does with a message in flight in the choose-next mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    /// It arrives now, before the message the network would deliver next.
    Deliver,
    /// It is lost on its link.
    Drop,
    /// It arrives now, and a copy of it right after.
    Twice,
}

impl Choice {
    /// The verb a button or a log line uses.
    pub fn said(self) -> &'static str {
        match self {
            Choice::Deliver => "arrives next",
            Choice::Drop => "is lost",
            Choice::Twice => "arrives twice",
        }
    }
}

/// A caption shown at its moment during a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narration {
    /// Show at this time...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Dur>,
    /// ...or when this first happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Trigger>,
    pub text: String,
    /// Nodes the caption talks about; the app highlights them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<String>,
    /// A question for the learner to answer before running on; the text
    /// is the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

/// A multiple-choice prediction: the learner picks before the run shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    pub choices: Vec<String>,
    /// Index of the right choice, from 0.
    pub answer: usize,
    /// Shown once the run has shown the answer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explain: String,
    /// What the run must show for the answer to be true: the lesson's
    /// tests check them, and the answer is revealed once they hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proof: Vec<crate::scenario::Expectation>,
    /// When the answer may be revealed, if earlier than the moment the
    /// proof is decided (the run must already show it by then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<Dur>,
}

/// A named thing that can start a narration step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    Crash(String),
    Restart(String),
    Partition,
    Heal,
    FirstDrop,
    FirstDuplicateIgnored,
    FirstStaleRead,
    /// The first answer a client receives.
    FirstAnswer(String),
}

/// A public reference for the mechanism a lesson shows (the pattern's
/// page, a broker's or CDC tool's documentation, a book chapter), listed
/// on the lesson card after its last step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// What the link says: the page or chapter and who wrote it.
    pub title: String,
    /// Where it is: an `https://` address, opened in the browser.
    pub url: String,
}
