//! POP3 responses: parse arbitrary bytes as a single-line or multi-line response, and
//! round-trip every response that parses.
//!
//! Input layout: byte 0 bit 0 is the `multiline` flag (what the client expects after LIST,
//! RETR, TOP, UIDL, CAPA), the rest is what the server sent.
//!
//! Invariants:
//! - `pop3::decode::response` never panics and never claims more octets than it was given;
//! - every proper prefix of a parsed response is `Incomplete` (a client fed byte by byte
//!   waits rather than failing);
//! - for every response `r = decode(x)`, `r.to_bytes()` parses back to `r` with the same flag,
//!   using all its octets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postroom_proto::pop3::decode;
use postroom_proto::DecodeError;

fuzz_target!(|data: &[u8]| {
    let [flags, input @ ..] = data else {
        return;
    };
    let multiline = flags & 1 != 0;
    let Ok((response, used)) = decode::response(input, multiline) else {
        return;
    };
    assert!(used > 0 && used <= input.len());
    assert_eq!(
        decode::response(&input[..used - 1], multiline),
        Err(DecodeError::Incomplete),
        "a prefix of a response is not Incomplete"
    );
    if multiline && response.ok {
        assert!(response.body.is_some(), "a multi-line +OK has no body");
    } else {
        assert!(response.body.is_none(), "a single-line response has a body");
    }
    let wire = response.to_bytes();
    match decode::response(&wire, multiline) {
        Ok((again, used_again)) => {
            assert_eq!(used_again, wire.len(), "{wire:?} is more than one response");
            assert_eq!(again, response, "{wire:?} decodes to a different response");
        }
        Err(e) => panic!(
            "{response:?} (decoded from {:?}) encodes as {:?}, which does not decode: {e}",
            String::from_utf8_lossy(&input[..used]),
            String::from_utf8_lossy(&wire)
        ),
    }
});
