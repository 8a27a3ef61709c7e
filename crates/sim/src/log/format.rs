//! The log formats understood, and which one a pasted text is in: every parser reads it,
//! and the one that places the most lines (as dialogue or as its tool's notes) wins.

use std::fmt;

use postroom_proto::i18n::Text;
use postroom_proto::text;

use super::record::{numbered, LogLine, Parsed};
use super::{curl, plain, postfix, python, rawlog, rfc, swaks};

/// A kind of log, named for the tool that writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `C:` and `S:` lines, as RFCs write examples (and `postroom-serve` prints).
    Rfc,
    Swaks,
    Curl,
    /// Python's smtplib, poplib and imaplib with debugging on.
    Python,
    /// A dialogue typed through `openssl s_client` or `telnet`, without marks.
    Plain,
    /// Dovecot's rawlog (`.in` and `.out`, with time stamps).
    Rawlog,
    /// Postfix's verbose `smtpd`/`smtp` lines (`debug_peer_list`).
    Postfix,
}

impl Format {
    /// Every format, in the order they are tried when two read a text equally well: the
    /// plain dialogue, which reads almost anything, last.
    pub const ALL: [Format; 7] = [
        Format::Swaks,
        Format::Curl,
        Format::Python,
        Format::Postfix,
        Format::Rawlog,
        Format::Rfc,
        Format::Plain,
    ];

    pub fn name(self) -> Text {
        match self {
            Format::Rfc => text!("log.format.rfc"),
            Format::Swaks => Text::verbatim("swaks"),
            Format::Curl => Text::verbatim("curl -v"),
            Format::Python => text!("log.format.python"),
            Format::Plain => text!("log.format.plain"),
            Format::Rawlog => text!("log.format.rawlog"),
            Format::Postfix => text!("log.format.postfix"),
        }
    }

    /// What its lines look like, for a student whose paste was not recognised.
    pub fn looks_like(self) -> Text {
        match self {
            Format::Rfc => text!("log.looks.rfc"),
            Format::Swaks => text!("log.looks.swaks"),
            Format::Curl => text!("log.looks.curl"),
            Format::Python => text!("log.looks.python"),
            Format::Plain => text!("log.looks.plain"),
            Format::Rawlog => text!("log.looks.rawlog"),
            Format::Postfix => text!("log.looks.postfix"),
        }
    }

    /// Reads `text` as this format; `session` picks one where the log holds several.
    pub(crate) fn parse(self, text: &str, session: usize) -> Parsed {
        match self {
            Format::Rfc => rfc::parse(text, session),
            Format::Swaks => swaks::parse(text),
            Format::Curl => curl::parse(text),
            Format::Python => python::parse(text),
            Format::Plain => plain::parse(text),
            Format::Rawlog => rawlog::parse(text),
            Format::Postfix => postfix::parse(text, session),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Lines shown when a text is not recognised.
pub const UNREAD_SHOWN: usize = 5;

/// A text none of the parsers could read: which formats are understood, and the first lines
/// that none of them could place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecognised {
    pub understood: Vec<Format>,
    pub unread: Vec<LogLine>,
}

impl fmt::Display for Unrecognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "This does not look like a mail log Postroom can read.")?;
        writeln!(f, "Understood formats:")?;
        for format in &self.understood {
            writeln!(f, "  - {}: {}", format.name(), format.looks_like())?;
        }
        if !self.unread.is_empty() {
            writeln!(f, "The first lines that could not be read:")?;
            for line in &self.unread {
                writeln!(f, "  {:>5} | {}", line.number, line.text)?;
            }
        }
        Ok(())
    }
}

/// How many lines a reading placed (dialogue and the tool's own notes).
fn placed(parsed: &Parsed) -> usize {
    parsed.dialogue() + parsed.notes.len()
}

/// The lines of `a` that are in `b` too; both are in the order of the text.
fn both(a: Vec<LogLine>, b: &[LogLine]) -> Vec<LogLine> {
    let mut others = b.iter().map(|l| l.number).peekable();
    a.into_iter()
        .filter(|line| {
            while others.next_if(|&n| n < line.number).is_some() {}
            others.peek() == Some(&line.number)
        })
        .collect()
}

/// The format that reads `text` best, and its reading; `Unrecognised` if none finds a line
/// of dialogue in it.
pub(crate) fn detect(text: &str, session: usize) -> Result<(Format, Parsed), Unrecognised> {
    let mut best: Option<(Format, Parsed)> = None;
    let mut unread_by_all: Option<Vec<LogLine>> = None;
    for format in Format::ALL {
        let parsed = format.parse(text, session);
        unread_by_all = Some(match unread_by_all {
            None => parsed.unread.clone(),
            Some(lines) => both(lines, &parsed.unread),
        });
        if parsed.dialogue() == 0 {
            continue;
        }
        let better = best
            .as_ref()
            .is_none_or(|(_, b)| placed(&parsed) > placed(b));
        if better {
            best = Some((format, parsed));
        }
    }
    best.ok_or_else(|| {
        let mut unread = unread_by_all.unwrap_or_default();
        if unread.is_empty() {
            // Nothing anyone could object to: an empty paste, or notes only.
            unread = numbered(text)
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(number, l)| LogLine {
                    number,
                    text: l.to_string(),
                })
                .collect();
        }
        unread.truncate(UNREAD_SHOWN);
        Unrecognised {
            understood: Format::ALL.to_vec(),
            unread,
        }
    })
}
