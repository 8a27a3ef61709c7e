//! SEARCH keys (RFC 9051 §6.4.4) and, with IMAP4rev2, SEARCH's RETURN options.

use nom::bytes::complete::{tag_no_case, take_while};
use nom::character::complete::char;
use nom::combinator::{map, opt};
use nom::multi::separated_list1;
use nom::sequence::{delimited, preceded};
use nom::Parser;
#[cfg(feature = "search-keys")]
use nom::{branch::alt, combinator::verify};
#[cfg(feature = "imap4rev2")]
use nom::{combinator::value, multi::separated_list0};

use super::basic::{astring, flag};
use super::sequence::sequence_set;
use super::Res;
#[cfg(feature = "search-keys")]
use super::{
    basic::{astring_s, number, number64, quoted},
    datetime::date,
};
use crate::imap::types::SearchKey;
#[cfg(feature = "imap4rev2")]
use crate::imap::types::{Command, Extended, SearchReturn};

/// `search-key` (RFC 3501 §6.4.4): a keyword, read whole, then its arguments. One lookup by
/// keyword rather than a combinator per key keeps this small in the page's WebAssembly.
fn search_key(i: &[u8]) -> Res<'_, SearchKey> {
    search_key_at(i, 0)
}

/// How deeply parentheses, NOT and OR may nest: enough for any real search, and a bound on
/// the recursion of every walk over the key (a line of 64 KiB of "(" must not exhaust the
/// stack).
pub(super) const MAX_SEARCH_DEPTH: usize = 32;

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
    #[cfg(feature = "search-keys")]
    let address = |name: &str| {
        let (r, v) = preceded(arg, astring_s).parse(rest)?;
        Ok((r, SearchKey::Address(name.to_string(), v)))
    };
    #[cfg(feature = "search-keys")]
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
        #[cfg(feature = "search-keys")]
        b"FROM" => address("From"),
        #[cfg(feature = "search-keys")]
        b"TO" => address("To"),
        #[cfg(feature = "search-keys")]
        b"CC" => address("Cc"),
        #[cfg(feature = "search-keys")]
        b"BCC" => address("Bcc"),
        #[cfg(feature = "search-keys")]
        b"SUBJECT" => map(preceded(arg, astring_s), |v| {
            SearchKey::Header("Subject".into(), v)
        })
        .parse(rest),
        #[cfg(feature = "search-keys")]
        b"BODY" => map(preceded(arg, astring_s), SearchKey::Body).parse(rest),
        #[cfg(feature = "search-keys")]
        b"TEXT" => map(preceded(arg, astring_s), SearchKey::Text).parse(rest),
        #[cfg(feature = "search-keys")]
        b"HEADER" => map(
            (preceded(arg, astring_s), preceded(arg, astring_s)),
            |(h, v)| SearchKey::Header(h, v),
        )
        .parse(rest),
        #[cfg(feature = "search-keys")]
        b"BEFORE" => dated(SearchKey::Before),
        #[cfg(feature = "search-keys")]
        b"ON" => dated(SearchKey::On),
        #[cfg(feature = "search-keys")]
        b"SINCE" => dated(SearchKey::Since),
        #[cfg(feature = "search-keys")]
        b"SENTBEFORE" => dated(SearchKey::SentBefore),
        #[cfg(feature = "search-keys")]
        b"SENTON" => dated(SearchKey::SentOn),
        #[cfg(feature = "search-keys")]
        b"SENTSINCE" => dated(SearchKey::SentSince),
        #[cfg(feature = "search-keys")]
        b"LARGER" => map(preceded(arg, number), SearchKey::Larger).parse(rest),
        #[cfg(feature = "search-keys")]
        b"SMALLER" => map(preceded(arg, number), SearchKey::Smaller).parse(rest),
        b"UID" => map(preceded(arg, sequence_set), SearchKey::Uid).parse(rest),
        #[cfg(feature = "search-keys")]
        b"MODSEQ" => map(
            preceded(opt(search_modseq_ext), preceded(arg, number64)),
            SearchKey::ModSeq,
        )
        .parse(rest),
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

#[cfg(feature = "search-keys")]
/// `search-modseq-ext = SP entry-name SP entry-type-req` (RFC 7162 §7), e.g.
/// `"/flags/\\seen" all`: the mod-sequence of one flag. The store keeps one mod-sequence per
/// message, so the entry is read and dropped: RFC 7162 §3.1.5, "If the server doesn't store
/// internally separate mod-sequences for different metadata items, it MUST ignore
/// <entry-name> and <entry-type-req>."
fn search_modseq_ext(i: &[u8]) -> Res<'_, ()> {
    let entry_name = verify(quoted, |name: &[u8]| {
        name.len() > 7
            && name
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"/flags/"))
    });
    let entry_type = alt((
        tag_no_case("priv"),
        tag_no_case("shared"),
        tag_no_case("all"),
    ));
    map((char(' '), entry_name, char(' '), entry_type), |_| ()).parse(i)
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

#[cfg(feature = "imap4rev2")]
#[derive(Clone, Copy)]
enum ReturnOpt {
    Min,
    Max,
    All,
    Count,
    Save,
}

/// `search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"`,
/// then the search program. An option this server does not know fails the parse, as
/// RFC 9051 §6.4.4 wants: "Any options not defined by extensions that the server supports
/// MUST be rejected with a BAD response."
#[cfg(feature = "imap4rev2")]
pub(super) fn search_return(uid: bool, i: &[u8]) -> Res<'_, Command> {
    let option = alt((
        value(ReturnOpt::Min, tag_no_case("MIN")),
        value(ReturnOpt::Max, tag_no_case("MAX")),
        value(ReturnOpt::All, tag_no_case("ALL")),
        value(ReturnOpt::Count, tag_no_case("COUNT")),
        value(ReturnOpt::Save, tag_no_case("SAVE")),
    ));
    map(
        (
            delimited(
                tag_no_case(" RETURN ("),
                separated_list0(char(' '), option),
                char(')'),
            ),
            preceded(char(' '), search_program),
        ),
        move |(options, key)| {
            let mut ret = SearchReturn::default();
            for o in &options {
                match o {
                    ReturnOpt::Min => ret.min = true,
                    ReturnOpt::Max => ret.max = true,
                    ReturnOpt::All => ret.all = true,
                    ReturnOpt::Count => ret.count = true,
                    ReturnOpt::Save => ret.save = true,
                }
            }
            if options.is_empty() {
                ret = SearchReturn::all();
            }
            Command::Rev2(Extended::Search { uid, ret, key })
        },
    )
    .parse(i)
}
