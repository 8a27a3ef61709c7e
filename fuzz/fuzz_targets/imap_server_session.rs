//! A whole IMAP server session fed arbitrary client bytes, in chunks of varying size.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the client sends. bob (password `secret`) has four messages in INBOX,
//! one of them multipart MIME with an attached message, and an empty Trash.
//!
//! Invariants:
//! - nothing panics;
//! - every output unit is a whole number of responses: our own client's parser
//!   (`imap::response::response`, in a loop) reads it to the end, never `Incomplete` or
//!   `Failed`; the first unit is the greeting (`* OK`, `* PREAUTH` or `* BYE`);
//! - imap-codec (strict, as in `crates/proto/tests/oracle`) parses every unit too, the first
//!   as a greeting, with nothing left over; units that hold a NUL octet are skipped (a
//!   message APPENDed with NUL is sent back in a literal, a documented deviation);
//!   Brackets in flags and header-field names included (findings 8–9, fixed).
//! - a closed session says nothing more.
#![no_main]

mod common;

use common::imap::drain;
use common::Chunks;
use libfuzzer_sys::fuzz_target;
use postroom_proto::imap::server::AUTOLOGOUT;
use postroom_proto::imap::{ImapServer, ServerConfig};
use postroom_proto::smtp::TlsPolicy;
use postroom_proto::{Duration, Instant, MailStore};

const PLAIN: &[u8] = b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n\
Subject: Lunch\r\nDate: Fri, 6 Mar 2026 09:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\n\
Hello Bob.\r\n.A line with a dot\r\n";

const MULTIPART: &[u8] = b"From: \"Carol C.\" <carol@example.org>, group: dave@example.net;\r\n\
To: bob@example.net\r\nCc: (comment) erin@example.net\r\nSubject: =?UTF-8?Q?R=C3=A9sum=C3=A9?=\r\n\
Date: Sat, 7 Mar 2026 10:30:00 +0100\r\nIn-Reply-To: <1@example.org>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"frontier\"\r\n\r\n\
This is the preamble.\r\n--frontier\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 at noon?\r\n\
--frontier\r\nContent-Type: text/html\r\nContent-Disposition: inline\r\n\r\n<p>Caf&eacute;</p>\r\n\
--frontier\r\nContent-Type: application/pdf; name=\"cv.pdf\"\r\n\
Content-Disposition: attachment; filename*0=\"c\"; filename*1=\"v.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKNSAwIG9iago=\r\n\
--frontier\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@example.org\r\nSubject: inner\r\n\r\n\
inner body\r\n--frontier--\r\nEpilogue.\r\n";

const EIGHT_BIT: &[u8] =
    "Subject: Gr\u{fc}\u{df}e\r\nFrom: m\u{fc}ller@example.de\r\n\r\nH\u{e9}llo\r\n".as_bytes();

const BARE: &[u8] = b"no header at all, no line end";

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bits 0-1: TLS policy. Bit 2: implicit TLS. Bit 3: a minute passes per chunk, and 31
    // before every eighth. Bit 4: another session delivers a message before every fourth
    // chunk (at most 8). Bit 5: another session expunges INBOX's first message, or sets
    // \Seen on it, before every fourth chunk.
    let mut cfg = ServerConfig::new("imap.example.net");
    cfg.tls = match config & 3 {
        0 => TlsPolicy::NotOffered,
        1 => TlsPolicy::Offered,
        _ => TlsPolicy::Required,
    };
    cfg.secure_from_start = config & 4 != 0;
    let time_passes = config & 8 != 0;
    let deliveries = config & 16 != 0;
    let changes = config & 32 != 0;

    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.add_account("alice", "secret");
    store.set_clock(1_772_787_600);
    for m in [PLAIN, MULTIPART, EIGHT_BIT, BARE] {
        store.deliver("bob", "alice@example.org", m.to_vec());
    }
    let _ = store.create_folder("bob", "Trash");

    let mut now = Instant::ZERO;
    let mut server = ImapServer::new(cfg, now);
    let mut units = 0usize;
    drain(&mut server, &mut units, |out| out.contains(&0));
    for (n, chunk) in Chunks::new(input, *chunking).enumerate() {
        if time_passes {
            let minutes = if n % 8 == 7 { 31 } else { 1 };
            now = now + Duration::from_secs(60 * minutes);
            server.handle_timeout(now, &mut store);
            drain(&mut server, &mut units, |out| out.contains(&0));
        }
        if n % 4 == 3 && n < 32 {
            if deliveries {
                store.deliver("bob", "carol@example.org", PLAIN.to_vec());
            }
            if changes {
                if let Some(first) = store.messages("bob").first().map(|m| m.uid) {
                    if n % 8 == 3 {
                        store.expunge("bob", &[first]);
                    } else {
                        let _ =
                            store.set_flags("bob", "INBOX", first, ["\\Seen".to_string()].into());
                    }
                }
            }
            if deliveries || changes {
                server.handle_store_change(&store);
                drain(&mut server, &mut units, |out| out.contains(&0));
            }
        }
        let was_closed = server.is_closed();
        server.handle_input(now, chunk, &mut store);
        if was_closed {
            assert_eq!(server.poll_output(), None, "a closed session replied");
        }
        drain(&mut server, &mut units, |out| out.contains(&0));
    }
    server.handle_timeout(now + AUTOLOGOUT, &mut store);
    drain(&mut server, &mut units, |out| out.contains(&0));
    assert!(server.is_closed() || server.poll_timeout().is_some());
    server.connection_lost(&mut store);
    drain(&mut server, &mut units, |out| out.contains(&0));
    assert!(server.is_closed());
});
