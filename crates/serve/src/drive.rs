//! Drives our sans-IO clients over a real TCP connection, to test them against real servers.
//! One loop serves every protocol, through the common session shape.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration as StdDuration;

use postroom_proto::session::ClientSession;
use postroom_proto::smtp::{ClientEvent, SmtpClient};
use postroom_proto::Instant;

/// What happened in one client session.
#[derive(Debug, Clone)]
pub struct Run<E> {
    /// `C: ...` and `S: ...` lines as they crossed the wire.
    pub transcript: Vec<String>,
    pub events: Vec<E>,
}

impl<E> Default for Run<E> {
    fn default() -> Self {
        Run {
            transcript: Vec::new(),
            events: Vec::new(),
        }
    }
}

/// What happened in one SMTP client session.
pub type ClientRun = Run<ClientEvent>;
/// What happened in one POP3 client session.
pub type Pop3Run = Run<postroom_proto::pop3::ClientEvent>;

impl ClientRun {
    pub fn accepted(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, ClientEvent::MessageAccepted(_)))
            .count()
    }
}

fn record(transcript: &mut Vec<String>, prefix: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_suffix("\r\n").unwrap_or(&text);
    transcript.extend(text.split("\r\n").map(|l| format!("{prefix} {l}")));
}

fn elapsed(started: std::time::Instant) -> Instant {
    Instant::from_micros(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX))
}

/// Connects to `addr` and runs `client` until it closes or `limit` passes without progress.
/// The client must already have its work queued (messages and `quit()` for SMTP). TLS is
/// not supported here: configure the client never to ask for it.
pub fn run<C: ClientSession>(
    addr: SocketAddr,
    client: &mut C,
    limit: StdDuration,
) -> io::Result<Run<C::Event>> {
    let mut tcp = TcpStream::connect_timeout(&addr, limit)?;
    tcp.set_read_timeout(Some(limit))?;
    let started = std::time::Instant::now();
    let mut run = Run::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        // A pipelined group leaves in one write, as a real pipelining client sends it.
        let mut batch = Vec::new();
        while let Some(out) = client.poll_output() {
            record(&mut run.transcript, "C:", &out);
            batch.extend(out);
        }
        if !batch.is_empty() {
            tcp.write_all(&batch)?;
        }
        run.events
            .extend(std::iter::from_fn(|| client.poll_event()));
        if client.awaiting_tls() {
            return Err(io::Error::other("TLS is not supported by this driver"));
        }
        if client.is_closed() {
            return Ok(run);
        }
        let n = tcp.read(&mut buf)?;
        if n == 0 {
            run.transcript
                .push("-- server closed the connection".to_string());
            return Ok(run);
        }
        let bytes = buf.get(..n).unwrap_or_default();
        record(&mut run.transcript, "S:", bytes);
        client
            .handle_input(elapsed(started), bytes)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
}

/// Runs our SMTP client against the server at `addr` (see [`run`]).
pub fn run_client(
    addr: SocketAddr,
    mut client: SmtpClient,
    limit: StdDuration,
) -> io::Result<ClientRun> {
    run(addr, &mut client, limit)
}

/// Runs our POP3 client against the server at `addr` (see [`run`]).
pub fn run_pop3_client(
    addr: SocketAddr,
    client: &mut postroom_proto::pop3::Pop3Client,
    limit: StdDuration,
) -> io::Result<Pop3Run> {
    run(addr, client, limit)
}

/// Our IMAP client on a real TCP connection, driven step by step by a test or a tool.
#[derive(Debug)]
pub struct ImapConnection {
    tcp: TcpStream,
    pub client: postroom_proto::imap::ImapClient,
    pub transcript: Vec<String>,
    pub events: Vec<postroom_proto::imap::ClientEvent>,
    started: std::time::Instant,
}

impl ImapConnection {
    pub fn connect(addr: SocketAddr, client: postroom_proto::imap::ImapClient) -> io::Result<Self> {
        let tcp = TcpStream::connect_timeout(&addr, StdDuration::from_secs(10))?;
        tcp.set_read_timeout(Some(StdDuration::from_millis(100)))?;
        Ok(ImapConnection {
            tcp,
            client,
            transcript: Vec::new(),
            events: Vec::new(),
            started: std::time::Instant::now(),
        })
    }

    /// Exchanges bytes until `done` says so or `limit` passes; false on time-out.
    pub fn pump_until(
        &mut self,
        limit: StdDuration,
        done: impl Fn(&postroom_proto::imap::ImapClient, &[postroom_proto::imap::ClientEvent]) -> bool,
    ) -> io::Result<bool> {
        let deadline = std::time::Instant::now() + limit;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            while let Some(out) = self.client.poll_output() {
                record(&mut self.transcript, "C:", &out);
                self.tcp.write_all(&out)?;
            }
            self.events
                .extend(std::iter::from_fn(|| self.client.poll_event()));
            if done(&self.client, &self.events) {
                return Ok(true);
            }
            if self.client.is_closed() || std::time::Instant::now() > deadline {
                return Ok(false);
            }
            match self.tcp.read(&mut buf) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    let bytes = buf.get(..n).unwrap_or_default();
                    record(&mut self.transcript, "S:", bytes);
                    self.client
                        .handle_input(elapsed(self.started), bytes)
                        .map_err(|e| io::Error::other(e.to_string()))?;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(e),
            }
        }
    }
}
