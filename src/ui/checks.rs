//! Live checks: the scenario's expectations, evaluated on what the run has
//! recorded so far, each shown as passing, failing or still waiting for
//! its moment. Re-evaluated only when the trace grows.

use egui::RichText;

use super::theme;
use super::view::View;
use crate::check::{self, MonitorReading, Outcome};
use crate::scenario::{Expectation, fmt_time};
use crate::session::Cmd;

/// The last evaluation, and the trace length it was made for.
#[derive(Default)]
pub struct ChecksState {
    made_for: Option<(u64, u64, usize)>,
    outcomes: Vec<Outcome>,
    monitors: Vec<MonitorReading>,
}

/// The moment an expectation is about, if it names one.
fn moment(e: &Expectation) -> Option<u64> {
    match e {
        Expectation::Converged { by, .. } => Some(by.0),
        Expectation::Diverged { at, .. } => Some(at.0),
        _ => None,
    }
}

pub fn ui(
    ui: &mut egui::Ui,
    view: &View,
    revision: u64,
    st: &mut ChecksState,
    cmds: &mut Vec<Cmd>,
) {
    let Some(p) = view.player else {
        ui.weak("Checks run once the scenario can run.");
        return;
    };
    let s = view.scenario;
    let t = p.trace();
    let key = (revision, p.seed, t.steps.len());
    // Long runs grow every frame: re-evaluate them only as they grow by 5%.
    let grown = st.made_for.is_none_or(|(r, seed, len)| {
        r != revision || seed != p.seed || t.steps.len() < 100_000 || t.steps.len() * 20 > len * 21
    });
    if st.made_for != Some(key) && grown {
        st.outcomes = check::evaluate(s, t);
        st.monitors = check::monitors(t, &p.index, t.steps.len());
        st.made_for = Some(key);
    }
    let recorded = t.end_time();
    ui.weak(format!(
        "On the run as recorded so far (to {}).",
        fmt_time(recorded)
    ));
    for (e, o) in s.expect.iter().zip(&st.outcomes) {
        // Until the run ends, an unmet expectation may still be met.
        let waiting =
            moment(e).is_some_and(|m| recorded < m) || (!o.passed && recorded < p.until());
        let (mark, color) = if waiting {
            ("…", theme::NARRATION)
        } else if o.passed {
            ("✔", theme::AGREES)
        } else {
            ("✖", theme::FAULT)
        };
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(color, RichText::new(mark).strong());
            let tip = if waiting {
                format!("Not yet: {}", o.why)
            } else {
                o.why.clone()
            };
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
        if !waiting && !o.passed {
            ui.label(RichText::new(&o.why).small().color(theme::FAULT));
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
            ui.colored_label(color, mark);
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
