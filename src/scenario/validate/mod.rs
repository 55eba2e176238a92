//! Checks that go beyond syntax: every name refers to something that
//! exists, every size is within [`Bounds`], every combination makes sense.
//! Each problem carries the place it was written, for the error message.

use std::collections::{BTreeMap, BTreeSet};

mod challenge;
mod contexts;
mod coordinator;
mod event_store;
mod expect;
mod kinds;
mod rows;
mod schema;
mod story;

use super::load::Bounds;
use super::locate::Where;
use super::{Latency, NodeKind, Scenario};

/// One thing wrong with a scenario.
#[derive(Clone, Debug)]
pub struct Problem {
    pub place: Where,
    pub message: String,
}

struct Checker<'a> {
    s: &'a Scenario,
    kinds: BTreeMap<&'a str, &'a NodeKind>,
    linked: BTreeSet<(&'a str, &'a str)>,
    problems: Vec<Problem>,
}

/// Every problem found, in file order of sections.
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker {
        s,
        kinds: BTreeMap::new(),
        linked: BTreeSet::new(),
        problems: Vec::new(),
    };
    c.header();
    c.nodes();
    c.links();
    c.contexts();
    c.kinds_settings();
    c.starting_rows();
    c.workload();
    c.faults();
    c.narration();
    c.expectations();
    c.variants();
    c.challenges();
    c.problems
}

impl<'a> Checker<'a> {
    pub(super) fn fail(&mut self, place: Where, message: String) {
        self.problems.push(Problem { place, message });
    }

    pub(super) fn text_ok(&mut self, place: Where, what: &str, text: &str) {
        if text.chars().count() > Bounds::TEXT_CHARS {
            self.fail(
                place,
                format!(
                    "the {what} is longer than {} characters",
                    Bounds::TEXT_CHARS
                ),
            );
        }
    }

    pub(super) fn header(&mut self) {
        let s = self.s;
        self.text_ok(Where::section("title"), "title", &s.title);
        self.text_ok(Where::section("summary"), "summary", &s.summary);
        if s.until.0 == 0 {
            self.fail(
                Where::section("until"),
                "the run length is zero; give it some time, like \"5s\"".into(),
            );
        }
        let counts: [(&'static str, usize, usize); 7] = [
            ("nodes", s.nodes.len(), Bounds::NODES),
            ("links", s.links.len(), Bounds::LINKS),
            ("workload", s.workload.len(), Bounds::WORK_ITEMS),
            ("faults", s.faults.len(), Bounds::FAULTS),
            ("narration", s.narration.len(), Bounds::NARRATION),
            ("expect", s.expect.len(), Bounds::EXPECTATIONS),
            (
                "dismissed_hints",
                s.dismissed_hints.len(),
                Bounds::DISMISSED_HINTS,
            ),
        ];
        for (section, n, max) in counts {
            if n > max {
                self.fail(
                    Where::section(section),
                    format!("{n} {section} entries; Settle allows at most {max}"),
                );
            }
        }
        self.further_reading();
        if s.nodes.is_empty() {
            self.fail(
                Where::section("nodes"),
                "there are no nodes: add at least a client and a service".into(),
            );
        }
    }

    /// A few short titles, each with an `https://` address: the card
    /// opens them in the browser, so no other scheme gets a link.
    fn further_reading(&mut self) {
        let list = &self.s.further_reading;
        if list.len() > Bounds::READINGS {
            self.fail(
                Where::section("further_reading"),
                format!(
                    "{} further readings; a lesson lists at most {}",
                    list.len(),
                    Bounds::READINGS
                ),
            );
        }
        for (i, r) in list.iter().enumerate() {
            let title = r.title.trim();
            if title.is_empty() || title.chars().count() > Bounds::READING_CHARS {
                self.fail(
                    Where::field("further_reading", i, "title"),
                    format!(
                        "a reading needs a title of 1 to {} characters",
                        Bounds::READING_CHARS
                    ),
                );
            }
            let url = r.url.as_str();
            let rest = url.strip_prefix("https://").unwrap_or("");
            let host_ok = rest.split('/').next().is_some_and(|h| h.contains('.'));
            let plain = !url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !host_ok || !plain || url.chars().count() > Bounds::URL_CHARS {
                self.fail(
                    Where::field("further_reading", i, "url"),
                    format!(
                        "\"{}\" is not a web address Settle opens: write https:// and a host, no spaces, at most {} characters",
                        url.chars().take(60).collect::<String>(),
                        Bounds::URL_CHARS
                    ),
                );
            }
        }
    }

    pub(super) fn nodes(&mut self) {
        for (i, n) in self.s.nodes.iter().enumerate() {
            let id = n.id.as_str();
            let good_chars = id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if id.is_empty() || id.chars().count() > Bounds::ID_CHARS || !good_chars {
                self.fail(
                    Where::field("nodes", i, "id"),
                    format!(
                        "\"{id}\" is not a usable id: use 1 to {} letters, digits, '-', '_' or '.'",
                        Bounds::ID_CHARS
                    ),
                );
            }
            if n.name.chars().count() > Bounds::ID_CHARS {
                self.fail(
                    Where::field("nodes", i, "name"),
                    format!("the name is longer than {} characters", Bounds::ID_CHARS),
                );
            }
            if !(n.pos.0.is_finite() && n.pos.1.is_finite())
                || n.pos.0.abs() > 1e6
                || n.pos.1.abs() > 1e6
            {
                self.fail(
                    Where::field("nodes", i, "pos"),
                    "the position must be two numbers within a million points of the origin".into(),
                );
            }
            if self.kinds.insert(id, &n.kind).is_some() {
                self.fail(
                    Where::field("nodes", i, "id"),
                    format!("two nodes are called \"{id}\"; ids must be unique"),
                );
            }
        }
    }

    /// How a message names a node: the name the learner sees on the
    /// drawing, then the id a file editor searches for. A node without a
    /// name of its own is named by its id alone.
    pub(super) fn who(&self, id: &str) -> String {
        match self.s.nodes.iter().find(|n| n.id == id) {
            Some(n) if n.label() != id => {
                let name: String = n.label().chars().take(Bounds::ID_CHARS).collect();
                format!("{name} (\"{id}\")")
            }
            _ => format!("\"{id}\""),
        }
    }

    pub(super) fn node_ref(&mut self, place: Where, id: &str) -> Option<&'a NodeKind> {
        let found = self.kinds.get(id).copied();
        if found.is_none() {
            let known: Vec<&str> = self.kinds.keys().copied().take(12).collect();
            self.fail(
                place,
                format!(
                    "there is no node \"{id}\"; the nodes are: {}",
                    known.join(", ")
                ),
            );
        }
        found
    }

    pub(super) fn links(&mut self) {
        for (i, l) in self.s.links.iter().enumerate() {
            let a = self.node_ref(Where::field("links", i, "from"), &l.from);
            let b = self.node_ref(Where::field("links", i, "to"), &l.to);
            if a.is_some() && b.is_some() {
                if l.from == l.to {
                    self.fail(
                        Where::field("links", i, "to"),
                        format!(
                            "{} is linked to itself; a link joins two nodes",
                            self.who(&l.from)
                        ),
                    );
                }
                let (x, y) = ordered(&l.from, &l.to);
                if !self.linked.insert((x, y)) {
                    self.fail(
                        Where::item("links", i),
                        format!(
                            "{} and {} are linked twice; one link carries both directions",
                            self.who(&l.from),
                            self.who(&l.to)
                        ),
                    );
                }
            }
            if let Latency::Uniform { min, max } = l.latency
                && min > max
            {
                self.fail(
                    Where::field("links", i, "latency"),
                    format!("the latency's min ({min}) is above its max ({max})"),
                );
            }
        }
    }

    pub(super) fn is_linked(&self, a: &str, b: &str) -> bool {
        self.linked.contains(&ordered(a, b))
    }

    pub(super) fn expect_kind(
        &mut self,
        place: Where,
        id: &str,
        want: &str,
        pred: fn(&NodeKind) -> bool,
    ) -> bool {
        match self.node_ref(place.clone(), id) {
            Some(k) if pred(k) => true,
            Some(k) => {
                self.fail(
                    place,
                    format!(
                        "{} is a {}, but a {want} is needed here",
                        self.who(id),
                        k.word()
                    ),
                );
                false
            }
            None => false,
        }
    }

    /// Node `me` (item `i`) names `other`, which must be of the kind `want`
    /// and linked to it. Returns whether it is of that kind.
    pub(super) fn must_reach(
        &mut self,
        i: usize,
        me: &str,
        other: &str,
        want: &str,
        pred: fn(&NodeKind) -> bool,
    ) -> bool {
        let ok = self.expect_kind(Where::text("nodes", i, other), other, want, pred);
        if ok {
            self.need_link(Where::text("nodes", i, other), me, other);
        }
        ok
    }

    pub(super) fn need_link(&mut self, place: Where, a: &str, b: &str) {
        if !self.is_linked(a, b) {
            let (a, b) = (self.who(a), self.who(b));
            self.fail(place, format!("{a} and {b} must be linked for their messages to travel; add a link between them"));
        }
    }
}

fn ordered<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a <= b { (a, b) } else { (b, a) }
}

impl Checker<'_> {
    /// Each variant must name itself once and make a scenario that passes
    /// every check above; its problems point at the variant.
    fn variants(&mut self) {
        let s = self.s;
        if s.variants.len() > Bounds::VARIANTS {
            self.fail(
                Where::section("variants"),
                format!(
                    "{} variants; Settle allows at most {}",
                    s.variants.len(),
                    Bounds::VARIANTS
                ),
            );
            return;
        }
        let mut names = BTreeSet::new();
        for (i, v) in s.variants.iter().enumerate() {
            let place = Where::field("variants", i, "name");
            if v.name.trim().is_empty() || v.name.chars().count() > Bounds::ID_CHARS {
                self.fail(
                    place.clone(),
                    format!(
                        "give the variant a name of 1 to {} characters",
                        Bounds::ID_CHARS
                    ),
                );
            }
            if !names.insert(v.name.as_str()) {
                self.fail(place, format!("two variants are called \"{}\"", v.name));
            }
            self.text_ok(
                Where::field("variants", i, "about"),
                "variant's about",
                &v.about,
            );
            for r in &v.remove {
                if !s.nodes.iter().any(|n| &n.id == r) {
                    self.fail(
                        Where::text("variants", i, r),
                        format!("the variant removes \"{r}\", which is not a node of the base"),
                    );
                }
            }
            let Some(made) = s.variant(i) else { continue };
            if let Some(p) = validate(&made).into_iter().next() {
                self.fail(
                    Where::item("variants", i),
                    format!("variant \"{}\": {}", v.name, p.message),
                );
            }
        }
    }
}
