//! The server-side mail store, shared by the SMTP, POP3 and IMAP sessions of one server:
//! accounts, each with folders (INBOX first), messages with UIDs, flags and a modification
//! sequence, so that every session can learn what the others did.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

/// The name every account's inbox has; RFC 9051 §5.1: "INBOX" is case-insensitive.
pub const INBOX: &str = "INBOX";

/// The hierarchy delimiter between levels of folder names (RFC 9051 §5.1.1), "Work/2026".
pub const DELIMITER: char = '/';

/// One message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// RFC 9051 §2.3.1.1: strictly ascending in a folder and never reused.
    pub uid: u32,
    pub bytes: Vec<u8>,
    /// The envelope sender given in SMTP `MAIL FROM`, kept as a `Return-Path` would be.
    pub return_path: String,
    /// System flags (`\Seen`, `\Deleted`, ...) and keywords, in a stable order.
    pub flags: BTreeSet<String>,
    /// RFC 9051 §2.3.3 INTERNALDATE, as seconds since 1970 (UTC).
    pub internal_date: i64,
    /// RFC 7162 §3.1: the store's modification sequence when this message last changed.
    pub modseq: u64,
}

impl StoredMessage {
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
}

/// A folder (IMAP mailbox): INBOX, Sent, Trash, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub uid_validity: u32,
    pub uid_next: u32,
    pub messages: Vec<StoredMessage>,
    /// RFC 7162 §3.1.1: the highest modseq of anything in the folder, expunges included.
    pub highest_modseq: u64,
    /// UIDs expunged and when, for clients that resynchronise (RFC 7162 §3.2.10).
    pub expunged: Vec<(u64, u32)>,
    /// The keywords (RFC 3501 §2.3.2: flags without "\\") set on a message here so far, for
    /// IMAP's FLAGS response, which lists "the flags ... that are applicable for this
    /// mailbox" (§7.2.6). Kept when the messages lose them, as Dovecot keeps them.
    pub keywords: BTreeSet<String>,
    /// RFC 3501 §2.3.2 \Recent: the highest UID a read-write session has been told of.
    /// Messages above it are recent for the next session that sees them. A `Cell`: being
    /// told of a message is a side effect of reading the folder, as on a real server.
    pub recent_mark: Cell<u32>,
}

impl Folder {
    /// The messages \Recent for a session that sees the folder now, among `uids`; a
    /// read-write session takes them, so no later session sees them as recent (RFC 3501
    /// §2.3.2). A read-only one (EXAMINE) leaves them for the next.
    pub fn claim_recent(&self, uids: &[u32], read_only: bool) -> Vec<u32> {
        let mark = self.recent_mark.get();
        let recent: Vec<u32> = uids.iter().copied().filter(|&u| u > mark).collect();
        if !read_only {
            if let Some(&top) = recent.iter().max() {
                self.recent_mark.set(top);
            }
        }
        recent
    }

    /// Adds the keywords among `flags` to those the folder has seen.
    fn learn_keywords(&mut self, flags: &BTreeSet<String>) {
        self.keywords.extend(keywords(flags));
    }

    /// How many messages no session has been told of yet (STATUS RECENT).
    pub fn unclaimed_recent(&self) -> usize {
        let mark = self.recent_mark.get();
        self.messages.iter().filter(|m| m.uid > mark).count()
    }

    /// The message with this UID. Messages are kept in ascending UID order (new ones get
    /// larger UIDs and removal keeps the order), so this is a binary search.
    pub fn message(&self, uid: u32) -> Option<&StoredMessage> {
        self.messages
            .binary_search_by_key(&uid, |m| m.uid)
            .ok()
            .and_then(|i| self.messages.get(i))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Account {
    /// The password, checked by SMTP AUTH, POP3 and IMAP logins.
    password: String,
    folders: BTreeMap<String, Folder>,
    /// IMAP subscriptions (RFC 3501 §6.3.6): names, kept apart from the folders, so that a
    /// deleted folder stays subscribed -- the server "MUST NOT unilaterally remove an
    /// existing mailbox name from the subscription list even if a mailbox by that name no
    /// longer exists."
    subscriptions: BTreeSet<String>,
}

/// Every account on one server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailStore {
    accounts: BTreeMap<String, Account>,
    /// Bumped on every change anywhere; sessions compare it with what they last saw.
    modseq: u64,
    /// Folders get distinct UIDVALIDITY values from this counter.
    next_uid_validity: u32,
    /// Accounts held by a POP3 session (RFC 1939 §8: exclusive access while in use).
    pop3_locks: BTreeSet<String>,
    /// Seconds since 1970 for INTERNALDATE, set by the caller (the engine has no clock).
    clock: i64,
    /// Greylisting: (client, sender, recipient) triplets seen once already.
    greylist: BTreeSet<String>,
    /// Per-account limits on the octets stored, for "mailbox full".
    quotas: BTreeMap<String, usize>,
}

/// Why a folder operation failed; the text is shown to students as the server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderError {
    NoSuchAccount,
    NoSuchFolder,
    AlreadyExists,
    /// RFC 9051 §6.3.5/§6.3.6: INBOX cannot be deleted; renaming it moves its messages.
    InboxIsSpecial,
    /// RFC 3501 §6.3.4: "It is an error to attempt to delete a name that has inferior
    /// hierarchical names and also has the \Noselect mailbox name attribute".
    HasInferiors,
    /// No name at all, or an empty level ("/Work", "Work//2026").
    InvalidName,
    /// RENAME of a folder to a name below itself.
    UnderItself,
}

fn key(user: &str) -> String {
    user.to_ascii_lowercase()
}

/// The keywords among `flags`: RFC 3501 §2.3.2, "Keywords do not begin with "\\"".
fn keywords(flags: &BTreeSet<String>) -> impl Iterator<Item = String> + '_ {
    flags.iter().filter(|f| !f.starts_with('\\')).cloned()
}

/// The folders strictly below `name` in the hierarchy ("name/..."), in name order.
fn inferiors<'a>(
    folders: &'a BTreeMap<String, Folder>,
    name: &str,
) -> impl Iterator<Item = &'a String> {
    let prefix = format!("{name}{DELIMITER}");
    folders
        .range(prefix.clone()..)
        .map(|(n, _)| n)
        .take_while(move |n| n.starts_with(&prefix))
}

/// Mailbox names in the order LIST shows them: INBOX first, then the others by name.
pub fn inbox_first<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().cloned().collect();
    names.sort_unstable_by_key(|n| (n != INBOX, n.clone()));
    names
}

/// The names above `name` in the hierarchy, outermost first: "a/b/c" has "a" and "a/b".
pub fn superiors(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices(DELIMITER)
        .filter_map(move |(i, _)| name.get(..i))
}

/// The name a new folder gets (CREATE, RENAME). RFC 3501 §6.3.3: a trailing delimiter is
/// "a declaration that the client intends to create mailbox names under this name ...
/// Server implementations that do not require this declaration MUST ignore the
/// declaration"; RFC 9051 §6.3.4: "In any case, the name created is without the trailing
/// hierarchy delimiter."
fn new_folder_name(name: &str) -> Result<String, FolderError> {
    let name = folder_name(name.trim_end_matches(DELIMITER));
    let empty_level = name.split(DELIMITER).any(str::is_empty);
    if empty_level {
        return Err(FolderError::InvalidName);
    }
    Ok(name)
}

/// INBOX in any case is INBOX; other names are kept as given.
pub fn folder_name(name: &str) -> String {
    if name.eq_ignore_ascii_case(INBOX) {
        INBOX.to_string()
    } else {
        name.to_string()
    }
}

impl MailStore {
    pub fn new() -> Self {
        MailStore::default()
    }

    /// Sets the calendar time used for INTERNALDATE of messages added from now on.
    pub fn set_clock(&mut self, unix_seconds: i64) {
        self.clock = unix_seconds;
    }

    pub fn clock(&self) -> i64 {
        self.clock
    }

    /// Creates an account for `user` (the local part of its address) with an empty INBOX,
    /// if it has none.
    pub fn add_user(&mut self, user: &str) {
        self.account_entry(user);
    }

    /// Creates `user` if needed and sets its password (an empty one never authenticates).
    pub fn add_account(&mut self, user: &str, password: &str) {
        self.account_entry(user).password = password.to_string();
    }

    fn new_folder(&mut self) -> Folder {
        self.next_uid_validity = self.next_uid_validity.saturating_add(1);
        // RFC 7162 §7: HIGHESTMODSEQ is a mod-sequence-value, "1 <= n"; 0 in STATUS would
        // mean "no persistent mod-sequences". Mod-sequences start at 1 with the first
        // folder, so an empty folder reports 1 and every change after it is greater.
        self.modseq = self.modseq.max(1);
        Folder {
            uid_validity: self.next_uid_validity,
            uid_next: 1,
            messages: Vec::new(),
            highest_modseq: self.modseq,
            expunged: Vec::new(),
            keywords: BTreeSet::new(),
            recent_mark: Cell::new(0),
        }
    }

    fn account(&self, user: &str) -> Result<&Account, FolderError> {
        self.accounts
            .get(&key(user))
            .ok_or(FolderError::NoSuchAccount)
    }

    fn account_mut(&mut self, user: &str) -> Result<&mut Account, FolderError> {
        self.accounts
            .get_mut(&key(user))
            .ok_or(FolderError::NoSuchAccount)
    }

    fn account_entry(&mut self, user: &str) -> &mut Account {
        // A new account gets its INBOX (and a UIDVALIDITY) only when it is really new.
        let inbox = (!self.accounts.contains_key(&key(user))).then(|| self.new_folder());
        // The INBOX every account starts with is subscribed; folders created later are not
        // until a client subscribes them.
        self.accounts.entry(key(user)).or_insert_with(|| Account {
            password: String::new(),
            folders: inbox
                .map(|f| crate::tree::map([(INBOX.to_string(), f)]))
                .unwrap_or_default(),
            subscriptions: crate::tree::set([INBOX.to_string()]),
        })
    }

    /// RFC 5321 §2.4: the local part is case-sensitive in principle, but "SMTP
    /// implementations ... SHOULD avoid" relying on case; we match users case-insensitively.
    pub fn has_user(&self, user: &str) -> bool {
        self.accounts.contains_key(&key(user))
    }

    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.accounts.keys().map(String::as_str)
    }

    /// True if `user` exists and `password` is its (non-empty) password.
    pub fn check_password(&self, user: &str, password: &str) -> bool {
        self.verify_secret(user, |secret| secret == password)
    }

    /// True if `user` exists, has a password, and `check` accepts it: for schemes such as
    /// APOP that prove knowledge of the password without sending it.
    pub fn verify_secret(&self, user: &str, check: impl Fn(&str) -> bool) -> bool {
        self.accounts
            .get(&key(user))
            .is_some_and(|a| !a.password.is_empty() && check(&a.password))
    }

    /// Takes the POP3 lock on `user`'s mailbox; false if another session holds it.
    pub fn lock_for_pop3(&mut self, user: &str) -> bool {
        self.pop3_locks.insert(key(user))
    }

    pub fn unlock_for_pop3(&mut self, user: &str) {
        self.pop3_locks.remove(&key(user));
    }

    /// The store-wide modification sequence: it changes whenever anything changes.
    pub fn modseq(&self) -> u64 {
        self.modseq
    }

    /// Greylisting: false (try again later) the first time a triplet is seen, true after.
    pub fn greylist_passes(&mut self, triplet: &str) -> bool {
        !self.greylist.insert(triplet.to_ascii_lowercase())
    }

    /// Limits `user`'s stored octets (all folders); `None` removes the limit.
    pub fn set_quota(&mut self, user: &str, octets: Option<usize>) {
        match octets {
            Some(q) => self.quotas.insert(key(user), q),
            None => self.quotas.remove(&key(user)),
        };
    }

    /// True if `extra` more octets would take `user` over its quota.
    pub fn over_quota(&self, user: &str, extra: usize) -> bool {
        let Some(quota) = self.quotas.get(&key(user)) else {
            return false;
        };
        let used: usize = self
            .accounts
            .get(&key(user))
            .map(|a| {
                a.folders
                    .values()
                    .flat_map(|f| &f.messages)
                    .map(|m| m.bytes.len())
                    .sum()
            })
            .unwrap_or(0);
        used + extra > *quota
    }

    // ---- folders ----

    pub fn folder(&self, user: &str, name: &str) -> Option<&Folder> {
        self.accounts
            .get(&key(user))?
            .folders
            .get(&folder_name(name))
    }

    /// The names of `user`'s folders, INBOX first.
    pub fn folder_names(&self, user: &str) -> Vec<String> {
        self.accounts
            .get(&key(user))
            .map(|a| inbox_first(a.folders.keys()))
            .unwrap_or_default()
    }

    /// CREATE: the folder, and the superior names it needs. RFC 3501 §6.3.3: "an attempt
    /// to create "foo/bar/zap" on a server in which "/" is the hierarchy separator character
    /// SHOULD create foo/ and foo/bar/ if they do not already exist."
    pub fn create_folder(&mut self, user: &str, name: &str) -> Result<(), FolderError> {
        let name = new_folder_name(name)?;
        let folders = &self.account(user)?.folders;
        if folders.contains_key(&name) {
            return Err(FolderError::AlreadyExists);
        }
        let missing: Vec<String> = superiors(&name)
            .map(folder_name)
            .filter(|n| !folders.contains_key(n))
            .chain([name.clone()])
            .collect();
        self.add_folders(user, missing);
        Ok(())
    }

    /// New, empty folders of these names.
    fn add_folders(&mut self, user: &str, names: Vec<String>) {
        let new: Vec<(String, Folder)> =
            names.into_iter().map(|n| (n, self.new_folder())).collect();
        self.modseq += 1;
        if let Some(account) = self.accounts.get_mut(&key(user)) {
            account.folders.extend(new);
        }
    }

    /// DELETE. RFC 3501 §6.3.4: a folder with inferior names may be deleted -- "all
    /// messages in that mailbox are removed, and the name will acquire the \Noselect
    /// mailbox name attribute" -- but such a name, which is no folder, may not.
    pub fn delete_folder(&mut self, user: &str, name: &str) -> Result<(), FolderError> {
        let name = folder_name(name.trim_end_matches(DELIMITER));
        if name == INBOX {
            return Err(FolderError::InboxIsSpecial);
        }
        let account = self.account_mut(user)?;
        if account.folders.remove(&name).is_none() {
            let has_inferiors = inferiors(&account.folders, &name).next().is_some();
            return Err(if has_inferiors {
                FolderError::HasInferiors
            } else {
                FolderError::NoSuchFolder
            });
        }
        self.modseq += 1;
        Ok(())
    }

    /// RENAME (RFC 3501 §6.3.5): "If the name has inferior hierarchical names, then the
    /// inferior hierarchical names MUST also be renamed", and the server "SHOULD create any
    /// superior hierarchical names that are needed". Renaming INBOX moves its messages to a
    /// new folder and leaves INBOX empty, "inferior hierarchical names of INBOX ... are
    /// unaffected".
    pub fn rename_folder(&mut self, user: &str, from: &str, to: &str) -> Result<(), FolderError> {
        let from = folder_name(from.trim_end_matches(DELIMITER));
        let to = new_folder_name(to)?;
        let replacement = self.new_folder();
        let folders = &self.account(user)?.folders;
        if folders.contains_key(&to) {
            return Err(FolderError::AlreadyExists);
        }
        if from != INBOX && superiors(&to).any(|s| s == from) {
            return Err(FolderError::UnderItself);
        }
        // (old name, new name) of the folder and, but for INBOX, its inferiors.
        let mut moves: Vec<(String, String)> = Vec::new();
        if folders.contains_key(&from) {
            moves.push((from.clone(), to.clone()));
        }
        if from != INBOX {
            for old in inferiors(folders, &from) {
                let below = old.get(from.len()..).unwrap_or_default();
                moves.push((old.clone(), format!("{to}{below}")));
            }
        }
        if moves.is_empty() {
            return Err(FolderError::NoSuchFolder);
        }
        if moves.iter().any(|(_, new)| folders.contains_key(new)) {
            return Err(FolderError::AlreadyExists);
        }
        let missing: Vec<String> = superiors(&to)
            .map(folder_name)
            .filter(|n| !folders.contains_key(n))
            .collect();
        let account = self.account_mut(user)?;
        let moved: Vec<(String, Folder)> = moves
            .into_iter()
            .filter_map(|(old, new)| account.folders.remove(&old).map(|f| (new, f)))
            .collect();
        account.folders.extend(moved);
        if from == INBOX {
            account.folders.insert(INBOX.to_string(), replacement);
        }
        self.add_folders(user, missing);
        Ok(())
    }

    /// SUBSCRIBE (`true`) or UNSUBSCRIBE (`false`) `name`. RFC 3501 §6.3.6: "A server MAY
    /// validate the mailbox argument to SUBSCRIBE to verify that it exists"; this one does.
    /// Any subscribed name can be unsubscribed, whether or not its folder still exists.
    pub fn set_subscribed(
        &mut self,
        user: &str,
        name: &str,
        subscribed: bool,
    ) -> Result<(), FolderError> {
        let name = folder_name(name);
        let account = self.account_mut(user)?;
        if subscribed {
            if !account.folders.contains_key(&name) {
                return Err(FolderError::NoSuchFolder);
            }
            account.subscriptions.insert(name);
        } else {
            account.subscriptions.remove(&name);
        }
        Ok(())
    }

    /// Whether `user` subscribed `name` (which may no longer exist).
    pub fn is_subscribed(&self, user: &str, name: &str) -> bool {
        self.accounts
            .get(&key(user))
            .is_some_and(|a| a.subscriptions.contains(&folder_name(name)))
    }

    /// The names `user` subscribed, INBOX first; some may name no folder any more.
    pub fn subscriptions(&self, user: &str) -> Vec<String> {
        self.accounts
            .get(&key(user))
            .map(|a| inbox_first(&a.subscriptions))
            .unwrap_or_default()
    }

    fn folder_mut(&mut self, user: &str, name: &str) -> Result<&mut Folder, FolderError> {
        self.account_mut(user)?
            .folders
            .get_mut(&folder_name(name))
            .ok_or(FolderError::NoSuchFolder)
    }

    // ---- messages ----

    /// Appends a message to a folder with the given flags; returns its UID.
    pub fn append(
        &mut self,
        user: &str,
        folder: &str,
        return_path: &str,
        bytes: Vec<u8>,
        flags: BTreeSet<String>,
        internal_date: Option<i64>,
    ) -> Result<u32, FolderError> {
        let modseq = self.modseq + 1;
        let date = internal_date.unwrap_or(self.clock);
        let folder = self.folder_mut(user, folder)?;
        folder.learn_keywords(&flags);
        let uid = folder.uid_next;
        folder.uid_next = folder.uid_next.saturating_add(1);
        folder.messages.push(StoredMessage {
            uid,
            bytes,
            return_path: return_path.to_string(),
            flags,
            internal_date: date,
            modseq,
        });
        folder.highest_modseq = modseq;
        self.modseq = modseq;
        Ok(uid)
    }

    /// Delivers a message to `user`'s INBOX (no flags); its UID, or `None` if no such user.
    pub fn deliver(&mut self, user: &str, return_path: &str, bytes: Vec<u8>) -> Option<u32> {
        self.append(user, INBOX, return_path, bytes, BTreeSet::new(), None)
            .ok()
    }

    /// The messages of `user`'s INBOX.
    pub fn messages(&self, user: &str) -> &[StoredMessage] {
        self.folder(user, INBOX)
            .map(|f| f.messages.as_slice())
            .unwrap_or(&[])
    }

    pub fn uid_validity(&self, user: &str) -> Option<u32> {
        self.folder(user, INBOX).map(|f| f.uid_validity)
    }

    /// Replaces the flags of one message; returns its new modseq, or `None` if the flags
    /// were already so (nothing changed) or the message is gone.
    pub fn set_flags(
        &mut self,
        user: &str,
        folder: &str,
        uid: u32,
        flags: BTreeSet<String>,
    ) -> Option<u64> {
        let modseq = self.modseq + 1;
        let folder = self.folder_mut(user, folder).ok()?;
        let index = folder.messages.binary_search_by_key(&uid, |m| m.uid).ok()?;
        if folder.messages.get(index)?.flags == flags {
            return None;
        }
        folder.learn_keywords(&flags);
        let message = folder.messages.get_mut(index)?;
        message.flags = flags;
        message.modseq = modseq;
        folder.highest_modseq = modseq;
        self.modseq = modseq;
        Some(modseq)
    }

    /// Removes the messages with these UIDs from a folder; returns the UIDs removed.
    pub fn expunge_uids(&mut self, user: &str, folder: &str, uids: &[u32]) -> Vec<u32> {
        let modseq = self.modseq + 1;
        let Ok(folder) = self.folder_mut(user, folder) else {
            return Vec::new();
        };
        let doomed = crate::tree::set(uids.iter().copied());
        let removed: Vec<u32> = folder
            .messages
            .iter()
            .filter(|m| doomed.contains(&m.uid))
            .map(|m| m.uid)
            .collect();
        if removed.is_empty() {
            return removed;
        }
        folder.messages.retain(|m| !doomed.contains(&m.uid));
        folder
            .expunged
            .extend(removed.iter().map(|uid| (modseq, *uid)));
        folder.highest_modseq = modseq;
        self.modseq = modseq;
        removed
    }

    /// Removes messages from `user`'s INBOX by UID; returns how many went.
    pub fn expunge(&mut self, user: &str, uids: &[u32]) -> usize {
        self.expunge_uids(user, INBOX, uids).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_messages_get_increasing_uids() {
        let mut store = MailStore::new();
        store.add_user("Bob");
        assert_eq!(store.deliver("bob", "a@x", b"one\r\n".to_vec()), Some(1));
        assert_eq!(store.deliver("BOB", "a@x", b"two\r\n".to_vec()), Some(2));
        assert_eq!(store.messages("bob").len(), 2);
        // 1 for the empty INBOX, then one per delivery.
        assert_eq!(store.modseq(), 3);
        assert_eq!(store.deliver("carol", "a@x", Vec::new()), None);
    }

    #[test]
    fn pop3_locks_are_exclusive_and_expunge_removes_by_uid() {
        let mut store = MailStore::new();
        store.add_user("bob");
        assert!(store.lock_for_pop3("bob"));
        assert!(!store.lock_for_pop3("Bob"));
        store.unlock_for_pop3("bob");
        assert!(store.lock_for_pop3("bob"));
        for text in ["a", "b", "c"] {
            store.deliver("bob", "x@y", text.as_bytes().to_vec());
        }
        assert_eq!(store.expunge("bob", &[1, 3, 9]), 2);
        assert_eq!(
            store
                .messages("bob")
                .iter()
                .map(|m| m.uid)
                .collect::<Vec<_>>(),
            [2]
        );
        // New mail never reuses a UID (RFC 9051 §2.3.1.1).
        assert_eq!(store.deliver("bob", "x@y", Vec::new()), Some(4));
    }

    #[test]
    fn passwords_are_checked_and_an_empty_one_never_matches() {
        let mut store = MailStore::new();
        store.add_account("alice", "secret");
        store.add_user("bob");
        assert!(store.check_password("Alice", "secret"));
        assert!(!store.check_password("alice", "Secret"));
        assert!(!store.check_password("bob", ""));
        assert!(!store.check_password("carol", "secret"));
        // add_user keeps an existing password.
        store.add_user("alice");
        assert!(store.check_password("alice", "secret"));
    }

    #[test]
    fn folders_have_their_own_uids_and_validity_and_inbox_is_special() {
        let mut store = MailStore::new();
        store.add_user("bob");
        store.create_folder("bob", "Trash").unwrap();
        assert_eq!(
            store.create_folder("bob", "trash"),
            Ok(()),
            "names are case-sensitive except INBOX"
        );
        assert_eq!(
            store.create_folder("bob", "inbox"),
            Err(FolderError::AlreadyExists)
        );
        assert_eq!(store.folder_names("bob"), ["INBOX", "Trash", "trash"]);
        let v_inbox = store.folder("bob", "INBOX").unwrap().uid_validity;
        let v_trash = store.folder("bob", "Trash").unwrap().uid_validity;
        assert_ne!(v_inbox, v_trash);
        assert_eq!(
            store.delete_folder("bob", "Inbox"),
            Err(FolderError::InboxIsSpecial)
        );
        store.deliver("bob", "a@b", b"x\r\n".to_vec());
        store.rename_folder("bob", "INBOX", "Old").unwrap();
        assert_eq!(store.folder("bob", "Old").unwrap().messages.len(), 1);
        assert!(store.folder("bob", "INBOX").unwrap().messages.is_empty());
    }

    #[test]
    fn the_hierarchy_grows_with_create_and_moves_with_rename_but_not_under_inbox() {
        let mut store = MailStore::new();
        store.add_user("bob");
        store.create_folder("bob", "a/b/").unwrap();
        assert_eq!(store.folder_names("bob"), ["INBOX", "a", "a/b"]);
        store.create_folder("bob", "INBOX/x").unwrap();
        store.rename_folder("bob", "a", "z/a").unwrap();
        assert_eq!(
            store.folder_names("bob"),
            ["INBOX", "INBOX/x", "z", "z/a", "z/a/b"]
        );
        store.rename_folder("bob", "INBOX", "Old").unwrap();
        assert_eq!(
            store.folder_names("bob"),
            ["INBOX", "INBOX/x", "Old", "z", "z/a", "z/a/b"]
        );
        store.delete_folder("bob", "z").unwrap();
        assert_eq!(
            store.delete_folder("bob", "z"),
            Err(FolderError::HasInferiors)
        );
        assert_eq!(
            store.rename_folder("bob", "z/a", "z/a/c"),
            Err(FolderError::UnderItself)
        );
        assert_eq!(
            store.create_folder("bob", "a//b"),
            Err(FolderError::InvalidName)
        );
    }

    #[test]
    fn flags_and_expunges_bump_the_modseq() {
        let mut store = MailStore::new();
        store.add_user("bob");
        store.set_clock(1_700_000_000);
        let uid = store.deliver("bob", "a@b", b"x\r\n".to_vec()).unwrap();
        assert_eq!(store.messages("bob")[0].internal_date, 1_700_000_000);
        let flags = crate::tree::set(["\\Seen".to_string()]);
        let m1 = store.set_flags("bob", INBOX, uid, flags.clone()).unwrap();
        assert_eq!(
            store.set_flags("bob", INBOX, uid, flags),
            None,
            "no change, no modseq"
        );
        assert!(store.messages("bob")[0].has_flag("\\seen"));
        assert_eq!(store.expunge_uids("bob", INBOX, &[uid]), [uid]);
        let folder = store.folder("bob", INBOX).unwrap();
        assert!(folder.highest_modseq > m1);
        assert_eq!(folder.expunged, [(folder.highest_modseq, uid)]);
    }
}
