//! Turns a checked scenario into a ready engine: resolves names to indices,
//! seeds each node's random stream and queues the timed happenings.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use super::engine::{Engine, Gen, LinkRt, NodeRt, Watch};
use super::model::{NodeIdx, Value};
use super::nodes::cdc::CdcWiring;
use super::nodes::composer::ComposerWiring;
use super::nodes::peer::{Peer, PeerWiring, Strategy as PeerStrategy};
use super::nodes::saga::{OrchestratorWiring, Step as SagaStepRt};
use super::nodes::service::ServiceWiring;
use super::nodes::{
    Behaviour, Broker, Cdc, Client, Composer, Database, Orchestrator, Replica, Service,
    Subscription,
};
use crate::scenario::{
    BrokerSpec, Delivery, Fault, NodeKind, Op, Scenario, Trigger, ValueSpec, Work, WriteMode,
};
use crate::trace::{FaultEvent, FaultRec, NodeInfo, TableInfo, Trace};

/// A scenario that passed validation but still cannot be built: only a
/// scenario made in code, not one loaded from a file, can get here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build the simulation: {0}")]
pub struct BuildError(pub String);

/// The seed of a node's own random stream: the run seed mixed with the
/// node's id, so adding a node does not change any other node's draws.
pub fn node_seed(run_seed: u64, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(run_seed ^ splitmix(h))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Engine {
    /// Builds a run of `s` with the given seed.
    pub fn new(s: &Scenario, seed: u64) -> Result<Engine, BuildError> {
        let idx: BTreeMap<&str, NodeIdx> = s
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeIdx::try_from(i).map(|i| (n.id.as_str(), i)))
            .collect::<Result<_, _>>()
            .map_err(|_| BuildError("too many nodes".into()))?;
        let find = |id: &str| {
            idx.get(id)
                .copied()
                .ok_or_else(|| BuildError(format!("no node \"{id}\"")))
        };

        let mut trace = Trace {
            seed,
            until: s.until.0,
            ..Trace::default()
        };
        trace.nodes = s
            .nodes
            .iter()
            .map(|n| NodeInfo {
                id: n.id.clone(),
                label: n.label().to_string(),
                kind: n.kind.word(),
                pos: n.pos,
            })
            .collect();

        // Subscriptions and tables come from the replicas that name them.
        let mut subs: BTreeMap<NodeIdx, Vec<Subscription>> = BTreeMap::new();
        let mut owners = BTreeMap::new();
        for (i, n) in s.nodes.iter().enumerate() {
            if let NodeKind::Service(svc) = &n.kind {
                let owner = match &svc.database {
                    Some(db) => find(db)?,
                    None => i as NodeIdx,
                };
                let table = trace.names.intern(&svc.table);
                owners.insert(table, owner);
                trace.tables.push(TableInfo {
                    name: table,
                    owner,
                    replicas: Vec::new(),
                });
                if let Some(ledger) = &svc.ledger {
                    let ledger = trace.names.intern(ledger);
                    owners.insert(ledger, owner);
                    trace.tables.push(TableInfo {
                        name: ledger,
                        owner,
                        replicas: Vec::new(),
                    });
                }
            }
        }
        for (i, n) in s.nodes.iter().enumerate() {
            // Peers of one table: the first is shown as its reference copy.
            if let NodeKind::Peer(p) = &n.kind {
                let table = trace.names.intern(&p.table);
                match trace.tables.iter_mut().find(|t| t.name == table) {
                    Some(t) => t.replicas.push(i as NodeIdx),
                    None => trace.tables.push(TableInfo {
                        name: table,
                        owner: i as NodeIdx,
                        replicas: Vec::new(),
                    }),
                }
            }
            if let NodeKind::Orchestrator(_) = &n.kind {
                // Its saga log shows as a table named after it.
                let table = trace.names.intern(&n.id);
                owners.insert(table, i as NodeIdx);
                trace.tables.push(TableInfo {
                    name: table,
                    owner: i as NodeIdx,
                    replicas: Vec::new(),
                });
            }
        }
        // Services that react to events subscribe like replicas do.
        for (i, n) in s.nodes.iter().enumerate() {
            if let NodeKind::Service(svc) = &n.kind {
                for r in &svc.on {
                    let broker = find(&r.broker)?;
                    let topic = trace.names.intern(&r.topic);
                    let list = subs.entry(broker).or_default();
                    match list.iter_mut().find(|x| x.topic == topic) {
                        Some(sub) if !sub.subscribers.contains(&(i as NodeIdx)) => {
                            sub.subscribers.push(i as NodeIdx)
                        }
                        Some(_) => {}
                        None => list.push(Subscription {
                            topic,
                            subscribers: vec![i as NodeIdx],
                        }),
                    }
                }
            }
        }
        for (i, n) in s.nodes.iter().enumerate() {
            if let NodeKind::Replica(r) = &n.kind {
                let broker = find(&r.broker)?;
                let topic = trace.names.intern(&r.topic);
                let list = subs.entry(broker).or_default();
                match list.iter_mut().find(|x| x.topic == topic) {
                    Some(sub) => sub.subscribers.push(i as NodeIdx),
                    None => list.push(Subscription {
                        topic,
                        subscribers: vec![i as NodeIdx],
                    }),
                }
                let table = trace.names.intern(&r.table);
                if let Some(t) = trace.tables.iter_mut().find(|t| t.name == table) {
                    t.replicas.push(i as NodeIdx);
                }
            }
        }

        let mut nodes = Vec::with_capacity(s.nodes.len());
        for n in &s.nodes {
            let beh = match &n.kind {
                NodeKind::Client(c) => Behaviour::Client(Client::new(c.timeout.0)),
                NodeKind::Database(_) => Behaviour::Database(Database::default()),
                NodeKind::Service(svc) => {
                    let publish = match &svc.publish {
                        Some(p) => Some((find(&p.broker)?, trace.names.intern(&p.topic))),
                        None => None,
                    };
                    let calls = svc
                        .calls
                        .iter()
                        .map(|c| Ok((find(c)?, trace.names.intern(c))))
                        .collect::<Result<Vec<_>, BuildError>>()?;
                    let publish_retry = svc.publish.as_ref().and_then(|p| {
                        s.nodes
                            .iter()
                            .find(|b| b.id == p.broker)
                            .and_then(|b| match &b.kind {
                                NodeKind::Broker(BrokerSpec {
                                    delivery: Delivery::AtLeastOnce { ack_timeout },
                                }) => Some(ack_timeout.0.max(1)),
                                _ => None,
                            })
                    });
                    Behaviour::Service(Service::new(ServiceWiring {
                        outbox: svc.write == WriteMode::Outbox,
                        reads: svc.reads.iter().map(|t| trace.names.intern(t)).collect(),
                        rejects: svc.rejects.iter().map(|t| trace.names.intern(t)).collect(),
                        ledger: svc.ledger.as_deref().map(|t| trace.names.intern(t)),
                        unit_of_work: svc.unit_of_work,
                        reactions: svc
                            .on
                            .iter()
                            .map(|r| {
                                let when = r.when.as_deref().map(|w| trace.names.intern(w));
                                (
                                    trace.names.intern(&r.topic),
                                    when,
                                    Value::Text(trace.names.intern(&r.write)),
                                )
                            })
                            .collect(),
                        acks_to: svc
                            .on
                            .iter()
                            .filter_map(|r| {
                                let b = idx.get(r.broker.as_str()).copied()?;
                                matches!(
                                    &s.nodes.get(b as usize)?.kind,
                                    NodeKind::Broker(BrokerSpec {
                                        delivery: Delivery::AtLeastOnce { .. }
                                    })
                                )
                                .then_some(b)
                            })
                            .collect(),
                        publish_retry,
                        table: trace.names.intern(&svc.table),
                        database: svc.database.as_deref().map(find).transpose()?,
                        publish,
                        calls,
                        call_timeout: svc.call_timeout.0,
                    }))
                }
                NodeKind::Broker(b) => {
                    let me = find(&n.id)?;
                    let timeout = match b.delivery {
                        Delivery::AtLeastOnce { ack_timeout } => Some(ack_timeout.0.max(1)),
                        Delivery::AtMostOnce => None,
                    };
                    Behaviour::Broker(Broker::new(subs.remove(&me).unwrap_or_default(), timeout))
                }
                NodeKind::Peer(p) => {
                    let peers = s
                        .nodes
                        .iter()
                        .filter(|m| {
                            m.id != n.id
                                && matches!(&m.kind, NodeKind::Peer(q) if q.table == p.table)
                        })
                        .filter(|m| {
                            s.links.iter().any(|l| {
                                (l.from == n.id && l.to == m.id) || (l.to == n.id && l.from == m.id)
                            })
                        })
                        .map(|m| find(&m.id))
                        .collect::<Result<Vec<_>, _>>()?;
                    let strategy = match p.strategy {
                        crate::scenario::Strategy::LastWriterWins => PeerStrategy::LastWriterWins,
                        crate::scenario::Strategy::VersionVectors => PeerStrategy::VersionVectors,
                        crate::scenario::Strategy::Counter => PeerStrategy::Counter,
                        crate::scenario::Strategy::Set => PeerStrategy::Set,
                    };
                    Behaviour::Peer(Peer::new(PeerWiring {
                        table: trace.names.intern(&p.table),
                        strategy,
                        peers,
                        skew: p.clock_skew.0,
                        resend: p.resend.0.max(1),
                    }))
                }
                NodeKind::Orchestrator(o) => {
                    let mut steps = Vec::with_capacity(o.steps.len());
                    for st in &o.steps {
                        steps.push(SagaStepRt {
                            service: find(&st.service)?,
                            name: trace.names.intern(&st.service),
                            action: Value::Text(trace.names.intern(&st.action)),
                            compensation: Value::Text(trace.names.intern(&st.compensation)),
                        });
                    }
                    Behaviour::Orchestrator(Orchestrator::new(OrchestratorWiring {
                        steps,
                        timeout: o.step_timeout.0.max(1),
                        table: trace.names.intern(&n.id),
                    }))
                }
                NodeKind::Composer(c) => {
                    let calls = c
                        .calls
                        .iter()
                        .map(|callee| Ok((find(callee)?, trace.names.intern(callee))))
                        .collect::<Result<Vec<_>, BuildError>>()?;
                    Behaviour::Composer(Composer::new(ComposerWiring {
                        calls,
                        call_timeout: c.call_timeout.0,
                        name: trace.names.intern(&n.id),
                    }))
                }
                NodeKind::Cdc(c) => {
                    let broker = find(&c.broker)?;
                    let publish_retry = match s.nodes.get(broker as usize).map(|b| &b.kind) {
                        Some(NodeKind::Broker(BrokerSpec {
                            delivery: Delivery::AtLeastOnce { ack_timeout },
                        })) => Some(ack_timeout.0.max(1)),
                        _ => None,
                    };
                    Behaviour::Cdc(Cdc::new(CdcWiring {
                        database: find(&c.database)?,
                        broker,
                        topic: c.topic.as_deref().map(|t| trace.names.intern(t)),
                        poll: c.poll.0.max(1),
                        publish_retry,
                    }))
                }
                NodeKind::Replica(r) => {
                    let broker = find(&r.broker)?;
                    let acks = s.nodes.get(broker as usize).is_some_and(|b| {
                        matches!(&b.kind, NodeKind::Broker(b) if matches!(b.delivery, Delivery::AtLeastOnce { .. }))
                    });
                    Behaviour::Replica(Replica::new(trace.names.intern(&r.table), broker, acks))
                }
            };
            nodes.push(NodeRt {
                beh,
                rng: ChaCha8Rng::seed_from_u64(node_seed(seed, &n.id)),
                up: true,
                epoch: 0,
            });
        }

        let mut links = Vec::with_capacity(s.links.len());
        let mut adj: Vec<Vec<(NodeIdx, u32)>> = vec![Vec::new(); s.nodes.len()];
        for (i, l) in s.links.iter().enumerate() {
            let (a, b) = (find(&l.from)?, find(&l.to)?);
            links.push(LinkRt {
                latency: l.latency,
                loss: l.loss.0,
                duplicate: l.duplicate.0,
            });
            adj[a as usize].push((b, i as u32));
            adj[b as usize].push((a, i as u32));
        }
        for list in &mut adj {
            list.sort_unstable();
        }

        let mut engine = Engine::assemble(trace, nodes, links, adj, s.until.0);
        engine.owns = (0..s.nodes.len())
            .map(|i| owners.values().any(|&o| o as usize == i))
            .collect();
        engine.owners = owners;
        engine.table_service = s
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.kind {
                NodeKind::Service(svc) => engine
                    .trace
                    .names
                    .find(&svc.table)
                    .map(|t| (t, i as NodeIdx)),
                _ => None,
            })
            .collect();

        for (item, w) in s.workload.iter().enumerate() {
            let (start, every, count, random_keys, op) = match w {
                Work::Request { at, op, .. } => (at.0, 1, 1, None, op),
                Work::Every {
                    start,
                    every,
                    count,
                    random_keys,
                    op,
                    ..
                } => (start.0, every.0.max(1), *count, *random_keys, op),
            };
            let (id, write, seq_value) = match op {
                Op::Read { id } => (id.clone(), None, false),
                Op::Write { id, value } => {
                    let (v, seq) = match value {
                        ValueSpec::Text(t) => (Value::Text(engine.trace.names.intern(t)), false),
                        ValueSpec::Int(i) => (Value::Int(*i), false),
                        ValueSpec::Seq => (Value::Int(0), true),
                    };
                    (id.clone(), Some(v), seq)
                }
            };
            let g = engine.gens.len() as u32;
            engine.gens.push(Gen {
                item: item as u32,
                from: find(w.from())?,
                to: find(w.to())?,
                every,
                count,
                fired: 0,
                write,
                seq_value,
                id,
                random_keys,
            });
            engine.schedule_gen(g, start);
        }

        for f in &s.faults {
            let pair = |a: &str, b: &str| Ok::<_, BuildError>((find(a)?, find(b)?));
            let events: Vec<FaultEvent> = match f {
                Fault::Partition { links, one_way, .. } => links
                    .iter()
                    .map(|(a, b)| {
                        pair(a, b).map(|(from, to)| FaultEvent::Cut {
                            from,
                            to,
                            one_way: *one_way,
                        })
                    })
                    .collect::<Result<_, _>>()?,
                Fault::Heal { links, .. } if links.is_empty() => vec![FaultEvent::HealAll],
                Fault::Heal { links, .. } => links
                    .iter()
                    .map(|(a, b)| pair(a, b).map(|(from, to)| FaultEvent::Heal { from, to }))
                    .collect::<Result<_, _>>()?,
                Fault::Crash { node, .. } => vec![FaultEvent::Crash(find(node)?)],
                Fault::Restart { node, .. } => vec![FaultEvent::Restart(find(node)?)],
                Fault::ClockSkew { node, ahead, .. } => {
                    vec![FaultEvent::Skew(find(node)?, ahead.0)]
                }
            };
            for fault in events {
                engine.fault_plan.push(FaultRec {
                    at: f.at().0,
                    fault,
                });
            }
        }

        let mut marks = Vec::new();
        for (i, n) in s.narration.iter().enumerate() {
            let i = i as u32;
            if let Some(at) = n.at {
                marks.push((i, at.0));
            }
            let watch = match &n.when {
                None => continue,
                Some(Trigger::Crash(id)) => Watch::Crash(find(id)?),
                Some(Trigger::Restart(id)) => Watch::Restart(find(id)?),
                Some(Trigger::FirstAnswer(id)) => Watch::FirstAnswer(find(id)?),
                Some(Trigger::Partition) => Watch::Partition,
                Some(Trigger::Heal) => Watch::Heal,
                Some(Trigger::FirstDrop) => Watch::FirstDrop,
                Some(Trigger::FirstDuplicateIgnored) => Watch::FirstDuplicateIgnored,
                Some(Trigger::FirstStaleRead) => Watch::FirstStaleRead,
            };
            engine.watches.push((i, watch));
        }
        engine.prime(&marks);
        Ok(engine)
    }
}
