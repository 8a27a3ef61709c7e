//! IMAP response serialisation helpers: strings, flags and dates as RFC 9051 §9 writes them.

use std::collections::BTreeSet;

use super::mime::{Section, SectionText};

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

/// A quoted string when the octets allow one, else a literal (RFC 9051 §4.3).
pub fn quoted_or_literal(value: &[u8]) -> Vec<u8> {
    let quotable = value.len() < 1024 && value.iter().all(|b| (0x20..0x7f).contains(b));
    if quotable {
        let mut out = vec![b'"'];
        for &b in value {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
        out
    } else {
        literal(value)
    }
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

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`,
/// in UTC, for INTERNALDATE.
pub fn date_time(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let month = MONTHS
        .get(usize::try_from(m).unwrap_or(1).saturating_sub(1))
        .unwrap_or(&"Jan");
    format!(
        "\"{d:2}-{month}-{y:04} {:02}:{:02}:{:02} +0000\"",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
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
mod tests {
    use super::*;

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
        for days in [-1000, 0, 59, 365, 11017, 20000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(super::super::decode::days_from_civil(y, m, d), Some(days));
        }
    }
}
