//! SMTP command lines: parse arbitrary bytes, and round-trip every command that parses.
//!
//! Invariants:
//! - `decode::line` and `decode::command` never panic, and `line` reports a length within its
//!   input;
//! - for every command `c = decode(x)`, `decode(encode(c)) == c`. Raw bytes are not compared:
//!   the decoder upper-cases verbs and ESMTP keywords, accepts a space after `FROM:`/`TO:`,
//!   ignores source routes and replaces invalid UTF-8, so `encode(decode(x))` is a normal form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postroom_proto::smtp::decode::{self, LineError};
use postroom_proto::smtp::types::MAX_COMMAND_LINE;
use postroom_proto::smtp::Command;

fuzz_target!(|data: &[u8]| {
    // As the server reads: frame one line (at most 512 octets), then parse it.
    match decode::line(data, MAX_COMMAND_LINE) {
        Ok((text, used)) => {
            assert!(used <= data.len() && used <= MAX_COMMAND_LINE);
            assert!(text.len() < used, "the line end is part of what was used");
            if let Ok(cmd) = decode::command(text) {
                round_trip(&cmd);
            }
        }
        Err(LineError::Incomplete) => assert!(data.len() < MAX_COMMAND_LINE),
        Err(LineError::TooLong) => {}
    }
    // And the parser alone, on bytes that were never framed (CR, LF, NUL anywhere).
    if let Ok(cmd) = decode::command(data) {
        round_trip(&cmd);
    }
});

fn round_trip(cmd: &Command) {
    let wire = cmd.to_bytes();
    let (text, used) = match decode::line(&wire, usize::MAX) {
        Ok(found) => found,
        Err(e) => panic!("encoded {cmd:?} as {wire:?}, which has no line end: {e:?}"),
    };
    assert_eq!(
        used,
        wire.len(),
        "encoded {cmd:?} as {wire:?}, which is more than one line"
    );
    assert!(wire.ends_with(b"\r\n"));
    match decode::command(text) {
        Ok(again) => assert_eq!(&again, cmd, "{wire:?} decodes to a different command"),
        Err(e) => panic!("encoded {cmd:?} as {wire:?}, which does not decode: {e:?}"),
    }
}
