//! Extended LIST (RFC 9051 §6.3.9, RFC 5258): selection options, several patterns and
//! return options. IMAP4rev2 only; the basic LIST is parsed with the other commands.

use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::char;
use nom::combinator::{map, opt, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, terminated};
use nom::Parser;

use super::basic::{astring_s, list_mailbox};
use super::status::status_atts;
use super::Res;
use crate::imap::types::{Command, Extended, ListReturn, ListSelection, StatusItem};

#[derive(Clone, Copy, PartialEq, Eq)]
enum SelectOpt {
    Subscribed,
    Remote,
    RecursiveMatch,
}

/// `list-select-opts`; "The RECURSIVEMATCH option MUST NOT occur as the only selection
/// option (or only with REMOTE) ... The server MUST return a BAD tagged response in such
/// case" (RFC 9051 §6.3.9.1), so that fails the parse too, as does an unknown option.
fn list_select_opts(i: &[u8]) -> Res<'_, ListSelection> {
    let option = alt((
        value(SelectOpt::Subscribed, tag_no_case("SUBSCRIBED")),
        value(SelectOpt::Remote, tag_no_case("REMOTE")),
        value(SelectOpt::RecursiveMatch, tag_no_case("RECURSIVEMATCH")),
    ));
    let (rest, options) =
        delimited(char('('), separated_list0(char(' '), option), char(')')).parse(i)?;
    let has = |o| options.contains(&o);
    let selection = ListSelection {
        subscribed: has(SelectOpt::Subscribed),
        remote: has(SelectOpt::Remote),
        recursive_match: has(SelectOpt::RecursiveMatch),
    };
    if selection.recursive_match && !selection.subscribed {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, selection))
}

#[derive(Clone)]
enum ReturnListOpt {
    Subscribed,
    Children,
    Status(Vec<StatusItem>),
}

/// `list-return-opts = "RETURN" SP "(" [list-return-opt *(SP list-return-opt)] ")"`, the
/// part after "RETURN (".
fn list_return_opts(i: &[u8]) -> Res<'_, ListReturn> {
    let option = alt((
        value(ReturnListOpt::Subscribed, tag_no_case("SUBSCRIBED")),
        value(ReturnListOpt::Children, tag_no_case("CHILDREN")),
        map(
            preceded(tag_no_case("STATUS "), status_atts),
            ReturnListOpt::Status,
        ),
    ));
    map(
        terminated(separated_list0(char(' '), option), char(')')),
        |options| {
            let mut ret = ListReturn::default();
            for o in options {
                match o {
                    ReturnListOpt::Subscribed => ret.subscribed = true,
                    ReturnListOpt::Children => ret.children = true,
                    ReturnListOpt::Status(items) => {
                        let list = ret.status.get_or_insert_with(Vec::new);
                        for item in items {
                            if !list.contains(&item) {
                                list.push(item);
                            }
                        }
                    }
                }
            }
            ret
        },
    )
    .parse(i)
}

/// `list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]`,
/// only in its extended forms (RFC 9051 §6.3.9: selection options, a parenthesised
/// pattern list, or return options); the basic form stays the IMAP4rev1 command.
pub(super) fn extended_list(i: &[u8]) -> Res<'_, Command> {
    let (i, selection) = opt(preceded(char(' '), list_select_opts)).parse(i)?;
    let (i, reference) = preceded(char(' '), astring_s).parse(i)?;
    let (i, (patterns, several)) = preceded(
        char(' '),
        alt((
            map(
                delimited(
                    char('('),
                    separated_list1(char(' '), list_mailbox),
                    char(')'),
                ),
                |p| (p, true),
            ),
            map(list_mailbox, |p| (vec![p], false)),
        )),
    )
    .parse(i)?;
    let (i, ret) = opt(preceded(tag_no_case(" RETURN ("), list_return_opts)).parse(i)?;
    if selection.is_none() && !several && ret.is_none() {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((
        i,
        Command::Rev2(Extended::List {
            selection: selection.unwrap_or_default(),
            reference,
            patterns,
            ret: ret.unwrap_or_default(),
        }),
    ))
}
