//! Content-Transfer-Encodings undone (RFC 2045 §6): base64 and quoted-printable, for
//! IMAP's FETCH BINARY, which sends a part's octets decoded (RFC 9051 §6.4.5).

/// Why a body part cannot be sent as BINARY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecodable {
    /// A Content-Transfer-Encoding this server does not know: `NO [UNKNOWN-CTE]`.
    UnknownCte,
    /// Base64 or quoted-printable that breaks the encoding's rules.
    Corrupt,
}

/// A body part's octets with its Content-Transfer-Encoding (RFC 2045 §6) undone. Text comes
/// with CRLF line ends: "servers MUST ensure that textual line-oriented sections are always
/// transmitted using the IMAP CRLF line termination syntax" (RFC 9051 §7.5.2).
pub fn decode_transfer(body: &[u8], encoding: &[u8], text: bool) -> Result<Vec<u8>, Undecodable> {
    let decoded = match encoding {
        b"7BIT" | b"8BIT" | b"BINARY" => body.to_vec(),
        b"BASE64" => base64_body(body).ok_or(Undecodable::Corrupt)?,
        b"QUOTED-PRINTABLE" => quoted_printable(body).ok_or(Undecodable::Corrupt)?,
        _ => return Err(Undecodable::UnknownCte),
    };
    Ok(if text { crlf(&decoded) } else { decoded })
}

/// Base64 as a body carries it: in lines, so white space between the symbols is dropped
/// (RFC 2045 §6.8: "All line breaks or other characters not found in Table 1 must be
/// ignored by decoding software" -- we ignore only white space and refuse the rest, which a
/// conforming encoder never writes).
fn base64_body(body: &[u8]) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .collect();
    let text = std::str::from_utf8(&symbols).ok()?;
    crate::base64::decode(text, crate::base64::Alphabet::Standard)
}

/// Quoted-printable (RFC 2045 §6.7), strictly: `=` must start `=XX` (two hex digits) or a
/// soft line break; white space at the end of a line is transport padding (rule 3) and
/// goes. Lower-case hex digits are taken, as §6.7 (1) suggests a robust decoder does.
fn quoted_printable(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut lines = body.split(|&b| b == b'\n').peekable();
    while let Some(raw) = lines.next() {
        let line_end = lines.peek().is_some();
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let end = line
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(0, |p| p + 1);
        let mut rest = line.get(..end).unwrap_or_default();
        let soft_break = rest.last() == Some(&b'=');
        if soft_break {
            rest = rest.get(..rest.len() - 1).unwrap_or_default();
        }
        while let Some((&b, after)) = rest.split_first() {
            if b == b'=' {
                let (hi, lo) = match after {
                    [hi, lo, ..] => (hex(*hi)?, hex(*lo)?),
                    _ => return None,
                };
                out.push(hi << 4 | lo);
                rest = after.get(2..).unwrap_or_default();
            } else {
                out.push(b);
                rest = after;
            }
        }
        if line_end && !soft_break {
            out.extend_from_slice(b"\r\n");
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Bare LFs become CRLF.
fn crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut previous = 0u8;
    for &b in data {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quoted_printable_is_decoded_strictly() {
        assert_eq!(
            quoted_printable(b"caf=C3=A9 =\r\nau lait  \r\nx=3d1").unwrap(),
            b"caf\xc3\xa9 au lait\r\nx=1"
        );
        assert_eq!(quoted_printable(b"a=\nb\n").unwrap(), b"ab\r\n");
        assert_eq!(quoted_printable(b"=4"), None);
        assert_eq!(quoted_printable(b"=G0"), None);
        assert_eq!(quoted_printable(b"= \r\n").unwrap(), b"");
    }

    #[test]
    fn transfer_encodings_are_undone_or_refused() {
        assert_eq!(
            decode_transfer(b"AAEC\r\nAw==\r\n", b"BASE64", false).unwrap(),
            [0, 1, 2, 3]
        );
        assert_eq!(
            decode_transfer(b"AAEC!", b"BASE64", false),
            Err(Undecodable::Corrupt)
        );
        assert_eq!(
            decode_transfer(b"x", b"X-UUENCODE", false),
            Err(Undecodable::UnknownCte)
        );
        assert_eq!(
            decode_transfer(b"YQpi", b"BASE64", true).unwrap(),
            b"a\r\nb"
        );
    }
}
