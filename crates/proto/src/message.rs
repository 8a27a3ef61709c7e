//! RFC 5322 messages as the engine moves them: header fields, a body, CRLF line ends, and
//! SMTP's transparency procedure (dot-stuffing).

use crate::wire::calendar::{month_name, Utc};

/// A message in RFC 5322 form. Lines always end in CRLF on the wire, whatever the author typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    headers: Vec<(String, String)>,
    body: String,
}

impl Message {
    /// A message with the usual header fields. `date` is the RFC 5322 date-time text, which
    /// the caller supplies because the engine has no calendar clock.
    pub fn new(from: &str, to: &str, subject: &str, date: &str, body: &str) -> Self {
        let headers = vec![
            ("From".to_string(), from.to_string()),
            ("To".to_string(), to.to_string()),
            ("Subject".to_string(), subject.to_string()),
            ("Date".to_string(), date.to_string()),
        ];
        Message {
            headers,
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The message as octets: header fields, an empty line, the body; every line ends in CRLF.
    /// RFC 5322 §2.1: lines are delimited by CRLF, and a bare CR or LF is not allowed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        for (name, value) in &self.headers {
            // A header value typed with line breaks would inject new fields: fold to spaces.
            let value: String = value
                .chars()
                .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
                .collect();
            out.push_str(name);
            out.push_str(": ");
            out.push_str(&value);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out.push_str(&normalise_line_ends(&self.body));
        if !out.ends_with("\r\n") {
            out.push_str("\r\n");
        }
        out.into_bytes()
    }
}

/// Turns LF, CR and CRLF line ends into CRLF.
pub fn normalise_line_ends(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified.replace('\n', "\r\n")
}

/// RFC 5321 §4.5.2: "Before sending a line of mail text, the SMTP client checks the first
/// character of the line. If it is a period, one additional period is inserted at the
/// beginning of the line." Appends the terminating `.` line; `data` must end in CRLF.
pub fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5);
    let mut at_line_start = true;
    for &b in data {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !at_line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// RFC 5321 §4.5.2: "If the first character is a period and there are other characters on
/// the line, the first character is deleted." `data` is the mail data without the final
/// `.` CRLF line.
pub fn dot_unstuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut at_line_start = true;
    for &b in data {
        if at_line_start && b == b'.' {
            at_line_start = false;
            continue;
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    out
}

/// RFC 5322 §3.3 date-time, in UTC: `Fri, 6 Mar 2026 09:40:00 +0000`.
pub fn date(unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let t = Utc::from_unix(unix_seconds);
    // 1 January 1970 was a Thursday.
    let day = DAYS
        .get(usize::try_from(t.days.rem_euclid(7)).unwrap_or(0))
        .unwrap_or(&"Thu");
    format!(
        "{day}, {} {} {} {} +0000",
        t.day,
        month_name(t.month),
        t.year,
        t.time_of_day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starting_with_a_period_gets_a_second_one() {
        let stuffed = dot_stuff(b"Hi\r\n.signature\r\n..two\r\n");
        assert_eq!(stuffed, b"Hi\r\n..signature\r\n...two\r\n.\r\n");
    }

    #[test]
    fn unstuffing_undoes_stuffing() {
        let original = b".start\r\nmiddle\r\n.\r\n..\r\nend\r\n";
        let stuffed = dot_stuff(original);
        let body = stuffed.strip_suffix(b".\r\n").unwrap_or(&stuffed);
        assert_eq!(dot_unstuff(body), original);
    }

    #[test]
    fn text_typed_with_bare_line_feeds_is_sent_with_crlf() {
        let m = Message::new(
            "a@example.org",
            "b@example.net",
            "Hi",
            "Mon, 1 Jan 2024 09:00:00 +0000",
            "one\ntwo",
        );
        let bytes = m.to_bytes();
        assert!(bytes.ends_with(b"\r\n\r\none\r\ntwo\r\n"));
        assert_eq!(m.header("subject"), Some("Hi"));
    }

    #[test]
    fn a_header_value_cannot_inject_another_field() {
        let m = Message::new("a@x.org", "b@y.net", "Hi\r\nBcc: eve@z.com", "d", "x");
        let text = String::from_utf8_lossy(&m.to_bytes()).to_string();
        assert!(text.contains("Subject: Hi  Bcc: eve@z.com\r\n"));
    }

    #[test]
    fn dates_are_rfc_5322_with_the_day_of_the_week() {
        assert_eq!(super::date(1_772_787_600), "Fri, 6 Mar 2026 09:00:00 +0000");
        assert_eq!(super::date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(
            super::date(951_782_400 + 86_399),
            "Tue, 29 Feb 2000 23:59:59 +0000"
        );
    }
}
