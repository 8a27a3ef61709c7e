//! Bob's devices as the story and the comparison both model them: what a device holds
//! between sessions (a POP3 device's downloads and the unique-ids it has seen, an IMAP
//! device's cache), how it keeps up with a running session, and its mail program's clients.

use std::collections::BTreeMap;

use postroom_proto::imap::{self, DeviceCache, ImapClient};
use postroom_proto::mime::header_value;
use postroom_proto::pop3::{self, Keep, Pop3Client};
use postroom_proto::wire::ClientTls;
use postroom_proto::Instant;

use crate::scenario::{Device, DeviceSettings, FetchProtocol};

/// Both devices, in the order the panels show them.
pub(crate) const DEVICES: [Device; 2] = [Device::Phone, Device::Laptop];

/// One value for each of Bob's devices.
#[derive(Debug, Clone, Default)]
pub(crate) struct PerDevice<T> {
    pub phone: T,
    pub laptop: T,
}

impl<T> PerDevice<T> {
    pub fn new(mut make: impl FnMut(Device) -> T) -> Self {
        PerDevice {
            phone: make(Device::Phone),
            laptop: make(Device::Laptop),
        }
    }

    pub fn get(&self, device: Device) -> &T {
        match device {
            Device::Phone => &self.phone,
            Device::Laptop => &self.laptop,
        }
    }

    pub fn get_mut(&mut self, device: Device) -> &mut T {
        match device {
            Device::Phone => &mut self.phone,
            Device::Laptop => &mut self.laptop,
        }
    }

    /// Each device with its value, phone first.
    pub fn iter(&self) -> impl Iterator<Item = (Device, &T)> {
        DEVICES.into_iter().zip([&self.phone, &self.laptop])
    }
}

/// A message downloaded to a POP3 device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalCopy {
    /// Its unique-id, or a local number (`#1`) when downloaded without UIDL.
    pub id: String,
    pub subject: String,
    pub size: usize,
    /// Read on this device (POP3 has no flags on the server).
    pub read: bool,
    /// Filed in a folder on this device (POP3 has no folders on the server).
    pub folder: Option<&'static str>,
}

/// What a device holds between sessions.
#[derive(Debug, Clone)]
pub(crate) enum DeviceMail {
    Pop3 {
        /// The unique-ids downloaded before, and when (for "leave a copy").
        known: BTreeMap<String, Instant>,
        local: Vec<LocalCopy>,
    },
    Imap(DeviceCache),
}

/// A device in the story: its account settings now (a switch of protocol changes them
/// mid-story) and what it holds.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub settings: DeviceSettings,
    pub mail: DeviceMail,
}

/// A device's local mail while its session runs, as the session has it so far.
#[derive(Debug)]
pub(crate) enum DeviceProgress<'a> {
    None,
    /// POP3: the client's events, downloads among them.
    Pop3(&'a [pop3::ClientEvent]),
    Imap(&'a DeviceCache),
}

impl DeviceMail {
    pub fn empty(protocol: FetchProtocol) -> Self {
        match protocol {
            FetchProtocol::Pop3 => DeviceMail::Pop3 {
                known: BTreeMap::new(),
                local: Vec::new(),
            },
            FetchProtocol::Imap => DeviceMail::Imap(DeviceCache::default()),
        }
    }

    /// Catches up with what the device's running session has fetched, so the panels show it
    /// step by step; `seen` counts the POP3 events already taken. True if anything changed.
    pub fn follow(&mut self, progress: DeviceProgress<'_>, seen: &mut usize) -> bool {
        match (self, progress) {
            (DeviceMail::Pop3 { local, .. }, DeviceProgress::Pop3(events)) => {
                let before = local.len();
                for event in events.get(*seen..).unwrap_or_default() {
                    if let pop3::ClientEvent::MessageDownloaded {
                        unique_id, bytes, ..
                    } = event
                    {
                        keep_download(local, unique_id.as_deref(), bytes);
                    }
                }
                *seen = events.len();
                local.len() != before
            }
            (DeviceMail::Imap(cache), DeviceProgress::Imap(now)) => {
                // A cheap look first: a 10 000-message cache is not compared or copied at
                // every step, only when its shape or flags changed.
                let shape = |c: &DeviceCache| {
                    (
                        c.messages.len(),
                        c.messages.keys().next_back().copied(),
                        c.messages
                            .values()
                            .map(|m| m.flags.len() + usize::from(m.bytes.is_some()))
                            .sum::<usize>(),
                        c.uid_validity,
                    )
                };
                let changed =
                    shape(cache) != shape(now) || (cache.messages.len() < 64 && cache != now);
                if changed {
                    *cache = now.clone();
                }
                changed
            }
            _ => false,
        }
    }
}

/// Keeps a message a POP3 session downloaded, unless the device has it already. Without
/// UIDL (download and delete) a message number means something only within its session:
/// such a download is always new, with the next local number.
pub(crate) fn keep_download(local: &mut Vec<LocalCopy>, unique_id: Option<&str>, bytes: &[u8]) {
    let id = match unique_id {
        Some(id) if local.iter().any(|l| l.id == id) => return,
        Some(id) => id.to_string(),
        None => format!("#{}", local.len() + 1),
    };
    local.push(LocalCopy {
        id,
        subject: header_value(bytes, "Subject").unwrap_or_default(),
        size: bytes.len(),
        read: false,
        folder: None,
    });
}

/// A device's POP3 client: it logs in as `user`, and deletes what it downloaded unless it
/// leaves a copy on the server.
pub(crate) fn pop3_client(
    (user, password): (&str, &str),
    tls: ClientTls,
    leave_on_server: bool,
    known: BTreeMap<String, Instant>,
    now: Instant,
) -> Pop3Client {
    let mut config = pop3::ClientConfig::new(user, password);
    config.tls = tls;
    config.keep = if leave_on_server {
        Keep::LeaveOnServer { delete_after: None }
    } else {
        Keep::DownloadAndDelete
    };
    Pop3Client::new(config, known, now)
}

/// A device's IMAP client, starting from what its cache holds.
pub(crate) fn imap_client(
    (user, password): (&str, &str),
    tls: ClientTls,
    cache: DeviceCache,
) -> ImapClient {
    let mut config = imap::ClientConfig::new(user, password);
    config.tls = tls;
    ImapClient::new(config, cache)
}
