//! POP3 serialisation: the inverse of `decode`.

use std::fmt;

use super::types::{Command, Response};

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::User(n) => write!(f, "USER {n}"),
            Command::Pass(p) => write!(f, "PASS {p}"),
            Command::Apop { name, digest } => write!(f, "APOP {name} {digest}"),
            Command::Auth {
                mechanism: None, ..
            } => f.write_str("AUTH"),
            Command::Auth {
                mechanism: Some(m),
                initial_response: None,
            } => write!(f, "AUTH {m}"),
            Command::Auth {
                mechanism: Some(m),
                initial_response: Some(r),
            } => write!(f, "AUTH {m} {r}"),
            Command::List(None) => f.write_str("LIST"),
            Command::List(Some(n)) => write!(f, "LIST {n}"),
            Command::Retr(n) => write!(f, "RETR {n}"),
            Command::Dele(n) => write!(f, "DELE {n}"),
            Command::Top { msg, lines } => write!(f, "TOP {msg} {lines}"),
            Command::Uidl(None) => f.write_str("UIDL"),
            Command::Uidl(Some(n)) => write!(f, "UIDL {n}"),
            other => f.write_str(other.keyword()),
        }
    }
}

impl Command {
    pub fn to_bytes(&self) -> Vec<u8> {
        format!("{self}\r\n").into_bytes()
    }
}

impl Response {
    /// The status line, then for a multi-line response each body line byte-stuffed (RFC 1939
    /// §3: "If any line ... begins with the termination octet, the line is 'byte-stuffed'")
    /// and the terminating ".".
    pub fn to_bytes(&self) -> Vec<u8> {
        let status = if self.ok { "+OK" } else { "-ERR" };
        let mut out = if self.text.is_empty() {
            format!("{status}\r\n").into_bytes()
        } else {
            format!("{status} {}\r\n", self.text).into_bytes()
        };
        if let Some(body) = &self.body {
            // dot_stuff appends the terminating line and ends an unfinished last line.
            out.extend(crate::message::dot_stuff(body));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::*;

    #[test]
    fn commands_round_trip() {
        for line in [
            "USER mrose",
            "PASS tan staaf",
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
            "AUTH",
            "AUTH PLAIN",
            "AUTH PLAIN AGFsaWNlAHNlY3JldA==",
            "STAT",
            "LIST",
            "LIST 2",
            "RETR 1",
            "DELE 1",
            "NOOP",
            "RSET",
            "QUIT",
            "TOP 1 10",
            "UIDL",
            "UIDL 2",
            "CAPA",
            "STLS",
        ] {
            let c = decode::command(line.as_bytes()).unwrap();
            assert_eq!(c.to_string(), line);
        }
    }

    #[test]
    fn multiline_responses_round_trip_with_byte_stuffing() {
        let r = Response::multiline("120 octets", b"Subject: x\r\n\r\n.hidden\r\n".to_vec());
        let bytes = r.to_bytes();
        assert_eq!(
            bytes,
            b"+OK 120 octets\r\nSubject: x\r\n\r\n..hidden\r\n.\r\n"
        );
        assert_eq!(decode::response(&bytes, true).unwrap(), (r, bytes.len()));
        assert_eq!(Response::ok("").to_bytes(), b"+OK\r\n");
        assert_eq!(
            Response::err("a\r\n+OK forged").to_bytes(),
            b"-ERR a  +OK forged\r\n"
        );
    }
}
