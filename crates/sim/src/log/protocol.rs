//! Which protocol a log speaks, read from the dialogue as a student would: the server's
//! greeting first, then a port the tool names, then the words of the lines.

use postroom_proto::i18n::Text;
use postroom_proto::text;

use super::record::{Parsed, Record, Side};
use crate::timeline::Protocol;

/// The protocol of a log and what gave it away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub protocol: Protocol,
    /// E.g. "the server's greeting starts with +OK"; "chosen" when the user set it.
    pub why: Text,
}

/// The protocol a server greets with.
fn by_greeting(line: &str) -> Option<Protocol> {
    if line.starts_with("* OK") || line.starts_with("* PREAUTH") || line.starts_with("* BYE") {
        Some(Protocol::Imap)
    } else if line.starts_with("+OK") {
        Some(Protocol::Pop3)
    } else if line.starts_with("220") || line.starts_with("554") {
        Some(Protocol::Smtp)
    } else {
        None
    }
}

/// The protocol a port belongs to: its well-known number, or that number behind an offset
/// of thousands (10110 on a test server is POP3's 110).
fn by_port(port: u32) -> Option<Protocol> {
    [port, port % 10_000, port % 1_000]
        .into_iter()
        .find_map(|p| match p {
            25 | 465 | 587 | 2525 => Some(Protocol::Smtp),
            110 | 995 => Some(Protocol::Pop3),
            143 | 993 => Some(Protocol::Imap),
            _ => None,
        })
}

/// Ports named in a note: `port 23025`, `127.0.0.1:23025`, `('127.0.0.1', 23025)`.
fn ports(note: &str) -> Vec<u32> {
    let words = note
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .filter(|w| !w.is_empty());
    let mut found = Vec::new();
    let mut previous = "";
    for word in words {
        let word = word.trim_end_matches('.');
        let candidate = if previous == "port" || previous.ends_with('\'') {
            Some(word)
        } else {
            word.rsplit_once(':')
                .filter(|(host, _)| host.contains('.') || host.ends_with(']'))
                .map(|(_, port)| port)
        };
        let digits = |p: &&str| (1..=5).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit());
        if let Some(port) = candidate.filter(digits).and_then(|p| p.parse().ok()) {
            found.push(port);
        }
        previous = word;
    }
    found
}

/// Which protocol's words a client line starts with.
fn by_command(line: &str) -> Option<Protocol> {
    let mut words = line.split_whitespace();
    let first = words.next()?.to_ascii_uppercase();
    let second = words
        .next()
        .map(str::to_ascii_uppercase)
        .unwrap_or_default();
    match first.as_str() {
        "EHLO" | "HELO" | "MAIL" | "RCPT" | "DATA" => return Some(Protocol::Smtp),
        "USER" | "PASS" | "STAT" | "RETR" | "DELE" | "UIDL" | "TOP" | "CAPA" | "STLS" | "APOP" => {
            return Some(Protocol::Pop3)
        }
        _ => {}
    }
    let imap = [
        "CAPABILITY",
        "LOGIN",
        "AUTHENTICATE",
        "SELECT",
        "EXAMINE",
        "FETCH",
        "UID",
        "LOGOUT",
        "LIST",
        "STATUS",
        "IDLE",
        "STORE",
        "SEARCH",
        "NOOP",
        "STARTTLS",
        "ENABLE",
    ];
    imap.contains(&second.as_str()).then_some(Protocol::Imap)
}

/// The protocol of a server line that is not a greeting.
fn by_reply(line: &str) -> Option<Protocol> {
    if line.starts_with("* ") {
        Some(Protocol::Imap)
    } else if line.starts_with("+OK") || line.starts_with("-ERR") {
        Some(Protocol::Pop3)
    } else if line
        .get(..3)
        .is_some_and(|c| c.chars().all(|c| c.is_ascii_digit()))
    {
        Some(Protocol::Smtp)
    } else {
        None
    }
}

/// Reads the protocol from a parsed log. Where nothing tells, SMTP.
pub(crate) fn detect(parsed: &Parsed) -> Detection {
    let lines = parsed.records.iter().filter_map(|r| match r {
        Record::Line { side, bytes, .. } => Some((*side, String::from_utf8_lossy(bytes))),
        _ => None,
    });
    let mut votes = [0usize; 3];
    let mut first_server = true;
    for (side, text) in lines {
        if side != Some(Side::Client) && first_server {
            if let Some(p) = by_greeting(&text) {
                return Detection {
                    protocol: p,
                    why: text!("log.why.greeting", word = greeting_word(&text)),
                };
            }
        }
        first_server &= side == Some(Side::Client);
        let vote = match side {
            Some(Side::Client) => by_command(&text),
            Some(Side::Server) => by_reply(&text),
            None => by_reply(&text).or_else(|| by_command(&text)),
        };
        if let Some(p) = vote {
            if let Some(v) = votes.get_mut(index(p)) {
                *v += 1;
            }
        }
    }
    for note in &parsed.notes {
        let named = ports(&note.text).into_iter();
        if let Some((port, p)) = named.filter_map(|n| by_port(n).map(|p| (n, p))).next() {
            return Detection {
                protocol: p,
                why: text!("log.why.port", port = port),
            };
        }
    }
    let best = [Protocol::Smtp, Protocol::Pop3, Protocol::Imap]
        .into_iter()
        .max_by_key(|p| votes.get(index(*p)).copied().unwrap_or(0))
        .unwrap_or(Protocol::Smtp);
    let why = if votes.iter().all(|v| *v == 0) {
        text!("log.why.nothing")
    } else {
        text!("log.why.words", protocol = best.name())
    };
    Detection {
        protocol: best,
        why,
    }
}

fn index(p: Protocol) -> usize {
    match p {
        Protocol::Pop3 => 1,
        Protocol::Imap => 2,
        _ => 0,
    }
}

fn greeting_word(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().take(2).collect();
    if words.first() == Some(&"*") {
        words.join(" ")
    } else {
        words.first().copied().unwrap_or_default().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::record::{LogLine, Parsed};

    #[test]
    fn ports_are_found_in_what_tools_print() {
        let found = ports("* Connected to 127.0.0.1 (127.0.0.1) port 23110 (#0)");
        assert_eq!(found, [23110]);
        assert_eq!(ports("=== Trying 127.0.0.1:10025..."), [10025]);
        assert_eq!(ports("connect: to ('127.0.0.1', 23025) None"), [23025]);
        assert!(ports("17:00:00.934341 reply: retcode (250)").is_empty());
        assert_eq!(by_port(23110), Some(Protocol::Pop3));
        assert_eq!(by_port(10587), Some(Protocol::Smtp));
        assert_eq!(by_port(8080), None);
    }

    #[test]
    fn greeting_first_then_port_then_words() {
        let mut p = Parsed::new();
        p.line(Some(Side::Client), b"a1 LOGIN bob secret", 1);
        p.notes.push(LogLine {
            number: 2,
            text: "Connected to 127.0.0.1 port 143".into(),
        });
        assert_eq!(detect(&p).protocol, Protocol::Imap);
        assert_eq!(detect(&p).why, "the log names port 143");
        p.line(None, b"* OK ready", 3);
        assert_eq!(detect(&p).why, "the server's greeting starts with * OK");
        let mut q = Parsed::new();
        q.line(None, b"+OK hello", 1);
        assert_eq!(detect(&q).why, "the server's greeting starts with +OK");
    }
}
