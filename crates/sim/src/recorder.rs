//! Writing the timeline: each step with the connection that carried it and the phase of the
//! journey, and every mailbox and device copy after it, rebuilt only when one changed.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_proto::{text, Explanation, Instant, MailStore};

use postroom_proto::mime::header_value;

use crate::device::{Account, DeviceMail, PerDevice};
use crate::host::{Host, HostId};
use crate::narration::Note;
use crate::scenario::{person, Device};
use crate::timeline::{
    Direction, MailboxEntry, MailboxView, Phase, Protocol, Step, Stored, Timeline,
};

/// Everywhere mail is kept in the story, as the mailbox panels show it.
#[derive(Debug)]
pub(crate) struct Places {
    pub provider: MailStore,
    pub mx: MailStore,
    /// Alice's user name at her provider, Bob's at his.
    pub alice: String,
    pub bob: String,
    pub devices: PerDevice<Account>,
    /// Counts the changes to what the devices hold, so the views know when to look again.
    pub devices_version: u64,
}

/// A step as the world hands it over; the recorder adds the time of arrival, the
/// connection, the phase and the mailboxes.
#[derive(Debug)]
pub(crate) struct Entry {
    pub route: (HostId, HostId),
    pub protocol: Protocol,
    pub direction: Direction,
    pub sent_at: Instant,
    pub bytes: Vec<u8>,
    /// For a note a host writes on its own lane: its words, which `bytes` hold in English.
    pub note: Option<Text>,
    pub explanation: Explanation,
    /// (client state, server state) after the step.
    pub states: (Text, Text),
    pub encrypted: bool,
}

/// The mailbox views, and the (provider modseq, MX modseq, devices version) they show.
type ViewCache = Option<((u64, u64, u64), Rc<Vec<MailboxView>>)>;

#[derive(Debug)]
pub(crate) struct Recorder {
    steps: Vec<Step>,
    /// Steps past this many are not recorded.
    limit: usize,
    phase: Rc<Phase>,
    /// Connections opened so far, and the one carrying the current steps (0: none).
    connections: u32,
    connection: u32,
    outcome: Vec<Text>,
    views: ViewCache,
    /// Subjects of stored messages by (store, UID): read once, not at every step.
    subjects: BTreeMap<(u8, u32), String>,
    /// The UIDs in the recipient's mailbox seen so far (None before the first step: what is
    /// there then was there before the story), and the messages the story stored.
    seen: Option<BTreeSet<u32>>,
    stored: Vec<Stored>,
}

impl Recorder {
    pub fn new(limit: usize, phase: Phase) -> Self {
        Recorder {
            steps: Vec::new(),
            limit,
            phase: Rc::new(phase),
            connections: 0,
            connection: 0,
            outcome: Vec::new(),
            views: None,
            subjects: BTreeMap::new(),
            seen: None,
            stored: Vec::new(),
        }
    }

    /// Steps recorded so far: the index the next one gets.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_full(&self) -> bool {
        self.steps.len() >= self.limit
    }

    pub fn set_phase(&mut self, label: Text, protocol: Protocol) {
        self.phase = Rc::new(Phase { label, protocol });
    }

    /// A new TCP connection carries the next steps.
    pub fn open_connection(&mut self) {
        self.connections += 1;
        self.connection = self.connections;
    }

    /// The next steps cross no connection: it closed, or was cut short.
    pub fn close_connection(&mut self) {
        self.connection = 0;
    }

    /// Adds a sentence to the outcome.
    pub fn tell(&mut self, sentence: Text) {
        self.outcome.push(sentence);
    }

    pub fn record(&mut self, places: &Places, now: Instant, entry: Entry) {
        if self.is_full() {
            return;
        }
        let mailboxes = self.mailboxes(places);
        self.steps.push(Step {
            sent_at: entry.sent_at,
            arrived_at: now,
            from: entry.route.0,
            to: entry.route.1,
            protocol: entry.protocol,
            direction: entry.direction,
            bytes: entry.bytes,
            note: entry.note,
            explanation: entry.explanation,
            client_state: entry.states.0,
            server_state: entry.states.1,
            encrypted: entry.encrypted,
            connection: self.connection,
            phase: self.phase.clone(),
            mailboxes,
        });
    }

    /// Something happening inside one host: on no connection, even during one.
    pub fn local(&mut self, places: &Places, now: Instant, host: HostId, note: Note) {
        let connection = std::mem::take(&mut self.connection);
        self.record(
            places,
            now,
            Entry {
                route: (host, host),
                protocol: Protocol::Local,
                direction: Direction::Local,
                sent_at: now,
                bytes: format!("{}\r\n", note.text).into_bytes(),
                note: Some(note.text),
                explanation: note.explanation,
                states: (Text::default(), Text::default()),
                encrypted: false,
            },
        );
        self.connection = connection;
    }

    /// Every mailbox and device copy now; rebuilt only when something changed.
    pub fn mailboxes(&mut self, places: &Places) -> Rc<Vec<MailboxView>> {
        let key = (
            places.provider.modseq(),
            places.mx.modseq(),
            places.devices_version,
        );
        if let Some((k, view)) = &self.views {
            if *k == key {
                return view.clone();
            }
        }
        self.note_stored(places);
        let mut views = vec![server_view(
            Text::verbatim(format!("mx · {}", places.bob)),
            &places.mx,
            &places.bob,
            1,
            &mut self.subjects,
        )];
        if !places.provider.messages(&places.alice).is_empty() {
            views.push(server_view(
                Text::verbatim(format!("smtp · {}", places.alice)),
                &places.provider,
                &places.alice,
                0,
                &mut self.subjects,
            ));
        }
        let owner = person(&format!("{}@", places.bob));
        views.extend(
            places
                .devices
                .iter()
                .map(|(d, a)| device_view(d, &owner, a)),
        );
        let view = Rc::new(views);
        self.views = Some((key, view.clone()));
        view
    }

    /// Keeps the octets of each message new in the recipient's mailbox, as the store holds
    /// them, for the step about to be recorded.
    fn note_stored(&mut self, places: &Places) {
        let messages = places.mx.messages(&places.bob);
        let Some(seen) = &mut self.seen else {
            self.seen = Some(messages.iter().map(|m| m.uid).collect());
            return;
        };
        for m in messages {
            if seen.insert(m.uid) {
                self.stored.push(Stored {
                    step: self.steps.len(),
                    uid: m.uid,
                    bytes: m.bytes.as_slice().into(),
                });
            }
        }
    }

    pub fn finish(self, hosts: Vec<Host>) -> Timeline {
        Timeline {
            hosts,
            steps: self.steps,
            outcome: self.outcome,
            stored: self.stored,
        }
    }
}

fn server_view(
    title: Text,
    store: &MailStore,
    user: &str,
    which: u8,
    subjects: &mut BTreeMap<(u8, u32), String>,
) -> MailboxView {
    MailboxView {
        title,
        entries: store
            .messages(user)
            .iter()
            .map(|m| MailboxEntry {
                id: format!("UID {}", m.uid),
                subject: subjects
                    .entry((which, m.uid))
                    .or_insert_with(|| header_value(&m.bytes, "Subject").unwrap_or_default())
                    .clone(),
                size: m.bytes.len(),
                flags: m.flags.iter().cloned().collect(),
            })
            .collect(),
    }
}

fn device_view(device: Device, owner: &str, account: &Account) -> MailboxView {
    let protocol = account.settings.protocol.name();
    let title = match device {
        Device::Phone => text!("mailbox.phone", owner = owner, protocol = protocol),
        Device::Laptop => text!("mailbox.laptop", owner = owner, protocol = protocol),
    };
    let entries = match &account.mail {
        DeviceMail::Pop3 { local, .. } => local
            .iter()
            .map(|copy| MailboxEntry {
                id: copy.id.clone(),
                subject: copy.subject.clone(),
                size: copy.size,
                flags: if copy.read {
                    vec![crate::timeline::READ_HERE.to_string()]
                } else {
                    Vec::new()
                },
            })
            .collect(),
        DeviceMail::Imap(cache) => cache
            .messages
            .iter()
            .map(|(uid, m)| MailboxEntry {
                id: format!("UID {uid}"),
                subject: m
                    .bytes
                    .as_deref()
                    .and_then(|b| header_value(b, "Subject"))
                    .unwrap_or_default(),
                size: m.bytes.as_ref().map_or(0, Vec::len),
                // A set already: in order, once each.
                flags: m.flags.iter().cloned().collect(),
            })
            .collect(),
    };
    MailboxView { title, entries }
}
