//! What is wrong in a log, each finding citing its rule: lines the engine's decoders refuse,
//! commands out of sequence for the protocol's state machine, replies that contradict their
//! command, a session that ends without its goodbye, and plain text after STARTTLS. Each
//! protocol's rules also name the server's state after every unit, for the timeline.
//!
//! Commands are judged by what the client knew when it sent them: a RCPT pipelined right
//! after its MAIL is in order, a RCPT sent after the MAIL was refused is not.

mod imap;
mod pop3;
mod smtp;

use std::fmt;

use postroom_proto::i18n::{Message, Text};
use postroom_proto::{msg, text, Explanation, RfcRef};

use super::follow::{Kind, Unit};
use super::record::Ending;
use super::secrets::HIDDEN;
use crate::timeline::Protocol;

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A line the engine's decoder refuses (or a command it does not know).
    Unreadable,
    /// A command the protocol's state machine does not allow at this point.
    OutOfSequence,
    /// A reply that does not fit the command it answers.
    Contradiction,
    /// The session ends without QUIT or LOGOUT.
    NoGoodbye,
    /// The dialogue goes on in plain text where TLS should have started.
    PlainTextAfterStartTls,
    /// Postroom's own server, fed the client's lines, refused one as out of sequence.
    Replay,
}

/// One thing wrong in the log, and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The unit (= timeline step) it is about, if one.
    pub unit: Option<usize>,
    /// The line of the pasted text, if one.
    pub line: Option<usize>,
    /// English, for the exports and the tests; a page shows `message` in the class's language.
    pub title: String,
    pub why: String,
    pub rule: RfcRef,
    /// The catalogue's `log.finding.…` text with its values.
    pub message: Option<Message>,
}

impl Finding {
    /// A finding about the unit at `unit` (the log's `line`), explained by `explanation`.
    pub(super) fn new(
        kind: FindingKind,
        unit: Option<usize>,
        line: Option<usize>,
        explanation: Explanation,
    ) -> Finding {
        Finding {
            kind,
            unit,
            line,
            title: explanation.title,
            why: explanation.why,
            rule: explanation.rfc,
            message: explanation.message,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{} ({})", self.title, self.rule.label())
    }
}

/// Findings as the rules find them, with the unit they are about.
#[derive(Debug, Default)]
pub(super) struct Findings {
    pub list: Vec<Finding>,
}

impl Findings {
    /// A finding about `at`, explained by a `log.finding.…` message and the rule it cites.
    pub fn add(
        &mut self,
        kind: FindingKind,
        at: Option<(usize, &Unit)>,
        message: Message,
        rule: RfcRef,
    ) {
        let (unit, line) = (at.map(|(i, _)| i), at.map(|(_, u)| u.lines.0));
        let explanation = Explanation::from_message(message, rule);
        self.list.push(Finding::new(kind, unit, line, explanation));
    }
}

/// Watches for plain text after the server said yes to STARTTLS: the next unit on the wire
/// must come after a handshake.
#[derive(Debug, Default)]
pub(super) struct TlsWatch {
    /// The server said yes to STARTTLS; no handshake yet.
    accepted: bool,
    /// STARTTLS was sent and its answer has not come: anything sent now is plain text the
    /// server reads after the handshake, or not at all.
    asked: bool,
    pub active: bool,
}

impl TlsWatch {
    pub fn ask(&mut self) {
        self.asked = true;
    }

    /// The answer to STARTTLS came: yes or no.
    pub fn answered(&mut self, yes: bool) {
        self.asked = false;
        self.accepted = yes;
    }

    /// Looks at each unit in turn.
    pub fn unit(&mut self, i: usize, unit: &Unit, found: &mut Findings, rule: RfcRef, verb: &str) {
        if unit.kind == Kind::Note {
            if unit.encrypted {
                self.active = true;
                self.accepted = false;
            }
            return;
        }
        if self.accepted && !unit.encrypted {
            self.accepted = false;
            found.add(
                FindingKind::PlainTextAfterStartTls,
                Some((i, unit)),
                msg!("log.finding.plain-after-tls", verb = verb),
                rule,
            );
        } else if self.accepted {
            self.accepted = false;
        }
    }

    /// The client sent `unit` while its STARTTLS was unanswered.
    pub fn sent(&mut self, i: usize, unit: &Unit, found: &mut Findings, rule: RfcRef, verb: &str) {
        if self.asked {
            self.asked = false;
            found.add(
                FindingKind::PlainTextAfterStartTls,
                Some((i, unit)),
                msg!("log.finding.sent-before-tls", verb = verb),
                rule,
            );
        }
    }
}

/// Findings for a followed log, and each unit's server state written into it.
pub(crate) fn check(protocol: Protocol, units: &mut [Unit], ending: Ending) -> Vec<Finding> {
    let left_open = ending == Ending::LeftOpen;
    let (found, states) = match protocol {
        Protocol::Pop3 => pop3::check(units, left_open),
        Protocol::Imap => imap::check(units, left_open),
        _ => smtp::check(units, left_open),
    };
    for (unit, (client, server)) in units.iter_mut().zip(states) {
        unit.client_state = client;
        unit.server_state = server;
    }
    // A secret the log itself hides (a shared link, a log masked before it was pasted) is
    // no mistake of the client's: its line is not judged unreadable for it.
    let mut list = found.list;
    list.retain(|f| {
        let hidden = f.unit.and_then(|i| units.get(i)).is_some_and(|u| {
            u.bytes
                .windows(HIDDEN.len())
                .any(|w| w == HIDDEN.as_bytes())
        });
        !(f.kind == FindingKind::Unreadable && hidden)
    });
    list
}

/// The client's state in words: what it waits for (`first` of `count` answers).
pub(super) fn waiting(first: Option<&str>, count: usize) -> Text {
    match (first, count) {
        (None, _) | (_, 0) => text!("state.ready-to-send"),
        (Some(one), 1) => text!("state.waiting-answer", command = one),
        (_, many) => text!("state.waiting-answers", count = many),
    }
}

/// The unit's first line for a finding's title, its secret hidden.
pub(super) fn shown(unit: &Unit) -> String {
    let bytes = unit.secret.as_ref().map_or(&unit.bytes, |s| &s.masked);
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let text = String::from_utf8_lossy(first);
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// The first unit that crossed the connection.
pub(super) fn first_on_wire(units: &[Unit]) -> Option<&Unit> {
    units.iter().find(|u| u.kind != Kind::Note)
}

/// True if the log starts in the middle of a session: its first command is not one that
/// can open a session (`opens`), and the server accepted it (`accepted`, given the reply),
/// so whatever made it acceptable came before the log began. A command refused there is
/// judged as the mistake it may be.
pub(super) fn starts_midway(
    units: &[Unit],
    opens: impl Fn(&Unit) -> bool,
    accepted: impl Fn(&Unit) -> bool,
) -> bool {
    let Some(first) = units.iter().position(|u| u.kind == Kind::Command) else {
        return false;
    };
    let opener = units.get(first).is_none_or(&opens);
    let answer = units.iter().skip(first).find(|u| u.kind == Kind::Reply);
    !opener && answer.is_some_and(accepted)
}
