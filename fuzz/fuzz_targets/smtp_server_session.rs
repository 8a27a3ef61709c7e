//! A whole SMTP server session fed arbitrary client bytes, in chunks of varying size.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the client sends.
//!
//! Invariants:
//! - nothing panics;
//! - every output is exactly one syntactically valid reply (`decode::reply` parses it and uses
//!   all of its octets);
//! - a closed session says nothing more.
#![no_main]

mod common;

use common::Chunks;
use libfuzzer_sys::fuzz_target;
use postroom_proto::smtp::decode;
use postroom_proto::smtp::server::SERVER_TIMEOUT;
use postroom_proto::smtp::{ServerConfig, ServerEvent, SmtpServer, TlsPolicy};
use postroom_proto::{Duration, Instant, MailStore};

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bit 0: submission server (AUTH) or mail exchanger. Bits 1-2: TLS policy.
    // Bit 3: implicit TLS. Bit 4: a tiny size limit. Bit 5: a minute passes per chunk.
    let mut cfg = if config & 1 == 0 {
        ServerConfig::submission("mx.example.net", "example.net")
    } else {
        ServerConfig::new("mx.example.net", "example.net")
    };
    cfg.tls = match (config >> 1) & 3 {
        0 => TlsPolicy::NotOffered,
        1 => TlsPolicy::Offered,
        _ => TlsPolicy::Required,
    };
    cfg.secure_from_start = config & 8 != 0;
    if config & 16 != 0 {
        cfg.max_message_size = 64;
    }
    let time_passes = config & 32 != 0;

    let mut store = MailStore::new();
    store.add_account("alice", "secret");
    store.add_user("bob");
    let mut now = Instant::ZERO;
    let mut server = SmtpServer::new(cfg, now);
    drain(&mut server);
    for chunk in Chunks::new(input, *chunking) {
        if time_passes {
            now = now + Duration::from_secs(61);
            server.handle_timeout(now, &mut store);
            drain(&mut server);
        }
        let was_closed = server.is_closed();
        server.handle_input(now, chunk, &mut store);
        if was_closed {
            assert_eq!(server.poll_output(), None, "a closed session replied");
        }
        drain(&mut server);
    }
    server.handle_timeout(now + SERVER_TIMEOUT, &mut store);
    drain(&mut server);
    assert!(server.is_closed() || server.poll_timeout().is_some());
});

fn drain(server: &mut SmtpServer) {
    while let Some(out) = server.poll_output() {
        match decode::reply(&out) {
            Ok((_, used)) => assert_eq!(
                used,
                out.len(),
                "one output holds more than one reply: {:?}",
                String::from_utf8_lossy(&out)
            ),
            Err(e) => panic!(
                "the server sent an invalid reply ({e}, {} octets): {:?}",
                out.len(),
                String::from_utf8_lossy(&out)
            ),
        }
    }
    while let Some(event) = server.poll_event() {
        if event == ServerEvent::TlsRequested {
            // The 220 has been "sent" above; the handshake succeeds at once.
            server.tls_established();
        }
    }
}
