//! Drives our sans-IO SMTP client over a real TCP connection, to test it against real servers.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration as StdDuration;

use postroom_proto::smtp::{ClientEvent, SmtpClient};
use postroom_proto::Instant;

/// What happened in one client session.
#[derive(Debug, Clone, Default)]
pub struct ClientRun {
    /// `C: ...` and `S: ...` lines as they crossed the wire.
    pub transcript: Vec<String>,
    pub events: Vec<ClientEvent>,
}

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

/// Connects to `addr` and runs `client` until it closes or `limit` passes without progress.
/// The client must already have its messages queued and `quit()` called. STARTTLS is not
/// supported here: configure the client with `ClientTls::Never`.
pub fn run_client(
    addr: SocketAddr,
    mut client: SmtpClient,
    limit: StdDuration,
) -> io::Result<ClientRun> {
    let mut tcp = TcpStream::connect_timeout(&addr, limit)?;
    tcp.set_read_timeout(Some(limit))?;
    let started = std::time::Instant::now();
    let now =
        || Instant::from_micros(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
    let mut run = ClientRun::default();
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
        while let Some(event) = client.poll_event() {
            if event == ClientEvent::TlsRequested {
                return Err(io::Error::other("STARTTLS is not supported by this driver"));
            }
            run.events.push(event);
        }
        if run.events.last() == Some(&ClientEvent::Closed) {
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
            .handle_input(now(), bytes)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
}

/// What happened in one POP3 client session.
#[derive(Debug, Clone, Default)]
pub struct Pop3Run {
    pub transcript: Vec<String>,
    pub events: Vec<postroom_proto::pop3::ClientEvent>,
}

/// Connects to a POP3 server at `addr` and runs `client` until it closes. STLS is not
/// supported here.
pub fn run_pop3_client(
    addr: SocketAddr,
    client: &mut postroom_proto::pop3::Pop3Client,
    limit: StdDuration,
) -> io::Result<Pop3Run> {
    use postroom_proto::pop3::ClientEvent as Event;
    let mut tcp = TcpStream::connect_timeout(&addr, limit)?;
    tcp.set_read_timeout(Some(limit))?;
    let started = std::time::Instant::now();
    let mut run = Pop3Run::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        while let Some(out) = client.poll_output() {
            record(&mut run.transcript, "C:", &out);
            tcp.write_all(&out)?;
        }
        while let Some(event) = client.poll_event() {
            if event == Event::TlsRequested {
                return Err(io::Error::other("STLS is not supported by this driver"));
            }
            run.events.push(event);
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
        let now =
            Instant::from_micros(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
        client
            .handle_input(now, bytes)
            .map_err(|e| io::Error::other(e.to_string()))?;
    }
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
                    let now = Instant::from_micros(
                        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    );
                    self.client
                        .handle_input(now, bytes)
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
