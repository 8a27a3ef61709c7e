//! One IMAP client of the many-clients run: it reads every response with imap-codec (an
//! independent implementation), holds it to the rules in `rules`, and picks its next
//! command at random among what a mail program does with folders, keywords and flags.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use imap_codec::decode::{Decoder, GreetingDecodeError, ResponseDecodeError};
use imap_codec::imap_types::response::{Code, Response, Status, StatusKind};
use imap_codec::imap_types::IntoStatic;
use imap_codec::{GreetingCodec, ResponseCodec};

use super::rules::{Command, Selected};
use super::Rng;

/// Keywords the clients set: the labels mail programs use and a few of a user's own.
const KEYWORDS: [&str; 9] = [
    "$Label1", "$Label2", "$Label3", "$Label4", "$Label5", "Project7", "todo", "Later", "Work-2",
];
const SYSTEM_FLAGS: [&str; 4] = ["\\Seen", "\\Flagged", "\\Answered", "\\Draft"];

/// One IMAP connection and what it knows of the server, as a client would.
pub(super) struct ImapClient {
    pub(super) id: usize,
    stream: TcpStream,
    input: Vec<u8>,
    tag: u32,
    rng: Rng,
    /// The selected mailbox as this client has been told it (`None` while none is).
    pub(super) selected: Option<Selected>,
    /// The command being answered.
    pub(super) current: Command,
    /// CONDSTORE is on for the session (RFC 7162 §3.1).
    pub(super) condstore: bool,
    /// The highest UID APPENDUID named, per mailbox.
    pub(super) appended: BTreeMap<String, u32>,
    /// UIDNEXT and HIGHESTMODSEQ last reported per mailbox and UIDVALIDITY (SELECT,
    /// STATUS): neither may go back.
    pub(super) reported: BTreeMap<(String, u32), (u32, u64)>,
    /// Mailboxes this client created and has not deleted: LIST must show them.
    pub(super) folders: Vec<String>,
    /// Names LIST returned for the command being answered.
    pub(super) listed: BTreeSet<String>,
    pub(super) operations: u64,
    pub(super) responses: u64,
    /// How many responses each rule was applied to.
    pub(super) checked: BTreeMap<&'static str, u64>,
    pub(super) errors: Vec<String>,
}

impl ImapClient {
    pub(super) fn connect(port: u16, id: usize, seed: u64) -> ImapClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to IMAP");
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let mut client = ImapClient {
            id,
            stream,
            input: Vec::new(),
            tag: 0,
            rng: Rng(seed ^ (id as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            selected: None,
            current: Command::default(),
            condstore: false,
            appended: BTreeMap::new(),
            reported: BTreeMap::new(),
            folders: Vec::new(),
            listed: BTreeSet::new(),
            operations: 0,
            responses: 0,
            checked: BTreeMap::new(),
            errors: Vec::new(),
        };
        client.greeting();
        client
    }

    pub(super) fn error(&mut self, what: String) {
        self.errors.push(format!(
            "IMAP client {} at {}: {what}",
            self.id, self.current.text
        ));
    }

    /// Counts one application of `rule`.
    pub(super) fn check(&mut self, rule: &'static str) {
        *self.checked.entry(rule).or_default() += 1;
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
    /// completion's status, or `None` after a protocol error that ends the session.
    fn command(&mut self, text: &str) -> Option<StatusKind> {
        self.tag += 1;
        self.current = Command::new(format!("t{}", self.tag), text);
        self.listed.clear();
        if self
            .stream
            .write_all(format!("{} {text}\r\n", self.current.tag).as_bytes())
            .is_err()
        {
            self.error("connection closed".into());
            return None;
        }
        let tag = self.current.tag.clone();
        let done = self.read_until(&tag);
        if done.is_some() {
            self.operations += 1;
            self.completed(done);
        }
        done
    }

    /// Reads responses until the one tagged `tag` ("+" for IDLE's continuation, which
    /// returns `None`).
    fn read_until(&mut self, tag: &str) -> Option<StatusKind> {
        loop {
            // imap-codec does not read ESEARCH (RFC 4731): those lines are checked here.
            if self.input.starts_with(b"* ESEARCH ") {
                match self.input.windows(2).position(|w| w == b"\r\n") {
                    Some(end) => {
                        let line = String::from_utf8_lossy(&self.input[..end]).into_owned();
                        self.input.drain(..end + 2);
                        self.responses += 1;
                        self.esearch(&line);
                        continue;
                    }
                    None if self.fill() => continue,
                    None => {
                        self.error("connection closed mid-ESEARCH".into());
                        return None;
                    }
                }
            }
            let decoded = ResponseCodec::default().decode(&self.input);
            let (used, response) = match decoded {
                Ok((rest, response)) => (self.input.len() - rest.len(), response.into_static()),
                Err(ResponseDecodeError::Incomplete | ResponseDecodeError::LiteralFound { .. }) => {
                    if !self.fill() {
                        self.error("connection closed mid-answer".into());
                        return None;
                    }
                    continue;
                }
                Err(e) => {
                    let line = self.input.split(|&b| b == b'\n').next().unwrap_or_default();
                    let line = String::from_utf8_lossy(line).into_owned();
                    self.error(format!("imap-codec rejects ({e:?}) {line:?}"));
                    return None;
                }
            };
            self.input.drain(..used);
            self.responses += 1;
            match response {
                Response::CommandContinuationRequest(_) if tag == "+" => return None,
                Response::CommandContinuationRequest(_) => {
                    self.error("a continuation request nothing asked for".into());
                    return None;
                }
                Response::Status(Status::Tagged(t)) if t.tag.inner() == tag => {
                    self.check("tagged completion");
                    if let Some(code) = &t.body.code {
                        self.code(code);
                    }
                    if t.body.kind == StatusKind::Bad {
                        self.error(format!("BAD {:?}", t.body.text));
                    }
                    return Some(t.body.kind);
                }
                Response::Status(Status::Tagged(t)) => {
                    self.check("tagged completion");
                    self.error(format!("completion of another tag {:?}", t.tag));
                    return None;
                }
                Response::Status(Status::Untagged(body)) => {
                    if body.kind == StatusKind::Bad {
                        self.error(format!("untagged BAD {:?}", body.text));
                    }
                    if let Some(code) = &body.code {
                        self.code(code);
                    }
                }
                // LOGOUT's BYE comes before its OK; any other BYE ends the session.
                Response::Status(Status::Bye(_)) if self.current.verb == "LOGOUT" => {}
                Response::Status(Status::Bye(b)) => {
                    self.error(format!("BYE {:?}", b.text));
                    return None;
                }
                Response::Data(data) => self.data(data),
            }
        }
    }

    fn expect_ok(&mut self, text: &str) -> bool {
        self.send(text) == Some(StatusKind::Ok)
    }

    /// SELECT or EXAMINE: what the client knew of the previous mailbox goes.
    fn select(&mut self, verb: &str, mailbox: &str, condstore: bool) {
        let text = if condstore {
            format!("{verb} {mailbox} (CONDSTORE)")
        } else {
            format!("{verb} {mailbox}")
        };
        self.send(&text);
    }

    /// Sends a command written out whole and reads its answer, whatever its status.
    pub(super) fn send(&mut self, text: &str) -> Option<StatusKind> {
        let mut words = text.split(' ');
        if let (Some("SELECT" | "EXAMINE"), Some(mailbox)) = (words.next(), words.next()) {
            self.selected = Some(Selected::opening(mailbox));
        }
        let kind = self.command(text);
        if kind.is_some_and(|k| k != StatusKind::Ok) {
            self.error(format!("answered {kind:?}"));
        }
        kind
    }

    pub(super) fn session(&mut self, user: &str, operations: usize) {
        self.expect_ok(&format!("LOGIN {user} secret"));
        // Half the clients start CONDSTORE-aware; the others may turn it on later with an
        // enabling command.
        let condstore = self.id % 2 == 0;
        self.select("SELECT", "INBOX", condstore);
        for _ in 0..operations {
            if self.errors.len() > 20 {
                break;
            }
            self.step();
        }
        self.expect_ok("LOGOUT");
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.rng.below(from.len() as u64) as usize]
    }

    fn some_message(&mut self) -> u32 {
        let exists = self.selected.as_ref().map_or(0, |s| s.exists);
        self.rng.below(u64::from(exists)) as u32 + 1
    }

    fn some_folder(&mut self) -> Option<String> {
        let n = self.folders.len() as u64;
        (n > 0).then(|| self.folders[self.rng.below(n) as usize].clone())
    }

    /// One operation, picked at random.
    fn step(&mut self) {
        let exists = self.selected.as_ref().map_or(0, |s| s.exists);
        let keyword = self.pick(&KEYWORDS);
        let flag = if self.rng.below(3) == 0 {
            self.pick(&SYSTEM_FLAGS)
        } else {
            keyword
        };
        let modseq = self
            .selected
            .as_ref()
            .map_or(1, |s| s.highest_modseq.max(1));
        let has_folder = !self.folders.is_empty();
        match self.rng.below(24) {
            0 | 1 => {
                let name = format!("Stress/c{}-{}", self.id, self.tag);
                if self.expect_ok(&format!("CREATE {name}")) {
                    self.folders.push(name);
                }
            }
            2 if has_folder => {
                let name = self.some_folder().unwrap_or_default();
                if self.expect_ok(&format!("DELETE {name}")) {
                    self.folders.retain(|f| *f != name);
                }
            }
            3 if has_folder => {
                // Into a level of its own, whose parent RENAME creates (RFC 3501 §6.3.5).
                let name = self.some_folder().unwrap_or_default();
                let to = format!("Stress/c{}/r{}", self.id, self.tag);
                if self.expect_ok(&format!("RENAME {name} {to}")) {
                    self.folders.retain(|f| *f != name);
                    self.folders.push(to);
                }
            }
            4..=6 => {
                let body = format!(
                    "From: c{}@example.org\r\nSubject: note {}\r\n\r\nHello {keyword}.\r\n",
                    self.id, self.tag
                );
                let flags = match self.rng.below(3) {
                    0 => String::new(),
                    1 => flag.to_string(),
                    _ => format!("{keyword} {}", self.pick(&SYSTEM_FLAGS)),
                };
                self.expect_ok(&format!(
                    "APPEND INBOX ({flags}) {{{}+}}\r\n{body}",
                    body.len()
                ));
            }
            7..=9 if exists > 0 => {
                let n = self.some_message();
                let sign = if self.rng.below(4) == 0 { '-' } else { '+' };
                let silent = if self.rng.below(3) == 0 {
                    ".SILENT"
                } else {
                    ""
                };
                self.expect_ok(&format!("STORE {n} {sign}FLAGS{silent} ({flag})"));
            }
            10 if exists > 0 && has_folder => {
                let n = self.some_message();
                let to = self.some_folder().unwrap_or_default();
                let verb = if self.rng.below(3) == 0 {
                    "MOVE"
                } else {
                    "COPY"
                };
                self.expect_ok(&format!("{verb} {n} {to}"));
            }
            11 => {
                self.expect_ok(&format!("SEARCH KEYWORD {keyword}"));
            }
            12 if exists > 0 => {
                // MODSEQ here is a CONDSTORE enabling command (RFC 7162 §3.1).
                let items = if self.rng.below(2) == 0 {
                    "UID FLAGS MODSEQ"
                } else {
                    "UID FLAGS"
                };
                self.expect_ok(&format!("FETCH 1:* ({items})"));
            }
            13 => self.idle(),
            14 if exists > 40 => {
                // Keep the mailbox small: delete a few of the oldest.
                self.expect_ok("STORE 1:5 +FLAGS.SILENT (\\Deleted)");
                self.expect_ok("EXPUNGE");
            }
            15 => {
                let key = if self.rng.below(2) == 0 {
                    "FLAGGED "
                } else {
                    ""
                };
                self.expect_ok(&format!("SEARCH {key}MODSEQ {modseq}"));
            }
            16 => {
                let ret = self.pick(&["MIN MAX COUNT", "ALL", "COUNT", "MIN", "SAVE MAX", ""]);
                let uid = if self.rng.below(2) == 0 { "UID " } else { "" };
                let key = if self.rng.below(2) == 0 {
                    format!("MODSEQ {modseq}")
                } else {
                    format!("KEYWORD {keyword}")
                };
                self.expect_ok(&format!("{uid}SEARCH RETURN ({ret}) {key}"));
            }
            17 => {
                // RFC 5182: SAVE alone answers with the tagged OK only, and "$" is usable.
                self.expect_ok("SEARCH RETURN (SAVE) OR FLAGGED KEYWORD todo");
                self.expect_ok("FETCH $ (UID FLAGS)");
            }
            18 => {
                let mailbox = self.some_folder().unwrap_or_else(|| "INBOX".into());
                let extra = if self.rng.below(2) == 0 {
                    " HIGHESTMODSEQ"
                } else {
                    ""
                };
                self.expect_ok(&format!(
                    "STATUS {mailbox} (MESSAGES UIDNEXT UIDVALIDITY{extra})"
                ));
            }
            19 => {
                if self.expect_ok("LIST \"\" \"Stress/*\"") {
                    self.check("LIST");
                    let missing: Vec<String> = self
                        .folders
                        .iter()
                        .filter(|f| !self.listed.contains(*f))
                        .cloned()
                        .collect();
                    for name in missing {
                        self.error(format!("LIST does not show {name}, created and kept"));
                    }
                }
            }
            20 if exists > 0 && self.condstore => {
                let since = modseq.saturating_sub(self.rng.below(5));
                self.expect_ok(&format!("UID FETCH 1:* (FLAGS) (CHANGEDSINCE {since})"));
            }
            21 if exists > 0 => {
                // UNCHANGEDSINCE enables CONDSTORE too; a message changed since answers
                // OK [MODIFIED ...] (RFC 7162 §3.1.3).
                let n = self.some_message();
                self.expect_ok(&format!(
                    "STORE {n} (UNCHANGEDSINCE {modseq}) +FLAGS ({flag})"
                ));
            }
            22 if has_folder => {
                // A look at one of its folders, then back to INBOX.
                let folder = self.some_folder().unwrap_or_default();
                let verb = if self.rng.below(2) == 0 {
                    "EXAMINE"
                } else {
                    "SELECT"
                };
                self.select(verb, &folder, false);
                if self.selected.as_ref().is_some_and(|s| s.exists > 0) {
                    self.expect_ok("FETCH 1:* (UID FLAGS)");
                }
                let condstore = self.rng.below(2) == 0;
                self.select("SELECT", "INBOX", condstore);
            }
            _ => {
                self.expect_ok("NOOP");
            }
        }
    }

    /// IDLE for a moment, reading what others do, then DONE.
    fn idle(&mut self) {
        self.tag += 1;
        self.current = Command::new(format!("t{}", self.tag), "IDLE");
        let tag = self.current.tag.clone();
        if self
            .stream
            .write_all(format!("{tag} IDLE\r\n").as_bytes())
            .is_err()
        {
            return self.error("connection closed".into());
        }
        self.read_until("+");
        thread::sleep(Duration::from_millis(20));
        if self.stream.write_all(b"DONE\r\n").is_err() {
            return self.error("connection closed at DONE".into());
        }
        if let Some(kind) = self.read_until(&tag) {
            self.operations += 1;
            self.completed(Some(kind));
            if kind != StatusKind::Ok {
                self.error(format!("IDLE answered {kind:?}"));
            }
        }
    }

    /// A response code, in a tagged or untagged status response.
    fn code(&mut self, code: &Code<'_>) {
        match code {
            Code::AppendUid { uid_validity, uid } => {
                self.appended_uid(uid_validity.get(), uid.get());
            }
            Code::UidNext(n) => self.uid_next(n.get()),
            Code::UidValidity(v) => self.uid_validity(v.get()),
            Code::HighestModSeq(m) => self.highest_modseq(m.get()),
            Code::NoModSeq => self.error("NOMODSEQ from a server that keeps them".into()),
            _ => {}
        }
    }
}

/// Plays `script` as the server, on 127.0.0.1: for each exchange it reads one command line
/// and answers with the lines given ("{tag}" becomes the command's tag). Returns the protocol
/// errors the client's rules found: the proof that they catch what they are meant to.
pub(super) fn against_script(script: &[(&str, &[&str])]) -> Vec<String> {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a scripted server");
    let port = listener.local_addr().expect("its port").port();
    let answers: Vec<Vec<String>> = script
        .iter()
        .map(|(_, lines)| lines.iter().map(|l| l.to_string()).collect())
        .collect();
    let server = thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
        let Ok(mut writer) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        if writer.write_all(b"* OK scripted server ready\r\n").is_err() {
            return;
        }
        for lines in answers {
            let mut command = String::new();
            if reader.read_line(&mut command).unwrap_or(0) == 0 {
                return;
            }
            let tag = command.split(' ').next().unwrap_or_default();
            let out: String = lines
                .iter()
                .map(|l| format!("{}\r\n", l.replace("{tag}", tag)))
                .collect();
            if writer.write_all(out.as_bytes()).is_err() {
                return;
            }
        }
    });
    let mut client = ImapClient::connect(port, 0, 1);
    for (command, _) in script {
        client.send(command);
    }
    let errors = std::mem::take(&mut client.errors);
    drop(client);
    server.join().ok();
    errors
}
