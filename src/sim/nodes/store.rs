//! A keyed, versioned record store: what a database holds and what a
//! replica keeps as its copy.
//!
//! Records are found by dense indices rather than an ordered map: names
//! are interned as small consecutive symbols, so each table keeps a vector
//! from a record id's symbol to the record's slot. A lookup is two array
//! reads; key order is still what `iter` gives (tables by symbol, then
//! ids by symbol), exactly as an ordered map would.

use crate::model::{Key, Record, Sym, Value, Version};

/// No record at this id.
const NONE: u32 = u32::MAX;

/// Records by key, each with its version. Durable: survives a crash.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Per table, sorted by table symbol: the slot of each record id
    /// (indexed by the id's symbol), or `NONE`.
    tables: Vec<(Sym, Vec<u32>)>,
    /// The records, in the order they were first written.
    records: Vec<(Key, (Value, Version))>,
}

impl PartialEq for Store {
    /// Same records, whatever order they were first written in.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Store {}

impl Store {
    #[inline]
    fn slot(&self, key: Key) -> Option<usize> {
        let (_, ids) = self.tables.iter().find(|t| t.0 == key.table)?;
        match ids.get(key.id as usize) {
            Some(&s) if s != NONE => Some(s as usize),
            _ => None,
        }
    }

    /// Stores a record not held yet.
    fn insert_new(&mut self, key: Key, rec: (Value, Version)) {
        let slot = u32::try_from(self.records.len()).unwrap_or(NONE);
        self.records.push((key, rec));
        let t = match self.tables.iter().position(|t| t.0 == key.table) {
            Some(t) => t,
            None => {
                let at = self.tables.partition_point(|t| t.0 < key.table);
                self.tables.insert(at, (key.table, Vec::new()));
                at
            }
        };
        let ids = &mut self.tables[t].1;
        let i = key.id as usize;
        if ids.len() <= i {
            ids.resize(i + 1, NONE);
        }
        ids[i] = slot;
    }

    /// Sets the record at `key`, adding it if new.
    fn put(&mut self, key: Key, rec: (Value, Version)) {
        match self.slot(key) {
            Some(s) => self.records[s].1 = rec,
            None => self.insert_new(key, rec),
        }
    }

    pub fn get(&self, key: Key) -> Option<(Value, Version)> {
        self.slot(key).map(|s| self.records[s].1)
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
        self.put(key, (value, version));
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
        self.put(r.key, (Value::Int(value), version));
        Record {
            key: r.key,
            value: Value::Int(value),
            version,
        }
    }

    /// Applies a record from elsewhere if it is newer than ours
    /// (last-writer-wins by version). Returns whether it was applied.
    pub fn apply_if_newer(&mut self, r: &Record) -> bool {
        match self.slot(r.key) {
            Some(s) => {
                let cur = &mut self.records[s].1;
                if cur.1 >= r.version {
                    return false;
                }
                *cur = (r.value, r.version);
                true
            }
            None => {
                self.insert_new(r.key, (r.value, r.version));
                true
            }
        }
    }

    /// Records in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &(Value, Version))> {
        self.tables.iter().flat_map(move |(_, ids)| {
            ids.iter()
                .filter(|&&s| s != NONE)
                .filter_map(move |&s| self.records.get(s as usize))
                .map(|(k, r)| (k, r))
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(table: Sym, id: Sym) -> Key {
        Key { table, id }
    }

    #[test]
    fn iterates_in_key_order_and_compares_by_content() {
        let mut a = Store::default();
        let mut b = Store::default();
        let keys = [key(7, 3), key(2, 9), key(7, 1), key(2, 4)];
        for (n, &k) in keys.iter().enumerate() {
            a.commit(k, Value::Int(n as i64), 10, 1);
        }
        for (n, &k) in keys.iter().enumerate().rev() {
            b.commit(k, Value::Int(n as i64), 10, 1);
        }
        let order: Vec<Key> = a.iter().map(|(k, _)| *k).collect();
        assert_eq!(order, [key(2, 4), key(2, 9), key(7, 1), key(7, 3)]);
        assert_eq!(a, b);
        assert_eq!(a.get(key(7, 1)).map(|r| r.0), Some(Value::Int(2)));
        assert_eq!(a.get(key(7, 2)), None);
        assert_eq!(a.get(key(3, 1)), None);
        let older = Record {
            key: key(7, 1),
            value: Value::Int(99),
            version: Version::NONE,
        };
        assert!(!a.apply_if_newer(&older));
        assert_ne!(a, Store::default());
    }
}
