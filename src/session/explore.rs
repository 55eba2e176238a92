//! The search for a breaking run, on the machine's cores: the core's
//! search (`crate::explore`) takes no threads of its own, so the app and
//! the command line hand it this runner.

use std::ops::Range;

use crate::explore::{Found, Search};

/// Tries `range` on two threads, each over its own half in order; the
/// first failure of the first half wins, so the answer is the one a
/// single thread would give.
pub fn on_cores(s: &Search, range: Range<usize>) -> Option<Found> {
    let mid = range.start + (range.end - range.start).div_ceil(2);
    let (first, second) = std::thread::scope(|scope| {
        let later = scope.spawn(|| s.first_in(mid..range.end));
        let first = s.first_in(range.start..mid);
        (first, later.join().ok().flatten())
    });
    first.or(second)
}

/// How many threads [`on_cores`] uses.
pub const CORES: usize = 2;
