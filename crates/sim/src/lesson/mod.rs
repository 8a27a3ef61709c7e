//! Lessons that check themselves: a starting world, the moves a student may make, a goal
//! checked over the world after every move, hints, a solution, and predictions whose answers
//! come from the engines. A lesson is data (a JSON file, see `static/lessons/README.md`);
//! everything it asks is computed here, never typed in the file.
//!
//! The page reads a file with [`Lesson::parse`], keeps an [`Attempt`], calls
//! [`Attempt::apply`] for each move and shows [`Attempt::goal`]; a student's progress is
//! handed in as [`Results`].

mod attempt;
mod goal;
pub mod index;
mod json;
mod moves;
mod observe;
mod predict;
mod read;
mod results;
mod words;
mod write;

pub use attempt::{Attempt, RunCompare, RunExplorer, Runners, World};
pub use goal::{Check, CheckKind, Counted, GoalItem, Label, Side};
pub use json::FormatError;
pub use moves::{
    ActCode, BobAction, FaultName, Kind, Letter, Move, OutgoingSettings, ProtocolName,
    SecurityName, Settings, Which, FAULT_NAMES,
};
pub use observe::{By, Place, Proto};
pub use predict::{Asked, AskedIn, Prediction};
pub use results::{LessonResult, Results, RESULTS_FORMAT};
pub use words::Words;

use serde::{Deserialize, Serialize};

use crate::compare::Script;
use crate::scenario::Scenario;

/// How far into the subject a lesson goes; the picker groups lessons by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
        }
    }

    /// The name a lesson file and the list of lessons write.
    pub fn name(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    pub fn named(name: &str) -> Option<Level> {
        [Level::Beginner, Level::Intermediate, Level::Advanced]
            .into_iter()
            .find(|l| l.name() == name)
    }
}

/// A section of an RFC a slide points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfcLink {
    pub rfc: u16,
    pub section: String,
}

impl RfcLink {
    /// The RFC Editor's address of the section, as the explanations link it.
    pub fn url(&self) -> String {
        format!(
            "https://www.rfc-editor.org/rfc/rfc{}#section-{}",
            self.rfc, self.section
        )
    }

    /// `RFC 5321 §4.1.1.1`.
    pub fn label(&self) -> String {
        format!("RFC {} §{}", self.rfc, self.section)
    }
}

/// One slide of a lesson's introduction: plain text, and the RFC sections it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slide {
    pub text: Words,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rfc: Vec<RfcLink>,
}

/// The world a lesson starts from, in the share links' own forms: the explorer's scenario
/// (`v1.…`, or the whole link the Share button gives) or the comparison's script
/// (`keep=1;n.n.pc.lc`, or a ready-made comparison's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Start {
    Explorer(String),
    Compare(String),
}

/// A lesson, as its file says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Letters, digits and dashes: `#lesson=ID` opens it.
    pub id: String,
    pub title: Words,
    pub level: Level,
    pub intro: Vec<Slide>,
    pub start: Start,
    /// The kinds of move the student may make.
    pub allow: Vec<Kind>,
    pub goal: Vec<Check>,
    /// Revealed one at a time.
    #[serde(default)]
    pub hints: Vec<Words>,
    /// Moves that meet the goal, replayed by "Show solution".
    pub solution: Vec<Move>,
    #[serde(default)]
    pub predictions: Vec<Prediction>,
}

impl Lesson {
    /// Reads a lesson file; a clear error naming the line and the field otherwise.
    pub fn parse(text: &str) -> Result<Lesson, FormatError> {
        json::read_checked(text, Lesson::validate)
    }

    /// Whether the lesson compares POP3 and IMAP (else it watches the explorer's world).
    pub fn compares(&self) -> bool {
        matches!(self.start, Start::Compare(_))
    }

    /// The explorer's starting scenario.
    pub fn scenario(&self) -> Result<Scenario, String> {
        match &self.start {
            Start::Explorer(link) => {
                let code = link.rsplit_once("#s=").map_or(link.as_str(), |(_, c)| c);
                crate::share::decode(code).map_err(|e| e.0)
            }
            Start::Compare(_) => Err("This lesson compares POP3 and IMAP.".into()),
        }
    }

    /// The comparison's starting script.
    pub fn script(&self) -> Result<Script, String> {
        match &self.start {
            Start::Compare(link) => {
                let code = link
                    .rsplit_once("#compare=")
                    .map_or(link.as_str(), |(_, c)| c);
                Script::decode(code)
            }
            Start::Explorer(_) => Err("This lesson watches one world.".into()),
        }
    }

    /// What the file means, beyond its shape: the field at fault and why.
    fn validate(&self) -> Result<(), (String, String)> {
        let err = |field: &str, why: &str| Err((field.to_string(), why.to_string()));
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 48
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return err("id", "an id is 1 to 48 small letters, digits and dashes");
        }
        if self.title.is_blank() {
            return err("title", "the title is empty");
        }
        if self.intro.is_empty() {
            return err("intro", "a lesson starts with at least one slide");
        }
        if let Some(i) = self.intro.iter().position(|s| s.text.is_blank()) {
            return err(&format!("intro[{i}].text"), "this slide has no text");
        }
        if let Some(i) = self.hints.iter().position(Words::is_blank) {
            return err(&format!("hints[{i}]"), "this hint has no text");
        }
        let compares = self.compares();
        let start = match compares {
            true => self.script().map(|_| ()),
            false => self.scenario().map(|_| ()),
        };
        if let Err(why) = start {
            let field = if compares {
                "start.compare"
            } else {
                "start.explorer"
            };
            return Err((field.into(), why));
        }
        if let Some(i) = self.allow.iter().position(|k| k.compares() != compares) {
            return err(
                &format!("allow[{i}]"),
                "this kind of move belongs to the other page (explorer: bob, faults, step_faults, settings, outgoing, compose, send_next; comparison: acts, keep)",
            );
        }
        if self.goal.is_empty() {
            return err("goal", "a goal needs at least one check");
        }
        for (i, check) in self.goal.iter().enumerate() {
            check
                .validate(compares)
                .map_err(|(field, why)| (format!("goal[{i}].{field}"), why))?;
        }
        if self.solution.is_empty() {
            return err("solution", "a solution needs at least one move");
        }
        if let Some(i) = self
            .solution
            .iter()
            .position(|m| !self.allow.contains(&m.kind()))
        {
            return err(
                &format!("solution[{i}]"),
                "the solution makes a kind of move the lesson's “allow” does not offer",
            );
        }
        for (i, p) in self.predictions.iter().enumerate() {
            let at = |field: &str| format!("predictions[{i}].{field}");
            if p.reply_to.is_empty() {
                return err(&at("reply_to"), "the command is empty");
            }
            if compares && p.side.is_none() {
                return err(
                    &at("side"),
                    "a comparison's prediction names its world: “side”: “pop3” or “imap”",
                );
            }
            if !compares && (p.side.is_some() || p.device.is_some()) {
                let field = if p.side.is_some() { "side" } else { "device" };
                return err(
                    &at(field),
                    "only comparison lessons' predictions name a side or a device",
                );
            }
            if compares && p.protocol.is_some() {
                return err(&at("protocol"), "a comparison's side names the protocol");
            }
        }
        Ok(())
    }
}
