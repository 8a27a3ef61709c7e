//! What is particular to each protocol's conversation: how its units are explained, which
//! line says goodbye, what a fetching device has so far — and the small adapters through
//! which the driver reaches each protocol's client and server sessions.

use postroom_proto::imap::{self, ImapClient, ImapServer};
use postroom_proto::pop3::{self, Pop3Client, Pop3Server};
use postroom_proto::smtp::{self, SmtpClient, SmtpServer};
use postroom_proto::{Explanation, Instant, MailStore, RfcRef};

use crate::device::DeviceProgress;
use crate::drive::{ClientEnd, Pair, ServerEnd};
use crate::timeline::Protocol;

/// One protocol's side of a [`Pair`]: its sessions, and how what crosses is explained.
pub(crate) trait Conversation: Default + std::fmt::Debug {
    type Client: ClientEnd;
    type Server: ServerEnd;
    const PROTOCOL: Protocol;
    /// What the server will take these client bytes as, judged before they change its state.
    fn command(&mut self, server: &Self::Server, bytes: &[u8]) -> Explanation;
    /// What the client will take these server bytes as.
    fn reply(&mut self, client: &Self::Client, bytes: &[u8]) -> Explanation;
    /// The client's goodbye (QUIT, LOGOUT).
    fn is_quit(bytes: &[u8]) -> bool;
    /// What a fetching device has so far, so the panels can show it step by step.
    fn device_progress(_pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::None
    }
    /// SMTP: the server took a message whose 250 the client has not heard yet.
    fn accepted_unheard(_pair: &Pair<Self>) -> bool {
        false
    }
}

pub(crate) fn unknown(protocol: &str, rfc: u16, section: &'static str) -> Explanation {
    Explanation::new(
        format!("A {protocol} line the other side will refuse"),
        "It does not parse as the protocol says; the answer will be an error.",
        RfcRef::new(rfc, section),
    )
}

// ---- SMTP ----

#[derive(Debug, Default)]
pub(crate) struct Smtp;

impl Conversation for Smtp {
    type Client = SmtpClient;
    type Server = SmtpServer;
    const PROTOCOL: Protocol = Protocol::Smtp;

    fn command(&mut self, server: &SmtpServer, bytes: &[u8]) -> Explanation {
        match server.state() {
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
        }
    }

    fn reply(&mut self, client: &SmtpClient, bytes: &[u8]) -> Explanation {
        match (smtp::decode::reply(bytes), client.expecting()) {
            (Ok((reply, _)), Some(to)) => smtp::explain::reply(&reply, to),
            _ => unknown("SMTP", 5321, "4.2"),
        }
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }

    fn accepted_unheard(pair: &Pair<Self>) -> bool {
        let stored = pair
            .server_events
            .iter()
            .any(|e| matches!(e, smtp::ServerEvent::MessageAccepted { .. }));
        let heard = pair
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        stored && !heard
    }
}

impl ClientEnd for SmtpClient {
    type Event = smtp::ClientEvent;
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) {
        // A reply our own client cannot parse would be an engine bug: the client closes.
        let _ = SmtpClient::handle_input(self, now, bytes);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        SmtpClient::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        SmtpClient::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == smtp::ClientEvent::TlsRequested
    }
    fn tls_established(&mut self, now: Instant) {
        SmtpClient::tls_established(self, now);
    }
    fn state(&self) -> String {
        SmtpClient::state(self).to_string()
    }
}

impl ServerEnd for SmtpServer {
    type Event = smtp::ServerEvent;
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        SmtpServer::handle_input(self, now, bytes, store);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        SmtpServer::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        SmtpServer::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == smtp::ServerEvent::TlsRequested
    }
    fn tls_established(&mut self) {
        SmtpServer::tls_established(self);
    }
    fn state(&self) -> String {
        SmtpServer::state(self).to_string()
    }
    fn is_encrypted(&self) -> bool {
        SmtpServer::is_encrypted(self)
    }
    /// A transaction not ended by the final period was never accepted: nothing to undo.
    fn connection_lost(&mut self, _store: &mut MailStore) {}
}

// ---- POP3 ----

#[derive(Debug, Default)]
pub(crate) struct Pop3 {
    /// The last command, which says whether its answer has several lines.
    last_command: Option<pop3::Command>,
}

impl Conversation for Pop3 {
    type Client = Pop3Client;
    type Server = Pop3Server;
    const PROTOCOL: Protocol = Protocol::Pop3;

    fn command(&mut self, _server: &Pop3Server, bytes: &[u8]) -> Explanation {
        let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        match pop3::decode::command(line) {
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
        }
    }

    fn reply(&mut self, _client: &Pop3Client, bytes: &[u8]) -> Explanation {
        let multiline = self
            .last_command
            .as_ref()
            .is_some_and(pop3::Command::has_multiline_response);
        match pop3::decode::response(bytes, multiline) {
            Ok((r, _)) => pop3::explain::response(&r, self.last_command.as_ref()),
            Err(_) => unknown("POP3", 1939, "3"),
        }
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }

    fn device_progress(pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::Pop3(&pair.client_events)
    }
}

impl ClientEnd for Pop3Client {
    type Event = pop3::ClientEvent;
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) {
        let _ = Pop3Client::handle_input(self, now, bytes);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        Pop3Client::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        Pop3Client::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == pop3::ClientEvent::TlsRequested
    }
    fn tls_established(&mut self, _now: Instant) {
        Pop3Client::tls_established(self);
    }
    fn state(&self) -> String {
        Pop3Client::state(self)
    }
}

impl ServerEnd for Pop3Server {
    type Event = pop3::ServerEvent;
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        Pop3Server::handle_input(self, now, bytes, store);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        Pop3Server::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        Pop3Server::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == pop3::ServerEvent::TlsRequested
    }
    fn tls_established(&mut self) {
        Pop3Server::tls_established(self);
    }
    fn state(&self) -> String {
        Pop3Server::state(self).to_string()
    }
    fn is_encrypted(&self) -> bool {
        Pop3Server::is_encrypted(self)
    }
    fn connection_lost(&mut self, store: &mut MailStore) {
        Pop3Server::connection_lost(self, store);
    }
}

// ---- IMAP ----

#[derive(Debug, Default)]
pub(crate) struct Imap;

impl Conversation for Imap {
    type Client = ImapClient;
    type Server = ImapServer;
    const PROTOCOL: Protocol = Protocol::Imap;

    fn command(&mut self, _server: &ImapServer, bytes: &[u8]) -> Explanation {
        match imap::decode::command(bytes) {
            Ok((_, cmd)) => imap::explain::command(&cmd),
            Err(_) if bytes.eq_ignore_ascii_case(b"DONE\r\n") => Explanation::new(
                "Done idling",
                "DONE ends IDLE; the server completes the IDLE command with its tag.",
                RfcRef::new(2177, "3"),
            ),
            Err(_) => unknown("IMAP", 9051, "7.1.3"),
        }
    }

    fn reply(&mut self, _client: &ImapClient, bytes: &[u8]) -> Explanation {
        imap::explain::server_unit(bytes)
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"LOGOUT"))
    }

    fn device_progress(pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::Imap(pair.client.cache())
    }
}

impl ClientEnd for ImapClient {
    type Event = imap::ClientEvent;
    fn handle_input(&mut self, _now: Instant, bytes: &[u8]) {
        let _ = ImapClient::handle_input(self, bytes);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        ImapClient::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        ImapClient::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == imap::ClientEvent::TlsRequested
    }
    fn tls_established(&mut self, _now: Instant) {
        ImapClient::tls_established(self);
    }
    fn state(&self) -> String {
        ImapClient::state(self)
    }
}

impl ServerEnd for ImapServer {
    type Event = imap::ServerEvent;
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        ImapServer::handle_input(self, now, bytes, store);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        ImapServer::poll_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        ImapServer::poll_event(self)
    }
    fn asks_for_tls(event: &Self::Event) -> bool {
        *event == imap::ServerEvent::TlsRequested
    }
    fn tls_established(&mut self) {
        ImapServer::tls_established(self);
    }
    fn state(&self) -> String {
        ImapServer::state(self).to_string()
    }
    fn is_encrypted(&self) -> bool {
        ImapServer::is_encrypted(self)
    }
    fn connection_lost(&mut self, _store: &mut MailStore) {
        ImapServer::connection_lost(self);
    }
}
