use super::*;
use crate::state::after;
use postroom_proto::live::{Line, Message, Ports};

fn record(seq: u64, event: LiveEvent) -> String {
    serde_json::to_string(&Record {
        seq,
        at_ms: seq * 10,
        event,
    })
    .unwrap()
}

fn line(session: u64, from: Sender, text: &str, encrypted: bool) -> LiveEvent {
    LiveEvent::Line(Line {
        session,
        from,
        text: text.to_string(),
        base64: false,
        cut: 0,
        encrypted,
        masked: false,
        title: format!("title of {}", text.trim_end()),
        why: "why".to_string(),
        rfc: 5321,
        section: "4.1.1.1".to_string(),
        state: "ready".into(),
        said: None,
    })
}

fn opened(session: u64) -> LiveEvent {
    LiveEvent::Opened {
        session,
        protocol: "SMTP".into(),
        service: "submission".into(),
        client: "127.0.0.1:50000".into(),
        port: 10587,
    }
}

fn hello() -> LiveEvent {
    LiveEvent::Hello(Settings {
        hostname: "mail.example.net".into(),
        domain: "example.net".into(),
        bind: "127.0.0.1".into(),
        ports: Ports {
            smtp: 10025,
            submission: 10587,
            submissions: 10465,
            pop3: 10110,
            imap: 10143,
        },
        users: vec![("alice".into(), "secret".into())],
        require_tls: false,
        fingerprint: "AB:CD".into(),
        show_secrets: false,
    })
}

fn batch(records: &[String]) -> LiveAction {
    LiveAction::Records(records.join("\n"))
}

#[test]
fn a_session_grows_line_by_line_and_the_page_follows_it() {
    let s = after(
        Rc::new(LiveState::default()),
        [
            batch(&[record(0, hello()), record(1, opened(1))]),
            batch(&[
                record(
                    2,
                    line(1, Sender::Server, "220 mail.example.net ESMTP\r\n", false),
                ),
                record(3, line(1, Sender::Client, "STARTTLS\r\n", false)),
                record(4, line(1, Sender::Server, "220 2.0.0 go ahead\r\n", false)),
            ]),
            batch(&[
                record(
                    5,
                    LiveEvent::Tls {
                        session: 1,
                        how: "STARTTLS (RFC 3207)".into(),
                    },
                ),
                record(6, line(1, Sender::Client, "EHLO laptop\r\n", true)),
            ]),
        ],
    );
    assert_eq!(s.selected, Some(1));
    assert_eq!(s.last_seq, 6);
    let session = s.selected_session().unwrap();
    assert_eq!(session.timeline.len(), 5);
    assert_eq!(s.playback.current, 4, "follows the newest line");
    let last = &session.timeline.steps[4];
    assert!(last.encrypted && last.direction == Direction::ClientToServer);
    assert_eq!(last.explanation.rfc.label(), "RFC 5321 §4.1.1.1");
    assert!(!session.timeline.steps[1].encrypted);
    assert_eq!(session.timeline.steps[3].direction, Direction::Local);
    assert!(session.tls);
}

#[test]
fn stepping_back_stops_following_until_the_last_step() {
    let s = after(
        Rc::new(LiveState::default()),
        [
            batch(&[
                record(1, opened(1)),
                record(2, line(1, Sender::Server, "220 hi\r\n", false)),
            ]),
            batch(&[record(3, line(1, Sender::Client, "EHLO x\r\n", false))]),
            LiveAction::Play(PlaybackAction::Back),
            batch(&[record(4, line(1, Sender::Server, "250 ok\r\n", false))]),
        ],
    );
    assert!(!s.follow);
    assert_eq!(s.playback.current, 0);
    assert_eq!(s.playback.len, 3);
    let s = after(s, [LiveAction::Play(PlaybackAction::Last)]);
    assert!(s.follow);
    let s = after(
        s,
        [batch(&[record(
            5,
            line(1, Sender::Client, "QUIT\r\n", false),
        )])],
    );
    assert_eq!(s.playback.current, 3);
}

#[test]
fn logins_mail_and_closing_are_told_and_a_session_saves_as_a_log_the_reader_takes() {
    let s = after(
        Rc::new(LiveState::default()),
        [batch(&[
            record(1, opened(1)),
            record(
                2,
                line(1, Sender::Server, "220 mail.example.net ESMTP\r\n", false),
            ),
            record(3, line(1, Sender::Client, "EHLO laptop\r\n", false)),
            record(
                4,
                line(
                    1,
                    Sender::Server,
                    "250-mail.example.net\r\n250 AUTH PLAIN\r\n",
                    false,
                ),
            ),
            record(
                5,
                LiveEvent::LoggedIn {
                    session: 1,
                    user: "alice".into(),
                    detail: Default::default(),
                },
            ),
            record(
                6,
                LiveEvent::Stored {
                    session: 1,
                    mailbox: "bob@example.net".into(),
                    uid: 1,
                    size: 120,
                },
            ),
            record(
                7,
                LiveEvent::Mailbox {
                    session: 1,
                    mailbox: "bob · INBOX".into(),
                    messages: vec![Message {
                        uid: 1,
                        size: 120,
                        subject: "Hello, class".into(),
                        flags: vec![],
                    }],
                    more: 0,
                },
            ),
            record(7, line(1, Sender::Client, "QUIT\r\n", false)),
            record(8, line(1, Sender::Server, "221 bye\r\n", false)),
            record(
                9,
                LiveEvent::Closed {
                    session: 1,
                    how: "closed".into(),
                },
            ),
        ])],
    );
    let session = s.session(1).unwrap();
    assert_eq!(session.user.as_deref(), Some("alice"));
    assert_eq!(session.progress, Progress::Closed("closed".into()));
    assert!(session.events.iter().any(|e| e.contains("UID 1")));
    let last = session.timeline.steps.last().unwrap();
    assert_eq!(last.mailboxes[0].title, "bob · INBOX");
    assert_eq!(last.mailboxes[0].entries[0].subject, "Hello, class");
    let log = session.log();
    assert!(
        log.contains("S: 250-mail.example.net\nS: 250 AUTH PLAIN\n"),
        "{log}"
    );
    let read = postroom_sim::log::read(&log, &Default::default()).expect("the log reader takes it");
    assert_eq!(read.protocol(), Protocol::Smtp);
    assert_eq!(read.commands(), 2);
}

#[test]
fn a_line_the_page_cannot_read_is_skipped_and_a_missed_opening_is_made_up() {
    let s = after(
        Rc::new(LiveState::default()),
        [LiveAction::Records(format!(
            "not json\n{}\n",
            record(7, line(3, Sender::Server, "* OK ready\r\n", false))
        ))],
    );
    assert_eq!(s.sessions.len(), 1);
    assert_eq!(s.session(3).unwrap().timeline.len(), 1);
}

#[test]
fn a_mailbox_shows_its_flags_as_the_bridge_last_sent_them() {
    let message = |flags: &[&str]| Message {
        uid: 1,
        size: 120,
        subject: "Hello".into(),
        flags: flags.iter().map(|f| f.to_string()).collect(),
    };
    let mailbox = |seq: u64, flags: &[&str], more: usize| {
        record(
            seq,
            LiveEvent::Mailbox {
                session: 1,
                mailbox: "bob · INBOX".into(),
                messages: vec![message(flags)],
                more,
            },
        )
    };
    let s = after(
        Rc::new(LiveState::default()),
        [batch(&[
            record(0, hello()),
            record(1, opened(1)),
            record(2, line(1, Sender::Server, "* OK ready\r\n", false)),
            mailbox(3, &[], 0),
            record(4, line(1, Sender::Client, "a1 FETCH 1 BODY[]\r\n", false)),
            mailbox(5, &["\\Seen"], 0),
            record(6, line(1, Sender::Server, "a1 OK done\r\n", false)),
            mailbox(7, &["\\Seen", "\\Deleted"], 2),
            record(8, line(1, Sender::Server, "a2 OK done\r\n", false)),
        ])],
    );
    let steps = &s.session(1).unwrap().timeline.steps;
    // The greeting came before anything was stored.
    assert!(steps[0].mailboxes.is_empty());
    assert!(steps[1].mailboxes[0].entries[0].flags.is_empty());
    assert_eq!(steps[2].mailboxes[0].entries[0].flags, ["\\Seen"]);
    let last = &steps[3].mailboxes[0];
    assert_eq!(last.entries[0].flags, ["\\Seen", "\\Deleted"]);
    assert_eq!(last.entries[1].subject, "and 2 more messages");
    assert_eq!(s.mailboxes().len(), 1, "one view per mailbox, replaced");
}

#[test]
fn a_line_the_bridge_explains_with_its_message_reads_in_the_class_language() {
    use postroom_proto::i18n::Said;
    let ehlo = msg!("smtp.cmd.ehlo", name = "laptop");
    let mut masked = line(1, Sender::Client, "EHLO laptop\r\n", false);
    if let LiveEvent::Line(l) = &mut masked {
        l.title = "The client introduces itself as laptop (extended SMTP)".into();
        l.masked = true;
        l.cut = 5;
        l.said = Some(Said::from(&ehlo));
        l.state =
            postroom_proto::live::Told::from(&text!("state.waiting-command", command = "MAIL"));
    }
    let records = [record(1, hello()), record(2, opened(1)), record(3, masked)];
    crate::i18n::take(
        "de",
        include_str!("../../../static/i18n/de.txt").to_string(),
    );
    let s = after(Rc::new(LiveState::default()), [batch(&records)]);
    let session = s.selected_session().unwrap();
    let (title, why) = crate::i18n::explanation(&session.timeline.steps[0].explanation);
    assert_eq!(session.state, "wartet auf MAIL");
    crate::i18n::take("en", String::new());
    assert_eq!(
        title,
        "Der Client stellt sich als laptop vor (erweitertes SMTP)"
    );
    assert!(why.starts_with("EHLO eröffnet das Gespräch"), "{why}");
    assert!(
        why.contains("starte die Brücke mit --show-secrets"),
        "{why}"
    );
    assert!(
        why.ends_with("(5 weitere Oktette wurden gesendet; die Seite zeigt die ersten 64 KB.)"),
        "{why}"
    );
    // In English the page keeps the bridge's own English, its note added.
    let s = after(Rc::new(LiveState::default()), [batch(&records)]);
    let session = s.selected_session().unwrap();
    let (title, why) = crate::i18n::explanation(&session.timeline.steps[0].explanation);
    assert_eq!(
        title,
        "The client introduces itself as laptop (extended SMTP)"
    );
    assert!(
        why.ends_with("(5 more octets were sent; the page shows the first 64 KB.)"),
        "{why}"
    );
    assert_eq!(session.state, "waiting for MAIL");
}

#[test]
fn what_happened_in_a_session_reads_in_the_class_language() {
    use postroom_proto::live::Told;
    let records = [
        record(1, hello()),
        record(2, opened(1)),
        record(
            3,
            LiveEvent::Tls {
                session: 1,
                how: Told::from(&text!("live.how.implicit")),
            },
        ),
        record(
            4,
            LiveEvent::LoggedIn {
                session: 1,
                user: "bob".into(),
                detail: Told::from(&text!("pop3.event.locked", count = 2u32)),
            },
        ),
        record(
            5,
            LiveEvent::Removed {
                session: 1,
                mailbox: "bob".into(),
                uids: vec![1, 2],
                how: Told::from(&text!("pop3.event.update-deleted")),
            },
        ),
        record(
            6,
            LiveEvent::Closed {
                session: 1,
                how: Told::from(&text!("live.how.closed")),
            },
        ),
    ];
    let shown = |s: &LiveState| {
        let session = s.selected_session().unwrap();
        let mut all: Vec<String> = session
            .events
            .iter()
            .map(|e| crate::i18n::said(e).to_string())
            .collect();
        if let Progress::Closed(how) = &session.progress {
            all.push(crate::i18n::text("live.finished", &[("how", how.arg())]).to_string());
        }
        all
    };
    let english = shown(&after(Rc::new(LiveState::default()), [batch(&records)]));
    assert_eq!(
        english,
        [
            "TLS started: implicit TLS: encrypted from the first byte (RFC 8314 §3)",
            "bob logged in, 2 messages; mailbox locked",
            "UPDATE deleted UIDs 1, 2 from bob",
            "finished (closed): step through it"
        ]
    );
    crate::i18n::take(
        "de",
        include_str!("../../../static/i18n/de.txt").to_string(),
    );
    let german = shown(&after(Rc::new(LiveState::default()), [batch(&records)]));
    crate::i18n::take("en", String::new());
    assert!(german[0].contains("implizites TLS"), "{german:?}");
    assert!(
        german[1].contains("2 Nachrichten; Postfach gesperrt"),
        "{german:?}"
    );
    assert!(german[2].contains("durch UPDATE"), "{german:?}");
    assert!(german[3].contains("geschlossen"), "{german:?}");
}
