//! SMTP serialisation: the inverse of `decode`, round-trip tested.

use std::fmt;

use super::types::{Command, Reply};

/// Free text in a command (a client name, VRFY's string) on one line: a line break would
/// turn into a second command.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

impl fmt::Display for Command {
    /// The command line without its CRLF, verbs in upper case as RFC 5321 writes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Ehlo(d) => write!(f, "EHLO {}", one_line(d)),
            Command::Helo(d) => write!(f, "HELO {}", one_line(d)),
            Command::Mail { from, params } => {
                write!(f, "MAIL FROM:{from}")?;
                params.iter().try_for_each(|p| write!(f, " {p}"))
            }
            Command::Rcpt { to, params } => {
                write!(f, "RCPT TO:<{to}>")?;
                params.iter().try_for_each(|p| write!(f, " {p}"))
            }
            Command::Data => f.write_str("DATA"),
            Command::Rset => f.write_str("RSET"),
            Command::Noop(None) => f.write_str("NOOP"),
            Command::Noop(Some(s)) => write!(f, "NOOP {}", one_line(s)),
            Command::Quit => f.write_str("QUIT"),
            Command::Vrfy(s) => write!(f, "VRFY {}", one_line(s)),
            Command::Help(None) => f.write_str("HELP"),
            Command::Help(Some(s)) => write!(f, "HELP {}", one_line(s)),
            Command::StartTls => f.write_str("STARTTLS"),
            Command::Auth {
                mechanism,
                initial_response: None,
            } => write!(f, "AUTH {}", one_line(mechanism)),
            Command::Auth {
                mechanism,
                initial_response: Some(r),
            } => write!(f, "AUTH {} {}", one_line(mechanism), one_line(r)),
        }
    }
}

impl Command {
    /// The command as octets on the wire, CRLF included.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!("{self}\r\n").into_bytes()
    }
}

impl Reply {
    /// RFC 5321 §4.2.1: every line but the last is `code-text`, the last is `code SP text`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let last = self.lines().len().saturating_sub(1);
        for (i, line) in self.lines().iter().enumerate() {
            let sep = if i == last { ' ' } else { '-' };
            out.extend_from_slice(format!("{}{}{}\r\n", self.code(), sep, line).as_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::types::ReplyCode;
    use super::*;
    use proptest::prelude::*;

    fn round_trip(line: &str) {
        let c = decode::command(line.as_bytes()).unwrap();
        assert_eq!(c.to_string(), line);
        assert_eq!(decode::command(c.to_string().as_bytes()).unwrap(), c);
    }

    #[test]
    fn commands_round_trip() {
        for line in [
            "EHLO client.example.org",
            "HELO [192.0.2.1]",
            "MAIL FROM:<alice@example.org> SIZE=1024 BODY=8BITMIME",
            "MAIL FROM:<>",
            "RCPT TO:<\"john smith\"@example.net>",
            "DATA",
            "RSET",
            "NOOP",
            "NOOP hello there",
            "QUIT",
            "VRFY bob",
            "HELP MAIL",
            "STARTTLS",
            "AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=",
            "AUTH LOGIN",
            "AUTH PLAIN =",
        ] {
            round_trip(line);
        }
    }

    #[test]
    fn replies_encode_multi_line() {
        let r = Reply::new(ReplyCode::OK, &["mx.example.net", "PIPELINING", "8BITMIME"]);
        assert_eq!(
            r.to_bytes(),
            b"250-mx.example.net\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
        );
    }

    #[test]
    fn a_client_name_cannot_inject_a_second_command() {
        let c = Command::Ehlo("evil\r\nRSET".into());
        assert_eq!(c.to_bytes(), b"EHLO evil  RSET\r\n");
    }

    #[test]
    fn long_or_non_ascii_reply_text_still_fits_one_512_octet_line() {
        let r = Reply::single(ReplyCode::OK, &format!("greets {}", "a".repeat(600)));
        let bytes = r.to_bytes();
        assert_eq!(bytes.len(), 512);
        assert!(bytes.ends_with(b"...\r\n"));
        assert_eq!(
            Reply::single(ReplyCode::OK, "caf\u{e9}").to_bytes(),
            b"250 caf?\r\n"
        );
        // Decoding a reply with odd octets and a bare LF re-encodes to something that decodes.
        let (odd, _) = decode::reply(b"250 \xff\xfe ok\n").unwrap();
        assert_eq!(decode::reply(&odd.to_bytes()).unwrap().0, odd);
    }

    #[test]
    fn a_reply_cannot_be_made_to_forge_a_line() {
        let r = Reply::single(ReplyCode::OK, "hello\r\n250 forged");
        assert_eq!(r.to_bytes(), b"250 hello  250 forged\r\n");
    }

    proptest! {
        #[test]
        fn replies_round_trip(code in 200u16..560, lines in prop::collection::vec("[ -~]{0,60}", 1..5)) {
            prop_assume!((code / 10) % 10 <= 5);
            let r = Reply::new(ReplyCode::try_from(code).unwrap(), &lines);
            let bytes = r.to_bytes();
            let (back, used) = decode::reply(&bytes).unwrap();
            prop_assert_eq!(used, bytes.len());
            prop_assert_eq!(back, r);
        }

        #[test]
        fn command_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            let _ = decode::line(&bytes, 512);
            let _ = decode::command(&bytes);
            let _ = decode::reply(&bytes);
        }
    }
}
