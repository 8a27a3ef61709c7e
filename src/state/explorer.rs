//! The explorer page's state: the scenario, the one world run for it, the step shown, and
//! what the page shows around them. Every edit runs the world once. Pure, no DOM.

use std::rc::Rc;

use postroom_sim::share::FAULTS;
use postroom_sim::{run, Action, Fault, Scenario, ScenarioError, Timeline};
use yew::Reducible;

use super::compose::Problem;
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
    /// Why the email the panel sent cannot go, shown beside its field; the story shown stays.
    pub problem: Option<Problem>,
    /// A warning under the bar: a bad link, a lost save.
    pub banner: Option<String>,
    /// The link the Share button gave, while it still opens the scenario shown.
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
    /// The share link's banner was closed.
    DismissShare,
    ToggleCompose,
    CloseCompose,
    SetSpeed(u32),
    ToggleBytes,
    DismissBanner,
}

impl ExplorerState {
    /// The page as it opens: the scenario and step it starts with, its world run once. A
    /// scenario that cannot run (a hand-made link) gives the classroom example and says why.
    pub fn new(start: Start) -> Self {
        let (scenario, timeline, banner) = match run(&start.scenario) {
            Ok(timeline) => (start.scenario, Ok(Rc::new(timeline)), start.banner),
            Err(e) => {
                let scenario = Scenario::default();
                let banner = crate::t!("banner.cannot-run", why = e.to_string()).to_string();
                (scenario.clone(), run(&scenario).map(Rc::new), Some(banner))
            }
        };
        ExplorerState {
            playback: Playback::at(steps(&timeline), start.step),
            scenario,
            timeline,
            speed: 100,
            bytes: false,
            composing: false,
            problem: None,
            banner,
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

    /// Runs the world for `scenario` and shows it from `step` (or its last step). A scenario
    /// that cannot run leaves everything as it was, and the compose panel says why.
    fn show(&mut self, scenario: Scenario, step: usize) -> bool {
        let timeline = match run(&scenario) {
            Ok(timeline) => Rc::new(timeline),
            Err(e) => {
                self.problem = Some(Problem::of(&scenario, &e));
                return false;
            }
        };
        self.playback = Playback::at(timeline.len(), step);
        self.timeline = Ok(timeline);
        self.scenario = scenario;
        // A new timeline is a new view: the byte view starts off again, and a link shared
        // before opens another story.
        self.bytes = false;
        self.problem = None;
        self.share_link = None;
        true
    }

    /// A change made while the class watches: the world runs again, and the view goes to
    /// the first step that differs — no later than `cap`, where the class is, when given.
    fn branch(&mut self, scenario: Scenario, cap: Option<usize>) -> bool {
        let before = self.timeline.clone();
        if !self.show(scenario, 0) {
            return false;
        }
        if let (Ok(before), Ok(after)) = (before, &self.timeline) {
            let at = before
                .first_difference(after)
                .min(cap.unwrap_or(usize::MAX));
            self.playback = Playback::at(after.len(), at);
        }
        true
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
                // The same story again keeps the view where it is.
                if scenario == self.scenario {
                    next.composing = false;
                    next.problem = None;
                } else if next.show(scenario, 0) {
                    next.composing = false;
                }
            }
            ExplorerAction::SendNext(scenario) => {
                if next.branch(scenario, None) {
                    next.composing = false;
                }
            }
            ExplorerAction::Shared(link) => next.share_link = Some(link),
            ExplorerAction::DismissShare => next.share_link = None,
            ExplorerAction::ToggleCompose => {
                next.composing = !self.composing;
                next.problem = None;
            }
            ExplorerAction::CloseCompose => {
                next.composing = false;
                next.problem = None;
            }
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
