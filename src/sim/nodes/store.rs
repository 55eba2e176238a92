//! A keyed, versioned record store: what a database holds and what a
//! replica keeps as its copy.
//!
//! Records are found by dense indices rather than an ordered map: names
//! are interned as small consecutive symbols, so each table keeps its
//! records in a vector indexed by the record id's symbol, and a lookup is
//! one array read. An id far beyond the table's size (a name interned
//! late in a run with many names) goes to a small ordered map instead,
//! so a table never holds a mostly empty vector.

use std::collections::BTreeMap;

use crate::model::{Key, Record, Sym, Value, Version};

/// A record's value and version.
type Slot = (Value, Version);

/// Ids below this always get a slot in the vector.
const DENSE: usize = 4096;

/// Records by key, each with its version. Durable: survives a crash.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Per table, sorted by table symbol: the records by id symbol.
    tables: Vec<(Sym, Vec<Option<Slot>>)>,
    /// Records whose id is too far beyond its table's vector.
    far: BTreeMap<Key, Slot>,
    len: usize,
}

impl PartialEq for Store {
    /// Same records, however they are laid out.
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Store {}

impl Store {
    #[inline]
    fn slot_mut(&mut self, key: Key) -> Option<&mut Slot> {
        let near = self
            .tables
            .iter_mut()
            .find(|t| t.0 == key.table)
            .and_then(|t| t.1.get_mut(key.id as usize))
            .and_then(Option::as_mut);
        match near {
            Some(slot) => Some(slot),
            None if self.far.is_empty() => None,
            None => self.far.get_mut(&key),
        }
    }

    #[inline]
    pub fn get(&self, key: Key) -> Option<(Value, Version)> {
        let near = self
            .tables
            .iter()
            .find(|t| t.0 == key.table)
            .and_then(|t| t.1.get(key.id as usize))
            .copied()
            .flatten();
        match near {
            Some(slot) => Some(slot),
            None if self.far.is_empty() => None,
            None => self.far.get(&key).copied(),
        }
    }

    /// Stores a record not held yet.
    fn insert_new(&mut self, key: Key, slot: Slot) {
        self.len += 1;
        let t = match self.tables.iter().position(|t| t.0 == key.table) {
            Some(t) => t,
            None => {
                let at = self.tables.partition_point(|t| t.0 < key.table);
                self.tables.insert(at, (key.table, Vec::new()));
                at
            }
        };
        let dense = DENSE.max(8 * self.len);
        let i = key.id as usize;
        match self.tables.get_mut(t) {
            Some((_, ids)) if i < ids.len() || i < dense => {
                if ids.len() <= i {
                    ids.resize(i + 1, None);
                }
                if let Some(s) = ids.get_mut(i) {
                    *s = Some(slot);
                }
            }
            _ => {
                self.far.insert(key, slot);
            }
        }
    }

    /// Sets the record at `key`, adding it if new.
    fn put(&mut self, key: Key, slot: Slot) {
        match self.slot_mut(key) {
            Some(s) => *s = slot,
            None => self.insert_new(key, slot),
        }
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
        match self.slot_mut(r.key) {
            Some(cur) => {
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
    pub fn iter(&self) -> impl Iterator<Item = (Key, (Value, Version))> + '_ {
        let mut all: Vec<(Key, Slot)> = self
            .tables
            .iter()
            .flat_map(|(table, ids)| {
                ids.iter().enumerate().filter_map(move |(id, s)| {
                    s.map(|s| {
                        let key = Key {
                            table: *table,
                            id: id as Sym,
                        };
                        (key, s)
                    })
                })
            })
            .collect();
        if !self.far.is_empty() {
            all.extend(self.far.iter().map(|(k, s)| (*k, *s)));
            all.sort_by_key(|e| e.0);
        }
        all.into_iter()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
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
        let order: Vec<Key> = a.iter().map(|(k, _)| k).collect();
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
        // An id far beyond the table's vector is kept aside, in order.
        a.commit(key(2, 1 << 30), Value::Int(5), 11, 1);
        a.commit(key(2, 6), Value::Int(6), 11, 1);
        let order: Vec<Key> = a.iter().map(|(k, _)| k).collect();
        assert_eq!(
            order,
            [
                key(2, 4),
                key(2, 6),
                key(2, 9),
                key(2, 1 << 30),
                key(7, 1),
                key(7, 3)
            ]
        );
        assert_eq!(a.get(key(2, 1 << 30)).map(|r| r.0), Some(Value::Int(5)));
        assert_eq!(a.len(), 6);
    }
}
