//! A whole IMAP server session with IMAP4rev2 (RFC 9051) on, fed arbitrary client bytes in
//! chunks of varying size: `imap_server_session` with `ServerConfig::imap4rev2` set.
//!
//! Input layout: byte 0 picks the configuration, byte 1 the chunking (see `common::Chunks`),
//! the rest is what the client sends, after a prefix that bits 6-7 of byte 0 choose, so that
//! the fuzzer starts inside a session: none; `a1 LOGIN bob secret`, `a3 SELECT INBOX` (an
//! IMAP4rev1 session, where the rev2 syntax still works); `a1 LOGIN`, `a2 ENABLE IMAP4rev2`;
//! or all three. bob (password `secret`) has `imap_server_session`'s four messages in INBOX
//! and an empty Trash, plus what the rev2 commands need: a fifth message whose parts decode
//! to octets with NUL (base64 and quoted-printable, so BINARY answers with a literal8), an
//! unknown and a corrupt transfer encoding (`NO [UNKNOWN-CTE]`, `NO`), and a subscribed
//! `Work/Reports` without a `Work` (RECURSIVEMATCH, CHILDINFO, `\NonExistent`).
//!
//! Invariants:
//! - nothing panics;
//! - every output unit is a whole number of responses: our own client's parser
//!   (`imap::response::response`, in a loop) reads it to the end, never `Incomplete` or
//!   `Failed`; the first unit is the greeting (`* OK`, `* PREAUTH` or `* BYE`), literal8
//!   (`~{n}`) and keywords such as `BODY[x` included (findings 12-13, fixed);
//! - imap-codec (strict) parses every unit too, the first as a greeting, with nothing left
//!   over, except units it cannot read: those with `* ESEARCH` (RFC 4731) or a `CHILDINFO`
//!   LIST extended data item (RFC 5258), which imap-codec 2.0.0-alpha.10 does not know;
//!   those with a partial `BINARY[part]<origin>`, whose origin RFC 9051 §7.5.2's text has
//!   but its ABNF (which imap-codec follows) lacks (a deliberate choice, tested in
//!   `crates/proto/tests/imap_rev2.rs`); and, as in `imap_server_session`, units holding a
//!   NUL octet. The last include every literal8 (`~{n}`), which the server sends only for
//!   data with NUL;
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

/// For BINARY: part 1 decodes to `00 01 02 FF CR LF ( ) { }`, part 2 to text with NUL and
/// bare LFs (made CRLF), part 3 has an encoding no server knows, part 4 is not base64.
const ENCODED: &[u8] = b"From: dave@example.org\r\nTo: bob@example.net\r\n\
Subject: parts to decode\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n\
AAEC/w0K\r\nKCl7fQ==\r\n\
--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
nul=00 paren=28 quote=22 soft=\r\nbreak=0Abare lf \r\n\
--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n\
begin 644 x\r\n\
--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\nnot base64!\r\n\
--b--\r\n";

const LOGIN: &[u8] = b"a1 LOGIN bob secret\r\n";
const ENABLE: &[u8] = b"a2 ENABLE IMAP4rev2\r\n";
const SELECT: &[u8] = b"a3 SELECT INBOX\r\n";

fuzz_target!(|data: &[u8]| {
    let [config, chunking, input @ ..] = data else {
        return;
    };
    // Bits 0-5 as in imap_server_session. Bits 0-1: TLS policy. Bit 2: implicit TLS. Bit 3:
    // a minute passes per chunk, and 31 before every eighth. Bit 4: another session delivers
    // a message before every fourth chunk (at most 8). Bit 5: another session expunges
    // INBOX's first message, or sets \Seen on it, before every fourth chunk. Bits 6-7: the
    // prefix (with a TLS policy of Required, its LOGIN is refused: that is a session too).
    let mut cfg = ServerConfig::new("imap.example.net");
    cfg.imap4rev2 = true;
    cfg.tls = match config & 3 {
        0 => TlsPolicy::NotOffered,
        1 => TlsPolicy::Offered,
        _ => TlsPolicy::Required,
    };
    cfg.secure_from_start = config & 4 != 0;
    let time_passes = config & 8 != 0;
    let deliveries = config & 16 != 0;
    let changes = config & 32 != 0;
    let prefix: &[&[u8]] = match config >> 6 {
        0 => &[],
        1 => &[LOGIN, SELECT],
        2 => &[LOGIN, ENABLE],
        _ => &[LOGIN, ENABLE, SELECT],
    };
    // One stream, chunked as a whole: the prefix is split like the rest.
    let stream: Vec<u8> = prefix
        .iter()
        .copied()
        .chain(std::iter::once(input))
        .flatten()
        .copied()
        .collect();

    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.add_account("alice", "secret");
    store.set_clock(1_772_787_600);
    for m in [PLAIN, MULTIPART, EIGHT_BIT, BARE, ENCODED] {
        store.deliver("bob", "alice@example.org", m.to_vec());
    }
    let _ = store.create_folder("bob", "Trash");
    let _ = store.create_folder("bob", "Work/Reports");
    let _ = store.set_subscribed("bob", "Work/Reports", true);

    let mut now = Instant::ZERO;
    let mut server = ImapServer::new(cfg, now);
    let mut units = 0usize;
    drain(&mut server, &mut units, imap_codec_cannot_read);
    for (n, chunk) in Chunks::new(&stream, *chunking).enumerate() {
        if time_passes {
            let minutes = if n % 8 == 7 { 31 } else { 1 };
            now = now + Duration::from_secs(60 * minutes);
            server.handle_timeout(now, &mut store);
            drain(&mut server, &mut units, imap_codec_cannot_read);
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
                drain(&mut server, &mut units, imap_codec_cannot_read);
            }
        }
        let was_closed = server.is_closed();
        server.handle_input(now, chunk, &mut store);
        if was_closed {
            assert_eq!(server.poll_output(), None, "a closed session replied");
        }
        drain(&mut server, &mut units, imap_codec_cannot_read);
    }
    server.handle_timeout(now + AUTOLOGOUT, &mut store);
    drain(&mut server, &mut units, imap_codec_cannot_read);
    assert!(server.is_closed() || server.poll_timeout().is_some());
    server.connection_lost(&mut store);
    drain(&mut server, &mut units, imap_codec_cannot_read);
    assert!(server.is_closed());
});

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A partial `BINARY[part]<origin>` in the unit: the origin follows RFC 9051 §7.5.2's text,
/// as `BODY[]<origin>` does, but not its ABNF, which imap-codec follows.
fn binary_origin(out: &[u8]) -> bool {
    out.windows(7).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"BINARY[")
            && out[i..]
                .iter()
                .position(|&b| b == b']')
                .is_some_and(|end| out.get(i + end + 1) == Some(&b'<'))
    })
}

/// Units imap-codec cannot read (see the module notes): NUL (every literal8), ESEARCH,
/// CHILDINFO, a partial BINARY.
fn imap_codec_cannot_read(out: &[u8]) -> bool {
    out.contains(&0)
        || contains(out, b"* ESEARCH ")
        || contains(out, b"CHILDINFO")
        || binary_origin(out)
}
