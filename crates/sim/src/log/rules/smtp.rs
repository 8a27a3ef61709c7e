//! SMTP's rules: the order of commands (RFC 5321 §4.1.4, a transaction's MAIL, RCPT, DATA
//! in §3.3), which replies fit which command (§4.3.2), AUTH (RFC 4954 §4), STARTTLS
//! (RFC 3207 §4) and QUIT (§4.1.1.10).

use std::collections::VecDeque;

use postroom_proto::i18n::Text;
use postroom_proto::smtp::{decode, Command, ServerState, Verb};
use postroom_proto::RfcRef;

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
        Err(decode::CommandError::Unrecognized) => {
            found.add(
                F::Unreadable,
                at,
                format!("A command SMTP's decoder does not know: {}", shown(unit)),
                "The engine's decoder knows RFC 5321's commands and STARTTLS and AUTH. This may \
                 be an extension this server announced, or a typo; a server that does not know \
                 it answers 500.",
                RfcRef::new(RFC, "4.1.1"),
            );
            return Asked::Unknown;
        }
        Err(decode::CommandError::Syntax(usage)) => {
            found.add(
                F::Unreadable,
                at,
                format!("Arguments SMTP's decoder refuses: {}", shown(unit)),
                format!("The command is written {usage}; a server answers 501."),
                RfcRef::new(RFC, "4.1.2"),
            );
            return Asked::Unknown;
        }
    };
    let order = |found: &mut Findings, title: &str, why: &str, section| {
        found.add(F::OutOfSequence, at, title, why, RfcRef::new(RFC, section));
    };
    if s.quit {
        order(
            found,
            "A command after QUIT",
            "After QUIT the server answers 221 and closes the connection: nothing more is read.",
            "4.1.1.10",
        );
    }
    match &cmd {
        Command::Ehlo(_) | Command::Helo(_) => {
            s.hello = true;
            s.midway = false;
            s.end_transaction();
        }
        Command::Mail { .. } => {
            if !s.hello && !s.midway {
                order(found, "MAIL before EHLO or HELO", "A session that will carry mail begins with EHLO (or HELO): the client introduces itself before the first MAIL.", "4.1.4");
            }
            if s.mail {
                order(found, "MAIL inside a mail transaction", "A transaction is MAIL, one or more RCPT, then DATA, in that order. A second MAIL before the message (or RSET) is out of sequence; the server answers 503.", "4.1.4");
            }
            s.end_transaction();
            s.mail = true;
            s.midway = false;
        }
        Command::Rcpt { .. } => {
            if !s.mail && !s.midway {
                order(found, "RCPT without a MAIL before it", "RCPT adds a recipient to the transaction MAIL began; with no MAIL (or after it was refused) there is none, and the server answers 503.", "4.1.4");
            }
            s.rcpts_sent += 1;
        }
        Command::Data => {
            if !s.mail && !s.midway {
                order(found, "DATA without MAIL", "DATA comes last in a transaction, after MAIL and at least one RCPT; the server answers 503.", "4.1.4");
            } else if s.mail && s.rcpts_sent == 0 {
                order(found, "DATA without a recipient", "No RCPT was sent, so the message would go to nobody: the server answers 503 or 554, and the client must not send the message.", "3.3");
            } else if s.mail && s.rcpts_answered == s.rcpts_sent && s.rcpts_ok == 0 {
                order(found, "DATA after every recipient was refused", "Every RCPT was refused, so there is no one to deliver to: the server answers 503 or 554, and the client must not send the message.", "3.3");
            }
        }
        Command::Rset => {
            s.end_transaction();
            s.midway = false;
        }
        Command::Auth { .. } => {
            let rule = RfcRef::new(4954, "4");
            if s.authed {
                found.add(F::OutOfSequence, at, "AUTH after a successful AUTH", "Once AUTH has succeeded, no more AUTH commands may be given in the session; the server answers 503.", rule);
            } else if s.mail {
                found.add(F::OutOfSequence, at, "AUTH during a mail transaction", "AUTH is not allowed between MAIL and the end of the message; the server answers 503.", rule);
            }
        }
        Command::StartTls => {
            if s.tls.active {
                found.add(F::OutOfSequence, at, "STARTTLS inside TLS", "The connection is encrypted already: a client must not start TLS again, and a server no longer offers STARTTLS.", RfcRef::new(3207, "4.2"));
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
    let Ok((reply, _)) = decode::reply(&unit.bytes) else {
        if unit.complete {
            found.add(F::Unreadable, at, format!("A reply SMTP's decoder refuses: {}", shown(unit)), "A reply is a three-digit code, then a space (or a dash on every line but the last) and text, each line ending in CR LF.", RfcRef::new(RFC, "4.2"));
        }
        return;
    };
    let code = reply.code().value();
    let Some(asked) = asked else {
        if !s.midway {
            found.add(F::Contradiction, at, format!("A reply to no command: {code}"), "Every command gets exactly one reply, in order; this one has no command left to answer.", RfcRef::new(RFC, "4.2"));
        }
        return;
    };
    if !asked.fits(code) {
        let fits: Vec<String> = asked.allows().iter().map(u16::to_string).collect();
        found.add(
            F::Contradiction,
            at,
            format!("{code} does not answer {}", asked.name()),
            format!(
                "{} is answered with {} on success (or a 4xx/5xx error); {code} belongs to another command.",
                asked.name(),
                fits.join(" or ")
            ),
            RfcRef::new(RFC, if asked == Asked::Greeting { "3.1" } else { "4.3.2" }),
        );
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
                found.add(F::Contradiction, at, "354 although no recipient was accepted", "With no accepted recipient the server should refuse DATA (503 or 554); a 354 asks for a message that can go nowhere.", RfcRef::new(RFC, "3.3"));
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
        found.add(
            F::NoGoodbye,
            last,
            "The session ends without QUIT",
            "The client must not close the connection before it has sent QUIT (and should wait for the 221). A server that sees the connection drop mid-transaction throws the transaction away.",
            RfcRef::new(RFC, "4.1.1.10"),
        );
    }
    (found, states)
}
