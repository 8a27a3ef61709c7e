//! Paste a real session: an SMTP, POP3 or IMAP log from swaks, curl, Python's mail modules,
//! openssl s_client or telnet, Dovecot's rawlog, Postfix's verbose log or a C:/S: transcript,
//! read into the units that crossed, each explained by the engine's own narrator, with what
//! is wrong in it and a timeline the explorer's components can show.
//!
//! [`read`] detects the format (or takes the one chosen), reads the protocol from the
//! dialogue (or takes the one chosen), follows the dialogue, hides secrets and checks the
//! rules. A log is read up to [`MAX_LINES`] lines or [`MAX_BYTES`] octets, whichever comes
//! first; the rest is left out with a notice. Nothing in a log is ever run.

mod curl;
mod follow;
mod format;
mod plain;
mod postfix;
mod protocol;
mod python;
mod rawlog;
mod record;
mod replay;
mod rfc;
mod rules;
mod secrets;
mod swaks;
mod timeline;

pub use follow::{Kind, Unit};
pub use format::{Format, Unrecognised};
pub use protocol::Detection;
pub use record::{LogLine, Side};
pub use replay::{Replay, ReplayLine};
pub use rules::{Finding, FindingKind};
pub use secrets::{Secret, HIDDEN};

use postroom_proto::i18n::Text;
use postroom_proto::text;
use record::{numbered, Ending};

use crate::timeline::Protocol;

/// A log is read up to this many lines…
pub const MAX_LINES: usize = 20_000;
/// …or this many octets, whichever comes first.
pub const MAX_BYTES: usize = 1_000_000;
/// Lines outside the dialogue kept for showing; the rest are only counted.
pub const SKIPPED_KEPT: usize = 50;

/// What the reader may be told instead of finding out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The log's format; detected when None.
    pub format: Option<Format>,
    /// SMTP, POP3 or IMAP; detected when None (other protocols count as None).
    pub protocol: Option<Protocol>,
    /// Which session, where the log holds several (Postfix, a bridge transcript): from 0.
    pub session: usize,
}

/// A log, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Log {
    pub format: Format,
    pub detection: Detection,
    /// The dialogue, unit by unit: the timeline's steps, one for one.
    pub units: Vec<Unit>,
    pub findings: Vec<Finding>,
    /// The sessions the log holds, when more than one; `Options::session` picks one.
    pub sessions: Vec<String>,
    /// Lines that are no part of the dialogue (what the tool printed besides), the first
    /// [`SKIPPED_KEPT`] of them, and how many there are in all.
    pub skipped: Vec<LogLine>,
    pub skipped_count: usize,
    /// Sentences about the reading itself: a log cut at the limit, a log that starts after
    /// the greeting, a session chosen among several.
    pub notices: Vec<Text>,
}

/// Reads a pasted log.
pub fn read(text: &str, options: &Options) -> Result<Log, Unrecognised> {
    let (text, cut) = bounded(text);
    let (format, parsed) = match options.format {
        Some(format) => {
            let parsed = format.parse(text, options.session);
            if parsed.dialogue() == 0 {
                let mut unread = parsed.unread;
                unread.truncate(format::UNREAD_SHOWN);
                return Err(Unrecognised {
                    understood: vec![format],
                    unread,
                });
            }
            (format, parsed)
        }
        None => format::detect(text, options.session)?,
    };
    let chosen = options
        .protocol
        .filter(|p| matches!(p, Protocol::Smtp | Protocol::Pop3 | Protocol::Imap));
    let detection = match chosen {
        Some(protocol) => Detection {
            protocol,
            why: text!("log.why.chosen"),
        },
        None if format == Format::Postfix => Detection {
            protocol: Protocol::Smtp,
            why: text!("log.why.postfix"),
        },
        None => protocol::detect(&parsed),
    };
    let mut units = follow::follow(detection.protocol, &parsed);
    secrets::mask(detection.protocol, &mut units);
    let findings = rules::check(detection.protocol, &mut units, parsed.ending);
    let mut notices = Vec::new();
    notices.extend(cut);
    notices.extend(parsed.remarks.iter().cloned());
    if parsed.sessions.len() > 1 {
        let shown = parsed
            .sessions
            .get(options.session)
            .or(parsed.sessions.first())
            .cloned()
            .unwrap_or_default();
        let count = parsed.sessions.len();
        notices.push(text!("log.notice.sessions", count = count, shown = shown));
    }
    if units
        .iter()
        .find(|u| u.kind != Kind::Note)
        .and_then(Unit::side)
        == Some(Side::Client)
    {
        notices.push(text!("log.notice.no-greeting", tool = &format.name()));
    }
    if parsed.ending == Ending::LeftOpen {
        notices.push(text!("log.notice.left-open"));
    }
    let skipped_count = parsed.unread.len();
    let mut skipped = parsed.unread;
    skipped.truncate(SKIPPED_KEPT);
    Ok(Log {
        format,
        detection,
        units,
        findings,
        sessions: parsed.sessions,
        skipped,
        skipped_count,
        notices,
    })
}

/// Reads a Dovecot rawlog from its two files: what the server received (`.in`) and sent
/// (`.out`).
pub fn read_rawlog(input: &str, output: &str, options: &Options) -> Result<Log, Unrecognised> {
    let text = format!("==> session.in <==\n{input}\n==> session.out <==\n{output}\n");
    let options = Options {
        format: Some(Format::Rawlog),
        ..options.clone()
    };
    read(&text, &options)
}

/// The text up to the limits, and a notice if some was left out.
fn bounded(text: &str) -> (&str, Option<Text>) {
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        // Whole lines only.
        end = text
            .get(..end)
            .and_then(|t| t.rfind('\n'))
            .map_or(end, |n| n + 1);
    }
    if let Some((n, _)) = text.match_indices('\n').nth(MAX_LINES.saturating_sub(1)) {
        end = end.min(n + 1);
    }
    let kept = text.get(..end).unwrap_or(text);
    if end >= text.len() {
        return (kept, None);
    }
    let lines = numbered(kept).count();
    let rest = numbered(text.get(end..).unwrap_or_default()).count();
    let notice = text!(
        "log.notice.cut",
        lines = lines,
        max = MAX_LINES,
        rest = rest
    );
    (kept, Some(notice))
}

impl Log {
    pub fn protocol(&self) -> Protocol {
        self.detection.protocol
    }

    /// Commands the client sent (the message and answers to challenges not counted).
    pub fn commands(&self) -> usize {
        self.units
            .iter()
            .filter(|u| u.kind == Kind::Command)
            .count()
    }

    /// Replies and responses the server sent (IMAP: everything up to a completion or a
    /// continuation request counts once).
    pub fn replies(&self) -> usize {
        self.units.iter().filter(|u| u.kind == Kind::Reply).count()
    }

    /// The unit's bytes as shown: with its secret hidden unless `reveal`.
    pub fn shown_bytes(&self, i: usize, reveal: bool) -> Option<&[u8]> {
        let unit = self.units.get(i)?;
        Some(match &unit.secret {
            Some(secret) if !reveal => &secret.masked,
            _ => &unit.bytes,
        })
    }

    /// The dialogue as a C:/S: transcript (secrets hidden unless `reveal`): what a share
    /// link carries, and read back by [`read`] as the same dialogue.
    pub fn transcript(&self, reveal: bool) -> String {
        let mut out = String::new();
        for (i, unit) in self.units.iter().enumerate() {
            let prefix = match unit.side() {
                Some(Side::Client) => "C: ",
                Some(Side::Server) => "S: ",
                None => continue,
            };
            let bytes = self.shown_bytes(i, reveal).unwrap_or_default();
            let text = String::from_utf8_lossy(bytes);
            for line in text.split_inclusive('\n') {
                out.push_str(prefix);
                out.push_str(line.trim_end_matches(['\r', '\n']));
                out.push('\n');
            }
        }
        out
    }

    /// The client's lines as typed (secrets included): to go on with the session by hand in
    /// the console, or to replay it.
    pub fn client_lines(&self) -> Vec<String> {
        self.units
            .iter()
            .filter(|u| u.side() == Some(Side::Client))
            .flat_map(|u| {
                u.text_lines()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
            })
            .collect()
    }
}
