//! IMAP response parsing throughput: our client's parser against imap-codec's, on the same
//! buffers in the same process.
//!
//! Each input is one buffer of many responses, as a client reads them off the wire; both
//! parsers are applied in a loop until the buffer is consumed. Run with
//! `cargo bench -p postroom-proto --bench imap_parse`; criterion prints MB/s.
//!
//! Inputs:
//! - `select`: our server's answer to `SELECT INBOX (CONDSTORE)` (FLAGS, PERMANENTFLAGS,
//!   EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, the tagged OK);
//! - `rfc3501_s8_fetch`: the FETCH response of RFC 3501 §8's sample session, exactly;
//! - `fetch_flags_200`: 200 lines `* n FETCH (UID n FLAGS (\Seen))` and a tagged OK;
//! - `stream_1000`: a 1 000-response stream, the RFC 3501 §8 line and FLAGS lines mixed;
//! - `fetch_body_4k_20`: 20 FETCH responses, each with a 4 KB `BODY[]` literal, made by our
//!   server (`UID FETCH 1:* (BODY.PEEK[])`);
//! - `fetch_envelope_bodystructure_50`: 50 FETCH responses with ENVELOPE and BODYSTRUCTURE,
//!   made by our server over a store of plain, multipart and forwarded messages.
//!
//!
//! `client_literal_4mib` is different: our whole client session (not only the parser) reading
//! a 4 MiB `BODY[]` literal in 1 460-octet pieces, as off a TCP socket; imap-codec has no
//! client session to compare with. It guards against rescanning or copying the unread buffer
//! on every read, which made this quadratic once.
//!
//! The generated inputs are checked once before measuring: both parsers must read every
//! buffer to its end, and see the same number of responses.
// Bench code runs fixed, known-good inputs: a panic here is a broken benchmark, as in a test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imap_codec::decode::Decoder;
use imap_codec::ResponseCodec;
use postroom_proto::imap::response;
use postroom_proto::imap::{ClientConfig, DeviceCache, ImapClient, ImapServer, ServerConfig};
use postroom_proto::{Instant, MailStore};

/// Runs `lines` through a fresh server logged in as bob, and returns what it sent after the
/// greeting and the login.
fn server_output(store: &mut MailStore, lines: &[&str]) -> Vec<u8> {
    let mut server = ImapServer::new(ServerConfig::new("imap.example.net"), Instant::ZERO);
    server.handle_input(Instant::ZERO, b"a0 LOGIN bob secret\r\n", store);
    while server.poll_output().is_some() {}
    let mut out = Vec::new();
    for line in lines {
        server.handle_input(Instant::ZERO, format!("{line}\r\n").as_bytes(), store);
        while let Some(bytes) = server.poll_output() {
            out.extend(bytes);
        }
    }
    out
}

fn store_with(messages: impl IntoIterator<Item = Vec<u8>>) -> MailStore {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.set_clock(1_772_787_600);
    for m in messages {
        store.deliver("bob", "alice@example.org", m);
    }
    store
}

fn plain(i: usize) -> Vec<u8> {
    format!(
        "From: Alice Example <alice@example.org>\r\nTo: Bob <bob@example.net>, carol@example.net\r\n\
Cc: \"Smith, Dave\" <dave@example.net>\r\nSubject: Meeting notes {i}\r\n\
Date: Fri, 6 Mar 2026 09:{:02}:00 +0000\r\nMessage-ID: <{i}.notes@example.org>\r\n\
In-Reply-To: <{}.notes@example.org>\r\n\r\nHello Bob,\r\n\r\nthe notes are below.\r\n",
        i % 60,
        i.saturating_sub(1)
    )
    .into_bytes()
}

fn multipart(i: usize) -> Vec<u8> {
    format!(
        "From: \"Carol C.\" <carol@example.org>\r\nTo: bob@example.net\r\n\
Subject: =?UTF-8?Q?R=C3=A9sum=C3=A9_{i}?=\r\nDate: Sat, 7 Mar 2026 10:30:00 +0100\r\n\
Message-ID: <{i}.cv@example.org>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"frontier\"\r\n\r\n\
--frontier\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n\
--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
Caf=C3=A9 at noon?\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Caf&eacute;?</p>\r\n\
--alt--\r\n--frontier\r\nContent-Type: application/pdf; name=\"cv-{i}.pdf\"\r\n\
Content-Disposition: attachment; filename=\"cv-{i}.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n\
--frontier--\r\n"
    )
    .into_bytes()
}

fn forwarded(i: usize) -> Vec<u8> {
    let inner = plain(i + 1000);
    let mut m = format!(
        "From: dave@example.net\r\nTo: bob@example.net\r\nSubject: Fwd: notes {i}\r\n\
Date: Sun, 8 Mar 2026 18:00:00 -0500\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n\
--b\r\nContent-Type: message/rfc822\r\n\r\n"
    )
    .into_bytes();
    m.extend(inner);
    m.extend_from_slice(b"--b--\r\n");
    m
}

/// A message of exactly `size` octets: a short header, then 72-octet lines.
fn sized(i: usize, size: usize) -> Vec<u8> {
    let mut m = format!("From: alice@example.org\r\nSubject: Report {i}\r\n\r\n").into_bytes();
    let mut n = 0;
    while m.len() < size {
        m.extend_from_slice(
            format!("Line {n:04} of the report: the quick brown fox jumps over the lazy dog\r\n")
                .as_bytes(),
        );
        n += 1;
    }
    m.truncate(size - 2);
    m.extend_from_slice(b"\r\n");
    m
}

/// RFC 3501 §8, the server's answer to `a003 fetch 12 full`: one line, as printed there.
const RFC3501_FETCH: &str = "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n";

fn stream(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 1..=n {
        if i % 10 == 0 {
            out.extend_from_slice(RFC3501_FETCH.as_bytes());
        } else {
            out.extend(
                format!("* {i} FETCH (UID {i} FLAGS (\\Seen \\Answered) MODSEQ (9{i}))\r\n")
                    .bytes(),
            );
        }
    }
    out
}

/// The server side of a session that ends in one 4 MiB `BODY[]` literal, and a client that
/// reads it in 1 460-octet pieces; the number of messages the client ends up holding.
fn client_session(server_bytes: &[u8]) -> usize {
    let mut client = ImapClient::new(ClientConfig::new("bob", "secret"), DeviceCache::default());
    for piece in server_bytes.chunks(1460) {
        client
            .handle_input(postroom_proto::Instant::ZERO, piece)
            .unwrap();
        while client.poll_output().is_some() {}
    }
    client
        .cache()
        .messages
        .values()
        .filter(|m| m.bytes.is_some())
        .count()
}

/// What our server says to our client's first sync of a mailbox holding one 4 MiB message.
fn big_literal_session() -> Vec<u8> {
    let mut store = store_with([sized(0, 4 << 20)]);
    let mut server = ImapServer::new(ServerConfig::new("imap.example.net"), Instant::ZERO);
    let mut client = ImapClient::new(ClientConfig::new("bob", "secret"), DeviceCache::default());
    let mut transcript = Vec::new();
    for _ in 0..100 {
        let mut moved = false;
        while let Some(b) = server.poll_output() {
            client
                .handle_input(postroom_proto::Instant::ZERO, &b)
                .unwrap();
            transcript.extend(b);
            moved = true;
        }
        while let Some(b) = client.poll_output() {
            server.handle_input(Instant::ZERO, &b, &mut store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    transcript
}

fn select_block() -> Vec<u8> {
    let mut store = store_with((0..3).map(plain));
    server_output(&mut store, &["a1 SELECT INBOX (CONDSTORE)"])
}

fn fetch_flags(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 1..=n {
        out.extend(format!("* {i} FETCH (UID {i} FLAGS (\\Seen))\r\n").bytes());
    }
    out.extend_from_slice(b"a2 OK FETCH completed\r\n");
    out
}

fn fetch_bodies() -> Vec<u8> {
    let mut store = store_with((0..20).map(|i| sized(i, 4096)));
    let out = server_output(
        &mut store,
        &["a1 SELECT INBOX", "a2 UID FETCH 1:* (BODY.PEEK[])"],
    );
    // Only the FETCH responses: what follows the SELECT's tagged OK.
    let start = find(&out, b"a1 OK").unwrap();
    let start = start + find(&out[start..], b"\r\n").unwrap() + 2;
    out[start..].to_vec()
}

fn fetch_envelopes() -> Vec<u8> {
    let messages = (0..50).map(|i| match i % 3 {
        0 => plain(i),
        1 => multipart(i),
        _ => forwarded(i),
    });
    let mut store = store_with(messages);
    let out = server_output(
        &mut store,
        &["a1 SELECT INBOX", "a2 FETCH 1:* (ENVELOPE BODYSTRUCTURE)"],
    );
    let start = find(&out, b"a1 OK").unwrap();
    let start = start + find(&out[start..], b"\r\n").unwrap() + 2;
    out[start..].to_vec()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Our client's parser over the whole buffer; the number of responses.
fn ours(mut rest: &[u8]) -> usize {
    let mut n = 0;
    while !rest.is_empty() {
        let (r, used) = response::response(rest).unwrap();
        black_box(r);
        rest = &rest[used..];
        n += 1;
    }
    n
}

/// imap-codec's response parser over the whole buffer; the number of responses.
fn codec(mut rest: &[u8]) -> usize {
    let codec = ResponseCodec::default();
    let mut n = 0;
    while !rest.is_empty() {
        let (r, response) = codec.decode(rest).unwrap();
        black_box(response);
        rest = r;
        n += 1;
    }
    n
}

fn parse(c: &mut Criterion) {
    let inputs = [
        ("select", select_block()),
        ("rfc3501_s8_fetch", RFC3501_FETCH.as_bytes().to_vec()),
        ("fetch_flags_200", fetch_flags(200)),
        ("stream_1000", stream(1000)),
        ("fetch_body_4k_20", fetch_bodies()),
        ("fetch_envelope_bodystructure_50", fetch_envelopes()),
    ];
    for (name, input) in &inputs {
        // Check once that both parsers read the same responses, all the way to the end.
        let (a, b) = (ours(input), codec(input));
        assert_eq!(
            a, b,
            "{name}: our parser sees {a} responses, imap-codec {b}"
        );
        let expected = match *name {
            "rfc3501_s8_fetch" => Some(1),
            "fetch_flags_200" => Some(201),
            "stream_1000" => Some(1000),
            "fetch_body_4k_20" => Some(21),
            "fetch_envelope_bodystructure_50" => Some(51),
            _ => None,
        };
        assert!(
            expected.is_none_or(|e| e == a),
            "{name}: {a} responses, expected {expected:?}"
        );
        println!("{name}: {} octets, {a} responses", input.len());

        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function("postroom", |b| b.iter(|| ours(black_box(input))));
        group.bench_function("imap_codec", |b| b.iter(|| codec(black_box(input))));
        group.finish();
    }

    let session = big_literal_session();
    assert_eq!(client_session(&session), 1, "the client holds the message");
    println!("client_literal_4mib: {} octets", session.len());
    let mut group = c.benchmark_group("client_literal_4mib");
    group.throughput(Throughput::Bytes(session.len() as u64));
    group.sample_size(10);
    group.bench_function("postroom", |b| {
        b.iter(|| client_session(black_box(&session)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
