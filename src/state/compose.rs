//! The compose form's draft: what the class typed and ticked, over the scenario the form
//! shows, and the scenario the form then describes. Pure, no DOM.
//!
//! The draft keeps only the fields the class changed; every other field shows the scenario
//! as it is, so a fault injected from the bar while the form is open shows up in it.

use std::rc::Rc;

use postroom_proto::smtp::types::Mailbox;
use postroom_sim::share::FAULTS;
use postroom_sim::{Action, Device, Fault, FetchProtocol, Scenario, ScenarioError, Security};
use yew::Reducible;

/// What Bob does after the mail arrives: stories a class can compare.
pub const STORIES: [(&str, &[Action]); 5] = [
    (
        crate::id!("story.laptop-phone-laptop"),
        &[
            Action::Check(Device::Laptop),
            Action::Check(Device::Phone),
            Action::Check(Device::Laptop),
        ],
    ),
    (
        crate::id!("story.phone-laptop"),
        &[Action::Check(Device::Phone), Action::Check(Device::Laptop)],
    ),
    (
        crate::id!("story.phone-reads"),
        &[
            Action::Check(Device::Phone),
            Action::Read(Device::Phone),
            Action::Check(Device::Laptop),
        ],
    ),
    (
        crate::id!("story.laptop-deletes"),
        &[
            Action::Check(Device::Phone),
            Action::Check(Device::Laptop),
            Action::Delete(Device::Laptop),
            Action::Check(Device::Phone),
        ],
    ),
    (crate::id!("story.nobody"), &[]),
];

/// The story select's value when the story is none of [`STORIES`]: it stays as it is.
pub const KEEP_STORY: &str = "keep";

/// A setting of one of Bob's devices, as its account dialog shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// "pop3" or "imap".
    Protocol,
    /// POP3: leave a copy on the server (a box).
    Keep,
    Server,
    User,
    Password,
    /// Empty: the protocol's usual port.
    Port,
    /// "tls", "starttls" or "none" ([`Security::code`]).
    Security,
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    From,
    To,
    Subject,
    Body,
    /// One-way latency of every link, in milliseconds.
    Latency,
    /// The index of one of [`STORIES`], or [`KEEP_STORY`].
    Story,
    Device(Device, Setting),
    /// Alice's outgoing server: [`Setting::Server`], `Port`, `Security` or `User`.
    Outgoing(Setting),
    /// A box: a fault of the list, or one chosen at a step (kept unless unticked).
    Fault(Fault),
}

/// What the class entered in a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Ticked(bool),
}

/// Why the scenario the form describes cannot run, and the field to say it beside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// [`Field::From`], [`Field::To`], or [`Field::Subject`] for the rest of the form.
    pub field: Field,
    pub message: String,
}

impl Problem {
    /// The field at fault: an address that does not parse, else the recipient (the domains
    /// must differ), else the form as a whole.
    pub fn of(s: &Scenario, error: &ScenarioError) -> Problem {
        let parse = |text: &str| Mailbox::try_from(text);
        let (field, example) = match (parse(&s.from), parse(&s.to)) {
            (Err(_), _) => (Field::From, Some("alice@example.org")),
            (Ok(_), Err(_)) => (Field::To, Some("bob@example.net")),
            (Ok(_), Ok(_)) if error.0.contains("domain") => (Field::To, None),
            _ => (Field::Subject, None),
        };
        let message = match example {
            Some(example) => format!("{error}: write it as name@domain, for example {example}."),
            None => format!("{error}."),
        };
        Problem { field, message }
    }
}

/// The fields the class changed, each with its latest value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    edits: Vec<(Field, Value)>,
}

impl Reducible for Draft {
    /// The class changed a field.
    type Action = (Field, Value);

    fn reduce(self: Rc<Self>, (field, value): (Field, Value)) -> Rc<Self> {
        let mut next = (*self).clone();
        next.edits.retain(|(f, _)| *f != field);
        next.edits.push((field, value));
        Rc::new(next)
    }
}

impl Draft {
    fn edit(&self, field: Field) -> Option<&Value> {
        self.edits
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, value)| value)
    }

    /// The text a field shows: as the class typed it, else from `base`.
    pub fn text(&self, field: Field, base: &Scenario) -> String {
        if let Some(Value::Text(text)) = self.edit(field) {
            return text.clone();
        }
        let device = |d: Device| base.settings(d);
        match field {
            Field::From => base.from.clone(),
            Field::To => base.to.clone(),
            Field::Subject => base.subject.clone(),
            Field::Body => base.body.clone(),
            Field::Latency => base.latency_ms.to_string(),
            Field::Story => STORIES
                .iter()
                .position(|(_, actions)| *actions == base.actions.as_slice())
                .map_or_else(|| KEEP_STORY.to_string(), |i| i.to_string()),
            Field::Device(d, Setting::Protocol) => match device(d).protocol {
                FetchProtocol::Pop3 => "pop3".to_string(),
                FetchProtocol::Imap => "imap".to_string(),
            },
            Field::Device(d, Setting::Server) => device(d).server.clone(),
            Field::Device(d, Setting::User) => device(d).user.clone(),
            Field::Device(d, Setting::Password) => device(d).password.clone(),
            Field::Device(d, Setting::Port) => match device(d).port {
                0 => String::new(),
                port => port.to_string(),
            },
            Field::Device(d, Setting::Security) => device(d).security.code().to_string(),
            Field::Outgoing(Setting::Server) => base.outgoing.server.clone(),
            Field::Outgoing(Setting::User) => base.outgoing.user.clone(),
            Field::Outgoing(Setting::Port) => match base.outgoing.port {
                0 => String::new(),
                port => port.to_string(),
            },
            Field::Outgoing(Setting::Security) => base.outgoing.security.code().to_string(),
            Field::Device(_, Setting::Keep) | Field::Outgoing(_) | Field::Fault(_) => String::new(),
        }
    }

    /// Whether a box is ticked: as the class left it, else from `base`.
    pub fn ticked(&self, field: Field, base: &Scenario) -> bool {
        if let Some(Value::Ticked(ticked)) = self.edit(field) {
            return *ticked;
        }
        match field {
            Field::Device(d, Setting::Keep) => base.settings(d).leave_on_server,
            Field::Fault(fault) => base.faults.contains(&fault),
            _ => false,
        }
    }

    /// The scenario the form describes ("Send this email": the story starts again with it).
    pub fn scenario(&self, base: &Scenario) -> Scenario {
        let mut next = self.form(base);
        self.keep_step_faults(base, &mut next);
        next
    }

    /// "Send it next": the story so far, then the form's email; the form's other settings
    /// apply too. None when the scenario holds as many emails as a share link can name.
    pub fn next_email(&self, base: &Scenario) -> Option<Scenario> {
        let mut next = self.form(base);
        // The form's email becomes the next one; the story's first email stays as it was.
        let subject = std::mem::replace(&mut next.subject, base.subject.clone());
        let body = std::mem::replace(&mut next.body, base.body.clone());
        // The new email comes after the story so far: its steps keep their numbers.
        self.keep_step_faults(base, &mut next);
        next.send_later(&subject, &body).map(|()| next)
    }

    /// Every field of the form read into `base`, with the faults of the list ticked (the
    /// faults chosen at a step are left to [`Draft::keep_step_faults`]).
    fn form(&self, base: &Scenario) -> Scenario {
        let text = |field| self.text(field, base);
        let mut s = base.clone();
        s.from = text(Field::From).trim().to_string();
        s.to = text(Field::To).trim().to_string();
        s.subject = text(Field::Subject);
        s.body = text(Field::Body);
        s.latency_ms = text(Field::Latency)
            .trim()
            .parse::<u64>()
            .map_or(base.latency_ms, |ms| ms.clamp(1, 10_000));
        for (device, settings) in [
            (Device::Phone, &mut s.phone),
            (Device::Laptop, &mut s.laptop),
        ] {
            let text = |setting| text(Field::Device(device, setting));
            let ticked = |setting| self.ticked(Field::Device(device, setting), base);
            settings.protocol = if text(Setting::Protocol) == "imap" {
                FetchProtocol::Imap
            } else {
                FetchProtocol::Pop3
            };
            settings.leave_on_server = ticked(Setting::Keep);
            // An empty or unreadable port means the protocol's usual one.
            settings.port = text(Setting::Port).trim().parse().unwrap_or(0);
            settings.server = text(Setting::Server).trim().to_string();
            settings.user = text(Setting::User).trim().to_string();
            settings.security = Security::from_code(&text(Setting::Security)).unwrap_or_default();
            settings.password = text(Setting::Password);
        }
        let out = |setting| text(Field::Outgoing(setting));
        s.outgoing.server = out(Setting::Server).trim().to_string();
        s.outgoing.user = out(Setting::User).trim().to_string();
        s.outgoing.port = out(Setting::Port).trim().parse().unwrap_or(0);
        s.outgoing.security =
            Security::from_code(&out(Setting::Security)).unwrap_or(Security::StartTls);
        if let Some((_, actions)) = text(Field::Story)
            .parse::<usize>()
            .ok()
            .and_then(|i| STORIES.get(i))
        {
            s.actions = actions.to_vec();
        }
        s.faults = FAULTS
            .into_iter()
            .filter(|f| self.ticked(Field::Fault(*f), base))
            .collect();
        s
    }

    /// Faults chosen at a step name steps of this story: they are kept (when still ticked)
    /// only if nothing else changed, since any other change renumbers the steps.
    fn keep_step_faults(&self, base: &Scenario, s: &mut Scenario) {
        let others = |x: &Scenario| Scenario {
            faults: x
                .faults
                .iter()
                .copied()
                .filter(|f| !f.at_a_step())
                .collect(),
            ..x.clone()
        };
        if others(s) == others(base) {
            let kept = step_faults(base).filter(|f| self.ticked(Field::Fault(*f), base));
            s.faults.extend(kept);
        }
    }
}

/// The faults of `s` chosen at a step of its story.
pub fn step_faults(s: &Scenario) -> impl Iterator<Item = Fault> + '_ {
    s.faults.iter().copied().filter(|f| f.at_a_step())
}

#[cfg(test)]
mod tests;
