//! What a partitioned log's settings mean, defined once for the engine,
//! the checks, the validation and the views: who consumes it, its consumer
//! groups (the listed ones, then one per consumer listed in none), which
//! member reads which partition, the partition a key goes to, and the
//! names of the tables that show its ends, offsets and lag.

use super::{CommitPolicy, Dur, NodeKind, Scenario};

/// A consumer group as the log serves it.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: String,
    /// Node ids, in the order partitions are dealt to them.
    pub members: Vec<String>,
    pub commit: CommitPolicy,
    /// The most events one fetch brings (at least 1).
    pub max_poll: u32,
    pub pace: Dur,
}

/// The high half of the timer tag with which a log's member handles a
/// fetched event (the low half is the event's body): how the engine, the
/// checks and the views tell which event each handling step handled.
pub const HANDLE_TAG: u32 = 0x4c4f_0001;

/// The most events a fetch may ask for, whatever a file says.
pub const MAX_POLL: u32 = 500;

/// The nodes that read from log `log`, in scenario order, with the
/// topics each reads.
pub fn log_consumers(s: &Scenario, log: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for n in &s.nodes {
        let topics: Vec<String> = match &n.kind {
            NodeKind::Replica(r) if r.broker == log => vec![r.topic.clone()],
            NodeKind::Projection(p) if p.broker == log => {
                p.sources.iter().map(|x| x.topic.clone()).collect()
            }
            NodeKind::Service(svc) => svc
                .on
                .iter()
                .filter(|r| r.broker == log)
                .map(|r| r.topic.clone())
                .collect(),
            NodeKind::Replica(_)
            | NodeKind::Projection(_)
            | NodeKind::Client(_)
            | NodeKind::Database(_)
            | NodeKind::Broker(_)
            | NodeKind::Cdc(_)
            | NodeKind::Composer(_)
            | NodeKind::Orchestrator(_)
            | NodeKind::Peer(_)
            | NodeKind::Log(_)
            | NodeKind::Coordinator(_)
            | NodeKind::EventStore(_) => Vec::new(),
        };
        if !topics.is_empty() {
            out.push((n.id.clone(), topics));
        }
    }
    out
}

/// The consumer groups of log `log`: those its settings list, then one
/// group for each consumer listed in none, named after that consumer.
pub fn log_groups(s: &Scenario, log: &str) -> Vec<Group> {
    let Some(NodeKind::Log(spec)) = s.nodes.iter().find(|n| n.id == log).map(|n| &n.kind) else {
        return Vec::new();
    };
    let mut groups: Vec<Group> = spec
        .groups
        .iter()
        .map(|g| Group {
            name: g.name.clone(),
            members: g.members.clone(),
            commit: g.commit,
            max_poll: g.max_poll.clamp(1, MAX_POLL),
            pace: g.pace,
        })
        .collect();
    for (id, _) in log_consumers(s, log) {
        if !spec.groups.iter().any(|g| g.members.contains(&id)) {
            groups.push(Group {
                name: id.clone(),
                members: vec![id],
                commit: CommitPolicy::default(),
                max_poll: super::specs::default_max_poll(),
                pace: Dur(0),
            });
        }
    }
    groups
}

/// Which member of `group` reads partition `p` of `topic` when every
/// member is alive: the members that read the topic take the partitions
/// in turn. `None` when no member reads it.
pub fn reader_of<'g>(
    consumers: &[(String, Vec<String>)],
    group: &'g Group,
    topic: &str,
    p: u32,
) -> Option<&'g str> {
    let readers: Vec<usize> = (0..group.members.len())
        .filter(|&i| {
            consumers
                .iter()
                .any(|(id, topics)| *id == group.members[i] && topics.iter().any(|t| t == topic))
        })
        .collect();
    deal(&readers, p).and_then(|i| group.members.get(i).map(String::as_str))
}

/// Partition `p` goes to the `p`-th of `readers` (the members that read
/// its topic and are alive), round the list: the one rule the log and
/// its members share for dealing partitions.
pub fn deal<T: Copy>(readers: &[T], p: u32) -> Option<T> {
    if readers.is_empty() {
        return None;
    }
    readers.get(p as usize % readers.len()).copied()
}

/// The partition an event's key goes to: a stable hash (FNV-1a) of the
/// key's text, so the same key always lands in the same partition.
pub fn partition_of(key: &str, partitions: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h % partitions.max(1)
}

/// A partition's name in tables: `p1` in a log of one topic, `orders p1`
/// in a log of several.
pub fn partition_name(topic: &str, p: u32, one_topic: bool) -> String {
    if one_topic {
        format!("p{p}")
    } else {
        format!("{topic} p{p}")
    }
}

/// The table of a log's partition ends (events appended per partition).
pub fn log_end_table(log: &str) -> String {
    format!("{log} partitions")
}

/// The table of a log's committed offsets, one row per group and partition.
pub fn log_offsets_table(log: &str) -> String {
    format!("{log} offsets")
}

/// The row of a group's committed offset in one partition.
pub fn offset_row(group: &str, topic: &str, p: u32, one_topic: bool) -> String {
    format!("{group} {}", partition_name(topic, p, one_topic))
}

/// The table of each group's state on a log: stable or rebalancing, and
/// what the last rewind did.
pub fn log_groups_table(log: &str) -> String {
    format!("{log} groups")
}

/// The table of each consumer's lag on a log: events appended to its
/// partitions that its group has not committed.
pub fn log_lag_table(log: &str) -> String {
    format!("{log} lag")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_always_goes_to_the_same_partition_and_keys_spread() {
        assert_eq!(partition_of("acct-1", 4), partition_of("acct-1", 4));
        let used: std::collections::BTreeSet<u32> =
            (0..40).map(|i| partition_of(&format!("k{i}"), 4)).collect();
        assert_eq!(used.len(), 4);
        assert_eq!(partition_of("x", 1), 0);
    }
}
