//! imap-codec, an independent IMAP implementation, as an oracle: every octet our server
//! sends must parse as greetings and responses, with nothing left over.

use imap_codec::decode::{Decoder, GreetingDecodeError, ResponseDecodeError};
use imap_codec::imap_types::response::{Response, Status};
use imap_codec::{GreetingCodec, ResponseCodec};

/// Parses `bytes` (everything a server sent, in order) and returns the tags of the tagged
/// responses, with their status, so tests can also check that the meaning is the same.
#[allow(dead_code)]
pub fn parse_server_output(bytes: &[u8]) -> Vec<(String, String)> {
    parse_server_output_except(bytes, |_| false).0
}

/// As [`parse_server_output`], but a response whose first line `unparsable` picks is taken
/// off as that line (it must hold no literal) and returned beside the tags, for the caller
/// to check by its exact bytes: for what imap-codec does not know, such as ESEARCH.
pub fn parse_server_output_except(
    bytes: &[u8],
    unparsable: impl Fn(&[u8]) -> bool,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut skipped = Vec::new();
    let mut rest = bytes;
    let mut tagged = Vec::new();
    if rest.starts_with(b"* OK [CAPABILITY") || rest.starts_with(b"* OK Postroom") {
        match GreetingCodec::default().decode(rest) {
            Ok((r, _)) => rest = r,
            Err(GreetingDecodeError::Incomplete) => {
                panic!("greeting incomplete: {:?}", String::from_utf8_lossy(rest))
            }
            Err(e) => panic!(
                "imap-codec rejects our greeting ({e:?}): {:?}",
                String::from_utf8_lossy(rest)
            ),
        }
    }
    while !rest.is_empty() {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(rest.len(), |p| p + 2);
        let (line, after) = rest.split_at(line_end);
        if unparsable(line) {
            skipped.push(String::from_utf8_lossy(line).into_owned());
            rest = after;
            continue;
        }
        match ResponseCodec::default().decode(rest) {
            Ok((r, response)) => {
                if let Response::Status(Status::Tagged(tagged_status)) = &response {
                    let kind = format!("{:?}", tagged_status.body.kind).to_ascii_uppercase();
                    tagged.push((tagged_status.tag.inner().to_string(), kind));
                }
                rest = r;
            }
            Err(ResponseDecodeError::Incomplete) => panic!(
                "imap-codec: incomplete response: {:?}",
                String::from_utf8_lossy(rest)
            ),
            Err(e) => panic!(
                "imap-codec rejects ({e:?}): {:?}",
                String::from_utf8_lossy(rest)
            ),
        }
    }
    (tagged, skipped)
}
