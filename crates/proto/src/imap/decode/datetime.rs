//! Dates (RFC 9051 §9 `date`, `date-time`), as days or seconds since 1970.

#[cfg(feature = "mailboxes")]
use nom::combinator::opt;
#[cfg(feature = "search-keys")]
use nom::sequence::delimited;
#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
use nom::{
    branch::alt, bytes::complete::take, character::complete::char, combinator::map_res, Parser,
};

#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
use super::basic::number;
#[cfg(feature = "mailboxes")]
use super::basic::to_string;
#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
use super::Res;
/// `date` and `date-time` are counted in days from 1970 (the server's SEARCH compares them).
pub use crate::wire::calendar::days_from_civil;
#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
use crate::wire::calendar::month_number;

#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
/// `date-month = "Jan" / "Feb" / ...` (case-insensitive)
fn date_month(i: &[u8]) -> Res<'_, u32> {
    map_res(take(3usize), |m: &[u8]| month_number(m).ok_or(())).parse(i)
}

#[cfg(any(feature = "mailboxes", feature = "search-keys"))]
/// `date-text = date-day "-" date-month "-" date-year`; as days since 1970-01-01.
fn date_text(i: &[u8]) -> Res<'_, i64> {
    map_res(
        (number, char('-'), date_month, char('-'), number),
        |(d, _, m, _, y)| days_from_civil(i64::from(y), m, d).ok_or(()),
    )
    .parse(i)
}

#[cfg(feature = "search-keys")]
/// `date = date-text / DQUOTE date-text DQUOTE`
pub(super) fn date(i: &[u8]) -> Res<'_, i64> {
    alt((date_text, delimited(char('"'), date_text, char('"')))).parse(i)
}

#[cfg(feature = "mailboxes")]
/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`;
/// as seconds since 1970 (UTC).
pub(super) fn date_time(i: &[u8]) -> Res<'_, i64> {
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
