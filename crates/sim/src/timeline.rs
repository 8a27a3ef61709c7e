//! The timeline: every step of a run, with everything the UI needs to draw it.

use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_proto::{Explanation, Instant};

use crate::host::{Host, HostId};

/// The protocol a step belongs to; each has one colour everywhere in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Smtp,
    Dns,
    Pop3,
    Imap,
    /// HTTP/1.1, as an email API or webmail speaks it (the round-trip lab).
    Http,
    /// The TCP and TLS handshakes, before any protocol speaks (the round-trip lab).
    Handshake,
    /// Something that happens inside one host: a mailbox write, a wait, a bounce.
    Local,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Dns => "DNS",
            Protocol::Pop3 => "POP3",
            Protocol::Imap => "IMAP",
            Protocol::Http => "HTTP",
            Protocol::Handshake => "TCP/TLS",
            Protocol::Local => "local",
        }
    }

    /// CSS-friendly key: `smtp`, `dns`, `pop3`, `imap`, `http`, `handshake`, `local`.
    pub fn key(self) -> &'static str {
        match self {
            Protocol::Smtp => "smtp",
            Protocol::Dns => "dns",
            Protocol::Pop3 => "pop3",
            Protocol::Imap => "imap",
            Protocol::Http => "http",
            Protocol::Handshake => "handshake",
            Protocol::Local => "local",
        }
    }
}

/// Who spoke: the client (`C:`), the server (`S:`), or a host on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
    Local,
}

impl Direction {
    /// The transcript prefix of RFC examples.
    pub fn prefix(self) -> &'static str {
        match self {
            Direction::ClientToServer => "C:",
            Direction::ServerToClient => "S:",
            Direction::Local => "--",
        }
    }
}

/// The part of the journey a step belongs to, for the scrubber's colours and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub label: Text,
    pub protocol: Protocol,
}

/// The mark of a message a POP3 device opened: POP3 has no flags, so it is the device's own.
pub const READ_HERE: &str = "read here";

/// One message in a mailbox or on a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxEntry {
    /// How the protocol names it: `UID 3`, or a POP3 unique-id.
    pub id: String,
    pub subject: String,
    pub size: usize,
    pub flags: Vec<String>,
}

/// A mailbox (on a server) or a device's local copy, as the state panels show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxView {
    /// E.g. "mx.example.net · bob" or "Bob's phone (POP3)".
    pub title: Text,
    pub entries: Vec<MailboxEntry>,
}

/// One unit (a command, a reply, the message data, a DNS query) crossing one link, or one
/// thing happening inside a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub sent_at: Instant,
    pub arrived_at: Instant,
    pub from: HostId,
    pub to: HostId,
    pub protocol: Protocol,
    pub direction: Direction,
    /// Exactly the octets on the wire (for a local step, a description).
    pub bytes: Vec<u8>,
    /// A note a host writes on its own lane, in words a page shows in the class's language
    /// (`bytes` hold them in English).
    pub note: Option<Text>,
    pub explanation: Explanation,
    /// The acting sessions' states after this step, in the RFC's words.
    pub client_state: Text,
    pub server_state: Text,
    /// True once TLS protects the connection: on a real network these bytes are encrypted.
    pub encrypted: bool,
    /// Which TCP connection carried this step, numbered from 1 in order of opening; 0 for
    /// what crossed none (DNS, notes, a line cut short).
    pub connection: u32,
    pub phase: Rc<Phase>,
    /// Every mailbox and device copy after this step; shared with earlier steps while
    /// nothing changes.
    pub mailboxes: Rc<Vec<MailboxView>>,
}

impl Step {
    /// The octets as text lines without their CR LF, for the transcript.
    pub fn lines(&self) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.bytes);
        let text = text.strip_suffix("\r\n").unwrap_or(&text);
        text.split("\r\n").map(str::to_string).collect()
    }

    /// The first line, which labels the arrow on the diagram. Found without splitting the
    /// rest: a step can hold a whole message of a megabyte.
    pub fn label(&self) -> String {
        let end = self
            .bytes
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or(self.bytes.len());
        String::from_utf8_lossy(self.bytes.get(..end).unwrap_or_default()).into_owned()
    }
}

/// A message as the recipient's server stored it: the octets in its store (with the trace
/// fields it added), not the ones the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The first step whose mailboxes hold it.
    pub step: usize,
    pub uid: u32,
    pub bytes: Rc<[u8]>,
}

/// A whole run: the hosts and every step, in order of arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub hosts: Vec<Host>,
    pub steps: Vec<Step>,
    /// What happened, in a few sentences, computed by the run.
    pub outcome: Vec<Text>,
    /// Every message the story delivered to the recipient's mailbox, in order of storing.
    pub stored: Vec<Stored>,
}

impl Timeline {
    /// A timeline of these hosts and steps, with no outcome and nothing stored: what a lab
    /// path, a pasted log or a live session draws.
    pub fn new(hosts: Vec<Host>, steps: Vec<Step>) -> Timeline {
        Timeline {
            hosts,
            steps,
            outcome: Vec::new(),
            stored: Vec::new(),
        }
    }

    pub fn host(&self, id: HostId) -> Option<&Host> {
        self.hosts.get(id.0)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The newest message stored in the recipient's mailbox by step `at`, if any.
    pub fn stored_by(&self, at: usize) -> Option<&Stored> {
        self.stored.iter().rev().find(|s| s.step <= at)
    }

    /// The first step at which `other` tells a different story (another unit, or units
    /// between other hosts); the shorter length if one is the start of the other. A fault
    /// injected while the class watches takes effect from here.
    pub fn first_difference(&self, other: &Timeline) -> usize {
        self.steps
            .iter()
            .zip(&other.steps)
            .position(|(a, b)| (a.from, a.to, &a.bytes) != (b.from, b.to, &b.bytes))
            .unwrap_or(self.len().min(other.len()))
    }

    /// Whether step `i` is a line crossing a TCP connection: where "a packet is lost"
    /// ([`crate::Fault::LossAt`]) can happen.
    pub fn on_the_wire(&self, i: usize) -> bool {
        self.steps
            .get(i)
            .is_some_and(|s| s.connection != 0 && s.direction != Direction::Local)
    }

    /// Whether step `i` travels on a connection that carries more right after it: where "the
    /// connection drops here" ([`crate::Fault::DropAfter`]) changes the story.
    pub fn connection_goes_on(&self, i: usize) -> bool {
        match (self.steps.get(i), self.steps.get(i + 1)) {
            (Some(step), Some(next)) => step.connection != 0 && next.connection == step.connection,
            _ => false,
        }
    }
}
