//! Replaying a log's client lines into Postroom's own server, to see where it would have
//! refused a command as out of sequence. The log's server is not ours: what ours says is
//! how Postroom follows the RFC, not what the real one did. The replay logs in with the
//! credentials found in the log, on an empty mailbox, and stops where the log leaves out
//! part of what the client sent.

use postroom_proto::i18n::Text;
use postroom_proto::imap::{self, ImapServer};
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::session::{Event, ServerSession};
use postroom_proto::smtp::{self, SmtpServer};
use postroom_proto::wire::TlsPolicy;
use postroom_proto::{base64, msg, Duration, Explanation, Instant, MailStore, RfcRef};

use super::follow::Kind;
use super::rules::{Finding, FindingKind};
use super::{Log, Side};
use crate::timeline::Protocol;

/// One client unit replayed, and what Postroom's server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayLine {
    /// The unit of the log.
    pub unit: usize,
    /// Its first line as shown (secrets hidden).
    pub sent: String,
    /// The server's state before it, in the RFC's words.
    pub state: Text,
    /// What Postroom's server answered (its lines, without line ends).
    pub answer: Vec<String>,
}

/// The whole replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub lines: Vec<ReplayLine>,
    /// Where Postroom's server refused a command as out of sequence and the log's rules
    /// found nothing there.
    pub findings: Vec<Finding>,
    /// Why the replay stopped before the end, if it did.
    pub stopped: Option<String>,
}

/// How Postroom's servers word a refusal for a command out of sequence.
fn out_of_sequence(protocol: Protocol, answer: &str) -> bool {
    match protocol {
        Protocol::Smtp => answer.starts_with("503"),
        Protocol::Pop3 => {
            answer.starts_with("-ERR")
                && ["Log in first", "USER first", "Already logged in"]
                    .iter()
                    .any(|w| answer.contains(w))
        }
        _ => [
            "Log in first",
            "No mailbox selected",
            "Already logged in",
            "comes before",
        ]
        .iter()
        .any(|w| answer.contains(w)),
    }
}

/// The user and password a log logs in with, decoded where it only encodes them.
fn credentials(log: &Log) -> Option<(String, String)> {
    let lines = log.client_lines();
    let plain = |payload: &str| {
        let decoded = base64::decode(payload.trim(), base64::Alphabet::Standard)?;
        let text = String::from_utf8(decoded).ok()?;
        let mut parts = text.split('\0').skip(1);
        Some((parts.next()?.to_string(), parts.next()?.to_string()))
    };
    let mut user = None;
    for (i, line) in lines.iter().enumerate() {
        let upper = line.to_ascii_uppercase();
        let words: Vec<&str> = line.split(' ').collect();
        if upper.starts_with("USER ") {
            user = words.get(1).map(|u| u.to_string());
        } else if upper.starts_with("PASS ") {
            return Some((user?, line.get(5..)?.to_string()));
        } else if upper.contains("PLAIN")
            && (upper.starts_with("AUTH") || upper.contains(" AUTHENTICATE "))
        {
            let payload = words.last().filter(|w| !w.eq_ignore_ascii_case("PLAIN"));
            let payload = payload
                .map(|p| p.to_string())
                .or_else(|| lines.get(i + 1).cloned());
            return plain(&payload?);
        } else if upper.starts_with("AUTH LOGIN") {
            let decode = |l: &String| {
                let bytes = base64::decode(l.trim(), base64::Alphabet::Standard)?;
                String::from_utf8(bytes).ok()
            };
            return Some((decode(lines.get(i + 1)?)?, decode(lines.get(i + 2)?)?));
        } else if words
            .get(1)
            .is_some_and(|w| w.eq_ignore_ascii_case("LOGIN"))
        {
            let command = format!("{line}\r\n");
            if let Ok((_, imap::Command::Login { user, password })) =
                imap::decode::command(command.as_bytes())
            {
                return Some((user, password));
            }
        }
    }
    None
}

/// Postroom's server for the log's protocol, on a store with the log's user.
fn server(log: &Log, now: Instant) -> (Box<dyn ServerSession>, MailStore) {
    let mut store = MailStore::new();
    if let Some((user, password)) = credentials(log) {
        store.add_account(&user, &password);
    }
    let server: Box<dyn ServerSession> = match log.protocol() {
        Protocol::Pop3 => {
            let mut config = pop3::ServerConfig::new("mx.example.net");
            config.tls = TlsPolicy::Offered;
            Box::new(Pop3Server::new(config, now))
        }
        Protocol::Imap => {
            let mut config = imap::ServerConfig::new("mx.example.net");
            config.tls = TlsPolicy::Offered;
            config.imap4rev2 = true;
            Box::new(ImapServer::new(config, now))
        }
        _ => {
            let auth = log
                .client_lines()
                .iter()
                .any(|l| l.to_ascii_uppercase().starts_with("AUTH "));
            // A domain of its own: every recipient in the log is someone else's, and taken.
            let mut config = if auth {
                smtp::ServerConfig::submission("postroom.invalid", "postroom.invalid")
            } else {
                smtp::ServerConfig::new("postroom.invalid", "postroom.invalid")
            };
            config.tls = TlsPolicy::Offered;
            config.accept_remote = true;
            Box::new(SmtpServer::new(config, now))
        }
    };
    (server, store)
}

/// Everything the server has to say; a TLS handshake it asks for is taken as done.
fn answer(server: &mut dyn ServerSession) -> Vec<String> {
    let mut lines = Vec::new();
    while let Some(bytes) = server.poll_output() {
        let text = String::from_utf8_lossy(&bytes);
        lines.extend(text.lines().map(str::to_string));
    }
    let mut tls = false;
    while let Some(event) = server.poll_common_event() {
        tls |= event == Event::TlsRequested;
    }
    if tls {
        server.tls_established();
    }
    lines
}

impl Log {
    /// Replays the client's lines into Postroom's own server (see the module's note).
    pub fn replay(&self) -> Replay {
        let mut now = Instant::ZERO;
        let (mut server, mut store) = server(self, now);
        answer(server.as_mut());
        let rule = match self.protocol() {
            Protocol::Pop3 => RfcRef::new(1939, "3"),
            Protocol::Imap => RfcRef::new(9051, "3"),
            _ => RfcRef::new(5321, "4.1.4"),
        };
        let mut judged = vec![false; self.units.len()];
        for unit in self.findings.iter().filter_map(|f| f.unit) {
            if let Some(j) = judged.get_mut(unit) {
                *j = true;
            }
        }
        let mut replay = Replay {
            lines: Vec::new(),
            findings: Vec::new(),
            stopped: None,
        };
        for (i, unit) in self.units.iter().enumerate() {
            if unit.side() != Some(Side::Client) {
                continue;
            }
            if !unit.complete {
                replay.stopped = Some(
                    "The log leaves out part of what the client sent here, so the replay stops."
                        .into(),
                );
                break;
            }
            if server.is_closed() {
                replay.stopped =
                    Some("Postroom's server had closed the connection by here.".into());
                break;
            }
            let state = server.state_name();
            if unit.kind == Kind::Message && state != smtp::ServerState::ReceivingData.text() {
                replay.stopped = Some(
                    "Postroom's server did not ask for the message where the log's server did, \
                     so the replay stops."
                        .into(),
                );
                break;
            }
            now = now + Duration::from_secs(1);
            server.handle_input(now, &unit.bytes, &mut store);
            let lines = answer(server.as_mut());
            let last = lines.last().cloned().unwrap_or_default();
            let judged = judged.get(i).copied().unwrap_or(true);
            if unit.kind == Kind::Command && out_of_sequence(self.protocol(), &last) && !judged {
                let message = msg!(
                    "log.finding.replay-refused",
                    answer = last.as_str(),
                    protocol = self.protocol().name(),
                    state = &state
                );
                let explanation = Explanation::from_message(message, rule);
                let line = Some(unit.lines.0);
                let finding = Finding::new(FindingKind::Replay, Some(i), line, explanation);
                replay.findings.push(finding);
            }
            let sent = self.shown_bytes(i, false).unwrap_or_default();
            let sent = String::from_utf8_lossy(sent)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            replay.lines.push(ReplayLine {
                unit: i,
                sent,
                state,
                answer: lines,
            });
        }
        replay
    }
}
