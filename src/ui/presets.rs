//! The preset lessons, embedded so the app works from any folder.

use crate::scenario::{self, Scenario, ScenarioError};

/// A preset: its file name and its text.
pub struct Preset {
    pub file: &'static str,
    pub text: &'static str,
}

/// Every preset, in teaching order.
pub const PRESETS: &[Preset] = &[
    Preset {
        file: "01-data-ownership.ron",
        text: include_str!("../../scenarios/01-data-ownership.ron"),
    },
    Preset {
        file: "02-api-composition.ron",
        text: include_str!("../../scenarios/02-api-composition.ron"),
    },
    Preset {
        file: "03-event-driven-replication.ron",
        text: include_str!("../../scenarios/03-event-driven-replication.ron"),
    },
    Preset {
        file: "04-outbox-and-cdc.ron",
        text: include_str!("../../scenarios/04-outbox-and-cdc.ron"),
    },
    Preset {
        file: "05-cqrs.ron",
        text: include_str!("../../scenarios/05-cqrs.ron"),
    },
    Preset {
        file: "06-conflict-resolution.ron",
        text: include_str!("../../scenarios/06-conflict-resolution.ron"),
    },
    Preset {
        file: "07-saga-compensation.ron",
        text: include_str!("../../scenarios/07-saga-compensation.ron"),
    },
    Preset {
        file: "07b-saga-choreography.ron",
        text: include_str!("../../scenarios/07b-saga-choreography.ron"),
    },
    Preset {
        file: "08-unit-of-work.ron",
        text: include_str!("../../scenarios/08-unit-of-work.ron"),
    },
];

/// The preset a new user starts with.
pub const DEFAULT: usize = 2;

impl Preset {
    pub fn load(&self) -> Result<Scenario, ScenarioError> {
        scenario::from_str(self.text, self.file)
    }
}
