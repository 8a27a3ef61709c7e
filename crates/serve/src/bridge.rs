//! Listeners and connections: one thread per connection, a cap on connections, bounded reads.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration as StdDuration;

use postroom_proto::imap::{self, ImapServer};
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::smtp::{ServerConfig, ServerEvent, ServerState, SmtpServer, TlsPolicy};
use postroom_proto::{Instant, MailStore};

use crate::stream::Stream;
use crate::tls::ServerTls;
use crate::transcript;

/// What a port serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    SmtpExchanger,
    Submission,
    SubmissionImplicitTls,
    Pop3,
    Imap,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::SmtpExchanger => "smtp",
            Service::Submission => "submission",
            Service::SubmissionImplicitTls => "submissions",
            Service::Pop3 => "pop3",
            Service::Imap => "imap",
        }
    }

    /// The standard port, added to the offset.
    pub fn base_port(self) -> u16 {
        match self {
            Service::SmtpExchanger => 25,
            Service::Submission => 587,
            Service::SubmissionImplicitTls => 465,
            Service::Pop3 => 110,
            Service::Imap => 143,
        }
    }

    pub const ALL: [Service; 5] = [
        Service::SmtpExchanger,
        Service::Submission,
        Service::SubmissionImplicitTls,
        Service::Pop3,
        Service::Imap,
    ];
}

/// Everything the connections share.
#[derive(Debug)]
pub struct Shared {
    pub store: Mutex<MailStore>,
    pub domain: String,
    pub hostname: String,
    pub tls: ServerTls,
    pub require_tls: bool,
    pub max_connections: usize,
    pub active: AtomicUsize,
    pub sessions: AtomicUsize,
    pub started: std::time::Instant,
}

impl Shared {
    /// The store, its clock set to the wall clock: INTERNALDATE and the like are when a
    /// message really arrived (RFC 9051 §2.3.3), not time since the bridge started.
    fn store(&self) -> std::sync::MutexGuard<'_, MailStore> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        store.set_clock(unix);
        store
    }

    fn now(&self) -> Instant {
        let us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        Instant::from_micros(us)
    }
}

/// Largest read at once: bounds what one connection buffers before the engine sees it.
const READ_CHUNK: usize = 16 * 1024;
/// How often a silent connection wakes to check the engine's timeout.
const POLL: StdDuration = StdDuration::from_secs(1);

/// Accepts connections on `listener` forever, one thread each.
pub fn accept_loop(listener: TcpListener, service: Service, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        let Ok(tcp) = conn else { continue };
        let shared = shared.clone();
        let active = shared.active.fetch_add(1, Ordering::SeqCst) + 1;
        let id = shared.sessions.fetch_add(1, Ordering::SeqCst) + 1;
        let peer = tcp.peer_addr().ok();
        let spawned = thread::Builder::new()
            .name(format!("{}-{id}", service.name()))
            .spawn(move || {
                let tag = format!("[{} #{id}]", service.name());
                if active > shared.max_connections {
                    refuse_busy(tcp, service);
                    transcript::note(&tag, "refused: too many connections");
                } else {
                    transcript::note(&tag, &format!("connected from {}", describe(peer)));
                    let result = serve_connection(tcp, service, &shared, &tag);
                    match result {
                        Ok(()) => transcript::note(&tag, "closed"),
                        Err(e) => transcript::note(&tag, &format!("closed: {e}")),
                    }
                }
                shared.active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread could be made: the connection was dropped with the closure.
            eprintln!("postroom-serve: cannot start a thread for a new connection");
        }
    }
}

fn describe(peer: Option<SocketAddr>) -> String {
    peer.map(|p| p.to_string())
        .unwrap_or_else(|| "?".to_string())
}

fn refuse_busy(mut tcp: TcpStream, service: Service) {
    let line: &[u8] = match service {
        Service::Pop3 => b"-ERR [SYS/TEMP] too many connections, try again later\r\n",
        Service::Imap => b"* BYE too many connections, try again later\r\n",
        _ => b"421 4.7.0 Too many connections, try again later\r\n",
    };
    let _ = tcp.write_all(line);
}

fn serve_connection(
    tcp: TcpStream,
    service: Service,
    shared: &Shared,
    tag: &str,
) -> io::Result<()> {
    tcp.set_read_timeout(Some(POLL))?;
    tcp.set_nodelay(true)?;
    match service {
        Service::Pop3 => {
            let mut server = None;
            let result = serve_pop3(tcp, shared, tag, &mut server);
            // However the connection ended, release the mailbox; without QUIT nothing is
            // deleted (RFC 1939 §6).
            if let Some(server) = server.as_mut() {
                let mut store = shared.store();
                server.connection_lost(&mut store);
                drop(store);
                report_pop3_events(server, tag);
            }
            result
        }
        Service::Imap => serve_imap(tcp, shared, tag),
        _ => serve_smtp(tcp, service, shared, tag),
    }
}

/// How often an IMAP connection looks at the store for what other sessions changed, so a
/// client in IDLE hears of new mail and expunges promptly.
const IMAP_POLL: StdDuration = StdDuration::from_millis(200);

fn serve_imap(tcp: TcpStream, shared: &Shared, tag: &str) -> io::Result<()> {
    tcp.set_read_timeout(Some(IMAP_POLL))?;
    let mut config = imap::ServerConfig::new(&shared.hostname);
    config.imap4rev2 = true;
    config.tls = if shared.require_tls {
        TlsPolicy::Required
    } else {
        TlsPolicy::Offered
    };
    let mut server = ImapServer::new(config, shared.now());
    let mut stream = Stream::Plain(tcp);
    let mut buf = vec![0u8; READ_CHUNK];
    let mut seen_modseq = 0;
    loop {
        while let Some(out) = server.poll_output() {
            transcript::print_unit(tag, "S:", stream.is_tls(), &out, None);
            stream.write_all(&out)?;
        }
        stream.flush()?;
        while let Some(event) = server.poll_event() {
            match event {
                imap::ServerEvent::TlsRequested => {
                    stream = stream.into_tls(&shared.tls.config)?;
                    server.tls_established();
                    transcript::note(tag, "TLS established (STARTTLS)");
                }
                imap::ServerEvent::LoggedIn { user } => {
                    transcript::note(tag, &format!("{user} logged in"))
                }
                imap::ServerEvent::MessagesExpunged { mailbox, uids } => {
                    let list: Vec<String> = uids.iter().map(u32::to_string).collect();
                    transcript::note(
                        tag,
                        &format!("expunged UID(s) {} from {mailbox}", list.join(", ")),
                    );
                }
                _ => {}
            }
        }
        if server.is_closed() {
            return Ok(());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                transcript::print_unit(
                    tag,
                    "C:",
                    stream.is_tls(),
                    bytes,
                    Some(transcript::imap_command),
                );
                let mut store = shared.store();
                server.handle_input(shared.now(), bytes, &mut store);
                seen_modseq = store.modseq();
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                let store = shared.store();
                if store.modseq() != seen_modseq {
                    seen_modseq = store.modseq();
                    server.handle_store_change(&store);
                }
                drop(store);
                server.handle_timeout(shared.now());
            }
            Err(e) => return Err(e),
        }
    }
}

/// Prints what the POP3 session did; true if it asked for TLS (the caller starts it).
fn report_pop3_events(server: &mut Pop3Server, tag: &str) -> bool {
    let mut tls = false;
    while let Some(event) = server.poll_event() {
        match event {
            pop3::ServerEvent::TlsRequested => tls = true,
            pop3::ServerEvent::LoggedIn { user, messages } => transcript::note(
                tag,
                &format!("{user} logged in, {messages} message(s); mailbox locked"),
            ),
            pop3::ServerEvent::MessagesDeleted { uids } => {
                let list: Vec<String> = uids.iter().map(u32::to_string).collect();
                transcript::note(tag, &format!("UPDATE deleted UID(s) {}", list.join(", ")));
            }
            pop3::ServerEvent::SessionClosed { updated } => {
                let how = if updated {
                    "after UPDATE"
                } else {
                    "without UPDATE: nothing deleted"
                };
                transcript::note(tag, &format!("session ended {how}"));
            }
            _ => {}
        }
    }
    tls
}

fn serve_pop3(
    tcp: TcpStream,
    shared: &Shared,
    tag: &str,
    slot: &mut Option<Pop3Server>,
) -> io::Result<()> {
    let mut config = pop3::ServerConfig::new(&shared.hostname);
    config.tls = TlsPolicy::Offered;
    // RFC 1939 §7: a timestamp that differs for every greeting.
    let session = shared.sessions.load(Ordering::SeqCst);
    config.apop_timestamp = Some(format!(
        "<{}.{session}.{}@{}>",
        std::process::id(),
        shared.now().as_micros(),
        shared.hostname
    ));
    let server = slot.insert(Pop3Server::new(config, shared.now()));
    let mut stream = Stream::Plain(tcp);
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        while let Some(out) = server.poll_output() {
            transcript::print_unit(tag, "S:", stream.is_tls(), &out, None);
            stream.write_all(&out)?;
        }
        stream.flush()?;
        if report_pop3_events(server, tag) {
            stream = stream.into_tls(&shared.tls.config)?;
            server.tls_established();
            transcript::note(tag, "TLS established (STLS)");
        }
        if server.is_closed() {
            return Ok(());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                transcript::print_unit(
                    tag,
                    "C:",
                    stream.is_tls(),
                    bytes,
                    Some(transcript::pop3_command),
                );
                let mut store = shared.store();
                server.handle_input(shared.now(), bytes, &mut store);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                let mut store = shared.store();
                server.handle_timeout(shared.now(), &mut store);
            }
            Err(e) => return Err(e),
        }
    }
}

fn serve_smtp(tcp: TcpStream, service: Service, shared: &Shared, tag: &str) -> io::Result<()> {
    let hostname = &shared.hostname;
    let mut config = match service {
        Service::SmtpExchanger => ServerConfig::new(hostname, &shared.domain),
        _ => ServerConfig::submission(hostname, &shared.domain),
    };
    // The bridge has no network beyond loopback: mail for other domains would be lost.
    config.accept_remote = false;
    config.tls = match (service, shared.require_tls) {
        (Service::Submission, true) => TlsPolicy::Required,
        _ => TlsPolicy::Offered,
    };
    let mut stream = Stream::Plain(tcp);
    if service == Service::SubmissionImplicitTls {
        config.tls = TlsPolicy::NotOffered;
        config.secure_from_start = true;
        stream = stream.into_tls(&shared.tls.config)?;
        transcript::note(tag, "TLS established (implicit TLS)");
    }
    let mut server = SmtpServer::new(config, shared.now());
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        while let Some(out) = server.poll_output() {
            transcript::print_unit(tag, "S:", stream.is_tls(), &out, None);
            stream.write_all(&out)?;
        }
        stream.flush()?;
        while let Some(event) = server.poll_event() {
            match event {
                ServerEvent::TlsRequested => {
                    stream = stream.into_tls(&shared.tls.config)?;
                    server.tls_established();
                    transcript::note(tag, "TLS established (STARTTLS)");
                }
                ServerEvent::MessageAccepted {
                    local,
                    uids,
                    content,
                    ..
                } => {
                    for (to, uid) in local.iter().zip(&uids) {
                        let text = format!(
                            "stored message for {to} as UID {uid} ({} octets)",
                            content.len()
                        );
                        transcript::note(tag, &text);
                    }
                }
                ServerEvent::Authenticated { user } => {
                    transcript::note(tag, &format!("authenticated as {user}"))
                }
                _ => {}
            }
        }
        if server.is_closed() {
            return Ok(());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                // Message text is not commands: only annotate outside DATA.
                let annotate: Option<transcript::Annotator> = (server.state()
                    != ServerState::ReceivingData)
                    .then_some(transcript::smtp_command);
                transcript::print_unit(tag, "C:", stream.is_tls(), bytes, annotate);
                let mut store = shared.store();
                server.handle_input(shared.now(), bytes, &mut store);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                server.handle_timeout(shared.now());
            }
            Err(e) => return Err(e),
        }
    }
}
