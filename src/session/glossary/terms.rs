//! The glossary's entries: every term the lessons use, with its forms
//! and its meaning. Kept apart from the lookup in the parent module, since
//! the list grows with each lesson and the lookup does not.

use super::Term;

macro_rules! term {
    ($term:literal, [$($form:literal),+], $means:literal) => {
        Term { term: $term, forms: &[$($form),+], means: $means, cues: &[] }
    };
    ($term:literal, [$($form:literal),+], $means:literal, cues: $cues:expr) => {
        Term { term: $term, forms: &[$($form),+], means: $means, cues: $cues }
    };
}

/// What shows a text is about a partitioned log, whose "partition" and
/// "offset" are not the network's or the CDC connector's.
const LOG_CUES: &[&str] = &[
    "partitioned log",
    "partitioned logs",
    "partition key",
    "partition keys",
    "consumer group",
    "consumer groups",
    "committed offset",
    "committed offsets",
    "topic",
    "topics",
];

/// What shows an "offset" is a change-data-capture connector's.
const CDC_CUES: &[&str] = &[
    "cdc",
    "change data capture",
    "change-data-capture",
    "change log",
    "connector",
];

/// Every term, in alphabetical order.
pub const TERMS: &[Term] = &[
    term!(
        "acknowledgement",
        [
            "acknowledgement",
            "acknowledges",
            "acknowledged",
            "unacknowledged"
        ],
        "A receiver's reply saying a message arrived and was handled. Until it comes, an at-least-once sender keeps the message and sends it again."
    ),
    term!(
        "aggregate",
        ["aggregate", "aggregates"],
        "A cluster of records changed only as a whole, through one root (an order with its lines): its rules are checked inside it, and one transaction changes one aggregate. Other aggregates are updated later, by events."
    ),
    term!(
        "anti-corruption layer",
        ["anti-corruption layer", "anti-corruption layers"],
        "A translator at a context's edge that turns another context's model into its own words, so the other's model does not leak in."
    ),
    term!(
        "API composition",
        ["api composition"],
        "Answering a question that needs several services' data by asking each owner and merging their answers, instead of reading their databases."
    ),
    term!(
        "at-least-once",
        ["at-least-once", "at least once"],
        "A delivery promise: the broker resends each message until the receiver acknowledges it. Nothing is lost, but a message may arrive twice."
    ),
    term!(
        "at-most-once",
        ["at-most-once", "at most once"],
        "A delivery promise: each message is sent once and never again. Nothing arrives twice, but a lost message stays lost."
    ),
    term!(
        "bounded context",
        ["bounded context", "bounded contexts"],
        "The part of a system where one model, and one meaning of each word, holds. A word like \"customer\" can mean different things in two contexts; each keeps its own model and data."
    ),
    term!(
        "broker",
        ["event bus", "broker"],
        "The go-between that carries events from the services that publish them to the ones that subscribe, and keeps them until they are delivered."
    ),
    term!(
        "CDC offset",
        ["cdc offset", "offset"],
        "How far a change-data-capture connector has read the database's change log. It is saved, so after a restart the connector carries on from there, skipping nothing.",
        cues: CDC_CUES
    ),
    term!(
        "change data capture (CDC)",
        ["change data capture", "change-data-capture", "cdc"],
        "Reading a database's log of committed changes and publishing them as events, with no help from the service that wrote them."
    ),
    term!(
        "change log",
        ["change log"],
        "The database's ordered record of every committed change. Change data capture reads it."
    ),
    term!(
        "checkpoint",
        ["checkpoint"],
        "How far a projection has read each topic it follows. A rebuild folds a new view from the start of the log, with a checkpoint of its own, and both take over together."
    ),
    term!(
        "choreography",
        ["choreography", "choreographed"],
        "A saga with no conductor: each service reacts to the events of the others, and announces its own outcome as an event."
    ),
    term!(
        "clock skew",
        ["clock skew", "skewed clock"],
        "How far a machine's clock is off from true time. A rule that compares timestamps from different machines inherits the error."
    ),
    term!(
        "committed offset",
        ["committed offsets", "committed offset", "offsets", "offset"],
        "How far a consumer group has recorded reading each partition of a log. A member that restarts, or takes over the partition, carries on from it: events handled after the last commit come again, and events committed before they were handled are skipped.",
        cues: LOG_CUES
    ),
    term!(
        "compensation",
        [
            "compensating transaction",
            "compensations",
            "compensation",
            "compensates",
            "compensating",
            "compensated"
        ],
        "A write that undoes an earlier step of a saga (a refund for a charge, a release for a reservation), because a committed step cannot be rolled back."
    ),
    term!(
        "consumer group",
        ["consumer groups", "consumer group"],
        "Consumers that share the reading of a log: each partition goes to one member, and the group keeps one committed offset per partition. Two groups read the same events, each at its own pace."
    ),
    term!(
        "consumer lag",
        ["consumer lag"],
        "How many events have been appended to a consumer's partitions that its group has not committed yet: the number everyone watches on an event platform."
    ),
    term!(
        "context map",
        ["context map", "context maps"],
        "A picture of the bounded contexts and how each one feeds or depends on another (through events, calls or a translator)."
    ),
    term!(
        "converge",
        ["converge", "converges", "converged", "convergence"],
        "Copies converge when they come to hold the same data once the changes have reached them all."
    ),
    term!(
        "coordinator",
        ["coordinator", "coordinators"],
        "In two-phase commit, the node that asks every participant to prepare, decides commit (all voted yes) or abort, logs that decision durably, and sends it until each participant acknowledges."
    ),
    term!(
        "coupling",
        ["coupling", "couples", "coupled"],
        "How much one part must change, wait or fail when another does. Sharing a database couples services tightly."
    ),
    term!(
        "CQRS",
        ["cqrs"],
        "Command and query responsibility segregation: changes go to a write model, questions to read models built for them from its events."
    ),
    term!(
        "CRDT",
        ["crdts", "crdt"],
        "A conflict-free replicated data type: copies change on their own and merge in any order, as often as you like, to the same state. Each keeps the changes its kind can express: a G-counter counts up, a PN-counter up and down, a G-set only adds, an OR-set adds and removes (an add made while another copy removes the same item wins)."
    ),
    term!(
        "database per service",
        ["database per service"],
        "Each service's data is private to it: in a database of its own, or in its own schema or tables on a server it shares, which the others' credentials cannot reach. Any other service that needs the data asks its owner."
    ),
    term!(
        "dead-letter queue",
        [
            "dead-letter queue",
            "dead letter queue",
            "dead-letter",
            "dead letter"
        ],
        "Where a broker parks a message its consumer keeps failing to handle (a poison message: malformed, or hitting a bug) after a set number of attempts, so it stops blocking the rest and a person can look at it."
    ),
    term!(
        "domain boundary",
        ["boundary", "boundaries"],
        "The edge of the part of the business a service owns: its data and the rules that guard it. Nothing outside reaches across it."
    ),
    term!(
        "dual write",
        ["dual write", "dual writes"],
        "Committing to the database and then publishing to the broker as two separate steps. A crash between them leaves one done and the other never done."
    ),
    term!(
        "duplicate",
        ["duplicates", "duplicate"],
        "The same message delivered more than once, for example because the acknowledgement of the first delivery was lost and the broker sent it again."
    ),
    term!(
        "event contract",
        ["event contracts", "event contract", "published contract"],
        "The events a service promises to publish: their names, fields and meaning, kept stable for its consumers however its own tables change. The outbox carries it; a change to it is made as a new version."
    ),
    term!(
        "event sourcing",
        ["event sourcing", "event-sourced"],
        "Keeping every change to a record as an event, appended in order and never changed, instead of the record's current row. The state is got by folding (replaying) the events."
    ),
    term!(
        "event store",
        ["event stores", "event store"],
        "A database of events: one append-only stream per record (an aggregate), appends that carry an expected version, and subscriptions that hand every event to readers in the order it was appended."
    ),
    term!(
        "eventual consistency",
        ["eventual consistency", "eventually consistent"],
        "The promise that copies end up agreeing once writes stop and messages get through. Until then a copy may be behind."
    ),
    term!(
        "expected version",
        ["expected versions", "expected version"],
        "The version an append says the stream is at: in Settle, the number of events its writer read (stores that number events from 0, as KurrentDB does, expect one less). When another append came first, the store refuses it (a conflict), and the writer reads again and retries."
    ),
    term!(
        "fold",
        ["folding", "folded", "folds", "fold", "replays", "replay"],
        "Computing a state from events by applying each, oldest first, to the state the ones before it left. Folding a stream again from its first event (a replay) always gives the same state."
    ),
    term!(
        "idempotent consumer",
        ["idempotent consumer", "idempotent"],
        "A receiver for which handling a message twice has the same effect as once, usually because it remembers the ids of the messages it has applied."
    ),
    term!(
        "in doubt",
        ["in doubt", "in-doubt"],
        "A participant in two-phase commit that has voted yes but not yet heard the decision. It promised to commit if told to, so it may neither commit nor abort alone: it keeps its locks and waits."
    ),
    term!(
        "last-writer-wins",
        ["last-writer-wins", "last writer wins"],
        "A conflict rule: keep the write with the latest timestamp and drop the other, silently. Clocks that disagree decide who wins."
    ),
    term!(
        "log-based CDC",
        ["log-based cdc", "log-based change data capture"],
        "Change data capture that tails the database's transaction log and publishes each committed row change, with the row's columns as the table has them (as Debezium does). No code in the service is needed, so the table's shape becomes what consumers read."
    ),
    term!(
        "lost update",
        ["lost update", "lost updates"],
        "Two users read the same version and both write it back; the second write silently undoes the first."
    ),
    term!(
        "network partition",
        [
            "network partitions",
            "network partition",
            "partitions",
            "partition"
        ],
        "A network failure that cuts some nodes off from others while every side keeps running."
    ),
    term!(
        "optimistic concurrency",
        [
            "optimistic concurrency",
            "versioned write",
            "versioned writes"
        ],
        "Each write says which version of the record it read, and the database refuses it if the record has moved on since. Nothing is locked while a user edits."
    ),
    term!(
        "orchestrator",
        ["orchestrator"],
        "A saga's conductor: it tells each service which step to do next, and logs where every saga stands so it can resume after a crash."
    ),
    term!(
        "outbox",
        ["transactional outbox", "outbox"],
        "A table in a service's own database where an event is written in the same transaction as the change it announces. A relay publishes the rows later, so a crash cannot lose the event."
    ),
    term!(
        "partial answer",
        ["partial"],
        "An answer made without one of the parts that should be in it, marked so the caller knows what is missing."
    ),
    term!(
        "partition (of a log)",
        ["partitions", "partition"],
        "One of the append-only parts a log's topic is split into. An event's key picks its partition; order holds within a partition, and each partition is read by one member of a consumer group.",
        cues: LOG_CUES
    ),
    term!(
        "partition key",
        ["partition keys", "partition key"],
        "The part of an event (here its record id) that picks which partition of a log it goes to. The same key always lands in the same partition, so its events stay in order."
    ),
    term!(
        "partitioned log",
        ["partitioned logs", "partitioned log"],
        "An event platform's store: each topic split into partitions, each an append-only list of events kept after they are read. Order holds within a partition, not across them."
    ),
    term!(
        "pivot transaction",
        ["pivot transaction", "pivot"],
        "The step of a saga after which it never goes back: if a step before it fails, the finished ones are compensated; once it commits, the steps after it are retried until they succeed."
    ),
    term!(
        "prepare",
        ["prepare", "prepares", "prepared", "phase one"],
        "Two-phase commit's first phase: each participant writes its change durably but tentatively, locks what it touched, and votes yes (it can commit) or no."
    ),
    term!(
        "projection",
        ["projections", "projection"],
        "Code that listens to events and builds a read model from them: a copy of the data shaped for the questions that will be asked of it."
    ),
    term!(
        "published language",
        ["published language", "published languages"],
        "The events and requests a context promises to others, kept stable while its inside changes."
    ),
    term!(
        "re-drive",
        [
            "re-drive",
            "re-drives",
            "re-driven",
            "re-driving",
            "redrive"
        ],
        "Sending the messages parked in a dead-letter queue back to their consumer, usually once the fault that parked them is fixed. They arrive after newer messages for the same record."
    ),
    term!(
        "read model",
        ["read models", "read model"],
        "In CQRS, the data that answers queries, built from the write model's events. It may lag a little behind."
    ),
    term!(
        "read-your-writes",
        [
            "read-your-writes",
            "read your own writes",
            "read your own write",
            "reading your own write"
        ],
        "A promise to one client: once it has written, its own reads see that write or a newer one, even while other clients may still read an older copy."
    ),
    term!(
        "rebuild",
        ["rebuild", "rebuilds", "rebuilt", "rebuilding"],
        "Building a read model again from the first of the events it is fed by, for example after fixing its code. Only a source that keeps every event, such as a log, can feed it."
    ),
    term!(
        "replica",
        ["replicas", "replica"],
        "A copy of another service's data that a service keeps for itself, brought up to date by that service's events."
    ),
    term!(
        "repository",
        ["repository"],
        "The object a service loads and saves its records through, so its code does not deal with the database directly."
    ),
    term!(
        "rewind",
        ["rewind", "rewinds", "rewound", "rewinding"],
        "Moving a consumer group's committed offsets back, so its members read the events again from there. A log can do it because it keeps events after they are read; a queue deletes what was acknowledged."
    ),
    term!(
        "saga",
        ["sagas", "saga"],
        "A business action split into steps, each a local transaction in one service. When a step fails, the steps already done are undone by compensations."
    ),
    term!(
        "schema evolution",
        ["schema evolution", "schema changes", "schema change"],
        "Changing the shape of stored data or of events over time: a column added, renamed or dropped. Readers of the old shape must keep working, or be changed with it."
    ),
    term!(
        "semantic lock",
        ["semantic locks", "semantic lock"],
        "A mark a saga step writes on a record (such as 'pending') to say a saga is still working on it, so other requests wait or are refused. It stands in for a database lock, which cannot span services, and is cleared when the saga completes or compensates."
    ),
    term!(
        "shared database",
        ["shared database", "shared-database"],
        "Several services reading and writing each other's tables in one database: their schemas, releases and failures become tied together. Sharing only the server, each service keeping to its own tables, ties their availability and capacity."
    ),
    term!(
        "sibling",
        ["siblings", "sibling"],
        "One of several concurrent versions of a record kept side by side (with version vectors) until the application or the user merges them."
    ),
    term!(
        "stale read",
        ["stale reads", "stale read"],
        "A read that returns an older version of a record than its owner already has."
    ),
    term!(
        "stream",
        ["streams", "stream"],
        "In an event store, the events of one record (one aggregate), numbered from 1 in the order they were appended. Its version is the number of its events."
    ),
    term!(
        "strong consistency",
        ["strong consistency"],
        "Every read sees the latest committed write, as if there were only one copy. It needs the copies to agree before a write is done."
    ),
    term!(
        "timeout",
        ["timeout", "timed out"],
        "How long to wait for an answer before going on without it. After a timeout the outcome is unknown, not failed."
    ),
    term!(
        "transaction",
        ["transactions", "transaction"],
        "A group of changes a database applies all together or not at all."
    ),
    term!(
        "two-phase commit",
        [
            "two-phase commit",
            "2pc",
            "distributed transaction",
            "distributed transactions"
        ],
        "An atomic commit across several databases or services: a coordinator asks all to prepare, then tells all to commit, or all to abort. Participants hold their locks from prepare to the decision, however long that takes."
    ),
    term!(
        "ubiquitous language",
        ["ubiquitous language"],
        "The words the people and the code of one bounded context share, each with one meaning there."
    ),
    term!(
        "unit of work",
        ["unit of work"],
        "Keeps every change of one business action, and commits them in one transaction: all of them, or none."
    ),
    term!(
        "upcaster",
        ["upcasters", "upcaster", "upcasting", "upcast"],
        "Code in a consumer that turns an event of an old version into the current one (a renamed field given its new name) before handling it, so the consumer handles one shape only."
    ),
    term!(
        "version token",
        ["version tokens", "version token"],
        "What a write hands back to say which version it made. A read that carries it asks a copy to answer only once it holds that version, or to say it has not caught up."
    ),
    term!(
        "version vector",
        ["version vectors", "version vector"],
        "One counter per copy, saying which writes a version has seen. Comparing two tells whether one came after the other or whether they were concurrent."
    ),
    term!(
        "write model",
        ["write model"],
        "In CQRS, the data and rules that accept commands. Its events feed the read models."
    ),
];
