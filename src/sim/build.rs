//! Turns a checked scenario into a ready engine. Each node kind builds
//! itself from its settings (see [`super::nodes::build`]); this file only
//! wires: it lists the tables and who holds them, collects subscriptions,
//! seeds each node's random stream, resolves links, and queues the
//! workload, the faults and the narration's moments.
//!
//! Names are interned in a fixed order (tables, peers and sagas, topics,
//! then each node in scenario order), so a scenario always gives the same
//! symbols and the same trace.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

use super::engine::{Engine, Gen, GenOp, LinkRt, NodeRt, Routes, Watch};
use super::nodes;
use super::wiring::Wiring;
use crate::model::{Key, NodeIdx, Record, Sym, Value, Version};
use crate::scenario::{Fault, Keeping, NodeKind, Op, Scenario, Trigger, ValueSpec, Work};
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

/// Tables and the node holding each one's authoritative copy.
struct Tables {
    list: Vec<TableInfo>,
    owners: BTreeMap<Sym, NodeIdx>,
}

impl Tables {
    fn add(&mut self, name: Sym, owner: NodeIdx, authoritative: bool) {
        if authoritative {
            self.owners.insert(name, owner);
        }
        self.list.push(TableInfo {
            name,
            owner,
            replicas: Vec::new(),
        });
    }

    fn find(&mut self, name: Sym) -> Option<&mut TableInfo> {
        self.list.iter_mut().find(|t| t.name == name)
    }
}

/// Every node's tables as it keeps them ([`NodeKind::tables`]): first the
/// services' sources (with their ledgers), then what peers share and what
/// other nodes keep of their own work, each in scenario order; copies
/// follow their source in [`subscriptions`].
fn tables(s: &Scenario, w: &mut Wiring) -> Result<Tables, BuildError> {
    let mut t = Tables {
        list: Vec::new(),
        owners: BTreeMap::new(),
    };
    for (i, n) in s.nodes.iter().enumerate() {
        for kept in n.kind.tables(&n.id) {
            if matches!(kept.keeping, Keeping::Source | Keeping::Ledger) {
                let owner = match kept.in_database {
                    Some(db) => w.find(db)?,
                    None => i as NodeIdx,
                };
                let table = w.intern(&kept.name);
                t.add(table, owner, true);
            }
        }
    }
    for (i, n) in s.nodes.iter().enumerate() {
        for kept in n.kind.tables(&n.id) {
            let table = w.intern(&kept.name);
            match kept.keeping {
                // Peers of one table: the first is shown as its reference copy.
                Keeping::Shared => match t.find(table) {
                    Some(info) => info.replicas.push(i as NodeIdx),
                    None => t.add(table, i as NodeIdx, false),
                },
                Keeping::Own => t.add(table, i as NodeIdx, true),
                Keeping::Source | Keeping::Ledger | Keeping::Copy => {}
            }
        }
    }
    // A two-phase commit participant's locks, shown as a table it keeps:
    // the row of each record it holds for a prepared change. Only a
    // coordinator makes a service a participant, so these come last.
    for n in &s.nodes {
        for service in n.kind.participants() {
            let table = w.intern(&crate::scenario::lock_table(service));
            if t.find(table).is_none() {
                t.add(table, w.find(service)?, true);
            }
        }
    }
    Ok(t)
}

/// Every node subscribes to the topics it reads ([`NodeKind::reads`]),
/// kinds in the order [`Kind::subscriber_rank`] gives, each in scenario
/// order; copies also join their table's copies.
fn subscriptions(s: &Scenario, w: &mut Wiring, t: &mut Tables) -> Result<(), BuildError> {
    let mut order: Vec<usize> = (0..s.nodes.len()).collect();
    order.sort_by_key(|&i| s.nodes[i].kind.kind().subscriber_rank());
    for i in order {
        let n = &s.nodes[i];
        for r in n.kind.reads() {
            let broker = w.find(r.broker)?;
            let topic = w.intern(r.topic);
            w.subscribe(broker, topic, i as NodeIdx);
        }
        for kept in n.kind.tables(&n.id) {
            if kept.keeping != Keeping::Copy {
                continue;
            }
            // A member of a log's consumer group that shares the topic's
            // partitions with others holds only its partitions' records:
            // not a copy of the whole table.
            let shard = n.kind.reads().iter().any(|r| {
                crate::scenario::log_groups(s, r.broker)
                    .iter()
                    .any(|g| g.members.len() > 1 && g.members.contains(&n.id))
            });
            let table = w.intern(&kept.name);
            if !shard && let Some(info) = t.find(table) {
                info.replicas.push(i as NodeIdx);
            }
        }
    }
    Ok(())
}

/// Links as the engine uses them, and how each node finds its own.
fn links(s: &Scenario, w: &Wiring) -> Result<(Vec<LinkRt>, Routes), BuildError> {
    let mut links = Vec::with_capacity(s.links.len());
    let mut ends = Vec::with_capacity(s.links.len());
    for l in &s.links {
        ends.push((w.find(&l.from)?, w.find(&l.to)?));
        links.push(LinkRt {
            latency: l.latency,
            loss: l.loss.0,
            duplicate: l.duplicate.0,
        });
    }
    Ok((links, Routes::new(s.nodes.len(), &ends)))
}

impl Engine {
    /// Builds a run of `s` with the given seed.
    pub fn new(s: &Scenario, seed: u64) -> Result<Engine, BuildError> {
        Engine::build(s, seed, true)
    }

    /// Builds a run of `s` that is only to be judged (a search's), not
    /// watched: it records what every expectation and monitor reads, and
    /// not the narration, which only the views show (no narration steps,
    /// no waiting for a narration's trigger). Every other step, message
    /// and change is the one [`Engine::new`] records, in the same order,
    /// so every verdict is the same.
    pub fn judged(s: &Scenario, seed: u64) -> Result<Engine, BuildError> {
        Engine::build(s, seed, false)
    }

    fn build(s: &Scenario, seed: u64, narrate: bool) -> Result<Engine, BuildError> {
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
                kind: n.kind.kind(),
                pos: n.pos,
            })
            .collect();
        let mut names = std::mem::take(&mut trace.names);
        let mut w = Wiring::new(s, &mut names)?;
        let mut tables = tables(s, &mut w)?;
        subscriptions(s, &mut w, &mut tables)?;

        let mut nodes = Vec::with_capacity(s.nodes.len());
        for (i, n) in s.nodes.iter().enumerate() {
            w.me = i as NodeIdx;
            w.my_id = &n.id;
            nodes.push(NodeRt {
                beh: nodes::build(&n.kind, &mut w)?,
                rng: ChaCha8Rng::seed_from_u64(node_seed(seed, &n.id)),
                up: true,
                epoch: 0,
            });
        }
        let (links, routes) = links(s, &w)?;
        let table_service: BTreeMap<Sym, NodeIdx> = s
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, n)| {
                n.kind
                    .tables(&n.id)
                    .into_iter()
                    .filter(|k| k.keeping == Keeping::Source)
                    .map(move |k| (k.name, i as NodeIdx))
            })
            .filter_map(|(name, i)| w.names.find(&name).map(|t| (t, i)))
            .collect();
        let gens = generators(s, &mut w)?;
        let fault_plan = fault_plan(s, &w)?;
        let (marks, watches) = narration(s, &w)?;
        let starting = starting_rows(s, &mut w, &tables);

        trace.names = names;
        trace.tables = tables.list;
        let mut engine = Engine::assemble(trace, nodes, links, routes, s.until.0);
        engine.owns = (0..s.nodes.len())
            .map(|i| tables.owners.values().any(|&o| o as usize == i))
            .collect();
        engine.owners = tables.owners;
        engine.table_service = table_service;
        for (node, records) in &starting {
            engine.start_with(*node, records);
        }
        for (start, generator) in gens {
            let g = engine.gens.len() as u32;
            engine.gens.push(generator);
            engine.schedule_gen(g, start);
        }
        engine.fault_plan = fault_plan;
        engine.plan_choices(&s.faults);
        if narrate {
            engine.watches = watches;
            engine.prime(&marks);
        } else {
            engine.prime(&[]);
        }
        Ok(engine)
    }
}

/// Each service's starting rows as records, by the node whose store
/// holds them: the table's owner (its database, or the service), and
/// every copy that follows the whole table, at the same version, since
/// they were replicated before the run began. Row names are interned
/// after everything else, so a scenario without rows keeps its symbols.
fn starting_rows(s: &Scenario, w: &mut Wiring, t: &Tables) -> BTreeMap<NodeIdx, Vec<Record>> {
    let mut out: BTreeMap<NodeIdx, Vec<Record>> = BTreeMap::new();
    for n in &s.nodes {
        let NodeKind::Service(svc) = &n.kind else {
            continue;
        };
        if svc.rows.is_empty() {
            continue;
        }
        let table = w.intern(&svc.table);
        let Some(info) = t.list.iter().find(|i| i.name == table) else {
            continue;
        };
        let version = Version {
            time: 0,
            counter: 1,
            origin: info.owner,
        };
        let records: Vec<Record> = svc
            .rows
            .iter()
            .filter_map(|(id, value)| {
                let value = match value {
                    ValueSpec::Text(text) => Value::Text(w.intern(text)),
                    ValueSpec::Int(i) => Value::Int(*i),
                    // Refused by validation: no request has a number yet.
                    ValueSpec::Seq => return None,
                };
                let key = Key {
                    table,
                    id: w.intern(id),
                };
                Some(Record {
                    key,
                    value,
                    version,
                })
            })
            .collect();
        for holder in std::iter::once(info.owner).chain(info.replicas.iter().copied()) {
            out.entry(holder)
                .or_default()
                .extend(records.iter().copied());
        }
    }
    out
}

/// One generator per workload item, with when it starts.
fn generators(s: &Scenario, w: &mut Wiring) -> Result<Vec<(u64, Gen)>, BuildError> {
    let mut out = Vec::with_capacity(s.workload.len());
    for (item, work) in s.workload.iter().enumerate() {
        let (start, every, count, random_keys, op) = match work {
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
        let (id, op) = match op {
            Op::Read { id } => (id.clone(), GenOp::Read),
            Op::ReadAfterMyWrite { id } => (id.clone(), GenOp::ReadAfterMyWrite),
            Op::Change { id, change } => (id.clone(), GenOp::Change(change.map(|t| w.intern(t)))),
            Op::Write { id, value, poison } => {
                let op = match value {
                    ValueSpec::Text(t) => GenOp::Write(Value::Text(w.intern(t)), *poison),
                    ValueSpec::Int(i) => GenOp::Write(Value::Int(*i), *poison),
                    ValueSpec::Seq => GenOp::WriteSeq(*poison),
                };
                (id.clone(), op)
            }
            Op::Edit { id, set, versioned } => (
                id.clone(),
                GenOp::Edit {
                    fields: w.intern(set),
                    versioned: *versioned,
                },
            ),
        };
        out.push((
            start,
            Gen {
                item: item as u32,
                from: w.find(work.from())?,
                to: w.find(work.to())?,
                every,
                count,
                fired: 0,
                op,
                id,
                random_keys,
                syms: Vec::new(),
            },
        ));
    }
    Ok(out)
}

/// The faults as the engine applies them, one event per link named.
fn fault_plan(s: &Scenario, w: &Wiring) -> Result<Vec<FaultRec>, BuildError> {
    let mut plan = Vec::new();
    for f in &s.faults {
        let pair = |a: &str, b: &str| Ok::<_, BuildError>((w.find(a)?, w.find(b)?));
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
            Fault::Crash { node, .. } => vec![FaultEvent::Crash(w.find(node)?)],
            Fault::Restart { node, .. } => vec![FaultEvent::Restart(w.find(node)?)],
            Fault::ClockSkew { node, ahead, .. } => {
                vec![FaultEvent::Skew(w.find(node)?, ahead.0)]
            }
            Fault::Rebuild { node, .. } => vec![FaultEvent::Rebuild(w.find(node)?)],
            Fault::Redrive { node, .. } => vec![FaultEvent::Redrive(w.find(node)?)],
            Fault::Fix { node, .. } => vec![FaultEvent::Fix(w.find(node)?)],
            // The owner applies its rename itself, from its moment on (see
            // the service's schema module); the engine only records it.
            Fault::RenameColumn { node, from, to, .. } => {
                let sym = |name: &str| {
                    w.names.find(name).ok_or_else(|| {
                        BuildError(format!("\"{node}\" renames no column \"{name}\""))
                    })
                };
                vec![FaultEvent::Renamed {
                    node: w.find(node)?,
                    from: sym(from)?,
                    to: sym(to)?,
                }]
            }
            Fault::Rewind {
                node,
                group,
                offset,
                ..
            } => {
                let g = w
                    .names
                    .find(group)
                    .ok_or_else(|| BuildError(format!("\"{node}\" has no group \"{group}\"")))?;
                vec![FaultEvent::Rewind {
                    node: w.find(node)?,
                    group: g,
                    offset: *offset,
                }]
            }
            // Applied at the arrival they precede (see `engine::choice`).
            Fault::Deliver { .. } | Fault::Drop { .. } | Fault::Duplicate { .. } => Vec::new(),
        };
        for fault in events {
            plan.push(FaultRec {
                at: f.at().0,
                fault,
            });
        }
    }
    Ok(plan)
}

/// Narration steps at fixed moments, and those waiting for a happening.
type Marks = (Vec<(u32, u64)>, Vec<(u32, Watch)>);

fn narration(s: &Scenario, w: &Wiring) -> Result<Marks, BuildError> {
    let mut marks = Vec::new();
    let mut watches = Vec::new();
    for (i, n) in s.narration.iter().enumerate() {
        let i = i as u32;
        if let Some(at) = n.at {
            marks.push((i, at.0));
        }
        let watch = match &n.when {
            None => continue,
            Some(Trigger::Crash(id)) => Watch::Crash(w.find(id)?),
            Some(Trigger::Restart(id)) => Watch::Restart(w.find(id)?),
            Some(Trigger::FirstAnswer(id)) => Watch::FirstAnswer(w.find(id)?),
            Some(Trigger::Partition) => Watch::Partition,
            Some(Trigger::Heal) => Watch::Heal,
            Some(Trigger::FirstDrop) => Watch::FirstDrop,
            Some(Trigger::FirstDuplicateIgnored) => Watch::FirstDuplicateIgnored,
            Some(Trigger::FirstStaleRead) => Watch::FirstStaleRead,
        };
        watches.push((i, watch));
    }
    Ok((marks, watches))
}
