//! Live checks: the scenario's expectations and the monitors, judged on the
//! run up to the moment shown. A verdict the rest of the run could still
//! change is shown as provisional ("so far", "not yet"), so nothing reads
//! passed or failed before the viewer has reached the moment that decides
//! it. Re-evaluated only when the moment or the run changes.

use egui::RichText;

use super::theme;
use super::view::View;
use crate::check::{self, MonitorReading, Outcome, Standing};
use crate::model::fmt_time;
use crate::session::presets::{PRESETS, index_of};
use crate::session::{Cmd, Edit};

/// The last evaluation and what it was made for: (revision, seed, steps
/// shown).
#[derive(Default)]
pub struct ChecksState {
    made_for: Option<(u64, u64, usize)>,
    verdicts: Vec<(Outcome, Standing)>,
    monitors: Vec<MonitorReading>,
}

/// Past this many steps a re-evaluation costs more than a frame: while the
/// run plays, it waits until the moment has moved by a fiftieth.
const LARGE: usize = 100_000;

pub fn ui(
    ui: &mut egui::Ui,
    view: &View,
    revision: u64,
    st: &mut ChecksState,
    cmds: &mut Vec<Cmd>,
) {
    design_hints(ui, view, cmds);
    ui.add_space(4.0);
    let Some(p) = view.player else {
        ui.weak("Checks run once the scenario can run.");
        return;
    };
    let s = view.scenario;
    let t = p.trace();
    let upto = p.upto();
    let key = (revision, p.seed, upto);
    let stale = st.made_for.is_none_or(|(r, seed, at)| {
        r != revision
            || seed != p.seed
            || upto < LARGE
            || !p.playing
            || upto.abs_diff(at) * 50 > t.steps.len()
    });
    if st.made_for != Some(key) && stale {
        st.verdicts = check::judge_at(s, t, upto, p.now());
        st.monitors = check::monitors(t, &p.index, upto);
        st.made_for = Some(key);
    }
    ui.weak(format!("At the moment shown ({}).", fmt_time(p.now())));
    let hidden = hidden_by_questions(view);
    if let Some(step) = hidden.iter().flatten().min() {
        let n = hidden.iter().flatten().count();
        ui.label(
            RichText::new(format!(
                "{n} check{} hidden: {} would answer step {}'s question. Answer it (or skip it) first.",
                if n == 1 { " is" } else { "s are" },
                if n == 1 { "it" } else { "they" },
                step + 1
            ))
            .color(theme::ink(ui, theme::NARRATION)),
        );
    }
    for ((o, standing), hide) in st
        .verdicts
        .iter()
        .zip(hidden.iter().chain(std::iter::repeat(&None)))
    {
        if hide.is_some() {
            continue;
        }
        let (mark, color, prefix) = match standing {
            Standing::Passed => ("✔", theme::AGREES, ""),
            Standing::Failed => ("✖", theme::FAULT, ""),
            Standing::PassingSoFar => ("…", theme::NARRATION, "So far, yes: "),
            Standing::NotYet => ("…", theme::NARRATION, "Not yet: "),
        };
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::ink(ui, color), RichText::new(mark).strong());
            let tip = format!("{prefix}{}", o.why);
            match o.at {
                // A check that points at a moment is a link to it.
                Some(at) => {
                    let r = ui
                        .link(&o.what)
                        .on_hover_text(format!("{tip}\nClick to go to {}", fmt_time(at)));
                    if r.clicked() {
                        cmds.push(Cmd::Pause);
                        cmds.push(Cmd::Seek(at as f64));
                    }
                }
                None => {
                    ui.label(&o.what).on_hover_text(tip);
                }
            }
        });
        if *standing == Standing::Failed {
            ui.label(
                RichText::new(&o.why)
                    .small()
                    .color(theme::ink(ui, theme::FAULT)),
            );
        }
    }
    if s.expect.is_empty() {
        ui.weak("This scenario states no expectations.");
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Monitors").strong())
        .on_hover_text("Hazards watched in every run");
    for m in &st.monitors {
        ui.horizontal_wrapped(|ui| {
            let (mark, color) = if m.count == 0 {
                ("✔", theme::AGREES)
            } else {
                ("⚠", theme::STALE)
            };
            ui.colored_label(theme::ink(ui, color), mark);
            let text = format!("{}: {}", m.what(), m.count);
            match m.first {
                Some(at) => {
                    if ui
                        .link(text)
                        .on_hover_text(format!("Click to go to the first, at {}", fmt_time(at)))
                        .clicked()
                    {
                        cmds.push(Cmd::Pause);
                        cmds.push(Cmd::Seek(at as f64));
                    }
                }
                None => {
                    ui.label(text);
                }
            }
        });
    }
}

/// For each expectation of the lesson, the step whose question it would
/// answer while that question is still open (not guessed, not skipped):
/// a check listed beside an open question must not give its answer away.
fn hidden_by_questions(view: &View) -> Vec<Option<usize>> {
    let s = view.scenario;
    s.expect
        .iter()
        .map(|e| {
            s.narration.iter().enumerate().find_map(|(i, step)| {
                let ask = step.ask.as_ref()?;
                (ask.proof.contains(e) && !view.lesson.guesses.contains_key(&i)).then_some(i)
            })
        })
        .collect()
}

/// The drawing's design hints: each with its node, its reason, a "Show
/// me" that opens the lesson explaining it, and a Dismiss kept with the
/// drawing (undoable); dismissed ones can be brought back.
fn design_hints(ui: &mut egui::Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let s = view.scenario;
    let all = check::all_hints(s);
    let shown = check::hints(s);
    ui.label(RichText::new("Design hints").strong())
        .on_hover_text("Flaws read from the drawing itself, before anything runs");
    if shown.is_empty() && all.is_empty() {
        ui.weak("No design hints: the drawing shows none of the flaws Settle looks for.");
    } else if shown.is_empty() {
        ui.weak("No design hints showing: the drawing's are dismissed, below.");
    }
    for h in &shown {
        let on = view.label(&h.node);
        let title = format!("{} ({on})", h.kind.title());
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(theme::ink(ui, theme::STALE), RichText::new("⚠").strong());
            ui.label(RichText::new(&title).strong());
        });
        ui.label(&h.reason);
        ui.horizontal(|ui| {
            if let Some(i) = index_of(h.kind.lesson()) {
                let lesson = PRESETS[i].file.trim_end_matches(".ron");
                let r = ui
                    .small_button("Show me")
                    .on_hover_text(format!("Open the lesson that explains it: {lesson}"));
                let name = format!("Show me: {title}");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if r.clicked() {
                    cmds.push(Cmd::ShowMe { lesson: i, at: 0 });
                }
            }
            let r = ui.small_button("Dismiss").on_hover_text(
                "Hide this hint for this drawing (saved with it; Undo brings it back)",
            );
            let name = format!("Dismiss hint: {title}");
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if r.clicked() {
                cmds.push(Cmd::Edit(Edit::DismissHint {
                    key: h.key(),
                    dismissed: true,
                }));
            }
        });
    }
    let hidden: Vec<_> = all.into_iter().filter(|h| !shown.contains(h)).collect();
    if !hidden.is_empty() {
        egui::CollapsingHeader::new(format!("Dismissed hints ({})", hidden.len()))
            .id_salt("dismissed-hints")
            .show(ui, |ui| {
                for h in hidden {
                    let title = format!("{} ({})", h.kind.title(), view.label(&h.node));
                    ui.horizontal_wrapped(|ui| {
                        ui.weak(&title);
                        let r = ui.small_button("Bring back").on_hover_text(&h.reason);
                        let name = format!("Bring back hint: {title}");
                        r.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                        });
                        if r.clicked() {
                            cmds.push(Cmd::Edit(Edit::DismissHint {
                                key: h.key(),
                                dismissed: false,
                            }));
                        }
                    });
                }
            });
    }
}
