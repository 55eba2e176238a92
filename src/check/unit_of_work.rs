//! Unit of work: a record and its ledger entry are both written or
//! neither is.

use std::collections::BTreeMap;

use super::{Outcome, verdict};
use crate::model::{Key, Value, value_text};
use crate::trace::Trace;

/// Every record of `table` has a matching entry in `ledger` and the other
/// way round, at the owner, at the end of the run.
pub(super) fn no_half_write(trace: &Trace, table: &str, ledger: &str) -> Outcome {
    let what = format!("every change to {table} has its {ledger} entry, and the other way round");
    let (Some(t), Some(l)) = (trace.names.find(table), trace.names.find(ledger)) else {
        return verdict(
            what,
            false,
            format!("{table} or {ledger} was never written"),
        );
    };
    let owner = |name| {
        trace
            .tables
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.owner)
    };
    let mut last: BTreeMap<Key, Value> = BTreeMap::new();
    for c in trace.all_changes() {
        if let Some(r) = trace.change_record(c)
            && ((r.key.table == t && owner(t) == Some(trace.change_node(c)))
                || (r.key.table == l && owner(l) == Some(trace.change_node(c))))
        {
            last.insert(r.key, r.value);
        }
    }
    let mut half = Vec::new();
    let mut pairs = 0;
    for (key, value) in &last {
        let other = if key.table == t { l } else { t };
        let twin = last.get(&Key {
            table: other,
            id: key.id,
        });
        if twin != Some(value) {
            let v = value_text(&trace.names, *value);
            half.push(format!(
                "{}={v} has no matching {}",
                trace.key_text(*key),
                trace.names.get(other)
            ));
        } else if key.table == t {
            pairs += 1;
        }
    }
    if half.is_empty() {
        verdict(what, true, format!("all {pairs} change(s) are whole"))
    } else {
        verdict(what, false, half.join("; "))
    }
}
