//! IMAP's rules: the states and the commands each allows (RFC 9051 §3, §6.1–6.4), tags
//! (§2.2), continuation requests (§7.6), STARTTLS (§6.2.1) and LOGOUT (§6.1.3).

use std::collections::BTreeMap;

use postroom_proto::i18n::Text;
use postroom_proto::imap::{decode, State};
use postroom_proto::{msg, RfcRef};

use super::{shown, starts_midway, waiting, FindingKind as F, Findings, TlsWatch};
use crate::log::follow::imap::line_starts;
use crate::log::follow::{Kind, Unit};

const RFC: u16 = 9051;

/// The states a command is valid in, by its name.
fn valid_in(name: &str) -> &'static [State] {
    use State::{Authenticated as A, NotAuthenticated as N, Selected as S};
    let base = name.strip_prefix("UID ").unwrap_or(name);
    match base {
        "CAPABILITY" | "NOOP" | "LOGOUT" => &[N, A, S],
        "STARTTLS" | "AUTHENTICATE" | "LOGIN" => &[N],
        "CLOSE" | "UNSELECT" | "EXPUNGE" | "SEARCH" | "FETCH" | "STORE" | "COPY" | "MOVE" => &[S],
        _ => &[A, S],
    }
}

/// The section that lists the commands of a state.
fn section_for(states: &[State]) -> &'static str {
    match states {
        [State::NotAuthenticated] => "6.2",
        [State::Selected] => "6.4",
        _ => "6.3",
    }
}

#[derive(Debug)]
struct Session {
    state: State,
    /// Commands sent and not completed, by tag: name and unit.
    pending: BTreeMap<String, (String, usize)>,
    /// How many of them select a mailbox, log in, or log in with SASL.
    selecting: usize,
    logging_in: usize,
    authenticating: usize,
    /// A "+" is expected: a synchronising literal, AUTHENTICATE or IDLE waits for one.
    awaiting_plus: bool,
    logout: bool,
    bye: bool,
    /// A completion for an unknown tag is not judged until the client has spoken (a log
    /// that begins after the login).
    spoke: bool,
    tls: TlsWatch,
}

impl Session {
    /// The state the client could count on when sending: pending commands taken as done.
    fn hoped(&self) -> State {
        if self.selecting > 0 {
            State::Selected
        } else if self.state == State::NotAuthenticated && self.logging_in > 0 {
            State::Authenticated
        } else {
            self.state
        }
    }

    fn count(&mut self, name: &str, up: bool) {
        let change = |n: &mut usize| *n = if up { *n + 1 } else { n.saturating_sub(1) };
        match name {
            "SELECT" | "EXAMINE" => change(&mut self.selecting),
            "LOGIN" => change(&mut self.logging_in),
            "AUTHENTICATE" => {
                change(&mut self.logging_in);
                change(&mut self.authenticating);
            }
            _ => {}
        }
    }

    /// A command sent with `tag`.
    fn sent(&mut self, tag: String, name: String, unit: usize) {
        self.count(&name, true);
        if let Some((old, _)) = self.pending.insert(tag, (name, unit)) {
            self.count(&old, false);
        }
    }

    /// The command with `tag` completed.
    fn completed(&mut self, tag: &str) -> Option<String> {
        let (name, _) = self.pending.remove(tag)?;
        self.count(&name, false);
        Some(name)
    }
}

/// The whole command a unit begins: with the units that carry its literals.
fn whole_command(units: &[Unit], i: usize) -> Vec<u8> {
    let mut bytes = units.get(i).map(|u| u.bytes.clone()).unwrap_or_default();
    let ends_with_literal = |b: &[u8]| {
        let t = b.strip_suffix(b"\r\n").unwrap_or(b);
        t.ends_with(b"}")
    };
    for unit in units.iter().skip(i + 1) {
        if !ends_with_literal(&bytes) {
            break;
        }
        match unit.kind {
            Kind::Continuation => bytes.extend_from_slice(&unit.bytes),
            Kind::Reply | Kind::Note => continue,
            _ => break,
        }
    }
    bytes
}

fn command(s: &mut Session, units: &[Unit], i: usize, found: &mut Findings) {
    let Some(unit) = units.get(i) else { return };
    let at = Some((i, unit));
    s.spoke = true;
    let whole = whole_command(units, i);
    let (tag, cmd) = match decode::command(&whole) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut tagged = b"a1 ".to_vec();
            tagged.extend_from_slice(&whole);
            let line = shown(unit);
            let (message, section) = if decode::command(&tagged).is_ok() {
                (msg!("log.finding.imap-no-tag", line = line), "2.2.1")
            } else if e.tag.is_none() {
                (msg!("log.finding.imap-not-a-command"), "2.2.1")
            } else if e.reason == "Unknown command" {
                (msg!("log.finding.imap-unknown-command", line = line), "6")
            } else {
                // The decoder's reason, in its own (English) words.
                let reason = &e.reason;
                (
                    msg!(
                        "log.finding.imap-bad-arguments",
                        line = line,
                        reason = reason
                    ),
                    "9",
                )
            };
            let rule = RfcRef::new(RFC, section);
            found.add(F::Unreadable, at, message, rule);
            if let Some(tag) = e.tag {
                s.sent(tag, String::new(), i);
            }
            return;
        }
    };
    let name = cmd.name().to_string();
    let valid = valid_in(&name);
    let hoped = s.hoped();
    let command = name.as_str();
    if s.logout {
        let message = msg!("log.finding.imap-after-logout", command = command);
        let rule = RfcRef::new(RFC, "6.1.3");
        found.add(F::OutOfSequence, at, message, rule);
    } else if !valid.contains(&hoped) {
        let message = match (hoped, valid) {
            // The LOGOUT state, after the server's BYE: no command is valid there.
            (State::Logout, _) => msg!("log.finding.imap-after-bye", command = command),
            (State::NotAuthenticated, [State::Selected]) => msg!(
                "log.finding.imap-before-login-no-mailbox",
                command = command
            ),
            (State::NotAuthenticated, _) => {
                msg!("log.finding.imap-before-login", command = command)
            }
            (_, [State::Selected]) => msg!("log.finding.imap-no-mailbox", command = command),
            // Logged in, and the command is valid only before (LOGIN, STARTTLS).
            _ => msg!("log.finding.imap-after-login", command = command),
        };
        let section = if hoped == State::Logout {
            "3.4"
        } else {
            section_for(valid)
        };
        let rule = RfcRef::new(RFC, section);
        found.add(F::OutOfSequence, at, message, rule);
    }
    if name == "STARTTLS" {
        if s.tls.active {
            let message = msg!("log.finding.imap-starttls-in-tls");
            let rule = RfcRef::new(RFC, "6.2.1");
            found.add(F::OutOfSequence, at, message, rule);
        }
        s.tls.ask();
    }
    let last = unit.text_lines().last().unwrap_or_default();
    s.awaiting_plus = matches!(name.as_str(), "AUTHENTICATE" | "IDLE" | "APPEND")
        || (last.ends_with(b"}") && !last.ends_with(b"+}"));
    s.logout |= name == "LOGOUT";
    s.sent(tag, name, i);
}

fn responses(s: &mut Session, i: usize, unit: &Unit, found: &mut Findings) {
    let at = Some((i, unit));
    for line in line_starts(&unit.bytes) {
        let mut words = line.splitn(3, |&b| b == b' ');
        let first = words.next().unwrap_or_default();
        let second = words.next().unwrap_or_default().to_ascii_uppercase();
        if first == b"+" {
            if !std::mem::take(&mut s.awaiting_plus) {
                let message = msg!("log.finding.imap-unasked-continuation");
                let rule = RfcRef::new(RFC, "7.6");
                found.add(F::Contradiction, at, message, rule);
            }
            continue;
        }
        if first == b"*" {
            match second.as_slice() {
                b"BYE" => {
                    s.bye = true;
                    s.state = State::Logout;
                }
                b"PREAUTH" => s.state = State::Authenticated,
                _ => {}
            }
            continue;
        }
        if !matches!(second.as_slice(), b"OK" | b"NO" | b"BAD") {
            continue;
        }
        let tag = String::from_utf8_lossy(first).into_owned();
        let ok = second == b"OK";
        let Some(name) = s.completed(&tag) else {
            if s.spoke {
                let message = msg!("log.finding.imap-unknown-tag", tag = tag.as_str());
                let rule = RfcRef::new(RFC, "2.2.2");
                found.add(F::Contradiction, at, message, rule);
            } else if ok {
                // The log begins after a login whose command it does not show.
                s.state = State::Authenticated;
            }
            continue;
        };
        s.awaiting_plus = false;
        match name.as_str() {
            "LOGIN" | "AUTHENTICATE" if ok => s.state = State::Authenticated,
            "SELECT" | "EXAMINE" => {
                s.state = if ok {
                    State::Selected
                } else {
                    State::Authenticated
                };
            }
            "CLOSE" | "UNSELECT" if ok => s.state = State::Authenticated,
            "LOGOUT" => s.state = State::Logout,
            "STARTTLS" => s.tls.answered(ok),
            _ => {}
        }
    }
}

/// IMAP findings, and the server's state after each unit.
pub(super) fn check(units: &[Unit], left_open: bool) -> (Findings, Vec<(Text, Text)>) {
    let mut found = Findings::default();
    let midway = starts_midway(
        units,
        |u| {
            let line = u.text_lines().next().unwrap_or_default();
            let name = line
                .split(|&b| b == b' ')
                .nth(1)
                .unwrap_or_default()
                .to_ascii_uppercase();
            let name = String::from_utf8_lossy(&name);
            valid_in(&name).contains(&State::NotAuthenticated)
        },
        |u| {
            u.text_lines()
                .last()
                .and_then(|l| l.split(|&b| b == b' ').nth(1))
                .is_some_and(|w| w.eq_ignore_ascii_case(b"OK"))
        },
    );
    let mut s = Session {
        state: if midway {
            State::Selected
        } else {
            State::NotAuthenticated
        },
        pending: BTreeMap::new(),
        selecting: 0,
        logging_in: 0,
        authenticating: 0,
        awaiting_plus: false,
        logout: false,
        bye: false,
        spoke: false,
        tls: TlsWatch::default(),
    };
    let mut states = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        s.tls
            .unit(i, unit, &mut found, RfcRef::new(RFC, "6.2.1"), "STARTTLS");
        match unit.kind {
            Kind::Command => {
                s.tls
                    .sent(i, unit, &mut found, RfcRef::new(RFC, "6.2.1"), "STARTTLS");
                command(&mut s, units, i, &mut found);
            }
            Kind::Continuation => {
                // An answer to a challenge may get another.
                s.awaiting_plus = s.authenticating > 0;
            }
            Kind::Reply => responses(&mut s, i, unit, &mut found),
            Kind::Message | Kind::Note => {}
        }
        let first = s.pending.values().next().map(|(n, _)| n.as_str());
        states.push((waiting(first, s.pending.len()), s.state.text()));
    }
    let spoke = units.iter().any(|u| u.kind == Kind::Command);
    if !s.logout && !s.bye && spoke && !left_open {
        let last = units
            .iter()
            .enumerate()
            .rev()
            .find(|(_, u)| u.kind != Kind::Note);
        let message = msg!("log.finding.imap-no-logout");
        let rule = RfcRef::new(RFC, "6.1.3");
        found.add(F::NoGoodbye, last, message, rule);
    }
    (found, states)
}
