//! What a student may do in a lesson: the explorer's "+ Bob…", fault and compose actions and
//! device settings, or the comparison's actions. A move is applied to the world's starting
//! data (a scenario or a script); the world then runs again.

use postroom_proto::i18n::Text;
use postroom_proto::text;
use serde::{Deserialize, Serialize};

use crate::compare::{Act, Script, MAX_ACTS};
use crate::scenario::{Action, Device, Fault, FetchProtocol, Scenario, Security};
use crate::timeline::Timeline;

/// Bob's phone or laptop, as lesson files name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    Phone,
    Laptop,
}

impl From<Which> for Device {
    fn from(w: Which) -> Device {
        match w {
            Which::Phone => Device::Phone,
            Which::Laptop => Device::Laptop,
        }
    }
}

/// "+ Bob…": something Bob does, named `check-phone`, `read-laptop`, `delete-phone`,
/// `switch-laptop` (set the device up again with the other protocol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BobAction(pub Action);

/// A verb of "+ Bob…" and the action it names for a device.
type Verb = (&'static str, fn(Device) -> Action);

const VERBS: [Verb; 4] = [
    ("check", Action::Check),
    ("read", Action::Read),
    ("delete", Action::Delete),
    ("switch", Action::Switch),
];

impl TryFrom<String> for BobAction {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        let found = VERBS.iter().find_map(|(verb, action)| {
            let device = code.strip_prefix(verb)?.strip_prefix('-')?;
            match device {
                "phone" => Some(action(Device::Phone)),
                "laptop" => Some(action(Device::Laptop)),
                _ => None,
            }
        });
        found.map(BobAction).ok_or_else(|| {
            format!(
                "“{code}” is not something Bob does; write check, read, delete or switch, a \
                 dash, and phone or laptop (e.g. “check-phone”)"
            )
        })
    }
}

impl From<BobAction> for String {
    fn from(b: BobAction) -> String {
        let (verb, device) = match b.0 {
            Action::Check(d) => ("check", d),
            Action::Read(d) => ("read", d),
            Action::Delete(d) => ("delete", d),
            Action::Switch(d) => ("switch", d),
            Action::Send(n) => return format!("send-{n}"),
        };
        let device = match device {
            Device::Phone => "phone",
            Device::Laptop => "laptop",
        };
        format!("{verb}-{device}")
    }
}

/// A fault of the explorer's list, by the name its menu shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FaultName(pub Fault);

/// Every fault of the list with its name in lesson files.
pub const FAULT_NAMES: [(&str, Fault); 9] = [
    ("wrong-password", Fault::WrongPassword),
    ("no-tls", Fault::TlsNotOffered),
    ("drop-mid-data", Fault::DropMidData),
    ("server-down", Fault::ServerDown),
    ("no-mx", Fault::NoMxRecord),
    ("greylisting", Fault::Greylisting),
    ("unknown-recipient", Fault::UnknownRecipient),
    ("mailbox-full", Fault::MailboxFull),
    ("phone-drops", Fault::PhoneDropsBeforeQuit),
];

impl TryFrom<String> for FaultName {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        FAULT_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| FaultName(*f))
            .ok_or_else(|| {
                let names: Vec<&str> = FAULT_NAMES.iter().map(|(n, _)| *n).collect();
                format!("“{name}” is not a fault; one of {}", names.join(", "))
            })
    }
}

impl From<FaultName> for String {
    fn from(f: FaultName) -> String {
        FAULT_NAMES
            .iter()
            .find(|(_, x)| *x == f.0)
            .map_or_else(String::new, |(n, _)| (*n).to_string())
    }
}

/// A comparison action, by its share-link code: `n` (new mail), `pc` (phone checks), `lr`
/// (laptop reads), `pd`, `lf` (files in Work), `po` (goes offline), `pb` (back online), ….
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActCode(pub Act);

impl TryFrom<String> for ActCode {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Act::from_code(&code).map(ActCode).ok_or_else(|| {
            let codes: Vec<String> = Act::ALL.iter().map(|a| a.code()).collect();
            format!(
                "“{code}” is not a comparison action; one of {}",
                codes.join(", ")
            )
        })
    }
}

impl From<ActCode> for String {
    fn from(a: ActCode) -> String {
        a.0.code()
    }
}

/// A device's connection security, by its share-link name: `tls` (SSL/TLS from the first
/// byte, on 993 or 995), `starttls` (STARTTLS / STLS on 143 or 110) or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecurityName(pub Security);

impl TryFrom<String> for SecurityName {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Security::from_code(&code)
            .map(SecurityName)
            .ok_or_else(|| format!("“{code}” is not a security choice; tls, starttls or none"))
    }
}

impl From<SecurityName> for String {
    fn from(s: SecurityName) -> String {
        s.0.code().to_string()
    }
}

/// A device's account settings, as its dialog shows them; what is left out stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub device: Which,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<ProtocolName>,
    /// POP3: leave a copy on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// 0 is the protocol's own port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// SSL/TLS, STARTTLS or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityName>,
}

/// Alice's mail program's outgoing server, as its dialog shows it; what is left out stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutgoingSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// 0 is the usual port for the security (465 for SSL/TLS, else 587).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// SSL/TLS, STARTTLS or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProtocolName {
    Pop3,
    Imap,
}

impl From<ProtocolName> for FetchProtocol {
    fn from(p: ProtocolName) -> FetchProtocol {
        match p {
            ProtocolName::Pop3 => FetchProtocol::Pop3,
            ProtocolName::Imap => FetchProtocol::Imap,
        }
    }
}

/// An email Alice writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// One thing a student does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Move {
    /// "+ Bob…": Bob's device checks, reads, deletes, or is set up again.
    Bob(BobAction),
    /// A fault of the list is ticked.
    Fault(FaultName),
    /// A fault of the list is unticked.
    ClearFault(FaultName),
    /// The connection carrying the first line that starts with this text drops right after it.
    DropAfter(String),
    /// A packet of the first line that starts with this text is lost (TCP sends it again).
    LoseAt(String),
    /// The page's "the connection drops here", at a step (from 0) of the story on screen;
    /// lesson files name the line instead (saved progress keeps the step).
    #[serde(skip)]
    DropAfterStep(u32),
    /// The page's "a packet of this line is lost", at a step of the story on screen.
    #[serde(skip)]
    LoseAtStep(u32),
    /// A device's account settings change; the story runs again with them.
    Set(Settings),
    /// Alice's outgoing server settings change; the story runs again with them.
    Outgoing(OutgoingSettings),
    /// Alice writes a new email: the story starts again with it.
    Compose(Letter),
    /// Alice sends another email after the story so far.
    SendNext(Letter),
    /// The comparison: one more action in both worlds.
    Act(ActCode),
    /// The comparison: POP3 devices leave a copy on the server (or not).
    Keep(bool),
}

/// The kinds of move a lesson offers, as its `allow` list names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// "+ Bob…".
    Bob,
    /// Tick and untick the faults of the list.
    Faults,
    /// Faults at a line of the story: a dropped connection, a lost packet.
    StepFaults,
    /// The devices' account settings.
    Settings,
    /// Alice's outgoing server settings.
    Outgoing,
    /// Compose a new email (the story starts again).
    Compose,
    /// Send another email after the story.
    SendNext,
    /// The comparison's actions.
    Acts,
    /// The comparison's "leave a copy" setting.
    Keep,
}

impl Kind {
    /// Whether this kind acts on the comparison (else on the explorer's world).
    pub fn compares(self) -> bool {
        matches!(self, Kind::Acts | Kind::Keep)
    }
}

impl Move {
    pub fn kind(&self) -> Kind {
        match self {
            Move::Bob(_) => Kind::Bob,
            Move::Fault(_) | Move::ClearFault(_) => Kind::Faults,
            Move::DropAfter(_) | Move::LoseAt(_) | Move::DropAfterStep(_) | Move::LoseAtStep(_) => {
                Kind::StepFaults
            }
            Move::Set(_) => Kind::Settings,
            Move::Outgoing(_) => Kind::Outgoing,
            Move::Compose(_) => Kind::Compose,
            Move::SendNext(_) => Kind::SendNext,
            Move::Act(_) => Kind::Acts,
            Move::Keep(_) => Kind::Keep,
        }
    }

    /// What the move does, in a few words, for the list of what the student did; the page
    /// puts a capital at its start.
    pub fn label(&self) -> Text {
        let bob = |d: Device| d.label_of("Bob");
        match self {
            Move::Bob(b) => match b.0 {
                Action::Check(d) => text!("lesson.move.check", device = &bob(d)),
                Action::Read(d) => text!("lesson.move.read", device = &bob(d)),
                Action::Delete(d) => text!("lesson.move.delete", device = &bob(d)),
                Action::Switch(d) => text!("lesson.move.switch", device = &bob(d)),
                Action::Send(_) => text!("lesson.move.send"),
            },
            Move::Fault(f) => text!("lesson.move.fault", fault = &f.0.label()),
            Move::ClearFault(f) => text!("lesson.move.clear-fault", fault = &f.0.label()),
            Move::DropAfter(line) => text!("lesson.move.drop-after", line = line.as_str()),
            Move::LoseAt(line) => text!("lesson.move.lose-at", line = line.as_str()),
            Move::DropAfterStep(n) => text!("fault.drop-after-step", step = u64::from(*n) + 1),
            Move::LoseAtStep(n) => text!("fault.loss-at-step", step = u64::from(*n) + 1),
            Move::Set(s) => text!("lesson.move.set", device = &bob(Device::from(s.device))),
            Move::Outgoing(o) => {
                let server = o.server.as_deref().map(|s| match s.trim() {
                    "" => text!("lesson.outgoing.usual-server"),
                    s => Text::verbatim(s),
                });
                let port = o.port.map(|p| match p {
                    0 => text!("lesson.outgoing.usual-port"),
                    p => text!("lesson.outgoing.port", port = u64::from(p)),
                });
                let security = o.security.map(|s| s.0.outgoing_label());
                let user = o.user.as_deref().map(|u| match u.trim() {
                    "" => text!("lesson.outgoing.whole-address"),
                    u => text!("lesson.outgoing.user", user = u),
                });
                // A list of one to four parts, written as "a, b, c" in the message's own words.
                let set = [server, port, security, user]
                    .into_iter()
                    .flatten()
                    .reduce(|first, rest| text!("lesson.list", first = &first, rest = &rest))
                    .unwrap_or_default();
                text!("lesson.move.outgoing", settings = &set)
            }
            Move::Compose(l) => text!("lesson.move.compose", subject = l.subject.as_str()),
            Move::SendNext(l) => text!("lesson.move.send-next", subject = l.subject.as_str()),
            Move::Act(a) => a.0.label(),
            Move::Keep(true) => text!("lesson.move.keep"),
            Move::Keep(false) => text!("lesson.move.no-keep"),
        }
    }
}

/// The first step whose first line starts with `text` and on which `fits` holds.
fn step_of(timeline: &Timeline, text: &str, fits: impl Fn(usize) -> bool) -> Option<u32> {
    (0..timeline.len())
        .find(|&i| {
            timeline
                .steps
                .get(i)
                .is_some_and(|s| s.label().starts_with(text))
                && fits(i)
        })
        .and_then(|i| u32::try_from(i).ok())
}

/// Applies an explorer move to `scenario`, whose world is `timeline`; the reason when it
/// cannot apply.
pub fn apply_to_scenario(
    scenario: &mut Scenario,
    timeline: &Timeline,
    mv: &Move,
) -> Result<(), Text> {
    match mv {
        Move::Bob(b) => scenario.actions.push(b.0),
        Move::Fault(f) => {
            if !scenario.has(f.0) {
                scenario.faults.push(f.0);
            }
        }
        Move::ClearFault(f) => scenario.faults.retain(|x| *x != f.0),
        Move::DropAfter(text) => {
            let step = step_of(timeline, text, |i| timeline.connection_goes_on(i))
                .ok_or_else(|| text!("lesson.cannot.drop-after", text = text.as_str()))?;
            scenario.add_step_fault(Fault::DropAfter(step));
        }
        Move::LoseAt(text) => {
            let step = step_of(timeline, text, |i| timeline.on_the_wire(i))
                .ok_or_else(|| text!("lesson.cannot.lose-at", text = text.as_str()))?;
            scenario.add_step_fault(Fault::LossAt(step));
        }
        Move::DropAfterStep(n) => {
            if !usize::try_from(*n).is_ok_and(|i| timeline.connection_goes_on(i)) {
                return Err(text!("lesson.cannot.drop-after-step"));
            }
            scenario.add_step_fault(Fault::DropAfter(*n));
        }
        Move::LoseAtStep(n) => {
            if !usize::try_from(*n).is_ok_and(|i| timeline.on_the_wire(i)) {
                return Err(text!("lesson.cannot.lose-at-step"));
            }
            scenario.add_step_fault(Fault::LossAt(*n));
        }
        Move::Set(s) => {
            let device = match s.device {
                Which::Phone => &mut scenario.phone,
                Which::Laptop => &mut scenario.laptop,
            };
            if let Some(p) = s.protocol {
                device.protocol = p.into();
            }
            if let Some(keep) = s.keep {
                device.leave_on_server = keep;
            }
            if let Some(server) = &s.server {
                device.server = server.trim().to_string();
            }
            if let Some(user) = &s.user {
                device.user = user.trim().to_string();
            }
            if let Some(password) = &s.password {
                device.password = password.clone();
            }
            if let Some(port) = s.port {
                device.port = port;
            }
            if let Some(security) = s.security {
                device.security = security.0;
            }
            // Step faults name steps of the old story, which the new settings renumber.
            scenario.faults.retain(|f| !f.at_a_step());
        }
        Move::Outgoing(o) => {
            let out = &mut scenario.outgoing;
            if let Some(server) = &o.server {
                out.server = server.trim().to_string();
            }
            if let Some(port) = o.port {
                out.port = port;
            }
            if let Some(security) = o.security {
                out.security = security.0;
            }
            if let Some(user) = &o.user {
                out.user = user.trim().to_string();
            }
            scenario.faults.retain(|f| !f.at_a_step());
        }
        Move::Compose(letter) => {
            scenario.subject = letter.subject.clone();
            scenario.body = letter.body.clone();
            scenario.faults.retain(|f| !f.at_a_step());
        }
        Move::SendNext(letter) => {
            scenario
                .send_later(&letter.subject, &letter.body)
                .ok_or_else(|| text!("lesson.cannot.send-more"))?;
        }
        Move::Act(_) | Move::Keep(_) => return Err(text!("lesson.cannot.compare-move")),
    }
    Ok(())
}

/// Applies a comparison move to `script`.
pub fn apply_to_script(script: &mut Script, mv: &Move) -> Result<(), Text> {
    match mv {
        Move::Act(a) => {
            if script.acts.len() >= MAX_ACTS {
                return Err(text!("lesson.cannot.more-acts", count = MAX_ACTS));
            }
            script.acts.push(a.0);
        }
        Move::Keep(keep) => script.leave_on_server = *keep,
        _ => return Err(text!("lesson.cannot.world-move")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_read_and_write_their_names() {
        let text = r#"[{"bob": "check-phone"}, {"fault": "no-mx"}, {"act": "lf"},
            {"set": {"device": "laptop", "port": 143, "security": "starttls"}}, {"keep": true},
            {"outgoing": {"server": "smtp.example.org", "port": 465, "security": "tls"}}]"#;
        let moves: Vec<Move> = serde_json::from_str(text).unwrap();
        assert_eq!(moves[0], Move::Bob(BobAction(Action::Check(Device::Phone))));
        assert_eq!(moves[1], Move::Fault(FaultName(Fault::NoMxRecord)));
        assert_eq!(moves[2], Move::Act(ActCode(Act::File(Device::Laptop))));
        let back = serde_json::to_string(&moves).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Move>>(&back).unwrap(), moves);
        let e = serde_json::from_str::<Move>(r#"{"bob": "check-fone"}"#).unwrap_err();
        assert!(e.to_string().contains("not something Bob does"), "{e}");
        let e = serde_json::from_str::<Move>(r#"{"fault": "meteor"}"#).unwrap_err();
        assert!(e.to_string().contains("greylisting"), "{e}");
        for m in &moves {
            assert!(!m.label().is_empty());
        }
    }
}
