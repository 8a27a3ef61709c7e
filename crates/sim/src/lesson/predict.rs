//! Predictions: the story stops before a reply and asks what the server will answer. The right
//! option is the reply the engine really sends at that step, read from the timeline; the
//! others are replies the same protocol allows to that command (RFC 5321 §4.3.2, RFC 1939,
//! RFC 9051), chosen here, never typed in a lesson file — and each means something else.

use postroom_proto::i18n::Text;
use postroom_proto::{text, Explanation};
use serde::{Deserialize, Serialize};

use super::goal::Side;
use super::moves::Which;
use super::observe::Proto;
use crate::compare::{Comparison, Line};
use crate::scenario::Device;
use crate::timeline::{Direction, Protocol, Step, Timeline};

/// Which world a prediction is written for: where the tests check it (the page asks it in
/// whatever world the student has, wherever it finds the command).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AskedIn {
    #[default]
    Start,
    Solution,
}

/// A prediction as a lesson file writes it: the command whose reply is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// The client's line starts with this (after an IMAP tag, too); `"."` is the message
    /// itself, ended by a line with a single period.
    pub reply_to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Proto>,
    /// Which such line, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u32>,
    #[serde(default)]
    pub world: AskedIn,
    /// Comparison lessons: the world whose server is asked, POP3 or IMAP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// Comparison lessons: only this device's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Which>,
}

/// A prediction found in a timeline: the question, the options, and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The client's step whose reply is asked.
    pub command_step: usize,
    /// The reply's step: the story stops before it.
    pub step: usize,
    pub question: Text,
    pub options: Vec<String>,
    /// Index of the right option: the reply the engine sent.
    pub right: usize,
    /// The reply step's own explanation, shown after the answer.
    pub explanation: Explanation,
}

/// Whether a client step is the command `text` names.
fn is_command(step: &Step, text: &str) -> bool {
    let lines = step.lines();
    if text == "." {
        return lines.len() > 1 && lines.last().is_some_and(|l| l == ".");
    }
    lines.first().is_some_and(|first| {
        first.starts_with(text)
            || (step.protocol == Protocol::Imap
                && first
                    .split_once(' ')
                    .is_some_and(|(_, rest)| rest.starts_with(text)))
    })
}

impl Prediction {
    /// The question in `timeline`, if the command is there and was answered; `seed` places
    /// the right option (the lesson's id and the prediction's index make it stable).
    pub fn ask(&self, timeline: &Timeline, seed: &str) -> Option<Asked> {
        let nth = usize::try_from(self.nth.unwrap_or(1).max(1)).ok()?;
        let (at, command) = timeline
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.direction == Direction::ClientToServer
                    && self
                        .protocol
                        .is_none_or(|p| Proto::of(s.protocol) == Some(p))
                    && is_command(s, &self.reply_to)
            })
            .nth(nth - 1)?;
        let step = reply_step(timeline, at)?;
        let reply = timeline.steps.get(step)?;
        let protocol = Proto::of(command.protocol)?;
        let first = command.label();
        let right_text = status_line(protocol, &first, reply);
        let distractors = distractors(protocol, &first, self.reply_to == ".", &right_text);
        if distractors.len() < 2 {
            return None;
        }
        let right = usize::try_from(fnv(seed) % (distractors.len() as u64 + 1)).ok()?;
        let mut options = distractors;
        options.insert(right.min(options.len()), right_text);
        let server = timeline
            .host(reply.from)
            .map_or_else(|| text!("lesson.the-server"), |h| h.label.clone());
        let question = if self.reply_to == "." {
            text!("lesson.ask-period", server = &server)
        } else {
            text!("lesson.ask", server = &server, line = first.as_str())
        };
        Some(Asked {
            command_step: at,
            step,
            question,
            options,
            right,
            explanation: reply.explanation.clone(),
        })
    }
}

impl Prediction {
    /// The question in a comparison: the story stops before the action in which the side's
    /// client sends the command (`step` is that action, `command_step` the one before), and
    /// the right option is the reply that side's server really sends.
    pub fn ask_compare(&self, comparison: &Comparison, seed: &str) -> Option<Asked> {
        let side = self.side?;
        let (frames, protocol) = match side {
            Side::Pop3 => (&comparison.pop3, Proto::Pop3),
            Side::Imap => (&comparison.imap, Proto::Imap),
        };
        let nth = usize::try_from(self.nth.unwrap_or(1).max(1)).ok()?;
        let device = self.device.map(Device::from);
        let (frame, at, command) = frames
            .iter()
            .enumerate()
            .flat_map(|(f, frame)| frame.lines.iter().enumerate().map(move |(i, l)| (f, i, l)))
            .filter(|(_, _, l)| {
                l.direction == Direction::ClientToServer
                    && device.is_none_or(|d| d == l.device)
                    && is_command_line(protocol, command_text(l), &self.reply_to)
            })
            .nth(nth - 1)?;
        let lines = &frames.get(frame)?.lines;
        let reply = compare_reply(lines, at, command.device)?;
        let first = command_text(command).to_string();
        let right_text = reply.status.clone();
        let mut options = distractors(protocol, &first, false, &right_text);
        if options.len() < 2 {
            return None;
        }
        let right = usize::try_from(fnv(seed) % (options.len() as u64 + 1)).ok()?;
        options.insert(right.min(options.len()), right_text);
        let act = frames.get(frame)?.act.label();
        let question = match command.device {
            Device::Phone => text!(
                "lesson.ask-phone",
                side = side.name(),
                act = &act,
                line = first.as_str()
            ),
            Device::Laptop => text!(
                "lesson.ask-laptop",
                side = side.name(),
                act = &act,
                line = first.as_str()
            ),
        };
        Some(Asked {
            command_step: frame.saturating_sub(1),
            step: frame,
            question,
            options,
            right,
            explanation: reply.explanation.clone(),
        })
    }
}

/// A comparison line's first line, without the count of the lines that follow.
fn command_text(line: &Line) -> &str {
    line.text
        .split_once(" … (+")
        .map_or(line.text.as_str(), |(first, _)| first)
}

/// Whether a client's first line is the command `text` names (after an IMAP tag, too).
fn is_command_line(protocol: Proto, first: &str, text: &str) -> bool {
    first.starts_with(text)
        || (protocol == Proto::Imap
            && first
                .split_once(' ')
                .is_some_and(|(_, rest)| rest.starts_with(text)))
}

/// The server's line that answers the line at `at` in one action: the device's replies come
/// in the order of its commands (those sent together first, RFC 2920 / RFC 9051 §5.5).
fn compare_reply(lines: &[Line], at: usize, device: Device) -> Option<&Line> {
    let mine = |l: &&Line| l.device == device && l.direction != Direction::Local;
    let queued = lines
        .get(..at)?
        .iter()
        .rev()
        .filter(mine)
        .take_while(|l| l.direction == Direction::ClientToServer)
        .count();
    lines
        .iter()
        .skip(at + 1)
        .filter(mine)
        .filter(|l| l.direction == Direction::ServerToClient)
        .nth(queued)
}

/// The server's step that answers the client's step `at`: on the same connection, the reply
/// in the same place among replies as the command among the commands sent together
/// (pipelining, RFC 2920); DNS answers the next query.
fn reply_step(timeline: &Timeline, at: usize) -> Option<usize> {
    let command = timeline.steps.get(at)?;
    let same = |s: &Step| {
        s.connection == command.connection
            && s.protocol == command.protocol
            && s.direction != Direction::Local
    };
    let before = timeline.steps.get(..at)?;
    let queued = before
        .iter()
        .rev()
        .filter(|s| same(s))
        .take_while(|s| s.direction == Direction::ClientToServer)
        .count();
    timeline
        .steps
        .iter()
        .enumerate()
        .skip(at + 1)
        .filter(|(_, s)| same(s) && s.direction == Direction::ServerToClient)
        .nth(queued)
        .map(|(i, _)| i)
}

/// The line of a reply that answers the command: IMAP's tagged line, else the first.
fn status_line(protocol: Proto, command: &str, reply: &Step) -> String {
    let lines = reply.lines();
    if protocol == Proto::Imap {
        if let Some(tag) = command.split(' ').next() {
            if let Some(tagged) = lines.iter().find(|l| l.starts_with(&format!("{tag} "))) {
                return tagged.clone();
            }
        }
    }
    lines.into_iter().next().unwrap_or_default()
}

/// FNV-1a: a stable number from the seed, the same on every machine.
fn fnv(seed: &str) -> u64 {
    seed.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Whether a reply says yes (and the key that tells two replies' meanings apart).
fn meaning(protocol: Proto, line: &str) -> (bool, String) {
    let mut words = line.split(' ');
    let first = words.next().unwrap_or_default();
    match protocol {
        Proto::Smtp => {
            let code = line.get(..3).unwrap_or(line).to_string();
            (code.starts_with('2') || code.starts_with('3'), code)
        }
        Proto::Pop3 => {
            if first == "+OK" {
                return (true, "+OK".into());
            }
            let code = words.next().filter(|w| w.starts_with('['));
            (
                false,
                code.map_or_else(|| line.to_ascii_lowercase(), str::to_string),
            )
        }
        Proto::Imap => {
            if first == "+" {
                return (true, "+".into());
            }
            let status = words.next().unwrap_or_default();
            let code = words
                .next()
                .filter(|w| w.starts_with('['))
                .unwrap_or_default();
            let code = code.trim_matches(|c| c == '[' || c == ']');
            (status == "OK", format!("{status} {code}"))
        }
        Proto::Dns => {
            for bad in ["NXDOMAIN", "SERVFAIL"] {
                if line.contains(bad) {
                    return (false, bad.into());
                }
            }
            if line.contains(": none") {
                return (false, "NODATA".into());
            }
            (true, "ANSWER".into())
        }
    }
}

/// Up to three replies that mean something else than `right`: never two with one meaning,
/// and at most one "yes" (only when the right one is a "no").
fn distractors(protocol: Proto, command: &str, message: bool, right: &str) -> Vec<String> {
    if let Some(counts) = other_counts(protocol, command, right) {
        return counts;
    }
    let (right_yes, right_key) = meaning(protocol, right);
    let mut keys = vec![right_key];
    let mut yes = right_yes;
    let mut out = Vec::new();
    for reply in replies(protocol, command, message) {
        let (is_yes, key) = meaning(protocol, &reply);
        if keys.contains(&key) || (is_yes && yes) || reply == right {
            continue;
        }
        keys.push(key);
        yes |= is_yes;
        out.push(reply);
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// POP3's STAT answers with a count (RFC 1939 §5): the question is how many messages the
/// maildrop holds, so the other options are other counts (one fewer, one more, none), their
/// sizes at the same octets per message. None for any other reply.
fn other_counts(protocol: Proto, command: &str, right: &str) -> Option<Vec<String>> {
    if protocol != Proto::Pop3 || !command.eq_ignore_ascii_case("STAT") {
        return None;
    }
    let mut words = right.strip_prefix("+OK ")?.split(' ');
    let count: u64 = words.next()?.parse().ok()?;
    let octets: u64 = words.next()?.parse().ok()?;
    let each = octets.checked_div(count).unwrap_or(140).max(1);
    let mut counts = vec![count + 1];
    counts.extend(count.checked_sub(1));
    counts.extend([0, count + 2].into_iter().filter(|n| *n != count));
    counts.dedup();
    Some(
        counts
            .into_iter()
            .filter(|n| *n != count)
            .take(3)
            .map(|n| format!("+OK {n} {}", n * each))
            .collect(),
    )
}

/// Replies the protocol allows to this command, in the engine's wording where it has one.
pub fn replies(protocol: Proto, command: &str, message: bool) -> Vec<String> {
    let words: Vec<&str> = command.split(' ').collect();
    let first = words.first().copied().unwrap_or_default();
    let verb = |i: usize| {
        words
            .get(i)
            .copied()
            .unwrap_or_default()
            .to_ascii_uppercase()
    };
    let list: Vec<String> = match protocol {
        Proto::Smtp => {
            let to = command
                .split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map_or("bob@example.net", |(a, _)| a);
            let verb = if message { ".".to_string() } else { verb(0) };
            let mut list: Vec<String> = match verb.as_str() {
                "EHLO" | "HELO" => vec![
                    "250 Hello, pleased to meet you".into(),
                    "501 5.5.4 Syntax: EHLO hostname".into(),
                    "554 5.7.1 Access denied".into(),
                ],
                "STARTTLS" => vec![
                    "220 2.0.0 Ready to start TLS".into(),
                    "454 4.7.0 TLS not available due to temporary reason".into(),
                    "501 5.5.4 Syntax error (no parameters allowed)".into(),
                ],
                "AUTH" => vec![
                    "235 2.7.0 Authentication successful".into(),
                    "535 5.7.8 Authentication credentials invalid".into(),
                    "538 5.7.11 Encryption required for requested authentication mechanism".into(),
                    "530 5.7.0 Must issue a STARTTLS command first".into(),
                    "504 5.5.4 Unrecognized authentication type".into(),
                ],
                "MAIL" => vec![
                    "250 2.1.0 Sender OK".into(),
                    "530 5.7.0 Authentication required".into(),
                    "552 5.3.4 Message size exceeds fixed maximum message size".into(),
                    "451 4.3.0 Local error in processing".into(),
                ],
                "RCPT" => vec![
                    "250 2.1.5 Recipient OK".into(),
                    format!("550 5.1.1 <{to}>: Recipient address rejected: User unknown"),
                    "451 4.7.1 Greylisted: please try again later".into(),
                    format!("554 5.7.1 <{to}>: Relay access denied"),
                    "452 4.5.3 Too many recipients".into(),
                ],
                "DATA" => vec![
                    "354 End data with <CR><LF>.<CR><LF>".into(),
                    "554 5.5.1 No valid recipients".into(),
                    "451 4.3.0 Local error in processing".into(),
                ],
                "." => vec![
                    "250 2.0.0 Ok: message accepted".into(),
                    format!("552 5.2.2 <{to}>: Mailbox full"),
                    "451 4.3.0 Local error in processing".into(),
                    "554 5.6.0 Message content rejected".into(),
                ],
                "QUIT" => vec![
                    "221 2.0.0 Bye".into(),
                    "500 5.5.2 Command unrecognized".into(),
                ],
                "RSET" => vec!["250 2.0.0 Reset".into()],
                _ => Vec::new(),
            };
            list.extend(
                [
                    "421 4.3.2 Service not available, closing transmission channel",
                    "503 5.5.1 Bad sequence of commands",
                    "500 5.5.2 Command unrecognized",
                ]
                .map(String::from),
            );
            list
        }
        Proto::Pop3 => {
            let mut list: Vec<String> = match verb(0).as_str() {
                "USER" => vec![
                    "+OK Send PASS",
                    "-ERR [AUTH] Invalid user name or password",
                    "-ERR [SYS/PERM] Plain-text login is not allowed here",
                ],
                "PASS" => vec![
                    "+OK maildrop locked and ready",
                    "-ERR [AUTH] Invalid user name or password",
                    "-ERR [IN-USE] Maildrop already locked by another session",
                    "-ERR [LOGIN-DELAY] Wait before logging in again",
                ],
                "STAT" => vec!["+OK 0 0", "-ERR Command not valid in this state"],
                "LIST" => vec!["+OK scan listing follows", "-ERR no such message"],
                "UIDL" => vec!["+OK unique-id listing follows", "-ERR no such message"],
                "RETR" | "TOP" => vec![
                    "+OK message follows",
                    "-ERR no such message",
                    "-ERR message already deleted",
                ],
                "DELE" => vec![
                    "+OK message deleted",
                    "-ERR no such message",
                    "-ERR message already deleted",
                ],
                "QUIT" => vec![
                    "+OK POP3 server signing off",
                    "-ERR some deleted messages not removed",
                ],
                "STLS" => vec![
                    "+OK Begin TLS negotiation",
                    "-ERR Command not permitted when TLS active",
                ],
                "CAPA" => vec!["+OK Capability list follows", "-ERR unknown command"],
                _ => Vec::new(),
            }
            .into_iter()
            .map(String::from)
            .collect();
            list.extend(
                [
                    "-ERR [SYS/TEMP] System busy, try again later",
                    "-ERR unknown command",
                ]
                .map(String::from),
            );
            list
        }
        Proto::Imap => {
            let command = if verb(1) == "UID" { verb(2) } else { verb(1) };
            let tagged: &[&str] = match command.as_str() {
                "AUTHENTICATE" | "LOGIN" => &[
                    "OK Logged in",
                    "NO [AUTHENTICATIONFAILED] Invalid credentials",
                    "NO [PRIVACYREQUIRED] Start TLS first",
                    "NO [UNAVAILABLE] Try again later",
                ],
                "SELECT" | "EXAMINE" => &[
                    "OK [READ-WRITE] SELECT completed",
                    "NO [NONEXISTENT] Unknown mailbox",
                    "NO [INUSE] Mailbox in use",
                ],
                "STORE" => &["OK STORE completed", "NO [NOPERM] Permission denied"],
                "STARTTLS" => &[
                    "OK Begin TLS negotiation now",
                    "NO [UNAVAILABLE] TLS not available now",
                ],
                "IDLE" => &["NO [UNAVAILABLE] IDLE not available now"],
                "FETCH" => &[
                    "OK Fetch completed",
                    "NO [EXPUNGEISSUED] Some messages were expunged",
                ],
                "MOVE" | "COPY" => &[
                    "OK Move completed",
                    "NO [TRYCREATE] No such mailbox",
                    "NO [OVERQUOTA] Quota exceeded",
                ],
                _ => &["OK completed"],
            };
            let mut list: Vec<String> = tagged.iter().map(|t| format!("{first} {t}")).collect();
            list.extend(
                [
                    "NO [SERVERBUG] Internal error",
                    "BAD Command unknown or arguments invalid",
                ]
                .map(|t| format!("{first} {t}")),
            );
            list
        }
        Proto::Dns => {
            let name = words.get(1).copied().unwrap_or("example.net.");
            let kind = words.last().copied().unwrap_or("MX");
            let answer = if kind == "MX" {
                format!("ANSWER {name} 3600 IN MX 10 mx.{name}")
            } else {
                format!("ANSWER {name} 3600 IN A 192.0.2.25")
            };
            vec![
                answer,
                format!("ANSWER {name} IN {kind}: none (NOERROR, no records)"),
                format!("ANSWER {name} NXDOMAIN (no such name)"),
                format!("ANSWER {name} SERVFAIL (the server failed)"),
            ]
        }
    };
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reply the catalogue offers is one the protocol's own decoder reads.
    #[test]
    fn every_reply_offered_is_well_formed() {
        let commands = [
            (
                Proto::Smtp,
                vec![
                    "EHLO a.example",
                    "STARTTLS",
                    "AUTH PLAIN x",
                    "MAIL FROM:<a@b.c>",
                    "RCPT TO:<b@c.d>",
                    "DATA",
                    "QUIT",
                    "RSET",
                    "NOOP",
                ],
            ),
            (
                Proto::Pop3,
                vec![
                    "USER bob", "PASS x", "STAT", "LIST", "UIDL", "RETR 1", "TOP 1 0", "DELE 1",
                    "QUIT", "STLS", "CAPA", "NOOP",
                ],
            ),
            (
                Proto::Imap,
                vec![
                    "A001 LOGIN a b",
                    "A002 SELECT INBOX",
                    "A003 UID STORE 1 +FLAGS (\\Seen)",
                    "A004 STARTTLS",
                    "A005 IDLE",
                    "A006 NOOP",
                    "A007 UID MOVE 1 \"Work\"",
                    "A008 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4)",
                ],
            ),
        ];
        for (protocol, lines) in commands {
            for command in lines {
                for message in [false, true] {
                    for reply in replies(protocol, command, message) {
                        let bytes = format!("{reply}\r\n").into_bytes();
                        let ok = match protocol {
                            Proto::Smtp => postroom_proto::smtp::decode::reply(&bytes).is_ok(),
                            Proto::Pop3 => {
                                postroom_proto::pop3::decode::response(&bytes, false).is_ok()
                            }
                            Proto::Imap => postroom_proto::imap::response::response(&bytes).is_ok(),
                            Proto::Dns => true,
                        };
                        assert!(ok, "{protocol:?} {command}: {reply}");
                    }
                }
            }
        }
        for reply in replies(Proto::Dns, "QUERY example.net. IN MX", false) {
            assert!(reply.starts_with("ANSWER example.net. "), "{reply}");
        }
    }

    #[test]
    fn stat_is_asked_as_a_count() {
        let d = distractors(Proto::Pop3, "STAT", false, "+OK 3 417");
        assert_eq!(d, ["+OK 4 556", "+OK 2 278", "+OK 0 0"]);
        let d = distractors(Proto::Pop3, "STAT", false, "+OK 0 0");
        assert_eq!(d, ["+OK 1 140", "+OK 2 280"]);
        assert!(other_counts(Proto::Pop3, "STAT", "-ERR no").is_none());
    }

    #[test]
    fn distractors_mean_something_else() {
        let d = distractors(
            Proto::Smtp,
            "RCPT TO:<bob@example.net>",
            false,
            "250 2.1.5 Recipient OK",
        );
        assert_eq!(d.len(), 3);
        assert!(
            d.iter().all(|r| r.starts_with('4') || r.starts_with('5')),
            "{d:?}"
        );
        let d = distractors(
            Proto::Smtp,
            "AUTH PLAIN x",
            false,
            "535 5.7.8 Authentication credentials invalid",
        );
        assert_eq!(d.iter().filter(|r| r.starts_with('2')).count(), 1, "{d:?}");
        let d = distractors(
            Proto::Pop3,
            "PASS x",
            false,
            "+OK bob's maildrop has 1 message (543 octets)",
        );
        assert!(d.iter().all(|r| r.starts_with("-ERR")), "{d:?}");
        let d = distractors(
            Proto::Imap,
            "A001 AUTHENTICATE PLAIN x",
            false,
            "A001 OK [CAPABILITY IMAP4rev1] Logged in",
        );
        assert!(
            d.iter()
                .all(|r| r.starts_with("A001 NO") || r.starts_with("A001 BAD")),
            "{d:?}"
        );
    }
}
