//! A new service's table is named after the service (`service-1-data`).
//! Renaming the service renames that table too, while it still has the
//! name it was given, so a drawing reads "orders-data" under "Orders"
//! rather than a number nobody chose. A table the user named is left as
//! it is; whatever names the table (replicas, reads, expectations) and
//! its default topic (`service-1-data-changed`) follows it. (Expectations
//! are written in files, not drawn, so they are not rewritten.)

use crate::scenario::{NodeKind, Scenario};

/// The longest node label a table name is made from, so a table name stays
/// within the file bounds.
const MAX_STEM: usize = 48;

/// The table a new service labelled `label` gets: its label in lower case,
/// words joined by `-`, then `-data`.
pub fn table_for(label: &str) -> String {
    let mut stem = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.chars().count() >= MAX_STEM {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    format!("{stem}-data")
}

/// The topic a service's changes go to when it is linked to a broker.
pub fn topic_for(table: &str) -> String {
    format!("{table}-changed")
}

/// After node `id` was relabelled from `before` to `after`: a service whose
/// table still has the name made from `before` gets the one made from
/// `after`, unless that name is taken or the label has no letters.
pub fn default_table(s: &mut Scenario, id: &str, before: &str, after: &str) {
    let (old, new) = (table_for(before), table_for(after));
    let Some(NodeKind::Service(svc)) = s.nodes.iter().find(|n| n.id == id).map(|n| &n.kind) else {
        return;
    };
    let taken = s
        .nodes
        .iter()
        .flat_map(|n| n.kind.tables(&n.id))
        .any(|k| k.name == new);
    if svc.table != old || old == new || new == "-data" || taken {
        return;
    }
    let (old_topic, new_topic) = (topic_for(&old), topic_for(&new));
    let topic = |t: &mut String| {
        if *t == old_topic {
            *t = new_topic.clone();
        }
    };
    let table = |t: &mut String| {
        if *t == old {
            *t = new.clone();
        }
    };
    for n in &mut s.nodes {
        match &mut n.kind {
            NodeKind::Service(svc) => {
                if n.id == id {
                    table(&mut svc.table);
                    if let Some(p) = &mut svc.publish {
                        topic(&mut p.topic);
                    }
                }
                svc.reads.iter_mut().for_each(table);
                svc.on.iter_mut().for_each(|r| topic(&mut r.topic));
            }
            NodeKind::Replica(r) => {
                table(&mut r.table);
                topic(&mut r.topic);
            }
            NodeKind::Projection(p) => p.sources.iter_mut().for_each(|x| topic(&mut x.topic)),
            NodeKind::Cdc(c) => {
                if let Some(t) = &mut c.topic {
                    topic(t);
                }
            }
            NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Peer(_)
            | NodeKind::Log(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_) => {}
        }
    }
}
