//! Mailbox commands (RFC 9051 §6.3, §6.4.1-2): SELECT and EXAMINE for both revisions,
//! CLOSE and UNSELECT, and, with the `mailboxes` feature, CREATE, DELETE, RENAME,
//! SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, NAMESPACE, STATUS and APPEND.

use std::collections::BTreeSet;

#[cfg(feature = "mailboxes")]
use super::super::encode::astring;
#[cfg(feature = "mailboxes")]
use super::super::types::{AppendMessage, SequenceSet, StatusItem};
use super::updates::flag_lines;
use super::{Completion, ImapServer, MailboxView, ServerEvent};
use crate::store::MailStore;
#[cfg(feature = "mailboxes")]
use crate::store::{Folder, FolderError};

impl ImapServer {
    /// SELECT and EXAMINE. After ENABLE IMAP4rev2 (RFC 9051 §6.3.2, Appendix E items 9-12):
    /// [CLOSED] when a mailbox was selected, no RECENT and no [UNSEEN], and a LIST response
    /// for the mailbox.
    pub(super) fn select(
        &mut self,
        tag: &str,
        mailbox: &str,
        read_only: bool,
        condstore: bool,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        let rev2 = self.rev2_session();
        // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected. The saved search
        // result goes with the mailbox (§6.4.4.1), in an IMAP4rev1 session too.
        let closed = self.phase.deselect();
        // "When deselecting a selected mailbox, the server MUST return an untagged OK
        // response with the "[CLOSED]" response code" -- a SELECT that then fails has
        // deselected it too.
        if closed && rev2 {
            out.extend(b"* OK [CLOSED] Previous mailbox is now closed\r\n");
        }
        let Some(folder) = store.folder(self.account(), mailbox) else {
            return Completion::nonexistent(tag).write_to(out);
        };
        // RFC 7162 §3.1.2: SELECT (CONDSTORE) enables CONDSTORE for the session.
        self.condstore |= condstore;
        let uids: Vec<u32> = folder.messages.iter().map(|m| m.uid).collect();
        let flags: Vec<BTreeSet<String>> =
            folder.messages.iter().map(|m| m.flags.clone()).collect();
        // IMAP4rev2 has no \Recent; its sessions claim the messages all the same, so that
        // IMAP4rev1 sessions do not see them as recent either.
        let claimed = folder.claim_recent(&uids, read_only);
        let recent: BTreeSet<u32> = if rev2 {
            BTreeSet::new()
        } else {
            crate::tree::set(claimed)
        };
        let flag_lines = flag_lines(&folder.keywords, read_only, true);
        let exists = format!("* {} EXISTS\r\n", uids.len());
        let uid_lines = format!(
            "* OK [UIDVALIDITY {}] UIDs valid\r\n* OK [UIDNEXT {}] Predicted next UID\r\n",
            folder.uid_validity, folder.uid_next
        );
        // Each revision in the order of its RFC's example.
        if rev2 {
            out.extend(
                exists
                    .bytes()
                    .chain(uid_lines.bytes())
                    .chain(flag_lines.bytes()),
            );
        } else {
            out.extend(flag_lines.bytes().chain(exists.bytes()));
            out.extend(format!("* {} RECENT\r\n", recent.len()).bytes());
            if let Some(first) = folder.messages.iter().position(|m| !m.has_flag("\\Seen")) {
                out.extend(format!("* OK [UNSEEN {}] First unseen\r\n", first + 1).bytes());
            }
            out.extend(uid_lines.bytes());
        }
        if self.condstore {
            out.extend(
                format!("* OK [HIGHESTMODSEQ {}] Highest\r\n", folder.highest_modseq).bytes(),
            );
        }
        #[cfg(feature = "imap4rev2")]
        if rev2 {
            out.extend(super::rev2::list_line(
                &super::rev2::attributes(&[], mailbox),
                mailbox,
                false,
            ));
        }
        let access = if read_only { "READ-ONLY" } else { "READ-WRITE" };
        let name = if read_only { "EXAMINE" } else { "SELECT" };
        Completion::ok(tag)
            .code(access)
            .text(format!("{name} completed"))
            .write_to(out);
        self.events.push_back(ServerEvent::MailboxSelected {
            mailbox: mailbox.to_string(),
            exists: uids.len(),
            read_only,
        });
        let mut view = MailboxView::new(mailbox, read_only, uids, flags, recent);
        view.keywords = folder.keywords.clone();
        self.phase.select(view);
    }

    /// CLOSE (`expunge`: RFC 9051 §6.4.1 removes \Deleted messages silently) and UNSELECT
    /// (RFC 3691): back to the authenticated state.
    pub(super) fn close_mailbox(
        &mut self,
        tag: &str,
        name: &str,
        expunge: bool,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        if expunge {
            self.expunge(None, store);
        }
        // RFC 5182 §2.1: the saved search result is forgotten with the mailbox.
        self.phase.deselect();
        Completion::done(tag, name).write_to(out);
    }

    /// CREATE, DELETE, RENAME, SUBSCRIBE and UNSUBSCRIBE: `change` acts on the user's
    /// mailboxes in the store.
    #[cfg(feature = "mailboxes")]
    pub(super) fn change_folder(
        &mut self,
        tag: &str,
        name: &str,
        store: &mut MailStore,
        out: &mut Vec<u8>,
        change: impl FnOnce(&mut MailStore, &str) -> Result<(), FolderError>,
    ) {
        match change(store, self.account()) {
            Ok(()) => self.finish(store, true, out, Completion::done(tag, name)),
            Err(e) => {
                let refusal = match e {
                    FolderError::AlreadyExists => Completion::no(tag)
                        .code("ALREADYEXISTS")
                        .text("Mailbox already exists"),
                    FolderError::NoSuchFolder | FolderError::NoSuchAccount => {
                        Completion::nonexistent(tag)
                    }
                    FolderError::InboxIsSpecial => Completion::no(tag)
                        .code("CANNOT")
                        .text("INBOX cannot be deleted"),
                    // HASCHILDREN, RFC 9051 §7.1's code for a mailbox that cannot be
                    // deleted for its children.
                    FolderError::HasInferiors => Completion::no(tag)
                        .code("HASCHILDREN")
                        .text("Name has inferior hierarchical names (RFC 3501 section 6.3.4)"),
                    FolderError::InvalidName => Completion::no(tag)
                        .code("CANNOT")
                        .text("Invalid mailbox name: a level of the hierarchy is empty"),
                    FolderError::UnderItself => Completion::no(tag)
                        .code("CANNOT")
                        .text("A mailbox cannot be renamed to a name under itself"),
                };
                refusal.write_to(out);
            }
        }
    }

    #[cfg(feature = "mailboxes")]
    pub(super) fn namespace(&mut self, tag: &str, store: &MailStore, out: &mut Vec<u8>) {
        out.extend(b"* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
        self.finish(store, true, out, Completion::done(tag, "NAMESPACE"));
    }

    #[cfg(feature = "mailboxes")]
    pub(super) fn status(
        &mut self,
        tag: &str,
        mailbox: &str,
        items: &[StatusItem],
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        let Some(folder) = store.folder(self.account(), mailbox) else {
            return Completion::nonexistent(tag).write_to(out);
        };
        out.extend(status_response(mailbox, folder, items));
        self.finish(store, true, out, Completion::done(tag, "STATUS"));
    }

    /// APPEND of one message or several (MULTIAPPEND, RFC 3502 §6.3.11): "If the append is
    /// unsuccessful for any reason (including being cancelled), the mailbox MUST be restored
    /// to its state before the APPEND attempt", so every check comes before the first message
    /// is stored. "A zero-length message literal argument is an error, and MUST return a NO.
    /// This can be used to cancel the append."
    #[cfg(feature = "mailboxes")]
    pub(super) fn append(
        &mut self,
        tag: &str,
        mailbox: &str,
        messages: Vec<AppendMessage>,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        let user = self.account().to_string();
        // RFC 9051 §6.3.12: TRYCREATE when the target does not exist.
        let Some(validity) = store.folder(&user, mailbox).map(|f| f.uid_validity) else {
            return Completion::try_create(tag).write_to(out);
        };
        if let Some(i) = messages.iter().position(|m| m.message.is_empty()) {
            return Completion::no(tag)
                .text(format!(
                    "APPEND cancelled: message {} is empty (RFC 3502), nothing was appended",
                    i + 1
                ))
                .write_to(out);
        }
        let mut uids = Vec::new();
        for m in messages {
            let flags = crate::tree::set(m.flags.into_iter().filter(|f| f != "\\Recent"));
            // The folder exists, so storing cannot fail part way.
            if let Ok(uid) = store.append(&user, mailbox, "", m.message, flags, m.date) {
                self.events.push_back(ServerEvent::MessageAppended {
                    mailbox: mailbox.to_string(),
                    uid,
                });
                uids.push(uid);
            }
        }
        // RFC 4315 §3: APPENDUID tells the client the new messages' UIDs, as a set in the
        // order sent when there are several (RFC 3502, "MULTIAPPEND Interaction with UIDPLUS").
        let done = Completion::ok(tag)
            .code(format!("APPENDUID {validity} {}", SequenceSet::of(&uids)))
            .text("APPEND completed");
        self.finish(store, true, out, done);
    }
}

/// `* STATUS mailbox (item value ...)` (RFC 9051 §7.3.3), for STATUS and LIST-STATUS.
#[cfg(feature = "mailboxes")]
pub(super) fn status_response(mailbox: &str, folder: &Folder, items: &[StatusItem]) -> Vec<u8> {
    let values: Vec<String> = items
        .iter()
        .map(|item| {
            let n = match item {
                StatusItem::Messages => folder.messages.len() as u64,
                StatusItem::Recent => folder.unclaimed_recent() as u64,
                StatusItem::UidNext => u64::from(folder.uid_next),
                StatusItem::UidValidity => u64::from(folder.uid_validity),
                StatusItem::Unseen => folder
                    .messages
                    .iter()
                    .filter(|m| !m.has_flag("\\Seen"))
                    .count() as u64,
                StatusItem::Size => folder.messages.iter().map(|m| m.bytes.len() as u64).sum(),
                StatusItem::HighestModSeq => folder.highest_modseq,
                #[cfg(feature = "imap4rev2")]
                StatusItem::Deleted => super::rev2::deleted(folder),
            };
            format!("{} {n}", item.name())
        })
        .collect();
    let mut line = b"* STATUS ".to_vec();
    line.extend(astring(mailbox));
    line.extend(format!(" ({})\r\n", values.join(" ")).bytes());
    line
}
