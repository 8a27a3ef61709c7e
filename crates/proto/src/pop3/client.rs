//! The POP3 client session, with the two behaviours mail programs offer: download and
//! delete, or leave a copy on the server (remembering unique-ids, optionally deleting after
//! some days on the virtual clock).

use std::collections::{BTreeMap, VecDeque};

use super::decode;
use super::server::apop_digest;
use super::types::{Command, Response};
use crate::i18n::Text;
use crate::text;
use crate::time::{Duration, Instant};
use crate::wire::ClientTls;
use crate::{DecodeError, ProtocolError};

/// How the client logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// USER then PASS (RFC 1939 §7): the password crosses the wire as typed.
    UserPass,
    /// APOP (RFC 1939 §7): an MD5 digest of the greeting's timestamp and the password.
    Apop,
    /// AUTH PLAIN with an initial response (RFC 5034).
    SaslPlain,
}

/// What the client does with mail it has downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// RETR then DELE each message: the server's copy is gone after QUIT.
    DownloadAndDelete,
    /// Download only unique-ids not seen before; delete a message from the server once it
    /// has been on this device for `delete_after`, if set.
    LeaveOnServer { delete_after: Option<Duration> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub user: String,
    pub password: String,
    pub login: Login,
    pub keep: Keep,
    pub tls: ClientTls,
    /// Send CAPA after the greeting to learn what the server supports (RFC 2449).
    pub ask_capabilities: bool,
}

impl ClientConfig {
    pub fn new(user: &str, password: &str) -> Self {
        ClientConfig {
            user: user.to_string(),
            password: password.to_string(),
            login: Login::UserPass,
            keep: Keep::DownloadAndDelete,
            tls: ClientTls::Never,
            ask_capabilities: true,
        }
    }
}

/// What the client did or learned, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    GreetingReceived(Response),
    Capabilities(Vec<String>),
    TlsRequested,
    LoggedIn {
        messages: usize,
        octets: usize,
    },
    LoginFailed(Response),
    MessageDownloaded {
        number: u32,
        unique_id: Option<String>,
        bytes: Vec<u8>,
    },
    /// DELE was accepted: the message goes when the session ends with QUIT.
    MessageMarkedDeleted {
        number: u32,
    },
    /// A command other than login failed; the session goes on.
    CommandFailed(Response),
    GaveUp(String),
    /// QUIT was answered: the server has run its UPDATE state.
    SignedOff(Response),
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Greeting,
    Capa,
    Stls,
    User,
    Pass,
    Login,
    Stat,
    List,
    Uidl,
    Retr(u32),
    Dele(u32),
    Quit,
}

/// One client side of one POP3 connection.
#[derive(Debug, Clone)]
pub struct Pop3Client {
    config: ClientConfig,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    pending: VecDeque<Pending>,
    /// Commands still to send after login, one per response.
    plan: VecDeque<Command>,
    pub(super) awaiting_tls: bool,
    encrypted: bool,
    closed: bool,
    timestamp: Option<String>,
    capabilities: Vec<String>,
    messages: usize,
    unique_ids: BTreeMap<u32, String>,
    /// Unique-ids this device has downloaded, and when: the "leave on server" memory.
    known: BTreeMap<String, Instant>,
    now: Instant,
}

impl Pop3Client {
    /// A client waiting for the greeting; `known` is what this device downloaded before.
    pub fn new(config: ClientConfig, known: BTreeMap<String, Instant>, now: Instant) -> Self {
        Pop3Client {
            config,
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
            pending: VecDeque::from([Pending::Greeting]),
            plan: VecDeque::new(),
            awaiting_tls: false,
            encrypted: false,
            closed: false,
            timestamp: None,
            capabilities: Vec::new(),
            messages: 0,
            unique_ids: BTreeMap::new(),
            known,
            now,
        }
    }

    /// The unique-ids this device has downloaded, to pass to the next session.
    pub fn known(&self) -> &BTreeMap<String, Instant> {
        &self.known
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// True once STLS/STARTTLS completed.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// The state for display, named for the response the client waits for.
    pub fn state(&self) -> Text {
        if self.closed {
            return text!("state.closed");
        }
        if self.awaiting_tls {
            return text!("state.starting-tls");
        }
        match self.pending.front() {
            None => text!("state.idle"),
            Some(p) => waiting_for(*p),
        }
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The unit `poll_output` would give next, left in place.
    pub fn peek_output(&self) -> Option<&[u8]> {
        self.output.front().map(Vec::as_slice)
    }

    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// The caller finished the TLS handshake after "+OK" to STLS. RFC 2595 §4: the client
    /// "MUST discard cached information about server capabilities" and asks again.
    pub fn tls_established(&mut self) {
        if self.awaiting_tls {
            self.awaiting_tls = false;
            self.encrypted = true;
            self.capabilities.clear();
            self.send(&Command::Capa, Pending::Capa);
        }
    }

    pub fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        if self.closed {
            return Ok(());
        }
        self.now = now;
        self.input.extend_from_slice(bytes);
        while let Some(&waiting) = self.pending.front() {
            let multiline = matches!(
                waiting,
                Pending::Capa | Pending::List | Pending::Uidl | Pending::Retr(_)
            );
            let (response, used) = match decode::response(&self.input, multiline) {
                Ok(found) => found,
                Err(DecodeError::Incomplete) => return Ok(()),
                Err(DecodeError::Failed) => {
                    self.close();
                    return Err(ProtocolError(
                        "the server sent a line that is not a POP3 response".into(),
                    ));
                }
            };
            self.input.drain(..used.min(self.input.len()));
            self.pending.pop_front();
            self.on_response(waiting, response);
            if self.awaiting_tls || self.closed {
                self.input.clear();
                break;
            }
        }
        Ok(())
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.pending.clear();
            self.events.push_back(ClientEvent::Closed);
        }
    }

    fn send(&mut self, cmd: &Command, pending: Pending) {
        self.output.push_back(cmd.to_bytes());
        self.pending.push_back(pending);
    }

    fn give_up(&mut self, why: &str) {
        self.events.push_back(ClientEvent::GaveUp(why.to_string()));
        self.plan.clear();
        self.send(&Command::Quit, Pending::Quit);
    }

    fn on_response(&mut self, answered: Pending, r: Response) {
        match answered {
            Pending::Greeting => {
                self.timestamp = timestamp_in(&r.text);
                let ok = r.ok;
                self.events.push_back(ClientEvent::GreetingReceived(r));
                if !ok {
                    return self.close();
                }
                if self.config.ask_capabilities {
                    self.send(&Command::Capa, Pending::Capa);
                } else {
                    self.log_in();
                }
            }
            Pending::Capa => {
                if r.ok {
                    let body =
                        String::from_utf8_lossy(r.body.as_deref().unwrap_or_default()).into_owned();
                    self.capabilities = body.lines().map(str::to_string).collect();
                    self.events
                        .push_back(ClientEvent::Capabilities(self.capabilities.clone()));
                }
                let stls = self.has_capability("STLS");
                let wants_tls = self.config.tls != ClientTls::Never && !self.encrypted;
                if wants_tls && stls {
                    self.send(&Command::Stls, Pending::Stls);
                } else if self.config.tls == ClientTls::Required && !self.encrypted {
                    self.give_up("TLS is required but the server does not offer STLS");
                } else {
                    self.log_in();
                }
            }
            Pending::Stls => {
                if r.ok {
                    self.awaiting_tls = true;
                    self.events.push_back(ClientEvent::TlsRequested);
                } else if self.config.tls == ClientTls::Required {
                    self.give_up("the server refused STLS and TLS is required");
                } else {
                    self.log_in();
                }
            }
            Pending::User => {
                if r.ok {
                    let pass = Command::Pass(one_line(&self.config.password));
                    self.send(&pass, Pending::Pass);
                } else {
                    self.login_failed(r);
                }
            }
            Pending::Pass | Pending::Login => {
                if r.ok {
                    self.send(&Command::Stat, Pending::Stat);
                } else {
                    self.login_failed(r);
                }
            }
            Pending::Stat => {
                let mut numbers = r.text.split_whitespace().map(|n| n.parse::<usize>().ok());
                match (r.ok, numbers.next().flatten(), numbers.next().flatten()) {
                    (true, Some(messages), Some(octets)) => {
                        self.messages = messages;
                        self.events
                            .push_back(ClientEvent::LoggedIn { messages, octets });
                        self.after_stat();
                    }
                    _ => self.give_up("the server's STAT response is not \"+OK nn mm\""),
                }
            }
            Pending::List => {
                if !r.ok {
                    return self.give_up("the server refused LIST");
                }
                self.plan_downloads();
            }
            Pending::Uidl => {
                if !r.ok {
                    return self.give_up(
                        "leaving mail on the server needs UIDL, which the server refused",
                    );
                }
                let body =
                    String::from_utf8_lossy(r.body.as_deref().unwrap_or_default()).into_owned();
                self.unique_ids = crate::tree::map(body.lines().filter_map(|l| {
                    let (n, id) = l.split_once(' ')?;
                    Some((n.parse().ok()?, id.to_string()))
                }));
                self.plan_downloads();
            }
            Pending::Retr(number) => {
                if r.ok {
                    let unique_id = self.unique_ids.get(&number).cloned();
                    if let Some(id) = &unique_id {
                        self.known.entry(id.clone()).or_insert(self.now);
                    }
                    self.events.push_back(ClientEvent::MessageDownloaded {
                        number,
                        unique_id,
                        bytes: r.body.unwrap_or_default(),
                    });
                } else {
                    self.events.push_back(ClientEvent::CommandFailed(r));
                }
                self.next_in_plan();
            }
            Pending::Dele(number) => {
                if r.ok {
                    self.events
                        .push_back(ClientEvent::MessageMarkedDeleted { number });
                } else {
                    self.events.push_back(ClientEvent::CommandFailed(r));
                }
                self.next_in_plan();
            }
            Pending::Quit => {
                self.events.push_back(ClientEvent::SignedOff(r));
                self.close();
            }
        }
    }

    fn has_capability(&self, name: &str) -> bool {
        self.capabilities.iter().any(|c| {
            let mut words = c.split_whitespace();
            words.next().is_some_and(|w| w.eq_ignore_ascii_case(name))
        })
    }

    fn log_in(&mut self) {
        let (user, password) = (one_line(&self.config.user), one_line(&self.config.password));
        match self.config.login {
            Login::UserPass => self.send(&Command::User(user), Pending::User),
            Login::Apop => match self.timestamp.clone() {
                Some(ts) => {
                    let digest = apop_digest(&ts, &password);
                    self.send(&Command::Apop { name: user, digest }, Pending::Login);
                }
                None => self.give_up("APOP needs a timestamp in the greeting, and there is none"),
            },
            Login::SaslPlain => {
                let response = crate::base64::encode(
                    format!("\0{user}\0{password}"),
                    crate::base64::Alphabet::Standard,
                );
                let auth = Command::Auth {
                    mechanism: Some("PLAIN".into()),
                    initial_response: Some(response),
                };
                self.send(&auth, Pending::Login);
            }
        }
    }

    fn login_failed(&mut self, r: Response) {
        self.events.push_back(ClientEvent::LoginFailed(r));
        self.send(&Command::Quit, Pending::Quit);
    }

    fn after_stat(&mut self) {
        match self.config.keep {
            Keep::DownloadAndDelete => self.send(&Command::List(None), Pending::List),
            Keep::LeaveOnServer { .. } => self.send(&Command::Uidl(None), Pending::Uidl),
        }
    }

    fn plan_downloads(&mut self) {
        let count = u32::try_from(self.messages).unwrap_or(u32::MAX);
        for n in 1..=count {
            match self.config.keep {
                Keep::DownloadAndDelete => {
                    self.plan.push_back(Command::Retr(n));
                    self.plan.push_back(Command::Dele(n));
                }
                Keep::LeaveOnServer { delete_after } => {
                    let id = self.unique_ids.get(&n);
                    let first_seen = id.and_then(|id| self.known.get(id)).copied();
                    match (first_seen, delete_after) {
                        (None, _) => self.plan.push_back(Command::Retr(n)),
                        (Some(seen), Some(age)) if self.now.saturating_since(seen) >= age => {
                            self.plan.push_back(Command::Dele(n))
                        }
                        _ => {}
                    }
                }
            }
        }
        self.next_in_plan();
    }

    fn next_in_plan(&mut self) {
        match self.plan.pop_front() {
            Some(cmd @ Command::Retr(n)) => self.send(&cmd, Pending::Retr(n)),
            Some(cmd @ Command::Dele(n)) => self.send(&cmd, Pending::Dele(n)),
            _ => self.send(&Command::Quit, Pending::Quit),
        }
    }
}

/// What the client waits for, as the state panel says it.
fn waiting_for(p: Pending) -> Text {
    let response = |command| text!("state.waiting-response", command = command);
    match p {
        Pending::Greeting => text!("state.waiting-greeting"),
        Pending::Capa => response("CAPA"),
        Pending::Stls => response("STLS"),
        Pending::User => response("USER"),
        Pending::Pass => response("PASS"),
        Pending::Login => text!("state.waiting-login"),
        Pending::Stat => response("STAT"),
        Pending::List => response("LIST"),
        Pending::Uidl => response("UIDL"),
        Pending::Retr(_) => response("RETR"),
        Pending::Dele(_) => response("DELE"),
        Pending::Quit => response("QUIT"),
    }
}

/// A configured value as it may go into a command: a CR, LF or NUL would end the line early
/// and let the rest be read as another command, so they are left out.
fn one_line(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\0'))
        .collect()
}

/// The APOP timestamp in a greeting: the `<...>` containing an `@` (RFC 1939 §7 msg-id).
fn timestamp_in(text: &str) -> Option<String> {
    let start = text.find('<')?;
    let end = start + text.get(start..)?.find('>')?;
    let ts = text.get(start..=end)?;
    ts.contains('@').then(|| ts.to_string())
}
