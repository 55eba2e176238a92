//! The scenario document: what a user draws and saves, and what a preset
//! lesson ships as. Plain data, read and written as RON; [`load`] turns text
//! into a checked [`Scenario`] or an error that points into the file.

mod challenge;
mod context;
mod coordinator;
mod event_store;
mod expect;
mod kind;
mod load;
mod locate;
mod log;
mod quiz;
mod roles;
mod specs;
mod story;
mod validate;
mod variant;

pub use self::log::{
    Group, HANDLE_TAG, MAX_POLL, deal, log_consumers, log_end_table, log_groups, log_groups_table,
    log_lag_table, log_offsets_table, offset_row, partition_name, partition_of, reader_of,
};
pub use challenge::Challenge;
pub use context::{CONTEXT_NAME_CHARS, Context, MAX_CONTEXTS};
pub use coordinator::{CoordinatorSpec, Participant, lock_table};
pub use event_store::{EventStoreSpec, MAX_SNAPSHOT_EVERY, event_row, event_table, snapshot_table};
pub use expect::{Decided, Expectation};
pub use kind::{Kind, NodeKind};
pub use load::{Bounds, ScenarioError, from_str, load_bytes, load_file, read_text, to_ron};
pub use quiz::{Question, Quiz, ShowMe, is_quiz, quiz_from_str};
pub use roles::{Act, Keeping, Kept, Publishes, Reads, Wire, checkpoint_table, dead_letter_table};
pub use specs::*;
pub use story::{Ask, Choice, Fault, Narration, Op, Reading, Trigger, ValueSpec, Work};
pub use variant::Variant;

pub use crate::model::time::{Dur, Micros, Prob, fmt_ms, fmt_time, parse_dur};

use serde::{Deserialize, Serialize};

/// One system to simulate: topology, what happens to it, what it should show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Shown on the welcome card and in the window title.
    pub title: String,
    /// One or two sentences on what the scenario teaches.
    #[serde(default)]
    pub summary: String,
    /// The run seed; `settle run --seed` overrides it.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How much virtual time a run covers.
    #[serde(default = "default_until")]
    pub until: Dur,
    /// Public references for what the lesson shows, offered after its
    /// last step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub further_reading: Vec<Reading>,
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub workload: Vec<Work>,
    #[serde(default)]
    pub faults: Vec<Fault>,
    #[serde(default)]
    pub narration: Vec<Narration>,
    #[serde(default)]
    pub expect: Vec<Expectation>,
    /// Other versions of this scenario to compare it with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// After the lesson: the same system broken, to fix in the editor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub challenges: Vec<Challenge>,
    /// Design hints the author has dismissed for this drawing, by their
    /// key (`dual-write:orders`): see `check::hints`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed_hints: Vec<String>,
    /// Bounded contexts: named frames around groups of nodes (see
    /// [`Context`]). Left out of the file when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<Context>,
}

fn default_seed() -> u64 {
    1
}

fn default_until() -> Dur {
    Dur::secs(5)
}

/// A box on the canvas: something that holds state or moves messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Stable name used by links, workload and faults.
    pub id: String,
    /// What the canvas shows; the id when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Canvas position in points, top-left origin.
    #[serde(default)]
    pub pos: (f32, f32),
    pub kind: NodeKind,
}

impl Node {
    /// The label people see.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

/// A node's box on the canvas, in canvas units (its `pos` is the top-left
/// corner): the editor looks for room of this size, and the canvas and
/// exported pictures draw it.
pub const NODE_SIZE: (f32, f32) = (176.0, 58.0);

/// A network path between two nodes, used in both directions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub latency: Latency,
    /// Chance that a message is lost on the way.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub loss: Prob,
    /// Chance that a message arrives twice.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub duplicate: Prob,
}

impl Link {
    /// What the link does to messages besides delaying them, in words
    /// ("loss 15% · dup 30%"), as the canvas and exported pictures label
    /// it; `None` for a faithful link.
    pub fn faults_said(&self) -> Option<String> {
        let mut tags = Vec::new();
        if self.loss.0 > 0.0 {
            tags.push(format!("loss {:.0}%", self.loss.0 * 100.0));
        }
        if self.duplicate.0 > 0.0 {
            tags.push(format!("dup {:.0}%", self.duplicate.0 * 100.0));
        }
        (!tags.is_empty()).then(|| tags.join(" · "))
    }
}

fn is_zero(p: &Prob) -> bool {
    p.0 == 0.0
}

/// How long a message takes on a link.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Latency {
    Fixed(Dur),
    Uniform { min: Dur, max: Dur },
}

impl Default for Latency {
    fn default() -> Self {
        Latency::Uniform {
            min: Dur::ms(2),
            max: Dur::ms(8),
        }
    }
}

impl Latency {
    /// The longest a message can take.
    pub fn max(&self) -> Dur {
        match *self {
            Latency::Fixed(d) => d,
            Latency::Uniform { max, .. } => max,
        }
    }
}

/// The first problem with a scenario built in memory (in the editor), as a
/// sentence; files get [`from_str`]'s located errors instead.
pub fn problem(s: &Scenario) -> Option<String> {
    validate::validate(s).into_iter().next().map(|p| p.message)
}

/// Whether service `id` publishes its own events to a broker (a queue,
/// whose consumers can reject a poison event and see it dead-lettered).
pub fn publishes_to_queue(s: &Scenario, id: &str) -> bool {
    let node = |id: &str| s.nodes.iter().find(|n| n.id == id);
    let Some(NodeKind::Service(svc)) = node(id).map(|n| &n.kind) else {
        return false;
    };
    svc.write == WriteMode::DualWrite
        && svc
            .publish
            .as_ref()
            .and_then(|p| node(&p.broker))
            .is_some_and(|b| b.kind.kind().is_queue())
}

/// Databases used by more than one service, with those services: the
/// shared-database anti-pattern, flagged live in the editor.
pub fn shared_databases(s: &Scenario) -> Vec<(String, Vec<String>)> {
    let mut users: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for n in &s.nodes {
        if let NodeKind::Service(svc) = &n.kind
            && let Some(db) = &svc.database
        {
            users.entry(db.as_str()).or_default().push(n.id.clone());
        }
    }
    users
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(db, v)| (db.to_string(), v))
        .collect()
}

/// Which way requests and events travel over a link: `(from → to, to →
/// from)`, read from what the nodes at its ends do (a client asks a
/// service, a service writes to its database and publishes to its broker,
/// a broker delivers to subscribers, a database's change log feeds its
/// connector, peers sync both ways). Both false when the link carries
/// nothing yet.
pub fn flow(s: &Scenario, link: &Link) -> (bool, bool) {
    let node = |id: &str| s.nodes.iter().find(|n| n.id == id);
    let (Some(a), Some(b)) = (node(&link.from), node(&link.to)) else {
        return (false, false);
    };
    (initiates(a, b), initiates(b, a))
}

/// Whether `x` sends requests or events to `y` on its own: a client asks
/// what serves requests, a node writes to its database, publishes to its
/// broker and calls whom it calls, a broker or log delivers to whoever
/// reads from it, a database's change log feeds its connector, peers of
/// one table sync both ways. A consumer only asks (a log's fetches and
/// commits, a broker's acknowledgements); the events it handles come from
/// the broker or the log.
fn initiates(x: &Node, y: &Node) -> bool {
    let (x_id, y_id) = (x.id.as_str(), y.id.as_str());
    (x.kind.kind().sends_requests() && y.kind.kind().serves_requests())
        || x.kind.database() == Some(y_id)
        || x.kind.publishes().is_some_and(|p| p.broker == y_id)
        || x.kind.calls().contains(&y_id)
        || (x.kind.kind().carries_events() && y.kind.reads_from(x_id))
        || y.kind.tails() == Some(x_id)
        || x.kind.shares().is_some_and(|t| y.kind.shares() == Some(t))
}
