//! Live mode's stream, end to end: scripted SMTP, POP3 and IMAP sessions against
//! `postroom-serve --web` produce the expected events in order, secrets hidden unless asked,
//! and a watcher that reconnects gets what it missed; the pages are served beside it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use postroom_proto::live::{LiveEvent, Record, Sender};
use support::{Connection, Serve};
use tungstenite::Message;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The bridge in live mode, serving this crate's test pages folder.
fn start(extra: &[&str]) -> (Serve, u16) {
    let web = free_port();
    let root = std::env::temp_dir().join(format!("postroom-live-{}-{web}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("live.html"), "<!doctype html><title>live</title>").unwrap();
    let addr = format!("127.0.0.1:{web}");
    let mut args = vec![
        "--web",
        &addr,
        "--web-root",
        root.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    (Serve::start(&args), web)
}

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn watch(web: u16, since: u64) -> Socket {
    let (ws, _) = tungstenite::connect(format!("ws://127.0.0.1:{web}/live/stream?since={since}"))
        .expect("connect to the live stream");
    if let tungstenite::stream::MaybeTlsStream::Plain(tcp) = ws.get_ref() {
        tcp.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
    }
    ws
}

/// Reads records until `done` says the list is complete (10 s at most).
fn read_until(ws: &mut Socket, mut done: impl FnMut(&[Record]) -> bool) -> Vec<Record> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut records = Vec::new();
    while !done(&records) {
        assert!(
            Instant::now() < deadline,
            "stream so far: {:#?}",
            records
                .iter()
                .map(|r: &Record| &r.event)
                .collect::<Vec<_>>()
        );
        match ws.read() {
            Ok(Message::Text(text)) => {
                for line in text.as_str().lines() {
                    records.push(serde_json::from_str(line).expect("one JSON record per line"));
                }
            }
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("stream ended: {e}"),
        }
    }
    records
}

fn closed(records: &[Record], n: usize) -> bool {
    records
        .iter()
        .filter(|r| matches!(r.event, LiveEvent::Closed { .. }))
        .count()
        >= n
}

/// A session's lines, as `C: text` / `S: text`, with their titles.
fn lines(records: &[Record], session: u64) -> Vec<(String, String)> {
    records
        .iter()
        .filter_map(|r| match &r.event {
            LiveEvent::Line(l) if l.session == session => {
                let side = if l.from == Sender::Client { "C" } else { "S" };
                Some((format!("{side}: {}", l.text.trim_end()), l.title.clone()))
            }
            _ => None,
        })
        .collect()
}

fn session_of(records: &[Record], service: &str) -> u64 {
    records
        .iter()
        .find_map(|r| match &r.event {
            LiveEvent::Opened {
                session,
                service: s,
                ..
            } if s == service => Some(*session),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {service} session"))
}

/// Sends `line` and reads until `until` has arrived.
fn say(conn: &mut Connection, line: &str, until: &str) -> String {
    conn.send(line);
    let mut got = String::new();
    while !got.contains(until) {
        let mut buf = [0u8; 4096];
        let n = conn.reader.get_mut().read(&mut buf).unwrap();
        assert!(n > 0, "closed after {got:?}");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    got
}

fn smtp_pop3_imap(serve: &Serve) {
    let mut smtp = Connection::open(serve.port(587));
    say(&mut smtp, "", "220 ");
    say(&mut smtp, "EHLO laptop.example\r\n", "250 ");
    say(&mut smtp, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "235 ");
    say(&mut smtp, "MAIL FROM:<alice@example.net>\r\n", "250 ");
    say(&mut smtp, "RCPT TO:<bob@example.net>\r\n", "250 ");
    say(&mut smtp, "DATA\r\n", "354 ");
    say(
        &mut smtp,
        "Subject: live\r\n\r\nHello, class.\r\n.\r\n",
        "250 ",
    );
    say(&mut smtp, "QUIT\r\n", "221 ");
    let mut pop3 = Connection::open(serve.port(110));
    say(&mut pop3, "", "+OK");
    say(&mut pop3, "USER bob\r\n", "+OK");
    say(&mut pop3, "PASS secret\r\n", "+OK");
    say(&mut pop3, "RETR 1\r\n", "\r\n.\r\n");
    say(&mut pop3, "QUIT\r\n", "+OK");
    let mut imap = Connection::open(serve.port(143));
    say(&mut imap, "", "* OK");
    say(&mut imap, "a1 LOGIN bob secret\r\n", "a1 OK");
    say(&mut imap, "a2 SELECT INBOX\r\n", "a2 OK");
    say(&mut imap, "a3 FETCH 1 BODY[]\r\n", "a3 OK");
    say(&mut imap, "a4 LOGOUT\r\n", "a4 OK");
}

#[test]
fn smtp_pop3_and_imap_sessions_stream_in_order_with_secrets_hidden() {
    let (serve, web) = start(&[]);
    let mut ws = watch(web, 0);
    smtp_pop3_imap(&serve);
    let records = read_until(&mut ws, |r| closed(r, 3));
    // The settings first, then events numbered in order.
    let LiveEvent::Hello(settings) = &records[0].event else {
        panic!("no hello first: {:?}", records[0]);
    };
    assert_eq!(settings.ports.submission, serve.port(587));
    assert!(!settings.show_secrets);
    let seqs: Vec<u64> = records[1..].iter().map(|r| r.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");

    let smtp = session_of(&records, "submission");
    let dialogue = lines(&records, smtp);
    let said: Vec<&str> = dialogue.iter().map(|(l, _)| l.as_str()).collect();
    assert!(said[0].starts_with("S: 220 "), "{said:?}");
    assert_eq!(said[1], "C: EHLO laptop.example");
    assert_eq!(
        said[3], "C: AUTH PLAIN ••••••••",
        "the AUTH payload is hidden"
    );
    assert!(said.contains(&"C: Hello, class."));
    assert!(said.contains(&"C: QUIT"));
    // The explanations are the narrator's, with their RFC sections.
    let auth = records.iter().find_map(|r| match &r.event {
        LiveEvent::Line(l) if l.session == smtp && l.masked => Some(l.clone()),
        _ => None,
    });
    let auth = auth.expect("the AUTH line is marked as masked");
    assert!(auth.why.contains("--show-secrets"), "{}", auth.why);
    assert!(auth.rfc > 0 && !auth.section.is_empty());
    // Each line carries its explanation and the server's state as messages too, which read
    // as the same English the stream sends beside them (a page shows them in its language).
    let en = postroom_proto::i18n::english();
    for r in &records {
        let LiveEvent::Line(l) = &r.event else {
            continue;
        };
        let Some(said) = l.said.as_ref().and_then(|s| s.message()) else {
            panic!("no message for {:?}: {}", l.text, l.title)
        };
        assert_eq!(
            en.format_part(&said, "title").as_deref(),
            Some(l.title.as_str())
        );
        let state = l
            .state
            .said
            .as_ref()
            .and_then(|s| s.message())
            .expect("a state message");
        assert_eq!(
            en.format(state.id, &state.args).as_deref(),
            Some(l.state.en.as_str())
        );
    }
    let events: Vec<&LiveEvent> = records
        .iter()
        .map(|r| &r.event)
        .filter(|e| e.session() == Some(smtp))
        .filter(|e| !matches!(e, LiveEvent::Line(_) | LiveEvent::Mailbox { .. }))
        .collect();
    assert!(matches!(events[0], LiveEvent::Opened { protocol, .. } if protocol == "SMTP"));
    assert!(matches!(events[1], LiveEvent::LoggedIn { user, .. } if user == "alice"));
    assert!(
        matches!(events[2], LiveEvent::Stored { mailbox, uid: 1, .. } if mailbox == "bob@example.net"),
        "{events:?}"
    );
    assert!(matches!(events[3], LiveEvent::Closed { .. }));

    let pop3 = session_of(&records, "pop3");
    let said: Vec<String> = lines(&records, pop3).into_iter().map(|(l, _)| l).collect();
    assert!(said.contains(&"C: PASS ••••••••".to_string()), "{said:?}");
    assert!(said.iter().any(|l| l.contains("Hello, class.")), "{said:?}");
    let imap = session_of(&records, "imap");
    let dialogue = lines(&records, imap);
    assert_eq!(dialogue[1].0, "C: a1 LOGIN bob ••••••••");
    assert!(dialogue
        .iter()
        .any(|(l, _)| l.starts_with("C: a2 SELECT INBOX")));
    assert!(records.iter().any(
        |r| matches!(&r.event, LiveEvent::LoggedIn { session, user, .. } if *session == imap && user == "bob")
    ));
    // The mailboxes as the store has them, each change once: the delivery, then \Seen
    // set by the IMAP FETCH.
    let inbox: Vec<(u64, Vec<String>)> = records
        .iter()
        .filter_map(|r| match &r.event {
            LiveEvent::Mailbox {
                session,
                mailbox,
                messages,
                ..
            } if mailbox == "bob · INBOX" => {
                assert_eq!(messages[0].subject, "live");
                Some((*session, messages[0].flags.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        inbox,
        [(smtp, vec![]), (imap, vec!["\\Seen".to_string()])],
        "{inbox:?}"
    );
    // No password anywhere in the stream.
    let raw: String = records
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    assert!(!raw.contains("PASS secret") && !raw.contains("AGFsaWNlAHNlY3JldA=="));

    // A watcher that comes back after event N gets the settings and exactly what followed.
    let middle = records[records.len() / 2].seq;
    let mut again = watch(web, middle);
    let rest = read_until(&mut again, |r| closed(r, 1));
    assert!(matches!(rest[0].event, LiveEvent::Hello(_)));
    assert_eq!(rest[1].seq, middle + 1);
    let later: Vec<u64> = records
        .iter()
        .map(|r| r.seq)
        .filter(|s| *s > middle)
        .collect();
    let got: Vec<u64> = rest[1..].iter().map(|r| r.seq).collect();
    assert_eq!(got, later);
}

#[test]
fn show_secrets_shows_them() {
    let (serve, web) = start(&["--show-secrets"]);
    let mut pop3 = Connection::open(serve.port(110));
    say(&mut pop3, "", "+OK");
    say(&mut pop3, "USER bob\r\n", "+OK");
    say(&mut pop3, "PASS secret\r\n", "+OK");
    say(&mut pop3, "QUIT\r\n", "+OK");
    // Connected afterwards: the history has it all.
    let mut ws = watch(web, 0);
    let records = read_until(&mut ws, |r| closed(r, 1));
    assert!(matches!(&records[0].event, LiveEvent::Hello(s) if s.show_secrets));
    let said: Vec<String> = lines(&records, session_of(&records, "pop3"))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert!(said.contains(&"C: PASS secret".to_string()), "{said:?}");
}

/// The terminal's transcript hides the same secrets the stream does, by the same filter:
/// AUTH PLAIN's payload, AUTH LOGIN's answers, POP3's PASS and IMAP's LOGIN password.
fn secrets_in_the_terminal(extra: &[&str]) -> String {
    let serve = Serve::start(extra);
    let mut smtp = Connection::open(serve.port(587));
    say(&mut smtp, "", "220 ");
    say(&mut smtp, "EHLO laptop.example\r\n", "250 ");
    say(&mut smtp, "AUTH LOGIN\r\n", "334 ");
    say(&mut smtp, "YWxpY2U=\r\n", "334 ");
    say(&mut smtp, "c2VjcmV0\r\n", "235 ");
    say(&mut smtp, "QUIT\r\n", "221 ");
    smtp_pop3_imap(&serve);
    serve.wait_for("-- closed", 4)
}

#[test]
fn the_terminal_hides_secrets_unless_asked() {
    let log = secrets_in_the_terminal(&[]);
    for secret in [
        "AGFsaWNlAHNlY3JldA==",
        "c2VjcmV0",
        "PASS secret",
        "LOGIN bob secret",
    ] {
        assert!(!log.contains(secret), "{secret} in clear:\n{log}");
    }
    for hidden in [
        "C: AUTH PLAIN ••••••••",
        "C: ••••••••",
        "C: PASS ••••••••",
        "C: a1 LOGIN bob ••••••••",
    ] {
        assert!(log.contains(hidden), "no {hidden:?}:\n{log}");
    }
    // What is not a secret stays: the user name AUTH LOGIN sent first is hidden too (it
    // answers a challenge), but the commands around it are not.
    assert!(log.contains("C: AUTH LOGIN"), "{log}");
    assert!(log.contains("C: USER bob"), "{log}");

    let log = secrets_in_the_terminal(&["--show-secrets"]);
    for secret in [
        "C: AUTH PLAIN AGFsaWNlAHNlY3JldA==",
        "C: c2VjcmV0",
        "C: PASS secret",
        "C: a1 LOGIN bob secret",
    ] {
        assert!(log.contains(secret), "{secret} not shown:\n{log}");
    }
}

#[test]
fn the_starttls_line_itself_crosses_in_the_clear() {
    let (serve, web) = start(&[]);
    let mut ws = watch(web, 0);
    let mut smtp = Connection::open(serve.port(587));
    say(&mut smtp, "", "220 ");
    say(&mut smtp, "EHLO laptop.example\r\n", "250 ");
    say(&mut smtp, "STARTTLS\r\n", "220 ");
    // The handshake is left undone: the bridge gives up after its timeout, but the event
    // order up to here is what a watcher sees.
    let records = read_until(&mut ws, |r| {
        r.iter()
            .any(|r| matches!(&r.event, LiveEvent::Line(l) if l.text.starts_with("220 2.0.0")))
    });
    let starttls = records
        .iter()
        .find_map(|r| match &r.event {
            LiveEvent::Line(l) if l.text.starts_with("STARTTLS") => Some(l.clone()),
            _ => None,
        })
        .unwrap();
    assert!(!starttls.encrypted);
    assert!(
        starttls.title.to_lowercase().contains("tls"),
        "{}",
        starttls.title
    );
}

#[test]
fn the_pages_are_served_and_nothing_outside_them() {
    let (_serve, web) = start(&[]);
    let get = |path: &str| {
        let mut tcp = TcpStream::connect(("127.0.0.1", web)).unwrap();
        write!(tcp, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).unwrap();
        answer
    };
    let page = get("/live.html");
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("text/html") && page.contains("<title>live</title>"));
    assert!(get("/../Cargo.toml").starts_with("HTTP/1.1 404"));
    assert!(get("/%2e%2e/etc/passwd").starts_with("HTTP/1.1 404"));
    assert!(get("/live/stream").starts_with("HTTP/1.1 426"));
    // The page's question "is this the bridge?" gets the bridge's mark.
    let status = get("/live/status");
    assert!(status.starts_with("HTTP/1.1 200 OK"), "{status}");
    assert!(status.ends_with("\r\n\r\npostroom live\n"), "{status}");
    let mut tcp = TcpStream::connect(("127.0.0.1", web)).unwrap();
    write!(tcp, "POST /live/stream HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
}

/// The bridge's peak resident memory so far, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// 30 watchers and 50 mail sessions at once: every watcher gets every event, in order, with
/// no gap, and the bridge's memory stays bounded.
#[test]
fn thirty_watchers_and_fifty_sessions_at_once_lose_nothing() {
    const WATCHERS: usize = 30;
    const SESSIONS: usize = 50;
    let (serve, web) = start(&["--max-per-address", "100", "--max-connections", "200"]);
    let watchers: Vec<_> = (0..WATCHERS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut ws = watch(web, 0);
                read_until(&mut ws, |r| closed(r, SESSIONS))
            })
        })
        .collect();
    // Let every watcher connect before the mail starts.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let port = serve.port(587);
    let senders: Vec<_> = (0..SESSIONS)
        .map(|n| {
            std::thread::spawn(move || {
                let mut smtp = Connection::open(port);
                say(&mut smtp, "", "220 ");
                say(&mut smtp, &format!("EHLO host{n}.example\r\n"), "250 ");
                say(&mut smtp, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "235 ");
                say(&mut smtp, "MAIL FROM:<alice@example.net>\r\n", "250 ");
                say(&mut smtp, "RCPT TO:<bob@example.net>\r\n", "250 ");
                say(&mut smtp, "DATA\r\n", "354 ");
                let body: String = (0..20)
                    .map(|i| format!("line {i} of message {n}\r\n"))
                    .collect();
                say(
                    &mut smtp,
                    &format!("Subject: load {n}\r\n\r\n{body}.\r\n"),
                    "250 ",
                );
                say(&mut smtp, "QUIT\r\n", "221 ");
            })
        })
        .collect();
    for s in senders {
        s.join().unwrap();
    }
    let seen: Vec<Vec<Record>> = watchers.into_iter().map(|w| w.join().unwrap()).collect();
    let elapsed = started.elapsed();
    let first: Vec<u64> = seen[0][1..].iter().map(|r| r.seq).collect();
    assert!(
        first.windows(2).all(|w| w[1] == w[0] + 1),
        "a gap in the stream"
    );
    for (n, records) in seen.iter().enumerate() {
        let seqs: Vec<u64> = records[1..].iter().map(|r| r.seq).collect();
        assert_eq!(seqs, first, "watcher {n} saw another stream");
    }
    let lines = seen[0]
        .iter()
        .filter(|r| matches!(r.event, LiveEvent::Line(_)))
        .count();
    // Per session: 6 commands, the greeting and 7 replies (14; a multi-line reply is one),
    // and the 23 lines of the message (header, blank line, 20 lines, the period).
    assert_eq!(lines, SESSIONS * 37, "{lines} lines");
    let stored = seen[0]
        .iter()
        .filter(|r| matches!(r.event, LiveEvent::Stored { .. }))
        .count();
    assert_eq!(stored, SESSIONS);
    let rss = peak_rss_kib(serve.pid());
    println!(
        "load: {WATCHERS} watchers x {} events ({lines} lines, {SESSIONS} sessions) in {} ms; bridge peak RSS {} MB",
        first.len(),
        elapsed.as_millis(),
        rss / 1024
    );
    assert!(rss < 200 * 1024, "peak RSS {rss} KiB");
}
