//! IMAP4rev2 (RFC 9051) syntax an IMAP4rev1 server lacks: SEARCH result options answered
//! with ESEARCH (RFC 4731) and the saved result "$" (SEARCHRES, RFC 5182); extended LIST
//! (RFC 5258) with LIST-STATUS (RFC 5819); STATUS DELETED; FETCH BINARY (RFC 3516). Only with
//! the `imap4rev2` feature; the server uses it only when `ServerConfig::imap4rev2` is set.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use nom::branch::alt;
use nom::bytes::complete::tag_no_case;
use nom::character::complete::char;
use nom::combinator::{map, opt, value};
use nom::multi::{separated_list0, separated_list1};
use nom::sequence::{delimited, preceded, terminated};
use nom::Parser;

use super::decode::{self, Res};
use super::encode::literal;
use super::types::{Command, FetchItem, SearchKey, SeqNumber, SequenceSet, StatusItem};
/// BINARY's decoding lives with MIME; the server's BINARY refusals name its outcomes.
pub use crate::mime::{decode_transfer, Undecodable};

/// What a server with IMAP4rev2 on advertises after "IMAP4rev1 IMAP4rev2" and IMAP4rev1's
/// extensions: the IMAP4rev2 parts an IMAP4rev1 client may use without ENABLE (RFC 9051
/// Appendix A, E). LITERAL+ stays: it is LITERAL- without the 4096-octet limit, and RFC 7888
/// §5 forbids advertising both. BINARY is not listed: it would promise APPEND with literal8,
/// which IMAP4rev2 leaves out (Appendix B).
pub const CAPABILITIES: [&str; 5] = [
    "ESEARCH",
    "SEARCHRES",
    "LIST-EXTENDED",
    "LIST-STATUS",
    "STATUS=SIZE",
];

/// A command in IMAP4rev2 syntax that has no IMAP4rev1 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extended {
    /// SEARCH or UID SEARCH with `RETURN (...)` (RFC 9051 §6.4.4).
    Search {
        uid: bool,
        ret: SearchReturn,
        key: SearchKey,
    },
    /// LIST with selection options, several patterns or return options (RFC 9051 §6.3.9).
    List {
        selection: ListSelection,
        reference: String,
        patterns: Vec<String>,
        ret: ListReturn,
    },
}

impl Extended {
    pub fn name(&self) -> &'static str {
        match self {
            Extended::Search { uid: false, .. } => "SEARCH",
            Extended::Search { uid: true, .. } => "UID SEARCH",
            Extended::List { .. } => "LIST",
        }
    }

    /// True for commands of the selected state (RFC 9051 §6.4).
    pub fn needs_selected(&self) -> bool {
        matches!(self, Extended::Search { .. })
    }
}

/// SEARCH result options (RFC 9051 §6.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchReturn {
    pub min: bool,
    pub max: bool,
    pub all: bool,
    pub count: bool,
    pub save: bool,
}

impl SearchReturn {
    /// "If no result option is specified or empty list of options is specified as "()",
    /// ALL is assumed."
    pub fn all() -> Self {
        SearchReturn {
            all: true,
            ..SearchReturn::default()
        }
    }

    /// SAVE alone "suppresses any ESEARCH response".
    pub fn answers(self) -> bool {
        self.min || self.max || self.all || self.count
    }
}

/// LIST selection options (RFC 9051 §6.3.9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListSelection {
    pub subscribed: bool,
    /// No mailbox here is remote, so REMOTE changes nothing.
    pub remote: bool,
    pub recursive_match: bool,
}

/// LIST return options (RFC 9051 §6.3.9.2, RFC 5819).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListReturn {
    pub subscribed: bool,
    pub children: bool,
    /// `STATUS (...)`: a STATUS response after each LIST response.
    pub status: Option<Vec<StatusItem>>,
}

impl SequenceSet {
    /// `seq-last-command = "$"`, the saved search result (RFC 9051 §6.4.4.1). No message
    /// number or UID is 0, so `0:0` cannot come from a client; it stands for "$" until the
    /// server puts the saved result in its place.
    pub fn saved() -> Self {
        SequenceSet(vec![(SeqNumber::Value(0), SeqNumber::Value(0))])
    }

    pub fn is_saved(&self) -> bool {
        self.0 == [(SeqNumber::Value(0), SeqNumber::Value(0))]
    }
}

// ---- parsers (RFC 9051 §9) ----

/// The command `name` (upper case; after UID when `uid`) with arguments `args`, if it is
/// in IMAP4rev2-only syntax: SEARCH with RETURN, extended LIST. None sends it on to the
/// IMAP4rev1 parser.
pub(super) fn command<'a>(name: &[u8], uid: bool, args: &'a [u8]) -> Option<Res<'a, Command>> {
    let parsed = match (name, uid) {
        (b"SEARCH", _) => search(uid, args),
        (b"LIST", false) => list(args),
        _ => return None,
    };
    parsed.is_ok().then_some(parsed)
}

/// `seq-last-command = "$"`
pub(super) fn saved_set(i: &[u8]) -> Res<'_, SequenceSet> {
    value(SequenceSet::saved(), char('$')).parse(i)
}

/// `"BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary`, where
/// `section-binary = "[" [section-part] "]"`.
pub(super) fn fetch_att(i: &[u8]) -> Res<'_, FetchItem> {
    let section_binary = || {
        delimited(
            char('['),
            map(
                opt(separated_list1(char('.'), decode::nz_number)),
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
                opt(delimited(
                    char('<'),
                    (decode::number, preceded(char('.'), decode::nz_number)),
                    char('>'),
                )),
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
fn search(uid: bool, i: &[u8]) -> Res<'_, Command> {
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
            preceded(char(' '), decode::search_program),
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
            delimited(
                tag_no_case("STATUS ("),
                separated_list1(char(' '), decode::status_item),
                char(')'),
            ),
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
fn list(i: &[u8]) -> Res<'_, Command> {
    let (i, selection) = opt(preceded(char(' '), list_select_opts)).parse(i)?;
    let (i, reference) = preceded(char(' '), decode::astring_s).parse(i)?;
    let (i, (patterns, several)) = preceded(
        char(' '),
        alt((
            map(
                delimited(
                    char('('),
                    separated_list1(char(' '), decode::list_mailbox),
                    char(')'),
                ),
                |p| (p, true),
            ),
            map(decode::list_mailbox, |p| (vec![p], false)),
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

// ---- responses ----

/// `esearch-response` (RFC 9051 §7.3.4) for the matches `found` (ascending), or None when
/// only SAVE was asked for. Return data come as MIN, MAX, COUNT, ALL, the order of the
/// RFC's examples; MIN, MAX and ALL are left out when nothing matched.
pub fn esearch(tag: &str, uid: bool, ret: SearchReturn, found: &[u32]) -> Option<String> {
    if !ret.answers() {
        return None;
    }
    // A tag has no `"` or `\` (ASTRING-CHAR), so it can always be quoted as it is.
    let mut line = format!("* ESEARCH (TAG \"{tag}\")");
    if uid {
        line.push_str(" UID");
    }
    if let (true, Some(min)) = (ret.min, found.first()) {
        line.push_str(&format!(" MIN {min}"));
    }
    if let (true, Some(max)) = (ret.max, found.last()) {
        line.push_str(&format!(" MAX {max}"));
    }
    if ret.count {
        line.push_str(&format!(" COUNT {}", found.len()));
    }
    if ret.all && !found.is_empty() {
        line.push_str(&format!(" ALL {}", SequenceSet::of(found)));
    }
    line.push_str("\r\n");
    Some(line)
}

/// What the search result variable holds after `SEARCH RETURN (... SAVE ...)` found
/// `found` (RFC 9051 §6.4.4.1, Table 4): MIN and/or MAX alone save only those; otherwise
/// every match.
pub fn saved_result(ret: SearchReturn, found: &[u32]) -> Vec<u32> {
    if ret.all || ret.count || !(ret.min || ret.max) {
        return found.to_vec();
    }
    let mut saved = Vec::new();
    if let (true, Some(&min)) = (ret.min, found.first()) {
        saved.push(min);
    }
    if let (true, Some(&max)) = (ret.max, found.last()) {
        if !saved.contains(&max) {
            saved.push(max);
        }
    }
    saved
}

/// `literal8 = "~{" number64 "}" CRLF *OCTET` (RFC 9051 §4.3.1: only BINARY may send a
/// string holding NUL, and only as a literal8).
pub fn literal8(data: &[u8]) -> Vec<u8> {
    let mut out = b"~".to_vec();
    out.extend(literal(data));
    out
}

// ---- explanations ----

/// Title, why, RFC and section for a command in IMAP4rev2 syntax.
pub fn explain(cmd: &Extended) -> (String, &'static str, u16, &'static str) {
    match cmd {
        Extended::Search { ret, .. } if ret.save && !ret.answers() => (
            "Find messages and remember them as $".into(),
            "SEARCH RETURN (SAVE) keeps the result on the server: the next command can name \
             those messages as $ instead of listing them again.",
            9051,
            "6.4.4.1",
        ),
        Extended::Search { .. } => (
            "Find messages, and say only what is needed".into(),
            "SEARCH RETURN (MIN MAX COUNT ALL SAVE) answers with one ESEARCH line: the lowest \
             or highest match, how many matched, or all of them as ranges such as 2,10:15.",
            9051,
            "6.4.4",
        ),
        Extended::List { ret, .. } if ret.status.is_some() => (
            "Which folders are there, and how full is each?".into(),
            "LIST ... RETURN (STATUS (...)) answers a STATUS line after each folder's LIST \
             line, saving the client one STATUS command per folder.",
            9051,
            "6.3.9.2",
        ),
        Extended::List { .. } => (
            "Which folders are there, and what about them?".into(),
            "Extended LIST chooses folders (SUBSCRIBED, RECURSIVEMATCH), takes several \
             patterns at once and returns more about each (CHILDREN, SUBSCRIBED).",
            9051,
            "6.3.9",
        ),
    }
}

/// Explains a server answer holding IMAP4rev2 responses; `has` says whether an untagged
/// response of this name is there.
pub fn explain_unit(
    has: &dyn Fn(&str) -> bool,
) -> Option<(&'static str, &'static str, &'static str)> {
    if has("ESEARCH") {
        Some((
            "The messages that match (ESEARCH)",
            "ESEARCH names the SEARCH it answers by its tag, says UID when the numbers are \
             UIDs, and gives only what was asked: MIN, MAX, COUNT, or ALL as ranges.",
            "7.3.4",
        ))
    } else if has("ENABLED") {
        Some((
            "These extensions are now on",
            "ENABLED lists what the ENABLE command switched on for this connection, and is empty \
             if it switched nothing on. After ENABLE IMAP4rev2 the server answers as RFC 9051 \
             describes, not RFC 3501.",
            "7.2.1",
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn runs_make_ranges_as_the_rfc_writes_them() {
        assert_eq!(SequenceSet::of(&[2, 10, 11]).to_string(), "2,10:11");
        assert_eq!(
            SequenceSet::of(&[1, 2, 3, 5, u32::MAX]).to_string(),
            "1:3,5,4294967295"
        );
        assert_eq!(SequenceSet::of(&[]).to_string(), "");
    }

    #[test]
    fn esearch_leaves_out_what_no_match_has() {
        let ret = SearchReturn {
            min: true,
            max: true,
            count: true,
            all: true,
            save: false,
        };
        assert_eq!(
            esearch("A1", false, ret, &[]).unwrap(),
            "* ESEARCH (TAG \"A1\") COUNT 0\r\n"
        );
        assert_eq!(
            esearch("A1", true, ret, &[3, 4, 9]).unwrap(),
            "* ESEARCH (TAG \"A1\") UID MIN 3 MAX 9 COUNT 3 ALL 3:4,9\r\n"
        );
        let save_only = SearchReturn {
            save: true,
            ..SearchReturn::default()
        };
        assert_eq!(esearch("A1", false, save_only, &[1]), None);
        assert_eq!(saved_result(save_only, &[1, 2]), [1, 2]);
        let min_max = SearchReturn {
            min: true,
            max: true,
            save: true,
            ..SearchReturn::default()
        };
        assert_eq!(saved_result(min_max, &[2, 10, 21]), [2, 21]);
        assert_eq!(saved_result(min_max, &[7]), [7]);
    }
}
