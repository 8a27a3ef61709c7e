//! A whole POP3 server session fed arbitrary client bytes, in chunks of varying size.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the client sends. bob (password `secret`) has three messages.
//!
//! Invariants:
//! - nothing panics;
//! - every output is exactly one response: `pop3::decode::response` parses it and uses all
//!   of its octets, as a single-line response or, if that leaves octets over, as a
//!   multi-line one (a `+OK` single line never has anything after it, so the shape decides
//!   the flag); the only other output allowed is the SASL continuation `+ ` CRLF;
//! - a closed session says nothing more;
//! - when the connection ends, the store still has every message unless a QUIT was answered
//!   with +OK, and then exactly the UIDs the server reports deleting are gone; the POP3 lock
//!   is released (or, if another session held it from the start, still held).
#![no_main]

mod common;

use common::Chunks;
use libfuzzer_sys::fuzz_target;
use postroom_proto::pop3::server::AUTOLOGOUT;
use postroom_proto::pop3::{decode, Pop3Server, ServerConfig, ServerEvent};
use postroom_proto::smtp::TlsPolicy;
use postroom_proto::{Duration, Instant, MailStore};

/// The APOP timestamp of RFC 1939 §7's example; `seed-corpus.sh` computes the digest.
pub const TIMESTAMP: &str = "<1896.697170952@dbc.mtview.ca.us>";

const MESSAGES: &[&[u8]] = &[
    b"From: alice@example.org\r\nTo: bob@example.net\r\nSubject: One\r\n\r\nHello Bob.\r\n",
    // Lines that need byte-stuffing, one that is a lone ".", and a long line.
    b"Subject: Dots\r\n\r\n.leading dot\r\n.\r\n..two\r\nend\r\n",
    // No final CRLF, and a bare LF inside: stored octets are not always tidy.
    b"Subject: Untidy\r\n\r\nfirst\nsecond\r\nno line end",
];

#[derive(Default)]
struct Seen {
    quit_ok: bool,
    user: Option<String>,
    deleted: Vec<u32>,
    updated: bool,
    /// The status line of the last response, to tell how the session ended.
    last: String,
}

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bit 0: APOP (a timestamp in the greeting). Bits 1-2: TLS policy. Bit 3: implicit TLS.
    // Bit 4: a minute passes per chunk, and eleven before every eighth. Bit 5: another
    // session holds bob's maildrop. Bit 6: another session (IMAP) expunges message 1 after
    // the second chunk.
    let mut cfg = ServerConfig::new("pop.example.net");
    if config & 1 != 0 {
        cfg.apop_timestamp = Some(TIMESTAMP.to_string());
    }
    cfg.tls = match (config >> 1) & 3 {
        0 => TlsPolicy::NotOffered,
        1 => TlsPolicy::Offered,
        _ => TlsPolicy::Required,
    };
    cfg.secure_from_start = config & 8 != 0;
    let time_passes = config & 16 != 0;
    let locked_elsewhere = config & 32 != 0;
    let expunged_elsewhere = config & 64 != 0;

    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.add_account("alice", "wonderland");
    for m in MESSAGES {
        store.deliver("bob", "alice@example.org", m.to_vec());
    }
    store.deliver("alice", "bob@example.net", MESSAGES[0].to_vec());
    if locked_elsewhere {
        assert!(store.lock_for_pop3("bob"));
    }
    let mut expected_bob = uids(&store, "bob");
    let mut expected_alice = uids(&store, "alice");

    let mut now = Instant::ZERO;
    let mut server = Pop3Server::new(cfg, now);
    let mut seen = Seen::default();
    drain(&mut server, &mut seen);
    for (n, chunk) in Chunks::new(input, *chunking).enumerate() {
        if time_passes {
            let minutes = if n % 8 == 7 { 11 } else { 1 };
            now = now + Duration::from_secs(60 * minutes);
            server.handle_timeout(now, &mut store);
            drain(&mut server, &mut seen);
        }
        if expunged_elsewhere && n == 2 {
            store.expunge("bob", &[1]);
            expected_bob.retain(|&u| u != 1);
        }
        let was_closed = server.is_closed();
        server.handle_input(now, chunk, &mut store);
        if was_closed {
            assert_eq!(server.poll_output(), None, "a closed session replied");
        }
        drain(&mut server, &mut seen);
    }
    server.handle_timeout(now + AUTOLOGOUT, &mut store);
    drain(&mut server, &mut seen);
    server.connection_lost(&mut store);
    drain(&mut server, &mut seen);
    assert!(server.is_closed());
    assert_eq!(server.poll_timeout(), None);

    if seen.quit_ok && seen.updated {
        let expected = match seen.user.as_deref() {
            Some("bob") => &mut expected_bob,
            Some("alice") => &mut expected_alice,
            other => panic!("UPDATE state for {other:?}"),
        };
        expected.retain(|u| !seen.deleted.contains(u));
    } else {
        assert!(
            seen.deleted.is_empty(),
            "messages {:?} deleted without a QUIT answered +OK",
            seen.deleted
        );
    }
    assert_eq!(uids(&store, "bob"), expected_bob, "bob's maildrop changed");
    assert_eq!(
        uids(&store, "alice"),
        expected_alice,
        "alice's maildrop changed"
    );
    // The lock: released by this session, or still held by the other one.
    assert_eq!(
        store.lock_for_pop3("bob"),
        !locked_elsewhere,
        "bob's POP3 lock is in the wrong state; the last response was {:?}",
        seen.last
    );
    assert!(
        store.lock_for_pop3("alice"),
        "alice's lock was left held; the last response was {:?}",
        seen.last
    );
});

fn uids(store: &MailStore, user: &str) -> Vec<u32> {
    store.messages(user).iter().map(|m| m.uid).collect()
}

fn drain(server: &mut Pop3Server, seen: &mut Seen) {
    while let Some(out) = server.poll_output() {
        check_response(&out, seen);
    }
    while let Some(event) = server.poll_event() {
        match event {
            ServerEvent::TlsRequested => server.tls_established(),
            ServerEvent::MessagesDeleted { uids } => seen.deleted.extend(uids),
            ServerEvent::LoggedIn { user, .. } => seen.user = Some(user),
            ServerEvent::SessionClosed { updated } => seen.updated |= updated,
            _ => {}
        }
    }
}

fn check_response(out: &[u8], seen: &mut Seen) {
    if out == b"+ \r\n" {
        return;
    }
    let (response, used) = match decode::response(out, false) {
        Ok(found) => found,
        Err(e) => panic!(
            "the server sent an invalid response ({e}, {} octets): {:?}",
            out.len(),
            String::from_utf8_lossy(out)
        ),
    };
    if used != out.len() {
        match decode::response(out, true) {
            Ok((multi, used)) => {
                assert_eq!(
                    used,
                    out.len(),
                    "one output holds more than one response: {:?}",
                    String::from_utf8_lossy(out)
                );
                assert!(multi.ok && multi.body.is_some());
            }
            Err(e) => panic!(
                "the server sent an invalid multi-line response ({e}): {:?}",
                String::from_utf8_lossy(out)
            ),
        }
    }
    seen.last = format!(
        "{} {}",
        if response.ok { "+OK" } else { "-ERR" },
        response.text
    );
    if response.ok && response.text.contains("POP3 server signing off") {
        seen.quit_ok = true;
    }
}
