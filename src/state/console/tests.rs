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
