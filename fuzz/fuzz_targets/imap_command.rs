//! IMAP commands as the server reads them: frame arbitrary bytes, then parse the command.
//!
//! Invariants:
//! - `imap::decode::frame` and `imap::decode::command` never panic;
//! - a `Complete(n)` frame is within the input and ends with its LF, and every proper
//!   prefix of it is `Incomplete` (a server fed byte by byte waits rather than failing);
//! - the parser also survives bytes that were never framed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postroom_proto::imap::decode::{self, Framing};

fuzz_target!(|data: &[u8]| {
    if let Framing::Complete(n) = decode::frame(data) {
        assert!(
            n > 0 && n <= data.len(),
            "frame {n} of {} octets",
            data.len()
        );
        assert_eq!(data[n - 1], b'\n', "a frame ends with its LF");
        assert!(
            matches!(decode::frame(&data[..n - 1]), Framing::Incomplete { .. }),
            "a prefix of a whole command is not Incomplete"
        );
        let _ = decode::command(&data[..n]);
    }
    let _ = decode::command(data);
});
