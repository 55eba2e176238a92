//! Checks that go beyond syntax: every name refers to something that
//! exists, every size is within [`Bounds`], every combination makes sense.
//! Each problem carries the place it was written, for the error message.

use std::collections::{BTreeMap, BTreeSet};

use super::load::Bounds;
use super::locate::Where;
use super::{Expectation, Fault, Latency, NodeKind, Op, Scenario, Trigger, Work};

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
    c.kinds_settings();
    c.workload();
    c.faults();
    c.narration();
    c.expectations();
    c.problems
}

impl<'a> Checker<'a> {
    fn fail(&mut self, place: Where, message: String) {
        self.problems.push(Problem { place, message });
    }

    fn text_ok(&mut self, place: Where, what: &str, text: &str) {
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

    fn header(&mut self) {
        let s = self.s;
        self.text_ok(Where::section("title"), "title", &s.title);
        self.text_ok(Where::section("summary"), "summary", &s.summary);
        if s.until.0 == 0 {
            self.fail(
                Where::section("until"),
                "the run length is zero; give it some time, like \"5s\"".into(),
            );
        }
        let counts: [(&'static str, usize, usize); 6] = [
            ("nodes", s.nodes.len(), Bounds::NODES),
            ("links", s.links.len(), Bounds::LINKS),
            ("workload", s.workload.len(), Bounds::WORK_ITEMS),
            ("faults", s.faults.len(), Bounds::FAULTS),
            ("narration", s.narration.len(), Bounds::NARRATION),
            ("expect", s.expect.len(), Bounds::EXPECTATIONS),
        ];
        for (section, n, max) in counts {
            if n > max {
                self.fail(
                    Where::section(section),
                    format!("{n} {section} entries; Settle allows at most {max}"),
                );
            }
        }
        if s.nodes.is_empty() {
            self.fail(
                Where::section("nodes"),
                "there are no nodes: add at least a client and a service".into(),
            );
        }
    }

    fn nodes(&mut self) {
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

    fn node_ref(&mut self, place: Where, id: &str) -> Option<&'a NodeKind> {
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

    fn links(&mut self) {
        for (i, l) in self.s.links.iter().enumerate() {
            let a = self.node_ref(Where::field("links", i, "from"), &l.from);
            let b = self.node_ref(Where::field("links", i, "to"), &l.to);
            if a.is_some() && b.is_some() {
                if l.from == l.to {
                    self.fail(
                        Where::field("links", i, "to"),
                        format!("\"{}\" is linked to itself; a link joins two nodes", l.from),
                    );
                }
                let (x, y) = ordered(&l.from, &l.to);
                if !self.linked.insert((x, y)) {
                    self.fail(
                        Where::item("links", i),
                        format!(
                            "\"{}\" and \"{}\" are linked twice; one link carries both directions",
                            l.from, l.to
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

    fn is_linked(&self, a: &str, b: &str) -> bool {
        self.linked.contains(&ordered(a, b))
    }

    fn expect_kind(
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
                    format!("\"{id}\" is a {}, but a {want} is needed here", k.word()),
                );
                false
            }
            None => false,
        }
    }

    /// Node `me` (item `i`) names `other`, which must be of the kind `want`
    /// and linked to it. Returns whether it is of that kind.
    fn must_reach(
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

    fn need_link(&mut self, place: Where, a: &str, b: &str) {
        if !self.is_linked(a, b) {
            self.fail(place, format!("\"{a}\" and \"{b}\" must be linked for their messages to travel; add a link between them"));
        }
    }

    fn kinds_settings(&mut self) {
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, n) in self.s.nodes.iter().enumerate() {
            match &n.kind {
                NodeKind::Service(svc) => {
                    if svc.table.is_empty() || svc.table.chars().count() > Bounds::ID_CHARS {
                        self.fail(
                            Where::field("nodes", i, "table"),
                            "a service needs a table name of 1 to 64 characters".into(),
                        );
                    }
                    if let Some(prev) = owners.insert(svc.table.as_str(), n.id.as_str()) {
                        self.fail(Where::field("nodes", i, "table"), format!("the table \"{}\" is already owned by \"{prev}\"; each table has one owning service", svc.table));
                    }
                    if let Some(db) = &svc.database {
                        self.must_reach(i, &n.id, db, "database", |k| {
                            matches!(k, NodeKind::Database(_))
                        });
                    }
                    if svc.write == super::WriteMode::Outbox
                        && (svc.database.is_none() || svc.publish.is_none())
                    {
                        self.fail(Where::field("nodes", i, "write"), "the outbox needs a database to commit its rows to and a \"publish\" broker and topic for them".into());
                    }
                    if let Some(p) = &svc.publish
                        && self.expect_kind(
                            Where::text("nodes", i, &p.broker),
                            &p.broker,
                            "broker",
                            |k| matches!(k, NodeKind::Broker(_)),
                        )
                        // With an outbox the relay, not the service, talks to the broker.
                        && svc.write == super::WriteMode::DualWrite
                    {
                        self.need_link(Where::text("nodes", i, &p.broker), &n.id, &p.broker);
                    }
                    if let Some(ledger) = &svc.ledger {
                        let clash = ledger == &svc.table
                            || self.s.nodes.iter().any(
                                |m| matches!(&m.kind, NodeKind::Service(o) if &o.table == ledger),
                            );
                        if svc.database.is_none() || clash {
                            self.fail(Where::text("nodes", i, ledger), "a ledger needs the service's database and a table name no service owns".into());
                        }
                    }
                    for r in &svc.on {
                        self.must_reach(i, &n.id, &r.broker, "broker", |k| {
                            matches!(k, NodeKind::Broker(_))
                        });
                        if r.topic.is_empty() || r.write.is_empty() {
                            self.fail(
                                Where::text("nodes", i, &r.broker),
                                "a reaction needs a topic and a value to write".into(),
                            );
                        }
                    }
                    for table in &svc.reads {
                        let owner = self.s.nodes.iter().find(|m| matches!(&m.kind, NodeKind::Service(o) if &o.table == table && m.id != n.id));
                        match owner.map(|m| (m, &m.kind)) {
                            Some((_, NodeKind::Service(o))) if o.database.is_some() && o.database == svc.database => {}
                            Some((m, _)) => self.fail(Where::text("nodes", i, table), format!("\"{}\" keeps \"{table}\" in another database; a service can only read a table straight from a database it shares", m.id)),
                            None => self.fail(Where::text("nodes", i, table), format!("no other service owns a table \"{table}\"")),
                        }
                    }
                    for callee in &svc.calls {
                        if self.expect_kind(
                            Where::text("nodes", i, callee),
                            callee,
                            "service",
                            |k| matches!(k, NodeKind::Service(_)),
                        ) {
                            if callee == &n.id {
                                self.fail(
                                    Where::text("nodes", i, callee),
                                    "a service cannot call itself".into(),
                                );
                            }
                            self.need_link(Where::text("nodes", i, callee), &n.id, callee);
                        }
                    }
                }
                NodeKind::Replica(r) => {
                    self.must_reach(i, &n.id, &r.broker, "broker", |k| {
                        matches!(k, NodeKind::Broker(_))
                    });
                }
                NodeKind::Broker(b) => {
                    if let super::Delivery::AtLeastOnce { ack_timeout } = b.delivery
                        && ack_timeout.0 == 0
                    {
                        self.fail(
                            Where::field("nodes", i, "ack_timeout"),
                            "the acknowledgement timeout must be above zero".into(),
                        );
                    }
                }
                NodeKind::Peer(p) => {
                    if p.table.is_empty() || owners.contains_key(p.table.as_str()) {
                        self.fail(
                            Where::text("nodes", i, &p.table),
                            "a peer's table needs a name no service owns".into(),
                        );
                    }
                    // Peers send their writes straight to each other: every
                    // pair must be linked, or some writes never arrive.
                    for m in &self.s.nodes {
                        if m.id != n.id
                            && matches!(&m.kind, NodeKind::Peer(q) if q.table == p.table)
                            && !self.is_linked(&n.id, &m.id)
                        {
                            self.fail(Where::text("nodes", i, &p.table), format!("peers of \"{}\" must all be linked to each other; link \"{}\" and \"{}\"", p.table, n.id, m.id));
                        }
                    }
                    let other = self.s.nodes.iter().find_map(|m| match &m.kind {
                        NodeKind::Peer(q) if q.table == p.table && q.strategy != p.strategy => {
                            Some(m.id.as_str())
                        }
                        _ => None,
                    });
                    if let Some(other) = other {
                        self.fail(Where::field("nodes", i, "strategy"), format!("\"{other}\" resolves \"{}\" another way; all peers of a table share one strategy", p.table));
                    }
                }
                NodeKind::Orchestrator(o) => {
                    if o.steps.is_empty() || o.steps.len() > 20 {
                        self.fail(
                            Where::field("nodes", i, "steps"),
                            "a saga needs 1 to 20 steps".into(),
                        );
                    }
                    for st in &o.steps {
                        self.must_reach(i, &n.id, &st.service, "service", |k| {
                            matches!(k, NodeKind::Service(_))
                        });
                        self.text_ok(
                            Where::text("nodes", i, &st.service),
                            "step's action",
                            &st.action,
                        );
                        self.text_ok(
                            Where::text("nodes", i, &st.service),
                            "step's compensation",
                            &st.compensation,
                        );
                    }
                }
                NodeKind::Composer(c) => {
                    if c.calls.is_empty() {
                        self.fail(
                            Where::field("nodes", i, "calls"),
                            "a composer needs at least one service to ask".into(),
                        );
                    }
                    for callee in &c.calls {
                        self.must_reach(i, &n.id, callee, "service", |k| {
                            matches!(k, NodeKind::Service(_))
                        });
                    }
                }
                NodeKind::Cdc(c) => {
                    self.must_reach(i, &n.id, &c.database, "database", |k| {
                        matches!(k, NodeKind::Database(_))
                    });
                    self.must_reach(i, &n.id, &c.broker, "broker", |k| {
                        matches!(k, NodeKind::Broker(_))
                    });
                    if c.poll.0 == 0 {
                        self.fail(
                            Where::field("nodes", i, "poll"),
                            "the CDC poll interval must be above zero".into(),
                        );
                    }
                }
                NodeKind::Client(_) | NodeKind::Database(_) => {}
            }
        }
        for (i, n) in self.s.nodes.iter().enumerate() {
            if let NodeKind::Replica(r) = &n.kind
                && !owners.contains_key(r.table.as_str())
            {
                self.fail(
                    Where::text("nodes", i, &r.table),
                    format!(
                        "no service owns a table \"{}\" for this replica to copy",
                        r.table
                    ),
                );
            }
        }
    }

    fn workload(&mut self) {
        let mut generated: u64 = 0;
        for (i, w) in self.s.workload.iter().enumerate() {
            let (from, to, op) = match w {
                Work::Request { from, to, op, at } => {
                    self.before_end(Where::field("workload", i, "at"), at.0);
                    (from, to, op)
                }
                Work::Every {
                    start,
                    every,
                    count,
                    from,
                    to,
                    op,
                    random_keys,
                } => {
                    if *count == 0 || u64::from(*count) > Bounds::GENERATED {
                        self.fail(
                            Where::field("workload", i, "count"),
                            format!("count must be from 1 to {}", Bounds::GENERATED),
                        );
                    }
                    generated = generated.saturating_add(u64::from(*count));
                    if every.0 == 0 {
                        self.fail(
                            Where::field("workload", i, "every"),
                            "\"every\" must be above zero".into(),
                        );
                    }
                    if let Some(k) = random_keys
                        && (*k == 0 || *k > Bounds::RANDOM_KEYS)
                    {
                        self.fail(
                            Where::field("workload", i, "random_keys"),
                            format!("random_keys must be from 1 to {}", Bounds::RANDOM_KEYS),
                        );
                    }
                    self.before_end(Where::field("workload", i, "start"), start.0);
                    (from, to, op)
                }
            };
            let (Some(fk), Some(tk)) = (
                self.node_ref(Where::field("workload", i, "from"), from),
                self.node_ref(Where::field("workload", i, "to"), to),
            ) else {
                continue;
            };
            match fk {
                NodeKind::Client(_) => {
                    let serves = matches!(tk, NodeKind::Service(_) | NodeKind::Peer(_))
                        || (matches!(tk, NodeKind::Replica(_) | NodeKind::Composer(_)) && matches!(op, Op::Read { .. }))
                        || (matches!(tk, NodeKind::Orchestrator(_)) && matches!(op, Op::Write { .. }));
                    if !serves {
                        let why = match tk {
                            NodeKind::Replica(_) => "a replica only answers reads",
                            NodeKind::Composer(_) => "a composer only answers reads",
                            NodeKind::Orchestrator(_) => "an orchestrator starts a saga on a write",
                            _ => "clients send requests to services, replicas and composers",
                        };
                        self.fail(Where::field("workload", i, "to"), format!("\"{to}\" is a {}: {why}", tk.word()));
                    } else {
                        self.need_link(Where::field("workload", i, "to"), from, to);
                    }
                }
                NodeKind::Service(_) if from == to => {}
                NodeKind::Service(_) => self.fail(Where::field("workload", i, "to"), format!("a service performs its own work: set \"to\" to \"{from}\" as well, or send it from a client")),
                other => self.fail(Where::field("workload", i, "from"), format!("\"{from}\" is a {}; work starts at a client or a service", other.word())),
            }
            let id = match op {
                Op::Write { id, value } => {
                    if let super::ValueSpec::Text(t) = value {
                        self.text_ok(Where::item("workload", i), "value", t);
                    }
                    id
                }
                Op::Read { id } => id,
            };
            if id.chars().count() > Bounds::ID_CHARS {
                self.fail(
                    Where::field("workload", i, "id"),
                    format!(
                        "the record id is longer than {} characters",
                        Bounds::ID_CHARS
                    ),
                );
            }
        }
        if generated > Bounds::GENERATED {
            self.fail(
                Where::section("workload"),
                format!(
                    "the generators fire {generated} requests in all; the limit is {}",
                    Bounds::GENERATED
                ),
            );
        }
    }

    fn before_end(&mut self, place: Where, at: u64) {
        if at > self.s.until.0 {
            self.fail(place, format!("this happens at {}, after the run ends at {}; move it earlier or raise \"until\"", super::Dur(at), self.s.until));
        }
    }

    fn faults(&mut self) {
        for (i, f) in self.s.faults.iter().enumerate() {
            self.before_end(Where::field("faults", i, "at"), f.at().0);
            match f {
                Fault::Partition { links, .. } | Fault::Heal { links, .. } => {
                    if links.is_empty() && matches!(f, Fault::Partition { .. }) {
                        self.fail(
                            Where::field("faults", i, "links"),
                            "a partition needs at least one link to cut".into(),
                        );
                    }
                    for (a, b) in links {
                        let ka = self.node_ref(Where::text("faults", i, a), a);
                        let kb = self.node_ref(Where::text("faults", i, b), b);
                        if ka.is_some() && kb.is_some() && !self.is_linked(a, b) {
                            self.fail(
                                Where::text("faults", i, b),
                                format!(
                                    "there is no link between \"{a}\" and \"{b}\" to cut or heal"
                                ),
                            );
                        }
                    }
                }
                Fault::ClockSkew { node, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    if kind.is_some_and(|k| !matches!(k, NodeKind::Peer(_))) {
                        self.fail(Where::field("faults", i, "node"), format!("\"{node}\" stamps no writes: clock skew matters only to last-writer-wins peers"));
                    }
                }
                Fault::Crash { node, .. } | Fault::Restart { node, .. } => {
                    self.node_ref(Where::field("faults", i, "node"), node);
                }
            }
        }
    }

    fn narration(&mut self) {
        for (i, n) in self.s.narration.iter().enumerate() {
            if n.at.is_some() == n.when.is_some() {
                self.fail(Where::item("narration", i), "give a narration step either \"at\" (a time) or \"when\" (a trigger), not both or neither".into());
            }
            if let Some(at) = n.at {
                self.before_end(Where::field("narration", i, "at"), at.0);
            }
            if n.text.trim().is_empty() {
                self.fail(
                    Where::field("narration", i, "text"),
                    "the narration text is empty".into(),
                );
            }
            self.text_ok(
                Where::field("narration", i, "text"),
                "narration text",
                &n.text,
            );
            if let Some(ask) = &n.ask {
                if !(2..=6).contains(&ask.choices.len()) || ask.answer >= ask.choices.len() {
                    self.fail(Where::field("narration", i, "ask"), "a question needs 2 to 6 choices and an answer that is one of them (counting from 0)".into());
                }
                for c in &ask.choices {
                    self.text_ok(Where::field("narration", i, "ask"), "choice", c);
                }
                self.text_ok(
                    Where::field("narration", i, "ask"),
                    "explanation",
                    &ask.explain,
                );
            }
            for f in &n.focus {
                self.node_ref(Where::text("narration", i, f), f);
            }
            if let Some(Trigger::Crash(id) | Trigger::Restart(id) | Trigger::FirstAnswer(id)) =
                &n.when
            {
                self.node_ref(Where::text("narration", i, id), id);
            }
        }
    }

    fn expectations(&mut self) {
        let s = self.s;
        let tables: BTreeSet<&str> = s
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Service(svc) => Some(svc.table.as_str()),
                NodeKind::Peer(p) => Some(p.table.as_str()),
                _ => None,
            })
            .collect();
        let topics: BTreeSet<&str> = s
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Service(svc) => svc.publish.as_ref().map(|p| p.topic.as_str()),
                NodeKind::Cdc(c) => c.topic.as_deref(),
                _ => None,
            })
            .collect();
        for (i, e) in s.expect.iter().enumerate() {
            match e {
                Expectation::NoWriteLost { table } | Expectation::VisibleWithin { table, .. } => {
                    if !tables.contains(table.as_str()) {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                }
                Expectation::Converged { table, by: at } | Expectation::Diverged { table, at } => {
                    if !tables.contains(table.as_str()) {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                    self.before_end(Where::item("expect", i), at.0);
                }
                Expectation::NoEventLost { topic } => {
                    if !topics.contains(topic.as_str()) {
                        self.fail(
                            Where::text("expect", i, topic),
                            format!("no service publishes to a topic \"{topic}\""),
                        );
                    }
                }
                Expectation::AllAnswered { client }
                | Expectation::AnswerContains { client, .. } => {
                    self.expect_kind(Where::text("expect", i, client), client, "client", |k| {
                        matches!(k, NodeKind::Client(_))
                    });
                }
                Expectation::NoHalfWrite { table, ledger } => {
                    let declared = s.nodes.iter().any(|n| {
                        matches!(&n.kind, NodeKind::Service(svc) if &svc.table == table && svc.ledger.as_deref() == Some(ledger.as_str()))
                    });
                    if !declared {
                        self.fail(
                            Where::text("expect", i, ledger),
                            format!("no service owns \"{table}\" with the ledger \"{ledger}\""),
                        );
                    }
                }
                Expectation::WritesLost { table, .. }
                | Expectation::WritesLostAtMost { table, .. } => {
                    let peers = s
                        .nodes
                        .iter()
                        .any(|n| matches!(&n.kind, NodeKind::Peer(p) if &p.table == table));
                    if !peers {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no peers share a table \"{table}\""),
                        );
                    }
                }
                Expectation::FinalValue { table, .. } => {
                    if !tables.contains(table.as_str()) {
                        self.fail(
                            Where::text("expect", i, table),
                            format!("no service owns a table \"{table}\""),
                        );
                    }
                }
                Expectation::SagasSettled { .. }
                | Expectation::ForeignReads { .. }
                | Expectation::StaleReads { .. }
                | Expectation::DuplicatesIgnored { .. }
                | Expectation::Dropped { .. } => {}
            }
        }
    }
}

fn ordered<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    if a <= b { (a, b) } else { (b, a) }
}
