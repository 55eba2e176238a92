//! Writing a trace out: JSON Lines for tools, Mermaid for documents.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value as Json, json};

use super::query::fold;
use super::{DropReason, FaultEvent, StepKind, Trace};
use crate::model::{Body, Key, NodeIdx, Record, body_label, value_text};
use crate::model::{deliver_flags, message_flags};
use crate::scenario::{Scenario, fmt_time};

/// Most arrows a Mermaid export draws; past that a note says how many were
/// left out (a diagram of thousands of arrows helps nobody).
pub const MERMAID_MAX_ARROWS: usize = 1_500;

/// What a fault was, in words, naming nodes by id (for files).
pub fn fault_text(trace: &Trace, f: &FaultEvent) -> String {
    fault_words(trace, f, Trace::node_id)
}

/// What a fault was, in words, naming nodes by the names people read.
pub fn fault_said(trace: &Trace, f: &FaultEvent) -> String {
    fault_words(trace, f, Trace::node_label)
}

/// What a message says, as drawn on its arrow: the body in words (names,
/// not ids) with what happened to it on the way (resent, stale, read from
/// another service's table). The app's diagram and the exported one both
/// label arrows with this.
pub fn message_said(trace: &Trace, m: u32) -> String {
    let Some(msg) = trace.message(m) else {
        return String::new();
    };
    let Some(b) = trace.body(msg.body) else {
        return String::new();
    };
    let mut text = body_label(&trace.names, b);
    if msg.flags & message_flags::REDELIVERY != 0 {
        text = format!("↻ {text}");
    }
    if msg.flags & message_flags::STALE != 0 {
        text.push_str(" (stale)");
    }
    if msg.flags & message_flags::FOREIGN != 0 {
        text.push_str(" ⚠ not its table");
    }
    if waited_for_lock(trace, m) {
        text.push_str(" (waits: locked)");
    }
    text
}

/// Whether message `m` was delivered to a record locked by a prepared
/// transaction, and so waited for its decision.
pub fn waited_for_lock(trace: &Trace, m: u32) -> bool {
    let Some(msg) = trace.message(m) else {
        return false;
    };
    // Only a request waits; its delivery is among the steps at its arrival.
    let request = matches!(
        trace.body(msg.body),
        Some(Body::Request { .. } | Body::KeyedRequest { .. })
    );
    if !request {
        return false;
    }
    let first = trace.first_step_at(msg.at());
    trace
        .steps
        .iter_from(first)
        .take(10_000)
        .find(|s| matches!(s.kind, StepKind::Deliver | StepKind::Drop) && s.id == m)
        .is_some_and(|s| {
            s.kind == StepKind::Deliver && s.flags & deliver_flags::WAITS_FOR_LOCK != 0
        })
}

fn fault_words(trace: &Trace, f: &FaultEvent, name: fn(&Trace, NodeIdx) -> &str) -> String {
    let id = |n: NodeIdx| name(trace, n).to_string();
    match f {
        FaultEvent::Cut {
            from,
            to,
            one_way: false,
        } => format!("cut {} ⟷ {}", id(*from), id(*to)),
        FaultEvent::Cut {
            from,
            to,
            one_way: true,
        } => format!("cut {} → {}", id(*from), id(*to)),
        FaultEvent::Heal { from, to } => format!("heal {} ⟷ {}", id(*from), id(*to)),
        FaultEvent::HealAll => "heal every link".to_string(),
        FaultEvent::Crash(n) => format!("crash {}", id(*n)),
        FaultEvent::Restart(n) => format!("restart {}", id(*n)),
        FaultEvent::Skew(n, by) => format!(
            "{}'s clock runs {} ahead",
            id(*n),
            crate::scenario::Dur(*by)
        ),
        FaultEvent::Rebuild(n) => format!("rebuild {}'s view", id(*n)),
        FaultEvent::Redrive(n) => format!("re-drive {}'s dead letters", id(*n)),
        FaultEvent::Fix(n) => format!("deploy a fix to {}", id(*n)),
        FaultEvent::Rewind {
            node,
            group,
            offset,
        } => format!(
            "rewind group {} on {} to offset {offset}",
            trace.names.get(*group),
            id(*node)
        ),
        FaultEvent::Renamed { node, from, to } => format!(
            "{} renames column {} to {}",
            id(*node),
            trace.names.get(*from),
            trace.names.get(*to)
        ),
        FaultEvent::Chosen {
            message, choice, ..
        } => {
            let (from, to) = trace
                .message(*message)
                .map_or((0, 0), |m| (trace.sender(m), m.to));
            format!(
                "{} → {}: {} #{message} {} (chosen)",
                id(from),
                id(to),
                message_said(trace, *message),
                choice.said()
            )
        }
    }
}

fn record_json(trace: &Trace, r: Option<&Record>) -> Json {
    match r {
        Some(r) => {
            json!({ "value": value_text(&trace.names, r.value), "version": r.version.to_string() })
        }
        None => Json::Null,
    }
}

/// Writes one JSON object per line: every step, then the sends and state
/// changes it caused, in the order they happened.
pub fn write_jsonl(trace: &Trace, out: &mut impl Write) -> io::Result<()> {
    let mut last: BTreeMap<(NodeIdx, Key), Record> = BTreeMap::new();
    let mut msg_i = 0usize;
    let mut change_i = 0usize;
    for (i, s) in trace.steps.iter().enumerate() {
        let t = trace.step_time(i);
        let node = trace.node_id(s.node);
        let mut line = json!({ "t_us": t, "step": i, "node": node });
        let cause_msg = matches!(s.kind, StepKind::Deliver).then_some(s.id);
        match s.kind {
            StepKind::Deliver | StepKind::Drop => {
                let m = trace.message(s.id);
                let body = m.and_then(|m| trace.body(m.body));
                line["event"] = json!(if s.kind == StepKind::Deliver {
                    "deliver"
                } else {
                    "drop"
                });
                line["msg"] = json!(s.id);
                line["from"] = json!(m.map(|m| trace.node_id(trace.sender(m))));
                line["kind"] = json!(body.map(|b| b.kind()));
                line["label"] = json!(body.map(|b| body_label(&trace.names, b)));
                if s.kind == StepKind::Drop {
                    line["reason"] = json!(DropReason::from_flags(s.flags).text());
                } else {
                    if s.flags & deliver_flags::DUPLICATE_IGNORED != 0 {
                        line["ignored"] = json!("duplicate");
                    }
                    if s.flags & deliver_flags::OLDER_IGNORED != 0 {
                        line["ignored"] = json!("older version");
                    }
                    if s.flags & deliver_flags::WAITS_FOR_LOCK != 0 {
                        line["waits"] = json!("lock");
                    }
                }
            }
            StepKind::Timer => {
                line["event"] = json!("timer");
                if let Some(t) = super::query::timeout_at(trace, i) {
                    line["gave_up"] = json!(true);
                    line["outcome"] = json!(super::query::UNKNOWN_OUTCOME);
                    line["request"] = json!(t.request);
                    line["retried"] = json!(t.retried);
                }
            }
            StepKind::Work => {
                let w = trace.timed.get(s.id as usize);
                line["event"] = json!("work");
                line["item"] = json!(w.map(|w| w.a));
                line["n"] = json!(w.map(|w| w.b));
            }
            StepKind::Fault => {
                line["event"] = json!("fault");
                line["fault"] = json!(
                    trace
                        .faults
                        .get(s.id as usize)
                        .map(|f| fault_text(trace, &f.fault))
                );
            }
            StepKind::Mark => {
                line["event"] = json!("narration");
                line["narration"] = json!(trace.timed.get(s.id as usize).map(|w| w.a));
            }
            StepKind::Initial => {
                line["event"] = json!("starting_rows");
                line["rows"] = json!(trace.changes_of_step(i as u32));
            }
        }
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;

        while let Some(m) = trace.messages.get(msg_i).filter(|m| m.cause as usize == i) {
            let body = trace.body(m.body);
            let send = json!({
                "t_us": t, "event": "send", "msg": msg_i, "cause_msg": cause_msg,
                "from": trace.node_id(trace.sender(m)), "to": trace.node_id(m.to), "arrives_us": m.at(),
                "kind": body.map(|b| b.kind()), "label": body.map(|b| body_label(&trace.names, b)),
                "duplicate": m.flags & message_flags::DUPLICATE != 0,
                "redelivery": m.flags & message_flags::REDELIVERY != 0,
                "stale": m.flags & message_flags::STALE != 0,
            });
            serde_json::to_writer(&mut *out, &send)?;
            out.write_all(b"\n")?;
            msg_i += 1;
        }
        while let Some(c) = trace.change(change_i).filter(|c| c.step as usize == i) {
            if let Some(r) = trace.change_record(c) {
                let old = last.insert((s.node, r.key), *r);
                let change = json!({
                    "t_us": t, "event": "change", "node": node, "key": trace.key_text(r.key),
                    "cause_msg": cause_msg, "old": record_json(trace, old.as_ref()), "new": record_json(trace, Some(r)),
                });
                serde_json::to_writer(&mut *out, &change)?;
                out.write_all(b"\n")?;
            }
            change_i += 1;
        }
    }
    Ok(())
}

/// Between two bounded contexts, what travels is one context's published
/// language: a request speaks the API of the context it is sent to; an
/// event or an answer, the language of the context it comes from. For
/// message `m` between two contexts: "Sales published language"; none
/// for database traffic.
pub fn published_language(scenario: &Scenario, trace: &Trace, m: u32) -> Option<String> {
    let msg = trace.message(m)?;
    let context = |n: NodeIdx| {
        let id = &trace.nodes.get(n as usize)?.id;
        scenario.context_of(id).map(|c| c.name.as_str())
    };
    let (from, to) = (context(trace.sender(msg))?, context(msg.to)?);
    // A query or a commit with another context's database is no language
    // it published: it is the cross-context read the design hints flag.
    let database = |n: NodeIdx| {
        trace
            .nodes
            .get(n as usize)
            .is_some_and(|i| i.kind == crate::scenario::Kind::Database)
    };
    if from == to || database(trace.sender(msg)) || database(msg.to) {
        return None;
    }
    let told = trace
        .body(msg.body)
        .is_some_and(|b| b.is_reply() || matches!(b, Body::Event { .. }));
    Some(format!(
        "{} published language",
        if told { from } else { to }
    ))
}

/// The participants, in lane order; the nodes of each bounded context
/// first, grouped in a box named after it.
fn write_participants(
    trace: &Trace,
    scenario: &Scenario,
    ids: &[String],
    out: &mut impl Write,
) -> io::Result<()> {
    let lanes: Vec<(&String, &super::NodeInfo)> = ids.iter().zip(&trace.nodes).collect();
    for c in &scenario.contexts {
        // `transparent` first, so that a context named like a colour is
        // still read as the box's name.
        // The word "end" would close the box early.
        let mut name = mermaid_text(&c.name);
        if name
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("end"))
        {
            name = format!("({name})");
        }
        writeln!(out, "    box transparent {name}")?;
        for (id, n) in lanes.iter().filter(|(_, n)| c.nodes.contains(&n.id)) {
            writeln!(out, "    participant {id} as {}", mermaid_text(&n.label))?;
        }
        writeln!(out, "    end")?;
    }
    for (id, n) in lanes
        .iter()
        .filter(|(_, n)| scenario.context_of(&n.id).is_none())
    {
        writeln!(out, "    participant {id} as {}", mermaid_text(&n.label))?;
    }
    Ok(())
}

/// Participant names Mermaid reads: letters, digits and underscores
/// (a dash would be taken for the start of an arrow), each unique.
fn mermaid_ids(trace: &Trace) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(trace.nodes.len());
    for (i, n) in trace.nodes.iter().enumerate() {
        let mut id: String =
            n.id.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
        if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
            id.insert(0, 'n');
        }
        if out.contains(&id) {
            id = format!("{id}_{i}");
        }
        out.push(id);
    }
    out
}

/// Text safe inside a Mermaid message or note.
fn mermaid_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ';' | '#' | '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

/// A Mermaid arrow for a poll that found nothing, held back while it
/// repeats.
struct Held {
    first: u32,
    times: u32,
    /// `from->>to`.
    head: String,
    text: String,
}

impl Held {
    fn write(self, out: &mut impl Write) -> io::Result<()> {
        let text = self.text + &fold::times_said(self.times);
        writeln!(out, "    {}: {}", self.head, mermaid_text(&text))
    }
}

/// Writes the run as a Mermaid `sequenceDiagram`.
pub fn write_mermaid(trace: &Trace, scenario: &Scenario, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "sequenceDiagram")?;
    writeln!(
        out,
        "    %% {} (seed {})",
        mermaid_text(&scenario.title),
        trace.seed
    )?;
    let ids = mermaid_ids(trace);
    write_participants(trace, scenario, &ids, out)?;
    let id = |n: NodeIdx| ids.get(n as usize).map_or("unknown", String::as_str);
    let (first, last) = match (ids.first(), ids.last()) {
        (Some(a), Some(b)) => (a.as_str(), b.as_str()),
        _ => return Ok(()),
    };
    let mut arrows = 0usize;
    let mut skipped = 0usize;
    // A poll that found nothing waits here for its repeats, to be written
    // once as "read log from #2 ×12" (see `query::fold`).
    let mut held: Option<Held> = None;
    for (i, s) in trace.steps.iter().enumerate() {
        let t = fmt_time(trace.step_time(i));
        if let Some(h) = &mut held {
            let repeat = s.kind == StepKind::Deliver && fold::repeats(trace, h.first, s.id);
            if repeat {
                h.times += 1;
                continue;
            }
            // Steps that draw nothing (the relay's own poll timer) leave
            // the poll waiting for its next repeat.
            let draws = match s.kind {
                StepKind::Work => false,
                StepKind::Timer => super::query::timeout_said(trace, i).is_some(),
                _ => true,
            };
            if draws && let Some(h) = held.take() {
                h.write(out)?;
            }
        }
        match s.kind {
            StepKind::Deliver | StepKind::Drop => {
                if arrows >= MERMAID_MAX_ARROWS {
                    skipped += 1;
                    continue;
                }
                let Some(m) = trace.message(s.id) else {
                    continue;
                };
                let body = trace.body(m.body);
                let label = body
                    .map(|b| body_label(&trace.names, b))
                    .unwrap_or_default();
                let arrow = if body.is_some_and(Body::is_reply) {
                    "-->>"
                } else {
                    "->>"
                };
                let (from, to) = (id(trace.sender(m)), id(m.to));
                let mut text = format!("{t} {label}");
                if let Some(said) = published_language(scenario, trace, s.id) {
                    text.push_str(&format!(" [{said}]"));
                }
                if m.flags & message_flags::DUPLICATE != 0 {
                    text.push_str(" (duplicate)");
                }
                if m.flags & message_flags::REDELIVERY != 0 {
                    text.push_str(" (redelivered)");
                }
                if m.flags & message_flags::STALE != 0 {
                    text.push_str(" (stale)");
                }
                // A drop's flags are its reason, not what a receiver made of it.
                if s.kind == StepKind::Deliver && s.flags & deliver_flags::DUPLICATE_IGNORED != 0 {
                    text.push_str(" (ignored: already applied)");
                }
                if s.kind == StepKind::Drop {
                    text.push_str(&format!(
                        " (dropped: {})",
                        DropReason::from_flags(s.flags).text()
                    ));
                    let cross = if arrow == "-->>" { "--x" } else { "-x" };
                    writeln!(out, "    {from}{cross}{to}: {}", mermaid_text(&text))?;
                } else if fold::idle_poll(trace, s.id) {
                    held = Some(Held {
                        first: s.id,
                        times: 1,
                        head: format!("{from}{arrow}{to}"),
                        text,
                    });
                } else {
                    writeln!(out, "    {from}{arrow}{to}: {}", mermaid_text(&text))?;
                }
                arrows += 1;
            }
            StepKind::Fault => {
                if let Some(f) = trace.faults.get(s.id as usize) {
                    let who = id(s.node);
                    writeln!(
                        out,
                        "    Note over {who}: {t} {}",
                        mermaid_text(&fault_text(trace, &f.fault))
                    )?;
                }
            }
            StepKind::Mark => {
                let n = trace.timed.get(s.id as usize).map_or(0, |w| w.a as usize);
                if let Some(step) = scenario.narration.get(n) {
                    let text: String = step.text.chars().take(160).collect();
                    writeln!(
                        out,
                        "    Note over {first},{last}: {t} {}",
                        mermaid_text(&text)
                    )?;
                }
            }
            StepKind::Timer => {
                if let Some(text) = super::query::timeout_said(trace, i) {
                    writeln!(
                        out,
                        "    Note over {}: {t} {}",
                        id(s.node),
                        mermaid_text(&text)
                    )?;
                }
            }
            StepKind::Work | StepKind::Initial => {}
        }
    }
    if let Some(h) = held.take() {
        h.write(out)?;
    }
    if skipped > 0 {
        writeln!(
            out,
            "    Note over {first},{last}: {skipped} more messages not drawn"
        )?;
    }
    Ok(())
}
