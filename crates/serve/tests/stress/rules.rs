//! The rules every IMAP response of the many-clients run is held to: what a client relies
//! on, as RFC 3501/9051, RFC 4731, RFC 5182 and RFC 7162 state it. Each broken rule is a
//! protocol error, described with the command it answered.

use std::collections::{BTreeMap, BTreeSet};

use imap_codec::imap_types::fetch::MessageDataItem;
use imap_codec::imap_types::flag::{Flag, FlagFetch};
use imap_codec::imap_types::mailbox::Mailbox;
use imap_codec::imap_types::response::{Data, StatusKind};
use imap_codec::imap_types::status::StatusDataItem;

use super::imap::ImapClient;

/// The command being answered, as far as the rules need it.
#[derive(Debug, Default)]
pub(super) struct Command {
    pub(super) tag: String,
    pub(super) text: String,
    /// The command's name, upper case, without UID.
    pub(super) verb: String,
    pub(super) uid: bool,
    /// A SEARCH's MODSEQ key: its mod-sequence.
    modseq_key: Option<u64>,
    /// A SEARCH's RETURN options, if it has RETURN.
    ret: Option<BTreeSet<String>>,
    /// A FETCH's CHANGEDSINCE.
    changed_since: Option<u64>,
    /// A CONDSTORE enabling command (RFC 7162 §3.1).
    enabling: bool,
    /// ESEARCH responses received for it.
    esearches: u32,
    /// A HIGHESTMODSEQ response code received while it ran.
    highest_modseq_seen: bool,
}

impl Command {
    pub(super) fn new(tag: String, text: &str) -> Command {
        let words: Vec<&str> = text.split(' ').collect();
        let uid = words[0].eq_ignore_ascii_case("UID");
        let verb = words[usize::from(uid)].to_ascii_uppercase();
        let after = |word: &str| {
            words
                .iter()
                .position(|w| w.trim_start_matches('(') == word)
                .and_then(|i| words.get(i + 1))
                .and_then(|n| n.trim_end_matches(')').parse().ok())
        };
        let ret = text.split_once("RETURN (").map(|(_, rest)| {
            let options = rest.split(')').next().unwrap_or_default();
            options.split_whitespace().map(str::to_string).collect()
        });
        let modseq_key = if verb == "SEARCH" {
            after("MODSEQ")
        } else {
            None
        };
        let changed_since = if verb == "FETCH" {
            after("CHANGEDSINCE")
        } else {
            None
        };
        let enabling = match verb.as_str() {
            "SELECT" | "EXAMINE" => text.ends_with("(CONDSTORE)"),
            "FETCH" => text.contains("MODSEQ") || changed_since.is_some(),
            "SEARCH" => modseq_key.is_some(),
            "STORE" => text.contains("(UNCHANGEDSINCE "),
            "STATUS" => text.contains("HIGHESTMODSEQ"),
            _ => false,
        };
        Command {
            tag,
            text: text.split("\r\n").next().unwrap_or_default().to_string(),
            verb,
            uid,
            modseq_key,
            ret,
            changed_since,
            enabling,
            esearches: 0,
            highest_modseq_seen: false,
        }
    }

    /// Whether the command is `name` without UID (RFC 9051 §7.5.1 names those three).
    fn is(&self, name: &str) -> bool {
        !self.uid && self.verb == name
    }

    /// The ESEARCH result options asked for (RFC 4731 §3.1; "RETURN ()" means ALL).
    fn esearch_options(&self) -> Option<BTreeSet<String>> {
        let ret = self.ret.as_ref()?;
        let mut asked: BTreeSet<String> = ret.iter().filter(|o| *o != "SAVE").cloned().collect();
        if ret.is_empty() {
            asked.insert("ALL".into());
        }
        Some(asked)
    }
}

/// The selected mailbox as the client has been told it.
#[derive(Debug, Default)]
pub(super) struct Selected {
    name: String,
    /// SELECT or EXAMINE still being answered.
    opening: bool,
    pub(super) exists: u32,
    /// UIDs by message number, from FETCH responses (0 while unknown).
    uids: Vec<u32>,
    /// Keywords announced by the last FLAGS response.
    announced: BTreeSet<String>,
    uid_validity: u32,
    /// UIDNEXT as SELECT reported it.
    uid_next: u32,
    /// Messages there at SELECT that are still there: they come first, below UIDNEXT.
    initial: u32,
    pub(super) highest_modseq: u64,
    /// Each message's MODSEQ as last reported, by UID.
    modseqs: BTreeMap<u32, u64>,
}

impl Selected {
    pub(super) fn opening(name: &str) -> Selected {
        Selected {
            name: name.to_string(),
            opening: true,
            ..Selected::default()
        }
    }
}

fn mailbox_name(mailbox: &Mailbox<'_>) -> String {
    match mailbox {
        Mailbox::Inbox => "INBOX".into(),
        Mailbox::Other(other) => String::from_utf8_lossy(other.as_ref()).into_owned(),
    }
}

impl ImapClient {
    /// Untagged data.
    pub(super) fn data(&mut self, data: Data<'_>) {
        match data {
            Data::Flags(flags) => {
                let keywords = flags.iter().filter_map(|f| match f {
                    Flag::Keyword(k) => Some(k.inner().to_string()),
                    _ => None,
                });
                match self.selected.as_mut() {
                    Some(sel) => sel.announced = keywords.collect(),
                    None => self.error("FLAGS with no mailbox selected".into()),
                }
            }
            Data::Exists(n) => self.exists(n),
            Data::Recent(n) => {
                let exists = self.selected.as_ref().map_or(0, |s| s.exists);
                if n > exists {
                    self.error(format!("{n} RECENT of {exists} messages"));
                }
            }
            Data::Expunge(n) => self.expunge(n.get()),
            Data::Fetch { seq, items } => self.fetch(seq.get(), items.as_ref()),
            Data::Search(found, modseq) => {
                let found: Vec<u32> = found.iter().map(|n| n.get()).collect();
                self.search(&found, modseq.map(|m| m.get()));
            }
            Data::Status { mailbox, items } => self.status(&mailbox_name(&mailbox), &items),
            Data::List { mailbox, .. } => {
                self.listed.insert(mailbox_name(&mailbox));
            }
            _ => {}
        }
    }

    /// EXISTS never falls without an EXPUNGE (RFC 9051 §7.4.1).
    fn exists(&mut self, n: u32) {
        self.check("EXISTS");
        let Some(sel) = self.selected.as_mut() else {
            return self.error(format!("{n} EXISTS with no mailbox selected"));
        };
        let was = sel.exists;
        sel.exists = n;
        sel.uids.resize(n as usize, 0);
        if n < was && !sel.opening {
            self.error(format!("EXISTS fell from {was} to {n}"));
        }
    }

    /// An EXPUNGE names a message that exists, and never answers FETCH, STORE or SEARCH
    /// (RFC 9051 §7.5.1: "An EXPUNGE response MUST NOT be sent ... while responding to a
    /// FETCH, STORE, or SEARCH command").
    fn expunge(&mut self, n: u32) {
        self.check("EXPUNGE");
        if ["FETCH", "STORE", "SEARCH"]
            .iter()
            .any(|c| self.current.is(c))
        {
            self.error(format!("EXPUNGE {n} while answering {}", self.current.verb));
        }
        let Some(sel) = self.selected.as_mut() else {
            return self.error(format!("EXPUNGE {n} with no mailbox selected"));
        };
        if n == 0 || n > sel.exists {
            let exists = sel.exists;
            return self.error(format!("EXPUNGE {n} of {exists} messages"));
        }
        sel.exists -= 1;
        let uid = sel.uids.remove(n as usize - 1);
        sel.modseqs.remove(&uid);
        if n <= sel.initial {
            sel.initial -= 1;
        }
    }

    fn fetch(&mut self, seq: u32, items: &[MessageDataItem<'_>]) {
        let exists = self.selected.as_ref().map_or(0, |s| s.exists);
        if seq > exists {
            return self.error(format!("FETCH {seq} of {exists} messages"));
        }
        let mut uid = None;
        let mut modseq = None;
        for item in items {
            match item {
                MessageDataItem::Flags(flags) => self.keywords_announced(flags),
                MessageDataItem::Uid(u) => uid = Some(u.get()),
                MessageDataItem::ModSeq(m) => modseq = Some(m.get()),
                _ => {}
            }
        }
        if let Some(uid) = uid {
            self.uid_in_order(seq, uid);
        } else if self.current.uid && self.current.verb == "FETCH" {
            // RFC 9051 §6.4.9: UID FETCH answers always carry the UID.
            self.error(format!("UID FETCH answered {seq} without its UID"));
        }
        let asked = self.current.verb == "FETCH" && self.current.enabling;
        // RFC 7162 §3.1: once CONDSTORE is on, "The server MUST then include mod-sequence
        // data in all subsequent untagged FETCH responses" that a FETCH did not ask for.
        if modseq.is_none() && (asked || (self.condstore && self.current.verb != "FETCH")) {
            self.error(format!("FETCH {seq} without MODSEQ"));
        }
        if let Some(modseq) = modseq {
            self.modseq(seq, uid, modseq);
        }
    }

    /// RFC 3501 §7.2.6: a keyword in a FETCH was announced in FLAGS first.
    fn keywords_announced(&mut self, flags: &[FlagFetch<'_>]) {
        self.check("FETCH FLAGS");
        for flag in flags {
            if let FlagFetch::Flag(Flag::Keyword(k)) = flag {
                let k = k.inner().to_string();
                if !self
                    .selected
                    .as_ref()
                    .is_some_and(|s| s.announced.contains(&k))
                {
                    self.error(format!("keyword {k} in FETCH before FLAGS named it"));
                }
            }
        }
    }

    /// UIDs strictly ascend with message numbers (RFC 9051 §2.3.1.1), a message keeps its
    /// UID, and UIDNEXT was honest: messages there at SELECT are below it, later ones not.
    fn uid_in_order(&mut self, seq: u32, uid: u32) {
        self.check("FETCH UID");
        let Some(sel) = self.selected.as_mut() else {
            return;
        };
        let i = seq as usize - 1;
        let was = sel.uids[i];
        sel.uids[i] = uid;
        let before = sel.uids[..i].iter().rev().find(|&&u| u != 0).copied();
        let after = sel.uids[i + 1..].iter().find(|&&u| u != 0).copied();
        let (uid_next, initial) = (sel.uid_next, sel.initial);
        if was != 0 && was != uid {
            return self.error(format!("message {seq} was UID {was}, now {uid}"));
        }
        if before.is_some_and(|b| b >= uid) || after.is_some_and(|a| a <= uid) {
            self.error(format!("UID {uid} of message {seq} out of order"));
        }
        if seq <= initial && uid >= uid_next {
            self.error(format!(
                "UID {uid} of message {seq} not below UIDNEXT {uid_next}"
            ));
        }
        if seq > initial && uid < uid_next {
            self.error(format!(
                "new message {seq} has UID {uid} below UIDNEXT {uid_next}"
            ));
        }
    }

    /// A message's MODSEQ never goes back (RFC 7162 §3.1), and CHANGEDSINCE returns only
    /// messages changed after it (§3.1.4.1).
    fn modseq(&mut self, seq: u32, uid: Option<u32>, modseq: u64) {
        self.check("FETCH MODSEQ");
        if let Some(since) = self.current.changed_since {
            if modseq <= since {
                self.error(format!("MODSEQ {modseq} returned for CHANGEDSINCE {since}"));
            }
        }
        let Some(sel) = self.selected.as_mut() else {
            return;
        };
        let Some(uid) = uid.or_else(|| Some(sel.uids[seq as usize - 1]).filter(|&u| u != 0)) else {
            return;
        };
        let was = sel.modseqs.insert(uid, modseq).unwrap_or(0);
        if modseq < was {
            self.error(format!("MODSEQ of UID {uid} went from {was} to {modseq}"));
        }
    }

    /// SEARCH: message numbers that exist; "(MODSEQ n)" at the end exactly when a MODSEQ
    /// key found something (RFC 7162 §3.1.5), n at least the key's; and no SEARCH at all
    /// for an extended SEARCH (RFC 4731 §3.1: "a single ESEARCH response ..., instead of
    /// the SEARCH response"; RFC 5182 §1: SAVE alone "suppresses any SEARCH response").
    fn search(&mut self, found: &[u32], modseq: Option<u64>) {
        self.check("SEARCH");
        if self.current.ret.is_some() {
            return self.error("SEARCH response to an extended SEARCH".into());
        }
        let exists = self.selected.as_ref().map_or(0, |s| s.exists);
        if !self.current.uid {
            if let Some(n) = found.iter().find(|&&n| n > exists) {
                self.error(format!("SEARCH found {n} of {exists} messages"));
            }
        }
        match (self.current.modseq_key, modseq) {
            (Some(key), Some(m)) if !found.is_empty() && m < key => {
                self.error(format!("SEARCH MODSEQ {key} answered (MODSEQ {m})"));
            }
            (Some(_), None) if !found.is_empty() => {
                self.error("SEARCH MODSEQ found messages without (MODSEQ n)".into());
            }
            (_, Some(m)) if found.is_empty() || self.current.modseq_key.is_none() => {
                self.error(format!("SEARCH answered (MODSEQ {m}) where none belongs"));
            }
            _ => {}
        }
    }

    /// An ESEARCH line (RFC 4731 §3.1, RFC 7162 §3.1.10), read by hand.
    pub(super) fn esearch(&mut self, line: &str) {
        self.check("ESEARCH");
        self.current.esearches += 1;
        let Some(asked) = self.current.esearch_options() else {
            return self.error(format!("{line:?} answers no extended SEARCH"));
        };
        let prefix = format!("* ESEARCH (TAG \"{}\")", self.current.tag);
        let Some(rest) = line.strip_prefix(&prefix) else {
            return self.error(format!("{line:?} does not carry the command's tag"));
        };
        let mut words: Vec<&str> = rest.split_whitespace().collect();
        let uid = words.first() == Some(&"UID");
        if uid {
            words.remove(0);
        }
        if uid != self.current.uid {
            self.error(format!(
                "{line:?}: UID indicator {uid} for UID {}",
                self.current.uid
            ));
        }
        let mut items: BTreeMap<&str, &str> = BTreeMap::new();
        for pair in words.chunks(2) {
            match pair {
                [name, value] if items.insert(name, value).is_none() => {}
                _ => return self.error(format!("{line:?}: malformed or repeated item")),
            }
        }
        let number = |name: &str| items.get(name).and_then(|v| v.parse::<u64>().ok());
        for name in items.keys() {
            if *name != "MODSEQ" && !asked.contains(*name) {
                self.error(format!("{line:?}: {name} was not asked for"));
            }
        }
        let count = number("COUNT");
        if asked.contains("COUNT") && count.is_none() {
            self.error(format!("{line:?}: COUNT missing (RFC 4731 §3.1 MUST)"));
        }
        let found = count.is_some_and(|c| c > 0)
            || ["MIN", "MAX", "ALL"].iter().any(|n| items.contains_key(n));
        for name in ["MIN", "MAX", "ALL"] {
            if found && asked.contains(name) && !items.contains_key(name) {
                self.error(format!(
                    "{line:?}: {name} missing though messages were found"
                ));
            }
        }
        if let (Some(min), Some(max)) = (number("MIN"), number("MAX")) {
            if min > max {
                self.error(format!("{line:?}: MIN above MAX"));
            }
        }
        let exists = u64::from(self.selected.as_ref().map_or(0, |s| s.exists));
        let highest = [number("MIN"), number("MAX"), count]
            .into_iter()
            .flatten()
            .max();
        if !uid && highest.is_some_and(|n| n > exists) {
            self.error(format!("{line:?}: past the {exists} messages"));
        }
        match (self.current.modseq_key, number("MODSEQ")) {
            (Some(key), Some(m)) if m < key => {
                self.error(format!("{line:?}: MODSEQ below the key's {key}"));
            }
            (Some(_), None) if found => {
                self.error(format!("{line:?}: MODSEQ missing (RFC 7162 §3.1.10 MUST)"));
            }
            (None, Some(_)) => self.error(format!("{line:?}: MODSEQ without a MODSEQ key")),
            (Some(_), Some(_)) if !found => {
                self.error(format!("{line:?}: MODSEQ with nothing found"));
            }
            _ => {}
        }
    }

    /// STATUS: neither UIDNEXT nor HIGHESTMODSEQ goes back, and HIGHESTMODSEQ is at least
    /// 1 (RFC 7162 §3.1.7: 0 would mean the mailbox keeps no mod-sequences).
    fn status(&mut self, mailbox: &str, items: &[StatusDataItem]) {
        self.check("STATUS");
        let (mut validity, mut next, mut highest) = (None, None, None);
        for item in items {
            match item {
                StatusDataItem::UidValidity(v) => validity = Some(v.get()),
                StatusDataItem::UidNext(n) => next = Some(n.get()),
                StatusDataItem::HighestModSeq(m) => highest = Some(*m),
                _ => {}
            }
        }
        if highest == Some(0) {
            self.error(format!("STATUS {mailbox}: HIGHESTMODSEQ 0"));
        }
        if let Some(validity) = validity {
            self.reported(mailbox, validity, next, highest);
        }
    }

    /// What SELECT or STATUS reported for `mailbox` at `validity`, held against the last.
    fn reported(&mut self, mailbox: &str, validity: u32, next: Option<u32>, highest: Option<u64>) {
        let key = (mailbox.to_string(), validity);
        let (was_next, was_highest) = self.reported.get(&key).copied().unwrap_or((0, 0));
        if next.is_some_and(|n| n < was_next) {
            self.error(format!(
                "{mailbox}: UIDNEXT went from {was_next} to {next:?}"
            ));
        }
        if highest.is_some_and(|h| h < was_highest) {
            self.error(format!(
                "{mailbox}: HIGHESTMODSEQ went from {was_highest} to {highest:?}"
            ));
        }
        let entry = (
            next.unwrap_or(was_next).max(was_next),
            highest.unwrap_or(0).max(was_highest),
        );
        self.reported.insert(key, entry);
    }

    /// APPENDUID: UIDs given to appended messages only grow in a mailbox, and one appended
    /// to the selected mailbox is at least its UIDNEXT.
    pub(super) fn appended_uid(&mut self, validity: u32, uid: u32) {
        self.check("APPENDUID");
        let mailbox = self
            .current
            .text
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .to_string();
        let last = self.appended.insert(mailbox.clone(), uid).unwrap_or(0);
        if uid <= last {
            self.error(format!("APPENDUID {uid} after {last} in {mailbox}"));
        }
        if let Some(sel) = self.selected.as_ref().filter(|s| s.name == mailbox) {
            if validity != sel.uid_validity || uid < sel.uid_next {
                let (v, n) = (sel.uid_validity, sel.uid_next);
                self.error(format!(
                    "APPENDUID {validity} {uid} in a mailbox selected with UIDVALIDITY {v} \
                     UIDNEXT {n}"
                ));
            }
        }
    }

    pub(super) fn uid_next(&mut self, n: u32) {
        match self.selected.as_mut() {
            Some(sel) if sel.opening => sel.uid_next = n,
            Some(sel) if n >= sel.uid_next => sel.uid_next = n,
            _ => self.error(format!("UIDNEXT {n} outside SELECT")),
        }
    }

    pub(super) fn uid_validity(&mut self, v: u32) {
        match self.selected.as_mut() {
            Some(sel) if sel.opening => sel.uid_validity = v,
            _ => self.error(format!("UIDVALIDITY {v} outside SELECT")),
        }
    }

    /// HIGHESTMODSEQ (RFC 7162 §3.1.2.1) in the selected mailbox never goes back.
    pub(super) fn highest_modseq(&mut self, m: u64) {
        self.check("HIGHESTMODSEQ");
        self.current.highest_modseq_seen = true;
        let Some(sel) = self.selected.as_mut() else {
            return self.error(format!("HIGHESTMODSEQ {m} with no mailbox selected"));
        };
        let was = sel.highest_modseq;
        sel.highest_modseq = m.max(was);
        if m < was {
            self.error(format!("HIGHESTMODSEQ went from {was} to {m}"));
        }
    }

    /// After the tagged completion: what the whole answer owed.
    pub(super) fn completed(&mut self, kind: Option<StatusKind>) {
        let ok = kind == Some(StatusKind::Ok);
        let verb = self.current.verb.clone();
        if verb == "SELECT" || verb == "EXAMINE" {
            self.opened(ok);
        } else if self.current.enabling && !self.condstore && ok {
            // §3.1: "A first CONDSTORE enabling command executed in the session with a
            // mailbox selected MUST cause the server to return HIGHESTMODSEQ".
            self.check("first CONDSTORE enabling command");
            if self.selected.is_some() && !self.current.highest_modseq_seen {
                self.error("first CONDSTORE enabling command without HIGHESTMODSEQ".into());
            }
        }
        if self.current.enabling && ok {
            self.condstore = true;
        }
        if let (Some(asked), true) = (self.current.esearch_options(), ok) {
            let owed = u32::from(!asked.is_empty());
            if self.current.esearches != owed {
                let got = self.current.esearches;
                self.error(format!("{got} ESEARCH responses where {owed} belong"));
            }
        }
    }

    /// A SELECT or EXAMINE answered: UIDVALIDITY and UIDNEXT given, HIGHESTMODSEQ given
    /// once CONDSTORE is on (RFC 7162 §3.1.2: "One of these two response codes MUST be
    /// returned ... for any successful SELECT/EXAMINE command issued after a CONDSTORE
    /// enabling command"), and neither gone back since last reported.
    fn opened(&mut self, ok: bool) {
        self.check("SELECT/EXAMINE");
        if !ok {
            self.selected = None;
            return;
        }
        let condstore = self.condstore || self.current.enabling;
        let Some(sel) = self.selected.as_mut() else {
            return;
        };
        sel.opening = false;
        sel.initial = sel.exists;
        let (name, validity, next) = (sel.name.clone(), sel.uid_validity, sel.uid_next);
        let highest = (sel.highest_modseq > 0).then_some(sel.highest_modseq);
        if validity == 0 || next == 0 {
            self.error(format!("{name} selected without UIDVALIDITY or UIDNEXT"));
        }
        if condstore && highest.is_none() {
            self.error(format!(
                "{name} selected without HIGHESTMODSEQ, CONDSTORE on"
            ));
        }
        self.reported(&name, validity, Some(next), highest);
    }
}
