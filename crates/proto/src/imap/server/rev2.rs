//! The server's IMAP4rev2 side (RFC 9051), when `ServerConfig::imap4rev2` is set. The server
//! then advertises IMAP4rev1 and IMAP4rev2 (Appendix A): a client gets IMAP4rev1 answers
//! until it sends ENABLE IMAP4rev2 (§7.2.2), while the new syntax -- SEARCH RETURN and "$",
//! extended LIST, STATUS DELETED, FETCH BINARY -- works in either, as the advertised ESEARCH,
//! SEARCHRES, LIST-EXTENDED, LIST-STATUS and STATUS=SIZE promise. With the setting off, the
//! new syntax gets the BAD an IMAP4rev1 server gives.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use super::fetch::partial_range;
use super::list::{descendants, returns_levels, wildcard_match, Hierarchy};
use super::mailbox::status_response;
use super::{Completion, ImapServer};
use crate::imap::encode::{astring, literal};
use crate::imap::rev2::{decode_transfer, esearch, literal8, saved_result, Undecodable};
use crate::imap::section::{self, BinaryPart};
use crate::imap::types::{
    Command, Extended, FetchItem, ListReturn, ListSelection, SearchKey, SearchReturn, SequenceSet,
    StatusItem,
};
use crate::mime::LazyParsed;
use crate::store::{inbox_first, superiors, Folder, MailStore};

impl ImapServer {
    /// Readies a parsed command. With IMAP4rev2 off, new syntax is refused with the very BAD
    /// an IMAP4rev1 parser gives. With it on, "$" becomes the saved result, and after ENABLE
    /// IMAP4rev2 a plain SEARCH is an ESEARCH one (RFC 9051 §6.4.4: no result option means
    /// ALL).
    pub(super) fn rev2_prepare(&self, mut cmd: Command) -> Result<Command, String> {
        if !self.config.imap4rev2 {
            return if uses_rev2_syntax(&cmd) {
                Err(format!(
                    "Error in IMAP command {}: invalid arguments",
                    typed_name(&cmd)
                ))
            } else {
                Ok(cmd)
            };
        }
        self.put_saved_result(&mut cmd);
        if self.imap4rev2 {
            if let Command::Search { uid, key } = cmd {
                return Ok(Command::Rev2(Extended::Search {
                    uid,
                    ret: SearchReturn::all(),
                    key,
                }));
            }
        }
        Ok(cmd)
    }

    pub(super) fn rev2_execute(
        &mut self,
        tag: &str,
        cmd: Extended,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        match cmd {
            Extended::Search { uid, ret, key } => {
                let matched = self.search(&key, uid, store);
                let found: Vec<u32> = matched.iter().map(|(number, _)| *number).collect();
                if let (true, Some(view)) = (ret.save, self.phase.mailbox_mut()) {
                    let chosen = saved_result(ret, &found);
                    view.saved = if uid {
                        chosen
                    } else {
                        // Message numbers to UIDs, in this session's view.
                        chosen
                            .iter()
                            .filter_map(|&n| {
                                let i = usize::try_from(n).ok()?.checked_sub(1)?;
                                view.uids.get(i).copied()
                            })
                            .collect()
                    };
                }
                let modseq = if key.uses_modseq() {
                    returned_modseq(ret, &matched)
                } else {
                    None
                };
                if let Some(line) = esearch(tag, uid, ret, &found, modseq) {
                    out.extend(line.bytes());
                }
                let name = if uid { "UID SEARCH" } else { "SEARCH" };
                self.finish(store, uid, out, Completion::done(tag, name));
            }
            Extended::List {
                selection,
                reference,
                patterns,
                ret,
            } => self.extended_list(tag, selection, &reference, &patterns, &ret, store, out),
        }
    }

    /// ENABLE on a server with IMAP4rev2 (RFC 9051 §6.3.1): CONDSTORE and IMAP4rev2 can be
    /// enabled, and "The ENABLED response is sent even if no extensions were enabled."
    pub(super) fn rev2_enable(&mut self, tag: &str, caps: Vec<String>, out: &mut Vec<u8>) {
        let mut enabled: Vec<&str> = Vec::new();
        for cap in caps {
            let name = match cap.as_str() {
                "CONDSTORE" => {
                    self.condstore = true;
                    "CONDSTORE"
                }
                "IMAP4REV2" => {
                    self.imap4rev2 = true;
                    "IMAP4rev2"
                }
                _ => continue,
            };
            if !enabled.contains(&name) {
                enabled.push(name);
            }
        }
        let mut line = String::from("* ENABLED");
        for name in enabled {
            line.push(' ');
            line.push_str(name);
        }
        out.extend(format!("{line}\r\n").bytes());
        Completion::done(tag, "ENABLE").write_to(out);
    }

    /// Extended LIST (RFC 9051 §6.3.9, RFC 5258) with LIST-STATUS (RFC 5819).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn extended_list(
        &mut self,
        tag: &str,
        selection: ListSelection,
        reference: &str,
        patterns: &[String],
        ret: &ListReturn,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        let user = self.account().to_string();
        let hierarchy = Hierarchy::of(store, &user);
        // RFC 9051 §6.3.9.1: SUBSCRIBED lists subscribed names, "It's also possible for this
        // list to contain the names of mailboxes that don't exist."
        let subscribed = crate::tree::set(store.subscriptions(&user));
        // "In the extended syntax, any mailbox name arguments that are empty strings are
        // ignored."
        let canonical: Vec<String> = patterns
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{reference}{p}"))
            .collect();
        let matching =
            |name: &str, pattern: &&String| wildcard_match(pattern.as_bytes(), name.as_bytes());
        let matches = |name: &str| canonical.iter().any(|p| matching(name, &p));
        // Levels of hierarchy that are no mailbox, for a pattern ending in "%" (RFC 9051
        // §6.3.9: "matching levels of hierarchy are also returned").
        let level_matches = |name: &str| {
            hierarchy.is_level(name)
                && canonical
                    .iter()
                    .any(|p| returns_levels(p) && matching(name, &p))
        };
        let recursive = selection.recursive_match && selection.subscribed;
        let mut candidates: BTreeSet<String> = hierarchy.existing.clone();
        candidates.extend(hierarchy.levels().cloned());
        if selection.subscribed {
            candidates.extend(subscribed.iter().cloned());
        }
        // With RECURSIVEMATCH, parents of subscribed mailboxes are candidates even when
        // they do not exist themselves (§6.3.9.6, Table 3).
        if recursive {
            for name in &subscribed {
                candidates.extend(superiors(name).map(str::to_string));
            }
        }
        for name in inbox_first(&candidates).iter().filter(|n| matches(n)) {
            let exists = hierarchy.existing.contains(name);
            let is_subscribed = subscribed.contains(name);
            let listed = if selection.subscribed {
                is_subscribed
            } else {
                exists || level_matches(name)
            };
            // CHILDINFO: a descendant meets the selection (§6.3.9.6, Table 3). A mailbox
            // listed only for it needs one that is not listed itself: "Servers SHOULD only
            // return a non-matching mailbox name along with CHILDINFO if at least one
            // matching child is not also being returned."
            let childinfo =
                recursive && descendants(&subscribed, name).any(|d| listed || !matches(d));
            if !(listed || childinfo) {
                continue;
            }
            let mut attrs: Vec<&str> = Vec::new();
            if !exists {
                // A level of hierarchy is \Noselect; a name listed for its subscription or
                // its children's is \NonExistent (§7.3.1), which implies \Noselect.
                attrs.push(if listed && !selection.subscribed {
                    "\\Noselect"
                } else {
                    "\\NonExistent"
                });
            }
            if ret.children {
                attrs.push(if hierarchy.has_children(name) {
                    "\\HasChildren"
                } else {
                    "\\HasNoChildren"
                });
            }
            let mut attrs = attributes(&attrs, name);
            if (selection.subscribed || ret.subscribed) && is_subscribed {
                attrs.push("\\Subscribed");
            }
            out.extend(list_line(&attrs, name, childinfo));
            // §6.3.9.2: STATUS for each selectable mailbox that matches the selection.
            if let (Some(items), true) = (&ret.status, exists && listed) {
                if let Some(folder) = store.folder(&user, name) {
                    out.extend(status_response(name, folder, items));
                }
            }
        }
        self.finish(store, true, out, Completion::done(tag, "LIST"));
    }

    /// "$" replaced by the saved result, as message numbers or UIDs as the place needs
    /// (§6.4.4.1 implementation note). Before any SAVE it is empty: "a valid, but
    /// non-matching, list of messages".
    fn put_saved_result(&self, cmd: &mut Command) {
        match cmd {
            Command::Fetch { uid, set, .. }
            | Command::Store { uid, set, .. }
            | Command::Copy { uid, set, .. }
                if set.is_saved() =>
            {
                *set = self.saved_as(*uid);
            }
            Command::Expunge { uids: Some(set) } if set.is_saved() => *set = self.saved_as(true),
            Command::Search { key, .. } | Command::Rev2(Extended::Search { key, .. }) => {
                self.put_saved_in_key(key)
            }
            _ => {}
        }
    }

    fn put_saved_in_key(&self, key: &mut SearchKey) {
        match key {
            SearchKey::Sequence(set) if set.is_saved() => *set = self.saved_as(false),
            SearchKey::Uid(set) if set.is_saved() => *set = self.saved_as(true),
            SearchKey::Not(k) => self.put_saved_in_key(k),
            SearchKey::Or(a, b) => {
                self.put_saved_in_key(a);
                self.put_saved_in_key(b);
            }
            SearchKey::And(keys) => keys.iter_mut().for_each(|k| self.put_saved_in_key(k)),
            _ => {}
        }
    }

    /// The saved result as a sequence set of UIDs or of message numbers in this view.
    fn saved_as(&self, uid_mode: bool) -> SequenceSet {
        let Some(sel) = self.phase.mailbox() else {
            return SequenceSet(Vec::new());
        };
        let mut numbers: Vec<u32> = if uid_mode {
            sel.saved.clone()
        } else {
            // The view's UIDs ascend, so each is found by bisection.
            sel.saved
                .iter()
                .filter_map(|u| sel.uids.binary_search(u).ok())
                .filter_map(|i| u32::try_from(i + 1).ok())
                .collect()
        };
        numbers.sort_unstable();
        numbers.dedup();
        SequenceSet::of(&numbers)
    }

    /// Checks the BINARY items of a FETCH before anything is sent or \Seen set: "If the
    /// server does not know how to decode the section's Content-Transfer-Encoding, it MUST
    /// fail the request and issue a "NO" response that contains the "UNKNOWN-CTE" response
    /// code" (RFC 9051 §7.5.2). The NO, if one is due.
    pub(super) fn binary_refusal(
        &self,
        tag: &str,
        uid: bool,
        set: &SequenceSet,
        items: &[FetchItem],
        store: &MailStore,
    ) -> Option<Completion> {
        let parts: Vec<&Vec<u32>> = items
            .iter()
            .filter_map(|i| match i {
                FetchItem::Binary { part, .. } | FetchItem::BinarySize { part } => Some(part),
                _ => None,
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        let sel = self.phase.mailbox()?;
        for (_, u) in sel.resolve(set, uid) {
            let Some(m) = store
                .folder(self.account(), &sel.name)
                .and_then(|f| f.message(u))
            else {
                continue;
            };
            let message = LazyParsed::new(&m.bytes);
            for part in &parts {
                if let Err(why) = binary_data(&message, part) {
                    return Some(why.refusal(tag));
                }
            }
        }
        None
    }
}

/// The MODSEQ an ESEARCH answer to a search with a MODSEQ key ends with (RFC 7162 with
/// RFC 4731): the highest mod-sequence of the messages it returns -- those of MIN and MAX
/// when only they are asked for, else of every match -- as Dovecot answers. None when
/// nothing matched.
fn returned_modseq(ret: SearchReturn, matched: &[(u32, u64)]) -> Option<u64> {
    if (ret.min || ret.max) && !(ret.all || ret.count) {
        let min = matched.first().filter(|_| ret.min);
        let max = matched.last().filter(|_| ret.max);
        min.into_iter().chain(max).map(|(_, modseq)| *modseq).max()
    } else {
        matched.iter().map(|(_, modseq)| *modseq).max()
    }
}

/// STATUS DELETED (RFC 9051 §6.3.11): "The number of messages that have the \Deleted flag
/// set."
pub(super) fn deleted(folder: &Folder) -> u64 {
    folder
        .messages
        .iter()
        .filter(|m| m.has_flag("\\Deleted"))
        .count() as u64
}

/// Does the command use syntax IMAP4rev1 does not have?
fn uses_rev2_syntax(cmd: &Command) -> bool {
    fn key_uses(key: &SearchKey) -> bool {
        match key {
            SearchKey::Sequence(set) | SearchKey::Uid(set) => set.is_saved(),
            SearchKey::Not(k) => key_uses(k),
            SearchKey::Or(a, b) => key_uses(a) || key_uses(b),
            SearchKey::And(keys) => keys.iter().any(key_uses),
            _ => false,
        }
    }
    match cmd {
        Command::Rev2(_) => true,
        Command::Fetch { set, items, .. } => {
            set.is_saved()
                || items
                    .iter()
                    .any(|i| matches!(i, FetchItem::Binary { .. } | FetchItem::BinarySize { .. }))
        }
        Command::Store { set, .. } | Command::Copy { set, .. } => set.is_saved(),
        Command::Expunge { uids: Some(set) } => set.is_saved(),
        Command::Search { key, .. } => key_uses(key),
        Command::Status { items, .. } => items.contains(&StatusItem::Deleted),
        _ => false,
    }
}

/// The command word as the client typed it, as the parser's BAD names it ("UID" for the
/// UID commands).
fn typed_name(cmd: &Command) -> &'static str {
    let name = cmd.name();
    match name.split_once(' ') {
        Some(("UID", _)) => "UID",
        _ => name,
    }
}

/// The mailbox attributes after `base`: the special-use one (RFC 9051 §7.3.1) a mailbox of
/// that conventional name has. The store gives mailboxes no roles, so the names stand for
/// them.
pub(super) fn attributes<'a>(base: &[&'a str], name: &str) -> Vec<&'a str> {
    let mut attrs = base.to_vec();
    let special = match name {
        "Archive" => Some("\\Archive"),
        "Drafts" => Some("\\Drafts"),
        "Junk" => Some("\\Junk"),
        "Sent" => Some("\\Sent"),
        "Trash" => Some("\\Trash"),
        _ => None,
    };
    attrs.extend(special);
    attrs
}

/// `* LIST (attributes) "/" name`, with the CHILDINFO extended data item when asked.
pub(super) fn list_line(attrs: &[&str], name: &str, childinfo: bool) -> Vec<u8> {
    let mut line = format!("* LIST ({}) \"/\" ", attrs.join(" ")).into_bytes();
    line.extend(astring(name));
    if childinfo {
        line.extend(b" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
    }
    line.extend(b"\r\n");
    line
}

/// Why a body part cannot be sent as BINARY.
enum Unsendable {
    /// A multipart or message part: BINARY is for leaf parts.
    NotLeaf,
    /// The part's Content-Transfer-Encoding (named) is unknown or broken.
    Undecodable(Undecodable, String),
}

impl Unsendable {
    /// The NO that fails the FETCH.
    fn refusal(self, tag: &str) -> Completion {
        match self {
            Unsendable::NotLeaf => Completion::no(tag)
                .text("BINARY is for leaf body parts, not multipart or message ones"),
            Unsendable::Undecodable(Undecodable::UnknownCte, encoding) => Completion::no(tag)
                .code("UNKNOWN-CTE")
                .text(format!("Cannot decode the {encoding} transfer encoding")),
            Unsendable::Undecodable(Undecodable::Corrupt, encoding) => {
                Completion::no(tag).text(format!("The {encoding} body part is corrupt"))
            }
        }
    }
}

/// The decoded octets of BINARY[part] (the whole message for `BINARY[]`), None when the
/// part does not exist, or why it cannot be sent.
fn binary_data(message: &LazyParsed<'_>, part: &[u32]) -> Result<Option<Vec<u8>>, Unsendable> {
    if part.is_empty() {
        // The whole message is an RFC 5322 message, not a body part with an encoding of
        // its own: it goes as it is.
        return Ok(Some(message.message().to_vec()));
    }
    match section::binary_part(message.get(), part) {
        BinaryPart::Missing => Ok(None),
        BinaryPart::NotLeaf => Err(Unsendable::NotLeaf),
        BinaryPart::Leaf {
            body,
            encoding,
            text,
        } => decode_transfer(&body, &encoding, text)
            .map(Some)
            .map_err(|why| {
                Unsendable::Undecodable(why, String::from_utf8_lossy(&encoding).into_owned())
            }),
    }
}

/// The FETCH data item for BINARY or BINARY.SIZE (RFC 9051 §7.5.2); its part was checked by
/// [`ImapServer::binary_refusal`].
pub(super) fn binary_item(message: &LazyParsed<'_>, item: &FetchItem) -> Vec<u8> {
    let section = |part: &[u32]| {
        let numbers: Vec<String> = part.iter().map(u32::to_string).collect();
        numbers.join(".")
    };
    match item {
        FetchItem::BinarySize { part } => {
            let size = binary_data(message, part)
                .ok()
                .flatten()
                .map_or(0, |d| d.len());
            format!("BINARY.SIZE[{}] {size}", section(part)).into_bytes()
        }
        FetchItem::Binary { part, partial, .. } => {
            let mut name = format!("BINARY[{}]", section(part));
            let Some(data) = binary_data(message, part).ok().flatten() else {
                // §4.5: NIL for a part that is not there.
                return format!("{name} NIL").into_bytes();
            };
            let data = match partial {
                None => data,
                Some((origin, len)) => {
                    // As for BODY: the origin asked for is named, the octets are cut to what
                    // exists.
                    name.push_str(&format!("<{origin}>"));
                    partial_range(&data, *origin, *len).to_vec()
                }
            };
            let mut out = format!("{name} ").into_bytes();
            // §4.3.1: a string with NUL only as literal8; other octets as a plain literal.
            if data.contains(&0) {
                out.extend(literal8(&data));
            } else {
                out.extend(literal(&data));
            }
            out
        }
        _ => Vec::new(),
    }
}
