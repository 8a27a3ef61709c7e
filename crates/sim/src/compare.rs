//! POP3 and IMAP side by side: one script of actions played on two worlds that differ only
//! in the protocol Bob's phone and laptop use. Every outcome — what is on the server, on
//! each device, what each device was told and when — comes from the real engines talking
//! to each other; this module only drives them and compares what they did.

use std::collections::{BTreeMap, BTreeSet};

use postroom_proto::imap::{self, DeviceCache, ImapClient, ImapServer, Intent};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Keep, Pop3Client, Pop3Server};
use postroom_proto::{Duration, Instant, MailStore, RfcRef};

use crate::conversation::{Conversation, Imap, Pop3};
use crate::scenario::{Device, FetchProtocol};
use crate::timeline::Direction;
use crate::world::header_value;

const USER: &str = "bob";
const PASSWORD: &str = "secret";
const SERVER: &str = "mx.example.net";
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
/// A script never runs more actions than this (share links are typed by people).
pub const MAX_ACTS: usize = 24;

/// One thing that happens in both worlds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// A new message reaches Bob's mailbox on the server.
    NewMail,
    /// The device checks for mail.
    Check(Device),
    /// The device opens its oldest unread message.
    Read(Device),
    /// The device deletes its newest message.
    Delete(Device),
    /// The device loses its connection (a train, a tunnel).
    Offline(Device),
    /// The device is back online, and checks mail as it reconnects.
    Online(Device),
    /// The device files its oldest message in the folder [`FOLDER`].
    File(Device),
}

impl Act {
    /// Every action, in the order the script editor lists them.
    pub const ALL: [Act; 13] = [
        Act::NewMail,
        Act::Check(Device::Phone),
        Act::Check(Device::Laptop),
        Act::Read(Device::Phone),
        Act::Read(Device::Laptop),
        Act::Delete(Device::Phone),
        Act::Delete(Device::Laptop),
        Act::File(Device::Phone),
        Act::File(Device::Laptop),
        Act::Offline(Device::Phone),
        Act::Online(Device::Phone),
        Act::Offline(Device::Laptop),
        Act::Online(Device::Laptop),
    ];

    /// "phone checks mail", as the script shows it.
    pub fn label(self) -> String {
        let (device, what) = match self {
            Act::NewMail => return "new mail arrives".into(),
            Act::Check(d) => (d, "checks mail"),
            Act::Read(d) => (d, "reads a message"),
            Act::Delete(d) => (d, "deletes a message"),
            Act::Offline(d) => (d, "goes offline"),
            Act::Online(d) => (d, "comes back online"),
            Act::File(d) => (d, "files a message in “Work”"),
        };
        format!("{} {what}", device_name(device))
    }

    /// The short code in share links: `n`, `pc` (phone checks), `ld` (laptop deletes), ….
    pub fn code(self) -> String {
        let (device, what) = match self {
            Act::NewMail => return "n".into(),
            Act::Check(d) => (d, 'c'),
            Act::Read(d) => (d, 'r'),
            Act::Delete(d) => (d, 'd'),
            Act::Offline(d) => (d, 'o'),
            Act::Online(d) => (d, 'b'),
            Act::File(d) => (d, 'f'),
        };
        let who = if device == Device::Phone { 'p' } else { 'l' };
        format!("{who}{what}")
    }

    pub fn from_code(code: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.code() == code)
    }

    fn device(self) -> Option<Device> {
        match self {
            Act::NewMail => None,
            Act::Check(d)
            | Act::Read(d)
            | Act::Delete(d)
            | Act::Offline(d)
            | Act::Online(d)
            | Act::File(d) => Some(d),
        }
    }
}

fn device_name(device: Device) -> &'static str {
    match device {
        Device::Phone => "phone",
        Device::Laptop => "laptop",
    }
}

fn capitalised(device: Device) -> &'static str {
    match device {
        Device::Phone => "Phone",
        Device::Laptop => "Laptop",
    }
}

/// A script: what happens, in order, and how the POP3 devices are set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// POP3 only: "leave a copy on the server" instead of download-and-delete.
    pub leave_on_server: bool,
    pub acts: Vec<Act>,
}

impl Script {
    /// `keep=0;n.n.pc.lc`: the share-link form.
    pub fn encode(&self) -> String {
        let acts: Vec<String> = self.acts.iter().map(|a| a.code()).collect();
        format!("keep={};{}", u8::from(self.leave_on_server), acts.join("."))
    }

    /// Reads [`Script::encode`]'s form, or a preset's key; a clear message otherwise.
    pub fn decode(text: &str) -> Result<Script, String> {
        if let Some(p) = presets().into_iter().find(|p| p.key == text) {
            return Ok(p.script);
        }
        let (keep, acts) = text
            .split_once(';')
            .ok_or("The comparison in the link is not in a form Postroom knows.")?;
        let leave_on_server = match keep {
            "keep=0" => false,
            "keep=1" => true,
            _ => return Err("The comparison in the link has an unknown POP3 setting.".into()),
        };
        let acts = acts
            .split('.')
            .filter(|c| !c.is_empty())
            .map(|c| Act::from_code(c).ok_or(format!("“{c}” is not an action Postroom knows.")))
            .collect::<Result<Vec<_>, _>>()?;
        if acts.len() > MAX_ACTS {
            return Err(format!(
                "The comparison in the link has {} actions; at most {MAX_ACTS} fit on the screen.",
                acts.len()
            ));
        }
        Ok(Script {
            leave_on_server,
            acts,
        })
    }
}

/// A ready-made script and the lesson it teaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub key: &'static str,
    pub title: &'static str,
    pub lesson: &'static str,
    pub script: Script,
}

/// The ready-made lessons, in teaching order.
pub fn presets() -> Vec<Preset> {
    use Act::*;
    use Device::{Laptop, Phone};
    let preset = |key, title, lesson, leave_on_server, acts: &[Act]| Preset {
        key,
        title,
        lesson,
        script: Script {
            leave_on_server,
            acts: acts.to_vec(),
        },
    };
    vec![
        preset(
            "two-devices",
            "Two devices, one inbox",
            "POP3 moves the mail to the first device that checks; IMAP lets every device look at the same mailbox.",
            false,
            &[NewMail, NewMail, NewMail, Check(Phone), Check(Laptop)],
        ),
        preset(
            "leave-a-copy",
            "POP3 with a copy left on the server",
            "With “leave a copy” both POP3 devices get the mail, but what one reads or deletes stays on that device.",
            true,
            &[NewMail, NewMail, Check(Phone), Check(Laptop), Read(Phone), Delete(Phone), Check(Laptop)],
        ),
        preset(
            "read-and-delete",
            "Read on the phone, delete on the laptop",
            "IMAP keeps read marks and deletions on the server and tells every connected device at once.",
            true,
            &[NewMail, NewMail, Check(Phone), Check(Laptop), Read(Phone), Delete(Laptop), Check(Phone)],
        ),
        preset(
            "offline",
            "Offline and back",
            "Both protocols let you read what is already downloaded; IMAP catches up on everything when the device reconnects.",
            true,
            &[NewMail, NewMail, Check(Phone), Check(Laptop), Offline(Phone), Read(Phone), Delete(Laptop), NewMail, Online(Phone)],
        ),
        preset(
            "folders",
            "Filing into a folder",
            "Folders live on an IMAP server, so every device sees the message move; POP3 knows only one mailbox.",
            true,
            &[NewMail, NewMail, Check(Phone), Check(Laptop), File(Laptop), Check(Phone)],
        ),
    ]
}

/// One unit on the wire, or something a device does on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub device: Device,
    pub direction: Direction,
    /// The first line of the unit; longer units say how many lines follow.
    pub text: String,
    pub title: String,
    pub rfc: RfcRef,
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
    pub note: String,
}

/// A mailbox on the server, or a device's local mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shelf {
    pub title: String,
    pub items: Vec<Item>,
    /// A line under the messages: the connection, UIDVALIDITY, ….
    pub note: String,
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
    pub changes: Vec<String>,
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

/// A message on a POP3 device.
#[derive(Debug, Clone)]
struct Local {
    id: String,
    subject: String,
    read: bool,
    folder: Option<&'static str>,
}

#[derive(Debug)]
enum Mail {
    Pop3 {
        known: BTreeMap<String, Instant>,
        local: Vec<Local>,
    },
    Imap {
        cache: DeviceCache,
        /// The session kept open in IDLE while the device is online.
        session: Option<Box<Imap>>,
        /// What the user did while offline, sent at the next connection.
        queued: Vec<Intent>,
    },
}

#[derive(Debug)]
struct Dev {
    online: bool,
    mail: Mail,
    /// Subjects this device has ever held, to say "the laptop never saw it".
    ever: BTreeSet<String>,
}

/// What every place holds, for comparing before and after.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    /// Subject → (folder, \Seen).
    server: BTreeMap<String, (String, bool)>,
    /// Per device: subject → (read, filed in a folder on the device).
    devices: [BTreeMap<String, (bool, bool)>; 2],
}

struct Side {
    protocol: FetchProtocol,
    leave_on_server: bool,
    store: MailStore,
    now: Instant,
    devices: [Dev; 2],
    arrived: usize,
    /// Subjects in order of arrival, so summaries list them as they came.
    order: Vec<String>,
    commands: u32,
    octets: u64,
    lines: Vec<Line>,
    notes: Vec<String>,
}

fn index(device: Device) -> usize {
    match device {
        Device::Phone => 0,
        Device::Laptop => 1,
    }
}

const DEVICES: [Device; 2] = [Device::Phone, Device::Laptop];

impl Side {
    fn new(protocol: FetchProtocol, leave_on_server: bool) -> Side {
        let mut store = MailStore::new();
        store.add_account(USER, PASSWORD);
        store.set_clock(crate::world::EPOCH_UNIX);
        // The folder exists on the server from the start, as a user's folders do.
        let _ = store.create_folder(USER, FOLDER);
        let dev = || Dev {
            online: true,
            mail: match protocol {
                FetchProtocol::Pop3 => Mail::Pop3 {
                    known: BTreeMap::new(),
                    local: Vec::new(),
                },
                FetchProtocol::Imap => Mail::Imap {
                    cache: DeviceCache::default(),
                    session: None,
                    queued: Vec::new(),
                },
            },
            ever: BTreeSet::new(),
        };
        Side {
            protocol,
            leave_on_server,
            store,
            now: Instant::ZERO,
            devices: [dev(), dev()],
            arrived: 0,
            order: Vec::new(),
            commands: 0,
            octets: 0,
            lines: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn dev(&mut self, device: Device) -> &mut Dev {
        let [phone, laptop] = &mut self.devices;
        match device {
            Device::Phone => phone,
            Device::Laptop => laptop,
        }
    }

    fn play(&mut self, act: Act) -> Frame {
        self.now = self.now + Duration::from_secs(60);
        self.store.set_clock(
            crate::world::EPOCH_UNIX + i64::try_from(self.now.as_micros() / 1_000_000).unwrap_or(0),
        );
        let before = self.snapshot();
        self.lines.clear();
        self.notes.clear();
        match act {
            Act::NewMail => self.new_mail(),
            Act::Check(d) => self.check(d),
            Act::Online(d) => {
                self.dev(d).online = true;
                self.check(d);
            }
            Act::Offline(d) => self.go_offline(d),
            Act::Read(d) | Act::Delete(d) | Act::File(d) => self.user_acts(act, d),
        }
        let after = self.snapshot();
        for (d, held) in DEVICES.into_iter().zip(&after.devices) {
            self.dev(d).ever.extend(held.keys().cloned());
        }
        let mut changes = std::mem::take(&mut self.notes);
        changes.extend(self.differences(act, &before, &after));
        if changes.is_empty() {
            changes.push("Nothing changed.".into());
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
            "Fri, 6 Mar 2026 09:00:00 +0000",
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
            let i = index(device);
            let Some(dev) = self.devices.get_mut(i) else {
                continue;
            };
            if let Mail::Imap {
                session: Some(conv),
                cache,
                ..
            } = &mut dev.mail
            {
                conv.server.handle_store_change(store);
                let mut lines = Vec::new();
                let stats = pump(conv.as_mut(), store, now, device, &mut lines);
                *cache = conv.client.cache().clone();
                self.lines.extend(lines);
                self.add(stats);
            }
        }
    }

    fn add(&mut self, (commands, octets): (u32, u64)) {
        self.commands += commands;
        self.octets += octets;
    }

    fn local(&mut self, device: Device, text: &str, title: &str, rfc: RfcRef) {
        self.lines.push(Line {
            device,
            direction: Direction::Local,
            text: text.to_string(),
            title: title.to_string(),
            rfc,
        });
    }

    fn check(&mut self, device: Device) {
        if !self.dev(device).online {
            self.local(
                device,
                "-- offline: no connection to the server --",
                "The device is offline",
                RfcRef::new(9051, "1"),
            );
            self.notes.push(format!(
                "{} is offline: it cannot reach the server.",
                capitalised(device)
            ));
            return;
        }
        match self.protocol {
            FetchProtocol::Pop3 => self.pop3_session(device),
            FetchProtocol::Imap => self.imap_connect(device, None),
        }
    }

    fn pop3_session(&mut self, device: Device) {
        let leave = self.leave_on_server;
        let now = self.now;
        let Mail::Pop3 { known, .. } = &self.dev(device).mail else {
            return;
        };
        let mut config = pop3::ClientConfig::new(USER, PASSWORD);
        config.keep = if leave {
            Keep::LeaveOnServer { delete_after: None }
        } else {
            Keep::DownloadAndDelete
        };
        let client = Pop3Client::new(config, known.clone(), now);
        let server = Pop3Server::new(pop3::ServerConfig::new(SERVER), now);
        let mut conv = Pop3::new(client, server);
        let mut lines = Vec::new();
        let stats = pump(&mut conv, &mut self.store, now, device, &mut lines);
        self.lines.extend(lines);
        self.add(stats);
        let Mail::Pop3 { known, local } = &mut self.dev(device).mail else {
            return;
        };
        *known = conv.client.known().clone();
        let mut downloads = 0;
        let mut waiting = None;
        for event in conv.client_events {
            if let pop3::ClientEvent::LoggedIn { messages, .. } = event {
                waiting = Some(messages);
            }
            if let pop3::ClientEvent::MessageDownloaded {
                unique_id, bytes, ..
            } = event
            {
                downloads += 1;
                // Without UIDL (download and delete) a message number means something only
                // within its session: such a download is always new, with the next local number.
                let id = match unique_id {
                    Some(id) if local.iter().any(|l| l.id == id) => continue,
                    Some(id) => id,
                    None => format!("#{}", local.len() + 1),
                };
                local.push(Local {
                    subject: header_value(&bytes, "Subject").unwrap_or_default(),
                    id,
                    read: false,
                    folder: None,
                });
            }
        }
        match (downloads, waiting) {
            (0, Some(0)) => self.notes.push(format!(
                "{}: the maildrop is empty (+OK 0 messages), so there is nothing to download.",
                capitalised(device)
            )),
            (0, Some(n)) => self.notes.push(format!(
                "{}: the server holds {n}, all downloaded before (UIDL tells them apart), so nothing is new.",
                capitalised(device)
            )),
            _ => {}
        }
    }

    /// Connects (or, already idling, interrupts IDLE), runs `intent` and what was queued
    /// offline, and idles again; the other device hears of any change.
    fn imap_connect(&mut self, device: Device, intent: Option<Intent>) {
        let now = self.now;
        let Mail::Imap {
            cache,
            session,
            queued,
        } = &mut self.dev(device).mail
        else {
            return;
        };
        if session.is_some() && intent.is_none() && queued.is_empty() {
            self.notes.push(format!(
                "{} is connected in IDLE: the server already told it everything, so there is nothing to fetch.",
                capitalised(device)
            ));
            return;
        }
        let waiting = std::mem::take(queued);
        let mut conv = session.take().unwrap_or_else(|| {
            Box::new(Imap::new(
                ImapClient::new(imap::ClientConfig::new(USER, PASSWORD), cache.clone()),
                ImapServer::new(imap::ServerConfig::new(SERVER), now),
            ))
        });
        conv.client.stop_idle();
        for queued in waiting.into_iter().chain(intent) {
            conv.client.act(queued);
        }
        conv.client.act(Intent::Idle);
        let mut lines = Vec::new();
        let stats = pump(conv.as_mut(), &mut self.store, now, device, &mut lines);
        if let Mail::Imap { cache, session, .. } = &mut self.dev(device).mail {
            *cache = conv.client.cache().clone();
            *session = Some(conv);
        }
        self.lines.extend(lines);
        self.add(stats);
        self.tell_idle_devices(Some(device));
    }

    fn go_offline(&mut self, device: Device) {
        let [phone, laptop] = &mut self.devices;
        let dev = if device == Device::Phone {
            phone
        } else {
            laptop
        };
        dev.online = false;
        if let Mail::Imap { session, cache, .. } = &mut dev.mail {
            if let Some(mut conv) = session.take() {
                // The connection is simply gone: no LOGOUT on a lost network.
                conv.cut(&mut self.store);
                *cache = conv.client.cache().clone();
                self.local(
                    device,
                    "-- the connection is lost --",
                    "The device loses its connection; the server ends the session",
                    RfcRef::new(9051, "3.4"),
                );
            }
        }
        self.notes.push(format!(
            "{} goes offline; what it downloaded stays readable.",
            capitalised(device)
        ));
    }

    /// Read the oldest unread message, delete the newest, or file the oldest.
    fn user_acts(&mut self, act: Act, device: Device) {
        let online = self.dev(device).online;
        match &mut self.dev(device).mail {
            Mail::Pop3 { local, .. } => {
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
                        "-- opened on this device --"
                    }
                    Act::File(_) => {
                        target.folder = Some(FOLDER);
                        "-- filed in a folder on this device --"
                    }
                    _ => {
                        local.retain(|l| l.subject != subject);
                        "-- deleted on this device --"
                    }
                };
                self.local(
                    device,
                    text,
                    "POP3 has no flags and no folders: the change stays on this device",
                    RfcRef::new(1939, "1"),
                );
            }
            Mail::Imap { cache, queued, .. } => {
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
                    queued.push(intent);
                    self.local(
                        device,
                        "-- changed offline; the server is told at the next connection --",
                        "An offline IMAP client queues the change",
                        RfcRef::new(9051, "6.4.6"),
                    );
                }
            }
        }
    }

    fn nothing_to_do(&mut self, act: Act, device: Device) {
        let what = match act {
            Act::Read(_) => "no unread message to open",
            _ => "no message to act on",
        };
        self.notes
            .push(format!("{} has {what}.", capitalised(device)));
    }

    fn snapshot(&self) -> Snapshot {
        let mut server = BTreeMap::new();
        for folder in self.store.folder_names(USER) {
            if let Some(f) = self.store.folder(USER, &folder) {
                for m in &f.messages {
                    let subject = header_value(&m.bytes, "Subject").unwrap_or_default();
                    server.insert(subject, (folder.clone(), m.flags.contains("\\Seen")));
                }
            }
        }
        let devices = [0, 1].map(|i| match self.devices.get(i).map(|d| &d.mail) {
            Some(Mail::Pop3 { local, .. }) => local
                .iter()
                .map(|l| (l.subject.clone(), (l.read, l.folder.is_some())))
                .collect(),
            Some(Mail::Imap { cache, .. }) => cache
                .messages
                .values()
                .filter(|m| !m.flags.contains("\\Deleted"))
                .filter_map(|m| {
                    let subject = header_value(m.bytes.as_deref()?, "Subject")?;
                    Some((subject, (m.flags.contains("\\Seen"), false)))
                })
                .collect(),
            None => BTreeMap::new(),
        });
        Snapshot { server, devices }
    }

    /// "What changed", from the difference between two snapshots.
    fn differences(&self, act: Act, before: &Snapshot, after: &Snapshot) -> Vec<String> {
        let mut out = Vec::new();
        let actor = act.device();
        for (subject, (folder, seen)) in &before.server {
            match after.server.get(subject) {
                None => {
                    let how = match (self.protocol, act) {
                        (FetchProtocol::Pop3, _) => "deleted at QUIT (download and delete)",
                        _ => "expunged",
                    };
                    let unseen: Vec<&str> = DEVICES
                        .into_iter()
                        .filter(|d| {
                            !self
                                .devices
                                .get(index(*d))
                                .is_some_and(|dev| dev.ever.contains(subject))
                        })
                        .map(device_name)
                        .collect();
                    let never = match unseen.as_slice() {
                        [] => String::new(),
                        [one] => format!(" — the {one} never saw it"),
                        _ => " — no device has a copy".into(),
                    };
                    out.push(format!("Server: “{subject}” {how}{never}."));
                }
                Some((new_folder, _)) if new_folder != folder => {
                    out.push(format!("Server: “{subject}” moved to {new_folder}."));
                }
                Some((_, new_seen)) if new_seen != seen => out.push(format!(
                    "Server: “{subject}” is now {} (\\Seen {}).",
                    if *new_seen { "read" } else { "unread" },
                    if *new_seen { "set" } else { "cleared" }
                )),
                _ => {}
            }
        }
        for subject in after.server.keys() {
            if !before.server.contains_key(subject) {
                out.push(format!("Server: “{subject}” arrives."));
            }
        }
        for (i, device) in DEVICES.into_iter().enumerate() {
            let (Some(was), Some(now)) = (before.devices.get(i), after.devices.get(i)) else {
                continue;
            };
            let name = capitalised(device);
            let online = self.devices.get(i).is_some_and(|d| d.online);
            let pushed = match (self.protocol, actor == Some(device), online) {
                (FetchProtocol::Pop3, ..) => "",
                (_, true, true) => "",
                (_, true, false) => " — offline: the server is told at the next connection",
                (_, false, _) => " — told at once by IDLE",
            };
            let mut got: Vec<&str> = now
                .keys()
                .filter(|s| !was.contains_key(*s))
                .map(String::as_str)
                .collect();
            got.sort_by_key(|s| self.order.iter().position(|o| o == s));
            if !got.is_empty() {
                out.push(format!("{name}: downloads {}{pushed}.", quoted_list(&got)));
            }
            for (subject, &(read, filed)) in was {
                match now.get(subject) {
                    None => {
                        let here = if self.protocol == FetchProtocol::Pop3 {
                            " on this device only"
                        } else {
                            ""
                        };
                        out.push(format!("{name}: “{subject}” is gone{here}{pushed}."));
                    }
                    Some(&(r, _)) if r != read => {
                        let only = if self.protocol == FetchProtocol::Pop3 {
                            " — on this device only: POP3 has no flags"
                        } else {
                            pushed
                        };
                        out.push(format!("{name}: “{subject}” is read{only}."));
                    }
                    Some(&(_, f)) if f != filed => out.push(format!(
                        "{name}: “{subject}” is filed in {FOLDER} on this device only — POP3 has \
                         no folders on the server."
                    )),
                    _ => {}
                }
            }
        }
        out
    }

    fn server_shelves(&self, before: &Snapshot) -> Vec<Shelf> {
        let mut shelves = Vec::new();
        let folders = match self.protocol {
            // POP3 sees one maildrop: the store's INBOX.
            FetchProtocol::Pop3 => vec!["INBOX".to_string()],
            FetchProtocol::Imap => self.store.folder_names(USER),
        };
        for name in folders {
            let Some(folder) = self.store.folder(USER, &name) else {
                continue;
            };
            let mut items: Vec<Item> = folder
                .messages
                .iter()
                .map(|m| Item {
                    subject: header_value(&m.bytes, "Subject").unwrap_or_default(),
                    id: if self.protocol == FetchProtocol::Imap {
                        format!("UID {}", m.uid)
                    } else {
                        String::new()
                    },
                    read: m.flags.contains("\\Seen"),
                    gone: false,
                    note: String::new(),
                })
                .collect();
            for (subject, (was_in, seen)) in &before.server {
                if *was_in == name && !items.iter().any(|i| i.subject == *subject) {
                    items.push(Item {
                        subject: subject.clone(),
                        id: String::new(),
                        read: *seen,
                        gone: true,
                        note: String::new(),
                    });
                }
            }
            if name != "INBOX" && items.is_empty() {
                continue;
            }
            let title = match self.protocol {
                FetchProtocol::Pop3 => "Server · bob".to_string(),
                FetchProtocol::Imap => format!("Server · bob · {name}"),
            };
            let note = match self.protocol {
                FetchProtocol::Pop3 => "one maildrop, no flags".to_string(),
                FetchProtocol::Imap => format!("UIDVALIDITY {}", folder.uid_validity),
            };
            shelves.push(Shelf { title, items, note });
        }
        shelves
    }

    fn device_shelf(&self, device: Device, before: &Snapshot) -> Shelf {
        let i = index(device);
        let Some(dev) = self.devices.get(i) else {
            return Shelf {
                title: String::new(),
                items: Vec::new(),
                note: String::new(),
            };
        };
        let mut items: Vec<Item> = match &dev.mail {
            Mail::Pop3 { local, .. } => local
                .iter()
                .map(|l| Item {
                    subject: l.subject.clone(),
                    id: l.id.clone(),
                    read: l.read,
                    gone: false,
                    note: l
                        .folder
                        .map(|f| format!("in {f} on this device only"))
                        .unwrap_or_default(),
                })
                .collect(),
            // A message deleted offline is gone from the device's view at once; the
            // server hears of it at the next connection.
            Mail::Imap { cache, .. } => cache
                .messages
                .iter()
                .filter(|(_, m)| !m.flags.contains("\\Deleted"))
                .filter_map(|(uid, m)| {
                    Some(Item {
                        subject: header_value(m.bytes.as_deref()?, "Subject")?,
                        id: format!("UID {uid}"),
                        read: m.flags.contains("\\Seen"),
                        gone: false,
                        note: String::new(),
                    })
                })
                .collect(),
        };
        if let Some(was) = before.devices.get(i) {
            for (subject, &(read, _)) in was {
                if !items.iter().any(|it| it.subject == *subject) {
                    items.push(Item {
                        subject: subject.clone(),
                        id: String::new(),
                        read,
                        gone: true,
                        note: String::new(),
                    });
                }
            }
        }
        let note = match (&dev.mail, dev.online) {
            (_, false) => "offline".to_string(),
            (
                Mail::Imap {
                    session: Some(_), ..
                },
                true,
            ) => "connected · IDLE".to_string(),
            (Mail::Imap { cache, .. }, true) => match cache.uid_validity {
                Some(v) => format!("cache · UIDVALIDITY {v}"),
                None => "not connected yet".to_string(),
            },
            (Mail::Pop3 { .. }, true) => {
                if self.leave_on_server {
                    "POP3 · leaves a copy".to_string()
                } else {
                    "POP3 · download and delete".to_string()
                }
            }
        };
        Shelf {
            title: capitalised(device).to_string(),
            items,
            note,
        }
    }

    fn tally(&self, now: &Snapshot) -> Tally {
        let inbox = self.store.messages(USER).len();
        let on_server = match self.protocol {
            FetchProtocol::Pop3 => inbox,
            FetchProtocol::Imap => now.server.len(),
        };
        let mut places: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
        if self.protocol == FetchProtocol::Imap {
            for (subject, (_, seen)) in &now.server {
                places.entry(subject).or_default().push(*seen);
            }
        }
        for device in &now.devices {
            for (subject, read) in device {
                places.entry(subject).or_default().push(read.0);
            }
        }
        let shared: Vec<&Vec<bool>> = places.values().filter(|v| v.len() > 1).collect();
        let read_agrees = (!shared.is_empty()).then(|| {
            shared
                .iter()
                .all(|v| v.iter().all(|r| Some(r) == v.first()))
        });
        let [phone, laptop] = &now.devices;
        Tally {
            on_server,
            on_phone: phone.len(),
            on_laptop: laptop.len(),
            read_agrees,
            commands: self.commands,
            octets: self.octets,
        }
    }
}

fn quoted_list(subjects: &[&str]) -> String {
    let quoted: Vec<String> = subjects.iter().map(|s| format!("“{s}”")).collect();
    quoted.join(", ")
}

/// Moves units both ways until both sides fall silent; returns (commands sent, octets).
fn pump(
    conv: &mut dyn Conversation,
    store: &mut MailStore,
    now: Instant,
    device: Device,
    lines: &mut Vec<Line>,
) -> (u32, u64) {
    let (mut commands, mut octets) = (0, 0);
    // A session is a few dozen units; the bound only stops a broken one.
    for _ in 0..10_000 {
        let (bytes, direction, explanation) = if let Some(b) = conv.server_output() {
            let e = conv.to_client(now, &b);
            (b, Direction::ServerToClient, e)
        } else if let Some(b) = conv.client_output() {
            let e = conv.to_server(now, &b, store);
            commands += 1;
            (b, Direction::ClientToServer, e)
        } else {
            break;
        };
        octets += bytes.len() as u64;
        let text = String::from_utf8_lossy(&bytes);
        let mut rows = text.trim_end_matches("\r\n").split("\r\n");
        let first = rows.next().unwrap_or_default().to_string();
        let more = rows.count();
        lines.push(Line {
            device,
            direction,
            text: if more > 0 {
                format!("{first} … (+{more} lines)")
            } else {
                first
            },
            title: explanation.title,
            rfc: explanation.rfc,
        });
    }
    (commands, octets)
}
