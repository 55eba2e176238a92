//! The fan-out benchmark: one writer, one broker, many replicas applying
//! last-writer-wins, built as an ordinary scenario and run by the same
//! engine and behaviours the app uses, with the trace recorded.

use std::fmt;
use std::time::Instant;

use crate::cli::FanoutArgs;
use crate::model::NodeIdx;
use crate::scenario::{
    BrokerSpec, Delivery, Dur, Latency, Link, Node, NodeKind, Op, PublishTo, ReplicaSpec, Scenario,
    ServiceSpec, ValueSpec, Work,
};
use crate::sim::{Engine, RunEnd};
use crate::trace::StepKind;

/// The benchmark's figures; `Display` gives the one line the issue asks for.
#[derive(Clone, Copy, Debug)]
pub struct FanoutReport {
    pub events: u64,
    pub secs: f64,
    pub converged: bool,
    pub peak_trace_bytes: usize,
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
        nodes,
        links,
        workload: vec![Work::Every {
            start: Dur(0),
            every: Dur::ms(1),
            count: a.writes,
            from: "writer".into(),
            to: "writer".into(),
            op: Op::Write {
                id: "k".into(),
                value: ValueSpec::Seq,
            },
            random_keys: Some(a.keys.max(1)),
        }],
        faults: Vec::new(),
        narration: Vec::new(),
        expect: Vec::new(),
    }
}

/// Builds, runs and checks the fan-out system.
pub fn fanout(a: FanoutArgs) -> Result<FanoutReport, String> {
    let s = fanout_scenario(a);
    let mut engine = Engine::new(&s, a.seed).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let end = engine.run();
    let secs = started.elapsed().as_secs_f64();
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
    })
}
