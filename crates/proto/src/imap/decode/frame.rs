//! Framing: where one whole command (or response) ends, literals included (RFC 9051 §7.5).

use crate::imap::types::{MAX_LINE, MAX_LITERAL};

/// Where the next whole command ends, or why it cannot be found yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A whole command of this many octets (final CRLF included).
    Complete(usize),
    /// More octets are needed; `sync_literals` synchronising literals were announced so far.
    Incomplete { sync_literals: usize },
    /// A line longer than the limit ([`MAX_LINE`] for commands).
    LineTooLong,
    /// A literal larger than [`MAX_LITERAL`].
    LiteralTooLarge,
}

/// How far framing got through a command that is not whole yet, so that the next call
/// goes on from there: each octet is looked at once, however the command arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Where the line being read starts (after the literals before it).
    line_start: usize,
    /// Octets of that line already known to hold no line feed.
    scanned: usize,
    sync_literals: usize,
}

/// Finds the first whole command in `input`: lines joined by literals (`{n}` or `{n+}` at
/// the end of a line, then CRLF and n octets).
pub fn frame(input: &[u8]) -> Framing {
    frame_within(input, MAX_LINE)
}

/// [`frame`] with another line limit (the client reads longer response lines).
pub fn frame_within(input: &[u8], max_line: usize) -> Framing {
    frame_resuming(input, max_line, &mut Progress::default())
}

/// [`frame_within`], going on from `progress` (which it updates) for a command whose start
/// stays at the start of `input`; start again from `Progress::default()` for a new one.
pub fn frame_resuming(input: &[u8], max_line: usize, progress: &mut Progress) -> Framing {
    loop {
        let pos = progress.line_start;
        let rest = input.get(pos..).unwrap_or_default();
        let unscanned = rest.get(progress.scanned..).unwrap_or_default();
        let Some(lf) = unscanned
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| i + progress.scanned)
        else {
            progress.scanned = rest.len();
            return if rest.len() > max_line {
                Framing::LineTooLong
            } else {
                Framing::Incomplete {
                    sync_literals: progress.sync_literals,
                }
            };
        };
        if lf > max_line {
            return Framing::LineTooLong;
        }
        let line = rest.get(..lf).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some((size, sync)) = literal_announcement(line) else {
            return Framing::Complete(pos + lf + 1);
        };
        if size > MAX_LITERAL {
            return Framing::LiteralTooLarge;
        }
        if sync {
            progress.sync_literals += 1;
        }
        // The literal's octets are skipped by count: the next line starts after them.
        progress.line_start = pos + lf + 1 + usize::try_from(size).unwrap_or(usize::MAX);
        progress.scanned = 0;
        if input.len() < progress.line_start {
            return Framing::Incomplete {
                sync_literals: progress.sync_literals,
            };
        }
    }
}

/// `{n}` or `{n+}` at the end of a line: the size and whether it is synchronising.
fn literal_announcement(line: &[u8]) -> Option<(u64, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = inner.get(open + 1..)?;
    let (digits, sync) = match digits.strip_suffix(b"+") {
        Some(d) => (d, false),
        None => (digits, true),
    };
    if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((size, sync))
}
