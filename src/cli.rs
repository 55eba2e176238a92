//! The headless commands: run a scenario and report, validate a file,
//! export pictures and tables of a run, measure the engine.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::check;
use crate::export;
use crate::scenario::{self, Scenario, fmt_ms, fmt_time, parse_dur};
use crate::sim::{Engine, RunEnd};
use crate::trace::export as trace_export;
use crate::trace::{StepKind, Trace, query};

/// Settle: watch data move and settle across microservices.
#[derive(Debug, Parser)]
#[command(name = "settle", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario without a window and print what happened.
    Run(RunArgs),
    /// Check a scenario file (or the course quiz) and report the first problem, with its line and column.
    Validate {
        /// The scenario or quiz file (.ron).
        file: PathBuf,
    },
    /// Open the window on a scenario file.
    Open {
        /// The scenario file (.ron).
        file: PathBuf,
    },
    /// Open the window on a scenario, move to a moment, save a PNG of the window and exit.
    Screenshot {
        /// The scenario file (.ron).
        file: PathBuf,
        /// The virtual moment to show, e.g. "2.5s".
        #[arg(long, value_parser = parse_until, default_value = "0s")]
        at: u64,
        /// Where to write the PNG.
        #[arg(long)]
        out: PathBuf,
        /// Window size in points, WIDTHxHEIGHT.
        #[arg(long, value_parser = parse_size, default_value = "1600x1000")]
        size: (f32, f32),
        /// In presentation mode, as on a projector.
        #[arg(long)]
        present: bool,
        /// In the light theme.
        #[arg(long)]
        light: bool,
    },
    /// Write a picture, table or trace of a run, for slides and handouts;
    /// the format follows the extension of --out.
    Export(ExportArgs),
    /// Run two scenarios with one seed and say where the runs part ways.
    /// The last line is `first_difference_at=T differing_records=N`.
    Compare {
        /// The first scenario file (A).
        a: PathBuf,
        /// The second scenario file (B); without it, a variant A declares.
        b: Option<PathBuf>,
        /// Compare A with its variant of this name (default: its first).
        #[arg(long)]
        variant: Option<String>,
        /// Seed for both runs (default: A's own).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Measure the simulation engine or the app's drawing.
    #[command(subcommand)]
    Bench(BenchKind),
}

/// What `settle export` takes. Views, times and sizes are read as text
/// and checked here, so a mistake gets one line that names it.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The scenario file (.ron).
    pub file: PathBuf,
    /// What to export: diagram (.svg, .png), canvas (.png, .svg, .gif),
    /// series (.csv) or trace (.jsonl, .mmd).
    #[arg(long)]
    pub view: String,
    /// Where to write; its extension picks the format.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// The moment a still of the canvas shows, e.g. "2.5s" (default: the end).
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
    /// Start of the span a diagram covers or an animation plays (default: 0s).
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// End of that span (default: the end of the run).
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
    /// Picture size in pixels, WIDTHxHEIGHT (canvas default 1280x720; a
    /// diagram is otherwise as large as its rows need).
    #[arg(long, value_name = "WxH")]
    pub size: Option<String>,
    /// Seed for every random draw (default: the scenario's own).
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (.ron).
    pub file: PathBuf,
    /// Seed for every random draw (default: the scenario's own).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop at this virtual time instead of the scenario's end, e.g. "2s".
    #[arg(long, value_parser = parse_until)]
    pub until: Option<u64>,
    /// Evaluate the scenario's expectations; exit with failure if any fails.
    #[arg(long)]
    pub check: bool,
    /// Write the whole trace as JSON Lines to this file.
    #[arg(long, value_name = "PATH")]
    pub trace_out: Option<PathBuf>,
    /// Write the run as a Mermaid sequence diagram to this file.
    #[arg(long, value_name = "PATH")]
    pub mermaid_out: Option<PathBuf>,
    /// Run the scenario's variant of this name instead of the scenario.
    #[arg(long)]
    pub variant: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum BenchKind {
    /// One writer, one broker, many replicas applying last-writer-wins.
    Fanout(FanoutCmd),
    /// Frame time of the whole app drawn headless, small preset against a large run.
    Ui,
}

/// The fan-out benchmark and how to measure it.
#[derive(Debug, Args, Clone, Copy)]
pub struct FanoutCmd {
    #[command(flatten)]
    pub size: FanoutArgs,
    /// Also run the lean reference loop, interleaved, and print the ratio.
    #[arg(long)]
    pub compare: bool,
    /// Interleaved runs of each with --compare; the median ratio counts.
    #[arg(long, default_value_t = 5)]
    pub runs: u32,
}

/// The fan-out benchmark's size.
#[derive(Debug, Args, Clone, Copy)]
pub struct FanoutArgs {
    #[arg(long, default_value_t = 50)]
    pub replicas: u32,
    #[arg(long, default_value_t = 1000)]
    pub keys: u32,
    #[arg(long, default_value_t = 100_000)]
    pub writes: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

fn parse_size(s: &str) -> Result<(f32, f32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or("write the size as WIDTHxHEIGHT, like 1600x1000")?;
    let parse = |v: &str| {
        v.trim()
            .parse::<f32>()
            .ok()
            .filter(|v| (200.0..=8000.0).contains(v))
    };
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err("each side must be a number from 200 to 8000".into()),
    }
}

fn parse_until(s: &str) -> Result<u64, String> {
    parse_dur(s).map(|d| d.0).map_err(|e| e.0)
}

/// Runs a parsed headless command.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Run(args) => run_file(&args),
        Command::Validate { file } => validate(&file),
        Command::Open { file } => window(Some(file)),
        Command::Compare {
            a,
            b,
            variant,
            seed,
        } => match compare_files(&a, b.as_deref(), variant.as_deref(), seed) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Screenshot {
            file,
            at,
            out,
            size,
            present,
            light,
        } => match crate::ui::screenshot::screenshot(
            &file,
            at,
            &out,
            size,
            crate::ui::screenshot::Look { present, light },
        ) {
            Ok(()) => {
                println!("Saved {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Export(args) => match export_file(&args) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Bench(BenchKind::Ui) => match crate::ui::bench::run() {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Bench(BenchKind::Fanout(c)) => {
            let r = if c.compare {
                crate::bench::fanout_compared(c.size, c.runs.clamp(1, 50))
            } else {
                crate::bench::fanout(c.size).map(|r| r.to_string())
            };
            match r {
                Ok(line) => {
                    println!("{line}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Carries out `settle export`: what it wrote, or the first thing wrong.
fn export_file(a: &ExportArgs) -> Result<String, String> {
    let view = export::View::from_word(&a.view).ok_or_else(|| {
        let words: Vec<&str> = export::View::ALL.iter().map(|v| v.word()).collect();
        format!(
            "--view: \"{}\" is not a view; choose one of {}",
            a.view,
            words.join(", ")
        )
    })?;
    let format = export::Format::of_path(&a.out).map_err(|e| e.to_string())?;
    let time = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| {
                parse_dur(t)
                    .map(|d| d.0)
                    .map_err(|e| format!("--{flag}: {e}"))
            })
            .transpose()
    };
    let mut req = export::Request::new(view, format);
    req.at = time("at", &a.at)?;
    req.from = time("from", &a.from)?;
    req.to = time("to", &a.to)?;
    req.size = a
        .size
        .as_deref()
        .map(|s| export::Size::parse(s).map_err(|e| format!("--size: {e}")))
        .transpose()?;
    let s = scenario::load_file(&a.file).map_err(|e| e.to_string())?;
    req.check(s.until.0).map_err(|e| e.to_string())?;
    let bytes = export::export(&s, a.seed.unwrap_or(s.seed), &req).map_err(|e| e.to_string())?;
    crate::session::files::write_atomic(&a.out, &bytes)
        .map_err(|e| format!("{}: cannot write: {e}", a.out.display()))?;
    Ok(format!(
        "Exported the {view} to {} ({}).",
        a.out.display(),
        export::bytes_said(bytes.len())
    ))
}

/// Checks a scenario, or the quiz when the file holds questions.
fn validate(file: &Path) -> ExitCode {
    let name = file.display().to_string();
    let mut hints = Vec::new();
    let checked = scenario::read_text(file).and_then(|text| {
        if scenario::is_quiz(&text) {
            crate::session::quiz::from_str(&text, &name)
                .map(|q| format!("quiz \"{}\", {} questions", q.title, q.questions.len()))
        } else {
            scenario::from_str(&text, &name).map(|s| {
                let challenges = match s.challenges.len() {
                    0 => String::new(),
                    n => format!(", {n} challenge(s)"),
                };
                hints = crate::check::hints(&s);
                format!(
                    "\"{}\", {} nodes, {} links{challenges}",
                    s.title,
                    s.nodes.len(),
                    s.links.len()
                )
            })
        }
    });
    match checked {
        Ok(what) => {
            println!("{name}: ok — {what}");
            // Hints advise; they never make a drawing fail.
            if !hints.is_empty() {
                println!("design hints ({}):", hints.len());
                for h in &hints {
                    println!(
                        "  ⚠ {} [{}]: {} (see lesson {})",
                        h.kind.title(),
                        h.key(),
                        h.reason,
                        h.kind.lesson()
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the window, optionally on a file.
pub fn window(file: Option<PathBuf>) -> ExitCode {
    match crate::ui::run_window(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Settle could not open its window: {e}");
            eprintln!(
                "Without a display, try: settle run scenarios/03-event-driven-replication.ron"
            );
            ExitCode::FAILURE
        }
    }
}

fn run_file(args: &RunArgs) -> ExitCode {
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
fn named_variant(s: &Scenario, name: &str) -> Option<Scenario> {
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
    }
}

fn write_export(
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
fn handled_said(t: &Trace, s: &crate::trace::Step) -> Option<String> {
    let b = crate::trace::query::handled_event(t, s)?;
    t.body(b)
        .map(|body| crate::model::body_label(&t.names, body))
}
