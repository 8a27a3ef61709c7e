//! What the comparison shows after each action: what every place holds before and after,
//! "what changed" in plain words, the shelves drawn for the server and each device, and the
//! outcome table's row.

use std::collections::BTreeMap;

use super::script::{capitalised, device_name, Act};
use super::{Item, Shelf, Side, Tally, FOLDER, USER};
use postroom_proto::i18n::Text;
use postroom_proto::mime::header_value;
use postroom_proto::text;

use crate::device::{DeviceMail, PerDevice, DEVICES};
use crate::scenario::{Device, FetchProtocol};

/// What every place holds, for comparing before and after.
#[derive(Debug, Clone, Default)]
pub(super) struct Snapshot {
    /// Subject → (folder, \Seen).
    pub server: BTreeMap<String, (String, bool)>,
    /// Per device: subject → (read, filed in a folder on the device).
    pub devices: PerDevice<BTreeMap<String, (bool, bool)>>,
}

impl Side {
    pub(super) fn snapshot(&self) -> Snapshot {
        let mut server = BTreeMap::new();
        for folder in self.store.folder_names(USER) {
            if let Some(f) = self.store.folder(USER, &folder) {
                for m in &f.messages {
                    let subject = header_value(&m.bytes, "Subject").unwrap_or_default();
                    server.insert(subject, (folder.clone(), m.flags.contains("\\Seen")));
                }
            }
        }
        let devices = PerDevice::new(|d| match &self.devices.get(d).mail {
            DeviceMail::Pop3 { local, .. } => postroom_proto::tree::map(
                local
                    .iter()
                    .map(|l| (l.subject.clone(), (l.read, l.folder.is_some()))),
            ),
            DeviceMail::Imap(cache) => {
                let inbox = cache
                    .messages
                    .values()
                    .filter(|m| !m.flags.contains("\\Deleted"))
                    .filter_map(|m| {
                        let subject = header_value(m.bytes.as_deref()?, "Subject")?;
                        Some((subject, (m.flags.contains("\\Seen"), false)))
                    });
                let folders = self
                    .other_folders(cache.uid_validity.is_some())
                    .into_iter()
                    .map(|(_, item)| (item.subject, (item.read, true)));
                postroom_proto::tree::map(inbox.chain(folders))
            }
        });
        Snapshot { server, devices }
    }

    /// "What changed", from the difference between two snapshots.
    pub(super) fn differences(&self, act: Act, before: &Snapshot, after: &Snapshot) -> Vec<Text> {
        let mut out = Vec::new();
        let actor = act.device();
        for (subject, (folder, seen)) in &before.server {
            match after.server.get(subject) {
                None => {
                    let how = match (self.protocol, act) {
                        (FetchProtocol::Pop3, _) => text!("compare.how.quit"),
                        _ => text!("compare.how.expunged"),
                    };
                    let unseen: Vec<Device> = DEVICES
                        .into_iter()
                        .filter(|d| !self.devices.get(*d).ever.contains(subject))
                        .collect();
                    out.push(match unseen.as_slice() {
                        [] => text!("compare.change.server-gone", subject = subject, how = how),
                        [one] => text!(
                            "compare.change.server-gone-unseen",
                            subject = subject,
                            how = how,
                            device = device_name(*one)
                        ),
                        _ => text!(
                            "compare.change.server-gone-nowhere",
                            subject = subject,
                            how = how
                        ),
                    });
                }
                Some((new_folder, _)) if new_folder != folder => out.push(text!(
                    "compare.change.server-moved",
                    subject = subject,
                    folder = new_folder
                )),
                Some((_, true)) if !seen => {
                    out.push(text!("compare.change.server-read", subject = subject))
                }
                Some((_, false)) if *seen => {
                    out.push(text!("compare.change.server-unread", subject = subject))
                }
                _ => {}
            }
        }
        for subject in after.server.keys() {
            if !before.server.contains_key(subject) {
                out.push(text!("compare.change.server-arrives", subject = subject));
            }
        }
        for device in DEVICES {
            let (was, now) = (before.devices.get(device), after.devices.get(device));
            let name = capitalised(device);
            let online = self.devices.get(device).online;
            // How the other devices hear of it: not at all (POP3), at the next connection
            // (offline), or at once by IDLE.
            let pushed = match (self.protocol, actor == Some(device), online) {
                (FetchProtocol::Pop3, ..) | (_, true, true) => Pushed::No,
                (_, true, false) => Pushed::Later,
                (_, false, _) => Pushed::Idle,
            };
            let mut got: Vec<&str> = now
                .keys()
                .filter(|s| !was.contains_key(*s))
                .map(String::as_str)
                .collect();
            // By arrival, then by name (keys all differ: no stable sort needed).
            got.sort_unstable_by_key(|s| (self.order.iter().position(|o| o == s), *s));
            if !got.is_empty() {
                let (device, subjects) = (&name, quoted_list(&got));
                out.push(match pushed {
                    Pushed::No => text!(
                        "compare.change.downloads",
                        device = device,
                        subjects = subjects
                    ),
                    Pushed::Later => text!(
                        "compare.change.downloads-later",
                        device = device,
                        subjects = subjects
                    ),
                    Pushed::Idle => text!(
                        "compare.change.downloads-idle",
                        device = device,
                        subjects = subjects
                    ),
                });
            }
            for (subject, &(read, filed)) in was {
                let (device, pop3) = (&name, self.protocol == FetchProtocol::Pop3);
                match now.get(subject) {
                    None => out.push(match pushed {
                        _ if pop3 => text!(
                            "compare.change.gone-here",
                            device = device,
                            subject = subject
                        ),
                        Pushed::No => {
                            text!("compare.change.gone", device = device, subject = subject)
                        }
                        Pushed::Later => text!(
                            "compare.change.gone-later",
                            device = device,
                            subject = subject
                        ),
                        Pushed::Idle => text!(
                            "compare.change.gone-idle",
                            device = device,
                            subject = subject
                        ),
                    }),
                    Some(&(r, _)) if r != read => out.push(match pushed {
                        _ if pop3 => text!(
                            "compare.change.read-here",
                            device = device,
                            subject = subject
                        ),
                        Pushed::No => {
                            text!("compare.change.read", device = device, subject = subject)
                        }
                        Pushed::Later => text!(
                            "compare.change.read-later",
                            device = device,
                            subject = subject
                        ),
                        Pushed::Idle => text!(
                            "compare.change.read-idle",
                            device = device,
                            subject = subject
                        ),
                    }),
                    Some(&(_, f)) if f != filed => out.push(match pushed {
                        _ if pop3 => text!(
                            "compare.change.filed-here",
                            device = device,
                            subject = subject,
                            folder = FOLDER
                        ),
                        Pushed::No => text!(
                            "compare.change.filed",
                            device = device,
                            subject = subject,
                            folder = FOLDER
                        ),
                        Pushed::Later => text!(
                            "compare.change.filed-later",
                            device = device,
                            subject = subject,
                            folder = FOLDER
                        ),
                        Pushed::Idle => text!(
                            "compare.change.filed-idle",
                            device = device,
                            subject = subject,
                            folder = FOLDER
                        ),
                    }),
                    _ => {}
                }
            }
        }
        out
    }

    pub(super) fn server_shelves(&self, before: &Snapshot) -> Vec<Shelf> {
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
                    note: Text::default(),
                })
                .collect();
            for (subject, (was_in, seen)) in &before.server {
                if *was_in == name && !items.iter().any(|i| i.subject == *subject) {
                    items.push(Item {
                        subject: subject.clone(),
                        id: String::new(),
                        read: *seen,
                        gone: true,
                        note: Text::default(),
                    });
                }
            }
            if name != "INBOX" && items.is_empty() {
                continue;
            }
            let title = match self.protocol {
                FetchProtocol::Pop3 => text!("compare.shelf.server", user = USER),
                FetchProtocol::Imap => {
                    text!("compare.shelf.server-folder", user = USER, folder = &name)
                }
            };
            let note = match self.protocol {
                FetchProtocol::Pop3 => text!("compare.shelf.maildrop"),
                FetchProtocol::Imap => {
                    Text::verbatim(format!("UIDVALIDITY {}", folder.uid_validity))
                }
            };
            shelves.push(Shelf { title, items, note });
        }
        shelves
    }

    pub(super) fn device_shelf(&self, device: Device, before: &Snapshot) -> Shelf {
        let dev = self.devices.get(device);
        let mut items: Vec<Item> = match &dev.mail {
            DeviceMail::Pop3 { local, .. } => local
                .iter()
                .map(|l| Item {
                    subject: l.subject.clone(),
                    id: l.id.clone(),
                    read: l.read,
                    gone: false,
                    note: l
                        .folder
                        .map(|f| text!("compare.item.filed-here", folder = f))
                        .unwrap_or_default(),
                })
                .collect(),
            // A message deleted offline is gone from the device's view at once; the
            // server hears of it at the next connection.
            DeviceMail::Imap(cache) => cache
                .messages
                .iter()
                .filter(|(_, m)| !m.flags.contains("\\Deleted"))
                .filter_map(|(uid, m)| {
                    Some(Item {
                        subject: header_value(m.bytes.as_deref()?, "Subject")?,
                        id: format!("UID {uid}"),
                        read: m.flags.contains("\\Seen"),
                        gone: false,
                        note: Text::default(),
                    })
                })
                .chain(
                    self.other_folders(cache.uid_validity.is_some())
                        .into_iter()
                        .map(|(folder, mut item)| {
                            item.note = text!("compare.item.on-server", folder = folder);
                            item
                        }),
                )
                .collect(),
        };
        for (subject, &(read, _)) in before.devices.get(device) {
            if !items.iter().any(|it| it.subject == *subject) {
                items.push(Item {
                    subject: subject.clone(),
                    id: String::new(),
                    read,
                    gone: true,
                    note: Text::default(),
                });
            }
        }
        let note = match (&dev.mail, dev.online) {
            (_, false) => text!("compare.shelf.offline"),
            (DeviceMail::Imap(_), true) if dev.session.is_some() => text!("compare.shelf.idle"),
            (DeviceMail::Imap(cache), true) => match cache.uid_validity {
                Some(v) => text!("compare.shelf.cache", validity = v),
                None => text!("compare.shelf.not-connected"),
            },
            (DeviceMail::Pop3 { .. }, true) => {
                if self.leave_on_server {
                    text!("compare.shelf.pop3-keeps")
                } else {
                    text!("compare.shelf.pop3-deletes")
                }
            }
        };
        Shelf {
            title: capitalised(device),
            items,
            note,
        }
    }

    /// The messages of the IMAP server's folders other than INBOX, as an IMAP device shows
    /// them: folders live on the server, so every device that has connected lists them (and
    /// opens them on demand) — none when it has never connected.
    fn other_folders(&self, connected: bool) -> Vec<(String, Item)> {
        if !connected || self.protocol != FetchProtocol::Imap {
            return Vec::new();
        }
        self.store
            .folder_names(USER)
            .into_iter()
            .filter(|name| name != "INBOX")
            .filter_map(|name| Some((self.store.folder(USER, &name)?, name)))
            .flat_map(|(folder, name)| {
                folder.messages.iter().map(move |m| {
                    let item = Item {
                        subject: header_value(&m.bytes, "Subject").unwrap_or_default(),
                        id: format!("UID {}", m.uid),
                        read: m.flags.contains("\\Seen"),
                        gone: false,
                        note: Text::default(),
                    };
                    (name.clone(), item)
                })
            })
            .collect()
    }

    pub(super) fn tally(&self, now: &Snapshot) -> Tally {
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
        for (_, held) in now.devices.iter() {
            for (subject, read) in held {
                places.entry(subject).or_default().push(read.0);
            }
        }
        let shared: Vec<&Vec<bool>> = places.values().filter(|v| v.len() > 1).collect();
        let read_agrees = (!shared.is_empty()).then(|| {
            shared
                .iter()
                .all(|v| v.iter().all(|r| Some(r) == v.first()))
        });
        let PerDevice { phone, laptop } = &now.devices;
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

/// How the other devices hear of a device's change.
#[derive(Debug, Clone, Copy)]
enum Pushed {
    /// Not at all, or it is the device's own doing while online.
    No,
    /// At the device's next connection (it is offline).
    Later,
    /// At once, by IDLE.
    Idle,
}

fn quoted_list(subjects: &[&str]) -> String {
    let quoted: Vec<String> = subjects.iter().map(|s| format!("“{s}”")).collect();
    quoted.join(", ")
}
