//! The inspector's input widgets. A text field commits what was typed once,
//! when the user leaves it (Enter, Tab or a click elsewhere), as one
//! undoable edit; Esc puts back what was there. Number fields dragged or
//! typed into make one undo step per gesture. Every field is named by its
//! visible label, so screen readers and tests find it by that name.

use egui::{Response, Ui};

use crate::model::Dur;
use crate::scenario::NodeKind;
use crate::session::{Cmd, Edit};

/// The text field being typed into, if any.
#[derive(Default)]
pub struct Fields {
    active: Option<Active>,
    /// Whether the active field was drawn this frame.
    seen: bool,
    /// A field to give keyboard focus to when it is next drawn.
    pub focus: Option<String>,
}

struct Active {
    key: String,
    text: String,
    /// What the document held when typing began.
    original: String,
    /// The edit that stores a typed value.
    commit: Box<dyn Fn(String) -> Edit>,
}

impl Fields {
    /// Call before the fields are drawn.
    pub fn begin(&mut self) {
        self.seen = false;
    }

    /// Call after: a field being typed into that was not drawn this frame
    /// (its node was deselected, the panel closed) still keeps what was
    /// typed, as an edit.
    pub fn end(&mut self, cmds: &mut Vec<Cmd>) {
        if self.seen {
            return;
        }
        if let Some(a) = self.active.take() {
            let typed = a.text.trim().to_string();
            if typed != a.original {
                cmds.push(Cmd::Edit((a.commit)(typed)));
            }
        }
    }
}

/// A label in the grid's first column, returned so that the field beside
/// it can be named by it.
pub fn label(ui: &mut Ui, text: &str) -> Response {
    ui.label(text)
}

/// A one-line text setting. Shows the document's value while idle; pushes
/// `commit(typed)` once, when the field is left having changed.
pub fn text(
    ui: &mut Ui,
    st: &mut Fields,
    key: &str,
    label: &Response,
    current: &str,
    cmds: &mut Vec<Cmd>,
    commit: impl Fn(String) -> Edit + 'static,
) {
    field(ui, st, key, label, current, None, cmds, commit);
}

/// A few lines of text (Enter starts a new line), committed like
/// [`text`] when the field is left.
#[allow(clippy::too_many_arguments)]
pub fn text_area(
    ui: &mut Ui,
    st: &mut Fields,
    key: &str,
    label: &Response,
    current: &str,
    rows: usize,
    cmds: &mut Vec<Cmd>,
    commit: impl Fn(String) -> Edit + 'static,
) {
    field(ui, st, key, label, current, Some(rows), cmds, commit);
}

#[allow(clippy::too_many_arguments)]
fn field(
    ui: &mut Ui,
    st: &mut Fields,
    key: &str,
    label: &Response,
    current: &str,
    rows: Option<usize>,
    cmds: &mut Vec<Cmd>,
    commit: impl Fn(String) -> Edit + 'static,
) {
    let editing = st.active.as_ref().filter(|a| a.key == key);
    let mut buf = editing.map_or_else(|| current.to_string(), |a| a.text.clone());
    let original = editing.map_or_else(|| current.to_string(), |a| a.original.clone());
    let was_editing = editing.is_some();
    let escape = crate::ui::keymap::escape_pressed(ui.ctx());
    let widget = match rows {
        None => egui::TextEdit::singleline(&mut buf),
        Some(rows) => egui::TextEdit::multiline(&mut buf)
            .desired_rows(rows)
            .desired_width(f32::INFINITY),
    };
    let r = ui.add(widget.id_salt(("field", key))).labelled_by(label.id);
    if st.focus.as_deref() == Some(key) {
        st.focus = None;
        r.request_focus();
    }

    if r.has_focus() {
        if escape {
            st.active = None;
            r.surrender_focus();
            return;
        }
        // Focus came straight from another field (Shift+Tab upwards): that
        // one is left, so it keeps what was typed.
        if let Some(other) = st.active.take().filter(|a| a.key != key) {
            let typed = other.text.trim().to_string();
            if typed != other.original {
                cmds.push(Cmd::Edit((other.commit)(typed)));
            }
        }
        st.seen = true;
        st.active = Some(Active {
            key: key.to_string(),
            text: buf,
            original,
            commit: Box::new(commit),
        });
        return;
    }
    if !was_editing {
        return;
    }
    // The field was left: commit once, unless Esc left it.
    st.active = None;
    let typed = buf.trim().to_string();
    if !escape && typed != original {
        cmds.push(Cmd::Edit(commit(typed)));
    }
}

/// A duration in milliseconds, dragged or typed.
pub fn millis(ui: &mut Ui, label: &Response, d: Dur) -> (Response, Dur) {
    let mut v = d.0 as f64 / 1000.0;
    let r = ui
        .add(
            egui::DragValue::new(&mut v)
                .range(0.0..=60_000.0)
                .speed(1.0)
                .suffix(" ms"),
        )
        .labelled_by(label.id);
    (r, Dur((v * 1000.0).round() as u64))
}

/// Pushes `edit` as part of one undoable gesture: a checkpoint when the
/// widget is first touched, then each change.
pub fn gesture(r: &Response, cmds: &mut Vec<Cmd>, edit: Edit) {
    if r.drag_started() || r.gained_focus() {
        cmds.push(Cmd::Checkpoint);
    }
    if r.changed() {
        if r.dragged() || r.has_focus() {
            cmds.push(Cmd::Gesture(edit));
        } else {
            cmds.push(Cmd::Edit(edit));
        }
    }
}

/// The edit that gives node `id` these settings.
pub fn set_spec(id: &str, spec: NodeKind) -> Edit {
    Edit::SetSpec {
        id: id.to_string(),
        spec: Box::new(spec),
    }
}
