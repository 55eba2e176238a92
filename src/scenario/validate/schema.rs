//! Table shapes checked: a column rename names a table its service owns,
//! a column its rows have and a new name that is a column name; a raw
//! change-data-capture connector captures a table kept in the database it
//! tails, and says where to publish.

use super::super::load::Bounds;
use super::super::locate::Where;
use super::super::{CdcSpec, Fault, NodeKind, Op, Source, ValueSpec, Work};
use super::Checker;
use crate::model::fields::fields;

impl Checker<'_> {
    /// Fault `i`: `node` renames column `from` of `table` to `to`.
    pub(super) fn rename_column(&mut self, i: usize, node: &str, table: &str, names: (&str, &str)) {
        let (from, to) = names;
        let Some(kind) = self.node_ref(Where::field("faults", i, "node"), node) else {
            return;
        };
        let NodeKind::Service(svc) = kind else {
            self.fail(
                Where::field("faults", i, "node"),
                format!(
                    "{} owns no table: only a service renames a column of its table",
                    self.who(node)
                ),
            );
            return;
        };
        if svc.table != table {
            self.fail(
                Where::text("faults", i, table),
                format!(
                    "{} owns the table \"{}\", not \"{table}\"",
                    self.who(node),
                    svc.table
                ),
            );
            return;
        }
        let mut columns = self.columns_written(node);
        // A column an earlier rename named may be renamed again.
        for f in &self.s.faults {
            if let Fault::RenameColumn {
                node: n,
                table: t,
                to,
                ..
            } = f
                && n == node
                && t == table
            {
                columns.push(to.clone());
            }
        }
        if !columns.iter().any(|c| c == from) {
            let known = if columns.is_empty() {
                "its rows have no name=value columns".to_string()
            } else {
                format!("its columns are: {}", columns.join(", "))
            };
            self.fail(
                Where::text("faults", i, from),
                format!("no row of \"{table}\" has a column \"{from}\"; {known}"),
            );
        }
        let bad = to.is_empty()
            || to.chars().count() > Bounds::ID_CHARS
            || to.contains(|c: char| c.is_whitespace() || c == '=');
        if bad {
            self.fail(
                Where::text("faults", i, to),
                format!(
                    "a column's new name needs 1 to {} characters, no spaces and no '='",
                    Bounds::ID_CHARS
                ),
            );
        } else if to == from {
            self.fail(
                Where::text("faults", i, to),
                format!("the column is called \"{from}\" already; give it a new name"),
            );
        }
    }

    /// The column names of the rows service `node` starts with or is
    /// asked to write, in the order first met.
    fn columns_written(&self, node: &str) -> Vec<String> {
        let mut texts: Vec<&str> = Vec::new();
        if let Some(NodeKind::Service(svc)) = self.kinds.get(node) {
            texts.extend(svc.rows.iter().filter_map(|(_, v)| match v {
                ValueSpec::Text(t) => Some(t.as_str()),
                ValueSpec::Int(_) | ValueSpec::Seq => None,
            }));
        }
        for w in self.s.workload.iter().filter(|w| w.to() == node) {
            let (Work::Request { op, .. } | Work::Every { op, .. }) = w;
            match op {
                Op::Write {
                    value: ValueSpec::Text(t),
                    ..
                } => texts.push(t),
                Op::Edit { set, .. } => texts.push(set),
                Op::Write { .. }
                | Op::Read { .. }
                | Op::Change { .. }
                | Op::ReadAfterMyWrite { .. } => {}
            }
        }
        let mut out: Vec<String> = Vec::new();
        for (k, _) in texts.into_iter().flat_map(fields) {
            if !out.iter().any(|c| c == k) {
                out.push(k.to_string());
            }
        }
        out
    }

    /// Node `i`'s capture: a table some service keeps in the database the
    /// connector tails, published on the connector's topic.
    pub(super) fn capture(&mut self, i: usize, c: &CdcSpec) {
        let Some(table) = c.capture.table() else {
            return;
        };
        let kept_there = self.s.nodes.iter().any(|n| {
            matches!(&n.kind, NodeKind::Service(svc)
                if svc.table == table && svc.database.as_deref() == Some(c.database.as_str()))
        });
        if !kept_there {
            self.fail(
                Where::text("nodes", i, table),
                format!(
                    "no service keeps a table \"{table}\" in {}: a connector captures a table of the database it tails",
                    self.who(&c.database)
                ),
            );
        }
        if c.topic.is_none() {
            self.fail(
                Where::field("nodes", i, "capture"),
                format!("capturing \"{table}\" needs a topic to publish its row changes on: add topic: \"{table}.changes\""),
            );
        }
    }

    /// Whether a connector publishes a table's row changes on `topic`.
    pub(super) fn captured_on(&self, topic: &str) -> bool {
        self.s.nodes.iter().any(|n| {
            matches!(&n.kind, NodeKind::Cdc(c)
                if c.capture.table().is_some() && c.topic.as_deref() == Some(topic))
        })
    }

    /// A projection source's upcaster (node `i`): a few renames, each
    /// from a column name to another.
    pub(super) fn upcasts(&mut self, i: usize, src: &Source) {
        if src.upcast.len() > 8 {
            self.fail(
                Where::text("nodes", i, &src.topic),
                "an upcaster renames at most 8 fields".into(),
            );
        }
        for (from, to) in &src.upcast {
            let name_ok = |n: &str| {
                !n.is_empty()
                    && n.chars().count() <= Bounds::ID_CHARS
                    && !n.contains(|c: char| c.is_whitespace() || c == '=')
            };
            if !name_ok(from) || !name_ok(to) || from == to {
                self.fail(
                    Where::text("nodes", i, from),
                    format!("an upcaster renames a field to another name: 1 to {} characters each, no spaces and no '='", Bounds::ID_CHARS),
                );
            }
        }
    }
}
