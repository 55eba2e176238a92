//! The workload, the faults and the narration checked: what they name
//! exists, can do what is asked, and happens before the run ends.

use super::super::load::Bounds;
use super::super::locate::Where;
use super::super::{Act, Dur, Fault, NodeKind, Op, Strategy, Trigger, ValueSpec, Work};
use super::Checker;
use crate::model::peer_state::Change;

impl<'a> Checker<'a> {
    pub(super) fn workload(&mut self) {
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
            let (fk_kind, tk_kind) = (fk.kind(), tk.kind());
            if fk_kind.sends_requests() {
                if !tk_kind.serves(op) {
                    let why = if matches!(op, Op::Change { .. }) {
                        "a change (Add, Remove, Increment, Decrement) goes to a peer of a multi-leader table"
                    } else {
                        tk_kind.serves_only()
                    };
                    self.fail(
                        Where::field("workload", i, "to"),
                        format!("{} is a {}: {why}", self.who(to), tk.word()),
                    );
                } else {
                    self.need_link(Where::field("workload", i, "to"), from, to);
                }
            } else if fk_kind.performs_own_work() {
                if from != to {
                    self.fail(Where::field("workload", i, "to"), format!("a service performs its own work: set \"{to}\" to \"{from}\" as well, or send it from a client"));
                }
            } else {
                self.fail(
                    Where::field("workload", i, "from"),
                    format!(
                        "{} is a {}; work starts at a client or a service",
                        self.who(from),
                        fk.word()
                    ),
                );
            }
            let id = match op {
                Op::Write { id, value, poison } => {
                    if let ValueSpec::Text(t) = value {
                        self.text_ok(Where::item("workload", i), "value", t);
                    }
                    if *poison && !crate::scenario::publishes_to_queue(self.s, to) {
                        self.fail(Where::field("workload", i, "poison"), format!("{} publishes no event of its own to a broker: mark as poison only writes to a service that publishes its events to a broker itself (not through an outbox)", self.who(to)));
                    }
                    id
                }
                Op::Edit { id, set, .. } => {
                    self.text_ok(Where::item("workload", i), "edit", set);
                    if !set
                        .split_whitespace()
                        .all(|p| p.split_once('=').is_some_and(|(k, _)| !k.is_empty()))
                        || set.trim().is_empty()
                    {
                        self.fail(Where::field("workload", i, "set"), "an edit sets fields written as name=value, separated by spaces, like \"phone=555\"".into());
                    }
                    id
                }
                Op::Read { id } | Op::ReadAfterMyWrite { id } => id,
                Op::Change { id, change } => {
                    self.change_ok(i, tk, change);
                    id
                }
            };
            if let (
                Op::Write {
                    value: ValueSpec::Int(n),
                    ..
                },
                NodeKind::Peer(p),
            ) = (op, tk)
                && *n < 0
                && p.strategy == Strategy::GCounter
            {
                self.fail(
                    Where::field("workload", i, "value"),
                    format!("{} keeps a G-counter (grow-only), which cannot count down: choose PnCounter for its table to count {n}", self.who(to)),
                );
            }
            if matches!(
                op,
                Op::Edit { .. } | Op::ReadAfterMyWrite { .. } | Op::Change { .. }
            ) && !matches!(fk, NodeKind::Client(_))
            {
                self.fail(
                    Where::field("workload", i, "from"),
                    "edits, changes and reads after one's own write are made by a client".into(),
                );
            }
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

    /// A change must be one its peer's strategy can make, by at least one,
    /// of an element a file can hold.
    fn change_ok(&mut self, i: usize, to: &NodeKind, change: &Change<String>) {
        let place = || Where::field("workload", i, "change");
        match change {
            Change::Add(item) | Change::Remove(item) => {
                self.text_ok(Where::item("workload", i), "change", item);
                if item.trim().is_empty() {
                    self.fail(
                        place(),
                        "name the element to add or remove, like Add(\"milk\")".into(),
                    );
                }
            }
            Change::Increment(0) | Change::Decrement(0) => {
                self.fail(
                    place(),
                    "a count changes by at least 1, like Increment(1)".into(),
                );
            }
            Change::Increment(_) | Change::Decrement(_) => {}
        }
        if let NodeKind::Peer(p) = to
            && let Some(why) = p.strategy.refuses(change)
        {
            self.fail(place(), format!("{}: {why}", change.said()));
        }
    }

    pub(super) fn before_end(&mut self, place: Where, at: u64) {
        if at > self.s.until.0 {
            self.fail(place, format!("this happens at {}, after the run ends at {}; move it earlier or raise \"until\"", Dur(at), self.s.until));
        }
    }

    pub(super) fn faults(&mut self) {
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
                                    "there is no link between {} and {} to cut or heal",
                                    self.who(a),
                                    self.who(b)
                                ),
                            );
                        }
                    }
                }
                Fault::ClockSkew { node, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    if kind.is_some_and(|k| !k.acts_now().contains(&Act::Skew)) {
                        self.fail(Where::field("faults", i, "node"), format!("{} stamps no writes: clock skew matters only to last-writer-wins peers", self.who(node)));
                    }
                }
                Fault::Crash { node, .. } | Fault::Restart { node, .. } => {
                    self.node_ref(Where::field("faults", i, "node"), node);
                }
                Fault::Rebuild { node, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    if kind.is_some_and(|k| !k.acts_now().contains(&Act::Rebuild)) {
                        self.fail(
                            Where::field("faults", i, "node"),
                            format!(
                                "{} is not a projection: only a projection's view can be rebuilt",
                                self.who(node)
                            ),
                        );
                    }
                    if let Some(NodeKind::Projection(p)) = kind
                        && self
                            .s
                            .nodes
                            .iter()
                            .any(|n| n.id == p.broker && n.kind.kind().is_queue())
                    {
                        self.fail(Where::field("faults", i, "node"), format!("{} reads from the broker {}, and a queue deletes what it delivered: rebuild from a log", self.who(node), self.who(&p.broker)));
                    }
                }
                Fault::Redrive { node, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    if kind.is_some_and(|k| !k.acts_now().contains(&Act::Redrive)) {
                        self.fail(Where::field("faults", i, "node"), format!("{} keeps no dead letters: only a broker with max_attempts has a queue to re-drive", self.who(node)));
                    }
                }
                Fault::Fix { node, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    if kind.is_some_and(|k| !k.acts_now().contains(&Act::Fix)) {
                        self.fail(Where::field("faults", i, "node"), format!("{} rejects no poison events: only a replica (a consumer) has a fix to deploy", self.who(node)));
                    }
                }
                Fault::Rewind { node, group, .. } => {
                    let kind = self.node_ref(Where::field("faults", i, "node"), node);
                    match kind.map(|k| k.acts_now().contains(&Act::Rewind)) {
                        Some(true) => {
                            let groups = crate::scenario::log_groups(self.s, node);
                            if !groups.iter().any(|g| &g.name == group) {
                                let names: Vec<&str> =
                                    groups.iter().map(|g| g.name.as_str()).collect();
                                self.fail(
                                    Where::text("faults", i, group),
                                    format!(
                                        "{} has no consumer group \"{group}\"; its groups are: {}",
                                        self.who(node),
                                        names.join(", ")
                                    ),
                                );
                            }
                        }
                        Some(false) => self.fail(
                            Where::field("faults", i, "node"),
                            format!(
                                "{} is not a log: only a log's consumer groups can be rewound",
                                self.who(node)
                            ),
                        ),
                        None => {}
                    }
                }
                Fault::Deliver { message, .. }
                | Fault::Drop { message, .. }
                | Fault::Duplicate { message, .. } => self.chosen_once(i, *message),
                Fault::RenameColumn {
                    node,
                    table,
                    from,
                    to,
                    ..
                } => self.rename_column(i, node, table, (from, to)),
            }
        }
    }

    /// A message arrives once: a second choice about the same message
    /// (a choice of what arrives next names it by its number in the run)
    /// would find it already gone.
    fn chosen_once(&mut self, i: usize, message: u32) {
        let earlier = self
            .s
            .faults
            .iter()
            .take(i)
            .position(|f| f.choice().is_some_and(|(m, _, _)| m == message));
        if let Some(j) = earlier {
            self.fail(
                Where::field("faults", i, "message"),
                format!(
                    "message #{message} was already chosen (fault {}): a message arrives once, so a second choice about it would do nothing; remove one of them",
                    j + 1
                ),
            );
        }
    }

    pub(super) fn narration(&mut self) {
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
}
