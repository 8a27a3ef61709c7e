//! What each line of an HTTP/1.1 message means, with the RFC 9110/9112 section that says so:
//! the text the lab shows beside a request or a response, line by line.

use super::decode;
use crate::explain::{Explanation, RfcRef};
use crate::{msg, text};

/// One line of a message (without its CR LF) and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub explanation: Explanation,
}

/// The lines of a request or a response, each explained; a message that does not parse is
/// one line saying why.
pub fn message(bytes: &[u8]) -> Vec<Line> {
    let is_response = bytes.starts_with(b"HTTP/");
    let parsed = if is_response {
        decode::response(bytes).map(|(r, _)| (r.fields, r.body))
    } else {
        decode::request(bytes).map(|(r, _)| (r.fields, r.body))
    };
    let (fields, body) = match parsed {
        Ok(parts) => parts,
        Err(error) => {
            return vec![Line {
                text: String::from_utf8_lossy(bytes)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                explanation: Explanation::from_message(
                    msg!("http.unreadable", error = error.to_string()),
                    RfcRef::new(9112, "2.2"),
                ),
            }]
        }
    };
    let text = String::from_utf8_lossy(bytes);
    let first = text.split("\r\n").next().unwrap_or_default().to_string();
    let mut lines = vec![Line {
        explanation: if is_response {
            status_line(&first)
        } else {
            request_line(&first)
        },
        text: first,
    }];
    for f in &fields {
        lines.push(Line {
            text: format!("{}: {}", f.name, f.value),
            explanation: field(&f.name, &f.value),
        });
    }
    lines.push(Line {
        text: String::new(),
        explanation: Explanation::from_message(
            msg!("http.end-of-fields"),
            RfcRef::new(9112, "2.1"),
        ),
    });
    if !body.is_empty() {
        let kind = if body.first() == Some(&b'{') {
            text!("http.json")
        } else {
            text!("http.content")
        };
        let message = msg!("http.body", octets = body.len(), kind = &kind);
        lines.push(Line {
            text: String::from_utf8_lossy(&body).into_owned(),
            explanation: Explanation::from_message(message, RfcRef::new(9112, "6.3")),
        });
    }
    lines
}

fn request_line(line: &str) -> Explanation {
    let method = line.split(' ').next().unwrap_or_default();
    let (message, section) = match method {
        "POST" => (msg!("http.post"), "9.3.3"),
        "GET" => (msg!("http.get"), "9.3.1"),
        _ => (msg!("http.request"), "9.1"),
    };
    Explanation::from_message(message, RfcRef::new(9110, section))
}

fn status_line(line: &str) -> Explanation {
    let code = line.split(' ').nth(1).unwrap_or_default();
    let (message, rfc) = match code {
        "202" => (msg!("http.accepted"), RfcRef::new(9110, "15.3.3")),
        "200" => (msg!("http.ok"), RfcRef::new(9110, "15.3.1")),
        "400" => (msg!("http.bad-request"), RfcRef::new(9110, "15.5.1")),
        "401" => (msg!("http.unauthorized"), RfcRef::new(9110, "15.5.2")),
        _ => (msg!("http.status"), RfcRef::new(9112, "4")),
    };
    Explanation::from_message(message, rfc)
}

fn field(name: &str, value: &str) -> Explanation {
    let (message, section) = match name.to_ascii_lowercase().as_str() {
        "host" => (msg!("http.host", value = value), "7.2"),
        "authorization" => (msg!("http.authorization"), "11.6.2"),
        "content-type" => (msg!("http.content-type", value = value), "8.3"),
        "content-length" => (msg!("http.content-length", value = value), "8.6"),
        "accept" => (msg!("http.accept", value = value), "12.5.1"),
        "location" => (msg!("http.location", value = value), "10.2.2"),
        _ => (msg!("http.field", name = name), "5"),
    };
    Explanation::from_message(message, RfcRef::new(9110, section))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;
    use crate::http::{Field, Request};

    #[test]
    fn each_line_of_a_post_is_explained_with_its_section() {
        let mut req = Request::new("POST", "/v3/mail/send", "api.example.com");
        req.fields
            .push(Field::new("Content-Type", "application/json"));
        req.body = b"{}".to_vec();
        let lines = message(&req.to_bytes());
        let sections: Vec<String> = lines.iter().map(|l| l.explanation.rfc.label()).collect();
        assert_eq!(
            sections,
            [
                "RFC 9110 §9.3.3",
                "RFC 9110 §7.2",
                "RFC 9110 §8.3",
                "RFC 9110 §8.6",
                "RFC 9112 §2.1",
                "RFC 9112 §6.3"
            ]
        );
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn garbage_is_one_line_that_says_why() {
        let lines = message(b"HELLO\r\n\r\n");
        assert_eq!(lines.len(), 1);
        assert!(lines[0].explanation.why.contains("RFC 9112 §3"));
    }
}
