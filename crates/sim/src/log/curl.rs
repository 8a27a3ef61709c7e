//! `curl -v`: `> ` what curl sent, `< ` what it received, `* ` what it tells about the
//! connection and TLS, `} [n bytes data]` and `{ [n bytes data]` for data it does not print.
//! Its progress meter and the downloaded message (on standard output) may be mixed in.

use super::record::{numbered, Ending, Parsed, Record, Side};

/// `[134 bytes data]` → 134.
fn data_size(rest: &str) -> Option<usize> {
    let inner = rest.trim().strip_prefix('[')?.strip_suffix(']')?;
    let digits = inner.strip_suffix(" bytes data")?;
    digits.trim().parse().ok()
}

/// A line of curl's progress meter: its heading, or eleven columns of numbers and times
/// (the first `*` line may be glued to the end of it).
fn is_progress(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("% Total") || t.starts_with("Dload") {
        return true;
    }
    let numeric = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | 'k' | 'M' | 'G'))
    };
    t.split_whitespace().take(11).filter(numeric).count() == 11
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::new();
    parsed.shows_handshakes = true;
    // Inside TLS, curl traces every TLS record as `[n bytes data]`: they are no data of the
    // dialogue left out.
    let mut tls = false;
    for (number, line) in numbered(text) {
        if let Some(rest) = line
            .strip_prefix("> ")
            .or_else(|| (line == ">").then_some(""))
        {
            parsed.line(Some(Side::Client), rest.as_bytes(), number);
        } else if let Some(rest) = line
            .strip_prefix("< ")
            .or_else(|| (line == "<").then_some(""))
        {
            parsed.line(Some(Side::Server), rest.as_bytes(), number);
        } else if let Some(rest) = line.strip_prefix("* ") {
            let info = rest.trim_start();
            if info.contains("TLS handshake") || info.starts_with("SSL connection using") {
                parsed.handshake(number, info);
                tls = true;
            }
            if let Some(size) = info
                .strip_prefix("Found ")
                .and_then(|r| r.strip_suffix(" bytes to download"))
                .and_then(|n| n.parse().ok())
            {
                // An IMAP literal curl writes out instead of printing.
                parsed.records.push(Record::Omitted {
                    side: Side::Server,
                    octets: Some(size),
                    at: number,
                });
            }
            if info.contains("left intact") {
                parsed.ending = Ending::LeftOpen;
            } else if info.starts_with("Closing connection") {
                parsed.ending = Ending::Unknown;
            }
            parsed.note(number, info);
        } else if tls && (line.starts_with("} [") || line.starts_with("{ [")) {
            parsed.note(number, line);
        } else if let Some(size) = line.strip_prefix("} ").and_then(data_size) {
            parsed.records.push(Record::Omitted {
                side: Side::Client,
                octets: Some(size),
                at: number,
            });
        } else if let Some(size) = line.strip_prefix("{ ").and_then(data_size) {
            parsed.records.push(Record::Omitted {
                side: Side::Server,
                octets: Some(size),
                at: number,
            });
        } else if is_progress(line) {
            parsed.note(number, line);
        } else if !line.trim().is_empty() {
            parsed.unread(number, line);
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sent_received_info_and_hidden_data() {
        let p = parse(
            "*   Trying 127.0.0.1:25...\n< 220 hi\n> DATA\n< 354 go\n} [134 bytes data]\n\
             * Connection #0 to host x left intact\nHello from the body\n",
        );
        assert_eq!(p.dialogue(), 3);
        assert_eq!(p.ending, Ending::LeftOpen);
        assert_eq!(p.unread.len(), 1);
        assert!(p.records.iter().any(|r| matches!(
            r,
            Record::Omitted {
                octets: Some(134),
                ..
            }
        )));
    }

    #[test]
    fn the_progress_meter_is_not_dialogue() {
        let p = parse(
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n\
             \x20                                Dload  Upload   Total   Spent    Left  Speed\n\
             \x20 0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0*   Trying 127.0.0.1:25...\n",
        );
        assert!(p.unread.is_empty(), "{:?}", p.unread);
    }
}
