//! STATUS data items (RFC 9051 §6.3.11), for STATUS and LIST's RETURN (STATUS ...).

use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::char;
use nom::combinator::value;
use nom::multi::separated_list1;
use nom::sequence::delimited;
use nom::Parser;

use super::Res;
use crate::imap::types::StatusItem;

/// `"(" status-att *(SP status-att) ")"`
pub(super) fn status_atts(i: &[u8]) -> Res<'_, Vec<StatusItem>> {
    delimited(char('('), separated_list1(char(' '), status_att), char(')')).parse(i)
}

/// `status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" / "DELETED" / "SIZE"`,
/// with RECENT (RFC 3501) and HIGHESTMODSEQ (RFC 7162).
fn status_att(i: &[u8]) -> Res<'_, StatusItem> {
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
