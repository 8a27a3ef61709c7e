//! What each line of an HTTP/1.1 message means, with the RFC 9110/9112 section that says so:
//! the text the lab shows beside a request or a response, line by line.

use super::decode;
use crate::explain::{Explanation, RfcRef};

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
                explanation: Explanation::new(
                    "Not an HTTP/1.1 message the other side can read",
                    format!("It is refused: {error}. A server answers 400 Bad Request."),
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
        explanation: Explanation::new(
            "An empty line: the header section ends",
            "CR LF on its own ends the fields; what follows is the body, as long as \
             Content-Length says.",
            RfcRef::new(9112, "2.1"),
        ),
    });
    if !body.is_empty() {
        let kind = if body.first() == Some(&b'{') {
            "a JSON object"
        } else {
            "content"
        };
        lines.push(Line {
            text: String::from_utf8_lossy(&body).into_owned(),
            explanation: Explanation::new(
                format!("The body: {} octets of {kind}", body.len()),
                "Exactly Content-Length octets, then the message is complete: the receiver \
                 knows where it ends without waiting for the connection to close.",
                RfcRef::new(9112, "6.3"),
            ),
        });
    }
    lines
}

fn request_line(line: &str) -> Explanation {
    let method = line.split(' ').next().unwrap_or_default();
    let (title, why, section) = match method {
        "POST" => (
            "POST: the body is for the server to process",
            "The method, the target on that server, and the version. POST asks the target to \
             process the enclosed representation — here, an email to send.",
            "9.3.3",
        ),
        "GET" => (
            "GET: send me this resource",
            "The method, the target on that server, and the version. GET asks for the current \
             representation of the target; it carries no body.",
            "9.3.1",
        ),
        _ => (
            "The request line",
            "Method, request target and HTTP version, separated by single spaces.",
            "9.1",
        ),
    };
    Explanation::new(title, why, RfcRef::new(9110, section))
}

fn status_line(line: &str) -> Explanation {
    let code = line.split(' ').nth(1).unwrap_or_default();
    let (title, why, section) = match code {
        "202" => (
            "202 Accepted: taken on, not yet done",
            "The server has accepted the request for processing, but has not completed it: \
             the email is queued. Whether it reaches the recipient is not known yet, and HTTP \
             has no way to say so later on this request.",
            "15.3.3",
        ),
        "200" => (
            "200 OK: done, and here is the result",
            "The request succeeded; the body holds the result.",
            "15.3.1",
        ),
        "400" => (
            "400 Bad Request: the server cannot read it",
            "Malformed syntax or an invalid body: the client must not repeat it unchanged.",
            "15.5.1",
        ),
        "401" => (
            "401 Unauthorized: no valid credentials",
            "The request lacks valid authentication credentials for the target.",
            "15.5.2",
        ),
        _ => (
            "The status line",
            "Version, a three-digit status code and a reason phrase for people.",
            "15",
        ),
    };
    let rfc = if section == "15" {
        RfcRef::new(9112, "4")
    } else {
        RfcRef::new(9110, section)
    };
    Explanation::new(title, why, rfc)
}

fn field(name: &str, value: &str) -> Explanation {
    let (title, why, section): (String, &str, &'static str) =
        match name.to_ascii_lowercase().as_str() {
            "host" => (
                format!("Host: {value}"),
                "Which site on that address the request is for: required in every HTTP/1.1 \
                 request, since one server may host many names.",
                "7.2",
            ),
            "authorization" => (
                "Authorization: the API key or token".to_string(),
                "The credentials, sent with every request instead of a login step: this is why \
                 an API needs no separate AUTH round trip. Only TLS keeps them from the path.",
                "11.6.2",
            ),
            "content-type" => (
                format!("Content-Type: {value}"),
                "The media type of the body, so the receiver knows how to read it.",
                "8.3",
            ),
            "content-length" => (
                format!("Content-Length: {value} octets of body"),
                "The body's size in octets: the receiver reads exactly that many and knows the \
                 message is complete.",
                "8.6",
            ),
            "accept" => (
                format!("Accept: {value}"),
                "Which media types the client can read in the response.",
                "12.5.1",
            ),
            "location" => (
                format!("Location: {value}"),
                "Where the created or queued resource can be looked at.",
                "10.2.2",
            ),
            _ => (
                format!("{name}: a header field"),
                "A name, a colon and a value; names are case-insensitive.",
                "5",
            ),
        };
    Explanation::new(title, why, RfcRef::new(9110, section))
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
