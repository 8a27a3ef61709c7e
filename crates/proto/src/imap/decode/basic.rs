//! The basic data formats (RFC 9051 §4): atoms, strings, numbers, mailbox names and flags.

use nom::branch::alt;
use nom::bytes::complete::{tag, take, take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1};
use nom::combinator::{map, map_res, opt, recognize, verify};
use nom::multi::{many0, separated_list0};
use nom::sequence::{delimited, preceded, terminated};
use nom::Parser;

use super::Res;

pub(super) fn to_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `ATOM-CHAR = <any CHAR except atom-specials>`;
/// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials`
fn is_atom_char(b: u8) -> bool {
    (0x21..0x7f).contains(&b) && !b"(){%*\"\\]".contains(&b)
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
pub(super) fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// `atom = 1*ATOM-CHAR`
pub(super) fn atom(i: &[u8]) -> Res<'_, &[u8]> {
    take_while1(is_atom_char).parse(i)
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`, with `"\" quoted-specials` escapes.
pub(super) fn quoted(i: &[u8]) -> Res<'_, Vec<u8>> {
    delimited(
        char('"'),
        many0(alt((
            take_while_m_n(1, 1, |b: u8| {
                b != b'"' && b != b'\\' && b != b'\r' && b != b'\n'
            }),
            preceded(
                char('\\'),
                take_while_m_n(1, 1, |b: u8| b == b'"' || b == b'\\'),
            ),
        ))),
        char('"'),
    )
    .map(|parts: Vec<&[u8]>| parts.concat())
    .parse(i)
}

/// `literal = "{" number64 ["+"] "}" CRLF *CHAR8`
pub(super) fn literal(i: &[u8]) -> Res<'_, Vec<u8>> {
    let (i, size) =
        delimited(char('{'), number64, terminated(opt(char('+')), char('}'))).parse(i)?;
    let (i, _) = tag("\r\n").parse(i)?;
    // usize is 32 bits on wasm32: a size that does not fit cannot be in memory anyway.
    let size = usize::try_from(size).map_err(|_| {
        nom::Err::Failure(nom::error::Error::new(i, nom::error::ErrorKind::TooLarge))
    })?;
    let (i, data) = take(size).parse(i)?;
    Ok((i, data.to_vec()))
}

/// `string = quoted / literal`
fn string(i: &[u8]) -> Res<'_, Vec<u8>> {
    alt((quoted, literal)).parse(i)
}

/// `astring = 1*ASTRING-CHAR / string`
pub(super) fn astring(i: &[u8]) -> Res<'_, Vec<u8>> {
    alt((map(take_while1(is_astring_char), <[u8]>::to_vec), string)).parse(i)
}

pub(super) fn astring_s(i: &[u8]) -> Res<'_, String> {
    map(astring, |b| to_string(&b)).parse(i)
}

/// `mailbox = "INBOX" / astring` (INBOX in any case means INBOX). A name must be UTF-8:
/// RFC 9051 §5.1, "Server implementations MUST prohibit the creation of 8-bit mailbox names
/// that do not comply with Net-Unicode" -- so one that is not fails to parse, rather than
/// becoming a name with U+FFFD in it.
pub(super) fn mailbox(i: &[u8]) -> Res<'_, String> {
    map(map_res(astring, String::from_utf8), |m| {
        crate::store::folder_name(&m)
    })
    .parse(i)
}

#[cfg(feature = "mailboxes")]
/// `list-mailbox = 1*list-char / string`; `list-char = ATOM-CHAR / list-wildcards / resp-specials`
pub(super) fn list_mailbox(i: &[u8]) -> Res<'_, String> {
    alt((
        map(
            take_while1(|b| is_astring_char(b) || b == b'%' || b == b'*'),
            to_string,
        ),
        map(string, |s| to_string(&s)),
    ))
    .parse(i)
}

/// `number = 1*DIGIT` (32 bits)
pub(super) fn number(i: &[u8]) -> Res<'_, u32> {
    map_res(digit1, |d: &[u8]| to_string(d).parse::<u32>()).parse(i)
}

/// `number64 = 1*DIGIT` (63 bits)
pub(super) fn number64(i: &[u8]) -> Res<'_, u64> {
    map_res(digit1, |d: &[u8]| to_string(d).parse::<u64>()).parse(i)
}

/// `nz-number = digit-nz *DIGIT`
pub(super) fn nz_number(i: &[u8]) -> Res<'_, u32> {
    verify(number, |n| *n > 0).parse(i)
}

/// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
/// flag-extension`; system flags are normalised to their RFC spelling.
///
/// A client may only set the five system flags and keywords: `\Recent` belongs to the server
/// and other `\`-names are extensions no server here defines, so both are refused, as
/// Dovecot refuses them ("Invalid system flag").
pub(super) fn flag(i: &[u8]) -> Res<'_, String> {
    verify(
        map(recognize((opt(char('\\')), atom)), |f: &[u8]| {
            normalise_flag(&to_string(f))
        }),
        |f: &str| {
            !f.starts_with('\\')
                || ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"].contains(&f)
        },
    )
    .parse(i)
}

/// System flags compare case-insensitively (RFC 9051 §2.3.2); we store the RFC spelling.
pub fn normalise_flag(flag: &str) -> String {
    for system in [
        "\\Seen",
        "\\Answered",
        "\\Flagged",
        "\\Deleted",
        "\\Draft",
        "\\Recent",
    ] {
        if flag.eq_ignore_ascii_case(system) {
            return system.to_string();
        }
    }
    flag.to_string()
}

/// `flag-list = "(" [flag *(SP flag)] ")"`
pub(super) fn flag_list(i: &[u8]) -> Res<'_, Vec<String>> {
    delimited(char('('), separated_list0(char(' '), flag), char(')')).parse(i)
}

/// An unused-input check for the parsers that take whole lines.
pub fn is_done(i: &[u8]) -> bool {
    take_while::<_, _, nom::error::Error<&[u8]>>(|b| b == b' ')
        .parse(i)
        .is_ok_and(|(rest, _)| rest.is_empty())
}
