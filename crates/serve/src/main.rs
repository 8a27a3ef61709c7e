//! `postroom-serve`: see `postroom_serve::args::USAGE`.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::thread;

use postroom_proto::MailStore;
use postroom_serve::admission::{Admission, Limits};
use postroom_serve::args::Args;
use postroom_serve::bridge::{accept_loop, Service, Shared};
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
            "postroom-serve: signal {signal}, shutting down ({} transcript line(s) dropped)",
            transcript::dropped()
        ));
        transcript::drain(std::time::Duration::from_secs(1));
    }
    Ok(())
}
