//! What the rest of the drawing offers a node being wired by a link the
//! editor draws.

use crate::scenario::{Keeping, Scenario};

/// What the rest of the drawing offers a node being wired: the topics
/// published at each broker (with the table each comes from) and each
/// log's first topic.
pub(super) struct Around {
    /// (broker, topic, the publisher's source table).
    pub(super) published: Vec<(String, String, Option<String>)>,
    /// (log, its first topic).
    log_topics: Vec<(String, String)>,
}

impl Around {
    pub(super) fn of(s: &Scenario) -> Around {
        let published = s
            .nodes
            .iter()
            .filter_map(|n| {
                let p = n.kind.publishes()?;
                let table = n
                    .kind
                    .tables(&n.id)
                    .into_iter()
                    .find(|k| k.keeping == Keeping::Source)
                    .map(|k| k.name);
                Some((p.broker.to_string(), p.topic?.to_string(), table))
            })
            .collect();
        let log_topics = s
            .nodes
            .iter()
            .filter_map(|n| Some((n.id.clone(), n.kind.topics_held().first()?.to_string())))
            .collect();
        Around {
            published,
            log_topics,
        }
    }

    pub(super) fn log_topic(&self, log: &str) -> Option<String> {
        self.log_topics
            .iter()
            .find(|(l, _)| l == log)
            .map(|(_, t)| t.clone())
    }
}
