//! The SMTP client session: turns "send this message" into commands. It pipelines MAIL, RCPT
//! and DATA when the server offers PIPELINING (RFC 2920), upgrades with STARTTLS (RFC 3207)
//! and authenticates (RFC 4954) when configured to.

use std::collections::VecDeque;

use super::decode;
use super::types::{
    ClientState, Command, Mailbox, Param, Reply, ReplyCode, ReplyTo, ReversePath, Verb,
};
use crate::message::dot_stuff;
use crate::time::{Duration, Instant};
pub use crate::wire::ClientTls;
use crate::{DecodeError, ProtocolError, UsageError};

/// RFC 5321 §4.5.3.2: how long a client waits for each reply.
fn reply_timeout(waiting_for: Pending) -> Duration {
    match waiting_for {
        // §4.5.3.2.4: "DATA Initiation: 2 minutes".
        Pending::Data => Duration::from_secs(2 * 60),
        // §4.5.3.2.6: "DATA Termination: 10 minutes".
        Pending::DataEnd => Duration::from_secs(10 * 60),
        // §4.5.3.2.1–3: initial 220, MAIL and RCPT: 5 minutes; the rest alike.
        _ => Duration::from_secs(5 * 60),
    }
}

/// How the client behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The name sent with EHLO/HELO.
    pub helo_name: String,
    pub tls: ClientTls,
    /// User and password for AUTH; PLAIN is preferred, LOGIN used if it is all that is offered.
    pub credentials: Option<(String, String)>,
    /// Use PIPELINING when the server offers it.
    pub pipelining: bool,
    /// Send AUTH PLAIN's response with the command (RFC 4954 §4's initial response), saving
    /// a round trip; without it the client waits for the server's empty 334 challenge.
    pub initial_response: bool,
    /// The connection is encrypted from its first byte (implicit TLS on port 465, RFC 8314
    /// §3.3): no STARTTLS.
    pub implicit_tls: bool,
    /// Log in with AUTH PLAIN even when the EHLO reply lists no mechanism, as a mail program
    /// told that its server "requires authentication" does; the server's refusal then says
    /// why (e.g. RFC 3207's 530 before STARTTLS). Off: such a client gives up instead.
    pub auth_unoffered: bool,
}

impl ClientConfig {
    pub fn new(helo_name: &str) -> Self {
        ClientConfig {
            helo_name: helo_name.to_string(),
            tls: ClientTls::Never,
            credentials: None,
            pipelining: true,
            initial_response: true,
            implicit_tls: false,
            auth_unoffered: false,
        }
    }
}

/// What the client did or learned, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    GreetingReceived(Reply),
    /// EHLO (or the HELO fallback) was accepted; `extensions` are the EHLO keywords.
    Introduced {
        extended: bool,
        extensions: Vec<String>,
    },
    /// 220 to STARTTLS: the caller runs the TLS handshake, then calls
    /// [`SmtpClient::tls_established`].
    TlsRequested,
    Authenticated,
    AuthenticationFailed(Reply),
    RecipientRefused {
        to: Mailbox,
        reply: Reply,
    },
    MessageAccepted(Reply),
    MessageRejected(Reply),
    /// The session could not go on (TLS required but not offered, no usable AUTH, ...).
    GaveUp(String),
    TimedOut,
    Closed,
}

/// A reply the client is waiting for, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    /// AUTH LOGIN sent the user name; the password follows the next 334.
    AuthLoginPassword,
    /// AUTH PLAIN sent without a response; it follows the server's empty 334.
    AuthPlainResponse,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    Rset,
    Quit,
}

#[derive(Debug, Clone)]
struct Job {
    from: ReversePath,
    to: Vec<Mailbox>,
    content: Vec<u8>,
    mail_accepted: bool,
    accepted_rcpts: usize,
}

/// What the server said it supports in its EHLO reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extensions {
    pipelining: bool,
    starttls: bool,
    eight_bit_mime: bool,
    size: Option<usize>,
    auth: Vec<String>,
}

impl Extensions {
    fn parse(lines: &[String]) -> Self {
        let mut ext = Extensions::default();
        for line in lines.iter().skip(1) {
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            match keyword.as_str() {
                "PIPELINING" => ext.pipelining = true,
                "STARTTLS" => ext.starttls = true,
                "8BITMIME" => ext.eight_bit_mime = true,
                "SIZE" => ext.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0)),
                "AUTH" => ext.auth = words.map(str::to_ascii_uppercase).collect(),
                _ => {}
            }
        }
        ext
    }
}

/// One client side of one SMTP connection.
#[derive(Debug, Clone)]
pub struct SmtpClient {
    config: ClientConfig,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ClientEvent>,
    pending: VecDeque<Pending>,
    awaiting_tls: bool,
    closed: bool,
    encrypted: bool,
    authenticated: bool,
    extensions: Extensions,
    jobs: VecDeque<Job>,
    current: Option<Job>,
    quit_when_idle: bool,
    deadline: Option<Instant>,
    /// How far into `input` the current (unfinished) reply has been scanned, so that a long
    /// multi-line reply arriving in small pieces is not re-read from its start each time.
    scanned: usize,
}

/// The most a multi-line reply may take; a server sending more is misbehaving.
pub const MAX_REPLY: usize = 64 * 1024;

impl SmtpClient {
    /// A client that waits for the server's greeting, from `now`.
    pub fn new(config: ClientConfig, now: Instant) -> Self {
        SmtpClient {
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
            pending: VecDeque::from([Pending::Greeting]),
            awaiting_tls: false,
            closed: false,
            authenticated: false,
            extensions: Extensions::default(),
            jobs: VecDeque::new(),
            current: None,
            quit_when_idle: false,
            deadline: Some(now + reply_timeout(Pending::Greeting)),
            scanned: 0,
            encrypted: config.implicit_tls,
            config,
        }
    }

    /// The state, named for the reply the client waits for.
    pub fn state(&self) -> ClientState {
        if self.closed {
            return ClientState::Closed;
        }
        if self.awaiting_tls {
            return ClientState::ExpectTlsHandshake;
        }
        match self.pending.front() {
            None => ClientState::Ready,
            Some(Pending::Greeting) => ClientState::ExpectGreeting,
            Some(Pending::Ehlo) => ClientState::ExpectEhloReply,
            Some(Pending::Helo) => ClientState::ExpectHeloReply,
            Some(Pending::StartTls) => ClientState::ExpectStartTlsReply,
            Some(Pending::Auth | Pending::AuthLoginPassword | Pending::AuthPlainResponse) => {
                ClientState::ExpectAuthReply
            }
            Some(Pending::Mail) => ClientState::ExpectMailReply,
            Some(Pending::Rcpt(_)) => ClientState::ExpectRcptReply,
            Some(Pending::Data) => ClientState::ExpectDataReply,
            Some(Pending::DataEnd) => ClientState::ExpectDataEndReply,
            Some(Pending::Rset) => ClientState::ExpectRsetReply,
            Some(Pending::Quit) => ClientState::ExpectQuitReply,
        }
    }

    /// What the next reply from the server will answer.
    pub fn expecting(&self) -> Option<ReplyTo> {
        Some(match self.pending.front()? {
            Pending::Greeting => ReplyTo::Greeting,
            Pending::Ehlo => ReplyTo::Command(Verb::Ehlo),
            Pending::Helo => ReplyTo::Command(Verb::Helo),
            Pending::StartTls => ReplyTo::Command(Verb::StartTls),
            Pending::Auth | Pending::AuthLoginPassword | Pending::AuthPlainResponse => {
                ReplyTo::Command(Verb::Auth)
            }
            Pending::Mail => ReplyTo::Command(Verb::Mail),
            Pending::Rcpt(_) => ReplyTo::Command(Verb::Rcpt),
            Pending::Data => ReplyTo::Command(Verb::Data),
            Pending::DataEnd => ReplyTo::DataEnd,
            Pending::Rset => ReplyTo::Command(Verb::Rset),
            Pending::Quit => ReplyTo::Command(Verb::Quit),
        })
    }

    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Queues a message for `to`, sent as soon as the session is ready. `message` is the
    /// RFC 5322 message with CRLF line ends; it is dot-stuffed on the way out.
    pub fn send(
        &mut self,
        from: ReversePath,
        to: Vec<Mailbox>,
        message: Vec<u8>,
    ) -> Result<(), UsageError> {
        if to.is_empty() {
            return Err(UsageError("a message needs at least one recipient".into()));
        }
        if self.closed || self.quit_when_idle {
            return Err(UsageError("the session is closing".into()));
        }
        self.jobs.push_back(Job {
            from,
            to,
            content: message,
            mail_accepted: false,
            accepted_rcpts: 0,
        });
        if self.is_idle() {
            self.start_next_job();
        }
        Ok(())
    }

    /// Asks the client to send QUIT once every queued message is done.
    pub fn quit(&mut self) {
        self.quit_when_idle = true;
        if self.is_idle() {
            self.start_next_job();
        }
    }

    /// Introduced, and nothing sent that still waits for a reply.
    fn is_idle(&self) -> bool {
        !self.closed && !self.awaiting_tls && self.pending.is_empty()
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

    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.closed {
            None
        } else {
            self.deadline
        }
    }

    /// RFC 5321 §4.5.3.2: a server silent past the timeout is given up on.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(deadline) = self.poll_timeout() {
            if now >= deadline && !self.pending.is_empty() {
                self.events.push_back(ClientEvent::TimedOut);
                self.close();
            }
        }
    }

    /// The caller finished the TLS handshake after the server's 220 to STARTTLS.
    /// RFC 3207 §4.2: the client "MUST discard any knowledge obtained from the server" and
    /// sends EHLO again.
    pub fn tls_established(&mut self, now: Instant) {
        if self.awaiting_tls {
            self.awaiting_tls = false;
            self.encrypted = true;
            self.extensions = Extensions::default();
            self.input.clear();
            let ehlo = Command::Ehlo(self.config.helo_name.clone());
            self.send_command(&ehlo, Pending::Ehlo);
            self.deadline = Some(now + reply_timeout(Pending::Ehlo));
        }
    }

    /// Feeds bytes from the server at `now`. A reply that cannot be parsed, or that arrives
    /// when none is expected, is the server's fault: the session closes and says why.
    pub fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        if self.closed {
            return Ok(());
        }
        self.input.extend_from_slice(bytes);
        loop {
            if !self.reply_complete() {
                if self.input.len() > MAX_REPLY {
                    self.input.clear();
                    return Err(self.fail("the server's reply is far too long"));
                }
                break;
            }
            self.scanned = 0;
            let (reply, used) = match decode::reply(&self.input) {
                Ok(found) => found,
                Err(DecodeError::Incomplete) => break,
                Err(DecodeError::Failed) => {
                    self.input.clear();
                    return Err(self.fail("the server sent a line that is not an SMTP reply"));
                }
            };
            self.input.drain(..used.min(self.input.len()));
            let Some(answered) = self.pending.pop_front() else {
                return Err(self.fail("the server sent a reply nobody asked for"));
            };
            self.on_reply(answered, reply);
            if self.awaiting_tls || self.closed {
                // Bytes after the 220 to STARTTLS belong to the handshake, not to SMTP.
                self.input.clear();
                break;
            }
        }
        self.deadline = self.pending.front().map(|p| now + reply_timeout(*p));
        Ok(())
    }

    /// True once `input` holds a line that ends a reply: any line but a `ddd-` continuation
    /// (a malformed one too, so that decoding reports it). Scans only what is new.
    fn reply_complete(&mut self) -> bool {
        while let Some(lf) = self
            .input
            .get(self.scanned..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        {
            let start = self.scanned;
            self.scanned += lf + 1;
            if self.input.get(start + 3) != Some(&b'-') {
                return true;
            }
        }
        false
    }

    fn fail(&mut self, why: &str) -> ProtocolError {
        self.close();
        ProtocolError(why.to_string())
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.pending.clear();
            self.events.push_back(ClientEvent::Closed);
        }
    }

    fn send_command(&mut self, cmd: &Command, pending: Pending) {
        self.output.push_back(cmd.to_bytes());
        self.pending.push_back(pending);
    }

    fn give_up(&mut self, why: &str) {
        self.events.push_back(ClientEvent::GaveUp(why.to_string()));
        self.jobs.clear();
        self.current = None;
        self.quit_when_idle = true;
        self.pending.clear();
        self.send_command(&Command::Quit, Pending::Quit);
    }

    fn on_reply(&mut self, answered: Pending, reply: Reply) {
        let code = reply.code();
        let ok = code.is_positive_completion();
        match answered {
            Pending::Greeting => {
                self.events.push_back(ClientEvent::GreetingReceived(reply));
                if code == ReplyCode::SERVICE_READY {
                    let ehlo = Command::Ehlo(self.config.helo_name.clone());
                    self.send_command(&ehlo, Pending::Ehlo);
                } else {
                    // RFC 5321 §3.1: a 554 greeting means "no service here"; say QUIT.
                    self.give_up("the server refused service in its greeting");
                }
            }
            Pending::Ehlo if !ok => {
                // RFC 5321 §4.1.4: a server that does not know EHLO gets HELO instead.
                let helo = Command::Helo(self.config.helo_name.clone());
                self.send_command(&helo, Pending::Helo);
            }
            Pending::Ehlo | Pending::Helo => {
                if !ok {
                    return self.give_up("the server refused HELO");
                }
                let extended = answered == Pending::Ehlo;
                self.extensions = Extensions::parse(if extended { reply.lines() } else { &[] });
                let extensions = reply.lines().iter().skip(usize::from(extended)).cloned();
                self.events.push_back(ClientEvent::Introduced {
                    extended,
                    extensions: if extended {
                        extensions.collect()
                    } else {
                        Vec::new()
                    },
                });
                self.after_introduction();
            }
            Pending::StartTls => {
                if code == ReplyCode::SERVICE_READY {
                    self.awaiting_tls = true;
                    self.events.push_back(ClientEvent::TlsRequested);
                } else if self.config.tls == ClientTls::Required {
                    self.give_up("the server refused STARTTLS and TLS is required");
                } else {
                    self.authenticate_or_start();
                }
            }
            Pending::Auth | Pending::AuthLoginPassword | Pending::AuthPlainResponse => {
                self.on_auth_reply(answered, reply)
            }
            Pending::Mail => {
                if let Some(job) = self.current.as_mut() {
                    job.mail_accepted = ok;
                }
                if !ok {
                    self.events.push_back(ClientEvent::MessageRejected(reply));
                }
                if !self.pipelining() {
                    if ok {
                        self.send_rcpt(0);
                    } else {
                        self.current = None;
                        self.start_next_job();
                    }
                }
            }
            Pending::Rcpt(index) => {
                let refused_to = match self.current.as_mut() {
                    Some(job) if ok => {
                        job.accepted_rcpts += 1;
                        None
                    }
                    Some(job) => job.to.get(index).cloned(),
                    None => None,
                };
                if let Some(to) = refused_to {
                    self.events
                        .push_back(ClientEvent::RecipientRefused { to, reply });
                }
                if !self.pipelining() {
                    self.send_rcpt(index + 1);
                }
            }
            Pending::Data => self.on_data_reply(reply),
            Pending::DataEnd => {
                self.events.push_back(if ok {
                    ClientEvent::MessageAccepted(reply)
                } else {
                    ClientEvent::MessageRejected(reply)
                });
                self.current = None;
                self.start_next_job();
            }
            Pending::Rset => self.start_next_job(),
            Pending::Quit => self.close(),
        }
    }

    fn pipelining(&self) -> bool {
        self.config.pipelining && self.extensions.pipelining
    }

    fn after_introduction(&mut self) {
        let wants_tls = self.config.tls != ClientTls::Never && !self.encrypted;
        if wants_tls && self.extensions.starttls {
            self.send_command(&Command::StartTls, Pending::StartTls);
        } else if self.config.tls == ClientTls::Required && !self.encrypted {
            self.give_up("TLS is required but the server does not offer STARTTLS");
        } else {
            self.authenticate_or_start();
        }
    }

    fn authenticate_or_start(&mut self) {
        let Some((user, _)) = self.config.credentials.clone() else {
            return self.start_next_job();
        };
        if self.authenticated {
            return self.start_next_job();
        }
        let b64 = |s: &str| crate::base64::encode(s, crate::base64::Alphabet::Standard);
        let unoffered = self.config.auth_unoffered && self.extensions.auth.is_empty();
        if unoffered || self.extensions.auth.iter().any(|m| m == "PLAIN") {
            // Sent as the initial response (RFC 4954 §4) to save a round trip, if allowed.
            let response = self.plain_response();
            if !self.config.initial_response {
                let auth = Command::Auth {
                    mechanism: "PLAIN".into(),
                    initial_response: None,
                };
                return self.send_command(&auth, Pending::AuthPlainResponse);
            }
            let auth = Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: Some(response),
            };
            self.send_command(&auth, Pending::Auth);
        } else if self.extensions.auth.iter().any(|m| m == "LOGIN") {
            let auth = Command::Auth {
                mechanism: "LOGIN".into(),
                initial_response: Some(b64(&user)),
            };
            self.send_command(&auth, Pending::AuthLoginPassword);
        } else {
            self.give_up("the server offers no AUTH mechanism this client knows");
        }
    }

    /// RFC 4616: authzid empty, authcid, password, NUL-separated, in base64.
    fn plain_response(&self) -> String {
        let (user, password) = self.config.credentials.clone().unwrap_or_default();
        crate::base64::encode(
            format!("\0{user}\0{password}"),
            crate::base64::Alphabet::Standard,
        )
    }

    fn on_auth_reply(&mut self, answered: Pending, reply: Reply) {
        let code = reply.code();
        if code == ReplyCode::AUTH_CONTINUE && answered == Pending::AuthPlainResponse {
            // RFC 4954 §4: the empty challenge; the response goes on a line of its own.
            let response = self.plain_response();
            self.output
                .push_back(format!("{response}\r\n").into_bytes());
            self.pending.push_back(Pending::Auth);
        } else if code == ReplyCode::AUTH_CONTINUE && answered == Pending::AuthLoginPassword {
            let password = self
                .config
                .credentials
                .as_ref()
                .map(|(_, p)| crate::base64::encode(p, crate::base64::Alphabet::Standard))
                .unwrap_or_default();
            self.output
                .push_back(format!("{password}\r\n").into_bytes());
            self.pending.push_back(Pending::Auth);
        } else if code == ReplyCode::AUTH_SUCCEEDED {
            self.authenticated = true;
            self.events.push_back(ClientEvent::Authenticated);
            self.start_next_job();
        } else if code == ReplyCode::AUTH_CONTINUE {
            // A challenge we did not expect: cancel the exchange (RFC 4954 §4).
            self.output.push_back(b"*\r\n".to_vec());
            self.pending.push_back(Pending::Auth);
        } else {
            self.events
                .push_back(ClientEvent::AuthenticationFailed(reply));
            self.give_up("authentication failed");
        }
    }

    fn on_data_reply(&mut self, reply: Reply) {
        let code = reply.code();
        let job_ok = self
            .current
            .as_ref()
            .is_some_and(|j| j.mail_accepted && j.accepted_rcpts > 0);
        if code.is_intermediate() {
            let content = match (&self.current, job_ok) {
                (Some(job), true) => dot_stuff(&job.content),
                // RFC 2920 §3.1: if DATA is accepted although no recipient was, the client
                // sends only the terminating period, so no message is delivered.
                _ => b".\r\n".to_vec(),
            };
            self.output.push_back(content);
            self.pending.push_back(Pending::DataEnd);
        } else {
            if job_ok {
                self.events.push_back(ClientEvent::MessageRejected(reply));
            } else if self.current.as_ref().is_some_and(|j| j.mail_accepted) {
                let reply =
                    Reply::single(ReplyCode::TRANSACTION_FAILED, "no recipient was accepted");
                self.events.push_back(ClientEvent::MessageRejected(reply));
            }
            self.current = None;
            // With pipelining a failed DATA leaves no transaction open only if MAIL failed;
            // RSET makes sure the next message starts clean either way.
            self.send_command(&Command::Rset, Pending::Rset);
        }
    }

    fn start_next_job(&mut self) {
        if !self.pending.is_empty() || self.closed {
            return;
        }
        let Some(job) = self.jobs.pop_front() else {
            if self.quit_when_idle {
                self.send_command(&Command::Quit, Pending::Quit);
            }
            return;
        };
        let mut params = Vec::new();
        if self.extensions.size.is_some() {
            params.push(Param::new("SIZE", Some(&job.content.len().to_string())));
        }
        if self.extensions.eight_bit_mime && job.content.iter().any(|b| *b >= 0x80) {
            params.push(Param::new("BODY", Some("8BITMIME")));
        }
        let mail = Command::Mail {
            from: job.from.clone(),
            params,
        };
        let rcpts = job.to.len();
        self.current = Some(job);
        self.send_command(&mail, Pending::Mail);
        if self.pipelining() {
            // RFC 2920 §3.1: MAIL, every RCPT and DATA go in one group; DATA ends it.
            for i in 0..rcpts {
                self.send_rcpt(i);
            }
            self.send_command(&Command::Data, Pending::Data);
        }
    }

    /// RCPT for recipient `index`; past the last one (without pipelining), DATA if any was
    /// accepted, else RSET.
    fn send_rcpt(&mut self, index: usize) {
        let Some(job) = self.current.as_ref() else {
            return;
        };
        if let Some(to) = job.to.get(index).cloned() {
            let rcpt = Command::Rcpt {
                to,
                params: Vec::new(),
            };
            self.send_command(&rcpt, Pending::Rcpt(index));
            return;
        }
        if self.pipelining() {
            return;
        }
        if job.accepted_rcpts > 0 {
            self.send_command(&Command::Data, Pending::Data);
        } else {
            // RFC 5321 §3.3: with no accepted recipient there is nothing to send: abort.
            let reply = Reply::single(ReplyCode::TRANSACTION_FAILED, "no recipient was accepted");
            self.events.push_back(ClientEvent::MessageRejected(reply));
            self.current = None;
            self.send_command(&Command::Rset, Pending::Rset);
        }
    }
}
