//! Known-answer tests from the RFCs' example dialogues, replayed as `C:`/`S:` lines.
//!
//! Against our client: the RFC's `S:` lines are fed in and the client must send the RFC's
//! `C:` lines. Against our server: the `C:` lines are fed in and the replies must carry the
//! RFC's codes (reply texts are free, RFC 5321 §4.2). Where we differ from a dialogue on
//! purpose, the test says why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use postroom_proto::smtp::{
    ClientConfig, ClientEvent, ClientTls, Mailbox, ReversePath, ServerConfig, ServerEvent,
    SmtpClient, SmtpServer, TlsPolicy,
};
use postroom_proto::{Instant, MailStore};

const T0: Instant = Instant::ZERO;

/// One side's lines of a dialogue, grouped into turns: consecutive lines of the same side.
fn turns(script: &str) -> Vec<(char, String)> {
    let mut turns: Vec<(char, String)> = Vec::new();
    for line in script
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty())
    {
        let (side, text) = if let Some(t) = line.strip_prefix("C:") {
            ('C', t.strip_prefix(' ').unwrap_or(t))
        } else if let Some(t) = line.strip_prefix("S:") {
            ('S', t.strip_prefix(' ').unwrap_or(t))
        } else {
            continue;
        };
        // RFC 3207 §4: STARTTLS ends a pipelined group; what follows comes after TLS.
        let after_starttls = turns
            .last()
            .is_some_and(|(_, t)| t.ends_with("STARTTLS\r\n"));
        match turns.last_mut() {
            Some((s, acc)) if *s == side && !after_starttls => {
                acc.push_str(text);
                acc.push_str("\r\n");
            }
            _ => turns.push((side, format!("{text}\r\n"))),
        }
    }
    turns
}

/// Feeds the script's server turns to `client` and returns everything the client sent and
/// every event, calling `tls_established` whenever the client asks for TLS.
fn client_run(client: &mut SmtpClient, script: &str) -> (String, Vec<ClientEvent>) {
    let mut sent = String::new();
    let mut events = Vec::new();
    for (side, text) in turns(script) {
        if side == 'S' {
            client.handle_input(T0, text.as_bytes()).unwrap();
        }
        let mut tls = false;
        while let Some(event) = client.poll_event() {
            tls |= event == ClientEvent::TlsRequested;
            events.push(event);
        }
        while let Some(bytes) = client.poll_output() {
            sent += &String::from_utf8(bytes).unwrap();
        }
        if tls {
            client.tls_established(T0);
            while let Some(bytes) = client.poll_output() {
                sent += &String::from_utf8(bytes).unwrap();
            }
        }
    }
    (sent, events)
}

fn client_sends(client: &mut SmtpClient, script: &str) -> String {
    client_run(client, script).0
}

/// All `C:` lines of a script, CRLF-terminated.
fn client_lines(script: &str) -> String {
    turns(script)
        .into_iter()
        .filter(|(s, _)| *s == 'C')
        .map(|(_, t)| t)
        .collect()
}

/// Feeds the script's client turns to `server`; returns the codes of the replies it sent
/// (one per reply, multi-line replies once) and the raw replies.
fn server_codes(
    server: &mut SmtpServer,
    store: &mut MailStore,
    script: &str,
) -> (Vec<u16>, String) {
    let mut raw = String::new();
    let collect = |server: &mut SmtpServer, raw: &mut String| {
        while let Some(bytes) = server.poll_output() {
            *raw += &String::from_utf8(bytes).unwrap();
        }
        let tls =
            std::iter::from_fn(|| server.poll_event()).any(|e| e == ServerEvent::TlsRequested);
        if tls {
            server.tls_established();
        }
    };
    collect(server, &mut raw);
    for (side, text) in turns(script) {
        if side == 'C' {
            server.handle_input(T0, text.as_bytes(), store);
            collect(server, &mut raw);
        }
    }
    let codes = raw
        .lines()
        .filter(|l| l.as_bytes().get(3) == Some(&b' ') || l.len() == 3)
        .map(|l| l[..3].parse().unwrap())
        .collect();
    (codes, raw)
}

fn mailbox(a: &str) -> Mailbox {
    Mailbox::try_from(a).unwrap()
}

fn path(a: &str) -> ReversePath {
    ReversePath::Mailbox(mailbox(a))
}

fn store(users: &[(&str, &str)]) -> MailStore {
    let mut s = MailStore::new();
    for (u, p) in users {
        s.add_account(u, p);
    }
    s
}

// ---- RFC 5321 Appendix D ----

const D2: &str = "
      S: 220 foo.com Simple Mail Transfer Service Ready
      C: EHLO bar.com
      S: 250-foo.com greets bar.com
      S: 250-8BITMIME
      S: 250-SIZE
      S: 250-DSN
      S: 250 HELP
      C: MAIL FROM:<Smith@bar.com>
      S: 250 OK
      C: RCPT TO:<Jones@foo.com>
      S: 250 OK
      C: RCPT TO:<Green@foo.com>
      S: 550 No such user here
      C: RSET
      S: 250 OK
      C: QUIT
      S: 221 foo.com Service closing transmission channel";

#[test]
fn rfc5321_d2_aborted_transaction_server_codes() {
    let mut store = store(&[("jones", "")]);
    let mut server = SmtpServer::new(ServerConfig::new("foo.com", "foo.com"), T0);
    let (codes, _) = server_codes(&mut server, &mut store, D2);
    assert_eq!(codes, [220, 250, 250, 250, 550, 250, 221]);
    assert!(
        store.messages("jones").is_empty(),
        "RSET abandoned the message"
    );
}

const D3_STEP2: &str = "
           S: 220 xyz.com Simple Mail Transfer Service Ready
           C: EHLO foo.com
           S: 250 xyz.com is on the air
           C: MAIL FROM:<JQP@bar.com>
           S: 250 OK
           C: RCPT TO:<Jones@XYZ.COM>
           S: 250 OK
           C: DATA
           S: 354 Start mail input; end with <CRLF>.<CRLF>
           C: Received: from bar.com by foo.com ; Thu, 21 May 1998
           C:     05:33:29 -0700
           C: Date: Thu, 21 May 1998 05:33:22 -0700
           C: From: John Q. Public <JQP@bar.com>
           C: Subject:  The Next Meeting of the Board
           C: To: Jones@xyz.com
           C:
           C: Bill:
           C: The next meeting of the board of directors will be
           C: on Tuesday.
           C:                         John.
           C: .
           S: 250 OK
           C: QUIT
           S: 221 foo.com Service closing transmission channel";

/// The relay's second hop: a server without extensions, so every line is the RFC's.
#[test]
fn rfc5321_d3_relay_client_sends_exactly_the_rfc_lines() {
    let message = "Received: from bar.com by foo.com ; Thu, 21 May 1998\r\n    05:33:29 -0700\r\n\
Date: Thu, 21 May 1998 05:33:22 -0700\r\nFrom: John Q. Public <JQP@bar.com>\r\n\
Subject:  The Next Meeting of the Board\r\nTo: Jones@xyz.com\r\n\r\nBill:\r\n\
The next meeting of the board of directors will be\r\non Tuesday.\r\n                        John.\r\n";
    let mut client = SmtpClient::new(ClientConfig::new("foo.com"), T0);
    client
        .send(
            path("JQP@bar.com"),
            vec![mailbox("Jones@XYZ.COM")],
            message.as_bytes().to_vec(),
        )
        .unwrap();
    client.quit();
    // The trace's "C:" alone is the empty line; trimming made it "C:" + CRLF.
    assert_eq!(client_sends(&mut client, D3_STEP2), client_lines(D3_STEP2));
}

#[test]
fn rfc5321_d4_vrfy_gets_252_from_a_server_that_will_not_tell() {
    let script = "
      C: EHLO bar.com
      C: VRFY Crispin
      C: MAIL FROM:<EAK@bar.com>
      C: RCPT TO:<Admin.MRC@foo.com>
      C: DATA
      C: Blah blah blah...
      C: ...etc. etc. etc.
      C: .
      C: QUIT";
    let mut store = store(&[("admin.mrc", "")]);
    let mut server = SmtpServer::new(ServerConfig::new("foo.com", "foo.com"), T0);
    let (codes, _) = server_codes(&mut server, &mut store, script);
    // D.4's server answers VRFY with 250 and a name; RFC 5321 §3.5.3 allows 252 instead,
    // which is what a server that does not disclose its users sends.
    assert_eq!(codes, [220, 250, 252, 250, 250, 354, 250, 221]);
    assert_eq!(store.messages("admin.mrc").len(), 1);
}

// ---- RFC 3207 §5: STARTTLS ----

const RFC3207: &str = "
   S: 220 mail.imc.org SMTP service ready
   C: EHLO mail.example.com
   S: 250-mail.imc.org offers a warm hug of welcome
   S: 250-8BITMIME
   S: 250-STARTTLS
   S: 250 DSN
   C: STARTTLS
   S: 220 Go ahead
   C: EHLO mail.example.com
   S: 250-mail.imc.org touches your hand gently for a moment
   S: 250-8BITMIME
   S: 250 DSN";

#[test]
fn rfc3207_client_upgrades_then_says_ehlo_again() {
    let mut config = ClientConfig::new("mail.example.com");
    config.tls = ClientTls::Required;
    let mut client = SmtpClient::new(config, T0);
    assert_eq!(client_sends(&mut client, RFC3207), client_lines(RFC3207));
    assert!(client.is_encrypted());
}

#[test]
fn rfc3207_server_stops_offering_starttls_once_encrypted() {
    let mut config = ServerConfig::new("mail.imc.org", "imc.org");
    config.tls = TlsPolicy::Offered;
    let mut server = SmtpServer::new(config, T0);
    let (codes, raw) = server_codes(&mut server, &mut MailStore::new(), RFC3207);
    assert_eq!(codes, [220, 250, 220, 250]);
    assert_eq!(raw.matches("250-STARTTLS").count(), 1, "{raw}");
    assert!(server.is_encrypted());
}

#[test]
fn rfc3207_commands_pipelined_after_starttls_are_discarded() {
    let mut config = ServerConfig::new("mail.imc.org", "imc.org");
    config.tls = TlsPolicy::Offered;
    let mut server = SmtpServer::new(config, T0);
    let mut store = MailStore::new();
    let _greeting = server.poll_output();
    // One packet: STARTTLS with a command smuggled behind it in plain text.
    server.handle_input(
        T0,
        b"EHLO x\r\nSTARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n",
        &mut store,
    );
    server.tls_established();
    server.handle_input(T0, b"NOOP\r\n", &mut store);
    let replies: Vec<String> = std::iter::from_fn(|| server.poll_output())
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    // The injected MAIL is never answered: after TLS only NOOP's reply follows.
    assert_eq!(
        replies[1..],
        ["220 2.0.0 Ready to start TLS\r\n", "250 2.0.0 OK\r\n"]
    );
}

// ---- RFC 4954 §4.1: AUTH ----

const RFC4954_IR: &str = "
   C: EHLO client.example.com
   C: STARTTLS
   C: EHLO client.example.com
   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=";

fn submission_server() -> SmtpServer {
    let mut config = ServerConfig::submission("smtp.example.com", "example.com");
    config.tls = TlsPolicy::Required;
    SmtpServer::new(config, T0)
}

#[test]
fn rfc4954_auth_plain_with_initial_response() {
    let mut store = store(&[("test", "1234")]);
    let mut server = submission_server();
    let (codes, raw) = server_codes(&mut server, &mut store, RFC4954_IR);
    assert_eq!(codes, [220, 250, 220, 250, 235]);
    assert!(raw.ends_with("235 2.7.0 Authentication successful\r\n"));
    // AUTH is offered only after TLS, as in the RFC's example.
    let before_tls = &raw[..raw.find("220 2.0.0").unwrap()];
    assert!(!before_tls.contains("AUTH"), "{raw}");
    assert_eq!(server.user(), Some("test"));
}

#[test]
fn rfc4954_auth_plain_with_an_empty_challenge() {
    let script = "
   C: EHLO client.example.com
   C: STARTTLS
   C: EHLO client.example.com
   C: AUTH PLAIN
   C: dGVzdAB0ZXN0ADEyMzQ=";
    let mut store = store(&[("test", "1234")]);
    let mut server = submission_server();
    let (codes, raw) = server_codes(&mut server, &mut store, script);
    assert_eq!(codes, [220, 250, 220, 250, 334, 235]);
    // "Note that there is still a space following the reply code" (RFC 4954 §4).
    assert!(raw.contains("\r\n334 \r\n"), "{raw:?}");
}

#[test]
fn rfc4954_refusals_use_the_rfc_codes() {
    let script = "
   C: EHLO client.example.com
   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=
   C: STARTTLS
   C: EHLO client.example.com
   C: AUTH EXTERNAL =
   C: AUTH PLAIN
   C: *
   C: AUTH PLAIN not-base64!
   C: AUTH PLAIN dGVzdAB0ZXN0AHdyb25n
   C: MAIL FROM:<test@example.com>
   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=
   C: MAIL FROM:<test@example.com>
   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=";
    let mut store = store(&[("test", "1234")]);
    let mut server = submission_server();
    let (codes, _) = server_codes(&mut server, &mut store, script);
    assert_eq!(
        codes,
        [
            220, 250, //
            530, // AUTH before STARTTLS when TLS is required (RFC 3207 §4)
            220, 250, //
            504, // unknown mechanism (§4)
            334, 501, // "*" cancels: 501 (§4)
            501, // not base64: 501 (§4)
            535, // wrong password (§6)
            530, // MAIL before AUTH on submission (RFC 6409 §4.3, RFC 4954 §6)
            235, 250, //
            503, // AUTH in a transaction / after success (§4)
        ]
    );
}

#[test]
fn rfc4954_our_client_logs_in_with_plain_as_the_rfc_shows() {
    // The RFC writes the greeting "220-smtp.example.com": an unfinished multi-line reply,
    // corrected here to "220 ".
    let script = "
   S: 220 smtp.example.com ESMTP Server
   C: EHLO client.example.com
   S: 250-smtp.example.com Hello client.example.com
   S: 250-AUTH GSSAPI DIGEST-MD5
   S: 250-ENHANCEDSTATUSCODES
   S: 250 STARTTLS
   C: STARTTLS
   S: 220 Ready to start TLS
   C: EHLO client.example.com
   S: 250-smtp.example.com Hello client.example.com
   S: 250 AUTH GSSAPI DIGEST-MD5 PLAIN
   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=
   S: 235 2.7.0 Authentication successful";
    let mut config = ClientConfig::new("client.example.com");
    config.tls = ClientTls::Required;
    config.credentials = Some(("test".into(), "1234".into()));
    let mut client = SmtpClient::new(config, T0);
    let (sent, events) = client_run(&mut client, script);
    // The RFC's response names "test" as authzid too; ours leaves authzid empty (act as
    // ourselves), which RFC 4616 §2 allows: "\0test\01234".
    assert_eq!(
        sent,
        "EHLO client.example.com\r\nSTARTTLS\r\nEHLO client.example.com\r\nAUTH PLAIN AHRlc3QAMTIzNA==\r\n"
    );
    assert!(events.contains(&ClientEvent::Authenticated));
}

// ---- RFC 1870 §8: SIZE ----

#[test]
fn rfc1870_client_declares_the_size_and_copes_with_per_recipient_refusals() {
    let script = "
   S: 220 sigurd.innosoft.com -- Server SMTP (PMDF V4.2-6 #1992)
   C: EHLO ymir.claremont.edu
   S: 250-sigurd.innosoft.com
   S: 250-EXPN
   S: 250-HELP
   S: 250 SIZE 1000000
   C: MAIL FROM:<ned@thor.innosoft.com> SIZE=500000
   S: 250 Address Ok.
   C: RCPT TO:<ned@innosoft.com>
   S: 250 ned@innosoft.com OK; can accomodate 500000 byte message
   C: RCPT TO:<ned@ymir.claremont.edu>
   S: 552 Channel size limit exceeded: ned@YMIR.CLAREMONT.EDU
   C: RCPT TO:<ned@hmcvax.claremont.edu>
   S: 452 Insufficient channel storage: ned@hmcvax.CLAREMONT.EDU
   C: DATA
   S: 354 Send message, ending in CRLF.CRLF.
   S: 250 Some recipients OK
   C: QUIT
   S: 221 Goodbye";
    // A message of exactly 500000 octets, as the example declares.
    let line = format!("{}\r\n", "x".repeat(98));
    let message = line.repeat(5000);
    assert_eq!(message.len(), 500_000);
    let mut client = SmtpClient::new(ClientConfig::new("ymir.claremont.edu"), T0);
    let to = [
        "ned@innosoft.com",
        "ned@ymir.claremont.edu",
        "ned@hmcvax.claremont.edu",
    ];
    client
        .send(
            path("ned@thor.innosoft.com"),
            to.map(mailbox).to_vec(),
            message.clone().into_bytes(),
        )
        .unwrap();
    client.quit();
    let (sent, events) = client_run(&mut client, script);
    let expected = client_lines(script).replace("DATA\r\n", &format!("DATA\r\n{message}.\r\n"));
    assert_eq!(sent, expected);
    let refused = events
        .iter()
        .filter(|e| matches!(e, ClientEvent::RecipientRefused { .. }))
        .count();
    assert_eq!(refused, 2);
}

#[test]
fn rfc1870_server_refuses_a_declared_size_over_its_limit_with_552() {
    let mut config = ServerConfig::new("sigurd.innosoft.com", "innosoft.com");
    config.max_message_size = 1_000_000;
    let mut server = SmtpServer::new(config, T0);
    let script = "
   C: EHLO ymir.claremont.edu
   C: MAIL FROM:<ned@thor.innosoft.com> SIZE=2000000
   C: MAIL FROM:<ned@thor.innosoft.com> SIZE=500000";
    let (codes, raw) = server_codes(&mut server, &mut store(&[("ned", "")]), script);
    assert_eq!(codes, [220, 250, 552, 250]);
    assert!(raw.contains("250-SIZE 1000000\r\n"));
}

// ---- RFC 6152 §4: 8BITMIME ----

#[test]
fn rfc6152_client_marks_an_8bit_body() {
    let script = "
   S: 220 dbc.mtview.ca.us SMTP service ready
   C: EHLO ymir.claremont.edu
   S: 250-dbc.mtview.ca.us says hello
   S: 250 8BITMIME
   C: MAIL FROM:<ned@ymir.claremont.edu> BODY=8BITMIME
   S: 250 <ned@ymir.claremont.edu>... Sender and 8BITMIME ok
   C: RCPT TO:<mrose@dbc.mtview.ca.us>
   S: 250 <mrose@dbc.mtview.ca.us>... Recipient ok
   C: DATA
   S: 354 Send 8BITMIME message, ending in CRLF.CRLF.
   S: 250 OK
   C: QUIT
   S: 250 Goodbye";
    let message = "Subject: Gr\u{fc}\u{df}e\r\n\r\nS\u{e4}tze mit Umlauten.\r\n";
    let mut client = SmtpClient::new(ClientConfig::new("ymir.claremont.edu"), T0);
    client
        .send(
            path("ned@ymir.claremont.edu"),
            vec![mailbox("mrose@dbc.mtview.ca.us")],
            message.as_bytes().to_vec(),
        )
        .unwrap();
    client.quit();
    let (sent, events) = client_run(&mut client, script);
    let expected = client_lines(script).replace("DATA\r\n", &format!("DATA\r\n{message}.\r\n"));
    assert_eq!(sent, expected);
    // RFC 6152's server answers QUIT with 250; the client closes all the same.
    assert_eq!(events.last(), Some(&ClientEvent::Closed));
}

// ---- RFC 2920 §4: PIPELINING ----

const RFC2920_GOOD: &str = "
   S: 220 innosoft.com SMTP service ready
   C: EHLO dbc.mtview.ca.us
   S: 250-innosoft.com
   S: 250 PIPELINING
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<ned@innosoft.com>
   C: RCPT TO:<dan@innosoft.com>
   C: RCPT TO:<kvc@innosoft.com>
   C: DATA
   S: 250 sender <mrose@dbc.mtview.ca.us> OK
   S: 250 recipient <ned@innosoft.com> OK
   S: 250 recipient <dan@innosoft.com> OK
   S: 250 recipient <kvc@innosoft.com> OK
   S: 354 enter mail, end with line containing only \".\"
   C: .
   S: 250 message sent
   C: QUIT
   S: 221 goodbye";

#[test]
fn rfc2920_client_sends_mail_rcpt_and_data_as_one_group() {
    let mut client = SmtpClient::new(ClientConfig::new("dbc.mtview.ca.us"), T0);
    let to = ["ned@innosoft.com", "dan@innosoft.com", "kvc@innosoft.com"];
    client
        .send(
            path("mrose@dbc.mtview.ca.us"),
            to.map(mailbox).to_vec(),
            Vec::new(),
        )
        .unwrap();
    client.quit();
    // The RFC sends "." and QUIT in one group; we send QUIT once "." is answered, which
    // RFC 2920 §3.1 also allows. An empty message is just the terminating period here.
    assert_eq!(
        client_sends(&mut client, RFC2920_GOOD),
        client_lines(RFC2920_GOOD)
    );
}

#[test]
fn rfc2920_server_answers_a_pipelined_group_in_order() {
    let mut store = store(&[("ned", ""), ("dan", ""), ("kvc", "")]);
    let mut server = SmtpServer::new(ServerConfig::new("innosoft.com", "innosoft.com"), T0);
    let (codes, _) = server_codes(&mut server, &mut store, RFC2920_GOOD);
    assert_eq!(codes, [220, 250, 250, 250, 250, 250, 354, 250, 221]);
    assert_eq!(store.messages("kvc").len(), 1);
}

#[test]
fn rfc2920_all_recipients_refused_then_data_is_refused() {
    let script = "
   C: EHLO dbc.mtview.ca.us
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<nsb@thumper.bellcore.com>
   C: RCPT TO:<galvin@tis.com>
   C: DATA
   C: QUIT";
    let mut server = SmtpServer::new(ServerConfig::new("innosoft.com", "innosoft.com"), T0);
    let (codes, _) = server_codes(&mut server, &mut MailStore::new(), script);
    // 554 to DATA as in the RFC's first failure case ("no valid recipients given").
    assert_eq!(codes, [220, 250, 250, 554, 554, 554, 221]);
}

#[test]
fn rfc2920_client_sends_only_the_period_when_data_is_wrongly_accepted() {
    let script = "
   S: 220 innosoft.com SMTP service ready
   C: EHLO dbc.mtview.ca.us
   S: 250-innosoft.com
   S: 250 PIPELINING
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<nsb@thumper.bellcore.com>
   C: RCPT TO:<galvin@tis.com>
   C: DATA
   S: 250 sender <mrose@dbc.mtview.ca.us> OK
   S: 550 remote mail to <nsb@thumper.bellore.com> not allowed
   S: 550 remote mail to <galvin@tis.com> not allowed
   S: 354 enter mail, end with line containing only \".\"
   C: .
   S: 554 no valid recipients
   C: QUIT
   S: 221 goodbye";
    let mut client = SmtpClient::new(ClientConfig::new("dbc.mtview.ca.us"), T0);
    let to = ["nsb@thumper.bellcore.com", "galvin@tis.com"];
    client
        .send(
            path("mrose@dbc.mtview.ca.us"),
            to.map(mailbox).to_vec(),
            b"secret text\r\n".to_vec(),
        )
        .unwrap();
    client.quit();
    assert_eq!(client_sends(&mut client, script), client_lines(script));
}
