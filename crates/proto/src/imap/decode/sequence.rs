//! Sequence sets (RFC 9051 §9 `sequence-set`): message numbers or UIDs, and "$".

use nom::branch::alt;
use nom::character::complete::char;
use nom::combinator::{map, opt, value};
use nom::multi::separated_list1;
use nom::sequence::preceded;
use nom::Parser;

use super::basic::nz_number;
use super::Res;
use crate::imap::types::{SeqNumber, SequenceSet};

/// `seq-number = nz-number / "*"`
fn seq_number(i: &[u8]) -> Res<'_, SeqNumber> {
    alt((
        map(nz_number, SeqNumber::Value),
        value(SeqNumber::Largest, char('*')),
    ))
    .parse(i)
}

/// `sequence-set = (seq-number / seq-range) ["," sequence-set]`; `seq-range = seq-number ":" seq-number`
pub(super) fn sequence_set(i: &[u8]) -> Res<'_, SequenceSet> {
    // RFC 9051 §9: `sequence-set =/ seq-last-command`, the "$" of SEARCHRES.
    #[cfg(feature = "imap4rev2")]
    if let Ok(saved) = seq_last_command(i) {
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

/// `seq-last-command = "$"`
#[cfg(feature = "imap4rev2")]
fn seq_last_command(i: &[u8]) -> Res<'_, SequenceSet> {
    value(SequenceSet::saved(), char('$')).parse(i)
}
