//! The timeline: every step of a run, with everything the UI needs to draw it.

use postroom_proto::{Explanation, Instant};

use crate::host::{Host, HostId};

/// The protocol a step belongs to; each has one colour everywhere in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Smtp,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
        }
    }
}

/// Who spoke: the client (`C:`) or the server (`S:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

impl Direction {
    /// The transcript prefix of RFC examples.
    pub fn prefix(self) -> &'static str {
        match self {
            Direction::ClientToServer => "C:",
            Direction::ServerToClient => "S:",
        }
    }
}

/// One message in a mailbox, as the state panels show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxEntry {
    pub uid: u32,
    pub subject: String,
    pub size: usize,
}

/// One unit (a command, a reply, or the message data) crossing one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub sent_at: Instant,
    pub arrived_at: Instant,
    pub from: HostId,
    pub to: HostId,
    pub protocol: Protocol,
    pub direction: Direction,
    /// Exactly the octets on the wire.
    pub bytes: Vec<u8>,
    pub explanation: Explanation,
    /// Each session's state after this step, in the RFC's words.
    pub client_state: String,
    pub server_state: String,
    /// The recipient's mailbox on the server after this step.
    pub mailbox: Vec<MailboxEntry>,
}

impl Step {
    /// The octets as text lines without their CR LF, for the transcript.
    pub fn lines(&self) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.bytes);
        let text = text.strip_suffix("\r\n").unwrap_or(&text);
        text.split("\r\n").map(str::to_string).collect()
    }

    /// The first line, which labels the arrow on the diagram.
    pub fn label(&self) -> String {
        self.lines().into_iter().next().unwrap_or_default()
    }
}

/// A whole run: the hosts and every step, in order of arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub hosts: Vec<Host>,
    pub steps: Vec<Step>,
    /// The recipient whose mailbox the steps show.
    pub mailbox_owner: String,
}

impl Timeline {
    pub fn host(&self, id: HostId) -> Option<&Host> {
        self.hosts.get(id.0)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}
