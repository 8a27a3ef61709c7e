//! POP3 as RFC 1939 says: the §10 example session against both sides, the per-command
//! examples, delete semantics (DELE marks, QUIT deletes, a dropped connection deletes
//! nothing), the mailbox lock, both client behaviours, and bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use postroom_proto::pop3::server::{apop_digest, unique_id};
use postroom_proto::pop3::{
    ClientConfig, ClientEvent, Keep, Login, Pop3Client, Pop3Server, ServerConfig, ServerEvent,
    State,
};
use postroom_proto::{Duration, Instant, MailStore};
use proptest::prelude::*;

const T0: Instant = Instant::ZERO;
const TIMESTAMP: &str = "<1896.697170952@dbc.mtview.ca.us>";

/// A message of exactly `size` octets with CRLF line ends.
fn message(subject: &str, size: usize) -> Vec<u8> {
    let mut m = format!("Subject: {subject}\r\n\r\n").into_bytes();
    while m.len() + 2 < size {
        m.push(b'x');
        if m.len() % 60 == 0 {
            m.extend_from_slice(b"\r\n");
        }
    }
    m.truncate(size - 2);
    m.extend_from_slice(b"\r\n");
    assert_eq!(m.len(), size);
    m
}

/// mrose's maildrop from RFC 1939 §10: two messages, 120 and 200 octets.
fn mrose_store() -> MailStore {
    let mut store = MailStore::new();
    store.add_account("mrose", "tanstaaf");
    store.deliver("mrose", "a@b", message("one", 120));
    store.deliver("mrose", "a@b", message("two", 200));
    store
}

fn dewey() -> Pop3Server {
    let mut config = ServerConfig::new("dewey");
    config.apop_timestamp = Some(TIMESTAMP.to_string());
    Pop3Server::new(config, T0)
}

fn drain(server: &mut Pop3Server) -> String {
    std::iter::from_fn(|| server.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect()
}

fn say(server: &mut Pop3Server, store: &mut MailStore, input: &str) -> String {
    server.handle_input(T0, input.as_bytes(), store);
    drain(server)
}

/// The first line of each response.
fn status_lines(out: &str) -> Vec<&str> {
    out.split("\r\n")
        .filter(|l| l.starts_with('+') || l.starts_with('-'))
        .collect()
}

#[test]
fn the_apop_digest_is_the_rfc_1939_test_vector() {
    assert_eq!(
        apop_digest(TIMESTAMP, "tanstaaf"),
        "c4c9334bac560ecc979e58001b3e22fb"
    );
}

#[test]
fn rfc1939_section10_session_against_our_server() {
    let mut store = mrose_store();
    let mut server = dewey();
    let mut out = drain(&mut server);
    for cmd in [
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb",
        "STAT",
        "LIST",
        "RETR 1",
        "DELE 1",
        "RETR 2",
        "DELE 2",
        "QUIT",
    ] {
        out += &say(&mut server, &mut store, &format!("{cmd}\r\n"));
    }
    assert_eq!(
        status_lines(&out),
        [
            "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
            "+OK mrose's maildrop has 2 messages (320 octets)",
            "+OK 2 320",
            "+OK 2 messages (320 octets)",
            "+OK 120 octets",
            "+OK message 1 deleted",
            "+OK 200 octets",
            "+OK message 2 deleted",
            "+OK dewey POP3 server signing off (maildrop empty)",
        ]
    );
    assert!(out.contains("+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n"));
    assert!(out.contains(&format!(
        "+OK 120 octets\r\n{}.\r\n",
        String::from_utf8(message("one", 120)).unwrap()
    )));
    assert!(store.messages("mrose").is_empty(), "UPDATE removed both");
}

#[test]
fn rfc1939_section10_session_from_our_client() {
    let server_lines = [
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n".to_string(),
        "+OK mrose's maildrop has 2 messages (320 octets)\r\n".into(),
        "+OK 2 320\r\n".into(),
        "+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n".into(),
        format!(
            "+OK 120 octets\r\n{}.\r\n",
            String::from_utf8(message("one", 120)).unwrap()
        ),
        "+OK message 1 deleted\r\n".into(),
        format!(
            "+OK 200 octets\r\n{}.\r\n",
            String::from_utf8(message("two", 200)).unwrap()
        ),
        "+OK message 2 deleted\r\n".into(),
        "+OK dewey POP3 server signing off (maildrop empty)\r\n".into(),
    ];
    let mut config = ClientConfig::new("mrose", "tanstaaf");
    config.login = Login::Apop;
    config.ask_capabilities = false;
    let mut client = Pop3Client::new(config, BTreeMap::new(), T0);
    let mut sent = String::new();
    for line in &server_lines {
        client.handle_input(T0, line.as_bytes()).unwrap();
        while let Some(b) = client.poll_output() {
            sent += &String::from_utf8(b).unwrap();
        }
    }
    assert_eq!(
        sent,
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n"
    );
    let downloads: Vec<Vec<u8>> = std::iter::from_fn(|| client.poll_event())
        .filter_map(|e| match e {
            ClientEvent::MessageDownloaded { bytes, .. } => Some(bytes),
            _ => None,
        })
        .collect();
    assert_eq!(downloads, [message("one", 120), message("two", 200)]);
    assert!(client.is_closed());
}

#[test]
fn rfc1939_per_command_examples() {
    let mut store = mrose_store();
    let mut server = dewey();
    drain(&mut server);
    let out = say(&mut server, &mut store, "USER mrose\r\nPASS tanstaaf\r\nLIST 2\r\nLIST 3\r\nDELE 1\r\nDELE 1\r\nSTAT\r\nLIST\r\nUIDL\r\nUIDL 2\r\nUIDL 3\r\nRETR 1\r\nTOP 1 0\r\nRSET\r\nNOOP\r\nQUIT\r\n");
    let uidl2 = unique_id(store.uid_validity("mrose").unwrap(), 2);
    assert_eq!(
        status_lines(&out),
        [
            "+OK Send PASS",
            "+OK mrose's maildrop has 2 messages (320 octets)",
            "+OK 2 200",
            "-ERR no such message, only 2 messages in maildrop",
            "+OK message 1 deleted",
            "-ERR message 1 already deleted",
            "+OK 1 200",
            "+OK 1 message (200 octets)",
            "+OK Unique-id listing follows",
            &format!("+OK 2 {uidl2}"),
            "-ERR no such message, only 2 messages in maildrop",
            "-ERR message 1 already deleted",
            "-ERR message 1 already deleted",
            "+OK maildrop has 2 messages (320 octets)",
            "+OK",
            "+OK dewey POP3 server signing off (2 messages left)",
        ]
    );
    // Marked messages are left out of LIST and UIDL (RFC 1939 §5, §7).
    assert!(out.contains("+OK 1 message (200 octets)\r\n2 200\r\n.\r\n"));
    assert!(out.contains(&format!(
        "+OK Unique-id listing follows\r\n2 {uidl2}\r\n.\r\n"
    )));
    assert_eq!(store.messages("mrose").len(), 2, "RSET undid the deletion");
}

#[test]
fn top_sends_the_headers_the_blank_line_and_n_body_lines() {
    let mut store = MailStore::new();
    store.add_account("bob", "pw");
    store.deliver(
        "bob",
        "a@b",
        b"Subject: t\r\nFrom: a@b\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n".to_vec(),
    );
    let mut server = Pop3Server::new(ServerConfig::new("pop"), T0);
    drain(&mut server);
    let out = say(
        &mut server,
        &mut store,
        "USER bob\r\nPASS pw\r\nTOP 1 2\r\nTOP 1 99\r\n",
    );
    assert!(out.contains("+OK Top of message follows\r\nSubject: t\r\nFrom: a@b\r\n\r\nline 1\r\n..line 2\r\n.\r\n"), "{out}");
    assert!(
        out.ends_with("\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n"),
        "{out}"
    );
}

#[test]
fn a_connection_dropped_before_quit_deletes_nothing() {
    let mut store = mrose_store();
    let mut server = dewey();
    say(
        &mut server,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\nDELE 2\r\n",
    );
    assert_eq!(server.marked_for_deletion(), [1, 2]);
    server.connection_lost(&mut store);
    assert_eq!(store.messages("mrose").len(), 2);
    assert!(std::iter::from_fn(|| server.poll_event())
        .any(|e| e == ServerEvent::SessionClosed { updated: false }));
    // And the mailbox is free again.
    let mut again = dewey();
    assert!(status_lines(&say(
        &mut again,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\n"
    ))[2]
        .starts_with("+OK mrose's maildrop has 2"));
}

#[test]
fn a_second_session_on_a_locked_mailbox_gets_in_use() {
    let mut store = mrose_store();
    let mut first = dewey();
    say(&mut first, &mut store, "USER mrose\r\nPASS tanstaaf\r\n");
    let mut second = dewey();
    let out = say(&mut second, &mut store, "USER mrose\r\nPASS tanstaaf\r\n");
    assert!(
        out.ends_with("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n"),
        "{out}"
    );
    assert_eq!(second.state(), State::Authorization);
    say(&mut first, &mut store, "QUIT\r\n");
    let out = say(&mut second, &mut store, "USER mrose\r\nPASS tanstaaf\r\n");
    assert!(
        out.ends_with("+OK mrose's maildrop has 2 messages (320 octets)\r\n"),
        "{out}"
    );
}

#[test]
fn message_numbers_stay_fixed_while_new_mail_arrives() {
    let mut store = mrose_store();
    let mut server = dewey();
    say(&mut server, &mut store, "USER mrose\r\nPASS tanstaaf\r\n");
    store.deliver("mrose", "a@b", message("three", 100));
    let out = say(&mut server, &mut store, "STAT\r\nQUIT\r\n");
    assert!(
        out.starts_with("+OK 2 320\r\n"),
        "the session sees the maildrop as it was at login"
    );
    let mut later = dewey();
    let out = say(
        &mut later,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\nSTAT\r\n",
    );
    assert!(out.ends_with("+OK 3 420\r\n"));
}

#[test]
fn unique_ids_are_stable_across_sessions() {
    let mut store = mrose_store();
    let uidl = |store: &mut MailStore| {
        let mut s = dewey();
        let out = say(
            &mut s,
            store,
            "USER mrose\r\nPASS tanstaaf\r\nUIDL\r\nDELE 1\r\nQUIT\r\n",
        );
        out.split("\r\n")
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
            .map(|l| l.split(' ').nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let first = uidl(&mut store);
    let second = uidl(&mut store);
    assert_eq!(first.len(), 2);
    assert_eq!(
        second,
        first[1..],
        "message 2 keeps its id after message 1 is gone"
    );
}

// ---- the two client behaviours, against our server ----

fn run_client(
    client: &mut Pop3Client,
    server: &mut Pop3Server,
    store: &mut MailStore,
    now: Instant,
) -> Vec<ClientEvent> {
    let mut events = Vec::new();
    for _ in 0..200 {
        let mut moved = false;
        while let Some(b) = server.poll_output() {
            client.handle_input(now, &b).unwrap();
            moved = true;
        }
        while let Some(b) = client.poll_output() {
            server.handle_input(now, &b, store);
            moved = true;
        }
        events.extend(std::iter::from_fn(|| client.poll_event()));
        if !moved {
            break;
        }
    }
    events
}

fn downloaded(events: &[ClientEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, ClientEvent::MessageDownloaded { .. }))
        .count()
}

#[test]
fn download_and_delete_leaves_nothing_for_the_second_device() {
    let mut store = mrose_store();
    let mut phone = Pop3Client::new(ClientConfig::new("mrose", "tanstaaf"), BTreeMap::new(), T0);
    let events = run_client(&mut phone, &mut dewey(), &mut store, T0);
    assert_eq!(downloaded(&events), 2);
    assert!(store.messages("mrose").is_empty());
    let mut laptop = Pop3Client::new(ClientConfig::new("mrose", "tanstaaf"), BTreeMap::new(), T0);
    let events = run_client(&mut laptop, &mut dewey(), &mut store, T0);
    assert_eq!(downloaded(&events), 0, "the phone took everything");
    assert!(events.contains(&ClientEvent::LoggedIn {
        messages: 0,
        octets: 0
    }));
}

#[test]
fn leave_on_server_downloads_only_new_mail_and_deletes_after_the_set_days() {
    let day = Duration::from_secs(24 * 3600);
    let mut store = mrose_store();
    let mut config = ClientConfig::new("mrose", "tanstaaf");
    config.keep = Keep::LeaveOnServer {
        delete_after: Some(day * 3),
    };
    let mut known = BTreeMap::new();
    for (when, new_mail, want_downloads, want_left) in [
        (T0, false, 2, 2),
        (T0 + day, true, 1, 3),
        (T0 + Duration::from_secs(84 * 3600), false, 0, 1),
    ] {
        if new_mail {
            store.deliver("mrose", "a@b", message("three", 90));
        }
        let mut client = Pop3Client::new(config.clone(), known.clone(), when);
        let events = run_client(&mut client, &mut dewey(), &mut store, when);
        assert_eq!(downloaded(&events), want_downloads, "at {when}");
        assert_eq!(store.messages("mrose").len(), want_left, "at {when}");
        known = client.known().clone();
    }
    // At day 3.5 the first two (downloaded at day 0) are deleted; the third, downloaded at
    // day 1, has been on the device for 2.5 days and stays.
    assert_eq!(known.len(), 3);
}

#[test]
fn a_configured_password_with_a_line_break_cannot_add_a_command() {
    let mut store = mrose_store();
    let mut server = dewey();
    let mut client = Pop3Client::new(
        ClientConfig::new("mrose", "tansta\r\nDELE 1\r\naf"),
        BTreeMap::new(),
        T0,
    );
    let _ = run_client(&mut client, &mut server, &mut store, T0);
    // The password reaches the server as one (wrong) line; no DELE ran.
    assert_eq!(store.messages("mrose").len(), 2);
    let mut sent = Vec::new();
    let mut client = Pop3Client::new(
        ClientConfig::new("mr\nose", "tansta\raf"),
        BTreeMap::new(),
        T0,
    );
    client
        .handle_input(T0, b"+OK POP3 server ready\r\n")
        .unwrap();
    // CAPA (an empty list), USER, PASS.
    for reply in [&b"+OK\r\n.\r\n"[..], b"+OK\r\n", b"+OK\r\n"] {
        sent.extend(std::iter::from_fn(|| client.poll_output()).flatten());
        client.handle_input(T0, reply).unwrap();
    }
    let sent = String::from_utf8(sent).unwrap();
    assert!(sent.contains("USER mrose\r\nPASS tanstaaf\r\n"), "{sent:?}");
}

#[test]
fn our_client_reads_the_rfc2449_capa_example_and_falls_back_to_user_pass() {
    let mut client = Pop3Client::new(ClientConfig::new("u", "p"), BTreeMap::new(), T0);
    client
        .handle_input(T0, b"+OK POP3 server ready\r\n")
        .unwrap();
    assert_eq!(client.poll_output().unwrap(), b"CAPA\r\n");
    let capa = "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\nLOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n";
    client.handle_input(T0, capa.as_bytes()).unwrap();
    assert_eq!(client.poll_output().unwrap(), b"USER u\r\n");
    let caps = std::iter::from_fn(|| client.poll_event()).find_map(|e| match e {
        ClientEvent::Capabilities(c) => Some(c),
        _ => None,
    });
    assert_eq!(caps.unwrap().len(), 9);
}

#[test]
fn our_server_answers_capa_stls_and_sasl_plain() {
    let mut store = mrose_store();
    let mut config = ServerConfig::new("pop");
    config.tls = postroom_proto::smtp::TlsPolicy::Required;
    let mut server = Pop3Server::new(config, T0);
    drain(&mut server);
    let out = say(&mut server, &mut store, "CAPA\r\nUSER mrose\r\nSTLS\r\n");
    assert!(
        out.contains("STLS\r\n") && !out.contains("\r\nUSER\r\n"),
        "{out}"
    );
    assert!(
        out.contains("-ERR [AUTH] Plaintext authentication disallowed"),
        "{out}"
    );
    assert!(out.ends_with("+OK Begin TLS negotiation\r\n"));
    server.tls_established();
    let out = say(
        &mut server,
        &mut store,
        "CAPA\r\nAUTH PLAIN\r\nAG1yb3NlAHRhbnN0YWFm\r\n",
    );
    assert!(
        out.contains("\r\nUSER\r\nSASL PLAIN\r\n") && !out.contains("STLS"),
        "{out}"
    );
    assert!(
        out.ends_with("+ \r\n+OK mrose's maildrop has 2 messages (320 octets)\r\n"),
        "{out}"
    );
}

// ---- bad input ----

#[test]
fn obsolete_and_unknown_commands_get_err_and_the_session_continues() {
    let mut store = mrose_store();
    let mut server = dewey();
    drain(&mut server);
    let out = say(
        &mut server,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\nLAST\r\nXTND XMIT\r\nSTAT\r\n",
    );
    assert_eq!(
        status_lines(&out)[2..],
        ["-ERR Unknown command", "-ERR Unknown command", "+OK 2 320"]
    );
}

#[test]
fn every_command_in_the_wrong_state_is_refused() {
    let mut store = mrose_store();
    let mut server = dewey();
    drain(&mut server);
    for cmd in [
        "STAT", "LIST", "RETR 1", "DELE 1", "RSET", "NOOP", "TOP 1 1", "UIDL", "PASS x",
    ] {
        let out = say(&mut server, &mut store, &format!("{cmd}\r\n"));
        assert!(out.starts_with("-ERR "), "{cmd} before login: {out}");
        if server.is_closed() {
            break;
        }
    }
    let mut server = dewey();
    drain(&mut server);
    say(&mut server, &mut store, "USER mrose\r\nPASS tanstaaf\r\n");
    for cmd in [
        "USER mrose",
        "PASS tanstaaf",
        "APOP mrose x",
        "AUTH PLAIN x",
        "STLS",
        "RETR 0",
        "DELE 9",
    ] {
        assert!(
            say(&mut server, &mut store, &format!("{cmd}\r\n")).starts_with("-ERR "),
            "{cmd}"
        );
    }
}

#[test]
fn a_wrong_password_and_long_lines_are_refused_cleanly() {
    let mut store = mrose_store();
    let mut server = dewey();
    drain(&mut server);
    let out = say(&mut server, &mut store, "USER mrose\r\nPASS wrong\r\n");
    assert!(out.ends_with("-ERR [AUTH] Invalid user name or password\r\n"));
    let out = say(
        &mut server,
        &mut store,
        &format!("USER {}\r\nNOOP\r\n", "a".repeat(3000)),
    );
    assert_eq!(
        status_lines(&out),
        [
            "-ERR Line too long (255 octets at most, RFC 2449 section 4)",
            "-ERR Log in first: USER and PASS, APOP or AUTH"
        ]
    );
}

#[test]
fn ten_bad_commands_close_the_session_without_update() {
    let mut store = mrose_store();
    let mut server = dewey();
    say(
        &mut server,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\n",
    );
    say(&mut server, &mut store, &"BOGUS\r\n".repeat(12));
    assert!(server.is_closed());
    // Found by fuzzing: the maildrop stayed locked, so every later login got [IN-USE].
    assert!(store.lock_for_pop3("mrose"), "closing released the lock");
    store.unlock_for_pop3("mrose");
    server.connection_lost(&mut store);
    assert_eq!(store.messages("mrose").len(), 2);
    assert!(
        store.lock_for_pop3("mrose"),
        "a late connection_lost released nothing it no longer held"
    );
}

#[test]
fn autologout_after_ten_minutes_deletes_nothing() {
    let mut store = mrose_store();
    let mut server = dewey();
    say(
        &mut server,
        &mut store,
        "USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\n",
    );
    server.handle_timeout(T0 + Duration::from_secs(599), &mut store);
    assert!(!server.is_closed());
    server.handle_timeout(T0 + Duration::from_secs(600), &mut store);
    assert!(server.is_closed());
    assert_eq!(drain(&mut server), "-ERR Autologout; idle for too long\r\n");
    assert_eq!(store.messages("mrose").len(), 2);
    assert!(store.lock_for_pop3("mrose"), "the lock was released");
}

proptest! {
    #[test]
    fn retr_delivers_any_message_byte_for_byte(lines in prop::collection::vec("[.]{0,2}[ -~]{0,30}", 0..20)) {
        let body: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        let mut store = MailStore::new();
        store.add_account("u", "p");
        store.deliver("u", "a@b", body.clone().into_bytes());
        let mut client = Pop3Client::new(ClientConfig::new("u", "p"), BTreeMap::new(), T0);
        let events = run_client(&mut client, &mut Pop3Server::new(ServerConfig::new("pop"), T0), &mut store, T0);
        let got = events.iter().find_map(|e| match e {
            ClientEvent::MessageDownloaded { bytes, .. } => Some(bytes.clone()),
            _ => None,
        });
        prop_assert_eq!(got, Some(body.into_bytes()));
    }

    #[test]
    fn the_server_fed_in_chunks_answers_as_when_fed_whole(cut in 1usize..40) {
        let script = "USER mrose\r\nPASS tanstaaf\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 2\r\nTOP 1 1\r\nDELE 1\r\nRSET\r\nQUIT\r\n";
        let mut store = mrose_store();
        let mut whole = dewey();
        let expected = say(&mut whole, &mut store, script);
        let mut store = mrose_store();
        let mut chunked = dewey();
        drain(&mut chunked);
        let mut out = String::new();
        for chunk in script.as_bytes().chunks(cut) {
            chunked.handle_input(T0, chunk, &mut store);
            out += &drain(&mut chunked);
        }
        prop_assert_eq!(format!("+OK POP3 server ready {TIMESTAMP}\r\n{out}"), expected);
    }

    #[test]
    fn no_input_makes_the_server_panic(input in prop::collection::vec(any::<u8>(), 0..1500)) {
        let mut store = mrose_store();
        let mut server = dewey();
        server.handle_input(T0, b"USER mrose\r\nPASS tanstaaf\r\n", &mut store);
        server.handle_input(T0, &input, &mut store);
        server.connection_lost(&mut store);
        prop_assert_eq!(store.messages("mrose").len(), 2);
    }
}

/// A guesser is shown the door after three wrong passwords, as Dovecot does.
#[test]
fn three_wrong_passwords_close_the_session() {
    use postroom_proto::pop3::{Pop3Server, ServerConfig};
    let mut store = postroom_proto::MailStore::new();
    store.add_account("bob", "secret");
    let mut server = Pop3Server::new(ServerConfig::new("mx.example.net"), Instant::ZERO);
    for guess in ["a", "b", "c"] {
        let line = format!("USER bob\r\nPASS {guess}\r\n");
        server.handle_input(Instant::ZERO, line.as_bytes(), &mut store);
    }
    let out: Vec<u8> = std::iter::from_fn(|| server.poll_output())
        .flatten()
        .collect();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("-ERR [AUTH]").count(), 3, "{out}");
    assert!(out.contains("too many failures"), "{out}");
    assert!(server.is_closed());
}

/// 300 pipelined RETRs of a 100 KB message: the answers are built a bounded batch at a time,
/// the rest of the commands wait, and every one is answered once the output is taken.
#[test]
fn pipelined_retrs_are_answered_a_bounded_batch_at_a_time() {
    use postroom_proto::pop3::server::OUTPUT_BOUND;
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    store.deliver("bob", "a@b", message("big", 100_000));
    let mut server = dewey();
    drain(&mut server);
    say(&mut server, &mut store, "USER bob\r\nPASS secret\r\n");
    server.handle_input(T0, "RETR 1\r\n".repeat(300).as_bytes(), &mut store);
    let mut answered = 0;
    for _ in 0..1000 {
        let queued: usize = {
            let out: Vec<Vec<u8>> = std::iter::from_fn(|| server.poll_output()).collect();
            answered += out
                .iter()
                .filter(|o| o.starts_with(b"+OK 100000 octets"))
                .count();
            out.iter().map(Vec::len).sum()
        };
        assert!(
            queued <= OUTPUT_BOUND + 110_000,
            "{queued} octets queued at once"
        );
        if server.pending_input() == 0 {
            break;
        }
        server.handle_input(T0, &[], &mut store);
    }
    assert_eq!(answered, 300);
}

/// A client that trickles a byte a minute never completes a command: the autologout still
/// comes ten minutes after the last whole command (RFC 1939 §3).
#[test]
fn a_trickle_of_bytes_does_not_hold_the_session_open() {
    let mut store = mrose_store();
    let mut server = dewey();
    drain(&mut server);
    let minute = Duration::from_secs(60);
    for (i, byte) in b"USER mrose".iter().enumerate() {
        let now = T0 + minute * (i as u64 + 1);
        server.handle_input(now, &[*byte], &mut store);
        server.handle_timeout(now, &mut store);
    }
    assert!(
        server.is_closed(),
        "closed by the autologout, not kept alive by bytes"
    );
}
