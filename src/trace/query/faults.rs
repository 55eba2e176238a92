//! Which links are cut and which nodes are down at a moment.

use std::collections::BTreeSet;

use crate::model::{Micros, NodeIdx};
use crate::trace::{FaultEvent, Trace};

/// Which link directions are cut and which nodes are down at a moment:
/// the faults recorded up to then, replayed in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultState {
    /// Cut directions, (from, to).
    pub cut: BTreeSet<(NodeIdx, NodeIdx)>,
    pub down: BTreeSet<NodeIdx>,
}

impl FaultState {
    /// The state at time `t`.
    pub fn at(trace: &Trace, t: Micros) -> Self {
        let mut f = FaultState::default();
        for rec in trace.faults.iter().filter(|r| r.at <= t) {
            match rec.fault {
                FaultEvent::Cut { from, to, one_way } => {
                    f.cut.insert((from, to));
                    if !one_way {
                        f.cut.insert((to, from));
                    }
                }
                FaultEvent::Heal { from, to } => {
                    f.cut.remove(&(from, to));
                    f.cut.remove(&(to, from));
                }
                FaultEvent::HealAll => f.cut.clear(),
                FaultEvent::Crash(n) => {
                    f.down.insert(n);
                }
                FaultEvent::Restart(n) => {
                    f.down.remove(&n);
                }
                FaultEvent::Skew(..)
                | FaultEvent::Rebuild(_)
                | FaultEvent::Redrive(_)
                | FaultEvent::Fix(_)
                | FaultEvent::Rewind { .. }
                | FaultEvent::Renamed { .. }
                | FaultEvent::Chosen { .. } => {}
            }
        }
        f
    }

    /// Whether either direction between `a` and `b` is cut.
    pub fn cut_between(&self, a: NodeIdx, b: NodeIdx) -> bool {
        self.cut.contains(&(a, b)) || self.cut.contains(&(b, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::FaultRec;

    #[test]
    fn fault_state_replays_cuts_heals_and_crashes_in_order() {
        let mut t = Trace::default();
        let rec = |at, fault| FaultRec { at, fault };
        t.faults = vec![
            rec(
                10,
                FaultEvent::Cut {
                    from: 0,
                    to: 1,
                    one_way: true,
                },
            ),
            rec(20, FaultEvent::Crash(2)),
            rec(
                30,
                FaultEvent::Cut {
                    from: 3,
                    to: 4,
                    one_way: false,
                },
            ),
            rec(40, FaultEvent::Heal { from: 1, to: 0 }),
            rec(50, FaultEvent::Restart(2)),
        ];
        let at = |time| FaultState::at(&t, time);
        assert!(at(10).cut.contains(&(0, 1)) && !at(10).cut.contains(&(1, 0)));
        assert!(at(25).down.contains(&2));
        assert!(at(35).cut_between(4, 3) && at(35).cut_between(0, 1));
        assert!(!at(45).cut_between(0, 1), "a heal mends both directions");
        assert!(at(55).down.is_empty());
        assert_eq!(at(5), FaultState::default());
    }
}
