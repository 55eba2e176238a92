//! `settle run`: run a scenario headless and tell what happened.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use super::RunArgs;
use crate::check;
use crate::scenario::{self, Scenario, fmt_ms, fmt_time};
use crate::sim::{Engine, RunEnd};
use crate::trace::export as trace_export;
use crate::trace::{StepKind, Trace};

pub(super) fn run_file(args: &RunArgs) -> ExitCode {
    let s = match scenario::load_file(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let s = match &args.variant {
        None => s,
        Some(name) => match named_variant(&s, name) {
            Some(v) => v,
            None => {
                eprintln!("{}: no variant is called \"{name}\"", args.file.display());
                return ExitCode::FAILURE;
            }
        },
    };
    run_scenario(&s, args)
}

/// The scenario a variant of `s` makes, found by name.
pub(super) fn named_variant(s: &Scenario, name: &str) -> Option<Scenario> {
    s.variant(s.variants.iter().position(|v| v.name == name)?)
}

/// Runs a loaded scenario with the command's options and prints the report.
pub fn run_scenario(s: &Scenario, args: &RunArgs) -> ExitCode {
    let seed = args.seed.unwrap_or(s.seed);
    let mut engine = match Engine::new(s, seed) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let end = engine.run_until(args.until.unwrap_or(s.until.0));
    let trace = engine.trace();
    print!("{}", summary(s, trace));
    if end == RunEnd::StepLimit {
        println!(
            "  The run stopped early: it reached Settle's limit of {} steps.",
            crate::sim::MAX_STEPS
        );
    }
    for (path, which) in [(&args.trace_out, "trace"), (&args.mermaid_out, "mermaid")] {
        let Some(path) = path else { continue };
        if let Err(e) = write_export(path, |w| match which {
            "trace" => trace_export::write_jsonl(trace, w),
            _ => trace_export::write_mermaid(trace, s, w),
        }) {
            eprintln!("{}: cannot write: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("  Wrote the {which} to {}.", path.display());
    }
    if !args.check {
        return ExitCode::SUCCESS;
    }
    let outcomes = check::evaluate(s, trace);
    println!("\nChecks:");
    for o in &outcomes {
        let mark = if o.passed { "PASS" } else { "FAIL" };
        let at = match (o.passed, o.at) {
            (false, Some(t)) => format!(" (see {})", fmt_time(t)),
            _ => String::new(),
        };
        println!("  {mark}  {} — {}{at}", o.what, o.why);
    }
    let index = crate::trace::query::Index::new(trace);
    let watched: Vec<_> = check::monitors(trace, &index, trace.steps.len())
        .into_iter()
        .filter(|m| m.count > 0)
        .collect();
    if !watched.is_empty() {
        println!("\nMonitors:");
        for m in &watched {
            let first = m
                .first
                .map(|t| format!(", first at {}", fmt_time(t)))
                .unwrap_or_default();
            println!("  {}: {}{first}", m.what(), m.count);
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    println!("{passed} passed, {} failed", outcomes.len() - passed);
    if passed == outcomes.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub(super) fn write_export(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    f(&mut w)?;
    w.flush()
}

/// What happened in a run, in sentences a teacher can read aloud.
pub fn summary(s: &Scenario, trace: &Trace) -> String {
    let t = &trace.totals;
    let mut out = String::new();
    let end = trace.end_time();
    out.push_str(&format!(
        "{} (seed {}), {} of virtual time\n",
        s.title,
        trace.seed,
        fmt_time(end)
    ));
    if !s.summary.is_empty() {
        out.push_str(&format!("  {}\n", s.summary));
    }
    out.push_str(&format!(
        "  {} nodes and {} links. {} steps: {} messages sent, {} delivered, {} dropped.\n",
        s.nodes.len(),
        s.links.len(),
        trace.steps.len(),
        t.sent,
        t.delivered,
        t.dropped
    ));
    let mut story = Vec::new();
    for (i, st) in trace.steps.iter().enumerate() {
        let when = fmt_time(trace.step_time(i));
        match st.kind {
            StepKind::Fault => {
                if let Some(f) = trace.faults.get(st.id as usize) {
                    story.push(format!(
                        "  {when}  [fault] {}",
                        trace_export::fault_text(trace, &f.fault)
                    ));
                }
            }
            StepKind::Mark => {
                let n = trace.timed.get(st.id as usize).map_or(0, |w| w.a as usize);
                if let Some(step) = s.narration.get(n) {
                    story.push(format!("  {when}  {}", step.text));
                }
            }
            _ => {}
        }
    }
    if !story.is_empty() {
        out.push_str("\nWhat happened:\n");
        for line in story {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("\nIn numbers:\n");
    out.push_str(&format!("  {} requests fired by the workload; {} answers delivered (between services too); {} timed out with an unknown outcome.\n", t.requests, t.answers, t.gave_up));
    if t.duplicated + t.redeliveries + t.duplicates_ignored > 0 {
        out.push_str(&format!(
            "  {} messages duplicated by links, {} resent for want of an acknowledgement; {} duplicate deliveries recognised and ignored.\n",
            t.duplicated, t.redeliveries, t.duplicates_ignored
        ));
    }
    if t.stale_reads > 0 {
        out.push_str(&format!(
            "  {} reads returned an older version than the owner held (stale reads).\n",
            t.stale_reads
        ));
    }
    let index = crate::trace::query::Index::new(trace);
    let upto = trace.steps.len();
    for table in &trace.tables {
        if table.replicas.is_empty() {
            continue;
        }
        let name = trace.names.get(table.name);
        let differ = index.divergent_keys(trace, table.name, upto).len();
        let total = index.id_count(table.name);
        let copies = table.replicas.len() + 1;
        let lags: Vec<u64> = crate::trace::query::visibility_lags(trace, name)
            .into_iter()
            .filter_map(|(_, l)| l)
            .collect();
        if let (Some(min), Some(max)) = (lags.iter().min(), lags.iter().max()) {
            let mean = lags.iter().sum::<u64>() / lags.len() as u64;
            out.push_str(&format!(
                "  Writes to {name} took {} to {} (mean {}) to show on its copies.\n",
                fmt_ms(*min),
                fmt_ms(*max),
                fmt_ms(mean)
            ));
        }
        if differ == 0 {
            out.push_str(&format!(
                "  At the end, all {copies} copies of {name} agree on all {total} records.\n"
            ));
        } else {
            out.push_str(&format!("  At the end, {differ} of {total} records of {name} still differ between its {copies} copies.\n"));
        }
    }
    out
}

/// What a log's member handled in timer step `s`, as a label.
pub(super) fn handled_said(t: &Trace, s: &crate::trace::Step) -> Option<String> {
    let b = crate::trace::query::handled_event(t, s)?;
    t.body(b)
        .map(|body| crate::model::body_label(&t.names, body))
}
