//! Pasted logs: every fixture captured from a real tool reads into the expected numbers of
//! commands and replies with no finding; the same logs with a fault seeded in them give the
//! finding the fault deserves; secrets stay hidden until revealed; a log at the size limit is
//! read whole and quickly, a longer one cut with a notice.
// Test code: a panic here is a failing test, which is what it should be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Instant as Clock;

use postroom_proto::pop3::Pop3Narrator;
use postroom_proto::session::Narrator;
use postroom_proto::smtp::SmtpNarrator;
use postroom_sim::log::{
    read, read_rawlog, FindingKind, Format, Kind, Log, Options, Side, HIDDEN, MAX_LINES,
};
use postroom_sim::Protocol;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/logs/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_fixture(name: &str) -> Log {
    read(&fixture(name), &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A fixture with a fault seeded in it: each (from, to) replaced once.
fn seeded(name: &str, edits: &[(&str, &str)]) -> Log {
    let mut text = fixture(name);
    for (from, to) in edits {
        assert!(text.contains(from), "{name} has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    read(&text, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(log: &Log) -> Vec<String> {
    log.findings.iter().map(|f| f.title.clone()).collect()
}

fn kinds(log: &Log) -> Vec<FindingKind> {
    log.findings.iter().map(|f| f.kind).collect()
}

// ---- Every fixture reads cleanly ----

#[test]
fn every_fixture_reads_into_its_commands_and_replies_with_no_finding() {
    use Format::*;
    use Protocol::{Imap, Pop3, Smtp};
    let expected: [(&str, Format, Protocol, usize, usize); 27] = [
        ("swaks-smtp.log", Swaks, Smtp, 5, 7),
        ("swaks-submission-starttls.log", Swaks, Smtp, 8, 10),
        ("swaks-submission-pipelining.log", Swaks, Smtp, 6, 10),
        ("swaks-unknown-recipient.log", Swaks, Smtp, 4, 5),
        ("swaks-postfix.log", Swaks, Smtp, 5, 7),
        ("curl-smtp.log", Curl, Smtp, 4, 6),
        ("curl-submission-starttls.log", Curl, Smtp, 7, 10),
        ("curl-pop3.log", Curl, Pop3, 3, 5),
        ("curl-imap.log", Curl, Imap, 4, 5),
        ("python-smtplib-starttls.log", Python, Smtp, 8, 9),
        ("python-smtplib-debuglevel2.log", Python, Smtp, 5, 7),
        ("python-poplib.log", Python, Pop3, 8, 8),
        ("python-imaplib.log", Python, Imap, 8, 9),
        ("python-imaplib-dovecot.log", Python, Imap, 8, 9),
        ("openssl-smtps.log", Plain, Smtp, 6, 8),
        ("openssl-smtp-starttls.log", Plain, Smtp, 6, 8),
        ("openssl-pop3-starttls.log", Plain, Pop3, 8, 8),
        ("openssl-imap-starttls.log", Plain, Imap, 7, 8),
        ("telnet-pop3.log", Plain, Pop3, 7, 8),
        ("telnet-smtp.log", Plain, Smtp, 5, 7),
        ("dovecot-imap-session.rawlog", Rawlog, Imap, 8, 9),
        ("dovecot-pop3-sorted.rawlog", Rawlog, Pop3, 3, 4),
        ("postfix-smtpd-verbose.log", Postfix, Smtp, 5, 7),
        ("postfix-smtp-verbose.log", Postfix, Smtp, 5, 6),
        ("rfc-serve-submission-starttls.log", Rfc, Smtp, 8, 10),
        ("rfc-serve-pop3-stls.log", Rfc, Pop3, 9, 10),
        ("rfc-serve-imap-starttls.log", Rfc, Imap, 9, 11),
    ];
    for (name, format, protocol, commands, replies) in expected {
        let log = read_fixture(name);
        let said = (log.format, log.protocol(), log.commands(), log.replies());
        assert_eq!(said, (format, protocol, commands, replies), "{name}");
        assert!(log.findings.is_empty(), "{name}: {:#?}", log.findings);
        // Every unit is explained, and the timeline has one step for each.
        assert!(log.units.iter().all(|u| !u.explanation.title.is_empty()));
        assert_eq!(log.timeline(false).steps.len(), log.units.len(), "{name}");
    }
}

#[test]
fn a_rawlog_pair_reads_as_the_files_dovecot_wrote() {
    let login = read_rawlog(
        &fixture("dovecot-imap-login.in"),
        &fixture("dovecot-imap-login.out"),
        &Options::default(),
    )
    .unwrap();
    // Dovecot's login process hands over after LOGIN: its answer is in the other pair.
    assert_eq!((login.commands(), login.replies()), (2, 2));
    let after = read_rawlog(
        &fixture("dovecot-imap.in"),
        &fixture("dovecot-imap.out"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(after.protocol(), Protocol::Imap);
    assert_eq!((after.commands(), after.replies()), (6, 7));
    // It begins after a login it does not show: not a finding.
    assert!(after.findings.is_empty(), "{:#?}", after.findings);
    assert_eq!(after.units.first().unwrap().server_state, "authenticated");
}

#[test]
fn what_the_tools_leave_out_is_said_and_kept_in_step() {
    // curl does not print the message it uploads; the 250 after it still answers it.
    let curl = read_fixture("curl-smtp.log");
    let message = curl.units.iter().find(|u| u.kind == Kind::Message).unwrap();
    assert!(!message.complete);
    assert!(message.explanation.title.contains("134 octets"));
    assert!(curl.notices.iter().any(|n| n.contains("still open")));
    // Postfix's smtpd logs neither the message nor its period.
    let postfix = read_fixture("postfix-smtpd-verbose.log");
    let titles: Vec<&str> = postfix
        .units
        .iter()
        .map(|u| u.explanation.title.as_str())
        .collect();
    assert!(titles.contains(&"A line of the message"), "{titles:?}");
    assert!(titles.contains(&"Message accepted: the server is now responsible for it"));
    // imaplib says how long a literal was, not what it held.
    let imaplib = read_fixture("python-imaplib.log");
    assert!(imaplib
        .units
        .iter()
        .any(|u| u.kind == Kind::Note && u.bytes == b"21 octets of a literal are not in the log"));
}

#[test]
fn the_protocol_is_read_from_the_dialogue_and_can_be_chosen() {
    assert_eq!(
        read_fixture("telnet-pop3.log").detection.why,
        "the server's greeting starts with +OK"
    );
    let chosen = read(
        &fixture("telnet-pop3.log"),
        &Options {
            protocol: Some(Protocol::Smtp),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        (chosen.protocol(), chosen.detection.why.as_str()),
        (Protocol::Smtp, "chosen")
    );
    // Read as SMTP, POP3's lines are not commands SMTP knows.
    assert!(kinds(&chosen).contains(&FindingKind::Unreadable));
}

#[test]
fn explanations_are_the_narrators_own() {
    // Feeding the units to a fresh narrator gives the same explanations, unit for unit: the
    // console and the bridge read dialogues with the same code.
    let log = read_fixture("python-poplib.log");
    let mut narrator = Pop3Narrator::new();
    narrator.server_unit(b"+OK\r\n"); // the greeting poplib did not print
    for unit in &log.units {
        let e = match unit.side() {
            Some(Side::Client) => narrator.client_line(&unit.bytes),
            Some(Side::Server) => narrator.server_unit(&unit.bytes),
            None => continue,
        };
        assert_eq!(e, unit.explanation);
    }
    let log = read_fixture("swaks-submission-pipelining.log");
    let mut narrator = SmtpNarrator::new();
    for unit in &log.units {
        let e = match (unit.side(), unit.kind) {
            (Some(Side::Client), Kind::Message) => {
                for line in unit.bytes.split_inclusive(|&b| b == b'\n') {
                    narrator.client_line(line);
                }
                continue;
            }
            (Some(Side::Client), _) => narrator.client_line(&unit.bytes),
            (Some(Side::Server), _) => narrator.server_unit(&unit.bytes),
            (None, _) => continue,
        };
        assert_eq!(
            e,
            unit.explanation,
            "{:?}",
            String::from_utf8_lossy(&unit.bytes)
        );
    }
}

#[test]
fn a_log_holding_several_sessions_shows_the_one_chosen() {
    let both = fixture("postfix-smtpd-verbose.log") + &fixture("postfix-smtp-verbose.log");
    let first = read(&both, &Options::default()).unwrap();
    assert_eq!(first.sessions.len(), 2);
    assert!(first.notices.iter().any(|n| n.contains("2 sessions")));
    let second = read(
        &both,
        &Options {
            session: 1,
            ..Options::default()
        },
    )
    .unwrap();
    // The smtp client relays to postroom-serve: its greeting is Postroom's.
    assert!(second.units[0]
        .bytes
        .starts_with(b"220 mail.example.net ESMTP Postroom"));
    assert!(second.findings.is_empty(), "{:#?}", second.findings);
}

#[test]
fn an_unrecognised_paste_says_what_is_understood_and_what_could_not_be_read() {
    let e = read(
        "Dear support,\nmy mail does not arrive.\nThanks\n",
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(e.understood.len(), 7);
    assert_eq!(e.unread.first().map(|l| l.number), Some(1));
    let shown = e.to_string();
    assert!(
        shown.contains("swaks") && shown.contains("my mail does not arrive"),
        "{shown}"
    );
    assert!(read("", &Options::default()).is_err());
}

// ---- Secrets ----

#[test]
fn passwords_and_sasl_payloads_are_hidden_until_revealed() {
    let cases: [(&str, &[&str]); 7] = [
        ("swaks-submission-starttls.log", &["AGFsaWNlAHNlY3JldA=="]),
        ("swaks-submission-pipelining.log", &["YWxpY2U=", "c2VjcmV0"]),
        ("telnet-pop3.log", &["PASS secret"]),
        ("python-imaplib.log", &["\"secret\""]),
        ("curl-imap.log", &["AGJvYgBzZWNyZXQ="]),
        ("curl-submission-starttls.log", &["AGFsaWNlAHNlY3JldA=="]),
        ("curl-pop3.log", &["AGJvYgBzZWNyZXQ="]),
    ];
    for (name, secrets) in cases {
        let log = read_fixture(name);
        let hidden = log.transcript(false);
        let shown = log.transcript(true);
        for secret in secrets {
            assert!(
                !hidden.contains(secret),
                "{name}: {secret} shows in\n{hidden}"
            );
            assert!(shown.contains(secret), "{name}: {secret}");
        }
        assert!(hidden.contains(HIDDEN), "{name}");
        let step = log
            .timeline(false)
            .steps
            .into_iter()
            .find(|s| String::from_utf8_lossy(&s.bytes).contains(HIDDEN))
            .unwrap();
        assert!(step.explanation.why.contains("hidden here"), "{name}");
    }
    // Revealed, base64 shows what it only encodes.
    let log = read_fixture("swaks-submission-starttls.log");
    let i = log.units.iter().position(|u| u.secret.is_some()).unwrap();
    let why = log.shown_explanation(i, true).unwrap().why;
    assert!(why.contains("user \"alice\", password \"secret\""), "{why}");
}

// ---- Seeded faults ----

#[test]
fn rcpt_before_mail_is_out_of_sequence() {
    let log = seeded(
        "swaks-smtp.log",
        &[
            (
                " -> MAIL FROM:<alice@example.org>",
                " -> RCPT TO:<carol@example.net>",
            ),
            ("<-  250 2.1.0 Sender OK", "<** 503 5.5.1 Need MAIL first"),
        ],
    );
    assert_eq!(
        titles(&log),
        [
            "RCPT without a MAIL before it",
            "RCPT without a MAIL before it",
            "DATA without MAIL"
        ]
    );
    assert!(log
        .findings
        .iter()
        .all(|f| f.rule.label() == "RFC 5321 §4.1.4"));
}

#[test]
fn data_without_a_recipient_and_the_354_that_should_not_come() {
    let log = seeded(
        "telnet-smtp.log",
        &[("RCPT TO:<bob@example.net>\n250 2.1.5 Recipient OK\n", "")],
    );
    assert_eq!(
        titles(&log),
        [
            "DATA without a recipient",
            "354 although no recipient was accepted"
        ]
    );
    assert_eq!(log.findings[0].rule.label(), "RFC 5321 §3.3");
}

#[test]
fn a_354_to_rcpt_contradicts_the_command() {
    let log = seeded(
        "swaks-smtp.log",
        &[("<-  250 2.1.5 Recipient OK", "<-  354 2.1.5 Recipient OK")],
    );
    assert_eq!(titles(&log), ["354 does not answer RCPT"]);
    assert_eq!(log.findings[0].kind, FindingKind::Contradiction);
    assert_eq!(log.findings[0].rule.label(), "RFC 5321 §4.3.2");
    assert_eq!(log.findings[0].line, Some(15));
}

#[test]
fn pop3_retr_before_pass() {
    let log = seeded(
        "telnet-pop3.log",
        &[(
            "PASS secret\n+OK bob's maildrop has 8 messages (2288 octets)\n",
            "",
        )],
    );
    let t = titles(&log);
    for word in ["STAT", "UIDL", "RETR", "DELE"] {
        assert!(t.contains(&format!("{word} before logging in")), "{t:?}");
    }
    assert!(log.findings.iter().all(|f| f.rule.label() == "RFC 1939 §5"));
}

#[test]
fn imap_fetch_without_select() {
    let log = seeded(
        "python-imaplib.log",
        &[("  00:09.94 > b'HGJP2 SELECT INBOX'\n", "")],
    );
    let t = titles(&log);
    assert!(
        t.contains(&"FETCH without a selected mailbox".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(&"SEARCH without a selected mailbox".to_string()),
        "{t:?}"
    );
    assert!(log
        .findings
        .iter()
        .any(|f| f.rule.label() == "RFC 9051 §6.4"));
}

/// After the server's BYE (an autologout), the session is in the Logout state: a command sent
/// then is out of sequence whatever it is, and the finding says so, not "before logging in".
#[test]
fn a_command_after_the_servers_bye() {
    let text = "S: * OK IMAP4rev2 ready\r\nC: a1 LOGIN bob secret\r\nS: a1 OK logged in\r\n\
                C: a2 SELECT INBOX\r\nS: * 1 EXISTS\r\nS: a2 OK [READ-WRITE] done\r\n\
                S: * BYE Autologout; idle for too long\r\nC: a3 FETCH 1 (FLAGS)\r\n";
    let log = read(text, &Options::default()).unwrap();
    assert_eq!(titles(&log), ["FETCH after the server's BYE"]);
    assert_eq!(log.findings[0].kind, FindingKind::OutOfSequence);
    assert_eq!(log.findings[0].rule.label(), "RFC 9051 §3.4");
}

#[test]
fn a_session_that_ends_without_its_goodbye() {
    let smtp = seeded(
        "swaks-smtp.log",
        &[(
            " -> QUIT\n<-  221 2.0.0 mail.example.net closing connection\n",
            "",
        )],
    );
    assert_eq!(titles(&smtp), ["The session ends without QUIT"]);
    assert_eq!(smtp.findings[0].rule.label(), "RFC 5321 §4.1.1.10");
    let pop3 = seeded(
        "telnet-pop3.log",
        &[(
            "QUIT\n+OK mail.example.net POP3 server signing off (7 messages left)\n",
            "",
        )],
    );
    assert_eq!(
        titles(&pop3),
        ["The session ends without QUIT: nothing was deleted"]
    );
    assert!(pop3.findings[0]
        .why
        .contains("1 message marked with DELE stays"));
    let imap = seeded(
        "rfc-serve-imap-starttls.log",
        &[(
            "[imap #17] [TLS] C: a7 LOGOUT    ; Goodbye\n\
             [imap #17] [TLS] S: * BYE Postroom IMAP server logging out\n\
             [imap #17] [TLS] S: a7 OK LOGOUT completed\n",
            "",
        )],
    );
    assert_eq!(titles(&imap), ["The session ends without LOGOUT"]);
    assert_eq!(imap.findings[0].rule.label(), "RFC 9051 §6.1.3");
}

#[test]
fn starttls_followed_by_more_plain_text() {
    // swaks marks each line: the same session with the TLS lines sent as plain text.
    let mut text = fixture("swaks-submission-starttls.log");
    text = text.replace(
        "=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256\n",
        "",
    );
    text = text.replace(" ~> ", " -> ").replace("<~  ", "<-  ");
    let log = read(&text, &Options::default()).unwrap();
    assert_eq!(titles(&log), ["Plain text after STARTTLS"]);
    assert_eq!(log.findings[0].rule.label(), "RFC 3207 §4");
    // A command pipelined right behind STARTTLS crosses in plain text.
    let log = seeded(
        "rfc-serve-submission-starttls.log",
        &[(
            "[submission #2] C: STARTTLS    ; Switch this connection to encryption (TLS)\n",
            "[submission #2] C: STARTTLS\n[submission #2] C: NOOP\n",
        )],
    );
    assert!(titles(&log)
        .contains(&"A command sent right after STARTTLS, before its answer".to_string()));
    // In a telnet session nothing can start TLS: going on after 220 is plain text.
    let log = seeded(
        "telnet-smtp.log",
        &[(
            "MAIL FROM:",
            "STARTTLS\n220 2.0.0 Ready to start TLS\nMAIL FROM:",
        )],
    );
    assert!(
        kinds(&log).contains(&FindingKind::PlainTextAfterStartTls),
        "{:#?}",
        log.findings
    );
    // POP3's STLS and IMAP's STARTTLS are watched too.
    for (name, rule) in [
        ("rfc-serve-pop3-stls.log", "RFC 2595 §4"),
        ("rfc-serve-imap-starttls.log", "RFC 9051 §6.2.1"),
    ] {
        let text = fixture(name).replace("[TLS] ", "");
        let text: String = text
            .lines()
            .filter(|l| !l.contains("TLS established"))
            .map(|l| format!("{l}\n"))
            .collect();
        let log = read(&text, &Options::default()).unwrap();
        assert_eq!(kinds(&log), [FindingKind::PlainTextAfterStartTls], "{name}");
        assert_eq!(log.findings[0].rule.label(), rule);
    }
}

#[test]
fn lines_the_decoders_refuse() {
    let log = seeded(
        "telnet-smtp.log",
        &[(
            "MAIL FROM:<alice@example.org>",
            "MAIL FORM:<alice@example.org>",
        )],
    );
    let t = titles(&log);
    assert_eq!(
        t.first().map(String::as_str),
        Some("Arguments SMTP's decoder refuses: MAIL FORM:<alice@example.org>")
    );
    assert_eq!(log.findings[0].rule.label(), "RFC 5321 §4.1.2");
    let log = seeded(
        "telnet-smtp.log",
        &[("HELO laptop.example.org", "HELLO laptop.example.org")],
    );
    assert_eq!(
        titles(&log)[0],
        "A command SMTP's decoder does not know: HELLO laptop.example.org"
    );
    let log = seeded(
        "openssl-imap-starttls.log",
        &[("a3 SELECT INBOX", "SELECT INBOX")],
    );
    assert!(titles(&log).contains(&"A command without its tag: SELECT INBOX".to_string()));
    let log = seeded("telnet-pop3.log", &[("+OK 8 2288", "+YES 8 2288")]);
    assert_eq!(log.findings[0].kind, FindingKind::Unreadable);
    // A finding never shows a secret.
    let log = seeded(
        "swaks-submission-starttls.log",
        &[("AUTH PLAIN AGFs", "AUTH PLAIN !AGFs")],
    );
    assert_eq!(log.findings[0].kind, FindingKind::Unreadable);
    assert!(
        log.findings.iter().all(|f| !f.title.contains("AGFs")),
        "{:#?}",
        log.findings
    );
}

#[test]
fn s_client_taking_a_line_as_its_own_command_is_explained() {
    let log = read_fixture("openssl-pop3-renegotiating.log");
    assert!(
        log.notices.iter().any(|n| n.contains("\"RETR 2\"")),
        "{:?}",
        log.notices
    );
    assert_eq!(
        titles(&log),
        ["The session ends without QUIT: nothing was deleted"]
    );
}

// ---- Replay ----

#[test]
fn replaying_a_log_into_postrooms_server() {
    let clean = read_fixture("swaks-submission-pipelining.log").replay();
    assert!(clean.findings.is_empty(), "{:#?}", clean.findings);
    assert!(clean.stopped.is_none(), "{clean:#?}");
    // The log's credentials log in on Postroom's server too.
    assert!(clean
        .lines
        .iter()
        .any(|l| l.answer.iter().any(|a| a.starts_with("235"))));
    // RCPT before MAIL: the rules find it, and Postroom's server answers it with 503 (the
    // replay adds no finding where the rules found one).
    let log = seeded(
        "swaks-smtp.log",
        &[(
            " -> MAIL FROM:<alice@example.org>",
            " -> RCPT TO:<carol@example.net>",
        )],
    );
    let replay = log.replay();
    let rcpt = replay
        .lines
        .iter()
        .find(|l| l.sent.starts_with("RCPT TO:<carol"))
        .unwrap();
    assert!(rcpt.answer.iter().any(|a| a.starts_with("503")), "{rcpt:?}");
    assert!(replay.findings.is_empty());
    // The message Postfix did not log cannot be replayed.
    let replay = read_fixture("postfix-smtpd-verbose.log").replay();
    assert!(replay.stopped.is_some());
}

// ---- Bounds ----

#[test]
fn a_megabyte_log_is_read_whole_and_a_longer_one_is_cut_with_a_notice() {
    // One long session: swaks's message lines repeated until the log nears 1 MB.
    let text = fixture("swaks-smtp.log");
    let (head, tail) = text.split_once(" -> .\n").unwrap();
    let mut big = head.to_string();
    let line = " -> A line of a long message, long enough to fill a megabyte soon.\n";
    while big.len() + line.len() + tail.len() + 10 < 999_000 {
        big.push_str(line);
    }
    big.push_str(" -> .\n");
    big.push_str(tail);
    let lines = big.lines().count();
    assert!(lines < MAX_LINES + 1 || big.len() <= 1_000_000);
    let started = Clock::now();
    let log = read(&big, &Options::default()).unwrap();
    let timeline = log.timeline(false);
    let elapsed = started.elapsed();
    println!("{} octets, {lines} lines: read in {elapsed:?}", big.len());
    assert!(elapsed.as_secs() < 10, "{elapsed:?}");
    assert!(timeline.steps.len() < 20);
    let cut = log.notices.iter().any(|n| n.contains("were read"));
    assert_eq!(cut, lines > MAX_LINES);
    // Twice as long: cut at the limit, with a notice.
    let huge = big.clone() + &big;
    let log = read(&huge, &Options::default()).unwrap();
    assert!(
        log.notices.iter().any(|n| n.contains("were read")),
        "{:?}",
        log.notices
    );
    // Many short units: 20,000 lines of NOOP and 250.
    let mut many = String::from("220 mx ESMTP\n");
    for _ in 0..12_000 {
        many.push_str("NOOP\n250 OK\n");
    }
    let started = Clock::now();
    let log = read(&many, &Options::default()).unwrap();
    let steps = log.timeline(true).steps.len();
    println!(
        "{} lines: {steps} steps in {:?}",
        many.lines().count(),
        started.elapsed()
    );
    assert_eq!(steps, MAX_LINES);
    assert!(log.notices.iter().any(|n| n.contains("20000 lines")));
}

#[test]
fn one_line_over_the_limit_is_said_in_the_singular() {
    // The greeting and 20,000 lines of NOOP and 250: one line too many.
    let text = String::from("220 mx ESMTP\n") + &"NOOP\n250 OK\n".repeat(MAX_LINES / 2);
    let log = read(&text, &Options::default()).unwrap();
    assert!(
        log.notices
            .iter()
            .any(|n| n.ends_with("1 MB of a log. The line after them was left out.")),
        "{:?}",
        log.notices
    );
}

#[test]
fn twenty_thousand_lines_of_anything_are_read_in_time() {
    let many = |line: &dyn Fn(usize) -> String| -> String {
        (0..MAX_LINES).map(|i| line(i) + "\n").collect()
    };
    let logs = [
        // Commands piling up with no answer: the client's state counts them.
        many(&|i| format!("C: a{i} SELECT INBOX")),
        many(&|_| "C: MAIL FROM:<a@example.org>".to_string()),
        many(&|_| "C: PASS secret".to_string()),
        // A server that never completes: one long response.
        format!("S: * OK hi\n{}", many(&|i| format!("S: * {i} EXISTS"))),
        format!("S: 220 hi\n{}", many(&|_| "S: 250-PIPELINING".to_string())),
        // A session tag or a process per line.
        many(&|i| format!("[smtp #{i}] C: NOOP")),
        many(&|i| format!("Dec 04 host postfix/smtpd[{i}]: < x[1.2.3.4]: NOOP")),
        // Literals that announce more than there is.
        many(&|i| format!("C: a{i} APPEND INBOX {{99999999999}}")),
        // One line of a megabyte.
        format!("S: 220 {}\n", "x".repeat(999_000)),
    ];
    for text in &logs {
        let started = Clock::now();
        let log = read(text, &Options::default());
        if let Ok(log) = &log {
            log.timeline(false);
            log.replay();
        }
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 5, "{elapsed:?} for {}", &text[..40]);
    }
}

#[test]
fn a_log_whose_secrets_are_already_hidden_reads_without_finding_them_wrong() {
    // A shared link carries the dialogue with its secrets hidden: read back, each hidden line
    // is explained as the command it is, and no decoder refuses it.
    for name in [
        "swaks-submission-starttls.log",
        "swaks-submission-pipelining.log",
        "python-poplib.log",
        "python-imaplib.log",
    ] {
        let log = read_fixture(name);
        let masked = read(&log.transcript(false), &Options::default()).unwrap();
        assert!(masked.transcript(true).contains(HIDDEN), "{name}");
        assert!(masked.findings.is_empty(), "{name}: {:#?}", masked.findings);
        let hidden = masked
            .units
            .iter()
            .filter(|u| String::from_utf8_lossy(&u.bytes).contains(HIDDEN));
        for unit in hidden {
            let title = &unit.explanation.title;
            assert!(!title.contains("refuse"), "{name}: {title}");
        }
    }
}
