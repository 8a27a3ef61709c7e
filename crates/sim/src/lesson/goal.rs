//! A lesson's goal: checks over the world after the student's moves, each ticked or open, with
//! a label a student reads. One flat shape per check (`"check": "sent"` and its fields), so a
//! teacher writes and reads it easily; [`Check::validate`] says which fields each kind takes.

use postroom_proto::i18n::Text;
use postroom_proto::text;
use serde::{Deserialize, Serialize};

use super::words::Words;

use super::moves::Which;
use super::observe::{By, Held, Observed, Place, Proto, Unit};
use crate::scenario::Device;

/// What a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// A message with this subject is (or, with `absent`, is not) in a place.
    Message,
    /// The phone and the laptop agree on whether each message they both hold is read.
    SeenAgrees,
    /// A place holds exactly `count` messages.
    Holds,
    /// A line starting with `line` crossed (or, with `never`, never crossed).
    Sent,
    /// A session reached a state, such as POP3's UPDATE.
    Reached,
    /// A count stays within `max`: commands, round trips, or the student's moves.
    AtMost,
}

/// Which world of a comparison a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Pop3,
    Imap,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Pop3 => "POP3",
            Side::Imap => "IMAP",
        }
    }
}

/// What an `at_most` check counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// Units a client sent.
    Commands,
    /// Bursts of commands, each waiting for its replies.
    RoundTrips,
    /// The student's moves (a "golf" score against the solution's).
    Moves,
}

/// One item of a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub check: CheckKind,
    /// What the goal list shows; a label is made from the fields when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Words>,
    /// Comparison lessons: the POP3 or the IMAP world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// Ticked for good once it has held after any move (for "try each of these" goals).
    #[serde(default, skip_serializing_if = "is_false")]
    pub once: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub absent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<By>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Proto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Which>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u32>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub never: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what: Option<Counted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A goal item's label: the lesson file's own words, or made by the engine from the
/// check's fields (in the page's language from its message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Written(Words),
    Made(Text),
}

impl Label {
    /// The English label, for tests and the hand-in's plain summary.
    pub fn en(&self) -> &str {
        match self {
            Label::Written(w) => w.en(),
            Label::Made(t) => t.as_str(),
        }
    }
}

/// One line of the goal list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalItem {
    pub label: Label,
    pub ticked: bool,
}

impl CheckKind {
    fn name(self) -> &'static str {
        match self {
            CheckKind::Message => "message",
            CheckKind::SeenAgrees => "seen_agrees",
            CheckKind::Holds => "holds",
            CheckKind::Sent => "sent",
            CheckKind::Reached => "reached",
            CheckKind::AtMost => "at_most",
        }
    }

    /// The fields this kind needs, and those it may have besides `check`, `label`, `side`
    /// and `once`.
    fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            CheckKind::Message => (&["subject", "on"], &["folder", "read", "absent"]),
            CheckKind::SeenAgrees => (&[], &["subject"]),
            CheckKind::Holds => (&["on", "count"], &["folder"]),
            CheckKind::Sent => (
                &["line"],
                &["by", "protocol", "device", "encrypted", "at_least", "never"],
            ),
            CheckKind::Reached => (&["state"], &["protocol", "device", "never"]),
            CheckKind::AtMost => (&["what", "max"], &["protocol", "device"]),
        }
    }
}

impl Check {
    /// The optional fields that are set, by name.
    fn set_fields(&self) -> Vec<&'static str> {
        [
            ("subject", self.subject.is_some()),
            ("on", self.on.is_some()),
            ("folder", self.folder.is_some()),
            ("read", self.read.is_some()),
            ("absent", self.absent),
            ("count", self.count.is_some()),
            ("line", self.line.is_some()),
            ("by", self.by.is_some()),
            ("protocol", self.protocol.is_some()),
            ("device", self.device.is_some()),
            ("encrypted", self.encrypted.is_some()),
            ("at_least", self.at_least.is_some()),
            ("never", self.never),
            ("state", self.state.is_some()),
            ("what", self.what.is_some()),
            ("max", self.max.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name)
        .collect()
    }

    /// Whether the fields fit the kind: the field at fault and why, if not.
    pub fn validate(&self, compares: bool) -> Result<(), (String, String)> {
        let kind = self.check.name();
        let (needed, optional) = self.check.fields();
        let set = self.set_fields();
        if let Some(missing) = needed.iter().find(|f| !set.contains(f)) {
            return Err((
                "check".into(),
                format!("a “{kind}” check needs “{missing}”"),
            ));
        }
        if let Some(extra) = set
            .iter()
            .find(|f| !needed.contains(f) && !optional.contains(f))
        {
            return Err((
                (*extra).into(),
                format!("a “{kind}” check has no “{extra}”"),
            ));
        }
        match (compares, self.side) {
            (true, None) if self.what != Some(Counted::Moves) => {
                return Err((
                    "check".into(),
                    "a check in a comparison lesson says which world it looks at: \"side\": \"pop3\" or \"imap\"".into(),
                ))
            }
            (false, Some(_)) => {
                return Err((
                    "side".into(),
                    "only comparison lessons have sides".into(),
                ))
            }
            _ => {}
        }
        if compares && (self.check == CheckKind::Reached || self.on == Some(Place::Alice)) {
            return Err((
                "check".into(),
                "the comparison has no session states and no mailbox for Alice".into(),
            ));
        }
        if self.line.as_deref().is_some_and(str::is_empty) {
            return Err(("line".into(), "the line to look for is empty".into()));
        }
        Ok(())
    }

    /// What the goal list shows: the file's label, else one made from the fields.
    pub fn label(&self) -> Label {
        if let Some(label) = &self.label {
            return Label::Written(label.clone());
        }
        let subject = self.subject.as_deref().unwrap_or_default();
        let place = self.on.map(Place::label).unwrap_or_default();
        let place = &place;
        let text = match self.check {
            CheckKind::Message => {
                let made = match (&self.folder, self.absent) {
                    (None, false) => text!("lesson.goal.on", subject = subject, place = place),
                    (None, true) => text!("lesson.goal.not-on", subject = subject, place = place),
                    (Some(f), false) => {
                        text!(
                            "lesson.goal.in",
                            subject = subject,
                            place = place,
                            folder = f.as_str()
                        )
                    }
                    (Some(f), true) => {
                        text!(
                            "lesson.goal.not-in",
                            subject = subject,
                            place = place,
                            folder = f.as_str()
                        )
                    }
                };
                match self.read {
                    Some(true) => text!("lesson.goal.read", label = &made),
                    Some(false) => text!("lesson.goal.unread", label = &made),
                    None => made,
                }
            }
            CheckKind::SeenAgrees if subject.is_empty() => text!("lesson.goal.seen-agree"),
            CheckKind::SeenAgrees => text!("lesson.goal.seen-agrees", subject = subject),
            CheckKind::Holds => {
                let count = u64::from(self.count.unwrap_or_default());
                text!("lesson.goal.holds", place = place, count = count)
            }
            CheckKind::Sent => {
                let line = self.line.as_deref().unwrap_or_default();
                match (self.by, self.never) {
                    (Some(By::Server), false) => text!("lesson.goal.reply", line = line),
                    (Some(By::Server), true) => text!("lesson.goal.no-reply", line = line),
                    (Some(By::Client), false) => text!("lesson.goal.command", line = line),
                    (Some(By::Client), true) => text!("lesson.goal.no-command", line = line),
                    (_, false) => text!("lesson.goal.line", line = line),
                    (_, true) => text!("lesson.goal.no-line", line = line),
                }
            }
            CheckKind::Reached => {
                let state = self.state.as_deref().unwrap_or_default();
                if self.never {
                    text!("lesson.goal.never-reached", state = state)
                } else {
                    text!("lesson.goal.reached", state = state)
                }
            }
            CheckKind::AtMost => {
                let max = u64::from(self.max.unwrap_or_default());
                match self.what {
                    Some(Counted::Commands) => text!("lesson.goal.at-most-commands", max = max),
                    Some(Counted::RoundTrips) => {
                        text!("lesson.goal.at-most-round-trips", max = max)
                    }
                    _ => text!("lesson.goal.at-most-moves", max = max),
                }
            }
        };
        Label::Made(match self.side {
            Some(side) => text!("lesson.goal.side", label = &text, side = side.name()),
            None => text,
        })
    }

    /// Whether the check holds in `world` after `moves` moves.
    pub fn holds(&self, world: &Observed, moves: usize) -> bool {
        match self.check {
            CheckKind::Message => {
                let there = world.held.iter().any(|h| {
                    self.is_here(h)
                        && Some(h.subject.as_str()) == self.subject.as_deref()
                        && self.read.is_none_or(|r| h.read == r)
                });
                there != self.absent
            }
            CheckKind::SeenAgrees => self.seen_agrees(world),
            CheckKind::Holds => {
                let n = world.held.iter().filter(|h| self.is_here(h)).count();
                Some(n) == self.count.and_then(|c| usize::try_from(c).ok())
            }
            CheckKind::Sent => {
                let text = self.line.as_deref().unwrap_or_default();
                let found: usize = self
                    .units(world)
                    .filter(|u| self.encrypted.is_none_or(|e| u.encrypted == e))
                    .map(|u| u.lines.iter().filter(|l| starts(u, l, text)).count())
                    .sum();
                if self.never {
                    found == 0
                } else {
                    found >= self.at_least.map_or(1, |n| n as usize)
                }
            }
            CheckKind::Reached => {
                let state = self.state.as_deref().unwrap_or_default();
                reached(self.units(world), state) != self.never
            }
            CheckKind::AtMost => {
                let n = match self.what {
                    Some(Counted::Moves) | None => moves,
                    Some(Counted::Commands) => {
                        self.units(world).filter(|u| u.by == By::Client).count()
                    }
                    Some(Counted::RoundTrips) => round_trips(self.units(world)),
                };
                self.max.is_some_and(|max| n <= max as usize)
            }
        }
    }

    fn is_here(&self, h: &Held) -> bool {
        Some(h.place) == self.on && self.folder.as_deref().is_none_or(|f| h.folder == f)
    }

    fn seen_agrees(&self, world: &Observed) -> bool {
        let on = |place: Place| {
            world
                .held
                .iter()
                .filter(move |h| h.place == place)
                .filter(|h| self.subject.as_deref().is_none_or(|s| h.subject == s))
        };
        let mut both = 0;
        for phone in on(Place::Phone) {
            for laptop in on(Place::Laptop).filter(|l| l.subject == phone.subject) {
                both += 1;
                if laptop.read != phone.read {
                    return false;
                }
            }
        }
        both > 0
    }

    /// The units this check looks at: of its protocol, its device, its sender.
    fn units<'a>(&'a self, world: &'a Observed) -> impl Iterator<Item = &'a Unit> + 'a {
        world.units.iter().filter(move |u| {
            self.protocol.is_none_or(|p| u.protocol == Some(p))
                && self
                    .device
                    .is_none_or(|d| u.device == Some(Device::from(d)))
                && self.by.is_none_or(|b| u.by == b)
        })
    }
}

/// Whether a line of `unit` starts with `text`; an IMAP line also after its tag.
pub(crate) fn starts(unit: &Unit, line: &str, text: &str) -> bool {
    line.starts_with(text)
        || (unit.protocol == Some(Proto::Imap)
            && line
                .split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with(text)))
}

/// A session state seen after a unit. POP3 passes through UPDATE within the QUIT that ends a
/// session begun in TRANSACTION, answered +OK (RFC 1939 §6): that counts as reaching it.
fn reached<'a>(units: impl Iterator<Item = &'a Unit>, state: &str) -> bool {
    let units: Vec<&Unit> = units.collect();
    units.iter().enumerate().any(|(i, u)| {
        if u.client_state == state || u.server_state == state {
            return true;
        }
        if state != "UPDATE" || u.protocol != Some(Proto::Pop3) || u.by != By::Client {
            return false;
        }
        let quit = u
            .lines
            .first()
            .is_some_and(|l| l.eq_ignore_ascii_case("QUIT"));
        let same = |x: &&&Unit| x.connection == u.connection;
        let before = units.get(..i).and_then(|b| b.iter().rev().find(same));
        let after = units.get(i + 1..).and_then(|a| a.iter().find(same));
        quit && before.is_some_and(|b| b.server_state == "TRANSACTION")
            && after.is_some_and(|a| {
                a.by == By::Server && a.lines.first().is_some_and(|l| l.starts_with("+OK"))
            })
    })
}

/// Bursts of client units, each followed by replies, per connection.
fn round_trips<'a>(units: impl Iterator<Item = &'a Unit>) -> usize {
    let mut last: std::collections::BTreeMap<u32, By> = std::collections::BTreeMap::new();
    let mut trips = 0;
    for u in units.filter(|u| u.by != By::Note) {
        if u.by == By::Client && last.get(&u.connection) != Some(&By::Client) {
            trips += 1;
        }
        last.insert(u.connection, u.by);
    }
    trips
}
