//! Each node kind's settings, as a file spells them. Every default lives
//! here once, in the functions serde fills missing fields from; the
//! palette's new nodes start from the same values ([`super::Kind::default_spec`]).

use serde::{Deserialize, Serialize};

use crate::model::Dur;
pub use crate::model::peer_state::Strategy;

/// A user or front end that sends the workload's requests and remembers
/// every answer it sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// How long the client waits for an answer; then the request's
    /// outcome is unknown (it may have been done).
    #[serde(default = "default_client_timeout")]
    pub timeout: Dur,
    /// How many times a request that timed out is sent again before the
    /// client gives up (at most [`MAX_CLIENT_RETRIES`]).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub retries: u32,
    /// Every write carries an idempotency key, the same on each retry, so
    /// the service that stores it with the write does it once.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_key: bool,
}

/// The most retries a client may make of one request.
pub const MAX_CLIENT_RETRIES: u32 = 5;

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

pub(super) fn default_client_timeout() -> Dur {
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
    /// Ask the called services only once this service's own record is
    /// read (one after the other, as a textbook figure draws it), rather
    /// than at the same time.
    #[serde(default, skip_serializing_if = "is_false")]
    pub calls_in_turn: bool,
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
    /// What its events carry: the whole record, or only the change.
    #[serde(default, skip_serializing_if = "EventShape::is_record")]
    pub events: EventShape,
    /// The table's rows when the run begins, as `(id, value)`: data the
    /// system already holds, put in place at 0 s without a message (at
    /// most [`MAX_STARTING_ROWS`]). They were written and replicated
    /// before the run, so every copy that follows the whole table starts
    /// with them too; the database's change log starts after them (its
    /// connector published them already), and a projection or a log
    /// consumer holding part of the table starts empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<(String, super::ValueSpec)>,
    /// Event sourcing: keep no table. Its `database` is an event store;
    /// each write appends an event to the stream of its record, and the
    /// record's state is the fold of that stream.
    #[serde(default, skip_serializing_if = "is_false")]
    pub event_sourced: bool,
}

/// The most starting rows one service's table may hold.
pub const MAX_STARTING_ROWS: usize = 1_000;

/// What a service's change events carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventShape {
    /// The whole record with its version: applying it twice changes
    /// nothing, and an older one is recognised by its version.
    #[default]
    Record,
    /// Only the change: each write adds its (whole-number) value to the
    /// record, and the event says "add this much". A consumer that applies
    /// it twice counts it twice.
    Change,
}

impl EventShape {
    pub fn is_record(&self) -> bool {
        *self == EventShape::Record
    }
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

fn is_false(b: &bool) -> bool {
    !*b
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

pub(super) fn default_resend() -> Dur {
    Dur::ms(200)
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
    /// The pivot: the number of the step (from 1) after which there is no
    /// going back. Once it has succeeded, later steps that fail or do not
    /// answer are retried forward until they succeed, never compensated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pivot: Option<usize>,
}

/// One step of a saga: what to write at a service, and what undoes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SagaStep {
    pub service: String,
    pub action: String,
    pub compensation: String,
    /// A semantic lock: the step writes its action marked pending, the
    /// service refuses anyone else's write to that record while it is,
    /// and the saga confirms the plain action once every step is done.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
}

/// The value a step with a semantic lock writes until its saga confirms it.
pub fn pending_mark(action: &str) -> String {
    format!("{action} {PENDING}")
}

/// What marks a record as held by a saga still running.
pub const PENDING: &str = "(pending)";

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
            calls_in_turn: false,
            write: WriteMode::default(),
            reads: Vec::new(),
            rejects: Vec::new(),
            ledger: None,
            unit_of_work: true,
            on: Vec::new(),
            events: EventShape::Record,
            rows: Vec::new(),
            event_sourced: false,
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
    /// What it captures: the outbox (the owner's published events), or
    /// every row change of one table (raw change data capture).
    #[serde(default, skip_serializing_if = "Capture::is_outbox")]
    pub capture: Capture,
}

/// What a CDC connector publishes from the change log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Capture {
    /// Outbox rows, each on its own topic: events the owner wrote on
    /// purpose, in the shape it promises its consumers.
    #[default]
    Outbox,
    /// Every committed change to this table, on the connector's `topic`,
    /// carrying the row's columns as the owner's table has them (log
    /// tailing of a table, as Debezium does).
    Table(String),
}

impl Capture {
    fn is_outbox(&self) -> bool {
        *self == Capture::Outbox
    }

    /// The table it captures, when it captures one.
    pub fn table(&self) -> Option<&str> {
        match self {
            Capture::Outbox => None,
            Capture::Table(t) => Some(t),
        }
    }
}

pub(super) fn default_poll() -> Dur {
    Dur::ms(50)
}

pub(super) fn default_call_timeout() -> Dur {
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
    /// At-least-once only: give up on a delivery once its subscriber has
    /// rejected it this many times (a poison message) and move it to the
    /// broker's dead-letter queue, instead of retrying for ever. A
    /// subscriber that does not answer (down, cut off) is never given up
    /// on: its deliveries wait. Re-driven by a live action once the
    /// consumer is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
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

/// A partitioned log (an event platform in the manner of Kafka): each
/// topic is split into partitions, an event's key (its record id) picks
/// the partition, and order holds within a partition, not across. Consumers
/// (replicas, projections, reacting services) that name it read in consumer
/// groups: the group's members share the partitions and pull batches from
/// them, and the log keeps each group's committed offset per partition, so
/// every group reads at its own pace and a consumer that restarts resumes
/// from the last commit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSpec {
    pub topics: Vec<LogTopic>,
    /// Consumer groups. A consumer of this log listed in none reads in a
    /// group of its own, named after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<ConsumerGroup>,
    /// How long a publisher waits for the log to confirm an append before
    /// it sends the event again.
    #[serde(default = "default_log_ack_timeout")]
    pub ack_timeout: Dur,
    /// How long the log holds a fetch that finds nothing new before it
    /// answers with an empty batch (a long poll).
    #[serde(default = "default_fetch_wait")]
    pub fetch_wait: Dur,
    /// A member the log has not heard from (no fetch, no commit) for this
    /// long is taken for dead: its partitions move to the group's others.
    #[serde(default = "default_session_timeout")]
    pub session_timeout: Dur,
    /// Events older than this are deleted (none: kept however old).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_for: Option<Dur>,
    /// Each partition keeps at most this many of its latest events (none:
    /// no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_last: Option<u32>,
}

pub(super) fn default_log_ack_timeout() -> Dur {
    Dur::ms(200)
}

pub(super) fn default_fetch_wait() -> Dur {
    Dur::ms(500)
}

pub(super) fn default_session_timeout() -> Dur {
    Dur::secs(1)
}

/// One topic of a log and how many partitions it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogTopic {
    pub name: String,
    #[serde(default = "default_partitions")]
    pub partitions: u32,
}

pub(super) fn default_partitions() -> u32 {
    2
}

/// When a group's members commit the offsets of what they fetched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommitPolicy {
    /// As soon as a batch arrives, before handling it: a crash while
    /// handling loses the rest of the batch (at most once).
    BeforeHandling,
    /// Once the whole batch is handled: a crash before the commit makes
    /// the batch come again (at least once).
    #[default]
    AfterHandling,
    /// Every so often, whatever has been fetched by then (an automatic
    /// commit in the background): events can be lost and repeated.
    Every(Dur),
}

/// Consumers that share a topic's partitions and one committed offset
/// per partition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerGroup {
    pub name: String,
    /// The consumers in the group (node ids); partition n of a topic goes
    /// to the n-th member that reads that topic and is alive, round the
    /// list.
    pub members: Vec<String>,
    /// When members commit what they fetched.
    #[serde(default)]
    pub commit: CommitPolicy,
    /// The most events one fetch brings.
    #[serde(default = "default_max_poll")]
    pub max_poll: u32,
    /// How long a member takes over each event: a slow group falls behind
    /// (its lag grows).
    #[serde(default, skip_serializing_if = "is_zero_dur")]
    pub pace: Dur,
}

pub(super) fn default_max_poll() -> u32 {
    5
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
    /// Keep a table of processed event ids and skip any event already
    /// applied (an idempotent consumer). Without it a redelivered change
    /// event is applied twice.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub dedup: bool,
}

/// CQRS's read side: folds events from one or more topics into a view with
/// its own key and shape, and answers queries from it. Its checkpoint (how
/// many events of each topic it has folded) is kept beside the view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionSpec {
    pub broker: String,
    /// The view's name, shown as its table.
    pub view: String,
    pub sources: Vec<Source>,
}

/// One topic a projection folds, and how each of its records shapes the
/// view. Record values are read as `name=value` pairs separated by spaces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub topic: String,
    /// The view row a record belongs to: the value of this field of the
    /// record (an order's `customer`), or the record's own id when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    pub columns: Vec<Column>,
    /// An upcaster: fields renamed (`("city", "town")`) in records of the
    /// old shape before they are folded, so events written before a
    /// schema change read like those written after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upcast: Vec<(String, String)>,
}

/// A column of a view row, computed from the source records of that row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Column {
    /// The value of a field of the record (the whole value when `field`
    /// is unset); with several records, the one with the greatest id.
    Copy {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// How many records belong to the row.
    Count { name: String },
    /// The sum of a whole-number field over the row's records.
    Sum { name: String, field: String },
}

impl Column {
    /// The column's name in the view.
    pub fn name(&self) -> &str {
        match self {
            Column::Copy { name, .. } | Column::Count { name } | Column::Sum { name, .. } => name,
        }
    }
}

impl Default for ClientSpec {
    fn default() -> Self {
        ClientSpec {
            timeout: default_client_timeout(),
            retries: 0,
            idempotency_key: false,
        }
    }
}
