//! A keyed, versioned record store: what a database holds and what a
//! replica keeps as its copy.

use std::collections::BTreeMap;

use crate::model::{Key, Record, Value, Version};

/// Records by key, each with its version. Durable: survives a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    records: BTreeMap<Key, (Value, Version)>,
}

impl Store {
    pub fn get(&self, key: Key) -> Option<(Value, Version)> {
        self.records.get(&key).copied()
    }

    /// The record for `key`, or an absent one at version zero.
    pub fn read(&self, key: Key) -> Record {
        let (value, version) = self.get(key).unwrap_or((Value::Absent, Version::NONE));
        Record {
            key,
            value,
            version,
        }
    }

    /// Stores a new version written here, one above the current one.
    pub fn commit(&mut self, key: Key, value: Value, now: u64, me: u16) -> Record {
        let counter = self.get(key).map_or(0, |(_, v)| v.counter) + 1;
        let version = Version {
            time: now,
            counter,
            origin: me,
        };
        self.records.insert(key, (value, version));
        Record {
            key,
            value,
            version,
        }
    }

    /// Adds `amount` to the whole number stored (an absent or text value
    /// counts as zero) as a new version written here.
    pub fn commit_add(&mut self, key: Key, amount: i64, now: u64, me: u16) -> Record {
        let total = match self.get(key) {
            Some((Value::Int(n), _)) => n.saturating_add(amount),
            _ => amount,
        };
        self.commit(key, Value::Int(total), now, me)
    }

    /// Applies a change event from elsewhere: adds its amount, and keeps
    /// the newer of the two versions. Applying the same change twice
    /// counts it twice; only the consumer's processed-event table stops
    /// that.
    pub fn apply_delta(&mut self, r: &Record) -> Record {
        let amount = match r.value {
            Value::Int(n) => n,
            _ => 0,
        };
        let (value, version) = match self.get(r.key) {
            Some((Value::Int(n), v)) => (n.saturating_add(amount), v.max(r.version)),
            Some((_, v)) => (amount, v.max(r.version)),
            None => (amount, r.version),
        };
        self.records.insert(r.key, (Value::Int(value), version));
        Record {
            key: r.key,
            value: Value::Int(value),
            version,
        }
    }

    /// Applies a record from elsewhere if it is newer than ours
    /// (last-writer-wins by version). Returns whether it was applied.
    pub fn apply_if_newer(&mut self, r: &Record) -> bool {
        match self.records.get_mut(&r.key) {
            Some(cur) if cur.1 >= r.version => false,
            Some(cur) => {
                *cur = (r.value, r.version);
                true
            }
            None => {
                self.records.insert(r.key, (r.value, r.version));
                true
            }
        }
    }

    /// Records in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &(Value, Version))> {
        self.records.iter()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}
