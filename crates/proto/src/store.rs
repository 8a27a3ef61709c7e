//! The server-side mail store: one mailbox per user, messages with UIDs, and a change counter
//! so that every session can learn what other sessions did.

use std::collections::{BTreeMap, BTreeSet};

/// One message as stored: its UID (RFC 9051 §2.3.1.1, never reused in a mailbox) and octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub uid: u32,
    pub bytes: Vec<u8>,
    /// The envelope sender given in SMTP `MAIL FROM`, kept as a `Return-Path` would be.
    pub return_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Mailbox {
    /// The account's password, checked by SMTP AUTH, POP3 and IMAP logins.
    password: String,
    uid_validity: u32,
    uid_next: u32,
    messages: Vec<StoredMessage>,
}

/// Every user's mailbox on one server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailStore {
    mailboxes: BTreeMap<String, Mailbox>,
    /// Bumped on every change; sessions compare it with what they last reported.
    modseq: u64,
    /// Mailboxes held by a POP3 session (RFC 1939 §8: exclusive access while in use).
    pop3_locks: BTreeSet<String>,
}

impl MailStore {
    pub fn new() -> Self {
        MailStore::default()
    }

    /// Creates an empty mailbox for `user` (the local part of its address), if it has none.
    pub fn add_user(&mut self, user: &str) {
        self.mailbox_entry(user);
    }

    /// Creates `user` if needed and sets its password (an empty one never authenticates).
    pub fn add_account(&mut self, user: &str, password: &str) {
        self.mailbox_entry(user).password = password.to_string();
    }

    fn mailbox_entry(&mut self, user: &str) -> &mut Mailbox {
        let uid_validity = u32::try_from(self.mailboxes.len())
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1);
        self.mailboxes
            .entry(user.to_ascii_lowercase())
            .or_insert(Mailbox {
                password: String::new(),
                uid_validity,
                uid_next: 1,
                messages: Vec::new(),
            })
    }

    /// True if `user` exists and `password` is its (non-empty) password.
    pub fn check_password(&self, user: &str, password: &str) -> bool {
        self.verify_secret(user, |secret| secret == password)
    }

    /// True if `user` exists, has a password, and `check` accepts it: for schemes such as
    /// APOP that prove knowledge of the password without sending it.
    pub fn verify_secret(&self, user: &str, check: impl Fn(&str) -> bool) -> bool {
        self.mailboxes
            .get(&user.to_ascii_lowercase())
            .is_some_and(|m| !m.password.is_empty() && check(&m.password))
    }

    /// Takes the POP3 lock on `user`'s mailbox; false if another session holds it.
    pub fn lock_for_pop3(&mut self, user: &str) -> bool {
        self.pop3_locks.insert(user.to_ascii_lowercase())
    }

    pub fn unlock_for_pop3(&mut self, user: &str) {
        self.pop3_locks.remove(&user.to_ascii_lowercase());
    }

    /// Removes the messages with these UIDs from `user`'s mailbox; returns how many went.
    pub fn expunge(&mut self, user: &str, uids: &[u32]) -> usize {
        let Some(mailbox) = self.mailboxes.get_mut(&user.to_ascii_lowercase()) else {
            return 0;
        };
        let before = mailbox.messages.len();
        mailbox.messages.retain(|m| !uids.contains(&m.uid));
        let removed = before - mailbox.messages.len();
        if removed > 0 {
            self.modseq += 1;
        }
        removed
    }

    /// RFC 5321 §2.4: the local part is case-sensitive in principle, but "SMTP
    /// implementations ... SHOULD avoid" relying on case; we match users case-insensitively.
    pub fn has_user(&self, user: &str) -> bool {
        self.mailboxes.contains_key(&user.to_ascii_lowercase())
    }

    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.mailboxes.keys().map(String::as_str)
    }

    /// Appends a message to `user`'s mailbox and returns its UID, or `None` if there is no
    /// such mailbox.
    pub fn deliver(&mut self, user: &str, return_path: &str, bytes: Vec<u8>) -> Option<u32> {
        let mailbox = self.mailboxes.get_mut(&user.to_ascii_lowercase())?;
        let uid = mailbox.uid_next;
        mailbox.uid_next = mailbox.uid_next.saturating_add(1);
        mailbox.messages.push(StoredMessage {
            uid,
            bytes,
            return_path: return_path.to_string(),
        });
        self.modseq += 1;
        Some(uid)
    }

    pub fn messages(&self, user: &str) -> &[StoredMessage] {
        self.mailboxes
            .get(&user.to_ascii_lowercase())
            .map(|m| m.messages.as_slice())
            .unwrap_or(&[])
    }

    pub fn uid_validity(&self, user: &str) -> Option<u32> {
        self.mailboxes
            .get(&user.to_ascii_lowercase())
            .map(|m| m.uid_validity)
    }

    pub fn modseq(&self) -> u64 {
        self.modseq
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
        assert_eq!(store.modseq(), 2);
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
    }
}
