//! SMTP replies: parse arbitrary bytes, and round-trip every reply that parses.
//!
//! Invariants:
//! - `decode::reply` never panics and never claims more octets than it was given;
//! - every proper prefix of a parsed reply is `Incomplete` (a client fed byte by byte waits
//!   rather than failing);
//! - for every reply `r = decode(x)`, `encode(r)` parses back to `r`, using all its octets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postroom_proto::smtp::decode;
use postroom_proto::DecodeError;

fuzz_target!(|data: &[u8]| {
    let Ok((reply, used)) = decode::reply(data) else {
        return;
    };
    assert!(used > 0 && used <= data.len());
    assert_eq!(
        decode::reply(&data[..used - 1]),
        Err(DecodeError::Incomplete),
        "a prefix of a reply is not Incomplete"
    );
    let wire = reply.to_bytes();
    match decode::reply(&wire) {
        Ok((again, used_again)) => {
            assert_eq!(used_again, wire.len(), "{wire:?} is more than one reply");
            assert_eq!(again, reply, "{wire:?} decodes to a different reply");
        }
        Err(e) => panic!(
            "{reply:?} (decoded from {:?}) encodes as {:?}, which does not decode: {e}",
            String::from_utf8_lossy(&data[..used]),
            String::from_utf8_lossy(&wire)
        ),
    }
});
