//! Plots over time of divergence, staleness and traffic, with the current
//! moment marked. Drawn from samples the trace's series keeps (a thousand
//! per run), so they cost the same for any length of run.

use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use super::theme;
use super::view::View;

/// The plots, each with the words a lesson's step names it by: a step
/// whose text says "plot" and one of them points at that plot, and it is
/// scrolled into view when the step begins.
const NAMED: [(&str, &[&str]); 5] = [
    ("divergent", &["divergence", "differ"]),
    ("staleness", &["staleness", "stale"]),
    ("inflight", &["in flight"]),
    ("lag", &["lag"]),
    ("locks", &["locks"]),
];

/// The plot the lesson's current step points at, by its id in [`NAMED`].
pub(super) fn named_plot(text: &str) -> Option<&'static str> {
    let text = text.to_lowercase();
    if !text.contains("plot") {
        return None;
    }
    NAMED
        .iter()
        .find(|(_, words)| words.iter().any(|w| text.contains(&format!("{w} plot"))))
        .map(|(id, _)| *id)
}

/// The lesson's current step, numbered by how many steps have been
/// reached, with its text.
pub(super) fn current_step<'a>(view: &View<'a>) -> Option<(usize, &'a str)> {
    let p = view.player?;
    let now = p.now();
    let reached = p.marks().iter().filter(|(at, _)| *at <= now).count();
    let &(_, n) = p.marks().get(reached.checked_sub(1)?)?;
    Some((reached, view.scenario.narration.get(n)?.text.as_str()))
}

/// Scrolls the plot `id` into view once when a step that names it begins
/// (the learner can scroll away again).
fn bring_into_view(ui: &egui::Ui, view: &View, id: &str, r: &egui::Response) {
    let Some((step, text)) = current_step(view) else {
        return;
    };
    if named_plot(text) != Some(id) {
        return;
    }
    let seen = ui.make_persistent_id(("plot-step", id));
    if ui.data(|d| d.get_temp::<usize>(seen)) != Some(step) {
        r.scroll_to_me(None);
        ui.data_mut(|d| d.insert_temp(seen, step));
    }
}

/// With more replicas than this, staleness is drawn as max and mean.
const MAX_LINES: usize = 8;

/// Most points per line: about one per pixel of a side-panel plot.
const MAX_POINTS: usize = 320;

/// The samples as plot points, thinned to at most [`MAX_POINTS`] while
/// keeping each stretch's highest value, so peaks stay visible.
fn points(t: &[f64], v: &[f64]) -> PlotPoints<'static> {
    let n = t.len().min(v.len());
    let stride = n.div_ceil(MAX_POINTS).max(1);
    (0..n)
        .step_by(stride)
        .map(|i| {
            let end = (i + stride).min(n);
            let peak = v[i..end].iter().copied().fold(f64::MIN, f64::max);
            [t[i], peak]
        })
        .collect::<Vec<_>>()
        .into()
}

pub fn ui(ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.player else {
        ui.weak("Plots appear once the scenario can run.");
        return;
    };
    let s = &p.series;
    let now = p.time() / 1e6;
    let until = p.until() as f64 / 1e6;
    let t = p.trace();
    let height = 120.0;
    let link = egui::Id::unique("plots-x");
    // One small, see-through legend in the corner the lines start from.
    let legend = || {
        Legend::default()
            .position(egui_plot::Corner::LeftTop)
            .background_alpha(0.35)
            .text_style(egui::TextStyle::Small)
    };
    let plot = |id: &str| {
        Plot::new(id.to_string())
            .height(height)
            .include_x(0.0)
            .include_x(until)
            .include_y(0.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .link_axis(link, [true, false])
            .x_axis_label("time (s)")
    };
    // What each plot shows at the moment, for screen readers.
    let at = s.t.partition_point(|&x| x <= now).checked_sub(1);
    let value = |v: &[f64]| at.and_then(|i| v.get(i)).copied().unwrap_or(0.0);
    let peak = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let say = |r: &egui::Response, text: String| {
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &text));
    };
    let shown = |ui: &egui::Ui, id: &str, r: &egui::Response| bring_into_view(ui, view, id, r);
    ui.label("Records that differ between copies");
    let r = plot("divergent").show(ui, |pu| {
        pu.line(
            Line::new("divergent records", points(&s.t, &s.divergent))
                .color(theme::STALE)
                .width(2.0),
        );
        pu.vline(VLine::new("", now).color(theme::NOW));
    });
    shown(ui, "divergent", &r.response);
    say(
        &r.response,
        format!(
            "Plot of records that differ between copies: {:.0} now, at most {:.0} so far",
            value(&s.divergent),
            peak(&s.divergent)
        ),
    );
    ui.label("Staleness: age of the oldest write a copy has not seen (ms)");
    let r = plot("staleness").legend(legend()).show(ui, |pu| {
        if s.staleness.len() <= MAX_LINES {
            for (node, values) in &s.staleness {
                let name = t
                    .nodes
                    .get(*node as usize)
                    .map_or("?".to_string(), |n| n.label.clone());
                pu.line(Line::new(name, points(&s.t, values)).width(2.0));
            }
        } else if !s.staleness.is_empty() {
            pu.line(Line::new("worst copy", points(&s.t, &s.staleness_max)).width(2.0));
            pu.line(Line::new("mean of copies", points(&s.t, &s.staleness_mean)).width(2.0));
        }
        pu.vline(VLine::new("", now).color(theme::NOW));
    });
    shown(ui, "staleness", &r.response);
    say(
        &r.response,
        format!(
            "Plot of staleness: the worst copy is {:.0} ms behind now, at most {:.0} ms so far",
            value(&s.staleness_max),
            peak(&s.staleness_max)
        ),
    );
    ui.label("Messages in flight");
    let r = plot("inflight").show(ui, |pu| {
        pu.line(
            Line::new("in flight", points(&s.t, &s.in_flight))
                .color(theme::NARRATION)
                .width(2.0),
        );
        pu.vline(VLine::new("", now).color(theme::NOW));
    });
    shown(ui, "inflight", &r.response);
    say(
        &r.response,
        format!(
            "Plot of messages in flight: {:.0} now, at most {:.0} so far",
            value(&s.in_flight),
            peak(&s.in_flight)
        ),
    );
    locks(ui, view, s, now, &plot);
    if s.lag.is_empty() {
        return;
    }
    ui.label("Consumer lag: events appended to a consumer's partitions and not yet committed");
    let lag_max: Vec<f64> = (0..s.t.len())
        .map(|i| {
            s.lag
                .iter()
                .filter_map(|(_, v)| v.get(i))
                .copied()
                .fold(0.0, f64::max)
        })
        .collect();
    let r = plot("lag").legend(legend()).show(ui, |pu| {
        for (node, values) in s.lag.iter().take(MAX_LINES) {
            let name = t
                .nodes
                .get(*node as usize)
                .map_or("?".to_string(), |n| n.label.clone());
            pu.line(Line::new(name, points(&s.t, values)).width(2.0));
        }
        pu.vline(VLine::new("", now).color(theme::NOW));
    });
    shown(ui, "lag", &r.response);
    say(
        &r.response,
        format!(
            "Plot of consumer lag: the furthest behind is {:.0} events behind now, at most {:.0} so far",
            value(&lag_max),
            peak(&lag_max)
        ),
    );
}

/// Rows locked by prepared two-phase commit transactions, when the run
/// has participants: what a coordinator's crash leaves held.
fn locks<'a>(
    ui: &mut egui::Ui,
    view: &View,
    s: &crate::trace::query::Series,
    now: f64,
    plot: &impl Fn(&str) -> Plot<'a>,
) {
    if s.locks.is_empty() {
        return;
    }
    ui.label("Locks held by prepared transactions");
    let r = plot("locks").show(ui, |pu| {
        pu.line(
            Line::new("locked rows", points(&s.t, &s.locks))
                .color(theme::STALE)
                .width(2.0),
        );
        pu.vline(VLine::new("", now).color(theme::NOW));
    });
    bring_into_view(ui, view, "locks", &r.response);
    let at = s.t.partition_point(|&x| x <= now).checked_sub(1);
    let held = at.and_then(|i| s.locks.get(i)).copied().unwrap_or(0.0);
    let peak = s.locks.iter().copied().fold(0.0, f64::max);
    let text = format!("Plot of locks held: {held:.0} rows locked now, at most {peak:.0} so far");
    r.response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &text));
}
