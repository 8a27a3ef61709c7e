//! `postroom-serve`: see `postroom_serve::args::USAGE`.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::thread;

use postroom_proto::MailStore;
use postroom_serve::admission::{Admission, Limits};
use postroom_serve::args::Args;
use postroom_serve::bridge::{accept_loop, Service, Shared};
use postroom_serve::live::{self, Bounds, Hub};
use postroom_serve::tls;
use postroom_serve::transcript::{self, say};
use signal_hook::consts::{SIGINT, SIGTERM};

fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = run(args) {
        eprintln!("postroom-serve: {message}");
        std::process::exit(1);
    }
}

/// A warning on stderr and in the transcript, where whoever started the bridge sees it.
fn warn(text: &str) {
    eprintln!("postroom-serve: WARNING: {text}");
    say(format!("WARNING: {text}"));
}

fn run(args: Args) -> Result<(), String> {
    transcript::set_quiet(args.quiet);
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .map_err(|e| format!("cannot watch for signals: {e}"))?;
    let hostname = format!("mail.{}", args.domain);
    let tls = tls::self_signed(&[
        hostname.clone(),
        "localhost".to_string(),
        args.bind.to_string(),
    ])?;
    let port = |service: Service| args.port_offset + service.base_port();
    let live = args.web.map(|_| {
        Arc::new(Hub::new(
            live::Settings {
                hostname: hostname.clone(),
                domain: args.domain.clone(),
                bind: args.bind.to_string(),
                ports: live::Ports {
                    smtp: port(Service::SmtpExchanger),
                    submission: port(Service::Submission),
                    submissions: port(Service::SubmissionImplicitTls),
                    pop3: port(Service::Pop3),
                    imap: port(Service::Imap),
                },
                users: args.users.clone(),
                require_tls: args.require_tls,
                fingerprint: tls.fingerprint.clone(),
                show_secrets: args.show_secrets,
            },
            Bounds::default(),
        ))
    });
    let mut store = MailStore::new();
    for (user, password) in &args.users {
        store.add_account(user, password);
    }
    let shared = Arc::new(Shared {
        store: Mutex::new(store),
        domain: args.domain.clone(),
        hostname,
        tls,
        require_tls: args.require_tls,
        admission: Admission::new(Limits {
            total: args.max_connections,
            per_address: args.max_per_address,
        }),
        write_timeout: std::time::Duration::from_secs(args.write_timeout),
        sessions: AtomicUsize::new(0),
        started: std::time::Instant::now(),
        live: live.clone(),
        show_secrets: args.show_secrets,
    });
    let mut listeners = Vec::new();
    for service in Service::ALL {
        let port = args.port_offset + service.base_port();
        let addr = SocketAddr::new(args.bind, port);
        let listener =
            TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        listeners.push((service, addr, listener));
    }
    for (service, addr, listener) in listeners {
        say(format!("listening on {addr} ({})", service.name()));
        let shared = shared.clone();
        thread::Builder::new()
            .name(format!("accept-{}", service.name()))
            .spawn(move || accept_loop(listener, service, shared))
            .map_err(|e| format!("cannot start a listener thread: {e}"))?;
    }
    if !args.bind.is_loopback() {
        warn(&format!(
            "the mail ports listen on {}, not loopback: anyone who can reach this machine can \
             connect, log in with the accounts below and read their mail",
            args.bind
        ));
    }
    if let (Some(addr), Some(hub)) = (args.web, live) {
        let listener =
            TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        if !addr.ip().is_loopback() {
            warn(&format!(
                "live mode listens on {addr}, not loopback: anyone who can reach this machine \
                 can watch every session{}",
                if args.show_secrets {
                    ", passwords included (--show-secrets)"
                } else {
                    ""
                }
            ));
        }
        let root = args.web_root.clone();
        if !root.join("live.html").is_file() {
            warn(&format!(
                "{} has no live.html: build the pages first (scripts/build-web)",
                root.display()
            ));
        }
        thread::Builder::new()
            .name("accept-web".into())
            .spawn(move || live::web::serve_web(listener, hub, root))
            .map_err(|e| format!("cannot start the web thread: {e}"))?;
        say(format!("live mode: open http://{addr}/live.html"));
    }
    let users: Vec<String> = args
        .users
        .iter()
        .map(|(u, _)| format!("{u}@{}", args.domain))
        .collect();
    say(format!("mailboxes: {}", users.join(", ")));
    say(format!(
        "TLS certificate SHA-256 fingerprint: {}",
        shared.tls.fingerprint
    ));
    say("ready".to_string());
    if let Some(signal) = signals.forever().next() {
        // Straight to stderr: the transcript queue may be full or stdout closed.
        say(format!(
            "postroom-serve: signal {signal}, shutting down ({} dropped)",
            postroom_proto::explain::count(
                usize::try_from(transcript::dropped()).unwrap_or(usize::MAX),
                "transcript line",
                "transcript lines"
            )
        ));
        transcript::drain(std::time::Duration::from_secs(1));
    }
    Ok(())
}
