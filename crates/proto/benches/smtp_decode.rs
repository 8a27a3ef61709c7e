//! SMTP decoding throughput: command lines, replies, and a whole server session.
//!
//! Run with `cargo bench -p postroom-proto --bench smtp_decode`; criterion prints MB/s.
// Bench code runs fixed, known-good inputs: a panic here is a broken benchmark, as in a test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use postroom_proto::smtp::{decode, ServerConfig, ServerState, SmtpServer};
use postroom_proto::{dot_stuff, Instant, MailStore};

/// What a submission client sends for one message, without line ends.
const COMMANDS: &[&str] = &[
    "EHLO laptop.example.org",
    "AUTH PLAIN AGFsaWNlAHNlY3JldA==",
    "MAIL FROM:<alice@example.org> SIZE=10240 BODY=8BITMIME",
    "RCPT TO:<bob@example.net>",
    "RCPT TO:<carol@example.net>",
    "RCPT TO:<@relay.example.org:dave@example.net>",
    "DATA",
    "RSET",
    "NOOP",
    "QUIT",
];

/// Our server's EHLO reply to a submission client, and the single-line replies of a session.
const EHLO_REPLY: &str = "250-mx.example.net greets laptop.example.org\r\n\
250-PIPELINING\r\n\
250-SIZE 10485760\r\n\
250-8BITMIME\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-STARTTLS\r\n\
250-AUTH PLAIN LOGIN\r\n\
250 HELP\r\n";
const SINGLE_REPLIES: &[&str] = &[
    "220 mx.example.net ESMTP Postroom\r\n",
    "235 2.7.0 Authentication successful\r\n",
    "250 2.1.0 Sender OK\r\n",
    "250 2.1.5 Recipient OK\r\n",
    "550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown\r\n",
    "354 End data with <CR><LF>.<CR><LF>\r\n",
    "250 2.0.0 Ok: message accepted (10240 octets)\r\n",
    "221 2.0.0 mx.example.net closing connection\r\n",
];

fn bytes_of(items: &[&str]) -> u64 {
    items.iter().map(|s| s.len() as u64).sum()
}

fn commands(c: &mut Criterion) {
    let mut group = c.benchmark_group("command");
    group.throughput(Throughput::Bytes(bytes_of(COMMANDS)));
    group.bench_function("mix", |b| {
        b.iter(|| {
            for line in COMMANDS {
                black_box(decode::command(black_box(line.as_bytes())).unwrap());
            }
        })
    });
    // The same lines as the server reads them: one pipelined stream, framed, then parsed.
    let stream: Vec<u8> = COMMANDS
        .iter()
        .flat_map(|l| [l.as_bytes(), b"\r\n"].concat())
        .collect();
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("framed_stream", |b| {
        b.iter(|| {
            let mut rest = black_box(stream.as_slice());
            while let Ok((line, used)) = decode::line(rest, 512) {
                black_box(decode::command(line).unwrap());
                rest = &rest[used..];
            }
        })
    });
    group.finish();
}

fn replies(c: &mut Criterion) {
    let mut group = c.benchmark_group("reply");
    group.throughput(Throughput::Bytes(EHLO_REPLY.len() as u64));
    group.bench_function("ehlo_multi_line", |b| {
        b.iter(|| black_box(decode::reply(black_box(EHLO_REPLY.as_bytes())).unwrap()))
    });
    group.throughput(Throughput::Bytes(bytes_of(SINGLE_REPLIES)));
    group.bench_function("single_line_mix", |b| {
        b.iter(|| {
            for reply in SINGLE_REPLIES {
                black_box(decode::reply(black_box(reply.as_bytes())).unwrap());
            }
        })
    });
    group.finish();
}

/// A 10 KB message of 72-octet lines, some starting with a period (dot-stuffed on the wire).
fn message_10k() -> Vec<u8> {
    let mut text = b"From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\n\
Subject: Quarterly figures\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\n\r\n"
        .to_vec();
    let mut n = 0;
    while text.len() < 10 * 1024 {
        let lead = if n % 10 == 0 { "." } else { "" };
        text.extend_from_slice(
            format!(
                "{lead}Line {n:04} of the report: the quick brown fox jumps over the lazy dog\r\n"
            )
            .as_bytes(),
        );
        n += 1;
    }
    text
}

/// RFC 5321 Appendix D.1's dialogue (one refused recipient), with a 10 KB message.
fn d1_script() -> Vec<u8> {
    let mut script = b"EHLO bar.com\r\n\
MAIL FROM:<Smith@bar.com> SIZE=10500\r\n\
RCPT TO:<Jones@foo.com>\r\n\
RCPT TO:<Green@foo.com>\r\n\
RCPT TO:<Brown@foo.com>\r\n\
DATA\r\n"
        .to_vec();
    script.extend(dot_stuff(&message_10k()));
    script.extend_from_slice(b"QUIT\r\n");
    script
}

fn fresh_session() -> (SmtpServer, MailStore) {
    let mut store = MailStore::new();
    store.add_user("jones");
    store.add_user("brown");
    let server = SmtpServer::new(ServerConfig::new("foo.com", "foo.com"), Instant::ZERO);
    (server, store)
}

fn run_session(
    (mut server, mut store): (SmtpServer, MailStore),
    script: &[u8],
    chunk: usize,
) -> (SmtpServer, MailStore) {
    for piece in script.chunks(chunk) {
        server.handle_input(Instant::ZERO, piece, &mut store);
    }
    while let Some(out) = server.poll_output() {
        black_box(out);
    }
    while let Some(event) = server.poll_event() {
        black_box(event);
    }
    (server, store)
}

fn server_session(c: &mut Criterion) {
    let script = d1_script();
    // Check once that the benchmark measures a session that works.
    let (server, store) = run_session(fresh_session(), &script, script.len());
    assert_eq!(server.state(), ServerState::Closed);
    assert_eq!(store.messages("jones").len(), 1);
    assert_eq!(store.messages("brown").len(), 1);

    let mut group = c.benchmark_group("server_session");
    group.throughput(Throughput::Bytes(script.len() as u64));
    // All at once, and in TCP-segment-sized pieces (1460 octets, a common Ethernet MSS).
    for (name, chunk) in [("d1_10k_whole", script.len()), ("d1_10k_mss_1460", 1460)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                fresh_session,
                |session| run_session(session, black_box(&script), chunk),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, commands, replies, server_session);
criterion_main!(benches);
