//! The console's state: lines sent, a line clicked, another server chosen.

use super::*;
use crate::state::after;

#[test]
fn a_line_sent_gets_its_answer_and_a_new_state() {
    let state = Rc::new(ConsoleState::new(Protocol::Smtp));
    assert_eq!(state.session().entries.len(), 1, "the greeting");
    assert_eq!(state.shown(), Some(0));
    let next = after(
        Rc::clone(&state),
        [ConsoleAction::Send("EHLO laptop.example.org".into())],
    );
    assert!(!Rc::ptr_eq(&next, &state), "the page renders again");
    let session = next.session();
    let last = session.entries.last().unwrap();
    assert!(last.text.starts_with("250-mx.example.net"), "{}", last.text);
    assert_eq!(
        next.shown(),
        Some(session.entries.len() - 1),
        "the newest line is explained"
    );
}

#[test]
fn a_line_clicked_is_explained_until_the_next_line_is_sent() {
    let state = after(
        Rc::new(ConsoleState::new(Protocol::Pop3)),
        [ConsoleAction::Send("CAPA".into()), ConsoleAction::Select(0)],
    );
    assert_eq!(state.shown(), Some(0));
    let same = Rc::clone(&state).reduce(ConsoleAction::Select(0));
    assert!(Rc::ptr_eq(&same, &state), "nothing changed: no render");
    let state = after(state, [ConsoleAction::Send("USER bob".into())]);
    assert_eq!(state.selected, None);
    assert_eq!(state.shown(), Some(state.session().entries.len() - 1));
}

#[test]
fn choosing_a_server_or_starting_again_opens_a_fresh_session() {
    let state = after(
        Rc::new(ConsoleState::new(Protocol::Smtp)),
        [ConsoleAction::Send("QUIT".into())],
    );
    assert!(state.session().is_closed());
    let state = after(state, [ConsoleAction::Switch(Service::Imap)]);
    assert_eq!(state.session().protocol(), Protocol::Imap);
    assert!(!state.session().is_closed());
    assert_eq!(state.session().entries.len(), 1);
}

#[test]
fn a_message_sent_on_587_is_fetched_with_pop3_and_start_again_forgets_it() {
    let mut actions: Vec<ConsoleAction> = [
        "EHLO laptop.example.net",
        "AUTH PLAIN AGJvYgBzZWNyZXQ=",
        "MAIL FROM:<bob@example.net>",
        "RCPT TO:<bob@example.net>",
        "DATA",
        "Subject: A note to myself",
        "",
        "Hello.",
        ".",
        "QUIT",
    ]
    .iter()
    .map(|line| ConsoleAction::Send((*line).into()))
    .collect();
    actions.insert(0, ConsoleAction::Switch(Service::Submission));
    actions.push(ConsoleAction::Switch(Service::Pop3));
    actions.extend(["USER bob", "PASS secret", "STAT"].map(|l| ConsoleAction::Send(l.into())));
    let state = after(Rc::new(ConsoleState::new(Protocol::Smtp)), actions);
    assert_eq!(state.session().service(), Service::Pop3);
    let stat = state.session().entries.last().unwrap().text.clone();
    assert!(
        stat.starts_with("+OK 4 "),
        "three preset messages and the new one: {stat}"
    );
    // Start again: the same server, Bob's mailbox as it was at first.
    let state = after(state, [ConsoleAction::Reset]);
    assert_eq!(state.session().service(), Service::Pop3);
    let state = after(
        state,
        ["USER bob", "PASS secret", "STAT"].map(|l| ConsoleAction::Send(l.into())),
    );
    let stat = state.session().entries.last().unwrap().text.clone();
    assert!(stat.starts_with("+OK 3 "), "{stat}");
}

#[test]
fn a_link_from_the_log_page_opens_its_server_and_offers_its_lines() {
    use super::link::{fragment, open, service_for, MAX_OFFERED};
    let lines: Vec<String> = ["EHLO me", "AUTH PLAIN AGJvYgBzZWNyZXQ=", "QUIT"]
        .map(String::from)
        .to_vec();
    let service = service_for(Protocol::Smtp, &lines);
    assert_eq!(service, Service::Submission, "AUTH goes to port 587");
    assert_eq!(service_for(Protocol::Smtp, &lines[..1]), Service::Exchanger);
    assert_eq!(service_for(Protocol::Imap, &lines), Service::Imap);
    let hash = fragment(service, &lines);
    assert!(hash.starts_with("#console=587&lines="), "{hash}");
    let state = Rc::new(ConsoleState::start(Some(&hash)));
    assert_eq!(state.session().service(), Service::Submission);
    assert_eq!(state.offered.lines, lines);
    assert_eq!(state.offered.next_line(), Some("EHLO me"));
    // The next line sent (clicked or typed as it is) moves the mark; another line does not.
    let state = after(state, [ConsoleAction::Send("NOOP".into())]);
    assert_eq!(state.offered.next, 0);
    let state = after(state, [ConsoleAction::Send("EHLO me".into())]);
    assert_eq!(
        state.offered.next_line(),
        Some("AUTH PLAIN AGJvYgBzZWNyZXQ=")
    );
    let state = after(
        state,
        [
            ConsoleAction::Send("AUTH PLAIN AGJvYgBzZWNyZXQ=".into()),
            ConsoleAction::Select(0),
        ],
    );
    assert!(state
        .session()
        .entries
        .iter()
        .any(|e| e.text.starts_with("235")));
    assert_eq!(state.offered.next, 2, "selecting a line keeps the mark");
    // Start again: the lines from the first.
    let state = after(state, [ConsoleAction::Reset]);
    assert_eq!(state.offered.next, 0);
    assert_eq!(state.session().entries.len(), 1);
    // A long session offers its first lines, and says how many it had.
    let many: Vec<String> = (0..250).map(|i| format!("NOOP {i}")).collect();
    let opened = open(&fragment(Service::Pop3, &many)).unwrap().unwrap();
    assert_eq!((opened.lines.len(), opened.of), (MAX_OFFERED, 250));
    assert_eq!(opened.service, Service::Pop3);
    // No lines: just the server.
    let opened = open("#console=143").unwrap().unwrap();
    assert_eq!((opened.service, opened.lines.len()), (Service::Imap, 0));
}

#[test]
fn a_console_link_that_cannot_be_read_says_why_and_opens_smtp() {
    for (hash, says) in [
        ("#console=2525", "no server on port “2525”"),
        ("#console=110&lines=%%", "damaged"),
        ("#other", "is not a console link"),
    ] {
        let state = Rc::new(ConsoleState::start(Some(hash)));
        let banner = state.banner.clone().unwrap();
        assert!(banner.contains(says), "{hash}: {banner}");
        assert_eq!(state.session().service(), Service::Exchanger);
        assert!(after(state, [ConsoleAction::DismissBanner])
            .banner
            .is_none());
    }
    assert!(ConsoleState::start(None).banner.is_none());
}
