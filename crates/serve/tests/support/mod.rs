//! Shared by the real-peer tests: start `postroom-serve` on free ports, read its transcript,
//! run external programs with a time limit; `peer` starts throwaway Postfix and Dovecot.
#![allow(dead_code)]

pub mod peer;
pub mod rss;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Port offsets handed out to tests in this process; each test gets its own block.
static NEXT_OFFSET: AtomicU16 = AtomicU16::new(0);

/// The lowest and highest offsets handed out. Every service port stays below 32768, where
/// Linux's ephemeral ports begin: a socket bound to port 0 elsewhere (a Python peer, a
/// client's own listener) can never take a port between our check and the server's bind.
const FIRST_OFFSET: u16 = 2000;
const SLOTS: u16 = 30;

/// A free port offset: all five service ports (offset + 25, 110, 143, 465, 587) bindable.
pub fn free_offset() -> u16 {
    let start = (std::process::id() % u32::from(SLOTS)) as u16;
    loop {
        let n = NEXT_OFFSET.fetch_add(1, Ordering::SeqCst);
        let offset = FIRST_OFFSET + (start + n) % SLOTS * 1000;
        let all_free = [25u16, 110, 143, 465, 587]
            .iter()
            .all(|p| TcpListener::bind(("127.0.0.1", offset + p)).is_ok());
        if all_free {
            return offset;
        }
        assert!(n < 200, "no free port offset found");
    }
}

/// A number no other call in this process got: for temporary directories and names.
pub fn unique() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// A running `postroom-serve`, killed when dropped.
pub struct Serve {
    child: Child,
    pub offset: u16,
    log: Arc<Mutex<String>>,
}

/// What the test does with the server's stdout once it printed `ready`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stdout {
    /// Read every line into the log.
    Read,
    /// Keep the pipe open and never read it again: it fills up.
    Unread,
    /// Close the pipe: every later write fails.
    Closed,
}

impl Serve {
    pub fn start(extra: &[&str]) -> Serve {
        Serve::start_with(extra, Stdout::Read)
    }

    pub fn start_with(extra: &[&str], stdout_mode: Stdout) -> Serve {
        let offset = free_offset();
        let mut child = Command::new(env!("CARGO_BIN_EXE_postroom-serve"))
            .arg("--port-offset")
            .arg(offset.to_string())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start postroom-serve");
        let stdout = child.stdout.take().expect("stdout");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
                if line == "ready" && stdout_mode != Stdout::Read {
                    break;
                }
            }
            if stdout_mode == Stdout::Unread {
                // Hold the pipe open, unread, for as long as the test runs.
                thread::sleep(Duration::from_secs(600));
            }
            drop(lines);
        });
        let serve = Serve { child, offset, log };
        serve.wait_for("ready\n", 1);
        serve
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to 20 s for the process to exit; its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader thread take the last lines.
                thread::sleep(Duration::from_millis(100));
                return status.code();
            }
            thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn port(&self, base: u16) -> u16 {
        self.offset + base
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits up to 20 s until `needle` appears at least `times` times in the transcript.
    pub fn wait_for(&self, needle: &str, times: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let log = self.log();
            if log.matches(needle).count() >= times {
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {times} x {needle:?}; transcript so far:\n{log}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain TCP connection to a local port, read line by line (20 s at most per read).
pub struct Connection {
    pub reader: BufReader<TcpStream>,
    pub writer: TcpStream,
}

impl Connection {
    pub fn open(port: u16) -> Connection {
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Connection {
            writer: tcp.try_clone().unwrap(),
            reader: BufReader::new(tcp),
        }
    }

    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
    }

    /// One whole SMTP reply (all its lines), as text.
    pub fn reply(&mut self) -> String {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "closed after {reply:?}"
            );
            reply += &line;
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }
}

/// Output of an external program.
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program` with `args`, feeding `stdin`, and kills it after 60 s.
pub fn run(program: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program} (installed by scripts/setup): {e}"));
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_string();
    thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let pid = child.id();
    let done = Arc::new(Mutex::new(false));
    let watch = done.clone();
    thread::spawn(move || {
        thread::sleep(Duration::from_secs(60));
        if !*watch.lock().unwrap() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    });
    let out = child.wait_with_output().expect("wait");
    *done.lock().unwrap() = true;
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Debian's Python, which has aiosmtpd; another python3 earlier on PATH may not.
pub const PYTHON: &str = "/usr/bin/python3";

/// Puts messages into `user`'s mailbox on the bridge, over SMTP on its port 25, with our own
/// client. Each message has the given subject and a body line that starts with a period.
pub fn deliver(serve: &Serve, user: &str, subjects: &[&str]) {
    use postroom_proto::message::Message;
    use postroom_proto::smtp::{ClientConfig, Mailbox, ReversePath, SmtpClient};
    let mut client = SmtpClient::new(
        ClientConfig::new("seed.example.org"),
        postroom_proto::Instant::ZERO,
    );
    let from = ReversePath::Mailbox(Mailbox::try_from("seed@example.org").unwrap());
    let to = Mailbox::try_from(format!("{user}@example.net").as_str()).unwrap();
    for subject in subjects {
        let m = Message::new(
            "seed@example.org",
            &to.to_string(),
            subject,
            "Fri, 6 Mar 2026 09:00:00 +0000",
            "Hello.\n.A line with a leading period.\n",
        );
        client
            .send(from.clone(), vec![to.clone()], m.to_bytes())
            .unwrap();
    }
    client.quit();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], serve.port(25)));
    let run = postroom_serve::drive::run_client(addr, client, Duration::from_secs(20)).unwrap();
    assert_eq!(run.accepted(), subjects.len(), "{:#?}", run.transcript);
}
