//! A scenario: what the class watches, as data that fits in a share link.

use postroom_proto::i18n::Text;
use postroom_proto::text;
use serde::{Deserialize, Serialize};

/// Which of Bob's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Device {
    Phone,
    Laptop,
}

impl Device {
    /// The label in the default story, where the recipient is Bob.
    pub fn label(self) -> &'static str {
        match self {
            Device::Phone => "Bob's phone",
            Device::Laptop => "Bob's laptop",
        }
    }

    /// The device's label for its owner, e.g. "Carol's phone".
    pub fn label_of(self, owner: &str) -> Text {
        match self {
            Device::Phone => text!("host.phone", owner = owner),
            Device::Laptop => text!("host.laptop", owner = owner),
        }
    }
}

/// How the story names the person behind an address: its local part, capitalised
/// (`carol@example.net` is Carol), up to a dot or plus sign (`jo.smith` is Jo).
pub fn person(address: &str) -> String {
    let local = address.split('@').next().unwrap_or_default();
    let first = local.split(['.', '+', '_', '-']).next().unwrap_or_default();
    if first.is_empty() {
        return "Someone".to_string();
    }
    capitalised(first)
}

/// `s` with its first letter in capitals. ASCII and the Latin-1 letters (é is É) only:
/// `char::to_uppercase` brings Unicode's case tables, 7 KB gzip on every page, for names
/// and labels that never need them.
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    let Some(c) = chars.next() else {
        return String::new();
    };
    let upper = match c {
        'a'..='z' => c.to_ascii_uppercase(),
        // Latin-1's small letters sit 0x20 above their capitals, except ÷ (no letter) and ÿ.
        'à'..='þ' if c != '÷' => char::from_u32(c as u32 - 0x20).unwrap_or(c),
        _ => c,
    };
    std::iter::once(upper).chain(chars).collect()
}

/// How a device fetches mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FetchProtocol {
    Pop3,
    Imap,
}

impl FetchProtocol {
    pub fn name(self) -> &'static str {
        match self {
            FetchProtocol::Pop3 => "POP3",
            FetchProtocol::Imap => "IMAP",
        }
    }

    /// The other protocol when `flip`, else this one.
    pub fn other_if(self, flip: bool) -> Self {
        match (self, flip) {
            (p, false) => p,
            (FetchProtocol::Pop3, true) => FetchProtocol::Imap,
            (FetchProtocol::Imap, true) => FetchProtocol::Pop3,
        }
    }
}

/// How a device protects its connection, as a mail program's account dialog offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Security {
    /// TLS from the first byte, on 995 (POP3) or 993 (IMAP): what RFC 8314 §3.3 asks
    /// today's mail programs to use.
    #[default]
    ImplicitTls,
    /// A plain connection on 110 or 143, upgraded with STLS / STARTTLS before the login;
    /// the program refuses to log in when the server does not offer it.
    StartTls,
    /// No encryption: the password and every message cross the network in clear.
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::ImplicitTls, Security::StartTls, Security::None];

    /// As a mail program's account dialog names it.
    /// Its label in an incoming account's dialog: the names and ports as they are, "None"
    /// in the page's language.
    pub fn label(self) -> Text {
        match self {
            Security::ImplicitTls => Text::verbatim("SSL/TLS (995, 993)"),
            Security::StartTls => Text::verbatim("STARTTLS (110, 143)"),
            Security::None => text!("compose.security-none-in"),
        }
    }

    /// Its name in share links.
    pub fn code(self) -> &'static str {
        match self {
            Security::ImplicitTls => "tls",
            Security::StartTls => "starttls",
            Security::None => "none",
        }
    }

    pub fn from_code(code: &str) -> Option<Security> {
        Security::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Security {
    /// As a mail program's outgoing-server dialog names it: SMTP's own ports.
    pub fn outgoing_label(self) -> Text {
        match self {
            Security::ImplicitTls => Text::verbatim("SSL/TLS (465)"),
            Security::StartTls => Text::verbatim("STARTTLS (587)"),
            Security::None => text!("compose.security-none-out"),
        }
    }
}

/// Alice's mail program's outgoing (SMTP submission) server, as its account dialog shows it.
/// A wrong entry fails as it would for a real program at a real provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The server's name; empty is her provider's (`smtp.` and her domain).
    #[serde(default)]
    pub server: String,
    /// 0 is the usual one for the security: 465 for SSL/TLS, else 587 (RFC 8314 §3.3, 6409).
    #[serde(default)]
    pub port: u16,
    /// STARTTLS (the default, as the story does), SSL/TLS from the first byte, or none.
    #[serde(default = "starttls")]
    pub security: Security,
    /// The login name; empty is her whole address, as providers ask.
    #[serde(default)]
    pub user: String,
}

fn starttls() -> Security {
    Security::StartTls
}

impl Default for Outgoing {
    fn default() -> Self {
        Outgoing {
            server: String::new(),
            port: 0,
            security: Security::StartTls,
            user: String::new(),
        }
    }
}

impl Outgoing {
    /// The port actually used: the one set, or the usual one for the security.
    pub fn port(&self) -> u16 {
        match (self.port, self.security) {
            (0, Security::ImplicitTls) => 465,
            (0, _) => 587,
            (port, _) => port,
        }
    }
}

/// A device's mail settings, as a mail program's account dialog shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSettings {
    pub protocol: FetchProtocol,
    /// POP3 only: leave a copy on the server instead of deleting after download.
    pub leave_on_server: bool,
    pub password: String,
    /// The port the device connects to on Bob's mail server; 0 is the protocol's own for
    /// its security (995 or 110 for POP3, 993 or 143 for IMAP). A wrong one fails as it
    /// would for a real program.
    #[serde(default)]
    pub port: u16,
    /// TLS from the start, STLS / STARTTLS before the login, or none.
    #[serde(default)]
    pub security: Security,
    /// The incoming-mail server's name; empty is Bob's server (mx. and his domain).
    #[serde(default)]
    pub server: String,
    /// The login name; empty is the local part of Bob's address.
    #[serde(default)]
    pub user: String,
}

impl DeviceSettings {
    /// The port actually used: the one set, or the protocol's own for its security.
    pub fn port(&self) -> u16 {
        let implicit = self.security == Security::ImplicitTls;
        match (self.port, self.protocol, implicit) {
            (0, FetchProtocol::Pop3, true) => 995,
            (0, FetchProtocol::Pop3, false) => 110,
            (0, FetchProtocol::Imap, true) => 993,
            (0, FetchProtocol::Imap, false) => 143,
            (port, ..) => port,
        }
    }
}

/// Something that goes wrong, on purpose, so the class sees what the protocols do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// Alice types the wrong password: AUTH fails with 535.
    WrongPassword,
    /// The recipient does not exist at the MX: 550, and Alice gets a bounce.
    UnknownRecipient,
    /// Bob's mailbox is full: 552, and Alice gets a bounce.
    MailboxFull,
    /// The MX greylists: 451 first, the relay retries 30 minutes later.
    Greylisting,
    /// example.net has no MX record: the relay falls back to the A record (RFC 5321 §5.1).
    NoMxRecord,
    /// The phone's connection drops before QUIT: POP3 deletes nothing.
    PhoneDropsBeforeQuit,
    /// The submission server does not offer STARTTLS, and Alice's client requires it.
    TlsNotOffered,
    /// Bob's mail server is down at first: the relay keeps the message and retries later.
    ServerDown,
    /// Alice's connection drops in the middle of DATA: nothing is delivered.
    DropMidData,
    /// The connection that carries this step (counted from 0) drops right after it.
    DropAfter(u32),
    /// A packet of the line at this step (counted from 0) is lost: TCP sends it again.
    LossAt(u32),
}

impl Fault {
    /// How the fault list and a lesson's moves name it.
    pub fn label(self) -> Text {
        match self {
            Fault::WrongPassword => text!("fault.wrong-password"),
            Fault::TlsNotOffered => text!("fault.no-starttls"),
            Fault::NoMxRecord => text!("fault.no-mx"),
            Fault::Greylisting => text!("fault.greylisting"),
            Fault::UnknownRecipient => text!("fault.unknown-recipient"),
            Fault::MailboxFull => text!("fault.mailbox-full"),
            Fault::PhoneDropsBeforeQuit => text!("fault.phone-drops"),
            Fault::ServerDown => text!("fault.server-down"),
            Fault::DropMidData => text!("fault.drop-mid-data"),
            Fault::DropAfter(_) => text!("fault.drop-after"),
            Fault::LossAt(_) => text!("fault.loss-at"),
        }
    }

    /// A fault chosen at a step, with its step counted from 1 as on screen.
    pub fn step_label(self) -> Text {
        match self {
            Fault::LossAt(n) => text!("fault.loss-at-step", step = u64::from(n) + 1),
            Fault::DropAfter(n) => text!("fault.drop-after-step", step = u64::from(n) + 1),
            other => other.label(),
        }
    }

    /// The step a fault chosen at a step of the story acts at; None for the others.
    pub fn step(self) -> Option<u32> {
        match self {
            Fault::DropAfter(step) | Fault::LossAt(step) => Some(step),
            _ => None,
        }
    }

    /// True for the faults chosen at a step of the story, which the fault menu offers there.
    pub fn at_a_step(self) -> bool {
        self.step().is_some()
    }
}

impl Scenario {
    /// Adds a fault chosen at step `at` of this scenario's timeline. The steps from there on
    /// change, so the faults chosen at later steps are renumbered (a lost packet only adds its
    /// note) or, after a dropped connection, which changes everything after it, let go.
    pub fn add_step_fault(&mut self, fault: Fault) {
        let Some(at) = fault.step() else {
            return;
        };
        if self.faults.contains(&fault) {
            return;
        }
        self.faults = self
            .faults
            .iter()
            .filter_map(|f| match (*f, fault) {
                (Fault::LossAt(n), Fault::LossAt(_)) if n >= at => Some(Fault::LossAt(n + 1)),
                (Fault::DropAfter(n), Fault::LossAt(_)) if n >= at => Some(Fault::DropAfter(n + 1)),
                (other, Fault::DropAfter(_)) if other.step().is_some_and(|n| n > at) => None,
                (other, _) => Some(other),
            })
            .collect();
        self.faults.push(fault);
    }
}

/// What Bob does with his devices after the mail has arrived, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The device checks for mail (connects, synchronises or downloads).
    Check(Device),
    /// The device marks the newest message read.
    Read(Device),
    /// The device deletes the newest message.
    Delete(Device),
    /// Alice sends another email: the scenario's `later[n]`.
    Send(u8),
    /// Bob sets the device up again with the other protocol (POP3 ↔ IMAP).
    Switch(Device),
}

/// A further email from Alice to Bob, sent during the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// One email from Alice to Bob, and what Bob's devices then do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// One-way latency of every link, in milliseconds.
    pub latency_ms: u64,
    pub phone: DeviceSettings,
    pub laptop: DeviceSettings,
    pub actions: Vec<Action>,
    pub faults: Vec<Fault>,
    /// Messages already in Bob's mailbox before the story starts (a busy inbox).
    #[serde(default)]
    pub existing_messages: u32,
    /// Further emails, sent when an [`Action::Send`] names them.
    #[serde(default)]
    pub later: Vec<Email>,
    /// Alice's mail program's outgoing server.
    #[serde(default)]
    pub outgoing: Outgoing,
}

impl Scenario {
    /// The recipient, as the lanes name him or her: Bob in the default story.
    pub fn recipient(&self) -> String {
        person(&self.to)
    }

    /// The sender: Alice in the default story.
    pub fn sender(&self) -> String {
        person(&self.from)
    }

    /// A device's label in this story, e.g. "Bob's phone".
    pub fn device_label(&self, device: Device) -> Text {
        device.label_of(&self.recipient())
    }

    pub fn settings(&self, device: Device) -> &DeviceSettings {
        match device {
            Device::Phone => &self.phone,
            Device::Laptop => &self.laptop,
        }
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    /// The protocol the device uses once every action so far has run.
    pub fn protocol_at_end(&self, device: Device) -> FetchProtocol {
        let switches = self
            .actions
            .iter()
            .filter(|a| **a == Action::Switch(device))
            .count();
        self.settings(device).protocol.other_if(switches % 2 == 1)
    }

    /// Alice sends one more email: it is kept with the scenario and sent as the next action.
    /// None when the scenario already holds as many as a share link can name.
    pub fn send_later(&mut self, subject: &str, body: &str) -> Option<()> {
        let n = u8::try_from(self.later.len()).ok()?;
        self.later.push(Email {
            subject: subject.to_string(),
            body: body.to_string(),
        });
        self.actions.push(Action::Send(n));
        Some(())
    }
}

impl Default for Scenario {
    /// The classroom story: Alice writes to Bob; Bob's laptop (IMAP) checks, his phone
    /// (POP3, download and delete) checks, and the laptop checks again — and finds the
    /// message gone, because POP3 deleted it from the server.
    fn default() -> Self {
        Scenario {
            from: "alice@example.org".to_string(),
            to: "bob@example.net".to_string(),
            subject: "Lunch on Friday?".to_string(),
            body: "Hi Bob,\n.. and bring the slides, please.\nAlice".to_string(),
            latency_ms: 40,
            phone: DeviceSettings {
                protocol: FetchProtocol::Pop3,
                leave_on_server: false,
                password: "secret".to_string(),
                port: 0,
                security: Security::ImplicitTls,
                server: String::new(),
                user: String::new(),
            },
            laptop: DeviceSettings {
                protocol: FetchProtocol::Imap,
                leave_on_server: true,
                password: "secret".to_string(),
                port: 0,
                security: Security::ImplicitTls,
                server: String::new(),
                user: String::new(),
            },
            actions: vec![
                Action::Check(Device::Laptop),
                Action::Check(Device::Phone),
                Action::Check(Device::Laptop),
            ],
            faults: Vec::new(),
            existing_messages: 0,
            later: Vec::new(),
            outgoing: Outgoing::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{capitalised, person};

    #[test]
    fn names_and_labels_take_a_capital_in_ascii_and_latin_1() {
        assert_eq!(person("carol@example.net"), "Carol");
        assert_eq!(person("jo.smith@example.net"), "Jo");
        assert_eq!(person("élodie@example.fr"), "Élodie");
        assert_eq!(person("@example.net"), "Someone");
        assert_eq!(capitalised("über"), "Über");
        assert_eq!(capitalised("ñandú"), "Ñandú");
        assert_eq!(capitalised("÷ and ÿ stay"), "÷ and ÿ stay");
        assert_eq!(capitalised("3 messages"), "3 messages");
        assert_eq!(capitalised("ω"), "ω");
        assert_eq!(capitalised(""), "");
    }
}
