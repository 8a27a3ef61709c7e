//! LIST and LSUB (RFC 3501 §6.3.8-9, RFC 9051 §6.3.9) over the hierarchy of mailbox names:
//! which names a pattern matches, which levels of the hierarchy are only the parents of
//! other mailboxes (shown `\Noselect`), and which names have children.

use std::collections::BTreeSet;

use super::super::encode::astring;
use super::{Completion, ImapServer};
use crate::store::{inbox_first, superiors, MailStore, DELIMITER};

/// The user's mailbox names, and the levels of hierarchy above them that are no mailbox
/// (a parent deleted while it had children: RFC 3501 §6.3.4, "the name will acquire the
/// \Noselect mailbox name attribute").
pub(super) struct Hierarchy {
    pub(super) existing: BTreeSet<String>,
    levels: BTreeSet<String>,
}

impl Hierarchy {
    pub(super) fn of(store: &MailStore, user: &str) -> Self {
        let existing = crate::tree::set(store.folder_names(user));
        let levels = crate::tree::set(
            existing
                .iter()
                .flat_map(|name| superiors(name))
                .filter(|level| !existing.contains(*level))
                .map(str::to_string),
        );
        Hierarchy { existing, levels }
    }

    /// A level of hierarchy that is no mailbox.
    pub(super) fn is_level(&self, name: &str) -> bool {
        self.levels.contains(name)
    }

    pub(super) fn levels(&self) -> impl Iterator<Item = &String> {
        self.levels.iter()
    }

    /// RFC 3348: "\HasChildren - The presence of this attribute indicates that the mailbox
    /// has child mailboxes."
    pub(super) fn has_children(&self, name: &str) -> bool {
        descendants(&self.existing, name).next().is_some()
    }
}

/// RFC 3501 §6.3.8: "If the "%" wildcard is the last character of a mailbox name argument,
/// matching levels of hierarchy are also returned. If these levels of hierarchy are not also
/// selectable mailboxes, they are returned with the \Noselect mailbox name attribute".
pub(super) fn returns_levels(pattern: &str) -> bool {
    pattern.ends_with('%')
}

/// The strict descendants of `name` ("name/..."), from a sorted set of names.
pub(super) fn descendants<'a>(
    names: &'a BTreeSet<String>,
    name: &str,
) -> impl Iterator<Item = &'a str> {
    let prefix = format!("{name}{DELIMITER}");
    names
        .range(prefix.clone()..)
        .map(String::as_str)
        .take_while(move |n| n.starts_with(&prefix))
}

impl ImapServer {
    /// LIST and LSUB (RFC 3501 §6.3.8, §6.3.9). In an IMAP4rev2 session LIST answers as the
    /// extended one does (special-use attributes); the empty pattern keeps its basic meaning.
    pub(super) fn list(
        &mut self,
        tag: &str,
        reference: &str,
        pattern: String,
        subscribed_only: bool,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        #[cfg(feature = "imap4rev2")]
        if self.rev2_session() && !subscribed_only && !pattern.is_empty() {
            return self.extended_list(
                tag,
                Default::default(),
                reference,
                &[pattern],
                &Default::default(),
                store,
                out,
            );
        }
        let full = format!("{reference}{pattern}");
        let verb = if subscribed_only { "LSUB" } else { "LIST" };
        let lines = if pattern.is_empty() && !subscribed_only {
            // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
            vec![(vec!["\\Noselect"], String::new())]
        } else if subscribed_only {
            lsub(store, self.account(), &full)
        } else {
            list(store, self.account(), &full)
        };
        for (attrs, name) in lines {
            let mut line = format!("* {verb} ({}) \"/\" ", attrs.join(" ")).into_bytes();
            line.extend(astring(&name));
            line.extend(b"\r\n");
            out.extend(line);
        }
        self.finish(store, true, out, Completion::done(tag, verb));
    }
}

/// LIST's answer: the mailboxes that match, with `\HasChildren` on those with children
/// (RFC 3348, CHILDREN), and, for a pattern ending in "%", the levels of hierarchy that
/// match, `\Noselect`.
fn list(store: &MailStore, user: &str, pattern: &str) -> Vec<(Vec<&'static str>, String)> {
    let hierarchy = Hierarchy::of(store, user);
    let mut names: BTreeSet<&String> = crate::tree::set(hierarchy.existing.iter());
    if returns_levels(pattern) {
        names.extend(hierarchy.levels());
    }
    inbox_first(names)
        .into_iter()
        .filter(|name| wildcard_match(pattern.as_bytes(), name.as_bytes()))
        .map(|name| {
            let mut attrs = Vec::new();
            if hierarchy.is_level(&name) {
                attrs.push("\\Noselect");
            }
            if hierarchy.has_children(&name) {
                attrs.push("\\HasChildren");
            }
            (attrs, name)
        })
        .collect()
}

/// LSUB's answer: the subscribed names that match, whether or not their mailboxes still
/// exist. RFC 3501 §6.3.9: if "foo/bar" is subscribed but "foo" is not, "A "%" wildcard to
/// LSUB must return foo, not foo/bar, in the LSUB response, and it MUST be flagged with the
/// \Noselect attribute."
fn lsub(store: &MailStore, user: &str, pattern: &str) -> Vec<(Vec<&'static str>, String)> {
    let matches = |name: &str| wildcard_match(pattern.as_bytes(), name.as_bytes());
    let subscribed = crate::tree::set(store.subscriptions(user));
    let mut names: BTreeSet<&str> = crate::tree::set(subscribed.iter().map(String::as_str));
    if returns_levels(pattern) {
        names.extend(subscribed.iter().flat_map(|name| superiors(name)));
    }
    let names: Vec<String> = names.into_iter().map(str::to_string).collect();
    inbox_first(&names)
        .into_iter()
        .filter(|name| matches(name))
        .filter_map(|name| {
            if subscribed.contains(&name) {
                Some((Vec::new(), name))
            } else {
                // A parent listed for a subscribed name the pattern does not reach.
                let stands_for = descendants(&subscribed, &name).any(|d| !matches(d));
                stands_for.then_some((vec!["\\Noselect"], name))
            }
        })
        .collect()
}

/// LIST wildcards: `*` matches anything, `%` anything but the hierarchy delimiter "/".
pub(super) fn wildcard_match(pattern: &[u8], name: &[u8]) -> bool {
    // `matched[j]`: the pattern so far matches the first j octets of the name. One pass per
    // pattern octet, so a pattern of many "*" costs pattern × name, not exponential time.
    let mut matched = vec![false; name.len() + 1];
    if let Some(first) = matched.first_mut() {
        *first = true;
    }
    for &p in pattern {
        let mut next = vec![false; name.len() + 1];
        for j in 0..=name.len() {
            let here = matched.get(j).copied().unwrap_or(false);
            let before = j.checked_sub(1);
            let octet = before.and_then(|b| name.get(b)).copied();
            let grown = before.and_then(|b| next.get(b)).copied().unwrap_or(false);
            let value = match p {
                // "*" matches any octets; "%" any but the hierarchy delimiter.
                b'*' => here || grown,
                b'%' => here || (grown && octet != Some(b'/')),
                _ => {
                    octet == Some(p)
                        && before
                            .and_then(|b| matched.get(b))
                            .copied()
                            .unwrap_or(false)
                }
            };
            if let Some(slot) = next.get_mut(j) {
                *slot = value;
            }
        }
        matched = next;
    }
    matched.last().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn list_patterns_match_as_rfc_9051_says_and_in_linear_time() {
        // RFC 9051 §6.3.9: "*" matches zero or more characters, "%" the same but not the
        // hierarchy delimiter.
        for (pattern, name, expected) in [
            ("*", "Work/2026", true),
            ("%", "Work/2026", false),
            ("Work/%", "Work/2026", true),
            ("W*6", "Work/2026", true),
            ("W%6", "Work/2026", false),
            ("INBOX", "INBOX", true),
            ("INBOX", "INBOXES", false),
            ("", "", true),
            ("", "x", false),
            ("%*%", "", true),
        ] {
            assert_eq!(
                wildcard_match(pattern.as_bytes(), name.as_bytes()),
                expected,
                "{pattern} {name}"
            );
        }
        // Once exponential: a long run of "*" before an octet the name lacks.
        let pattern = format!("{}x", "*".repeat(5_000));
        assert!(!wildcard_match(
            pattern.as_bytes(),
            "a".repeat(200).as_bytes()
        ));
    }
}
