//! The preset lessons, embedded so the app works from any folder.

use crate::scenario::{self, Scenario, ScenarioError};

/// A preset: its file name and its text.
pub struct Preset {
    pub file: &'static str,
    pub text: &'static str,
}

/// A preset from `scenarios/`, its file named once.
macro_rules! preset {
    ($file:literal) => {
        Preset {
            file: $file,
            text: include_str!(concat!("../../scenarios/", $file)),
        }
    };
}

/// Every preset, in teaching order.
pub const PRESETS: &[Preset] = &[
    preset!("00-request-path.ron"),
    preset!("01-data-ownership.ron"),
    preset!("02-api-composition.ron"),
    preset!("03-event-driven-replication.ron"),
    preset!("03b-idempotent-consumer.ron"),
    preset!("04-outbox-and-cdc.ron"),
    preset!("04b-cdc-and-event-contracts.ron"),
    preset!("05-cqrs.ron"),
    preset!("06-conflict-resolution.ron"),
    preset!("06b-optimistic-concurrency.ron"),
    preset!("07-saga-compensation.ron"),
    preset!("07b-saga-choreography.ron"),
    preset!("07c-two-phase-commit.ron"),
    preset!("08-unit-of-work.ron"),
    preset!("09-partitioned-log.ron"),
    preset!("10-bounded-contexts.ron"),
    preset!("11-event-sourcing.ron"),
];

/// The preset loaded behind the welcome view.
pub const DEFAULT: &str = "03-event-driven-replication.ron";

/// The place of a preset in [`PRESETS`], by its file name.
pub fn index_of(file: &str) -> Option<usize> {
    PRESETS.iter().position(|p| p.file == file)
}

impl Preset {
    pub fn load(&self) -> Result<Scenario, ScenarioError> {
        scenario::from_str(self.text, self.file)
    }

    /// The lesson's number in the course ("03b"), from its file name.
    pub fn number(&self) -> &'static str {
        self.file.split('-').next().unwrap_or("")
    }
}
