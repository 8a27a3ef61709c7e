//! A small sans-IO HTTP/1.1 codec (RFC 9112 message syntax, RFC 9110 semantics): request
//! line, status line, header fields and a `Content-Length` body — what an email API's
//! `POST` and its answer need, and no more (no chunked coding, no trailers, no HTTP/2).
//!
//! [`decode`] parses with nom and refuses malformed input with an [`HttpError`] that says
//! what is wrong; `to_bytes` encodes. [`explain`] explains a message line by line with the
//! RFC section for each.

pub mod api;
pub mod decode;
pub mod explain;
pub mod jmap;
pub mod json;

use std::fmt;

/// The longest head (start line and fields) accepted; a longer one is refused, as servers
/// refuse one that does not fit their buffer (RFC 9112 §3: 431, or 400).
pub const MAX_HEAD: usize = 16 * 1024;
/// The largest body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// One header field: its name as sent, and its value without surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
}

impl Field {
    pub fn new(name: &str, value: &str) -> Self {
        Field {
            name: name.to_string(),
            value: value.to_string(),
        }
    }
}

/// An HTTP/1.1 request: `method SP request-target SP HTTP-version`, fields, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub fields: Vec<Field>,
    pub body: Vec<u8>,
}

/// An HTTP/1.1 response: `HTTP-version SP status-code SP [ reason-phrase ]`, fields, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub fields: Vec<Field>,
    pub body: Vec<u8>,
}

/// Why bytes are not an HTTP/1.1 message this codec accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// A prefix of a message: wait for more bytes.
    Incomplete,
    /// RFC 9112 §3: the request line is not `method SP request-target SP HTTP-version`.
    BadRequestLine,
    /// RFC 9112 §4: the status line is not `HTTP-version SP 3DIGIT SP reason-phrase`.
    BadStatusLine,
    /// RFC 9112 §2.3: only HTTP/1.x is spoken here.
    UnsupportedVersion(String),
    /// RFC 9112 §5: a field line is not `field-name ":" OWS field-value OWS` (the line).
    BadField(String),
    /// RFC 9112 §6.3: Content-Length is not a number, or two disagree.
    BadContentLength,
    /// RFC 9112 §6.1: chunked bodies are not supported by this codec.
    TransferEncoding,
    /// The head or the body is larger than this codec accepts.
    TooLarge,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Incomplete => f.write_str("incomplete message: more bytes are needed"),
            HttpError::BadRequestLine => f.write_str(
                "the request line is not \"method SP request-target SP HTTP-version\" (RFC 9112 §3)",
            ),
            HttpError::BadStatusLine => f.write_str(
                "the status line is not \"HTTP-version SP status-code SP reason-phrase\" (RFC 9112 §4)",
            ),
            HttpError::UnsupportedVersion(v) => {
                write!(f, "{v} is not HTTP/1.1 (RFC 9112 §2.3)")
            }
            HttpError::BadField(line) => write!(
                f,
                "\"{line}\" is not a header field \"name: value\" (RFC 9112 §5)"
            ),
            HttpError::BadContentLength => f.write_str(
                "Content-Length is not one number of octets (RFC 9112 §6.3)",
            ),
            HttpError::TransferEncoding => {
                f.write_str("Transfer-Encoding (chunked bodies) is not supported here (RFC 9112 §6.1)")
            }
            HttpError::TooLarge => f.write_str("the message is larger than this codec accepts"),
        }
    }
}

impl std::error::Error for HttpError {}

/// The value of the first field called `name` (field names are case-insensitive,
/// RFC 9110 §5.1).
pub fn field<'a>(fields: &'a [Field], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.value.as_str())
}

/// Head and body, with a `Content-Length` matching the body added when the message has one
/// and the fields do not say it (RFC 9110 §8.6).
fn encode(start: String, fields: &[Field], body: &[u8]) -> Vec<u8> {
    let mut out = start.into_bytes();
    out.extend_from_slice(b"\r\n");
    for f in fields {
        out.extend_from_slice(format!("{}: {}\r\n", f.name, f.value).as_bytes());
    }
    if !body.is_empty() && field(fields, "content-length").is_none() {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

impl Request {
    /// A request with the fields every request here carries: `Host` (RFC 9110 §7.2).
    pub fn new(method: &str, target: &str, host: &str) -> Self {
        Request {
            method: method.to_string(),
            target: target.to_string(),
            fields: vec![Field::new("Host", host)],
            body: Vec::new(),
        }
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }

    /// The octets on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let start = format!("{} {} HTTP/1.1", self.method, self.target);
        encode(start, &self.fields, &self.body)
    }
}

impl Response {
    /// A response with the reason phrase RFC 9110 §15 gives the status code.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            reason: reason(status).to_string(),
            fields: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }

    /// The octets on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let start = format!("HTTP/1.1 {:03} {}", self.status, self.reason);
        encode(start, &self.fields, &self.body)
    }
}

/// RFC 9110 §15's reason phrases for the codes used here.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        _ => "",
    }
}
