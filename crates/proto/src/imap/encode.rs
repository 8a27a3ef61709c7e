//! IMAP response serialisation helpers: strings, flags and dates as RFC 9051 §9 writes them.
//!
//! Every string the server or client writes goes through [`quoted`] and [`literal`] here;
//! what differs is only the choice between them:
//! - [`string`] / [`nstring`] (ENVELOPE, BODYSTRUCTURE): quoted whenever RFC 3501's
//!   `QUOTED-CHAR` allows, so 7-bit text without NUL, CR or LF, however long; anything else
//!   as a literal `{n}\r\n...`. A NUL octet goes in a literal too, although `literal` only
//!   allows `CHAR8` (%x01-ff): IMAP has no legal way to send it outside BINARY's `literal8`.
//! - [`astring`] / [`quoted_or_literal`] (names we echo): an atom when possible, quoted only
//!   when printable and shorter than 1024 octets, else a literal.
//! - The client quotes its own arguments with [`quoted`] after dropping CR, LF and NUL.

use std::collections::BTreeSet;

use super::section::{Section, SectionText};
use crate::wire::calendar::{month_name, Utc};

/// An `astring` for a value we echo (mailbox names): an atom when it is one, else a quoted
/// string, else a literal. Never raw, so a name holding CRLF cannot forge a response line.
pub fn astring(value: &str) -> Vec<u8> {
    let atom = !value.is_empty()
        && value
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && !b"(){%*\"\\".contains(&b));
    if atom {
        return value.as_bytes().to_vec();
    }
    quoted_or_literal(value.as_bytes())
}

/// A quoted string when the octets are printable and fewer than 1024, else a literal
/// (RFC 9051 §4.3).
pub fn quoted_or_literal(value: &[u8]) -> Vec<u8> {
    if value.len() < 1024 && value.iter().all(|b| (0x20..0x7f).contains(b)) {
        quoted(value)
    } else {
        literal(value)
    }
}

/// `string = quoted / literal`: quoted when every octet is a `QUOTED-CHAR`, else a literal.
pub fn string(value: &[u8]) -> Vec<u8> {
    if quotable(value) {
        quoted(value)
    } else {
        literal(value)
    }
}

/// `nstring = string / nil`
pub fn nstring(value: Option<&[u8]>) -> Vec<u8> {
    match value {
        None => b"NIL".to_vec(),
        Some(v) => string(v),
    }
}

/// RFC 3501: `QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials`,
/// `TEXT-CHAR = <any CHAR except CR and LF>` and `CHAR = %x01-7F`. IMAP4rev2 would also
/// allow UTF-8 in quoted strings, but only after ENABLE, so 8-bit always goes in a literal.
fn quotable(v: &[u8]) -> bool {
    v.iter()
        .all(|&b| b != 0 && b != b'\r' && b != b'\n' && b < 0x80)
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`, with `"` and `\` escaped; the caller has chosen
/// octets a quoted string may hold.
pub fn quoted(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 2);
    out.push(b'"');
    for &b in value {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

/// `literal = "{" number "}" CRLF *CHAR8`
pub fn literal(value: &[u8]) -> Vec<u8> {
    let mut out = format!("{{{}}}\r\n", value.len()).into_bytes();
    out.extend_from_slice(value);
    out
}

/// `flag-list = "(" [flag *(SP flag)] ")"`
pub fn flag_list(flags: &BTreeSet<String>) -> String {
    let list: Vec<&str> = flags.iter().map(String::as_str).collect();
    format!("({})", list.join(" "))
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`,
/// in UTC, for INTERNALDATE.
pub fn date_time(unix_seconds: i64) -> String {
    let t = Utc::from_unix(unix_seconds);
    format!(
        "\"{:2}-{}-{:04} {} +0000\"",
        t.day,
        month_name(t.month),
        t.year,
        t.time_of_day()
    )
}

/// The section as it is echoed in a FETCH response: `BODY[1.HEADER.FIELDS (SUBJECT)]`.
pub fn section_name(section: &Section) -> String {
    let mut parts: Vec<String> = section.part.iter().map(u32::to_string).collect();
    match &section.text {
        None => {}
        Some(SectionText::Header) => parts.push("HEADER".into()),
        Some(SectionText::Text) => parts.push("TEXT".into()),
        Some(SectionText::Mime) => parts.push("MIME".into()),
        Some(SectionText::HeaderFields(names)) => {
            parts.push(format!("HEADER.FIELDS ({})", header_names(names)));
        }
        Some(SectionText::HeaderFieldsNot(names)) => {
            parts.push(format!("HEADER.FIELDS.NOT ({})", header_names(names)));
        }
    }
    parts.join(".")
}

/// Header names as echoed inside `BODY[...]`: upper-cased, an atom when plain, else quoted
/// (a `[` or `]` would be read as the section's end by simpler parsers).
fn header_names(names: &[String]) -> String {
    let echoed: Vec<String> = names
        .iter()
        .map(|n| {
            let upper = n.to_ascii_uppercase();
            if upper.bytes().any(|b| b == b'[' || b == b']') {
                String::from_utf8_lossy(&quoted_or_literal(upper.as_bytes())).into_owned()
            } else {
                String::from_utf8_lossy(&astring(&upper)).into_owned()
            }
        })
        .collect();
    echoed.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn echoed_names_are_atoms_quoted_or_literals() {
        assert_eq!(astring("INBOX"), b"INBOX");
        assert_eq!(astring("Saved Mail"), b"\"Saved Mail\"");
        assert_eq!(astring("a\"b"), b"\"a\\\"b\"");
        assert_eq!(astring("INBOX\r\nX"), b"{8}\r\nINBOX\r\nX");
        assert_eq!(astring(""), b"\"\"");
    }

    // Found by fuzzing: names were echoed raw, so a literal name could forge a response line.
    #[test]
    fn header_names_are_echoed_as_atoms_or_quoted() {
        let section = Section {
            part: vec![1],
            text: Some(SectionText::HeaderFields(vec![
                "subject".into(),
                "a]b".into(),
                "x(y".into(),
            ])),
        };
        assert_eq!(
            section_name(&section),
            "1.HEADER.FIELDS (SUBJECT \"A]B\" \"X(Y\")"
        );
    }

    #[test]
    fn internal_dates_are_written_in_utc() {
        assert_eq!(date_time(0), "\" 1-Jan-1970 00:00:00 +0000\"");
        assert_eq!(date_time(837_596_665), "\"17-Jul-1996 09:44:25 +0000\"");
    }

    #[test]
    fn nstring_forms() {
        assert_eq!(nstring(None), b"NIL");
        assert_eq!(nstring(Some(b"")), b"\"\"");
        assert_eq!(nstring(Some(b"NIL")), b"\"NIL\"");
        assert_eq!(nstring(Some(br#"a"b\c"#)), br#""a\"b\\c""#);
        assert_eq!(nstring(Some(b"line1\r\nline2")), b"{12}\r\nline1\r\nline2");
        assert_eq!(nstring(Some(b"a\0b")), b"{3}\r\na\0b");
        assert_eq!(
            nstring(Some("café".as_bytes())),
            b"{5}\r\ncaf\xc3\xa9".to_vec()
        );
        assert_eq!(nstring(Some(b"\xff")), b"{1}\r\n\xff".to_vec());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn nstring_round_trips(v in proptest::collection::vec(any::<u8>(), 0..64)) {
            let out = nstring(Some(&v));
            if out.first() == Some(&b'"') {
                let mut back = Vec::new();
                let mut it = out[1..out.len() - 1].iter();
                while let Some(&c) = it.next() {
                    back.push(if c == b'\\' { *it.next().unwrap() } else { c });
                }
                prop_assert_eq!(back, v);
            } else {
                let prefix = format!("{{{}}}\r\n", v.len());
                prop_assert!(out.starts_with(prefix.as_bytes()));
                prop_assert_eq!(&out[prefix.len()..], &v[..]);
            }
        }
    }
}
