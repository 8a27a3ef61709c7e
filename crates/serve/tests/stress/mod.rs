//! Many mail clients at once on one `postroom-serve`, every answer checked: IMAP clients that
//! create and delete folders, append, set keywords, copy, move, search, fetch and IDLE, beside
//! SMTP deliveries and POP3 readers. Each IMAP response is read by imap-codec (an independent
//! implementation) and held to invariants a client relies on; anything else counts as a
//! protocol error. Bounded by a number of operations per client, never by time.
//!
//! Used by `tests/many_clients.rs` (a short run) and `examples/many_clients.rs` (a long one
//! that prints its figures).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use imap_codec::decode::{Decoder, GreetingDecodeError, ResponseDecodeError};
use imap_codec::imap_types::fetch::MessageDataItem;
use imap_codec::imap_types::flag::{Flag, FlagFetch};
use imap_codec::imap_types::response::{Code, Data, Response, Status, StatusKind};
use imap_codec::imap_types::IntoStatic;
use imap_codec::{GreetingCodec, ResponseCodec};

/// What to run. Every user's password is `secret`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub users: Vec<String>,
    pub imap_clients: usize,
    pub operations_per_client: usize,
    pub smtp_messages: usize,
    pub pop3_sessions: usize,
    pub seed: u64,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Report {
    /// IMAP commands, SMTP transactions and POP3 sessions completed.
    pub operations: u64,
    pub imap_commands: u64,
    pub smtp_deliveries: u64,
    pub pop3_sessions: u64,
    /// IMAP responses read (untagged and tagged).
    pub responses: u64,
    /// Each protocol error, described.
    pub errors: Vec<String>,
    /// POP3 logins refused because another POP3 session held the maildrop: expected.
    pub pop3_in_use: u64,
    pub duration: Duration,
}

/// The ports of the server under load.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub smtp: u16,
    pub pop3: u16,
    pub imap: u16,
}

/// Runs the plan and waits for every client.
pub fn run(ports: Ports, plan: &Plan) -> Report {
    let start = Instant::now();
    let report = Arc::new(Mutex::new(Report::default()));
    let mut threads = Vec::new();
    for id in 0..plan.imap_clients {
        let user = plan.users[id % plan.users.len()].clone();
        let (report, plan) = (report.clone(), plan.clone());
        threads.push(thread::spawn(move || {
            let mut client = ImapClient::connect(ports.imap, id, plan.seed);
            client.session(&user, plan.operations_per_client);
            report.lock().unwrap().imap_commands += client.operations;
            merge(
                &report,
                client.operations,
                client.responses,
                client.errors,
                0,
            );
        }));
    }
    let (smtp_report, smtp_plan) = (report.clone(), plan.clone());
    threads.push(thread::spawn(move || {
        let (ops, errors) = smtp_deliveries(ports.smtp, &smtp_plan);
        smtp_report.lock().unwrap().smtp_deliveries += ops;
        merge(&smtp_report, ops, 0, errors, 0);
    }));
    for reader in 0..2 {
        let (pop_report, pop_plan) = (report.clone(), plan.clone());
        threads.push(thread::spawn(move || {
            let (ops, errors, in_use) = pop3_readers(ports.pop3, &pop_plan, reader);
            pop_report.lock().unwrap().pop3_sessions += ops;
            merge(&pop_report, ops, 0, errors, in_use);
        }));
    }
    for t in threads {
        if t.join().is_err() {
            report
                .lock()
                .unwrap()
                .errors
                .push("a client thread panicked".into());
        }
    }
    let mut report = std::mem::take(&mut *report.lock().unwrap());
    report.duration = start.elapsed();
    report
}

fn merge(report: &Mutex<Report>, ops: u64, responses: u64, errors: Vec<String>, in_use: u64) {
    let mut r = report.lock().unwrap();
    r.operations += ops;
    r.responses += responses;
    r.errors.extend(errors);
    r.pop3_in_use += in_use;
}

/// A small deterministic generator (xorshift), so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// One IMAP connection and what it knows of the selected mailbox, as a client would.
struct ImapClient {
    id: usize,
    stream: TcpStream,
    input: Vec<u8>,
    tag: u32,
    rng: Rng,
    selected: bool,
    /// The EXISTS count as this client has been told it.
    exists: u32,
    /// Keywords announced by the last FLAGS response.
    announced: BTreeSet<String>,
    /// UIDs by message number, from FETCH responses (0 while unknown).
    uids: Vec<u32>,
    /// The highest UID APPENDUID named, per mailbox.
    appended: BTreeMap<String, u32>,
    folders: Vec<String>,
    operations: u64,
    responses: u64,
    errors: Vec<String>,
}

impl ImapClient {
    fn connect(port: u16, id: usize, seed: u64) -> ImapClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to IMAP");
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let mut client = ImapClient {
            id,
            stream,
            input: Vec::new(),
            tag: 0,
            rng: Rng(seed ^ (id as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            selected: false,
            exists: 0,
            announced: BTreeSet::new(),
            uids: Vec::new(),
            appended: BTreeMap::new(),
            folders: Vec::new(),
            operations: 0,
            responses: 0,
            errors: Vec::new(),
        };
        client.greeting();
        client
    }

    fn error(&mut self, what: String) {
        self.errors.push(format!("IMAP client {}: {what}", self.id));
    }

    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.input.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    fn greeting(&mut self) {
        loop {
            let decoded = GreetingCodec::default()
                .decode(&self.input)
                .map(|(rest, _)| self.input.len() - rest.len());
            match decoded {
                Ok(used) => {
                    self.input.drain(..used);
                    return;
                }
                Err(GreetingDecodeError::Incomplete) if self.fill() => {}
                Err(e) => {
                    let text = String::from_utf8_lossy(&self.input).into_owned();
                    return self.error(format!("greeting not read ({e:?}): {text:?}"));
                }
            }
        }
    }

    /// Sends one command and reads every response up to its completion. Returns the
    /// completion's status and code, or `None` after a protocol error that ends the session.
    fn command(&mut self, text: &str) -> Option<(StatusKind, Option<String>)> {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        if self
            .stream
            .write_all(format!("{tag} {text}\r\n").as_bytes())
            .is_err()
        {
            self.error(format!("{text}: connection closed"));
            return None;
        }
        let done = self.read_until(&tag, text);
        if done.is_some() {
            self.operations += 1;
        }
        done
    }

    /// Reads responses until the one tagged `tag` (`None` for IDLE's continuation).
    fn read_until(&mut self, tag: &str, context: &str) -> Option<(StatusKind, Option<String>)> {
        loop {
            let decoded = ResponseCodec::default().decode(&self.input);
            let (used, response) = match decoded {
                Ok((rest, response)) => (self.input.len() - rest.len(), response.into_static()),
                Err(ResponseDecodeError::Incomplete | ResponseDecodeError::LiteralFound { .. }) => {
                    if !self.fill() {
                        self.error(format!("{context}: connection closed mid-answer"));
                        return None;
                    }
                    continue;
                }
                Err(e) => {
                    let line = self.input.split(|&b| b == b'\n').next().unwrap_or_default();
                    let line = String::from_utf8_lossy(line).into_owned();
                    self.error(format!("{context}: imap-codec rejects ({e:?}) {line:?}"));
                    return None;
                }
            };
            self.input.drain(..used);
            self.responses += 1;
            match response {
                Response::CommandContinuationRequest(_) if tag == "+" => return None,
                Response::Status(Status::Tagged(t)) if t.tag.inner() == tag => {
                    let code = t.body.code.as_ref().map(|c| format!("{c:?}"));
                    if let Some(Code::AppendUid { uid, .. }) = &t.body.code {
                        self.appended_uid(context, uid.get());
                    }
                    if t.body.kind == StatusKind::Bad {
                        self.error(format!("{context}: BAD {:?}", t.body.text));
                    }
                    return Some((t.body.kind, code));
                }
                // LOGOUT's BYE comes before its OK; any other BYE ends the session.
                Response::Status(Status::Bye(_)) if context == "LOGOUT" => {}
                Response::Status(Status::Bye(b)) => {
                    self.error(format!("{context}: BYE {:?}", b.text));
                    return None;
                }
                Response::Data(data) => self.data(data, context),
                other => {
                    if let Response::Status(Status::Tagged(t)) = &other {
                        self.error(format!("{context}: completion of another tag {:?}", t.tag));
                    }
                }
            }
        }
    }

    /// UIDs given to appended messages only grow, in each mailbox.
    fn appended_uid(&mut self, context: &str, uid: u32) {
        let mailbox = context.split(' ').nth(1).unwrap_or_default().to_string();
        let last = self.appended.insert(mailbox.clone(), uid).unwrap_or(0);
        if uid <= last {
            self.error(format!("APPENDUID {uid} after {last} in {mailbox}"));
        }
    }

    /// The invariants of untagged data: FLAGS before a keyword appears, message numbers
    /// within EXISTS, UIDs ascending with message numbers.
    fn data(&mut self, data: Data<'_>, context: &str) {
        match data {
            Data::Flags(flags) => {
                self.announced = flags
                    .iter()
                    .filter_map(|f| match f {
                        Flag::Keyword(k) => Some(k.inner().to_string()),
                        _ => None,
                    })
                    .collect();
            }
            Data::Exists(n) => {
                if n < self.exists && self.selected {
                    self.error(format!(
                        "{context}: EXISTS fell from {} to {n}",
                        self.exists
                    ));
                }
                self.exists = n;
                self.uids.resize(n as usize, 0);
            }
            Data::Expunge(n) => {
                let n = n.get();
                if n > self.exists {
                    self.error(format!(
                        "{context}: EXPUNGE {n} of {} messages",
                        self.exists
                    ));
                } else {
                    self.exists -= 1;
                    self.uids.remove(n as usize - 1);
                }
            }
            Data::Fetch { seq, items } => {
                let seq = seq.get();
                if seq > self.exists {
                    return self.error(format!("{context}: FETCH {seq} of {}", self.exists));
                }
                for item in items.as_ref() {
                    match item {
                        MessageDataItem::Flags(flags) => self.keywords_announced(flags, context),
                        MessageDataItem::Uid(uid) => self.uid_in_order(seq, uid.get(), context),
                        _ => {}
                    }
                }
            }
            Data::Search(found, _) => {
                if let Some(n) = found.iter().find(|n| n.get() > self.exists) {
                    self.error(format!("{context}: SEARCH found {n} of {}", self.exists));
                }
            }
            _ => {}
        }
    }

    /// RFC 3501 §7.2.6: a keyword in a FETCH was announced in FLAGS first.
    fn keywords_announced(&mut self, flags: &[FlagFetch<'_>], context: &str) {
        for flag in flags {
            if let FlagFetch::Flag(Flag::Keyword(k)) = flag {
                let k = k.inner().to_string();
                if !self.announced.contains(&k) {
                    self.error(format!(
                        "{context}: keyword {k} in FETCH before FLAGS named it"
                    ));
                }
            }
        }
    }

    /// UIDs strictly ascend with message numbers (RFC 9051 §2.3.1.1).
    fn uid_in_order(&mut self, seq: u32, uid: u32, context: &str) {
        let i = seq as usize - 1;
        if let Some(slot) = self.uids.get_mut(i) {
            if *slot != 0 && *slot != uid {
                let was = *slot;
                return self.error(format!("{context}: message {seq} was UID {was}, now {uid}"));
            }
            *slot = uid;
        }
        let before = self.uids[..i].iter().rev().find(|&&u| u != 0);
        let after = self.uids[i + 1..].iter().find(|&&u| u != 0);
        if before.is_some_and(|&b| b >= uid) || after.is_some_and(|&a| a <= uid) {
            self.error(format!(
                "{context}: UID {uid} of message {seq} out of order"
            ));
        }
    }

    fn expect_ok(&mut self, text: &str) {
        if let Some((kind, _)) = self.command(text) {
            if kind != StatusKind::Ok {
                self.error(format!("{text}: {kind:?}"));
            }
        }
    }

    fn session(&mut self, user: &str, operations: usize) {
        self.expect_ok(&format!("LOGIN {user} secret"));
        self.expect_ok("SELECT INBOX");
        self.selected = true;
        for _ in 0..operations {
            if !self.errors.is_empty() && self.errors.len() > 20 {
                break;
            }
            self.step();
        }
        self.expect_ok("LOGOUT");
    }

    /// One operation, picked at random.
    fn step(&mut self) {
        let label = format!("$Label{}", self.rng.below(6) + 1);
        let some = |rng: &mut Rng, exists: u32| rng.below(u64::from(exists)) as u32 + 1;
        match self.rng.below(12) {
            0 => {
                let name = format!("Stress/c{}-{}", self.id, self.tag);
                self.expect_ok(&format!("CREATE {name}"));
                self.folders.push(name);
            }
            1 if !self.folders.is_empty() => {
                let i = self.rng.below(self.folders.len() as u64) as usize;
                let name = self.folders.swap_remove(i);
                self.expect_ok(&format!("DELETE {name}"));
            }
            2 | 3 => {
                let body = format!(
                    "From: c{}@example.org\r\nSubject: note {}\r\n\r\nHello {label}.\r\n",
                    self.id, self.tag
                );
                let flags = if self.rng.below(2) == 0 {
                    label
                } else {
                    String::new()
                };
                self.expect_ok(&format!(
                    "APPEND INBOX ({flags}) {{{}+}}\r\n{body}",
                    body.len()
                ));
            }
            4 | 5 if self.exists > 0 => {
                let n = some(&mut self.rng, self.exists);
                self.expect_ok(&format!("STORE {n} +FLAGS ({label})"));
            }
            6 if self.exists > 0 && !self.folders.is_empty() => {
                let n = some(&mut self.rng, self.exists);
                let to = self.folders[self.rng.below(self.folders.len() as u64) as usize].clone();
                let verb = if self.rng.below(3) == 0 {
                    "MOVE"
                } else {
                    "COPY"
                };
                self.expect_ok(&format!("{verb} {n} {to}"));
            }
            7 => self.expect_ok(&format!("SEARCH KEYWORD {label}")),
            8 if self.exists > 0 => self.expect_ok("FETCH 1:* (UID FLAGS)"),
            9 => self.idle(),
            10 if self.exists > 40 => {
                // Keep the mailbox small: delete a few of the oldest.
                self.expect_ok("STORE 1:5 +FLAGS.SILENT (\\Deleted)");
                self.expect_ok("EXPUNGE");
            }
            _ => self.expect_ok("NOOP"),
        }
    }

    /// IDLE for a moment, reading what others do, then DONE.
    fn idle(&mut self) {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        if self
            .stream
            .write_all(format!("{tag} IDLE\r\n").as_bytes())
            .is_err()
        {
            return self.error("IDLE: connection closed".into());
        }
        self.read_until("+", "IDLE");
        thread::sleep(Duration::from_millis(20));
        if self.stream.write_all(b"DONE\r\n").is_err() {
            return self.error("DONE: connection closed".into());
        }
        if let Some((kind, _)) = self.read_until(&tag, "IDLE") {
            self.operations += 1;
            if kind != StatusKind::Ok {
                self.error(format!("IDLE: {kind:?}"));
            }
        }
    }
}

/// SMTP deliveries to the users, one transaction per connection; each reply's code checked.
fn smtp_deliveries(port: u16, plan: &Plan) -> (u64, Vec<String>) {
    let mut errors = Vec::new();
    let mut done = 0;
    for i in 0..plan.smtp_messages {
        let user = &plan.users[i % plan.users.len()];
        let script: [(&str, &str); 6] = [
            ("", "220"),
            ("EHLO load.example.org", "250"),
            ("MAIL FROM:<load@example.org>", "250"),
            (&format!("RCPT TO:<{user}@example.net>"), "250"),
            ("DATA", "354"),
            (
                &format!("Subject: delivery {i}\r\n\r\nKeywords come later.\r\n."),
                "250",
            ),
        ];
        match smtp_transaction(port, &script) {
            Ok(()) => done += 1,
            Err(e) => errors.push(format!("SMTP delivery {i}: {e}")),
        }
    }
    (done, errors)
}

fn smtp_transaction(port: u16, script: &[(&str, &str)]) -> Result<(), String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    for (send, expect) in script.iter().chain(&[("QUIT", "221")]) {
        if !send.is_empty() {
            writer
                .write_all(format!("{send}\r\n").as_bytes())
                .map_err(|e| e.to_string())?;
        }
        // A reply: lines "ddd-" then "ddd ".
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if line.len() < 4 || !line.ends_with("\r\n") || !line.starts_with(expect) {
                return Err(format!("{send:?} answered {line:?}, expected {expect}"));
            }
            if line.as_bytes()[3] == b' ' {
                break;
            }
        }
    }
    Ok(())
}

/// POP3 sessions reading the users' INBOXes: STAT, LIST, UIDL and RETR of the first message,
/// each answer's form checked; `-ERR [IN-USE]` when another reader holds the maildrop.
fn pop3_readers(port: u16, plan: &Plan, reader_id: usize) -> (u64, Vec<String>, u64) {
    let mut errors = Vec::new();
    let (mut done, mut in_use) = (0, 0);
    for i in 0..plan.pop3_sessions {
        let user = &plan.users[(i + reader_id) % plan.users.len()];
        match pop3_session(port, user) {
            Ok(true) => done += 1,
            Ok(false) => in_use += 1,
            Err(e) => errors.push(format!("POP3 reader {reader_id} session {i}: {e}")),
        }
        thread::sleep(Duration::from_millis(5));
    }
    (done, errors, in_use)
}

/// Ok(false): the maildrop was in use.
fn pop3_session(port: u16, user: &str) -> Result<bool, String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let line = |reader: &mut BufReader<TcpStream>| -> Result<String, String> {
        let mut l = String::new();
        reader.read_line(&mut l).map_err(|e| e.to_string())?;
        if !l.ends_with("\r\n") {
            return Err(format!("line without CRLF: {l:?}"));
        }
        Ok(l)
    };
    let greeting = line(&mut reader)?;
    if !greeting.starts_with("+OK") {
        return Err(format!("greeting {greeting:?}"));
    }
    let mut say = |cmd: &str, multi: bool| -> Result<String, String> {
        writer
            .write_all(format!("{cmd}\r\n").as_bytes())
            .map_err(|e| e.to_string())?;
        let first = line(&mut reader)?;
        if first.starts_with("+OK") && multi {
            loop {
                let l = line(&mut reader)?;
                if l == ".\r\n" {
                    break;
                }
            }
        }
        Ok(first)
    };
    let _ = say(&format!("USER {user}"), false)?;
    let pass = say("PASS secret", false)?;
    if pass.starts_with("-ERR [IN-USE]") {
        say("QUIT", false)?;
        return Ok(false);
    }
    let stat = say("STAT", false)?;
    let count: u32 = stat
        .split(' ')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("STAT answered {stat:?}"))?;
    for (cmd, multi) in [("LIST", true), ("UIDL", true)] {
        let answer = say(cmd, multi)?;
        if !answer.starts_with("+OK") {
            return Err(format!("{cmd} answered {answer:?}"));
        }
    }
    if count > 0 {
        // An IMAP session may have expunged the message since the maildrop was opened: POP3
        // then answers -ERR [SYS/TEMP] (RFC 2449 §8.1.3), which is right.
        let answer = say("RETR 1", true)?;
        if !answer.starts_with("+OK") && !answer.starts_with("-ERR [SYS/TEMP]") {
            return Err(format!("RETR 1 answered {answer:?}"));
        }
    }
    let quit = say("QUIT", false)?;
    if !quit.starts_with("+OK") {
        return Err(format!("QUIT answered {quit:?}"));
    }
    Ok(true)
}
