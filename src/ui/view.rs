//! What every view reads: the drawing, the run and its moment, the
//! selection. Views are functions of this and their own small state; they
//! change nothing directly but push commands.

use super::icons::Icons;
use crate::model::Micros;
use crate::scenario::{Node, Scenario};
use crate::session::lesson::Lesson;
use crate::session::{Player, Selection, Session};

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
