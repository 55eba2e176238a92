//! A service's starting rows checked: how many, their ids and values, and
//! that no id is given twice.

use std::collections::BTreeSet;

use super::super::load::Bounds;
use super::super::locate::Where;
use super::super::{MAX_STARTING_ROWS, NodeKind, ValueSpec};
use super::Checker;

impl Checker<'_> {
    pub(super) fn starting_rows(&mut self) {
        for (i, n) in self.s.nodes.iter().enumerate() {
            let NodeKind::Service(svc) = &n.kind else {
                continue;
            };
            if svc.rows.len() > MAX_STARTING_ROWS {
                self.fail(
                    Where::field("nodes", i, "rows"),
                    format!(
                        "{} starts with {} rows; a table may start with at most {MAX_STARTING_ROWS}",
                        self.who(&n.id),
                        svc.rows.len()
                    ),
                );
                continue;
            }
            let mut seen = BTreeSet::new();
            for (id, value) in &svc.rows {
                let place = Where::text("nodes", i, id).inside(Where::field("nodes", i, "rows"));
                if id.is_empty() || id.chars().count() > Bounds::ID_CHARS {
                    self.fail(
                        place,
                        format!(
                            "a starting row of {} needs an id of 1 to {} characters",
                            self.who(&n.id),
                            Bounds::ID_CHARS
                        ),
                    );
                    continue;
                }
                if !seen.insert(id.as_str()) {
                    self.fail(
                        place,
                        format!(
                            "{} starts with row \"{id}\" twice; give each id one value",
                            self.who(&n.id)
                        ),
                    );
                    continue;
                }
                match value {
                    ValueSpec::Seq => self.fail(
                        place,
                        format!(
                            "starting row \"{id}\" of {} needs a value: Text(\"…\") or Int(…); Seq counts requests, and there are none before the run",
                            self.who(&n.id)
                        ),
                    ),
                    ValueSpec::Text(t) => self.text_ok(place, "starting value", t),
                    ValueSpec::Int(_) => {}
                }
            }
        }
    }
}
