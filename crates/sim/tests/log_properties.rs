//! Properties of the log reader: any C:/S: transcript the engines produce, driven through the
//! common session shape as a client and a server really talk, reads back to the same lines
//! from the same sides; and nothing pasted, however garbled, makes it panic.
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use proptest::prelude::*;

use postroom_proto::imap::{self, DeviceCache, ImapClient, ImapServer, Intent};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Pop3Client, Pop3Server};
use postroom_proto::session::{ClientSession, ServerSession};
use postroom_proto::smtp::{self, Mailbox, ReversePath, SmtpClient, SmtpServer};
use postroom_proto::{Duration, Instant, MailStore};
use postroom_sim::log::{read, Format, Kind, Options, Side};
use postroom_sim::Protocol;

/// Every line that crossed, with its side, as a transcript shows it.
type Said = Vec<(Side, String)>;

fn lines_of(side: Side, bytes: &[u8], said: &mut Said) {
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        said.push((side, String::from_utf8_lossy(line).into_owned()));
    }
}

/// Runs a client and a server until both are quiet, recording every line.
fn converse<C: ClientSession, S: ServerSession>(
    client: &mut C,
    server: &mut S,
    store: &mut MailStore,
    said: &mut Said,
) {
    let mut now = Instant::ZERO;
    for _ in 0..500 {
        now = now + Duration::from_millis(10);
        let mut moved = false;
        while let Some(unit) = server.poll_output() {
            moved = true;
            lines_of(Side::Server, &unit, said);
            client.handle_input(now, &unit).unwrap();
        }
        while server.poll_common_event().is_some() {}
        while let Some(bytes) = client.poll_output() {
            moved = true;
            lines_of(Side::Client, &bytes, said);
            server.handle_input(now, &bytes, store);
        }
        if !moved {
            break;
        }
    }
}

/// The transcript a student would paste: `C:` and `S:` lines.
fn transcript(said: &Said) -> String {
    said.iter()
        .map(|(side, line)| {
            let prefix = if *side == Side::Client { "C:" } else { "S:" };
            format!("{prefix} {line}\n")
        })
        .collect()
}

/// What the reader made of it, line by line; it finds nothing wrong.
fn read_back(text: &str, protocol: Protocol) -> Said {
    let log = read(text, &Options::default()).unwrap();
    assert_eq!(log.format, Format::Rfc);
    assert_eq!(log.protocol(), protocol);
    // A session our engines had keeps every rule.
    assert!(log.findings.is_empty(), "{:#?}\n{text}", log.findings);
    let mut said = Said::new();
    for unit in &log.units {
        if let Some(side) = unit.side() {
            assert_ne!(unit.kind, Kind::Note);
            lines_of(side, &unit.bytes, &mut said);
        }
    }
    said
}

/// Message text as people write it: printable ASCII, blank lines, lines that start with a
/// period (stuffed on the wire), with a space, or that look like protocol lines.
fn body() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[ -~]{0,60}",
        Just(String::new()),
        Just(".".to_string()),
        Just(".hidden".to_string()),
        Just("250 looks like a reply".to_string()),
        Just("* 3 EXISTS".to_string()),
        Just("+OK".to_string()),
        Just("<see the attached file>".to_string()),
        Just("a1 OK done {5}".to_string()),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

fn message(subject: &str, body: &str) -> Vec<u8> {
    Message::new(
        "alice@example.org",
        "bob@example.net",
        subject,
        "Fri, 6 Mar 2026 09:00:00 +0000",
        body,
    )
    .to_bytes()
}

fn mailbox(messages: &[(String, String)]) -> MailStore {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    for (subject, body) in messages {
        store.deliver("bob", "alice@example.org", message(subject, body));
    }
    store
}

fn messages() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[ -~]{0,30}", body()), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn smtp_transcripts_read_back_line_for_line(messages in messages()) {
        let mut store = MailStore::new();
        store.add_account("alice", "secret");
        store.add_account("bob", "secret");
        let config = smtp::ServerConfig::submission("smtp.example.org", "example.net");
        let mut server = SmtpServer::new(config, Instant::ZERO);
        let mut client_config = smtp::ClientConfig::new("laptop.example.org");
        client_config.credentials = Some(("alice".into(), "secret".into()));
        let mut client = SmtpClient::new(client_config, Instant::ZERO);
        for (subject, body) in &messages {
            client
                .send(
                    ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap()),
                    vec![Mailbox::try_from("bob@example.net").unwrap()],
                    message(subject, body),
                )
                .unwrap();
        }
        client.quit();
        let mut said = Said::new();
        converse(&mut client, &mut server, &mut store, &mut said);
        let text = transcript(&said);
        // The whole story: login, the pipelined envelope, the message, the goodbye.
        prop_assert!(text.contains("C: AUTH PLAIN") && text.contains("C: DATA") && text.contains("S: 221"), "{}", text);
        prop_assert_eq!(read_back(&text, Protocol::Smtp), said);
    }

    #[test]
    fn pop3_transcripts_read_back_line_for_line(messages in messages()) {
        let mut store = mailbox(&messages);
        let mut server = Pop3Server::new(pop3::ServerConfig::new("mx.example.net"), Instant::ZERO);
        let mut client = Pop3Client::new(
            pop3::ClientConfig::new("bob", "secret"),
            BTreeMap::new(),
            Instant::ZERO,
        );
        let mut said = Said::new();
        converse(&mut client, &mut server, &mut store, &mut said);
        let text = transcript(&said);
        prop_assert!(text.contains("C: RETR 1") && text.contains("C: QUIT"), "{}", text);
        prop_assert_eq!(read_back(&text, Protocol::Pop3), said);
    }

    #[test]
    fn imap_transcripts_read_back_line_for_line(messages in messages()) {
        let mut store = mailbox(&messages);
        let mut server = ImapServer::new(imap::ServerConfig::new("mx.example.net"), Instant::ZERO);
        let mut client = ImapClient::new(imap::ClientConfig::new("bob", "secret"), DeviceCache::default());
        client.act(Intent::Idle);
        let mut said = Said::new();
        converse(&mut client, &mut server, &mut store, &mut said);
        client.stop_idle();
        client.act(Intent::MarkRead(1));
        client.act(Intent::Logout);
        converse(&mut client, &mut server, &mut store, &mut said);
        let text = transcript(&said);
        // Messages come as literals; IDLE ends with DONE.
        prop_assert!(text.contains("}\n") && text.contains("C: DONE") && text.contains("LOGOUT"), "{}", text);
        prop_assert_eq!(read_back(&text, Protocol::Imap), said);
    }
}

/// Beginnings of lines of every format, so that garbage reaches deep into each parser.
const PREFIXES: [&str; 30] = [
    "C: ",
    "S: ",
    " -> ",
    "<-  ",
    " ~> ",
    "<~* ",
    "=== ",
    "> ",
    "< ",
    "* ",
    "} [",
    "{ [",
    "send: b'",
    "reply: b'",
    "*get* b'",
    "  00:09.94 > b'",
    "  00:09.94 read literal size ",
    "1796403869.751879 ",
    "==> x.in <==",
    "==> x.out <==",
    "Dec 04 host postfix/smtpd[1]: < unknown[127.0.0.1]: ",
    "Dec 04 host postfix/smtp[2]: > mx[1.2.3.4]:25: ",
    "220 ",
    "354 ",
    "+OK ",
    "+ ",
    "* OK ",
    "a1 LOGIN {",
    "[smtp #1] C: ",
    "---",
];

fn garbage_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PREFIXES.to_vec()),
        "[ -~\\t\u{e9}\u{2022}]{0,40}",
        prop::option::of("\\{[0-9+]{1,22}\\}"),
    )
        .prop_map(|(prefix, tail, literal)| {
            format!("{prefix}{tail}{}", literal.unwrap_or_default())
        })
}

/// Reads `text` every way there is, and uses all of what comes out.
fn read_every_way(text: &str) {
    let lines = text.lines().count();
    let formats = std::iter::once(None).chain(Format::ALL.into_iter().map(Some));
    for format in formats {
        for protocol in [
            None,
            Some(Protocol::Smtp),
            Some(Protocol::Pop3),
            Some(Protocol::Imap),
            Some(Protocol::Dns),
        ] {
            for session in [0, 1] {
                let options = Options {
                    format,
                    protocol,
                    session,
                };
                let Ok(log) = read(text, &options) else {
                    continue;
                };
                for unit in &log.units {
                    assert!(
                        unit.lines.0 >= 1
                            && unit.lines.0 <= unit.lines.1
                            && unit.lines.1 <= lines.max(1)
                    );
                }
                for f in &log.findings {
                    assert!(f.unit.is_none_or(|u| u < log.units.len()));
                }
                assert_eq!(log.timeline(false).steps.len(), log.units.len());
                assert_eq!(log.timeline(true).steps.len(), log.units.len());
                let _ = log.transcript(false);
                let _ = log.client_lines();
                let replay = log.replay();
                assert!(replay.lines.len() <= log.units.len());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn garbage_never_panics(text in "\\PC{0,300}") {
        read_every_way(&text);
    }

    #[test]
    fn garbage_in_every_format_never_panics(lines in prop::collection::vec(garbage_line(), 0..40)) {
        read_every_way(&lines.join("\n"));
    }

    #[test]
    fn mangled_fixtures_never_panic(cut in any::<prop::sample::Index>(), keep in 0usize..400) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/logs");
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        let text = std::fs::read_to_string(cut.get(&names)).unwrap_or_default();
        // A paste cut short anywhere, even inside a character.
        let bytes = text.as_bytes();
        let end = bytes.len().saturating_sub(keep * 7 % bytes.len().max(1));
        read_every_way(&String::from_utf8_lossy(&bytes[..end]));
    }
}
