//! Records and their versions: what stores hold and messages carry.

use std::fmt;

use serde::Serialize;

use super::names::{Names, NodeIdx, Sym};
use super::time::{Micros, fmt_time};

/// A record's version. Ordered by commit time, then the writer's counter,
/// then the writer's node, so last-writer-wins has a total order and two
/// different writes never tie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Version {
    pub time: Micros,
    pub counter: u32,
    pub origin: NodeIdx,
}

impl Version {
    /// The version of a record that was never written.
    pub const NONE: Version = Version {
        time: 0,
        counter: 0,
        origin: 0,
    };

    pub fn is_none(&self) -> bool {
        *self == Version::NONE
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            f.write_str("v0")
        } else {
            write!(f, "v{}@{}", self.counter, fmt_time(self.time))
        }
    }
}

/// A record's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Absent,
    Int(i64),
    Text(Sym),
}

/// A record's address: which table, which id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub table: Sym,
    pub id: Sym,
}

/// One version of one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub key: Key,
    pub value: Value,
    pub version: Version,
}

/// Identifies an event across redeliveries: who published it and its
/// number in that publisher's sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    pub origin: NodeIdx,
    pub seq: u32,
}

/// Text for people: `paid`, `42`, `—`.
pub fn value_text(names: &Names, v: Value) -> String {
    match v {
        Value::Absent => "—".to_string(),
        Value::Int(i) => i.to_string(),
        Value::Text(s) => names.get(s).to_string(),
    }
}
