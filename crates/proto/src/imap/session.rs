//! IMAP in the common session shape ([`crate::session`]), and its narrator: what each line
//! of an IMAP dialogue means, read from the dialogue alone.

use super::{decode, explain, ImapClient, ImapServer, ServerEvent};
use crate::explain::{unreadable, Explanation, RfcRef};
use crate::i18n::Text;
use crate::session::{ClientSession, Event, Narrator, ServerEvents, ServerSession};
use crate::time::Instant;
use crate::{MailStore, ProtocolError};

impl ServerSession for ImapServer {
    fn state_name(&self) -> Text {
        self.state().text()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        ImapServer::handle_input(self, now, bytes, store);
    }
    fn handle_timeout(&mut self, now: Instant, store: &mut MailStore) {
        ImapServer::handle_timeout(self, now, store);
    }
    fn handle_store_change(&mut self, store: &MailStore) {
        ImapServer::handle_store_change(self, store);
    }
    fn connection_lost(&mut self, store: &mut MailStore) {
        ImapServer::connection_lost(self, store);
    }
    fn tls_established(&mut self) {
        ImapServer::tls_established(self);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        ImapServer::poll_output(self)
    }
    fn pending_input(&self) -> usize {
        ImapServer::pending_input(self)
    }
    fn poll_common_event(&mut self) -> Option<Event> {
        while let Some(event) = self.poll_event() {
            return Some(match event {
                ServerEvent::TlsRequested => Event::TlsRequested,
                ServerEvent::LoginFailed => Event::LoginFailed,
                ServerEvent::LoggedIn { user } => Event::LoggedIn {
                    user,
                    detail: Text::default(),
                },
                ServerEvent::MessagesExpunged { mailbox, uids } => Event::MessagesRemoved {
                    mailbox,
                    uids,
                    how: crate::text!("imap.event.expunged"),
                },
                _ => continue,
            });
        }
        None
    }
    fn poll_timeout(&self) -> Option<Instant> {
        ImapServer::poll_timeout(self)
    }
    fn is_closed(&self) -> bool {
        ImapServer::is_closed(self)
    }
    fn is_encrypted(&self) -> bool {
        ImapServer::is_encrypted(self)
    }
    fn user(&self) -> Option<&str> {
        ImapServer::user(self)
    }
}

impl ServerEvents for ImapServer {
    type Event = super::ServerEvent;
    fn poll_event(&mut self) -> Option<Self::Event> {
        ImapServer::poll_event(self)
    }
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ServerEvent::TlsRequested
    }
}

impl ClientSession for ImapClient {
    type Event = super::ClientEvent;
    fn is_tls_request(event: &Self::Event) -> bool {
        *event == super::ClientEvent::TlsRequested
    }
    fn state_name(&self) -> Text {
        self.state()
    }
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError> {
        ImapClient::handle_input(self, now, bytes)
    }
    fn handle_timeout(&mut self, _now: Instant) {
        // The IMAP client keeps no timers.
    }
    fn tls_established(&mut self, _now: Instant) {
        ImapClient::tls_established(self);
    }
    fn poll_output(&mut self) -> Option<Vec<u8>> {
        ImapClient::poll_output(self)
    }
    fn peek_output(&self) -> Option<&[u8]> {
        ImapClient::peek_output(self)
    }
    fn poll_event(&mut self) -> Option<Self::Event> {
        ImapClient::poll_event(self)
    }
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }
    fn is_closed(&self) -> bool {
        ImapClient::is_closed(self)
    }
    fn is_encrypted(&self) -> bool {
        ImapClient::is_encrypted(self)
    }
    fn awaiting_tls(&self) -> bool {
        self.awaiting_tls
    }
}

/// Follows an IMAP dialogue line by line and explains each line. IMAP's responses carry
/// their own meaning (tags, untagged names), so the narrator only has to know when a client
/// line is the rest of a command rather than a new one, and when the client idles.
#[derive(Debug, Clone, Default)]
pub struct ImapNarrator {
    /// After "+": the next client line is a literal's octets or a SASL answer (RFC 9051 §7.6).
    continuation: bool,
    /// After IDLE's "+": the client's next line should be DONE (RFC 2177 §3).
    idling: bool,
    /// The tag of a STARTTLS waiting for its answer: its OK starts the handshake.
    starttls: Option<String>,
}

impl ImapNarrator {
    pub fn new() -> Self {
        Self::default()
    }
}

/// The line with a tag put in front, if that makes it a command: the tag was forgotten.
fn tagged(text: &[u8]) -> Option<super::Command> {
    let mut line = b"a1 ".to_vec();
    line.extend_from_slice(text);
    line.extend_from_slice(b"\r\n");
    decode::command(&line).ok().map(|(_, c)| c)
}

impl Narrator for ImapNarrator {
    fn client_line(&mut self, line: &[u8]) -> Explanation {
        let text = line.strip_suffix(b"\r\n").unwrap_or(line);
        if self.idling && text.eq_ignore_ascii_case(b"DONE") {
            self.idling = false;
            self.continuation = false;
            return Explanation::from_message(
                crate::msg!("imap.narrate.done"),
                RfcRef::new(2177, "3"),
            );
        }
        if std::mem::take(&mut self.continuation) {
            return Explanation::from_message(
                crate::msg!("imap.narrate.rest"),
                RfcRef::new(9051, "7.6"),
            );
        }
        if text.ends_with(b"}") && text.contains(&b'{') {
            return Explanation::from_message(
                crate::msg!("imap.narrate.literal"),
                RfcRef::new(9051, "4.3"),
            );
        }
        match decode::command(line) {
            Ok((tag, c)) => {
                self.idling = matches!(c, super::Command::Idle);
                if matches!(c, super::Command::StartTls) {
                    self.starttls = Some(tag);
                }
                explain::command(&c)
            }
            Err(_) if tagged(text).is_some() => Explanation::from_message(
                crate::msg!("imap.narrate.untagged-command"),
                RfcRef::new(9051, "2.2.1"),
            ),
            Err(_) => unreadable("IMAP", 9051, "7.1.3"),
        }
    }

    fn server_unit(&mut self, unit: &[u8]) -> Explanation {
        // A continuation request is the unit's last line.
        let text = unit.strip_suffix(b"\r\n").unwrap_or(unit);
        let last = text.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        let last = last.strip_suffix(b"\r").unwrap_or(last);
        self.continuation = last.starts_with(b"+ ") || last == b"+";
        // A tagged completion ends the command, IDLE included; untagged news does not.
        if !self.continuation && !last.starts_with(b"* ") {
            self.idling = false;
        }
        let text = String::from_utf8_lossy(last);
        if let Some(tag) = self.starttls.take() {
            match text
                .strip_prefix(tag.as_str())
                .and_then(|r| r.strip_prefix(' '))
            {
                Some(rest) if explain::tagged_status(&format!("{tag} {rest}")) == Some("OK") => {
                    return explain::starttls_ok();
                }
                Some(_) => {}
                // Not its answer yet.
                None => self.starttls = Some(tag),
            }
        }
        explain::server_unit(unit)
    }
}
