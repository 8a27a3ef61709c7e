//! Commands (RFC 9051 §9 `command`): the tag, the command name, then its arguments.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while1};
use nom::character::complete::char;
use nom::combinator::{map, opt, value};
#[cfg(feature = "mailboxes")]
use nom::multi::many1;
use nom::multi::{many0, separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, terminated};
use nom::Parser;

use super::basic::{
    astring_s, atom, flag, flag_list, is_astring_char, mailbox, number64, to_string,
};
#[cfg(feature = "mailboxes")]
use super::basic::{list_mailbox, literal};
#[cfg(feature = "mailboxes")]
use super::datetime::date_time;
use super::fetch::fetch_items;
use super::search::search_program;
use super::sequence::sequence_set;
#[cfg(feature = "mailboxes")]
use super::status::status_atts;
use super::Res;
#[cfg(feature = "mailboxes")]
use crate::imap::types::AppendMessage;
use crate::imap::types::{Command, StoreMode};

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
        Some(_) if names_mailbox(&name) && std::str::from_utf8(args).is_err() => {
            Err(fail(&format!(
                "Error in IMAP command {}: a mailbox name must be UTF-8 (RFC 9051 section 5.1)",
                to_string(&name)
            )))
        }
        Some(_) => Err(fail(&format!(
            "Error in IMAP command {}: invalid arguments",
            to_string(&name)
        ))),
        None => Err(fail("Unknown command")),
    }
}

/// Commands whose arguments are mailbox names (and, for COPY and MOVE, a sequence set):
/// octets that are not UTF-8 there can only be a name that is not.
fn names_mailbox(name: &[u8]) -> bool {
    matches!(
        name,
        b"SELECT"
            | b"EXAMINE"
            | b"CREATE"
            | b"DELETE"
            | b"RENAME"
            | b"SUBSCRIBE"
            | b"UNSUBSCRIBE"
            | b"STATUS"
            | b"COPY"
            | b"MOVE"
    )
}

/// The command `name` (upper case; after UID when `uid`) with arguments `args`, if it is
/// in IMAP4rev2-only syntax: SEARCH with RETURN, extended LIST. None sends it on to the
/// IMAP4rev1 parser.
#[cfg(feature = "imap4rev2")]
fn extended<'a>(name: &[u8], uid: bool, args: &'a [u8]) -> Option<Res<'a, Command>> {
    let parsed = match (name, uid) {
        (b"SEARCH", _) => super::search::search_return(uid, args),
        (b"LIST", false) => super::list::extended_list(args),
        _ => return None,
    };
    parsed.is_ok().then_some(parsed)
}

fn plain_command<'a>(name: &[u8], a: &'a [u8]) -> Option<Res<'a, Command>> {
    // RFC 9051 syntax first (SEARCH RETURN, extended LIST); IMAP4rev1's when it does not fit.
    #[cfg(feature = "imap4rev2")]
    if let Some(extended) = extended(name, false, a) {
        return Some(extended);
    }
    let sp = |i| char::<_, nom::error::Error<&[u8]>>(' ').parse(i);
    let none = |cmd: Command| move |i: &'a [u8]| -> Res<'a, Command> { Ok((i, cmd.clone())) };
    Some(match name {
        b"CAPABILITY" => none(Command::Capability)(a),
        b"NOOP" | b"CHECK" => none(Command::Noop)(a),
        b"LOGOUT" => none(Command::Logout)(a),
        b"ID" => map(preceded(sp, id_params_list), Command::Id).parse(a),
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
            (preceded(sp, mailbox), preceded(sp, status_atts)),
            |(mailbox, items)| Command::Status { mailbox, items },
        )
        .parse(a),
        // RFC 3502: `append = "APPEND" SP mailbox 1*append-message`.
        b"APPEND" => map(
            (
                preceded(sp, mailbox),
                many1((
                    opt(preceded(sp, flag_list)),
                    opt(preceded(sp, date_time)),
                    preceded(sp, literal),
                )),
            ),
            |(mailbox, messages)| Command::Append {
                mailbox,
                messages: messages
                    .into_iter()
                    .map(|(flags, date, message)| AppendMessage {
                        flags: flags.unwrap_or_default(),
                        date,
                        message,
                    })
                    .collect(),
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
    if let Some(extended) = extended(&name.to_ascii_uppercase(), true, rest) {
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

/// `id_params_list ::= "(" #(string SPACE nstring) ")" / nil` (RFC 2971 §4): field-value
/// pairs, one space apart, as clients send them.
fn id_params_list(i: &[u8]) -> Res<'_, Vec<(String, Option<String>)>> {
    let nstring = alt((value(None, tag_no_case("NIL")), map(astring_s, Some)));
    let pair = (astring_s, preceded(char(' '), nstring));
    alt((
        value(Vec::new(), tag_no_case("NIL")),
        delimited(char('('), separated_list0(char(' '), pair), char(')')),
    ))
    .parse(i)
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
