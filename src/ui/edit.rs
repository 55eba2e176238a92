//! Edits the canvas makes to a scenario: add, connect, delete, rename.
//! Plain functions on the document, so they are easy to test and undo.

use crate::scenario::{
    BrokerSpec, CdcSpec, ClientSpec, ComposerSpec, DatabaseSpec, Dur, Link, Node, NodeKind,
    OrchestratorSpec, PeerSpec, PublishTo, ReplicaSpec, SagaStep, Scenario, ServiceSpec, Strategy,
};

/// The node kinds the palette offers, with a line on each.
pub const PALETTE: &[(&str, &str)] = &[
    ("client", "A user or front end that sends requests"),
    (
        "service",
        "Owns one table; writes, reads, publishes, composes",
    ),
    ("database", "Versioned tables and an ordered change log"),
    ("broker", "Topics and subscriptions; delivers events"),
    ("replica", "Keeps its own copy of a table, fed by events"),
    (
        "cdc",
        "Tails a database's change log; publishes outbox rows",
    ),
    (
        "composer",
        "A gateway: asks several services at once, merges",
    ),
    (
        "orchestrator",
        "Runs a saga: steps across services, undone on failure",
    ),
    (
        "peer",
        "A copy that accepts writes; resolves conflicts its way",
    ),
];

/// An id not yet used in `s`, like `service-2`.
pub fn fresh_id(s: &Scenario, kind: &str) -> String {
    (1..)
        .map(|n| format!("{kind}-{n}"))
        .find(|id| s.nodes.iter().all(|n| &n.id != id))
        .unwrap_or_else(|| kind.to_string())
}

/// Adds a node of `kind` at `pos` with sensible settings; returns its id.
pub fn add_node(s: &mut Scenario, kind: &str, pos: (f32, f32)) -> String {
    let id = fresh_id(s, kind);
    let first =
        |want: fn(&NodeKind) -> bool| s.nodes.iter().find(|n| want(&n.kind)).map(|n| n.id.clone());
    let first_table = s.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::Service(svc) => Some((
            svc.table.clone(),
            svc.publish.as_ref().map(|p| p.topic.clone()),
        )),
        _ => None,
    });
    let kind = match kind {
        "client" => NodeKind::Client(ClientSpec {
            timeout: Dur::secs(2),
        }),
        "database" => NodeKind::Database(DatabaseSpec {}),
        "broker" => NodeKind::Broker(BrokerSpec::default()),
        "peer" => NodeKind::Peer(PeerSpec {
            table: "shared".into(),
            strategy: Strategy::LastWriterWins,
            clock_skew: Dur(0),
            resend: Dur::ms(200),
        }),
        "orchestrator" => NodeKind::Orchestrator(OrchestratorSpec {
            steps: Vec::new(),
            step_timeout: Dur::ms(300),
        }),
        "composer" => NodeKind::Composer(ComposerSpec {
            calls: Vec::new(),
            call_timeout: Dur::ms(200),
        }),
        "cdc" => NodeKind::Cdc(CdcSpec {
            database: first(|k| matches!(k, NodeKind::Database(_))).unwrap_or_default(),
            broker: first(|k| matches!(k, NodeKind::Broker(_))).unwrap_or_default(),
            topic: None,
            poll: Dur::ms(50),
        }),
        "replica" => {
            let (table, topic) = first_table.unwrap_or_default();
            NodeKind::Replica(ReplicaSpec {
                broker: first(|k| matches!(k, NodeKind::Broker(_))).unwrap_or_default(),
                topic: topic.unwrap_or_else(|| table.clone()),
                table,
            })
        }
        _ => NodeKind::Service(ServiceSpec::owning(format!("{id}-data"))),
    };
    s.nodes.push(Node {
        id: id.clone(),
        name: String::new(),
        pos,
        kind,
    });
    id
}

/// The first place on a grid, left to right and top to bottom, where a
/// node of `size` overlaps no other node: where a clicked palette entry
/// puts its node.
pub fn free_spot(s: &Scenario, size: (f32, f32)) -> (f32, f32) {
    let (w, h) = size;
    let overlaps = |x: f32, y: f32| {
        s.nodes.iter().any(|n| {
            x < n.pos.0 + w + 20.0
                && n.pos.0 < x + w + 20.0
                && y < n.pos.1 + h + 20.0
                && n.pos.1 < y + h + 20.0
        })
    };
    (0..400)
        .map(|i| (80.0 + 240.0 * (i % 5) as f32, 80.0 + 120.0 * (i / 5) as f32))
        .find(|&(x, y)| !overlaps(x, y))
        .unwrap_or((80.0, 80.0))
}

/// Whether `a` and `b` are linked.
pub fn linked(s: &Scenario, a: &str, b: &str) -> bool {
    s.links
        .iter()
        .any(|l| (l.from == a && l.to == b) || (l.from == b && l.to == a))
}

/// Links `a` to `b` and wires what the link means: a service gets its
/// database or broker, a replica its broker, a service calls another.
pub fn connect(s: &mut Scenario, a: &str, b: &str) -> bool {
    if a == b
        || linked(s, a, b)
        || !s.nodes.iter().any(|n| n.id == a)
        || !s.nodes.iter().any(|n| n.id == b)
    {
        return false;
    }
    s.links.push(Link {
        from: a.to_string(),
        to: b.to_string(),
        latency: Default::default(),
        loss: Default::default(),
        duplicate: Default::default(),
    });
    let kind_of = |id: &str| s.nodes.iter().find(|n| n.id == id).map(|n| n.kind.word());
    let (ka, kb) = (kind_of(a).unwrap_or(""), kind_of(b).unwrap_or(""));
    let topics: Vec<(String, String)> = s
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Service(svc) => svc
                .publish
                .as_ref()
                .map(|p| (p.broker.clone(), p.topic.clone())),
            _ => None,
        })
        .collect();
    let table_of_topic = |topic: &str| {
        s.nodes.iter().find_map(|n| match &n.kind {
            NodeKind::Service(svc) if svc.publish.as_ref().is_some_and(|p| p.topic == topic) => {
                Some(svc.table.clone())
            }
            _ => None,
        })
    };
    let mut wire: Vec<(String, NodeKind)> = Vec::new();
    for (x, y, ky) in [(a, b, kb), (b, a, ka)] {
        let Some(node) = s.nodes.iter().find(|n| n.id == x) else {
            continue;
        };
        let mut kind = node.kind.clone();
        match (&mut kind, ky) {
            (NodeKind::Service(svc), "database") if svc.database.is_none() => {
                svc.database = Some(y.to_string())
            }
            (NodeKind::Service(svc), "broker") if svc.publish.is_none() => {
                svc.publish = Some(PublishTo {
                    broker: y.to_string(),
                    topic: format!("{}-changed", svc.table),
                });
            }
            (NodeKind::Service(svc), "service") if x == a && !svc.calls.iter().any(|c| c == y) => {
                svc.calls.push(y.to_string())
            }
            (NodeKind::Orchestrator(o), "service") if x == a => o.steps.push(SagaStep {
                service: y.to_string(),
                action: "done".into(),
                compensation: "undone".into(),
            }),
            (NodeKind::Composer(c), "service") if !c.calls.iter().any(|k| k == y) => {
                c.calls.push(y.to_string())
            }
            (NodeKind::Cdc(c), "database") => c.database = y.to_string(),
            (NodeKind::Cdc(c), "broker") => c.broker = y.to_string(),
            (NodeKind::Replica(r), "broker") => {
                r.broker = y.to_string();
                if let Some((_, topic)) = topics.iter().find(|(br, _)| br == y) {
                    if r.topic.is_empty() || !topics.iter().any(|(_, t)| t == &r.topic) {
                        r.topic = topic.clone();
                    }
                    if let Some(table) = table_of_topic(&r.topic) {
                        r.table = table;
                    }
                }
            }
            _ => {}
        }
        wire.push((x.to_string(), kind));
    }
    for (id, kind) in wire {
        if let Some(n) = s.nodes.iter_mut().find(|n| n.id == id) {
            n.kind = kind;
        }
    }
    true
}

/// Removes nodes and everything that refers to them.
pub fn delete_nodes(s: &mut Scenario, ids: &[String]) {
    let gone = |id: &str| ids.iter().any(|g| g == id);
    s.nodes.retain(|n| !gone(&n.id));
    s.links.retain(|l| !gone(&l.from) && !gone(&l.to));
    s.workload.retain(|w| !gone(w.from()) && !gone(w.to()));
    s.faults.retain(|f| match f {
        crate::scenario::Fault::Crash { node, .. }
        | crate::scenario::Fault::Restart { node, .. }
        | crate::scenario::Fault::ClockSkew { node, .. } => !gone(node),
        crate::scenario::Fault::Partition { links, .. }
        | crate::scenario::Fault::Heal { links, .. } => {
            links.iter().all(|(a, b)| !gone(a) && !gone(b))
        }
    });
    for n in &mut s.narration {
        n.focus.retain(|f| !gone(f));
    }
    s.narration.retain(|n| match &n.when {
        Some(
            crate::scenario::Trigger::Crash(id)
            | crate::scenario::Trigger::Restart(id)
            | crate::scenario::Trigger::FirstAnswer(id),
        ) => !gone(id),
        _ => true,
    });
    for n in &mut s.nodes {
        if let NodeKind::Service(svc) = &mut n.kind {
            if svc.database.as_deref().is_some_and(gone) {
                svc.database = None;
            }
            if svc.publish.as_ref().is_some_and(|p| gone(&p.broker)) {
                svc.publish = None;
            }
            svc.calls.retain(|c| !gone(c));
        }
    }
    s.expect.retain(|e| match e {
        crate::scenario::Expectation::AllAnswered { client }
        | crate::scenario::Expectation::AnswerContains { client, .. } => !gone(client),
        _ => true,
    });
}

/// Removes one link and the faults that name it.
pub fn delete_link(s: &mut Scenario, index: usize) {
    if index >= s.links.len() {
        return;
    }
    let l = s.links.remove(index);
    let same =
        |(a, b): &(String, String)| (a == &l.from && b == &l.to) || (a == &l.to && b == &l.from);
    s.faults.retain(|f| match f {
        crate::scenario::Fault::Partition { links, .. }
        | crate::scenario::Fault::Heal { links, .. } => !links.iter().any(same),
        _ => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Scenario {
        crate::scenario::from_str(
            r#"(title: "t", nodes: [(id: "c", kind: Client())])"#,
            "t.ron",
        )
        .unwrap()
    }

    #[test]
    fn connecting_wires_what_the_link_means() {
        let mut s = empty();
        let svc = add_node(&mut s, "service", (0.0, 0.0));
        let db = add_node(&mut s, "database", (0.0, 0.0));
        let bus = add_node(&mut s, "broker", (0.0, 0.0));
        assert!(connect(&mut s, &svc, &db));
        assert!(connect(&mut s, &svc, &bus));
        let rep = add_node(&mut s, "replica", (0.0, 0.0));
        assert!(connect(&mut s, &bus, &rep));
        assert!(connect(&mut s, "c", &svc));
        assert!(!connect(&mut s, "c", &svc), "linked twice");
        assert_eq!(crate::scenario::problem(&s), None, "{s:#?}");
        delete_nodes(&mut s, &[db]);
        let NodeKind::Service(spec) = &s.nodes[1].kind else {
            panic!()
        };
        assert_eq!(spec.database, None);
        assert_eq!(s.links.len(), 3);
    }
}
