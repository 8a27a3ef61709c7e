//! One connection between a client and a server session of the same protocol, driven over a
//! link with latency on the world's clock. Each kind knows how to explain what crosses it.

use postroom_proto::imap::{self, ImapClient, ImapServer};
use postroom_proto::pop3::{self, Pop3Client, Pop3Server};
use postroom_proto::smtp::{self, SmtpClient, SmtpServer};
use postroom_proto::{Explanation, Instant, MailStore, RfcRef};

use crate::timeline::Protocol;

/// A client and a server session talking to each other.
pub trait Conversation {
    fn protocol(&self) -> Protocol;
    fn client_output(&mut self) -> Option<Vec<u8>>;
    fn server_output(&mut self) -> Option<Vec<u8>>;
    /// Delivers client bytes to the server; the explanation is what the server will take
    /// them as, judged before they change its state.
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation;
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation;
    /// True once if a TLS handshake should happen now (both sides asked for it).
    fn tls_due(&mut self) -> bool;
    /// Completes the simulated handshake on both sides.
    fn tls_established(&mut self, now: Instant);
    fn states(&self) -> (String, String);
    fn encrypted(&self) -> bool;
    /// The connection ends without a goodbye (a fault): the server cleans up.
    fn cut(&mut self, store: &mut MailStore);
    fn is_quit(&self, bytes: &[u8]) -> bool;
    /// What a fetching device has so far, so the panels can show it step by step.
    fn device_progress(&self) -> DeviceProgress<'_> {
        DeviceProgress::None
    }
    /// SMTP: the server took a message whose 250 the client has not heard yet.
    fn accepted_unheard(&self) -> bool {
        false
    }
}

/// A device's local mail while its session runs.
#[derive(Debug)]
pub enum DeviceProgress<'a> {
    None,
    /// POP3: the messages downloaded in this session, by unique-id.
    Pop3(Vec<(String, &'a [u8])>),
    Imap(&'a postroom_proto::imap::DeviceCache),
}

pub(crate) fn unknown(protocol: &str, rfc: u16, section: &'static str) -> Explanation {
    Explanation::new(
        format!("A {protocol} line the other side will refuse"),
        "It does not parse as the protocol says; the answer will be an error.",
        RfcRef::new(rfc, section),
    )
}

// ---- SMTP ----

#[derive(Debug)]
pub struct Smtp {
    pub client: SmtpClient,
    pub server: SmtpServer,
    pub client_events: Vec<smtp::ClientEvent>,
    pub server_events: Vec<smtp::ServerEvent>,
    tls_client: bool,
    tls_server: bool,
}

impl Smtp {
    pub fn new(client: SmtpClient, server: SmtpServer) -> Self {
        Smtp {
            client,
            server,
            client_events: Vec::new(),
            server_events: Vec::new(),
            tls_client: false,
            tls_server: false,
        }
    }

    fn drain(&mut self) {
        for e in std::iter::from_fn(|| self.client.poll_event()) {
            self.tls_client |= e == smtp::ClientEvent::TlsRequested;
            self.client_events.push(e);
        }
        for e in std::iter::from_fn(|| self.server.poll_event()) {
            self.tls_server |= e == smtp::ServerEvent::TlsRequested;
            self.server_events.push(e);
        }
    }
}

impl Conversation for Smtp {
    fn accepted_unheard(&self) -> bool {
        let stored = self
            .server_events
            .iter()
            .any(|e| matches!(e, smtp::ServerEvent::MessageAccepted { .. }));
        let heard = self
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        stored && !heard
    }
    fn protocol(&self) -> Protocol {
        Protocol::Smtp
    }
    fn client_output(&mut self) -> Option<Vec<u8>> {
        self.client.poll_output()
    }
    fn server_output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation {
        let explanation = match self.server.state() {
            smtp::ServerState::ReceivingData => {
                let stuffed = bytes
                    .split(|&b| b == b'\n')
                    .filter(|l| l.starts_with(b".."))
                    .count();
                smtp::explain::data_content(bytes.len().saturating_sub(stuffed + 3), stuffed)
            }
            smtp::ServerState::ExpectAuthResponse => smtp::explain::auth_response(),
            _ => {
                let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
                smtp::decode::command(line)
                    .map(|c| smtp::explain::command(&c))
                    .unwrap_or_else(|_| unknown("SMTP", 5321, "4.2.2"))
            }
        };
        self.server.handle_input(now, bytes, store);
        self.drain();
        explanation
    }
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation {
        let explanation = match (smtp::decode::reply(bytes), self.client.expecting()) {
            (Ok((reply, _)), Some(to)) => smtp::explain::reply(&reply, to),
            _ => unknown("SMTP", 5321, "4.2"),
        };
        // A reply our own client cannot parse would be an engine bug: the client closes.
        let _ = self.client.handle_input(now, bytes);
        self.drain();
        explanation
    }
    fn tls_due(&mut self) -> bool {
        let due = self.tls_client && self.tls_server;
        if due {
            self.tls_client = false;
            self.tls_server = false;
        }
        due
    }
    fn tls_established(&mut self, now: Instant) {
        self.server.tls_established();
        self.client.tls_established(now);
        self.drain();
    }
    fn states(&self) -> (String, String) {
        (
            self.client.state().to_string(),
            self.server.state().to_string(),
        )
    }
    fn encrypted(&self) -> bool {
        self.server.is_encrypted()
    }
    fn cut(&mut self, _store: &mut MailStore) {}
    fn is_quit(&self, bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }
}

/// (client ready, server ready) for a STLS / STARTTLS handshake: true once both are, and
/// then cleared for the next time.
fn both_ready(tls: &mut (bool, bool)) -> bool {
    let due = *tls == (true, true);
    if due {
        *tls = (false, false);
    }
    due
}

// ---- POP3 ----

#[derive(Debug)]
pub struct Pop3 {
    pub client: Pop3Client,
    pub server: Pop3Server,
    pub client_events: Vec<pop3::ClientEvent>,
    last_command: Option<pop3::Command>,
    /// STLS (RFC 2595 §4): both sides are ready for the handshake.
    tls: (bool, bool),
}

impl Pop3 {
    pub fn new(client: Pop3Client, server: Pop3Server) -> Self {
        Pop3 {
            client,
            server,
            client_events: Vec::new(),
            last_command: None,
            tls: (false, false),
        }
    }
}

impl Conversation for Pop3 {
    fn protocol(&self) -> Protocol {
        Protocol::Pop3
    }
    fn client_output(&mut self) -> Option<Vec<u8>> {
        self.client.poll_output()
    }
    fn server_output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation {
        let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        let explanation = match pop3::decode::command(line) {
            Ok(cmd) => {
                let e = pop3::explain::command(&cmd);
                self.last_command = Some(cmd);
                e
            }
            Err(_) => Explanation::new(
                "The client answers the AUTH challenge",
                "A base64 line carrying the user name and password (RFC 5034).",
                RfcRef::new(5034, "4"),
            ),
        };
        self.server.handle_input(now, bytes, store);
        self.tls.1 |= std::iter::from_fn(|| self.server.poll_event())
            .any(|e| e == pop3::ServerEvent::TlsRequested);
        explanation
    }
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation {
        let multiline = self
            .last_command
            .as_ref()
            .is_some_and(pop3::Command::has_multiline_response);
        let explanation = match pop3::decode::response(bytes, multiline) {
            Ok((r, _)) => pop3::explain::response(&r, self.last_command.as_ref()),
            Err(_) => unknown("POP3", 1939, "3"),
        };
        let _ = self.client.handle_input(now, bytes);
        let start = self.client_events.len();
        self.client_events
            .extend(std::iter::from_fn(|| self.client.poll_event()));
        self.tls.0 |= self
            .client_events
            .get(start..)
            .unwrap_or_default()
            .contains(&pop3::ClientEvent::TlsRequested);
        explanation
    }
    fn tls_due(&mut self) -> bool {
        both_ready(&mut self.tls)
    }
    fn tls_established(&mut self, _now: Instant) {
        self.server.tls_established();
        self.client.tls_established();
    }
    fn states(&self) -> (String, String) {
        (
            self.client.state().to_string(),
            self.server.state().to_string(),
        )
    }
    fn encrypted(&self) -> bool {
        self.server.is_encrypted()
    }
    fn cut(&mut self, store: &mut MailStore) {
        self.server.connection_lost(store);
    }
    fn is_quit(&self, bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }
    fn device_progress(&self) -> DeviceProgress<'_> {
        DeviceProgress::Pop3(
            self.client_events
                .iter()
                .filter_map(|e| match e {
                    pop3::ClientEvent::MessageDownloaded {
                        number,
                        unique_id,
                        bytes,
                    } => Some((
                        unique_id.clone().unwrap_or_else(|| format!("#{number}")),
                        bytes.as_slice(),
                    )),
                    _ => None,
                })
                .collect(),
        )
    }
}

// ---- IMAP ----

#[derive(Debug)]
pub struct Imap {
    pub client: ImapClient,
    pub server: ImapServer,
    pub client_events: Vec<imap::ClientEvent>,
    /// STARTTLS (RFC 9051 §6.2.1): both sides are ready for the handshake.
    tls: (bool, bool),
}

impl Imap {
    pub fn new(client: ImapClient, server: ImapServer) -> Self {
        Imap {
            client,
            server,
            client_events: Vec::new(),
            tls: (false, false),
        }
    }
}

impl Conversation for Imap {
    fn protocol(&self) -> Protocol {
        Protocol::Imap
    }
    fn client_output(&mut self) -> Option<Vec<u8>> {
        self.client.poll_output()
    }
    fn server_output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation {
        let explanation = match imap::decode::command(bytes) {
            Ok((_, cmd)) => imap::explain::command(&cmd),
            Err(_) if bytes.eq_ignore_ascii_case(b"DONE\r\n") => Explanation::new(
                "Done idling",
                "DONE ends IDLE; the server completes the IDLE command with its tag.",
                RfcRef::new(2177, "3"),
            ),
            Err(_) => unknown("IMAP", 9051, "7.1.3"),
        };
        self.server.handle_input(now, bytes, store);
        self.tls.1 |= std::iter::from_fn(|| self.server.poll_event())
            .any(|e| e == imap::ServerEvent::TlsRequested);
        explanation
    }
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation {
        let explanation = imap::explain::server_unit(bytes);
        let _ = self.client.handle_input(now, bytes);
        let start = self.client_events.len();
        self.client_events
            .extend(std::iter::from_fn(|| self.client.poll_event()));
        self.tls.0 |= self
            .client_events
            .get(start..)
            .unwrap_or_default()
            .contains(&imap::ClientEvent::TlsRequested);
        explanation
    }
    fn tls_due(&mut self) -> bool {
        both_ready(&mut self.tls)
    }
    fn tls_established(&mut self, _now: Instant) {
        self.server.tls_established();
        self.client.tls_established();
    }
    fn states(&self) -> (String, String) {
        (
            self.client.state().to_string(),
            self.server.state().to_string(),
        )
    }
    fn encrypted(&self) -> bool {
        self.server.is_encrypted()
    }
    fn cut(&mut self, _store: &mut MailStore) {
        self.server.connection_lost();
    }
    fn is_quit(&self, bytes: &[u8]) -> bool {
        bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"LOGOUT"))
    }
    fn device_progress(&self) -> DeviceProgress<'_> {
        DeviceProgress::Imap(self.client.cache())
    }
}
