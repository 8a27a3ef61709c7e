//! The log page's state: reading a paste, an example, two rawlog files; the protocol chosen;
//! secrets revealed; findings gone to; links to share and to continue in the console.

use super::examples::EXAMPLES;
use super::*;
use crate::state::after;
use postroom_sim::log::{Format, HIDDEN};

fn read(text: &str) -> LogAction {
    LogAction::Read {
        input: Input::Text(Rc::from(text)),
        source: "pasted text".into(),
    }
}

fn example(key: &str) -> &'static str {
    EXAMPLES.iter().find(|e| e.key == key).unwrap().text
}

/// The text the transcript shows for each step, joined.
fn shown(state: &LogState) -> String {
    state
        .timeline
        .steps
        .iter()
        .map(|s| String::from_utf8_lossy(&s.bytes).into_owned())
        .collect()
}

#[test]
fn a_paste_is_read_into_its_session_and_shown_from_its_first_step() {
    let state = Rc::new(LogState::default());
    assert!(state.editing && state.read.is_none() && state.timeline.steps.is_empty());
    let state = after(state, [read(example("swaks"))]);
    let log = state.log().unwrap();
    assert_eq!(
        (log.format, log.protocol()),
        (Format::Swaks, Protocol::Smtp)
    );
    assert_eq!(state.timeline.steps.len(), log.units.len());
    assert_eq!(state.playback.len, log.units.len());
    assert_eq!(state.playback.current, 0);
    assert!(!state.editing, "the session is shown");
    // Stepping is the explorer's playback.
    let state = after(
        state,
        [
            LogAction::Play(PlaybackAction::Forward),
            LogAction::Play(PlaybackAction::Forward),
        ],
    );
    assert_eq!(state.playback.current, 2);
    let end = after(state, [LogAction::Play(PlaybackAction::Last)]);
    assert_eq!(end.playback.current, end.timeline.steps.len() - 1);
}

#[test]
fn every_example_reads_as_the_tool_it_comes_from() {
    let expected = [
        ("swaks", Format::Swaks, Protocol::Smtp, 0),
        ("telnet-smtp", Format::Plain, Protocol::Smtp, 0),
        ("poplib", Format::Python, Protocol::Pop3, 0),
        ("openssl-pop3", Format::Plain, Protocol::Pop3, 1),
        ("imaplib", Format::Python, Protocol::Imap, 0),
        ("rawlog", Format::Rawlog, Protocol::Imap, 0),
    ];
    assert_eq!(EXAMPLES.len(), expected.len());
    for (key, format, protocol, findings) in expected {
        let state = after(Rc::new(LogState::default()), [read(example(key))]);
        let log = state.log().unwrap_or_else(|| panic!("{key}"));
        assert_eq!(
            (log.format, log.protocol(), log.findings.len()),
            (format, protocol, findings),
            "{key}"
        );
    }
}

#[test]
fn text_that_is_no_log_keeps_the_text_area_and_says_why() {
    let state = after(
        Rc::new(LogState::default()),
        [read("Dear Bob,\nhow are you?\n")],
    );
    let why = state.unrecognised().unwrap();
    assert_eq!(why.understood.len(), 7, "every format is listed");
    assert_eq!(why.unread[0].text, "Dear Bob,");
    assert!(state.editing && state.timeline.steps.is_empty());
    assert_eq!(state.playback.len, 0);
    // With nothing read, there is no session to go back to.
    let state = after(state, [LogAction::CloseEdit]);
    assert!(state.editing);
    // A log read after it replaces the message.
    let state = after(state, [read(example("poplib"))]);
    assert!(state.unrecognised().is_none() && !state.editing);
    let state = after(state, [LogAction::Edit]);
    assert!(state.editing);
    assert!(!after(state, [LogAction::CloseEdit]).editing);
}

#[test]
fn passwords_are_hidden_until_revealed_and_hidden_again_for_a_new_log() {
    let state = after(Rc::new(LogState::default()), [read(example("poplib"))]);
    assert!(shown(&state).contains(&format!("PASS {HIDDEN}")));
    assert!(!shown(&state).contains("PASS secret"));
    let revealed = after(Rc::clone(&state), [LogAction::ToggleReveal]);
    assert!(revealed.reveal);
    assert!(shown(&revealed).contains("PASS secret"));
    // The step shown stays; the log is not read again.
    assert!(Rc::ptr_eq(revealed.log().unwrap(), state.log().unwrap()));
    let next = after(revealed, [read(example("imaplib"))]);
    assert!(!next.reveal);
    assert!(shown(&next).contains(HIDDEN));
}

#[test]
fn the_protocol_chosen_reads_the_log_again_at_the_same_step() {
    let state = after(
        Rc::new(LogState::default()),
        [
            read(example("telnet-smtp")),
            LogAction::Play(PlaybackAction::GoTo(3)),
        ],
    );
    let same = Rc::clone(&state).reduce(LogAction::Protocol(None));
    assert!(Rc::ptr_eq(&same, &state), "nothing to read again");
    let pop3 = after(state, [LogAction::Protocol(Some(Protocol::Pop3))]);
    let log = pop3.log().unwrap();
    assert_eq!(log.protocol(), Protocol::Pop3);
    assert_eq!(log.detection.why, "chosen");
    assert_eq!(pop3.playback.current, 3);
    assert!(
        !log.findings.is_empty(),
        "SMTP read as POP3 is full of surprises"
    );
    let back = after(pop3, [LogAction::Protocol(None)]);
    assert_eq!(back.log().unwrap().protocol(), Protocol::Smtp);
    assert!(back.log().unwrap().findings.is_empty());
}

#[test]
fn a_finding_goes_to_its_step() {
    let state = after(
        Rc::new(LogState::default()),
        [read(example("openssl-pop3"))],
    );
    let log = Rc::clone(state.log().unwrap());
    let unit = log.findings[0].unit.unwrap();
    assert!(state.findings_here().is_empty() || unit == 0);
    let state = after(state, [LogAction::GoToFinding(0)]);
    assert_eq!(state.playback.current, unit);
    assert_eq!(state.findings_here(), vec![0]);
    // A finding that is not there changes nothing.
    let same = Rc::clone(&state).reduce(LogAction::GoToFinding(9));
    assert!(Rc::ptr_eq(&same, &state));
}

#[test]
fn two_rawlog_files_are_read_as_dovecot_wrote_them() {
    let input = include_str!("../../../tests/fixtures/logs/dovecot-imap.in");
    let output = include_str!("../../../tests/fixtures/logs/dovecot-imap.out");
    let state = after(
        Rc::new(LogState::default()),
        [LogAction::Read {
            input: Input::Rawlog {
                input: Rc::from(input),
                output: Rc::from(output),
            },
            source: "dovecot-imap.in and .out".into(),
        }],
    );
    let log = state.log().unwrap();
    assert_eq!(
        (log.format, log.protocol()),
        (Format::Rawlog, Protocol::Imap)
    );
    assert!(log.commands() > 3);
    // The text area shows both files.
    assert!(state.input.text().contains("==> session.out <=="));
}

#[test]
fn a_share_link_opens_the_same_dialogue_at_its_step_without_the_password() {
    let state = after(
        Rc::new(LogState::default()),
        [
            read(example("swaks")),
            LogAction::Play(PlaybackAction::GoTo(5)),
        ],
    );
    let log = state.log().unwrap();
    let fragment = link::fragment(log, None, 5).unwrap();
    assert!(fragment.starts_with("#log=") && fragment.ends_with("&step=6"));
    let opened = LogState::start(Some(&fragment));
    let again = opened.log().unwrap();
    assert_eq!(opened.playback.current, 5);
    assert_eq!(again.format, Format::Rfc);
    assert_eq!(
        (again.protocol(), again.commands(), again.replies()),
        (log.protocol(), log.commands(), log.replies())
    );
    assert_eq!(again.transcript(false), log.transcript(false));
    assert_eq!(again.findings, log.findings);
    // The link holds the dialogue with the password hidden.
    assert!(again.transcript(true).contains(HIDDEN));
    assert!(opened.banner.is_none());
    // A protocol chosen goes into the link.
    let fragment = link::fragment(log, Some(Protocol::Pop3), 0).unwrap();
    assert!(fragment.contains("&p=pop3"));
    let opened = LogState::start(Some(&fragment));
    assert_eq!(opened.log().unwrap().protocol(), Protocol::Pop3);
}

#[test]
fn a_session_too_long_for_a_link_says_so() {
    let mut text = String::from("S: 220 mx ESMTP\n");
    for i in 0..400 {
        text.push_str(&format!("C: NOOP {i}\nS: 250 OK\n"));
    }
    let state = after(Rc::new(LogState::default()), [read(&text)]);
    let why = link::fragment(state.log().unwrap(), None, 0).unwrap_err();
    assert!(
        why.starts_with("This session is too long to share as a link"),
        "{why}"
    );
    assert!(why.contains("8,000"), "{why}");
}

#[test]
fn broken_links_say_why_and_open_the_text_area() {
    assert_eq!(LogState::start(None), LogState::default());
    assert_eq!(LogState::start(Some("#")), LogState::default());
    for (hash, says) in [
        ("#log=%%%", "damaged"),
        ("#s=abc", "is not a link to a log"),
        ("#log=_w", "damaged"),
    ] {
        let state = LogState::start(Some(hash));
        let banner = state.banner.clone().unwrap();
        assert!(
            banner.starts_with("The shared log could not be opened"),
            "{banner}"
        );
        assert!(banner.contains(says), "{hash}: {banner}");
        assert!(state.editing && state.read.is_none());
        assert!(after(Rc::new(state), [LogAction::DismissBanner])
            .banner
            .is_none());
    }
}

#[test]
fn sharing_and_speed_and_bytes_are_kept_until_changed() {
    let state = after(
        Rc::new(LogState::default()),
        [
            read(example("telnet-smtp")),
            LogAction::Shared(Ok("#log=x".into())),
            LogAction::SetSpeed(200),
            LogAction::ToggleBytes,
        ],
    );
    assert_eq!(state.share, Some(Ok("#log=x".into())));
    assert_eq!((state.speed, state.bytes), (200, true));
    // What is shown changed: the link given before no longer says so.
    let state = after(state, [LogAction::ToggleReveal]);
    assert_eq!(state.share, None);
    let state = after(
        state,
        [
            LogAction::Shared(Err("too long".into())),
            LogAction::DismissShare,
        ],
    );
    assert_eq!(state.share, None);
}

#[test]
fn a_shared_log_explains_its_hidden_password() {
    let state = after(Rc::new(LogState::default()), [read(example("swaks"))]);
    let fragment = link::fragment(state.log().unwrap(), None, 0).unwrap();
    let opened = LogState::start(Some(&fragment));
    let log = opened.log().unwrap();
    let auth = log
        .units
        .iter()
        .find(|u| u.bytes.starts_with(b"AUTH PLAIN"))
        .unwrap();
    assert!(
        auth.explanation.title.contains("AUTH"),
        "{:?}",
        auth.explanation
    );
    assert!(log.findings.is_empty(), "{:#?}", log.findings);
    // Every example's link reads back into the same findings, its secrets hidden.
    for example in EXAMPLES {
        let state = after(Rc::new(LogState::default()), [read(example.text)]);
        let log = state.log().unwrap();
        let opened = LogState::start(Some(&link::fragment(log, None, 0).unwrap()));
        let again = opened.log().unwrap();
        let titles = |l: &Log| {
            l.findings
                .iter()
                .map(|f| f.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(again), titles(log), "{}", example.key);
        assert_eq!(again.protocol(), log.protocol(), "{}", example.key);
    }
}

#[test]
fn the_console_goes_on_with_the_sessions_client_lines_as_shown() {
    use crate::state::console::link::open;
    use postroom_sim::console::Service;
    let state = after(Rc::new(LogState::default()), [read(example("swaks"))]);
    assert!(state.has_secrets());
    let opened = open(state.console.as_deref().unwrap()).unwrap().unwrap();
    assert_eq!(opened.service, Service::Submission);
    assert_eq!(
        opened.lines.first().map(String::as_str),
        Some("EHLO laptop.example.net")
    );
    assert!(opened.lines.contains(&format!("AUTH PLAIN {HIDDEN}")));
    assert_eq!(opened.lines.last().map(String::as_str), Some("QUIT"));
    assert!(opened
        .lines
        .contains(&"Sent over STARTTLS with AUTH PLAIN.".to_string()));
    // Revealed, the password goes too.
    let revealed = after(state, [LogAction::ToggleReveal]);
    let opened = open(revealed.console.as_deref().unwrap()).unwrap().unwrap();
    assert!(opened
        .lines
        .contains(&"AUTH PLAIN AGFsaWNlAHNlY3JldA==".to_string()));
    let imap = after(Rc::new(LogState::default()), [read(example("imaplib"))]);
    let opened = open(imap.console.as_deref().unwrap()).unwrap().unwrap();
    assert_eq!(opened.service, Service::Imap);
    assert_eq!(
        opened.lines.first().map(String::as_str),
        Some("HGJP0 CAPABILITY")
    );
    assert!(LogState::default().console.is_none());
    assert!(!after(Rc::new(LogState::default()), [read(example("telnet-smtp"))]).has_secrets());
}
