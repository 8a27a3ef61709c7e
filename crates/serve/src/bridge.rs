//! Listeners and connections: one thread per connection, a cap on connections, bounded reads.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration as StdDuration;

use postroom_proto::imap::{self, ImapServer};
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::session::{Event, Narrator, ServerSession};
use postroom_proto::smtp::{ServerConfig, SmtpNarrator, SmtpServer};
use postroom_proto::text;
use postroom_proto::wire::TlsPolicy;
use postroom_proto::{Instant, MailStore};

use crate::admission::{Admission, Refusal};
use crate::live::{Hub, Watch};
use crate::stream::Stream;
use crate::tls::ServerTls;
use crate::transcript;

/// What a port serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    pub admission: Admission,
    /// How long a write may wait for a client that does not read.
    pub write_timeout: StdDuration,
    pub sessions: AtomicUsize,
    pub started: std::time::Instant,
    /// Live mode's stream, when `--web` asked for it.
    pub live: Option<Arc<Hub>>,
    /// `--show-secrets`: the transcript and the stream show passwords and AUTH payloads.
    pub show_secrets: bool,
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
        let id = shared.sessions.fetch_add(1, Ordering::SeqCst) + 1;
        let peer = tcp.peer_addr().ok();
        let spawned = thread::Builder::new()
            .name(format!("{}-{id}", service.name()))
            .spawn(move || {
                let tag = format!("[{} #{id}]", service.name());
                match shared.admission.admit(service, peer.map(|p| p.ip())) {
                    Err(why) => {
                        refuse(tcp, service, why, &shared);
                        let text = match why {
                            Refusal::Busy => "refused: too many connections",
                            Refusal::TooManyFromAddress => {
                                "refused: too many connections from this address"
                            }
                        };
                        transcript::note(&tag, text);
                    }
                    Ok(_ticket) => {
                        transcript::note(&tag, &format!("connected from {}", describe(peer)));
                        let port = tcp.local_addr().map_or(0, |a| a.port());
                        let mut watch = Watch::open(
                            shared.live.clone(),
                            shared.show_secrets,
                            id as u64,
                            service,
                            peer,
                            port,
                        );
                        let result = serve_connection(tcp, service, &shared, &tag, &mut watch);
                        let how = match result {
                            Ok(()) => text!("live.how.closed"),
                            Err(e) => text!("live.how.closed-error", error = e.to_string()),
                        };
                        transcript::note(&tag, &how);
                        watch.closed(&how);
                    }
                }
            });
        if spawned.is_err() {
            // No thread could be made: the connection was dropped with the closure.
            let _ = writeln!(
                io::stderr(),
                "postroom-serve: cannot start a thread for a new connection"
            );
        }
    }
}

fn describe(peer: Option<SocketAddr>) -> String {
    peer.map(|p| p.to_string())
        .unwrap_or_else(|| "?".to_string())
}

fn refuse(tcp: TcpStream, service: Service, why: Refusal, shared: &Shared) {
    let what = match why {
        Refusal::Busy => "too many connections",
        Refusal::TooManyFromAddress => "too many connections from your address",
    };
    let line = match service {
        Service::Pop3 => format!("-ERR [SYS/TEMP] {what}, try again later\r\n"),
        Service::Imap => format!("* BYE {what}, try again later\r\n"),
        // SMTP's reply text starts with a capital, as Postfix's does.
        _ => {
            let (first, rest) = what.split_at(1);
            format!(
                "421 4.7.0 {}{rest}, try again later\r\n",
                first.to_uppercase()
            )
        }
    };
    let line = line.as_bytes();
    let mut stream = Stream::Plain(tcp);
    if service == Service::SubmissionImplicitTls {
        // On 465 every byte is inside TLS (RFC 8314 §3.3): plain text would read as garbage
        // to the client's TLS layer. A failed handshake just closes.
        let _ = stream.tcp().set_read_timeout(Some(POLL));
        match stream.into_tls(&shared.tls.config) {
            Ok(tls) => stream = tls,
            Err(_) => return,
        }
    }
    let _ = stream.write_all(line);
    let _ = stream.flush();
}

fn serve_connection(
    tcp: TcpStream,
    service: Service,
    shared: &Shared,
    tag: &str,
    watch: &mut Watch,
) -> io::Result<()> {
    tcp.set_read_timeout(Some(POLL))?;
    // A client that never reads cannot hold a thread, its memory or a POP3 lock for long.
    tcp.set_write_timeout(Some(shared.write_timeout))?;
    tcp.set_nodelay(true)?;
    let mut stream = Stream::Plain(tcp);
    let (mut server, mut narrator) = session_for(service, shared);
    if service == Service::SubmissionImplicitTls {
        stream = stream.into_tls(&shared.tls.config)?;
        transcript::note(tag, "TLS established (implicit TLS)");
        watch.tls(true);
    }
    if service == Service::Imap {
        // IMAP looks at the store often, so a client in IDLE hears of new mail promptly.
        stream.tcp().set_read_timeout(Some(IMAP_POLL))?;
    }
    let result = serve(
        stream,
        server.as_mut(),
        narrator.as_mut(),
        shared,
        tag,
        watch,
    );
    // However the connection ended, the session lets go of what it holds; POP3 deletes
    // nothing without QUIT (RFC 1939 §6).
    server.connection_lost(&mut shared.store());
    report_events(server.as_mut(), tag, watch);
    result
}

/// The session and the narrator for what a port serves: the one place a protocol is chosen.
fn session_for(service: Service, shared: &Shared) -> (Box<dyn ServerSession>, Box<dyn Narrator>) {
    let hostname = &shared.hostname;
    let tls = |required: bool| {
        if required {
            TlsPolicy::Required
        } else {
            TlsPolicy::Offered
        }
    };
    match service {
        Service::Pop3 => {
            let mut config = pop3::ServerConfig::new(hostname);
            config.tls = tls(shared.require_tls);
            // RFC 1939 §7: a timestamp that differs for every greeting.
            let session = shared.sessions.load(Ordering::SeqCst);
            config.apop_timestamp = Some(format!(
                "<{}.{session}.{}@{}>",
                std::process::id(),
                shared.now().as_micros(),
                hostname
            ));
            let server = Pop3Server::new(config, shared.now());
            (Box::new(server), Box::new(pop3::Pop3Narrator::new()))
        }
        Service::Imap => {
            let mut config = imap::ServerConfig::new(hostname);
            config.imap4rev2 = true;
            config.tls = tls(shared.require_tls);
            let server = ImapServer::new(config, shared.now());
            (Box::new(server), Box::new(imap::ImapNarrator::new()))
        }
        Service::SmtpExchanger | Service::Submission | Service::SubmissionImplicitTls => {
            let mut config = match service {
                Service::SmtpExchanger => ServerConfig::new(hostname, &shared.domain),
                _ => ServerConfig::submission(hostname, &shared.domain),
            };
            // The bridge has no network beyond loopback: mail for other domains would be lost.
            config.accept_remote = false;
            config.tls = tls(service == Service::Submission && shared.require_tls);
            if service == Service::SubmissionImplicitTls {
                config.tls = TlsPolicy::NotOffered;
                config.secure_from_start = true;
            }
            let server = SmtpServer::new(config, shared.now());
            (Box::new(server), Box::new(SmtpNarrator::new()))
        }
    }
}

/// How often an IMAP connection looks at the store for what other sessions changed, so a
/// client in IDLE hears of new mail and expunges promptly.
const IMAP_POLL: StdDuration = StdDuration::from_millis(200);

/// How long a refused login holds its connection before the next command is read: a
/// guesser gets about one try a second per connection instead of thousands.
const LOGIN_FAILURE_DELAY: StdDuration = StdDuration::from_secs(1);

/// Prints what the session did; true if it asked for TLS (the caller starts it).
fn report_events(server: &mut dyn ServerSession, tag: &str, watch: &mut Watch) -> bool {
    let mut tls = false;
    while let Some(event) = server.poll_common_event() {
        watch.event(&event);
        match event {
            Event::TlsRequested => tls = true,
            Event::LoginFailed => {
                transcript::note(tag, &event.describe());
                thread::sleep(LOGIN_FAILURE_DELAY);
            }
            other => transcript::note(tag, &other.describe()),
        }
    }
    tls
}

/// One connection, any protocol: output out, events reported, input in, timers run.
fn serve(
    mut stream: Stream,
    server: &mut dyn ServerSession,
    narrator: &mut dyn Narrator,
    shared: &Shared,
    tag: &str,
    watch: &mut Watch,
) -> io::Result<()> {
    let mut buf = vec![0u8; READ_CHUNK];
    // Client bytes up to the last line end are narrated; a line cut by a read waits here.
    let mut partial: Vec<u8> = Vec::new();
    let mut seen_modseq = 0;
    loop {
        while let Some(out) = server.poll_output() {
            let state = server.state_name();
            let mut explained = |unit: &[u8], e: &_| {
                watch.server_unit(unit, e, &state);
                None
            };
            transcript::print_unit(
                tag,
                "S:",
                stream.is_tls(),
                &out,
                narrator,
                false,
                &mut explained,
            );
            stream.write_all(&out)?;
        }
        stream.flush()?;
        if report_events(server, tag, watch) {
            stream = stream.into_tls(&shared.tls.config)?;
            server.tls_established();
            transcript::note(tag, "TLS established (STARTTLS)");
            watch.tls(false);
        }
        if server.is_closed() {
            return Ok(());
        }
        let waiting = server.pending_input();
        if waiting > 0 {
            // Commands that waited while the answers before them were sent.
            let mut store = shared.store();
            let before = store.modseq();
            server.handle_input(shared.now(), &[], &mut store);
            if store.modseq() != before {
                watch.store_changed(&store);
            }
            drop(store);
            if server.pending_input() < waiting {
                continue;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let bytes = buf.get(..n).unwrap_or_default();
                partial.extend_from_slice(bytes);
                if let Some(end) = partial.iter().rposition(|&b| b == b'\n') {
                    let lines: Vec<u8> = partial.drain(..=end).collect();
                    let state = server.state_name();
                    let mut explained = |line: &[u8], e: &_| watch.client_line(line, e, &state);
                    transcript::print_unit(
                        tag,
                        "C:",
                        stream.is_tls(),
                        &lines,
                        narrator,
                        true,
                        &mut explained,
                    );
                }
                let mut store = shared.store();
                let before = store.modseq();
                server.handle_input(shared.now(), bytes, &mut store);
                if store.modseq() != before {
                    watch.store_changed(&store);
                }
                seen_modseq = store.modseq();
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                let mut store = shared.store();
                if store.modseq() != seen_modseq {
                    seen_modseq = store.modseq();
                    server.handle_store_change(&store);
                }
                server.handle_timeout(shared.now(), &mut store);
            }
            Err(e) => return Err(e),
        }
    }
}
