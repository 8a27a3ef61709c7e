//! SEARCH and UID SEARCH (RFC 9051 §6.4.4): which messages of the selected mailbox match a
//! key.

use std::collections::BTreeSet;

use super::super::types::SearchKey;
use super::{Completion, ImapServer};
use crate::store::{MailStore, StoredMessage};
#[cfg(feature = "search-keys")]
use {
    super::super::decode,
    super::super::section::{self, Section, SectionText},
    crate::mime::{LazyParsed, Parsed},
};

impl ImapServer {
    /// The untagged `* SEARCH` answer of IMAP4rev1, then the completion. RFC 7162 §3.1.5:
    /// "If client specifies a MODSEQ criterion in a SEARCH command and the server returns a
    /// non-empty SEARCH result, the server MUST also append (to the end of the untagged
    /// SEARCH response) the highest mod-sequence for all messages being returned."
    pub(super) fn search_command(
        &mut self,
        tag: &str,
        name: &str,
        uid: bool,
        key: &SearchKey,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        let found = self.search(key, uid, store);
        let mut line = String::from("* SEARCH");
        for (number, _) in &found {
            line.push_str(&format!(" {number}"));
        }
        let highest = found.iter().map(|(_, modseq)| *modseq).max();
        if let (true, Some(highest)) = (key.uses_modseq(), highest) {
            line.push_str(&format!(" (MODSEQ {highest})"));
        }
        out.extend(format!("{line}\r\n").bytes());
        self.finish(store, uid, out, Completion::done(tag, name));
    }

    /// The message numbers (UIDs when `uid_mode`) that match, ascending, each with the
    /// message's modification sequence.
    pub(super) fn search(
        &self,
        key: &SearchKey,
        uid_mode: bool,
        store: &MailStore,
    ) -> Vec<(u32, u64)> {
        let Some(sel) = self.phase.mailbox() else {
            return Vec::new();
        };
        let Some(folder) = store.folder(self.account(), &sel.name) else {
            return Vec::new();
        };
        let largest_seq = u32::try_from(sel.uids.len()).unwrap_or(u32::MAX);
        let largest_uid = sel.uids.last().copied().unwrap_or(0);
        sel.uids
            .iter()
            .enumerate()
            .filter_map(|(i, uid)| {
                let m = folder.message(*uid)?;
                let seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let m = Candidate {
                    message: m,
                    #[cfg(feature = "search-keys")]
                    parsed: LazyParsed::new(&m.bytes),
                };
                matches(key, &m, seq, (largest_seq, largest_uid), &sel.recent)
                    .then_some((if uid_mode { *uid } else { seq }, m.modseq))
            })
            .collect()
    }
}

/// A message being searched: parsed at most once, however many keys read its header or body.
struct Candidate<'m> {
    message: &'m StoredMessage,
    #[cfg(feature = "search-keys")]
    parsed: LazyParsed<'m>,
}

#[cfg(feature = "search-keys")]
impl<'m> Candidate<'m> {
    fn parsed(&self) -> &Parsed<'m> {
        self.parsed.get()
    }
}

impl std::ops::Deref for Candidate<'_> {
    type Target = StoredMessage;
    fn deref(&self) -> &StoredMessage {
        self.message
    }
}

/// Does message `m` (number `seq`) match the search key?
fn matches(
    key: &SearchKey,
    m: &Candidate<'_>,
    seq: u32,
    largest: (u32, u32),
    recent: &BTreeSet<u32>,
) -> bool {
    let (largest_seq, largest_uid) = largest;
    #[cfg(feature = "search-keys")]
    let header = |name: &str| {
        let section = Section {
            part: Vec::new(),
            text: Some(SectionText::HeaderFields(vec![name.to_string()])),
        };
        section::section(m.parsed(), &section).unwrap_or_default()
    };
    #[cfg(feature = "search-keys")]
    let body = || {
        section::section(
            m.parsed(),
            &Section {
                part: Vec::new(),
                text: Some(SectionText::Text),
            },
        )
        .unwrap_or_default()
    };
    #[cfg(feature = "search-keys")]
    let day = m.internal_date.div_euclid(86_400);
    #[cfg(feature = "search-keys")]
    let sent_day = || sent_date(&header("Date"));
    match key {
        SearchKey::All => true,
        // \Recent belongs to the session, not to the stored message.
        SearchKey::Flag(flag, has) if flag == "\\Recent" => recent.contains(&m.uid) == *has,
        SearchKey::Flag(flag, has) => m.has_flag(flag) == *has,
        #[cfg(feature = "search-keys")]
        SearchKey::Header(name, value) => header_holds(m.parsed(), name, value),
        #[cfg(feature = "search-keys")]
        SearchKey::Address(name, value) => address_holds(m.parsed(), name, value),
        #[cfg(feature = "search-keys")]
        SearchKey::Body(s) => holds(&body(), s),
        #[cfg(feature = "search-keys")]
        SearchKey::Text(s) => holds(&m.bytes, s),
        #[cfg(feature = "search-keys")]
        SearchKey::Before(d) => day < *d,
        #[cfg(feature = "search-keys")]
        SearchKey::On(d) => day == *d,
        #[cfg(feature = "search-keys")]
        SearchKey::Since(d) => day >= *d,
        #[cfg(feature = "search-keys")]
        SearchKey::SentBefore(d) => sent_day().is_some_and(|s| s < *d),
        #[cfg(feature = "search-keys")]
        SearchKey::SentOn(d) => sent_day().is_some_and(|s| s == *d),
        #[cfg(feature = "search-keys")]
        SearchKey::SentSince(d) => sent_day().is_some_and(|s| s >= *d),
        #[cfg(feature = "search-keys")]
        SearchKey::Larger(n) => m.bytes.len() > *n as usize,
        #[cfg(feature = "search-keys")]
        SearchKey::Smaller(n) => m.bytes.len() < *n as usize,
        SearchKey::Uid(set) => set.contains(m.uid, largest_uid),
        SearchKey::Sequence(set) => set.contains(seq, largest_seq),
        #[cfg(feature = "search-keys")]
        SearchKey::ModSeq(n) => m.modseq >= *n,
        SearchKey::Not(k) => !matches(k, m, seq, largest, recent),
        SearchKey::Or(a, b) => {
            matches(a, m, seq, largest, recent) || matches(b, m, seq, largest, recent)
        }
        SearchKey::And(keys) => keys.iter().all(|k| matches(k, m, seq, largest, recent)),
    }
}

#[cfg(feature = "search-keys")]
/// Whether `hay` holds `needle`. RFC 9051 §6.4.4: matching is case-insensitive with the
/// default comparator, i;ascii-casemap (RFC 4790): ASCII letters only.
fn holds(hay: &[u8], needle: &str) -> bool {
    let hay = String::from_utf8_lossy(hay).to_ascii_lowercase();
    hay.contains(&needle.to_ascii_lowercase())
}

#[cfg(feature = "search-keys")]
/// HEADER (RFC 3501 §6.4.4): "Messages that have a header with the specified field-name
/// ... and that contains the specified string in the text of the header (what comes after
/// the colon). If the string to search is zero-length, this matches all messages that have
/// a header line with the specified field-name regardless of the contents." Any field of
/// that name counts, not only the first.
fn header_holds(message: &Parsed<'_>, name: &str, value: &str) -> bool {
    message
        .root()
        .fields
        .iter()
        .filter(|field| field.is_named(name.as_bytes()))
        .any(|field| holds(&field.unfolded(), value))
}

/// FROM, TO, CC, BCC (RFC 3501 §6.4.4): the string in "the envelope structure's FROM field",
/// its addresses as ENVELOPE reads them -- comments and quoting gone -- so `user@domain`
/// finds `<user (comment)@ (comment) domain>`. Each address is tried as its display name and
/// as mailbox@host. Without the MIME parser the field's text is searched instead.
#[cfg(all(feature = "search-keys", feature = "mime-structure"))]
fn address_holds(message: &Parsed<'_>, name: &str, value: &str) -> bool {
    crate::mime::address::addresses(&message.root().fields, name)
        .iter()
        .any(|address| {
            let mut spec = address.mailbox.clone().unwrap_or_default();
            if let Some(host) = address.host.as_deref().filter(|h| !h.is_empty()) {
                spec.push(b'@');
                spec.extend_from_slice(host);
            }
            holds(&spec, value) || address.name.as_deref().is_some_and(|n| holds(n, value))
        })
}

#[cfg(all(feature = "search-keys", not(feature = "mime-structure")))]
fn address_holds(message: &Parsed<'_>, name: &str, value: &str) -> bool {
    header_holds(message, name, value)
}

#[cfg(feature = "search-keys")]
/// The day (since 1970) of an RFC 5322 `Date:` field such as "Fri, 6 Mar 2026 09:00:00 +0000".
fn sent_date(field: &[u8]) -> Option<i64> {
    let text = String::from_utf8_lossy(field);
    let value = text.split_once(':')?.1;
    let value = value.split_once(',').map_or(value, |(_, rest)| rest);
    let mut words = value.split_whitespace();
    let day: u32 = words.next()?.parse().ok()?;
    let month = words.next()?;
    let year: i64 = words.next()?.parse().ok()?;
    let m = crate::wire::calendar::month_number(month.as_bytes())?;
    decode::days_from_civil(year, m, day)
}
