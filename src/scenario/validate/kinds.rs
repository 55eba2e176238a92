//! Each node kind's settings checked: what it names exists and is of the
//! right kind, it is linked to what it talks to, and its numbers make sense.

use std::collections::BTreeMap;

use super::super::load::Bounds;
use super::super::locate::Where;
use super::super::{
    BrokerSpec, CdcSpec, ClientSpec, ComposerSpec, Delivery, EventShape, LogSpec,
    MAX_CLIENT_RETRIES, Node, NodeKind, Op, OrchestratorSpec, PeerSpec, ProjectionSpec,
    ReplicaSpec, ServiceSpec, Work, WriteMode, log_consumers,
};
use super::Checker;

/// What consumers and publishers may name as their `broker`: a broker or
/// a partitioned log.
fn carries_events(k: &NodeKind) -> bool {
    k.kind().carries_events()
}

/// Most topics a log holds, partitions per topic, groups, and members per group.
const LOG_TOPICS: usize = 16;
const LOG_PARTITIONS: u32 = 64;
const LOG_GROUPS: usize = 16;
const GROUP_MEMBERS: usize = 64;

impl<'a> Checker<'a> {
    pub(super) fn kinds_settings(&mut self) {
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, n) in self.s.nodes.iter().enumerate() {
            match &n.kind {
                NodeKind::Service(svc) => self.service(i, n, svc, &mut owners),
                NodeKind::Replica(r) => self.replica(i, n, r),
                NodeKind::Broker(b) => self.broker(i, b),
                NodeKind::Peer(p) => self.peer(i, n, p, &owners),
                NodeKind::Orchestrator(o) => self.orchestrator(i, n, o),
                NodeKind::Composer(c) => self.composer(i, n, c),
                NodeKind::Cdc(c) => self.cdc(i, n, c),
                NodeKind::Projection(p) => self.projection(i, n, p),
                NodeKind::Log(l) => self.log(i, n, l),
                NodeKind::Client(c) => self.client(i, n, c),
                NodeKind::Coordinator(c) => self.coordinator(i, n, c),
                NodeKind::EventStore(e) => self.event_store(i, e),
                NodeKind::Database(_) => {}
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

    fn service(
        &mut self,
        i: usize,
        n: &'a Node,
        svc: &'a ServiceSpec,
        owners: &mut BTreeMap<&'a str, &'a str>,
    ) {
        if svc.table.is_empty() || svc.table.chars().count() > Bounds::ID_CHARS {
            self.fail(
                Where::field("nodes", i, "table"),
                "a service needs a table name of 1 to 64 characters".into(),
            );
        }
        if let Some(prev) = owners.insert(svc.table.as_str(), n.id.as_str()) {
            self.fail(
                Where::field("nodes", i, "table"),
                format!(
                    "the table \"{}\" is already owned by {}; each table has one owning service",
                    svc.table,
                    self.who(prev)
                ),
            );
        }
        self.service_store(i, n, svc);
        if svc.write == WriteMode::Outbox && (svc.database.is_none() || svc.publish.is_none()) {
            self.fail(Where::field("nodes", i, "write"), "the outbox needs a database to commit its rows to and a \"publish\" broker and topic for them".into());
        }
        if let Some(p) = &svc.publish
            && self.expect_kind(
                Where::text("nodes", i, &p.broker),
                &p.broker,
                "broker",
                carries_events,
            )
            // With an outbox the relay, not the service, talks to the broker.
            && svc.write == WriteMode::DualWrite
        {
            self.need_link(Where::text("nodes", i, &p.broker), &n.id, &p.broker);
        }
        if let Some(ledger) = &svc.ledger {
            let clash = ledger == &svc.table
                || self
                    .s
                    .nodes
                    .iter()
                    .any(|m| matches!(&m.kind, NodeKind::Service(o) if &o.table == ledger));
            if svc.database.is_none() || clash {
                self.fail(
                    Where::text("nodes", i, ledger),
                    "a ledger needs the service's database and a table name no service owns".into(),
                );
            }
        }
        for r in &svc.on {
            self.must_reach(i, &n.id, &r.broker, "broker", carries_events);
            if r.topic.is_empty() || r.write.is_empty() {
                self.fail(
                    Where::text("nodes", i, &r.broker),
                    "a reaction needs a topic and a value to write".into(),
                );
            }
        }
        for table in &svc.reads {
            let owner = self.s.nodes.iter().find(
                |m| matches!(&m.kind, NodeKind::Service(o) if &o.table == table && m.id != n.id),
            );
            match owner.map(|m| (m, &m.kind)) {
                Some((_, NodeKind::Service(o))) if o.database.is_some() && o.database == svc.database => {}
                Some((m, _)) => self.fail(Where::text("nodes", i, table), format!("{} keeps \"{table}\" in another database; a service can only read a table straight from a database it shares", self.who(&m.id))),
                None => self.fail(Where::text("nodes", i, table), format!("no other service owns a table \"{table}\"")),
            }
        }
        for callee in &svc.calls {
            if self.expect_kind(Where::text("nodes", i, callee), callee, "service", |k| {
                matches!(k, NodeKind::Service(_))
            }) {
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

    fn replica(&mut self, i: usize, n: &Node, r: &ReplicaSpec) {
        self.must_reach(i, &n.id, &r.broker, "broker", carries_events);
    }

    fn broker(&mut self, i: usize, b: &BrokerSpec) {
        if let Delivery::AtLeastOnce { ack_timeout } = b.delivery
            && ack_timeout.0 == 0
        {
            self.fail(
                Where::field("nodes", i, "ack_timeout"),
                "the acknowledgement timeout must be above zero".into(),
            );
        }
        match (b.max_attempts, b.delivery) {
            (Some(n), Delivery::AtLeastOnce { .. }) if !(1..=100).contains(&n) => self.fail(
                Where::field("nodes", i, "max_attempts"),
                "max_attempts must be from 1 to 100".into(),
            ),
            (Some(_), Delivery::AtMostOnce) => self.fail(
                Where::field("nodes", i, "max_attempts"),
                "an at-most-once broker sends each event once; attempts are limited only under AtLeastOnce".into(),
            ),
            _ => {}
        }
    }

    fn projection(&mut self, i: usize, n: &Node, p: &ProjectionSpec) {
        self.must_reach(i, &n.id, &p.broker, "broker", carries_events);
        self.projection_of_store(i, p);
        let taken = p.view.is_empty()
            || p.view.chars().count() > Bounds::ID_CHARS
            || self
                .s
                .nodes
                .iter()
                .filter(|m| m.id != n.id)
                .any(|m| m.kind.tables(&m.id).iter().any(|k| k.name == p.view));
        if taken {
            self.fail(
                Where::field("nodes", i, "view"),
                "a projection needs a view name of 1 to 64 characters that no other table has"
                    .into(),
            );
        }
        if p.sources.is_empty() || p.sources.len() > 8 {
            self.fail(
                Where::field("nodes", i, "sources"),
                "a projection folds 1 to 8 topics".into(),
            );
        }
        for src in &p.sources {
            let publishers: Vec<&ServiceSpec> = self
                .s
                .nodes
                .iter()
                .filter_map(|m| match &m.kind {
                    NodeKind::Service(svc)
                        if svc.publish.as_ref().is_some_and(|x| x.topic == src.topic) =>
                    {
                        Some(svc)
                    }
                    _ => None,
                })
                .collect();
            // A store's subscriptions are checked in `projection_of_store`.
            if publishers.is_empty()
                && !self.captured_on(&src.topic)
                && !self.is_event_store(&p.broker)
            {
                self.fail(
                    Where::text("nodes", i, &src.topic),
                    format!(
                        "no service publishes on \"{}\" for this projection to fold",
                        src.topic
                    ),
                );
            }
            if publishers
                .iter()
                .any(|svc| svc.events == EventShape::Change)
            {
                self.fail(
                    Where::text("nodes", i, &src.topic),
                    format!(
                        "\"{}\" carries changes, not records; a projection folds whole records",
                        src.topic
                    ),
                );
            }
            if src.columns.is_empty() || src.columns.len() > 8 {
                self.fail(
                    Where::text("nodes", i, &src.topic),
                    "each source gives the view 1 to 8 columns".into(),
                );
            }
            for c in &src.columns {
                self.text_ok(Where::text("nodes", i, &src.topic), "column name", c.name());
            }
            self.upcasts(i, src);
        }
    }

    fn peer(&mut self, i: usize, n: &Node, p: &PeerSpec, owners: &BTreeMap<&str, &str>) {
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
                self.fail(
                    Where::text("nodes", i, &p.table),
                    format!(
                        "peers of \"{}\" must all be linked to each other; link {} and {}",
                        p.table,
                        self.who(&n.id),
                        self.who(&m.id)
                    ),
                );
            }
        }
        let other = self.s.nodes.iter().find_map(|m| match &m.kind {
            NodeKind::Peer(q) if q.table == p.table && q.strategy != p.strategy => {
                Some(m.id.as_str())
            }
            _ => None,
        });
        if let Some(other) = other {
            self.fail(
                Where::field("nodes", i, "strategy"),
                format!(
                    "{} resolves \"{}\" another way; all peers of a table share one strategy",
                    self.who(other),
                    p.table
                ),
            );
        }
    }

    fn orchestrator(&mut self, i: usize, n: &Node, o: &OrchestratorSpec) {
        if o.steps.is_empty() || o.steps.len() > 20 {
            self.fail(
                Where::field("nodes", i, "steps"),
                "a saga needs 1 to 20 steps".into(),
            );
        }
        if o.pivot.is_some_and(|p| p == 0 || p > o.steps.len()) {
            self.fail(
                Where::field("nodes", i, "pivot"),
                "the pivot is the number of one of the saga's steps, counting from 1".into(),
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

    fn client(&mut self, i: usize, n: &Node, c: &ClientSpec) {
        if c.retries > MAX_CLIENT_RETRIES {
            self.fail(
                Where::field("nodes", i, "retries"),
                format!(
                    "a client sends a request again at most {MAX_CLIENT_RETRIES} times; this one asks for {}",
                    c.retries
                ),
            );
        }
        if c.idempotency_key && c.retries == 0 {
            self.fail(
                Where::field("nodes", i, "idempotency_key"),
                "an idempotency key matters only to a retry: give the client retries (1 or more), or remove the key".into(),
            );
        }
        if !c.idempotency_key {
            return;
        }
        // Only a service stores keys with its writes.
        for (w, work) in self.s.workload.iter().enumerate() {
            let (Work::Request { op, .. } | Work::Every { op, .. }) = work;
            let write = matches!(op, Op::Write { .. } | Op::Edit { .. });
            let to = self.s.nodes.iter().find(|m| m.id == work.to());
            if write
                && work.from() == n.id
                && to.is_some_and(|m| !matches!(m.kind, NodeKind::Service(_)))
            {
                self.fail(
                    Where::text("workload", w, work.to()),
                    format!(
                        "{}'s requests carry idempotency keys, which only a service stores with its writes; {} is not a service",
                        n.id,
                        work.to()
                    ),
                );
            }
        }
    }

    fn composer(&mut self, i: usize, n: &Node, c: &ComposerSpec) {
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

    fn cdc(&mut self, i: usize, n: &Node, c: &CdcSpec) {
        self.must_reach(i, &n.id, &c.database, "database", |k| {
            matches!(k, NodeKind::Database(_))
        });
        self.must_reach(i, &n.id, &c.broker, "broker", carries_events);
        if c.poll.0 == 0 {
            self.fail(
                Where::field("nodes", i, "poll"),
                "the CDC poll interval must be above zero".into(),
            );
        }
        self.capture(i, c);
    }

    fn log(&mut self, i: usize, n: &Node, l: &LogSpec) {
        let s = self.s;
        if l.ack_timeout.0 == 0 {
            self.fail(
                Where::field("nodes", i, "ack_timeout"),
                "the acknowledgement timeout must be above zero".into(),
            );
        }
        for (field, d, what) in [
            ("fetch_wait", l.fetch_wait, "how long a fetch may wait"),
            ("session_timeout", l.session_timeout, "the session timeout"),
        ] {
            if !(1000..=60_000_000).contains(&d.0) {
                self.fail(
                    Where::field("nodes", i, field),
                    format!("{what} must be 1ms to 60s"),
                );
            }
        }
        if l.keep_for.is_some_and(|d| d.0 < 1000) || l.keep_last == Some(0) {
            self.fail(
                Where::field("nodes", i, "keep_for"),
                "a log keeps its events at least 1ms and at least 1 per partition".into(),
            );
        }
        if l.topics.is_empty() || l.topics.len() > LOG_TOPICS {
            self.fail(
                Where::field("nodes", i, "topics"),
                format!("a log holds 1 to {LOG_TOPICS} topics"),
            );
        }
        for (k, t) in l.topics.iter().enumerate() {
            if t.name.is_empty() || t.name.chars().count() > Bounds::ID_CHARS {
                self.fail(
                    Where::field("nodes", i, "topics"),
                    "a topic needs a name of 1 to 64 characters".into(),
                );
            } else if l.topics[..k].iter().any(|o| o.name == t.name) {
                self.fail(
                    Where::text("nodes", i, &t.name),
                    format!("the topic \"{}\" is listed twice", t.name),
                );
            }
            if !(1..=LOG_PARTITIONS).contains(&t.partitions) {
                self.fail(
                    Where::text("nodes", i, &t.name),
                    format!(
                        "the topic \"{}\" has {} partitions; give it 1 to {LOG_PARTITIONS}",
                        t.name, t.partitions
                    ),
                );
            }
        }
        let has = |topic: &str| l.topics.iter().any(|t| t.name == topic);
        let topics: Vec<&str> = l.topics.iter().map(|t| t.name.as_str()).collect();
        let consumers = log_consumers(s, &n.id);
        for (id, wants) in &consumers {
            for t in wants.iter().filter(|t| !has(t)) {
                self.fail(
                    Where::text("nodes", i, &n.id),
                    format!(
                        "{} reads the topic \"{t}\" from {}, which has no such topic; its topics are: {}",
                        self.who(id),
                        self.who(&n.id),
                        topics.join(", ")
                    ),
                );
            }
        }
        for m in &s.nodes {
            if let NodeKind::Service(svc) = &m.kind
                && let Some(p) = &svc.publish
                && p.broker == n.id
                && !has(&p.topic)
            {
                self.fail(
                    Where::text("nodes", i, &n.id),
                    format!(
                        "{} publishes on \"{}\", which {} has no topic for; its topics are: {}",
                        self.who(&m.id),
                        p.topic,
                        self.who(&n.id),
                        topics.join(", ")
                    ),
                );
            }
        }
        if l.groups.len() > LOG_GROUPS {
            self.fail(
                Where::field("nodes", i, "groups"),
                format!("a log serves at most {LOG_GROUPS} listed consumer groups"),
            );
        }
        for (k, g) in l.groups.iter().enumerate() {
            let place = Where::text("nodes", i, &g.name);
            if g.name.is_empty() || g.name.chars().count() > Bounds::ID_CHARS {
                self.fail(
                    Where::field("nodes", i, "groups"),
                    "a consumer group needs a name of 1 to 64 characters".into(),
                );
            } else if l.groups[..k].iter().any(|o| o.name == g.name) {
                self.fail(
                    place.clone(),
                    format!("the consumer group \"{}\" is listed twice", g.name),
                );
            } else if consumers
                .iter()
                .any(|(id, _)| id == &g.name && !l.groups.iter().any(|o| o.members.contains(id)))
            {
                self.fail(
                    place.clone(),
                    format!(
                        "\"{}\" is a consumer in no group, so it reads in a group of that name; call this group something else",
                        g.name
                    ),
                );
            }
            if g.members.is_empty() || g.members.len() > GROUP_MEMBERS {
                self.fail(
                    place.clone(),
                    format!(
                        "the consumer group \"{}\" needs 1 to {GROUP_MEMBERS} members",
                        g.name
                    ),
                );
            }
            if !(1..=crate::scenario::MAX_POLL).contains(&g.max_poll) {
                self.fail(
                    place.clone(),
                    format!(
                        "the consumer group \"{}\" fetches up to {} events at once; give 1 to {}",
                        g.name,
                        g.max_poll,
                        crate::scenario::MAX_POLL
                    ),
                );
            }
            if let crate::scenario::CommitPolicy::Every(d) = g.commit
                && !(1000..=60_000_000).contains(&d.0)
            {
                self.fail(
                    place.clone(),
                    format!(
                        "the consumer group \"{}\" commits every {d}; give 1ms to 60s",
                        g.name
                    ),
                );
            }
            if g.pace.0 > 10_000_000 {
                self.fail(
                    place.clone(),
                    format!(
                        "the consumer group \"{}\" takes over 10 s per event; give a pace of at most 10s",
                        g.name
                    ),
                );
            }
            for (j, m) in g.members.iter().enumerate() {
                if !consumers.iter().any(|(id, _)| id == m) {
                    self.fail(
                        Where::text("nodes", i, m),
                        format!(
                            "{} does not read from {}; a group's members are consumers that name it as their broker",
                            self.who(m),
                            self.who(&n.id)
                        ),
                    );
                } else if g.members[..j].contains(m)
                    || l.groups[..k].iter().any(|o| o.members.contains(m))
                {
                    self.fail(
                        Where::text("nodes", i, m),
                        format!(
                            "{} is listed in more than one place; a consumer belongs to one group",
                            self.who(m)
                        ),
                    );
                }
            }
        }
    }
}
