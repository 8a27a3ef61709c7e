//! Where each fault of a scenario first shows: the first step that differs from the same
//! story without that fault, so the page can say "this fault first shows at step N" and
//! jump there. Computed by running the world, never guessed.

use crate::scenario::{Fault, Scenario};
use crate::timeline::Timeline;
use crate::world::run;

/// For each fault of `scenario` (whose story is `timeline`), the index of the first step it
/// changes, or None when it changes nothing in this story.
pub fn fault_marks(scenario: &Scenario, timeline: &Timeline) -> Vec<(Fault, Option<usize>)> {
    scenario
        .faults
        .iter()
        .map(|&fault| {
            let mut without = scenario.clone();
            without.faults.retain(|&f| f != fault);
            let first = run(&without).ok().and_then(|base| {
                let i = base.first_difference(timeline);
                let same = i == base.len() && i == timeline.len();
                // A story the fault only shortens first differs where it ends.
                (!same).then(|| i.min(timeline.len().saturating_sub(1)))
            });
            (fault, first)
        })
        .collect()
}
