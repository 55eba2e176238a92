//! The headless commands: run a scenario and report, validate a file,
//! export pictures and tables of a run, measure the engine.

mod compare;
mod explore;
mod files;
mod link;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::bench::FanoutArgs;
use crate::scenario::parse_dur;

use crate::session::explore::{CORES, on_cores};
pub use compare::compare_files;
pub use explore::ExploreArgs;
pub use files::window;
use files::{export_file, validate};
use run::run_file;
pub use run::{run_scenario, summary};

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
    /// Open the window on a scenario file, or on a link to a drawing or a lesson.
    Open {
        /// The scenario file (.ron), or a link: a web address of the web
        /// build, or its part from `#design=` or `#lesson=`.
        file: PathBuf,
    },
    /// Print a link that carries a drawing, for the web build to open:
    /// a class opens it with one click.
    Link {
        /// The scenario file (.ron).
        file: PathBuf,
        /// The moment the link opens at, paused, e.g. "1.2s" (default: 0s).
        #[arg(long, value_name = "T")]
        at: Option<String>,
        /// The address the web build is served from, e.g.
        /// "https://example.org/settle/" (default: print the `#…` part alone).
        #[arg(long, value_name = "URL")]
        base: Option<String>,
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
    /// Search runs of a drawing (other seeds, crashes, lost messages, cut
    /// links) for one that breaks what it promises. The last line is
    /// `explored=N found=NAME at=T faults=K` or `explored=N found=none`.
    Explore(ExploreArgs),
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
    /// Runs per second of `settle explore` on a drawing against plain runs of it.
    Explore {
        /// The scenario file (.ron).
        file: PathBuf,
        /// How many runs the search tries.
        #[arg(long, default_value_t = crate::explore::DEFAULT_BUDGET)]
        budget: usize,
    },
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
        Command::Explore(args) => explore::explore_file(&args),
        Command::Open { file } => window(Some(file)),
        Command::Link { file, at, base } => {
            finish(link::link_file(&file, at.as_deref(), base.as_deref()))
        }
        Command::Compare {
            a,
            b,
            variant,
            seed,
        } => finish(compare_files(&a, b.as_deref(), variant.as_deref(), seed)),
        Command::Screenshot {
            file,
            at,
            out,
            size,
            present,
            light,
        } => finish(
            crate::ui::screenshot::screenshot(
                &file,
                at,
                &out,
                size,
                crate::ui::screenshot::Look { present, light },
            )
            .map(|()| format!("Saved {}", out.display())),
        ),
        Command::Export(args) => finish(export_file(&args)),
        Command::Bench(BenchKind::Ui) => finish(crate::ui::bench::run()),
        Command::Bench(BenchKind::Explore { file, budget }) => finish(
            crate::scenario::load_file(&file)
                .map_err(|e| e.to_string())
                .and_then(|s| crate::bench::explore_rate(&s, budget, CORES, &on_cores)),
        ),
        Command::Bench(BenchKind::Fanout(c)) => finish(if c.compare {
            crate::bench::fanout_compared(c.size, c.runs.clamp(1, 50))
        } else {
            crate::bench::fanout(c.size).map(|r| r.to_string())
        }),
    }
}

/// Ends a command that either says what it did or why it could not: the
/// report on standard output, the reason on standard error, and the exit
/// code to match. A report that already ends its last line is printed as
/// it is.
fn finish(r: Result<String, String>) -> ExitCode {
    match r {
        Ok(text) => {
            println!("{}", text.strip_suffix('\n').unwrap_or(&text));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
