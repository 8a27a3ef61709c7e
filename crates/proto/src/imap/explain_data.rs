//! What the untagged data before a tagged OK said: the capabilities listed, the folders
//! listed, a folder's counts. A reply is explained as one unit, so its explanation names
//! the data rather than only the completion.

use crate::explain::{Explanation, RfcRef};
use crate::i18n::Text;
use crate::msg;

const RFC: u16 = 9051;
/// Names shown in a title before "and N more".
const SHOWN: usize = 6;

/// The untagged lines named `name` (`* NAME ...`), without the `* NAME `.
fn data<'a>(lines: &[&'a str], name: &str) -> Vec<&'a str> {
    lines
        .iter()
        .filter_map(|l| {
            let rest = l.strip_prefix("* ")?;
            let (word, after) = rest.split_once(' ').unwrap_or((rest, ""));
            word.eq_ignore_ascii_case(name).then_some(after.trim())
        })
        .collect()
}

/// `names` joined, the first few only.
fn some_of(names: &[String]) -> Text {
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => Text::verbatim(shown.join(", ")),
        more => crate::text!("imap.data.some", list = shown.join(", "), more = more),
    }
}

/// A LIST or LSUB line's folder name: after the attributes and the delimiter, unquoted.
fn folder(rest: &str) -> String {
    let after_attributes = rest.split_once(')').map_or(rest, |(_, r)| r).trim_start();
    // The delimiter: a quoted character ("/", "\\" escaped) or NIL.
    let after_delimiter = if let Some(quoted) = after_attributes.strip_prefix('"') {
        let end = if quoted.starts_with("\\\\") { 3 } else { 2 };
        quoted.get(end..).unwrap_or_default()
    } else {
        after_attributes.split_once(' ').map_or("", |(_, r)| r)
    };
    let name = after_delimiter.trim();
    let name = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name);
    name.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// The explanation of a reply whose untagged data carries what the command asked for, ended
/// by a tagged OK; `None` when it holds no such data.
pub(crate) fn untagged_data(lines: &[&str]) -> Option<Explanation> {
    let capabilities = data(lines, "CAPABILITY");
    if let Some(listed) = capabilities.first() {
        let names: Vec<String> = listed.split_whitespace().map(str::to_string).collect();
        let message = msg!(
            "imap.data.capability",
            count = names.len(),
            names = &some_of(&names),
            all = names.join(" ")
        );
        return Some(Explanation::from_message(
            message,
            RfcRef::new(RFC, "7.2.2"),
        ));
    }
    for (name, rfc, section) in [("LIST", RFC, "7.3.1"), ("LSUB", 3501, "7.2.3")] {
        let found = data(lines, name);
        if found.is_empty() {
            continue;
        }
        let names: Vec<String> = found.iter().map(|l| folder(l)).collect();
        let (count, some, all) = (names.len(), &some_of(&names), names.join(", "));
        let message = if name == "LSUB" {
            msg!("imap.data.lsub", count = count, names = some, all = all)
        } else {
            msg!("imap.data.list", count = count, names = some, all = all)
        };
        return Some(Explanation::from_message(
            message,
            RfcRef::new(rfc, section),
        ));
    }
    if let Some(status) = data(lines, "STATUS").first() {
        let (mailbox, counts) = status.rsplit_once(" (").unwrap_or((status, ""));
        let counts = counts.trim_end_matches(')');
        let mailbox = mailbox.trim_matches('"');
        let message = msg!("imap.data.status", mailbox = mailbox, counts = counts);
        return Some(Explanation::from_message(
            message,
            RfcRef::new(RFC, "7.3.3"),
        ));
    }
    if let Some(namespace) = data(lines, "NAMESPACE").first() {
        let message = msg!("imap.data.namespace", namespace = *namespace);
        return Some(Explanation::from_message(
            message,
            RfcRef::new(RFC, "7.3.2"),
        ));
    }
    if let Some(id) = data(lines, "ID").first() {
        let message = msg!("imap.data.id", id = *id);
        return Some(Explanation::from_message(message, RfcRef::new(2971, "3.2")));
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn capabilities_are_named() {
        let e =
            untagged_data(&["* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN", "a1 OK done"]).unwrap();
        assert_eq!(
            e.title,
            "The server can do 3 things: IMAP4rev1, STARTTLS, AUTH=PLAIN"
        );
        assert!(e.why.contains("IMAP4rev1 STARTTLS AUTH=PLAIN"), "{}", e.why);
        assert_eq!(e.rfc.section, "7.2.2");
    }

    #[test]
    fn many_capabilities_are_cut_in_the_title_only() {
        let line = "* CAPABILITY A B C D E F G H";
        let e = untagged_data(&[line, "a1 OK done"]).unwrap();
        assert!(
            e.title.ends_with("A, B, C, D, E, F and 2 more"),
            "{}",
            e.title
        );
        assert!(e.why.contains("A B C D E F G H"));
    }

    #[test]
    fn folders_are_named_quoted_or_not() {
        let e = untagged_data(&[
            "* LIST (\\HasNoChildren) \"/\" INBOX",
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Mail\"",
            "* LIST (\\Noselect) NIL Archive",
            "a2 OK LIST completed",
        ])
        .unwrap();
        assert_eq!(e.title, "3 folders: INBOX, Sent Mail, Archive");
        assert_eq!(e.rfc.section, "7.3.1");
        let e = untagged_data(&["* LSUB () \"\\\\\" Work", "a3 OK"]).unwrap();
        assert_eq!(e.title, "1 subscribed folder: Work");
    }

    #[test]
    fn status_names_its_counts() {
        let e = untagged_data(&["* STATUS INBOX (MESSAGES 3 UNSEEN 1)", "a4 OK"]).unwrap();
        assert_eq!(e.title, "INBOX: MESSAGES 3 UNSEEN 1");
    }

    #[test]
    fn a_bare_completion_has_no_data() {
        assert!(untagged_data(&["a5 OK NOOP completed"]).is_none());
    }
}
