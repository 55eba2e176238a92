//! Checks of a two-phase commit coordinator's settings: one to twenty
//! participants, each a service it is linked to, each named once.

use super::Checker;
use crate::scenario::locate::Where;
use crate::scenario::{CoordinatorSpec, Node, NodeKind};

impl Checker<'_> {
    pub(super) fn coordinator(&mut self, i: usize, n: &Node, c: &CoordinatorSpec) {
        if c.participants.is_empty() || c.participants.len() > 20 {
            self.fail(
                Where::field("nodes", i, "participants"),
                "a two-phase commit needs 1 to 20 participants".into(),
            );
        }
        for (k, p) in c.participants.iter().enumerate() {
            self.must_reach(i, &n.id, &p.service, "service", |k| {
                matches!(k, NodeKind::Service(_))
            });
            self.text_ok(
                Where::text("nodes", i, &p.service),
                "participant's action",
                &p.action,
            );
            if c.participants[..k].iter().any(|q| q.service == p.service) {
                self.fail(
                    Where::text("nodes", i, &p.service),
                    format!(
                        "{} is named twice: each participant prepares one change per transaction",
                        p.service
                    ),
                );
            }
        }
    }
}
