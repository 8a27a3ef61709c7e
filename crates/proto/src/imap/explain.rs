//! What each IMAP command means, for students; each text cites the rule it describes.

use super::types::Command;
use crate::explain::{Explanation, RfcRef};

const RFC: u16 = 9051;

/// Explains a command the client sent.
pub fn command(cmd: &Command) -> Explanation {
    let (title, why, rfc, section): (String, &str, u16, &'static str) = match cmd {
        Command::Capability => ("What can this server do?".into(), "CAPABILITY lists the extensions the server supports; clients ask first and adapt.", RFC, "6.1.1"),
        Command::Noop => ("Anything new?".into(), "NOOP does nothing, which gives the server a moment to report what changed: new mail (EXISTS), deletions (EXPUNGE), flags set by other devices (FETCH).", RFC, "6.1.2"),
        Command::Logout => ("Goodbye".into(), "LOGOUT ends the session. Unlike POP3, nothing is deleted: the mail stays on the server.", RFC, "6.1.3"),
        Command::StartTls => ("Switch to encryption (TLS)".into(), "STARTTLS upgrades this connection; after the handshake the login is protected.", RFC, "6.2.1"),
        Command::Authenticate { mechanism, .. } => (format!("Log in with SASL {mechanism}"), "AUTHENTICATE PLAIN carries the user name and password base64-encoded, which is not encryption.", RFC, "6.2.2"),
        Command::Login { user, .. } => (format!("Log in as {user}"), "LOGIN sends the user name and password. Servers refuse it (LOGINDISABLED) until the connection is encrypted, if they require TLS.", RFC, "6.2.3"),
        Command::Enable(caps) => (format!("Turn on {}", caps.join(" ")), "ENABLE switches on extensions that change how the server answers, such as CONDSTORE's modification sequences.", RFC, "6.3.1"),
        Command::Select { mailbox, read_only: false, .. } => (format!("Open {mailbox}"), "SELECT opens a folder for reading and changing. The server says how many messages it holds, their UIDVALIDITY and the next UID.", RFC, "6.3.2"),
        Command::Select { mailbox, read_only: true, .. } => (format!("Look into {mailbox} without changing it"), "EXAMINE is SELECT in read-only mode: reading does not even set \\Seen.", RFC, "6.3.3"),
        Command::Create(m) => (format!("Create the folder {m}"), "Folders live on the server, so every device sees the new folder.", RFC, "6.3.4"),
        Command::Delete(m) => (format!("Delete the folder {m}"), "DELETE removes a folder and its messages. INBOX cannot be deleted.", RFC, "6.3.5"),
        Command::Rename { from, to } => (format!("Rename {from} to {to}"), "RENAME keeps the messages; renaming INBOX moves its messages and leaves INBOX empty.", RFC, "6.3.6"),
        Command::Subscribe(m) => (format!("Subscribe to {m}"), "Subscriptions are the server-side list of folders a client chooses to show.", RFC, "6.3.7"),
        Command::Unsubscribe(m) => (format!("Unsubscribe from {m}"), "The folder stays; it is only left out of LSUB.", RFC, "6.3.8"),
        Command::List { subscribed_only: false, .. } => ("Which folders are there?".into(), "LIST names the folders matching a pattern (* matches everything, % stops at the hierarchy delimiter).", RFC, "6.3.9"),
        Command::List { subscribed_only: true, .. } => ("Which folders are subscribed?".into(), "LSUB is LIST for subscribed folders only (RFC 3501).", 3501, "6.3.9"),
        Command::Namespace => ("How are folder names organised?".into(), "NAMESPACE tells the prefix and hierarchy delimiter of personal folders.", RFC, "6.3.10"),
        Command::Status { mailbox, .. } => (format!("How is {mailbox} doing?"), "STATUS counts messages, unseen ones and the next UID of a folder without opening it.", RFC, "6.3.11"),
        Command::Append { mailbox, message, .. } => (format!("Put a {}-octet message into {mailbox}", message.len()), "APPEND uploads a whole message, e.g. a copy of sent mail. The message travels as a literal: {size} announces the octets that follow.", RFC, "6.3.12"),
        Command::Idle => ("Tell me as soon as something changes".into(), "IDLE keeps the connection open so the server can push new mail and changes at once, until the client says DONE.", 2177, "3"),
        Command::Close => ("Close the folder, removing deleted messages".into(), "CLOSE expunges messages flagged \\Deleted, silently, and leaves the selected state.", RFC, "6.4.1"),
        Command::Unselect => ("Close the folder, keeping everything".into(), "UNSELECT leaves the selected state without expunging.", RFC, "6.4.2"),
        Command::Expunge { uids: None } => ("Remove the messages flagged \\Deleted".into(), "Deleting in IMAP takes two steps: STORE +FLAGS (\\Deleted) marks, EXPUNGE removes. Every other device then hears an EXPUNGE for each.", RFC, "6.4.3"),
        Command::Expunge { uids: Some(_) } => ("Remove only these deleted messages".into(), "UID EXPUNGE removes only the listed \\Deleted messages, so a client does not remove what another device marked.", 4315, "2.1"),
        Command::Search { .. } => ("Find messages on the server".into(), "SEARCH runs on the server and returns message numbers (or UIDs): the client need not download anything.", RFC, "6.4.4"),
        Command::Fetch { items, .. } => {
            let body = items.iter().any(|i| matches!(i, super::types::FetchItem::BodySection { peek: false, .. } | super::types::FetchItem::Rfc822));
            let why = if body {
                "FETCH downloads parts of messages. Fetching a body without .PEEK marks the message \\Seen on the server, so every device shows it as read."
            } else {
                "FETCH asks for message data: flags, size, envelope, structure or body parts."
            };
            ("Get message data".into(), why, RFC, "6.4.5")
        }
        Command::Store { .. } => ("Change flags".into(), "STORE sets or clears flags such as \\Seen or \\Deleted on the server; other devices learn of it.", RFC, "6.4.6"),
        Command::Copy { mailbox, remove: false, .. } => (format!("Copy messages to {mailbox}"), "COPY duplicates messages into another folder on the server, keeping their flags.", RFC, "6.4.7"),
        Command::Copy { mailbox, remove: true, .. } => (format!("Move messages to {mailbox}"), "MOVE copies and expunges in one step, as when a message goes to Trash.", 6851, "3.1"),
    };
    Explanation::new(title, why, RfcRef::new(rfc, section))
}
