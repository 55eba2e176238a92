//! The scenario document: what a user draws and saves, and what a preset
//! lesson ships as. Plain data, read and written as RON; [`load`] turns text
//! into a checked [`Scenario`] or an error that points into the file.

mod load;
mod locate;
pub mod time;
mod validate;

pub use load::{Bounds, ScenarioError, from_str, load_file, to_ron};
pub use time::{Dur, Micros, Prob, fmt_ms, fmt_time, parse_dur};

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

/// The node kinds the engine can run, each with its own settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NodeKind {
    Client(ClientSpec),
    Service(ServiceSpec),
    Database(DatabaseSpec),
    Broker(BrokerSpec),
    Replica(ReplicaSpec),
    Cdc(CdcSpec),
    Composer(ComposerSpec),
    Orchestrator(OrchestratorSpec),
    Peer(PeerSpec),
}

impl NodeKind {
    /// The word the palette and error messages use for this kind.
    pub fn word(&self) -> &'static str {
        match self {
            NodeKind::Client(_) => "client",
            NodeKind::Service(_) => "service",
            NodeKind::Database(_) => "database",
            NodeKind::Broker(_) => "broker",
            NodeKind::Replica(_) => "replica",
            NodeKind::Cdc(_) => "cdc",
            NodeKind::Composer(_) => "composer",
            NodeKind::Orchestrator(_) => "orchestrator",
            NodeKind::Peer(_) => "peer",
        }
    }
}

/// A user or front end that sends the workload's requests and remembers
/// every answer it sees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// How long the client waits before it records a request as unanswered.
    #[serde(default = "default_client_timeout")]
    pub timeout: Dur,
}

fn default_client_timeout() -> Dur {
    Dur::secs(2)
}

/// A service that owns one table in one database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The table this service owns.
    pub table: String,
    /// The database node holding the table. Without one the service keeps
    /// the table in a store of its own (still durable across a crash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// After each committed write, publish an event here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<PublishTo>,
    /// Services asked, in parallel, for the same id when this one answers a
    /// read; their answers are merged into one (API composition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    /// How long to wait for a called service before answering without it.
    #[serde(default = "default_call_timeout")]
    pub call_timeout: Dur,
    /// How a committed write becomes an event.
    #[serde(default, skip_serializing_if = "WriteMode::is_dual")]
    pub write: WriteMode,
    /// Tables of other services this one queries straight from a database
    /// it shares with them: the shared-database anti-pattern, allowed so
    /// that a lesson can show what it costs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<String>,
    /// Record ids whose writes this service refuses: a business rule
    /// saying no (a declined card, an empty shelf).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejects: Vec<String>,
    /// A second table, in the same database, where each write also
    /// records an entry (a journal of changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<String>,
    /// Commit the record and its ledger entry in one transaction (a unit
    /// of work). Without it they are written one after the other, and a
    /// crash in between leaves one without the other.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub unit_of_work: bool,
    /// Choreography: events this service reacts to by writing its own
    /// table. With `publish` set, a write it rejects is announced there as
    /// the value "rejected", so others can react to that too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<Reaction>,
}

/// When an event arrives on `topic` (with value `when`, if given), write
/// `write` to this service's table under the event's record id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    pub broker: String,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    pub write: String,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// One of several copies of a table that all accept writes; linked peers
/// of the same table replicate to each other, resolving concurrent writes
/// by the table's strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSpec {
    pub table: String,
    pub strategy: Strategy,
    /// How far this peer's clock runs ahead (last-writer-wins stamps).
    #[serde(default, skip_serializing_if = "is_zero_dur")]
    pub clock_skew: Dur,
    /// Resend an unacknowledged update after this long.
    #[serde(default = "default_resend")]
    pub resend: Dur,
}

fn is_zero_dur(d: &Dur) -> bool {
    d.0 == 0
}

fn default_resend() -> Dur {
    Dur::ms(200)
}

/// How concurrent writes to a multi-leader table are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// The later timestamp wins; the other write is silently lost.
    LastWriterWins,
    /// Concurrent writes are kept side by side as siblings.
    VersionVectors,
    /// A counter CRDT: writes add their number; merges lose nothing.
    Counter,
    /// A set CRDT: writes add their value; merges lose nothing.
    Set,
}

/// A saga orchestrator: runs a business action as steps across services;
/// when a step fails, runs the compensations of the steps done, in reverse.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrchestratorSpec {
    pub steps: Vec<SagaStep>,
    /// How long to wait for a step's answer before treating it as failed.
    #[serde(default = "default_call_timeout")]
    pub step_timeout: Dur,
}

/// One step of a saga: what to write at a service, and what undoes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SagaStep {
    pub service: String,
    pub action: String,
    pub compensation: String,
}

impl ServiceSpec {
    /// A service owning `table` in a store of its own, every other setting
    /// at its default: what the palette adds and the benchmark builds on.
    pub fn owning(table: impl Into<String>) -> Self {
        ServiceSpec {
            table: table.into(),
            database: None,
            publish: None,
            calls: Vec::new(),
            call_timeout: default_call_timeout(),
            write: WriteMode::default(),
            reads: Vec::new(),
            rejects: Vec::new(),
            ledger: None,
            unit_of_work: true,
            on: Vec::new(),
        }
    }
}

/// How a service turns a committed write into a published event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteMode {
    /// Commit to the database, then publish: a crash between the two loses
    /// the event for good.
    #[default]
    DualWrite,
    /// Commit the record and an outbox row in one transaction; a CDC
    /// connector on the database publishes the row later, at least once.
    Outbox,
}

impl WriteMode {
    pub fn is_dual(&self) -> bool {
        *self == WriteMode::DualWrite
    }
}

/// An API composer (gateway): answers a query by asking several services
/// in parallel and merging their answers; owns no data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComposerSpec {
    pub calls: Vec<String>,
    /// How long to wait for each service before answering without it.
    #[serde(default = "default_call_timeout")]
    pub call_timeout: Dur,
}

/// A change-data-capture connector: tails a database's change log from a
/// saved offset and publishes to a broker. It publishes outbox rows on
/// their own topic, and, with `topic` set, every other change too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdcSpec {
    pub database: String,
    pub broker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// How often it reads the log: its lag.
    #[serde(default = "default_poll")]
    pub poll: Dur,
}

fn default_poll() -> Dur {
    Dur::ms(50)
}

fn default_call_timeout() -> Dur {
    Dur::ms(500)
}

/// Where a service publishes its change events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishTo {
    pub broker: String,
    pub topic: String,
}

/// A database: tables of keyed, versioned records and an ordered change log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {}

/// A message broker holding topics; subscriptions come from the replicas
/// that name it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerSpec {
    #[serde(default)]
    pub delivery: Delivery,
}

/// What a broker promises its subscribers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Delivery {
    /// Each delivery waits for an acknowledgement and is sent again after
    /// the timeout (doubling up to 8x), so subscribers see duplicates.
    AtLeastOnce { ack_timeout: Dur },
    /// Each event is sent once; a lost delivery stays lost.
    AtMostOnce,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery::AtLeastOnce {
            ack_timeout: Dur::ms(300),
        }
    }
}

/// A service that keeps its own copy of another service's table, fed by
/// events: it ignores event ids it has applied and older versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaSpec {
    pub broker: String,
    pub topic: String,
    /// The table this replica copies.
    pub table: String,
}

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
    Write { id: String, value: ValueSpec },
    Read { id: String },
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
}

impl Fault {
    /// When the fault happens.
    pub fn at(&self) -> Dur {
        match self {
            Fault::Partition { at, .. }
            | Fault::Heal { at, .. }
            | Fault::Crash { at, .. }
            | Fault::Restart { at, .. }
            | Fault::ClockSkew { at, .. } => *at,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    pub choices: Vec<String>,
    /// Index of the right choice, from 0.
    pub answer: usize,
    /// Shown once the learner has run past the question.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explain: String,
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

/// Something the run must show; `settle run --check` evaluates each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expectation {
    /// Every copy of the table equals the owner's at time `by`.
    Converged { table: String, by: Dur },
    /// At time `at` some copy of the table differs from the owner's.
    Diverged { table: String, at: Dur },
    /// At least this many reads returned an older version than the owner had.
    StaleReads { at_least: u32 },
    /// At least this many deliveries were recognised as already applied.
    DuplicatesIgnored { at_least: u32 },
    /// At least this many messages were dropped (lost, cut off or crashed).
    Dropped { at_least: u32 },
    /// Every event published on the topic reached every subscriber.
    NoEventLost { topic: String },
    /// Every version committed to the table's owner reached every copy
    /// as an event: no write was lost on the way.
    NoWriteLost { table: String },
    /// Every write committed to the table's owner shows on every copy
    /// within this long (a newer version arriving first counts).
    VisibleWithin { table: String, within: Dur },
    /// Every saga either completed every step, or left every step it did
    /// compensated; and at least so many of each happened.
    SagasSettled {
        completed_at_least: u32,
        compensated_at_least: u32,
    },
    /// Every record of `table` has its entry in `ledger`, and no entry is
    /// without its record: nothing was half written.
    NoHalfWrite { table: String, ledger: String },
    /// At least this many concurrent writes to the table were silently
    /// discarded by last-writer-wins...
    WritesLost { table: String, at_least: u32 },
    /// ...or at most this many.
    WritesLostAtMost { table: String, at_most: u32 },
    /// At the end, the owner of `table` holds `value` for `id` ("—" for
    /// no record).
    FinalValue {
        table: String,
        id: String,
        value: String,
    },
    /// At least this many reads went straight to another service's table.
    ForeignReads { at_least: u32 },
    /// Every request the client sent was answered.
    AllAnswered { client: String },
    /// Some answer the client received contains this text.
    AnswerContains { client: String, text: String },
}

/// The first problem with a scenario built in memory (in the editor), as a
/// sentence; files get [`from_str`]'s located errors instead.
pub fn problem(s: &Scenario) -> Option<String> {
    validate::validate(s).into_iter().next().map(|p| p.message)
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
