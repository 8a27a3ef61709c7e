//! What each SMTP line means, for students; each text cites the rule it describes.

use super::types::{Command, Reply, ReplyTo, ReversePath, Verb};
use crate::explain::{Explanation, RfcRef};

const RFC: u16 = 5321;

/// Explains a command the client sent.
pub fn command(cmd: &Command) -> Explanation {
    let (title, why, section) = match cmd {
        Command::Ehlo(name) => (
            format!("The client introduces itself as {name} (extended SMTP)"),
            "EHLO opens the conversation after the greeting. The server answers with the \
             extensions it supports, one per line, so the client knows what it may use."
                .to_string(),
            "4.1.1.1",
        ),
        Command::Helo(name) => (
            format!("The client introduces itself as {name} (basic SMTP)"),
            "HELO is the original greeting command. It asks for no extensions, so the reply is \
             a single line."
                .to_string(),
            "4.1.1.1",
        ),
        Command::Mail { from, .. } => (
            match from {
                ReversePath::Null => "A new message from the null sender <> (a bounce)".to_string(),
                ReversePath::Mailbox(m) => format!("A new message from {m}"),
            },
            "MAIL FROM starts a mail transaction and gives the envelope sender: the address \
             that would receive a bounce. It need not match the From: header the reader sees."
                .to_string(),
            "4.1.1.2",
        ),
        Command::Rcpt { to, .. } => (
            format!("Deliver it to {to}"),
            "RCPT TO names one envelope recipient. The server checks each one on its own, so \
             some recipients can be accepted while others are refused."
                .to_string(),
            "4.1.1.3",
        ),
        Command::Data => (
            "Ready to send the message itself".to_string(),
            "DATA asks to transfer the message. The server answers 354 if it has at least one \
             accepted recipient; the message then follows, ended by a line with a single period."
                .to_string(),
            "4.1.1.4",
        ),
        Command::Rset => (
            "Abort the current message".to_string(),
            "RSET throws away the sender, recipients and data of the transaction in progress. \
             The connection stays open."
                .to_string(),
            "4.1.1.5",
        ),
        Command::Noop(_) => (
            "Nothing to do: are you still there?".to_string(),
            "NOOP changes nothing. Clients use it to keep a connection alive or to check that \
             the server still answers."
                .to_string(),
            "4.1.1.9",
        ),
        Command::Quit => (
            "Goodbye".to_string(),
            "QUIT asks the server to answer 221 and close the connection. Messages already \
             accepted stay accepted."
                .to_string(),
            "4.1.1.10",
        ),
        Command::Vrfy(who) => (
            format!("Is {who} a real user?"),
            "VRFY asks the server to confirm an address. Most servers refuse to say, to stop \
             spammers from harvesting addresses, and answer 252."
                .to_string(),
            "3.5.1",
        ),
        Command::Help(_) => (
            "Asking for help".to_string(),
            "HELP asks the server for information about its commands.".to_string(),
            "4.1.1.8",
        ),
        Command::StartTls => {
            return Explanation::new(
                "Switch this connection to encryption (TLS)",
                "STARTTLS upgrades the same TCP connection: after the server's 220 both sides \
                 run a TLS handshake, and everything after it is encrypted. The client then says \
                 EHLO again, because what was learned in plain text cannot be trusted.",
                RfcRef::new(3207, "4"),
            )
        }
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            let how = if initial_response.is_some() {
                "The user name and password ride along as an initial response, base64-encoded. \
                 Base64 is an encoding, not encryption: anyone who can read the line can decode \
                 it, which is why AUTH belongs after STARTTLS."
            } else {
                "The server will answer 334 with a challenge, and the client replies with one \
                 base64 line per challenge."
            };
            return Explanation::new(
                format!("The client logs in with AUTH {mechanism}"),
                format!(
                    "A submission server only takes mail from its own users, so the client \
                     proves who it is before MAIL. {how}"
                ),
                RfcRef::new(4954, "4"),
            );
        }
    };
    Explanation::new(title, why, RfcRef::new(RFC, section))
}

/// Explains a line the client sends in answer to a 334 AUTH challenge.
pub fn auth_response() -> Explanation {
    Explanation::new(
        "The client answers the AUTH challenge",
        "One base64 line per 334 challenge (for LOGIN: first the user name, then the password). \
         A line with a single * would cancel the exchange.",
        RfcRef::new(4954, "4"),
    )
}

/// Explains the message content sent after 354: `message_octets` is the size of the message
/// before stuffing, `stuffed_lines` how many lines got an extra period.
pub fn data_content(message_octets: usize, stuffed_lines: usize) -> Explanation {
    let stuffing = match stuffed_lines {
        0 => "No line starts with a period, so nothing needed stuffing.".to_string(),
        1 => "One line starts with a period, so the client doubled that period \
              (dot-stuffing) and the server removes it again."
            .to_string(),
        n => format!(
            "{n} lines start with a period, so the client doubled each one (dot-stuffing) \
             and the server removes them again."
        ),
    };
    Explanation::new(
        format!("The message itself ({message_octets} octets), then a line with a single period"),
        format!(
            "Header fields, an empty line, then the body, every line ending in CR LF. The line \
             holding only a period marks the end. {stuffing} The server that takes it adds its \
             Received: line at the top, and on final delivery a Return-Path: line naming the \
             envelope sender (RFC 5321 §4.4)."
        ),
        RfcRef::new(RFC, "4.5.2"),
    )
}

/// Explains message data that stops before the line holding only a period.
pub fn data_fragment(octets: usize) -> Explanation {
    Explanation::new(
        format!("Part of the message ({octets} octets), with no final period"),
        "The lines of the message arrive, but the line holding only a period, which ends it, \
         does not: until it comes, the server has accepted nothing, and a connection lost now \
         cancels the transaction."
            .to_string(),
        RfcRef::new(RFC, "4.1.1.4"),
    )
}

/// Explains a reply, given what it answers.
pub fn reply(reply: &Reply, to: ReplyTo) -> Explanation {
    let code = reply.code();
    let value = code.value();
    let first = reply.lines().first().cloned().unwrap_or_default();
    let (title, why, section) = match (to, value) {
        (ReplyTo::Greeting, 220) => (
            format!("The server is ready: {first}"),
            "The server speaks first. 220 means the service is ready; the client must now \
             introduce itself."
                .to_string(),
            "4.3.1",
        ),
        (ReplyTo::Greeting, _) => (
            format!("The server will not talk ({value})"),
            "A greeting other than 220 means the server refuses service. The client should \
             send QUIT and try elsewhere later."
                .to_string(),
            "3.1",
        ),
        (ReplyTo::Command(Verb::Ehlo), 250) => (
            format!(
                "Hello accepted, with {} extension(s)",
                reply.lines().len().saturating_sub(1)
            ),
            format!(
                "A multi-line 250 reply: every line but the last has a hyphen after the code. \
                 The lines after the first list extensions: {}.",
                reply.lines().get(1..).unwrap_or_default().join(", ")
            ),
            "4.1.1.1",
        ),
        (ReplyTo::Command(Verb::StartTls), 220) => {
            return Explanation::new(
                "Go ahead: start the TLS handshake",
                "The client now starts a TLS handshake on this same connection. Once it is \
                 done, every line in both directions is encrypted on the wire. What was said \
                 before is forgotten: the client must begin again with EHLO.",
                RfcRef::new(3207, "4"),
            )
        }
        (ReplyTo::Command(Verb::Auth), 334) => {
            return Explanation::new(
                "The server asks for the next piece of the login",
                "334 is a SASL challenge, base64-encoded (VXNlcm5hbWU6 is \"Username:\", \
                 UGFzc3dvcmQ6 is \"Password:\"). The client answers with one base64 line.",
                RfcRef::new(4954, "4"),
            )
        }
        (ReplyTo::Command(Verb::Auth), 235) => {
            return Explanation::new(
                "Logged in",
                "235 means the credentials were accepted. From now on this connection may send \
                 mail as this user.",
                RfcRef::new(4954, "6"),
            )
        }
        (_, 530) => {
            return Explanation::new(
                format!("Refused: {first}"),
                "530 means the server needs something first: a login (AUTH) before mail can be \
                 submitted, or STARTTLS before the password may be sent.",
                RfcRef::new(4954, "6"),
            )
        }
        (_, 535) => {
            return Explanation::new(
                "Wrong user name or password",
                "535 means authentication failed. The client may try again, but servers close \
                 the connection after too many failures.",
                RfcRef::new(4954, "6"),
            )
        }
        (ReplyTo::Command(Verb::Data), 354) => (
            "Go ahead: send the message".to_string(),
            "354 is an intermediate reply: the server waits for the message text, ended by a \
             line with a single period."
                .to_string(),
            "4.1.1.4",
        ),
        (ReplyTo::DataEnd, 250) => (
            "Message accepted: the server is now responsible for it".to_string(),
            "After 250 the server must deliver the message or send a bounce. The client can \
             forget it."
                .to_string(),
            "4.1.1.4",
        ),
        (ReplyTo::Command(Verb::Quit), 221) => (
            "The server says goodbye and closes the connection".to_string(),
            "221 answers QUIT. Both sides may now close the TCP connection.".to_string(),
            "4.1.1.10",
        ),
        (ReplyTo::Command(verb), 250) => (
            format!("{} accepted", verb.as_str()),
            "250 means the requested action was completed. The client may go on to the next \
             command."
                .to_string(),
            "4.2.1",
        ),
        (ReplyTo::Command(Verb::Vrfy), 252) => (
            "The server will not confirm the address".to_string(),
            "252 says: cannot verify the user, but a message to it will be accepted and \
             delivery attempted."
                .to_string(),
            "3.5.3",
        ),
        (ReplyTo::Command(Verb::Data), 554 | 503) => (
            format!("No valid recipients: DATA refused ({value})"),
            "Every RCPT in this transaction was refused (see their replies), so there is \
             nobody to send the message to and the server refuses DATA. With PIPELINING the \
             client sent DATA before it heard the RCPT replies; now it must not send the \
             message. If the refusals were 4xx, it tries again later."
                .to_string(),
            "3.3",
        ),
        (_, 450 | 451) if first.to_ascii_lowercase().contains("greylist") => (
            format!("Greylisted: refused for now ({value})"),
            "The server refuses mail from a sender it has not seen before, once: a real mail \
             server keeps the message and tries again after a while, and is then accepted; \
             most spam software never comes back. A 4xx is temporary."
                .to_string(),
            "4.5.4.1",
        ),
        (_, 450) => (
            format!("Refused for now ({value}): {first}"),
            "450: the mailbox is unavailable for the moment (busy, or blocked for policy \
             reasons). A 4xx is temporary: the sender keeps the message and retries later."
                .to_string(),
            "4.2.2",
        ),
        (_, 451) => (
            format!("Refused for now ({value}): {first}"),
            "451: the server had a local problem and aborted the action. A 4xx is temporary: \
             the sender keeps the message and retries later."
                .to_string(),
            "4.2.2",
        ),
        (_, 452) => (
            format!("Refused for now ({value}): {first}"),
            "452: the server is short of storage, or there are too many recipients (the \
             client sends the rest in another transaction). A 4xx is temporary: the same \
             command may succeed later."
                .to_string(),
            "4.5.3.1.10",
        ),
        (_, 500..=504) => (
            format!("Command refused ({value}): {first}"),
            "5xx with a second digit 0 is a syntax problem: the command is unknown, malformed, \
             or sent in the wrong order."
                .to_string(),
            "4.2.2",
        ),
        (_, 550) => (
            format!("Refused ({value}): {first}"),
            "550: the mailbox is unavailable: it does not exist here, or policy forbids this \
             (relaying denied). A 5xx is permanent: sending the same again will not help."
                .to_string(),
            "4.2.2",
        ),
        (_, 551) => (
            format!("Refused ({value}): {first}"),
            "551: the user is not local here; the reply may say where to send instead.".to_string(),
            "3.4",
        ),
        (_, 552) => (
            format!("Refused: the mailbox is full ({value})"),
            "552: the recipient's storage allocation is exceeded. The mailbox exists, but it \
             cannot take this message; the sender gets a bounce."
                .to_string(),
            "4.2.2",
        ),
        (_, 553) => (
            format!("Refused ({value}): {first}"),
            "553: the mailbox name is not allowed (its syntax is wrong).".to_string(),
            "4.2.2",
        ),
        (_, 554) => (
            format!("Refused ({value}): {first}"),
            "554: the transaction failed, and trying again will not help.".to_string(),
            "4.2.2",
        ),
        (_, 555) => (
            format!("Refused ({value}): {first}"),
            "555: a MAIL FROM or RCPT TO parameter is not recognised or not implemented."
                .to_string(),
            "4.2.2",
        ),
        _ => (
            format!("Reply {value}: {first}"),
            "The first digit tells the outcome: 2 done, 3 go on, 4 try again later, 5 failed \
             for good."
                .to_string(),
            "4.2.1",
        ),
    };
    Explanation::new(title, why, RfcRef::new(RFC, section))
}
