//! The node kinds, listed once. Each entry gives the kind's word in files
//! and menus, a line on what it does, and its accent colour; its settings
//! are a variant of [`NodeKind`] and its defaults are [`Kind::default_spec`].
//! What each kind does in a drawing (reads, publishes, calls, keeps,
//! serves) is answered once in `roles`; everything else that depends on
//! the kind (the engine's behaviour, the icon, the inspector's form)
//! matches on [`Kind`] or [`NodeKind`] exhaustively, so adding a kind here
//! makes the compiler point at each place to extend.

use serde::{Deserialize, Serialize};

use super::coordinator::{CoordinatorSpec, default_decision_resend};
use super::event_store::EventStoreSpec;
use super::specs::{
    BrokerSpec, CdcSpec, ClientSpec, ComposerSpec, DatabaseSpec, LogSpec, LogTopic,
    OrchestratorSpec, PeerSpec, ProjectionSpec, ReplicaSpec, ServiceSpec, Strategy,
    default_call_timeout, default_fetch_wait, default_log_ack_timeout, default_partitions,
    default_poll, default_resend, default_session_timeout,
};
use crate::model::Dur;

/// Declares [`Kind`] and its table of facts from one list.
macro_rules! kinds {
    ($($kind:ident => $word:literal, [$r:literal, $g:literal, $b:literal], $about:literal;)*) => {
        /// What sort of node something is, without its settings.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($kind),*
        }

        impl Kind {
            /// Every kind, in palette order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),*];

            /// The word files, menus and messages use: `service`, `cdc`.
            pub fn word(self) -> &'static str {
                match self {
                    $(Kind::$kind => $word),*
                }
            }

            /// One line on what the kind does, for the palette.
            pub fn about(self) -> &'static str {
                match self {
                    $(Kind::$kind => $about),*
                }
            }

            /// The kind's accent colour (sRGB), strong enough for a projector.
            pub fn rgb(self) -> [u8; 3] {
                match self {
                    $(Kind::$kind => [$r, $g, $b]),*
                }
            }
        }
    };
}

kinds! {
    Client => "client", [0x45, 0x7b, 0x9d], "A user or front end that sends requests";
    Service => "service", [0x2a, 0x9d, 0x8f], "Owns one table; writes, reads, publishes, composes";
    Database => "database", [0xe7, 0x6f, 0x51], "Versioned tables and an ordered change log";
    Broker => "broker", [0x9b, 0x5d, 0xe5], "Topics and subscriptions; delivers events";
    Replica => "replica", [0xe9, 0xa8, 0x20], "Keeps its own copy of a table, fed by events";
    Cdc => "cdc", [0xd9, 0x5d, 0x9b], "Tails a database's change log; publishes outbox rows";
    Composer => "composer", [0x3d, 0xa5, 0xd9], "A gateway: asks several services at once, merges";
    Orchestrator => "orchestrator", [0x8a, 0xb8, 0x3e], "Runs a saga: steps across services, undone on failure";
    Peer => "peer", [0xf4, 0x8c, 0x36], "A copy that accepts writes; resolves conflicts its way";
    Projection => "projection", [0x26, 0xa6, 0x9a], "A read model: folds events from topics into a view of its own shape";
    Log => "log", [0x5c, 0x6b, 0xc0], "A partitioned log: order per key, consumer groups, offsets and lag";
    Coordinator => "coordinator", [0xc0, 0x6c, 0x84], "Two-phase commit: participants prepare and lock, then all commit or all abort";
    EventStore => "eventstore", [0x7a, 0x5c, 0x3a], "One append-only stream per aggregate; appends with an expected version; subscriptions";
}

impl Kind {
    /// The kind a word names, if any.
    pub fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.word() == word)
    }

    /// A new node's settings: every field at the default a file gets when
    /// it leaves the field out. Names of other nodes are left empty for
    /// the editor to wire.
    pub fn default_spec(self) -> NodeKind {
        match self {
            Kind::Client => NodeKind::Client(ClientSpec::default()),
            Kind::Service => NodeKind::Service(ServiceSpec::owning("")),
            Kind::Database => NodeKind::Database(DatabaseSpec {}),
            Kind::Broker => NodeKind::Broker(BrokerSpec::default()),
            Kind::Replica => NodeKind::Replica(ReplicaSpec {
                broker: String::new(),
                topic: String::new(),
                table: String::new(),
                dedup: true,
            }),
            Kind::Cdc => NodeKind::Cdc(CdcSpec {
                database: String::new(),
                broker: String::new(),
                topic: None,
                poll: default_poll(),
                capture: Default::default(),
            }),
            Kind::Composer => NodeKind::Composer(ComposerSpec {
                calls: Vec::new(),
                call_timeout: default_call_timeout(),
            }),
            Kind::Orchestrator => NodeKind::Orchestrator(OrchestratorSpec {
                steps: Vec::new(),
                step_timeout: default_call_timeout(),
                pivot: None,
            }),
            Kind::Peer => NodeKind::Peer(PeerSpec {
                table: String::new(),
                strategy: Strategy::LastWriterWins,
                clock_skew: Dur(0),
                resend: default_resend(),
            }),
            Kind::Projection => NodeKind::Projection(ProjectionSpec {
                broker: String::new(),
                view: String::new(),
                sources: Vec::new(),
            }),
            Kind::Log => NodeKind::Log(LogSpec {
                topics: vec![LogTopic {
                    name: "events".into(),
                    partitions: default_partitions(),
                }],
                groups: Vec::new(),
                ack_timeout: default_log_ack_timeout(),
                fetch_wait: default_fetch_wait(),
                session_timeout: default_session_timeout(),
                keep_for: None,
                keep_last: None,
            }),
            Kind::Coordinator => NodeKind::Coordinator(CoordinatorSpec {
                participants: Vec::new(),
                vote_timeout: default_call_timeout(),
                resend: default_decision_resend(),
            }),
            Kind::EventStore => NodeKind::EventStore(EventStoreSpec::default()),
        }
    }
}

/// A node's kind with its settings: what a file holds for each node.
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
    Projection(ProjectionSpec),
    Log(LogSpec),
    Coordinator(CoordinatorSpec),
    EventStore(EventStoreSpec),
}

impl NodeKind {
    /// The kind, without its settings.
    pub fn kind(&self) -> Kind {
        match self {
            NodeKind::Client(_) => Kind::Client,
            NodeKind::Service(_) => Kind::Service,
            NodeKind::Database(_) => Kind::Database,
            NodeKind::Broker(_) => Kind::Broker,
            NodeKind::Replica(_) => Kind::Replica,
            NodeKind::Cdc(_) => Kind::Cdc,
            NodeKind::Composer(_) => Kind::Composer,
            NodeKind::Orchestrator(_) => Kind::Orchestrator,
            NodeKind::Peer(_) => Kind::Peer,
            NodeKind::Projection(_) => Kind::Projection,
            NodeKind::Log(_) => Kind::Log,
            NodeKind::Coordinator(_) => Kind::Coordinator,
            NodeKind::EventStore(_) => Kind::EventStore,
        }
    }

    /// The word the palette and error messages use for this kind.
    pub fn word(&self) -> &'static str {
        self.kind().word()
    }

    /// The small print under a node's name on the canvas and in exported
    /// pictures: its kind, and the table or view it keeps where it keeps
    /// one. Listed kind by kind so a new kind must say what it shows.
    pub fn small_print(&self) -> String {
        match self {
            NodeKind::Service(svc) => format!("service · {}", svc.table),
            NodeKind::Replica(rep) => format!("replica · {}", rep.table),
            NodeKind::Peer(p) => format!("peer · {}", p.table),
            NodeKind::Projection(p) => format!("projection · {}", p.view),
            NodeKind::Cdc(c) => match c.capture.table() {
                Some(t) => format!("cdc · rows of {t}"),
                None => self.word().to_string(),
            },
            NodeKind::Log(l) => {
                let parts: u32 = l.topics.iter().map(|t| t.partitions).sum();
                format!("log · {parts} partitions")
            }
            NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_) => self.word().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_its_defaults_are_of_that_kind() {
        let mut words: Vec<&str> = Kind::ALL.iter().map(|k| k.word()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), Kind::ALL.len(), "two kinds share a word");
        for &k in Kind::ALL {
            assert_eq!(k.default_spec().kind(), k);
            assert_eq!(Kind::from_word(k.word()), Some(k));
        }
    }
}
