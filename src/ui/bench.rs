//! `settle bench ui`: draws the whole app without a GPU (egui frames plus
//! tessellation) for a small preset and for a large generated run, and
//! reports the 95th percentile of CPU time per frame for each.

use std::time::Instant;

use super::app::{Prefs, SettleApp};
use crate::bench::FanoutArgs;
use crate::bench::fanout_scenario;
use crate::scenario::Scenario;
use crate::session::Cmd;
use crate::session::Document;

/// Frames measured per case, after warm-up.
const FRAMES: usize = 120;

/// One case's result.
#[derive(Clone, Copy, Debug)]
pub struct FrameStats {
    pub p95_ms: f64,
    pub events: usize,
    pub in_flight: usize,
}

fn measure(s: Scenario, at: f64, run_to_end: bool) -> FrameStats {
    let ctx = egui::Context::default();
    let mut app = SettleApp::new(Prefs::default());
    app.load(Document::new(s, None, "bench".into()));
    if run_to_end {
        app.push(Cmd::End);
    }
    app.push(Cmd::Seek(at));
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0));
    let mut frame = |i: usize| {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        let started = Instant::now();
        let mut out = ctx.run_ui(input, |ui| app.show(ui));
        // No renderer here: the texture updates have nowhere to go.
        out.textures_delta.clear();
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims.len());
        started.elapsed().as_secs_f64() * 1e3
    };
    for i in 0..10 {
        frame(i);
    }
    let n: usize = std::env::var("FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FRAMES);
    let mut times: Vec<f64> = (0..n).map(|i| frame(10 + i)).collect();
    times.sort_by(f64::total_cmp);
    let p95 = times[((times.len() as f64 * 0.95).ceil() as usize).min(times.len()) - 1];
    let (events, in_flight) = app.session.player.as_ref().map_or((0, 0), |p| {
        (
            p.trace().steps.len(),
            p.index.in_flight_at(p.trace(), p.now()).len(),
        )
    });
    FrameStats {
        p95_ms: p95,
        events,
        in_flight,
    }
}

/// Runs both cases; the last line is the one the issue asks for.
pub fn run() -> Result<String, String> {
    use crate::session::presets;
    // The replication lesson, the same small case as always.
    let small_text = presets::index_of("03-event-driven-replication.ron")
        .and_then(|i| presets::PRESETS.get(i))
        .ok_or("no preset")?;
    let small = small_text.load().map_err(|e| e.to_string())?;
    let large = fanout_scenario(FanoutArgs {
        replicas: 198,
        keys: 1000,
        writes: 5000,
        seed: 1,
    });
    let s = measure(small, 2_000_000.0, false);
    let l = measure(large, 2_500_000.0, true);
    Ok(format!(
        "small: {} events, {} in flight; large: {} events, {} in flight, 200 nodes\nsmall_p95_ms={:.3} large_p95_ms={:.3} ratio={:.2}",
        s.events,
        s.in_flight,
        l.events,
        l.in_flight,
        s.p95_ms,
        l.p95_ms,
        l.p95_ms / s.p95_ms.max(1e-9)
    ))
}
