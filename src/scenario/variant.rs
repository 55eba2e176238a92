//! Variants: other versions of a scenario, named in the same file, that
//! change a few settings of the base. Compare mode runs the base and a
//! variant side by side on one clock, so "what would have happened
//! otherwise" is one click, not a second drawing to keep in step.

use serde::{Deserialize, Serialize};

use super::{Expectation, Fault, Link, Node, Scenario, Work};

/// What a variant changes; everything it does not name stays as the base
/// has it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Shown on the compare bar: "B: Version vectors".
    pub name: String,
    /// A sentence on what differs and what to watch for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    /// Nodes that replace the base's node with the same id, or join the
    /// drawing when the base has no such node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<Node>,
    /// Ids of base nodes left out, with their links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Links that replace the base's link between the same two nodes, or
    /// are added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// When given, the variant's workload instead of the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Vec<Work>>,
    /// When given, the variant's faults instead of the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<Vec<Fault>>,
    /// When given, what the variant's run should show instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Vec<Expectation>>,
}

impl Scenario {
    /// The scenario variant `i` makes of this one, or `None` when there is
    /// no such variant. The result declares no variants or challenges and
    /// tells no story of its own: the base's narration would be read as
    /// true of it.
    pub fn variant(&self, i: usize) -> Option<Scenario> {
        let v = self.variants.get(i)?;
        let mut s = self.clone();
        s.variants.clear();
        s.challenges.clear();
        s.title = format!("{} — {}", self.title, v.name);
        if !v.about.is_empty() {
            s.summary.clone_from(&v.about);
        }
        let removed = |id: &str| v.remove.iter().any(|r| r == id);
        s.nodes.retain(|n| !removed(&n.id));
        s.links.retain(|l| !removed(&l.from) && !removed(&l.to));
        for n in &v.nodes {
            match s.nodes.iter_mut().find(|m| m.id == n.id) {
                Some(m) => *m = n.clone(),
                None => s.nodes.push(n.clone()),
            }
        }
        for l in &v.links {
            let same =
                |m: &Link| (m.from == l.from && m.to == l.to) || (m.from == l.to && m.to == l.from);
            match s.links.iter_mut().find(|m| same(m)) {
                Some(m) => *m = l.clone(),
                None => s.links.push(l.clone()),
            }
        }
        if let Some(w) = &v.workload {
            s.workload.clone_from(w);
        }
        if let Some(f) = &v.faults {
            s.faults.clone_from(f);
        }
        if let Some(e) = &v.expect {
            s.expect.clone_from(e);
        }
        // What the base's words point at must still exist.
        s.workload
            .retain(|w| !removed(w.from()) && !removed(w.to()));
        for n in &mut s.narration {
            n.focus.retain(|f| !removed(f));
        }
        for c in &mut s.contexts {
            c.nodes.retain(|id| !removed(id));
        }
        s.contexts.retain(|c| !c.nodes.is_empty());
        Some(s)
    }
}
