//! Python's mail modules with debugging on. Each prints Python literals of what crossed:
//! smtplib `send: '…'` and `reply: b'…'`; poplib `*cmd*`/`*put*` and `*resp*`/`*get*`
//! (the second of each pair only at debug level 2, with the exact line); imaplib `> b'…'`
//! and `< b'…'`, each line after a time stamp. smtplib's level 2 adds time stamps too.

use super::record::{numbered, Parsed, Record, Side};

/// The line without a leading time stamp (`17:00:00.934341 ` or imaplib's `  00:09.93 `),
/// and whether there was one.
fn without_time(line: &str) -> (&str, bool) {
    let t = line.trim_start();
    if let Some((first, rest)) = t.split_once(' ') {
        let stamp = first.len() >= 5
            && first.contains(':')
            && first.contains('.')
            && first
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        if stamp {
            return (rest, true);
        }
    }
    (line, false)
}

/// The bytes a Python literal stands for: `b'…'`, `b"…"`, `'…'` or `"…"`, with the
/// escapes `repr` writes.
pub(crate) fn literal(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    let body = text.strip_prefix('b').unwrap_or(text);
    let quote = body.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = body.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            '0' => out.push(0),
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'v' => out.push(11),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            'u' | 'U' => return None,
            other => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Some(out)
}

/// `read literal size 21` → 21.
fn literal_size(rest: &str, what: &str) -> Option<usize> {
    rest.strip_prefix(what)?.trim().parse().ok()
}

/// Each line of `bytes` as one record: smtplib sends the whole message in one `send:`.
fn lines(parsed: &mut Parsed, side: Side, bytes: &[u8], at: usize) {
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        parsed.line(Some(side), line, at);
    }
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::new();
    // poplib prints each line twice at level 2: keep the exact one.
    let has_put = text.contains("*put* ");
    let has_get = text.contains("*get* ");
    for (number, line) in numbered(text) {
        let (rest, stamped) = without_time(line);
        let said = |prefix: &str| rest.strip_prefix(prefix).and_then(literal);
        if let Some(bytes) = said("send: ").or_else(|| said("> ")) {
            lines(&mut parsed, Side::Client, &bytes, number);
        } else if let Some(bytes) = said("reply: ").or_else(|| said("< ")) {
            lines(&mut parsed, Side::Server, &bytes, number);
        } else if let Some(bytes) = said("*put* ").or_else(|| said("*cmd* ").filter(|_| !has_put)) {
            lines(&mut parsed, Side::Client, &bytes, number);
        } else if let Some(bytes) = said("*get* ").or_else(|| said("*resp* ").filter(|_| !has_get))
        {
            lines(&mut parsed, Side::Server, &bytes, number);
        } else if let Some(size) = literal_size(rest, "read literal size") {
            parsed.records.push(Record::Omitted {
                side: Side::Server,
                octets: Some(size),
                at: number,
            });
        } else if let Some(size) = literal_size(rest, "write literal size") {
            parsed.records.push(Record::Omitted {
                side: Side::Client,
                octets: Some(size),
                at: number,
            });
        } else if stamped
            || [
                "reply: retcode",
                "data: (",
                "connect: ",
                "*cmd* ",
                "*resp* ",
                "*stat* ",
            ]
            .iter()
            .any(|p| rest.starts_with(p))
        {
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
    fn python_literals_decode_as_repr_wrote_them() {
        assert_eq!(literal(r"b'250 ok\r\n'"), Some(b"250 ok\r\n".to_vec()));
        assert_eq!(
            literal(r#"b"+OK bob's maildrop\r\n""#),
            Some(b"+OK bob's maildrop\r\n".to_vec())
        );
        assert_eq!(literal(r"'ehlo x\r\n'"), Some(b"ehlo x\r\n".to_vec()));
        assert_eq!(
            literal(r"b'* FLAGS (\\Seen)'"),
            Some(b"* FLAGS (\\Seen)".to_vec())
        );
        assert_eq!(literal(r"b'\xc3\xa9'"), Some("é".as_bytes().to_vec()));
        assert_eq!(literal("b'unterminated"), None);
        assert_eq!(literal(r"b'\x4'"), None);
    }

    #[test]
    fn poplib_level_two_keeps_the_exact_lines_only() {
        let p = parse("*cmd* 'USER bob'\n*put* b'USER bob'\n*get* b'+OK\\r\\n'\n*resp* b'+OK'\n");
        assert_eq!(p.dialogue(), 2);
        assert!(p.unread.is_empty());
    }

    #[test]
    fn imaplib_lines_and_literals() {
        let p = parse(
            "  00:09.94 > b'A1 FETCH 1 BODY[]'\n  00:09.94 < b'* 1 FETCH (BODY[] {21}'\n  \
             00:09.94 read literal size 21\n  00:09.94 < b')'\n",
        );
        assert_eq!(p.dialogue(), 3);
        assert_eq!(p.records.len(), 4);
    }
}
