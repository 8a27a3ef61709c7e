//! A whole SMTP client session (send one message, then QUIT) fed arbitrary server bytes, in
//! chunks of varying size.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the server sends.
//!
//! Invariants: nothing panics, whatever the server says. `handle_input` errors are
//! `ProtocolError`s (the server's fault) and are expected; every output ends in CRLF.
#![no_main]

mod common;

use common::Chunks;
use libfuzzer_sys::fuzz_target;
use postroom_proto::smtp::{
    ClientConfig, ClientEvent, ClientTls, Mailbox, ReversePath, SmtpClient,
};
use postroom_proto::{Duration, Instant};

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bit 0: no pipelining. Bit 1: an 8-bit body. Bit 2: TLS required rather than if offered.
    // Bit 3: a null reverse path. Bit 4: a minute passes per chunk.
    let client_config = ClientConfig {
        helo_name: "laptop.example.org".to_string(),
        tls: if config & 4 == 0 {
            ClientTls::IfOffered
        } else {
            ClientTls::Required
        },
        credentials: Some(("alice".to_string(), "secret".to_string())),
        pipelining: config & 1 == 0,
    };
    let mut now = Instant::ZERO;
    let mut client = SmtpClient::new(client_config, now);
    let from = if config & 8 == 0 {
        ReversePath::Mailbox(mailbox("alice@example.net"))
    } else {
        ReversePath::Null
    };
    let to = vec![mailbox("bob@example.net"), mailbox("carol@example.org")];
    let body: &[u8] = if config & 2 == 0 {
        b"Subject: Hi\r\n\r\nHello Bob\r\n.a line that starts with a dot\r\n"
    } else {
        "Subject: Gr\u{fc}\u{df}e\r\n\r\nH\u{e9}llo\r\n".as_bytes()
    };
    if let Err(e) = client.send(from, to, body.to_vec()) {
        panic!("send on a fresh session: {e}");
    }
    client.quit();
    drain(&mut client, now);
    for chunk in Chunks::new(input, *chunking) {
        if config & 16 != 0 {
            now = now + Duration::from_secs(61);
            client.handle_timeout(now);
            drain(&mut client, now);
        }
        // An Err is a ProtocolError: the server broke the protocol and the session closed.
        let _ = client.handle_input(now, chunk);
        drain(&mut client, now);
    }
    client.handle_timeout(now + Duration::from_secs(11 * 60));
    drain(&mut client, now);
});

fn mailbox(text: &str) -> Mailbox {
    match Mailbox::try_from(text) {
        Ok(m) => m,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn drain(client: &mut SmtpClient, now: Instant) {
    while let Some(out) = client.poll_output() {
        assert!(
            out.ends_with(b"\r\n"),
            "client output does not end in CRLF: {:?}",
            String::from_utf8_lossy(&out)
        );
    }
    while let Some(event) = client.poll_event() {
        if event == ClientEvent::TlsRequested {
            client.tls_established(now);
        }
    }
}
