//! SMTP commands, replies and session states (RFC 5321), valid by construction.

use std::fmt;

use crate::i18n::Text;
use crate::text;

/// RFC 5321 §4.5.3.1.1: "The maximum total length of a user name or other local-part is 64
/// octets."
pub const MAX_LOCAL_PART: usize = 64;
/// RFC 5321 §4.5.3.1.2: "The maximum total length of a domain name or number is 255 octets."
pub const MAX_DOMAIN: usize = 255;
/// RFC 5321 §4.5.3.1.4: "The maximum total length of a command line including the command
/// word and the <CRLF> is 512 octets."
pub const MAX_COMMAND_LINE: usize = 512;
/// RFC 5321 §4.5.3.1.5: "The maximum total length of a reply line including the reply code
/// and the <CRLF> is 512 octets."
pub const MAX_REPLY_LINE: usize = 512;
/// RFC 5321 §4.5.3.1.6: "The maximum total length of a text line including the <CRLF> is
/// 1000 octets (not counting the leading dot duplicated for transparency)."
pub const MAX_TEXT_LINE: usize = 1000;
/// RFC 5321 §4.5.3.1.8: "The minimum total number of recipients that MUST be buffered is
/// 100 recipients."
pub const MAX_RECIPIENTS: usize = 100;

/// A mailbox address `local-part@domain` (RFC 5321 §4.1.2 `Mailbox`), within the length
/// limits of §4.5.3.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox {
    local_part: String,
    domain: String,
}

impl Mailbox {
    pub fn local_part(&self) -> &str {
        &self.local_part
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// `<Postmaster>` with no domain: the postmaster of whichever server reads it
    /// (RFC 5321 §4.1.1.3).
    pub fn postmaster() -> Self {
        Mailbox {
            local_part: "Postmaster".to_string(),
            domain: String::new(),
        }
    }

    /// True for the postmaster, with or without a domain; the local part is compared
    /// without case (RFC 5321 §4.5.1).
    pub fn is_postmaster(&self) -> bool {
        self.local_part.eq_ignore_ascii_case("postmaster")
    }

    /// Builds a mailbox from parts the parser already validated.
    pub(crate) fn from_parts(local_part: String, domain: String) -> Self {
        Mailbox { local_part, domain }
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.domain.is_empty() {
            // Only `<Postmaster>` has no domain.
            return f.write_str(&self.local_part);
        }
        write!(f, "{}@{}", self.local_part, self.domain)
    }
}

/// RFC 5321 §4.1.2 `Reverse-path = Path / "<>"`: the null path is used for bounces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReversePath {
    Null,
    Mailbox(Mailbox),
}

impl fmt::Display for ReversePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => f.write_str("<>"),
            ReversePath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

/// RFC 5321 §4.1.2 `esmtp-param = esmtp-keyword ["=" esmtp-value]`, e.g. `SIZE=1024`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub(crate) keyword: String,
    pub(crate) value: Option<String>,
}

impl Param {
    /// A parameter such as `SIZE=1024`; the keyword is upper-cased.
    pub fn new(keyword: &str, value: Option<&str>) -> Self {
        Param {
            keyword: keyword.to_ascii_uppercase(),
            value: value.map(str::to_string),
        }
    }

    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}={}", self.keyword, v),
            None => f.write_str(&self.keyword),
        }
    }
}

/// One SMTP command (RFC 5321 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo(String),
    Helo(String),
    Mail {
        from: ReversePath,
        params: Vec<Param>,
    },
    Rcpt {
        to: Mailbox,
        params: Vec<Param>,
    },
    Data,
    Rset,
    Noop(Option<String>),
    Quit,
    Vrfy(String),
    Help(Option<String>),
    /// RFC 3207: switch the connection to TLS.
    StartTls,
    /// RFC 4954: `AUTH mechanism [initial-response]`; the response is base64 or `=` (empty).
    Auth {
        mechanism: String,
        initial_response: Option<String>,
    },
}

impl Command {
    /// The command word, in upper case as RFC 5321 writes it.
    pub fn verb(&self) -> Verb {
        match self {
            Command::Ehlo(_) => Verb::Ehlo,
            Command::Helo(_) => Verb::Helo,
            Command::Mail { .. } => Verb::Mail,
            Command::Rcpt { .. } => Verb::Rcpt,
            Command::Data => Verb::Data,
            Command::Rset => Verb::Rset,
            Command::Noop(_) => Verb::Noop,
            Command::Quit => Verb::Quit,
            Command::Vrfy(_) => Verb::Vrfy,
            Command::Help(_) => Verb::Help,
            Command::StartTls => Verb::StartTls,
            Command::Auth { .. } => Verb::Auth,
        }
    }
}

/// The command words we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Help,
    StartTls,
    Auth,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Ehlo => "EHLO",
            Verb::Helo => "HELO",
            Verb::Mail => "MAIL",
            Verb::Rcpt => "RCPT",
            Verb::Data => "DATA",
            Verb::Rset => "RSET",
            Verb::Noop => "NOOP",
            Verb::Quit => "QUIT",
            Verb::Vrfy => "VRFY",
            Verb::Help => "HELP",
            Verb::StartTls => "STARTTLS",
            Verb::Auth => "AUTH",
        }
    }
}

/// A three-digit reply code, 200–599 (RFC 5321 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

impl ReplyCode {
    pub const SERVICE_READY: ReplyCode = ReplyCode(220);
    pub const SERVICE_CLOSING: ReplyCode = ReplyCode(421);
    pub const AUTH_SUCCEEDED: ReplyCode = ReplyCode(235);
    pub const AUTH_CONTINUE: ReplyCode = ReplyCode(334);
    pub const AUTH_REQUIRED: ReplyCode = ReplyCode(530);
    pub const AUTH_INVALID: ReplyCode = ReplyCode(535);
    pub const EXCEEDED_STORAGE: ReplyCode = ReplyCode(552);
    pub const PARAM_NOT_RECOGNIZED: ReplyCode = ReplyCode(504);
    pub const CLOSING: ReplyCode = ReplyCode(221);
    pub const OK: ReplyCode = ReplyCode(250);
    pub const CANNOT_VRFY: ReplyCode = ReplyCode(252);
    pub const HELP: ReplyCode = ReplyCode(214);
    pub const START_MAIL_INPUT: ReplyCode = ReplyCode(354);
    pub const INSUFFICIENT_STORAGE: ReplyCode = ReplyCode(452);
    pub const SYNTAX_ERROR: ReplyCode = ReplyCode(500);
    pub const PARAM_SYNTAX_ERROR: ReplyCode = ReplyCode(501);
    pub const BAD_SEQUENCE: ReplyCode = ReplyCode(503);
    pub const PARAM_NOT_IMPLEMENTED: ReplyCode = ReplyCode(555);
    pub const MAILBOX_UNAVAILABLE: ReplyCode = ReplyCode(550);
    pub const TRANSACTION_FAILED: ReplyCode = ReplyCode(554);

    pub fn value(self) -> u16 {
        self.0
    }

    /// RFC 5321 §4.2.1: the first digit says whether the command succeeded.
    pub fn is_positive_completion(self) -> bool {
        (200..300).contains(&self.0)
    }

    pub fn is_intermediate(self) -> bool {
        (300..400).contains(&self.0)
    }

    pub fn is_transient_failure(self) -> bool {
        (400..500).contains(&self.0)
    }

    pub fn is_permanent_failure(self) -> bool {
        (500..600).contains(&self.0)
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = crate::DecodeError;
    fn try_from(code: u16) -> Result<Self, Self::Error> {
        // RFC 5321 §4.2: first digit 2–5, second 0–5, third 0–9.
        let second = (code / 10) % 10;
        if (200..600).contains(&code) && second <= 5 {
            Ok(ReplyCode(code))
        } else {
            Err(crate::DecodeError::Failed)
        }
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A reply: a code and one or more lines of text (RFC 5321 §4.2.1 multi-line replies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    code: ReplyCode,
    lines: Vec<String>,
}

impl Reply {
    /// A reply with the given lines. Line breaks inside a line would forge extra reply lines
    /// when echoed, so they are replaced with spaces; an empty list becomes one empty line.
    pub fn new<S: AsRef<str>>(code: ReplyCode, lines: &[S]) -> Self {
        let mut lines: Vec<String> = lines.iter().map(|l| reply_line_text(l.as_ref())).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        Reply { code, lines }
    }

    pub fn single(code: ReplyCode, text: &str) -> Self {
        Reply::new(code, &[text])
    }

    pub fn code(&self) -> ReplyCode {
        self.code
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The text of all lines joined by spaces, for messages to people.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Reply text as RFC 5321 allows it: printable ASCII and tabs (other characters, line
/// breaks included, become "?" or a space), cut so that the whole line fits in 512 octets
/// (§4.5.3.1.5) — text echoed from a client can never stretch or forge a reply line.
fn reply_line_text(text: &str) -> String {
    // "250-" and CRLF take 6 of the 512 octets.
    const MAX_TEXT: usize = MAX_REPLY_LINE - 6;
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' => ' ',
            '\t' | ' '..='~' => c,
            _ => '?',
        })
        .collect();
    if out.len() > MAX_TEXT {
        out.truncate(MAX_TEXT - 3);
        out.push_str("...");
    }
    out
}

/// Where a server session is in the dialogue (RFC 5321 §4.1.4 command order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerState {
    /// Greeting sent; the client must introduce itself with EHLO or HELO.
    ExpectHelo,
    /// 220 sent to STARTTLS: the next bytes are a TLS handshake, then EHLO again.
    ExpectTlsHandshake,
    /// AUTH in progress: the next line is a base64 response to a 334 challenge.
    ExpectAuthResponse,
    /// Introduced; a mail transaction may begin with MAIL.
    ExpectMail,
    /// MAIL accepted; at least one RCPT must follow.
    ExpectRcpt,
    /// At least one recipient accepted; more RCPT or DATA.
    ExpectRcptOrData,
    /// After 354: receiving the message until a line with a single period.
    ReceivingData,
    /// QUIT answered, or the server gave up on the client.
    Closed,
}

impl ServerState {
    /// The state in the words shown to students.
    pub fn text(self) -> Text {
        match self {
            ServerState::ExpectHelo => text!("state.waiting-command", command = "EHLO/HELO"),
            ServerState::ExpectTlsHandshake => text!("state.starting-tls"),
            ServerState::ExpectAuthResponse => text!("state.waiting-auth-response"),
            ServerState::ExpectMail => text!("state.ready-for", command = "MAIL"),
            ServerState::ExpectRcpt => text!("state.waiting-command", command = "RCPT"),
            ServerState::ExpectRcptOrData => {
                text!("state.waiting-either", first = "RCPT", second = "DATA")
            }
            ServerState::ReceivingData => text!("state.receiving-data"),
            ServerState::Closed => text!("state.closed"),
        }
    }
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Where a client session is: named for the reply it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientState {
    ExpectGreeting,
    ExpectEhloReply,
    ExpectHeloReply,
    ExpectStartTlsReply,
    /// 220 received to STARTTLS: the caller must now run the TLS handshake.
    ExpectTlsHandshake,
    ExpectAuthReply,
    /// Introduced, nothing to send yet.
    Ready,
    ExpectMailReply,
    ExpectRcptReply,
    ExpectDataReply,
    ExpectDataEndReply,
    ExpectRsetReply,
    ExpectQuitReply,
    Closed,
}

impl ClientState {
    /// The state in the words shown to students.
    pub fn text(self) -> Text {
        let reply = |command| text!("state.waiting-reply", command = command);
        match self {
            ClientState::ExpectGreeting => text!("state.waiting-greeting-code", code = "220"),
            ClientState::ExpectEhloReply => reply("EHLO"),
            ClientState::ExpectHeloReply => reply("HELO"),
            ClientState::ExpectStartTlsReply => reply("STARTTLS"),
            ClientState::ExpectTlsHandshake => text!("state.starting-tls"),
            ClientState::ExpectAuthReply => reply("AUTH"),
            ClientState::Ready => text!("state.ready"),
            ClientState::ExpectMailReply => reply("MAIL"),
            ClientState::ExpectRcptReply => reply("RCPT"),
            ClientState::ExpectDataReply => text!("state.waiting-command", command = "354"),
            ClientState::ExpectDataEndReply => text!("state.waiting-data-end"),
            ClientState::ExpectRsetReply => reply("RSET"),
            ClientState::ExpectQuitReply => text!("state.waiting-command", command = "221"),
            ClientState::Closed => text!("state.closed"),
        }
    }
}

impl fmt::Display for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// What a reply answers, which decides what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyTo {
    Greeting,
    Command(Verb),
    /// The end of the message data (the `.` line).
    DataEnd,
}
