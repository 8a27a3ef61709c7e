//! HTTP/1.1 parsers (RFC 9112's ABNF), written with nom; each is named after its rule,
//! quoted above it.
//!
//! Framing comes first: the head ends at the first empty line (RFC 9112 §2.1), and any
//! prefix of a message is [`HttpError::Incomplete`], so bytes fed one at a time parse the
//! same as a whole message. The head's lines are then parsed whole with nom's `complete`
//! parsers, and the body is as long as `Content-Length` says (RFC 9112 §6.3).

use nom::bytes::complete::{tag, take_while, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{all_consuming, map, opt, recognize};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use super::{Field, HttpError, Request, Response, MAX_BODY, MAX_HEAD};

/// Parses one request from the start of `input`; returns it and the octets it used.
pub fn request(input: &[u8]) -> Result<(Request, usize), HttpError> {
    let (start, fields, head_len) = head(input)?;
    let (method, target, version) = all_consuming(request_line)
        .parse(start)
        .map(|(_, parts)| parts)
        .map_err(|_| HttpError::BadRequestLine)?;
    check_version(version)?;
    let (body, used) = body(input, head_len, &fields)?;
    let request = Request {
        method: text(method),
        target: text(target),
        fields,
        body,
    };
    Ok((request, used))
}

/// Parses one response from the start of `input`; returns it and the octets it used.
pub fn response(input: &[u8]) -> Result<(Response, usize), HttpError> {
    let (start, fields, head_len) = head(input)?;
    let (version, status, reason) = all_consuming(status_line)
        .parse(start)
        .map(|(_, parts)| parts)
        .map_err(|_| HttpError::BadStatusLine)?;
    check_version(version)?;
    let (body, used) = body(input, head_len, &fields)?;
    let status = text(status).parse().map_err(|_| HttpError::BadStatusLine)?;
    let response = Response {
        status,
        reason: text(reason.unwrap_or_default()),
        fields,
        body,
    };
    Ok((response, used))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// RFC 9112 §2.3: a major version other than 1 is another protocol.
fn check_version(version: &[u8]) -> Result<(), HttpError> {
    if version.starts_with(b"HTTP/1.") {
        Ok(())
    } else {
        Err(HttpError::UnsupportedVersion(text(version)))
    }
}

/// The start line, the fields, and the head's length with its empty line.
fn head(input: &[u8]) -> Result<(&[u8], Vec<Field>, usize), HttpError> {
    let Some(end) = input.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(if input.len() > MAX_HEAD {
            HttpError::TooLarge
        } else {
            HttpError::Incomplete
        });
    };
    if end > MAX_HEAD {
        return Err(HttpError::TooLarge);
    }
    let head = input.get(..end).unwrap_or_default();
    let mut lines = split_crlf(head);
    let start = lines.next().unwrap_or_default();
    let fields = lines
        .map(|line| {
            all_consuming(field_line)
                .parse(line)
                .map(|(_, f)| f)
                .map_err(|_| HttpError::BadField(String::from_utf8_lossy(line).into_owned()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((start, fields, end + 4))
}

/// Lines of the head, split at CR LF only: a bare CR or LF stays in its line, where the
/// line's parser refuses it (RFC 9112 §2.2).
fn split_crlf(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(head);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.windows(2).position(|w| w == b"\r\n") {
            Some(at) => {
                rest = current.get(at + 2..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The body after the head: exactly `Content-Length` octets, none without it (a request
/// without one has no body, RFC 9112 §6.3 rule 6; our responses always say their length).
fn body(input: &[u8], head_len: usize, fields: &[Field]) -> Result<(Vec<u8>, usize), HttpError> {
    if super::field(fields, "transfer-encoding").is_some() {
        return Err(HttpError::TransferEncoding);
    }
    let mut length: Option<usize> = None;
    for f in fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("content-length"))
    {
        let value = all_consuming(content_length)
            .parse(f.value.as_bytes())
            .ok()
            .and_then(|(_, digits)| text(digits).parse::<usize>().ok())
            .ok_or(HttpError::BadContentLength)?;
        if length.is_some_and(|l| l != value) {
            return Err(HttpError::BadContentLength);
        }
        length = Some(value);
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY {
        return Err(HttpError::TooLarge);
    }
    let end = head_len + length;
    match input.get(head_len..end) {
        Some(body) => Ok((body.to_vec(), end)),
        None => Err(HttpError::Incomplete),
    }
}

/// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
/// "|" / "~" / DIGIT / ALPHA` (RFC 9110 §5.6.2)
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `token = 1*tchar`
fn token(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(is_tchar).parse(input)
}

/// `VCHAR = %x21-7E`, and `obs-text = %x80-FF`
fn is_vchar(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) || b >= 0x80
}

/// `HTTP-version = HTTP-name "/" DIGIT "." DIGIT`, `HTTP-name = %s"HTTP"` (RFC 9112 §2.3);
/// any digits here, so that "HTTP/2.0" is told apart from garbage.
fn http_version(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let digit = || take_while_m_n(1, 1, |b: u8| b.is_ascii_digit());
    recognize((tag("HTTP/"), digit(), char('.'), digit())).parse(input)
}

/// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3); the target is
/// the visible characters up to the space (§3.2: origin-form and the others).
#[allow(clippy::type_complexity)]
fn request_line(input: &[u8]) -> IResult<&[u8], (&[u8], &[u8], &[u8])> {
    let target = take_while1(|b: u8| (0x21..=0x7e).contains(&b));
    (
        terminated(token, char(' ')),
        terminated(target, char(' ')),
        http_version,
    )
        .parse(input)
}

/// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4), with
/// `status-code = 3DIGIT` and `reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )`. A
/// missing SP after the code is accepted, as §4 asks of recipients.
#[allow(clippy::type_complexity)]
fn status_line(input: &[u8]) -> IResult<&[u8], (&[u8], &[u8], Option<&[u8]>)> {
    let code = take_while_m_n(3, 3, |b: u8| b.is_ascii_digit());
    let reason = take_while(|b: u8| b == b' ' || b == b'\t' || is_vchar(b));
    (
        terminated(http_version, char(' ')),
        code,
        opt(preceded(char(' '), reason)),
    )
        .parse(input)
}

/// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5), `field-name = token`.
/// No whitespace before the colon (§5.1: a server MUST reject it), and no obs-fold (§5.2):
/// a value holds only visible characters, spaces and tabs.
fn field_line(input: &[u8]) -> IResult<&[u8], Field> {
    let value = take_while(|b: u8| b == b' ' || b == b'\t' || is_vchar(b));
    map(
        (terminated(token, char(':')), value),
        |(name, value): (&[u8], &[u8])| Field {
            name: text(name),
            value: text(value).trim_matches([' ', '\t']).to_string(),
        },
    )
    .parse(input)
}

/// `Content-Length = 1*DIGIT` (RFC 9110 §8.6)
fn content_length(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_digit()).parse(input)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn a_post_with_a_body_parses_and_says_how_much_it_used() {
        let bytes = b"POST /v3/mail/send HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 2\r\n\r\n{}rest";
        let (req, used) = request(bytes).unwrap();
        assert_eq!(
            (req.method.as_str(), req.target.as_str()),
            ("POST", "/v3/mail/send")
        );
        assert_eq!(req.field("host"), Some("api.example.com"));
        assert_eq!((req.body.as_slice(), used), (&b"{}"[..], bytes.len() - 4));
    }

    #[test]
    fn every_prefix_is_incomplete() {
        let bytes = b"HTTP/1.1 202 Accepted\r\nContent-Length: 3\r\n\r\nabc";
        for n in 0..bytes.len() {
            assert_eq!(response(&bytes[..n]), Err(HttpError::Incomplete), "{n}");
        }
        assert_eq!(response(bytes).unwrap().0.status, 202);
    }

    #[test]
    fn malformed_messages_are_refused_with_their_reason() {
        let cases: [(&[u8], HttpError); 7] = [
            (b"POST  /x HTTP/1.1\r\n\r\n", HttpError::BadRequestLine),
            (
                b"POST /x HTTP/2.0\r\n\r\n",
                HttpError::UnsupportedVersion("HTTP/2.0".into()),
            ),
            (
                b"POST /x HTTP/1.1\r\nHost : a\r\n\r\n",
                HttpError::BadField("Host : a".into()),
            ),
            (
                b"POST /x HTTP/1.1\r\nA: b\r\n c\r\n\r\n",
                HttpError::BadField(" c".into()),
            ),
            (
                b"POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
                HttpError::BadContentLength,
            ),
            (
                b"POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                HttpError::BadContentLength,
            ),
            (
                b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                HttpError::TransferEncoding,
            ),
        ];
        for (bytes, error) in cases {
            assert_eq!(request(bytes).map(|_| ()), Err(error));
        }
        assert_eq!(
            response(b"HTTP/1.1 20 OK\r\n\r\n").map(|_| ()),
            Err(HttpError::BadStatusLine)
        );
        assert_eq!(
            request(b"GET /\nHost: a\r\n\r\n").map(|_| ()),
            Err(HttpError::BadRequestLine)
        );
    }
}
