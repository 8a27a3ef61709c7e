//! POP3 and IMAP side by side: one script of actions played on two worlds that differ only
//! in the protocol Bob's phone and laptop use. Every outcome — what is on the server, on
//! each device, what each device was told and when — comes from the real engines talking
//! to each other; this module only drives them (with the driver of `drive.rs`, on a link
//! where no time passes) and compares what they did (`report.rs`).

mod report;
mod script;

use std::collections::BTreeSet;

use postroom_proto::i18n::Text;
use postroom_proto::imap::Intent;
use postroom_proto::message::Message;
use postroom_proto::pop3;
use postroom_proto::smtp::{ClientTls, TlsPolicy};
use postroom_proto::{text, Duration, Explanation, Instant, MailStore, RfcRef};

use crate::clock;
use crate::conversation::{Imap, Pop3};
use crate::device::{self, DeviceMail, PerDevice, DEVICES};
use crate::drive::{drive, Arrival, Exchange, Pair, Stage};
use crate::net::link::{Link, Unit};
use crate::net::services::Services;
use crate::scenario::{Device, FetchProtocol};
use crate::timeline::Direction;

use script::capitalised;
pub use script::{presets, Act, Preset, Script, MAX_ACTS};

const USER: &str = "bob";
const PASSWORD: &str = "secret";
/// Alice's and Bob's domains: Bob's server is `mx.example.net`.
const DOMAINS: (&str, &str) = ("example.org", "example.net");
/// The IMAP folder messages are filed in; POP3 has no folders on the server.
pub const FOLDER: &str = "Work";
/// Subjects of the messages that arrive, in order; each names one message in the summaries.
const SUBJECTS: [&str; 8] = [
    "Lunch on Friday?",
    "Invoice #42",
    "Photos",
    "Slides for Monday",
    "Re: Lunch",
    "Tickets",
    "Meeting notes",
    "Newsletter",
];

/// One unit on the wire, or something a device does on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub device: Device,
    pub direction: Direction,
    /// The first line of the unit; longer units say how many lines follow.
    pub text: String,
    /// A device's own note (not on the wire), in words a page shows in the class's language.
    pub note: Option<Text>,
    /// The line that answers a command: IMAP's tagged line (the unit's last), else the
    /// first, whole.
    pub status: String,
    /// The line's explanation: its title is the line's tooltip, its words are shown after a
    /// prediction about this line.
    pub explanation: Explanation,
}

/// One message on a shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub subject: String,
    /// `UID 3` on an IMAP server or device, the unique-id on a POP3 device, empty else.
    pub id: String,
    pub read: bool,
    /// Gone in this step: drawn struck through, then no longer shown.
    pub gone: bool,
    /// "in Work on this phone only", "deleted here, sent at next sync", ….
    pub note: Text,
}

/// A mailbox on the server, or a device's local mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shelf {
    pub title: Text,
    pub items: Vec<Item>,
    /// A line under the messages: the connection, UIDVALIDITY, ….
    pub note: Text,
}

/// The outcome table's row for one protocol after one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub on_server: usize,
    pub on_phone: usize,
    pub on_laptop: usize,
    /// Whether every copy of every message agrees on read or unread; `None` when no
    /// message is in two places.
    pub read_agrees: Option<bool>,
    pub commands: u32,
    pub octets: u64,
}

/// One protocol's world after one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub act: Act,
    pub server: Vec<Shelf>,
    pub phone: Shelf,
    pub laptop: Shelf,
    /// "What changed", in plain words, computed from the states before and after.
    pub changes: Vec<Text>,
    /// The units exchanged during this action (the acting device, and devices told by IDLE).
    pub lines: Vec<Line>,
    pub tally: Tally,
}

/// Both worlds, frame by frame: `pop3[i]` and `imap[i]` are the states after action `i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub script: Script,
    pub pop3: Vec<Frame>,
    pub imap: Vec<Frame>,
}

/// Plays the script in a POP3 world and an IMAP world.
pub fn compare(script: &Script) -> Comparison {
    let acts: Vec<Act> = script.acts.iter().copied().take(MAX_ACTS).collect();
    let play = |protocol| {
        let mut side = Side::new(protocol, script.leave_on_server);
        acts.iter().map(|&act| side.play(act)).collect()
    };
    Comparison {
        script: script.clone(),
        pop3: play(FetchProtocol::Pop3),
        imap: play(FetchProtocol::Imap),
    }
}

/// One of Bob's devices in one world.
#[derive(Debug)]
struct Dev {
    online: bool,
    mail: DeviceMail,
    /// IMAP: the session kept open in IDLE while the device is online.
    session: Option<Box<Pair<Imap>>>,
    /// IMAP: what the user did while offline, sent at the next connection.
    queued: Vec<Intent>,
    /// Subjects this device has ever held, to say "the laptop never saw it".
    ever: BTreeSet<String>,
}

/// One world: the server's store, both devices, and what the current action did.
struct Side {
    protocol: FetchProtocol,
    leave_on_server: bool,
    services: Services,
    store: MailStore,
    now: Instant,
    devices: PerDevice<Dev>,
    arrived: usize,
    /// Subjects in order of arrival, so summaries list them as they came.
    order: Vec<String>,
    commands: u32,
    octets: u64,
    lines: Vec<Line>,
    notes: Vec<Text>,
}

impl Side {
    fn new(protocol: FetchProtocol, leave_on_server: bool) -> Side {
        let now = Instant::ZERO;
        let mut store = MailStore::new();
        store.add_account(USER, PASSWORD);
        clock::set(&mut store, now);
        // The folder exists on the server from the start, as a user's folders do.
        let _ = store.create_folder(USER, FOLDER);
        Side {
            protocol,
            leave_on_server,
            services: Services::new(DOMAINS.0, DOMAINS.1),
            store,
            now,
            devices: PerDevice::new(|_| Dev {
                online: true,
                mail: DeviceMail::empty(protocol),
                session: None,
                queued: Vec::new(),
                ever: BTreeSet::new(),
            }),
            arrived: 0,
            order: Vec::new(),
            commands: 0,
            octets: 0,
            lines: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn play(&mut self, act: Act) -> Frame {
        self.now = self.now + Duration::from_secs(60);
        clock::set(&mut self.store, self.now);
        let before = self.snapshot();
        self.lines.clear();
        self.notes.clear();
        match act {
            Act::NewMail => self.new_mail(),
            Act::Check(d) => self.check(d),
            Act::Online(d) => {
                self.devices.get_mut(d).online = true;
                self.check(d);
            }
            Act::Offline(d) => self.go_offline(d),
            Act::Read(d) | Act::Delete(d) | Act::File(d) => self.user_acts(act, d),
        }
        let after = self.snapshot();
        for (d, held) in after.devices.iter() {
            self.devices.get_mut(d).ever.extend(held.keys().cloned());
        }
        let mut changes = std::mem::take(&mut self.notes);
        changes.extend(self.differences(act, &before, &after));
        if changes.is_empty() {
            changes.push(text!("compare.change.nothing"));
        }
        Frame {
            act,
            server: self.server_shelves(&before),
            phone: self.device_shelf(Device::Phone, &before),
            laptop: self.device_shelf(Device::Laptop, &before),
            changes,
            lines: std::mem::take(&mut self.lines),
            tally: self.tally(&after),
        }
    }

    fn new_mail(&mut self) {
        let subject = SUBJECTS
            .get(self.arrived % SUBJECTS.len())
            .copied()
            .unwrap_or("Hello");
        let subject = if self.arrived < SUBJECTS.len() {
            subject.to_string()
        } else {
            format!("{subject} ({})", self.arrived / SUBJECTS.len() + 1)
        };
        self.arrived += 1;
        self.order.push(subject.clone());
        let message = Message::new(
            "alice@example.org",
            "bob@example.net",
            &subject,
            clock::START_DATE,
            "Hi Bob,\nsee you soon.\nAlice",
        );
        self.store
            .deliver(USER, "alice@example.org", message.to_bytes());
        self.tell_idle_devices(None);
    }

    /// Devices connected in IMAP IDLE hear of a change at once (RFC 2177).
    fn tell_idle_devices(&mut self, except: Option<Device>) {
        for device in DEVICES {
            if Some(device) == except {
                continue;
            }
            let (now, store) = (self.now, &mut self.store);
            let dev = self.devices.get_mut(device);
            if let (Some(conv), DeviceMail::Imap(cache)) = (&mut dev.session, &mut dev.mail) {
                conv.server.handle_store_change(store);
                let stats = pump(conv.as_mut(), store, now, device, &mut self.lines);
                *cache = conv.client.cache().clone();
                self.add(stats);
            }
        }
    }

    fn add(&mut self, (commands, octets): (u32, u64)) {
        self.commands += commands;
        self.octets += octets;
    }

    fn local(&mut self, device: Device, text: Text, title: Text, rfc: RfcRef) {
        self.lines.push(Line {
            device,
            direction: Direction::Local,
            text: text.to_string(),
            status: text.to_string(),
            note: Some(text),
            explanation: Explanation::new(title.to_string(), String::new(), rfc),
        });
    }

    fn check(&mut self, device: Device) {
        if !self.devices.get(device).online {
            self.local(
                device,
                text!("compare.line.offline"),
                text!("compare.line.offline-title"),
                RfcRef::new(9051, "1"),
            );
            self.notes
                .push(text!("compare.note.offline", device = capitalised(device)));
            return;
        }
        match self.protocol {
            FetchProtocol::Pop3 => self.pop3_session(device),
            FetchProtocol::Imap => self.imap_connect(device, None),
        }
    }

    fn pop3_session(&mut self, device: Device) {
        let now = self.now;
        let DeviceMail::Pop3 { known, .. } = &self.devices.get(device).mail else {
            return;
        };
        let client = device::pop3_client(
            (USER, PASSWORD),
            ClientTls::Never,
            self.leave_on_server,
            known.clone(),
            now,
        );
        let server = self.services.pop3_server(TlsPolicy::NotOffered, false, now);
        let mut conv = Pair::<Pop3>::new(client, server);
        let stats = pump(&mut conv, &mut self.store, now, device, &mut self.lines);
        self.add(stats);
        let DeviceMail::Pop3 { known, local } = &mut self.devices.get_mut(device).mail else {
            return;
        };
        *known = conv.client.known().clone();
        let mut downloads = 0;
        let mut waiting = None;
        for event in &conv.client_events {
            match event {
                pop3::ClientEvent::LoggedIn { messages, .. } => waiting = Some(*messages),
                pop3::ClientEvent::MessageDownloaded {
                    unique_id, bytes, ..
                } => {
                    downloads += 1;
                    device::keep_download(local, unique_id.as_deref(), bytes);
                }
                _ => {}
            }
        }
        match (downloads, waiting) {
            (0, Some(0)) => self
                .notes
                .push(text!("compare.note.empty", device = capitalised(device))),
            (0, Some(n)) => self.notes.push(text!(
                "compare.note.nothing-new",
                device = capitalised(device),
                count = n
            )),
            _ => {}
        }
    }

    /// Connects (or, already idling, interrupts IDLE), runs `intent` and what was queued
    /// offline, and idles again; the other device hears of any change.
    fn imap_connect(&mut self, device: Device, intent: Option<Intent>) {
        let now = self.now;
        let dev = self.devices.get_mut(device);
        let DeviceMail::Imap(cache) = &dev.mail else {
            return;
        };
        if dev.session.is_some() && intent.is_none() && dev.queued.is_empty() {
            self.notes
                .push(text!("compare.note.idle", device = capitalised(device)));
            return;
        }
        let waiting = std::mem::take(&mut dev.queued);
        let mut conv = dev.session.take().unwrap_or_else(|| {
            let client = device::imap_client((USER, PASSWORD), ClientTls::Never, cache.clone());
            let server = self.services.imap_server(TlsPolicy::NotOffered, false, now);
            Box::new(Pair::new(client, server))
        });
        conv.client.stop_idle();
        for queued in waiting.into_iter().chain(intent) {
            conv.client.act(queued);
        }
        conv.client.act(Intent::Idle);
        let stats = pump(conv.as_mut(), &mut self.store, now, device, &mut self.lines);
        let dev = self.devices.get_mut(device);
        if let DeviceMail::Imap(cache) = &mut dev.mail {
            *cache = conv.client.cache().clone();
            dev.session = Some(conv);
        }
        self.add(stats);
        self.tell_idle_devices(Some(device));
    }

    fn go_offline(&mut self, device: Device) {
        let dev = self.devices.get_mut(device);
        dev.online = false;
        if let Some(mut conv) = dev.session.take() {
            // The connection is simply gone: no LOGOUT on a lost network.
            conv.cut(&mut self.store);
            if let DeviceMail::Imap(cache) = &mut dev.mail {
                *cache = conv.client.cache().clone();
            }
            self.local(
                device,
                text!("compare.line.lost"),
                text!("compare.line.lost-title"),
                RfcRef::new(9051, "3.4"),
            );
        }
        self.notes.push(text!(
            "compare.note.goes-offline",
            device = capitalised(device)
        ));
    }

    /// Read the oldest unread message, delete the newest, or file the oldest.
    fn user_acts(&mut self, act: Act, device: Device) {
        let dev = self.devices.get_mut(device);
        let online = dev.online;
        match &mut dev.mail {
            DeviceMail::Pop3 { local, .. } => {
                let target = match act {
                    Act::Read(_) => local.iter_mut().find(|l| !l.read),
                    Act::Delete(_) => local.iter_mut().next_back(),
                    _ => local.iter_mut().find(|l| l.folder.is_none()),
                };
                let Some(target) = target else {
                    self.nothing_to_do(act, device);
                    return;
                };
                let subject = target.subject.clone();
                let text = match act {
                    Act::Read(_) => {
                        target.read = true;
                        text!("compare.line.opened")
                    }
                    Act::File(_) => {
                        target.folder = Some(FOLDER);
                        text!("compare.line.filed")
                    }
                    _ => {
                        local.retain(|l| l.subject != subject);
                        text!("compare.line.deleted")
                    }
                };
                self.local(
                    device,
                    text,
                    text!("compare.line.pop3-title"),
                    RfcRef::new(1939, "1"),
                );
            }
            DeviceMail::Imap(cache) => {
                let mut inbox = cache
                    .messages
                    .iter()
                    .filter(|(_, m)| !m.flags.contains("\\Deleted"));
                let found = match act {
                    Act::Read(_) => inbox.find(|(_, m)| !m.flags.contains("\\Seen")),
                    Act::Delete(_) => inbox.next_back(),
                    _ => inbox.next(),
                }
                .map(|(u, _)| *u);
                let Some(uid) = found else {
                    self.nothing_to_do(act, device);
                    return;
                };
                let intent = match act {
                    Act::Read(_) => Intent::MarkRead(uid),
                    Act::File(_) => Intent::MoveTo(uid, FOLDER.into()),
                    _ => Intent::Delete(uid),
                };
                if online {
                    self.imap_connect(device, Some(intent));
                } else {
                    // Offline: the device changes its own copy and remembers to tell the
                    // server (RFC 9051 §6.4.6 STORE, sent when it reconnects).
                    // Read: marked here. Deleted or filed: gone from this device's INBOX
                    // (marked \Deleted locally, so the next choice moves on).
                    let flag = match intent {
                        Intent::MarkRead(_) => Some("\\Seen"),
                        _ => Some("\\Deleted"),
                    };
                    if let (Some(m), Some(flag)) = (cache.messages.get_mut(&uid), flag) {
                        m.flags.insert(flag.into());
                    }
                    dev.queued.push(intent);
                    self.local(
                        device,
                        text!("compare.line.queued"),
                        text!("compare.line.queued-title"),
                        RfcRef::new(9051, "6.4.6"),
                    );
                }
            }
        }
    }

    fn nothing_to_do(&mut self, act: Act, device: Device) {
        let device = capitalised(device);
        self.notes.push(match act {
            Act::Read(_) => text!("compare.note.nothing-unread", device = device),
            _ => text!("compare.note.nothing-to-act-on", device = device),
        });
    }
}

/// Moves units both ways until both sides fall silent; returns (commands sent, octets).
fn pump(
    conv: &mut dyn Exchange,
    store: &mut MailStore,
    now: Instant,
    device: Device,
    lines: &mut Vec<Line>,
) -> (u32, u64) {
    let mut bench = Bench {
        store,
        now,
        device,
        lines,
        commands: 0,
        octets: 0,
    };
    let _ = drive(conv, &mut Link::lockstep(), &mut bench);
    (bench.commands, bench.octets)
}

/// A device next to its server: no time passes, no fault strikes, and every unit becomes a
/// [`Line`] and counts for the outcome table.
struct Bench<'a> {
    store: &'a mut MailStore,
    now: Instant,
    device: Device,
    lines: &'a mut Vec<Line>,
    commands: u32,
    octets: u64,
}

impl Stage for Bench<'_> {
    fn now(&self) -> Instant {
        self.now
    }

    fn store(&mut self) -> &mut MailStore {
        self.store
    }

    fn arrive(&mut self, _conv: &mut dyn Exchange, _unit: &Unit, _link: &Link) -> Arrival {
        Arrival::Delivered { sent: self.now }
    }

    fn delivered(
        &mut self,
        conv: &dyn Exchange,
        unit: Unit,
        _sent: Instant,
        explanation: Explanation,
    ) {
        let direction = if unit.to_server {
            self.commands += 1;
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        };
        self.octets += unit.bytes.len() as u64;
        let text = String::from_utf8_lossy(&unit.bytes);
        let mut rows = text.trim_end_matches("\r\n").split("\r\n");
        let first = rows.next().unwrap_or_default().to_string();
        let last = rows.clone().last();
        let more = rows.count();
        // An IMAP server ends a unit with the tagged line that completes the command.
        let status = match last {
            Some(last) if conv.protocol() == crate::timeline::Protocol::Imap => last.to_string(),
            _ => first.clone(),
        };
        // A long unit shows its first line and how many follow, in the class's language.
        let note = (more > 0).then(|| text!("compare.line.more", line = &first, count = more));
        self.lines.push(Line {
            device: self.device,
            direction,
            text: note.as_ref().map_or(first, Text::to_string),
            note,
            status,
            explanation,
        });
    }

    fn handshake(&mut self, _conv: &dyn Exchange, _link: &mut Link) {}
}
