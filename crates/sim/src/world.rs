//! Runs a scenario on the virtual clock and records the timeline: Alice submits, the
//! provider looks up the MX and relays (retrying, or bouncing), the MX stores, and Bob's
//! devices fetch and act. This module tells the story; its connections run in
//! `connection.rs`, and a device finds its server in `reach.rs`.

mod connection;
mod reach;

use reach::Caller;

use std::collections::BTreeMap;

use postroom_proto::i18n::Text;
use postroom_proto::imap::{DeviceCache, Intent};
use postroom_proto::message::Message;
use postroom_proto::smtp::{
    self, ClientConfig, ClientTls, Mailbox, ReversePath, SmtpClient, TlsPolicy,
};
use postroom_proto::{text, Duration, Instant, MailStore};

use crate::clock;
use crate::conversation::{Imap, Pop3, Smtp};
use crate::device::{self, Account, DeviceMail, LocalCopy, PerDevice};
use crate::drive::{Ending, Pair};
use crate::host::{Host, HostId, ALICE, LAPTOP, MX, PHONE, SUBMISSION};
use crate::narration::{self, Note, Retry};
use crate::net::dns::Dns;
use crate::net::faults::{Cut, FaultPlan};
use crate::net::services::{Service, Services};
use crate::recorder::{Entry, Places, Recorder};
use crate::scenario::{Action, Device, DeviceSettings, Fault, FetchProtocol, Scenario, Security};
use crate::timeline::{Phase, Protocol, Timeline};

pub use crate::clock::EPOCH_UNIX;

/// A run never records more steps than this, whatever the sessions do.
pub const MAX_STEPS: usize = 10_000;

/// RFC 5321 §4.5.4.1: "the retry interval SHOULD be at least 30 minutes".
const RETRY_AFTER: Duration = Duration::from_secs(30 * 60);
/// A mail program sends what stayed in its Outbox again this much later.
const RESEND_AFTER: Duration = Duration::from_secs(60);
/// Attempts at submission shown: the first, and one more after a lost connection.
const SUBMISSION_ATTEMPTS: u32 = 2;

/// How one attempt at submission ended.
#[derive(Debug)]
enum Submission {
    /// The provider took the message (its content as it will be relayed).
    Accepted(Vec<u8>),
    /// Refused for good (a wrong password, no TLS, a refused message): sending again as it
    /// is would not help.
    Failed(Text),
    /// The connection was lost: the message stays in the Outbox and is sent again.
    Lost(Text),
}

/// Why a scenario cannot run; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The mailbox store a connection's server works on.
#[derive(Debug, Clone, Copy)]
enum Which {
    Provider,
    Mx,
}

struct World<'s> {
    scenario: &'s Scenario,
    now: Instant,
    /// One-way latency of every link.
    latency: Duration,
    faults: FaultPlan,
    dns: Dns,
    services: Services,
    places: Places,
    recorder: Recorder,
    /// Emails Alice has sent so far; some faults strike only the first.
    sent: u32,
}

/// Runs the scenario and returns every step.
pub fn run(scenario: &Scenario) -> Result<Timeline, ScenarioError> {
    run_limited(scenario, MAX_STEPS)
}

/// Runs the scenario, stopping after `limit` steps (at most [`MAX_STEPS`]).
pub fn run_limited(scenario: &Scenario, limit: usize) -> Result<Timeline, ScenarioError> {
    let from = Mailbox::try_from(scenario.from.as_str()).map_err(|_| {
        ScenarioError(format!(
            "\"{}\" is not a valid sender address",
            scenario.from
        ))
    })?;
    let to = Mailbox::try_from(scenario.to.as_str()).map_err(|_| {
        ScenarioError(format!(
            "\"{}\" is not a valid recipient address",
            scenario.to
        ))
    })?;
    if from.domain().eq_ignore_ascii_case(to.domain()) {
        return Err(ScenarioError("Alice and Bob need different mail domains, so the message has to travel between providers".into()));
    }
    let mut world = World {
        scenario,
        now: Instant::ZERO,
        latency: Duration::from_millis(scenario.latency_ms.clamp(1, 10_000)),
        faults: FaultPlan::new(&scenario.faults),
        dns: Dns::new(from.domain(), to.domain()),
        services: Services::new(from.domain(), to.domain()),
        places: Places {
            provider: MailStore::new(),
            mx: MailStore::new(),
            alice: from.local_part().to_ascii_lowercase(),
            bob: to.local_part().to_ascii_lowercase(),
            devices: PerDevice::new(|device| {
                let settings = scenario.settings(device).clone();
                Account {
                    mail: DeviceMail::empty(settings.protocol),
                    settings,
                }
            }),
            devices_version: 0,
        },
        recorder: Recorder::new(
            limit.min(MAX_STEPS),
            Phase {
                label: text!("phase.submission"),
                protocol: Protocol::Smtp,
            },
        ),
        sent: 0,
    };
    let places = &mut world.places;
    places.provider.add_account(from.local_part(), "secret");
    if !world.faults.has(Fault::UnknownRecipient) {
        places.mx.add_account(to.local_part(), "secret");
    }
    if world.faults.has(Fault::MailboxFull) {
        places.mx.set_quota(to.local_part(), Some(100));
    }
    for i in 1..=scenario.existing_messages.min(100_000) {
        let old = Message::new(
            "newsletter@example.com",
            &scenario.to,
            &format!("Older message {i}"),
            clock::START_DATE,
            "Read me later.",
        );
        places
            .mx
            .deliver(to.local_part(), "newsletter@example.com", old.to_bytes());
    }
    world.send_mail(&from, &to, &scenario.subject, &scenario.body);
    for action in &scenario.actions {
        if world.recorder.is_full() {
            break;
        }
        match *action {
            Action::Send(n) => {
                if let Some(email) = scenario.later.get(usize::from(n)) {
                    world.send_mail(&from, &to, &email.subject, &email.body);
                }
            }
            Action::Switch(device) => world.switch(device),
            action => world.act(action),
        }
    }
    let hosts = vec![
        Host::new(
            text!("host.sender", owner = scenario.sender()),
            &format!("laptop.{}", from.domain()),
            text!("host.sender-role"),
        ),
        Host::new(
            text!("host.submission"),
            world.services.submission(),
            text!("host.submission-role", port = scenario.outgoing.port()),
        ),
        Host::new(
            text!("host.resolver"),
            "resolver",
            text!("host.resolver-role"),
        ),
        Host::new(
            text!("host.mx", owner = scenario.recipient()),
            world.services.mx(),
            text!("host.mx-role"),
        ),
        Host::new(
            scenario.device_label(Device::Phone),
            "phone",
            device_role(scenario, Device::Phone),
        ),
        Host::new(
            scenario.device_label(Device::Laptop),
            "laptop",
            device_role(scenario, Device::Laptop),
        ),
    ];
    Ok(world.recorder.finish(hosts))
}

fn device_role(scenario: &Scenario, device: Device) -> Text {
    let s = scenario.settings(device);
    let port = s.port();
    if scenario.actions.contains(&Action::Switch(device)) {
        // The lane is narrow: both protocols, without the details.
        return Text::verbatim(format!(
            "{} ⇄ {}",
            s.protocol.name(),
            s.protocol.other_if(true).name()
        ));
    }
    match s.protocol {
        FetchProtocol::Pop3 if s.leave_on_server => text!("host.pop3-keeps", port = port),
        FetchProtocol::Pop3 => text!("host.pop3-deletes", port = port),
        FetchProtocol::Imap => Text::verbatim(format!("IMAP :{port}")),
    }
}

impl World<'_> {
    fn store(&mut self, which: Which) -> &mut MailStore {
        match which {
            Which::Provider => &mut self.places.provider,
            Which::Mx => &mut self.places.mx,
        }
    }

    /// Both providers' stores stamp arrivals with the world's clock.
    fn sync_clocks(&mut self) {
        clock::set(&mut self.places.provider, self.now);
        clock::set(&mut self.places.mx, self.now);
    }

    fn record(&mut self, entry: Entry) {
        self.recorder.record(&self.places, self.now, entry);
    }

    /// Something happening inside one host.
    fn local(&mut self, host: HostId, note: Note) {
        self.recorder.local(&self.places, self.now, host, note);
    }

    fn tell(&mut self, sentence: Text) {
        self.recorder.tell(sentence);
    }

    // ---- the journey ----

    fn send_mail(&mut self, from: &Mailbox, to: &Mailbox, subject: &str, body: &str) {
        let s = self.scenario;
        // Faults that strike once (a dropped connection, a server down) strike the first email.
        let first = self.sent == 0;
        self.sent += 1;
        let date = clock::date(self.now);
        let message = Message::new(&s.from, &s.to, subject, &date, body).to_bytes();
        let mut attempt = 1;
        let content = loop {
            match self.submit(from, to, message.clone(), first && attempt == 1) {
                Submission::Accepted(content) => break content,
                Submission::Failed(why) => {
                    self.tell(text!("outcome.not-sent", why = &why));
                    return;
                }
                Submission::Lost(why) if attempt < SUBMISSION_ATTEMPTS => {
                    // A mail program keeps what it could not send in its Outbox and sends it
                    // again: the connection, not the message, was the problem.
                    self.tell(text!("outcome.resent", attempt = attempt, why = &why));
                    self.now = self.now + RESEND_AFTER;
                    self.sync_clocks();
                    self.local(ALICE, narration::resend(&why));
                    attempt += 1;
                }
                Submission::Lost(why) => {
                    self.tell(text!("outcome.not-sent", why = &why));
                    return;
                }
            }
        };
        self.tell(text!("outcome.accepted"));
        self.relay_now(from, to, content);
    }

    /// One attempt at submission: Alice's client to her provider, TLS and login first
    /// (RFC 6409). `faulty`: the faults that strike the first attempt of the first email
    /// strike this one.
    fn submit(
        &mut self,
        from: &Mailbox,
        to: &Mailbox,
        message: Vec<u8>,
        faulty: bool,
    ) -> Submission {
        self.recorder
            .set_phase(text!("phase.submission"), Protocol::Smtp);
        let out = &self.scenario.outgoing;
        let implicit = out.security == Security::ImplicitTls;
        let caller = Caller {
            host: ALICE,
            who: text!("outcome.mail-program", person = self.scenario.sender()),
            server: out.server.trim(),
            home: SUBMISSION,
            port: out.port(),
            wanted: Service::Smtp,
            implicit,
        };
        let Some(host) = self.reach(&caller) else {
            return Submission::Failed(text!("outcome.unreachable"));
        };
        let mut config = ClientConfig::new(&format!("laptop.{}", from.domain()));
        config.tls = match out.security {
            Security::StartTls => ClientTls::Required,
            // Already encrypted, or never.
            Security::ImplicitTls | Security::None => ClientTls::Never,
        };
        config.implicit_tls = implicit;
        // Told that the server requires a login, the program tries it whatever EHLO lists.
        config.auth_unoffered = true;
        let password = if self.faults.has(Fault::WrongPassword) {
            "wrong-password"
        } else {
            "secret"
        };
        // Providers want the whole address as the user name; the setting may say otherwise.
        let user = match out.user.trim() {
            "" => from.to_string(),
            user => user.to_string(),
        };
        config.credentials = Some((user, password.to_string()));
        let mut client = SmtpClient::new(config, self.now);
        let _ = client.send(
            ReversePath::Mailbox(from.clone()),
            vec![to.clone()],
            message,
        );
        client.quit();
        let tls = if self.faults.has(Fault::TlsNotOffered) {
            TlsPolicy::NotOffered
        } else {
            TlsPolicy::Required
        };
        let Some(server) = self
            .services
            .smtp_server((host, caller.port), tls, false, self.now)
        else {
            // `reach` found an SMTP server there: this does not happen.
            return Submission::Failed(text!("outcome.no-smtp"));
        };
        let which = if host == MX {
            Which::Mx
        } else {
            Which::Provider
        };
        let mut conv = Pair::<Smtp>::new(client, server);
        let cut = self.faults.submission_cut(faulty);
        let ending = self.converse(&mut conv, (ALICE, host), which, cut);
        let accepted = conv.server_events.iter().find_map(|e| match e {
            smtp::ServerEvent::MessageAccepted {
                remote, content, ..
            } if !remote.is_empty() => Some(content.clone()),
            _ => None,
        });
        let heard = conv
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        match accepted {
            Some(content) if heard || ending == Ending::Quiet => {
                return Submission::Accepted(content)
            }
            Some(content) => {
                // Stored, but the 250 was lost: the provider relays it, and Alice's program,
                // which never heard so, sends it again (RFC 5321 §4.5.3.2.6).
                self.tell(text!("outcome.accepted-unheard"));
                self.relay_now(from, to, content);
                return Submission::Lost(text!("note.lost.before-250"));
            }
            None => {}
        }
        let refused = conv.client_events.iter().find_map(|e| match e {
            smtp::ClientEvent::AuthenticationFailed(r) => {
                Some(text!("outcome.login-refused", reply = r.text()))
            }
            // The engine's client says why it gave up in its own (English) words.
            smtp::ClientEvent::GaveUp(why) => Some(Text::verbatim(why.clone())),
            smtp::ClientEvent::MessageRejected(r) => {
                Some(text!("outcome.rejected", reply = r.text()))
            }
            _ => None,
        });
        match (refused, cut, ending) {
            (Some(why), _, _) => Submission::Failed(why),
            (None, Cut::MidData, _) => Submission::Lost(text!("note.lost.mid-data")),
            (None, _, Ending::Dropped | Ending::Cut) => {
                Submission::Lost(text!("note.lost.before-taken"))
            }
            (None, _, Ending::Quiet) => Submission::Failed(text!("outcome.incomplete")),
        }
    }

    /// The provider passes on a message it took: DNS finds where mail for Bob's domain
    /// goes, then the relay carries it there (the content has the submission server's
    /// Received: line, RFC 5321 §4.4; the MX adds its own).
    fn relay_now(&mut self, from: &Mailbox, to: &Mailbox, content: Vec<u8>) {
        self.recorder
            .set_phase(Text::verbatim("DNS"), Protocol::Dns);
        let no_mx = self.faults.has(Fault::NoMxRecord);
        for lookup in self.dns.mx_lookups(to.domain(), no_mx) {
            self.ask_dns(
                SUBMISSION,
                lookup,
                (text!("state.resolving"), text!("state.resolved")),
            );
        }
        self.relay(from, to, content, 1);
    }

    /// Relays to the MX; `attempt` counts from 1. A temporary failure (4xx, the server down,
    /// the connection lost) keeps the message in the relay's queue for another attempt 30
    /// minutes later (RFC 5321 §4.5.4.1); a permanent one (5xx) bounces.
    fn relay(&mut self, from: &Mailbox, to: &Mailbox, content: Vec<u8>, attempt: u32) {
        self.recorder
            .set_phase(text!("phase.relay"), Protocol::Smtp);
        if self.faults.server_down(self.sent == 1, attempt) {
            self.local(SUBMISSION, narration::server_down(self.services.mx()));
            return self.retry(from, to, content, attempt, Retry::ServerDown);
        }
        let mut config = ClientConfig::new(self.services.submission());
        config.tls = ClientTls::IfOffered;
        let mut client = SmtpClient::new(config, self.now);
        let _ = client.send(
            ReversePath::Mailbox(from.clone()),
            vec![to.clone()],
            content.clone(),
        );
        client.quit();
        let greylisting = self.faults.has(Fault::Greylisting);
        let server = self.services.relay_server(greylisting, self.now);
        let mut conv = Pair::<Smtp>::new(client, server);
        let dropped =
            self.converse(&mut conv, (SUBMISSION, MX), Which::Mx, Cut::Never) == Ending::Dropped;
        let refused = conv.client_events.iter().find_map(|e| match e {
            smtp::ClientEvent::RecipientRefused { reply, .. }
            | smtp::ClientEvent::MessageRejected(reply) => Some(reply.clone()),
            _ => None,
        });
        let delivered = conv
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        let stored = conv
            .server_events
            .iter()
            .any(|e| matches!(e, smtp::ServerEvent::MessageAccepted { .. }));
        let (owner, mx) = (self.places.bob.as_str(), self.services.mx());
        if delivered {
            self.tell(text!("outcome.reached", owner = owner, server = mx));
            return;
        }
        if stored {
            // Stored, but the 250 was lost with the connection: the relay cannot know.
            self.tell(text!("outcome.reached-unheard", owner = owner, server = mx));
        }
        match refused {
            Some(reply) if !reply.code().is_transient_failure() => {
                self.bounce(from, to, &reply.text(), reply.code().value());
            }
            Some(_) => self.retry(from, to, content, attempt, Retry::TemporaryFailure),
            None if dropped && stored => {
                self.retry(from, to, content, attempt, Retry::StoredUnheard)
            }
            None if dropped => self.retry(from, to, content, attempt, Retry::Unanswered),
            None => self.tell(text!("outcome.relay-incomplete")),
        }
    }

    /// Waits 30 minutes and relays again, or, after the last attempt shown, says the message
    /// stays queued: a relay keeps trying for days before it bounces.
    fn retry(&mut self, from: &Mailbox, to: &Mailbox, content: Vec<u8>, attempt: u32, why: Retry) {
        const ATTEMPTS_SHOWN: u32 = 3;
        if attempt >= ATTEMPTS_SHOWN {
            let server = self.services.submission();
            self.tell(text!("outcome.queued", attempt = attempt, server = server));
            return;
        }
        self.now = self.now + RETRY_AFTER;
        self.sync_clocks();
        self.local(
            SUBMISSION,
            narration::retry(self.services.submission(), why),
        );
        self.relay(from, to, content, attempt + 1);
    }

    /// RFC 3464: the relay tells the sender, with a delivery status notification sent from
    /// the null reverse path so that it can never bounce back in a loop.
    fn bounce(&mut self, from: &Mailbox, to: &Mailbox, why: &str, code: u16) {
        self.recorder
            .set_phase(text!("phase.bounce"), Protocol::Local);
        let dsn = format!(
            "From: Mail Delivery System <MAILER-DAEMON@smtp.{d}>\r\nTo: {from}\r\nSubject: Undelivered Mail Returned to Sender\r\n\
Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n\
--dsn\r\nContent-Type: text/plain\r\n\r\nYour message to {to} could not be delivered: {why}\r\n\r\n\
--dsn\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; smtp.{d}\r\n\r\nFinal-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: {status}\r\n\r\n--dsn--\r\n",
            d = from.domain(),
            date = clock::date(self.now),
            status = if code == 552 { "5.2.2" } else { "5.1.1" },
        );
        self.places
            .provider
            .deliver(from.local_part(), "", dsn.into_bytes());
        self.local(SUBMISSION, narration::bounce(&from.to_string()));
        self.tell(text!("outcome.bounced", code = code, why = why));
    }

    // ---- Bob's devices ----

    /// Bob removes the device's account and adds it again with the other protocol: the
    /// device starts empty and learns the mailbox afresh at its next check.
    fn switch(&mut self, device: Device) {
        let account = self.places.devices.get_mut(device);
        account.settings.protocol = account.settings.protocol.other_if(true);
        // A new account starts on its protocol's own port; the other settings are the device's.
        account.settings.port = 0;
        let protocol = account.settings.protocol;
        account.mail = DeviceMail::empty(protocol);
        self.places.devices_version += 1;
        // Its own phase: the session that follows is coloured by its protocol, not by this.
        let who = self.scenario.device_label(device);
        self.recorder
            .set_phase(text!("phase.set-up-again", device = who), Protocol::Local);
        self.local(device_host(device), narration::set_up_again(protocol));
    }

    fn act(&mut self, action: Action) {
        let device = match action {
            Action::Check(d) | Action::Read(d) | Action::Delete(d) => d,
            // Not a device's session: the story loop runs these.
            Action::Send(_) | Action::Switch(_) => return,
        };
        let host = device_host(device);
        let Account { settings, mail } = self.places.devices.get(device).clone();
        let who = self.scenario.device_label(device);
        self.recorder.set_phase(
            text!(
                "phase.fetch",
                protocol = settings.protocol.name(),
                device = who
            ),
            match settings.protocol {
                FetchProtocol::Pop3 => Protocol::Pop3,
                FetchProtocol::Imap => Protocol::Imap,
            },
        );
        let connects =
            matches!(action, Action::Check(_)) || settings.protocol == FetchProtocol::Imap;
        if connects && !self.connects(device, host, &settings) {
            // Nothing was exchanged: the device keeps what it had.
            let _ = self.recorder.mailboxes(&self.places);
            return;
        }
        let mail = match mail {
            DeviceMail::Pop3 { known, mut local } => match action {
                Action::Check(_) => self.pop3_check(device, &settings, known, local),
                _ => {
                    let text = if local.is_empty() {
                        text!("note.device-nothing.line")
                    } else if matches!(action, Action::Read(_)) {
                        if let Some(last) = local.last_mut() {
                            last.read = true;
                        }
                        text!("note.device-read.line")
                    } else {
                        local.pop();
                        text!("note.device-deleted.line")
                    };
                    // The note is recorded before the device keeps the change.
                    self.places.devices_version += 1;
                    self.local(host, narration::pop3_on_device(text));
                    DeviceMail::Pop3 { known, local }
                }
            },
            DeviceMail::Imap(cache) => {
                let newest = cache.messages.keys().last().copied();
                let intent = match (action, newest) {
                    (Action::Read(_), Some(uid)) => Some(Intent::MarkRead(uid)),
                    (Action::Delete(_), Some(uid)) => Some(Intent::Delete(uid)),
                    _ => None,
                };
                self.imap_session(host, &settings, cache, intent)
            }
        };
        self.places.devices_version += 1;
        self.places.devices.get_mut(device).mail = mail;
        let _ = self.recorder.mailboxes(&self.places);
    }

    /// Whether the port a device is set to speaks TLS from the first byte (the device
    /// agrees: [`World::connects`] checked).
    fn implicit_tls(&self, settings: &DeviceSettings) -> bool {
        self.services
            .answer(MX, settings.port(), self.now)
            .is_some_and(|a| a.implicit)
    }

    fn pop3_check(
        &mut self,
        device: Device,
        settings: &DeviceSettings,
        known: BTreeMap<String, Instant>,
        local: Vec<LocalCopy>,
    ) -> DeviceMail {
        let client = device::pop3_client(
            (login(settings, &self.places.bob), &settings.password),
            client_tls(settings),
            settings.leave_on_server,
            known,
            self.now,
        );
        // Bob's server offers STLS, as real ones do; a device uses it if set to.
        let implicit = self.implicit_tls(settings);
        let server = self
            .services
            .pop3_server(TlsPolicy::Offered, implicit, self.now);
        let mut conv = Pair::<Pop3>::new(client, server);
        let cut = self.faults.pop3_cut(device);
        let _ = self.converse(&mut conv, (device_host(device), MX), Which::Mx, cut);
        // The connection kept the device's messages up to date while the session ran.
        let local = match &self.places.devices.get(device).mail {
            DeviceMail::Pop3 { local: now, .. } => now.clone(),
            DeviceMail::Imap(_) => local,
        };
        DeviceMail::Pop3 {
            known: conv.client.known().clone(),
            local,
        }
    }

    fn imap_session(
        &mut self,
        host: HostId,
        settings: &DeviceSettings,
        cache: DeviceCache,
        intent: Option<Intent>,
    ) -> DeviceMail {
        let mut client = device::imap_client(
            (login(settings, &self.places.bob), &settings.password),
            client_tls(settings),
            cache,
        );
        if let Some(intent) = intent {
            client.act(intent);
        }
        client.act(Intent::Logout);
        let implicit = self.implicit_tls(settings);
        let server = self
            .services
            .imap_server(TlsPolicy::Offered, implicit, self.now);
        let mut conv = Pair::<Imap>::new(client, server);
        let _ = self.converse(&mut conv, (host, MX), Which::Mx, Cut::Never);
        DeviceMail::Imap(conv.client.cache().clone())
    }
}

/// The name a device logs in with: its setting, or Bob's.
fn login<'a>(settings: &'a DeviceSettings, bob: &'a str) -> &'a str {
    match settings.user.trim() {
        "" => bob,
        user => user,
    }
}

/// How a device's client treats STLS / STARTTLS.
fn client_tls(settings: &DeviceSettings) -> ClientTls {
    match settings.security {
        Security::StartTls => ClientTls::Required,
        // Already encrypted, or never.
        Security::ImplicitTls | Security::None => ClientTls::Never,
    }
}

fn device_host(device: Device) -> HostId {
    match device {
        Device::Phone => PHONE,
        Device::Laptop => LAPTOP,
    }
}
