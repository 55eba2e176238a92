//! `settle explore`: search the runs of a drawing for one that breaks a
//! promise, on every core, and write it as a scenario that reproduces it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::explore::{self, Options, Search};
use crate::scenario::{self, fmt_time};
use crate::session::explore::{CORES, on_cores};

/// What `settle explore` takes.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// The scenario file (.ron).
    pub file: PathBuf,
    /// The most runs to try.
    #[arg(long, default_value_t = explore::DEFAULT_BUDGET)]
    pub budget: usize,
    /// The most faults added to one run: 0 (other seeds only), 1 or 2.
    #[arg(long, default_value_t = 2)]
    pub faults: usize,
    /// Other seeds to try before any fault.
    #[arg(long, default_value_t = 8)]
    pub seeds: u64,
    /// Judge only what is expected of this table, topic, log, client or
    /// projection.
    #[arg(long, value_name = "NAME")]
    pub only: Option<String>,
    /// Write the run found as a scenario here.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub(super) fn explore_file(args: &ExploreArgs) -> ExitCode {
    let s = match scenario::load_file(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if args.faults > explore::MAX_FAULTS {
        eprintln!(
            "--faults {}: Settle searches at most {} faults per run",
            args.faults,
            explore::MAX_FAULTS
        );
        return ExitCode::FAILURE;
    }
    let options = Options {
        budget: args.budget,
        faults: args.faults,
        seeds: args.seeds,
        only: args.only.clone(),
    };
    let search = match Search::new(&s, &options) {
        Ok(search) => search,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if !search.judges_anything() {
        println!(
            "The drawing promises nothing a run could break (no expectation of that kind, no copies that agree at its end)."
        );
    }
    println!(
        "Searching {} runs of {}: {} seeds, {} single faults read from its own run, up to {} at once.",
        search.len(),
        s.title,
        1 + args.seeds,
        search.singles(),
        args.faults
    );
    let (explored, found) = explore::search(&search, CORES, &on_cores, &mut |_| true);
    let Some(found) = found else {
        println!("explored={explored} found=none");
        return ExitCode::SUCCESS;
    };
    for line in found.said() {
        println!("  {line}");
    }
    if let Some(out) = &args.out {
        let text = match scenario::to_ron(&found.scenario(&s)) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot write the scenario: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = std::fs::write(out, text) {
            eprintln!("{}: cannot write: {e}", out.display());
            return ExitCode::FAILURE;
        }
        println!("  Wrote the run to {}.", out.display());
    }
    println!(
        "explored={explored} found={} at={} faults={}",
        found.failure.name,
        fmt_time(found.at()),
        found.candidate.depth()
    );
    ExitCode::SUCCESS
}
