//! What every parser turns a log into: the dialogue's lines with the side that sent them (when
//! the log says), what the tool says about the connection, and what the log leaves out.

use postroom_proto::i18n::Text;

/// Who sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// One thing the log tells, in the order it tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// One line of the dialogue, with its line end (CR LF added where the log does not show
    /// it). `side` is `None` where only the protocol can tell (a plain dialogue);
    /// `encrypted` is `Some` where the tool marks each line (swaks's `~>`).
    Line {
        side: Option<Side>,
        bytes: Vec<u8>,
        at: usize,
        encrypted: Option<bool>,
    },
    /// Octets that crossed here and that the log does not show (curl's `} [134 bytes
    /// data]`, imaplib's `read literal size 21`, a transcript's `... (4 more lines)`).
    Omitted {
        side: Side,
        octets: Option<usize>,
        at: usize,
    },
    /// The tool says a TLS handshake happened here.
    Handshake { at: usize, text: String },
    /// A line in angle brackets, as RFC examples write what happens besides the dialogue
    /// (`C: <starts TLS negotiation>`); inside a message it is a line of the message.
    Aside {
        side: Side,
        bytes: Vec<u8>,
        at: usize,
    },
}

/// How the log says the connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// The log just stops: the session ended where it ends, as far as anyone can tell.
    Unknown,
    /// The tool kept the connection open when it stopped logging (curl's "left intact").
    LeftOpen,
}

/// A line of the pasted text that no parser could place: its number (from 1) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub number: usize,
    pub text: String,
}

/// A log as one parser read it.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub records: Vec<Record>,
    /// Lines the tool printed about the session (connection, TLS, summaries): read, not
    /// part of the dialogue. Used to find ports and names.
    pub notes: Vec<LogLine>,
    /// Lines this parser could not place.
    pub unread: Vec<LogLine>,
    /// True where the tool prints a handshake when it starts TLS, so that its absence after
    /// STARTTLS means the dialogue went on in plain text.
    pub shows_handshakes: bool,
    pub ending: Ending,
    /// Sessions the log holds (Postfix, a bridge transcript), when more than one; the
    /// records are those of the chosen one.
    pub sessions: Vec<String>,
    /// What the reader should know about how the tool behaved (a line it did not send).
    pub remarks: Vec<Text>,
}

impl Parsed {
    pub fn new() -> Self {
        Parsed {
            records: Vec::new(),
            notes: Vec::new(),
            unread: Vec::new(),
            shows_handshakes: false,
            ending: Ending::Unknown,
            sessions: Vec::new(),
            remarks: Vec::new(),
        }
    }

    /// Lines of dialogue read.
    pub fn dialogue(&self) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r, Record::Line { .. }))
            .count()
    }

    pub fn line(&mut self, side: Option<Side>, text: &[u8], at: usize) {
        self.records.push(Record::Line {
            side,
            bytes: with_crlf(text),
            at,
            encrypted: None,
        });
    }

    pub fn note(&mut self, number: usize, text: &str) {
        self.notes.push(LogLine {
            number,
            text: text.to_string(),
        });
    }

    pub fn unread(&mut self, number: usize, text: &str) {
        self.unread.push(LogLine {
            number,
            text: text.to_string(),
        });
    }

    /// A handshake, unless the one just before says the same: tools print several lines
    /// for one handshake.
    pub fn handshake(&mut self, at: usize, text: &str) {
        if !matches!(self.records.last(), Some(Record::Handshake { .. })) {
            self.records.push(Record::Handshake {
                at,
                text: text.to_string(),
            });
        }
    }
}

/// The line with CR LF at its end: the bytes as they crossed, where the log dropped the line
/// end (a line that kept its CR LF, or a bare LF, is left as it is).
pub(crate) fn with_crlf(text: &[u8]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    if !bytes.ends_with(b"\n") {
        bytes.extend_from_slice(b"\r\n");
    }
    bytes
}

/// The pasted text's lines, numbered from 1, without their line ends (CR LF or LF).
pub(crate) fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l))
}
