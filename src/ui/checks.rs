//! Live checks: the scenario's expectations, evaluated on what the run has
//! recorded so far, each shown as passing, failing or still waiting for
//! its moment. Re-evaluated only when the trace grows.

use egui::RichText;

use super::app::View;
use super::command::Cmd;
use super::theme;
use crate::check::{self, Outcome};
use crate::scenario::{Expectation, fmt_time};

/// The last evaluation, and the trace length it was made for.
#[derive(Default)]
pub struct ChecksState {
    made_for: Option<(u64, u64, usize)>,
    outcomes: Vec<Outcome>,
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
    if s.expect.is_empty() {
        ui.weak("This scenario states no expectations.");
        return;
    }
    let t = p.trace();
    let key = (revision, p.seed, t.steps.len());
    if st.made_for != Some(key) {
        st.outcomes = check::evaluate(s, t);
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
}
