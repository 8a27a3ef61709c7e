//! Commands that change messages: STORE (RFC 9051 §6.4.6, with UNCHANGEDSINCE, RFC 7162
//! §3.1.3), EXPUNGE and UID EXPUNGE (§6.4.3, §6.4.9), and, with the `mailboxes` feature,
//! COPY (§6.4.7) and MOVE (RFC 6851), answered with COPYUID (RFC 4315).

use std::collections::BTreeSet;

use super::super::encode::flag_list;
use super::super::types::{SequenceSet, StoreMode};
use super::{Completion, ImapServer, ServerEvent};
use crate::store::MailStore;

impl ImapServer {
    /// The selected mailbox was opened with EXAMINE.
    fn read_only(&self) -> bool {
        self.phase.mailbox().is_some_and(|s| s.read_only)
    }

    pub(super) fn expunge_command(
        &mut self,
        tag: &str,
        name: &str,
        uids: Option<&SequenceSet>,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        if self.read_only() {
            return Completion::read_only(tag).write_to(out);
        }
        self.expunge(uids, store);
        self.finish(store, true, out, Completion::done(tag, name));
    }

    /// Removes \Deleted messages (only those in `uids`, if given) from the selected mailbox.
    /// The EXPUNGE responses come from [`Self::updates`] when the command allows them.
    pub(super) fn expunge(&mut self, uids: Option<&SequenceSet>, store: &mut MailStore) {
        let user = self.account().to_string();
        let Some(sel) = self.phase.mailbox() else {
            return;
        };
        if sel.read_only {
            return;
        }
        let name = sel.name.clone();
        let largest = sel.uids.last().copied().unwrap_or(0);
        let doomed: Vec<u32> = store
            .folder(&user, &name)
            .map(|f| {
                f.messages
                    .iter()
                    .filter(|m| {
                        m.has_flag("\\Deleted")
                            && uids.is_none_or(|set| set.contains(m.uid, largest))
                    })
                    .map(|m| m.uid)
                    .collect()
            })
            .unwrap_or_default();
        let removed = store.expunge_uids(&user, &name, &doomed);
        if !removed.is_empty() {
            self.events.push_back(ServerEvent::MessagesExpunged {
                mailbox: name,
                uids: removed,
            });
        }
    }

    /// STORE and UID STORE: the new flags are reported unless .SILENT; messages changed
    /// since UNCHANGEDSINCE are left alone and named in [MODIFIED].
    #[allow(clippy::too_many_arguments)]
    pub(super) fn store_command(
        &mut self,
        tag: &str,
        name: &str,
        uid_mode: bool,
        set: &SequenceSet,
        mode: StoreMode,
        silent: bool,
        flags: &[String],
        unchanged_since: Option<u64>,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        if self.read_only() {
            return Completion::read_only(tag).write_to(out);
        }
        let user = self.account().to_string();
        let Some(sel) = self.phase.mailbox() else {
            return self.finish(store, uid_mode, out, Completion::done(tag, name));
        };
        let mailbox = sel.name.clone();
        let wanted = sel.resolve(set, uid_mode);
        let given = crate::tree::set(flags.iter().filter(|f| *f != "\\Recent").cloned());
        let mut modified = Vec::new();
        let mut fetches = Vec::new();
        for (seq, uid) in wanted {
            let Some(m) = store.folder(&user, &mailbox).and_then(|f| f.message(uid)) else {
                continue;
            };
            // RFC 7162 §3.1.3: a message changed since the client's modseq is left alone,
            // and "UNCHANGEDSINCE with a modification sequence of 0 always fails".
            if unchanged_since.is_some_and(|u| u == 0 || m.modseq > u) {
                modified.push(if uid_mode {
                    uid
                } else {
                    u32::try_from(seq).unwrap_or(u32::MAX)
                });
                continue;
            }
            let new: BTreeSet<String> = match mode {
                StoreMode::Replace => given.clone(),
                StoreMode::Add => crate::tree::set(m.flags.union(&given).cloned()),
                StoreMode::Remove => crate::tree::set(m.flags.difference(&given).cloned()),
            };
            if store.set_flags(&user, &mailbox, uid, new.clone()).is_some() {
                self.events.push_back(ServerEvent::FlagsChanged {
                    mailbox: mailbox.clone(),
                    uid,
                    flags: new.clone(),
                });
            }
            if let Some(view) = self.phase.mailbox_mut() {
                view.told_flags(seq, &new);
            }
            let uid_part = if uid_mode {
                format!("UID {uid} ")
            } else {
                String::new()
            };
            let modseq = store
                .folder(&user, &mailbox)
                .and_then(|f| f.message(uid))
                .map(|m| m.modseq)
                .filter(|_| self.condstore);
            let shown = match self.phase.mailbox() {
                Some(sel) => sel.flags_of(uid, &new),
                None => flag_list(&new),
            };
            let line = match (silent, modseq) {
                (false, Some(ms)) => Some(format!(
                    "* {seq} FETCH ({uid_part}FLAGS {shown} MODSEQ ({ms}))"
                )),
                (false, None) => Some(format!("* {seq} FETCH ({uid_part}FLAGS {shown})")),
                // RFC 7162 §3.1.3: even .SILENT reports the new modseq to a CONDSTORE client.
                (true, Some(ms)) => Some(format!("* {seq} FETCH ({uid_part}MODSEQ ({ms}))")),
                (true, None) => None,
            };
            if let Some(line) = line {
                fetches.extend(line.bytes());
                fetches.extend(b"\r\n");
            }
        }
        // A keyword new to the mailbox is announced before the FETCH that shows it.
        if let (Some(view), Some(folder)) =
            (self.phase.mailbox_mut(), store.folder(&user, &mailbox))
        {
            view.announce_keywords(folder, out);
        }
        out.extend(fetches);
        let done = if modified.is_empty() {
            Completion::done(tag, name)
        } else {
            let list: Vec<String> = modified.iter().map(u32::to_string).collect();
            Completion::ok(tag)
                .code(format!("MODIFIED {}", list.join(",")))
                .text("Conditional STORE failed")
        };
        self.finish(store, uid_mode, out, done);
    }

    /// COPY and MOVE (`remove`), by message number or UID.
    #[cfg(feature = "mailboxes")]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn copy(
        &mut self,
        tag: &str,
        uid_mode: bool,
        set: &SequenceSet,
        target: &str,
        remove: bool,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        let user = self.account().to_string();
        let Some(sel) = self.phase.mailbox() else {
            return;
        };
        let source = sel.name.clone();
        let wanted = sel.resolve(set, uid_mode);
        let verb = if remove { "MOVE" } else { "COPY" };
        if remove && self.read_only() {
            return Completion::read_only(tag).write_to(out);
        }
        let Some(validity) = store.folder(&user, target).map(|f| f.uid_validity) else {
            return Completion::try_create(tag).write_to(out);
        };
        let mut pairs = Vec::new();
        for (_, uid) in wanted {
            let Some(m) = store
                .folder(&user, &source)
                .and_then(|f| f.message(uid))
                .cloned()
            else {
                continue;
            };
            if let Ok(new_uid) = store.append(
                &user,
                target,
                &m.return_path,
                m.bytes,
                m.flags,
                Some(m.internal_date),
            ) {
                pairs.push((uid, new_uid));
            }
        }
        if pairs.is_empty() {
            let done = Completion::ok(tag).text(format!("{verb} completed (nothing matched)"));
            return self.finish(store, uid_mode, out, done);
        }
        // RFC 4315 §3: COPYUID maps the source UIDs to the new ones, in the same order. Both
        // ascend, so consecutive ones become ranges (a COPY of 1:* is a short line).
        let from: Vec<u32> = pairs.iter().map(|(a, _)| *a).collect();
        let to: Vec<u32> = pairs.iter().map(|(_, b)| *b).collect();
        let copyuid = format!(
            "COPYUID {validity} {} {}",
            SequenceSet::of(&from),
            SequenceSet::of(&to)
        );
        self.events.push_back(ServerEvent::MessagesCopied {
            from: source.clone(),
            to: target.to_string(),
            uids: from.clone(),
            moved: remove,
        });
        if remove {
            // RFC 6851 §3.3: COPYUID in an untagged OK, then the EXPUNGEs, then the tagged OK.
            out.extend(format!("* OK [{copyuid}] Moved\r\n").bytes());
            store.expunge_uids(&user, &source, &from);
            self.finish(store, true, out, Completion::done(tag, "MOVE"));
        } else {
            let done = Completion::ok(tag).code(copyuid).text("COPY completed");
            self.finish(store, uid_mode, out, done);
        }
    }
}
