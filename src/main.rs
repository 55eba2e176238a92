//! The `settle` command: with no subcommand it opens the window on the
//! welcome view; subcommands run headless (see `settle --help`).

use std::process::ExitCode;

use clap::Parser;
use settle::cli::{self, Cli};

fn main() -> ExitCode {
    match Cli::parse().command {
        Some(command) => cli::run(command),
        None => cli::window(None),
    }
}
