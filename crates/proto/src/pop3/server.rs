//! The POP3 server session (RFC 1939) with CAPA and response codes (RFC 2449), STLS
//! (RFC 2595 §4, simulated by the caller), APOP and SASL PLAIN (RFC 5034).
//!
//! DELE only marks; messages are removed in the UPDATE state after QUIT, and a session that
//! ends any other way removes nothing (RFC 1939 §6).

use std::collections::VecDeque;

use md5::{Digest, Md5};

use super::decode::{self, CommandError};
use super::types::{Command, Response, State, MAX_COMMAND_LINE};
use crate::store::MailStore;
use crate::time::{Duration, Instant};
use crate::wire::{line, line_has_bare_lf, LineError, TlsPolicy};

/// RFC 1939 §3: "the server MAY have an inactivity autologout timer. Such a timer MUST be
/// of at least 10 minutes' duration."
pub const AUTOLOGOUT: Duration = Duration::from_secs(10 * 60);

/// Bad commands in a row before the server gives up.
pub const MAX_BAD_COMMANDS: u32 = 10;
/// After this many wrong passwords in one session the server closes it, as Dovecot does,
/// so a guesser must reconnect (and the host may slow each failure down).
pub const MAX_LOGIN_FAILURES: u32 = 3;
/// Commands are not read while this many octets of answers wait to be taken.
pub const OUTPUT_BOUND: usize = 1 << 20;

/// SASL responses may be longer than commands (RFC 5034 §4).
const MAX_AUTH_LINE: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Named in the greeting and the sign-off, e.g. `pop.example.net`.
    pub hostname: String,
    pub tls: TlsPolicy,
    /// The connection is already encrypted (implicit TLS): no STLS.
    pub secure_from_start: bool,
    /// The APOP timestamp for this session's greeting, e.g. `<1896.697170952@host>`. RFC 1939
    /// §7: it "MUST be different each time the POP3 server issues a banner greeting", so the
    /// caller, who has a clock and counters, supplies it. `None`: no APOP.
    pub apop_timestamp: Option<String>,
}

impl ServerConfig {
    pub fn new(hostname: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            tls: TlsPolicy::NotOffered,
            secure_from_start: false,
            apop_timestamp: None,
        }
    }
}

/// What the server did, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    LoggedIn {
        user: String,
        messages: usize,
    },
    LoginFailed,
    /// RFC 2449 §8.1.2: another session holds the mailbox.
    MailboxInUse {
        user: String,
    },
    MessageRetrieved {
        uid: u32,
    },
    MessageMarkedDeleted {
        uid: u32,
    },
    DeletionsUndone {
        count: usize,
    },
    /// The UPDATE state removed these messages from the store.
    MessagesDeleted {
        uids: Vec<u32>,
    },
    TlsRequested,
    TimedOut,
    /// The session ended; `updated` tells whether it went through UPDATE.
    SessionClosed {
        updated: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    uid: u32,
    size: usize,
    deleted: bool,
}

/// One server side of one POP3 connection.
#[derive(Debug, Clone)]
pub struct Pop3Server {
    config: ServerConfig,
    state: State,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ServerEvent>,
    /// The name given with USER, waiting for PASS.
    pending_user: Option<String>,
    /// Set while `AUTH PLAIN` waits for its response line.
    awaiting_sasl: bool,
    awaiting_tls: bool,
    user: Option<String>,
    /// True from a successful login until this session releases the maildrop lock, so a
    /// session that ends any way (QUIT, cut, autologout, too many bad commands) frees it once.
    holds_lock: bool,
    uid_validity: u32,
    /// The maildrop as it was at login: message numbers stay fixed for the session.
    entries: Vec<Entry>,
    encrypted: bool,
    discarding: bool,
    bad_commands: u32,
    login_failures: u32,
    deadline: Instant,
}

impl Pop3Server {
    /// A new session at `now`; its greeting is ready to send.
    pub fn new(config: ServerConfig, now: Instant) -> Self {
        // RFC 1939 §10's greeting, with the APOP timestamp when there is one.
        let mut greeting = "POP3 server ready".to_string();
        if let Some(ts) = &config.apop_timestamp {
            greeting = format!("{greeting} {ts}");
        }
        Pop3Server {
            encrypted: config.secure_from_start,
            config,
            state: State::Authorization,
            input: Vec::new(),
            output: VecDeque::from([Response::ok(&greeting).to_bytes()]),
            events: VecDeque::new(),
            pending_user: None,
            awaiting_sasl: false,
            awaiting_tls: false,
            user: None,
            holds_lock: false,
            uid_validity: 0,
            entries: Vec::new(),
            discarding: false,
            bad_commands: 0,
            login_failures: 0,
            deadline: now + AUTOLOGOUT,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Message numbers marked for deletion in this session (1-based).
    pub fn marked_for_deletion(&self) -> Vec<usize> {
        (1..)
            .zip(&self.entries)
            .filter(|(_, e)| e.deleted)
            .map(|(n, _)| n)
            .collect()
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// Octets received and not yet read as commands (see [`OUTPUT_BOUND`]).
    pub fn pending_input(&self) -> usize {
        self.input.len()
    }

    /// Octets of answers queued and not yet taken with `poll_output`.
    fn unsent(&self) -> usize {
        self.output.iter().map(Vec::len).sum()
    }

    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        (!self.is_closed()).then_some(self.deadline)
    }

    /// The autologout timer: closes without UPDATE, so nothing is deleted (RFC 1939 §3).
    pub fn handle_timeout(&mut self, now: Instant, store: &mut MailStore) {
        if !self.is_closed() && now >= self.deadline {
            self.respond(Response::err("Autologout; idle for too long"));
            self.events.push_back(ServerEvent::TimedOut);
            self.connection_lost(store);
        }
    }

    /// The connection ended without QUIT (or was cut): release the mailbox, delete nothing.
    /// Safe to call more than once; callers call it whenever a connection ends.
    pub fn connection_lost(&mut self, store: &mut MailStore) {
        self.release_lock(store);
        if self.is_closed() {
            return;
        }
        self.state = State::Closed;
        self.events
            .push_back(ServerEvent::SessionClosed { updated: false });
    }

    /// The caller finished the TLS handshake after "+OK Begin TLS negotiation".
    pub fn tls_established(&mut self) {
        if self.awaiting_tls {
            self.awaiting_tls = false;
            self.encrypted = true;
        }
    }

    pub fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        if self.is_closed() || self.awaiting_tls {
            // Plain text after STLS is not obeyed (the handshake owns these bytes).
            return;
        }
        let mut input = std::mem::take(&mut self.input);
        input.extend_from_slice(bytes);
        let mut offset = 0;
        // Back-pressure: commands wait in `input` while the answers not yet taken are large
        // (300 pipelined RETRs of a big message must not all be built in memory at once);
        // the host calls again, with no new bytes, once it has sent them.
        while !self.is_closed() && !self.awaiting_tls && self.unsent() < OUTPUT_BOUND {
            let rest = input.get(offset..).unwrap_or_default();
            match self.receive_line(rest, store) {
                Some(n) if n > 0 => offset += n,
                _ => break,
            }
        }
        if offset > 0 {
            // Only whole commands count as activity: a client trickling a byte at a time
            // cannot hold the session (and the maildrop) open forever.
            self.deadline = now + AUTOLOGOUT;
        }
        if self.awaiting_tls {
            offset = input.len();
        }
        input.drain(..offset.min(input.len()));
        self.input = input;
        if self.is_closed() {
            // Closed for too many bad commands: the maildrop must not stay locked.
            self.release_lock(store);
        }
    }

    fn release_lock(&mut self, store: &mut MailStore) {
        if self.holds_lock {
            if let Some(user) = &self.user {
                store.unlock_for_pop3(user);
            }
            self.holds_lock = false;
        }
    }

    fn receive_line(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
        if self.discarding {
            let lf = input.iter().position(|&b| b == b'\n');
            self.discarding = lf.is_none();
            return Some(lf.map_or(input.len(), |lf| lf + 1));
        }
        let max = if self.awaiting_sasl {
            MAX_AUTH_LINE
        } else {
            MAX_COMMAND_LINE
        };
        match line(input, max) {
            Err(LineError::Incomplete) => None,
            Err(LineError::TooLong) => {
                self.awaiting_sasl = false;
                self.discarding = true;
                self.refuse("Line too long (255 octets at most, RFC 2449 section 4)");
                Some(input.len().min(max))
            }
            Ok((text, used)) => {
                if line_has_bare_lf(input, used) {
                    self.refuse("Lines end with CR LF (RFC 1939 section 3)");
                } else if self.awaiting_sasl {
                    self.awaiting_sasl = false;
                    let text = String::from_utf8_lossy(text).into_owned();
                    if text == "*" {
                        self.refuse("AUTH cancelled");
                    } else {
                        self.sasl_plain(&text, store);
                    }
                } else {
                    match decode::command(text) {
                        Ok(cmd) => self.execute(cmd, store),
                        Err(CommandError::Unknown) => self.refuse("Unknown command"),
                        Err(CommandError::Syntax(usage)) => {
                            self.refuse(&format!("Syntax: {usage}"))
                        }
                    }
                }
                Some(used)
            }
        }
    }

    fn respond(&mut self, response: Response) {
        self.output.push_back(response.to_bytes());
    }

    fn ok(&mut self, text: &str) {
        self.bad_commands = 0;
        self.respond(Response::ok(text));
    }

    fn refuse(&mut self, text: &str) {
        self.respond(Response::err(text));
        self.bad_commands += 1;
        if self.bad_commands >= MAX_BAD_COMMANDS {
            self.respond(Response::err("Too many bad commands, closing connection"));
            self.state = State::Closed;
            self.events
                .push_back(ServerEvent::SessionClosed { updated: false });
        }
    }

    fn tls_missing(&self) -> bool {
        self.config.tls == TlsPolicy::Required && !self.encrypted
    }

    fn execute(&mut self, cmd: Command, store: &mut MailStore) {
        // Commands valid in both states first.
        match cmd {
            Command::Capa => return self.capa(),
            Command::Quit => return self.quit(store),
            _ => {}
        }
        match self.state {
            State::Authorization => self.authorization(cmd, store),
            State::Transaction => self.transaction(cmd, store),
            State::Update | State::Closed => {}
        }
    }

    fn capa(&mut self) {
        self.bad_commands = 0;
        let mut lines = vec!["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"];
        // RFC 2449 §6.7: this server never deletes mail on its own.
        lines.push("EXPIRE NEVER");
        if self.state == State::Authorization {
            if !self.tls_missing() {
                lines.push("USER");
                lines.push("SASL PLAIN");
            }
            if self.config.tls != TlsPolicy::NotOffered && !self.encrypted {
                lines.push("STLS");
            }
        }
        lines.push("IMPLEMENTATION Postroom");
        let body: Vec<u8> = lines
            .iter()
            .flat_map(|l| format!("{l}\r\n").into_bytes())
            .collect();
        self.respond(Response::multiline("Capability list follows", body));
    }

    fn quit(&mut self, store: &mut MailStore) {
        let host = self.config.hostname.clone();
        if self.state != State::Transaction {
            // RFC 1939 §6: QUIT in AUTHORIZATION ends the session without UPDATE.
            self.respond(Response::ok(&format!("{host} POP3 server signing off")));
            self.state = State::Closed;
            self.events
                .push_back(ServerEvent::SessionClosed { updated: false });
            return;
        }
        self.state = State::Update;
        let uids: Vec<u32> = self
            .entries
            .iter()
            .filter(|e| e.deleted)
            .map(|e| e.uid)
            .collect();
        let user = self.user.clone().unwrap_or_default();
        store.expunge(&user, &uids);
        self.release_lock(store);
        let left = self.entries.len() - uids.len();
        let status = if left == 0 {
            "maildrop empty".to_string()
        } else {
            format!("{left} message{} left", plural(left))
        };
        self.respond(Response::ok(&format!(
            "{host} POP3 server signing off ({status})"
        )));
        if !uids.is_empty() {
            self.events.push_back(ServerEvent::MessagesDeleted { uids });
        }
        self.state = State::Closed;
        self.events
            .push_back(ServerEvent::SessionClosed { updated: true });
    }

    fn authorization(&mut self, cmd: Command, store: &mut MailStore) {
        let plaintext_login = matches!(
            cmd,
            Command::User(_) | Command::Pass(_) | Command::Auth { .. }
        );
        if plaintext_login && self.tls_missing() {
            self.pending_user = None;
            return self.refuse("[AUTH] Plaintext authentication disallowed on non-secure connections, use STLS first");
        }
        match cmd {
            Command::User(name) => {
                // RFC 1939 §13: answering -ERR to unknown names tells attackers which exist.
                self.pending_user = Some(name);
                self.ok("Send PASS");
            }
            Command::Pass(password) => match self.pending_user.take() {
                None => self.refuse("USER first (RFC 1939 section 7: PASS only right after USER)"),
                Some(user) => {
                    let valid = store.check_password(&user, &password);
                    self.login(&user, valid, store);
                }
            },
            Command::Apop { name, digest } => {
                self.pending_user = None;
                let Some(timestamp) = self.config.apop_timestamp.clone() else {
                    return self.refuse("APOP is not available here");
                };
                let valid =
                    store.verify_secret(&name, |secret| apop_digest(&timestamp, secret) == digest);
                self.login(&name, valid, store);
            }
            Command::Auth {
                mechanism: None, ..
            } => {
                self.bad_commands = 0;
                self.respond(Response::multiline(
                    "Mechanisms follow",
                    b"PLAIN\r\n".to_vec(),
                ));
            }
            Command::Auth {
                mechanism: Some(m),
                initial_response,
            } => {
                self.pending_user = None;
                match (m.as_str(), initial_response) {
                    ("PLAIN", Some(r)) => self.sasl_plain(&r, store),
                    ("PLAIN", None) => {
                        // RFC 5034 §4: "+ " and a base64 challenge, empty for PLAIN.
                        self.awaiting_sasl = true;
                        self.output.push_back(b"+ \r\n".to_vec());
                    }
                    _ => self.refuse("Unsupported authentication mechanism"),
                }
            }
            Command::Stls => {
                if self.config.tls == TlsPolicy::NotOffered || self.encrypted {
                    return self.refuse("STLS is not available");
                }
                self.bad_commands = 0;
                self.respond(Response::ok("Begin TLS negotiation"));
                self.awaiting_tls = true;
                self.events.push_back(ServerEvent::TlsRequested);
            }
            _ => self.refuse("Log in first: USER and PASS, APOP or AUTH"),
        }
    }

    fn sasl_plain(&mut self, response: &str, store: &mut MailStore) {
        let decoded = crate::base64::decode(response.trim(), crate::base64::Alphabet::Standard)
            .and_then(|b| String::from_utf8(b).ok());
        let Some(decoded) = decoded else {
            return self.refuse("Invalid base64 data");
        };
        let parts: Vec<&str> = decoded.split('\0').collect();
        let (authzid, user, password) = match parts.as_slice() {
            [z, u, p] => (*z, *u, *p),
            _ => return self.refuse("[AUTH] Invalid PLAIN response"),
        };
        let valid = (authzid.is_empty() || authzid.eq_ignore_ascii_case(user))
            && store.check_password(user, password);
        self.login(user, valid, store);
    }

    fn login(&mut self, user: &str, valid: bool, store: &mut MailStore) {
        if !valid {
            self.events.push_back(ServerEvent::LoginFailed);
            self.login_failures += 1;
            if self.login_failures >= MAX_LOGIN_FAILURES {
                self.respond(Response::err(
                    "[AUTH] Invalid user name or password; too many failures, closing connection",
                ));
                self.state = State::Closed;
                self.events
                    .push_back(ServerEvent::SessionClosed { updated: false });
                return;
            }
            return self.refuse("[AUTH] Invalid user name or password");
        }
        if !store.lock_for_pop3(user) {
            self.events.push_back(ServerEvent::MailboxInUse {
                user: user.to_string(),
            });
            // RFC 2449 §8.1.2: "[IN-USE]" when the maildrop is locked by another session.
            return self.refuse("[IN-USE] Mailbox is locked by another POP3 session");
        }
        let user = user.to_ascii_lowercase();
        self.entries = store
            .messages(&user)
            .iter()
            .map(|m| Entry {
                uid: m.uid,
                size: m.bytes.len(),
                deleted: false,
            })
            .collect();
        self.uid_validity = store.uid_validity(&user).unwrap_or(0);
        self.state = State::Transaction;
        let (count, octets) = self.totals();
        self.ok(&format!(
            "{user}'s maildrop has {count} message{} ({octets} octets)",
            plural(count)
        ));
        self.events.push_back(ServerEvent::LoggedIn {
            user: user.clone(),
            messages: count,
        });
        self.user = Some(user);
        self.holds_lock = true;
    }

    /// Messages not marked deleted, and their total size (RFC 1939 §5 STAT).
    fn totals(&self) -> (usize, usize) {
        self.entries
            .iter()
            .filter(|e| !e.deleted)
            .fold((0, 0), |(n, o), e| (n + 1, o + e.size))
    }

    /// The entry for message-number `n`, or the -ERR text.
    fn entry(&self, n: u32) -> Result<(usize, &Entry), String> {
        let index = usize::try_from(n).unwrap_or(usize::MAX).wrapping_sub(1);
        match self.entries.get(index) {
            None => Err(format!(
                "no such message, only {} messages in maildrop",
                self.entries.len()
            )),
            Some(e) if e.deleted => Err(format!("message {n} already deleted")),
            Some(e) => Ok((index, e)),
        }
    }

    fn unique_id(&self, uid: u32) -> String {
        unique_id(self.uid_validity, uid)
    }

    fn transaction(&mut self, cmd: Command, store: &MailStore) {
        let user = self.user.clone().unwrap_or_default();
        match cmd {
            Command::Stat => {
                let (count, octets) = self.totals();
                self.ok(&format!("{count} {octets}"));
            }
            Command::List(None) => {
                let (count, octets) = self.totals();
                let body = self.listing(|_, e| e.size.to_string());
                self.respond(Response::multiline(
                    &format!("{count} message{} ({octets} octets)", plural(count)),
                    body,
                ));
            }
            Command::List(Some(n)) => match self.entry(n) {
                Ok((_, e)) => {
                    let size = e.size;
                    self.ok(&format!("{n} {size}"));
                }
                Err(why) => self.refuse(&why),
            },
            Command::Uidl(None) => {
                let body = self.listing(|s, e| s.unique_id(e.uid));
                self.respond(Response::multiline("Unique-id listing follows", body));
            }
            Command::Uidl(Some(n)) => match self.entry(n) {
                Ok((_, e)) => {
                    let id = self.unique_id(e.uid);
                    self.ok(&format!("{n} {id}"));
                }
                Err(why) => self.refuse(&why),
            },
            Command::Retr(n) => self.retrieve(store, &user, n, None),
            Command::Top { msg, lines } => self.retrieve(store, &user, msg, Some(lines)),
            Command::Dele(n) => match self.entry(n) {
                Ok((index, e)) => {
                    let uid = e.uid;
                    if let Some(e) = self.entries.get_mut(index) {
                        e.deleted = true;
                    }
                    self.ok(&format!("message {n} deleted"));
                    self.events
                        .push_back(ServerEvent::MessageMarkedDeleted { uid });
                }
                Err(why) => self.refuse(&why),
            },
            Command::Noop => self.ok(""),
            Command::Rset => {
                let count = self.entries.iter().filter(|e| e.deleted).count();
                self.entries.iter_mut().for_each(|e| e.deleted = false);
                let (n, octets) = self.totals();
                self.ok(&format!(
                    "maildrop has {n} message{} ({octets} octets)",
                    plural(n)
                ));
                self.events
                    .push_back(ServerEvent::DeletionsUndone { count });
            }
            Command::User(_) | Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } => {
                self.refuse("Already logged in")
            }
            Command::Stls => self.refuse("STLS is only allowed before logging in"),
            Command::Capa | Command::Quit => {}
        }
    }

    /// One "n value" line per message not marked deleted (RFC 1939 §5 scan listings).
    fn listing(&self, value: impl Fn(&Self, &Entry) -> String) -> Vec<u8> {
        (1..)
            .zip(&self.entries)
            .filter(|(_, e)| !e.deleted)
            .flat_map(|(n, e)| format!("{n} {}\r\n", value(self, e)).into_bytes())
            .collect()
    }

    fn retrieve(&mut self, store: &MailStore, user: &str, n: u32, top: Option<u32>) {
        let uid = match self.entry(n) {
            Ok((_, e)) => e.uid,
            Err(why) => return self.refuse(&why),
        };
        let Some(message) = store.messages(user).iter().find(|m| m.uid == uid) else {
            return self.refuse("[SYS/TEMP] Message is no longer in the store");
        };
        let response = match top {
            None => Response::multiline(
                &format!("{} octets", message.bytes.len()),
                message.bytes.clone(),
            ),
            Some(lines) => {
                Response::multiline("Top of message follows", top_of(&message.bytes, lines))
            }
        };
        self.bad_commands = 0;
        self.respond(response);
        if top.is_none() {
            self.events.push_back(ServerEvent::MessageRetrieved { uid });
        }
    }
}

/// RFC 1939 §7 TOP: "the headers of the message, the blank line separating the headers
/// from the body, and then the number of lines of the indicated message's body".
fn top_of(message: &[u8], lines: u32) -> Vec<u8> {
    let header_end = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(message.len(), |p| p + 4);
    let (headers, body) = message.split_at(header_end.min(message.len()));
    let mut out = headers.to_vec();
    let mut remaining = usize::try_from(lines).unwrap_or(usize::MAX);
    for line in body.split_inclusive(|&b| b == b'\n') {
        if remaining == 0 {
            break;
        }
        out.extend_from_slice(line);
        remaining -= 1;
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The UIDL unique-id: stable across sessions, never reused (RFC 1939 §7), 0x21–0x7E.
pub fn unique_id(uid_validity: u32, uid: u32) -> String {
    format!("{uid_validity}.{uid}")
}

/// RFC 1939 §7: MD5 of the timestamp followed by the shared secret, in lower-case hex.
pub fn apop_digest(timestamp: &str, secret: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(timestamp.as_bytes());
    md5.update(secret.as_bytes());
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
