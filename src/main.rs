//! The `settle` command: with no subcommand it opens the window on the
//! welcome view; subcommands run headless (see `settle --help`).

use std::process::ExitCode;

/// mimalloc keeps freed memory for reuse: a frame of the app or a run of
/// the engine allocates and frees large buffers, and the system allocator
/// would return them to the kernel and fault them in again every time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use settle::cli::{self, Cli};

fn main() -> ExitCode {
    match Cli::parse().command {
        Some(command) => cli::run(command),
        None => cli::window(None),
    }
}
