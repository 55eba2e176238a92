//! The fan-out workload written as plainly and leanly as it can be: one
//! heap of timed entries, stores in vectors, the same random draws, and no
//! trace. It is the yardstick `settle bench fanout --compare` measures the
//! engine against in the same process, so the ratio means something on
//! any machine.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// What the lean loop did.
#[derive(Clone, Copy, Debug)]
pub struct LeanReport {
    pub events: u64,
    pub secs: f64,
    pub converged: bool,
}

/// A version: commit time, then the writer's counter.
type Version = (u64, u32);

/// One timed happening: `(time, order, what, key, version)`; `what` is
/// 0 for a write, 1 for arrival at the broker, 2 + r for arrival at
/// replica r.
type Entry = Reverse<(u64, u64, u32, u32, Version)>;

/// Runs the fan-out workload: `writes` writes, one a millisecond, to
/// random keys among `keys`, published through one broker to `replicas`
/// last-writer-wins copies.
pub fn run(replicas: u32, keys: u32, writes: u32, seed: u64) -> LeanReport {
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let keys = keys.max(1) as usize;
    let mut heap: BinaryHeap<Entry> = BinaryHeap::new();
    let mut order = 0u64;
    let mut push = |heap: &mut BinaryHeap<Entry>, at: u64, what: u32, key: u32, v: Version| {
        order += 1;
        heap.push(Reverse((at, order, what, key, v)));
    };
    for i in 0..writes {
        push(&mut heap, u64::from(i) * 1_000, 0, 0, (0, 0));
    }
    let mut writer: Vec<Version> = vec![(0, 0); keys];
    let mut copies: Vec<Vec<Version>> = vec![vec![(0, 0); keys]; replicas as usize];
    let mut counter = 0u32;
    let mut events = 0u64;
    while let Some(Reverse((at, _, what, key, v))) = heap.pop() {
        events += 1;
        match what {
            0 => {
                let key = rng.random_range(0..keys as u32);
                counter += 1;
                let v = (at, counter);
                writer[key as usize] = v;
                let arrive = at + rng.random_range(1_000..=5_000);
                push(&mut heap, arrive, 1, key, v);
            }
            1 => {
                for r in 0..replicas {
                    let arrive = at + rng.random_range(1_000..=20_000);
                    push(&mut heap, arrive, 2 + r, key, v);
                }
            }
            r => {
                let slot = &mut copies[(r - 2) as usize][key as usize];
                if v > *slot {
                    *slot = v;
                }
            }
        }
    }
    let converged = copies.iter().all(|c| *c == writer);
    LeanReport {
        events,
        secs: started.elapsed().as_secs_f64(),
        converged,
    }
}
