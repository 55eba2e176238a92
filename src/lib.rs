//! Settle: a visual simulator for teaching how data lives and settles
//! across microservices.
//!
//! Read top-down: [`scenario`] is what the user drew, [`sim`] is what
//! happens when it runs, [`trace`] is the recorded history every view and
//! check is drawn from, [`check`] evaluates a scenario's expectations.

pub mod bench;
pub mod check;
pub mod cli;
pub mod scenario;
pub mod sim;
pub mod trace;
pub mod ui;
