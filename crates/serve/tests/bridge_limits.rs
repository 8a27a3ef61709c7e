//! The bridge under bad input over real TCP: over-long lines, talking before the greeting,
//! connections dropped mid-DATA, too many recipients, too many connections, password guessing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::io::{BufRead, Write};
use std::time::Duration;

use support::{Connection as Session, Serve};

#[test]
fn an_1100_octet_command_gets_500_and_the_session_continues() {
    let serve = Serve::start(&[]);
    let mut s = Session::open(serve.port(25));
    assert!(s.reply().starts_with("220 "));
    s.send(&format!("NOOP {}\r\nNOOP\r\n", "x".repeat(1100)));
    assert!(s.reply().starts_with("500 5.5.2 Line too long"));
    assert_eq!(s.reply(), "250 2.0.0 OK\r\n");
}

#[test]
fn a_client_talking_before_the_greeting_is_answered_in_order() {
    let serve = Serve::start(&[]);
    let mut s = Session::open(serve.port(25));
    // Sent at once, before reading anything.
    s.send("EHLO early.example.org\r\nNOOP\r\n");
    assert!(s.reply().starts_with("220 "));
    assert!(s.reply().starts_with("250-"));
    assert_eq!(s.reply(), "250 2.0.0 OK\r\n");
}

#[test]
fn a_connection_dropped_mid_data_stores_nothing_and_one_finished_is_stored() {
    let serve = Serve::start(&[]);
    let mut s = Session::open(serve.port(25));
    s.reply();
    s.send("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n");
    for _ in 0..4 {
        s.reply();
    }
    s.send("Subject: never finished\r\n\r\nhalf");
    drop(s);
    serve.wait_for("-- closed", 1);
    let mut s = Session::open(serve.port(25));
    s.reply();
    s.send("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\nSubject: done\r\n\r\nwhole\r\n.\r\nQUIT\r\n");
    let log = serve.wait_for("stored message for bob@example.net", 1);
    assert_eq!(log.matches("stored message").count(), 1);
    assert!(
        log.contains("as UID 1 "),
        "the dropped message took no UID: {log}"
    );
}

#[test]
fn the_101st_recipient_is_refused_with_452_over_tcp() {
    // 101 different mailboxes: a mailbox named twice counts once.
    let users: Vec<String> = (0..101)
        .flat_map(|n| ["--user".to_string(), format!("u{n}:pw")])
        .collect();
    let serve = Serve::start(&users.iter().map(String::as_str).collect::<Vec<_>>());
    let mut s = Session::open(serve.port(25));
    s.reply();
    let mut batch = String::from("EHLO c\r\nMAIL FROM:<a@example.org>\r\n");
    for n in 0..101 {
        batch += &format!("RCPT TO:<u{n}@example.net>\r\n");
    }
    s.send(&batch);
    s.reply();
    s.reply();
    for _ in 0..100 {
        assert_eq!(s.reply(), "250 2.1.5 Recipient OK\r\n");
    }
    assert_eq!(s.reply(), "452 4.5.3 Too many recipients\r\n");
}

#[test]
fn connections_over_the_cap_get_421() {
    let serve = Serve::start(&["--max-connections", "2"]);
    let mut first = Session::open(serve.port(25));
    let mut second = Session::open(serve.port(25));
    assert!(first.reply().starts_with("220 "));
    assert!(second.reply().starts_with("220 "));
    let mut third = Session::open(serve.port(25));
    assert_eq!(
        third.reply(),
        "421 4.7.0 Too many connections, try again later\r\n"
    );
    serve.wait_for("refused: too many connections", 1);
}

#[test]
fn imap_over_tcp_answers_an_oversized_line_and_a_huge_literal_with_bye() {
    let serve = Serve::start(&[]);
    let mut s = Session::open(serve.port(143));
    let mut line = String::new();
    s.reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("* OK [CAPABILITY IMAP4rev1"), "{line}");
    // Dovecot's answers, from the bad-input table.
    s.send("a LOGIN {4294967296}\r\n");
    let mut line = String::new();
    s.reader.read_line(&mut line).unwrap();
    assert_eq!(line, "* BYE Literal size too large\r\n");
    let mut s = Session::open(serve.port(143));
    let mut greeting = String::new();
    s.reader.read_line(&mut greeting).unwrap();
    s.send(&"x".repeat(70_000));
    let mut line = String::new();
    s.reader.read_line(&mut line).unwrap();
    assert_eq!(line, "* BYE Input buffer full\r\n");
}

/// IMAP password guessing over TCP: each refused login holds the connection a second, and
/// the third ends the session with BYE and closes it.
#[test]
fn imap_password_guessing_is_slowed_and_cut_off_after_three() {
    let serve = Serve::start(&[]);
    let mut s = Session::open(serve.port(143));
    let mut line = String::new();
    s.reader.read_line(&mut line).unwrap();
    let started = std::time::Instant::now();
    let mut answers = Vec::new();
    for guess in ["a", "b", "c"] {
        s.send(&format!("{guess} LOGIN bob {guess}\r\n"));
        let mut line = String::new();
        s.reader.read_line(&mut line).unwrap();
        answers.push(line);
    }
    assert!(started.elapsed() >= Duration::from_secs(2));
    for (answer, tag) in answers.iter().zip(["a", "b", "c"]) {
        assert!(
            answer.starts_with(&format!("{tag} NO [AUTHENTICATIONFAILED]")),
            "{answers:?}"
        );
    }
    let mut bye = String::new();
    s.reader.read_line(&mut bye).unwrap();
    assert!(bye.starts_with("* BYE "), "{bye}");
    let mut rest = String::new();
    assert_eq!(s.reader.read_line(&mut rest).unwrap(), 0, "closed: {rest}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut serve = Serve::start(&[]);
    let pid = serve.pid();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(serve.wait_exit(), Some(0));
    assert!(serve.log().contains("shutting down"));
}

/// Sends `count` messages to bob over port 25 with our client; how many were accepted.
fn send_many(serve: &Serve, count: usize) -> usize {
    use postroom_proto::message::Message;
    use postroom_proto::smtp::{ClientConfig, Mailbox, ReversePath, SmtpClient};
    let mut client = SmtpClient::new(
        ClientConfig::new("load.example.org"),
        postroom_proto::Instant::ZERO,
    );
    let from = ReversePath::Mailbox(Mailbox::try_from("load@example.org").unwrap());
    let to = Mailbox::try_from("bob@example.net").unwrap();
    let body = "A line of a message long enough to fill a pipe.\n".repeat(20);
    for n in 0..count {
        let m = Message::new(
            "load@example.org",
            "bob@example.net",
            &format!("Message {n}"),
            "Fri, 6 Mar 2026 09:00:00 +0000",
            &body,
        );
        client
            .send(from.clone(), vec![to.clone()], m.to_bytes())
            .unwrap();
    }
    client.quit();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], serve.port(25)));
    postroom_serve::drive::run_client(addr, client, Duration::from_secs(60))
        .unwrap()
        .accepted()
}

/// How many messages bob's maildrop holds, asked over POP3.
fn maildrop_count(serve: &Serve) -> String {
    let mut s = Session::open(serve.port(110));
    s.reply();
    s.send("USER bob\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
    let _user = s.reply();
    let _pass = s.reply();
    s.reply()
}

#[test]
fn a_transcript_nobody_reads_never_stops_the_server() {
    // 300 messages print far more than a pipe holds (64 KiB): the writes would block.
    let serve = Serve::start_with(&[], support::Stdout::Unread);
    assert_eq!(send_many(&serve, 300), 300);
    assert!(maildrop_count(&serve).starts_with("+OK 300 "));
}

#[test]
fn a_closed_stdout_never_kills_the_server_nor_loses_mail() {
    let serve = Serve::start_with(&[], support::Stdout::Closed);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(send_many(&serve, 20), 20);
    assert!(maildrop_count(&serve).starts_with("+OK 20 "));
    assert_eq!(send_many(&serve, 5), 5);
    assert!(maildrop_count(&serve).starts_with("+OK 25 "));
}

#[test]
fn quiet_leaves_the_transcripts_out() {
    let serve = Serve::start(&["--quiet"]);
    assert_eq!(send_many(&serve, 2), 2);
    std::thread::sleep(Duration::from_millis(300));
    let log = serve.log();
    assert!(log.contains("ready"), "{log}");
    assert!(!log.contains("C: MAIL FROM"), "{log}");
}

/// The server's peak resident memory, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    support::rss::peak_rss_kib(pid).unwrap()
}

/// Stores one message of about `octets` for bob, over SMTP.
fn deliver_big(serve: &Serve, octets: usize) {
    let mut s = Session::open(serve.port(25));
    s.reply();
    s.send("HELO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n");
    for _ in 0..3 {
        s.reply();
    }
    assert!(s.reply().starts_with("354"));
    let line = format!("{}\r\n", "x".repeat(998));
    s.send("Subject: big\r\n\r\n");
    for _ in 0..octets / line.len() {
        s.send(&line);
    }
    s.send(".\r\n");
    assert!(s.reply().starts_with("250"));
}

#[test]
fn pipelined_retrs_of_a_big_message_keep_the_servers_memory_bounded() {
    let serve = Serve::start(&["--quiet"]);
    deliver_big(&serve, 2_000_000);
    let before = peak_rss_kib(serve.pid());
    let tcp = std::net::TcpStream::connect(("127.0.0.1", serve.port(110))).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut writer = tcp.try_clone().unwrap();
    writer
        .write_all(
            format!(
                "USER bob\r\nPASS secret\r\n{}QUIT\r\n",
                "RETR 1\r\n".repeat(100)
            )
            .as_bytes(),
        )
        .unwrap();
    // Read everything: 100 copies of 2 MB.
    let mut total = 0usize;
    let mut reader = std::io::BufReader::new(tcp);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = std::io::Read::read(&mut reader, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert!(total > 200_000_000, "{total}");
    let grown_mib = peak_rss_kib(serve.pid()).saturating_sub(before) / 1024;
    println!("peak memory grew by {grown_mib} MiB for 100 pipelined RETRs of 2 MB");
    assert!(grown_mib < 64, "{grown_mib} MiB");
}

/// IMAP as POP3: 100 pipelined FETCH BODY.PEEK[] of a 2 MB message are answered a bounded
/// batch at a time (the server once built every answer before writing one: 300 took it from
/// 194 to 770 MiB).
#[test]
fn pipelined_imap_fetches_of_a_big_message_keep_the_servers_memory_bounded() {
    let serve = Serve::start(&["--quiet"]);
    deliver_big(&serve, 2_000_000);
    let before = peak_rss_kib(serve.pid());
    let tcp = std::net::TcpStream::connect(("127.0.0.1", serve.port(143))).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut writer = tcp.try_clone().unwrap();
    let fetches: String = (0..100)
        .map(|i| format!("f{i} FETCH 1 BODY.PEEK[]\r\n"))
        .collect();
    writer
        .write_all(
            format!("a LOGIN bob secret\r\nb SELECT INBOX\r\n{fetches}z LOGOUT\r\n").as_bytes(),
        )
        .unwrap();
    // Read everything: 100 copies of 2 MB, then LOGOUT's completion.
    let mut total = 0usize;
    let mut tail = Vec::new();
    let mut reader = std::io::BufReader::new(tcp);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = std::io::Read::read(&mut reader, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n;
        tail.extend_from_slice(&buf[..n]);
        let keep = tail.len().saturating_sub(64);
        tail.drain(..keep);
    }
    assert!(total > 200_000_000, "{total}");
    assert!(String::from_utf8_lossy(&tail).contains("z OK"), "{tail:?}");
    let grown_mib = peak_rss_kib(serve.pid()).saturating_sub(before) / 1024;
    println!("peak memory grew by {grown_mib} MiB for 100 pipelined IMAP FETCHes of 2 MB");
    assert!(grown_mib < 64, "{grown_mib} MiB");
}

#[test]
fn a_client_that_never_reads_is_let_go_and_the_maildrop_unlocked() {
    let serve = Serve::start(&["--quiet", "--write-timeout", "2"]);
    deliver_big(&serve, 2_000_000);
    let mut greedy = Session::open(serve.port(110));
    greedy.reply();
    // 120 MB of answers: more than the loopback buffers hold (tens of MB).
    greedy.send(&format!(
        "USER bob\r\nPASS secret\r\n{}",
        "RETR 1\r\n".repeat(60)
    ));
    // It never reads: the server's writes block, time out, and the session ends, which
    // releases the maildrop.
    let started = std::time::Instant::now();
    let login = loop {
        std::thread::sleep(Duration::from_millis(500));
        let mut owner = Session::open(serve.port(110));
        owner.reply();
        owner.send("USER bob\r\nPASS secret\r\n");
        owner.reply();
        let login = owner.reply();
        if login.starts_with("+OK") || started.elapsed() > Duration::from_secs(40) {
            break login;
        }
    };
    println!("the lock was released after {:?}", started.elapsed());
    assert!(login.starts_with("+OK"), "the lock was released: {login}");
    drop(greedy);
}

#[test]
fn a_flood_on_one_port_leaves_room_on_the_others() {
    let serve = Serve::start(&["--max-connections", "5"]);
    // Port 25 may take four of the five.
    let held: Vec<Session> = (0..4)
        .map(|_| {
            let mut s = Session::open(serve.port(25));
            assert!(s.reply().starts_with("220 "));
            s
        })
        .collect();
    let mut fifth = Session::open(serve.port(25));
    assert!(fifth.reply().starts_with("421 "));
    let mut pop3 = Session::open(serve.port(110));
    assert!(pop3.reply().starts_with("+OK"));
    drop(held);
}

#[test]
fn one_address_cannot_hold_every_connection() {
    let serve = Serve::start(&["--max-per-address", "3"]);
    let held: Vec<Session> = (0..3)
        .map(|_| {
            let mut s = Session::open(serve.port(25));
            assert!(s.reply().starts_with("220 "));
            s
        })
        .collect();
    let mut fourth = Session::open(serve.port(143));
    let answer = fourth.reply();
    assert!(
        answer.contains("too many connections from your address"),
        "{answer}"
    );
    drop(held);
}
