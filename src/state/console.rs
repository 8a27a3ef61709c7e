//! The console page's state: the session with a real server, the line whose explanation is
//! shown, and the lines a log offers to send again (see `link`). No DOM.
//!
//! A session is a live server that cannot be copied, so the states before and after a line
//! share it: each action still gives a new state, and the page renders because of it.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use postroom_sim::console::{Console, Service};
use postroom_sim::Protocol;
use yew::Reducible;

pub mod link;

#[derive(Debug)]
pub struct ConsoleState {
    session: Rc<RefCell<Console>>,
    /// The line clicked; None follows the newest line.
    pub selected: Option<usize>,
    /// Lines of a pasted session to send again (none without a link from the log page).
    pub offered: Rc<Offered>,
    /// A link that could not be opened.
    pub banner: Option<String>,
}

/// A session's client lines, offered one by one; `next` is the first not sent yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offered {
    pub lines: Vec<String>,
    /// How many lines the session had (more than `lines` when only its start is offered).
    pub of: usize,
    pub next: usize,
}

impl Offered {
    /// The next line to send, if any is left.
    pub fn next_line(&self) -> Option<&str> {
        self.lines.get(self.next).map(String::as_str)
    }
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
    /// The warning about a link was closed.
    DismissBanner,
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
            offered: Rc::default(),
            banner: None,
        }
    }

    /// The console as its link (`#console=PORT&lines=…`) opens it, else on SMTP; a link that
    /// cannot be read says why.
    pub fn start(hash: Option<&str>) -> Self {
        match hash.and_then(link::open) {
            None => ConsoleState::new(Protocol::Smtp),
            Some(Err(why)) => ConsoleState {
                banner: Some(why),
                ..ConsoleState::new(Protocol::Smtp)
            },
            Some(Ok(opened)) => ConsoleState {
                offered: Rc::new(Offered {
                    lines: opened.lines,
                    of: opened.of,
                    next: 0,
                }),
                ..ConsoleState::open(opened.service)
            },
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
            offered: Rc::clone(&self.offered),
            banner: self.banner.clone(),
        })
    }

    /// The offered lines with `next` moved to `next`.
    fn offered_from(&self, next: usize) -> Rc<Offered> {
        if next == self.offered.next {
            return Rc::clone(&self.offered);
        }
        Rc::new(Offered {
            next,
            ..(*self.offered).clone()
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
            ConsoleAction::Send(line) => {
                // The offered line sent (clicked, or typed as it was): the next one is offered.
                let sent_next = self.offered.next_line() == Some(line.as_str());
                let mut next = self.changed(|session| session.send(&line));
                if sent_next {
                    if let Some(state) = Rc::get_mut(&mut next) {
                        state.offered = self.offered_from(self.offered.next + 1);
                    }
                }
                next
            }
            ConsoleAction::Switch(service) => self.changed(|session| session.switch(service)),
            // A fresh session: the offered lines from the first again.
            ConsoleAction::Reset => Rc::new(ConsoleState {
                offered: self.offered_from(0),
                ..ConsoleState::open(self.session().service())
            }),
            ConsoleAction::Select(i) if self.selected == Some(i) => self,
            ConsoleAction::Select(i) => Rc::new(ConsoleState {
                session: Rc::clone(&self.session),
                selected: Some(i),
                offered: Rc::clone(&self.offered),
                banner: self.banner.clone(),
            }),
            ConsoleAction::DismissBanner => Rc::new(ConsoleState {
                session: Rc::clone(&self.session),
                selected: self.selected,
                offered: Rc::clone(&self.offered),
                banner: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
