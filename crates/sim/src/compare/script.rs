//! The comparison's scripts: the actions a script is made of, their share-link codes, and
//! the ready-made lessons.

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

pub(super) fn device_name(device: Device) -> &'static str {
    match device {
        Device::Phone => "phone",
        Device::Laptop => "laptop",
    }
}

pub(super) fn capitalised(device: Device) -> &'static str {
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
