//! swaks's transcript: each line starts with a three-character mark and a space.
//! ` ->` sent, `<- ` received, ` ~>` and `<~ ` the same inside TLS, `<**` and `<~*` a
//! reply that reports an error, `===` what swaks tells about the connection, `***` its
//! own errors.

use super::record::{numbered, Parsed, Record, Side};

/// What a mark says: the side, and whether the line crossed inside TLS.
fn mark(prefix: &str) -> Option<(Side, bool)> {
    match prefix {
        " ->" => Some((Side::Client, false)),
        " ~>" => Some((Side::Client, true)),
        "<- " | "<**" => Some((Side::Server, false)),
        "<~ " | "<~*" => Some((Side::Server, true)),
        _ => None,
    }
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::new();
    parsed.shows_handshakes = true;
    for (number, line) in numbered(text) {
        let prefix = line.get(..3).unwrap_or(line);
        // The text follows one space; a pasted empty message line may have lost it.
        let rest = line.get(3..).unwrap_or_default();
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        if let Some((side, tls)) = mark(prefix) {
            let mut bytes = rest.as_bytes().to_vec();
            bytes.extend_from_slice(b"\r\n");
            parsed.records.push(Record::Line {
                side: Some(side),
                bytes,
                at: number,
                encrypted: Some(tls),
            });
        } else if prefix == "===" || prefix == "***" || prefix == " **" {
            if rest.starts_with("TLS started") {
                parsed.handshake(number, rest);
            }
            parsed.note(number, rest);
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
    fn marks_give_side_and_tls() {
        let p =
            parse("<-  220 hi\n -> EHLO a\n=== TLS started with cipher x\n ~> QUIT\n<~* 500 no\n");
        assert_eq!(p.dialogue(), 4);
        assert_eq!(p.records.len(), 5);
        assert!(p.unread.is_empty());
        assert!(matches!(
            p.records.get(4),
            Some(Record::Line {
                side: Some(Side::Server),
                encrypted: Some(true),
                ..
            })
        ));
    }

    #[test]
    fn an_empty_message_line_keeps_its_place() {
        let p = parse(" -> \n ->\n");
        assert_eq!(p.dialogue(), 2);
    }
}
