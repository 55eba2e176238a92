//! Live checks: the scenario's expectations and the monitors, judged on the
//! run up to the moment shown. A verdict the rest of the run could still
//! change is shown as provisional ("so far", "not yet"), so nothing reads
//! passed or failed before the viewer has reached the moment that decides
//! it. Re-evaluated only when the moment or the run changes. Below them,
//! Explore searches other runs of the drawing for one that breaks it.

use egui::RichText;

use super::theme;
use super::view::View;
use crate::check::{self, MonitorReading, Outcome, Standing};
use crate::explore::{self, Options, Search};
use crate::model::fmt_time;
use crate::scenario::Scenario;
use crate::session::challenge::Broken;
use crate::session::presets::{PRESETS, index_of};
use crate::session::{Cmd, Edit};

/// The last evaluation and what it was made for: (revision, seed, steps
/// shown).
#[derive(Default)]
pub struct ChecksState {
    made_for: Option<(u64, u64, usize)>,
    verdicts: Vec<(Outcome, Standing)>,
    monitors: Vec<MonitorReading>,
    explore: ExploreState,
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
    explore_ui(ui, s, revision, &mut st.explore, cmds);
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

/// What the last Explore found, for the drawing revision it searched.
enum Explored {
    Found(Broken),
    Nothing(usize),
    Cancelled(usize),
    Failed(String),
}

/// Explore in the Checks panel: a search running on its own thread (the
/// desktop build), polled each frame, and its last answer.
#[derive(Default)]
pub struct ExploreState {
    #[cfg(not(target_arch = "wasm32"))]
    job: Option<Job>,
    last: Option<(u64, Explored)>,
}

/// A search on its own thread: how far it got, and a flag to stop it.
#[cfg(not(target_arch = "wasm32"))]
struct Job {
    revision: u64,
    total: usize,
    done: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Explored>,
}

/// Searches `s` to the end of `budget`, spreading each round of runs over
/// `spread`; `progress` hears how far it got and may stop it.
fn explore_drawing(
    s: &Scenario,
    budget: usize,
    workers: usize,
    spread: &dyn Fn(&Search, std::ops::Range<usize>) -> Option<crate::explore::Found>,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Explored {
    let options = Options {
        budget,
        ..Options::default()
    };
    let search = match Search::new(s, &options) {
        Ok(search) => search,
        Err(e) => return Explored::Failed(e.to_string()),
    };
    let total = search.len();
    let (explored, found) = explore::search(&search, workers, spread, progress);
    match found {
        Some(f) => Explored::Found(Broken::from_found(s, &f)),
        None if explored < total => Explored::Cancelled(explored),
        None => Explored::Nothing(explored),
    }
}

/// The Explore button, its progress and Cancel, and the last answer.
fn explore_ui(
    ui: &mut egui::Ui,
    s: &Scenario,
    revision: u64,
    st: &mut ExploreState,
    cmds: &mut Vec<Cmd>,
) {
    #[cfg(not(target_arch = "wasm32"))]
    if poll_job(ui, st) {
        return;
    }
    let tip = "Search other seeds, then every crash, lost message and cut link this run offers (one, then two at a time), for a run that breaks what the drawing expects";
    if ui.button("Explore other runs").on_hover_text(tip).clicked() {
        start(s, revision, st);
    }
    let Some((made_for, last)) = &st.last else {
        return;
    };
    if *made_for != revision {
        ui.weak("You changed the drawing since the last search.");
    }
    match last {
        Explored::Found(b) => super::challenge::broken(ui, b, 14.0, cmds),
        Explored::Nothing(n) => {
            ui.weak(format!(
                "{n} runs searched: none breaks what the drawing expects."
            ));
        }
        Explored::Cancelled(n) => {
            ui.weak(format!("Stopped after {n} runs: none of them broke it."));
        }
        Explored::Failed(e) => {
            ui.weak(format!("The drawing cannot run: {e}"));
        }
    }
}

/// Starts a search on its own thread, on both cores.
#[cfg(not(target_arch = "wasm32"))]
fn start(s: &Scenario, revision: u64, st: &mut ExploreState) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let done = Arc::new(AtomicUsize::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (d, c) = (done.clone(), cancel.clone());
    let drawing = s.clone();
    let budget = explore::DEFAULT_BUDGET;
    let handle = std::thread::spawn(move || {
        explore_drawing(
            &drawing,
            budget,
            crate::session::explore::CORES,
            &crate::session::explore::on_cores,
            &mut |n| {
                d.store(n, Ordering::Relaxed);
                !c.load(Ordering::Relaxed)
            },
        )
    });
    st.job = Some(Job {
        revision,
        total: budget,
        done,
        cancel,
        handle,
    });
}

/// The browser build has no threads: a short search, on this frame.
#[cfg(target_arch = "wasm32")]
fn start(s: &Scenario, revision: u64, st: &mut ExploreState) {
    let budget = crate::session::challenge::CHECK_BUDGET;
    let last = explore_drawing(s, budget, 1, &|s, r| s.first_in(r), &mut |_| true);
    st.last = Some((revision, last));
}

/// Shows a running search's progress with Cancel, or takes its answer
/// once it is done. True while it runs.
#[cfg(not(target_arch = "wasm32"))]
fn poll_job(ui: &mut egui::Ui, st: &mut ExploreState) -> bool {
    use std::sync::atomic::Ordering;
    let Some(job) = st.job.take() else {
        return false;
    };
    if job.handle.is_finished() {
        let last = job
            .handle
            .join()
            .unwrap_or_else(|_| Explored::Failed("the search stopped unexpectedly".into()));
        st.last = Some((job.revision, last));
        return false;
    }
    let done = job.done.load(Ordering::Relaxed);
    ui.horizontal(|ui| {
        ui.add(
            egui::ProgressBar::new(done as f32 / job.total.max(1) as f32)
                .text(format!("Exploring: {done} of {} runs", job.total)),
        );
        if ui
            .button("Cancel")
            .on_hover_text("Stop the search; what it tried so far broke nothing")
            .clicked()
        {
            job.cancel.store(true, Ordering::Relaxed);
        }
    });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
    st.job = Some(job);
    true
}
