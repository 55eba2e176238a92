//! What each node kind does in a drawing, said once: which topics it
//! reads, where it publishes, whom it calls, which tables it keeps, which
//! requests a client may send it, whether it carries events, what a link
//! to another kind means and which live actions apply to it. Each question
//! is one `match` that lists every kind, with no catch-all arm, so a new
//! kind in [`super::Kind`] makes the compiler stop here for each answer;
//! the engine, validation, the editor, the checks and the views ask these
//! functions instead of deciding by kind themselves (tests/kind_matches.rs
//! keeps it so).

mod node;

use super::kind::Kind;
use super::story::Op;

/// A topic a node reads, at a broker or a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reads<'a> {
    pub broker: &'a str,
    pub topic: &'a str,
}

/// Where a node publishes events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publishes<'a> {
    pub broker: &'a str,
    /// The topic every change goes to; `None` for a connector that
    /// publishes only outbox rows (each on the topic its row names).
    pub topic: Option<&'a str>,
}

/// How a node keeps a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// The source of a service's records, held in the service's database
    /// (`in_database`) or a store of its own.
    Source,
    /// A service's journal of its changes, beside its source.
    Ledger,
    /// A record of the node's own work, shown as a table it owns: a saga
    /// log, a view and its checkpoint, a log's offsets, dead letters.
    Own,
    /// One of several copies that all take writes (a peer's table).
    Shared,
    /// A copy fed by events from another service's table.
    Copy,
}

/// A table a node keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept<'a> {
    pub name: String,
    pub keeping: Keeping,
    /// The database holding it, when not the node itself.
    pub in_database: Option<&'a str>,
}

impl Kept<'_> {
    /// Whether this is a copy of a table another node is the source of.
    pub fn is_copy(&self) -> bool {
        match self.keeping {
            Keeping::Copy | Keeping::Shared => true,
            Keeping::Source | Keeping::Ledger | Keeping::Own => false,
        }
    }
}

/// What linking a node to another node makes it do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// Keep its table in that database.
    StoreIn,
    /// Publish its changes on a topic of its own at that broker.
    PublishTo,
    /// Append its changes to that log's first topic.
    AppendTo,
    /// Read events from that broker (its publisher's topic).
    ReadFrom,
    /// Read that log's first topic.
    ReadLog,
    /// Ask that service when answering (only from the end that drew the link).
    Call,
    /// Ask that service in any direction the link was drawn.
    CallEither,
    /// Add a saga step at that service (only from the end that drew the link).
    Step,
    /// Tail that database's change log.
    Tail,
    /// Add that service as a two-phase commit participant (only from the
    /// end that drew the link).
    Participant,
    /// Keep no table: append each write as an event to that event store
    /// (event-sourced mode).
    AppendEvents,
    /// Read that event store's events of a table some service appends
    /// there (nothing, while no service does).
    Subscribe,
}

/// Something an operator can do to a node of a kind while it runs (the
/// canvas menu, the inspector and validation of the faults recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Crash it, and restart it once it is down: every kind.
    CrashRestart,
    /// Move its clock ahead.
    Skew,
    /// Fold its view again from the log's earliest kept event.
    Rebuild,
    /// Deliver its dead letters again.
    Redrive,
    /// Deploy a fix for the poison events it rejects.
    Fix,
    /// Move a consumer group's offsets back.
    Rewind,
}

impl Kind {
    /// Whether consumers and publishers may name it as their broker: it
    /// carries events (a broker, or a partitioned log).
    pub fn carries_events(self) -> bool {
        match self {
            Kind::Broker | Kind::Log | Kind::EventStore => true,
            Kind::Client
            | Kind::Service
            | Kind::Database
            | Kind::Replica
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::Peer
            | Kind::Projection => false,
        }
    }

    /// Whether a client may send it request `op`.
    pub fn serves(self, op: &Op) -> bool {
        let read = matches!(op, Op::Read { .. });
        match self {
            Kind::Service => !matches!(op, Op::ReadAfterMyWrite { .. } | Op::Change { .. }),
            Kind::Peer => matches!(op, Op::Write { .. } | Op::Read { .. } | Op::Change { .. }),
            Kind::Replica | Kind::Composer => read,
            Kind::Projection => !op.writes(),
            Kind::Orchestrator | Kind::Coordinator => matches!(op, Op::Write { .. }),
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Cdc
            | Kind::Log
            | Kind::EventStore => false,
        }
    }

    /// Whether its workload is performed by itself (`from` and `to` both
    /// name it): a service writing on its own schedule.
    pub fn performs_own_work(self) -> bool {
        match self {
            Kind::Service => true,
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Replica
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::Peer
            | Kind::Projection
            | Kind::Log
            | Kind::EventStore => false,
        }
    }

    /// Whether a client may send it any request at all.
    pub fn serves_requests(self) -> bool {
        match self {
            Kind::Service
            | Kind::Peer
            | Kind::Replica
            | Kind::Composer
            | Kind::Projection
            | Kind::Orchestrator
            | Kind::Coordinator => true,
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Cdc
            | Kind::Log
            | Kind::EventStore => false,
        }
    }

    /// Why it refuses a request [`Kind::serves`] says no to, in a sentence.
    pub fn serves_only(self) -> &'static str {
        match self {
            Kind::Replica => "a replica only answers plain reads",
            Kind::Composer => "a composer only answers plain reads",
            Kind::Projection => "a projection only answers reads",
            Kind::Orchestrator => "an orchestrator starts a saga on a write",
            Kind::Coordinator => "a coordinator starts a two-phase commit on a write",
            Kind::Service => {
                "a read after my write asks a projection to catch up; the owning service is never behind"
            }
            Kind::Peer => "a peer takes writes, changes and plain reads",
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Cdc
            | Kind::Log
            | Kind::EventStore => {
                "clients send requests to services, replicas, projections and composers"
            }
        }
    }

    /// Whether it sends requests to other nodes as the workload says (a
    /// client); a service performs its own work instead.
    pub fn sends_requests(self) -> bool {
        match self {
            Kind::Client => true,
            Kind::Service
            | Kind::Database
            | Kind::Broker
            | Kind::Replica
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::Peer
            | Kind::Projection
            | Kind::Log
            | Kind::EventStore => false,
        }
    }

    /// Whether it keeps the events it delivered, so a reader can read them
    /// again (a log); a queue deletes what every subscriber acknowledged.
    pub fn keeps_delivered(self) -> bool {
        match self {
            Kind::Log | Kind::EventStore => true,
            Kind::Broker
            | Kind::Client
            | Kind::Service
            | Kind::Database
            | Kind::Replica
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::Peer
            | Kind::Projection => false,
        }
    }

    /// Whether it carries events and forgets them once delivered (a
    /// broker's queue): nothing there can be read again.
    pub fn is_queue(self) -> bool {
        self.carries_events() && !self.keeps_delivered()
    }

    /// What links from a node of this kind to other kinds make it do (the
    /// editor wires it when the link is drawn); a kind not listed is
    /// linked with no meaning.
    pub fn wires(self) -> &'static [(Kind, Wire)] {
        match self {
            Kind::Service => &[
                (Kind::Database, Wire::StoreIn),
                (Kind::Broker, Wire::PublishTo),
                (Kind::Log, Wire::AppendTo),
                (Kind::Service, Wire::Call),
                (Kind::EventStore, Wire::AppendEvents),
            ],
            Kind::Replica => &[(Kind::Broker, Wire::ReadFrom), (Kind::Log, Wire::ReadLog)],
            Kind::Projection => &[
                (Kind::Broker, Wire::ReadFrom),
                (Kind::EventStore, Wire::Subscribe),
            ],
            Kind::Cdc => &[
                (Kind::Database, Wire::Tail),
                (Kind::Broker, Wire::PublishTo),
            ],
            Kind::Composer => &[(Kind::Service, Wire::CallEither)],
            Kind::Orchestrator => &[(Kind::Service, Wire::Step)],
            Kind::Coordinator => &[(Kind::Service, Wire::Participant)],
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Peer
            | Kind::Log
            | Kind::EventStore => &[],
        }
    }

    /// What a link from a node of this kind to one of kind `to` makes it
    /// do, if anything.
    pub fn wire(self, to: Kind) -> Option<Wire> {
        self.wires().iter().find(|(k, _)| *k == to).map(|&(_, w)| w)
    }

    /// The order in which the engine wires subscribers to a topic:
    /// reacting services, then projections, then replicas (each in
    /// scenario order). Delivery order follows it, so it is part of every
    /// trace.
    pub fn subscriber_rank(self) -> u8 {
        match self {
            Kind::Service => 0,
            Kind::Projection => 1,
            Kind::Replica => 2,
            Kind::Client
            | Kind::Database
            | Kind::Broker
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::Peer
            | Kind::Log
            | Kind::EventStore => 3,
        }
    }

    /// The live actions (and the faults a file may record) that apply to
    /// a node of this kind; [`NodeKind::acts_now`] narrows them to its
    /// settings.
    pub fn acts(self) -> &'static [Act] {
        match self {
            Kind::Peer => &[Act::CrashRestart, Act::Skew],
            Kind::Projection => &[Act::CrashRestart, Act::Rebuild],
            Kind::Broker => &[Act::CrashRestart, Act::Redrive],
            Kind::Replica => &[Act::CrashRestart, Act::Fix],
            Kind::Log => &[Act::CrashRestart, Act::Rewind],
            Kind::Client
            | Kind::Service
            | Kind::Database
            | Kind::Cdc
            | Kind::Composer
            | Kind::Orchestrator
            | Kind::Coordinator
            | Kind::EventStore => &[Act::CrashRestart],
        }
    }
}

/// The name of a projection's checkpoint table: one row per topic, and a
/// row `rebuilding` while a rebuild is under way.
pub fn checkpoint_table(view: &str) -> String {
    format!("{view} checkpoint")
}

/// The name of a broker's dead-letter table.
pub fn dead_letter_table(broker: &str) -> String {
    format!("{broker} dead letters")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ValueSpec;

    /// Validation, the Fire form and the engine agree on what a kind
    /// serves only if `serves_requests` is `serves` for some request.
    #[test]
    fn a_kind_serves_requests_when_it_serves_one() {
        let ops = [
            Op::Write {
                id: "x".into(),
                value: ValueSpec::Seq,
                poison: false,
            },
            Op::Read { id: "x".into() },
            Op::ReadAfterMyWrite { id: "x".into() },
            Op::Edit {
                id: "x".into(),
                set: "a=1".into(),
                versioned: false,
            },
        ];
        for &k in Kind::ALL {
            assert_eq!(
                k.serves_requests(),
                ops.iter().any(|op| k.serves(op)),
                "{}",
                k.word()
            );
        }
    }
}
