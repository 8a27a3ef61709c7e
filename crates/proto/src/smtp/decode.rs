//! SMTP parsers (RFC 5321 §4.1.2 ABNF), written with nom. Each parser is named after its
//! ABNF rule, quoted above it.
//!
//! Framing comes first: [`line`] finds one CRLF-terminated line and says `Incomplete` for any
//! prefix of one, so a session fed one byte at a time behaves exactly as one fed whole lines.
//! The line is then parsed as a whole with nom's `complete` parsers.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{all_consuming, map, opt, recognize, verify};
use nom::multi::{many0, separated_list1};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::types::{
    Command, Mailbox, Param, Reply, ReplyCode, ReversePath, MAX_DOMAIN, MAX_LOCAL_PART,
};
pub use crate::wire::{line, line_has_bare_lf, LineError};
use crate::DecodeError;

/// Why a command line could not be understood; the server answers each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandError {
    /// RFC 5321 §4.2.4: "500 Syntax error, command unrecognized".
    Unrecognized,
    /// RFC 5321 §4.2.2: "501 Syntax error in parameters or arguments"; says which command.
    Syntax(&'static str),
}

/// Parses one command line (without its CRLF). Verbs are case-insensitive (RFC 5321 §2.4).
pub fn command(line: &[u8]) -> Result<Command, CommandError> {
    let (rest, verb) = verb(line).map_err(|_| CommandError::Unrecognized)?;
    let verb = verb.to_ascii_uppercase();
    let (parser_result, usage): (Result<Command, ()>, &'static str) = match verb.as_slice() {
        b"EHLO" => (finish(ehlo(rest)), "EHLO domain"),
        b"HELO" => (finish(helo(rest)), "HELO domain"),
        b"MAIL" => (finish(mail(rest)), "MAIL FROM:<address>"),
        b"RCPT" => (finish(rcpt(rest)), "RCPT TO:<address>"),
        b"DATA" => (finish(no_argument(rest, Command::Data)), "DATA"),
        b"RSET" => (finish(no_argument(rest, Command::Rset)), "RSET"),
        b"QUIT" => (finish(no_argument(rest, Command::Quit)), "QUIT"),
        b"NOOP" => (finish(noop(rest)), "NOOP"),
        b"VRFY" => (finish(vrfy(rest)), "VRFY string"),
        b"HELP" => (finish(help(rest)), "HELP [string]"),
        b"STARTTLS" => (finish(no_argument(rest, Command::StartTls)), "STARTTLS"),
        b"AUTH" => (finish(auth(rest)), "AUTH mechanism [initial-response]"),
        _ => return Err(CommandError::Unrecognized),
    };
    parser_result.map_err(|()| CommandError::Syntax(usage))
}

fn finish(result: IResult<&[u8], Command>) -> Result<Command, ()> {
    match result {
        Ok((&[], cmd)) => Ok(cmd),
        _ => Err(()),
    }
}

fn verb(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_alphabetic()).parse(input)
}

fn to_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF`
///
/// Real clients send host names that are not always valid domains (`localhost`, names with
/// underscores); like widely used servers we accept any printable word and only require one.
fn ehlo(input: &[u8]) -> IResult<&[u8], Command> {
    map(preceded(char(' '), printable_word), |d| {
        Command::Ehlo(to_string(d))
    })
    .parse(input)
}

/// `helo = "HELO" SP Domain CRLF`
fn helo(input: &[u8]) -> IResult<&[u8], Command> {
    map(preceded(char(' '), printable_word), |d| {
        Command::Helo(to_string(d))
    })
    .parse(input)
}

fn printable_word(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| (33..=126).contains(&b)).parse(input)
}

/// `mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF`
///
/// A space after the colon is outside the grammar but sent by some clients; accepted.
fn mail(input: &[u8]) -> IResult<&[u8], Command> {
    map(
        (
            tag_no_case(" FROM:"),
            opt(char(' ')),
            reverse_path,
            parameters,
        ),
        |(_, _, from, params)| Command::Mail { from, params },
    )
    .parse(input)
}

/// `rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )
///         [SP Rcpt-parameters] CRLF`
fn rcpt(input: &[u8]) -> IResult<&[u8], Command> {
    map(
        (
            tag_no_case(" TO:"),
            opt(char(' ')),
            alt((bare_postmaster, path)),
            parameters,
        ),
        |(_, _, to, params)| Command::Rcpt { to, params },
    )
    .parse(input)
}

/// `"<Postmaster>"`: the postmaster of the server spoken to, with no domain (§4.5.1: every
/// server MUST accept it).
fn bare_postmaster(input: &[u8]) -> IResult<&[u8], Mailbox> {
    map(tag_no_case("<Postmaster>"), |_| Mailbox::postmaster()).parse(input)
}

fn no_argument(input: &[u8], cmd: Command) -> IResult<&[u8], Command> {
    Ok((input, cmd))
}

/// `noop = "NOOP" [ SP String ] CRLF`
fn noop(input: &[u8]) -> IResult<&[u8], Command> {
    map(opt(preceded(char(' '), rest_of_line)), |s| {
        Command::Noop(s.map(to_string))
    })
    .parse(input)
}

/// `vrfy = "VRFY" SP String CRLF`
fn vrfy(input: &[u8]) -> IResult<&[u8], Command> {
    map(preceded(char(' '), rest_of_line), |s| {
        Command::Vrfy(to_string(s))
    })
    .parse(input)
}

/// `help = "HELP" [ SP String ] CRLF`
fn help(input: &[u8]) -> IResult<&[u8], Command> {
    map(opt(preceded(char(' '), rest_of_line)), |s| {
        Command::Help(s.map(to_string))
    })
    .parse(input)
}

/// RFC 4954 §4: `"AUTH" SP sasl-mech [SP initial-response]`,
/// `sasl-mech = 1*20mech-char`, `initial-response = base64 / "="`.
fn auth(input: &[u8]) -> IResult<&[u8], Command> {
    map(
        (
            preceded(
                char(' '),
                take_while_m_n(1, 20, |b: u8| {
                    b.is_ascii_uppercase()
                        || b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'-'
                        || b == b'_'
                }),
            ),
            opt(preceded(char(' '), alt((tag("="), base64)))),
        ),
        |(m, r)| Command::Auth {
            mechanism: to_string(m).to_ascii_uppercase(),
            initial_response: r.map(to_string),
        },
    )
    .parse(input)
}

/// `base64 = base64-terminal / ( 1*(4base64-char) [base64-terminal] )` (RFC 4954 §4),
/// checked loosely here: the characters of the alphabet; decoding checks the rest.
pub(crate) fn base64(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        .parse(input)
}

fn rest_of_line(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b != b'\r' && b != b'\n' && b != 0).parse(input)
}

/// `Reverse-path = Path / "<>"`
fn reverse_path(input: &[u8]) -> IResult<&[u8], ReversePath> {
    alt((
        map(tag("<>"), |_| ReversePath::Null),
        map(path, ReversePath::Mailbox),
    ))
    .parse(input)
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"`
///
/// RFC 5321 §4.1.2: source routes (`A-d-l`) "MUST BE accepted" and "SHOULD be ignored".
fn path(input: &[u8]) -> IResult<&[u8], Mailbox> {
    delimited(char('<'), preceded(opt(at_domain_list), mailbox), char('>')).parse(input)
}

/// `A-d-l = At-domain *( "," At-domain )`, `At-domain = "@" Domain`
fn at_domain_list(input: &[u8]) -> IResult<&[u8], ()> {
    map(
        (
            separated_list1(char(','), preceded(char('@'), domain)),
            char(':'),
        ),
        |_| (),
    )
    .parse(input)
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )`
pub(crate) fn mailbox(input: &[u8]) -> IResult<&[u8], Mailbox> {
    map(
        (local_part, char('@'), alt((domain, address_literal))),
        |(l, _, d)| Mailbox::from_parts(to_string(l), to_string(d)),
    )
    .parse(input)
}

// Here rather than beside the type, so that types depend on nothing and decode on types.
impl TryFrom<&str> for Mailbox {
    type Error = DecodeError;

    /// Parses `user@example.net` (no angle brackets).
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        mailbox_complete(text.as_bytes())
    }
}

/// A whole `Mailbox`, nothing before or after it.
fn mailbox_complete(input: &[u8]) -> Result<Mailbox, DecodeError> {
    all_consuming(mailbox)
        .parse(input)
        .map(|(_, m)| m)
        .map_err(|_| DecodeError::Failed)
}

/// `Local-part = Dot-string / Quoted-string`, at most 64 octets (§4.5.3.1.1).
fn local_part(input: &[u8]) -> IResult<&[u8], &[u8]> {
    verify(alt((dot_string, quoted_string)), |l: &[u8]| {
        l.len() <= MAX_LOCAL_PART
    })
    .parse(input)
}

/// `Dot-string = Atom *("."  Atom)`
fn dot_string(input: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(separated_list1(char('.'), atom)).parse(input)
}

/// `Atom = 1*atext` (RFC 5322 §3.2.3 `atext`)
fn atom(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(is_atext).parse(input)
}

fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

/// `Quoted-string = DQUOTE *QcontentSMTP DQUOTE`
fn quoted_string(input: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize((
        char('"'),
        many0(alt((
            // qtextSMTP = %d32-33 / %d35-91 / %d93-126
            take_while1(|b: u8| (32..=126).contains(&b) && b != b'"' && b != b'\\'),
            // quoted-pairSMTP = %d92 %d32-126
            recognize((
                char('\\'),
                take_while_m_n(1, 1, |b: u8| (32..=126).contains(&b)),
            )),
        ))),
        char('"'),
    ))
    .parse(input)
}

/// `Domain = sub-domain *("." sub-domain)`, at most 255 octets (§4.5.3.1.2).
fn domain(input: &[u8]) -> IResult<&[u8], &[u8]> {
    verify(
        recognize(separated_list1(char('.'), sub_domain)),
        |d: &[u8]| d.len() <= MAX_DOMAIN,
    )
    .parse(input)
}

/// `sub-domain = Let-dig [Ldh-str]`, `Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig`
fn sub_domain(input: &[u8]) -> IResult<&[u8], &[u8]> {
    verify(
        take_while1(|b: u8| b.is_ascii_alphanumeric() || b == b'-'),
        |s: &[u8]| {
            s.first().is_some_and(u8::is_ascii_alphanumeric)
                && s.last().is_some_and(u8::is_ascii_alphanumeric)
        },
    )
    .parse(input)
}

/// `address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
///                    General-address-literal ) "]"`
fn address_literal(input: &[u8]) -> IResult<&[u8], &[u8]> {
    // §4.5.3.1.2: a domain name *or number* is at most 255 octets.
    verify(
        recognize(delimited(
            char('['),
            take_while1(|b: u8| (33..=90).contains(&b) || (94..=126).contains(&b)),
            char(']'),
        )),
        |l: &[u8]| l.len() <= MAX_DOMAIN,
    )
    .parse(input)
}

/// `Mail-parameters = esmtp-param *(SP esmtp-param)`, each preceded by its SP.
fn parameters(input: &[u8]) -> IResult<&[u8], Vec<Param>> {
    many0(preceded(char(' '), esmtp_param)).parse(input)
}

/// `esmtp-param = esmtp-keyword ["=" esmtp-value]`
/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`
/// `esmtp-value = 1*(%d33-60 / %d62-126)`
fn esmtp_param(input: &[u8]) -> IResult<&[u8], Param> {
    map(
        (
            recognize((
                take_while_m_n(1, 1, |b: u8| b.is_ascii_alphanumeric()),
                take_while(|b: u8| b.is_ascii_alphanumeric() || b == b'-'),
            )),
            opt(preceded(
                char('='),
                take_while1(|b: u8| (33..=60).contains(&b) || (62..=126).contains(&b)),
            )),
        ),
        |(k, v)| Param {
            keyword: to_string(k).to_ascii_uppercase(),
            value: v.map(to_string),
        },
    )
    .parse(input)
}

/// `Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF`
///
/// Parses one whole reply from the front of `input`; returns it and the octets it took.
/// Any prefix of a valid reply is `Incomplete`.
pub fn reply(input: &[u8]) -> Result<(Reply, usize), DecodeError> {
    let mut consumed = 0;
    let mut code = None;
    let mut lines = Vec::new();
    loop {
        let rest = input.get(consumed..).unwrap_or_default();
        let (text, used) = match line(rest, super::types::MAX_REPLY_LINE) {
            Ok(found) => found,
            Err(LineError::Incomplete) => return Err(DecodeError::Incomplete),
            Err(LineError::TooLong) => return Err(DecodeError::Failed),
        };
        // The text of a reply line is at most 512 octets with its CRLF (§4.5.3.1.5), however
        // the line ended, so that encoding it again always fits.
        if text.len() + 2 > super::types::MAX_REPLY_LINE {
            return Err(DecodeError::Failed);
        }
        let (this_code, last, text) = reply_line(text)?;
        if code.is_some_and(|c| c != this_code) {
            // RFC 5321 §4.2.1: every line of a multi-line reply carries the same code.
            return Err(DecodeError::Failed);
        }
        code = Some(this_code);
        lines.push(reply_text(text));
        consumed += used;
        if last {
            let code = ReplyCode::try_from(this_code)?;
            return Ok((Reply::new(code, &lines), consumed));
        }
    }
}

/// `textstring = 1*(%d09 / %d32-126)`: reply text is ASCII; anything else becomes "?", one
/// octet for one octet, so the text never grows.
fn reply_text(text: &[u8]) -> String {
    text.iter()
        .map(|&b| {
            if b == b'\t' || (32..=126).contains(&b) {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect()
}

/// One line of a reply: code, whether it is the last line, and its text.
fn reply_line(text: &[u8]) -> Result<(u16, bool, &[u8]), DecodeError> {
    let digits = text.get(..3).ok_or(DecodeError::Failed)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(DecodeError::Failed);
    }
    let code = digits
        .iter()
        .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
    match text.get(3) {
        None => Ok((code, true, &[])),
        Some(b' ') => Ok((code, true, text.get(4..).unwrap_or_default())),
        Some(b'-') => Ok((code, false, text.get(4..).unwrap_or_default())),
        Some(_) => Err(DecodeError::Failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::types::Verb;

    fn cmd(line: &str) -> Result<Command, CommandError> {
        command(line.as_bytes())
    }

    #[test]
    fn verbs_are_case_insensitive_as_smtplib_sends_them() {
        let c = cmd("mail FROM:<alice@example.org> size=120").unwrap();
        let Command::Mail { from, params } = c else {
            panic!("not MAIL")
        };
        assert_eq!(from.to_string(), "<alice@example.org>");
        assert_eq!(params[0].keyword(), "SIZE");
        assert_eq!(params[0].value(), Some("120"));
        assert_eq!(
            cmd("ehlo [127.0.0.1]").unwrap(),
            Command::Ehlo("[127.0.0.1]".into())
        );
    }

    #[test]
    fn null_reverse_path_and_source_routes() {
        assert!(matches!(
            cmd("MAIL FROM:<>").unwrap(),
            Command::Mail {
                from: ReversePath::Null,
                ..
            }
        ));
        let Command::Rcpt { to, .. } =
            cmd("RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>").unwrap()
        else {
            panic!("not RCPT")
        };
        assert_eq!(to.to_string(), "userc@d.bar.org");
    }

    #[test]
    fn syntax_errors_name_the_command() {
        assert_eq!(
            cmd("MAIL FROM:alice"),
            Err(CommandError::Syntax("MAIL FROM:<address>"))
        );
        assert_eq!(
            cmd("RCPT TO:<a@-bad.org>"),
            Err(CommandError::Syntax("RCPT TO:<address>"))
        );
        assert_eq!(cmd("DATA now"), Err(CommandError::Syntax("DATA")));
        assert_eq!(cmd("EHLO"), Err(CommandError::Syntax("EHLO domain")));
        assert_eq!(cmd("XYZZY"), Err(CommandError::Unrecognized));
        assert_eq!(cmd(""), Err(CommandError::Unrecognized));
    }

    #[test]
    fn local_part_and_domain_limits() {
        let ok = format!("RCPT TO:<{}@example.net>", "a".repeat(64));
        let long = format!("RCPT TO:<{}@example.net>", "a".repeat(65));
        assert!(cmd(&ok).is_ok());
        assert!(cmd(&long).is_err());
        assert_eq!(Command::Data.verb(), Verb::Data);
    }

    #[test]
    fn lines_are_found_only_when_complete() {
        assert_eq!(line(b"NOOP", 512), Err(LineError::Incomplete));
        assert_eq!(line(b"NOOP\r", 512), Err(LineError::Incomplete));
        assert_eq!(line(b"NOOP\r\nQUIT", 512), Ok((&b"NOOP"[..], 6)));
        assert_eq!(line(&[b'a'; 512], 512), Err(LineError::TooLong));
        assert!(line_has_bare_lf(b"NOOP\n", 5));
        assert!(!line_has_bare_lf(b"NOOP\r\n", 6));
    }

    #[test]
    fn multi_line_replies() {
        let input = b"250-mx.example.net\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
        let (r, used) = reply(input).unwrap();
        assert_eq!(used, input.len());
        assert_eq!(r.code().value(), 250);
        assert_eq!(r.lines(), ["mx.example.net", "PIPELINING", "8BITMIME"]);
        for n in 0..input.len() {
            assert_eq!(
                reply(&input[..n]),
                Err(DecodeError::Incomplete),
                "prefix {n}"
            );
        }
        assert_eq!(reply(b"250-a\r\n251 b\r\n"), Err(DecodeError::Failed));
        assert_eq!(reply(b"25x ok\r\n"), Err(DecodeError::Failed));
        assert_eq!(reply(b"354\r\n").unwrap().0.lines(), [""]);
    }
}
