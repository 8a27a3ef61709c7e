//! Shared by the IMAP server session targets: every output unit must be whole responses for
//! our client's parser and, unless `skip_codec` says imap-codec cannot read it, for imap-codec.

use imap_codec::decode::Decoder;
use imap_codec::{GreetingCodec, ResponseCodec};
use postroom_proto::imap::response::{self, Response};
use postroom_proto::imap::{ImapServer, ServerEvent};
use postroom_proto::DecodeError;

pub fn drain(server: &mut ImapServer, units: &mut usize, skip_codec: fn(&[u8]) -> bool) {
    while let Some(out) = server.poll_output() {
        check_unit(&out, *units == 0, skip_codec);
        *units += 1;
    }
    while let Some(event) = server.poll_event() {
        if event == ServerEvent::TlsRequested {
            server.tls_established();
        }
    }
}

fn check_unit(out: &[u8], greeting: bool, skip_codec: fn(&[u8]) -> bool) {
    assert!(!out.is_empty(), "an empty output unit");
    let mut rest = out;
    let mut first = true;
    while !rest.is_empty() {
        match response::response(rest) {
            Ok((r, used)) => {
                if greeting && first {
                    assert!(
                        matches!(&r, Response::Status { status, .. } if matches!(status.as_str(), "OK" | "PREAUTH" | "BYE")),
                        "the first output is not a greeting: {r:?}"
                    );
                }
                first = false;
                rest = &rest[used..];
            }
            Err(DecodeError::Incomplete) => panic!(
                "our parser: the unit ends inside a response: {:?}",
                String::from_utf8_lossy(out)
            ),
            Err(DecodeError::Failed) => panic!(
                "our parser rejects {:?} in the unit {:?}",
                String::from_utf8_lossy(rest),
                String::from_utf8_lossy(out)
            ),
        }
    }
    if skip_codec(out) {
        return;
    }
    let mut rest = out;
    if greeting {
        match GreetingCodec::default().decode(rest) {
            Ok((r, _)) => rest = r,
            Err(e) => panic!(
                "imap-codec rejects the greeting ({e:?}): {:?}",
                String::from_utf8_lossy(out)
            ),
        }
    }
    while !rest.is_empty() {
        match ResponseCodec::default().decode(rest) {
            Ok((r, _)) => rest = r,
            Err(e) => panic!(
                "imap-codec rejects ({e:?}) {:?} in the unit {:?}",
                String::from_utf8_lossy(rest),
                String::from_utf8_lossy(out)
            ),
        }
    }
}
