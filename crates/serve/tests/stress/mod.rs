//! Many mail clients at once on one `postroom-serve`, every answer checked: IMAP clients that
//! create, rename and delete folders, append, set keywords and system flags, copy, move,
//! expunge, search (MODSEQ, ESEARCH and SAVE too), fetch, ask STATUS and LIST, and IDLE,
//! half of them CONDSTORE-aware from the start, beside SMTP deliveries and POP3 readers.
//! Each IMAP response is read by imap-codec (an independent implementation) and held to the
//! rules in `rules`; anything else counts as a protocol error. Bounded by a number of
//! operations per client, never by time.
//!
//! Used by `tests/many_clients.rs` (a short run) and `examples/many_clients.rs` (a long one
//! that prints its figures).
#![allow(dead_code)]

mod imap;
mod rules;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use imap::ImapClient;

/// The IMAP rules against a scripted server (see `imap::against_script`).
pub fn imap_errors_against_script(script: &[(&str, &[&str])]) -> Vec<String> {
    imap::against_script(script)
}

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
    pub imap_sessions: u64,
    pub imap_commands: u64,
    pub smtp_deliveries: u64,
    pub pop3_sessions: u64,
    /// IMAP responses read (untagged and tagged).
    pub responses: u64,
    /// How many responses each IMAP rule was applied to (see `rules`).
    pub checked: BTreeMap<&'static str, u64>,
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
            {
                let mut r = report.lock().unwrap();
                r.imap_sessions += 1;
                r.imap_commands += client.operations;
                for (rule, n) in &client.checked {
                    *r.checked.entry(rule).or_default() += n;
                }
            }
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
