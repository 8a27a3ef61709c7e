//! Real, independent SMTP clients against `postroom-serve`: Python's smtplib, curl, swaks,
//! Postfix's smtp-source and OpenSSL. Each must complete its session, and the bridge's
//! transcript must show the mail stored.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::{run, Serve, PYTHON};

/// smtplib: EHLO, STARTTLS, EHLO again, AUTH, SIZE, a dot-stuffed body, several recipients.
#[test]
fn smtplib_submits_over_starttls_with_auth_to_several_recipients() {
    let serve = Serve::start(&[]);
    let script = r#"
import smtplib, ssl, sys
port = int(sys.argv[1])
s = smtplib.SMTP('127.0.0.1', port, timeout=20)
code, _ = s.ehlo()
assert code == 250
assert s.has_extn('starttls') and s.has_extn('size') and s.has_extn('pipelining')
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s.starttls(context=ctx)
s.ehlo()
assert s.has_extn('auth') and not s.has_extn('starttls')
s.login('alice', 'secret')
body = 'Subject: Dots\r\n\r\nfirst\r\n.leading dot\r\n..two dots\r\n.\r\nlast\r\n'
refused = s.sendmail('alice@example.net', ['bob@example.net', 'alice@example.net'], body)
assert refused == {}, refused
s.quit()
print('ok')
"#;
    let port = serve.port(587).to_string();
    let out = run(PYTHON, &["-c", script, &port], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    let log = serve.wait_for("stored message for", 2);
    assert!(
        log.contains("[TLS] C: AUTH PLAIN") || log.contains("[TLS] C: auth PLAIN"),
        "{log}"
    );
    assert!(log.contains("stored message for bob@example.net as UID 1"));
    assert!(log.contains("stored message for alice@example.net as UID 1"));
    // smtplib stuffed the leading dots; the wire shows them doubled.
    assert!(
        log.contains("C: ..leading dot") && log.contains("C: ...two dots"),
        "{log}"
    );
}

/// The submission port refuses mail before AUTH (RFC 6409 §4.3) and bad passwords (535).
#[test]
fn smtplib_without_login_gets_530_and_a_wrong_password_gets_535() {
    let serve = Serve::start(&[]);
    let script = r#"
import smtplib, sys
port = int(sys.argv[1])
s = smtplib.SMTP('127.0.0.1', port, timeout=20)
try:
    s.sendmail('alice@example.net', ['bob@example.net'], 'Subject: x\r\n\r\nx\r\n')
    raise SystemExit('accepted without AUTH')
except smtplib.SMTPSenderRefused as e:
    assert e.smtp_code == 530, e
try:
    s.login('alice', 'wrong')
    raise SystemExit('accepted a wrong password')
except smtplib.SMTPAuthenticationError as e:
    assert e.smtp_code == 535, e
s.quit()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(587).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    serve.wait_for("S: 530 5.7.0 Authentication required", 1);
}

/// Port 25 takes mail for its own users without AUTH and refuses to relay (554 5.7.1).
#[test]
fn smtplib_on_the_mail_exchanger_port_cannot_relay() {
    let serve = Serve::start(&[]);
    let script = r#"
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
refused = s.sendmail('someone@example.org', ['bob@example.net', 'eve@elsewhere.example'], 'Subject: relay?\r\n\r\nhi\r\n')
assert list(refused) == ['eve@elsewhere.example'] and refused['eve@elsewhere.example'][0] == 554, refused
try:
    s.sendmail('someone@example.org', ['nobody@example.net'], 'x\r\n')
    raise SystemExit('unknown user accepted')
except smtplib.SMTPRecipientsRefused as e:
    assert e.recipients['nobody@example.net'][0] == 550, e
s.quit()
print('ok')
"#;
    let out = run(PYTHON, &["-c", script, &serve.port(25).to_string()], "");
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    serve.wait_for("stored message for bob@example.net as UID 1", 1);
}

const MESSAGE: &str = "From: alice@example.net\r\nTo: bob@example.net\r\nSubject: from curl\r\n\r\nHello from curl.\r\n.dot line\r\n";

/// curl's AUTH PLAIN: by default with an empty 334 challenge, with --sasl-ir as the
/// initial response on the AUTH line (RFC 4954 §4).
#[test]
fn curl_submits_with_auth_plain_with_and_without_initial_response() {
    let serve = Serve::start(&[]);
    let url = format!("smtp://127.0.0.1:{}", serve.port(587));
    for extra in [None, Some("--sasl-ir")] {
        let mut args = vec![
            "-sS",
            "--url",
            &url,
            "--mail-from",
            "alice@example.net",
            "--mail-rcpt",
            "bob@example.net",
            "--user",
            "alice:secret",
            "--upload-file",
            "-",
        ];
        args.extend(extra);
        let out = run("curl", &args, MESSAGE);
        assert_eq!(out.status, 0, "{}", out.stderr);
    }
    let log = serve.wait_for("stored message for bob@example.net", 2);
    assert!(
        log.contains("C: AUTH PLAIN    ;") && log.contains("S: 334 \n"),
        "{log}"
    );
    // The initial response, and the answer to the 334, are hidden as secrets.
    assert!(log.contains("C: AUTH PLAIN ••••••••"), "{log}");
    assert!(!log.contains("AGFsaWNlAHNlY3JldA=="), "{log}");
    assert!(log.contains("C: ..dot line"), "{log}");
}

/// curl negotiates real TLS with STARTTLS (--ssl-reqd) and with implicit TLS (smtps://).
#[test]
fn curl_negotiates_starttls_and_implicit_tls() {
    let serve = Serve::start(&["--require-tls"]);
    let starttls = format!("smtp://127.0.0.1:{}", serve.port(587));
    let implicit = format!("smtps://127.0.0.1:{}", serve.port(465));
    for url in [&starttls, &implicit] {
        let out = run(
            "curl",
            &[
                "-sS",
                "--ssl-reqd",
                "-k",
                "--url",
                url,
                "--mail-from",
                "alice@example.net",
                "--mail-rcpt",
                "bob@example.net",
                "--user",
                "alice:secret",
                "--upload-file",
                "-",
            ],
            MESSAGE,
        );
        assert_eq!(out.status, 0, "{url}: {}", out.stderr);
    }
    let log = serve.wait_for("stored message for bob@example.net", 2);
    assert!(log.contains("TLS established (STARTTLS)"), "{log}");
    assert!(log.contains("TLS established (implicit TLS)"), "{log}");
    // Nothing of the login crossed in plain text.
    assert!(
        !log.lines()
            .any(|l| l.contains("C: AUTH") && !l.contains("[TLS]")),
        "{log}"
    );
}

/// With --require-tls, AUTH before STARTTLS is refused (530, RFC 3207 §4).
#[test]
fn auth_before_starttls_is_refused_when_tls_is_required() {
    let serve = Serve::start(&["--require-tls"]);
    let url = format!("smtp://127.0.0.1:{}", serve.port(587));
    let out = run(
        "curl",
        &[
            "-sS",
            "--url",
            &url,
            "--mail-from",
            "alice@example.net",
            "--mail-rcpt",
            "bob@example.net",
            "--user",
            "alice:secret",
            "--upload-file",
            "-",
        ],
        MESSAGE,
    );
    assert_ne!(out.status, 0, "curl should fail: {}", out.stdout);
    let log = serve.wait_for("S: 530 5.7.0 Must issue a STARTTLS command first", 1);
    assert!(!log.contains("stored message"), "{log}");
}

/// swaks, plain and pipelined, and with TLS + AUTH LOGIN.
#[test]
fn swaks_with_and_without_pipelining_and_with_tls_auth() {
    let serve = Serve::start(&[]);
    let mx = format!("127.0.0.1:{}", serve.port(25));
    let sub = format!("127.0.0.1:{}", serve.port(587));
    let base = [
        "--to",
        "bob@example.net",
        "--from",
        "carol@example.org",
        "--helo",
        "swaks.example.org",
    ];
    let plain = run("swaks", &[&base[..], &["--server", &mx]].concat(), "");
    assert_eq!(plain.status, 0, "{}{}", plain.stdout, plain.stderr);
    let piped = run(
        "swaks",
        &[&base[..], &["--server", &mx, "--pipeline"]].concat(),
        "",
    );
    assert_eq!(piped.status, 0, "{}{}", piped.stdout, piped.stderr);
    let tls = run(
        "swaks",
        &[
            &base[..],
            &[
                "--server",
                &sub,
                "-tls",
                "--auth",
                "LOGIN",
                "--auth-user",
                "alice",
                "--auth-password",
                "secret",
            ],
        ]
        .concat(),
        "",
    );
    assert_eq!(tls.status, 0, "{}{}", tls.stdout, tls.stderr);
    let log = serve.wait_for("stored message for bob@example.net", 3);
    assert!(
        log.contains("S: 334 VXNlcm5hbWU6") && log.contains("S: 334 UGFzc3dvcmQ6"),
        "{log}"
    );
    assert!(
        log.contains("[TLS] S: 235 2.7.0 Authentication successful"),
        "{log}"
    );
}

/// Postfix's load generator: 200 messages over 10 concurrent sessions, HELO not EHLO.
#[test]
fn smtp_source_sends_200_messages_in_10_sessions_and_none_is_lost() {
    let serve = Serve::start(&[]);
    let target = format!("127.0.0.1:{}", serve.port(25));
    let out = run(
        "smtp-source",
        &[
            "-c",
            "-m",
            "200",
            "-s",
            "10",
            "-f",
            "load@example.org",
            "-t",
            "bob@example.net",
            &target,
        ],
        "",
    );
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    let log = serve.wait_for("stored message for bob@example.net", 200);
    assert_eq!(
        log.matches("stored message for bob@example.net").count(),
        200
    );
    assert!(log.contains("as UID 200 "), "UIDs run 1..=200");
}

/// OpenSSL's own client negotiates TLS after STARTTLS and sees our certificate.
#[test]
fn openssl_s_client_negotiates_starttls() {
    let serve = Serve::start(&[]);
    let target = format!("127.0.0.1:{}", serve.port(587));
    let out = run(
        "openssl",
        &[
            "s_client",
            "-starttls",
            "smtp",
            "-connect",
            &target,
            "-brief",
        ],
        "QUIT\r\n",
    );
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("Protocol version: TLSv1.3") || all.contains("Protocol version: TLSv1.2"),
        "{all}"
    );
    serve.wait_for("TLS established (STARTTLS)", 1);
}

/// Over the connection cap, port 465 says 421 inside TLS (RFC 8314 §3.3): a client sees a
/// reply, not a TLS error caused by plain text.
#[test]
fn the_busy_reply_on_465_is_sent_inside_tls() {
    let serve = Serve::start(&["--max-connections", "1"]);
    let _held = std::net::TcpStream::connect(("127.0.0.1", serve.port(25))).unwrap();
    serve.wait_for("connected from", 1);
    let script = format!(
        "import smtplib, ssl\n\
         ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE\n\
         try:\n    smtplib.SMTP_SSL('127.0.0.1', {}, context=ctx, timeout=20)\n\
         except smtplib.SMTPConnectError as e:\n    print('refused', e.smtp_code)\n",
        serve.port(465)
    );
    let out = run(support::PYTHON, &["-c", &script], "");
    assert_eq!(
        out.stdout.trim(),
        "refused 421",
        "{} {}",
        out.stdout,
        out.stderr
    );
}

/// A TLS handshake over a slow link completes: the client is silent 1.5 s before its
/// ClientHello and before each of its later flights, as over a 1.5 s round trip (the bridge once
/// gave up after 1 s of silence, so such a client could never start TLS). Port 465, then
/// the 220 greeting inside TLS.
#[test]
fn a_tls_handshake_over_a_slow_link_completes() {
    let serve = Serve::start(&[]);
    let script = format!(
        "import socket, ssl, time\n\
         ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE\n\
         sock = socket.create_connection(('127.0.0.1', {}), timeout=20)\n\
         inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()\n\
         tls = ctx.wrap_bio(inc, out)\n\
         flights = 0\n\
         while flights < 10:\n\
         \x20   try:\n\
         \x20       tls.do_handshake(); break\n\
         \x20   except ssl.SSLWantReadError:\n\
         \x20       time.sleep(1.5); sock.sendall(out.read()); flights += 1\n\
         \x20       inc.write(sock.recv(65536))\n\
         time.sleep(1.5); sock.sendall(out.read())\n\
         data = b''\n\
         while b'\\r\\n' not in data:\n\
         \x20   try:\n\
         \x20       data += tls.read(512)\n\
         \x20   except ssl.SSLWantReadError:\n\
         \x20       chunk = sock.recv(65536)\n\
         \x20       if not chunk: break\n\
         \x20       inc.write(chunk)\n\
         print(flights, data.decode().split(' ')[0])\n",
        serve.port(465)
    );
    let out = run(PYTHON, &["-c", &script], "");
    let mut answer = out.stdout.split_whitespace();
    let flights: u32 = answer.next().and_then(|f| f.parse().ok()).unwrap_or(0);
    assert!(flights >= 1, "{} {}", out.stdout, out.stderr);
    assert_eq!(answer.next(), Some("220"), "{} {}", out.stdout, out.stderr);
}

/// RFC 5321 §4.4: "When an SMTP server receives a message for delivery or further
/// processing, it MUST insert trace ("time stamp" or "Received") information at the
/// beginning of the message content". smtplib delivers on port 25 and poplib reads the
/// message back: the bridge's Received: line names smtplib's EHLO, the protocol and the
/// recipient (there was none before).
#[test]
fn a_message_delivered_through_the_bridge_carries_its_received_line() {
    let serve = Serve::start(&[]);
    let script = format!(
        "import smtplib, poplib\n\
         s = smtplib.SMTP('127.0.0.1', {}, local_hostname='laptop.example.org', timeout=20)\n\
         s.sendmail('alice@example.org', ['bob@example.net'], 'Subject: trace\\r\\n\\r\\nHi.\\r\\n')\n\
         s.quit()\n\
         p = poplib.POP3('127.0.0.1', {}, timeout=20)\n\
         p.user('bob'); p.pass_('secret')\n\
         for line in p.retr(1)[1][:4]:\n\
         \x20   print(line.decode())\n\
         p.quit()\n",
        serve.port(25),
        serve.port(110)
    );
    let out = run(PYTHON, &["-c", &script], "");
    let lines: Vec<&str> = out.stdout.lines().collect();
    let received = lines
        .iter()
        .position(|l| l.starts_with("Received: "))
        .unwrap_or_else(|| panic!("no Received: line in {lines:?} {}", out.stderr));
    let trace = lines[received..].join(" ");
    assert!(
        trace.starts_with("Received: from laptop.example.org"),
        "{trace}"
    );
    assert!(trace.contains(" with ESMTP"), "{trace}");
    assert!(trace.contains("for <bob@example.net>;"), "{trace}");
}
