//! A whole IMAP client session (a device with a cache: connect, log in, select INBOX,
//! synchronise, then act) fed arbitrary server bytes, in chunks of varying size.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the server sends.
//!
//! Invariants:
//! - nothing panics, whatever the server says (`handle_input` errors are the server's fault
//!   and expected);
//! - every output is one command (`decode::frame` says `Complete` with all its octets: no
//!   line a server could read as a second command) or `DONE` ending IDLE, and our own
//!   server's parser accepts it (`decode::command`), a UID 0 sent by the server included
//!   (finding 11, fixed: the client no longer echoes it);
//! - a closed client sends nothing more.
#![no_main]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Chunks;
use libfuzzer_sys::fuzz_target;
use postroom_proto::imap::decode::{self, Framing};
use postroom_proto::imap::{
    CachedMessage, ClientConfig, ClientEvent, DeviceCache, ImapClient, Intent,
};
use postroom_proto::smtp::ClientTls;

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bits 0-1: TLS (never, if offered, required). Bit 2: the device already holds messages
    // 1-3 of UIDVALIDITY 1. Bit 3: and remembers a HIGHESTMODSEQ. Bit 4: the user marks,
    // deletes, moves and idles. Bit 5: IDLE ends after every chunk. Bit 6: a user and
    // password that need quoting.
    let mut client_config = if config & 64 == 0 {
        ClientConfig::new("bob", "secret")
    } else {
        ClientConfig::new("b\"o\\b", "pass word")
    };
    client_config.tls = match config & 3 {
        0 => ClientTls::Never,
        1 => ClientTls::IfOffered,
        _ => ClientTls::Required,
    };
    let mut cache = DeviceCache::default();
    if config & 4 != 0 {
        cache.uid_validity = Some(1);
        cache.messages = (1..=3)
            .map(|uid| {
                let message = CachedMessage {
                    flags: BTreeSet::from(["\\Seen".to_string()]),
                    bytes: Some(format!("Subject: {uid}\r\n\r\nhi\r\n").into_bytes()),
                };
                (uid, message)
            })
            .collect::<BTreeMap<_, _>>();
        if config & 8 != 0 {
            cache.highest_modseq = Some(7);
        }
    }
    let mut client = ImapClient::new(client_config, cache);
    if config & 16 != 0 {
        client.act(Intent::MarkRead(1));
        client.act(Intent::Delete(2));
        client.act(Intent::MoveTo(3, "Trash".to_string()));
        client.act(Intent::Idle);
    }
    client.act(Intent::Logout);
    drain(&mut client);
    for chunk in Chunks::new(input, *chunking) {
        let was_closed = client.is_closed();
        // An Err means the server broke the protocol and the client closed.
        let _ = client.handle_input(postroom_proto::Instant::ZERO, chunk);
        if was_closed {
            assert_eq!(client.poll_output(), None, "a closed client sent something");
        }
        drain(&mut client);
        if config & 32 != 0 && client.is_idling() {
            client.stop_idle();
            drain(&mut client);
        }
    }
    let _ = client.state();
    let _ = client.cache();
});

fn drain(client: &mut ImapClient) {
    while let Some(out) = client.poll_output() {
        if out == b"DONE\r\n" {
            continue;
        }
        match decode::frame(&out) {
            Framing::Complete(n) if n == out.len() => {}
            other => panic!(
                "the client sent {:?}, framed as {other:?}",
                String::from_utf8_lossy(&out)
            ),
        }
        if let Err(e) = decode::command(&out) {
            panic!(
                "the client sent {:?}, which our server refuses: {e:?}",
                String::from_utf8_lossy(&out)
            );
        }
    }
    while let Some(event) = client.poll_event() {
        if event == ClientEvent::TlsRequested {
            client.tls_established();
        }
    }
}
