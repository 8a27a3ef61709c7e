//! Whole SMTP sessions: the RFC 5321 example dialogue replayed against each side, our client
//! and server talking byte for byte, and the same session fed in chunks of every size.
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_proto::smtp::{
    ClientConfig, ClientEvent, Mailbox, ReversePath, ServerConfig, ServerEvent, ServerState,
    SmtpClient, SmtpServer,
};
use postroom_proto::{Instant, MailStore};

const T0: Instant = Instant::ZERO;

fn store_with(users: &[&str]) -> MailStore {
    let mut store = MailStore::new();
    for u in users {
        store.add_user(u);
    }
    store
}

fn drain_server(server: &mut SmtpServer) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(bytes) = server.poll_output() {
        out.extend(bytes);
    }
    out
}

/// RFC 5321 Appendix D.1, the client's lines.
const D1_CLIENT: &str = "EHLO bar.com\r\n\
MAIL FROM:<Smith@bar.com>\r\n\
RCPT TO:<Jones@foo.com>\r\n\
RCPT TO:<Green@foo.com>\r\n\
RCPT TO:<Brown@foo.com>\r\n\
DATA\r\n\
Blah blah blah...\r\n\
...etc. etc. etc.\r\n\
.\r\n\
QUIT\r\n";

fn d1_server() -> SmtpServer {
    SmtpServer::new(ServerConfig::new("foo.com", "foo.com"), T0)
}

#[test]
fn rfc5321_d1_server_answers_each_command_with_the_rfc_codes() {
    let mut store = store_with(&["jones", "brown"]);
    let mut server = d1_server();
    server.handle_input(T0, D1_CLIENT.as_bytes(), &mut store);
    let replies = String::from_utf8(drain_server(&mut server)).unwrap();
    let codes: Vec<&str> = replies
        .lines()
        .filter(|l| l.as_bytes().get(3) == Some(&b' '))
        .map(|l| &l[..3])
        .collect();
    // 220 greeting, EHLO 250, MAIL 250, RCPT 250 / 550 / 250, DATA 354, end 250, QUIT 221.
    assert_eq!(
        codes,
        ["220", "250", "250", "250", "550", "250", "354", "250", "221"]
    );
    assert!(replies.starts_with("220 foo.com ESMTP Postroom\r\n250-foo.com greets bar.com\r\n"));
    assert!(server.is_closed());
    // The period at the start of "...etc." was removed as transparency requires (§4.5.2),
    // and the server added its trace line (§4.4): three recipients, so no "for".
    let jones = store.messages("jones");
    assert_eq!(jones.len(), 1);
    assert_eq!(
        jones[0].bytes,
        b"Return-Path: <Smith@bar.com>\r\n\
Received: from bar.com\r\n\tby foo.com with ESMTP; Thu, 1 Jan 1970 00:00:00 +0000\r\n\
Blah blah blah...\r\n..etc. etc. etc.\r\n"
    );
    assert_eq!(store.messages("brown").len(), 1);
}

#[test]
fn rfc5321_d1_client_sends_the_rfc_commands() {
    let mut client = SmtpClient::new(ClientConfig::new("bar.com"), T0);
    let to = ["Jones@foo.com", "Green@foo.com", "Brown@foo.com"]
        .map(|a| Mailbox::try_from(a).unwrap())
        .to_vec();
    let from = ReversePath::Mailbox(Mailbox::try_from("Smith@bar.com").unwrap());
    // The message text whose dot-stuffed form is the D.1 data lines.
    client
        .send(
            from,
            to,
            b"Blah blah blah...\r\n..etc. etc. etc.\r\n".to_vec(),
        )
        .unwrap();
    client.quit();
    let server_lines = [
        "220 foo.com Simple Mail Transfer Service Ready\r\n",
        "250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n",
        "250 OK\r\n",
        "250 OK\r\n",
        "550 No such user here\r\n",
        "250 OK\r\n",
        "354 Start mail input; end with <CRLF>.<CRLF>\r\n",
        "250 OK\r\n",
        "221 foo.com Service closing transmission channel\r\n",
    ];
    let mut sent = Vec::new();
    for line in server_lines {
        client.handle_input(T0, line.as_bytes()).unwrap();
        while let Some(bytes) = client.poll_output() {
            sent.extend(bytes);
        }
    }
    // RFC 1870 §6: a server that lists SIZE lets the client declare the message size on
    // MAIL, and ours does; otherwise the lines are D.1's.
    let expected = D1_CLIENT.replace(
        "MAIL FROM:<Smith@bar.com>\r\n",
        "MAIL FROM:<Smith@bar.com> SIZE=37\r\n",
    );
    assert_eq!(String::from_utf8(sent).unwrap(), expected);
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert!(matches!(events.last(), Some(ClientEvent::Closed)));
    assert!(events.iter().any(
        |e| matches!(e, ClientEvent::RecipientRefused { to, .. } if to.local_part() == "Green")
    ));
    assert!(events
        .iter()
        .any(|e| matches!(e, ClientEvent::MessageAccepted(_))));
}

#[test]
fn the_same_session_fed_in_chunks_of_any_size_gets_the_same_replies() {
    let whole = {
        let mut store = store_with(&["jones", "brown"]);
        let mut server = d1_server();
        server.handle_input(T0, D1_CLIENT.as_bytes(), &mut store);
        drain_server(&mut server)
    };
    for size in (1..=64).chain([100, 200, 512]) {
        let mut store = store_with(&["jones", "brown"]);
        let mut server = d1_server();
        for chunk in D1_CLIENT.as_bytes().chunks(size) {
            server.handle_input(T0, chunk, &mut store);
        }
        assert_eq!(drain_server(&mut server), whole, "chunk size {size}");
        assert_eq!(store.messages("jones").len(), 1);
    }
}

/// Our client and our server, every byte both ways. The server offers PIPELINING, so the
/// client sends MAIL, RCPT and DATA as one group (RFC 2920 §3.1) before reading replies.
#[test]
fn client_and_server_complete_a_session_byte_for_byte() {
    let mut store = store_with(&["bob"]);
    let mut server = SmtpServer::new(ServerConfig::new("mx.example.net", "example.net"), T0);
    let mut client = SmtpClient::new(ClientConfig::new("laptop.example.org"), T0);
    let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap());
    let to = vec![Mailbox::try_from("bob@example.net").unwrap()];
    client
        .send(
            from,
            to,
            b"Subject: Hi\r\n\r\nHello Bob\r\n.hidden dot\r\n".to_vec(),
        )
        .unwrap();
    client.quit();

    let mut transcript = String::new();
    for _ in 0..50 {
        let mut moved = false;
        while let Some(bytes) = server.poll_output() {
            transcript += &format!("S: {}", String::from_utf8_lossy(&bytes));
            client.handle_input(T0, &bytes).unwrap();
            moved = true;
        }
        while let Some(bytes) = client.poll_output() {
            transcript += &format!("C: {}", String::from_utf8_lossy(&bytes));
            server.handle_input(T0, &bytes, &mut store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    let expected = "S: 220 mx.example.net ESMTP Postroom\r\n\
C: EHLO laptop.example.org\r\n\
S: 250-mx.example.net greets laptop.example.org\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n\
C: MAIL FROM:<alice@example.org> SIZE=39\r\n\
C: RCPT TO:<bob@example.net>\r\n\
C: DATA\r\n\
S: 250 2.1.0 Sender OK\r\n\
S: 250 2.1.5 Recipient OK\r\n\
S: 354 End data with <CR><LF>.<CR><LF>\r\n\
C: Subject: Hi\r\n\r\nHello Bob\r\n..hidden dot\r\n.\r\n\
S: 250 2.0.0 Ok: message accepted (39 octets)\r\n\
C: QUIT\r\n\
S: 221 2.0.0 mx.example.net closing connection\r\n";
    assert_eq!(transcript, expected);
    assert_eq!(server.state(), ServerState::Closed);
    let stored = &store.messages("bob")[0];
    assert_eq!(
        stored.bytes,
        b"Return-Path: <alice@example.org>\r\n\
Received: from laptop.example.org\r\n\tby mx.example.net with ESMTP\r\n\
\tfor <bob@example.net>; Thu, 1 Jan 1970 00:00:00 +0000\r\n\
Subject: Hi\r\n\r\nHello Bob\r\n.hidden dot\r\n"
    );
    let events: Vec<ServerEvent> = std::iter::from_fn(|| server.poll_event()).collect();
    assert!(events
        .iter()
        .any(|e| matches!(e, ServerEvent::MessageAccepted { uids, .. } if uids == &[1])));
}

// ---- Bad input: a clear reply, never a panic, and the session goes on. ----

fn exchange(input: &str) -> String {
    let mut store = store_with(&["bob"]);
    let mut server = SmtpServer::new(ServerConfig::new("mx.example.net", "example.net"), T0);
    let _greeting = server.poll_output();
    server.handle_input(T0, input.as_bytes(), &mut store);
    String::from_utf8(drain_server(&mut server)).unwrap()
}

#[test]
fn commands_out_of_order_get_503_and_the_session_continues() {
    assert_eq!(
        exchange("MAIL FROM:<a@b.org>\r\nNOOP\r\n"),
        "503 5.5.1 Send EHLO or HELO first\r\n250 2.0.0 OK\r\n"
    );
    assert_eq!(
        exchange("HELO x\r\nRCPT TO:<bob@example.net>\r\n"),
        "250 mx.example.net greets x\r\n503 5.5.1 Need MAIL before RCPT\r\n"
    );
    assert_eq!(
        exchange("HELO x\r\nMAIL FROM:<a@b.org>\r\nDATA\r\n"),
        "250 mx.example.net greets x\r\n250 2.1.0 Sender OK\r\n554 5.5.1 No valid recipients\r\n"
    );
}

#[test]
fn unknown_users_and_other_domains_are_refused() {
    let out = exchange("HELO x\r\nMAIL FROM:<a@b.org>\r\nRCPT TO:<carol@example.net>\r\nRCPT TO:<eve@elsewhere.com>\r\n");
    assert!(
        out.contains("550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown\r\n")
    );
    assert!(out.contains("554 5.7.1 <eve@elsewhere.com>: Relay access denied\r\n"));
}

#[test]
fn a_command_line_over_512_octets_is_refused_then_the_session_continues() {
    let just_under = format!("NOOP {}\r\n", "x".repeat(512 - 7));
    assert_eq!(exchange(&just_under), "250 2.0.0 OK\r\n");
    let over = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(1100));
    assert_eq!(
        exchange(&over),
        "500 5.5.2 Line too long (512 octets at most, RFC 5321 section 4.5.3.1.4)\r\n250 2.0.0 OK\r\n"
    );
}

#[test]
fn bare_lf_nul_and_unknown_commands_get_500() {
    assert!(exchange("NOOP\n").starts_with("500 5.5.2 Bare LF"));
    assert!(exchange("NO\0OP\r\n").starts_with("500 5.5.2 NUL"));
    assert_eq!(exchange("XYZZY\r\n"), "500 5.5.2 Command unrecognized\r\n");
    assert_eq!(
        exchange("EHLO x\r\nMAIL FROM:<a@b.org> FOO=1\r\n")
            .lines()
            .last(),
        Some("555 5.5.4 Unsupported parameter FOO")
    );
}

#[test]
fn the_101st_recipient_is_refused_with_452() {
    let users: Vec<String> = (0..101).map(|n| format!("user{n}")).collect();
    let mut store = store_with(&users.iter().map(String::as_str).collect::<Vec<_>>());
    let mut input = String::from("HELO x\r\nMAIL FROM:<a@b.org>\r\n");
    for user in &users {
        input += &format!("RCPT TO:<{user}@example.net>\r\n");
    }
    let mut server = SmtpServer::new(ServerConfig::new("mx.example.net", "example.net"), T0);
    server.handle_input(T0, input.as_bytes(), &mut store);
    let out = String::from_utf8(drain_server(&mut server)).unwrap();
    assert_eq!(out.matches("250 2.1.5").count(), 100);
    assert!(out.ends_with("452 4.5.3 Too many recipients\r\n"));
}

#[test]
fn ten_bad_commands_in_a_row_close_the_session() {
    let out = exchange(&"BOGUS\r\n".repeat(12));
    assert_eq!(out.matches("500 ").count(), 10);
    assert!(out.ends_with("421 4.7.0 Too many errors, closing connection\r\n"));
}

/// RFC 5321 §4.5.1: every server MUST accept mail for its postmaster, with or without a
/// domain; a recipient named twice gets one copy.
#[test]
fn postmaster_is_always_accepted_and_a_repeated_recipient_gets_one_copy() {
    let mut store = store_with(&["bob"]);
    let mut server = SmtpServer::new(ServerConfig::new("mx.example.net", "example.net"), T0);
    let script = "HELO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<postmaster>\r\n\
        RCPT TO:<Postmaster@example.net>\r\nRCPT TO:<bob@example.net>\r\n\
        RCPT TO:<bob@example.net>\r\nRCPT TO:<BOB@EXAMPLE.NET>\r\nDATA\r\nHi\r\n.\r\nQUIT\r\n";
    server.handle_input(T0, script.as_bytes(), &mut store);
    let replies = String::from_utf8(drain_server(&mut server)).unwrap();
    let codes: Vec<&str> = replies.lines().map(|l| &l[..3]).collect();
    assert_eq!(
        codes,
        ["220", "250", "250", "250", "250", "250", "250", "250", "354", "250", "221"],
        "{replies}"
    );
    assert_eq!(store.messages("bob").len(), 1);
    // <postmaster> and <Postmaster@example.net> are one mailbox, which exists now.
    assert_eq!(store.messages("postmaster").len(), 1);
}

/// Our client against our submission server until both fall silent; the client's lines.
fn submit(client: ClientConfig, server: ServerConfig) -> (Vec<String>, Vec<ClientEvent>) {
    let mut store = MailStore::new();
    store.add_account("alice", "secret");
    let mut server = SmtpServer::new(server, T0);
    let mut client = SmtpClient::new(client, T0);
    let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org").unwrap());
    let to = vec![Mailbox::try_from("bob@example.net").unwrap()];
    client
        .send(from, to, b"Subject: Hi\r\n\r\nHi\r\n".to_vec())
        .unwrap();
    client.quit();
    let mut lines = Vec::new();
    for _ in 0..50 {
        let mut moved = false;
        while let Some(bytes) = server.poll_output() {
            lines.push(format!("S: {}", String::from_utf8_lossy(&bytes)));
            client.handle_input(T0, &bytes).unwrap();
            moved = true;
        }
        while let Some(bytes) = client.poll_output() {
            lines.push(format!("C: {}", String::from_utf8_lossy(&bytes)));
            server.handle_input(T0, &bytes, &mut store);
            moved = true;
        }
        if !moved {
            break;
        }
    }
    (lines, std::iter::from_fn(|| client.poll_event()).collect())
}

#[test]
fn a_client_that_must_log_in_sends_auth_unoffered_and_hears_530_before_starttls() {
    let mut client = ClientConfig::new("laptop.example.org");
    client.credentials = Some(("alice@example.org".into(), "secret".into()));
    let mut server = ServerConfig::submission("smtp.example.org", "example.org");
    server.tls = postroom_proto::smtp::TlsPolicy::Required;
    // Without the option, a client finds no mechanism and gives up without a word.
    let (lines, events) = submit(client.clone(), server.clone());
    assert!(!lines.iter().any(|l| l.starts_with("C: AUTH")), "{lines:?}");
    assert!(events.iter().any(|e| matches!(e, ClientEvent::GaveUp(_))));
    client.auth_unoffered = true;
    let (lines, events) = submit(client, server);
    let auth = lines
        .iter()
        .position(|l| l.starts_with("C: AUTH PLAIN"))
        .unwrap();
    assert_eq!(
        lines[auth + 1],
        "S: 530 5.7.0 Must issue a STARTTLS command first\r\n"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, ClientEvent::AuthenticationFailed(_))));
    assert!(!lines.iter().any(|l| l.starts_with("C: MAIL")));
}

#[test]
fn a_provider_that_wants_the_whole_address_refuses_the_local_part() {
    let login = |user: &str| {
        let mut client = ClientConfig::new("laptop.example.org");
        client.credentials = Some((user.into(), "secret".into()));
        let mut server = ServerConfig::submission("smtp.example.org", "example.org");
        server.address_login = true;
        submit(client, server).0
    };
    assert!(login("alice").iter().any(|l| l.starts_with("S: 535 5.7.8")));
    assert!(login("alice@example.org")
        .iter()
        .any(|l| l.starts_with("S: 235 2.7.0")));
}
