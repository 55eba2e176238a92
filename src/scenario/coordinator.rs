//! The settings of a two-phase commit coordinator, and the name of the
//! table a participant records its locks in.

use serde::{Deserialize, Serialize};

use super::specs::default_call_timeout;
use crate::model::Dur;

/// A two-phase commit coordinator: asks every participant to prepare its
/// change (write it tentatively and lock the row), logs its decision
/// (commit when all voted yes, abort otherwise) and sends it to each until
/// each acknowledges. Its log is durable: after a crash it resends a
/// logged decision, and aborts a transaction it never decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoordinatorSpec {
    pub participants: Vec<Participant>,
    /// How long to wait for the votes before deciding to abort.
    #[serde(default = "default_call_timeout")]
    pub vote_timeout: Dur,
    /// How often the decision is sent again to a participant that has not
    /// acknowledged it.
    #[serde(default = "default_decision_resend")]
    pub resend: Dur,
}

/// One participant: the service, and the value its part of the
/// transaction writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub service: String,
    pub action: String,
}

pub(super) fn default_decision_resend() -> Dur {
    Dur::ms(100)
}

/// The name of the table service `service` records the rows it holds
/// locked for a prepared transaction in (a row per locked record; gone
/// when the lock is released).
pub fn lock_table(service: &str) -> String {
    format!("{service} locks")
}
