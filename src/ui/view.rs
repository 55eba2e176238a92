//! What every view reads: the drawing, the run and its moment, the
//! selection. Views are functions of this and their own small state; they
//! change nothing directly but push commands.

use std::collections::BTreeMap;

use super::icons::Icons;
use crate::model::Micros;
use crate::scenario::{Node, Scenario};
use crate::session::compare::Side;
use crate::session::lesson::Lesson;
use crate::session::{Document, Player, Selection, Session};

pub struct View<'a> {
    pub scenario: &'a Scenario,
    pub player: Option<&'a Player>,
    pub selection: &'a Selection,
    pub icons: &'a Icons,
    pub presenting: bool,
    pub snap: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// The learner's way through the lesson.
    pub lesson: &'a Lesson,
    /// Which run is shown: (session generation, document revision, seed);
    /// a view caching anything about the run starts afresh when it changes.
    pub run: (u64, u64, u64),
    /// In compare mode: which side this is, where the runs part ways and
    /// what the other side holds where the two differ now.
    pub compare: Option<CompareView<'a>>,
}

/// One side of a comparison, as its views need it.
#[derive(Clone, Copy)]
pub struct CompareView<'a> {
    pub side: Side,
    pub parting: Option<Micros>,
    /// This side's first step the other run does not match.
    pub first_step: Option<usize>,
    pub differs: &'a Differs,
}

/// Records that differ from the other side at the moment shown: (node id,
/// table, record id) to what the other side holds there.
#[derive(Default)]
pub struct Differs {
    pub other: &'static str,
    pub values: BTreeMap<(String, String, String), String>,
}

impl Differs {
    /// What the other side holds for this record, when it differs.
    pub fn get(&self, node: &str, table: &str, id: &str) -> Option<&str> {
        self.values
            .get(&(node.to_string(), table.to_string(), id.to_string()))
            .map(String::as_str)
    }
}

impl<'a> View<'a> {
    pub fn new(s: &'a Session, icons: &'a Icons, presenting: bool, snap: bool) -> Self {
        View {
            scenario: &s.doc.scenario,
            player: s.player.as_ref(),
            selection: &s.selection,
            icons,
            presenting,
            snap,
            can_undo: s.doc.can_undo(),
            can_redo: s.doc.can_redo(),
            lesson: &s.lesson,
            run: (
                s.generation,
                s.doc.revision,
                s.player.as_ref().map_or(0, |p| p.seed),
            ),
            compare: None,
        }
    }

    /// The side of a comparison not being edited: shown, not edited.
    pub fn other(
        s: &'a Session,
        doc: &'a Document,
        player: Option<&'a Player>,
        lesson: &'a Lesson,
        icons: &'a Icons,
        presenting: bool,
    ) -> Self {
        static NOTHING: Selection = Selection {
            nodes: std::collections::BTreeSet::new(),
            link: None,
            message: None,
        };
        View {
            scenario: &doc.scenario,
            player,
            selection: &NOTHING,
            icons,
            presenting,
            snap: false,
            can_undo: false,
            can_redo: false,
            lesson,
            run: (s.generation, doc.revision, player.map_or(0, |p| p.seed)),
            compare: None,
        }
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&'a Node> {
        self.scenario.nodes.iter().find(|n| n.id == id)
    }

    /// The name people read for a node id (the id itself if unknown).
    pub fn label<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.node(id).map_or(id, Node::label)
    }

    /// The moment shown, or the start when nothing runs.
    pub fn now(&self) -> Micros {
        self.player.map_or(0, Player::now)
    }
}
