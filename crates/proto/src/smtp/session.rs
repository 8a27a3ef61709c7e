//! SMTP in the common session shape ([`crate::session`]), and its narrator: what each line
//! of an SMTP dialogue means, read from the dialogue alone.

use std::collections::VecDeque;

use super::types::{ReplyTo, Verb};
use super::{decode, explain, ServerEvent, SmtpClient, SmtpServer};
use crate::explain::{unreadable, Explanation, RfcRef};
use crate::i18n::Text;
use crate::session::{ClientSession, Event, Narrator, ServerEvents, ServerSession};
use crate::time::Instant;
use crate::{MailStore, ProtocolError};

impl ServerSession for SmtpServer {
    fn state_name(&self) -> Text {
        self.state().text()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        SmtpServer::handle_input(self, now, bytes, store);
    }
    fn handle_timeout(&mut self, now: Instant, store: &mut MailStore) {
        SmtpServer::handle_timeout(self, now, store);
    }
    fn connection_lost(&mut self, store: &mut MailStore) {
        SmtpServer::connection_lost(self, store);
    }
    fn tls_established(&mut self) {
        SmtpServer::tls_established(self);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        SmtpServer::poll_output(self)
    }
    fn pending_input(&self) -> usize {
        SmtpServer::pending_input(self)
    }
    fn poll_common_event(&mut self) -> Option<Event> {
        while let Some(event) = self.poll_event() {
            let common = match event {
                ServerEvent::TlsRequested => Event::TlsRequested,
                ServerEvent::AuthenticationFailed => Event::LoginFailed,
                ServerEvent::Authenticated { user } => Event::LoggedIn {
                    user,
                    detail: Text::default(),
                },
                ServerEvent::MessageAccepted {
                    local,
                    uids,
                    content,
                    ..
                } => {
                    // One event per stored copy: the rest wait in `stored`.
                    let size = content.len();
                    let mut copies =
                        local
                            .iter()
                            .zip(&uids)
                            .map(|(to, &uid)| Event::MessageStored {
                                mailbox: to.to_string(),
                                uid,
                                size,
                            });
                    let first = copies.next();
                    self.stored.extend(copies);
                    match first {
                        Some(e) => e,
                        None => continue,
                    }
                }
                _ => continue,
            };
            return Some(common);
        }
        self.stored.pop_front()
    }
    fn poll_timeout(&self) -> Option<Instant> {
        SmtpServer::poll_timeout(self)
    }
    fn is_closed(&self) -> bool {
        SmtpServer::is_closed(self)
    }
    fn is_encrypted(&self) -> bool {
        SmtpServer::is_encrypted(self)
    }
    fn user(&self) -> Option<&str> {
        SmtpServer::user(self)
    }
}

impl ServerEvents for SmtpServer {
    type Event = super::ServerEvent;
    fn poll_event(&mut self) -> Option<Self::Event> {
        SmtpServer::poll_event(self)
    }
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ServerEvent::TlsRequested
    }
}

impl ClientSession for SmtpClient {
    type Event = super::ClientEvent;
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ClientEvent::TlsRequested
    }
    fn state_name(&self) -> Text {
        self.state().text()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        SmtpClient::handle_input(self, now, bytes)
    }
    fn handle_timeout(&mut self, now: Instant) {
        SmtpClient::handle_timeout(self, now);
    }
    fn tls_established(&mut self, now: Instant) {
        SmtpClient::tls_established(self, now);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        SmtpClient::poll_output(self)
    }
    fn peek_output(&self) -> Option<&[u8]> {
        SmtpClient::peek_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        SmtpClient::poll_event(self)
    }
    fn poll_timeout(&self) -> Option<Instant> {
        SmtpClient::poll_timeout(self)
    }
    fn is_closed(&self) -> bool {
        self.state() == super::ClientState::Closed
    }
    fn is_encrypted(&self) -> bool {
        SmtpClient::is_encrypted(self)
    }
    fn awaiting_tls(&self) -> bool {
        self.state() == super::ClientState::ExpectTlsHandshake
    }
}

/// What the client's next line is, as far as the dialogue so far tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Command,
    /// After 354: message lines until a line holding only a period.
    Data,
    /// After 334: one base64 line answering the challenge.
    AuthResponse,
}

/// Follows an SMTP dialogue line by line and explains each line.
#[derive(Debug, Clone)]
pub struct SmtpNarrator {
    expect: Expect,
    /// What each reply still to come answers, oldest first (PIPELINING sends several
    /// commands before the first reply, RFC 2920); `None` for a line the server cannot read.
    answering: VecDeque<Option<ReplyTo>>,
}

impl Default for SmtpNarrator {
    fn default() -> Self {
        SmtpNarrator {
            expect: Expect::Command,
            answering: VecDeque::from([Some(ReplyTo::Greeting)]),
        }
    }
}

impl SmtpNarrator {
    pub fn new() -> Self {
        Self::default()
    }

    /// True while the client sends message lines (between 354 and the period).
    pub fn in_data(&self) -> bool {
        self.expect == Expect::Data
    }
}

impl Narrator for SmtpNarrator {
    fn client_line(&mut self, line: &[u8]) -> Explanation {
        let text = line.strip_suffix(b"\r\n").unwrap_or(line);
        match self.expect {
            Expect::Data if text == b"." => {
                self.expect = Expect::Command;
                self.answering.push_back(Some(ReplyTo::DataEnd));
                Explanation::from_message(
                    crate::msg!("smtp.narrate.data-end"),
                    RfcRef::new(5321, "4.1.1.4"),
                )
            }
            Expect::Data => Explanation::from_message(
                crate::msg!("smtp.narrate.data-line"),
                RfcRef::new(5321, "4.5.2"),
            ),
            Expect::AuthResponse => {
                self.expect = Expect::Command;
                self.answering.push_back(Some(ReplyTo::Command(Verb::Auth)));
                explain::auth_response()
            }
            Expect::Command => match decode::command(text) {
                Ok(c) => {
                    self.answering.push_back(Some(ReplyTo::Command(c.verb())));
                    explain::command(&c)
                }
                Err(_) => {
                    self.answering.push_back(None);
                    unreadable("SMTP", 5321, "4.2.4")
                }
            },
        }
    }

    fn server_unit(&mut self, unit: &[u8]) -> Explanation {
        let Ok((reply, _)) = decode::reply(unit) else {
            return unreadable("SMTP", 5321, "4.2");
        };
        let to = self.answering.pop_front().flatten();
        match (to, reply.code().value()) {
            (Some(ReplyTo::Command(Verb::Data)), 354) => self.expect = Expect::Data,
            (Some(ReplyTo::Command(Verb::Auth)), 334) => self.expect = Expect::AuthResponse,
            _ => {}
        }
        match to {
            Some(to) => explain::reply(&reply, to),
            // A reply to a line the server could not read: its code says it all.
            None => explain::reply(&reply, ReplyTo::Command(Verb::Noop)),
        }
    }
}
