//! The console page's state: the session with a real server, and the line whose
//! explanation is shown. No DOM.
//!
//! A session is a live server that cannot be copied, so the states before and after a line
//! share it: each action still gives a new state, and the page renders because of it.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use postroom_sim::console::{Console, Service};
use postroom_sim::Protocol;
use yew::Reducible;

#[derive(Debug)]
pub struct ConsoleState {
    session: Rc<RefCell<Console>>,
    /// The line clicked; None follows the newest line.
    pub selected: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleAction {
    /// A line typed (or a suggested one) goes to the server.
    Send(String),
    /// Another of Bob's provider's servers: the session ends and one starts with it, on the
    /// same mail store (what was sent on 25 or 587 can be fetched with POP3 or IMAP).
    Switch(Service),
    /// Start again: a fresh session with the same server, on a fresh mailbox.
    Reset,
    /// A line clicked: its explanation is shown.
    Select(usize),
}

impl ConsoleState {
    pub fn new(protocol: Protocol) -> Self {
        ConsoleState::open(Service::of(protocol))
    }

    /// A session with `service` on a fresh mailbox.
    pub fn open(service: Service) -> Self {
        ConsoleState {
            session: Rc::new(RefCell::new(Console::open(service))),
            selected: None,
        }
    }

    /// The state after the session changed: the newest line is shown.
    fn changed(&self, change: impl FnOnce(&mut Console)) -> Rc<Self> {
        if let Ok(mut session) = self.session.try_borrow_mut() {
            change(&mut session);
        }
        Rc::new(ConsoleState {
            session: Rc::clone(&self.session),
            selected: None,
        })
    }

    /// The session so far. Only actions change it, never while a page renders.
    pub fn session(&self) -> Ref<'_, Console> {
        self.session.borrow()
    }

    /// The line whose explanation is shown: the one clicked, else the newest.
    pub fn shown(&self) -> Option<usize> {
        let len = self.session().entries.len();
        self.selected
            .filter(|i| *i < len)
            .or_else(|| len.checked_sub(1))
    }
}

impl Reducible for ConsoleState {
    type Action = ConsoleAction;

    fn reduce(self: Rc<Self>, action: ConsoleAction) -> Rc<Self> {
        match action {
            ConsoleAction::Send(line) => self.changed(|session| session.send(&line)),
            ConsoleAction::Switch(service) => self.changed(|session| session.switch(service)),
            ConsoleAction::Reset => Rc::new(ConsoleState::open(self.session().service())),
            ConsoleAction::Select(i) if self.selected == Some(i) => self,
            ConsoleAction::Select(i) => Rc::new(ConsoleState {
                session: Rc::clone(&self.session),
                selected: Some(i),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
