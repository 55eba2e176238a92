//! The `settle` command: headless subcommands, or (with none) a run of the
//! default scenario.

use std::process::ExitCode;

use clap::Parser;
use settle::cli::{self, Cli, Command, RunArgs};

fn main() -> ExitCode {
    let parsed = Cli::parse();
    match parsed.command {
        Some(command) => cli::run(command),
        None => cli::run(Command::Run(RunArgs {
            file: "scenarios/03-event-driven-replication.ron".into(),
            seed: None,
            until: None,
            check: true,
            trace_out: None,
            mermaid_out: None,
        })),
    }
}
