//! The fan-out workload leaner still than `fanout_lean.rs`: each write is
//! scheduled when the one before it fires, so the heap holds only what is
//! in flight (about a thousand entries, not a hundred thousand), and the
//! random draws come from SplitMix64, a few arithmetic operations each,
//! instead of ChaCha8. It is the floor the engine could approach if it
//! scheduled its workload lazily and drew from a cheaper generator; the
//! engine keeps ChaCha8, since a new generator would change every trace.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use super::lean::LeanReport;

/// SplitMix64 (Steele, Lea and Flood, 2014): one 64-bit state, an add
/// and three multiply-xorshift rounds per draw.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A draw in `lo..=hi` by multiply-shift (Lemire), without the
    /// rejection step: the bias, below 2^-32 here, does not matter to a
    /// benchmark.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        let span = hi - lo + 1;
        lo + ((u128::from(self.next()) * u128::from(span)) >> 64) as u64
    }
}

/// A version: commit time, then the writer's counter.
type Version = (u64, u32);

/// `(time, order, what, key, version)`; `what` is 0 for a write, 1 for
/// arrival at the broker, 2 + r for arrival at replica r.
type Entry = Reverse<(u64, u64, u32, u32, Version)>;

/// Runs the same workload as `lean::run`: `writes` writes, one a
/// millisecond, published through one broker to `replicas` copies.
pub fn run(replicas: u32, keys: u32, writes: u32, seed: u64) -> LeanReport {
    let started = Instant::now();
    let mut rng = SplitMix64(seed);
    let keys = keys.max(1) as usize;
    let mut heap: BinaryHeap<Entry> = BinaryHeap::new();
    let mut order = 0u64;
    let mut push = |heap: &mut BinaryHeap<Entry>, at: u64, what: u32, key: u32, v: Version| {
        order += 1;
        heap.push(Reverse((at, order, what, key, v)));
    };
    if writes > 0 {
        push(&mut heap, 0, 0, 0, (0, 0));
    }
    let mut writer: Vec<Version> = vec![(0, 0); keys];
    let mut copies: Vec<Vec<Version>> = vec![vec![(0, 0); keys]; replicas as usize];
    let mut counter = 0u32;
    let mut events = 0u64;
    while let Some(Reverse((at, _, what, key, v))) = heap.pop() {
        events += 1;
        match what {
            0 => {
                let key = rng.range(0, keys as u64 - 1) as u32;
                counter += 1;
                let v = (at, counter);
                writer[key as usize] = v;
                let arrive = at + rng.range(1_000, 5_000);
                push(&mut heap, arrive, 1, key, v);
                if counter < writes {
                    push(&mut heap, at + 1_000, 0, 0, (0, 0));
                }
            }
            1 => {
                for r in 0..replicas {
                    let arrive = at + rng.range(1_000, 20_000);
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
