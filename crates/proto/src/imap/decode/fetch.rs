//! FETCH data items (RFC 9051 §6.4.5) and the body sections they name.

use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::char;
use nom::combinator::{map, opt, value, verify};
use nom::multi::separated_list1;
use nom::sequence::{delimited, preceded};
use nom::Parser;

use super::basic::{astring_s, number, nz_number};
use super::Res;
use crate::imap::section::{Section, SectionText};
use crate::imap::types::FetchItem;

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
        binary_att,
        map(
            (
                alt((
                    value(true, tag_no_case("BODY.PEEK")),
                    value(false, tag_no_case("BODY")),
                )),
                section,
                opt(partial),
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

/// `partial = "<" number "." nz-number ">"`: the origin and the number of octets.
fn partial(i: &[u8]) -> Res<'_, (u32, u32)> {
    delimited(
        char('<'),
        (number, preceded(char('.'), nz_number)),
        char('>'),
    )
    .parse(i)
}

/// `"BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary`, where
/// `section-binary = "[" [section-part] "]"`.
#[cfg(feature = "imap4rev2")]
fn binary_att(i: &[u8]) -> Res<'_, FetchItem> {
    let section_binary = || {
        delimited(
            char('['),
            map(
                opt(separated_list1(char('.'), nz_number)),
                Option::unwrap_or_default,
            ),
            char(']'),
        )
    };
    alt((
        map(
            preceded(tag_no_case("BINARY.SIZE"), section_binary()),
            |part| FetchItem::BinarySize { part },
        ),
        map(
            (
                alt((
                    value(true, tag_no_case("BINARY.PEEK")),
                    value(false, tag_no_case("BINARY")),
                )),
                section_binary(),
                opt(partial),
            ),
            |(peek, part, partial)| FetchItem::Binary {
                peek,
                part,
                partial,
            },
        ),
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

pub(super) fn fetch_items(i: &[u8]) -> Res<'_, Vec<FetchItem>> {
    use FetchItem::*;
    alt((
        structure_macro,
        value(vec![Flags, InternalDate, Rfc822Size], tag_no_case("FAST")),
        delimited(char('('), separated_list1(char(' '), fetch_att), char(')')),
        map(fetch_att, |a| vec![a]),
    ))
    .parse(i)
}
