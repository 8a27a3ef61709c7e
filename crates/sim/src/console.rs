//! Type your own commands: a real server of each protocol, on a mailbox with a few
//! messages, fed the lines a student types and answering exactly as it answers a mail
//! program — bad input included. Every line is explained with its RFC section.

use postroom_proto::imap::{self, ImapServer};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::smtp::{self, ReplyTo, SmtpServer, TlsPolicy};
use postroom_proto::{Duration, Explanation, Instant, MailStore, RfcRef};

use crate::conversation::unknown;
use crate::timeline::{Direction, Protocol};

/// A console never keeps more lines than this (a student may paste a lot).
pub const MAX_ENTRIES: usize = 2_000;
/// A typed line longer than this is cut: no protocol here allows longer command lines.
pub const MAX_TYPED: usize = 1_000;

/// One line typed, or one unit the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub direction: Direction,
    /// The octets as text, without the final CR LF.
    pub text: String,
    pub explanation: Explanation,
}

#[derive(Debug)]
enum Server {
    Smtp(Box<SmtpServer>),
    Pop3(Box<Pop3Server>),
    Imap(Box<ImapServer>),
}

/// One session with one server.
#[derive(Debug)]
pub struct Console {
    protocol: Protocol,
    server: Server,
    store: MailStore,
    now: Instant,
    pub entries: Vec<Entry>,
    /// What the next SMTP reply answers.
    smtp_pending: ReplyTo,
    /// The last POP3 command, which says whether its answer has several lines.
    pop3_last: Option<pop3::Command>,
    /// The server's last answer was a continuation (`+ `): it waits for a literal's octets
    /// or a SASL answer, not a command.
    continuation: bool,
}

/// Lines to try, per protocol, in an order that makes a session.
pub fn examples(protocol: Protocol) -> &'static [&'static str] {
    match protocol {
        Protocol::Pop3 => &[
            "CAPA",
            "USER bob",
            "PASS secret",
            "STAT",
            "LIST",
            "UIDL",
            "TOP 1 0",
            "RETR 1",
            "DELE 1",
            "RSET",
            "QUIT",
        ],
        Protocol::Imap => &[
            "a1 CAPABILITY",
            "a2 LOGIN bob secret",
            "a3 SELECT INBOX",
            "a4 FETCH 1:* (FLAGS ENVELOPE)",
            "a5 FETCH 1 BODY[]",
            "a6 STORE 2 +FLAGS (\\Deleted)",
            "a7 EXPUNGE",
            "a8 SEARCH UNSEEN",
            "a9 LOGOUT",
        ],
        _ => &[
            "EHLO laptop.example.org",
            "MAIL FROM:<alice@example.org>",
            "RCPT TO:<bob@example.net>",
            "DATA",
            "Subject: Hello from the console",
            "",
            "Typed by hand.",
            ".",
            "QUIT",
        ],
    }
}

impl Console {
    /// A fresh session with the server for `protocol` (SMTP for anything but POP3 and
    /// IMAP: Bob's mail exchanger on port 25); its greeting is the first entry.
    pub fn new(protocol: Protocol) -> Console {
        let mut store = MailStore::new();
        store.add_account("bob", "secret");
        store.set_clock(crate::world::EPOCH_UNIX);
        for (i, subject) in ["Lunch on Friday?", "Invoice #42", "Photos"]
            .iter()
            .enumerate()
        {
            let body = format!("Hi Bob,\nthis is message {}.\nAlice", i + 1);
            let m = Message::new(
                "alice@example.org",
                "bob@example.net",
                subject,
                "Fri, 6 Mar 2026 09:00:00 +0000",
                &body,
            );
            store.deliver("bob", "alice@example.org", m.to_bytes());
        }
        let now = Instant::ZERO;
        // Every server offers STARTTLS/STLS, as real ones do, so the class can try it.
        let (protocol, server) = match protocol {
            Protocol::Pop3 => {
                let mut config = pop3::ServerConfig::new("mx.example.net");
                config.tls = TlsPolicy::Offered;
                (
                    Protocol::Pop3,
                    Server::Pop3(Box::new(Pop3Server::new(config, now))),
                )
            }
            Protocol::Imap => {
                let mut config = imap::ServerConfig::new("mx.example.net");
                config.tls = TlsPolicy::Offered;
                // Students may try IMAP4rev2 (RFC 9051) where the page is built with it.
                config.imap4rev2 = true;
                (
                    Protocol::Imap,
                    Server::Imap(Box::new(ImapServer::new(config, now))),
                )
            }
            _ => {
                let mut config = smtp::ServerConfig::new("mx.example.net", "example.net");
                config.tls = TlsPolicy::Offered;
                (
                    Protocol::Smtp,
                    Server::Smtp(Box::new(SmtpServer::new(config, now))),
                )
            }
        };
        let mut console = Console {
            protocol,
            server,
            store,
            now,
            entries: Vec::new(),
            smtp_pending: ReplyTo::Greeting,
            pop3_last: None,
            continuation: false,
        };
        console.collect();
        console
    }

    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// True once the server has ended the session (QUIT, LOGOUT, too many errors).
    pub fn is_closed(&self) -> bool {
        match &self.server {
            Server::Smtp(s) => s.is_closed(),
            Server::Pop3(s) => s.is_closed(),
            Server::Imap(s) => s.is_closed(),
        }
    }

    /// The server's state in the RFC's words.
    pub fn state(&self) -> String {
        match &self.server {
            Server::Smtp(s) => s.state().to_string(),
            Server::Pop3(s) => s.state().to_string(),
            Server::Imap(s) => s.state().to_string(),
        }
    }

    /// Sends one typed line (CR LF is added; CR and LF typed inside are left out) and
    /// records the server's answer.
    pub fn send(&mut self, typed: &str) {
        if self.is_closed() {
            return;
        }
        let line: String = typed
            .chars()
            .filter(|c| !matches!(c, '\r' | '\n'))
            .take(MAX_TYPED)
            .collect();
        let bytes = format!("{line}\r\n").into_bytes();
        // A second on the virtual clock per line: enough for the servers' timers.
        self.now = self.now + Duration::from_secs(1);
        let explanation = self.explain_typed(&line, &bytes);
        self.push(Direction::ClientToServer, line, explanation);
        match &mut self.server {
            Server::Smtp(s) => s.handle_input(self.now, &bytes, &mut self.store),
            Server::Pop3(s) => s.handle_input(self.now, &bytes, &mut self.store),
            Server::Imap(s) => s.handle_input(self.now, &bytes, &mut self.store),
        }
        self.collect();
    }

    fn push(&mut self, direction: Direction, text: String, explanation: Explanation) {
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(Entry {
            direction,
            text,
            explanation,
        });
    }

    fn explain_typed(&mut self, line: &str, bytes: &[u8]) -> Explanation {
        if std::mem::take(&mut self.continuation) && self.protocol != Protocol::Smtp {
            return Explanation::new(
                "The rest of the command",
                "The server answered + and waits: this line is a literal's octets or an answer \
                 to an authentication challenge, not a new command.",
                if self.protocol == Protocol::Pop3 {
                    RfcRef::new(5034, "4")
                } else {
                    RfcRef::new(9051, "7.6")
                },
            );
        }
        let literal = line.ends_with('}') && line.rfind('{').is_some();
        if literal && self.protocol == Protocol::Imap {
            return Explanation::new(
                "A command with a literal",
                "The line ends with {n}: n octets follow on the next line. The server first \
                 answers + to say it is ready for them (or, with {n+}, the client sends them \
                 at once).",
                RfcRef::new(9051, "4.3"),
            );
        }
        match &self.server {
            Server::Smtp(s) => match s.state() {
                smtp::ServerState::ReceivingData if line == "." => {
                    self.smtp_pending = ReplyTo::DataEnd;
                    Explanation::new(
                        "The end of the message",
                        "A line holding only a period ends the data; the server now accepts the \
                         message, or refuses it, with one reply.",
                        RfcRef::new(5321, "4.1.1.4"),
                    )
                }
                smtp::ServerState::ReceivingData => Explanation::new(
                    "A line of the message",
                    "Between the 354 and a line holding only a period, every line is message \
                     content: header fields, a blank line, then the body. A line starting with a \
                     period must be sent with one more (dot-stuffing).",
                    RfcRef::new(5321, "4.5.2"),
                ),
                smtp::ServerState::ExpectAuthResponse => smtp::explain::auth_response(),
                _ => match smtp::decode::command(line.as_bytes()) {
                    Ok(c) => {
                        self.smtp_pending = ReplyTo::Command(c.verb());
                        smtp::explain::command(&c)
                    }
                    Err(_) => unknown("SMTP", 5321, "4.2.4"),
                },
            },
            Server::Pop3(_) => match pop3::decode::command(line.as_bytes()) {
                Ok(c) => {
                    let e = pop3::explain::command(&c);
                    self.pop3_last = Some(c);
                    e
                }
                Err(_) => {
                    self.pop3_last = None;
                    unknown("POP3", 1939, "3")
                }
            },
            Server::Imap(s) => match imap::decode::command(bytes) {
                Ok((_, c)) => imap::explain::command(&c),
                Err(_) if s.is_idling() && line.eq_ignore_ascii_case("DONE") => Explanation::new(
                    "Done idling",
                    "DONE ends IDLE; the server completes the IDLE command with its tag.",
                    RfcRef::new(2177, "3"),
                ),
                Err(_) => unknown("IMAP", 9051, "7.1.3"),
            },
        }
    }

    /// Records everything the server has to say, and completes a STARTTLS/STLS handshake
    /// (simulated) when one was asked for.
    fn collect(&mut self) {
        loop {
            let out = match &mut self.server {
                Server::Smtp(s) => s.poll_output(),
                Server::Pop3(s) => s.poll_output(),
                Server::Imap(s) => s.poll_output(),
            };
            let Some(bytes) = out else { break };
            let explanation = match &self.server {
                Server::Smtp(_) => match smtp::decode::reply(&bytes) {
                    Ok((reply, _)) => smtp::explain::reply(&reply, self.smtp_pending),
                    Err(_) => unknown("SMTP", 5321, "4.2"),
                },
                Server::Pop3(_) => {
                    let multiline = self
                        .pop3_last
                        .as_ref()
                        .is_some_and(pop3::Command::has_multiline_response);
                    match pop3::decode::response(&bytes, multiline) {
                        Ok((r, _)) => pop3::explain::response(&r, self.pop3_last.as_ref()),
                        Err(_) => unknown("POP3", 1939, "3"),
                    }
                }
                Server::Imap(_) => imap::explain::server_unit(&bytes),
            };
            self.continuation = bytes.starts_with(b"+ ") || bytes.as_slice() == b"+\r\n";
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_suffix("\r\n").unwrap_or(&text).to_string();
            self.push(Direction::ServerToClient, text, explanation);
        }
        let tls =
            match &mut self.server {
                Server::Smtp(s) => std::iter::from_fn(|| s.poll_event())
                    .any(|e| e == smtp::ServerEvent::TlsRequested),
                Server::Pop3(s) => std::iter::from_fn(|| s.poll_event())
                    .any(|e| e == pop3::ServerEvent::TlsRequested),
                Server::Imap(s) => std::iter::from_fn(|| s.poll_event())
                    .any(|e| e == imap::ServerEvent::TlsRequested),
            };
        if tls {
            match &mut self.server {
                Server::Smtp(s) => s.tls_established(),
                Server::Pop3(s) => s.tls_established(),
                Server::Imap(s) => s.tls_established(),
            }
            self.push(
                Direction::Local,
                "TLS handshake (simulated): from here on the connection is encrypted".into(),
                Explanation::new(
                    "TLS handshake",
                    "A real client would now negotiate TLS. The console skips the cryptography \
                     and carries on inside the encrypted connection. What was said before TLS \
                     no longer counts: ask for the capabilities again.",
                    match self.protocol {
                        Protocol::Pop3 => RfcRef::new(2595, "4"),
                        Protocol::Imap => RfcRef::new(9051, "6.2.1"),
                        _ => RfcRef::new(3207, "4.2"),
                    },
                ),
            );
            self.collect();
        }
    }
}
