//! What a click asks for. Views never change the world while drawing: they
//! push commands, and the app applies them once the frame is drawn. That
//! keeps every view of one frame consistent and gives undo one door.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::scenario::{Op, Scenario};

/// What is selected, across every view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub nodes: BTreeSet<String>,
    pub link: Option<usize>,
    pub message: Option<u32>,
}

impl Selection {
    pub fn node(id: &str) -> Self {
        Selection {
            nodes: [id.to_string()].into(),
            ..Selection::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.link.is_none() && self.message.is_none()
    }
}

/// A live action, recorded at the current virtual time.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Crash(String),
    Restart(String),
    Cut {
        a: String,
        b: String,
        one_way: bool,
    },
    Heal {
        a: String,
        b: String,
    },
    Request {
        from: String,
        to: String,
        op: Op,
    },
    /// The node's clock jumps ahead.
    Skew {
        node: String,
        ahead: crate::scenario::Dur,
    },
}

/// An edit to the scenario.
pub type EditFn = Box<dyn FnOnce(&mut Scenario)>;

pub enum Cmd {
    New,
    OpenPreset(usize),
    Open(PathBuf),
    OpenDialog,
    Save,
    SaveAs,
    Welcome,
    /// Reopen the drawing that was open when the app last closed.
    Resume,
    /// An undoable edit.
    Edit(EditFn),
    /// Start of a gesture: the state to return to on undo.
    Checkpoint,
    /// Part of a gesture.
    Gesture(EditFn),
    Undo,
    Redo,
    DeleteSelection,
    Play,
    Pause,
    TogglePlay,
    Step,
    StepBack,
    Seek(f64),
    Home,
    End,
    Faster,
    Slower,
    SetSpeed(f64),
    SetSeed(u64),
    Act(Action),
    Select(Selection),
    SelectMessage(Option<u32>),
    TogglePresentation,
    ToggleHelp,
    ToggleTheme,
    Fit,
    NarrationBack,
    NarrationNext,
}
