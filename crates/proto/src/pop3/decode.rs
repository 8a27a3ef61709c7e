//! POP3 parsers. Commands follow RFC 2449 §9's ABNF; responses are framed by line, with
//! multi-line responses ended by a line holding a single "." (RFC 1939 §3).

use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{all_consuming, map_res, opt};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::types::{Command, Response, MAX_RESPONSE_LINE};
use crate::wire::{line, LineError};
use crate::DecodeError;

/// Why a command line could not be understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandError {
    /// Not a command this server knows (`LAST`, `XTND`, typos).
    Unknown,
    /// A known command with bad arguments; says the usage.
    Syntax(&'static str),
}

/// Text as sent, with each octet that is not UTF-8 shown as `?`: one character per octet, so
/// re-encoding never makes a line longer than the one received (U+FFFD would take three).
fn to_string(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(chunk.invalid().iter().map(|_| '?'));
    }
    text
}

/// `keyword = 3*4VCHAR` (RFC 2449 §9), compared case-insensitively (RFC 1939 §3).
fn keyword(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while_m_n(3, 4, |b: u8| b.is_ascii_alphabetic()).parse(input)
}

/// `param = 1*VCHAR`
fn param(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| (0x21..=0x7e).contains(&b)).parse(input)
}

/// A message-number or a count: 1*DIGIT, fitting in 32 bits.
fn number(input: &[u8]) -> IResult<&[u8], u32> {
    map_res(take_while1(|b: u8| b.is_ascii_digit()), |d: &[u8]| {
        std::str::from_utf8(d)
            .map_err(|_| ())
            .and_then(|s| s.parse::<u32>().map_err(|_| ()))
    })
    .parse(input)
}

fn sp<'a, O>(
    p: impl Parser<&'a [u8], Output = O, Error = nom::error::Error<&'a [u8]>>,
) -> impl Parser<&'a [u8], Output = O, Error = nom::error::Error<&'a [u8]>> {
    preceded(char(' '), p)
}

/// Parses one command line (without CRLF).
pub fn command(line: &[u8]) -> Result<Command, CommandError> {
    let (rest, word) = keyword(line).map_err(|_| CommandError::Unknown)?;
    if rest.first().is_some_and(|b| *b != b' ') {
        return Err(CommandError::Unknown);
    }
    let word = word.to_ascii_uppercase();
    let (parsed, usage): (Option<Command>, &'static str) = match word.as_slice() {
        b"USER" => (
            all(rest, sp(param)).map(|n| Command::User(to_string(n))),
            "USER name",
        ),
        b"PASS" => (
            rest.strip_prefix(b" ")
                // A password is the rest of one line: CR or LF in it would end the line.
                .filter(|p| !p.is_empty() && !p.iter().any(|&b| b == b'\r' || b == b'\n'))
                .map(|p| Command::Pass(to_string(p))),
            "PASS password",
        ),
        b"APOP" => (
            all(rest, (sp(param), sp(param))).map(|(n, d)| Command::Apop {
                name: to_string(n),
                digest: to_string(d),
            }),
            "APOP name digest",
        ),
        b"AUTH" => (
            all(rest, opt((sp(param), opt(sp(param))))).map(|a| match a {
                None => Command::Auth {
                    mechanism: None,
                    initial_response: None,
                },
                Some((m, r)) => Command::Auth {
                    mechanism: Some(to_string(m).to_ascii_uppercase()),
                    initial_response: r.map(to_string),
                },
            }),
            "AUTH [mechanism [initial-response]]",
        ),
        b"STAT" => (rest.is_empty().then_some(Command::Stat), "STAT"),
        b"LIST" => (all(rest, opt(sp(number))).map(Command::List), "LIST [msg]"),
        b"RETR" => (all(rest, sp(number)).map(Command::Retr), "RETR msg"),
        b"DELE" => (all(rest, sp(number)).map(Command::Dele), "DELE msg"),
        b"NOOP" => (rest.is_empty().then_some(Command::Noop), "NOOP"),
        b"RSET" => (rest.is_empty().then_some(Command::Rset), "RSET"),
        b"QUIT" => (rest.is_empty().then_some(Command::Quit), "QUIT"),
        b"TOP" => (
            all(rest, (sp(number), sp(number))).map(|(msg, lines)| Command::Top { msg, lines }),
            "TOP msg n",
        ),
        b"UIDL" => (all(rest, opt(sp(number))).map(Command::Uidl), "UIDL [msg]"),
        b"CAPA" => (rest.is_empty().then_some(Command::Capa), "CAPA"),
        b"STLS" => (rest.is_empty().then_some(Command::Stls), "STLS"),
        _ => return Err(CommandError::Unknown),
    };
    parsed.ok_or(CommandError::Syntax(usage))
}

fn all<'a, O>(
    input: &'a [u8],
    p: impl Parser<&'a [u8], Output = O, Error = nom::error::Error<&'a [u8]>>,
) -> Option<O> {
    all_consuming(p).parse(input).ok().map(|(_, o)| o)
}

/// Parses one response from the front of `input`: the status line and, if `multiline` and
/// the status is `+OK`, the lines up to the "." line, un-stuffed. Returns it and the octets
/// used; any prefix of a response is `Incomplete`.
pub fn response(input: &[u8], multiline: bool) -> Result<(Response, usize), DecodeError> {
    let (first, mut used) = match line(input, MAX_RESPONSE_LINE) {
        Ok(found) => found,
        Err(LineError::Incomplete) => return Err(DecodeError::Incomplete),
        Err(LineError::TooLong) => return Err(DecodeError::Failed),
    };
    // A line ended by a bare LF fits one octet more: counted with the CRLF it is written
    // with, it must still be within RFC 2449 §4's 512 octets (found by fuzzing).
    if first.len() + 2 > MAX_RESPONSE_LINE {
        return Err(DecodeError::Failed);
    }
    // RFC 1939 §3: "+OK" and "-ERR", in upper case, then optional text after a space.
    let (ok, text) = if let Some(rest) = first.strip_prefix(b"+OK") {
        (true, rest)
    } else if let Some(rest) = first.strip_prefix(b"-ERR") {
        (false, rest)
    } else {
        return Err(DecodeError::Failed);
    };
    let text = match text {
        [] => &[][..],
        [b' ', rest @ ..] => rest,
        _ => return Err(DecodeError::Failed),
    };
    let mut response = Response {
        ok,
        text: to_string(text),
        body: None,
    };
    if !(multiline && ok) {
        return Ok((response, used));
    }
    let mut body = Vec::new();
    loop {
        let rest = input.get(used..).unwrap_or_default();
        // Lines of a message may be long (RFC 5322 allows 998 octets); allow more.
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            return Err(DecodeError::Incomplete);
        };
        let raw = rest.get(..=lf).unwrap_or_default();
        used += lf + 1;
        if raw == b".\r\n" || raw == b".\n" {
            response.body = Some(body);
            return Ok((response, used));
        }
        // RFC 1939 §3: a line starting with the termination octet had one more prepended.
        body.extend_from_slice(raw.strip_prefix(b".").unwrap_or(raw));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_line_is_at_most_512_octets_however_it_ends() {
        let text = "x".repeat(MAX_RESPONSE_LINE - 6);
        let crlf = format!("+OK {text}\r\n");
        assert_eq!(crlf.len(), MAX_RESPONSE_LINE);
        let (r, used) = response(crlf.as_bytes(), false).unwrap();
        assert_eq!(
            (r.to_bytes().len(), used),
            (MAX_RESPONSE_LINE, MAX_RESPONSE_LINE)
        );
        let bare = format!("+OK {text}x\n");
        assert_eq!(
            response(bare.as_bytes(), false).map(|_| ()),
            Err(DecodeError::Failed)
        );
        let fits = format!("+OK {text}\n");
        assert_eq!(
            response(fits.as_bytes(), false).unwrap().0.to_bytes(),
            crlf.as_bytes()
        );
    }

    // Both found by fuzzing: a decoded value must encode back to the same single line.
    #[test]
    fn a_password_never_holds_a_line_end_and_bad_octets_keep_their_length() {
        assert!(command(b"PASS a\r\nDELE 1").is_err());
        assert!(command(b"PASS a\rb").is_err());
        assert_eq!(
            command(b"PASS \xffk\xc3\xa9"),
            Ok(Command::Pass("?k\u{e9}".into()))
        );
        let (r, used) = response(b"+OK \xff\xfe hi\r\n", false).expect("a response");
        assert_eq!((r.text.as_str(), used), ("?? hi", 11));
    }

    #[test]
    fn commands_are_case_insensitive_and_checked() {
        assert_eq!(command(b"user mrose"), Ok(Command::User("mrose".into())));
        assert_eq!(
            command(b"PASS my secret"),
            Ok(Command::Pass("my secret".into()))
        );
        assert_eq!(command(b"list"), Ok(Command::List(None)));
        assert_eq!(command(b"LIST 2"), Ok(Command::List(Some(2))));
        assert_eq!(command(b"TOP 1 10"), Ok(Command::Top { msg: 1, lines: 10 }));
        assert_eq!(command(b"RETR"), Err(CommandError::Syntax("RETR msg")));
        assert_eq!(command(b"RETR x"), Err(CommandError::Syntax("RETR msg")));
        assert_eq!(
            command(b"RETR 99999999999"),
            Err(CommandError::Syntax("RETR msg"))
        );
        assert_eq!(command(b"LAST"), Err(CommandError::Unknown));
        assert_eq!(command(b"XTND XMIT"), Err(CommandError::Unknown));
        assert_eq!(command(b"STATUS"), Err(CommandError::Unknown));
        assert_eq!(
            command(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
            Ok(Command::Apop {
                name: "mrose".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb".into()
            })
        );
        assert_eq!(
            command(b"AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ="),
            Ok(Command::Auth {
                mechanism: Some("PLAIN".into()),
                initial_response: Some("dGVzdAB0ZXN0ADEyMzQ=".into())
            })
        );
    }

    #[test]
    fn multiline_responses_are_unstuffed_and_incomplete_until_the_dot() {
        let input = b"+OK 2 messages\r\n1 120\r\n..x\r\n.\r\n";
        let (r, used) = response(input, true).unwrap();
        assert_eq!(used, input.len());
        assert_eq!(r.body.as_deref(), Some(&b"1 120\r\n.x\r\n"[..]));
        for n in 0..input.len() {
            assert_eq!(
                response(&input[..n], true),
                Err(DecodeError::Incomplete),
                "{n}"
            );
        }
        // A negative response is never multi-line.
        let (r, used) = response(b"-ERR [IN-USE] locked\r\nnext", true).unwrap();
        assert_eq!((r.ok, used, r.code()), (false, 22, Some("IN-USE")));
        assert_eq!(response(b"+ok lower\r\n", false), Err(DecodeError::Failed));
        assert_eq!(response(b"+OKAY\r\n", false), Err(DecodeError::Failed));
    }
}
