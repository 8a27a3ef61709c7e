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
    let state = after(state, [ConsoleAction::Open(Protocol::Imap)]);
    assert_eq!(state.session().protocol(), Protocol::Imap);
    assert!(!state.session().is_closed());
    assert_eq!(state.session().entries.len(), 1);
}
