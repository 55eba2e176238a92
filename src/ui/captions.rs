//! Recording a lesson: while Record is on, a window lists the drawing's
//! captions and adds one at the moment shown, with the nodes to highlight
//! and, if wanted, a question. Captions are narration steps like the
//! presets'; every change is an undoable edit, and the saved drawing plays
//! as a lesson with the same card and player.

use egui::{RichText, Ui};

use super::inspector::fields::{self, Fields};
use super::theme;
use super::view::View;
use crate::model::Dur;
use crate::scenario::{Ask, Narration, fmt_time, parse_dur};
use crate::session::{Cmd, Edit};

/// The recording window's own state: the caption field being typed into.
#[derive(Default)]
pub struct CaptionsState {
    fields: Fields,
    /// The captions there were when one was added: the window scrolls to
    /// the new one once it is drawn.
    added_after: Option<usize>,
}

/// The window, while recording. `open` is cleared when it is closed.
pub fn window(
    ctx: &egui::Context,
    open: &mut bool,
    st: &mut CaptionsState,
    view: &View,
    cmds: &mut Vec<Cmd>,
) {
    let mut shown = *open;
    egui::Window::new("● Recording a lesson")
        .open(&mut shown)
        .default_width(420.0)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-460.0, 120.0))
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.6)
                .show(ui, |ui| body(ui, st, view, cmds));
        });
    *open = shown;
}

fn body(ui: &mut Ui, st: &mut CaptionsState, view: &View, cmds: &mut Vec<Cmd>) {
    st.fields.begin();
    ui.label(
        "Live actions (requests, crashes, cuts) are kept at their moment. \
         Captions turn the drawing into a lesson: save it and it plays with Next.",
    );
    let now = view.now().min(last_moment(view));
    let focus: Vec<String> = view.selection.nodes.iter().cloned().collect();
    // A caption needs a moment the run still reaches: at the end, the
    // last millisecond before it, and the button says so.
    let add = if view.now() > now {
        format!("Add a caption just before the end ({})", fmt_time(now))
    } else {
        format!("Add a caption at {}", fmt_time(now))
    };
    if ui
        .button(RichText::new(add).strong())
        .on_hover_text("Highlights the selected nodes; write its words below")
        .clicked()
    {
        st.added_after = Some(view.scenario.narration.len());
        cmds.push(Cmd::Edit(Edit::AddCaption(Box::new(Narration {
            at: Some(Dur(now)),
            when: None,
            text: "New caption: say what happens here.".into(),
            focus,
            ask: None,
        }))));
    }
    let count = view.scenario.narration.len();
    let scroll = st.added_after.is_some_and(|before| count > before);
    for (i, c) in view.scenario.narration.iter().enumerate() {
        ui.separator();
        // Captions are kept in time order: the new one is the one at `now`.
        let new = scroll && c.at == Some(Dur(now));
        let r = ui.push_id(("caption", i), |ui| caption(ui, st, view, i, c, cmds));
        if new {
            r.response.scroll_to_me(Some(egui::Align::Center));
        }
    }
    if scroll {
        st.added_after = None;
    }
    st.fields.end(cmds);
}

/// One caption's settings.
fn caption(
    ui: &mut Ui,
    st: &mut CaptionsState,
    view: &View,
    i: usize,
    c: &Narration,
    cmds: &mut Vec<Cmd>,
) {
    let set = move |c: Narration| Edit::SetCaption {
        index: i,
        caption: Box::new(c),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Step {}", i + 1)).strong());
        if let Some(at) = c.at {
            let l = ui.label("at");
            let c2 = c.clone();
            let last = last_moment(view);
            fields::text(
                ui,
                &mut st.fields,
                &format!("caption-at-{i}"),
                &l,
                &fmt_time(at.0),
                cmds,
                move |typed| {
                    let mut c = c2.clone();
                    if let Ok(d) = parse_dur(&typed) {
                        c.at = Some(Dur(d.0.min(last)));
                    }
                    set(c)
                },
            );
            if ui
                .button("Move to now")
                .on_hover_text("Show this caption at the moment shown")
                .clicked()
            {
                let mut moved = c.clone();
                moved.at = Some(Dur(view.now().min(last_moment(view))));
                cmds.push(Cmd::Edit(set(moved)));
            }
        } else {
            ui.weak("(starts on an event)");
        }
        if ui.button("Delete").clicked() {
            cmds.push(Cmd::Edit(Edit::DeleteCaption(i)));
        }
    });
    let l = ui.label("Caption");
    let c2 = c.clone();
    fields::text_area(
        ui,
        &mut st.fields,
        &format!("caption-text-{i}"),
        &l,
        &c.text,
        2,
        cmds,
        move |typed| {
            let mut c = c2.clone();
            if !typed.is_empty() {
                c.text = typed;
            }
            set(c)
        },
    );
    ui.horizontal_wrapped(|ui| {
        let names: Vec<&str> = c.focus.iter().map(|id| view.label(id)).collect();
        ui.label("Highlights:");
        if names.is_empty() {
            ui.weak("nothing");
        } else {
            ui.label(names.join(", "));
        }
        let selected: Vec<String> = view.selection.nodes.iter().cloned().collect();
        if ui
            .add_enabled(selected != c.focus, egui::Button::new("Use the selection"))
            .on_hover_text("Highlight the nodes selected on the canvas")
            .clicked()
        {
            let mut f = c.clone();
            f.focus = selected;
            cmds.push(Cmd::Edit(set(f)));
        }
    });
    let mut asking = c.ask.is_some();
    if ui.checkbox(&mut asking, "Ask a question here").changed() {
        let mut q = c.clone();
        q.ask = asking.then(|| Ask {
            choices: vec!["Yes".into(), "No".into()],
            answer: 0,
            explain: String::new(),
            proof: Vec::new(),
            reveal: c
                .at
                .map(|t| Dur(t.0.saturating_add(1_000_000).min(last_moment(view)))),
        });
        cmds.push(Cmd::Edit(set(q)));
    }
    if let Some(ask) = &c.ask {
        question(ui, st, view, i, c, ask, cmds);
    }
}

/// A caption's question: choices one per line, the right one, the words
/// shown with the answer, and when the answer shows.
#[allow(clippy::too_many_arguments)]
fn question(
    ui: &mut Ui,
    st: &mut CaptionsState,
    view: &View,
    i: usize,
    c: &Narration,
    ask: &Ask,
    cmds: &mut Vec<Cmd>,
) {
    let set = move |c: Narration| Edit::SetCaption {
        index: i,
        caption: Box::new(c),
    };
    ui.indent("question", |ui| {
        let l = ui.label("Choices, one per line (2 to 6)");
        let c2 = c.clone();
        fields::text_area(
            ui,
            &mut st.fields,
            &format!("caption-choices-{i}"),
            &l,
            &ask.choices.join("\n"),
            3,
            cmds,
            move |typed| {
                let mut c = c2.clone();
                let choices: Vec<String> = typed
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(a) = &mut c.ask
                    && (2..=6).contains(&choices.len())
                {
                    a.answer = a.answer.min(choices.len() - 1);
                    a.choices = choices;
                }
                set(c)
            },
        );
        if !(2..=6).contains(&ask.choices.len()) {
            ui.colored_label(
                theme::ink(ui, theme::FAULT),
                "A question needs 2 to 6 choices.",
            );
        }
        ui.horizontal(|ui| {
            let l = ui.label("Right answer");
            let mut answer = ask.answer;
            egui::ComboBox::from_id_salt(("answer", i))
                .selected_text(ask.choices.get(answer).cloned().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for (k, choice) in ask.choices.iter().enumerate() {
                        ui.selectable_value(&mut answer, k, choice);
                    }
                })
                .response
                .labelled_by(l.id);
            if answer != ask.answer {
                let mut a = c.clone();
                if let Some(q) = &mut a.ask {
                    q.answer = answer;
                }
                cmds.push(Cmd::Edit(set(a)));
            }
        });
        let l = ui.label("Shown with the answer");
        let c2 = c.clone();
        fields::text(
            ui,
            &mut st.fields,
            &format!("caption-explain-{i}"),
            &l,
            &ask.explain,
            cmds,
            move |typed| {
                let mut c = c2.clone();
                if let Some(a) = &mut c.ask {
                    a.explain = typed;
                }
                set(c)
            },
        );
        ui.horizontal(|ui| {
            let l = ui.label("Reveal the answer at");
            let c2 = c.clone();
            let reveal = ask
                .reveal
                .map_or_else(|| fmt_time(view.scenario.until.0), |r| fmt_time(r.0));
            let last = last_moment(view);
            fields::text(
                ui,
                &mut st.fields,
                &format!("caption-reveal-{i}"),
                &l,
                &reveal,
                cmds,
                move |typed| {
                    let mut c = c2.clone();
                    let from = c.at.map_or(0, |t| t.0);
                    if let (Some(a), Ok(d)) = (&mut c.ask, parse_dur(&typed)) {
                        // Never before the question, never after the run.
                        a.reveal = Some(Dur(d.0.clamp(from, last)));
                    }
                    set(c)
                },
            );
        });
    });
}

/// The latest moment a caption may show: just before the run ends.
fn last_moment(view: &View) -> u64 {
    view.scenario.until.0.saturating_sub(1_000)
}
