//! Interned names: table names, record ids, topics and text values travel
//! as four-byte symbols, so a million-event trace stays compact.

use std::collections::BTreeMap;

/// Index of a node in the run, in scenario order.
pub type NodeIdx = u16;

/// An interned string: table names, record ids, topics, text values.
pub type Sym = u32;

/// Interns strings so records and messages carry four-byte names.
#[derive(Clone, Debug, Default)]
pub struct Names {
    list: Vec<String>,
    index: BTreeMap<String, Sym>,
}

impl Names {
    /// The symbol for `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        let sym = Sym::try_from(self.list.len()).unwrap_or(Sym::MAX);
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), sym);
        sym
    }

    /// The symbol for `s` if it was ever interned.
    pub fn find(&self, s: &str) -> Option<Sym> {
        self.index.get(s).copied()
    }

    /// The text of a symbol; empty for one this table never made.
    pub fn get(&self, sym: Sym) -> &str {
        self.list.get(sym as usize).map_or("", String::as_str)
    }

    /// Bytes held, for the trace's memory figure.
    pub fn bytes(&self) -> usize {
        self.list.iter().map(|s| 2 * (s.capacity() + 24) + 16).sum()
    }
}
