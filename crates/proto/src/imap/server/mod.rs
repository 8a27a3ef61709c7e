//! The IMAP server session (RFC 9051 / RFC 3501) on the shared store, with IDLE (RFC 2177),
//! CONDSTORE (RFC 7162), MOVE (RFC 6851), UIDPLUS (RFC 4315), CHILDREN (RFC 3348), ID
//! (RFC 2971), LITERAL+ and SASL-IR.
//!
//! Several sessions may have one mailbox selected: each keeps its own view (message
//! numbers, the flags it last reported) and tells its client what changed when the rules
//! allow — never an EXPUNGE during FETCH, STORE or SEARCH (RFC 9051 §7.5.1), at once while
//! the client IDLEs.
//!
//! This file holds the session, its public API, the framing of input and which command goes
//! where; its states are in `phase`, the commands in `auth`, `mailbox`, `list` (LIST and LSUB
//! over the hierarchy), `fetch`, `store_copy`, `search`, `updates` (what changed, and IDLE)
//! and `rev2` (what only IMAP4rev2 adds).

use std::collections::{BTreeSet, VecDeque};

use super::decode::{self, Framing};
use super::types::{Command, SeqNumber, State, MAX_LINE};
use crate::smtp::TlsPolicy;
use crate::store::MailStore;
use crate::time::{Duration, Instant};

mod auth;
mod completion;
mod fetch;
#[cfg(feature = "mailboxes")]
mod list;
mod mailbox;
mod phase;
#[cfg(feature = "imap4rev2")]
mod rev2;
mod search;
mod store_copy;
mod updates;

use completion::Completion;
use phase::Phase;
use updates::MailboxView;

/// RFC 9051 §5.4: "If a server has an inactivity autologout timer ... that timer MUST be of
/// at least 30 minutes' duration."
pub const AUTOLOGOUT: Duration = Duration::from_secs(30 * 60);
/// Dovecot closes after three bad commands before login; after login we allow ten.
pub const MAX_BAD_BEFORE_LOGIN: u32 = 3;
pub const MAX_BAD_COMMANDS: u32 = 10;
/// The largest command before login, literals included (Dovecot allows 64 KiB too).
pub const PRE_LOGIN_LIMIT: usize = 64 * 1024;
/// The largest command after login, literals included: a MULTIAPPEND of several messages
/// is held whole until its last literal arrives (it is stored all or none), so the number of
/// messages in one command is bounded by their size.
pub const COMMAND_LIMIT: usize = 64 * 1024 * 1024;
/// Commands are not read while this many octets of answers wait to be taken.
pub const OUTPUT_BOUND: usize = 1 << 20;

/// How far the framing of the input got, so nothing is read twice.
#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    command: decode::Progress,
    /// Octets of a continuation line (DONE, a SASL answer) known to hold no line feed.
    scanned_continuation: usize,
}
/// After this many refused logins (LOGIN or AUTHENTICATE) the session closes, as POP3's
/// does: a password guesser must reconnect for every few guesses, and the host may slow
/// each refusal down.
pub const MAX_LOGIN_FAILURES: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub hostname: String,
    pub tls: TlsPolicy,
    pub secure_from_start: bool,
    /// Offer IMAP4rev2 (RFC 9051) beside IMAP4rev1. Needs the `imap4rev2` feature; without
    /// it, or when false, the server is the IMAP4rev1 server it always was.
    pub imap4rev2: bool,
}

impl ServerConfig {
    pub fn new(hostname: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            tls: TlsPolicy::NotOffered,
            secure_from_start: false,
            imap4rev2: false,
        }
    }
}

/// What the server did, in the past tense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    LoggedIn {
        user: String,
    },
    LoginFailed,
    MailboxSelected {
        mailbox: String,
        exists: usize,
        read_only: bool,
    },
    MessageAppended {
        mailbox: String,
        uid: u32,
    },
    FlagsChanged {
        mailbox: String,
        uid: u32,
        flags: BTreeSet<String>,
    },
    MessagesExpunged {
        mailbox: String,
        uids: Vec<u32>,
    },
    MessagesCopied {
        from: String,
        to: String,
        uids: Vec<u32>,
        moved: bool,
    },
    TlsRequested,
    IdleStarted,
    IdleEnded,
    TimedOut,
    SessionClosed,
}

/// One server side of one IMAP connection.
#[derive(Debug, Clone)]
pub struct ImapServer {
    config: ServerConfig,
    phase: Phase,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ServerEvent>,
    /// CONDSTORE is on for the rest of the session (ENABLE, or a SELECT with CONDSTORE).
    condstore: bool,
    /// ENABLE IMAP4rev2 was accepted: answers follow RFC 9051, not RFC 3501.
    #[cfg(feature = "imap4rev2")]
    imap4rev2: bool,
    encrypted: bool,
    /// Synchronising literals of the current command already answered with "+".
    acked_literals: usize,
    frame: Frame,
    bad_commands: u32,
    login_failures: u32,
    deadline: Instant,
}

impl ImapServer {
    /// A new session at `now`; its greeting is ready to send.
    pub fn new(config: ServerConfig, now: Instant) -> Self {
        let mut server = ImapServer {
            encrypted: config.secure_from_start,
            config,
            phase: Phase::default(),
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
            condstore: false,
            #[cfg(feature = "imap4rev2")]
            imap4rev2: false,
            acked_literals: 0,
            frame: Frame::default(),
            bad_commands: 0,
            login_failures: 0,
            deadline: now + AUTOLOGOUT,
        };
        // Upper-case status words: imaplib refuses a lower-case "* ok" greeting.
        let caps = server.capabilities();
        // The text names the newest revision offered (it is free text; the codes count).
        let revision = if caps.contains("IMAP4rev2") {
            "IMAP4rev2"
        } else {
            "IMAP4rev1"
        };
        let greeting = format!("* OK [CAPABILITY {caps}] Postroom {revision} server ready\r\n");
        server.output.push_back(greeting.into_bytes());
        server
    }

    pub fn state(&self) -> State {
        self.phase.state()
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Logout { .. })
    }

    pub fn is_idling(&self) -> bool {
        matches!(self.phase, Phase::Idling { .. })
    }

    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    pub fn user(&self) -> Option<&str> {
        self.phase.user()
    }

    pub fn selected_mailbox(&self) -> Option<&str> {
        self.phase.mailbox().map(|s| s.name.as_str())
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        (!self.is_closed()).then_some(self.deadline)
    }

    /// The autologout timer (RFC 9051 §5.4). An IMAP logout changes no mail; the store is
    /// taken as every session's timeout takes it.
    pub fn handle_timeout(&mut self, now: Instant, _store: &mut MailStore) {
        if !self.is_closed() && now >= self.deadline {
            self.output
                .push_back(b"* BYE Autologout; idle for too long\r\n".to_vec());
            self.events.push_back(ServerEvent::TimedOut);
            self.close();
        }
    }

    /// The connection ended.
    /// The connection ended without LOGOUT: \Deleted messages stay until an EXPUNGE.
    pub fn connection_lost(&mut self, _store: &mut MailStore) {
        if !self.is_closed() {
            self.close();
        }
    }

    pub fn tls_established(&mut self) {
        match &mut self.phase {
            Phase::StartingTls => self.phase = Phase::default(),
            Phase::Logout { tls_pending, .. } if *tls_pending => *tls_pending = false,
            _ => return,
        }
        self.encrypted = true;
    }

    /// Another session changed the store: a client in IDLE hears about it at once
    /// (RFC 2177 §3); others hear at their next command.
    pub fn handle_store_change(&mut self, store: &MailStore) {
        if self.is_idling() {
            let mut out = Vec::new();
            self.updates(store, true, &mut out);
            if !out.is_empty() {
                self.output.push_back(out);
            }
        }
    }

    pub fn handle_input(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) {
        if !self.reads_input() {
            return;
        }
        let mut input = std::mem::take(&mut self.input);
        input.extend_from_slice(bytes);
        let mut offset = 0;
        // Back-pressure: commands wait while a megabyte of answers waits to be taken; the
        // host calls again, with no new bytes, once it has sent them.
        while self.reads_input() && self.unsent() < OUTPUT_BOUND {
            let rest = input.get(offset..).unwrap_or_default();
            let used = if self.expects_continuation() {
                self.continuation_line(rest, store)
            } else {
                self.next_command(rest, store)
            };
            match used {
                Some(n) if n > 0 => offset += n,
                _ => break,
            }
        }
        if offset > 0 {
            // Only whole commands count as activity: a trickle of bytes cannot hold the
            // session open past the autologout.
            self.deadline = now + AUTOLOGOUT;
        }
        if !self.reads_input() {
            offset = input.len();
        }
        input.drain(..offset.min(input.len()));
        self.input = input;
    }

    /// Octets received and not yet read as commands.
    pub fn pending_input(&self) -> usize {
        self.input.len()
    }

    /// Octets of answers queued and not yet taken with `poll_output`.
    fn unsent(&self) -> usize {
        self.output.iter().map(Vec::len).sum()
    }

    /// False once the session is over, and while a TLS handshake is due: what arrives then
    /// is not read.
    fn reads_input(&self) -> bool {
        !matches!(self.phase, Phase::Logout { .. } | Phase::StartingTls)
    }

    /// The next line is not a command: DONE after IDLE, or the SASL response to "+".
    fn expects_continuation(&self) -> bool {
        matches!(
            self.phase,
            Phase::Idling { .. }
                | Phase::NotAuthenticated {
                    authenticating: Some(_)
                }
        )
    }

    fn close(&mut self) {
        self.phase = Phase::Logout {
            user: self.phase.user().map(str::to_string),
            tls_pending: matches!(self.phase, Phase::StartingTls),
        };
        self.events.push_back(ServerEvent::SessionClosed);
    }

    /// A line that is not a command: DONE after IDLE, or the SASL response to "+".
    fn continuation_line(&mut self, input: &[u8], store: &MailStore) -> Option<usize> {
        // Each octet is looked at once, however slowly the line arrives, and the line is
        // bounded as a command line is.
        let unscanned = input
            .get(self.frame.scanned_continuation..)
            .unwrap_or_default();
        let Some(lf) = unscanned
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| i + self.frame.scanned_continuation)
        else {
            self.frame.scanned_continuation = input.len();
            if input.len() > MAX_LINE {
                self.output
                    .push_back(b"* BYE Input buffer full\r\n".to_vec());
                self.close();
            }
            return None;
        };
        self.frame.scanned_continuation = 0;
        let line = input.get(..lf).unwrap_or_default();
        let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line)).into_owned();
        let out = match &mut self.phase {
            Phase::Idling { .. } => self.idle_done(&line),
            Phase::NotAuthenticated { authenticating } => match authenticating.take() {
                Some(tag) => self.sasl_response(&tag, &line, store),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        if !out.is_empty() {
            self.output.push_back(out);
        }
        Some(lf + 1)
    }

    fn next_command(&mut self, input: &[u8], store: &mut MailStore) -> Option<usize> {
        match decode::frame_resuming(input, MAX_LINE, &mut self.frame.command) {
            Framing::Incomplete { .. }
                if self.user().is_none() && input.len() > PRE_LOGIN_LIMIT =>
            {
                // Before login nobody is known: a command may not grow without bound (chained
                // literals in LOGIN), as Dovecot limits it too.
                self.output
                    .push_back(b"* BYE Command too long before login\r\n".to_vec());
                self.close();
                None
            }
            Framing::Incomplete { .. } if input.len() > COMMAND_LIMIT => {
                self.output
                    .push_back(b"* BYE Command too long\r\n".to_vec());
                self.close();
                None
            }
            Framing::Incomplete { sync_literals } => {
                // RFC 9051 §7.5: "+" tells the client to send a synchronising literal.
                while self.acked_literals < sync_literals {
                    self.acked_literals += 1;
                    self.output
                        .push_back(b"+ Ready for literal data\r\n".to_vec());
                }
                None
            }
            Framing::LineTooLong => {
                self.output
                    .push_back(b"* BYE Input buffer full\r\n".to_vec());
                self.close();
                None
            }
            Framing::LiteralTooLarge => {
                self.output
                    .push_back(b"* BYE Literal size too large\r\n".to_vec());
                self.close();
                None
            }
            Framing::Complete(n) => {
                self.acked_literals = 0;
                self.frame = Frame::default();
                let whole = input.get(..n).unwrap_or_default();
                let mut out = Vec::new();
                match decode::command(whole) {
                    Ok((tag, cmd)) => self.execute(&tag, cmd, store, &mut out),
                    Err(e) => {
                        let tag = e.tag.unwrap_or_else(|| "*".to_string());
                        self.bad(&tag, &e.reason, &mut out);
                    }
                }
                if !out.is_empty() {
                    self.output.push_back(out);
                }
                Some(n)
            }
        }
    }

    /// BAD, counted: too many in a row end the session, as Dovecot ends it.
    fn bad(&mut self, tag: &str, why: &str, out: &mut Vec<u8>) {
        Completion::bad(tag).text(why).write_to(out);
        self.bad_commands += 1;
        let limit = if self.user().is_none() {
            MAX_BAD_BEFORE_LOGIN
        } else {
            MAX_BAD_COMMANDS
        };
        if self.bad_commands >= limit {
            out.extend(b"* BYE Too many invalid IMAP commands.\r\n");
            self.close();
        }
    }

    /// Which states allow the command (RFC 9051 §6), and what to say when it is wrong.
    fn allows(&self, cmd: &Command) -> Result<(), &'static str> {
        let state = self.state();
        let logged_in = matches!(state, State::Authenticated | State::Selected);
        let (allowed, why) = match cmd {
            // RFC 2971 §3.1: ID is valid in any state; clients send it before login.
            Command::Capability | Command::Noop | Command::Logout | Command::Id(_) => (true, ""),
            Command::StartTls | Command::Authenticate { .. } | Command::Login { .. } => {
                (state == State::NotAuthenticated, "Already logged in")
            }
            Command::Enable(_) => (state == State::Authenticated, "ENABLE comes before SELECT"),
            Command::Select { .. } | Command::Idle => (logged_in, "Log in first"),
            #[cfg(feature = "mailboxes")]
            Command::Create(_)
            | Command::Delete(_)
            | Command::Rename { .. }
            | Command::Subscribe(_)
            | Command::Unsubscribe(_)
            | Command::List { .. }
            | Command::Namespace
            | Command::Status { .. }
            | Command::Append { .. } => (logged_in, "Log in first"),
            #[cfg(feature = "imap4rev2")]
            Command::Rev2(extended) if !extended.needs_selected() => (logged_in, "Log in first"),
            _ => match state {
                State::Selected => (true, ""),
                State::NotAuthenticated => (false, "Log in first"),
                _ => (false, "No mailbox selected"),
            },
        };
        if allowed {
            Ok(())
        } else {
            Err(why)
        }
    }

    fn execute(&mut self, tag: &str, cmd: Command, store: &mut MailStore, out: &mut Vec<u8>) {
        #[cfg(feature = "imap4rev2")]
        let cmd = match self.rev2_prepare(cmd) {
            Ok(cmd) => cmd,
            Err(why) => return self.bad(tag, &why, out),
        };
        if let Err(why) = self.allows(&cmd) {
            return self.bad(tag, &format!("{} {why}", cmd.name()), out);
        }
        if let Some(why) = self.past_the_end(&cmd) {
            return self.bad(tag, &format!("{} {why}", cmd.name()), out);
        }
        self.bad_commands = 0;
        if !self.condstore && cmd.enables_condstore() {
            self.enable_condstore(store, out);
        }
        let name = cmd.name();
        match cmd {
            Command::Capability => self.capability(tag, store, out),
            Command::Noop => self.finish(store, true, out, Completion::done(tag, name)),
            Command::Logout => self.logout(tag, out),
            Command::Id(_) => self.id(tag, store, out),
            Command::StartTls => self.start_tls(tag, out),
            Command::Login { user, password } => self.login(tag, &user, &password, store, out),
            Command::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(tag, &mechanism, initial_response.as_deref(), store, out),
            Command::Enable(caps) => self.enable(tag, caps, out),
            Command::Select {
                mailbox,
                read_only,
                condstore,
            } => self.select(tag, &mailbox, read_only, condstore, store, out),
            #[cfg(feature = "mailboxes")]
            Command::Create(folder) => self.change_folder(tag, name, store, out, |s, user| {
                s.create_folder(user, &folder)
            }),
            #[cfg(feature = "mailboxes")]
            Command::Delete(folder) => self.change_folder(tag, name, store, out, |s, user| {
                s.delete_folder(user, &folder)
            }),
            #[cfg(feature = "mailboxes")]
            Command::Rename { from, to } => self.change_folder(tag, name, store, out, |s, user| {
                s.rename_folder(user, &from, &to)
            }),
            #[cfg(feature = "mailboxes")]
            Command::Subscribe(folder) => self.change_folder(tag, name, store, out, |s, user| {
                s.set_subscribed(user, &folder, true)
            }),
            #[cfg(feature = "mailboxes")]
            Command::Unsubscribe(folder) => self.change_folder(tag, name, store, out, |s, user| {
                s.set_subscribed(user, &folder, false)
            }),
            #[cfg(feature = "mailboxes")]
            Command::List {
                reference,
                pattern,
                subscribed_only,
            } => self.list(tag, &reference, pattern, subscribed_only, store, out),
            #[cfg(feature = "mailboxes")]
            Command::Namespace => self.namespace(tag, store, out),
            #[cfg(feature = "mailboxes")]
            Command::Status { mailbox, items } => self.status(tag, &mailbox, &items, store, out),
            #[cfg(feature = "mailboxes")]
            Command::Append { mailbox, messages } => {
                self.append(tag, &mailbox, messages, store, out)
            }
            Command::Idle => self.idle(tag, store, out),
            Command::Close => self.close_mailbox(tag, name, true, store, out),
            Command::Unselect => self.close_mailbox(tag, name, false, store, out),
            Command::Expunge { uids } => self.expunge_command(tag, name, uids.as_ref(), store, out),
            Command::Search { uid, key } => self.search_command(tag, name, uid, &key, store, out),
            Command::Fetch {
                uid,
                set,
                items,
                changed_since,
            } => self.fetch_command(tag, name, uid, &set, &items, changed_since, store, out),
            Command::Store {
                uid,
                set,
                mode,
                silent,
                flags,
                unchanged_since,
            } => self.store_command(
                tag,
                name,
                uid,
                &set,
                mode,
                silent,
                &flags,
                unchanged_since,
                store,
                out,
            ),
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid,
                set,
                mailbox,
                remove,
            } => self.copy(tag, uid, &set, &mailbox, remove, store, out),
            #[cfg(feature = "imap4rev2")]
            Command::Rev2(extended) => self.rev2_execute(tag, extended, store, out),
        }
    }

    /// Why a command naming message numbers past the end of the mailbox is refused: RFC 9051
    /// §9 (seq-number) has the server answer BAD for a number greater than the number of
    /// messages, as Dovecot does. UIDs that do not exist are simply not there.
    fn past_the_end(&self, cmd: &Command) -> Option<String> {
        let set = match cmd {
            Command::Fetch {
                uid: false, set, ..
            }
            | Command::Store {
                uid: false, set, ..
            } => set,
            #[cfg(feature = "mailboxes")]
            Command::Copy {
                uid: false, set, ..
            } => set,
            _ => return None,
        };
        let exists = u32::try_from(self.phase.mailbox()?.uids.len()).unwrap_or(u32::MAX);
        let largest = set
            .0
            .iter()
            .flat_map(|(a, b)| [a, b])
            .filter_map(|n| match n {
                SeqNumber::Value(v) => Some(*v),
                SeqNumber::Largest => None,
            })
            .max()?;
        (largest > exists).then(|| {
            format!(
                "Invalid message number {largest}: this mailbox holds messages 1 to {exists} \
                 (RFC 9051 section 9)"
            )
        })
    }

    /// The first CONDSTORE enabling command (RFC 7162 §3.1) turns CONDSTORE on for the rest
    /// of the session: from now on FETCH responses carry MODSEQ and SELECT reports
    /// HIGHESTMODSEQ. With a mailbox selected, its HIGHESTMODSEQ is announced at once, as
    /// SELECT (CONDSTORE) would have (§3.1.2.1), so the client knows where it stands.
    fn enable_condstore(&mut self, store: &MailStore, out: &mut Vec<u8>) {
        self.condstore = true;
        let highest = self.phase.mailbox().and_then(|view| {
            store
                .folder(self.account(), &view.name)
                .map(|f| f.highest_modseq)
        });
        if let Some(highest) = highest {
            out.extend(format!("* OK [HIGHESTMODSEQ {highest}] Highest\r\n").bytes());
        }
    }

    /// True once the client has sent ENABLE IMAP4rev2 (always false without the feature).
    fn rev2_session(&self) -> bool {
        #[cfg(feature = "imap4rev2")]
        let enabled = self.imap4rev2;
        #[cfg(not(feature = "imap4rev2"))]
        let enabled = false;
        enabled
    }

    /// The logged-in user, whose mailboxes the commands act on.
    fn account(&self) -> &str {
        self.user().unwrap_or_default()
    }

    /// Sends what changed (when allowed), then the tagged completion.
    fn finish(
        &mut self,
        store: &MailStore,
        allow_expunge: bool,
        out: &mut Vec<u8>,
        done: Completion,
    ) {
        self.updates(store, allow_expunge, out);
        done.write_to(out);
    }
}
