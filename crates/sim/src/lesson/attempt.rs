//! A student's attempt at a lesson: the world as it starts, the moves made so far, the world
//! they give, and the goal checked after every move. Pure data the page keeps in its state.

use std::rc::Rc;

use super::goal::{GoalItem, Side};
use super::moves::{apply_to_scenario, apply_to_script, Move};
use super::observe::{Observed, Proto};
use super::predict::Asked;
use super::{Lesson, Start};
use crate::compare::{compare, Comparison};
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

/// Where a lesson stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
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
        let world = match &lesson.start {
            Start::Explorer(_) => {
                let scenario = lesson.scenario().map_err(|e| e.to_string())?;
                let timeline = run(&scenario).map_err(|e| e.to_string())?;
                World::Explorer {
                    scenario: Rc::new(scenario),
                    timeline: Rc::new(timeline),
                }
            }
            Start::Compare(_) => {
                let script = lesson.script().map_err(|e| e.to_string())?;
                World::Compare(Rc::new(compare(&script)))
            }
        };
        let mut attempt = Attempt {
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
    pub fn apply(&mut self, lesson: &Lesson, mv: &Move) -> Result<(), String> {
        if !lesson.allow.contains(&mv.kind()) {
            return Err(format!("This lesson does not offer that: {}.", mv.label()));
        }
        let world = match &self.world {
            World::Explorer { scenario, timeline } => {
                let mut scenario = Scenario::clone(scenario);
                apply_to_scenario(&mut scenario, timeline, mv)?;
                let timeline = run(&scenario).map_err(|e| e.to_string())?;
                World::Explorer {
                    scenario: Rc::new(scenario),
                    timeline: Rc::new(timeline),
                }
            }
            World::Compare(comparison) => {
                let mut script = comparison.script.clone();
                apply_to_script(&mut script, mv)?;
                World::Compare(Rc::new(compare(&script)))
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
        let mut attempt = Attempt::start(lesson)?;
        let mut all = vec![attempt.clone()];
        for mv in &lesson.solution {
            attempt.apply(lesson, mv)?;
            all.push(attempt.clone());
        }
        Ok(all)
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
    /// is not in this world (or the lesson compares, which has no timeline to stop in).
    pub fn predictions(&self, lesson: &Lesson) -> Vec<Option<Asked>> {
        lesson
            .predictions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let timeline = self.timeline()?;
                p.ask(timeline, &format!("{}#{i}", lesson.id))
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
