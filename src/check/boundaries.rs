//! What crosses a bounded context's edge. Events and API calls across it
//! are how contexts should talk: each keeps its own model and translates
//! what it is told. A table read across it is not: the reader depends on
//! the other context's internal model, so neither can change its meaning
//! of a word on its own. Only nodes that both sit in a context are judged.

use super::hints::{Hint, HintKind};
use crate::scenario::{Keeping, NodeKind, Scenario};

/// Every node reading another context's data straight from its
/// database, once each: a service querying a table owned in another
/// context (said first, as the deeper coupling), or a node keeping its
/// table in a database framed in another context.
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
        let (me, home) = (n.label(), &mine.name);
        let foreign = |id: &str| s.context_of(id).filter(|c| c.name != mine.name);
        // Tables of other contexts it queries, with their owner and context.
        // Only a service queries other tables (its `reads`).
        let queried: &[String] = if let NodeKind::Service(svc) = &n.kind {
            &svc.reads
        } else {
            &[]
        };
        let reads: Vec<(&str, String, &str)> = queried
            .iter()
            .filter_map(|t| {
                let owner = owner_of(t)?;
                let theirs = foreign(&owner.id)?;
                Some((t.as_str(), owner.label().to_string(), theirs.name.as_str()))
            })
            .collect();
        let reason = if let Some((t, owner, theirs)) = reads.first() {
            Some(format!(
                "{me} (context {home}) reads \"{t}\", a table of {owner} in context {theirs}, straight from its database: {home} depends on the model of {theirs}, and {theirs} can no longer change what its words mean on its own. Let {theirs} publish events, and let {home} keep a copy of its own, in its own shape."
            ))
        } else {
            n.kind.database().and_then(|db| {
                let theirs = foreign(db)?;
                Some(format!(
                    "{me} (context {home}) keeps its data in {}, a database of context {}: {home} is tied to another context's storage and model. Give {me} a database inside {home}.",
                    label(db),
                    theirs.name
                ))
            })
        };
        if let Some(reason) = reason {
            out.push(Hint {
                kind: HintKind::CrossContextRead,
                node: n.id.clone(),
                reason,
            });
        }
    }
    out
}
