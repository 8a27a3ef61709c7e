//! POP3's rules: the AUTHORIZATION and TRANSACTION states and which commands each allows
//! (RFC 1939 §§3–7), STLS (RFC 2595 §4), AUTH's challenges (RFC 5034 §4), and the UPDATE
//! state that only QUIT reaches (RFC 1939 §6).

use std::collections::{BTreeSet, VecDeque};

use postroom_proto::i18n::{Message, Text};
use postroom_proto::pop3::{decode, Command, State};
use postroom_proto::{msg, text, RfcRef};

use super::{first_on_wire, shown, starts_midway, waiting, FindingKind as F, Findings, TlsWatch};
use crate::log::follow::{Kind, Unit};

#[derive(Debug)]
struct Session {
    /// For each response still to come, the command it answers (None: unreadable).
    pending: VecDeque<Option<Command>>,
    greeted: bool,
    state: State,
    user_ok: bool,
    /// USER commands sent whose answers have not come.
    users_asked: usize,
    /// A login command was sent and its answer has not come.
    logging_in: bool,
    /// Messages marked with DELE, by number.
    deleted: BTreeSet<u32>,
    quit: bool,
    tls: TlsWatch,
}

const RFC: u16 = 1939;

fn is_login(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Pass(_) | Command::Apop { .. } | Command::Auth { .. }
    )
}

/// The message a command names, where it names one.
fn message(cmd: &Command) -> Option<u32> {
    match cmd {
        Command::Retr(n) | Command::Dele(n) | Command::Top { msg: n, .. } => Some(*n),
        Command::List(n) | Command::Uidl(n) => *n,
        _ => None,
    }
}

fn command(s: &mut Session, i: usize, unit: &Unit, found: &mut Findings) -> Option<Command> {
    let at = Some((i, unit));
    let line = unit.text_lines().next().unwrap_or_default();
    let cmd = match decode::command(line) {
        Ok(cmd) => cmd,
        Err(e) => {
            let line = shown(unit);
            let message = match e {
                decode::CommandError::Unknown => {
                    msg!("log.finding.pop3-unknown-command", line = line)
                }
                decode::CommandError::Syntax(usage) => {
                    msg!("log.finding.pop3-bad-arguments", line = line, usage = usage)
                }
            };
            let rule = RfcRef::new(RFC, "3");
            found.add(F::Unreadable, at, message, rule);
            return None;
        }
    };
    let order = |found: &mut Findings, message: Message, rule| {
        found.add(F::OutOfSequence, at, message, rule);
    };
    let word = cmd.keyword();
    if s.quit {
        let message = msg!("log.finding.pop3-after-quit", command = word);
        order(found, message, RfcRef::new(RFC, "6"));
    }
    let authorizing = s.state == State::Authorization && !s.logging_in;
    match &cmd {
        Command::Stat
        | Command::List(_)
        | Command::Retr(_)
        | Command::Dele(_)
        | Command::Noop
        | Command::Rset
        | Command::Top { .. }
        | Command::Uidl(_)
            if authorizing =>
        {
            let message = msg!("log.finding.pop3-before-login", command = word);
            order(found, message, RfcRef::new(RFC, "5"));
        }
        Command::User(_) | Command::Pass(_) | Command::Apop { .. }
            if s.state == State::Transaction =>
        {
            let message = msg!("log.finding.pop3-login-again", command = word);
            order(found, message, RfcRef::new(RFC, "7"));
        }
        Command::Auth {
            mechanism: Some(_), ..
        } if s.state == State::Transaction => {
            let message = msg!("log.finding.pop3-auth-again", command = word);
            order(found, message, RfcRef::new(5034, "4"));
        }
        Command::Pass(_)
            if authorizing
                && !s.user_ok
                && !s
                    .pending
                    .iter()
                    .flatten()
                    .any(|c| matches!(c, Command::User(_))) =>
        {
            let message = msg!("log.finding.pop3-pass-without-user");
            order(found, message, RfcRef::new(RFC, "7"));
        }
        Command::Stls if s.state == State::Transaction || s.tls.active => {
            let message = msg!("log.finding.pop3-stls-again");
            order(found, message, RfcRef::new(2595, "4"));
        }
        _ => {}
    }
    match &cmd {
        Command::Stls => s.tls.ask(),
        Command::Quit => s.quit = true,
        Command::User(_) => s.users_asked += 1,
        c if is_login(c) => s.logging_in = true,
        _ => {}
    }
    Some(cmd)
}

fn response(s: &mut Session, i: usize, unit: &Unit, found: &mut Findings) {
    let at = Some((i, unit));
    if !std::mem::replace(&mut s.greeted, true) {
        return;
    }
    let to = s.pending.pop_front().flatten();
    if unit.bytes.starts_with(b"+ ") || unit.bytes == b"+\r\n" {
        if !matches!(to, Some(Command::Auth { .. })) {
            let message = msg!("log.finding.pop3-unasked-challenge");
            let rule = RfcRef::new(5034, "4");
            found.add(F::Contradiction, at, message, rule);
        }
        // The answer to the challenge gets the response to AUTH.
        s.pending.push_front(to);
        return;
    }
    let multiline = to.as_ref().is_some_and(Command::has_multiline_response);
    let Ok((r, _)) = decode::response(&unit.bytes, multiline && unit.bytes.starts_with(b"+OK"))
    else {
        if unit.complete {
            let message = msg!("log.finding.pop3-bad-response", line = shown(unit));
            let rule = RfcRef::new(RFC, "3");
            found.add(F::Unreadable, at, message, rule);
        }
        return;
    };
    let Some(cmd) = to else { return };
    if r.ok {
        if let Some(n) = message(&cmd).filter(|n| s.deleted.contains(n)) {
            let message = msg!(
                "log.finding.pop3-deleted-message",
                command = cmd.keyword(),
                n = n
            );
            let rule = RfcRef::new(RFC, "5");
            found.add(F::Contradiction, at, message, rule);
        }
    }
    match &cmd {
        Command::User(_) => {
            s.user_ok = r.ok;
            s.users_asked = s.users_asked.saturating_sub(1);
        }
        c if is_login(c) => {
            s.logging_in = false;
            if r.ok {
                s.state = State::Transaction;
            }
        }
        Command::Dele(n) if r.ok => {
            s.deleted.insert(*n);
        }
        Command::Rset if r.ok => s.deleted.clear(),
        Command::Quit => {
            s.state = if s.state == State::Transaction {
                State::Update
            } else {
                State::Closed
            };
        }
        Command::Stls => s.tls.answered(r.ok),
        _ => {}
    }
}

/// POP3 findings, and the server's state after each unit.
pub(super) fn check(units: &[Unit], left_open: bool) -> (Findings, Vec<(Text, Text)>) {
    let mut found = Findings::default();
    let midway = starts_midway(
        units,
        |u| {
            let line = u.text_lines().next().unwrap_or_default();
            matches!(
                decode::command(line),
                Ok(Command::User(_)
                    | Command::Apop { .. }
                    | Command::Auth { .. }
                    | Command::Capa
                    | Command::Stls
                    | Command::Quit)
            )
        },
        |u| u.bytes.starts_with(b"+OK"),
    );
    let mut s = Session {
        pending: VecDeque::new(),
        // A log that starts with the client (or midway) has no greeting to wait for.
        greeted: midway || first_on_wire(units).is_some_and(|u| u.kind != Kind::Reply),
        state: if midway {
            State::Transaction
        } else {
            State::Authorization
        },
        user_ok: false,
        users_asked: 0,
        logging_in: false,
        deleted: BTreeSet::new(),
        quit: false,
        tls: TlsWatch::default(),
    };
    let mut states = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        s.tls
            .unit(i, unit, &mut found, RfcRef::new(2595, "4"), "STLS");
        match unit.kind {
            Kind::Command => {
                s.tls
                    .sent(i, unit, &mut found, RfcRef::new(2595, "4"), "STLS");
                let cmd = command(&mut s, i, unit, &mut found);
                s.pending.push_back(cmd);
            }
            Kind::Continuation => {}
            Kind::Reply => response(&mut s, i, unit, &mut found),
            Kind::Message | Kind::Note => {}
        }
        let client = match s.pending.front() {
            Some(None) if s.pending.len() == 1 => text!("state.waiting-answer-unreadable"),
            first => waiting(
                first.map(|c| c.as_ref().map_or("?", Command::keyword)),
                s.pending.len(),
            ),
        };
        states.push((client, s.state.text()));
    }
    let spoke = units.iter().any(|u| u.kind == Kind::Command);
    if !s.quit && spoke && !left_open {
        let last = units
            .iter()
            .enumerate()
            .rev()
            .find(|(_, u)| u.kind != Kind::Note);
        let message = match (s.state, s.deleted.len()) {
            (State::Transaction, 0) => msg!("log.finding.pop3-no-quit-logged-in"),
            (State::Transaction, n) => msg!("log.finding.pop3-no-quit-deleted", count = n),
            _ => msg!("log.finding.pop3-no-quit"),
        };
        let rule = RfcRef::new(RFC, "6");
        found.add(F::NoGoodbye, last, message, rule);
    }
    (found, states)
}
