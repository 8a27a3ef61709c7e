//! POP3 in the common session shape ([`crate::session`]), and its narrator: what each line
//! of a POP3 dialogue means, read from the dialogue alone.

use std::collections::VecDeque;

use super::types::Command;
use super::{decode, explain, Pop3Client, Pop3Server, ServerEvent};
use crate::explain::{unreadable, Explanation, RfcRef};
use crate::i18n::Text;
use crate::session::{ClientSession, Event, Narrator, ServerEvents, ServerSession};
use crate::time::Instant;
use crate::{MailStore, ProtocolError};

impl ServerSession for Pop3Server {
    fn state_name(&self) -> Text {
        self.state().text()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        Pop3Server::handle_input(self, now, bytes, store);
    }
    fn handle_timeout(&mut self, now: Instant, store: &mut MailStore) {
        Pop3Server::handle_timeout(self, now, store);
    }
    fn connection_lost(&mut self, store: &mut MailStore) {
        Pop3Server::connection_lost(self, store);
    }
    fn tls_established(&mut self) {
        Pop3Server::tls_established(self);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        Pop3Server::poll_output(self)
    }
    fn pending_input(&self) -> usize {
        Pop3Server::pending_input(self)
    }
    fn poll_common_event(&mut self) -> Option<Event> {
        while let Some(event) = self.poll_event() {
            return Some(match event {
                ServerEvent::TlsRequested => Event::TlsRequested,
                ServerEvent::LoginFailed => Event::LoginFailed,
                ServerEvent::LoggedIn { user, messages } => Event::LoggedIn {
                    user,
                    detail: crate::text!("pop3.event.locked", count = messages),
                },
                ServerEvent::MessagesDeleted { uids } => Event::MessagesRemoved {
                    mailbox: self.user().unwrap_or_default().to_string(),
                    uids,
                    how: crate::text!("pop3.event.update-deleted"),
                },
                ServerEvent::SessionClosed { updated: true } => {
                    Event::Closed("session ended after UPDATE".to_string())
                }
                ServerEvent::SessionClosed { updated: false } => {
                    Event::Closed("session ended without UPDATE: nothing deleted".to_string())
                }
                _ => continue,
            });
        }
        None
    }
    fn poll_timeout(&self) -> Option<Instant> {
        Pop3Server::poll_timeout(self)
    }
    fn is_closed(&self) -> bool {
        Pop3Server::is_closed(self)
    }
    fn is_encrypted(&self) -> bool {
        Pop3Server::is_encrypted(self)
    }
    fn user(&self) -> Option<&str> {
        Pop3Server::user(self)
    }
}

impl ServerEvents for Pop3Server {
    type Event = super::ServerEvent;
    fn poll_event(&mut self) -> Option<Self::Event> {
        Pop3Server::poll_event(self)
    }
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ServerEvent::TlsRequested
    }
}

impl ClientSession for Pop3Client {
    type Event = super::ClientEvent;
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ClientEvent::TlsRequested
    }
    fn state_name(&self) -> Text {
        self.state()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        Pop3Client::handle_input(self, now, bytes)
    }
    fn handle_timeout(&mut self, _now: Instant) {
        // The POP3 client keeps no timers: the server's autologout ends a silent session.
    }
    fn tls_established(&mut self, _now: Instant) {
        Pop3Client::tls_established(self);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        Pop3Client::poll_output(self)
    }
    fn peek_output(&self) -> Option<&[u8]> {
        Pop3Client::peek_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        Pop3Client::poll_event(self)
    }
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }
    fn is_closed(&self) -> bool {
        Pop3Client::is_closed(self)
    }
    fn is_encrypted(&self) -> bool {
        Pop3Client::is_encrypted(self)
    }
    fn awaiting_tls(&self) -> bool {
        self.awaiting_tls
    }
}

/// Follows a POP3 dialogue line by line and explains each line.
#[derive(Debug, Clone, Default)]
pub struct Pop3Narrator {
    /// The command each response still to come answers, oldest first; the greeting first.
    /// `None` inside: a line the server cannot read (it answers -ERR).
    answering: VecDeque<Option<Command>>,
    greeted: bool,
    /// After "+ ": the next client line answers a SASL challenge (RFC 5034 §4).
    challenge: bool,
    /// A login was accepted: QUIT now means UPDATE.
    logged_in: bool,
}

impl Pop3Narrator {
    pub fn new() -> Self {
        Self::default()
    }

    /// True if the next server response is a multi-line one (a body ended by a period).
    pub fn expects_multiline(&self) -> bool {
        self.greeted
            && self
                .answering
                .front()
                .and_then(Option::as_ref)
                .is_some_and(Command::has_multiline_response)
    }
}

impl Narrator for Pop3Narrator {
    fn client_line(&mut self, line: &[u8]) -> Explanation {
        if std::mem::take(&mut self.challenge) {
            return Explanation::from_message(
                crate::msg!("pop3.narrate.rest"),
                RfcRef::new(5034, "4"),
            );
        }
        let text = line.strip_suffix(b"\r\n").unwrap_or(line);
        match decode::command(text) {
            Ok(c) => {
                let e = explain::command(&c);
                self.answering.push_back(Some(c));
                e
            }
            Err(_) => {
                self.answering.push_back(None);
                unreadable("POP3", 1939, "3")
            }
        }
    }

    fn server_unit(&mut self, unit: &[u8]) -> Explanation {
        if unit.starts_with(b"+ ") || unit == b"+\r\n" {
            self.challenge = true;
            return Explanation::from_message(
                crate::msg!("pop3.narrate.challenge"),
                RfcRef::new(5034, "4"),
            );
        }
        let multiline = self.expects_multiline();
        let to = if std::mem::replace(&mut self.greeted, true) {
            self.answering.pop_front().flatten()
        } else {
            None
        };
        match decode::response(unit, multiline) {
            Ok((r, _)) => {
                let explanation = explain::response_in(&r, to.as_ref(), self.logged_in);
                let login = matches!(
                    to,
                    Some(Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. })
                );
                self.logged_in |= login && r.ok;
                explanation
            }
            Err(_) => unreadable("POP3", 1939, "3"),
        }
    }
}
