//! Postfix's verbose log (`debug_peer_list`): after the syslog prefix, `smtpd[pid]: < peer:
//! line` is what the SMTP server received and `> peer: line` what it sent; for the `smtp`
//! client it is the other way round. A mail log holds many sessions, one per process;
//! every other Postfix line is read as a note.

use std::collections::BTreeSet;

use super::record::{numbered, Parsed, Side};

/// One line of a Postfix log: the process (`postfix/smtpd[18467]`) and what follows it.
fn process(line: &str) -> Option<(&str, &str)> {
    let end = line.find("]: ")?;
    let program = line.get(..end)?.rsplit(' ').next()?;
    // `postfix/smtpd[18467`, `postfix/submission/smtpd[4`, `postfix-instance/smtp[19012`
    let (path, pid) = program.split_once('[')?;
    if !path.contains('/') || pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let start = end.checked_sub(program.len())?;
    Some((line.get(start..=end)?, line.get(end + 3..)?))
}

/// The daemon's name: the last part of its path.
fn daemon(process: &str) -> &str {
    let path = process.split('[').next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default()
}

/// `< peer[addr]:port: text` → the mark and the text; the peer's name ends at `]`, with an
/// optional `:port` (the smtp client names it).
fn exchange(rest: &str) -> Option<(char, &str)> {
    let mark = rest.chars().next().filter(|c| *c == '<' || *c == '>')?;
    let after = rest.get(2..)?;
    let close = after.find(']')?;
    let tail = after.get(close + 1..)?;
    let tail = match tail.strip_prefix(':') {
        Some(t) if t.starts_with(|c: char| c.is_ascii_digit()) => {
            t.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => tail,
    };
    let text = tail.strip_prefix(": ")?;
    Some((mark, text))
}

pub(crate) fn parse(text: &str, session: usize) -> Parsed {
    let mut parsed = Parsed::new();
    // Sessions: the smtpd and smtp processes that exchanged lines, in order of appearance.
    let mut seen = BTreeSet::new();
    for (_, line) in numbered(text) {
        if let Some((process, rest)) = process(line) {
            let speaks = matches!(daemon(process), "smtpd" | "smtp") && exchange(rest).is_some();
            if speaks && seen.insert(process) {
                parsed.sessions.push(process.to_string());
            }
        }
    }
    let chosen = parsed
        .sessions
        .get(session)
        .or(parsed.sessions.first())
        .cloned();
    for (number, line) in numbered(text) {
        let Some((process, rest)) = process(line) else {
            if !line.trim().is_empty() {
                parsed.unread(number, line);
            }
            continue;
        };
        if Some(process) != chosen.as_deref() {
            parsed.note(number, line);
            continue;
        }
        let server = daemon(process) == "smtpd";
        match exchange(rest) {
            Some((mark, said)) => {
                // smtpd: `<` came from the client; the smtp client: `>` went to the server.
                let side = if (mark == '<') == server {
                    Side::Client
                } else {
                    Side::Server
                };
                parsed.line(Some(side), said.as_bytes(), number);
            }
            None => {
                if rest.contains("TLS connection established") {
                    parsed.handshake(number, rest);
                }
                parsed.note(number, rest);
            }
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMTPD: &str =
        "Dec 04 17:03:15 host postfix/smtpd[18467]: connect from unknown[127.0.0.1]\n\
        Dec 04 17:03:15 host postfix/smtpd[18467]: > unknown[127.0.0.1]: 220 host ESMTP Postfix\n\
        Dec 04 17:03:15 host postfix/smtpd[18467]: < unknown[127.0.0.1]: EHLO laptop\n\
        Dec 04 17:03:15 host postfix/smtp[19012]: < 127.0.0.1[127.0.0.1]:23025: 220 mx ESMTP\n\
        Dec 04 17:03:15 host postfix/smtp[19012]: > 127.0.0.1[127.0.0.1]:23025: EHLO host\n";

    #[test]
    fn smtpd_and_smtp_read_their_marks_the_other_way_round() {
        let p = parse(SMTPD, 0);
        assert_eq!(p.sessions, ["postfix/smtpd[18467]", "postfix/smtp[19012]"]);
        assert_eq!(p.dialogue(), 2);
        let client = parse(SMTPD, 1);
        assert_eq!(client.dialogue(), 2);
        assert!(matches!(
            client.records.first(),
            Some(super::super::record::Record::Line {
                side: Some(Side::Server),
                ..
            })
        ));
    }
}
