//! Transcripts written as RFCs write their examples: `C:` for the client, `S:` for the
//! server, and `<…>` for what happens besides (`C: <starts TLS negotiation>`). Also the
//! transcript `postroom-serve` prints: each line tagged with its session (`[smtp #1]`),
//! `[TLS]` inside TLS, `--` for what happened, `; …` after a client line for its meaning
//! and `... (n more lines)` for lines left out.

use std::collections::BTreeSet;

use super::record::{numbered, with_crlf, Parsed, Record, Side};

/// `[smtp #1] ` at the start: the session's tag and the rest.
fn session_tag(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix('[')?;
    let (tag, rest) = inner.split_once("] ")?;
    let (name, number) = tag.split_once(" #")?;
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit());
    plain.then_some((tag, rest))
}

/// `C: text` or `S: text` (one space after the colon is part of the mark).
fn said(line: &str) -> Option<(Side, &str)> {
    let (side, rest) = if let Some(rest) = line.strip_prefix("C:") {
        (Side::Client, rest)
    } else {
        (Side::Server, line.strip_prefix("S:")?)
    };
    Some((side, rest.strip_prefix(' ').unwrap_or(rest)))
}

/// `<starts TLS negotiation>`: a note in an RFC example, not a line on the wire.
fn is_annotation(text: &str) -> bool {
    text.starts_with('<') && text.ends_with('>') && text.contains(' ') && !text.contains('@')
}

/// `... (4 more lines)` → 4.
fn more_lines(text: &str) -> Option<usize> {
    let n = text.strip_prefix("... (")?.strip_suffix(" more lines)")?;
    n.parse().ok()
}

pub(crate) fn parse(text: &str, session: usize) -> Parsed {
    let mut parsed = Parsed::new();
    // A bridge transcript holds many sessions: the tags, in order of first appearance.
    let mut seen = BTreeSet::new();
    for (_, line) in numbered(text) {
        if let Some((tag, _)) = session_tag(line) {
            if seen.insert(tag) {
                parsed.sessions.push(tag.to_string());
            }
        }
    }
    let chosen = parsed
        .sessions
        .get(session)
        .or(parsed.sessions.first())
        .cloned();
    for (number, raw) in numbered(text) {
        let (tagged, line) = match session_tag(raw) {
            Some((tag, rest)) if Some(tag) == chosen.as_deref() => (true, rest),
            Some((_, _)) => {
                parsed.note(number, raw);
                continue;
            }
            None => (false, raw.trim_start()),
        };
        let (encrypted, line) = match line.strip_prefix("[TLS] ") {
            Some(rest) => (Some(true), rest),
            None => (tagged.then_some(false), line),
        };
        if let Some((side, mut text)) = said(line) {
            if is_annotation(text) {
                parsed.shows_handshakes = true;
                parsed.records.push(Record::Aside {
                    side,
                    bytes: with_crlf(text.as_bytes()),
                    at: number,
                });
                continue;
            }
            if tagged {
                if let Some(n) = more_lines(text) {
                    parsed.records.push(Record::Omitted {
                        side,
                        octets: None,
                        at: number,
                    });
                    parsed.note(number, &format!("{n} lines left out"));
                    continue;
                }
                // The bridge adds the meaning after four spaces and a semicolon.
                if side == Side::Client {
                    text = text.split_once("    ; ").map_or(text, |(t, _)| t);
                }
            }
            let mut bytes = text.as_bytes().to_vec();
            bytes.extend_from_slice(b"\r\n");
            parsed.records.push(Record::Line {
                side: Some(side),
                bytes,
                at: number,
                encrypted,
            });
        } else if let Some(note) = line.strip_prefix("-- ").or(line.strip_prefix("C & S: ")) {
            if note.contains("TLS established") || (note.contains("TLS") && is_annotation(note)) {
                parsed.handshake(number, note);
            }
            parsed.shows_handshakes = true;
            parsed.note(number, note);
        } else if !line.trim().is_empty() {
            parsed.unread(number, raw);
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_example_with_annotations() {
        let p = parse(
            "S: 220 mail.imc.org SMTP service ready\nC: STARTTLS\nS: 220 Go ahead\n\
             C: <starts TLS negotiation>\nC & S: <negotiate a TLS session>\nC: EHLO mail.example.com\n",
            0,
        );
        assert_eq!(p.dialogue(), 4);
        assert!(p.shows_handshakes);
        assert!(p.records.iter().any(|r| matches!(r, Record::Aside { .. })));
        assert!(p
            .records
            .iter()
            .any(|r| matches!(r, Record::Handshake { .. })));
    }

    #[test]
    fn bridge_transcript_picks_one_session() {
        let text = "[smtp #1] S: 220 a\n[pop3 #2] S: +OK b\n[smtp #1] C: QUIT    ; Goodbye\n\
                    [pop3 #2] C: QUIT    ; Goodbye\n";
        let p = parse(text, 1);
        assert_eq!(p.sessions, ["smtp #1", "pop3 #2"]);
        assert_eq!(p.dialogue(), 2);
        assert!(
            matches!(p.records.get(1), Some(Record::Line { bytes, .. }) if bytes == b"QUIT\r\n")
        );
    }
}
