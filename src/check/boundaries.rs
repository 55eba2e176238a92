//! What crosses a bounded context's edge. Events and API calls across it
//! are how contexts should talk: each keeps its own model and translates
//! what it is told. A table read across it is not: the reader depends on
//! the other context's internal model, so neither can change its meaning
//! of a word on its own. Only nodes that both sit in a context are judged.

use super::hints::{Hint, HintKind};
use crate::scenario::{Keeping, NodeKind, Scenario};

/// Every read of another context's data straight from its database: a
/// node keeping its table in a database framed in another context, or a
/// service querying a table owned by a service of another context.
pub fn cross_context_reads(s: &Scenario) -> Vec<Hint> {
    let label = |id: &str| {
        s.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_string(), |n| n.label().to_string())
    };
    let owner_of = |table: &str| {
        s.nodes.iter().find(|o| {
            o.kind
                .tables(&o.id)
                .iter()
                .any(|k| k.keeping == Keeping::Source && k.name == table)
        })
    };
    let mut out = Vec::new();
    for n in &s.nodes {
        let Some(mine) = s.context_of(&n.id) else {
            continue;
        };
        let me = n.label();
        let home = &mine.name;
        if let Some(db) = n.kind.database()
            && let Some(theirs) = s.context_of(db).filter(|c| c.name != mine.name)
        {
            out.push(Hint {
                kind: HintKind::CrossContextRead,
                node: n.id.clone(),
                reason: format!(
                    "{me} (context {home}) keeps its data in {}, which belongs to context {}: {home} is tied to {}'s database and model. Give {me} a database inside {home}.",
                    label(db),
                    theirs.name,
                    theirs.name
                ),
            });
        }
        let NodeKind::Service(svc) = &n.kind else {
            continue;
        };
        for t in &svc.reads {
            let Some(owner) = owner_of(t) else { continue };
            let Some(theirs) = s.context_of(&owner.id).filter(|c| c.name != mine.name) else {
                continue;
            };
            out.push(Hint {
                kind: HintKind::CrossContextRead,
                node: n.id.clone(),
                reason: format!(
                    "{me} (context {home}) reads \"{t}\", a table of {} in context {}, straight from its database: {home} now depends on {}'s model, and {} cannot change what its words mean on its own. Let {} publish events and keep {home}'s own copy in {home}'s shape.",
                    owner.label(),
                    theirs.name,
                    theirs.name,
                    theirs.name,
                    theirs.name
                ),
            });
        }
    }
    out
}
