//! A read log as a [`Timeline`], for the explorer's diagram, transcript, byte view and
//! explanations: two hosts (the client and the server), one step per unit.

use std::rc::Rc;

use postroom_proto::{text, Duration, Explanation, Instant};

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
                text!("log.host.client", tool = self.format.name()),
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
        let mut explanation = unit.explanation.clone();
        if let Some(secret) = &unit.secret {
            let more = if reveal {
                format!(
                    " What anyone who reads this line learns: {}.",
                    secret.reveals
                )
            } else {
                " It is hidden here; show secrets to see what anyone who reads the line learns."
                    .to_string()
            };
            explanation.why.push_str(&more);
        }
        if !unit.complete {
            explanation
                .why
                .push_str(" Part of it is not in the log, so its bytes here are incomplete.");
        }
        Some(explanation)
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
                        tool = self.format.name()
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
        let mut outcome = vec![format!(
            "A {} session read from a {} log ({}): {} commands, {} replies.",
            protocol.name(),
            self.format.name(),
            self.detection.why,
            self.commands(),
            self.replies()
        )];
        outcome.extend(self.findings.iter().map(ToString::to_string));
        Timeline {
            hosts: self.hosts(),
            steps,
            outcome,
            stored: Vec::new(),
        }
    }
}
