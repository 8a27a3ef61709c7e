//! POP3 commands, responses and session states (RFC 1939, RFC 2449).

use std::fmt;

use crate::i18n::Text;
use crate::text;

/// RFC 2449 §4: "The maximum length of a command is increased from 47 characters (4
/// character command, single space, 40 character argument, CRLF) to 255 octets, including
/// the terminating CRLF."
pub const MAX_COMMAND_LINE: usize = 255;
/// RFC 2449 §4: "Servers MUST NOT send an initial response line longer than 512 octets,
/// including the terminating CRLF."
pub const MAX_RESPONSE_LINE: usize = 512;
/// RFC 1939 §7: a unique-id is "one to 70 characters in the range 0x21 to 0x7E".
pub const MAX_UNIQUE_ID: usize = 70;

/// One POP3 command (RFC 1939 §§4–7, RFC 2449 §5, RFC 2595 §4, RFC 5034).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    User(String),
    /// The whole rest of the line: RFC 1939 lets a password contain spaces.
    Pass(String),
    Apop {
        name: String,
        digest: String,
    },
    /// RFC 5034: `AUTH mechanism [initial-response]`; `AUTH` alone lists mechanisms.
    Auth {
        mechanism: Option<String>,
        initial_response: Option<String>,
    },
    Stat,
    List(Option<u32>),
    Retr(u32),
    Dele(u32),
    Noop,
    Rset,
    Quit,
    Top {
        msg: u32,
        lines: u32,
    },
    Uidl(Option<u32>),
    Capa,
    Stls,
}

impl Command {
    /// The command word in upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            Command::User(_) => "USER",
            Command::Pass(_) => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Auth { .. } => "AUTH",
            Command::Stat => "STAT",
            Command::List(_) => "LIST",
            Command::Retr(_) => "RETR",
            Command::Dele(_) => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Top { .. } => "TOP",
            Command::Uidl(_) => "UIDL",
            Command::Capa => "CAPA",
            Command::Stls => "STLS",
        }
    }

    /// True for the commands whose positive response is multi-line (RFC 1939 §3), given
    /// their arguments: LIST and UIDL are multi-line only without one.
    pub fn has_multiline_response(&self) -> bool {
        matches!(
            self,
            Command::List(None)
                | Command::Uidl(None)
                | Command::Retr(_)
                | Command::Top { .. }
                | Command::Capa
                | Command::Auth {
                    mechanism: None,
                    ..
                }
        )
    }
}

/// A status indicator and its text, with the body of a multi-line response (un-stuffed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub ok: bool,
    pub text: String,
    /// Lines of a multi-line response, without the byte-stuffing and the final ".".
    pub body: Option<Vec<u8>>,
}

impl Response {
    /// `+OK text`. Line breaks in `text` would forge lines, so they become spaces.
    pub fn ok(text: &str) -> Self {
        Response {
            ok: true,
            text: one_line(text),
            body: None,
        }
    }

    pub fn err(text: &str) -> Self {
        Response {
            ok: false,
            text: one_line(text),
            body: None,
        }
    }

    /// `+OK text` followed by `body` (CRLF lines) and the terminating ".".
    pub fn multiline(text: &str, body: Vec<u8>) -> Self {
        Response {
            ok: true,
            text: one_line(text),
            body: Some(body),
        }
    }

    /// RFC 2449 §8: a response code in brackets right after the status, e.g. `IN-USE`.
    pub fn code(&self) -> Option<&str> {
        let rest = self.text.strip_prefix('[')?;
        rest.split_once(']').map(|(code, _)| code)
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// The session states of RFC 1939 §3, by their RFC names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Authorization,
    Transaction,
    Update,
    Closed,
}

impl State {
    /// The state in the words shown to students.
    pub fn text(self) -> Text {
        match self {
            State::Authorization => Text::verbatim("AUTHORIZATION"),
            State::Transaction => Text::verbatim("TRANSACTION"),
            State::Update => Text::verbatim("UPDATE"),
            State::Closed => text!("state.closed"),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}
