//! One shape for every session: what a host (the simulated world, the console, the loopback
//! bridge) needs to drive any SMTP, POP3 or IMAP server or client without knowing which.
//!
//! Every input takes `now`; whatever can change mail (input, a timeout, a lost connection)
//! takes the store. Protocol-specific events stay on each session's own `poll_event`; the
//! traits offer [`Event`], the part of them every host acts on.

use crate::explain::Explanation;
use crate::i18n::Text;
use crate::time::Instant;
use crate::{MailStore, ProtocolError};

/// What any server session did, in words common to all three protocols: enough for a host
/// to start TLS, and for a transcript or a live view to say what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The reply to STARTTLS/STLS was queued: once it is sent, the host runs the TLS
    /// handshake and then calls `tls_established`.
    TlsRequested,
    /// A user proved who they are (AUTH, PASS/APOP, LOGIN/AUTHENTICATE); `detail` adds what
    /// the protocol tells at that moment (POP3: the mailbox is locked).
    LoggedIn { user: String, detail: Text },
    /// A login was refused: a host slows the next attempt down.
    LoginFailed,
    /// A message was stored for a local mailbox.
    MessageStored {
        mailbox: String,
        uid: u32,
        size: usize,
    },
    /// Messages left a mailbox: POP3's UPDATE or IMAP's EXPUNGE (`how` says which).
    MessagesRemoved {
        mailbox: String,
        uids: Vec<u32>,
        how: Text,
    },
    /// The session ended; the text says how.
    Closed(String),
}

impl Event {
    /// One line for a transcript, in the past tense.
    pub fn describe(&self) -> String {
        match self {
            Event::TlsRequested => "TLS requested".to_string(),
            Event::LoginFailed => "login refused".to_string(),
            Event::LoggedIn { user, detail } if detail.is_empty() => format!("{user} logged in"),
            Event::LoggedIn { user, detail } => format!("{user} logged in, {detail}"),
            Event::MessageStored { mailbox, uid, size } => stored(mailbox, *uid, *size),
            Event::MessagesRemoved { mailbox, uids, how } => removed(&how[..], mailbox, uids),
            Event::Closed(text) => text.clone(),
        }
    }
}

/// "stored message for bob@example.net as UID 1 (312 octets)", in the bridge's log (the live
/// page says the same from its catalogue, `live.stored`, in the class's language).
pub fn stored(mailbox: &str, uid: u32, size: usize) -> String {
    format!("stored message for {mailbox} as UID {uid} ({size} octets)")
}

/// "expunged UIDs 1, 2 from INBOX", with `how` the verb.
pub fn removed(how: &str, mailbox: &str, uids: &[u32]) -> String {
    let list: Vec<String> = uids.iter().map(u32::to_string).collect();
    let noun = if list.len() == 1 { "UID" } else { "UIDs" };
    format!("{how} {noun} {} from {mailbox}", list.join(", "))
}

/// A server session: bytes from the client in, bytes to send out, mail in a shared store.
pub trait ServerSession: std::fmt::Debug {
    /// The server's state in the RFC's words (e.g. "TRANSACTION", "selected").
    fn state_name(&self) -> Text;
    /// Bytes received from the client.
    fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore);
    /// The clock reached [`ServerSession::poll_timeout`]: an idle client is logged out.
    fn handle_timeout(&mut self, now: Instant, store: &mut MailStore);
    /// Another session changed the store: a session that reports changes (IMAP) queues
    /// them. The others have nothing to do.
    fn handle_store_change(&mut self, _store: &MailStore) {}
    /// The connection ended without a goodbye: release what the session holds.
    fn connection_lost(&mut self, store: &mut MailStore);
    /// The host finished the TLS handshake that [`Event::TlsRequested`] asked for.
    fn tls_established(&mut self);
    fn poll_output(&mut self) -> Option<Vec<u8>>;
    /// Octets received and not yet acted on: a server that waits for its answers to be sent
    /// before it reads more commands keeps them; the host calls `handle_input` again, with
    /// no new bytes, once it has sent the output.
    fn pending_input(&self) -> usize {
        0
    }
    /// The next event worth telling, in the words common to all protocols; the protocol's
    /// own `poll_event` has every event with its details (both take from the same queue).
    fn poll_common_event(&mut self) -> Option<Event>;
    fn poll_timeout(&self) -> Option<Instant>;
    fn is_closed(&self) -> bool;
    fn is_encrypted(&self) -> bool;
    /// The logged-in user, once there is one.
    fn user(&self) -> Option<&str>;
}

/// A server session whose own events a host reads in full, as the simulated world does to
/// tell the story (a message accepted with its content, a mailbox selected, ...). Kept apart
/// from [`ServerSession`] so that one stays usable as `dyn ServerSession`.
pub trait ServerEvents: ServerSession {
    /// The protocol's own events.
    type Event: std::fmt::Debug;
    /// The next event; the same queue [`ServerSession::poll_common_event`] takes from.
    fn poll_event(&mut self) -> Option<Self::Event>;
    /// True for the event that asks the host to start TLS.
    fn is_tls_request(event: &Self::Event) -> bool;
}

/// A client session: intents in (each protocol's own methods), bytes out, replies in.
pub trait ClientSession: std::fmt::Debug {
    /// The protocol's own events (a message accepted, a mailbox in sync, ...).
    type Event: std::fmt::Debug;
    /// True for the event that says the client waits for the TLS handshake.
    fn is_tls_request(event: &Self::Event) -> bool;
    /// The state for display, named for the reply the client waits for.
    fn state_name(&self) -> Text;
    /// Bytes received from the server. An error means the server broke the protocol; the
    /// client has closed.
    fn handle_input(&mut self, now: Instant, bytes: &[u8]) -> Result<(), ProtocolError>;
    fn handle_timeout(&mut self, now: Instant);
    /// The host finished the TLS handshake the client asked for.
    fn tls_established(&mut self, now: Instant);
    fn poll_output(&mut self) -> Option<Vec<u8>>;
    /// The unit `poll_output` would give next, left where it is: what the client is about
    /// to send.
    fn peek_output(&self) -> Option<&[u8]>;
    fn poll_event(&mut self) -> Option<Self::Event>;
    fn poll_timeout(&self) -> Option<Instant>;
    fn is_closed(&self) -> bool;
    fn is_encrypted(&self) -> bool;
    /// True while the client waits for the host to run the TLS handshake it asked for.
    fn awaiting_tls(&self) -> bool;
}

/// Explains a dialogue from its bytes alone, as a student reading a transcript would: it
/// follows which command each reply answers (pipelined ones included), when message data
/// or an answer to a challenge is expected, and when a literal follows. The console, the
/// bridge's transcript and pasted logs all read dialogues through one.
pub trait Narrator: std::fmt::Debug {
    /// One line (with its line end) the client sent.
    fn client_line(&mut self, line: &[u8]) -> Explanation;
    /// One unit the server sent: a reply, with its continuation lines or body.
    fn server_unit(&mut self, unit: &[u8]) -> Explanation;
}
