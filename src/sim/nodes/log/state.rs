//! What a partitioned log keeps: topics and their partitions, each
//! group's cursor per partition, and each group's members as the
//! coordinator sees them.

use std::collections::VecDeque;

use crate::model::{Micros, NodeIdx, Sym};

/// One appended event: its body and when it was appended (for retention).
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub body: u32,
    pub at: Micros,
}

/// One partition: the events retention still keeps (durable).
#[derive(Clone, Debug)]
pub(super) struct Part {
    pub entries: VecDeque<Entry>,
    /// The offset of the earliest kept event.
    pub start: u32,
    /// Its rows in the end table: its end, and its earliest kept offset.
    pub end_row: Sym,
    pub start_row: Sym,
}

impl Part {
    /// The offset the next event will get.
    pub fn end(&self) -> u32 {
        self.start + self.entries.len() as u32
    }
}

/// A topic: its name and partitions.
#[derive(Clone, Debug)]
pub(super) struct Topic {
    pub name: Sym,
    pub parts: Vec<Part>,
}

/// A fetch held until the partition has something from where it asks.
#[derive(Clone, Copy, Debug)]
pub(super) struct Parked {
    pub member: NodeIdx,
    pub asked: u32,
    pub max: u32,
    pub since: Micros,
}

/// Where one group stands in one partition.
#[derive(Clone, Debug)]
pub(super) struct Cursor {
    pub group: usize,
    pub topic: usize,
    pub part: u32,
    /// The member that reads it in the current assignment.
    pub owner: Option<NodeIdx>,
    pub row: Sym,
    /// The committed offset: events before it are done (durable).
    pub committed: u32,
    /// A long poll waiting for events (memory).
    pub parked: Option<Parked>,
    /// The furthest offset ever handed over: a batch below it is marked a
    /// redelivery (durable).
    pub high: u32,
}

/// A member as the group's coordinator sees it.
#[derive(Clone, Debug)]
pub(super) struct MemberRt {
    pub node: NodeIdx,
    /// The topics it reads (indices into the log's topics).
    pub topics: Vec<usize>,
    /// Not taken for dead.
    pub alive: bool,
    /// It has fetched under the current assignment.
    pub synced: bool,
    /// When the log last heard from it.
    pub last_seen: Micros,
    pub lag_row: Sym,
}

#[derive(Clone, Debug)]
pub(super) struct GroupRt {
    pub name: Sym,
    /// Its rows in the groups table: its state, and its last rewind.
    pub row: Sym,
    pub rewind_row: Sym,
    pub members: Vec<MemberRt>,
    /// The assignment's number, raised by each rebalance (durable).
    pub generation: u32,
    pub rebalancing: bool,
    /// Whether its state has been recorded yet.
    pub shown: bool,
}
