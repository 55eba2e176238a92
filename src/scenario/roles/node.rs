//! What a node does in a drawing that depends on its settings as well as
//! its kind: the topics it reads, where it publishes, whom it calls, the
//! tables it keeps. One exhaustive `match` per question, as in the parent.

use super::super::kind::NodeKind;
use super::super::specs::Delivery;
use super::{Act, Keeping, Kept, Publishes, Reads, checkpoint_table, dead_letter_table};
use crate::model::Micros;

impl NodeKind {
    /// The topics it reads, and at which broker or log.
    pub fn reads(&self) -> Vec<Reads<'_>> {
        match self {
            NodeKind::Service(svc) => svc
                .on
                .iter()
                .map(|r| Reads {
                    broker: &r.broker,
                    topic: &r.topic,
                })
                .collect(),
            NodeKind::Projection(p) => p
                .sources
                .iter()
                .map(|s| Reads {
                    broker: &p.broker,
                    topic: &s.topic,
                })
                .collect(),
            NodeKind::Replica(r) => vec![Reads {
                broker: &r.broker,
                topic: &r.topic,
            }],
            NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Log(_) => Vec::new(),
        }
    }

    /// Whether it reads `topic` (at any broker).
    pub fn reads_topic(&self, topic: &str) -> bool {
        self.reads().iter().any(|r| r.topic == topic)
    }

    /// Whether it reads anything from `broker`.
    pub fn reads_from(&self, broker: &str) -> bool {
        self.reads().iter().any(|r| r.broker == broker)
    }

    /// Where it publishes, if it does.
    pub fn publishes(&self) -> Option<Publishes<'_>> {
        match self {
            // An event-sourced service's events are in its store, under
            // the name of its table.
            NodeKind::Service(svc) if svc.event_sourced => {
                svc.database.as_deref().map(|db| Publishes {
                    broker: db,
                    topic: Some(&svc.table),
                })
            }
            NodeKind::Service(svc) => svc.publish.as_ref().map(|p| Publishes {
                broker: &p.broker,
                topic: Some(&p.topic),
            }),
            NodeKind::Cdc(c) => Some(Publishes {
                broker: &c.broker,
                topic: c.topic.as_deref(),
            }),
            NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => None,
        }
    }

    /// The topic every one of its changes is published on, if any.
    pub fn publishes_topic(&self) -> Option<&str> {
        self.publishes().and_then(|p| p.topic)
    }

    /// The nodes it sends requests to on its own: the services a service
    /// or a composer calls, the services an orchestrator's saga steps at.
    pub fn calls(&self) -> Vec<&str> {
        match self {
            NodeKind::Service(svc) => svc.calls.iter().map(String::as_str).collect(),
            NodeKind::Composer(c) => c.calls.iter().map(String::as_str).collect(),
            NodeKind::Orchestrator(o) => o.steps.iter().map(|s| s.service.as_str()).collect(),
            NodeKind::Coordinator(c) => c.participants.iter().map(|p| p.service.as_str()).collect(),
            NodeKind::EventStore(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => Vec::new(),
        }
    }

    /// The database it keeps its table in, if any.
    pub fn database(&self) -> Option<&str> {
        match self {
            NodeKind::Service(svc) => svc.database.as_deref(),
            NodeKind::Cdc(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => None,
        }
    }

    /// The database whose change log it tails, if any.
    pub fn tails(&self) -> Option<&str> {
        match self {
            NodeKind::Cdc(c) => Some(&c.database),
            NodeKind::Service(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => None,
        }
    }

    /// The table whose every row change it publishes, if it captures one
    /// (raw change data capture, not an outbox).
    pub fn captures_table(&self) -> Option<&str> {
        match self {
            NodeKind::Cdc(c) => c.capture.table(),
            NodeKind::Service(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => None,
        }
    }

    /// The services it makes two-phase commit participants: each keeps
    /// its prepared changes under locks until the decision comes.
    pub fn participants(&self) -> Vec<&str> {
        match self {
            NodeKind::Coordinator(c) => c.participants.iter().map(|p| p.service.as_str()).collect(),
            NodeKind::Service(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => Vec::new(),
        }
    }

    /// The table it shares with other peers, if it is one.
    pub fn shares(&self) -> Option<&str> {
        match self {
            NodeKind::Peer(p) => Some(&p.table),
            NodeKind::Service(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => None,
        }
    }

    /// The tables node `id` of this kind keeps, in the order the run
    /// lists them.
    pub fn tables<'a>(&'a self, id: &str) -> Vec<Kept<'a>> {
        let own = |name: String| Kept {
            name,
            keeping: Keeping::Own,
            in_database: None,
        };
        match self {
            NodeKind::Service(svc) => std::iter::once((&svc.table, Keeping::Source))
                .chain(svc.ledger.iter().map(|l| (l, Keeping::Ledger)))
                .map(|(t, keeping)| Kept {
                    name: t.clone(),
                    keeping,
                    in_database: svc.database.as_deref(),
                })
                .collect(),
            NodeKind::Peer(p) => vec![Kept {
                name: p.table.clone(),
                keeping: Keeping::Shared,
                in_database: None,
            }],
            NodeKind::Replica(r) => vec![Kept {
                name: r.table.clone(),
                keeping: Keeping::Copy,
                in_database: None,
            }],
            // Its saga log, or its transaction log, named after it.
            NodeKind::Orchestrator(_) | NodeKind::Coordinator(_) => vec![own(id.to_string())],
            NodeKind::Projection(p) => vec![own(p.view.clone()), own(checkpoint_table(&p.view))],
            // Its streams' events, a row each.
            // And its snapshots, when it takes them.
            NodeKind::EventStore(e) => std::iter::once(super::super::event_table(id))
                .chain(e.snapshot_every.map(|_| super::super::snapshot_table(id)))
                .map(own)
                .collect(),
            NodeKind::Log(_) => vec![
                own(super::super::log_end_table(id)),
                own(super::super::log_offsets_table(id)),
                own(super::super::log_groups_table(id)),
                own(super::super::log_lag_table(id)),
            ],
            NodeKind::Broker(b) if b.max_attempts.is_some() => vec![own(dead_letter_table(id))],
            NodeKind::Broker(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_) => Vec::new(),
        }
    }

    /// Whether it waits for each subscriber to acknowledge each delivery
    /// (an at-least-once broker); a log's readers commit offsets instead.
    pub fn acks_deliveries(&self) -> bool {
        match self {
            NodeKind::Broker(b) => match b.delivery {
                Delivery::AtLeastOnce { .. } => true,
                Delivery::AtMostOnce => false,
            },
            NodeKind::Log(_)
            | NodeKind::Client(_)
            | NodeKind::Service(_)
            | NodeKind::Database(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_) => false,
        }
    }

    /// The topics it holds, when it lists them (a log); a broker makes a
    /// topic when something first publishes on it.
    pub fn topics_held(&self) -> Vec<&str> {
        match self {
            NodeKind::Log(l) => l.topics.iter().map(|t| t.name.as_str()).collect(),
            NodeKind::Client(_)
            | NodeKind::Service(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_) => Vec::new(),
        }
    }

    /// How long a publisher or consumer of this broker or log waits for
    /// its acknowledgement before sending again; `None` when it does not
    /// acknowledge (an at-most-once broker, or nothing that carries events).
    pub fn ack_timeout(&self) -> Option<Micros> {
        match self {
            NodeKind::Broker(b) => match b.delivery {
                Delivery::AtLeastOnce { ack_timeout } => Some(ack_timeout.0.max(1)),
                Delivery::AtMostOnce => None,
            },
            NodeKind::Log(l) => Some(l.ack_timeout.0.max(1)),
            NodeKind::Client(_)
            | NodeKind::Service(_)
            | NodeKind::Database(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_) => None,
        }
    }

    /// The live actions that apply to this node as it is set up: a broker
    /// re-drives only with a dead-letter queue.
    pub fn acts_now(&self) -> Vec<Act> {
        let dead_letters = match self {
            NodeKind::Broker(b) => b.max_attempts.is_some(),
            NodeKind::Client(_)
            | NodeKind::Service(_)
            | NodeKind::Database(_)
            | NodeKind::Replica(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_)
            | NodeKind::Peer(_)
            | NodeKind::Projection(_)
            | NodeKind::Log(_) => false,
        };
        self.kind()
            .acts()
            .iter()
            .copied()
            .filter(|a| *a != Act::Redrive || dead_letters)
            .collect()
    }
}
