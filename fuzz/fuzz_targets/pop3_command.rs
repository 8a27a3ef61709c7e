//! POP3 command lines: parse arbitrary bytes, and round-trip every command that parses.
//!
//! Invariants:
//! - `smtp::decode::line` (the framing the POP3 server uses, 255 octets at most) and
//!   `pop3::decode::command` never panic;
//! - for every command `c = decode(x)`, `c.to_bytes()` is one CRLF line and decodes back to
//!   `c`. Raw bytes are not compared: keywords are case-insensitive and the AUTH mechanism
//!   is upper-cased, and invalid UTF-8 is replaced, so `encode(decode(x))` is a normal form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postroom_proto::pop3::decode;
use postroom_proto::pop3::types::MAX_COMMAND_LINE;
use postroom_proto::pop3::Command;
use postroom_proto::smtp::decode::{line, LineError};

fuzz_target!(|data: &[u8]| {
    // As the server reads: frame one line (at most 255 octets), then parse it.
    match line(data, MAX_COMMAND_LINE) {
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
    // And the parser alone, on bytes that were never framed (CR, LF, NUL anywhere): this is
    // what a caller building a command from user input gets.
    if let Ok(cmd) = decode::command(data) {
        round_trip(&cmd);
    }
});

fn round_trip(cmd: &Command) {
    let wire = cmd.to_bytes();
    let (text, used) = match line(&wire, usize::MAX) {
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
