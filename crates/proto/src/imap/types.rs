//! IMAP commands and session states (RFC 9051, with RFC 3501 compatibility).

use std::fmt;

use crate::i18n::Text;
use crate::text;

use super::section::Section;

/// RFC 2683 §3.2.1.5 and RFC 7162 §4: servers should accept command lines of at least
/// 8000 octets; we accept 64 KiB (literals excluded), as Dovecot does.
pub const MAX_LINE: usize = 64 * 1024;
/// A server's response line can be far longer than a command: SEARCH lists every match, and a
/// mailbox of 12,000 messages already passes 64 KiB. The client accepts up to 1,000,000
/// octets per line, as Python's imaplib does.
pub const MAX_RESPONSE_LINE: usize = 1_000_000;
/// The largest literal accepted, e.g. a message in APPEND.
pub const MAX_LITERAL: u64 = 10 * 1024 * 1024;

/// `seq-number = nz-number / "*"`: `*` is the largest number in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqNumber {
    Value(u32),
    Largest,
}

/// `sequence-set`: ranges of message numbers or UIDs, e.g. `1:3,5,7:*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceSet(pub Vec<(SeqNumber, SeqNumber)>);

impl SequenceSet {
    /// True if `n` is in the set, where `*` stands for `largest` (RFC 9051 §9: `3:*` with
    /// a largest value below 3 still includes the largest value).
    pub fn contains(&self, n: u32, largest: u32) -> bool {
        self.0.iter().any(|(a, b)| {
            let value = |s: &SeqNumber| match s {
                SeqNumber::Value(v) => *v,
                SeqNumber::Largest => largest,
            };
            let (lo, hi) = (value(a).min(value(b)), value(a).max(value(b)));
            (lo..=hi).contains(&n)
        })
    }

    /// The set of these numbers (ascending), consecutive ones as ranges: 2, 10, 11 → `2,10:11`.
    pub fn of(numbers: &[u32]) -> Self {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for &n in numbers {
            match runs.last_mut() {
                Some((_, end)) if end.checked_add(1) == Some(n) => *end = n,
                _ => runs.push((n, n)),
            }
        }
        SequenceSet(
            runs.into_iter()
                .map(|(a, b)| (SeqNumber::Value(a), SeqNumber::Value(b)))
                .collect(),
        )
    }
}

impl fmt::Display for SequenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = |s: &SeqNumber| match s {
            SeqNumber::Value(v) => v.to_string(),
            SeqNumber::Largest => "*".to_string(),
        };
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(a, b)| {
                if a == b {
                    one(a)
                } else {
                    format!("{}:{}", one(a), one(b))
                }
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// A data item of FETCH (RFC 9051 §6.4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchItem {
    Flags,
    Uid,
    InternalDate,
    Rfc822Size,
    #[cfg(feature = "mime-structure")]
    Envelope,
    /// BODY without a section: the non-extensible body structure.
    #[cfg(feature = "mime-structure")]
    Body,
    #[cfg(feature = "mime-structure")]
    BodyStructure,
    BodySection {
        peek: bool,
        section: Section,
        partial: Option<(u32, u32)>,
    },
    Rfc822,
    Rfc822Header,
    Rfc822Text,
    /// RFC 7162 §3.1.4.1.
    ModSeq,
    /// RFC 9051 §6.4.5 `BINARY[part]<partial>` and `BINARY.PEEK`: the part with its
    /// Content-Transfer-Encoding undone.
    #[cfg(feature = "imap4rev2")]
    Binary {
        peek: bool,
        part: Vec<u32>,
        partial: Option<(u32, u32)>,
    },
    /// RFC 9051 §6.4.5 `BINARY.SIZE[part]`: the size `BINARY` would return.
    #[cfg(feature = "imap4rev2")]
    BinarySize {
        part: Vec<u32>,
    },
}

/// How STORE changes flags (RFC 9051 §6.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreMode {
    Replace,
    Add,
    Remove,
}

/// A SEARCH key (RFC 9051 §6.4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey {
    All,
    /// A message has (true) or lacks (false) the flag.
    Flag(String, bool),
    /// HEADER, SUBJECT: a header field of this name whose text holds the string.
    #[cfg(feature = "search-keys")]
    Header(String, String),
    /// FROM, TO, CC, BCC: RFC 3501 §6.4.4, "Messages that contain the specified string in
    /// the envelope structure's FROM field" -- the addresses, not the field's text.
    #[cfg(feature = "search-keys")]
    Address(String, String),
    #[cfg(feature = "search-keys")]
    Body(String),
    #[cfg(feature = "search-keys")]
    Text(String),
    /// Internal date before / on / since the day (days since 1970).
    #[cfg(feature = "search-keys")]
    Before(i64),
    #[cfg(feature = "search-keys")]
    On(i64),
    #[cfg(feature = "search-keys")]
    Since(i64),
    #[cfg(feature = "search-keys")]
    SentBefore(i64),
    #[cfg(feature = "search-keys")]
    SentOn(i64),
    #[cfg(feature = "search-keys")]
    SentSince(i64),
    #[cfg(feature = "search-keys")]
    Larger(u32),
    #[cfg(feature = "search-keys")]
    Smaller(u32),
    Uid(SequenceSet),
    Sequence(SequenceSet),
    #[cfg(feature = "search-keys")]
    ModSeq(u64),
    Not(Box<SearchKey>),
    Or(Box<SearchKey>, Box<SearchKey>),
    And(Vec<SearchKey>),
}

impl SearchKey {
    /// Whether the key is, or holds, MODSEQ (RFC 7162 §3.1.5).
    pub fn uses_modseq(&self) -> bool {
        match self {
            #[cfg(feature = "search-keys")]
            SearchKey::ModSeq(_) => true,
            SearchKey::Not(key) => key.uses_modseq(),
            SearchKey::Or(a, b) => a.uses_modseq() || b.uses_modseq(),
            SearchKey::And(keys) => keys.iter().any(SearchKey::uses_modseq),
            _ => false,
        }
    }
}

/// What STATUS reports (RFC 9051 §6.3.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusItem {
    Messages,
    Recent,
    UidNext,
    UidValidity,
    Unseen,
    Size,
    HighestModSeq,
    /// RFC 9051 §6.3.11: messages with \Deleted.
    #[cfg(feature = "imap4rev2")]
    Deleted,
}

impl StatusItem {
    pub fn name(self) -> &'static str {
        match self {
            StatusItem::Messages => "MESSAGES",
            StatusItem::Recent => "RECENT",
            StatusItem::UidNext => "UIDNEXT",
            StatusItem::UidValidity => "UIDVALIDITY",
            StatusItem::Unseen => "UNSEEN",
            StatusItem::Size => "SIZE",
            StatusItem::HighestModSeq => "HIGHESTMODSEQ",
            #[cfg(feature = "imap4rev2")]
            StatusItem::Deleted => "DELETED",
        }
    }
}

/// One IMAP command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Capability,
    Noop,
    Logout,
    /// ID (RFC 2971): the client's field-value pairs about itself (empty for NIL).
    Id(Vec<(String, Option<String>)>),
    StartTls,
    Authenticate {
        mechanism: String,
        initial_response: Option<String>,
    },
    Login {
        user: String,
        password: String,
    },
    Enable(Vec<String>),
    Select {
        mailbox: String,
        read_only: bool,
        condstore: bool,
    },
    #[cfg(feature = "mailboxes")]
    Create(String),
    #[cfg(feature = "mailboxes")]
    Delete(String),
    #[cfg(feature = "mailboxes")]
    Rename {
        from: String,
        to: String,
    },
    #[cfg(feature = "mailboxes")]
    Subscribe(String),
    #[cfg(feature = "mailboxes")]
    Unsubscribe(String),
    #[cfg(feature = "mailboxes")]
    List {
        reference: String,
        pattern: String,
        subscribed_only: bool,
    },
    #[cfg(feature = "mailboxes")]
    Namespace,
    #[cfg(feature = "mailboxes")]
    Status {
        mailbox: String,
        items: Vec<StatusItem>,
    },
    /// One message, or several at once (MULTIAPPEND, RFC 3502), appended all or none.
    #[cfg(feature = "mailboxes")]
    Append {
        mailbox: String,
        messages: Vec<AppendMessage>,
    },
    Idle,
    Close,
    Unselect,
    Expunge {
        uids: Option<SequenceSet>,
    },
    Search {
        uid: bool,
        key: SearchKey,
    },
    Fetch {
        uid: bool,
        set: SequenceSet,
        items: Vec<FetchItem>,
        changed_since: Option<u64>,
    },
    Store {
        uid: bool,
        set: SequenceSet,
        mode: StoreMode,
        silent: bool,
        flags: Vec<String>,
        unchanged_since: Option<u64>,
    },
    #[cfg(feature = "mailboxes")]
    Copy {
        uid: bool,
        set: SequenceSet,
        mailbox: String,
        remove: bool,
    },
    /// SEARCH with return options and extended LIST (RFC 9051).
    #[cfg(feature = "imap4rev2")]
    Rev2(Extended),
}

/// One message of an APPEND (RFC 3502 `append-message = [SP flag-list] [SP date-time] SP
/// literal`).
#[cfg(feature = "mailboxes")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage {
    pub flags: Vec<String>,
    /// The internal date asked for, in seconds since 1970.
    pub date: Option<i64>,
    pub message: Vec<u8>,
}

impl Command {
    /// The command's name as the RFC writes it, with UID for UID commands.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Capability => "CAPABILITY",
            Command::Noop => "NOOP",
            Command::Logout => "LOGOUT",
            Command::Id(_) => "ID",
            Command::StartTls => "STARTTLS",
            Command::Authenticate { .. } => "AUTHENTICATE",
            Command::Login { .. } => "LOGIN",
            Command::Enable(_) => "ENABLE",
            Command::Select {
                read_only: false, ..
            } => "SELECT",
            Command::Select {
                read_only: true, ..
            } => "EXAMINE",
            #[cfg(feature = "mailboxes")]
            Command::Create(_) => "CREATE",
            #[cfg(feature = "mailboxes")]
            Command::Delete(_) => "DELETE",
            #[cfg(feature = "mailboxes")]
            Command::Rename { .. } => "RENAME",
            #[cfg(feature = "mailboxes")]
            Command::Subscribe(_) => "SUBSCRIBE",
            #[cfg(feature = "mailboxes")]
            Command::Unsubscribe(_) => "UNSUBSCRIBE",
            #[cfg(feature = "mailboxes")]
            Command::List {
                subscribed_only: false,
                ..
            } => "LIST",
            #[cfg(feature = "mailboxes")]
            Command::List {
                subscribed_only: true,
                ..
            } => "LSUB",
            #[cfg(feature = "mailboxes")]
            Command::Namespace => "NAMESPACE",
            #[cfg(feature = "mailboxes")]
            Command::Status { .. } => "STATUS",
            #[cfg(feature = "mailboxes")]
            Command::Append { .. } => "APPEND",
            Command::Idle => "IDLE",
            Command::Close => "CLOSE",
            Command::Unselect => "UNSELECT",
            Command::Expunge { uids: None } => "EXPUNGE",
            Command::Expunge { uids: Some(_) } => "UID EXPUNGE",
            Command::Search { uid: false, .. } => "SEARCH",
            Command::Search { uid: true, .. } => "UID SEARCH",
            Command::Fetch { uid: false, .. } => "FETCH",
            Command::Fetch { uid: true, .. } => "UID FETCH",
            Command::Store { uid: false, .. } => "STORE",
            Command::Store { uid: true, .. } => "UID STORE",
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid: false,
                remove: false,
                ..
            } => "COPY",
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid: true,
                remove: false,
                ..
            } => "UID COPY",
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid: false,
                remove: true,
                ..
            } => "MOVE",
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid: true,
                remove: true,
                ..
            } => "UID MOVE",
            #[cfg(feature = "imap4rev2")]
            Command::Rev2(extended) => extended.name(),
        }
    }
}

impl Command {
    /// One of RFC 7162 §3.1's "CONDSTORE enabling commands": "FETCH or SEARCH with MODSEQ",
    /// "FETCH/UID FETCH with CHANGEDSINCE", "STORE/UID STORE with UNCHANGEDSINCE" and
    /// "STATUS (HIGHESTMODSEQ)" (LIST-STATUS too). The other two, SELECT/EXAMINE with
    /// CONDSTORE and ENABLE CONDSTORE, enable it in their own way.
    pub fn enables_condstore(&self) -> bool {
        match self {
            Command::Fetch {
                items,
                changed_since,
                ..
            } => changed_since.is_some() || items.contains(&FetchItem::ModSeq),
            Command::Store {
                unchanged_since, ..
            } => unchanged_since.is_some(),
            Command::Search { key, .. } => key.uses_modseq(),
            #[cfg(feature = "mailboxes")]
            Command::Status { items, .. } => items.contains(&StatusItem::HighestModSeq),
            #[cfg(feature = "imap4rev2")]
            Command::Rev2(Extended::Search { key, .. }) => key.uses_modseq(),
            #[cfg(feature = "imap4rev2")]
            Command::Rev2(Extended::List { ret, .. }) => ret
                .status
                .as_ref()
                .is_some_and(|items| items.contains(&StatusItem::HighestModSeq)),
            _ => false,
        }
    }
}

// ---- IMAP4rev2 (RFC 9051) syntax that IMAP4rev1 lacks ----

/// A command in IMAP4rev2 syntax that has no IMAP4rev1 form.
#[cfg(feature = "imap4rev2")]
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

#[cfg(feature = "imap4rev2")]
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
#[cfg(feature = "imap4rev2")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchReturn {
    pub min: bool,
    pub max: bool,
    pub all: bool,
    pub count: bool,
    pub save: bool,
}

#[cfg(feature = "imap4rev2")]
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
#[cfg(feature = "imap4rev2")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListSelection {
    pub subscribed: bool,
    /// No mailbox here is remote, so REMOTE changes nothing.
    pub remote: bool,
    pub recursive_match: bool,
}

/// LIST return options (RFC 9051 §6.3.9.2, RFC 5819).
#[cfg(feature = "imap4rev2")]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListReturn {
    pub subscribed: bool,
    pub children: bool,
    /// `STATUS (...)`: a STATUS response after each LIST response.
    pub status: Option<Vec<StatusItem>>,
}

#[cfg(feature = "imap4rev2")]
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

/// The connection states of RFC 9051 §3, by their RFC names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

impl State {
    /// The state in the words shown to students.
    pub fn text(self) -> Text {
        match self {
            State::NotAuthenticated => text!("state.imap.not-authenticated"),
            State::Authenticated => text!("state.imap.authenticated"),
            State::Selected => text!("state.imap.selected"),
            State::Logout => text!("state.imap.logout"),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}
