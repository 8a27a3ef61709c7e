//! The SMTP rows of the bad-input table: every command in every wrong state, limits, SASL
//! edge cases, timeouts on the virtual clock, and properties over generated input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_proto::smtp::{
    decode, ClientConfig, ClientEvent, Command, Mailbox, Param, ReversePath, ServerConfig,
    ServerEvent, ServerState, SmtpClient, SmtpServer,
};
use postroom_proto::{Duration, Instant, MailStore};
use proptest::prelude::*;

const T0: Instant = Instant::ZERO;

fn server(config: ServerConfig) -> (SmtpServer, MailStore) {
    let mut store = MailStore::new();
    store.add_account("alice", "secret");
    store.add_user("bob");
    let mut server = SmtpServer::new(config, T0);
    let _greeting = server.poll_output();
    (server, store)
}

fn mx() -> (SmtpServer, MailStore) {
    server(ServerConfig::new("mx.example.net", "example.net"))
}

fn send(server: &mut SmtpServer, store: &mut MailStore, input: &str) -> String {
    server.handle_input(T0, input.as_bytes(), store);
    std::iter::from_fn(|| server.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect()
}

fn code(reply: &str) -> u16 {
    reply.lines().last().unwrap()[..3].parse().unwrap()
}

// ---- every command in every state ----

#[test]
fn every_command_in_every_state_gets_the_rfc_reply_and_the_session_goes_on() {
    let prefixes = [
        ("after the greeting", ""),
        ("after EHLO", "EHLO c.example.org\r\n"),
        (
            "after MAIL",
            "EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n",
        ),
        (
            "after RCPT",
            "EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\n",
        ),
    ];
    // Expected reply code per state, in the order of `prefixes`.
    let table: [(&str, [u16; 4]); 9] = [
        ("MAIL FROM:<x@example.org>", [503, 250, 503, 503]),
        ("RCPT TO:<bob@example.net>", [503, 503, 250, 250]),
        ("DATA", [503, 503, 554, 354]),
        ("RSET", [250, 250, 250, 250]),
        ("NOOP", [250, 250, 250, 250]),
        ("VRFY bob", [252, 252, 252, 252]),
        ("HELP", [214, 214, 214, 214]),
        // Not offered on a mail exchanger without TLS, nor AUTH.
        ("STARTTLS", [503, 503, 503, 503]),
        ("AUTH PLAIN AGFsaWNlAHNlY3JldA==", [503, 503, 503, 503]),
    ];
    for (command, codes) in table {
        for ((state, prefix), want) in prefixes.iter().zip(codes) {
            let (mut server, mut store) = mx();
            send(&mut server, &mut store, prefix);
            let reply = send(&mut server, &mut store, &format!("{command}\r\n"));
            assert_eq!(code(&reply), want, "{command} {state}: {reply}");
            // One enhanced status code per line (RFC 2034 §4), never two.
            for line in reply.lines() {
                let words: Vec<&str> = line[4..].split(' ').take(2).collect();
                let is_code = |w: &&str| {
                    w.split('.').count() == 3 && w.split('.').all(|p| p.parse::<u16>().is_ok())
                };
                assert!(
                    !(words.len() == 2 && words.iter().all(is_code)),
                    "{command} {state}: {line}"
                );
            }
            // Whatever happened, the session still answers.
            if server.state() != ServerState::ReceivingData {
                assert_eq!(
                    send(&mut server, &mut store, "NOOP\r\n"),
                    "250 2.0.0 OK\r\n"
                );
            }
        }
    }
}

#[test]
fn lowercase_and_mixed_case_verbs_work() {
    let (mut server, mut store) = mx();
    let out = send(
        &mut server,
        &mut store,
        "ehlo c.example.org\r\nMaIl FrOm:<a@example.org>\r\nrcpt to:<bob@example.net>\r\ndata\r\nhi\r\n.\r\nquit\r\n",
    );
    let codes: Vec<u16> = out
        .lines()
        .filter(|l| l.as_bytes()[3] == b' ')
        .map(|l| l[..3].parse().unwrap())
        .collect();
    assert_eq!(codes, [250, 250, 250, 354, 250, 221]);
    assert_eq!(store.messages("bob").len(), 1);
}

#[test]
fn esmtp_parameters_after_helo_and_unknown_ones_are_refused() {
    let (mut server, mut store) = mx();
    let out = send(
        &mut server,
        &mut store,
        "HELO c\r\nMAIL FROM:<a@example.org> BODY=8BITMIME\r\n",
    );
    assert!(
        out.ends_with("501 5.5.4 ESMTP parameters need EHLO, not HELO\r\n"),
        "{out}"
    );
    let out = send(&mut server, &mut store, "EHLO c\r\nMAIL FROM:<a@example.org> SIZE=abc\r\nMAIL FROM:<a@example.org> XFOO=1\r\nMAIL FROM:<a@example.org> BODY=8BITMIME\r\n");
    let codes: Vec<u16> = out
        .lines()
        .filter(|l| l.as_bytes()[3] == b' ')
        .map(|l| l[..3].parse().unwrap())
        .collect();
    assert_eq!(codes, [250, 501, 555, 250]);
}

#[test]
fn echoed_text_cannot_forge_a_reply_line() {
    // A client name or address can only be one printable word; line breaks end the command.
    let (mut server, mut store) = mx();
    let out = send(&mut server, &mut store, "EHLO evil\r\n250 forged\r\n");
    assert!(out.ends_with("500 5.5.2 Command unrecognized\r\n"), "{out}");
    assert_eq!(out.matches("250 forged").count(), 0);
}

#[test]
fn a_message_over_the_size_limit_gets_552_and_nothing_is_stored() {
    let mut config = ServerConfig::new("mx.example.net", "example.net");
    config.max_message_size = 1000;
    let (mut server, mut store) = server(config);
    let big = "x".repeat(998) + "\r\n";
    let out = send(
        &mut server,
        &mut store,
        &format!("HELO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n{big}{big}.\r\nMAIL FROM:<a@example.org>\r\n"),
    );
    assert!(
        out.contains("552 5.3.4 Message too big for system\r\n"),
        "{out}"
    );
    assert!(
        out.ends_with("250 2.1.0 Sender OK\r\n"),
        "the session goes on: {out}"
    );
    assert!(store.messages("bob").is_empty());
}

#[test]
fn a_connection_dropped_mid_data_stores_nothing() {
    let (mut server, mut store) = mx();
    send(&mut server, &mut store, "HELO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\nSubject: half\r\n\r\nhalf a mess");
    assert_eq!(server.state(), ServerState::ReceivingData);
    drop(server);
    assert!(store.messages("bob").is_empty());
}

#[test]
fn a_very_long_data_line_is_kept_and_the_buffer_stays_bounded() {
    let (mut server, mut store) = mx();
    send(
        &mut server,
        &mut store,
        "HELO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n",
    );
    let chunk = "y".repeat(4096);
    for _ in 0..100 {
        send(&mut server, &mut store, &chunk);
    }
    assert!(send(&mut server, &mut store, "\r\n.\r\n").starts_with("250 "));
    assert_eq!(
        store.messages("bob")[0].bytes.len(),
        "Return-Path: <a@example.org>\r\n".len()
            + "Received: from c\r\n\tby mx.example.net with SMTP\r\n".len()
            + "\tfor <bob@example.net>; Thu, 1 Jan 1970 00:00:00 +0000\r\n".len()
            + 409_600
            + 2
    );
}

// ---- AUTH ----

fn submission() -> (SmtpServer, MailStore) {
    server(ServerConfig::submission("smtp.example.net", "example.net"))
}

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn sasl_ir_with_an_authzid_is_accepted_only_for_oneself() {
    for (authzid, want) in [
        ("alice", 235),
        ("alice@example.net", 235),
        ("bob", 535),
        ("", 235),
    ] {
        let (mut server, mut store) = submission();
        send(&mut server, &mut store, "EHLO c\r\n");
        let reply = send(
            &mut server,
            &mut store,
            &format!(
                "AUTH PLAIN {}\r\n",
                b64(&format!("{authzid}\0alice\0secret"))
            ),
        );
        assert_eq!(code(&reply), want, "authzid {authzid:?}");
    }
}

#[test]
fn auth_login_with_the_user_as_initial_response() {
    let (mut server, mut store) = submission();
    send(&mut server, &mut store, "EHLO c\r\n");
    assert_eq!(
        send(
            &mut server,
            &mut store,
            &format!("AUTH LOGIN {}\r\n", b64("alice"))
        ),
        "334 UGFzc3dvcmQ6\r\n"
    );
    assert_eq!(
        code(&send(
            &mut server,
            &mut store,
            &format!("{}\r\n", b64("secret"))
        )),
        235
    );
    assert_eq!(server.user(), Some("alice"));
}

#[test]
fn an_over_long_auth_line_is_refused_with_500() {
    let (mut server, mut store) = submission();
    send(&mut server, &mut store, "EHLO c\r\nAUTH PLAIN\r\n");
    let reply = send(
        &mut server,
        &mut store,
        &format!("{}\r\nNOOP\r\n", "A".repeat(13_000)),
    );
    assert_eq!(
        reply,
        "500 5.5.6 Authentication line too long\r\n250 2.0.0 OK\r\n"
    );
}

// ---- timeouts on the virtual clock (RFC 5321 §4.5.3.2) ----

#[test]
fn a_silent_client_is_dropped_after_five_minutes_with_421() {
    let (mut server, mut store) = mx();
    let minute = Duration::from_secs(60);
    server.handle_input(T0 + minute * 3, b"HELO c\r\n", &mut store);
    let _ = server.poll_output();
    // Five minutes after the last command, not after the greeting.
    server.handle_timeout(T0 + minute * 7, &mut store);
    assert!(!server.is_closed());
    assert_eq!(server.poll_timeout(), Some(T0 + minute * 8));
    server.handle_timeout(T0 + minute * 8, &mut store);
    assert!(server.is_closed());
    assert_eq!(
        server.poll_output().unwrap(),
        b"421 4.4.2 mx.example.net Error: timeout exceeded\r\n"
    );
    assert!(std::iter::from_fn(|| server.poll_event()).any(|e| e == ServerEvent::TimedOut));
}

#[test]
fn the_client_waits_five_minutes_for_a_greeting_and_two_for_354() {
    let mut client = SmtpClient::new(ClientConfig::new("c.example.org"), T0);
    assert_eq!(client.poll_timeout(), Some(T0 + Duration::from_secs(300)));
    client.handle_timeout(T0 + Duration::from_secs(299));
    assert!(client.poll_event().is_none());
    client.handle_timeout(T0 + Duration::from_secs(300));
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert_eq!(events, [ClientEvent::TimedOut, ClientEvent::Closed]);

    let mut client = SmtpClient::new(ClientConfig::new("c.example.org"), T0);
    let from = ReversePath::Mailbox(Mailbox::try_from("a@example.org").unwrap());
    client
        .send(
            from,
            vec![Mailbox::try_from("b@example.net").unwrap()],
            b"x\r\n".to_vec(),
        )
        .unwrap();
    let t = T0 + Duration::from_secs(1);
    for reply in ["220 hi\r\n", "250 hello\r\n", "250 ok\r\n", "250 ok\r\n"] {
        client.handle_input(t, reply.as_bytes()).unwrap();
    }
    // Now waiting for the reply to DATA: §4.5.3.2.4 allows 2 minutes.
    assert_eq!(client.poll_timeout(), Some(t + Duration::from_secs(120)));
}

#[test]
fn a_client_given_garbage_closes_with_a_protocol_error() {
    let mut client = SmtpClient::new(ClientConfig::new("c.example.org"), T0);
    assert!(client
        .handle_input(T0, b"HTTP/1.1 400 Bad Request\r\n")
        .is_err());
    let mut client = SmtpClient::new(ClientConfig::new("c.example.org"), T0);
    client.handle_input(T0, b"220 hi\r\n").unwrap();
    let _ = std::iter::from_fn(|| client.poll_output()).count();
    // Two replies to one EHLO: the second answers nothing.
    assert!(client.handle_input(T0, b"250 a\r\n250 b\r\n").is_err());
}

// ---- properties ----

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", 1..4)
        .prop_map(|labels| labels.join("."))
}

fn mailbox() -> impl Strategy<Value = Mailbox> {
    (
        "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(\\.[A-Za-z0-9_-]{1,8}){0,2}",
        domain(),
    )
        .prop_map(|(l, d)| Mailbox::try_from(format!("{l}@{d}").as_str()).unwrap())
}

fn param() -> impl Strategy<Value = Param> {
    ("[A-Z][A-Z0-9-]{0,8}", prop::option::of("[!-<>-~]{1,12}"))
        .prop_map(|(k, v)| Param::new(&k, v.as_deref()))
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        domain().prop_map(Command::Ehlo),
        domain().prop_map(Command::Helo),
        (
            prop::option::of(mailbox()),
            prop::collection::vec(param(), 0..3)
        )
            .prop_map(|(m, params)| Command::Mail {
                from: m.map_or(ReversePath::Null, ReversePath::Mailbox),
                params
            }),
        (mailbox(), prop::collection::vec(param(), 0..3))
            .prop_map(|(to, params)| Command::Rcpt { to, params }),
        Just(Command::Data),
        Just(Command::Rset),
        Just(Command::Quit),
        Just(Command::StartTls),
        prop::option::of("[ -~]{1,20}".prop_filter("no leading space", |s| !s.starts_with(' ')))
            .prop_map(Command::Noop),
        ("[A-Z0-9-]{1,20}", prop::option::of("[A-Za-z0-9+/]{4,40}")).prop_map(
            |(mechanism, initial_response)| Command::Auth {
                mechanism,
                initial_response
            }
        ),
    ]
}

proptest! {
    #[test]
    fn commands_round_trip_through_encode_and_decode(cmd in command()) {
        let bytes = cmd.to_bytes();
        let (line, used) = decode::line(&bytes, 4096).unwrap();
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(decode::command(line).unwrap(), cmd);
    }

    #[test]
    fn every_prefix_of_a_command_is_incomplete(cmd in command()) {
        let bytes = cmd.to_bytes();
        for n in 0..bytes.len() {
            prop_assert_eq!(decode::line(&bytes[..n], 4096), Err(decode::LineError::Incomplete));
        }
    }

    #[test]
    fn a_session_fed_in_random_chunks_behaves_as_one_fed_whole(
        bodies in prop::collection::vec("[ -~]{0,40}(\r\n[.]?[ -~]{0,40}){0,5}", 1..4),
        cuts in prop::collection::vec(1usize..64, 1..200),
    ) {
        let mut script = String::from("EHLO c.example.org\r\n");
        for body in &bodies {
            script += "MAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n";
            script += &String::from_utf8(postroom_proto::dot_stuff(format!("{body}\r\n").as_bytes())).unwrap();
        }
        script += "QUIT\r\n";
        let (mut whole, mut whole_store) = mx();
        let expected = send(&mut whole, &mut whole_store, &script);
        let (mut chunked, mut chunked_store) = mx();
        let mut out = String::new();
        let mut rest = script.as_bytes();
        let mut cut = cuts.iter().cycle();
        while !rest.is_empty() {
            let n = (*cut.next().unwrap()).min(rest.len());
            chunked.handle_input(T0, &rest[..n], &mut chunked_store);
            out += &std::iter::from_fn(|| chunked.poll_output()).map(|b| String::from_utf8(b).unwrap()).collect::<String>();
            rest = &rest[n..];
        }
        prop_assert_eq!(out, expected);
        prop_assert_eq!(chunked_store.messages("bob"), whole_store.messages("bob"));
        // And the stored message is the body, un-stuffed.
        for (stored, body) in whole_store.messages("bob").iter().zip(&bodies) {
            let text = String::from_utf8(stored.bytes.clone()).unwrap();
            prop_assert_eq!(text, format!("Return-Path: <a@example.org>\r\n\
                Received: from c.example.org\r\n\tby mx.example.net with ESMTP\r\n\
                \tfor <bob@example.net>; Thu, 1 Jan 1970 00:00:00 +0000\r\n{body}\r\n"));
        }
    }

    #[test]
    fn no_input_makes_the_server_panic_or_send_a_malformed_reply(
        input in prop::collection::vec(any::<u8>(), 0..2000),
        submission in any::<bool>(),
    ) {
        let (mut server, mut store) = if submission { self::submission() } else { mx() };
        server.handle_input(T0, &input, &mut store);
        while let Some(reply) = server.poll_output() {
            let (_, used) = decode::reply(&reply).unwrap();
            prop_assert_eq!(used, reply.len());
        }
    }
}

#[test]
fn greylisting_refuses_a_new_triplet_once_then_accepts_it() {
    let mut config = ServerConfig::new("mx.example.net", "example.net");
    config.greylisting = true;
    let (mut server, mut store) = server(config.clone());
    let out = send(
        &mut server,
        &mut store,
        "EHLO relay.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\n",
    );
    assert!(
        out.ends_with("451 4.7.1 Greylisted: please try again later\r\n"),
        "{out}"
    );
    let mut again = SmtpServer::new(config, T0);
    let _ = again.poll_output();
    let out = send(
        &mut again,
        &mut store,
        "EHLO relay.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\n",
    );
    assert!(out.ends_with("250 2.1.5 Recipient OK\r\n"), "{out}");
}

#[test]
fn a_full_mailbox_refuses_the_message_with_552() {
    let (mut server, mut store) = mx();
    store.set_quota("bob", Some(100));
    let body = "x".repeat(200);
    let out = send(&mut server, &mut store, &format!("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n{body}\r\n.\r\n"));
    assert!(
        out.ends_with("552 5.2.2 <bob@example.net>: Mailbox full\r\n"),
        "{out}"
    );
    assert!(store.messages("bob").is_empty());
}

#[test]
fn a_long_multi_line_reply_fed_byte_by_byte_is_read_and_capped() {
    let mut client = SmtpClient::new(ClientConfig::new("c.example.org"), T0);
    client.handle_input(T0, b"220 hi\r\n").unwrap();
    let _ = std::iter::from_fn(|| client.poll_output()).count();
    let reply: Vec<u8> = "250-x\r\n".repeat(2000).into_bytes();
    let started = std::time::Instant::now();
    for b in &reply {
        client.handle_input(T0, std::slice::from_ref(b)).unwrap();
    }
    // Linear, not quadratic: well under a second for 14 000 single-octet reads.
    assert!(
        started.elapsed().as_secs_f64() < 2.0,
        "{:?}",
        started.elapsed()
    );
    let err = client.handle_input(T0, &"250-y\r\n".repeat(10_000).into_bytes());
    assert!(err.is_err(), "a reply over 64 KiB is refused");
}

#[test]
fn the_server_never_sends_a_reply_line_over_512_octets() {
    let (mut server, mut store) = mx();
    let out = send(
        &mut server,
        &mut store,
        &format!(
            "EHLO {}\r\nMAIL FROM:<a@example.org> {}=1\r\n",
            "a".repeat(485),
            "X".repeat(490)
        ),
    );
    assert!(out.lines().all(|l| l.len() + 2 <= 512), "{out}");
    let out = send(
        &mut server,
        &mut store,
        &format!("RCPT TO:<a@[{}]>\r\n", "1".repeat(300)),
    );
    assert!(
        out.starts_with("501 "),
        "an address literal over 255 octets is a syntax error: {out}"
    );
}

proptest! {
    // Our small base64 agrees with the `base64` crate on every input, both ways.
    #[test]
    fn our_base64_matches_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..64), text in "[A-Za-z0-9+/=_-]{0,24}") {
        use base64::Engine as _;
        use postroom_proto::base64::{decode, encode, Alphabet};
        let standard = base64::engine::general_purpose::STANDARD;
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        prop_assert_eq!(encode(&bytes, Alphabet::Standard), standard.encode(&bytes));
        prop_assert_eq!(encode(&bytes, Alphabet::UrlSafeNoPad), url.encode(&bytes));
        prop_assert_eq!(decode(&text, Alphabet::Standard), standard.decode(&text).ok());
        prop_assert_eq!(decode(&text, Alphabet::UrlSafeNoPad), url.decode(&text).ok());
    }
}
