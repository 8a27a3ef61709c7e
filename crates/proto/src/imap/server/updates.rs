//! What this session's client knows of the selected mailbox, and telling it what changed
//! since: untagged EXPUNGE, EXISTS, RECENT and FETCH FLAGS for what other sessions (or this
//! one) did (RFC 9051 §7.5.1), before a command completes, or at once during IDLE
//! (RFC 2177).

use std::collections::BTreeSet;

use super::super::encode::flag_list;
use super::super::types::SequenceSet;
use super::{Completion, ImapServer, ServerEvent};
use crate::store::{Folder, MailStore, StoredMessage};

/// This session's view of the selected mailbox.
#[derive(Debug, Clone)]
pub(super) struct MailboxView {
    pub(super) name: String,
    pub(super) read_only: bool,
    /// UIDs by message sequence number (index + 1), as this client knows them.
    pub(super) uids: Vec<u32>,
    /// The flags this client was last told, parallel to `uids`.
    flags: Vec<BTreeSet<String>>,
    /// RFC 3501 §2.3.2: the messages that are \Recent in this session.
    pub(super) recent: BTreeSet<u32>,
    /// The keywords the last FLAGS response named (RFC 3501 §7.2.6).
    pub(super) keywords: BTreeSet<String>,
    /// The search result variable "$" (RFC 9051 §6.4.4.1), as UIDs: an expunge then takes a
    /// message out of it by itself, and it means the same in SEARCH and UID SEARCH. It goes
    /// with the mailbox: SELECT, EXAMINE, CLOSE and UNSELECT forget it.
    #[cfg(feature = "imap4rev2")]
    pub(super) saved: Vec<u32>,
}

impl MailboxView {
    pub(super) fn new(
        name: &str,
        read_only: bool,
        uids: Vec<u32>,
        flags: Vec<BTreeSet<String>>,
        recent: BTreeSet<u32>,
    ) -> Self {
        MailboxView {
            name: name.to_string(),
            read_only,
            uids,
            flags,
            recent,
            keywords: BTreeSet::new(),
            #[cfg(feature = "imap4rev2")]
            saved: Vec::new(),
        }
    }

    /// A message's flags as this session shows them: the stored ones, and \Recent if the
    /// message is recent here.
    pub(super) fn flags_of(&self, uid: u32, stored: &BTreeSet<String>) -> String {
        if self.recent.contains(&uid) {
            let mut all = stored.clone();
            all.insert("\\Recent".to_string());
            flag_list(&all)
        } else {
            flag_list(stored)
        }
    }

    /// The client has now been told these flags of message number `seq`.
    pub(super) fn told_flags(&mut self, seq: usize, flags: &BTreeSet<String>) {
        if let Some(known) = seq.checked_sub(1).and_then(|i| self.flags.get_mut(i)) {
            *known = flags.clone();
        }
    }

    /// (sequence number, UID) of the messages in `set`, of UIDs when `uid_mode`, in this
    /// client's view.
    pub(super) fn resolve(&self, set: &SequenceSet, uid_mode: bool) -> Vec<(usize, u32)> {
        let largest = if uid_mode {
            self.uids.last().copied().unwrap_or(0)
        } else {
            u32::try_from(self.uids.len()).unwrap_or(u32::MAX)
        };
        self.uids
            .iter()
            .enumerate()
            .filter(|(i, uid)| {
                let n = if uid_mode {
                    **uid
                } else {
                    u32::try_from(i + 1).unwrap_or(u32::MAX)
                };
                set.contains(n, largest)
            })
            .map(|(i, uid)| (i + 1, *uid))
            .collect()
    }

    /// A new FLAGS response when a keyword appeared in the mailbox since the client was last
    /// told (RFC 3501 §7.2.6: "The update from the FLAGS response MUST be recorded by the
    /// client"), so that no FETCH shows it a flag FLAGS never named.
    pub(super) fn announce_keywords(&mut self, folder: &Folder, out: &mut Vec<u8>) {
        if self.keywords != folder.keywords {
            self.keywords = folder.keywords.clone();
            out.extend(flag_lines(&self.keywords, self.read_only, false).bytes());
        }
    }

    /// The untagged responses that bring the client up to date with `folder`, and the view
    /// with them.
    fn catch_up(
        &mut self,
        folder: &Folder,
        allow_expunge: bool,
        condstore: bool,
        rev2_session: bool,
        out: &mut Vec<u8>,
    ) {
        self.announce_keywords(folder, out);
        if allow_expunge {
            // RFC 9051 §7.5.1: each EXPUNGE renumbers the ones after it, so the numbers
            // are sent in order with the shift applied (§6.4.3's 3, 3, 5, 8).
            let mut i = 0;
            while i < self.uids.len() {
                let uid = self.uids.get(i).copied().unwrap_or_default();
                if folder.message(uid).is_some() {
                    i += 1;
                } else {
                    out.extend(format!("* {} EXPUNGE\r\n", i + 1).bytes());
                    self.recent.remove(&uid);
                    self.uids.remove(i);
                    self.flags.remove(i);
                }
            }
        }
        let last = self.uids.last().copied().unwrap_or(0);
        let new: Vec<&StoredMessage> = folder.messages.iter().filter(|m| m.uid > last).collect();
        if !new.is_empty() {
            for m in &new {
                self.uids.push(m.uid);
                self.flags.push(m.flags.clone());
            }
            let arrived: Vec<u32> = new.iter().map(|m| m.uid).collect();
            let claimed = folder.claim_recent(&arrived, self.read_only);
            // RFC 9051 has no \Recent; the messages are still claimed, so that IMAP4rev1
            // sessions do not see them as recent either.
            if !rev2_session {
                self.recent.extend(claimed);
            }
            out.extend(format!("* {} EXISTS\r\n", self.uids.len()).bytes());
        }
        // RFC 3501 §7.3.2: the RECENT count follows new mail. Not after expunges: the
        // RFCs' own EXPUNGE examples (RFC 3501 and 9051 §6.4.3) send none, and a client
        // can count for itself which recent messages went.
        if !new.is_empty() && !rev2_session {
            out.extend(format!("* {} RECENT\r\n", self.recent.len()).bytes());
        }
        for (i, uid) in self.uids.iter().enumerate() {
            let Some(m) = folder.message(*uid) else {
                continue;
            };
            if self.flags.get(i) != Some(&m.flags) {
                if let Some(known) = self.flags.get_mut(i) {
                    *known = m.flags.clone();
                }
                let modseq = if condstore {
                    format!(" MODSEQ ({})", m.modseq)
                } else {
                    String::new()
                };
                out.extend(
                    format!(
                        "* {} FETCH (UID {uid} FLAGS {}{modseq})\r\n",
                        i + 1,
                        self.flags_of(*uid, &m.flags)
                    )
                    .bytes(),
                );
            }
        }
    }
}

/// `* FLAGS` with the system flags and the mailbox's keywords (RFC 3501 §7.2.6), and, but in
/// a read-only mailbox whose update leaves it out, `* OK [PERMANENTFLAGS ...]` (§7.1): those
/// a client may set, keywords new and old (`\*`) among them.
pub(super) fn flag_lines(keywords: &BTreeSet<String>, read_only: bool, selecting: bool) -> String {
    let mut flags = String::from("\\Answered \\Flagged \\Deleted \\Seen \\Draft");
    for keyword in keywords {
        flags.push(' ');
        flags.push_str(keyword);
    }
    let mut lines = format!("* FLAGS ({flags})\r\n");
    if !read_only {
        lines.push_str(&format!(
            "* OK [PERMANENTFLAGS ({flags} \\*)] Flags permitted\r\n"
        ));
    } else if selecting {
        lines.push_str("* OK [PERMANENTFLAGS ()] Flags permitted\r\n");
    }
    lines
}

impl ImapServer {
    /// Untagged responses for what other sessions (or this one) changed since the client
    /// was last told: EXPUNGE (when allowed), EXISTS, FETCH FLAGS.
    pub(super) fn updates(&mut self, store: &MailStore, allow_expunge: bool, out: &mut Vec<u8>) {
        let (condstore, rev2_session) = (self.condstore, self.rev2_session());
        let Some((user, view)) = self.phase.user_and_mailbox_mut() else {
            return;
        };
        let Some(folder) = store.folder(user, &view.name) else {
            return;
        };
        view.catch_up(folder, allow_expunge, condstore, rev2_session, out);
    }

    /// IDLE (RFC 2177): what happened before it comes first, as in §3's example; from now on
    /// changes are sent as they happen.
    pub(super) fn idle(&mut self, tag: &str, store: &MailStore, out: &mut Vec<u8>) {
        self.updates(store, true, out);
        self.phase.idle(tag);
        self.events.push_back(ServerEvent::IdleStarted);
        out.extend(b"+ idling\r\n");
    }

    /// The line that ends IDLE: DONE, or anything else, which ends it too, with BAD.
    pub(super) fn idle_done(&mut self, line: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let Some(tag) = self.phase.end_idle() else {
            return out;
        };
        self.events.push_back(ServerEvent::IdleEnded);
        let done = if line.eq_ignore_ascii_case("DONE") {
            Completion::ok(&tag).text("IDLE terminated")
        } else {
            Completion::bad(&tag).text("Expected DONE")
        };
        done.write_to(&mut out);
        out
    }
}
