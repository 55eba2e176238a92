//! A keyed, versioned record store: what a database holds and what a
//! replica keeps as its copy.
//!
//! Records are found by dense indices rather than an ordered map: names
//! are interned as small consecutive symbols, so each table keeps its
//! records in a vector indexed by the record id's symbol, and a lookup is
//! one array read. Each slot is 16 bytes (see [`Packed`]): a replica's
//! copy is read at a random key on every delivery, so the smaller the
//! slots, the more copies stay in the processor's cache. A record whose
//! parts do not fit a slot, or whose id is far beyond its table's vector
//! (a name interned late in a run with many names), goes to a small
//! ordered map instead, so a table never holds a mostly empty vector and
//! no value is ever cut short.

use std::collections::BTreeMap;

use crate::model::{Key, NodeIdx, Record, Sym, Value, Version};

/// A record's value and version.
type Slot = (Value, Version);

/// Ids below this always get a slot in the vector.
const DENSE: usize = 4096;

/// A record in two words, or an empty slot (both zero, so a vector grows
/// by zeroed memory).
///
/// The value word keeps its kind in the low two bits: 1 a whole number of
/// at most 62 bits, 2 a text symbol, 3 absent (0 is an empty slot). The
/// version word is `time << 26 | counter << 10 | origin`, which orders
/// exactly as [`Version`] does while time stays below 2^38 µs (76 hours),
/// the counter below 2^16 and the node below 2^10; a version beyond that
/// goes to the ordered map with its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Packed {
    value: u64,
    version: u64,
}

const TIME_BITS: u32 = 38;
const COUNTER_BITS: u32 = 16;
const ORIGIN_BITS: u32 = 10;

impl Packed {
    const EMPTY: Packed = Packed {
        value: 0,
        version: 0,
    };

    #[inline]
    fn is_empty(self) -> bool {
        self.value == 0
    }

    #[inline]
    fn pack_version(v: Version) -> Option<u64> {
        let fits = v.time >> TIME_BITS == 0
            && v.counter >> COUNTER_BITS == 0
            && u32::from(v.origin) >> ORIGIN_BITS == 0;
        fits.then(|| {
            (v.time << (COUNTER_BITS + ORIGIN_BITS))
                | (u64::from(v.counter) << ORIGIN_BITS)
                | u64::from(v.origin)
        })
    }

    #[inline]
    fn version(self) -> Version {
        let low = |bits: u32, w: u64| w & ((1 << bits) - 1);
        Version {
            time: self.version >> (COUNTER_BITS + ORIGIN_BITS),
            counter: low(COUNTER_BITS, self.version >> ORIGIN_BITS) as u32,
            origin: low(ORIGIN_BITS, self.version) as NodeIdx,
        }
    }

    #[inline]
    fn pack_value(v: Value) -> Option<u64> {
        match v {
            Value::Int(n) => {
                let w = ((n as u64) << 2) | 1;
                ((w as i64) >> 2 == n).then_some(w)
            }
            Value::Text(s) => Some((u64::from(s) << 2) | 2),
            Value::Absent => Some(3),
        }
    }

    #[inline]
    fn value(self) -> Value {
        match self.value & 3 {
            1 => Value::Int((self.value as i64) >> 2),
            2 => Value::Text((self.value >> 2) as Sym),
            _ => Value::Absent,
        }
    }

    #[inline]
    fn pack((value, version): Slot) -> Option<Packed> {
        Some(Packed {
            value: Self::pack_value(value)?,
            version: Self::pack_version(version)?,
        })
    }

    #[inline]
    fn unpack(self) -> Option<Slot> {
        (!self.is_empty()).then(|| (self.value(), self.version()))
    }
}

/// Records by key, each with its version. Durable: survives a crash.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Per table, sorted by table symbol: the records by id symbol.
    tables: Vec<(Sym, Vec<Packed>)>,
    /// Records that do not fit a slot, or whose id is too far beyond its
    /// table's vector. A key is never in both places.
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
    /// The key's slot in its table's vector, if the vector reaches it.
    #[inline]
    fn near_mut(&mut self, key: Key) -> Option<&mut Packed> {
        self.tables
            .iter_mut()
            .find(|t| t.0 == key.table)
            .and_then(|t| t.1.get_mut(key.id as usize))
    }

    #[inline]
    pub fn get(&self, key: Key) -> Option<(Value, Version)> {
        let near = self
            .tables
            .iter()
            .find(|t| t.0 == key.table)
            .and_then(|t| t.1.get(key.id as usize))
            .and_then(|p| p.unpack());
        match near {
            Some(slot) => Some(slot),
            None if self.far.is_empty() => None,
            None => self.far.get(&key).copied(),
        }
    }

    /// The key's slot, growing its table's vector to reach it when the id
    /// is near enough; `None` when the record belongs in `far`.
    fn reach(&mut self, key: Key) -> Option<&mut Packed> {
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
        let (_, ids) = self.tables.get_mut(t)?;
        if i >= ids.len() {
            if i >= dense {
                return None;
            }
            ids.resize(i + 1, Packed::EMPTY);
        }
        ids.get_mut(i)
    }

    /// Sets the record at `key`, adding it if new.
    #[inline]
    fn put(&mut self, key: Key, slot: Slot) {
        if let Some(p) = Packed::pack(slot)
            && let Some(near) = self.near_mut(key)
            && !near.is_empty()
        {
            *near = p;
            return;
        }
        self.put_slow(key, slot);
    }

    /// `put` for a new record, or one moving between the vector and `far`.
    #[cold]
    fn put_slow(&mut self, key: Key, slot: Slot) {
        let was_near = self.near_mut(key).is_some_and(|near| {
            let held = !near.is_empty();
            *near = Packed::EMPTY;
            held
        });
        let was_far = self.far.remove(&key).is_some();
        if !was_near && !was_far {
            self.len += 1;
        }
        match Packed::pack(slot) {
            Some(p) => match self.reach(key) {
                Some(near) => *near = p,
                None => {
                    self.far.insert(key, slot);
                }
            },
            None => {
                self.far.insert(key, slot);
            }
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
        if let Some(near) = self.near_mut(r.key)
            && !near.is_empty()
        {
            if near.version() >= r.version {
                return false;
            }
            if let Some(p) = Packed::pack((r.value, r.version)) {
                *near = p;
                return true;
            }
        }
        if self.get(r.key).is_some_and(|(_, v)| v >= r.version) {
            return false;
        }
        self.put_slow(r.key, (r.value, r.version));
        true
    }

    /// Records in key order.
    pub fn iter(&self) -> impl Iterator<Item = (Key, (Value, Version))> + '_ {
        let mut all: Vec<(Key, Slot)> = self
            .tables
            .iter()
            .flat_map(|(table, ids)| {
                ids.iter().enumerate().filter_map(move |(id, p)| {
                    p.unpack().map(|s| {
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

    /// The store against a plain ordered map, through every kind of
    /// write, with values and versions on both sides of what a slot holds.
    #[test]
    fn behaves_as_an_ordered_map_whatever_fits_a_slot() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let value = prop_oneof![
            Just(Value::Absent),
            any::<i64>().prop_map(Value::Int),
            (-4i64..4).prop_map(|n| Value::Int(n << 61)),
            any::<u32>().prop_map(Value::Text),
        ];
        let version = (0u64..3, 0u32..3, 0u16..3, any::<bool>()).prop_map(|(t, c, o, big)| {
            let (t, c, o) = if big {
                (t << 40, c << 17, o << 11)
            } else {
                (t, c, o)
            };
            Version {
                time: t,
                counter: c,
                origin: o,
            }
        });
        let id = prop_oneof![0u32..6, Just(5000), Just(1 << 30)];
        let op = (0u8..4, 0u32..2, id, value, version);
        let mut runner = TestRunner::new(Config::with_cases(256));
        runner
            .run(&proptest::collection::vec(op, 1..60), |ops| {
                let mut store = Store::default();
                let mut model: BTreeMap<Key, Slot> = BTreeMap::new();
                for (what, table, id, value, version) in ops {
                    let k = key(table, id);
                    let r = Record {
                        key: k,
                        value,
                        version,
                    };
                    match what {
                        0 => {
                            let got = store.apply_if_newer(&r);
                            let newer = model.get(&k).is_none_or(|cur| cur.1 < version);
                            if newer {
                                model.insert(k, (value, version));
                            }
                            prop_assert_eq!(got, newer);
                        }
                        1 => {
                            store.put(k, (value, version));
                            model.insert(k, (value, version));
                        }
                        2 => {
                            let got = store.commit(k, value, version.time, version.origin);
                            let counter = model.get(&k).map_or(0, |s| s.1.counter) + 1;
                            let want = Version {
                                time: version.time,
                                counter,
                                origin: version.origin,
                            };
                            model.insert(k, (value, want));
                            prop_assert_eq!(got.version, want);
                        }
                        _ => {
                            let got = store.apply_delta(&r);
                            let amount = match value {
                                Value::Int(n) => n,
                                _ => 0,
                            };
                            let want = match model.get(&k) {
                                Some((Value::Int(n), v)) => {
                                    (Value::Int(n.saturating_add(amount)), (*v).max(version))
                                }
                                Some((_, v)) => (Value::Int(amount), (*v).max(version)),
                                None => (Value::Int(amount), version),
                            };
                            prop_assert_eq!((got.value, got.version), want);
                            model.insert(k, want);
                        }
                    }
                    prop_assert_eq!(store.get(k), model.get(&k).copied());
                }
                prop_assert_eq!(store.len(), model.len());
                let all: Vec<(Key, Slot)> = store.iter().collect();
                let want: Vec<(Key, Slot)> = model.into_iter().collect();
                prop_assert_eq!(all, want);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn a_slot_keeps_exactly_what_fits_and_orders_as_versions_do() {
        for n in [0, 1, -1, (1 << 61) - 1, -(1 << 61)] {
            let p = Packed::pack_value(Value::Int(n)).expect("fits");
            assert_eq!(
                Packed {
                    value: p,
                    version: 0
                }
                .value(),
                Value::Int(n)
            );
        }
        for n in [1 << 61, -(1 << 61) - 1, i64::MAX, i64::MIN] {
            assert_eq!(Packed::pack_value(Value::Int(n)), None, "{n}");
        }
        let v = |time, counter, origin| Version {
            time,
            counter,
            origin,
        };
        let versions = [
            v(0, 0, 0),
            v(0, 0, 1),
            v(0, 1, 0),
            v(1, 0, 0),
            v(1, 65535, 1023),
            v((1 << 38) - 1, 2, 3),
        ];
        for a in versions {
            let pa = Packed::pack_version(a).expect("fits");
            assert_eq!(
                Packed {
                    value: 1,
                    version: pa
                }
                .version(),
                a
            );
            for b in versions {
                let pb = Packed::pack_version(b).expect("fits");
                assert_eq!(pa.cmp(&pb), a.cmp(&b), "{a:?} against {b:?}");
            }
        }
        for big in [v(1 << 38, 0, 0), v(0, 1 << 16, 0), v(0, 0, 1 << 10)] {
            assert_eq!(Packed::pack_version(big), None);
        }
    }
}
