//! Settle: a visual simulator for teaching how data lives and settles
//! across microservices.
//!
//! Read bottom-up, each layer using only those below it: [`model`] is the
//! shared vocabulary (time, names, records, message bodies); [`scenario`]
//! is what the user drew; [`trace`] is the recorded history every view and
//! check is drawn from; [`sim`] is what happens when it runs; [`check`]
//! judges a run; [`export`] turns a run into pictures and tables for
//! slides; [`session`] is the application without a window; [`ui`] and
//! [`cli`] are the two front ends.

#[cfg(not(target_arch = "wasm32"))]
pub mod bench;
pub mod check;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod explore;
pub mod export;
pub mod model;
pub mod scenario;
pub mod session;
pub mod sim;
pub mod trace;
pub mod ui;
