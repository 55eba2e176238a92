//! The fan-out benchmark: one writer, one broker, many replicas applying
//! last-writer-wins, built as an ordinary scenario and run by the same
//! engine and behaviours the app uses, with the trace recorded.

use std::fmt;
use std::time::Instant;

use crate::model::NodeIdx;
use crate::scenario::{
    BrokerSpec, Delivery, Dur, Latency, Link, Node, NodeKind, Op, PublishTo, ReplicaSpec, Scenario,
    ServiceSpec, ValueSpec, Work,
};
use crate::sim::{Engine, RunEnd};
use crate::trace::StepKind;
use clap::Args;

/// The fan-out benchmark's size.
#[derive(Debug, Args, Clone, Copy)]
pub struct FanoutArgs {
    #[arg(long, default_value_t = 50)]
    pub replicas: u32,
    #[arg(long, default_value_t = 1000)]
    pub keys: u32,
    #[arg(long, default_value_t = 100_000)]
    pub writes: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The lean reference loop; its source lives with the benchmarks.
#[path = "../benches/reference/fanout_lean.rs"]
pub mod lean;

/// The leaner one: lazily scheduled writes and SplitMix64.
#[path = "../benches/reference/fanout_leaner.rs"]
pub mod leaner;

/// The benchmark's figures; `Display` gives the one line the issue asks for.
#[derive(Clone, Copy, Debug)]
pub struct FanoutReport {
    pub events: u64,
    pub secs: f64,
    pub converged: bool,
    pub peak_trace_bytes: usize,
    /// The seconds this thread spent on a processor during the run, where
    /// the system says (Linux): unlike `secs`, not counting the time it
    /// waited for a processor that other work held.
    pub cpu_secs: Option<f64>,
}

impl fmt::Display for FanoutReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "events={} secs={:.3} events_per_s={:.0} converged={} peak_trace_bytes={}",
            self.events,
            self.secs,
            self.events as f64 / self.secs.max(1e-9),
            self.converged,
            self.peak_trace_bytes
        )
    }
}

/// The fan-out system as a scenario document.
pub fn fanout_scenario(a: FanoutArgs) -> Scenario {
    let uniform = |min, max| Latency::Uniform {
        min: Dur::ms(min),
        max: Dur::ms(max),
    };
    let mut nodes = vec![
        Node {
            id: "writer".into(),
            name: String::new(),
            pos: (0.0, 0.0),
            kind: NodeKind::Service(ServiceSpec {
                publish: Some(PublishTo {
                    broker: "broker".into(),
                    topic: "items".into(),
                }),
                ..ServiceSpec::owning("items")
            }),
        },
        Node {
            id: "broker".into(),
            name: String::new(),
            pos: (200.0, 0.0),
            kind: NodeKind::Broker(BrokerSpec {
                delivery: Delivery::AtMostOnce,
                max_attempts: None,
            }),
        },
    ];
    let mut links = vec![Link {
        from: "writer".into(),
        to: "broker".into(),
        latency: uniform(1, 5),
        loss: Default::default(),
        duplicate: Default::default(),
    }];
    for r in 0..a.replicas {
        let id = format!("replica-{r}");
        nodes.push(Node {
            id: id.clone(),
            name: String::new(),
            pos: (440.0 + 220.0 * (r % 10) as f32, 100.0 * (r / 10) as f32),
            kind: NodeKind::Replica(ReplicaSpec {
                broker: "broker".into(),
                topic: "items".into(),
                table: "items".into(),
                dedup: true,
            }),
        });
        links.push(Link {
            from: "broker".into(),
            to: id,
            latency: uniform(1, 20),
            loss: Default::default(),
            duplicate: Default::default(),
        });
    }
    Scenario {
        title: "Fan-out benchmark".into(),
        summary: String::new(),
        seed: a.seed,
        until: Dur::ms(u64::from(a.writes) + 1_000),
        further_reading: Vec::new(),
        nodes,
        links,
        workload: vec![Work::Every {
            start: Dur(0),
            every: Dur::ms(1),
            count: a.writes,
            from: "writer".into(),
            to: "writer".into(),
            op: Op::Write {
                poison: false,
                id: "k".into(),
                value: ValueSpec::Seq,
            },
            random_keys: Some(a.keys.max(1)),
        }],
        faults: Vec::new(),
        narration: Vec::new(),
        expect: Vec::new(),
        variants: Vec::new(),
        challenges: Vec::new(),
        dismissed_hints: Vec::new(),
        contexts: Vec::new(),
    }
}

/// Builds, runs and checks the fan-out system.
pub fn fanout(a: FanoutArgs) -> Result<FanoutReport, String> {
    let s = fanout_scenario(a);
    let mut engine = Engine::new(&s, a.seed).map_err(|e| e.to_string())?;
    let cpu = thread_cpu_secs();
    let started = Instant::now();
    let end = engine.run();
    let secs = started.elapsed().as_secs_f64();
    let cpu_secs = thread_cpu_secs().zip(cpu).map(|(b, a)| b - a);
    if end == RunEnd::StepLimit {
        return Err(format!(
            "the run hit the step limit of {}",
            crate::sim::MAX_STEPS
        ));
    }
    let trace = engine.trace();
    let events = trace
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Work | StepKind::Deliver))
        .count() as u64;
    let writer = engine.store(0);
    let converged = writer.is_some()
        && engine.in_flight() == 0
        && (2..2 + a.replicas as usize).all(|r| engine.store(r as NodeIdx) == writer);
    Ok(FanoutReport {
        events,
        secs,
        converged,
        peak_trace_bytes: trace.bytes(),
        cpu_secs,
    })
}

/// Seconds this thread has spent on a processor (Linux: the first field
/// of `/proc/thread-self/schedstat`, in nanoseconds); `None` elsewhere.
pub fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 * 1e-9)
}

/// Runs the engine and the two reference loops one after the other,
/// `runs` times, and reports the engine's median run with its median
/// ratio to each: all are measured on the same machine within seconds,
/// so the ratios hold where an absolute rate would not. Where the system
/// tells a thread's processor time, it also reports the ratios of
/// processor time (`cpu_ratio_to_lean`, `cpu_ratio_to_leaner`), which
/// other work on a shared machine disturbs less; a reference loop's
/// processor time includes setting up its vectors, a few milliseconds.
pub fn fanout_compared(a: FanoutArgs, runs: u32) -> Result<String, String> {
    let mut out = String::new();
    let mut pairs = Vec::new();
    let mut to_leaner = Vec::new();
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for i in 0..runs {
        let engine = fanout(a)?;
        let before = thread_cpu_secs();
        let lean = lean::run(a.replicas, a.keys, a.writes, a.seed);
        let between = thread_cpu_secs();
        let leaner = leaner::run(a.replicas, a.keys, a.writes, a.seed);
        let after = thread_cpu_secs();
        let spent = |from: Option<f64>, to: Option<f64>| to.zip(from).map(|(t, f)| t - f);
        if let (Some(e), Some(l), Some(r)) = (
            engine.cpu_secs,
            spent(before, between),
            spent(between, after),
        ) {
            // Events per processor second, engine over reference.
            cpu[0].push(l / e.max(1e-9) * engine.events as f64 / lean.events.max(1) as f64);
            cpu[1].push(r / e.max(1e-9) * engine.events as f64 / leaner.events.max(1) as f64);
        }
        let rate = |events: u64, secs: f64| events as f64 / secs.max(1e-9);
        let ratio = rate(engine.events, engine.secs) / rate(lean.events, lean.secs);
        let ratio2 = rate(engine.events, engine.secs) / rate(leaner.events, leaner.secs);
        out.push_str(&format!(
            "run {}: engine {:.0} events/s, lean {:.0} events/s ({} events, converged={}), ratio {ratio:.3}; leaner {:.0} events/s (converged={}), ratio {ratio2:.3}\n",
            i + 1,
            rate(engine.events, engine.secs),
            rate(lean.events, lean.secs),
            lean.events,
            lean.converged,
            rate(leaner.events, leaner.secs),
            leaner.converged,
        ));
        pairs.push((ratio, engine));
        to_leaner.push(ratio2);
    }
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
    to_leaner.sort_by(f64::total_cmp);
    let (ratio, median) = pairs[pairs.len() / 2];
    let ratio2 = to_leaner[to_leaner.len() / 2];
    if let Some(rss) = peak_rss_bytes() {
        out.push_str(&format!(
            "peak_rss_bytes={rss} ({:.2} x the trace)\n",
            rss as f64 / median.peak_trace_bytes.max(1) as f64
        ));
    }
    out.push_str(&format!(
        "{median} ratio_to_lean={ratio:.3} ratio_to_leaner={ratio2:.3}"
    ));
    if cpu.iter().all(|c| c.len() == runs as usize) {
        let [mut to_lean, mut to_leaner] = cpu;
        to_lean.sort_by(f64::total_cmp);
        to_leaner.sort_by(f64::total_cmp);
        out.push_str(&format!(
            " cpu_ratio_to_lean={:.3} cpu_ratio_to_leaner={:.3}",
            to_lean[to_lean.len() / 2],
            to_leaner[to_leaner.len() / 2]
        ));
    }
    Ok(out)
}

/// Runs explored per second against plain runs of the same drawing, in
/// this process: `plain` single runs (build, run to the end, judge the
/// expectations, as `settle run --check` does), then a search of `budget`
/// runs spread by `spread` over `workers` threads, twice: each run
/// recording everything a view draws, then only what the judging reads
/// (what a search does). The last line is `plain_runs_per_s=A
/// explored_runs_per_s=B ratio=B/A recording_everything_runs_per_s=C
/// ratio_recording_everything=C/A`. A plain run is one thread's; the
/// search uses them all, and its runs carry added faults and go on
/// [`crate::explore::SETTLE`] past the drawing's end.
pub fn explore_rate(
    s: &Scenario,
    budget: usize,
    workers: usize,
    spread: &dyn Fn(
        &crate::explore::Search,
        std::ops::Range<usize>,
    ) -> Option<crate::explore::Found>,
) -> Result<String, String> {
    // Plain runs for two seconds at least: a shorter spell is at the
    // mercy of whatever else the machine is doing.
    let mut plain = 0u32;
    let started = Instant::now();
    while started.elapsed().as_secs_f64() < 2.0 {
        let mut engine = Engine::new(s, s.seed).map_err(|e| e.to_string())?;
        engine.run();
        std::hint::black_box(crate::check::evaluate(s, engine.trace()));
        plain += 1;
    }
    let plain_rate = f64::from(plain) / started.elapsed().as_secs_f64().max(1e-9);
    let options = crate::explore::Options {
        budget,
        ..Default::default()
    };
    let mut out = String::new();
    let mut rates = Vec::new();
    for recording in [
        crate::explore::Recording::Everything,
        crate::explore::Recording::Judged,
    ] {
        let started = Instant::now();
        let search = crate::explore::Search::new(s, &options)
            .map_err(|e| e.to_string())?
            .recording(recording);
        let (explored, found) = crate::explore::search(&search, workers, spread, &mut |_| true);
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        let found = found.map_or("none".to_string(), |f| f.failure.name);
        out.push_str(&format!(
            "recording {recording:?}: explored={explored} found={found} secs={secs:.3} on {workers} threads\n"
        ));
        rates.push(explored as f64 / secs);
    }
    let (everything, judged) = (rates[0], rates[1]);
    out.push_str(&format!(
        "plain_runs_per_s={plain_rate:.0} explored_runs_per_s={judged:.0} ratio={:.3} recording_everything_runs_per_s={everything:.0} ratio_recording_everything={:.3}",
        judged / plain_rate,
        everything / plain_rate
    ));
    Ok(out)
}

/// The most memory this process has held, where the system says (Linux).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
