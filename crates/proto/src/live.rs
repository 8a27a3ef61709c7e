//! The live stream's vocabulary: what the loopback bridge tells a watching page about real
//! sessions as they happen, one JSON object per line. The bridge writes these and the live
//! page reads them, so both ends share one definition.

use serde::{Deserialize, Serialize};

use crate::i18n::{Arg, Said, Text};

/// Where the stream is (a WebSocket); `?since=N` asks for the events after number N.
pub const STREAM_PATH: &str = "/live/stream";
/// What the live page asks before it opens the stream: only the bridge answers it, with
/// [`STATUS_BODY`], so a page served by any other host says how to start live mode instead
/// of knocking on a WebSocket that is not there.
pub const STATUS_PATH: &str = "/live/status";
pub const STATUS_BODY: &str = "postroom live\n";

/// One event in the stream, numbered in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Counts from 1 across all sessions; a page that reconnects asks for what followed the
    /// last one it has.
    pub seq: u64,
    /// Milliseconds since the bridge started.
    pub at_ms: u64,
    pub event: LiveEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Sent first to every watcher, before the history: how to set a mail program up.
    Hello(Settings),
    /// A client connected.
    Opened {
        session: u64,
        /// "SMTP", "POP3" or "IMAP".
        protocol: String,
        /// The port's service: "smtp", "submission", "submissions", "pop3", "imap".
        service: String,
        /// The client's address and port, as the bridge saw them.
        client: String,
        /// The bridge's port the client connected to.
        port: u16,
    },
    /// A client line, or a server unit (a reply with its continuation lines or body).
    Line(Line),
    /// TLS started: every line after this is encrypted on the wire.
    Tls {
        session: u64,
        how: Told,
    },
    LoggedIn {
        session: u64,
        user: String,
        detail: Told,
    },
    LoginFailed {
        session: u64,
    },
    /// A message was stored for a local mailbox.
    Stored {
        session: u64,
        mailbox: String,
        uid: u32,
        size: usize,
    },
    /// Messages left a mailbox (POP3's UPDATE, IMAP's EXPUNGE).
    Removed {
        session: u64,
        mailbox: String,
        uids: Vec<u32>,
        how: Told,
    },
    /// A mailbox as it is now, after the session changed it (a message stored, flags set,
    /// messages removed): whole, so the page shows what the store holds.
    Mailbox {
        session: u64,
        /// The account and the folder: "bob · INBOX".
        mailbox: String,
        messages: Vec<Message>,
        /// Messages left out after the first [`MAILBOX_SHOWN`].
        #[serde(default, skip_serializing_if = "is_zero")]
        more: usize,
    },
    Closed {
        session: u64,
        how: Told,
    },
    /// The bridge let old history go to stay within its bounds.
    Dropped {
        sessions: u64,
        note: Told,
    },
}

impl LiveEvent {
    /// The session the event belongs to, if it belongs to one.
    pub fn session(&self) -> Option<u64> {
        match self {
            LiveEvent::Hello(_) | LiveEvent::Dropped { .. } => None,
            LiveEvent::Line(line) => Some(line.session),
            LiveEvent::Opened { session, .. }
            | LiveEvent::Tls { session, .. }
            | LiveEvent::LoggedIn { session, .. }
            | LiveEvent::LoginFailed { session }
            | LiveEvent::Stored { session, .. }
            | LiveEvent::Removed { session, .. }
            | LiveEvent::Mailbox { session, .. }
            | LiveEvent::Closed { session, .. } => Some(*session),
        }
    }
}

/// The most messages a [`LiveEvent::Mailbox`] lists; the rest are counted.
pub const MAILBOX_SHOWN: usize = 100;

/// One message in a mailbox, as the mailbox panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub uid: u32,
    pub size: usize,
    pub subject: String,
    /// System flags and keywords: \Seen, \Deleted, $Forwarded…
    pub flags: Vec<String>,
}

/// Who sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Client,
    Server,
}

/// A line crossing, with the narrator's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub session: u64,
    pub from: Sender,
    /// The octets as the engine saw them (after TLS), as UTF-8; when they are not UTF-8,
    /// their base64 and `base64` is true.
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub base64: bool,
    /// Octets left out at the end of a long unit (a large message body).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cut: usize,
    /// Sent after TLS started: on the wire these octets are encrypted.
    pub encrypted: bool,
    /// A password or an AUTH payload was hidden.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
    pub title: String,
    pub why: String,
    pub rfc: u16,
    pub section: String,
    /// The server's state after the line, in the RFC's words.
    pub state: Told,
    /// The explanation as a message, so that a page shows it in the class's language;
    /// `title` and `why` are its English, for any other reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<Said>,
}

/// Words for students in an event: their English, and their message, so that the page shows
/// them in the class's language. Read from a plain string too (English only, as the stream
/// wrote them before it carried messages).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "ToldAsWritten")]
pub struct Told {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<Said>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ToldAsWritten {
    English(String),
    Whole {
        en: String,
        #[serde(default)]
        said: Option<Said>,
    },
}

impl From<ToldAsWritten> for Told {
    fn from(written: ToldAsWritten) -> Told {
        match written {
            ToldAsWritten::English(en) => Told { en, said: None },
            ToldAsWritten::Whole { en, said } => Told { en, said },
        }
    }
}

impl Told {
    /// As a value of another text: in the same language where its message reads, else its
    /// English.
    pub fn arg(&self) -> Arg {
        match self.said.as_ref().and_then(Said::message) {
            Some(m) => Arg::part(&m, ""),
            None => Arg::Text(self.en.clone()),
        }
    }
}

impl From<&Text> for Told {
    fn from(text: &Text) -> Told {
        Told {
            en: text.to_string(),
            said: Some(Said::from(text.message())),
        }
    }
}

/// English only: a reader that has no message for it.
impl From<&str> for Told {
    fn from(en: &str) -> Told {
        Told {
            en: en.to_string(),
            said: None,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How to set a mail program up against the bridge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The name in the bridge's certificate and greetings.
    pub hostname: String,
    pub domain: String,
    /// The address the mail ports listen on.
    pub bind: String,
    pub ports: Ports,
    /// The accounts: user name and password.
    pub users: Vec<(String, String)>,
    pub require_tls: bool,
    /// SHA-256 of the self-signed certificate, to compare with what a client shows.
    pub fingerprint: String,
    /// Passwords and AUTH payloads are shown in the stream, not hidden.
    pub show_secrets: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ports {
    pub smtp: u16,
    pub submission: u16,
    pub submissions: u16,
    pub pop3: u16,
    pub imap: u16,
}
