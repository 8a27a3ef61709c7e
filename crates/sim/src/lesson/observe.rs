//! What goal checks and predictions look at, read from a run: where each message is, and every
//! unit that crossed a connection. One shape for the explorer's timeline and for either side
//! of a comparison.

use postroom_proto::i18n::Text;
use postroom_proto::text;
use serde::{Deserialize, Serialize};

use crate::compare::{Frame, Shelf};
use crate::scenario::Device;
use crate::timeline::{Direction, Protocol, Timeline};

/// A place that holds mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// Bob's mailbox on his mail server.
    Server,
    Phone,
    Laptop,
    /// Alice's mailbox at her provider, where bounces arrive.
    Alice,
}

impl Place {
    pub fn label(self) -> Text {
        match self {
            Place::Server => text!("lesson.place.server"),
            Place::Phone => text!("lesson.place.phone"),
            Place::Laptop => text!("lesson.place.laptop"),
            Place::Alice => text!("lesson.place.alice"),
        }
    }
}

/// A protocol, as lesson files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Smtp,
    Dns,
    Pop3,
    Imap,
}

impl Proto {
    /// The protocol of a timeline's step; None for a host's own note.
    pub(crate) fn of(p: Protocol) -> Option<Proto> {
        match p {
            Protocol::Smtp => Some(Proto::Smtp),
            Protocol::Dns => Some(Proto::Dns),
            Protocol::Pop3 => Some(Proto::Pop3),
            Protocol::Imap => Some(Proto::Imap),
            Protocol::Http | Protocol::Handshake | Protocol::Local => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Proto::Smtp => "SMTP",
            Proto::Dns => "DNS",
            Proto::Pop3 => "POP3",
            Proto::Imap => "IMAP",
        }
    }
}

/// Who a unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Client,
    Server,
    /// Something a host notes on its own: a wait, a bounce, a dropped connection.
    Note,
}

/// One message in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub place: Place,
    pub folder: String,
    pub subject: String,
    pub read: bool,
}

/// One unit on a connection, or a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The step of the timeline, or the action of the comparison, it belongs to.
    pub step: usize,
    pub protocol: Option<Proto>,
    pub by: By,
    /// The device at one end, if any.
    pub device: Option<Device>,
    /// Units of one connection share it; 0 for none.
    pub connection: u32,
    pub lines: Vec<String>,
    pub encrypted: bool,
    pub client_state: String,
    pub server_state: String,
}

/// A world as the checks see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    pub held: Vec<Held>,
    pub units: Vec<Unit>,
}

impl Observed {
    /// The explorer's world: every mailbox after the last step, and every step.
    pub fn timeline(t: &Timeline) -> Observed {
        let device_of = |host: crate::HostId| {
            let label = t.host(host).map(|h| h.label.as_str());
            [Device::Phone, Device::Laptop]
                .into_iter()
                .find(|d| Some(d.label()) == label)
        };
        let mut held = Vec::new();
        if let Some(last) = t.steps.last() {
            for view in last.mailboxes.iter() {
                let place = if view.title.starts_with("mx ·") {
                    Place::Server
                } else if view.title.starts_with("smtp ·") {
                    Place::Alice
                } else if view.title.starts_with(Device::Phone.label()) {
                    Place::Phone
                } else if view.title.starts_with(Device::Laptop.label()) {
                    Place::Laptop
                } else {
                    continue;
                };
                held.extend(view.entries.iter().map(|e| {
                    Held {
                        place,
                        folder: "INBOX".to_string(),
                        subject: e.subject.clone(),
                        read: e
                            .flags
                            .iter()
                            .any(|f| f == "\\Seen" || f == crate::timeline::READ_HERE),
                    }
                }));
            }
        }
        let units = t
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| Unit {
                step: i,
                protocol: Proto::of(s.protocol),
                by: match s.direction {
                    Direction::ClientToServer => By::Client,
                    Direction::ServerToClient => By::Server,
                    Direction::Local => By::Note,
                },
                device: device_of(s.from).or_else(|| device_of(s.to)),
                connection: s.connection,
                lines: s.lines(),
                encrypted: s.encrypted,
                client_state: s.client_state.to_string(),
                server_state: s.server_state.to_string(),
            })
            .collect();
        Observed { held, units }
    }

    /// One side of a comparison: the places after its last action, and every unit.
    pub fn frames(frames: &[Frame], protocol: Proto) -> Observed {
        let mut held = Vec::new();
        if let Some(last) = frames.last() {
            for shelf in &last.server {
                let folder = shelf
                    .title
                    .rsplit_once(" · ")
                    .map(|(_, f)| f)
                    .filter(|f| *f != "bob")
                    .unwrap_or("INBOX");
                held.extend(on_shelf(shelf, Place::Server, Some(folder)));
            }
            held.extend(on_shelf(&last.phone, Place::Phone, None));
            held.extend(on_shelf(&last.laptop, Place::Laptop, None));
        }
        let mut units = Vec::new();
        for (i, frame) in frames.iter().enumerate() {
            for line in &frame.lines {
                let text = line
                    .text
                    .split_once(" … (+")
                    .map_or(line.text.as_str(), |(first, _)| first);
                let by = match line.direction {
                    Direction::ClientToServer => By::Client,
                    Direction::ServerToClient => By::Server,
                    Direction::Local => By::Note,
                };
                units.push(Unit {
                    step: i,
                    protocol: (by != By::Note).then_some(protocol),
                    by,
                    device: Some(line.device),
                    connection: match line.device {
                        Device::Phone => 1,
                        Device::Laptop => 2,
                    },
                    lines: vec![text.to_string()],
                    encrypted: false,
                    client_state: String::new(),
                    server_state: String::new(),
                });
            }
        }
        Observed { held, units }
    }
}

/// The messages on a comparison shelf that are still there; an item's note says when it is
/// in another folder ("in Work on this device only", "in Work, a folder on the server").
fn on_shelf(shelf: &Shelf, place: Place, folder: Option<&str>) -> Vec<Held> {
    shelf
        .items
        .iter()
        .filter(|item| !item.gone)
        .map(|item| Held {
            place,
            folder: folder
                .map(str::to_string)
                .or_else(|| {
                    let rest = item.note.strip_prefix("in ")?;
                    let end = [rest.find(", "), rest.find(" on this device")]
                        .into_iter()
                        .flatten()
                        .min()?;
                    rest.get(..end).map(str::to_string)
                })
                .unwrap_or_else(|| "INBOX".to_string()),
            subject: item.subject.clone(),
            read: item.read,
        })
        .collect()
}
