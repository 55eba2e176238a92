//! The simulation core: a pure, seeded, deterministic discrete-event engine
//! and the behaviours of each node kind. No egui, no clock, no threads, no
//! I/O: a test (`tests/core_is_pure.rs`) keeps it that way.

mod build;
mod engine;
pub mod nodes;
mod wiring;

pub use build::{BuildError, node_seed};
pub use engine::{Engine, MAX_STEPS, RunEnd};
pub use wiring::Wiring;
