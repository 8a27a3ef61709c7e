//! IMAP parsers (RFC 9051 §9 ABNF), written with nom; each is named after its rule.
//!
//! Framing first: [`frame`] finds one whole command (or response) including its literals,
//! and says how many synchronising literals it has seen, so the server knows when to send
//! "+" (RFC 9051 §7.5). The complete command, literals inline, is then parsed as a whole.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take, take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1};
use nom::combinator::{map, map_res, opt, recognize, value, verify};
use nom::multi::{many0, separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

use super::section::{Section, SectionText};
#[cfg(feature = "mailboxes")]
use super::types::StatusItem;
use super::types::{
    Command, FetchItem, SearchKey, SeqNumber, SequenceSet, StoreMode, MAX_LINE, MAX_LITERAL,
};
/// `date` and `date-time` are counted in days from 1970 (the server's SEARCH compares them).
pub use crate::wire::calendar::days_from_civil;
use crate::wire::calendar::month_number;

/// Where the next whole command ends, or why it cannot be found yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A whole command of this many octets (final CRLF included).
    Complete(usize),
    /// More octets are needed; `sync_literals` synchronising literals were announced so far.
    Incomplete { sync_literals: usize },
    /// A line longer than the limit ([`MAX_LINE`] for commands).
    LineTooLong,
    /// A literal larger than [`MAX_LITERAL`].
    LiteralTooLarge,
}

/// Finds the first whole command in `input`: lines joined by literals (`{n}` or `{n+}` at
/// the end of a line, then CRLF and n octets).
pub fn frame(input: &[u8]) -> Framing {
    frame_within(input, MAX_LINE)
}

/// [`frame`] with another line limit (the client reads longer response lines).
pub fn frame_within(input: &[u8], max_line: usize) -> Framing {
    let mut pos = 0;
    let mut sync_literals = 0;
    loop {
        let rest = input.get(pos..).unwrap_or_default();
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            return if rest.len() > max_line {
                Framing::LineTooLong
            } else {
                Framing::Incomplete { sync_literals }
            };
        };
        if lf > max_line {
            return Framing::LineTooLong;
        }
        let line = rest.get(..lf).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some((size, sync)) = literal_announcement(line) else {
            return Framing::Complete(pos + lf + 1);
        };
        if size > MAX_LITERAL {
            return Framing::LiteralTooLarge;
        }
        if sync {
            sync_literals += 1;
        }
        let data_end = pos + lf + 1 + usize::try_from(size).unwrap_or(usize::MAX);
        if input.len() < data_end {
            return Framing::Incomplete { sync_literals };
        }
        pos = data_end;
    }
}

/// `{n}` or `{n+}` at the end of a line: the size and whether it is synchronising.
fn literal_announcement(line: &[u8]) -> Option<(u64, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = inner.get(open + 1..)?;
    let (digits, sync) = match digits.strip_suffix(b"+") {
        Some(d) => (d, false),
        None => (digits, true),
    };
    if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((size, sync))
}

pub(super) type Res<'a, T> = IResult<&'a [u8], T>;

fn to_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `ATOM-CHAR = <any CHAR except atom-specials>`;
/// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials`
fn is_atom_char(b: u8) -> bool {
    (0x21..0x7f).contains(&b) && !b"(){%*\"\\]".contains(&b)
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// `atom = 1*ATOM-CHAR`
fn atom(i: &[u8]) -> Res<'_, &[u8]> {
    take_while1(is_atom_char).parse(i)
}

/// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`, with `"\" quoted-specials` escapes.
fn quoted(i: &[u8]) -> Res<'_, Vec<u8>> {
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
fn literal(i: &[u8]) -> Res<'_, Vec<u8>> {
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
fn astring(i: &[u8]) -> Res<'_, Vec<u8>> {
    alt((map(take_while1(is_astring_char), <[u8]>::to_vec), string)).parse(i)
}

pub(super) fn astring_s(i: &[u8]) -> Res<'_, String> {
    map(astring, |b| to_string(&b)).parse(i)
}

/// `mailbox = "INBOX" / astring` (INBOX in any case means INBOX).
fn mailbox(i: &[u8]) -> Res<'_, String> {
    map(astring_s, |m| crate::store::folder_name(&m)).parse(i)
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
fn number64(i: &[u8]) -> Res<'_, u64> {
    map_res(digit1, |d: &[u8]| to_string(d).parse::<u64>()).parse(i)
}

/// `nz-number = digit-nz *DIGIT`
pub(super) fn nz_number(i: &[u8]) -> Res<'_, u32> {
    verify(number, |n| *n > 0).parse(i)
}

/// `seq-number = nz-number / "*"`
fn seq_number(i: &[u8]) -> Res<'_, SeqNumber> {
    alt((
        map(nz_number, SeqNumber::Value),
        value(SeqNumber::Largest, char('*')),
    ))
    .parse(i)
}

/// `sequence-set = (seq-number / seq-range) ["," sequence-set]`; `seq-range = seq-number ":" seq-number`
fn sequence_set(i: &[u8]) -> Res<'_, SequenceSet> {
    // RFC 9051 §9: `sequence-set =/ seq-last-command`, the "$" of SEARCHRES.
    #[cfg(feature = "imap4rev2")]
    if let Ok(saved) = super::rev2::saved_set(i) {
        return Ok(saved);
    }
    map(
        separated_list1(
            char(','),
            (seq_number, opt(preceded(char(':'), seq_number))),
        ),
        |ranges| {
            SequenceSet(
                ranges
                    .into_iter()
                    .map(|(a, b)| (a, b.unwrap_or(a)))
                    .collect(),
            )
        },
    )
    .parse(i)
}

/// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
/// flag-extension`; system flags are normalised to their RFC spelling.
///
/// A client may only set the five system flags and keywords: `\Recent` belongs to the server
/// and other `\`-names are extensions no server here defines, so both are refused, as
/// Dovecot refuses them ("Invalid system flag").
fn flag(i: &[u8]) -> Res<'_, String> {
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
fn flag_list(i: &[u8]) -> Res<'_, Vec<String>> {
    delimited(char('('), separated_list0(char(' '), flag), char(')')).parse(i)
}

/// `date-month = "Jan" / "Feb" / ...` (case-insensitive)
fn date_month(i: &[u8]) -> Res<'_, u32> {
    map_res(take(3usize), |m: &[u8]| month_number(m).ok_or(())).parse(i)
}

/// `date-text = date-day "-" date-month "-" date-year`; as days since 1970-01-01.
fn date_text(i: &[u8]) -> Res<'_, i64> {
    map_res(
        (number, char('-'), date_month, char('-'), number),
        |(d, _, m, _, y)| days_from_civil(i64::from(y), m, d).ok_or(()),
    )
    .parse(i)
}

/// `date = date-text / DQUOTE date-text DQUOTE`
fn date(i: &[u8]) -> Res<'_, i64> {
    alt((date_text, delimited(char('"'), date_text, char('"')))).parse(i)
}

#[cfg(feature = "mailboxes")]
/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`;
/// as seconds since 1970 (UTC).
fn date_time(i: &[u8]) -> Res<'_, i64> {
    let (i, _) = char('"').parse(i)?;
    let (i, _) = opt(char(' ')).parse(i)?;
    let (i, days) = date_text(i)?;
    let (i, (_, h, _, m, _, s)) =
        (char(' '), number, char(':'), number, char(':'), number).parse(i)?;
    let (i, (_, sign, zh, zm)) = (
        char(' '),
        alt((char('+'), char('-'))),
        map_res(take(2usize), |d: &[u8]| to_string(d).parse::<i64>()),
        map_res(take(2usize), |d: &[u8]| to_string(d).parse::<i64>()),
    )
        .parse(i)?;
    let (i, _) = char('"').parse(i)?;
    let offset = (zh * 3600 + zm * 60) * if sign == '-' { -1 } else { 1 };
    let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s) - offset;
    Ok((i, secs))
}

/// `section = "[" [section-spec] "]"`
fn section(i: &[u8]) -> Res<'_, Section> {
    let whole = || Section {
        part: Vec::new(),
        text: None,
    };
    delimited(
        char('['),
        map(opt(section_spec), move |s| s.unwrap_or_else(whole)),
        char(']'),
    )
    .parse(i)
}

/// `section-spec = section-msgtext / (section-part ["." section-text])`
fn section_spec(i: &[u8]) -> Res<'_, Section> {
    alt((
        map(section_msgtext, |text| Section {
            part: Vec::new(),
            text: Some(text),
        }),
        section_part,
    ))
    .parse(i)
}

/// Numbered body parts, which need the MIME structure.
#[cfg(feature = "mime-structure")]
fn section_part(i: &[u8]) -> Res<'_, Section> {
    map(
        (
            separated_list1(char('.'), nz_number),
            opt(preceded(char('.'), section_text)),
        ),
        |(part, text)| Section { part, text },
    )
    .parse(i)
}

#[cfg(not(feature = "mime-structure"))]
fn section_part(i: &[u8]) -> Res<'_, Section> {
    nom::combinator::fail().parse(i)
}

/// `section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"`
fn section_msgtext(i: &[u8]) -> Res<'_, SectionText> {
    alt((
        map(
            preceded(tag_no_case("HEADER.FIELDS.NOT "), header_list),
            SectionText::HeaderFieldsNot,
        ),
        map(
            preceded(tag_no_case("HEADER.FIELDS "), header_list),
            SectionText::HeaderFields,
        ),
        value(SectionText::Header, tag_no_case("HEADER")),
        value(SectionText::Text, tag_no_case("TEXT")),
    ))
    .parse(i)
}

/// `section-text = section-msgtext / "MIME"`
#[cfg(feature = "mime-structure")]
fn section_text(i: &[u8]) -> Res<'_, SectionText> {
    alt((
        section_msgtext,
        value(SectionText::Mime, tag_no_case("MIME")),
    ))
    .parse(i)
}

/// `header-list = "(" header-fld-name *(SP header-fld-name) ")"`. A name that is not an
/// RFC 5322 field name (`1*ftext`: printable ASCII but `:`, at most a line long) can never
/// match a field, so it is refused rather than carried into the response.
fn header_list(i: &[u8]) -> Res<'_, Vec<String>> {
    let field_name = verify(astring_s, |n: &str| {
        !n.is_empty() && n.len() <= 998 && n.bytes().all(|b| (33..=126).contains(&b) && b != b':')
    });
    delimited(char('('), separated_list1(char(' '), field_name), char(')')).parse(i)
}

/// `fetch-att`, with the macros ALL, FAST and FULL expanded (RFC 9051 §6.4.5).
fn fetch_att(i: &[u8]) -> Res<'_, FetchItem> {
    alt((
        #[cfg(feature = "imap4rev2")]
        super::rev2::fetch_att,
        map(
            (
                alt((
                    value(true, tag_no_case("BODY.PEEK")),
                    value(false, tag_no_case("BODY")),
                )),
                section,
                opt(delimited(
                    char('<'),
                    (number, preceded(char('.'), nz_number)),
                    char('>'),
                )),
            ),
            |(peek, section, partial)| FetchItem::BodySection {
                peek,
                section,
                partial,
            },
        ),
        structure_att,
        value(FetchItem::Flags, tag_no_case("FLAGS")),
        value(FetchItem::InternalDate, tag_no_case("INTERNALDATE")),
        value(FetchItem::Rfc822Header, tag_no_case("RFC822.HEADER")),
        value(FetchItem::Rfc822Size, tag_no_case("RFC822.SIZE")),
        value(FetchItem::Rfc822Text, tag_no_case("RFC822.TEXT")),
        value(FetchItem::Rfc822, tag_no_case("RFC822")),
        value(FetchItem::Uid, tag_no_case("UID")),
        value(FetchItem::ModSeq, tag_no_case("MODSEQ")),
    ))
    .parse(i)
}

/// The FETCH items that describe MIME structure; none without it.
#[cfg(feature = "mime-structure")]
fn structure_att(i: &[u8]) -> Res<'_, FetchItem> {
    alt((
        value(FetchItem::BodyStructure, tag_no_case("BODYSTRUCTURE")),
        value(FetchItem::Body, tag_no_case("BODY")),
        value(FetchItem::Envelope, tag_no_case("ENVELOPE")),
    ))
    .parse(i)
}

#[cfg(not(feature = "mime-structure"))]
fn structure_att(i: &[u8]) -> Res<'_, FetchItem> {
    nom::combinator::fail().parse(i)
}

/// The macros ALL and FULL, which include ENVELOPE.
#[cfg(feature = "mime-structure")]
fn structure_macro(i: &[u8]) -> Res<'_, Vec<FetchItem>> {
    use FetchItem::*;
    alt((
        value(
            vec![Flags, InternalDate, Rfc822Size, Envelope],
            tag_no_case("ALL"),
        ),
        value(
            vec![Flags, InternalDate, Rfc822Size, Envelope, Body],
            tag_no_case("FULL"),
        ),
    ))
    .parse(i)
}

#[cfg(not(feature = "mime-structure"))]
fn structure_macro(i: &[u8]) -> Res<'_, Vec<FetchItem>> {
    nom::combinator::fail().parse(i)
}

fn fetch_items(i: &[u8]) -> Res<'_, Vec<FetchItem>> {
    use FetchItem::*;
    alt((
        structure_macro,
        value(vec![Flags, InternalDate, Rfc822Size], tag_no_case("FAST")),
        delimited(char('('), separated_list1(char(' '), fetch_att), char(')')),
        map(fetch_att, |a| vec![a]),
    ))
    .parse(i)
}

/// `search-key` (RFC 3501 §6.4.4): a keyword, read whole, then its arguments. One lookup by
/// keyword rather than a combinator per key keeps this small in the page's WebAssembly.
fn search_key(i: &[u8]) -> Res<'_, SearchKey> {
    search_key_at(i, 0)
}

/// How deeply parentheses, NOT and OR may nest: enough for any real search, and a bound on
/// the recursion of every walk over the key (a line of 64 KiB of "(" must not exhaust the
/// stack).
const MAX_SEARCH_DEPTH: usize = 32;

fn search_key_at(i: &[u8], depth: usize) -> Res<'_, SearchKey> {
    if depth > MAX_SEARCH_DEPTH {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TooLarge,
        )));
    }
    let inner = move |r| search_key_at(r, depth + 1);
    if i.first() == Some(&b'(') {
        return map(
            delimited(char('('), separated_list1(char(' '), inner), char(')')),
            SearchKey::And,
        )
        .parse(i);
    }
    let (rest, word) = take_while(|b: u8| b.is_ascii_alphabetic()).parse(i)?;
    if word.is_empty() {
        return map(sequence_set, SearchKey::Sequence).parse(i);
    }
    let word = word.to_ascii_uppercase();
    let arg = |r| char::<_, nom::error::Error<&[u8]>>(' ').parse(r);
    let flag_key = |flag: &str, has: bool| Ok((rest, SearchKey::Flag(flag.to_string(), has)));
    let header = |name: &str| {
        let (r, v) = preceded(arg, astring_s).parse(rest)?;
        Ok((r, SearchKey::Header(name.to_string(), v)))
    };
    let dated = |key: fn(i64) -> SearchKey| map(preceded(arg, date), key).parse(rest);
    match word.as_slice() {
        b"ALL" => Ok((rest, SearchKey::All)),
        b"ANSWERED" | b"DELETED" | b"DRAFT" | b"FLAGGED" | b"SEEN" | b"RECENT" => {
            flag_key(&system_flag(&word), true)
        }
        b"UNANSWERED" | b"UNDELETED" | b"UNDRAFT" | b"UNFLAGGED" | b"UNSEEN" => {
            flag_key(&system_flag(word.get(2..).unwrap_or_default()), false)
        }
        // RFC 3501 §6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
        b"NEW" => Ok((
            rest,
            SearchKey::And(vec![
                SearchKey::Flag("\\Recent".into(), true),
                SearchKey::Flag("\\Seen".into(), false),
            ]),
        )),
        b"OLD" => flag_key("\\Recent", false),
        b"KEYWORD" | b"UNKEYWORD" => map(preceded(arg, flag), |k| {
            SearchKey::Flag(k, word.as_slice() == b"KEYWORD")
        })
        .parse(rest),
        b"FROM" => header("From"),
        b"TO" => header("To"),
        b"CC" => header("Cc"),
        b"BCC" => header("Bcc"),
        b"SUBJECT" => header("Subject"),
        b"BODY" => map(preceded(arg, astring_s), SearchKey::Body).parse(rest),
        b"TEXT" => map(preceded(arg, astring_s), SearchKey::Text).parse(rest),
        b"HEADER" => map(
            (preceded(arg, astring_s), preceded(arg, astring_s)),
            |(h, v)| SearchKey::Header(h, v),
        )
        .parse(rest),
        b"BEFORE" => dated(SearchKey::Before),
        b"ON" => dated(SearchKey::On),
        b"SINCE" => dated(SearchKey::Since),
        b"SENTBEFORE" => dated(SearchKey::SentBefore),
        b"SENTON" => dated(SearchKey::SentOn),
        b"SENTSINCE" => dated(SearchKey::SentSince),
        b"LARGER" => map(preceded(arg, number), SearchKey::Larger).parse(rest),
        b"SMALLER" => map(preceded(arg, number), SearchKey::Smaller).parse(rest),
        b"UID" => map(preceded(arg, sequence_set), SearchKey::Uid).parse(rest),
        b"MODSEQ" => map(preceded(arg, number64), SearchKey::ModSeq).parse(rest),
        b"NOT" => map(preceded(arg, inner), |k| SearchKey::Not(Box::new(k))).parse(rest),
        b"OR" => map((preceded(arg, inner), preceded(arg, inner)), |(a, b)| {
            SearchKey::Or(Box::new(a), Box::new(b))
        })
        .parse(rest),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `SEEN` → `\Seen`: the system flag a search keyword names.
fn system_flag(word: &[u8]) -> String {
    let mut flag = String::from("\\");
    for (n, b) in word.iter().enumerate() {
        flag.push(char::from(if n == 0 { *b } else { b.to_ascii_lowercase() }));
    }
    flag
}

pub(super) fn search_program(i: &[u8]) -> Res<'_, SearchKey> {
    let (i, _) = opt((tag_no_case("CHARSET "), astring, char(' '))).parse(i)?;
    map(separated_list1(char(' '), search_key), |mut keys| {
        if keys.len() == 1 {
            keys.pop().unwrap_or(SearchKey::All)
        } else {
            SearchKey::And(keys)
        }
    })
    .parse(i)
}

#[cfg(feature = "mailboxes")]
pub(super) fn status_item(i: &[u8]) -> Res<'_, StatusItem> {
    alt((
        value(StatusItem::Messages, tag_no_case("MESSAGES")),
        value(StatusItem::Recent, tag_no_case("RECENT")),
        value(StatusItem::UidNext, tag_no_case("UIDNEXT")),
        value(StatusItem::UidValidity, tag_no_case("UIDVALIDITY")),
        value(StatusItem::Unseen, tag_no_case("UNSEEN")),
        value(StatusItem::Size, tag_no_case("SIZE")),
        value(StatusItem::HighestModSeq, tag_no_case("HIGHESTMODSEQ")),
        #[cfg(feature = "imap4rev2")]
        value(StatusItem::Deleted, tag_no_case("DELETED")),
    ))
    .parse(i)
}

/// `tag = 1*<any ASTRING-CHAR except "+">`
fn tag_(i: &[u8]) -> Res<'_, &[u8]> {
    take_while1(|b| is_astring_char(b) && b != b'+').parse(i)
}

/// Why a command could not be parsed: the server answers BAD, with the tag when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub tag: Option<String>,
    pub reason: String,
}

/// Parses one whole command (as framed by [`frame`]), CRLF included.
pub fn command(input: &[u8]) -> Result<(String, Command), CommandError> {
    let body = input
        .strip_suffix(b"\r\n")
        .or_else(|| input.strip_suffix(b"\n"))
        .unwrap_or(input);
    let (rest, tag) = tag_(body).map_err(|_| CommandError {
        tag: None,
        reason: "Error in IMAP command received by server: a command starts with a tag".into(),
    })?;
    let tag = to_string(tag);
    let fail = |reason: &str| CommandError {
        tag: Some(tag.clone()),
        reason: reason.to_string(),
    };
    let rest = rest
        .strip_prefix(b" ")
        .ok_or_else(|| fail("Missing command after the tag"))?;
    let (args, name) =
        take_while1::<_, _, nom::error::Error<&[u8]>>(|b: u8| b.is_ascii_alphabetic())
            .parse(rest)
            .map_err(|_| fail("Missing command after the tag"))?;
    let name = name.to_ascii_uppercase();
    let parsed = match name.as_slice() {
        b"UID" => uid_command(args),
        _ => plain_command(&name, args),
    };
    match parsed {
        Some(Ok((b"", cmd))) => Ok((tag, cmd)),
        Some(_) => Err(fail(&format!(
            "Error in IMAP command {}: invalid arguments",
            to_string(&name)
        ))),
        None => Err(fail("Unknown command")),
    }
}

fn plain_command<'a>(name: &[u8], a: &'a [u8]) -> Option<Res<'a, Command>> {
    // RFC 9051 syntax first (SEARCH RETURN, extended LIST); IMAP4rev1's when it does not fit.
    #[cfg(feature = "imap4rev2")]
    if let Some(extended) = super::rev2::command(name, false, a) {
        return Some(extended);
    }
    let sp = |i| char::<_, nom::error::Error<&[u8]>>(' ').parse(i);
    let none = |cmd: Command| move |i: &'a [u8]| -> Res<'a, Command> { Ok((i, cmd.clone())) };
    Some(match name {
        b"CAPABILITY" => none(Command::Capability)(a),
        b"NOOP" | b"CHECK" => none(Command::Noop)(a),
        b"LOGOUT" => none(Command::Logout)(a),
        b"STARTTLS" => none(Command::StartTls)(a),
        b"IDLE" => none(Command::Idle)(a),
        b"CLOSE" => none(Command::Close)(a),
        b"UNSELECT" => none(Command::Unselect)(a),
        b"EXPUNGE" => none(Command::Expunge { uids: None })(a),
        b"AUTHENTICATE" => map(
            (
                preceded(sp, atom),
                opt(preceded(
                    sp,
                    alt((
                        tag("="),
                        take_while1(|b: u8| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
                    )),
                )),
            ),
            |(m, r)| Command::Authenticate {
                mechanism: to_string(m).to_ascii_uppercase(),
                initial_response: r.map(to_string),
            },
        )
        .parse(a),
        b"LOGIN" => map(
            (preceded(sp, astring_s), preceded(sp, astring_s)),
            |(user, password)| Command::Login { user, password },
        )
        .parse(a),
        b"ENABLE" => map(
            many0(preceded(
                sp,
                map(atom, |c| to_string(c).to_ascii_uppercase()),
            )),
            Command::Enable,
        )
        .parse(a),
        b"SELECT" | b"EXAMINE" => map(
            (
                preceded(sp, mailbox),
                opt(preceded(sp, tag_no_case("(CONDSTORE)"))),
            ),
            |(mailbox, c)| Command::Select {
                mailbox,
                read_only: name == b"EXAMINE",
                condstore: c.is_some(),
            },
        )
        .parse(a),
        b"SEARCH" => map(preceded(sp, search_program), |key| Command::Search {
            uid: false,
            key,
        })
        .parse(a),
        b"FETCH" => fetch(false, a),
        b"STORE" => store(false, a),
        _ => return mailbox_command(name, a),
    })
}

/// The commands that manage mailboxes and file messages (the `mailboxes` feature).
#[cfg(feature = "mailboxes")]
fn mailbox_command<'a>(name: &[u8], a: &'a [u8]) -> Option<Res<'a, Command>> {
    let sp = |i| char::<_, nom::error::Error<&[u8]>>(' ').parse(i);
    let none = |cmd: Command| move |i: &'a [u8]| -> Res<'a, Command> { Ok((i, cmd.clone())) };
    Some(match name {
        b"NAMESPACE" => none(Command::Namespace)(a),
        b"CREATE" => map(preceded(sp, mailbox), Command::Create).parse(a),
        b"DELETE" => map(preceded(sp, mailbox), Command::Delete).parse(a),
        b"RENAME" => map(
            (preceded(sp, mailbox), preceded(sp, mailbox)),
            |(from, to)| Command::Rename { from, to },
        )
        .parse(a),
        b"SUBSCRIBE" => map(preceded(sp, mailbox), Command::Subscribe).parse(a),
        b"UNSUBSCRIBE" => map(preceded(sp, mailbox), Command::Unsubscribe).parse(a),
        b"LIST" | b"LSUB" => map(
            (preceded(sp, astring_s), preceded(sp, list_mailbox)),
            |(reference, pattern)| Command::List {
                reference,
                pattern,
                subscribed_only: name == b"LSUB",
            },
        )
        .parse(a),
        b"STATUS" => map(
            (
                preceded(sp, mailbox),
                preceded(
                    sp,
                    delimited(
                        char('('),
                        separated_list1(char(' '), status_item),
                        char(')'),
                    ),
                ),
            ),
            |(mailbox, items)| Command::Status { mailbox, items },
        )
        .parse(a),
        b"APPEND" => map(
            (
                preceded(sp, mailbox),
                opt(preceded(sp, flag_list)),
                opt(preceded(sp, date_time)),
                preceded(sp, literal),
            ),
            |(mailbox, flags, date, message)| Command::Append {
                mailbox,
                flags: flags.unwrap_or_default(),
                date,
                message,
            },
        )
        .parse(a),
        b"COPY" => copy(false, false, a),
        b"MOVE" => copy(false, true, a),
        _ => return None,
    })
}

#[cfg(not(feature = "mailboxes"))]
fn mailbox_command<'a>(_: &[u8], _: &'a [u8]) -> Option<Res<'a, Command>> {
    None
}

fn uid_command(a: &[u8]) -> Option<Res<'_, Command>> {
    let (rest, name) = preceded(
        char::<_, nom::error::Error<&[u8]>>(' '),
        take_while1(|b: u8| b.is_ascii_alphabetic()),
    )
    .parse(a)
    .ok()?;
    #[cfg(feature = "imap4rev2")]
    if let Some(extended) = super::rev2::command(&name.to_ascii_uppercase(), true, rest) {
        return Some(extended);
    }
    Some(match name.to_ascii_uppercase().as_slice() {
        b"FETCH" => fetch(true, rest),
        b"STORE" => store(true, rest),
        #[cfg(feature = "mailboxes")]
        b"COPY" => copy(true, false, rest),
        #[cfg(feature = "mailboxes")]
        b"MOVE" => copy(true, true, rest),
        b"SEARCH" => map(preceded(char(' '), search_program), |key| Command::Search {
            uid: true,
            key,
        })
        .parse(rest),
        b"EXPUNGE" => map(preceded(char(' '), sequence_set), |s| Command::Expunge {
            uids: Some(s),
        })
        .parse(rest),
        _ => return None,
    })
}

fn fetch(uid: bool, a: &[u8]) -> Res<'_, Command> {
    map(
        (
            preceded(char(' '), sequence_set),
            preceded(char(' '), fetch_items),
            opt(preceded(
                tag_no_case(" (CHANGEDSINCE "),
                terminated(number64, char(')')),
            )),
        ),
        |(set, items, changed_since)| Command::Fetch {
            uid,
            set,
            items,
            changed_since,
        },
    )
    .parse(a)
}

fn store(uid: bool, a: &[u8]) -> Res<'_, Command> {
    let (a, set) = preceded(char(' '), sequence_set).parse(a)?;
    let (a, unchanged_since) = opt(preceded(
        tag_no_case(" (UNCHANGEDSINCE "),
        terminated(number64, char(')')),
    ))
    .parse(a)?;
    let (a, mode) = preceded(
        char(' '),
        alt((
            value(StoreMode::Add, char('+')),
            value(StoreMode::Remove, char('-')),
            value(StoreMode::Replace, tag("")),
        )),
    )
    .parse(a)?;
    let (a, _) = tag_no_case("FLAGS").parse(a)?;
    let (a, silent) = map(opt(tag_no_case(".SILENT")), |s| s.is_some()).parse(a)?;
    let (a, flags) = preceded(
        char(' '),
        alt((flag_list, separated_list1(char(' '), flag))),
    )
    .parse(a)?;
    Ok((
        a,
        Command::Store {
            uid,
            set,
            mode,
            silent,
            flags,
            unchanged_since,
        },
    ))
}

#[cfg(feature = "mailboxes")]
fn copy(uid: bool, remove: bool, a: &[u8]) -> Res<'_, Command> {
    map(
        (
            preceded(char(' '), sequence_set),
            preceded(char(' '), mailbox),
        ),
        |(set, mailbox)| Command::Copy {
            uid,
            set,
            mailbox,
            remove,
        },
    )
    .parse(a)
}

/// An unused-input check for the parsers that take whole lines.
pub fn is_done(i: &[u8]) -> bool {
    take_while::<_, _, nom::error::Error<&[u8]>>(|b| b == b' ')
        .parse(i)
        .is_ok_and(|(rest, _)| rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(s: &str) -> Command {
        let input = format!("{s}\r\n");
        command(input.as_bytes()).unwrap().1
    }

    #[test]
    fn framing_finds_commands_and_counts_sync_literals() {
        assert_eq!(frame(b"a1 NOOP\r\nrest"), Framing::Complete(9));
        assert_eq!(frame(b"a1 NOOP"), Framing::Incomplete { sync_literals: 0 });
        assert_eq!(
            frame(b"A003 APPEND saved-messages (\\Seen) {3}\r\n"),
            Framing::Incomplete { sync_literals: 1 }
        );
        assert_eq!(
            frame(b"A003 APPEND x {3}\r\nabc\r\n"),
            Framing::Complete(24)
        );
        assert_eq!(
            frame(b"A003 APPEND x {3+}\r\nab"),
            Framing::Incomplete { sync_literals: 0 }
        );
        assert_eq!(frame(b"a LOGIN {4294967296}\r\n"), Framing::LiteralTooLarge);
        assert_eq!(frame(&vec![b'x'; MAX_LINE + 1]), Framing::LineTooLong);
    }

    #[test]
    fn commands_parse_as_the_rfc_writes_them() {
        assert_eq!(
            cmd("a001 login fred \"my pass\""),
            Command::Login {
                user: "fred".into(),
                password: "my pass".into()
            }
        );
        assert_eq!(
            cmd("a002 select inbox"),
            Command::Select {
                mailbox: "INBOX".into(),
                read_only: false,
                condstore: false
            }
        );
        assert_eq!(
            cmd("A142 SELECT INBOX (CONDSTORE)"),
            Command::Select {
                mailbox: "INBOX".into(),
                read_only: false,
                condstore: true
            }
        );
        assert_eq!(
            cmd("A101 LIST \"\" \"\""),
            Command::List {
                reference: "".into(),
                pattern: "".into(),
                subscribed_only: false
            }
        );
        assert_eq!(
            cmd("A682 LIST \"\" *"),
            Command::List {
                reference: "".into(),
                pattern: "*".into(),
                subscribed_only: false
            }
        );
        let Command::Fetch {
            uid: false,
            set,
            items,
            ..
        } = cmd("a003 fetch 12 full")
        else {
            panic!()
        };
        assert_eq!(set.to_string(), "12");
        assert_eq!(items.len(), 5);
        let Command::Fetch { items, .. } = cmd("a004 fetch 12 body[header]") else {
            panic!()
        };
        assert!(
            matches!(&items[0], FetchItem::BodySection { peek: false, section, partial: None } if section.text == Some(SectionText::Header))
        );
        let Command::Fetch {
            uid: true, items, ..
        } = cmd("A999 UID FETCH 4827313:4828442 FLAGS")
        else {
            panic!()
        };
        assert_eq!(items, [FetchItem::Flags]);
        let Command::Fetch { items, .. } =
            cmd("a FETCH 1:* (UID BODY.PEEK[1.2.MIME] BODY[]<0.2048> RFC822.SIZE)")
        else {
            panic!()
        };
        assert_eq!(items.len(), 4);
        let Command::Store {
            mode,
            silent,
            flags,
            ..
        } = cmd("A003 STORE 2:4 +FLAGS (\\deleted)")
        else {
            panic!()
        };
        assert_eq!(
            (mode, silent, flags),
            (StoreMode::Add, false, vec!["\\Deleted".to_string()])
        );
        assert_eq!(cmd("A202 EXPUNGE"), Command::Expunge { uids: None });
        assert!(matches!(
            cmd("A005 UID EXPUNGE 3000:3002"),
            Command::Expunge { uids: Some(_) }
        ));
        assert!(matches!(
            cmd("a MOVE 1:3 Trash"),
            Command::Copy { remove: true, .. }
        ));
        assert!(matches!(
            cmd("a UID COPY 1 \"Saved Mail\""),
            Command::Copy {
                uid: true,
                remove: false,
                ..
            }
        ));
        let Command::Search { key, .. } =
            cmd("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")
        else {
            panic!()
        };
        assert!(matches!(key, SearchKey::And(ref keys) if keys.len() == 3));
        let Command::Search { key, .. } = cmd("a SEARCH OR SEEN (DELETED UID 1:5)") else {
            panic!()
        };
        assert!(matches!(key, SearchKey::Or(..)));
        assert_eq!(
            cmd("a ENABLE CONDSTORE"),
            Command::Enable(vec!["CONDSTORE".into()])
        );
        let Command::Append {
            mailbox,
            flags,
            date,
            message,
        } = cmd("A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello")
        else {
            panic!()
        };
        assert_eq!(
            (mailbox.as_str(), flags, message.as_slice()),
            ("saved-messages", vec!["\\Seen".to_string()], &b"hello"[..])
        );
        assert_eq!(
            date,
            Some(days_from_civil(1996, 7, 17).unwrap() * 86400 + 9 * 3600 + 44 * 60 + 25)
        );
        assert_eq!(
            cmd("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=="),
            Command::Authenticate {
                mechanism: "PLAIN".into(),
                initial_response: Some("AGFsaWNlAHNlY3JldA==".into())
            }
        );
        assert_eq!(
            cmd("a login {5}\r\nalice {6}\r\nsecret"),
            Command::Login {
                user: "alice".into(),
                password: "secret".into()
            }
        );
    }

    #[test]
    fn bad_commands_say_why_with_the_tag() {
        assert_eq!(
            command(b"a1 FROB\r\n").unwrap_err().reason,
            "Unknown command"
        );
        assert_eq!(
            command(b"a1 SELECT\r\n").unwrap_err().tag.as_deref(),
            Some("a1")
        );
        assert!(command(b"\r\n").unwrap_err().tag.is_none());
        assert!(
            command(b"a1 FETCH 0 FLAGS\r\n").is_err(),
            "message numbers start at 1"
        );
        assert!(command(b"a1 STORE 1 FLAGS (\\Seen\r\n").is_err());
    }

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11017));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(
            date(b"1-Feb-1994").unwrap().1,
            days_from_civil(1994, 2, 1).unwrap()
        );
    }

    #[test]
    fn every_search_key_parses_whole_and_case_blind() {
        use SearchKey as K;
        let flag = |f: &str, has| K::Flag(f.to_string(), has);
        let header = |h: &str, v: &str| K::Header(h.to_string(), v.to_string());
        // Search dates count days, not seconds.
        let day = days_from_civil(1994, 2, 1).unwrap();
        for (text, expected) in [
            ("ALL", K::All),
            ("answered", flag("\\Answered", true)),
            ("UNANSWERED", flag("\\Answered", false)),
            ("DELETED", flag("\\Deleted", true)),
            ("UNDELETED", flag("\\Deleted", false)),
            ("Draft", flag("\\Draft", true)),
            ("UNDRAFT", flag("\\Draft", false)),
            ("FLAGGED", flag("\\Flagged", true)),
            ("UNFLAGGED", flag("\\Flagged", false)),
            ("SEEN", flag("\\Seen", true)),
            ("UNSEEN", flag("\\Seen", false)),
            ("RECENT", flag("\\Recent", true)),
            ("OLD", flag("\\Recent", false)),
            (
                "NEW",
                K::And(vec![flag("\\Recent", true), flag("\\Seen", false)]),
            ),
            ("KEYWORD $Work", flag("$Work", true)),
            ("UNKEYWORD $Work", flag("$Work", false)),
            ("FROM smith", header("From", "smith")),
            ("TO \"bob b\"", header("To", "bob b")),
            ("CC x", header("Cc", "x")),
            ("BCC x", header("Bcc", "x")),
            ("SUBJECT lunch", header("Subject", "lunch")),
            ("HEADER X-Tag urgent", header("X-Tag", "urgent")),
            ("BODY cake", K::Body("cake".into())),
            ("TEXT cake", K::Text("cake".into())),
            ("BEFORE 1-Feb-1994", K::Before(day)),
            ("ON 1-Feb-1994", K::On(day)),
            ("SINCE 1-Feb-1994", K::Since(day)),
            ("SENTBEFORE 1-Feb-1994", K::SentBefore(day)),
            ("SENTON 1-Feb-1994", K::SentOn(day)),
            ("SENTSINCE 1-Feb-1994", K::SentSince(day)),
            ("LARGER 100", K::Larger(100)),
            ("SMALLER 100", K::Smaller(100)),
            ("MODSEQ 7", K::ModSeq(7)),
            ("NOT SEEN", K::Not(Box::new(flag("\\Seen", true)))),
            (
                "OR SEEN LARGER 5",
                K::Or(Box::new(flag("\\Seen", true)), Box::new(K::Larger(5))),
            ),
            ("(SEEN)", K::And(vec![flag("\\Seen", true)])),
        ] {
            let Command::Search { key, .. } = cmd(&format!("a SEARCH {text}")) else {
                panic!("{text}")
            };
            assert_eq!(key, expected, "{text}");
        }
        assert!(matches!(
            cmd("a SEARCH UID 1:5"),
            Command::Search { key: K::Uid(_), .. }
        ));
        assert!(matches!(
            cmd("a SEARCH 2,4:*"),
            Command::Search {
                key: K::Sequence(_),
                ..
            }
        ));
        // A keyword is read whole: a longer word is not a shorter key plus junk.
        for bad in ["ALLX", "SEENS", "ON", "TOO x", "LARGER x", "FROB"] {
            assert!(
                command(format!("a SEARCH {bad}\r\n").as_bytes()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn search_keys_nest_only_so_deep() {
        let deep = |n: usize| format!("a SEARCH {}SEEN{}\r\n", "(".repeat(n), ")".repeat(n));
        assert!(command(deep(MAX_SEARCH_DEPTH).as_bytes()).is_ok());
        assert!(command(deep(MAX_SEARCH_DEPTH + 1).as_bytes()).is_err());
        let nots = format!("a SEARCH {}SEEN\r\n", "NOT ".repeat(20_000));
        assert!(command(nots.as_bytes()).is_err());
        let parens = format!("a SEARCH {}\r\n", "(".repeat(60_000));
        assert!(command(parens.as_bytes()).is_err());
    }
}
