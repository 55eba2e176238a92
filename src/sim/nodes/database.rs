//! A database node: versioned tables and an ordered change log.

use super::{Cx, Incoming, Store};
use crate::sim::model::{Body, Record};

#[derive(Clone, Debug, Default)]
pub struct Database {
    /// The tables (durable).
    pub store: Store,
    /// Every committed write, in commit order (durable). A change-data-
    /// capture connector tails this from an offset.
    pub log: Vec<Record>,
}

impl Database {
    pub fn on_message(&mut self, cx: &mut Cx, m: &Incoming) {
        match m.body {
            Body::DbWrite { req, key, value } => {
                let record = self.store.commit(key, value, cx.now, cx.me);
                self.log.push(record);
                let reply = cx.send(m.from, Body::DbWritten { req, record });
                cx.changed(reply);
            }
            Body::DbRead { req, key } => {
                let record = self.store.read(key);
                cx.send(m.from, Body::DbResult { req, record });
            }
            _ => {}
        }
    }
}
