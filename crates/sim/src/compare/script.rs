//! The comparison's scripts: the actions a script is made of, their share-link codes, and
//! the ready-made lessons.

use postroom_proto::i18n::Text;
use postroom_proto::text;

use crate::scenario::Device;

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
    pub fn label(self) -> Text {
        match self {
            Act::NewMail => text!("compare.act.new-mail"),
            Act::Check(d) => text!("compare.act.check", device = device_name(d)),
            Act::Read(d) => text!("compare.act.read", device = device_name(d)),
            Act::Delete(d) => text!("compare.act.delete", device = device_name(d)),
            Act::Offline(d) => text!("compare.act.offline", device = device_name(d)),
            Act::Online(d) => text!("compare.act.online", device = device_name(d)),
            Act::File(d) => text!("compare.act.file", device = device_name(d)),
        }
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

    pub(super) fn device(self) -> Option<Device> {
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

/// "phone", as a sentence names the device.
pub(super) fn device_name(device: Device) -> Text {
    match device {
        Device::Phone => text!("compare.device.phone"),
        Device::Laptop => text!("compare.device.laptop"),
    }
}

/// "Phone", as a shelf or a line starts.
pub(super) fn capitalised(device: Device) -> Text {
    match device {
        Device::Phone => text!("compare.device.phone-title"),
        Device::Laptop => text!("compare.device.laptop-title"),
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
    pub title: Text,
    pub lesson: Text,
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
            text!("compare.preset.two-devices"),
            text!("compare.preset.two-devices-lesson"),
            false,
            &[NewMail, NewMail, NewMail, Check(Phone), Check(Laptop)],
        ),
        preset(
            "leave-a-copy",
            text!("compare.preset.leave-a-copy"),
            text!("compare.preset.leave-a-copy-lesson"),
            true,
            &[
                NewMail,
                NewMail,
                Check(Phone),
                Check(Laptop),
                Read(Phone),
                Delete(Phone),
                Check(Laptop),
            ],
        ),
        preset(
            "read-and-delete",
            text!("compare.preset.read-and-delete"),
            text!("compare.preset.read-and-delete-lesson"),
            true,
            &[
                NewMail,
                NewMail,
                Check(Phone),
                Check(Laptop),
                Read(Phone),
                Delete(Laptop),
                Check(Phone),
            ],
        ),
        preset(
            "offline",
            text!("compare.preset.offline"),
            text!("compare.preset.offline-lesson"),
            true,
            &[
                NewMail,
                NewMail,
                Check(Phone),
                Check(Laptop),
                Offline(Phone),
                Read(Phone),
                Delete(Laptop),
                NewMail,
                Online(Phone),
            ],
        ),
        preset(
            "folders",
            text!("compare.preset.folders"),
            text!("compare.preset.folders-lesson"),
            true,
            &[
                NewMail,
                NewMail,
                Check(Phone),
                Check(Laptop),
                File(Laptop),
                Check(Phone),
            ],
        ),
    ]
}
