//! The explorer page's state: the scenario, the one world run for it, the step shown, and
//! what the page shows around them. Every edit runs the world once. Pure, no DOM.

use std::rc::Rc;

use postroom_sim::share::FAULTS;
use postroom_sim::{run, Action, Fault, Scenario, ScenarioError, Timeline};
use yew::Reducible;

use super::playback::{Playback, PlaybackAction};
use crate::storage::Start;

#[derive(Debug, Clone, PartialEq)]
pub struct ExplorerState {
    pub scenario: Scenario,
    /// The world run for `scenario`, or why it cannot run.
    pub timeline: Result<Rc<Timeline>, ScenarioError>,
    /// The step shown: the page keeps it here only.
    pub playback: Playback,
    /// Playback speed in percent of normal; it outlives the scenario.
    pub speed: u32,
    /// The transcript shows the octets: CR LF, dot-stuffing, literals.
    pub bytes: bool,
    /// The compose panel is open.
    pub composing: bool,
    /// A warning under the bar: a bad link, a lost save.
    pub banner: Option<String>,
    /// The link the Share button gave.
    pub share_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExplorerAction {
    /// Step, play, jump.
    Play(PlaybackAction),
    /// A fault happens in the story: the view stays on the step shown, or goes back to the
    /// first step the fault changes if that is earlier.
    InjectFault(Fault),
    /// Bob does one more thing: the view goes to its first step.
    AddAction(Action),
    /// The story starts again with this scenario (the compose panel's "Send").
    Compose(Scenario),
    /// This scenario is the story so far with one more email: the view goes to its first step.
    SendNext(Scenario),
    /// The Share button gave this link.
    Shared(String),
    ToggleCompose,
    CloseCompose,
    SetSpeed(u32),
    ToggleBytes,
    DismissBanner,
}

impl ExplorerState {
    /// The page as it opens: the scenario and step it starts with, its world run once.
    pub fn new(start: Start) -> Self {
        let timeline = run(&start.scenario).map(Rc::new);
        ExplorerState {
            playback: Playback::at(steps(&timeline), start.step),
            scenario: start.scenario,
            timeline,
            speed: 100,
            bytes: false,
            composing: false,
            banner: start.banner,
            share_link: None,
        }
    }

    /// The faults the menu offers at the step shown: a packet of its line lost and its
    /// connection dropped right here (where either changes the story), then every fault of
    /// the list — each only if not chosen yet.
    pub fn faults_here(&self) -> Vec<Fault> {
        let step = self.playback.current;
        let n = u32::try_from(step).unwrap_or(u32::MAX);
        let timeline = self.timeline.as_ref().ok();
        let here = [
            (
                Fault::LossAt(n),
                timeline.is_some_and(|t| t.on_the_wire(step)),
            ),
            (
                Fault::DropAfter(n),
                timeline.is_some_and(|t| t.connection_goes_on(step)),
            ),
        ];
        here.into_iter()
            .filter(|(_, happens)| *happens)
            .map(|(fault, _)| fault)
            .chain(FAULTS)
            .filter(|f| !self.scenario.faults.contains(f))
            .collect()
    }

    /// Runs the world for `scenario` and shows it from `step` (or its last step).
    fn show(&mut self, scenario: Scenario, step: usize) {
        self.timeline = run(&scenario).map(Rc::new);
        self.scenario = scenario;
        self.playback = Playback::at(steps(&self.timeline), step);
        // A new timeline is a new view: the byte view starts off again.
        self.bytes = false;
    }

    /// A change made while the class watches: the world runs again, and the view goes to
    /// the first step that differs — no later than `cap`, where the class is, when given.
    fn branch(&mut self, scenario: Scenario, cap: Option<usize>) {
        let before = self.timeline.clone();
        self.show(scenario, 0);
        if let (Ok(before), Ok(after)) = (before, &self.timeline) {
            let at = before
                .first_difference(after)
                .min(cap.unwrap_or(usize::MAX));
            self.playback = Playback::at(after.len(), at);
        }
    }
}

/// How many steps a run has: none when the scenario cannot run.
fn steps(timeline: &Result<Rc<Timeline>, ScenarioError>) -> usize {
    timeline.as_ref().map_or(0, |t| t.len())
}

impl Reducible for ExplorerState {
    type Action = ExplorerAction;

    fn reduce(self: Rc<Self>, action: ExplorerAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ExplorerAction::Play(action) => next.playback = self.playback.after(action),
            ExplorerAction::InjectFault(fault) => {
                if !self.scenario.faults.contains(&fault) {
                    let mut scenario = self.scenario.clone();
                    if fault.at_a_step() {
                        scenario.add_step_fault(fault);
                    } else {
                        scenario.faults.push(fault);
                    }
                    next.branch(scenario, Some(self.playback.current));
                }
            }
            ExplorerAction::AddAction(action) => {
                let mut scenario = self.scenario.clone();
                scenario.actions.push(action);
                next.branch(scenario, None);
            }
            ExplorerAction::Compose(scenario) => {
                next.composing = false;
                next.share_link = None;
                // The same story again keeps the view where it is.
                if scenario != self.scenario {
                    next.show(scenario, 0);
                }
            }
            ExplorerAction::SendNext(scenario) => {
                next.composing = false;
                next.branch(scenario, None);
            }
            ExplorerAction::Shared(link) => next.share_link = Some(link),
            ExplorerAction::ToggleCompose => next.composing = !self.composing,
            ExplorerAction::CloseCompose => next.composing = false,
            ExplorerAction::SetSpeed(speed) => next.speed = speed,
            ExplorerAction::ToggleBytes => next.bytes = !self.bytes,
            ExplorerAction::DismissBanner => next.banner = None,
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests;
