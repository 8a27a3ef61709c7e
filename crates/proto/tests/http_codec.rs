//! The HTTP/1.1 codec: whatever it encodes parses back to the same message, split anywhere;
//! and no input, however broken, makes it panic.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use postroom_proto::http::{decode, Field, HttpError, Request, Response};
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

fn fields() -> impl Strategy<Value = Vec<Field>> {
    // Content-Length is the codec's to write; any other name and a value of visible
    // characters with inner spaces.
    prop::collection::vec((token(), "[!-~]([ -~]{0,20}[!-~])?"), 0..6).prop_map(|pairs| {
        pairs
            .into_iter()
            .filter(|(n, _)| {
                !n.eq_ignore_ascii_case("content-length")
                    && !n.eq_ignore_ascii_case("transfer-encoding")
            })
            .map(|(n, v)| Field::new(&n, &v))
            .collect()
    })
}

proptest! {
    #[test]
    fn requests_round_trip(method in token(), target in "/[!-~]{0,30}", fields in fields(),
                           body in prop::collection::vec(any::<u8>(), 0..200), split in 0usize..400) {
        let request = Request { method, target, fields, body };
        let bytes = request.to_bytes();
        let (parsed, used) = decode::request(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(&parsed.body, &request.body);
        prop_assert_eq!((&parsed.method, &parsed.target), (&request.method, &request.target));
        // The fields come back, with the Content-Length the encoder added.
        prop_assert_eq!(&parsed.fields[..request.fields.len()], &request.fields[..]);
        let cut = split.min(bytes.len().saturating_sub(1));
        prop_assert_eq!(decode::request(&bytes[..cut]).map(|_| ()), Err(HttpError::Incomplete));
    }

    #[test]
    fn responses_round_trip(status in 100u16..600, reason in "[ -~]{0,20}", fields in fields(),
                            body in prop::collection::vec(any::<u8>(), 0..200)) {
        let response = Response { status, reason: reason.trim_end().to_string(), fields, body };
        let bytes = response.to_bytes();
        let (parsed, used) = decode::response(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(parsed.status, response.status);
        prop_assert_eq!(&parsed.reason, &response.reason);
        prop_assert_eq!(&parsed.fields[..response.fields.len()], &response.fields[..]);
        prop_assert_eq!(&parsed.body, &response.body);
    }

    /// A control character in the head (RFC 9112 §2.2, RFC 9110 §5.5: neither a start
    /// line nor a field may hold one) is refused with a reason, never read as a message.
    #[test]
    fn a_control_character_in_the_head_is_refused(method in token(), target in "/[!-~]{0,30}",
                                                  fields in fields(), at in any::<prop::sample::Index>(),
                                                  control in prop::sample::select(vec![0u8, 1, 7, 8, 11, 12, 27, 127])) {
        let request = Request { method, target, fields, body: b"{}".to_vec() };
        let mut bytes = request.to_bytes();
        let head = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let at = at.index(head);
        // Not in place of a line's CR LF: that would be a line break, not a character in a line.
        prop_assume!(!matches!(bytes[at], b'\r' | b'\n'));
        bytes[at] = control;
        let refused = decode::request(&bytes);
        prop_assert!(
            matches!(refused, Err(ref e) if *e != HttpError::Incomplete),
            "{:?} read {:?}", String::from_utf8_lossy(&bytes), refused
        );
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode::request(&bytes);
        let _ = decode::response(&bytes);
        let _ = postroom_proto::http::explain::message(&bytes);
    }

    #[test]
    fn damaged_messages_never_panic(cut in 0usize..200, byte in any::<u8>(), at in 0usize..200) {
        let mut bytes = b"POST /v3/mail/send HTTP/1.1\r\nHost: api.example.com\r\nContent-Length: 5\r\n\r\nhello".to_vec();
        if let Some(b) = bytes.get_mut(at) { *b = byte; }
        bytes.truncate(cut.max(1));
        let _ = decode::request(&bytes);
        let _ = postroom_proto::http::explain::message(&bytes);
    }
}
