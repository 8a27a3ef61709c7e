//! What each SMTP line means, for students; each text cites the rule it describes.

use super::types::{Command, Reply, ReplyTo, ReversePath, Verb};
use crate::explain::{Explanation, RfcRef};
use crate::msg;

const RFC: u16 = 5321;

/// Explains a command the client sent: a message (`smtp.cmd.…` in the catalogues) with the
/// command's own words as sent.
pub fn command(cmd: &Command) -> Explanation {
    let (message, rfc, section) = match cmd {
        Command::Ehlo(name) => (msg!("smtp.cmd.ehlo", name = name), RFC, "4.1.1.1"),
        Command::Helo(name) => (msg!("smtp.cmd.helo", name = name), RFC, "4.1.1.1"),
        Command::Mail { from, .. } => match from {
            // RFC 5321 §4.5.5: notifications (bounces) are sent with the null reverse-path.
            ReversePath::Null => (msg!("smtp.cmd.mail-null"), RFC, "4.5.5"),
            ReversePath::Mailbox(m) => {
                (msg!("smtp.cmd.mail", from = m.to_string()), RFC, "4.1.1.2")
            }
        },
        Command::Rcpt { to, .. } => (msg!("smtp.cmd.rcpt", to = to.to_string()), RFC, "4.1.1.3"),
        Command::Data => (msg!("smtp.cmd.data"), RFC, "4.1.1.4"),
        Command::Rset => (msg!("smtp.cmd.rset"), RFC, "4.1.1.5"),
        Command::Noop(_) => (msg!("smtp.cmd.noop"), RFC, "4.1.1.9"),
        Command::Quit => (msg!("smtp.cmd.quit"), RFC, "4.1.1.10"),
        Command::Vrfy(who) => (msg!("smtp.cmd.vrfy", who = who.to_string()), RFC, "3.5.1"),
        Command::Help(_) => (msg!("smtp.cmd.help"), RFC, "4.1.1.8"),
        Command::StartTls => (msg!("smtp.cmd.starttls"), 3207, "4"),
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            let mechanism = mechanism.to_string();
            let message = if initial_response.is_some() {
                msg!("smtp.cmd.auth-ir", mechanism = mechanism)
            } else {
                msg!("smtp.cmd.auth", mechanism = mechanism)
            };
            (message, 4954, "4")
        }
    };
    Explanation::from_message(message, RfcRef::new(rfc, section))
}

/// Explains a line the client sends in answer to a 334 AUTH challenge.
pub fn auth_response() -> Explanation {
    Explanation::from_message(msg!("smtp.auth-response"), RfcRef::new(4954, "4"))
}

/// Explains the message content sent after 354: `message_octets` is the size of the message
/// before stuffing, `stuffed_lines` how many lines got an extra period.
pub fn data_content(message_octets: usize, stuffed_lines: usize) -> Explanation {
    let message = match stuffed_lines {
        0 => msg!("smtp.data.content", octets = message_octets),
        n => msg!("smtp.data.stuffed", octets = message_octets, lines = n),
    };
    Explanation::from_message(message, RfcRef::new(RFC, "4.5.2"))
}

/// Explains message data that stops before the line holding only a period.
pub fn data_fragment(octets: usize) -> Explanation {
    Explanation::from_message(
        msg!("smtp.data.fragment", octets = octets),
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
