//! `settle compare`: two runs with one seed, and where they part ways.

use std::path::Path;

use super::run::{handled_said, named_variant};
use crate::scenario::{self, Scenario, fmt_time};
use crate::sim::Engine;
use crate::trace::export as trace_export;
use crate::trace::{StepKind, Trace, query};

/// Runs A and B (a file, or one of A's variants) to their ends with one
/// seed and reports where they part ways and which records differ.
pub fn compare_files(
    a: &Path,
    b: Option<&Path>,
    variant: Option<&str>,
    seed: Option<u64>,
) -> Result<String, String> {
    let sa = scenario::load_file(a).map_err(|e| e.to_string())?;
    let sb = match (b, variant) {
        (Some(b), None) => scenario::load_file(b).map_err(|e| e.to_string())?,
        (Some(_), Some(_)) => return Err("give a second file or --variant, not both".into()),
        (None, name) => {
            let made = match name {
                Some(name) => named_variant(&sa, name),
                None => sa.variant(0),
            };
            match (made, name) {
                (Some(s), _) => s,
                (None, Some(name)) => {
                    return Err(format!("{}: no variant is called \"{name}\"", a.display()));
                }
                (None, None) => {
                    return Err(format!(
                        "{}: declares no variants; name a second file to compare with",
                        a.display()
                    ));
                }
            }
        }
    };
    let seed = seed.unwrap_or(sa.seed);
    let run = |s: &Scenario| -> Result<Engine, String> {
        let mut e = Engine::new(s, seed).map_err(|e| e.to_string())?;
        e.run();
        Ok(e)
    };
    let (ea, eb) = (run(&sa)?, run(&sb)?);
    let (ta, tb) = (ea.trace(), eb.trace());
    let (ia, ib) = (query::Index::new(ta), query::Index::new(tb));
    let mut out = format!("A: {}\nB: {}\nseed {seed}\n", sa.title, sb.title);
    let parting = query::first_difference(ta, tb);
    match &parting {
        None => out.push_str("The runs agree from start to end.\n"),
        Some(p) => {
            out.push_str(&format!("The runs part ways at {}:\n", fmt_time(p.at)));
            for (side, t, step) in [("A", ta, p.a), ("B", tb, p.b)] {
                let said = step.map_or("(its run has ended)".to_string(), |i| step_said(t, i));
                out.push_str(&format!("  {side}: {said}\n"));
            }
        }
    }
    let differ = query::records_differing(query::Moment::end(ta, &ia), query::Moment::end(tb, &ib));
    if !differ.is_empty() {
        out.push_str(&format!(
            "Records that differ at the end ({}):\n",
            differ.len()
        ));
        let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        for d in &differ {
            out.push_str(&format!(
                "  {} {}/{}: A {}, B {}\n",
                d.node,
                d.table,
                d.id,
                or_dash(&d.a),
                or_dash(&d.b)
            ));
        }
    }
    out.push_str(&format!(
        "first_difference_at={} differing_records={}\n",
        parting.map_or("none".to_string(), |p| fmt_time(p.at)),
        differ.len()
    ));
    Ok(out)
}

/// One step of a run in words, for the compare report.
fn step_said(t: &Trace, i: usize) -> String {
    let Some(s) = t.step(i) else {
        return String::new();
    };
    let at = fmt_time(t.step_time(i));
    match s.kind {
        StepKind::Deliver | StepKind::Drop => t.message(s.id).map_or(at.clone(), |m| {
            let what = t
                .body(m.body)
                .map(|b| crate::model::body_label(&t.names, b))
                .unwrap_or_default();
            let dropped = if s.kind == StepKind::Drop {
                " (dropped)"
            } else {
                ""
            };
            format!(
                "{at} {} → {}: {what}{dropped}",
                t.node_label(t.sender(m)),
                t.node_label(m.to)
            )
        }),
        StepKind::Fault => t.faults.get(s.id as usize).map_or(at.clone(), |f| {
            format!("{at} {}", trace_export::fault_said(t, &f.fault))
        }),
        StepKind::Work => format!("{at} {} fires its next request", t.node_label(s.node)),
        StepKind::Timer => match handled_said(t, s) {
            Some(what) => format!("{at} {} handles {what}", t.node_label(s.node)),
            None => format!("{at} a timer fires at {}", t.node_label(s.node)),
        },
        StepKind::Mark => format!("{at} a narration step"),
        StepKind::Initial => format!(
            "{at} {} starts with {} rows",
            t.node_label(s.node),
            t.changes_of_step(i as u32)
        ),
    }
}
