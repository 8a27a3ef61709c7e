//! What each IMAP command means, for students; each text cites the rule it describes.

use super::types::Command;
use crate::explain::{Explanation, RfcRef};

const RFC: u16 = 9051;

/// Explains a command the client sent.
pub fn command(cmd: &Command) -> Explanation {
    let (title, why, rfc, section): (String, &str, u16, &'static str) = match cmd {
        Command::Capability => ("What can this server do?".into(), "CAPABILITY lists the extensions the server supports; clients ask first and adapt.", RFC, "6.1.1"),
        Command::Noop => ("Anything new?".into(), "NOOP does nothing, which gives the server a moment to report what changed: new mail (EXISTS), deletions (EXPUNGE), flags set by other devices (FETCH).", RFC, "6.1.2"),
        Command::Logout => ("Goodbye".into(), "LOGOUT ends the session: the server answers BYE, then OK, and closes the connection. Logging out expunges nothing: messages flagged \\Deleted stay until an EXPUNGE, or a CLOSE before LOGOUT, which removes them (§6.4.1). Unlike POP3's QUIT, LOGOUT itself deletes nothing.", RFC, "6.1.3"),
        Command::Id(fields) => {
            let client = fields
                .iter()
                .find(|(field, _)| field.eq_ignore_ascii_case("name"))
                .and_then(|(_, value)| value.clone());
            let title = match client {
                Some(name) => format!("This is {name}; who are you?"),
                None => "Who are you?".into(),
            };
            (title, "ID swaps names and versions of client and server software, for logs and bug reports; the server must not behave differently for it.", 2971, "3.1")
        }
        Command::StartTls => ("Switch to encryption (TLS)".into(), "STARTTLS upgrades this connection: after the server's tagged OK both sides run a TLS handshake, and everything after it, the login included, is encrypted on the wire.", RFC, "6.2.1"),
        Command::Authenticate { mechanism, .. } => (format!("Log in with SASL {mechanism}"), "AUTHENTICATE PLAIN carries the user name and password base64-encoded, which is not encryption.", RFC, "6.2.2"),
        Command::Login { user, .. } => (format!("Log in as {user}"), "LOGIN sends the user name and password. Servers refuse it (LOGINDISABLED) until the connection is encrypted, if they require TLS.", RFC, "6.2.3"),
        Command::Enable(caps) => (format!("Turn on {}", caps.join(" ")), "ENABLE switches on extensions that change how the server answers, such as CONDSTORE's modification sequences.", RFC, "6.3.1"),
        Command::Select { mailbox, read_only: false, .. } => (format!("Open {mailbox}"), "SELECT opens a folder for reading and changing. The server says how many messages it holds, their UIDVALIDITY and the next UID.", RFC, "6.3.2"),
        Command::Select { mailbox, read_only: true, .. } => (format!("Look into {mailbox} without changing it"), "EXAMINE is SELECT in read-only mode: reading does not even set \\Seen.", RFC, "6.3.3"),
        #[cfg(feature = "mailboxes")]
        Command::Create(m) => (format!("Create the folder {m}"), "Folders live on the server, so every device sees the new folder.", RFC, "6.3.4"),
        #[cfg(feature = "mailboxes")]
        Command::Delete(m) => (format!("Delete the folder {m}"), "DELETE removes a folder and its messages. INBOX cannot be deleted.", RFC, "6.3.5"),
        #[cfg(feature = "mailboxes")]
        Command::Rename { from, to } => (format!("Rename {from} to {to}"), "RENAME keeps the messages; renaming INBOX moves its messages and leaves INBOX empty.", RFC, "6.3.6"),
        #[cfg(feature = "mailboxes")]
        Command::Subscribe(m) => (format!("Subscribe to {m}"), "Subscriptions are the server-side list of folders a client chooses to show.", RFC, "6.3.7"),
        #[cfg(feature = "mailboxes")]
        Command::Unsubscribe(m) => (format!("Unsubscribe from {m}"), "The folder stays; it is only left out of LSUB.", RFC, "6.3.8"),
        #[cfg(feature = "mailboxes")]
        Command::List { subscribed_only: false, .. } => ("Which folders are there?".into(), "LIST names the folders matching a pattern (* matches everything, % stops at the hierarchy delimiter).", RFC, "6.3.9"),
        #[cfg(feature = "mailboxes")]
        Command::List { subscribed_only: true, .. } => ("Which folders are subscribed?".into(), "LSUB is LIST for subscribed folders only (RFC 3501).", 3501, "6.3.9"),
        #[cfg(feature = "mailboxes")]
        Command::Namespace => ("How are folder names organised?".into(), "NAMESPACE tells the prefix and hierarchy delimiter of personal folders.", RFC, "6.3.10"),
        #[cfg(feature = "mailboxes")]
        Command::Status { mailbox, .. } => (format!("How is {mailbox} doing?"), "STATUS counts messages, unseen ones and the next UID of a folder without opening it.", RFC, "6.3.11"),
        #[cfg(feature = "mailboxes")]
        Command::Append { mailbox, messages } => match messages.as_slice() {
            [one] => (format!("Put a {}-octet message into {mailbox}", one.message.len()), "APPEND uploads a whole message, e.g. a copy of sent mail. The message travels as a literal: {size} announces the octets that follow.", RFC, "6.3.12"),
            many => (format!("Put {} messages ({} octets) into {mailbox} at once", many.len(), many.iter().map(|m| m.message.len()).sum::<usize>()), "MULTIAPPEND sends several messages in one APPEND, each with its own flags and literal: either all of them are stored or none is, and there is one answer for all.", 3502, "6.3.11"),
        },
        Command::Idle => ("Tell me as soon as something changes".into(), "IDLE keeps the connection open so the server can push new mail and changes at once, until the client says DONE.", 2177, "3"),
        Command::Close => ("Close the folder, removing deleted messages".into(), "CLOSE expunges messages flagged \\Deleted, silently, and leaves the selected state.", RFC, "6.4.1"),
        Command::Unselect => ("Close the folder, keeping everything".into(), "UNSELECT leaves the selected state without expunging.", RFC, "6.4.2"),
        Command::Expunge { uids: None } => ("Remove the messages flagged \\Deleted".into(), "Deleting in IMAP takes two steps: STORE +FLAGS (\\Deleted) marks, EXPUNGE removes. Every other device then hears an EXPUNGE for each.", RFC, "6.4.3"),
        Command::Expunge { uids: Some(_) } => ("Remove only these deleted messages".into(), "UID EXPUNGE removes only the listed \\Deleted messages, so a client does not remove what another device marked.", 4315, "2.1"),
        Command::Search { .. } => ("Find messages on the server".into(), "SEARCH runs on the server and returns message numbers (or UIDs): the client need not download anything.", RFC, "6.4.4"),
        Command::Fetch { items, .. } => {
            let body = items.iter().any(|i| matches!(i, super::types::FetchItem::BodySection { peek: false, .. } | super::types::FetchItem::Rfc822));
            // BINARY without .PEEK sets \Seen too (RFC 9051 §6.4.5).
            #[cfg(feature = "imap4rev2")]
            let body = body || items.iter().any(|i| matches!(i, super::types::FetchItem::Binary { peek: false, .. }));
            let why = if body {
                "FETCH downloads parts of messages. Fetching a body without .PEEK marks the message \\Seen on the server, so every device shows it as read."
            } else {
                "FETCH asks for message data: flags, size, envelope, structure or body parts."
            };
            ("Get message data".into(), why, RFC, "6.4.5")
        }
        Command::Store { silent: false, .. } => ("Change flags".into(), "STORE sets or clears flags such as \\Seen or \\Deleted on the server, and answers with an untagged FETCH giving each message's new flags; other devices learn of it.", RFC, "6.4.6"),
        Command::Store { silent: true, .. } => ("Change flags, quietly (.SILENT)".into(), "STORE sets or clears flags such as \\Seen or \\Deleted on the server. With .SILENT the server sends no untagged FETCH with the new flags: the client already knows what it asked for, so only the tagged OK comes back. Other devices still learn of it, and a change made elsewhere is still reported.", RFC, "6.4.6"),
        #[cfg(feature = "mailboxes")]
        Command::Copy { mailbox, remove: false, .. } => (format!("Copy messages to {mailbox}"), "COPY duplicates messages into another folder on the server, keeping their flags.", RFC, "6.4.7"),
        #[cfg(feature = "mailboxes")]
        Command::Copy { mailbox, remove: true, .. } => (format!("Move messages to {mailbox}"), "MOVE copies and expunges in one step, as when a message goes to Trash.", 6851, "3.1"),
        #[cfg(feature = "imap4rev2")]
        Command::Rev2(extended) => super::rev2::explain(extended),
    };
    Explanation::new(title, why, RfcRef::new(rfc, section))
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
        return Explanation::new(
            "Go on: the server is ready for more",
            "A line starting with + is a continuation request: the server waits for a literal, an \
             authentication answer, or — after IDLE — simply keeps listening until the client says DONE.",
            RfcRef::new(RFC, "7.6"),
        );
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
        return Explanation::new(
            "The server is ready, and lists what it can do",
            "The greeting is an untagged OK. Its CAPABILITY code saves the client a round trip.",
            RfcRef::new(rfc, "7.1.1"),
        );
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
    let (title, why, section) = if has("EXPUNGE") {
        (
            format!(
                "{} expunged: every device must remove them",
                crate::explain::count(count("EXPUNGE"), "message", "messages")
            ),
            "An untagged EXPUNGE names a message number that no longer exists; the numbers after it \
             shift down by one. This is how a deletion on one device reaches the others.",
            "7.5.1",
        )
    } else if has("EXISTS") && !has("FLAGS") {
        (
            "New mail: the mailbox grew".to_string(),
            "An untagged EXISTS gives the new number of messages. The client fetches the new ones.",
            "7.4.1",
        )
    } else if has("FLAGS") && has("EXISTS") {
        (
            "The mailbox is open".to_string(),
            "SELECT answers with the flags in use, the number of messages (EXISTS), UIDVALIDITY \
             and the next UID. A client that cached UIDs keeps them only while UIDVALIDITY stays the same.",
            "6.3.2",
        )
    } else if has("FETCH") {
        (
            format!(
                "Data for {}",
                crate::explain::count(count("FETCH"), "message", "messages")
            ),
            "Each untagged FETCH carries the requested items: UID, FLAGS, sizes, or the message \
             itself as a literal {n} followed by exactly n octets.",
            "7.5.2",
        )
    } else if has("SEARCH") {
        // The plain SEARCH response is IMAP4rev1's; RFC 9051 replaced it with ESEARCH.
        return Explanation::new(
            "The messages that match",
            "The server searched; the client downloads nothing it did not ask for.",
            RfcRef::new(3501, "7.2.5"),
        );
    } else if last.contains(" NO ") {
        (
            "Refused (NO)".to_string(),
            "NO: the command was understood but failed, for example a wrong password.",
            "7.1.2",
        )
    } else if last.contains(" BAD ") {
        (
            "Not understood (BAD)".to_string(),
            "BAD: the command was malformed or not allowed in this state.",
            "7.1.3",
        )
    } else if has("BYE") {
        (
            "The server closes the connection".to_string(),
            "An untagged BYE announces the end of the session.",
            "7.1.5",
        )
    } else {
        (
            "Done (OK)".to_string(),
            "The tagged OK completes the command with the same tag, so the client knows which of its \
             commands finished.",
            "7.1.1",
        )
    };
    Explanation::new(title, why, RfcRef::new(RFC, section))
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
        let title = if uids.contains([':', ',']) {
            format!("Stored: the new messages have UIDs {uids}")
        } else {
            format!("Stored: the new message has UID {uids}")
        };
        let why = "APPENDUID gives the UIDVALIDITY of the mailbox and the UID the server chose, \
                   so the client can file its copy of sent mail without searching for it.";
        return Some(Explanation::new(title, why, RfcRef::new(4315, "3")));
    }
    let moved = lines
        .iter()
        .find(|l| l.starts_with("* OK [COPYUID "))
        .and_then(|l| code(l, "COPYUID"))
        .map(|c| ("Moved", c));
    let (verb, found) = moved.or_else(|| code(last, "COPYUID").map(|c| ("Copied", c)))?;
    let [_, from, to] = found.as_slice() else {
        return None;
    };
    let title = format!("{verb}: UIDs {from} are {to} in the target mailbox");
    let why = "COPYUID pairs each source UID with the UID of its copy, in the same order, \
               so the client knows where the messages went without opening the other mailbox.";
    Some(Explanation::new(title, why, RfcRef::new(4315, "3")))
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
    Explanation::new(
        "Go ahead: start the TLS handshake",
        "The tagged OK to STARTTLS: the TLS handshake begins right after this line's CRLF, on \
         the same connection, and the client sends no command until it is done. From then on \
         everything is encrypted on the wire. The client forgets the capabilities it learned \
         in plain text and asks CAPABILITY again; the session is still not logged in.",
        RfcRef::new(RFC, "6.2.1"),
    )
}
