//! Where a session is (RFC 9051 §3): each state holds its own data, and each move from one
//! state to another drops what the old one held.

use super::{MailboxView, State};

/// Where the session is (RFC 9051 §3), with what it holds there: moving on drops what the
/// old place held, so nothing has to be reset by hand.
#[derive(Debug, Clone)]
pub(super) enum Phase {
    /// Before login. `authenticating`: the tag of an AUTHENTICATE waiting for its SASL
    /// response line.
    NotAuthenticated {
        authenticating: Option<String>,
    },
    /// STARTTLS was accepted: nothing is read until the TLS handshake is done.
    StartingTls,
    Authenticated {
        user: String,
    },
    Selected {
        user: String,
        mailbox: MailboxView,
    },
    /// IDLE (RFC 2177), begun in the authenticated or the selected state, until DONE.
    Idling {
        tag: String,
        user: String,
        mailbox: Option<MailboxView>,
    },
    /// The session is over; who was logged in is still known. `tls_pending`: it ended
    /// between STARTTLS and the handshake, which may still complete.
    Logout {
        user: Option<String>,
        tls_pending: bool,
    },
}

impl Default for Phase {
    fn default() -> Self {
        Phase::NotAuthenticated {
            authenticating: None,
        }
    }
}

impl Phase {
    pub(super) fn state(&self) -> State {
        match self {
            Phase::NotAuthenticated { .. } | Phase::StartingTls => State::NotAuthenticated,
            Phase::Authenticated { .. } | Phase::Idling { mailbox: None, .. } => {
                State::Authenticated
            }
            Phase::Selected { .. }
            | Phase::Idling {
                mailbox: Some(_), ..
            } => State::Selected,
            Phase::Logout { .. } => State::Logout,
        }
    }

    pub(super) fn user(&self) -> Option<&str> {
        match self {
            Phase::Authenticated { user }
            | Phase::Selected { user, .. }
            | Phase::Idling { user, .. }
            | Phase::Logout {
                user: Some(user), ..
            } => Some(user),
            _ => None,
        }
    }

    pub(super) fn mailbox(&self) -> Option<&MailboxView> {
        match self {
            Phase::Selected { mailbox, .. }
            | Phase::Idling {
                mailbox: Some(mailbox),
                ..
            } => Some(mailbox),
            _ => None,
        }
    }

    pub(super) fn mailbox_mut(&mut self) -> Option<&mut MailboxView> {
        self.user_and_mailbox_mut().map(|(_, mailbox)| mailbox)
    }

    pub(super) fn user_and_mailbox_mut(&mut self) -> Option<(&str, &mut MailboxView)> {
        match self {
            Phase::Selected { user, mailbox }
            | Phase::Idling {
                user,
                mailbox: Some(mailbox),
                ..
            } => Some((user, mailbox)),
            _ => None,
        }
    }

    /// Selected → authenticated (CLOSE, UNSELECT, SELECT): the mailbox view, and with it
    /// the saved search result, is dropped. True if a mailbox was selected.
    pub(super) fn deselect(&mut self) -> bool {
        match std::mem::take(self) {
            Phase::Selected { user, .. } => {
                *self = Phase::Authenticated { user };
                true
            }
            other => {
                *self = other;
                false
            }
        }
    }

    /// Authenticated → selected, with this view of the mailbox.
    pub(super) fn select(&mut self, mailbox: MailboxView) {
        *self = match std::mem::take(self) {
            Phase::Authenticated { user } | Phase::Selected { user, .. } => {
                Phase::Selected { user, mailbox }
            }
            other => other,
        };
    }

    /// Into IDLE, keeping the mailbox (if any) to return to.
    pub(super) fn idle(&mut self, tag: &str) {
        let tag = tag.to_string();
        *self = match std::mem::take(self) {
            Phase::Authenticated { user } => Phase::Idling {
                tag,
                user,
                mailbox: None,
            },
            Phase::Selected { user, mailbox } => Phase::Idling {
                tag,
                user,
                mailbox: Some(mailbox),
            },
            other => other,
        };
    }

    /// Out of IDLE, back where it began; the IDLE command's tag.
    pub(super) fn end_idle(&mut self) -> Option<String> {
        match std::mem::take(self) {
            Phase::Idling { tag, user, mailbox } => {
                *self = match mailbox {
                    Some(mailbox) => Phase::Selected { user, mailbox },
                    None => Phase::Authenticated { user },
                };
                Some(tag)
            }
            other => {
                *self = other;
                None
            }
        }
    }
}
