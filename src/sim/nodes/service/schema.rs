//! Schema changes to a service's table: a column renamed at a moment
//! (the team's migration). From then on the service writes its rows with
//! the new column name, while every event it publishes on purpose (its
//! outbox rows, its own publishes) keeps the old name: the service maps
//! its row to the event it promised its consumers. Raw change data
//! capture of the table, which no one maps, carries the new shape.
//!
//! Settle renames the column in the rows written after the moment; a
//! real database renames it in every row at once, and its change log
//! records the schema change, not a change to each row.

use super::Service;
use crate::model::fields::rename_field;
use crate::model::{Micros, Sym, Value};
use crate::scenario::Fault;
use crate::sim::nodes::Cx;
use crate::sim::wiring::Wiring;

/// One column rename: from when, the old name, the new name.
#[derive(Clone, Debug)]
pub struct Rename {
    pub at: Micros,
    pub from: Sym,
    pub to: Sym,
}

/// The renames the drawing's faults make to the table of the service
/// being built, in the order they happen.
pub(super) fn renames(w: &mut Wiring, table: &str) -> Vec<Rename> {
    let mut out: Vec<Rename> = Vec::new();
    let faults = &w.scenario.faults;
    let mine: Vec<(Micros, String, String)> = faults
        .iter()
        .filter_map(|f| match f {
            Fault::RenameColumn {
                at,
                node,
                table: t,
                from,
                to,
            } if node == w.my_id && t == table => Some((at.0, from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    for (at, from, to) in mine {
        out.push(Rename {
            at,
            from: w.intern(&from),
            to: w.intern(&to),
        });
    }
    out.sort_by_key(|r| r.at);
    out
}

impl Service {
    /// The row to store for a written `value`: its columns renamed by
    /// every rename made by now. With the text the service publishes for
    /// it when the renames changed it (the event keeps the old names).
    pub(super) fn row_shape(&self, cx: &mut Cx, value: Value) -> (Value, Option<Sym>) {
        let Value::Text(original) = value else {
            return (value, None);
        };
        let mut text = cx.names.get(original).to_string();
        let mut changed = false;
        for r in self.w.renames.iter().filter(|r| r.at <= cx.now) {
            let (from, to) = (cx.names.get(r.from), cx.names.get(r.to));
            if let Some(renamed) = rename_field(&text, from, to) {
                text = renamed;
                changed = true;
            }
        }
        if !changed {
            return (value, None);
        }
        let row = Value::Text(cx.names.intern(&text));
        match self.event_shape(cx, row) {
            Value::Text(payload) => (row, Some(payload)),
            Value::Absent | Value::Int(_) => (row, None),
        }
    }

    /// What the service publishes for a row of its table: the row with
    /// every renamed column under its old name again (the published
    /// contract, mapped by the owner).
    pub(super) fn event_shape(&self, cx: &mut Cx, value: Value) -> Value {
        let Value::Text(t) = value else {
            return value;
        };
        if self.w.renames.is_empty() {
            return value;
        }
        let mut text = cx.names.get(t).to_string();
        let mut changed = false;
        for r in self.w.renames.iter().rev() {
            let (from, to) = (cx.names.get(r.from), cx.names.get(r.to));
            if let Some(back) = rename_field(&text, to, from) {
                text = back;
                changed = true;
            }
        }
        if changed {
            Value::Text(cx.names.intern(&text))
        } else {
            value
        }
    }
}
