//! IMAP's units: a command with the literals sent along with it (a synchronising literal
//! `{n}` waits for the server's "+", so what follows is a unit of its own), and the server's
//! responses up to a tagged completion or a continuation request. Literals are counted in
//! octets, as the protocol counts them (RFC 9051 §4.3).

use postroom_proto::imap::ImapNarrator;
use postroom_proto::session::Narrator;
use postroom_proto::RfcRef;

use super::{left_out, Builder, Dialogue, Kind};
use crate::log::record::Side;

#[derive(Debug, Default)]
pub(super) struct Imap {
    narrator: ImapNarrator,
    /// Octets of a literal still to come in the open unit, from the client and the server.
    client_literal: u64,
    server_literal: u64,
    /// A literal of the open unit ended at a line's end: the rest of its line follows on the
    /// next, from the same side.
    client_rest: bool,
    server_rest: bool,
    /// A synchronising literal the client announced: its octets follow the server's "+".
    announced: u64,
    /// The tag of the command whose literal waits for "+".
    announcing: Option<String>,
    /// The server's "+" asks for the client's next line.
    continuation: bool,
    /// A client line has been read: a first untagged OK after it is no greeting.
    client_spoke: bool,
    greeted: bool,
    starttls: Option<String>,
    tls_accepted: bool,
}

/// `{n}` or `{n+}` at the end of a line (without its line end): the size, and whether the
/// sender waits for "+".
fn literal(text: &[u8]) -> Option<(u64, bool)> {
    let inner = text.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = inner.get(open + 1..)?;
    let (digits, sync) = match digits.strip_suffix(b"+") {
        Some(d) => (d, false),
        None => (digits, true),
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((size, sync))
}

fn text(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The first two words of a line.
fn words(line: &[u8]) -> (&[u8], &[u8]) {
    let mut parts = text(line).splitn(3, |&b| b == b' ');
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

/// `tag OK|NO|BAD …`: a completion.
fn is_completion(line: &[u8]) -> bool {
    let (tag, status) = words(line);
    tag != b"*"
        && tag != b"+"
        && !tag.is_empty()
        && [&b"OK"[..], b"NO", b"BAD"]
            .iter()
            .any(|s| status.eq_ignore_ascii_case(s))
}

fn is_continuation(line: &[u8]) -> bool {
    line.starts_with(b"+ ") || text(line) == b"+"
}

/// Takes `line` into a literal of `left` octets: what is left of the literal, and the rest of
/// the line after it (None while the literal goes on).
fn through_literal<'a>(left: &mut u64, line: &'a [u8]) -> Option<&'a [u8]> {
    let len = line.len() as u64;
    if *left >= len {
        *left -= len;
        return None;
    }
    let skip = usize::try_from(*left).unwrap_or(usize::MAX);
    *left = 0;
    Some(line.get(skip..).unwrap_or_default())
}

/// The lines of a unit that begin a response or a command (the literals' octets and what
/// follows a literal on its line left out): where tags and names are read.
pub(crate) fn line_starts(bytes: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut left = 0;
    let mut continues = false;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let rest = if left > 0 || continues {
            through_literal(&mut left, line)
        } else {
            starts.push(text(line));
            Some(line)
        };
        // Inside a literal, or just after one that ended with a line's end, the response
        // goes on; after a line with no literal announced, a new one starts.
        continues = match rest {
            None => true,
            Some(r) => match literal(text(r)) {
                Some((n, _)) => {
                    left = n;
                    true
                }
                None => false,
            },
        };
    }
    starts
}

impl Imap {
    fn finish_client(&mut self, b: &mut Builder) {
        let first = b
            .open
            .as_ref()
            .and_then(|o| o.bytes.split_inclusive(|&c| c == b'\n').next())
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        let kind = b.open.as_ref().map(|o| o.kind);
        b.finish(self.narrator.client_line(&super::as_sent(&first)));
        self.client_rest = false;
        if kind == Some(Kind::Command) {
            let (tag, name) = words(&first);
            if name.eq_ignore_ascii_case(b"STARTTLS") {
                self.starttls = Some(String::from_utf8_lossy(tag).into_owned());
            }
        }
    }

    fn finish_server(&mut self, b: &mut Builder) {
        let bytes = b.open.as_ref().map(|o| o.bytes.clone()).unwrap_or_default();
        b.finish(self.narrator.server_unit(&bytes));
        self.server_literal = 0;
        self.server_rest = false;
    }
}

impl Dialogue for Imap {
    fn side_of(&self, line: &[u8]) -> Side {
        let untagged = line.starts_with(b"* ") || text(line) == b"*";
        if self.server_literal > 0 || self.server_rest {
            Side::Server
        } else if self.client_literal > 0
            || self.client_rest
            || (self.continuation && self.announced > 0)
        {
            Side::Client
        } else if untagged || is_continuation(line) || is_completion(line) {
            Side::Server
        } else {
            Side::Client
        }
    }

    fn line(&mut self, b: &mut Builder, side: Side, line: &[u8], at: usize) {
        match side {
            Side::Client => {
                self.client_spoke = true;
                if b.open.is_some() {
                    b.append(line, at);
                } else {
                    let answers = std::mem::take(&mut self.continuation);
                    let kind = if answers || text(line).eq_ignore_ascii_case(b"DONE") {
                        Kind::Continuation
                    } else {
                        Kind::Command
                    };
                    b.start(Side::Client, kind, line, at);
                    self.client_literal = std::mem::take(&mut self.announced);
                }
                let had = self.client_literal > 0;
                let rest = through_literal(&mut self.client_literal, line);
                self.client_rest = had && self.client_literal == 0 && rest.is_none();
                let Some(rest) = rest else { return };
                match literal(text(rest)) {
                    Some((n, false)) => self.client_literal = n,
                    Some((n, true)) => {
                        self.announced = n;
                        self.announcing = Some(String::from_utf8_lossy(words(line).0).into());
                        self.finish_client(b);
                    }
                    None => self.finish_client(b),
                }
            }
            Side::Server => {
                let rest = if b.open.is_some() {
                    b.append(line, at);
                    let had = self.server_literal > 0;
                    let rest = through_literal(&mut self.server_literal, line);
                    self.server_rest = had && self.server_literal == 0 && rest.is_none();
                    rest
                } else {
                    b.start(Side::Server, Kind::Reply, line, at);
                    Some(line)
                };
                let Some(rest) = rest else { return };
                if let Some((n, _)) = literal(text(rest)) {
                    self.server_literal = n;
                    return;
                }
                let greeting = !self.greeted
                    && !self.client_spoke
                    && [&b"* OK"[..], b"* PREAUTH", b"* BYE"]
                        .iter()
                        .any(|g| line.starts_with(g));
                self.greeted = true;
                if is_continuation(line) {
                    self.continuation = true;
                    self.finish_server(b);
                } else if is_completion(line) {
                    let (tag, status) = words(line);
                    let tag = String::from_utf8_lossy(tag);
                    if self.announcing.as_deref() == Some(&*tag) {
                        // Refused before the literal was sent: it will not come.
                        self.announced = 0;
                        self.announcing = None;
                    }
                    let accepted = status.eq_ignore_ascii_case(b"OK");
                    if self.starttls.as_deref() == Some(&*tag) {
                        self.starttls = None;
                        self.tls_accepted = accepted;
                    }
                    self.finish_server(b);
                } else if greeting {
                    self.finish_server(b);
                }
            }
        }
    }

    fn cut(&mut self, b: &mut Builder, side: Side) {
        match side {
            Side::Client => {
                if self.client_literal > 0 {
                    b.incomplete();
                }
                self.client_literal = 0;
                self.finish_client(b);
            }
            Side::Server => {
                if self.server_literal > 0 {
                    b.incomplete();
                }
                self.finish_server(b);
            }
        }
    }

    fn omitted(&mut self, b: &mut Builder, side: Side, octets: Option<usize>, at: usize) {
        let pending = match side {
            Side::Client => &mut self.client_literal,
            Side::Server => &mut self.server_literal,
        };
        if *pending > 0 && b.open_side() == Some(side) {
            // The literal crossed; the log only says how big it was.
            *pending = 0;
            b.incomplete();
        } else if side == Side::Client && self.continuation {
            // The literal the "+" asked for: the log only says how big it was.
            self.announced = 0;
            self.continuation = false;
        }
        left_out(b, "a literal", octets, RfcRef::new(9051, "4.3"), at);
    }

    fn inside_content(&self) -> bool {
        self.client_literal > 0
            || self.server_literal > 0
            || (self.continuation && self.announced > 0)
    }

    fn tls_accepted(&mut self) -> bool {
        std::mem::take(&mut self.tls_accepted)
    }

    fn dialogue_rule(&self) -> RfcRef {
        RfcRef::new(9051, "2.2")
    }

    fn tls_rule(&self) -> RfcRef {
        RfcRef::new(9051, "6.2.1")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_announcements() {
        assert_eq!(literal(b"a1 LOGIN {3}"), Some((3, true)));
        assert_eq!(literal(b"* 1 FETCH (BODY[] {400}"), Some((400, true)));
        assert_eq!(literal(b"bob {6+}"), Some((6, false)));
        assert_eq!(literal(b"{}"), None);
        assert_eq!(literal(b"a {99999999999999999999}"), None);
    }

    #[test]
    fn literal_octets_are_not_lines_of_their_own() {
        let unit =
            b"* 1 FETCH (BODY[] {12}\r\na1 OK done\r\n)\r\n* 2 FETCH (FLAGS ())\r\na1 OK\r\n";
        assert_eq!(
            line_starts(unit),
            [
                &b"* 1 FETCH (BODY[] {12}"[..],
                b"* 2 FETCH (FLAGS ())",
                b"a1 OK"
            ]
        );
    }

    #[test]
    fn a_literal_may_end_inside_a_line() {
        let mut left = 3;
        assert_eq!(
            through_literal(&mut left, b"bob {6}\r\n"),
            Some(&b" {6}\r\n"[..])
        );
        let mut left = 20;
        assert_eq!(through_literal(&mut left, b"Subject: hi\r\n"), None);
        assert_eq!(left, 7);
    }
}
