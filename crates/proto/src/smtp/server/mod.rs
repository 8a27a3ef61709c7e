//! The SMTP server session (RFC 5321 §4.1.4 command order, §4.2 replies) in two roles: a
//! mail exchanger that accepts mail for its own domain, and a submission server (RFC 6409)
//! that requires AUTH (RFC 4954) and may require STARTTLS (RFC 3207) first.

use std::collections::VecDeque;

use super::decode::{self, CommandError};
use super::types::{
    Command, Mailbox, Reply, ReplyCode, ReversePath, ServerState, MAX_COMMAND_LINE,
};
use crate::store::MailStore;
use crate::time::{Duration, Instant};
use crate::wire::LineError;
pub use crate::wire::TlsPolicy;

/// After this many bad commands in a row the server gives up (421), as Dovecot and Postfix
/// do, so a confused or hostile client cannot keep a session forever.
pub const MAX_BAD_COMMANDS: u32 = 10;

/// RFC 5321 §4.5.3.2.7: "An SMTP server SHOULD have a timeout of at least 5 minutes while it
/// is awaiting the next command from the sender."
pub const SERVER_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// RFC 4954 §4: "the server MUST be able to accept ... 12288 octets" of a SASL response line.
pub const MAX_AUTH_LINE: usize = 12288;

/// What a server is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A mail exchanger (port 25): mail for its own domain from anyone, no relaying.
    Exchanger,
    /// A submission server (port 587, RFC 6409): only authenticated users may send.
    Submission,
}

/// How a server presents itself and what it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The name in the greeting and EHLO reply, e.g. `mx.example.net`.
    pub hostname: String,
    /// The mail domain it accepts mail for, e.g. `example.net`.
    pub domain: String,
    pub role: Role,
    pub tls: TlsPolicy,
    /// The connection is already encrypted (implicit TLS, RFC 8314): no STARTTLS.
    pub secure_from_start: bool,
    /// Submission only: accept recipients in other domains (to relay them onwards). A server
    /// with no way onwards refuses them instead of losing the mail.
    pub accept_remote: bool,
    /// RFC 1870 SIZE: the largest message accepted, in octets.
    pub max_message_size: usize,
    /// Greylisting: refuse a new (client, sender, recipient) with 451 once; a real MTA
    /// retries later and is accepted.
    pub greylisting: bool,
    /// Users log in with their whole address (`alice@example.org`), as most providers ask;
    /// the local part alone is refused with 535. Off: either form is taken.
    pub address_login: bool,
}

impl ServerConfig {
    /// A mail exchanger for `domain`.
    pub fn new(hostname: &str, domain: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            domain: domain.to_string(),
            role: Role::Exchanger,
            tls: TlsPolicy::NotOffered,
            secure_from_start: false,
            accept_remote: false,
            max_message_size: 10 * 1024 * 1024,
            greylisting: false,
            address_login: false,
        }
    }

    /// A submission server for users of `domain`, relaying onwards.
    pub fn submission(hostname: &str, domain: &str) -> Self {
        ServerConfig {
            role: Role::Submission,
            accept_remote: true,
            ..ServerConfig::new(hostname, domain)
        }
    }
}

/// What the server did, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    ClientIntroduced {
        name: String,
        extended: bool,
    },
    /// 220 was queued in answer to STARTTLS: once it is sent, the caller runs the TLS
    /// handshake and then calls [`SmtpServer::tls_established`].
    TlsRequested,
    Authenticated {
        user: String,
    },
    AuthenticationFailed,
    SenderAccepted(ReversePath),
    RecipientAccepted(Mailbox),
    RecipientRefused {
        to: Mailbox,
        code: ReplyCode,
    },
    /// The message was stored in each local recipient's mailbox (`uids` in the same order)
    /// and, for a submission server, is to be relayed to `remote` recipients.
    MessageAccepted {
        from: ReversePath,
        local: Vec<Mailbox>,
        uids: Vec<u32>,
        remote: Vec<Mailbox>,
        /// The message as received (un-stuffed), to relay onwards.
        content: Vec<u8>,
    },
    CommandRefused {
        code: ReplyCode,
    },
    TimedOut,
    SessionClosed,
}

#[derive(Debug, Clone)]
struct Transaction {
    from: ReversePath,
    recipients: Vec<Mailbox>,
}

/// The step of a SASL exchange the server waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AuthStep {
    PlainResponse,
    LoginUser,
    LoginPassword { user: String },
}

/// One server side of one SMTP connection.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    config: ServerConfig,
    state: ServerState,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ServerEvent>,
    transaction: Option<Transaction>,
    /// Set while a SASL exchange is in progress.
    auth: Option<AuthStep>,
    user: Option<String>,
    /// The client said EHLO, not HELO: only then may it use ESMTP parameters.
    extended: bool,
    /// The name the client gave with EHLO/HELO, for greylisting triplets.
    client_name: String,
    encrypted: bool,
    /// Mail data received so far, already un-stuffed.
    data: Vec<u8>,
    data_at_line_start: bool,
    data_too_big: bool,
    /// Skipping the rest of an over-long command line.
    discarding: bool,
    bad_commands: u32,
    deadline: Instant,
    /// Stored copies not yet told through the common session events.
    pub(super) stored: VecDeque<crate::session::Event>,
}

impl SmtpServer {
    /// A new session at `now`; its 220 greeting is ready to send (RFC 5321 §4.3.1).
    pub fn new(config: ServerConfig, now: Instant) -> Self {
        let greeting = Reply::single(
            ReplyCode::SERVICE_READY,
            &format!("{} ESMTP Postroom", config.hostname),
        );
        SmtpServer {
            encrypted: config.secure_from_start,
            config,
            state: ServerState::ExpectHelo,
            input: Vec::new(),
            output: VecDeque::from([greeting.to_bytes()]),
            events: VecDeque::new(),
            transaction: None,
            auth: None,
            user: None,
            extended: false,
            client_name: String::new(),
            data: Vec::new(),
            data_at_line_start: true,
            data_too_big: false,
            discarding: false,
            bad_commands: 0,
            deadline: now + SERVER_TIMEOUT,
            stored: VecDeque::new(),
        }
    }

    pub fn state(&self) -> ServerState {
        self.state
    }

    pub fn is_closed(&self) -> bool {
        self.state == ServerState::Closed
    }

    /// True once STARTTLS completed, or from the start with implicit TLS.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// The user who authenticated, if any.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Bytes to send to the client: one reply per call.
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        (!self.is_closed()).then_some(self.deadline)
    }

    /// Gives up on a client that stayed silent too long (RFC 5321 §4.5.3.2.7).
    /// The clock reached [`SmtpServer::poll_timeout`]. The store is not needed (a transaction
    /// cut short stored nothing) but is taken as every session's timeout takes it.
    pub fn handle_timeout(&mut self, now: Instant, _store: &mut MailStore) {
        if self.is_closed() || now < self.deadline {
            return;
        }
        let text = format!("4.4.2 {} Error: timeout exceeded", self.config.hostname);
        self.reply(ReplyCode::SERVICE_CLOSING, &text);
        self.events.push_back(ServerEvent::TimedOut);
        self.close();
    }

    /// The connection ended without QUIT: a transaction not ended by the final period was
    /// never accepted, so there is nothing to undo (RFC 5321 §4.1.1.10).
    pub fn connection_lost(&mut self, _store: &mut MailStore) {
        if !self.is_closed() {
            self.close();
        }
    }

    /// The caller finished the TLS handshake that followed our 220 to STARTTLS.
    /// RFC 3207 §4.2: "the server MUST discard any knowledge obtained from the client, such as
    /// the argument to the EHLO command" — the client must say EHLO again.
    pub fn tls_established(&mut self) {
        if self.state == ServerState::ExpectTlsHandshake {
            self.encrypted = true;
            self.transaction = None;
            self.state = ServerState::ExpectHelo;
        }
    }

    /// Feeds bytes received from the client at `now`. Commands are answered in order, so a
    /// pipelined batch (RFC 2920) gets its replies in the order of its commands.
    pub fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        if self.is_closed() {
            return;
        }
        if self.state == ServerState::ExpectTlsHandshake {
            // Plain text after STARTTLS must not be obeyed once TLS is up (the "STARTTLS
            // command injection" flaw): the caller's handshake owns these bytes.
            return;
        }
        // Taken out so the parsing below can borrow it while the session changes.
        let mut input = std::mem::take(&mut self.input);
        input.extend_from_slice(bytes);
        let mut offset = 0;
        while !self.is_closed() && self.state != ServerState::ExpectTlsHandshake {
            let rest = input.get(offset..).unwrap_or_default();
            let used = match self.state {
                ServerState::ReceivingData => self.receive_data(rest, store),
                ServerState::ExpectAuthResponse => self.receive_auth_line(rest, store),
                _ => self.receive_command(rest, store),
            };
            match used {
                Some(n) if n > 0 => offset += n,
                _ => break,
            }
        }
        if offset > 0 {
            // RFC 5321 §4.5.3.2.7: the timeout runs while awaiting the next command; only
            // whole lines (or message data) count, so a byte now and then cannot hold the
            // session open forever.
            self.deadline = now + SERVER_TIMEOUT;
        }
        if self.state == ServerState::ExpectTlsHandshake {
            // Anything pipelined after STARTTLS is discarded, for the same reason.
            offset = input.len();
        }
        input.drain(..offset.min(input.len()));
        self.input = input;
    }

    /// Octets received and not yet read as commands or data.
    pub fn pending_input(&self) -> usize {
        self.input.len()
    }

    /// Handles one command line from the front of `input`; returns the octets used, or
    /// `None` to wait for more.
    fn receive_command(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
        if self.discarding {
            return Some(self.discard_rest_of_line(input));
        }
        match decode::line(input, MAX_COMMAND_LINE) {
            Err(LineError::Incomplete) => None,
            Err(LineError::TooLong) => {
                // RFC 5321 §4.5.3.1.4 and §4.2.2: "500 Line too long."
                self.refuse(
                    ReplyCode::SYNTAX_ERROR,
                    "5.5.2 Line too long (512 octets at most, RFC 5321 section 4.5.3.1.4)",
                );
                self.discarding = true;
                Some(input.len().min(MAX_COMMAND_LINE))
            }
            Ok((line, used)) => {
                if decode::line_has_bare_lf(input, used) {
                    // RFC 5321 §2.3.8: lines end in CRLF; a bare LF is not a line end.
                    self.refuse(
                        ReplyCode::SYNTAX_ERROR,
                        "5.5.2 Bare LF: SMTP lines end with CR LF (RFC 5321 section 2.3.8)",
                    );
                } else if line.contains(&0) {
                    self.refuse(ReplyCode::SYNTAX_ERROR, "5.5.2 NUL character in command");
                } else {
                    match decode::command(line) {
                        Ok(cmd) => self.execute(cmd, store),
                        Err(CommandError::Unrecognized) => {
                            self.refuse(ReplyCode::SYNTAX_ERROR, "5.5.2 Command unrecognized")
                        }
                        Err(CommandError::Syntax(usage)) => self.refuse(
                            ReplyCode::PARAM_SYNTAX_ERROR,
                            &format!("5.5.4 Syntax: {usage}"),
                        ),
                    }
                }
                Some(used)
            }
        }
    }

    fn discard_rest_of_line(&mut self, input: &[u8]) -> usize {
        match input.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                self.discarding = false;
                lf + 1
            }
            None => input.len(),
        }
    }

    fn reply(&mut self, code: ReplyCode, text: &str) {
        self.output.push_back(Reply::single(code, text).to_bytes());
    }

    /// A negative reply to a bad command; too many in a row end the session.
    fn refuse(&mut self, code: ReplyCode, text: &str) {
        self.reply(code, text);
        self.events.push_back(ServerEvent::CommandRefused { code });
        self.bad_commands += 1;
        if self.bad_commands >= MAX_BAD_COMMANDS {
            // RFC 5321 §3.8: a server may close with 421 when it must.
            self.reply(
                ReplyCode::SERVICE_CLOSING,
                "4.7.0 Too many errors, closing connection",
            );
            self.close();
        }
    }

    fn close(&mut self) {
        self.state = ServerState::Closed;
        self.events.push_back(ServerEvent::SessionClosed);
    }

    fn out_of_sequence(&mut self, text: &str) {
        self.refuse(ReplyCode::BAD_SEQUENCE, &format!("5.5.1 {text}"));
    }

    fn ok(&mut self, text: &str) {
        self.bad_commands = 0;
        self.reply(ReplyCode::OK, text);
    }

    fn starttls_offered(&self) -> bool {
        self.config.tls != TlsPolicy::NotOffered && !self.encrypted
    }

    /// RFC 3207 §4: a server that requires TLS answers 530 until STARTTLS is done.
    fn tls_missing(&self) -> bool {
        self.config.tls == TlsPolicy::Required && !self.encrypted
    }

    fn execute(&mut self, cmd: Command, store: &mut MailStore) {
        match cmd {
            Command::Ehlo(name) => self.hello(name, true),
            Command::Helo(name) => self.hello(name, false),
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth_command(&mechanism, initial_response, store),
            Command::Mail { from, params } => self.mail(from, &params),
            Command::Rcpt { to, params } => self.rcpt(to, &params, store),
            Command::Data => self.data_command(),
            Command::Rset => {
                // RFC 5321 §4.1.1.5: RSET aborts the transaction; the greeting still counts.
                self.transaction = None;
                if self.state != ServerState::ExpectHelo {
                    self.state = ServerState::ExpectMail;
                }
                self.ok("2.0.0 Reset");
            }
            Command::Noop(_) => self.ok("2.0.0 OK"),
            Command::Quit => {
                let text = format!("2.0.0 {} closing connection", self.config.hostname);
                self.reply(ReplyCode::CLOSING, &text);
                self.close();
            }
            Command::Vrfy(_) => {
                // RFC 5321 §3.5.3: 252 when the server will not verify but will accept mail.
                self.bad_commands = 0;
                self.reply(
                    ReplyCode::CANNOT_VRFY,
                    "2.5.2 Cannot VRFY user, but will accept message and attempt delivery",
                );
            }
            Command::Help(_) => {
                self.bad_commands = 0;
                let lines = [
                    "2.0.0 Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA RSET NOOP QUIT VRFY HELP",
                    "2.0.0 See RFC 5321 section 4.1 for what each one does",
                ];
                self.output
                    .push_back(Reply::new(ReplyCode::HELP, &lines).to_bytes());
            }
        }
    }

    /// RFC 5321 §4.1.4: EHLO or HELO may be sent at any time and resets the transaction.
    fn hello(&mut self, name: String, extended: bool) {
        self.bad_commands = 0;
        self.transaction = None;
        self.extended = extended;
        self.client_name = name.clone();
        self.state = ServerState::ExpectMail;
        let greeting = format!("{} greets {}", self.config.hostname, name);
        let reply = if extended {
            let mut lines = vec![
                greeting,
                "PIPELINING".to_string(),
                format!("SIZE {}", self.config.max_message_size),
                "8BITMIME".to_string(),
                "ENHANCEDSTATUSCODES".to_string(),
            ];
            if self.starttls_offered() {
                lines.push("STARTTLS".to_string());
            }
            // RFC 3207 §4.2 / RFC 4954 §4: a server that requires TLS does not offer AUTH
            // before it; nor is AUTH offered once the client has authenticated.
            if self.config.role == Role::Submission && !self.tls_missing() && self.user.is_none() {
                lines.push("AUTH PLAIN LOGIN".to_string());
            }
            lines.push("HELP".to_string());
            Reply::new(ReplyCode::OK, &lines)
        } else {
            Reply::single(ReplyCode::OK, &greeting)
        };
        self.output.push_back(reply.to_bytes());
        self.events
            .push_back(ServerEvent::ClientIntroduced { name, extended });
    }

    fn starttls(&mut self) {
        if !self.starttls_offered() {
            let text = if self.encrypted {
                "TLS is already active"
            } else {
                "STARTTLS is not offered here"
            };
            return self.out_of_sequence(text);
        }
        if self.state == ServerState::ExpectHelo {
            return self.out_of_sequence("Send EHLO first");
        }
        if self.transaction.is_some() {
            return self.out_of_sequence("STARTTLS is not allowed during a mail transaction");
        }
        self.bad_commands = 0;
        self.reply(ReplyCode::SERVICE_READY, "2.0.0 Ready to start TLS");
        self.state = ServerState::ExpectTlsHandshake;
        self.events.push_back(ServerEvent::TlsRequested);
    }
}

mod auth;
mod transaction;
