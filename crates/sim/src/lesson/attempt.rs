//! A student's attempt at a lesson: the world as it starts, the moves made so far, the world
//! they give, and the goal checked after every move. Pure data the page keeps in its state.
//! The worlds come from [`Runners`]: a page that runs one kind of lesson links only that
//! world's code.

use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_proto::text;

use super::goal::{GoalItem, Side};
use super::moves::{apply_to_scenario, apply_to_script, Move};
use super::observe::{Observed, Proto};
use super::predict::Asked;
use super::{Lesson, Start};
use crate::compare::{compare, Comparison, Script};
use crate::scenario::Scenario;
use crate::timeline::Timeline;
use crate::world::run;

/// The world a lesson shows: the explorer's story, or the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum World {
    Explorer {
        scenario: Rc<Scenario>,
        timeline: Rc<Timeline>,
    },
    Compare(Rc<Comparison>),
}

/// Runs a lesson's world: the explorer's story from a scenario.
pub type RunExplorer = fn(&Scenario) -> Result<Timeline, String>;
/// Runs a lesson's world: the comparison from a script.
pub type RunCompare = fn(&Script) -> Comparison;

/// The worlds a page can run lessons in. Each page names its own (a constant below), so the
/// world it never runs is not in its WebAssembly module; a lesson of the other kind gets a
/// clear error here, and the page sends the student to the page that runs it.
#[derive(Clone, Copy)]
pub struct Runners {
    explorer: Option<RunExplorer>,
    compare: Option<RunCompare>,
}

fn run_explorer(scenario: &Scenario) -> Result<Timeline, String> {
    run(scenario).map_err(|e| e.to_string())
}

impl Runners {
    /// Both worlds (native tests and tools).
    pub const BOTH: Runners = Runners {
        explorer: Some(run_explorer),
        compare: Some(compare),
    };
    /// The explorer's world only.
    pub const EXPLORER: Runners = Runners {
        explorer: Some(run_explorer),
        compare: None,
    };
    /// The comparison only.
    pub const COMPARE: Runners = Runners {
        explorer: None,
        compare: Some(compare),
    };

    /// Whether lessons like `lesson` run here.
    pub fn runs(&self, lesson: &Lesson) -> bool {
        self.runs_kind(matches!(lesson.start, Start::Compare(_)))
    }

    /// Whether lessons that compare POP3 and IMAP (or else watch the explorer) run here.
    pub fn runs_kind(&self, compares: bool) -> bool {
        match compares {
            false => self.explorer.is_some(),
            true => self.compare.is_some(),
        }
    }

    fn explorer(&self, scenario: &Scenario) -> Result<Timeline, String> {
        let run = self
            .explorer
            .ok_or("This lesson runs on the explorer's lesson page.")?;
        run(scenario)
    }

    fn compare(&self, script: &Script) -> Result<Comparison, String> {
        let run = self
            .compare
            .ok_or("This lesson runs on the comparison's lesson page.")?;
        Ok(run(script))
    }
}

// Two sets of runners are the same when they run the same kinds (the functions themselves
// are fixed per kind).
impl PartialEq for Runners {
    fn eq(&self, other: &Runners) -> bool {
        (self.explorer.is_some(), self.compare.is_some())
            == (other.explorer.is_some(), other.compare.is_some())
    }
}

impl Eq for Runners {}

impl std::fmt::Debug for Runners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runners")
            .field("explorer", &self.explorer.is_some())
            .field("compare", &self.compare.is_some())
            .finish()
    }
}

/// Where a lesson stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    runners: Runners,
    world: World,
    moves: Vec<Move>,
    /// The explorer's world, or the POP3 and then the IMAP side.
    observed: Vec<Observed>,
    /// Per goal item: whether it ever held (for the checks that count once).
    ever: Vec<bool>,
}

impl Attempt {
    /// The lesson's starting world, before any move.
    pub fn start(lesson: &Lesson) -> Result<Attempt, String> {
        Attempt::start_in(lesson, Runners::BOTH)
    }

    /// The lesson's starting world, run by `runners`.
    pub fn start_in(lesson: &Lesson, runners: Runners) -> Result<Attempt, String> {
        let world = match &lesson.start {
            Start::Explorer(_) => {
                let scenario = lesson.scenario()?;
                let timeline = runners.explorer(&scenario)?;
                World::Explorer {
                    scenario: Rc::new(scenario),
                    timeline: Rc::new(timeline),
                }
            }
            Start::Compare(_) => {
                let script = lesson.script()?;
                World::Compare(Rc::new(runners.compare(&script)?))
            }
        };
        let mut attempt = Attempt {
            runners,
            observed: observe(&world),
            world,
            moves: Vec::new(),
            ever: vec![false; lesson.goal.len()],
        };
        attempt.remember(lesson);
        Ok(attempt)
    }

    /// Makes one move; the world runs again and the goal is checked. A move the lesson does
    /// not offer, or one that cannot apply here, changes nothing and says why.
    pub fn apply(&mut self, lesson: &Lesson, mv: &Move) -> Result<(), Text> {
        if !lesson.allow.contains(&mv.kind()) {
            return Err(text!("lesson.cannot.not-offered", what = mv.label()));
        }
        let world = match &self.world {
            World::Explorer { scenario, timeline } => {
                let mut scenario = Scenario::clone(scenario);
                apply_to_scenario(&mut scenario, timeline, mv)?;
                let timeline = self.runners.explorer(&scenario).map_err(Text::verbatim)?;
                World::Explorer {
                    scenario: Rc::new(scenario),
                    timeline: Rc::new(timeline),
                }
            }
            World::Compare(comparison) => {
                let mut script = comparison.script.clone();
                apply_to_script(&mut script, mv)?;
                World::Compare(Rc::new(
                    self.runners.compare(&script).map_err(Text::verbatim)?,
                ))
            }
        };
        self.observed = observe(&world);
        self.world = world;
        self.moves.push(mv.clone());
        self.remember(lesson);
        Ok(())
    }

    /// The attempt after each move of the lesson's solution, the start first: "Show
    /// solution" plays them one by one.
    pub fn solution(lesson: &Lesson) -> Result<Vec<Attempt>, String> {
        Attempt::solution_in(lesson, Runners::BOTH)
    }

    /// The solution's attempts, run by `runners`.
    pub fn solution_in(lesson: &Lesson, runners: Runners) -> Result<Vec<Attempt>, String> {
        let mut attempt = Attempt::start_in(lesson, runners)?;
        let mut all = vec![attempt.clone()];
        for mv in &lesson.solution {
            attempt.apply(lesson, mv).map_err(|why| why.to_string())?;
            all.push(attempt.clone());
        }
        Ok(all)
    }

    /// The worlds this attempt runs in.
    pub fn runners(&self) -> Runners {
        self.runners
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// The explorer's timeline, if the lesson watches one world.
    pub fn timeline(&self) -> Option<&Timeline> {
        match &self.world {
            World::Explorer { timeline, .. } => Some(timeline),
            World::Compare(_) => None,
        }
    }

    fn view(&self, side: Option<Side>) -> Option<&Observed> {
        let i = match side {
            Some(Side::Imap) => 1,
            _ => 0,
        };
        self.observed.get(i)
    }

    fn holds_now(&self, lesson: &Lesson) -> Vec<bool> {
        lesson
            .goal
            .iter()
            .map(|c| {
                self.view(c.side)
                    .is_some_and(|w| c.holds(w, self.moves.len()))
            })
            .collect()
    }

    fn remember(&mut self, lesson: &Lesson) {
        let now = self.holds_now(lesson);
        self.ever.resize(now.len(), false);
        for (ever, now) in self.ever.iter_mut().zip(now) {
            *ever |= now;
        }
    }

    /// The goal list, ticked or open, after the moves so far.
    pub fn goal(&self, lesson: &Lesson) -> Vec<GoalItem> {
        lesson
            .goal
            .iter()
            .zip(self.holds_now(lesson))
            .zip(&self.ever)
            .map(|((check, now), ever)| GoalItem {
                label: check.label(),
                ticked: if check.once { *ever } else { now },
            })
            .collect()
    }

    /// Every item of the goal is ticked.
    pub fn complete(&self, lesson: &Lesson) -> bool {
        self.goal(lesson).iter().all(|item| item.ticked)
    }

    /// Each prediction of the lesson as the current world asks it; None where its command
    /// is not in this world.
    pub fn predictions(&self, lesson: &Lesson) -> Vec<Option<Asked>> {
        lesson
            .predictions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let seed = format!("{}#{i}", lesson.id);
                match &self.world {
                    World::Explorer { timeline, .. } => p.ask(timeline, &seed),
                    World::Compare(c) => p.ask_compare(c, &seed),
                }
            })
            .collect()
    }
}

fn observe(world: &World) -> Vec<Observed> {
    match world {
        World::Explorer { timeline, .. } => vec![Observed::timeline(timeline)],
        World::Compare(c) => vec![
            Observed::frames(&c.pop3, Proto::Pop3),
            Observed::frames(&c.imap, Proto::Imap),
        ],
    }
}
