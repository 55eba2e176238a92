//! Criterion benchmarks of the engine: the fan-out system at a size that
//! runs in well under a second, and the replication preset end to end.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use settle::bench::FanoutArgs;
use settle::bench::fanout_scenario;
use settle::scenario::load_file;
use settle::sim::Engine;

fn fanout(c: &mut Criterion) {
    let args = FanoutArgs {
        replicas: 20,
        keys: 500,
        writes: 10_000,
        seed: 1,
    };
    let s = fanout_scenario(args);
    let events = u64::from(args.writes) * (2 + u64::from(args.replicas));
    let mut g = c.benchmark_group("fanout");
    g.throughput(Throughput::Elements(events));
    g.sample_size(20);
    g.bench_function("20 replicas, 10k writes, trace on", |b| {
        b.iter(|| {
            let mut e = Engine::new(&s, 1).expect("builds");
            e.run();
            e.trace().steps.len()
        })
    });
    g.finish();
}

fn replication_preset(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/03-event-driven-replication.ron"
    );
    let s = load_file(std::path::Path::new(path)).expect("preset loads");
    c.bench_function("preset 03 run", |b| {
        b.iter(|| {
            let mut e = Engine::new(&s, 3).expect("builds");
            e.run();
            e.trace().steps.len()
        })
    });
}

criterion_group!(benches, fanout, replication_preset);
criterion_main!(benches);
