//! Type your own commands: a real server of each protocol, on a mailbox with a few
//! messages, fed the lines a student types and answering exactly as it answers a mail
//! program — bad input included. Every line is explained with its RFC section.

use postroom_proto::i18n::Text;
use postroom_proto::imap::{self, ImapServer};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::session::{Event, Narrator, ServerSession};
use postroom_proto::smtp::{self, SmtpServer};
use postroom_proto::wire::TlsPolicy;
use postroom_proto::{msg, text, Duration, Explanation, Instant, MailStore, RfcRef};

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
    /// The console's own note (not on the wire), in words a page shows in the class's
    /// language; `text` holds it in English.
    pub note: Option<Text>,
    pub explanation: Explanation,
}

/// Which server the console talks to: Bob's provider runs all four, on one mail store, so a
/// message sent on port 25 or 587 can be fetched with POP3 or IMAP right after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The mail exchanger on port 25: mail for example.net from anyone, no login.
    Exchanger,
    /// Submission on port 587 (RFC 6409): AUTH first, then mail to anyone.
    Submission,
    Pop3,
    Imap,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Exchanger,
        Service::Submission,
        Service::Pop3,
        Service::Imap,
    ];

    pub fn protocol(self) -> Protocol {
        match self {
            Service::Exchanger | Service::Submission => Protocol::Smtp,
            Service::Pop3 => Protocol::Pop3,
            Service::Imap => Protocol::Imap,
        }
    }

    pub fn port(self) -> u16 {
        match self {
            Service::Exchanger => 25,
            Service::Submission => 587,
            Service::Pop3 => 110,
            Service::Imap => 143,
        }
    }

    /// How the page names it: the protocol and its port.
    pub fn label(self) -> Text {
        match self {
            Service::Exchanger => text!("console.service", name = "SMTP", port = 25u16),
            Service::Submission => text!("console.submission", port = 587u16),
            Service::Pop3 => text!("console.service", name = "POP3", port = 110u16),
            Service::Imap => text!("console.service", name = "IMAP", port = 143u16),
        }
    }

    /// The service a protocol names (SMTP: the mail exchanger).
    pub fn of(protocol: Protocol) -> Service {
        match protocol {
            Protocol::Pop3 => Service::Pop3,
            Protocol::Imap => Service::Imap,
            _ => Service::Exchanger,
        }
    }
}

/// One session with one server.
#[derive(Debug)]
pub struct Console {
    service: Service,
    server: Box<dyn ServerSession>,
    /// Explains each line from the dialogue, as it explains a pasted log.
    narrator: Box<dyn Narrator>,
    store: MailStore,
    now: Instant,
    pub entries: Vec<Entry>,
}

/// Lines to try, per protocol, in an order that makes a session.
pub fn examples(protocol: Protocol) -> &'static [&'static str] {
    examples_for(Service::of(protocol))
}

/// Lines to try on a service, in an order that makes a session.
pub fn examples_for(service: Service) -> &'static [&'static str] {
    match service {
        Service::Pop3 => &[
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
        Service::Imap => &[
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
        Service::Submission => &[
            "EHLO laptop.example.net",
            // "\0bob\0secret" in base64 (RFC 4616): user and password, only encoded.
            "AUTH PLAIN AGJvYgBzZWNyZXQ=",
            "MAIL FROM:<bob@example.net>",
            "RCPT TO:<bob@example.net>",
            "DATA",
            "Subject: A note to myself",
            "",
            "Sent on 587, fetched with POP3 or IMAP.",
            ".",
            "QUIT",
        ],
        Service::Exchanger => &[
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
        Console::open(Service::of(protocol))
    }

    /// A fresh session with `service`, on Bob's mailbox with three messages.
    pub fn open(service: Service) -> Console {
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
        let (server, narrator) = session_for(service, now);
        let mut console = Console {
            service,
            server,
            narrator,
            store,
            now,
            entries: Vec::new(),
        };
        console.collect();
        console
    }

    /// Ends this session (as a dropped connection: POP3 deletes nothing without QUIT) and
    /// connects to `service` on the same mail store, so what was sent can be fetched.
    pub fn switch(&mut self, service: Service) {
        self.server.connection_lost(&mut self.store);
        self.now = self.now + Duration::from_secs(1);
        let (server, narrator) = session_for(service, self.now);
        self.service = service;
        self.server = server;
        self.narrator = narrator;
        self.entries.clear();
        self.collect();
    }

    pub fn service(&self) -> Service {
        self.service
    }

    pub fn protocol(&self) -> Protocol {
        self.service.protocol()
    }

    /// True once the server has ended the session (QUIT, LOGOUT, too many errors).
    pub fn is_closed(&self) -> bool {
        self.server.is_closed()
    }

    /// The server's state in the RFC's words.
    pub fn state(&self) -> Text {
        self.server.state_name()
    }

    /// Sends one typed line (CR LF is added; CR and LF typed inside are left out) and
    /// records the server's answer.
    pub fn send(&mut self, typed: &str) {
        if self.is_closed() {
            return;
        }
        let kept = typed.chars().filter(|c| !matches!(c, '\r' | '\n'));
        let length = kept.clone().count();
        let line: String = kept.take(MAX_TYPED).collect();
        if length > MAX_TYPED {
            self.note(
                text!("console.cut.line", kept = MAX_TYPED, length = length),
                Explanation::from_message(msg!("console.cut"), RfcRef::new(5321, "4.5.3.1.4")),
            );
        }
        let bytes = format!("{line}\r\n").into_bytes();
        // A second on the virtual clock per line: enough for the servers' timers.
        self.now = self.now + Duration::from_secs(1);
        let explanation = self.narrator.client_line(&bytes);
        self.push(Direction::ClientToServer, line, explanation);
        self.server.handle_input(self.now, &bytes, &mut self.store);
        self.collect();
    }

    fn push(&mut self, direction: Direction, text: String, explanation: Explanation) {
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(Entry {
            direction,
            text,
            note: None,
            explanation,
        });
    }

    /// The console's own note: in English in `text`, in the class's language in `note`.
    fn note(&mut self, note: Text, explanation: Explanation) {
        self.push(Direction::Local, note.to_string(), explanation);
        if let Some(entry) = self.entries.last_mut() {
            entry.note = Some(note);
        }
    }

    /// Records everything the server has to say, and completes a STARTTLS/STLS handshake
    /// (simulated) when one was asked for.
    fn collect(&mut self) {
        while let Some(bytes) = self.server.poll_output() {
            let explanation = self.narrator.server_unit(&bytes);
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_suffix("\r\n").unwrap_or(&text).to_string();
            self.push(Direction::ServerToClient, text, explanation);
        }
        // Every event is taken, so none is left for the next line.
        let mut tls = false;
        while let Some(event) = self.server.poll_common_event() {
            tls |= event == Event::TlsRequested;
        }
        if tls {
            self.server.tls_established();
            self.note(
                text!("console.tls.line"),
                Explanation::from_message(
                    msg!("console.tls"),
                    match self.service.protocol() {
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

/// The server and the narrator for a service. Every server offers STARTTLS/STLS, as real
/// ones do, so the class can try it.
fn session_for(service: Service, now: Instant) -> (Box<dyn ServerSession>, Box<dyn Narrator>) {
    match service {
        Service::Pop3 => {
            let mut config = pop3::ServerConfig::new("mx.example.net");
            config.tls = TlsPolicy::Offered;
            (
                Box::new(Pop3Server::new(config, now)),
                Box::new(pop3::Pop3Narrator::new()),
            )
        }
        Service::Imap => {
            let mut config = imap::ServerConfig::new("mx.example.net");
            config.tls = TlsPolicy::Offered;
            // Students may try IMAP4rev2 (RFC 9051) where the page is built with it.
            config.imap4rev2 = true;
            (
                Box::new(ImapServer::new(config, now)),
                Box::new(imap::ImapNarrator::new()),
            )
        }
        Service::Exchanger | Service::Submission => {
            let mut config = if service == Service::Submission {
                smtp::ServerConfig::submission("mx.example.net", "example.net")
            } else {
                smtp::ServerConfig::new("mx.example.net", "example.net")
            };
            config.tls = TlsPolicy::Offered;
            // The console reaches no other server: mail for elsewhere could not be relayed.
            config.accept_remote = false;
            (
                Box::new(SmtpServer::new(config, now)),
                Box::new(smtp::SmtpNarrator::new()),
            )
        }
    }
}
