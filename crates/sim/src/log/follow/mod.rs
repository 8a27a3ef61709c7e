//! Following a parsed log as the dialogue it is: lines joined into the units that crossed
//! (a command, a reply with its continuation lines, the message, a response with its
//! literals), each explained by the protocol's own narrator, the one the console and the
//! bridge read dialogues with. Where the log does not say who sent a line, the dialogue so
//! far does. What the log leaves out becomes a note in its place, and the narrator is kept
//! in step as if it had been there.

pub(crate) mod imap;
mod pop3;
mod smtp;

use postroom_proto::i18n::Text;
use postroom_proto::{Explanation, RfcRef};

use super::plain::is_greeting;
use super::record::{Parsed, Record, Side};
use super::secrets::Secret;
use super::secrets::HIDDEN;
use crate::timeline::{Direction, Protocol};

/// A client line as the narrator reads it: a secret the log itself hides (a shared link, a
/// log masked before it was pasted) stands in as `AAAA`, valid base64 and a valid word, so
/// the line is explained as the command it is rather than as one the server would refuse.
pub(super) fn as_sent(line: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let hidden = HIDDEN.as_bytes();
    let Some(at) = line.windows(hidden.len()).position(|w| w == hidden) else {
        return std::borrow::Cow::Borrowed(line);
    };
    let mut out = line.get(..at).unwrap_or_default().to_vec();
    out.extend_from_slice(b"AAAA");
    out.extend_from_slice(&as_sent(line.get(at + hidden.len()..).unwrap_or_default()));
    std::borrow::Cow::Owned(out)
}

/// What a unit of the dialogue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A command (an IMAP command with the literals sent along with it).
    Command,
    /// The message after 354, up to the line holding only a period.
    Message,
    /// What the client sends after the server's "go on": an answer to a challenge, the rest
    /// of a command after a literal, IDLE's DONE.
    Continuation,
    /// What the server sends: a reply, a response with its body, IMAP's responses up to a
    /// completion or a continuation request.
    Reply,
    /// Something the log tells that is not a line on the wire: a TLS handshake, data the
    /// log leaves out.
    Note,
}

/// One unit of the dialogue, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub direction: Direction,
    pub kind: Kind,
    /// The octets as they crossed, as far as the log tells (lines end with CR LF where the log
    /// does not show their ends). For a note, its text.
    pub bytes: Vec<u8>,
    pub explanation: Explanation,
    /// The first and last line of the pasted text it comes from (from 1).
    pub lines: (usize, usize),
    /// True once TLS protects the connection.
    pub encrypted: bool,
    /// False where the log leaves part of it out.
    pub complete: bool,
    /// What the client waits for after it (set by the rules).
    pub client_state: Text,
    /// The server's state after it, in the RFC's words (set by the rules).
    pub server_state: Text,
    /// What it carries that should not be shown by default (a password), and how.
    pub secret: Option<Secret>,
}

impl Unit {
    pub fn side(&self) -> Option<Side> {
        match self.direction {
            Direction::ClientToServer => Some(Side::Client),
            Direction::ServerToClient => Some(Side::Server),
            Direction::Local => None,
        }
    }

    /// The unit's lines without their line ends.
    pub fn text_lines(&self) -> impl Iterator<Item = &[u8]> {
        self.bytes
            .split_inclusive(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\n").unwrap_or(l))
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
    }
}

/// A unit being put together.
#[derive(Debug)]
pub(super) struct Open {
    pub side: Side,
    pub kind: Kind,
    pub bytes: Vec<u8>,
    pub lines: (usize, usize),
    pub encrypted: bool,
    pub complete: bool,
}

/// Collects units in order; notes about a unit still open wait until it is finished.
#[derive(Debug, Default)]
pub(super) struct Builder {
    pub units: Vec<Unit>,
    pub open: Option<Open>,
    waiting: Vec<Unit>,
    /// The encryption of the line being read.
    encrypted: bool,
}

impl Builder {
    /// Starts a unit with its first line (finish any open one first).
    pub fn start(&mut self, side: Side, kind: Kind, line: &[u8], at: usize) {
        self.open = Some(Open {
            side,
            kind,
            bytes: line.to_vec(),
            lines: (at, at),
            encrypted: self.encrypted,
            complete: true,
        });
    }

    /// Adds a line to the open unit.
    pub fn append(&mut self, line: &[u8], at: usize) {
        if let Some(open) = self.open.as_mut() {
            open.bytes.extend_from_slice(line);
            open.lines.1 = at;
        }
    }

    /// The open unit's side, if one is open.
    pub fn open_side(&self) -> Option<Side> {
        self.open.as_ref().map(|o| o.side)
    }

    /// Marks the open unit as missing something the log leaves out.
    pub fn incomplete(&mut self) {
        if let Some(open) = self.open.as_mut() {
            open.complete = false;
        }
    }

    /// Finishes the open unit with its explanation; notes waiting for it follow.
    pub fn finish(&mut self, explanation: Explanation) {
        if let Some(open) = self.open.take() {
            self.units.push(Unit {
                direction: match open.side {
                    Side::Client => Direction::ClientToServer,
                    Side::Server => Direction::ServerToClient,
                },
                kind: open.kind,
                bytes: open.bytes,
                explanation,
                lines: open.lines,
                encrypted: open.encrypted,
                complete: open.complete,
                client_state: Text::default(),
                server_state: Text::default(),
                secret: None,
            });
        }
        self.units.append(&mut self.waiting);
    }

    /// A note in the timeline, after the open unit if there is one.
    pub fn note(&mut self, text: &str, explanation: Explanation, at: usize) {
        let unit = Unit {
            direction: Direction::Local,
            kind: Kind::Note,
            bytes: text.as_bytes().to_vec(),
            explanation,
            lines: (at, at),
            encrypted: self.encrypted,
            complete: true,
            client_state: Text::default(),
            server_state: Text::default(),
            secret: None,
        };
        if self.open.is_some() {
            self.waiting.push(unit);
        } else {
            self.units.push(unit);
        }
    }
}

/// One protocol's reading of the dialogue: where lines join, who sent an unmarked line,
/// and what the narrator says of each unit.
pub(super) trait Dialogue {
    /// The side of a line the log does not mark, from the dialogue so far.
    fn side_of(&self, line: &[u8]) -> Side;
    /// One line from `side`; the other side's open unit has been finished already.
    fn line(&mut self, b: &mut Builder, side: Side, line: &[u8], at: usize);
    /// The other side starts speaking while a unit of `side` is open: it ends here.
    fn cut(&mut self, b: &mut Builder, side: Side);
    /// Octets from `side` the log does not show.
    fn omitted(&mut self, b: &mut Builder, side: Side, octets: Option<usize>, at: usize);
    /// True inside a message, a multi-line body or a literal: where any line is content.
    fn inside_content(&self) -> bool;
    /// True once, right after the server's positive answer to STARTTLS (STLS) was read.
    fn tls_accepted(&mut self) -> bool;
    /// Called before each server line, once the client's open unit is finished.
    fn before_server_line(&mut self, _b: &mut Builder, _at: usize) {}
    /// The RFC section for notes about TLS in this protocol.
    fn tls_rule(&self) -> RfcRef;
    /// The RFC section that describes the protocol's dialogue as a whole.
    fn dialogue_rule(&self) -> RfcRef;
}

/// The dialogue of `parsed` in units. Where the log starts after the server's greeting, the
/// narrator is told of one, so it stays in step. Where the tool does not print TLS
/// handshakes, one is taken to follow the server's yes to STARTTLS.
pub(crate) fn follow(protocol: Protocol, parsed: &Parsed) -> Vec<Unit> {
    let starts_with_client = parsed.records.iter().find_map(|r| match r {
        Record::Line {
            side: Some(side), ..
        } => Some(*side == Side::Client),
        Record::Line { bytes, .. } => Some(!is_greeting(&String::from_utf8_lossy(bytes))),
        _ => None,
    }) == Some(true);
    let mut dialogue: Box<dyn Dialogue> = match protocol {
        Protocol::Pop3 => Box::new(pop3::Pop3::new(!starts_with_client)),
        Protocol::Imap => Box::new(imap::Imap::default()),
        _ => Box::new(smtp::Smtp::new(!starts_with_client)),
    };
    let mut b = Builder::default();
    for record in &parsed.records {
        match record {
            Record::Line {
                side,
                bytes,
                at,
                encrypted,
            } => {
                let side = side.unwrap_or_else(|| dialogue.side_of(bytes));
                if let Some(open) = b.open_side().filter(|s| *s != side) {
                    dialogue.cut(&mut b, open);
                }
                if let Some(e) = encrypted {
                    b.encrypted = *e;
                }
                if side == Side::Server {
                    dialogue.before_server_line(&mut b, *at);
                }
                dialogue.line(&mut b, side, bytes, *at);
                if dialogue.tls_accepted() && !parsed.shows_handshakes {
                    handshake(
                        &mut b,
                        dialogue.as_ref(),
                        "TLS started (not shown in the log)",
                        *at,
                    );
                }
            }
            Record::Aside { side, bytes, at } if !dialogue.inside_content() => {
                let text = String::from_utf8_lossy(bytes);
                let text = text.trim_end();
                if text.contains("TLS") {
                    if let Some(open) = b.open_side() {
                        dialogue.cut(&mut b, open);
                    }
                    handshake(&mut b, dialogue.as_ref(), text, *at);
                } else {
                    let side = if *side == Side::Client {
                        "client"
                    } else {
                        "server"
                    };
                    b.note(
                        text,
                        Explanation::new(
                            format!("What the {side} does"),
                            "The transcript says in angle brackets what happens besides the \
                             dialogue; it is not a line on the wire.",
                            dialogue.dialogue_rule(),
                        ),
                        *at,
                    );
                }
            }
            Record::Aside { side, bytes, at } => {
                dialogue.line(&mut b, *side, bytes, *at);
            }
            Record::Omitted { side, octets, at } => {
                dialogue.omitted(&mut b, *side, *octets, *at);
            }
            Record::Handshake { at, text } => {
                if let Some(open) = b.open_side() {
                    dialogue.cut(&mut b, open);
                }
                handshake(&mut b, dialogue.as_ref(), text, *at);
            }
        }
    }
    if let Some(open) = b.open_side() {
        dialogue.cut(&mut b, open);
    }
    b.units
}

/// From here on the connection is encrypted.
fn handshake(b: &mut Builder, dialogue: &dyn Dialogue, text: &str, at: usize) {
    b.encrypted = true;
    b.note(
        text,
        Explanation::new(
            "TLS handshake",
            "Client and server agree on keys here. From now on the connection is encrypted: \
             someone on the path sees only ciphertext. The log shows what the tool saw inside \
             the encryption.",
            dialogue.tls_rule(),
        ),
        at,
    );
}

/// The note for octets a log leaves out.
pub(super) fn left_out(b: &mut Builder, what: &str, octets: Option<usize>, rfc: RfcRef, at: usize) {
    let text = match octets {
        Some(n) => format!("{n} octets of {what} are not in the log"),
        None => format!("Not in the log: {what}"),
    };
    b.note(
        &text,
        Explanation::new(
            "Left out of the log",
            format!(
                "The tool did not print {what} here, so they cannot be shown. They crossed the \
                 connection all the same."
            ),
            rfc,
        ),
        at,
    );
}
