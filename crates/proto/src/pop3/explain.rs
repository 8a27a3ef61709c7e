//! What each POP3 line means, for students; each text cites the rule it describes. The
//! texts are messages (`pop3.…` in the catalogues), the values as sent.

use super::types::{Command, Response};
use crate::explain::{Explanation, RfcRef};
use crate::msg;

const RFC: u16 = 1939;

/// Explains a command the client sent.
pub fn command(cmd: &Command) -> Explanation {
    let (message, rfc, section) = match cmd {
        Command::User(name) => (msg!("pop3.cmd.user", name = name), RFC, "7"),
        Command::Pass(_) => (msg!("pop3.cmd.pass"), RFC, "7"),
        Command::Apop { name, .. } => (msg!("pop3.cmd.apop", name = name), RFC, "7"),
        Command::Auth {
            mechanism: Some(mechanism),
            ..
        } => (msg!("pop3.cmd.auth", mechanism = mechanism), 5034, "4"),
        Command::Auth {
            mechanism: None, ..
        } => (msg!("pop3.cmd.auth-list"), 5034, "4"),
        Command::Stat => (msg!("pop3.cmd.stat"), RFC, "5"),
        Command::List(None) => (msg!("pop3.cmd.list-all"), RFC, "5"),
        Command::List(Some(n)) => (msg!("pop3.cmd.list", n = *n), RFC, "5"),
        Command::Retr(n) => (msg!("pop3.cmd.retr", n = *n), RFC, "5"),
        Command::Dele(n) => (msg!("pop3.cmd.dele", n = *n), RFC, "5"),
        Command::Noop => (msg!("pop3.cmd.noop"), RFC, "5"),
        Command::Rset => (msg!("pop3.cmd.rset"), RFC, "5"),
        Command::Quit => (msg!("pop3.cmd.quit"), RFC, "6"),
        // Headers only: a count of 0 would read wrongly in French, where 0 takes "one".
        Command::Top { msg, lines: 0 } => (msg!("pop3.cmd.top-headers", n = *msg), RFC, "7"),
        Command::Top { msg, lines } => (msg!("pop3.cmd.top", n = *msg, lines = *lines), RFC, "7"),
        Command::Uidl(_) => (msg!("pop3.cmd.uidl"), RFC, "7"),
        Command::Capa => (msg!("pop3.cmd.capa"), 2449, "5"),
        Command::Stls => (msg!("pop3.cmd.stls"), 2595, "4"),
    };
    Explanation::from_message(message, RfcRef::new(rfc, section))
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
    let (message, rfc, section) = match to {
        None => (msg!("pop3.reply.ready"), RFC, "4"),
        Some(Command::Quit) if !logged_in => (msg!("pop3.reply.quit-early"), RFC, "4"),
        Some(Command::Quit) => (msg!("pop3.reply.quit"), RFC, "6"),
        Some(Command::Stls) => (msg!("pop3.reply.stls"), 2595, "4"),
        Some(Command::Retr(n)) => (msg!("pop3.reply.retr", n = *n), RFC, "3"),
        Some(Command::Dele(n)) => (msg!("pop3.reply.dele", n = *n), RFC, "3"),
        Some(Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. }) => {
            (msg!("pop3.reply.login"), RFC, "3")
        }
        Some(cmd) if r.body.is_some() => (
            msg!("pop3.reply.ok-lines", command = cmd.keyword()),
            RFC,
            "3",
        ),
        Some(cmd) => (msg!("pop3.reply.ok", command = cmd.keyword()), RFC, "3"),
    };
    Explanation::from_message(message, RfcRef::new(rfc, section))
}

/// A -ERR, with what its response code (RFC 2449 §8) tells.
fn refusal(r: &Response) -> Explanation {
    let text = &r.text;
    let (message, rfc) = match r.code() {
        Some("IN-USE") => (
            msg!("pop3.err.in-use", text = text),
            RfcRef::new(2449, "8.1.2"),
        ),
        Some("AUTH") => (msg!("pop3.err.auth", text = text), RfcRef::new(3206, "5")),
        Some(code) if code.starts_with("SYS/TEMP") => (
            msg!("pop3.err.sys-temp", text = text),
            RfcRef::new(3206, "4"),
        ),
        Some(code) if code.starts_with("SYS/PERM") => (
            msg!("pop3.err.sys-perm", text = text),
            RfcRef::new(3206, "4"),
        ),
        _ => (msg!("pop3.err.other", text = text), RfcRef::new(RFC, "3")),
    };
    Explanation::from_message(message, rfc)
}
