//! SMTP's rules: the order of commands (RFC 5321 §4.1.4, a transaction's MAIL, RCPT, DATA
//! in §3.3), which replies fit which command (§4.3.2), AUTH (RFC 4954 §4), STARTTLS
//! (RFC 3207 §4) and QUIT (§4.1.1.10).

use std::collections::VecDeque;

use postroom_proto::i18n::{Message, Text};
use postroom_proto::smtp::{decode, Command, ServerState, Verb};
use postroom_proto::{msg, text, RfcRef};

use super::{first_on_wire, shown, starts_midway, waiting, FindingKind as F, Findings, TlsWatch};
use crate::log::follow::{Kind, Unit};

/// What a reply answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Greeting,
    Verb(Verb),
    MessageEnd,
    AuthAnswer,
    /// A line the decoder refused: any reply fits.
    Unknown,
}

impl Asked {
    fn name(self) -> &'static str {
        match self {
            Asked::Greeting => "the connection",
            Asked::Verb(v) => v.as_str(),
            Asked::MessageEnd => "the end of the message",
            Asked::AuthAnswer => "an AUTH answer",
            Asked::Unknown => "an unreadable line",
        }
    }

    /// The positive and intermediate codes that answer it (RFC 5321 §4.3.2, RFC 3207,
    /// RFC 4954); 4xx and 5xx answer anything.
    fn allows(self) -> &'static [u16] {
        match self {
            Asked::Greeting => &[220],
            Asked::Verb(Verb::Data) => &[354],
            Asked::Verb(Verb::Rcpt) => &[250, 251],
            Asked::Verb(Verb::Vrfy) => &[250, 251, 252],
            Asked::Verb(Verb::Help) => &[211, 214],
            Asked::Verb(Verb::Quit) => &[221],
            Asked::Verb(Verb::StartTls) => &[220],
            Asked::Verb(Verb::Auth) | Asked::AuthAnswer => &[235, 334],
            Asked::Verb(_) | Asked::MessageEnd => &[250],
            Asked::Unknown => &[],
        }
    }

    fn fits(self, code: u16) -> bool {
        code >= 400 || self == Asked::Unknown || self.allows().contains(&code)
    }

    /// The finding for a reply `code` that does not answer it, if it does not: one text for
    /// each thing a reply answers, so that each reads as a whole sentence.
    fn misfit(self, code: u16) -> Option<Message> {
        if self.fits(code) {
            return None;
        }
        let codes = either(self.allows());
        Some(match self {
            Asked::Greeting => msg!(
                "log.finding.smtp-greeting-code",
                code = code,
                codes = &codes
            ),
            Asked::Verb(verb) => msg!(
                "log.finding.smtp-reply-code",
                code = code,
                command = verb.as_str(),
                codes = &codes
            ),
            Asked::MessageEnd => msg!(
                "log.finding.smtp-message-end-code",
                code = code,
                codes = &codes
            ),
            Asked::AuthAnswer => msg!(
                "log.finding.smtp-auth-answer-code",
                code = code,
                codes = &codes
            ),
            // Any reply fits an unreadable line.
            Asked::Unknown => return None,
        })
    }
}

/// Reply codes as alternatives, "250 or 251": the catalogue words the "or".
fn either(codes: &[u16]) -> Text {
    let mut codes = codes.iter();
    let first = Text::verbatim(codes.next().map(u16::to_string).unwrap_or_default());
    codes.fold(first, |all, &code| {
        text!("log.code-or", codes = &all, code = code)
    })
}

#[derive(Debug, Default)]
struct Session {
    pending: VecDeque<Asked>,
    greeted: bool,
    /// The log starts in the middle: what came before is not known, so not judged.
    midway: bool,
    hello: bool,
    /// MAIL sent and not refused, and the transaction not ended.
    mail: bool,
    rcpts_sent: usize,
    rcpts_ok: usize,
    rcpts_answered: usize,
    authed: bool,
    quit: bool,
    data: bool,
    /// The server said yes to STARTTLS and waits for the handshake.
    handshake: bool,
    tls: TlsWatch,
}

impl Session {
    fn state(&self) -> ServerState {
        if self.quit {
            ServerState::Closed
        } else if self.handshake {
            ServerState::ExpectTlsHandshake
        } else if self.data {
            ServerState::ReceivingData
        } else if self.mail && self.rcpts_ok > 0 {
            ServerState::ExpectRcptOrData
        } else if self.mail {
            ServerState::ExpectRcpt
        } else if self.hello || self.midway {
            ServerState::ExpectMail
        } else {
            ServerState::ExpectHelo
        }
    }

    fn end_transaction(&mut self) {
        self.mail = false;
        self.rcpts_sent = 0;
        self.rcpts_ok = 0;
        self.rcpts_answered = 0;
    }
}

const RFC: u16 = 5321;

/// Commands a session may open with.
const OPENERS: [&[u8]; 7] = [
    b"EHLO", b"HELO", b"QUIT", b"NOOP", b"RSET", b"HELP", b"VRFY",
];

fn command(s: &mut Session, i: usize, unit: &Unit, found: &mut Findings) -> Asked {
    let line = unit.text_lines().next().unwrap_or_default();
    let at = Some((i, unit));
    let cmd = match decode::command(line) {
        Ok(cmd) => cmd,
        Err(e) => {
            let line = shown(unit);
            let (message, section) = match e {
                decode::CommandError::Unrecognized => (
                    msg!("log.finding.smtp-unknown-command", line = line),
                    "4.1.1",
                ),
                decode::CommandError::Syntax(usage) => (
                    msg!("log.finding.smtp-bad-arguments", line = line, usage = usage),
                    "4.1.2",
                ),
            };
            let rule = RfcRef::new(RFC, section);
            found.add(F::Unreadable, at, message, rule);
            return Asked::Unknown;
        }
    };
    let order = |found: &mut Findings, message: Message, rule| {
        found.add(F::OutOfSequence, at, message, rule);
    };
    if s.quit {
        let rule = RfcRef::new(RFC, "4.1.1.10");
        order(found, msg!("log.finding.smtp-after-quit"), rule);
    }
    // The order of a session's commands and of a transaction's.
    let sequence = RfcRef::new(RFC, "4.1.4");
    match &cmd {
        Command::Ehlo(_) | Command::Helo(_) => {
            s.hello = true;
            s.midway = false;
            s.end_transaction();
        }
        Command::Mail { .. } => {
            if !s.hello && !s.midway {
                order(found, msg!("log.finding.smtp-mail-before-hello"), sequence);
            }
            if s.mail {
                order(
                    found,
                    msg!("log.finding.smtp-mail-in-transaction"),
                    sequence,
                );
            }
            s.end_transaction();
            s.mail = true;
            s.midway = false;
        }
        Command::Rcpt { .. } => {
            if !s.mail && !s.midway {
                order(found, msg!("log.finding.smtp-rcpt-without-mail"), sequence);
            }
            s.rcpts_sent += 1;
        }
        Command::Data => {
            let transaction = RfcRef::new(RFC, "3.3");
            if !s.mail && !s.midway {
                order(found, msg!("log.finding.smtp-data-without-mail"), sequence);
            } else if s.mail && s.rcpts_sent == 0 {
                order(
                    found,
                    msg!("log.finding.smtp-data-without-rcpt"),
                    transaction,
                );
            } else if s.mail && s.rcpts_answered == s.rcpts_sent && s.rcpts_ok == 0 {
                order(
                    found,
                    msg!("log.finding.smtp-data-all-refused"),
                    transaction,
                );
            }
        }
        Command::Rset => {
            s.end_transaction();
            s.midway = false;
        }
        Command::Auth { .. } => {
            let rule = RfcRef::new(4954, "4");
            if s.authed {
                order(found, msg!("log.finding.smtp-auth-again"), rule);
            } else if s.mail {
                order(found, msg!("log.finding.smtp-auth-in-transaction"), rule);
            }
        }
        Command::StartTls => {
            if s.tls.active {
                let rule = RfcRef::new(3207, "4.2");
                order(found, msg!("log.finding.smtp-starttls-in-tls"), rule);
            }
            s.tls.ask();
        }
        Command::Quit => s.quit = true,
        _ => {}
    }
    Asked::Verb(cmd.verb())
}

fn reply(s: &mut Session, i: usize, unit: &Unit, found: &mut Findings) {
    let at = Some((i, unit));
    let asked = if s.greeted {
        s.pending.pop_front()
    } else {
        s.greeted = true;
        Some(Asked::Greeting)
    };
    let replies = RfcRef::new(RFC, "4.2");
    let Ok((reply, _)) = decode::reply(&unit.bytes) else {
        if unit.complete {
            let message = msg!("log.finding.smtp-bad-reply", line = shown(unit));
            found.add(F::Unreadable, at, message, replies);
        }
        return;
    };
    let code = reply.code().value();
    let Some(asked) = asked else {
        if !s.midway {
            let message = msg!("log.finding.smtp-reply-to-nothing", code = code);
            found.add(F::Contradiction, at, message, replies);
        }
        return;
    };
    if let Some(message) = asked.misfit(code) {
        let section = if asked == Asked::Greeting {
            "3.1"
        } else {
            "4.3.2"
        };
        let rule = RfcRef::new(RFC, section);
        found.add(F::Contradiction, at, message, rule);
    }
    let ok = (200..400).contains(&code);
    match asked {
        Asked::Verb(Verb::Ehlo | Verb::Helo) => s.hello |= ok,
        Asked::Verb(Verb::Mail) if !ok => s.end_transaction(),
        Asked::Verb(Verb::Rcpt) => {
            s.rcpts_answered += 1;
            s.rcpts_ok += usize::from(ok);
        }
        Asked::Verb(Verb::Data) if code == 354 => {
            if s.mail && s.rcpts_answered == s.rcpts_sent && s.rcpts_ok == 0 && !s.midway {
                let message = msg!("log.finding.smtp-354-no-recipient");
                let rule = RfcRef::new(RFC, "3.3");
                found.add(F::Contradiction, at, message, rule);
            }
            s.data = true;
        }
        Asked::MessageEnd => {
            s.data = false;
            s.end_transaction();
        }
        Asked::Verb(Verb::Auth) | Asked::AuthAnswer => s.authed |= code == 235,
        Asked::Verb(Verb::StartTls) => {
            s.tls.answered(code == 220);
            if code == 220 {
                // RFC 3207 §4.2: after the handshake the session starts again from EHLO.
                s.handshake = true;
                s.hello = false;
                s.end_transaction();
            }
        }
        _ => {}
    }
}

/// SMTP findings, and the server's state after each unit.
pub(super) fn check(units: &[Unit], left_open: bool) -> (Findings, Vec<(Text, Text)>) {
    let mut found = Findings::default();
    let midway = starts_midway(
        units,
        |u| {
            let word = u
                .text_lines()
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let word = word.split(|&b| b == b' ').next().unwrap_or_default();
            OPENERS.contains(&word)
        },
        |u| u.bytes.starts_with(b"2") || u.bytes.starts_with(b"3"),
    );
    let mut s = Session {
        // A log that starts with the client's first command only left the greeting out.
        greeted: first_on_wire(units).is_some_and(|u| u.kind != Kind::Reply),
        midway,
        ..Session::default()
    };
    if s.midway {
        s.hello = true;
        s.greeted = true;
    }
    let mut states = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        s.tls
            .unit(i, unit, &mut found, RfcRef::new(3207, "4"), "STARTTLS");
        match unit.kind {
            Kind::Command => {
                s.tls
                    .sent(i, unit, &mut found, RfcRef::new(3207, "4"), "STARTTLS");
                let asked = command(&mut s, i, unit, &mut found);
                s.pending.push_back(asked);
            }
            Kind::Continuation => s.pending.push_back(Asked::AuthAnswer),
            Kind::Message => {
                // The client may pipeline its next MAIL right after the period.
                s.pending.push_back(Asked::MessageEnd);
                s.end_transaction();
            }
            Kind::Reply => reply(&mut s, i, unit, &mut found),
            Kind::Note => s.handshake &= !unit.encrypted,
        }
        let first = s.pending.front().map(|a| a.name());
        states.push((waiting(first, s.pending.len()), s.state().text()));
    }
    let spoke = units.iter().any(|u| u.kind == Kind::Command);
    if !s.quit && spoke && !left_open {
        let last = units
            .iter()
            .enumerate()
            .rev()
            .find(|(_, u)| u.kind != Kind::Note);
        let message = msg!("log.finding.smtp-no-quit");
        let rule = RfcRef::new(RFC, "4.1.1.10");
        found.add(F::NoGoodbye, last, message, rule);
    }
    (found, states)
}
