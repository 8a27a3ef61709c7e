//! FETCH and UID FETCH (RFC 9051 §6.4.5, §7.5.2), with CHANGEDSINCE (RFC 7162 §3.1.4.1).

#[cfg(feature = "mime-structure")]
use super::super::body;
use super::super::encode::{date_time, flag_list, literal, section_name};
use super::super::section::{self, Section, SectionText};
use super::super::types::{FetchItem, SequenceSet};
use super::{Completion, ImapServer, ServerEvent};
use crate::mime::LazyParsed;
use crate::store::MailStore;

impl ImapServer {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fetch_command(
        &mut self,
        tag: &str,
        name: &str,
        uid: bool,
        set: &SequenceSet,
        items: &[FetchItem],
        changed_since: Option<u64>,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        // RFC 9051 §6.4.5: BINARY that cannot be decoded fails the whole FETCH.
        #[cfg(feature = "imap4rev2")]
        if let Some(refusal) = self.binary_refusal(tag, uid, set, items, store) {
            return self.finish(store, uid, out, refusal);
        }
        self.fetch(uid, set, items, changed_since, store, out);
        self.finish(store, uid, out, Completion::done(tag, name));
    }

    /// The untagged FETCH responses, setting \Seen where a body is fetched without .PEEK.
    fn fetch(
        &mut self,
        uid_mode: bool,
        set: &SequenceSet,
        items: &[FetchItem],
        changed_since: Option<u64>,
        store: &mut MailStore,
        out: &mut Vec<u8>,
    ) {
        let user = self.account().to_string();
        let Some(sel) = self.phase.mailbox() else {
            return;
        };
        let (name, read_only) = (sel.name.clone(), sel.read_only);
        let wanted = sel.resolve(set, uid_mode);
        // A keyword that another session brought into the mailbox is announced in FLAGS
        // before a FETCH shows it (RFC 3501 §7.2.6), as after STORE and in updates.
        if let (Some(view), Some(folder)) = (self.phase.mailbox_mut(), store.folder(&user, &name)) {
            view.announce_keywords(folder, out);
        }
        let sets_seen = items.iter().any(|i| {
            matches!(
                i,
                FetchItem::BodySection { peek: false, .. }
                    | FetchItem::Rfc822
                    | FetchItem::Rfc822Text
            )
        });
        // RFC 9051 §6.4.5: BINARY without .PEEK sets \Seen as BODY does.
        #[cfg(feature = "imap4rev2")]
        let sets_seen = sets_seen
            || items
                .iter()
                .any(|i| matches!(i, FetchItem::Binary { peek: false, .. }));
        for (seq, uid) in wanted {
            // RFC 9051 §6.4.5: fetching a body without .PEEK sets \Seen.
            let mut flags_changed = false;
            if sets_seen && !read_only {
                if let Some(m) = store.folder(&user, &name).and_then(|f| f.message(uid)) {
                    if !m.has_flag("\\Seen") {
                        let mut flags = m.flags.clone();
                        flags.insert("\\Seen".to_string());
                        store.set_flags(&user, &name, uid, flags.clone());
                        self.events.push_back(ServerEvent::FlagsChanged {
                            mailbox: name.clone(),
                            uid,
                            flags,
                        });
                        flags_changed = true;
                    }
                }
            }
            // A message another session expunged is still in this client's view: no data.
            let Some(m) = store.folder(&user, &name).and_then(|f| f.message(uid)) else {
                continue;
            };
            if changed_since.is_some_and(|since| m.modseq <= since) {
                continue;
            }
            let mut parts: Vec<Vec<u8>> = Vec::new();
            // RFC 7162 §3.1: once CONDSTORE is on, "the server MUST automatically include
            // both UID and mod-sequence data in all subsequent untagged FETCH responses",
            // those of "a FETCH/UID FETCH that implicitly set the \Seen flag" included.
            let seen_under_condstore = flags_changed && self.condstore;
            if uid_mode || items.contains(&FetchItem::Uid) || seen_under_condstore {
                parts.push(format!("UID {uid}").into_bytes());
            }
            let wants_flags = items.contains(&FetchItem::Flags) || flags_changed;
            if wants_flags {
                let shown = match self.phase.mailbox() {
                    Some(sel) => sel.flags_of(uid, &m.flags),
                    None => flag_list(&m.flags),
                };
                parts.push(format!("FLAGS {shown}").into_bytes());
                if let Some(view) = self.phase.mailbox_mut() {
                    view.told_flags(seq, &m.flags);
                }
            }
            // CHANGEDSINCE enabled CONDSTORE (RFC 7162 §3.1), so its answers carry MODSEQ.
            if items.contains(&FetchItem::ModSeq) || changed_since.is_some() || seen_under_condstore
            {
                parts.push(format!("MODSEQ ({})", m.modseq).into_bytes());
            }
            let message = LazyParsed::new(&m.bytes);
            for item in items {
                if let Some(part) = data_item(item, &message, m.internal_date) {
                    parts.push(part);
                }
            }
            out.extend(format!("* {seq} FETCH (").bytes());
            out.extend(parts.join(&b' '));
            out.extend(b")\r\n");
        }
    }
}

/// One FETCH data item of a message (received at `internal_date`), for the items that do
/// not depend on the session (UID, FLAGS and MODSEQ do).
fn data_item(item: &FetchItem, message: &LazyParsed<'_>, internal_date: i64) -> Option<Vec<u8>> {
    let bytes = message.message();
    let whole_message = |text| {
        let section = Section {
            part: Vec::new(),
            text: Some(text),
        };
        section::section(message.get(), &section).unwrap_or_default()
    };
    Some(match item {
        FetchItem::Uid | FetchItem::Flags | FetchItem::ModSeq => return None,
        FetchItem::InternalDate => {
            format!("INTERNALDATE {}", date_time(internal_date)).into_bytes()
        }
        FetchItem::Rfc822Size => format!("RFC822.SIZE {}", bytes.len()).into_bytes(),
        #[cfg(feature = "mime-structure")]
        FetchItem::Envelope => format!("ENVELOPE {}", body::envelope(message.get())).into_bytes(),
        #[cfg(feature = "mime-structure")]
        FetchItem::Body => {
            format!("BODY {}", body::body_structure(message.get(), false)).into_bytes()
        }
        #[cfg(feature = "mime-structure")]
        FetchItem::BodyStructure => format!(
            "BODYSTRUCTURE {}",
            body::body_structure(message.get(), true)
        )
        .into_bytes(),
        FetchItem::Rfc822 => labelled("RFC822", bytes),
        FetchItem::Rfc822Header => labelled("RFC822.HEADER", &whole_message(SectionText::Header)),
        FetchItem::Rfc822Text => labelled("RFC822.TEXT", &whole_message(SectionText::Text)),
        #[cfg(feature = "imap4rev2")]
        FetchItem::Binary { .. } | FetchItem::BinarySize { .. } => {
            super::rev2::binary_item(message, item)
        }
        FetchItem::BodySection {
            section, partial, ..
        } => {
            let data = section::section(message.get(), section).unwrap_or_default();
            let name = format!("BODY[{}]", section_name(section));
            match partial {
                None => labelled(&name, &data),
                Some((origin, len)) => {
                    // RFC 9051 §6.4.5: <origin.length>; the response names the origin asked
                    // for, and the octets are what exists from there.
                    let slice = partial_range(&data, *origin, *len);
                    labelled(&format!("{name}<{origin}>"), slice)
                }
            }
        }
    })
}

/// The octets of `<origin.length>` (RFC 9051 §6.4.5): from `origin`, at most `len`, cut to
/// what exists.
pub(super) fn partial_range(data: &[u8], origin: u32, len: u32) -> &[u8] {
    let start = usize::try_from(origin)
        .unwrap_or(usize::MAX)
        .min(data.len());
    let end = start
        .saturating_add(usize::try_from(len).unwrap_or(usize::MAX))
        .min(data.len());
    data.get(start..end).unwrap_or_default()
}

/// `NAME {n}\r\n<octets>` or `NAME "..."` as a FETCH data item.
fn labelled(name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("{name} ").into_bytes();
    out.extend(literal(data));
    out
}
