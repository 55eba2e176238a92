//! What a table's strategy is, and the changes a writer can ask of a
//! record: which strategy takes which change, and how a register (a whole
//! value) applies one to what it holds.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// How concurrent writes to a multi-leader table are resolved. The file
/// names each CRDT for what it is; `Counter` and `Set`, the names older
/// files used for the grow-only ones, still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// The later timestamp wins; the other write is silently lost.
    LastWriterWins,
    /// Concurrent writes are kept side by side as siblings.
    VersionVectors,
    /// A G-counter (grow-only): each copy keeps the total it added, merges
    /// keep each copy's larger total. It cannot count down.
    #[serde(alias = "Counter")]
    GCounter,
    /// A PN-counter: a G-counter of increments and one of decrements; the
    /// value is their difference.
    PnCounter,
    /// A G-set (grow-only): merges take the union. It cannot remove.
    #[serde(alias = "Set")]
    GSet,
    /// An observed-remove set: adds and removes, and an add made
    /// concurrently with a remove of the same element wins.
    OrSet,
}

impl Strategy {
    /// Every strategy, in the order the inspector offers them.
    pub const ALL: [Strategy; 6] = [
        Strategy::LastWriterWins,
        Strategy::VersionVectors,
        Strategy::GCounter,
        Strategy::PnCounter,
        Strategy::GSet,
        Strategy::OrSet,
    ];

    /// Why a table resolved this way cannot take `change`, or `None` when
    /// it can. A register (last-writer-wins, version vectors) takes every
    /// change as a read-modify-write of its value.
    pub fn refuses<T>(self, change: &Change<T>) -> Option<&'static str> {
        let counts = matches!(change, Change::Increment(_) | Change::Decrement(_));
        match self {
            Strategy::LastWriterWins | Strategy::VersionVectors => None,
            Strategy::GCounter | Strategy::PnCounter if !counts => {
                Some("a counter is changed by Increment or Decrement, not Add or Remove")
            }
            Strategy::GCounter if matches!(change, Change::Decrement(_)) => {
                Some("a G-counter (grow-only) cannot count down: a PN-counter counts decrements")
            }
            Strategy::GSet | Strategy::OrSet if counts => {
                Some("a set is changed by Add or Remove, not Increment or Decrement")
            }
            Strategy::GSet if matches!(change, Change::Remove(_)) => {
                Some("a G-set (grow-only) cannot remove: an OR-set can")
            }
            _ => None,
        }
    }
}

/// A change a writer asks of a record ("add milk", "remove bread",
/// "increment by 1") rather than a whole new value. `T` is the element:
/// text in a file, an interned name in a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change<T> {
    Add(T),
    Remove(T),
    Increment(u32),
    Decrement(u32),
}

impl<T> Change<T> {
    /// The same change with its element turned into another form.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Change<U> {
        match self {
            Change::Add(t) => Change::Add(f(t)),
            Change::Remove(t) => Change::Remove(f(t)),
            Change::Increment(n) => Change::Increment(*n),
            Change::Decrement(n) => Change::Decrement(*n),
        }
    }

    /// The amount a counter moves by (0 for a set's change).
    pub fn amount(&self) -> i64 {
        match self {
            Change::Increment(n) => i64::from(*n),
            Change::Decrement(n) => -i64::from(*n),
            Change::Add(_) | Change::Remove(_) => 0,
        }
    }
}

impl Change<String> {
    /// The same change, its element borrowed.
    pub fn as_str(&self) -> Change<&str> {
        match self {
            Change::Add(t) => Change::Add(t),
            Change::Remove(t) => Change::Remove(t),
            Change::Increment(n) => Change::Increment(*n),
            Change::Decrement(n) => Change::Decrement(*n),
        }
    }
}

impl<T: std::fmt::Display> Change<T> {
    /// As a person says it: "add milk", "decrement by 1".
    pub fn said(&self) -> String {
        match self {
            Change::Add(t) => format!("add {t}"),
            Change::Remove(t) => format!("remove {t}"),
            Change::Increment(n) => format!("increment by {n}"),
            Change::Decrement(n) => format!("decrement by {n}"),
        }
    }
}

/// A register's value after `change`: items of a list ("bread, milk",
/// kept in order and without repeats) for adds and removes, a number for
/// counts. `held` is what the copy holds: one value, or its siblings.
pub(super) fn changed_register(
    held: &[&str],
    change: Change<&str>,
) -> Result<String, &'static str> {
    match change {
        Change::Add(item) | Change::Remove(item) => {
            let mut items: BTreeSet<&str> = held
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            if matches!(change, Change::Add(_)) {
                items.insert(item.trim());
            } else {
                items.remove(item.trim());
            }
            Ok(items.into_iter().collect::<Vec<_>>().join(", "))
        }
        Change::Increment(_) | Change::Decrement(_) => {
            let [one] = held else {
                if held.is_empty() {
                    return Ok(change.amount().to_string());
                }
                return Err("the record has siblings: write one merged value before counting");
            };
            let now = if one.trim().is_empty() {
                0
            } else {
                one.trim()
                    .parse::<i64>()
                    .map_err(|_| "the record holds text, not a number to count")?
            };
            Ok(now.saturating_add(change.amount()).to_string())
        }
    }
}
