//! What IMAP4rev2 (RFC 9051) adds beyond IMAP4rev1, apart from its syntax (the commands are in
//! `types`, their parsers in `decode`): the capabilities it advertises, its responses (ESEARCH,
//! RFC 4731, and literal8), the saved result of SEARCHRES (RFC 5182), the transfer decoding
//! FETCH BINARY needs (RFC 3516), and its explanations. Only with the `imap4rev2` feature; the
//! server uses it only when `ServerConfig::imap4rev2` is set.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::encode::literal;
use super::types::{Extended, SearchReturn, SequenceSet};
use crate::explain::{Explanation, RfcRef};
use crate::i18n::Message;
/// BINARY's decoding lives with MIME; the server's BINARY refusals name its outcomes.
pub use crate::mime::{decode_transfer, Undecodable};
use crate::msg;

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

// ---- responses ----

/// `esearch-response` (RFC 9051 §7.3.4) for the matches `found` (ascending), or None when
/// only SAVE was asked for. Return data come as MIN, MAX, COUNT, ALL, the order of the
/// RFC's examples; MIN, MAX and ALL are left out when nothing matched. `modseq`: for a
/// search with a MODSEQ key, the highest mod-sequence returned, sent last as
/// `MODSEQ n` (RFC 7162's `search-return-data`) when something matched.
pub fn esearch(
    tag: &str,
    uid: bool,
    ret: SearchReturn,
    found: &[u32],
    modseq: Option<u64>,
) -> Option<String> {
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
    if let (Some(modseq), false) = (modseq, found.is_empty()) {
        line.push_str(&format!(" MODSEQ {modseq}"));
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

/// The message, RFC and section for a command in IMAP4rev2 syntax.
pub fn explain(cmd: &Extended) -> (Message, u16, &'static str) {
    match cmd {
        Extended::Search { ret, .. } if ret.save && !ret.answers() => {
            (msg!("imap.rev2.search-save"), 9051, "6.4.4.1")
        }
        Extended::Search { .. } => (msg!("imap.rev2.search"), 9051, "6.4.4"),
        Extended::List { ret, .. } if ret.status.is_some() => {
            (msg!("imap.rev2.list-status"), 9051, "6.3.9.2")
        }
        Extended::List { .. } => (msg!("imap.rev2.list"), 9051, "6.3.9"),
    }
}

/// Explains a reply IMAP4rev2 added: ESEARCH, or ENABLED (what ENABLE switched on, if
/// anything). `named` says whether an untagged response of that name is in `lines`.
pub fn explain_unit(named: &dyn Fn(&str) -> bool, lines: &[&str]) -> Option<Explanation> {
    if named("ESEARCH") {
        let message = msg!("imap.rev2.esearch");
        return Some(Explanation::from_message(
            message,
            RfcRef::new(9051, "7.3.4"),
        ));
    }
    if !named("ENABLED") {
        return None;
    }
    let enabled: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("* ENABLED"))
        .flat_map(str::split_whitespace)
        .collect();
    if enabled.is_empty() {
        let message = msg!("imap.rev2.nothing-enabled");
        return Some(Explanation::from_message(message, RfcRef::new(5161, "3.2")));
    }
    let list = enabled.join(", ");
    let message = if enabled.iter().any(|c| c.eq_ignore_ascii_case("IMAP4rev2")) {
        msg!("imap.rev2.enabled-rev2", list = list)
    } else {
        msg!("imap.rev2.enabled", list = list)
    };
    Some(Explanation::from_message(
        message,
        RfcRef::new(9051, "7.2.1"),
    ))
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
            esearch("A1", false, ret, &[], Some(5)).unwrap(),
            "* ESEARCH (TAG \"A1\") COUNT 0\r\n"
        );
        assert_eq!(
            esearch("A1", true, ret, &[3, 4, 9], None).unwrap(),
            "* ESEARCH (TAG \"A1\") UID MIN 3 MAX 9 COUNT 3 ALL 3:4,9\r\n"
        );
        let save_only = SearchReturn {
            save: true,
            ..SearchReturn::default()
        };
        assert_eq!(esearch("A1", false, save_only, &[1], None), None);
        assert_eq!(
            esearch("A1", false, SearchReturn::all(), &[1, 2], Some(7)).unwrap(),
            "* ESEARCH (TAG \"A1\") ALL 1:2 MODSEQ 7\r\n"
        );
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
