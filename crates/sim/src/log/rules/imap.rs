//! IMAP's rules: the states and the commands each allows (RFC 9051 §3, §6.1–6.4), tags
//! (§2.2), continuation requests (§7.6), STARTTLS (§6.2.1) and LOGOUT (§6.1.3).

use std::collections::BTreeMap;

use postroom_proto::i18n::Text;
use postroom_proto::imap::{decode, State};
use postroom_proto::RfcRef;

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
            let (title, why, section) = if decode::command(&tagged).is_ok() {
                (format!("A command without its tag: {}", shown(unit)), "Every command starts with a tag the client chooses (\"a1 SELECT INBOX\"): the server takes the first word for the tag and answers BAD.".to_string(), "2.2.1")
            } else if e.tag.is_none() {
                (
                    "A line that is not an IMAP command".to_string(),
                    "Every command starts with a tag the client chooses, then the command's name."
                        .to_string(),
                    "2.2.1",
                )
            } else if e.reason == "Unknown command" {
                (format!("A command IMAP's decoder does not know: {}", shown(unit)), "This may be an extension the server announced in its capabilities, or a typo; a server that does not know it answers BAD.".to_string(), "6")
            } else {
                (
                    format!("Arguments IMAP's decoder refuses: {}", shown(unit)),
                    format!("{}; the server answers BAD.", e.reason),
                    "9",
                )
            };
            found.add(F::Unreadable, at, title, why, RfcRef::new(RFC, section));
            if let Some(tag) = e.tag {
                s.sent(tag, String::new(), i);
            }
            return;
        }
    };
    let name = cmd.name().to_string();
    let valid = valid_in(&name);
    let hoped = s.hoped();
    if s.logout {
        found.add(
            F::OutOfSequence,
            at,
            format!("{name} after LOGOUT"),
            "After LOGOUT the server says BYE, completes the command and closes the connection.",
            RfcRef::new(RFC, "6.1.3"),
        );
    } else if !valid.contains(&hoped) {
        let title = match (name.as_str(), hoped) {
            (_, State::NotAuthenticated) => format!("{name} before logging in"),
            (n, _) if valid == [State::Selected] => format!("{n} without a selected mailbox"),
            _ => format!("{name} while logged in"),
        };
        let why = match valid {
            [State::Selected] => "This command works on the messages of the selected mailbox: SELECT (or EXAMINE) must succeed first. The server answers BAD (or NO).",
            [State::NotAuthenticated] => "This command is only valid before logging in; once logged in the server answers BAD.",
            _ => "This command needs a logged-in session: LOGIN or AUTHENTICATE must succeed first. The server answers BAD (or NO).",
        };
        found.add(
            F::OutOfSequence,
            at,
            title,
            why,
            RfcRef::new(RFC, section_for(valid)),
        );
    }
    if name == "STARTTLS" {
        if s.tls.active {
            found.add(F::OutOfSequence, at, "STARTTLS inside TLS", "The connection is encrypted already; STARTTLS is only valid once, before logging in.", RfcRef::new(RFC, "6.2.1"));
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
                found.add(F::Contradiction, at, "A continuation request (+) nothing waits for", "The server sends + only when a command waits for it: a literal announced with {n}, AUTHENTICATE, or IDLE.", RfcRef::new(RFC, "7.6"));
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
                found.add(F::Contradiction, at, format!("A completion for tag {tag}, which no command carries"), "A tagged response completes the command the client sent with that tag; this tag is not one of a command waiting for its completion.", RfcRef::new(RFC, "2.2.2"));
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
        found.add(F::NoGoodbye, last, "The session ends without LOGOUT", "The client ends a session with LOGOUT; the server answers BYE and closes. A connection that just drops leaves the server to notice on its own.", RfcRef::new(RFC, "6.1.3"));
    }
    (found, states)
}
