//! A read log as a [`Timeline`], for the explorer's diagram, transcript, byte view and
//! explanations: two hosts (the client and the server), one step per unit.

use std::rc::Rc;

use postroom_proto::i18n::{Arg, Message, Text};
use postroom_proto::{msg, text, Duration, Explanation, Instant};

use super::follow::Kind;
use super::{Log, Side};
use crate::host::{Host, HostId};
use crate::timeline::{Direction, Phase, Step, Timeline};

pub const CLIENT: HostId = HostId(0);
pub const SERVER: HostId = HostId(1);

/// Steps are this far apart: a log rarely says when each line crossed.
const STEP: Duration = Duration::from_millis(100);
/// And each takes this long on the wire.
const ON_THE_WIRE: Duration = Duration::from_millis(20);

/// The server's name in its greeting (`220 mail.example.net ESMTP` → `mail.example.net`).
fn greeted_name(log: &Log) -> Option<String> {
    let first = log.units.iter().find(|u| u.kind != Kind::Note)?;
    if first.side() != Some(Side::Server) {
        return None;
    }
    let line = String::from_utf8_lossy(first.text_lines().next()?).into_owned();
    let mut words = line.split_whitespace().skip(1);
    let word = words
        .find(|w| w.contains('.') && !w.starts_with('[') && !w.starts_with('<'))?
        .trim_end_matches(['.', ',']);
    (!word.is_empty()).then(|| word.to_string())
}

/// The client's name in its EHLO or HELO.
fn hello_name(log: &Log) -> Option<String> {
    log.units
        .iter()
        .filter(|u| u.kind == Kind::Command)
        .find_map(|u| {
            let line = String::from_utf8_lossy(u.text_lines().next()?).into_owned();
            let mut words = line.split_whitespace();
            let verb = words.next()?.to_ascii_uppercase();
            (verb == "EHLO" || verb == "HELO").then(|| words.next().map(str::to_string))?
        })
}

impl Log {
    /// The hosts of the diagram: the client (named for the tool) and the server.
    pub fn hosts(&self) -> Vec<Host> {
        let protocol = self.protocol().name();
        vec![
            Host::new(
                text!("log.host.client", tool = &self.format.name()),
                &hello_name(self).unwrap_or_default(),
                text!("log.host.client-role", protocol = protocol),
            ),
            Host::new(
                text!("log.host.server"),
                &greeted_name(self).unwrap_or_default(),
                text!("log.host.server-role", protocol = protocol),
            ),
        ]
    }

    /// The explanation as shown: with a word on the unit's secret.
    pub fn shown_explanation(&self, i: usize, reveal: bool) -> Option<Explanation> {
        let unit = self.units.get(i)?;
        let e = &unit.explanation;
        if unit.secret.is_none() && unit.complete {
            return Some(e.clone());
        }
        // A sentence after the unit's own why, in the class's language where the explanation
        // has a message (else around its English).
        let mut message = e.message.clone().unwrap_or_else(|| {
            msg!(
                "log.shown.as-is",
                title = e.title.as_str(),
                why = e.why.as_str()
            )
        });
        let parts = |m: &Message| (Arg::part(m, "title"), Arg::part(m, "why"));
        if let Some(secret) = &unit.secret {
            let (title, why) = parts(&message);
            message = if reveal {
                msg!(
                    "log.shown.revealed",
                    title = title,
                    why = why,
                    reveals = &secret.reveals
                )
            } else {
                msg!("log.shown.hidden", title = title, why = why)
            };
        }
        if !unit.complete {
            let (title, why) = parts(&message);
            message = msg!("log.shown.incomplete", title = title, why = why);
        }
        Some(Explanation::from_message(message, e.rfc))
    }

    /// The log as a timeline: one step per unit, secrets hidden unless `reveal`.
    pub fn timeline(&self, reveal: bool) -> Timeline {
        let protocol = self.protocol();
        let phase = |tls: bool| {
            Rc::new(Phase {
                label: if tls {
                    text!("log.phase.tls", protocol = protocol.name())
                } else {
                    text!(
                        "log.phase",
                        protocol = protocol.name(),
                        tool = &self.format.name()
                    )
                },
                protocol,
            })
        };
        let (plain, secure) = (phase(false), phase(true));
        let mailboxes = Rc::new(Vec::new());
        let mut now = Instant::ZERO;
        let steps = self
            .units
            .iter()
            .enumerate()
            .map(|(i, unit)| {
                now = now + STEP;
                let (from, to, arrived) = match unit.side() {
                    Some(Side::Client) => (CLIENT, SERVER, now + ON_THE_WIRE),
                    Some(Side::Server) => (SERVER, CLIENT, now + ON_THE_WIRE),
                    None => (CLIENT, CLIENT, now),
                };
                Step {
                    sent_at: now,
                    arrived_at: arrived,
                    from,
                    to,
                    protocol,
                    direction: unit.direction,
                    bytes: self.shown_bytes(i, reveal).unwrap_or_default().to_vec(),
                    note: None,
                    explanation: self
                        .shown_explanation(i, reveal)
                        .unwrap_or_else(|| unit.explanation.clone()),
                    client_state: unit.client_state.clone(),
                    server_state: unit.server_state.clone(),
                    encrypted: unit.encrypted,
                    connection: if unit.direction == Direction::Local {
                        0
                    } else {
                        1
                    },
                    phase: if unit.encrypted {
                        secure.clone()
                    } else {
                        plain.clone()
                    },
                    mailboxes: mailboxes.clone(),
                }
            })
            .collect();
        let mut outcome = vec![text!(
            "log.outcome",
            protocol = protocol.name(),
            format = &self.format.name(),
            why = &self.detection.why,
            commands = self.commands(),
            replies = self.replies()
        )];
        // A finding's title and the rule it cites, in the class's language where it can be.
        outcome.extend(self.findings.iter().map(|f| match (&f.message, f.line) {
            (Some(m), Some(line)) => text!(
                "log.outcome-finding-line",
                line = line,
                title = Arg::part(m, "title"),
                rule = f.rule.label()
            ),
            (Some(m), None) => text!(
                "log.outcome-finding",
                title = Arg::part(m, "title"),
                rule = f.rule.label()
            ),
            (None, _) => Text::verbatim(f.to_string()),
        }));
        Timeline {
            hosts: self.hosts(),
            steps,
            outcome,
            stored: Vec::new(),
        }
    }
}
