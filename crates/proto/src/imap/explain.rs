//! What each IMAP command means, for students; each text cites the rule it describes.

use super::types::Command;
use crate::explain::{Explanation, RfcRef};
use crate::msg;

const RFC: u16 = 9051;

/// Explains a command the client sent: a message (`imap.cmd.…` in the catalogues) with the
/// names as sent.
pub fn command(cmd: &Command) -> Explanation {
    let (message, rfc, section) = match cmd {
        Command::Capability => (msg!("imap.cmd.capability"), RFC, "6.1.1"),
        Command::Noop => (msg!("imap.cmd.noop"), RFC, "6.1.2"),
        Command::Logout => (msg!("imap.cmd.logout"), RFC, "6.1.3"),
        Command::Id(fields) => {
            let client = fields
                .iter()
                .find(|(field, _)| field.eq_ignore_ascii_case("name"))
                .and_then(|(_, value)| value.clone());
            let message = match client {
                Some(name) => msg!("imap.cmd.id-named", name = name),
                None => msg!("imap.cmd.id"),
            };
            (message, 2971, "3.1")
        }
        Command::StartTls => (msg!("imap.cmd.starttls"), RFC, "6.2.1"),
        Command::Authenticate { mechanism, .. } => (
            msg!("imap.cmd.authenticate", mechanism = mechanism.to_string()),
            RFC,
            "6.2.2",
        ),
        Command::Login { user, .. } => (
            msg!("imap.cmd.login", user = user.to_string()),
            RFC,
            "6.2.3",
        ),
        Command::Enable(caps) => (msg!("imap.cmd.enable", caps = caps.join(" ")), RFC, "6.3.1"),
        Command::Select {
            mailbox,
            read_only: false,
            ..
        } => (
            msg!("imap.cmd.select", mailbox = mailbox.to_string()),
            RFC,
            "6.3.2",
        ),
        Command::Select {
            mailbox,
            read_only: true,
            ..
        } => (
            msg!("imap.cmd.examine", mailbox = mailbox.to_string()),
            RFC,
            "6.3.3",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Create(m) => (
            msg!("imap.cmd.create", mailbox = m.to_string()),
            RFC,
            "6.3.4",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Delete(m) => (
            msg!("imap.cmd.delete", mailbox = m.to_string()),
            RFC,
            "6.3.5",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Rename { from, to } => (
            msg!(
                "imap.cmd.rename",
                from = from.to_string(),
                to = to.to_string()
            ),
            RFC,
            "6.3.6",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Subscribe(m) => (
            msg!("imap.cmd.subscribe", mailbox = m.to_string()),
            RFC,
            "6.3.7",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Unsubscribe(m) => (
            msg!("imap.cmd.unsubscribe", mailbox = m.to_string()),
            RFC,
            "6.3.8",
        ),
        #[cfg(feature = "mailboxes")]
        Command::List {
            subscribed_only: false,
            ..
        } => (msg!("imap.cmd.list"), RFC, "6.3.9"),
        #[cfg(feature = "mailboxes")]
        Command::List {
            subscribed_only: true,
            ..
        } => (msg!("imap.cmd.lsub"), 3501, "6.3.9"),
        #[cfg(feature = "mailboxes")]
        Command::Namespace => (msg!("imap.cmd.namespace"), RFC, "6.3.10"),
        #[cfg(feature = "mailboxes")]
        Command::Status { mailbox, .. } => (
            msg!("imap.cmd.status", mailbox = mailbox.to_string()),
            RFC,
            "6.3.11",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Append { mailbox, messages } => match messages.as_slice() {
            [one] => (
                msg!(
                    "imap.cmd.append",
                    octets = one.message.len(),
                    mailbox = mailbox.to_string()
                ),
                RFC,
                "6.3.12",
            ),
            many => (
                msg!(
                    "imap.cmd.multiappend",
                    count = many.len(),
                    octets = many.iter().map(|m| m.message.len()).sum::<usize>(),
                    mailbox = mailbox.to_string()
                ),
                3502,
                "6.3.11",
            ),
        },
        Command::Idle => (msg!("imap.cmd.idle"), 2177, "3"),
        Command::Close => (msg!("imap.cmd.close"), RFC, "6.4.1"),
        Command::Unselect => (msg!("imap.cmd.unselect"), RFC, "6.4.2"),
        Command::Expunge { uids: None } => (msg!("imap.cmd.expunge"), RFC, "6.4.3"),
        Command::Expunge { uids: Some(_) } => (msg!("imap.cmd.uid-expunge"), 4315, "2.1"),
        Command::Search { .. } => (msg!("imap.cmd.search"), RFC, "6.4.4"),
        Command::Fetch { items, .. } => {
            use super::types::FetchItem;
            let body = items.iter().any(|i| {
                matches!(
                    i,
                    FetchItem::BodySection { peek: false, .. } | FetchItem::Rfc822
                )
            });
            // BINARY without .PEEK sets \Seen too (RFC 9051 §6.4.5).
            #[cfg(feature = "imap4rev2")]
            let body = body
                || items
                    .iter()
                    .any(|i| matches!(i, FetchItem::Binary { peek: false, .. }));
            let message = if body {
                msg!("imap.cmd.fetch-body")
            } else {
                msg!("imap.cmd.fetch")
            };
            (message, RFC, "6.4.5")
        }
        Command::Store { silent: false, .. } => (msg!("imap.cmd.store"), RFC, "6.4.6"),
        Command::Store { silent: true, .. } => (msg!("imap.cmd.store-silent"), RFC, "6.4.6"),
        #[cfg(feature = "mailboxes")]
        Command::Copy {
            mailbox,
            remove: false,
            ..
        } => (
            msg!("imap.cmd.copy", mailbox = mailbox.to_string()),
            RFC,
            "6.4.7",
        ),
        #[cfg(feature = "mailboxes")]
        Command::Copy {
            mailbox,
            remove: true,
            ..
        } => (
            msg!("imap.cmd.move", mailbox = mailbox.to_string()),
            6851,
            "3.1",
        ),
        #[cfg(feature = "imap4rev2")]
        Command::Rev2(extended) => {
            let (message, rfc, section) = super::rev2::explain(extended);
            return Explanation::from_message(message, RfcRef::new(rfc, section));
        }
    };
    Explanation::from_message(message, RfcRef::new(rfc, section))
}

/// Explains what the server sent back for one command (all its response lines at once).
pub fn server_unit(bytes: &[u8]) -> Explanation {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    let has = |word: &str| {
        lines
            .iter()
            .any(|l| l.starts_with("* ") && l.split(' ').any(|w| w == word))
    };
    let count = |word: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with("* ") && l.split(' ').any(|w| w == word))
            .count()
    };
    let last = lines.last().copied().unwrap_or_default();
    // By the response's name only: a CAPABILITY line also holds the word ESEARCH.
    #[cfg(feature = "imap4rev2")]
    let named = |word: &str| {
        lines
            .iter()
            .any(|l| l.strip_prefix("* ").and_then(|r| r.split(' ').next()) == Some(word))
    };
    #[cfg(feature = "imap4rev2")]
    if let Some(explained) = super::rev2::explain_unit(&named, &lines) {
        return explained;
    }
    if last.starts_with("+ ") || last == "+" {
        return Explanation::from_message(msg!("imap.unit.continue"), RfcRef::new(RFC, "7.6"));
    }
    if lines
        .first()
        .is_some_and(|l| l.starts_with("* OK [CAPABILITY"))
        && lines.len() == 1
    {
        // An IMAP4rev1 server's greeting is RFC 3501's; one offering IMAP4rev2, RFC 9051's.
        let rfc = if lines.iter().any(|l| l.contains("IMAP4rev2")) {
            RFC
        } else {
            3501
        };
        return Explanation::from_message(msg!("imap.unit.greeting"), RfcRef::new(rfc, "7.1.1"));
    }
    if let Some(explained) = uidplus(&lines, last) {
        return explained;
    }
    let completed_ok = tagged_status(last) == Some("OK");
    if completed_ok {
        if let Some(explained) = super::explain_data::untagged_data(&lines) {
            return explained;
        }
    }
    let (message, section) = if has("EXPUNGE") {
        (
            msg!("imap.unit.expunged", count = count("EXPUNGE")),
            "7.5.1",
        )
    } else if has("EXISTS") && !has("FLAGS") {
        (msg!("imap.unit.exists"), "7.4.1")
    } else if has("FLAGS") && has("EXISTS") {
        (msg!("imap.unit.selected"), "6.3.2")
    } else if has("FETCH") {
        (msg!("imap.unit.fetch", count = count("FETCH")), "7.5.2")
    } else if has("SEARCH") {
        // The plain SEARCH response is IMAP4rev1's; RFC 9051 replaced it with ESEARCH.
        return Explanation::from_message(msg!("imap.unit.search"), RfcRef::new(3501, "7.2.5"));
    } else if last.contains(" NO ") {
        (msg!("imap.unit.no"), "7.1.2")
    } else if last.contains(" BAD ") {
        (msg!("imap.unit.bad"), "7.1.3")
    } else if has("BYE") {
        (msg!("imap.unit.bye"), "7.1.5")
    } else {
        (msg!("imap.unit.ok"), "7.1.1")
    };
    Explanation::from_message(message, RfcRef::new(RFC, section))
}

/// The UIDPLUS response codes (RFC 4315 §3, part of IMAP4rev2): APPENDUID on an APPEND's
/// OK, COPYUID on a COPY's OK or, for MOVE, in an untagged OK before the EXPUNGEs.
fn uidplus(lines: &[&str], last: &str) -> Option<Explanation> {
    let code = |line: &str, name: &str| {
        let inner = line.split_once('[')?.1.split_once(']')?.0;
        let rest = inner.strip_prefix(name)?.strip_prefix(' ')?;
        Some(rest.split(' ').map(str::to_string).collect::<Vec<_>>())
    };
    if let Some([_, uids]) = code(last, "APPENDUID").as_deref() {
        let message = if uids.contains([':', ',']) {
            msg!("imap.unit.appended-many", uids = uids)
        } else {
            msg!("imap.unit.appended", uids = uids)
        };
        return Some(Explanation::from_message(message, RfcRef::new(4315, "3")));
    }
    let moved = lines
        .iter()
        .find(|l| l.starts_with("* OK [COPYUID "))
        .and_then(|l| code(l, "COPYUID"))
        .map(|c| (true, c));
    let (moved, found) = moved.or_else(|| code(last, "COPYUID").map(|c| (false, c)))?;
    let [_, from, to] = found.as_slice() else {
        return None;
    };
    let message = if moved {
        msg!("imap.unit.moved", from = from, to = to)
    } else {
        msg!("imap.unit.copied", from = from, to = to)
    };
    Some(Explanation::from_message(message, RfcRef::new(4315, "3")))
}

/// The tagged completion's status (OK, NO or BAD), if `line` is one.
pub(crate) fn tagged_status(line: &str) -> Option<&str> {
    let mut words = line.split(' ');
    let tag = words.next()?;
    if tag.is_empty() || tag == "*" || tag == "+" {
        return None;
    }
    words.next().filter(|w| {
        ["OK", "NO", "BAD"]
            .iter()
            .any(|s| w.eq_ignore_ascii_case(s))
    })
}

/// The tagged OK that answers STARTTLS: the TLS handshake starts right after its line end.
pub fn starttls_ok() -> Explanation {
    Explanation::from_message(msg!("imap.unit.starttls"), RfcRef::new(RFC, "6.2.1"))
}
