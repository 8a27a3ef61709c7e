//! One lesson being played: the intro, the student's attempt and the step shown, hints, the
//! solution replayed move by move, and predictions — the story stops before the reply a
//! prediction asks about until the student has answered. Pure, no DOM.

use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_sim::compare::{Comparison, Script};
use postroom_sim::lesson::{Asked, Attempt, Lesson, LessonResult, Move, Runners, World};
use postroom_sim::Timeline;

use crate::state::{Playback, PlaybackAction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub lesson: Rc<Lesson>,
    /// The student's own attempt.
    pub attempt: Attempt,
    /// The intro slide shown, until the student starts.
    pub slide: Option<usize>,
    /// How many hints are revealed.
    pub hints: usize,
    /// Per prediction: None until answered, then whether the answer was right.
    pub answered: Vec<Option<bool>>,
    /// Each prediction as the student's world asks it (None where its command is not there).
    asked: Vec<Option<Asked>>,
    /// The answer just given, shown with the real reply's explanation.
    pub feedback: Option<Feedback>,
    /// "Show solution": the worlds after each solution move, and the one shown.
    pub solution: Option<Solution>,
    pub solution_shown: bool,
    /// The explorer's story as far as the student may see it: up to the reply the next
    /// prediction asks about. None for a comparison.
    pub shown: Option<Rc<Timeline>>,
    /// The comparison as far as the student may see it: up to the action in which the next
    /// prediction's command is sent. None for the explorer's story.
    pub shown_compare: Option<Rc<Comparison>>,
    /// The step (or, comparing, the action) shown.
    pub playback: Playback,
    /// Why the last move could not be made.
    pub problem: Option<Text>,
}

/// What a lesson carries over from the progress saved for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Per prediction: None until answered, then whether the answer was right.
    pub answered: Vec<Option<bool>>,
    pub hints: usize,
    pub solution_shown: bool,
    /// The moves of the attempt in progress.
    pub moves: Vec<Move>,
}

/// An answer and what it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub chosen: usize,
    pub asked: Asked,
}

impl Feedback {
    pub fn right(&self) -> bool {
        self.chosen == self.asked.right
    }
}

/// The solution, replayed one move at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The start, then the world after each move of the solution.
    pub states: Rc<Vec<Attempt>>,
    /// How many of its moves are made.
    pub at: usize,
}

impl Open {
    /// The lesson on its first slide, run by `runners`; `answered`, `hints` and the moves
    /// of the attempt in progress carry over from the progress saved for it (the moves are
    /// made again, as far as they still apply).
    pub fn new(lesson: Rc<Lesson>, runners: Runners, saved: Carried) -> Result<Open, String> {
        let Carried {
            mut answered,
            hints,
            solution_shown,
            moves,
        } = saved;
        let mut attempt = Attempt::start_in(&lesson, runners)?;
        for mv in &moves {
            if attempt.apply(&lesson, mv).is_err() {
                break;
            }
        }
        answered.resize(lesson.predictions.len(), None);
        let mut open = Open {
            hints: hints.min(lesson.hints.len()),
            lesson,
            attempt,
            slide: Some(0),
            answered,
            asked: Vec::new(),
            feedback: None,
            solution: None,
            solution_shown,
            shown: None,
            shown_compare: None,
            playback: Playback::new(0),
            problem: None,
        };
        open.refresh(0);
        Ok(open)
    }

    /// The world on screen: a step of the solution while it is replayed, else the student's.
    pub fn view(&self) -> &Attempt {
        self.solution
            .as_ref()
            .and_then(|s| s.states.get(s.at))
            .unwrap_or(&self.attempt)
    }

    /// The prediction the story stops for next: the unanswered one whose reply comes first.
    /// None while the solution is replayed.
    pub fn pending(&self) -> Option<&Asked> {
        self.next_question().map(|(_, a)| a)
    }

    /// The pending prediction and its index in the lesson.
    fn next_question(&self) -> Option<(usize, &Asked)> {
        if self.solution.is_some() {
            return None;
        }
        self.asked
            .iter()
            .zip(&self.answered)
            .enumerate()
            .filter(|(_, (_, answered))| answered.is_none())
            .filter_map(|(i, (asked, _))| Some((i, asked.as_ref()?)))
            .min_by_key(|(_, a)| a.step)
    }

    /// The question is on screen: the story has reached the command whose reply it asks.
    pub fn asking(&self) -> Option<&Asked> {
        self.pending()
            .filter(|a| self.playback.current >= a.command_step)
    }

    /// The student's attempt meets the goal.
    pub fn complete(&self) -> bool {
        self.attempt.complete(&self.lesson)
    }

    /// The goal is met and the student has seen it happen: no question still holds the
    /// story back before the part that meets it.
    pub fn finished(&self) -> bool {
        self.complete() && self.pending().is_none()
    }

    /// How many predictions were answered right, and wrong.
    pub fn score(&self) -> (u32, u32) {
        let count = |want: bool| {
            let n = self.answered.iter().filter(|a| **a == Some(want)).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        (count(true), count(false))
    }

    /// This lesson's line of the results, given the one saved before: done once done, with
    /// the fewest moves a finished attempt took.
    pub fn result(&self, before: Option<&LessonResult>) -> LessonResult {
        let now = u32::try_from(self.attempt.moves().len()).unwrap_or(u32::MAX);
        let was_done = before.is_some_and(|b| b.done);
        let best = before.map_or(now, |b| b.moves);
        let moves = match (self.finished(), was_done) {
            (true, true) => best.min(now),
            (false, true) => best,
            (_, false) => now,
        };
        let (right, wrong) = self.score();
        LessonResult {
            id: self.lesson.id.clone(),
            // The title as the student read it, for the teacher's summary.
            title: crate::i18n::words(&self.lesson.title).to_string(),
            done: was_done || self.finished(),
            moves,
            solution_moves: u32::try_from(self.lesson.solution.len()).unwrap_or(u32::MAX),
            predictions_right: right,
            predictions_wrong: wrong,
            hints: u32::try_from(self.hints).unwrap_or(u32::MAX),
            solution_shown: self.solution_shown,
            attempt: self.attempt.moves().to_vec(),
        }
    }

    /// Recomputes what the student's world asks, and what is shown from `step`.
    fn refresh(&mut self, step: usize) {
        self.asked = self.attempt.predictions(&self.lesson);
        let stop = self.pending().map(|a| a.step);
        let (len, shown) = match self.view().world() {
            World::Explorer { timeline, .. } => {
                let shown = match stop {
                    Some(stop) if stop < timeline.len() => Rc::new(Timeline {
                        hosts: timeline.hosts.clone(),
                        steps: timeline.steps.iter().take(stop).cloned().collect(),
                        outcome: Vec::new(),
                        stored: timeline
                            .stored
                            .iter()
                            .filter(|s| s.step < stop)
                            .cloned()
                            .collect(),
                    }),
                    _ => Rc::clone(timeline),
                };
                (shown.len(), Some(shown))
            }
            World::Compare(c) => {
                let shown = match stop {
                    Some(stop) if stop < c.script.acts.len() => Rc::new(until(c, stop)),
                    _ => Rc::clone(c),
                };
                self.shown_compare = Some(Rc::clone(&shown));
                (shown.script.acts.len(), None)
            }
        };
        if shown.is_some() {
            self.shown_compare = None;
        }
        self.shown = shown;
        self.playback = Playback::at(len, step);
    }

    /// Where the view goes when the world changes from `before` to `after`: the first step
    /// that differs (or, comparing, the newest action); where it was if nothing changed.
    fn first_change(&self, before: &Attempt, after: &Attempt) -> usize {
        let here = self.playback.current;
        match (before.world(), after.world()) {
            (World::Explorer { timeline: a, .. }, World::Explorer { timeline: b, .. }) => {
                if a == b {
                    here
                } else {
                    a.first_difference(b)
                }
            }
            (World::Compare(a), World::Compare(b)) if a.script.acts != b.script.acts => {
                b.script.acts.len().saturating_sub(1)
            }
            _ => here,
        }
    }

    pub fn play(&mut self, action: PlaybackAction) {
        let compares = self.shown.is_none();
        if compares && matches!(action, PlaybackAction::TogglePlay | PlaybackAction::Tick) {
            return;
        }
        self.playback = self.playback.after(action);
    }

    /// The student makes a move: the world runs again and the view goes to what changed.
    pub fn make(&mut self, mv: &Move) {
        self.solution = None;
        self.feedback = None;
        let before = self.attempt.clone();
        match self.attempt.apply(&self.lesson, mv) {
            Ok(()) => {
                self.problem = None;
                let at = self.first_change(&before, &self.attempt);
                self.refresh(at);
            }
            Err(why) => self.problem = Some(why),
        }
    }

    /// Back to the lesson's start; what was learnt (hints, answers) stays.
    pub fn reset(&mut self) {
        match Attempt::start_in(&self.lesson, self.attempt.runners()) {
            Ok(attempt) => {
                self.attempt = attempt;
                self.solution = None;
                self.feedback = None;
                self.problem = None;
                self.refresh(0);
            }
            Err(why) => self.problem = Some(Text::verbatim(why)),
        }
    }

    pub fn hint(&mut self) {
        self.hints = (self.hints + 1).min(self.lesson.hints.len());
    }

    /// Answers the question on screen with option `chosen`; the story goes on to the reply.
    pub fn answer(&mut self, chosen: usize) {
        let Some((index, asked)) = self.next_question() else {
            return;
        };
        let asked = asked.clone();
        if self.playback.current < asked.command_step || chosen >= asked.options.len() {
            return;
        }
        if let Some(slot) = self.answered.get_mut(index) {
            *slot = Some(chosen == asked.right);
        }
        let reply = asked.step;
        self.feedback = Some(Feedback { chosen, asked });
        self.refresh(reply);
    }

    /// "Show solution": the lesson's start, ready to replay the solution's moves.
    pub fn show_solution(&mut self) {
        match Attempt::solution_in(&self.lesson, self.attempt.runners()) {
            Ok(states) => {
                self.solution = Some(Solution {
                    states: Rc::new(states),
                    at: 0,
                });
                self.solution_shown = true;
                self.feedback = None;
                self.problem = None;
                self.refresh(0);
            }
            Err(why) => self.problem = Some(Text::verbatim(why)),
        }
    }

    /// One move of the solution forward (or back): the view goes to what it changes.
    pub fn solution_step(&mut self, forward: bool) {
        let Some(solution) = &self.solution else {
            return;
        };
        let last = solution.states.len().saturating_sub(1);
        let at = match forward {
            true => (solution.at + 1).min(last),
            false => solution.at.saturating_sub(1),
        };
        let states = Rc::clone(&solution.states);
        let (Some(before), Some(after)) = (states.get(solution.at), states.get(at)) else {
            return;
        };
        let step = self.first_change(before, after);
        self.solution = Some(Solution { states, at });
        self.refresh(step);
    }

    /// Back to the student's own attempt, from its start.
    pub fn close_solution(&mut self) {
        if self.solution.take().is_some() {
            self.refresh(0);
        }
    }

    /// The intro: the next slide, or the lesson itself after the last.
    pub fn next_slide(&mut self) {
        self.slide = self
            .slide
            .map(|s| s + 1)
            .filter(|s| *s < self.lesson.intro.len());
    }

    pub fn previous_slide(&mut self) {
        self.slide = self.slide.map(|s| s.saturating_sub(1));
    }
}

/// The comparison's first `acts` actions: both worlds as they stand before the next one.
fn until(c: &Comparison, acts: usize) -> Comparison {
    Comparison {
        script: Script {
            leave_on_server: c.script.leave_on_server,
            acts: c.script.acts.iter().copied().take(acts).collect(),
        },
        pop3: c.pop3.iter().take(acts).cloned().collect(),
        imap: c.imap.iter().take(acts).cloned().collect(),
    }
}
