//! Two runs side by side: the first moment they part ways, and which
//! records differ at a moment. Runs of different drawings number their
//! nodes and interned names differently, so both are read in the words a
//! person reads (node ids, table and record names, message labels) and
//! compared as text.

use std::collections::BTreeMap;

use super::Index;
use crate::model::{Micros, body_label, value_text};
use crate::trace::{StepKind, Trace, export::fault_text};

/// Where two runs first part ways.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parting {
    pub at: Micros,
    /// The first step of each run that the other does not match (none
    /// when that run had already ended).
    pub a: Option<usize>,
    pub b: Option<usize>,
}

/// The first moment the two runs differ, or `None` when they agree from
/// start to end. Narration marks are left out: they tell, they do not act.
pub fn first_difference(a: &Trace, b: &Trace) -> Option<Parting> {
    let mut ia = Said::new(a);
    let mut ib = Said::new(b);
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return None,
            (Some((i, ta, sa)), Some((j, tb, sb))) => {
                if ta != tb || sa != sb {
                    return Some(Parting {
                        at: ta.min(tb),
                        a: Some(i),
                        b: Some(j),
                    });
                }
            }
            (Some((i, t, _)), None) => {
                return Some(Parting {
                    at: t,
                    a: Some(i),
                    b: None,
                });
            }
            (None, Some((j, t, _))) => {
                return Some(Parting {
                    at: t,
                    a: None,
                    b: Some(j),
                });
            }
        }
    }
}

/// A trace's steps in words, with what each wrote.
struct Said<'a> {
    trace: &'a Trace,
    step: usize,
    change: usize,
}

impl<'a> Said<'a> {
    fn new(trace: &'a Trace) -> Self {
        Said {
            trace,
            step: 0,
            change: 0,
        }
    }

    fn next(&mut self) -> Option<(usize, Micros, String)> {
        let t = self.trace;
        loop {
            let i = self.step;
            let s = t.step(i)?;
            self.step += 1;
            let mut text = match s.kind {
                StepKind::Mark => continue,
                StepKind::Deliver | StepKind::Drop => {
                    let m = t.message(s.id)?;
                    let what = t.body(m.body).map(|b| body_label(&t.names, b));
                    format!(
                        "{:?} {} → {}: {}",
                        s.kind,
                        t.node_id(t.sender(m)),
                        t.node_id(m.to),
                        what.unwrap_or_default()
                    )
                }
                StepKind::Fault => t
                    .faults
                    .get(s.id as usize)
                    .map(|f| fault_text(t, &f.fault))
                    .unwrap_or_default(),
                StepKind::Timer | StepKind::Work | StepKind::Initial => {
                    format!("{:?} {}", s.kind, t.node_id(s.node))
                }
            };
            // Skip the changes of mark steps passed over, then say ours.
            while let Some(c) = t.change(self.change) {
                if c.step as usize > i {
                    break;
                }
                self.change += 1;
                if c.step as usize == i
                    && let Some(r) = t.change_record(c)
                {
                    text.push_str(&format!(
                        "; {} {}/{}={} v{}@{}",
                        t.node_id(t.change_node(c)),
                        t.names.get(r.key.table),
                        t.names.get(r.key.id),
                        value_text(&t.names, r.value),
                        r.version.counter,
                        r.version.time
                    ));
                }
            }
            return Some((i, t.step_time(i), text));
        }
    }
}

/// One run at one moment: its trace, its index and how many steps apply.
#[derive(Clone, Copy)]
pub struct Moment<'a> {
    pub trace: &'a Trace,
    pub index: &'a Index,
    pub upto: usize,
}

impl<'a> Moment<'a> {
    /// The end of a finished run.
    pub fn end(trace: &'a Trace, index: &'a Index) -> Self {
        Moment {
            trace,
            index,
            upto: trace.steps.len(),
        }
    }
}

/// A record two runs hold differently: which node, which record, and the
/// value each holds (`None`: not there, never written or removed since:
/// both read "—", so a removed record matches one never written).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordDiff {
    pub node: String,
    pub table: String,
    pub id: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// Every record whose value differs between the two runs at their
/// moments, in node, table and id order.
pub fn records_differing(a: Moment, b: Moment) -> Vec<RecordDiff> {
    let (va, vb) = (values(a), values(b));
    let mut keys: Vec<&(String, String, String)> = va.keys().chain(vb.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (va.get(k), vb.get(k));
            (x != y).then(|| RecordDiff {
                node: k.0.clone(),
                table: k.1.clone(),
                id: k.2.clone(),
                a: x.cloned(),
                b: y.cloned(),
            })
        })
        .collect()
}

fn values(m: Moment) -> BTreeMap<(String, String, String), String> {
    let t = m.trace;
    let mut out = BTreeMap::new();
    for n in 0..t.nodes.len() {
        let node = n as crate::model::NodeIdx;
        for r in m.index.store_at(t, node, m.upto) {
            if r.value == crate::model::Value::Absent {
                continue;
            }
            out.insert(
                (
                    t.node_id(node).to_string(),
                    t.names.get(r.key.table).to_string(),
                    t.names.get(r.key.id).to_string(),
                ),
                value_text(&t.names, r.value),
            );
        }
    }
    out
}
