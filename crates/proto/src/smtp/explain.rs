//! What each SMTP line means, for students; each text cites the rule it describes.

use super::types::{Command, Reply, ReplyTo, ReversePath, Verb};
use crate::explain::{Explanation, RfcRef};
use crate::msg;

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
                 it, which is why AUTH belongs inside TLS: after STARTTLS, or on port 465 \
                 where TLS comes first."
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

/// Explains a reply, given what it answers: a message (`smtp.reply.…` in the catalogues)
/// with the reply's code and, where the title quotes it, its first line as sent.
pub fn reply(reply: &Reply, to: ReplyTo) -> Explanation {
    let value = reply.code().value();
    let first = reply.lines().first().cloned().unwrap_or_default();
    let (message, rfc, section) = match (to, value) {
        (ReplyTo::Greeting, 220) => (msg!("smtp.reply.ready", first = first), RFC, "4.3.1"),
        (ReplyTo::Greeting, _) => (msg!("smtp.reply.no-service", code = value), RFC, "3.1"),
        (ReplyTo::Command(Verb::Ehlo), 250) => (
            msg!(
                "smtp.reply.ehlo",
                count = reply.lines().len().saturating_sub(1),
                extensions = reply.lines().get(1..).unwrap_or_default().join(", ")
            ),
            RFC,
            "4.1.1.1",
        ),
        (ReplyTo::Command(Verb::StartTls), 220) => (msg!("smtp.reply.starttls"), 3207, "4"),
        (ReplyTo::Command(Verb::Auth), 334) => (msg!("smtp.reply.auth-challenge"), 4954, "4"),
        (ReplyTo::Command(Verb::Auth), 235) => (msg!("smtp.reply.auth-ok"), 4954, "6"),
        (_, 530) => (msg!("smtp.reply.530", first = first), 4954, "6"),
        (_, 535) => (msg!("smtp.reply.535"), 4954, "6"),
        (ReplyTo::Command(Verb::Data), 354) => (msg!("smtp.reply.354"), RFC, "4.1.1.4"),
        (ReplyTo::DataEnd, 250) => (msg!("smtp.reply.accepted"), RFC, "4.1.1.4"),
        (ReplyTo::Command(Verb::Quit), 221) => (msg!("smtp.reply.221"), RFC, "4.1.1.10"),
        (ReplyTo::Command(verb), 250) => (
            msg!("smtp.reply.250", command = verb.as_str()),
            RFC,
            "4.2.1",
        ),
        (ReplyTo::Command(Verb::Vrfy), 252) => (msg!("smtp.reply.252"), RFC, "3.5.3"),
        (ReplyTo::Command(Verb::Data), 554 | 503) => {
            (msg!("smtp.reply.no-recipients", code = value), RFC, "3.3")
        }
        (_, 450 | 451) if first.to_ascii_lowercase().contains("greylist") => {
            (msg!("smtp.reply.greylisted", code = value), RFC, "4.5.4.1")
        }
        (_, 450) => (
            msg!("smtp.reply.450", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 451) => (
            msg!("smtp.reply.451", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 452) => (
            msg!("smtp.reply.452", code = value, first = first),
            RFC,
            "4.5.3.1.10",
        ),
        (_, 500..=504) => (
            msg!("smtp.reply.syntax", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 550) => (
            msg!("smtp.reply.550", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 551) => (
            msg!("smtp.reply.551", code = value, first = first),
            RFC,
            "3.4",
        ),
        (_, 552) => (msg!("smtp.reply.552", code = value), RFC, "4.2.2"),
        (_, 553) => (
            msg!("smtp.reply.553", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 554) => (
            msg!("smtp.reply.554", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        (_, 555) => (
            msg!("smtp.reply.555", code = value, first = first),
            RFC,
            "4.2.2",
        ),
        _ => (
            msg!("smtp.reply.other", code = value, first = first),
            RFC,
            "4.2.1",
        ),
    };
    Explanation::from_message(message, RfcRef::new(rfc, section))
}
