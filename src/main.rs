//! The `settle` command: with no subcommand it opens the window on the
//! welcome view; subcommands run headless (see `settle --help`). Built for
//! the browser (wasm32), the same app starts in the page instead.

/// mimalloc keeps freed memory for reuse: a frame of the app or a run of
/// the engine allocates and frees large buffers, and the system allocator
/// would return them to the kernel and fault them in again every time.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;
    use settle::cli::{self, Cli};
    match Cli::parse().command {
        Some(command) => cli::run(command),
        None => cli::window(None),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    settle::ui::web::start();
}
