//! What each POP3 line means, for students; each text cites the rule it describes.

use super::types::{Command, Response};
use crate::explain::{Explanation, RfcRef};

const RFC: u16 = 1939;

/// Explains a command the client sent.
pub fn command(cmd: &Command) -> Explanation {
    let (title, why, rfc, section) = match cmd {
        Command::User(name) => (
            format!("Log in as {name}: first the user name"),
            "USER names the mailbox; the password follows with PASS. Both cross the wire as \
             typed, so this belongs on an encrypted connection.",
            RFC,
            "7",
        ),
        Command::Pass(_) => (
            "…then the password".to_string(),
            "PASS completes the login. If it is right, the server locks the mailbox so that no \
             other POP3 session can change it, and the TRANSACTION state begins.",
            RFC,
            "7",
        ),
        Command::Apop { name, .. } => (
            format!("Log in as {name} without sending the password"),
            "APOP sends an MD5 digest of the greeting's timestamp followed by the password. The \
             server computes the same digest; the password itself never crosses the wire.",
            RFC,
            "7",
        ),
        Command::Auth { mechanism, .. } => (
            format!(
                "Log in with SASL {}",
                mechanism.as_deref().unwrap_or("(which mechanisms?)")
            ),
            "AUTH PLAIN carries the user name and password base64-encoded: an encoding, not \
             encryption.",
            5034,
            "4",
        ),
        Command::Stat => (
            "How many messages, how big?".to_string(),
            "STAT answers with the number of messages and their total size in octets. Messages \
             marked for deletion are not counted.",
            RFC,
            "5",
        ),
        Command::List(None) => (
            "List every message and its size".to_string(),
            "LIST gives one line per message: its number in this session and its size. The \
             numbers stay fixed until the session ends.",
            RFC,
            "5",
        ),
        Command::List(Some(n)) => (
            format!("How big is message {n}?"),
            "LIST with a number answers for that message only.",
            RFC,
            "5",
        ),
        Command::Retr(n) => (
            format!("Download message {n}"),
            "RETR sends the whole message. Lines that start with a period get a second one \
             (byte-stuffing), and a line with a single period ends it.",
            RFC,
            "5",
        ),
        Command::Dele(n) => (
            format!("Mark message {n} for deletion"),
            "DELE only marks the message. The server deletes it in the UPDATE state, after \
             QUIT. If the connection breaks first, nothing is deleted.",
            RFC,
            "5",
        ),
        Command::Noop => (
            "Still there?".to_string(),
            "NOOP does nothing but keeps the session alive.",
            RFC,
            "5",
        ),
        Command::Rset => (
            "Undo the deletions".to_string(),
            "RSET unmarks every message marked with DELE in this session.",
            RFC,
            "5",
        ),
        Command::Quit => (
            "Goodbye: now delete what was marked".to_string(),
            "QUIT from the TRANSACTION state enters UPDATE: the server removes the messages \
             marked with DELE, releases the lock and closes the connection.",
            RFC,
            "6",
        ),
        Command::Top { msg, lines } => (
            format!("Headers and the first {lines} lines of message {msg}"),
            "TOP lets a client preview a message without downloading all of it.",
            RFC,
            "7",
        ),
        Command::Uidl(_) => (
            "Which messages are these, for good?".to_string(),
            "UIDL gives each message a unique-id that stays the same across sessions. A client \
             that leaves mail on the server uses it to download only what is new.",
            RFC,
            "7",
        ),
        Command::Capa => (
            "What can this server do?".to_string(),
            "CAPA lists the server's capabilities (TOP, UIDL, STLS, SASL ...), one per line.",
            2449,
            "5",
        ),
        Command::Stls => (
            "Switch to encryption (TLS)".to_string(),
            "STLS upgrades this connection: after the server's +OK both sides run a TLS \
             handshake, and everything after it is encrypted on the wire.",
            2595,
            "4",
        ),
    };
    Explanation::new(title, why, RfcRef::new(rfc, section))
}

/// Explains a response, given the command it answers (`None`: the greeting), for a
/// session that has logged in by then (see [`response_in`]).
pub fn response(r: &Response, to: Option<&Command>) -> Explanation {
    response_in(r, to, true)
}

/// Explains a response, given the command it answers (`None`: the greeting) and whether
/// the session had logged in when the command was sent: QUIT means something else before
/// (RFC 1939 §4) and after (§6).
pub fn response_in(r: &Response, to: Option<&Command>, logged_in: bool) -> Explanation {
    if !r.ok {
        return refusal(r);
    }
    let (title, why, section) = match to {
        None => (
            "The server is ready".to_string(),
            "The greeting: +OK and the server's name. The client may now log in with \
             USER and PASS, APOP or AUTH; a timestamp in angle brackets is what APOP digests."
                .to_string(),
            "4",
        ),
        Some(Command::Quit) if !logged_in => (
            "Signed off before logging in: nothing changed".to_string(),
            "QUIT in the AUTHORIZATION state only closes the connection: no mailbox was \
             opened, so there is nothing to update."
                .to_string(),
            "4",
        ),
        Some(Command::Quit) => (
            "Signed off: the messages marked with DELE are now deleted".to_string(),
            "QUIT after logging in enters the UPDATE state: the server removes every \
             message marked for deletion, releases the lock and closes. Nothing marked, \
             nothing removed."
                .to_string(),
            "6",
        ),
        Some(Command::Stls) => {
            return Explanation::new(
                "Go ahead: start the TLS handshake",
                "The +OK to STLS: the TLS handshake begins right after this line, on the same \
                 connection. From then on everything is encrypted on the wire. The client \
                 forgets the capabilities it learned in plain text and asks CAPA again.",
                RfcRef::new(2595, "4"),
            )
        }
        Some(cmd) => {
            let title = match cmd {
                Command::Retr(n) => format!("Here is message {n}"),
                Command::Dele(n) => format!("Message {n} is marked; it goes at QUIT"),
                Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. } => {
                    "Logged in; the mailbox is locked for this session".to_string()
                }
                cmd => format!("{} accepted", cmd.keyword()),
            };
            let why = if r.body.is_some() {
                "+OK and then several lines, ended by a line with a single period."
            } else {
                "+OK: the command succeeded."
            };
            (title, why.to_string(), "3")
        }
    };
    Explanation::new(title, why, RfcRef::new(RFC, section))
}

/// A -ERR, with what its response code (RFC 2449 §8) tells.
fn refusal(r: &Response) -> Explanation {
    let (why, rfc) = match r.code() {
        Some("IN-USE") => (
            "[IN-USE]: another POP3 session has this mailbox open, and POP3 allows only one at \
             a time.",
            RfcRef::new(2449, "8.1.2"),
        ),
        Some("AUTH") => (
            "[AUTH]: the server did not accept these credentials: a wrong password, an \
             unknown user name or a locked account. It does not say which, so as not to help \
             someone guessing.",
            RfcRef::new(3206, "5"),
        ),
        Some(code) if code.starts_with("SYS/TEMP") => (
            "[SYS/TEMP]: a problem on the server's side that should pass; try again later.",
            RfcRef::new(3206, "4"),
        ),
        Some(code) if code.starts_with("SYS/PERM") => (
            "[SYS/PERM]: a problem on the server's side that trying again will not fix.",
            RfcRef::new(3206, "4"),
        ),
        _ => (
            "-ERR: the command failed; the session goes on.",
            RfcRef::new(RFC, "3"),
        ),
    };
    Explanation::new(format!("Refused: {}", r.text), why, rfc)
}
