//! Runs a scenario on the virtual clock and records the timeline: Alice submits, the
//! provider looks up the MX and relays, the MX stores, Bob's devices fetch.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::rc::Rc;

use postroom_proto::imap::{self, DeviceCache, ImapClient, ImapServer, Intent};
use postroom_proto::message::Message;
use postroom_proto::pop3::{self, Keep, Pop3Client, Pop3Server};
use postroom_proto::smtp::{
    self, ClientConfig, ClientTls, Mailbox, ReversePath, ServerConfig, SmtpClient, SmtpServer,
    TlsPolicy,
};
use postroom_proto::{Duration, Explanation, Instant, MailStore, RfcRef};

use crate::conversation::{Conversation, DeviceProgress, Imap, Pop3, Smtp};
use crate::host::{Host, HostId};
use crate::scenario::{Action, Device, DeviceSettings, Fault, FetchProtocol, Scenario};
use crate::timeline::{Direction, MailboxEntry, MailboxView, Phase, Protocol, Step, Timeline};

/// A run never records more steps than this, whatever the sessions do.
pub const MAX_STEPS: usize = 10_000;

pub const ALICE: HostId = HostId(0);
pub const SUBMISSION: HostId = HostId(1);
pub const DNS: HostId = HostId(2);
pub const MX: HostId = HostId(3);
pub const PHONE: HostId = HostId(4);
pub const LAPTOP: HostId = HostId(5);

/// The calendar time at which the virtual clock starts: Friday 6 March 2026, 09:00 UTC.
pub const EPOCH_UNIX: i64 = 1_772_787_600;
const START_DATE: &str = "Fri, 6 Mar 2026 09:00:00 +0000";

/// RFC 5321 §4.5.4.1: "the retry interval SHOULD be at least 30 minutes".
const RETRY_AFTER: Duration = Duration::from_secs(30 * 60);

/// Why a scenario cannot run; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a device holds between sessions.
#[derive(Debug, Clone)]
enum DeviceState {
    Pop3 {
        known: BTreeMap<String, Instant>,
        /// Downloaded messages by unique-id (or a local number), with a local read mark.
        local: Vec<(String, Vec<u8>, bool)>,
    },
    Imap(DeviceCache),
}

/// The mailbox views, and the (provider modseq, MX modseq, device version) they show.
type ViewCache = Option<((u64, u64, u64), Rc<Vec<MailboxView>>)>;

/// A unit in flight: arrival, sending order, towards the server?, encrypted?, octets.
type InFlight = Reverse<(Instant, u64, bool, bool, Vec<u8>)>;

/// Where a connection is cut short, for the faults that do that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    Never,
    BeforeQuit,
    MidData,
}

#[derive(Clone, Copy)]
enum Which {
    Provider,
    Mx,
}

struct World<'s> {
    scenario: &'s Scenario,
    now: Instant,
    latency: Duration,
    steps: Vec<Step>,
    provider: MailStore,
    mx: MailStore,
    alice: String,
    bob: String,
    phone: DeviceState,
    laptop: DeviceState,
    devices_version: u64,
    view_cache: ViewCache,
    phase: Rc<Phase>,
    outcome: Vec<String>,
    limit: usize,
    /// Subjects of stored messages by (store, UID): read once, not at every step.
    subjects: BTreeMap<(u8, u32), String>,
    /// How many messages the POP3 device in session held when the session began.
    pop3_base: usize,
    /// Each device's settings now: a switch of protocol changes them mid-story.
    phone_settings: DeviceSettings,
    laptop_settings: DeviceSettings,
    /// Emails Alice has sent so far; some faults strike only the first.
    sent: u32,
    /// The steps after which their connection drops ([`Fault::DropAfter`]).
    drop_after: Vec<usize>,
    /// The steps whose line loses a packet on the way ([`Fault::LossAt`]).
    loss_at: Vec<usize>,
    /// Connections opened so far, and the one carrying the current steps (0: none).
    connections: u32,
    connection: u32,
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
    let device_state = |device: Device| DeviceState::empty(scenario.settings(device).protocol);
    let mut world = World {
        scenario,
        now: Instant::ZERO,
        latency: Duration::from_millis(scenario.latency_ms.clamp(1, 10_000)),
        steps: Vec::new(),
        provider: MailStore::new(),
        mx: MailStore::new(),
        alice: from.local_part().to_ascii_lowercase(),
        bob: to.local_part().to_ascii_lowercase(),
        phone: device_state(Device::Phone),
        laptop: device_state(Device::Laptop),
        devices_version: 0,
        view_cache: None,
        phase: Rc::new(Phase {
            label: "SMTP submission".into(),
            protocol: Protocol::Smtp,
        }),
        outcome: Vec::new(),
        limit: limit.min(MAX_STEPS),
        subjects: BTreeMap::new(),
        pop3_base: 0,
        phone_settings: scenario.phone.clone(),
        laptop_settings: scenario.laptop.clone(),
        sent: 0,
        drop_after: scenario
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::DropAfter(step) => usize::try_from(*step).ok(),
                _ => None,
            })
            .collect(),
        loss_at: scenario
            .faults
            .iter()
            .filter_map(|f| match f {
                Fault::LossAt(step) => usize::try_from(*step).ok(),
                _ => None,
            })
            .collect(),
        connections: 0,
        connection: 0,
    };
    world.provider.add_account(from.local_part(), "secret");
    if !scenario.has(Fault::UnknownRecipient) {
        world.mx.add_account(to.local_part(), "secret");
    }
    if scenario.has(Fault::MailboxFull) {
        world.mx.set_quota(to.local_part(), Some(100));
    }
    for i in 1..=scenario.existing_messages.min(100_000) {
        let old = Message::new(
            "newsletter@example.com",
            &scenario.to,
            &format!("Older message {i}"),
            START_DATE,
            "Read me later.",
        );
        world
            .mx
            .deliver(to.local_part(), "newsletter@example.com", old.to_bytes());
    }
    world.send_mail(&from, &to, &scenario.subject, &scenario.body);
    for action in &scenario.actions {
        if world.steps.len() >= world.limit {
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
            "Alice's laptop",
            &format!("laptop.{}", from.domain()),
            "mail client",
        ),
        Host::new(
            "Submission server",
            &format!("smtp.{}", from.domain()),
            "submission :587",
        ),
        Host::new("DNS resolver", "resolver", "MX lookup"),
        Host::new(
            "Bob's mail server",
            &format!("mx.{}", to.domain()),
            "MX :25 · store",
        ),
        Host::new(
            "Bob's phone",
            "phone",
            &device_role(scenario, Device::Phone),
        ),
        Host::new(
            "Bob's laptop",
            "laptop",
            &device_role(scenario, Device::Laptop),
        ),
    ];
    Ok(Timeline {
        hosts,
        steps: world.steps,
        outcome: world.outcome,
    })
}

fn device_role(scenario: &Scenario, device: Device) -> String {
    let s = scenario.settings(device);
    let port = s.port();
    let role = match s.protocol {
        FetchProtocol::Pop3 if s.leave_on_server => format!("POP3 :{port} · keeps a copy"),
        FetchProtocol::Pop3 => format!("POP3 :{port} · deletes"),
        FetchProtocol::Imap => format!("IMAP :{port}"),
    };
    if scenario.actions.contains(&Action::Switch(device)) {
        // The lane is narrow: both protocols, without the details.
        format!(
            "{} ⇄ {}",
            s.protocol.name(),
            s.protocol.other_if(true).name()
        )
    } else {
        role
    }
}

impl DeviceState {
    fn empty(protocol: FetchProtocol) -> Self {
        match protocol {
            FetchProtocol::Pop3 => DeviceState::Pop3 {
                known: BTreeMap::new(),
                local: Vec::new(),
            },
            FetchProtocol::Imap => DeviceState::Imap(DeviceCache::default()),
        }
    }
}

impl World<'_> {
    fn set_phase(&mut self, label: &str, protocol: Protocol) {
        self.phase = Rc::new(Phase {
            label: label.to_string(),
            protocol,
        });
    }

    fn store(&mut self, which: Which) -> &mut MailStore {
        match which {
            Which::Provider => &mut self.provider,
            Which::Mx => &mut self.mx,
        }
    }

    /// The virtual clock as an RFC 5322 date, for Date: and Received: fields.
    fn date(&self) -> String {
        postroom_proto::message::date(
            EPOCH_UNIX + i64::try_from(self.now.as_micros() / 1_000_000).unwrap_or(0),
        )
    }

    fn sync_clocks(&mut self) {
        let seconds = EPOCH_UNIX + i64::try_from(self.now.as_micros() / 1_000_000).unwrap_or(0);
        self.provider.set_clock(seconds);
        self.mx.set_clock(seconds);
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        (from, to): (HostId, HostId),
        protocol: Protocol,
        direction: Direction,
        sent_at: Instant,
        bytes: Vec<u8>,
        explanation: Explanation,
        (client_state, server_state): (String, String),
        encrypted: bool,
    ) {
        if self.steps.len() >= self.limit {
            return;
        }
        let mailboxes = self.mailboxes();
        self.steps.push(Step {
            sent_at,
            arrived_at: self.now,
            from,
            to,
            protocol,
            direction,
            bytes,
            explanation,
            client_state,
            server_state,
            encrypted,
            connection: self.connection,
            phase: self.phase.clone(),
            mailboxes,
        });
    }

    /// Something happening inside one host: on no connection, even during one.
    fn local(&mut self, host: HostId, text: &str, explanation: Explanation) {
        let bytes = format!("{text}\r\n").into_bytes();
        let connection = std::mem::take(&mut self.connection);
        self.record(
            (host, host),
            Protocol::Local,
            Direction::Local,
            self.now,
            bytes,
            explanation,
            (String::new(), String::new()),
            false,
        );
        self.connection = connection;
    }

    /// Every mailbox and device copy now; rebuilt only when something changed.
    fn mailboxes(&mut self) -> Rc<Vec<MailboxView>> {
        let key = (
            self.provider.modseq(),
            self.mx.modseq(),
            self.devices_version,
        );
        if let Some((k, view)) = &self.view_cache {
            if *k == key {
                return view.clone();
            }
        }
        let mut views = vec![server_view(
            &format!("mx · {}", self.bob),
            &self.mx,
            &self.bob,
            1,
            &mut self.subjects,
        )];
        if !self.provider.messages(&self.alice).is_empty() {
            views.push(server_view(
                &format!("smtp · {}", self.alice),
                &self.provider,
                &self.alice,
                0,
                &mut self.subjects,
            ));
        }
        views.push(device_view(
            Device::Phone,
            &self.phone_settings,
            &self.phone,
        ));
        views.push(device_view(
            Device::Laptop,
            &self.laptop_settings,
            &self.laptop,
        ));
        let view = Rc::new(views);
        self.view_cache = Some((key, view.clone()));
        view
    }

    /// Drives one connection until both sides fall silent. True if it was cut short by
    /// [`Fault::DropAfter`].
    fn converse(
        &mut self,
        conv: &mut dyn Conversation,
        ends: (HostId, HostId),
        which: Which,
        cut: Cut,
    ) -> bool {
        self.connections += 1;
        self.connection = self.connections;
        let dropped = self.exchange(conv, ends, which, cut);
        self.connection = 0;
        dropped
    }

    fn exchange(
        &mut self,
        conv: &mut dyn Conversation,
        ends: (HostId, HostId),
        which: Which,
        cut: Cut,
    ) -> bool {
        let first = self.steps.len();
        let device = match ends.0 {
            PHONE => Some(Device::Phone),
            LAPTOP => Some(Device::Laptop),
            _ => None,
        };
        let (client, server) = ends;
        let protocol = conv.protocol();
        let mut queue: BinaryHeap<InFlight> = BinaryHeap::new();
        let mut seq = 0u64;
        let mut schedule = |queue: &mut BinaryHeap<_>, conv: &mut dyn Conversation, at: Instant| {
            let encrypted = conv.encrypted();
            while let Some(bytes) = conv.server_output() {
                seq += 1;
                queue.push(Reverse((at, seq, false, encrypted, bytes)));
            }
            while let Some(bytes) = conv.client_output() {
                seq += 1;
                queue.push(Reverse((at, seq, true, encrypted, bytes)));
            }
        };
        schedule(&mut queue, conv, self.now + self.latency);
        while let Some(Reverse((arrives, _, to_server, encrypted, bytes))) = queue.pop() {
            if self.steps.len() >= self.limit {
                return false;
            }
            // A step of this connection was chosen to be its last, and more was to come.
            if self
                .drop_after
                .iter()
                .any(|n| (first..self.steps.len()).contains(n))
            {
                self.now = self.now.max(arrives);
                let explanation = if conv.accepted_unheard() {
                    Explanation::new(
                        "The connection is lost before the 250 arrives",
                        "The server has already stored the message, but its 250 never reaches the \
                         client, which must assume the message was not delivered and send it again \
                         later: the recipient gets it twice. RFC 5321 keeps this window short, but \
                         cannot close it.",
                        RfcRef::new(5321, "4.5.3.2.6"),
                    )
                } else {
                    dropped(protocol)
                };
                conv.cut(self.store(which));
                self.local(client, "-- the connection drops here --", explanation);
                return true;
            }
            let sent = self.now;
            self.now = self.now.max(arrives);
            self.sync_clocks();
            let cut_now = match cut {
                Cut::Never => false,
                Cut::BeforeQuit => to_server && conv.is_quit(&bytes),
                // The message itself is the one unit longer than a command line.
                Cut::MidData => to_server && (bytes.len() > 512 || bytes.ends_with(b"\r\n.\r\n")),
            };
            if cut_now {
                let (text, explanation) = match cut {
                    Cut::MidData => (
                        "-- the connection drops in the middle of the message --",
                        Explanation::new(
                            "The connection is lost during DATA",
                            "The server never saw the line with a single period, so it never accepted \
                             the message: nothing is delivered, and the client must send it again. A \
                             message counts as delivered only after the 250 that follows the period.",
                            RfcRef::new(5321, "4.1.1.4"),
                        ),
                    ),
                    _ => (
                        "-- the connection drops before QUIT --",
                        Explanation::new(
                            "The connection is lost before QUIT",
                            "The server never sees QUIT, so it never enters the UPDATE state: nothing \
                             marked with DELE is deleted, and the lock is released.",
                            RfcRef::new(1939, "6"),
                        ),
                    ),
                };
                if cut == Cut::MidData {
                    // Half the message arrives before the line goes dead: a line cut short,
                    // on which nothing more can be chosen to happen.
                    let half = bytes.get(..bytes.len() / 2).unwrap_or_default().to_vec();
                    let explanation = conv.to_server(self.now, &half, self.store(which));
                    self.connection = 0;
                    self.record(
                        (client, server),
                        protocol,
                        Direction::ClientToServer,
                        sent,
                        half,
                        explanation,
                        conv.states(),
                        encrypted,
                    );
                }
                conv.cut(self.store(which));
                self.local(client, text, explanation);
                return false;
            }
            if self.loss_at.contains(&self.steps.len()) {
                // The receiver's acknowledgement never comes, so the sender's retransmission
                // timer runs out; the later lines wait behind this one (TCP delivers in order).
                let sender = if to_server { client } else { server };
                // RFC 6298 §2: RTO = SRTT + 4·RTTVAR, which after one round trip R is 3R,
                // and never less than a second.
                let rto_ms = (self.latency.as_micros() / 1000 * 6).max(1000);
                self.local(
                    sender,
                    &format!(
                        "-- a packet of the next line is lost: TCP sends it again after {} --",
                        if rto_ms % 1000 == 0 { format!("{} s", rto_ms / 1000) } else { format!("{rto_ms} ms") }
                    ),
                    Explanation::new(
                        "A packet is lost on the way",
                        "No acknowledgement comes back, so when its retransmission timer runs out the \
                         sender's TCP sends the data again. RFC 6298 sets the timer from the measured \
                         round trip, and at least one second (some systems allow less). The mail \
                         protocol never notices: only time passes.",
                        RfcRef::new(6298, "2"),
                    ),
                );
                self.now = self.now + Duration::from_millis(rto_ms);
                self.sync_clocks();
            }
            let explanation = if to_server {
                conv.to_server(self.now, &bytes, self.store(which))
            } else {
                conv.to_client(self.now, &bytes)
            };
            let (from, to, direction) = if to_server {
                (client, server, Direction::ClientToServer)
            } else {
                (server, client, Direction::ServerToClient)
            };
            if let Some(device) = device {
                self.refresh_device(device, conv.device_progress());
            }
            self.record(
                (from, to),
                protocol,
                direction,
                sent,
                bytes,
                explanation,
                conv.states(),
                encrypted,
            );
            if conv.tls_due() {
                conv.tls_established(self.now);
                self.record(
                    (client, server),
                    protocol,
                    Direction::Local,
                    self.now,
                    b"-- TLS handshake (simulated): from here on the connection is encrypted --\r\n".to_vec(),
                    Explanation::new(
                        "TLS handshake: the connection becomes encrypted",
                        "Client and server agree on keys and the server proves who it is with its \
                         certificate. Postroom shows the protocol inside; on a real network, everything \
                         from now on would look like random bytes to an eavesdropper.",
                        match protocol {
                            Protocol::Pop3 => RfcRef::new(2595, "4"),
                            Protocol::Imap => RfcRef::new(9051, "6.2.1"),
                            _ => RfcRef::new(3207, "4"),
                        },
                    ),
                    conv.states(),
                    true,
                );
            }
            schedule(&mut queue, conv, self.now + self.latency);
        }
        false
    }

    /// Brings a device's local copy up to what its running session has fetched.
    fn refresh_device(&mut self, device: Device, progress: DeviceProgress<'_>) {
        let state = match device {
            Device::Phone => &mut self.phone,
            Device::Laptop => &mut self.laptop,
        };
        let changed = match (state, progress) {
            (DeviceState::Pop3 { local, .. }, DeviceProgress::Pop3(downloads)) => {
                let before = local.len();
                // The session's downloads so far, after what the device held before it.
                local.truncate(self.pop3_base.min(before));
                for (id, bytes) in downloads {
                    // Without UIDL (download and delete) a message number means something
                    // only within its session: such a download is always new.
                    if id.starts_with('#') {
                        let n = local.len() + 1;
                        local.push((format!("#{n}"), bytes.to_vec(), false));
                    } else if !local.iter().any(|(i, _, _)| *i == id) {
                        local.push((id, bytes.to_vec(), false));
                    }
                }
                local.len() != before
            }
            (DeviceState::Imap(cache), DeviceProgress::Imap(now)) => {
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
        };
        if changed {
            self.devices_version += 1;
        }
    }

    // ---- the journey ----

    fn send_mail(&mut self, from: &Mailbox, to: &Mailbox, subject: &str, body: &str) {
        let s = self.scenario;
        // Faults that strike once (a dropped connection, a server down) strike the first email.
        let first = self.sent == 0;
        self.sent += 1;
        let date = self.date();
        let message = Message::new(&s.from, &s.to, subject, &date, body).to_bytes();
        // 1. Submission: Alice's client to her provider, TLS and login first (RFC 6409).
        self.set_phase("SMTP submission", Protocol::Smtp);
        let mut config = ClientConfig::new(&format!("laptop.{}", from.domain()));
        config.tls = ClientTls::Required;
        let password = if s.has(Fault::WrongPassword) {
            "wrong-password"
        } else {
            "secret"
        };
        config.credentials = Some((from.local_part().to_string(), password.to_string()));
        let mut client = SmtpClient::new(config, self.now);
        let _ = client.send(
            ReversePath::Mailbox(from.clone()),
            vec![to.clone()],
            message,
        );
        client.quit();
        let mut server_config =
            ServerConfig::submission(&format!("smtp.{}", from.domain()), from.domain());
        server_config.tls = if s.has(Fault::TlsNotOffered) {
            TlsPolicy::NotOffered
        } else {
            TlsPolicy::Required
        };
        let server = SmtpServer::new(server_config, self.now);
        let mut conv = Smtp::new(client, server);
        let cut = if first && s.has(Fault::DropMidData) {
            Cut::MidData
        } else {
            Cut::Never
        };
        let dropped = self.converse(&mut conv, (ALICE, SUBMISSION), Which::Provider, cut);
        let accepted = conv.server_events.iter().find_map(|e| match e {
            smtp::ServerEvent::MessageAccepted {
                remote, content, ..
            } if !remote.is_empty() => Some(content.clone()),
            _ => None,
        });
        let Some(content) = accepted else {
            let why = conv
                .client_events
                .iter()
                .find_map(|e| match e {
                    smtp::ClientEvent::AuthenticationFailed(r) => {
                        Some(format!("the login was refused ({})", r.text()))
                    }
                    smtp::ClientEvent::GaveUp(why) => Some(why.clone()),
                    smtp::ClientEvent::MessageRejected(r) => {
                        Some(format!("the server refused it ({})", r.text()))
                    }
                    _ => None,
                })
                .or_else(|| {
                    (first && s.has(Fault::DropMidData)).then(|| {
                        "the connection dropped in the middle of DATA; the client will try again"
                            .to_string()
                    })
                })
                .or_else(|| {
                    dropped.then(|| {
                        "the connection dropped before the server took the message; the client \
                         will try again"
                            .to_string()
                    })
                })
                .unwrap_or_else(|| "the submission did not complete".into());
            self.outcome
                .push(format!("Alice's message was not sent: {why}."));
            return;
        };
        self.outcome
            .push("Alice's provider accepted the message for delivery.".into());
        // 2. DNS: where does mail for Bob's domain go?
        self.look_up_mx(to.domain());
        // 3. Relay to the MX, with a trace header (RFC 5321 §4.4).
        let received = format!(
            "Received: from laptop.{} by smtp.{} with ESMTPSA; {date}\r\n",
            from.domain(),
            from.domain()
        );
        let mut relayed = received.into_bytes();
        relayed.extend_from_slice(&content);
        self.relay(from, to, relayed, 1);
    }

    fn look_up_mx(&mut self, domain: &str) {
        self.set_phase("DNS", Protocol::Dns);
        let query = |s: &mut Self,
                     question: String,
                     answer: String,
                     why: Explanation,
                     answer_why: Explanation| {
            let sent = s.now;
            s.now = s.now + s.latency;
            s.record(
                (SUBMISSION, DNS),
                Protocol::Dns,
                Direction::ClientToServer,
                sent,
                format!("{question}\r\n").into_bytes(),
                why,
                ("resolving".into(), String::new()),
                false,
            );
            let sent = s.now;
            s.now = s.now + s.latency;
            s.record(
                (DNS, SUBMISSION),
                Protocol::Dns,
                Direction::ServerToClient,
                sent,
                format!("{answer}\r\n").into_bytes(),
                answer_why,
                ("resolved".into(), String::new()),
                false,
            );
        };
        let mx_why = Explanation::new(
            format!("Which server takes mail for {domain}?"),
            "To relay a message the sender's server asks DNS for the MX (mail exchanger) records of the \
             recipient's domain, then tries them in order of preference.",
            RfcRef::new(5321, "5.1"),
        );
        if self.scenario.has(Fault::NoMxRecord) {
            query(
                self,
                format!("QUERY {domain}. IN MX"),
                format!("ANSWER {domain}. IN MX: none (NOERROR, no records)"),
                mx_why,
                Explanation::new(
                    "No MX record",
                    "With no MX record, RFC 5321 says to treat the domain itself as the mail server: \
                     the \"implicit MX\", found by an address (A or AAAA) lookup.",
                    RfcRef::new(5321, "5.1"),
                ),
            );
            query(
                self,
                format!("QUERY {domain}. IN A"),
                format!("ANSWER {domain}. 3600 IN A 192.0.2.25"),
                Explanation::new(
                    format!("Then the address of {domain} itself"),
                    "The fallback: deliver to the host named by the domain.",
                    RfcRef::new(5321, "5.1"),
                ),
                Explanation::new(
                    "The domain's own address",
                    "The relay connects to that address on port 25.",
                    RfcRef::new(1035, "3.4.1"),
                ),
            );
        } else {
            query(
                self,
                format!("QUERY {domain}. IN MX"),
                format!("ANSWER {domain}. 3600 IN MX 10 mx.{domain}."),
                mx_why,
                Explanation::new(
                    format!("mx.{domain} takes the mail (preference 10)"),
                    "An MX record names a host and a preference; lower numbers are tried first. The relay \
                     now opens an SMTP connection to that host on port 25.",
                    RfcRef::new(1035, "3.3.9"),
                ),
            );
        }
    }

    /// Relays to the MX; `attempt` counts from 1. A temporary failure (4xx, the server down,
    /// the connection lost) keeps the message in the relay's queue for another attempt 30
    /// minutes later (RFC 5321 §4.5.4.1); a permanent one (5xx) bounces.
    fn relay(&mut self, from: &Mailbox, to: &Mailbox, content: Vec<u8>, attempt: u32) {
        self.set_phase("SMTP relay", Protocol::Smtp);
        // The server is down for the first email's first attempt only: then it is back.
        if attempt == 1 && self.sent == 1 && self.scenario.has(Fault::ServerDown) {
            self.local(
                SUBMISSION,
                &format!("-- connecting to mx.{}:25 ... connection refused: the server is down --", to.domain()),
                Explanation::new(
                    "Bob's mail server does not answer",
                    "The relay cannot open a TCP connection. It keeps the message in its queue and tries \
                     again later; only after days of failures would it give up and bounce.",
                    RfcRef::new(5321, "4.5.4.1"),
                ),
            );
            return self.retry(
                from,
                to,
                content,
                attempt,
                "The retry",
                "RFC 5321 asks for at least 30 minutes between attempts.",
            );
        }
        let mut config = ClientConfig::new(&format!("smtp.{}", from.domain()));
        config.tls = ClientTls::IfOffered;
        let mut client = SmtpClient::new(config, self.now);
        let _ = client.send(
            ReversePath::Mailbox(from.clone()),
            vec![to.clone()],
            content.clone(),
        );
        client.quit();
        let mut server_config = ServerConfig::new(&format!("mx.{}", to.domain()), to.domain());
        server_config.greylisting = self.scenario.has(Fault::Greylisting);
        let server = SmtpServer::new(server_config, self.now);
        let mut conv = Smtp::new(client, server);
        let dropped = self.converse(&mut conv, (SUBMISSION, MX), Which::Mx, Cut::Never);
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
        if delivered {
            self.outcome.push(format!(
                "The message reached {}'s mailbox on mx.{}.",
                self.bob,
                to.domain()
            ));
            return;
        }
        if stored {
            // Stored, but the 250 was lost with the connection: the relay cannot know.
            self.outcome.push(format!(
                "The message reached {}'s mailbox on mx.{}, but the relay never heard so.",
                self.bob,
                to.domain()
            ));
        }
        match refused {
            Some(reply) if !reply.code().is_transient_failure() => {
                self.bounce(from, to, &reply.text(), reply.code().value());
            }
            Some(_) => self.retry(
                from,
                to,
                content,
                attempt,
                "A temporary failure: try again later",
                "A 4xx reply means \"not now\". The message stays in the relay's queue and is \
                 retried; RFC 5321 asks for at least 30 minutes between attempts. Greylisting relies \
                 on this: spam software rarely retries.",
            ),
            None if dropped && stored => self.retry(
                from,
                to,
                content,
                attempt,
                "The relay tries again, and Bob gets the message twice",
                "The MX had stored the message, but its 250 was lost with the connection, so the \
                 relay must assume it failed and send it again. This is why mail is sometimes \
                 delivered twice (RFC 5321 §4.5.3.2.6).",
            ),
            None if dropped => self.retry(
                from,
                to,
                content,
                attempt,
                "The relay tries again",
                "The MX never answered the final period with 250, so the message is still the \
                 relay's responsibility. It stays in the queue and is retried, as after a 4xx.",
            ),
            None => self.outcome.push("The relay did not complete.".into()),
        }
    }

    /// Waits 30 minutes and relays again, or, after the last attempt shown, says the message
    /// stays queued: a relay keeps trying for days before it bounces.
    fn retry(
        &mut self,
        from: &Mailbox,
        to: &Mailbox,
        content: Vec<u8>,
        attempt: u32,
        title: &str,
        why: &str,
    ) {
        const ATTEMPTS_SHOWN: u32 = 3;
        if attempt >= ATTEMPTS_SHOWN {
            self.outcome.push(format!(
                "After {attempt} attempts the message is still queued at smtp.{}: it is retried for \
                 days before the relay gives up and bounces.",
                from.domain()
            ));
            return;
        }
        self.now = self.now + RETRY_AFTER;
        self.sync_clocks();
        self.local(
            SUBMISSION,
            &format!(
                "-- smtp.{} keeps the message queued: 30 minutes later, it tries again --",
                from.domain()
            ),
            Explanation::new(title, why, RfcRef::new(5321, "4.5.4.1")),
        );
        self.relay(from, to, content, attempt + 1);
    }

    /// RFC 3464: the relay tells the sender, with a delivery status notification sent from
    /// the null reverse path so that it can never bounce back in a loop.
    fn bounce(&mut self, from: &Mailbox, to: &Mailbox, why: &str, code: u16) {
        self.set_phase("bounce", Protocol::Local);
        let dsn = format!(
            "From: Mail Delivery System <MAILER-DAEMON@smtp.{d}>\r\nTo: {from}\r\nSubject: Undelivered Mail Returned to Sender\r\n\
Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n\
--dsn\r\nContent-Type: text/plain\r\n\r\nYour message to {to} could not be delivered: {why}\r\n\r\n\
--dsn\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; smtp.{d}\r\n\r\nFinal-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: {status}\r\n\r\n--dsn--\r\n",
            d = from.domain(),
            date = self.date(),
            status = if code == 552 { "5.2.2" } else { "5.1.1" },
        );
        self.provider
            .deliver(from.local_part(), "", dsn.into_bytes());
        self.local(
            SUBMISSION,
            &format!("-- bounce: a delivery status notification to {from}, from <> --"),
            Explanation::new(
                "The message bounces back to Alice",
                "The MX refused the message for good (5xx), so the relay, which accepted responsibility for \
                 it, must tell the sender. The notice comes from the null sender <> so it can never bounce again.",
                RfcRef::new(5321, "6.1"),
            ),
        );
        self.outcome.push(format!(
            "The MX refused the message ({code} {why}); Alice received a bounce."
        ));
    }

    // ---- Bob's devices ----

    fn settings(&self, device: Device) -> &DeviceSettings {
        match device {
            Device::Phone => &self.phone_settings,
            Device::Laptop => &self.laptop_settings,
        }
    }

    /// Bob removes the device's account and adds it again with the other protocol: the
    /// device starts empty and learns the mailbox afresh at its next check.
    fn switch(&mut self, device: Device) {
        let settings = match device {
            Device::Phone => &mut self.phone_settings,
            Device::Laptop => &mut self.laptop_settings,
        };
        settings.protocol = settings.protocol.other_if(true);
        // A new account starts on its protocol's own port; the other settings are the device's.
        settings.port = 0;
        let protocol = settings.protocol;
        let state = DeviceState::empty(protocol);
        match device {
            Device::Phone => self.phone = state,
            Device::Laptop => self.laptop = state,
        }
        self.devices_version += 1;
        // Its own phase: the session that follows is coloured by its protocol, not by this.
        self.set_phase(&format!("{} set up again", device.label()), Protocol::Local);
        let (title, why, rfc) = match protocol {
            FetchProtocol::Imap => (
                "Now with IMAP: the mail stays on the server",
                "The new account keeps nothing locally yet. At its next check the device asks the \
                 server what the mailbox holds; what POP3 already deleted there is gone for good.",
                RfcRef::new(9051, "6.3.2"),
            ),
            FetchProtocol::Pop3 => (
                "Now with POP3: the mail comes down to the device",
                "The new account starts empty. At its next check the device downloads what is on the \
                 server and, unless it leaves a copy, deletes it there when it says QUIT.",
                RfcRef::new(1939, "1"),
            ),
        };
        self.local(
            device_host(device),
            &format!("-- set up again with {} --", protocol.name()),
            Explanation::new(title, why, rfc),
        );
    }

    fn act(&mut self, action: Action) {
        let (device, host) = match action {
            Action::Check(d) | Action::Read(d) | Action::Delete(d) => (d, device_host(d)),
            // Not a device's session: the story loop runs these.
            Action::Send(_) | Action::Switch(_) => return,
        };
        let settings = self.settings(device).clone();
        self.set_phase(
            &format!("{} {}", settings.protocol.name(), device.label()),
            match settings.protocol {
                FetchProtocol::Pop3 => Protocol::Pop3,
                FetchProtocol::Imap => Protocol::Imap,
            },
        );
        let state = match device {
            Device::Phone => self.phone.clone(),
            Device::Laptop => self.laptop.clone(),
        };
        let connects =
            matches!(action, Action::Check(_)) || settings.protocol == FetchProtocol::Imap;
        if connects && !self.connects(device, host, &settings) {
            // Nothing was exchanged: the device keeps what it had.
            let _ = self.mailboxes();
            return;
        }
        let new_state = match state {
            DeviceState::Pop3 { known, mut local } => match action {
                Action::Check(_) => self.pop3_check(device, host, &settings, known, local),
                _ => {
                    let read = matches!(action, Action::Read(_));
                    let text = if local.is_empty() {
                        "-- nothing on this device to open --".to_string()
                    } else if read {
                        if let Some(last) = local.last_mut() {
                            last.2 = true;
                        }
                        "-- marked read on this device only --".to_string()
                    } else {
                        local.pop();
                        "-- deleted from this device only --".to_string()
                    };
                    self.devices_version += 1;
                    self.local(
                        host,
                        &text,
                        Explanation::new(
                            "POP3 keeps no state on the server",
                            "POP3 has no read flags and no way to tell other devices: what the phone does to \
                             its own copy stays on the phone.",
                            RfcRef::new(1939, "8"),
                        ),
                    );
                    DeviceState::Pop3 { known, local }
                }
            },
            DeviceState::Imap(cache) => {
                let newest = cache.messages.keys().last().copied();
                let intent = match (action, newest) {
                    (Action::Read(_), Some(uid)) => Some(Intent::MarkRead(uid)),
                    (Action::Delete(_), Some(uid)) => Some(Intent::Delete(uid)),
                    _ => None,
                };
                self.imap_session(host, &settings, cache, intent)
            }
        };
        self.devices_version += 1;
        match device {
            Device::Phone => self.phone = new_state,
            Device::Laptop => self.laptop = new_state,
        }
        let _ = self.mailboxes();
    }

    fn pop3_check(
        &mut self,
        device: Device,
        host: HostId,
        settings: &DeviceSettings,
        known: BTreeMap<String, Instant>,
        mut local: Vec<(String, Vec<u8>, bool)>,
    ) -> DeviceState {
        let mut config = pop3::ClientConfig::new(login(settings, &self.bob), &settings.password);
        config.tls = client_tls(settings);
        config.keep = if settings.leave_on_server {
            Keep::LeaveOnServer { delete_after: None }
        } else {
            Keep::DownloadAndDelete
        };
        let client = Pop3Client::new(config, known, self.now);
        let mut server_config = pop3::ServerConfig::new(&format!("mx.{}", self.mx_domain()));
        // Bob's server offers STLS, as real ones do; a device uses it if set to.
        server_config.tls = TlsPolicy::Offered;
        let server = Pop3Server::new(server_config, self.now);
        let mut conv = Pop3::new(client, server);
        self.pop3_base = local.len();
        let cut = device == Device::Phone && self.scenario.has(Fault::PhoneDropsBeforeQuit);
        let cut = if cut { Cut::BeforeQuit } else { Cut::Never };
        let _ = self.converse(&mut conv, (host, MX), Which::Mx, cut);
        // refresh_device kept the device's messages up to date while the session ran.
        let state = match device {
            Device::Phone => &self.phone,
            Device::Laptop => &self.laptop,
        };
        if let DeviceState::Pop3 { local: now, .. } = state {
            local = now.clone();
        }
        DeviceState::Pop3 {
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
    ) -> DeviceState {
        let mut config = imap::ClientConfig::new(login(settings, &self.bob), &settings.password);
        config.tls = client_tls(settings);
        let mut client = ImapClient::new(config, cache);
        if let Some(intent) = intent {
            client.act(intent);
        }
        client.act(Intent::Logout);
        let mut server_config = imap::ServerConfig::new(&format!("mx.{}", self.mx_domain()));
        server_config.tls = TlsPolicy::Offered;
        let server = ImapServer::new(server_config, self.now);
        let mut conv = Imap::new(client, server);
        let _ = self.converse(&mut conv, (host, MX), Which::Mx, Cut::Never);
        DeviceState::Imap(conv.client.cache().clone())
    }

    /// Whether the device reaches the service it wants on the port it is set to. Bob's
    /// server listens on 25 (SMTP), 110 (POP3) and 143 (IMAP): another port is refused, and
    /// the wrong one of these answers with a greeting the device's program cannot read.
    fn connects(&mut self, device: Device, host: HostId, settings: &DeviceSettings) -> bool {
        let port = settings.port();
        let Some(server) = self.resolve(device, host, settings.server.trim()) else {
            return false;
        };
        let mx = format!("mx.{}", self.mx_domain());
        let submission = format!("smtp.{}", self.alice_domain());
        let greeting = match (server, port) {
            (MX, 25) => {
                SmtpServer::new(ServerConfig::new(&mx, &self.mx_domain()), self.now).poll_output()
            }
            (MX, 110) => Pop3Server::new(pop3::ServerConfig::new(&mx), self.now).poll_output(),
            (MX, 143) => ImapServer::new(imap::ServerConfig::new(&mx), self.now).poll_output(),
            (SUBMISSION, 587) => SmtpServer::new(
                ServerConfig::submission(&submission, &self.alice_domain()),
                self.now,
            )
            .poll_output(),
            _ => None,
        };
        let name = if server == MX { &mx } else { &submission };
        let wanted = settings.protocol.name();
        let Some(greeting) = greeting else {
            self.now = self.now + self.latency + self.latency;
            self.local(
                host,
                &format!("-- connection refused: nothing listens on {name} port {port} --"),
                Explanation::new(
                    "Connection refused",
                    "The server's machine answered, but no program accepts connections on that port, \
                     so it reset the connection. A mail program reports “connection refused”: the \
                     port in the account settings is wrong.",
                    RfcRef::new(9293, "3.5.2"),
                ),
            );
            self.outcome.push(format!(
                "{} could not connect: nothing listens on port {port}.",
                device.label()
            ));
            return false;
        };
        let (service, protocol) = match port {
            25 | 587 => ("SMTP", Protocol::Smtp),
            110 => ("POP3", Protocol::Pop3),
            _ => ("IMAP", Protocol::Imap),
        };
        if service == wanted {
            return true;
        }
        let (an, a_service) = if service == "POP3" {
            ("a", "A")
        } else {
            ("an", "An")
        };
        // The real greeting of the service on that port, fed to the device's real client.
        let sent = self.now;
        self.now = self.now + self.latency + self.latency;
        // A client that read a greeting it knows answers it (CAPA, a login); one that did
        // not says nothing or closes.
        let understood = match settings.protocol {
            FetchProtocol::Pop3 => {
                let mut client = Pop3Client::new(
                    pop3::ClientConfig::new(&self.bob, ""),
                    BTreeMap::new(),
                    self.now,
                );
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
            FetchProtocol::Imap => {
                let mut client = ImapClient::new(
                    imap::ClientConfig::new(&self.bob, ""),
                    DeviceCache::default(),
                );
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
        };
        self.record(
            (server, host),
            protocol,
            Direction::ServerToClient,
            sent,
            greeting,
            Explanation::new(
                format!("{a_service} {service} server answers on port {port}"),
                format!(
                    "The device expects a {wanted} server, but port {port} belongs to {service}: the greeting is in another protocol."
                ),
                RfcRef::new(
                    match service {
                        "SMTP" => 5321,
                        "POP3" => 1939,
                        _ => 9051,
                    },
                    match service {
                        "SMTP" => "4.3.1",
                        "POP3" => "4",
                        _ => "7.1.1",
                    },
                ),
            ),
            (String::new(), String::new()),
            false,
        );
        if understood {
            return true;
        }
        self.local(
            host,
            &format!("-- the {wanted} client cannot read this greeting and hangs up --"),
            Explanation::new(
                format!("The {wanted} client gives up"),
                format!(
                    "A {wanted} session starts with the server's greeting in {wanted}'s own form; this one is not, so the program closes the connection and reports an error. The port in the account settings is wrong."
                ),
                match settings.protocol {
                    FetchProtocol::Pop3 => RfcRef::new(1939, "4"),
                    FetchProtocol::Imap => RfcRef::new(9051, "7.1.1"),
                },
            ),
        );
        self.outcome.push(format!(
            "{} reached {an} {service} server on port {port} instead of {wanted}, and gave up.",
            device.label()
        ));
        false
    }

    /// Finds the machine a device's server setting names, as its mail program would: Bob's
    /// server by default, an IPv4 address as is, anything else through DNS. Only Bob's and
    /// Alice's mail servers exist in this story (and Bob's domain, whose A record is his
    /// server's). None, with the failure recorded, when there is no such machine.
    fn resolve(&mut self, device: Device, host: HostId, setting: &str) -> Option<HostId> {
        const MX_ADDRESS: &str = "192.0.2.25";
        const SUBMISSION_ADDRESS: &str = "198.51.100.25";
        let name = setting.trim_end_matches('.').to_ascii_lowercase();
        let mx_domain = self.mx_domain().to_ascii_lowercase();
        if name.is_empty() || name == format!("mx.{mx_domain}") || name == MX_ADDRESS {
            return Some(MX);
        }
        if name == SUBMISSION_ADDRESS {
            return Some(SUBMISSION);
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            // Nobody has that address here: the connection attempt is never answered, and TCP
            // keeps asking for at least three minutes (RFC 9293 §3.8.3).
            self.now = self.now + Duration::from_secs(180);
            self.local(
                host,
                &format!("-- connecting to {name} ... no answer: the connection times out --"),
                Explanation::new(
                    "No machine answers",
                    "No reply comes back to the device's request to connect, however often TCP sends \
                     it; after three minutes the mail program gives up and reports that the \
                     connection timed out. The server address in the account settings is wrong.",
                    RfcRef::new(9293, "3.8.3"),
                ),
            );
            self.outcome.push(format!(
                "{} could not connect: nothing answers at {name}.",
                device.label()
            ));
            return None;
        }
        let found = if name == format!("smtp.{}", self.alice_domain().to_ascii_lowercase()) {
            Some((SUBMISSION, SUBMISSION_ADDRESS))
        } else if name == mx_domain {
            Some((MX, MX_ADDRESS))
        } else {
            None
        };
        let answer = match found {
            Some((_, address)) => (
                format!("ANSWER {name}. 3600 IN A {address}"),
                Explanation::new(
                    format!("{name} is at {address}"),
                    "DNS gives the address; the device now opens a TCP connection to it.",
                    RfcRef::new(1035, "3.4.1"),
                ),
            ),
            None => (
                format!("ANSWER {name}. NXDOMAIN (no such name)"),
                Explanation::new(
                    "No such host",
                    "DNS answers that the name does not exist (RCODE 3, name error). A mail \
                     program reports that it cannot find the server: the server name in the \
                     account settings is wrong.",
                    RfcRef::new(1035, "4.1.1"),
                ),
            ),
        };
        for (from, to, direction, text, explanation) in [
            (
                host,
                DNS,
                Direction::ClientToServer,
                format!("QUERY {name}. IN A"),
                Explanation::new(
                    format!("Where is {name}?"),
                    "Before it can connect, the device asks DNS for the server's address.",
                    RfcRef::new(1035, "3.4.1"),
                ),
            ),
            (DNS, host, Direction::ServerToClient, answer.0, answer.1),
        ] {
            let sent = self.now;
            self.now = self.now + self.latency;
            self.record(
                (from, to),
                Protocol::Dns,
                direction,
                sent,
                format!("{text}\r\n").into_bytes(),
                explanation,
                (String::new(), String::new()),
                false,
            );
        }
        if found.is_none() {
            self.outcome.push(format!(
                "{} could not find the server {name}.",
                device.label()
            ));
        }
        found.map(|(server, _)| server)
    }

    fn alice_domain(&self) -> String {
        Mailbox::try_from(self.scenario.from.as_str())
            .map(|m| m.domain().to_string())
            .unwrap_or_default()
    }

    fn mx_domain(&self) -> String {
        Mailbox::try_from(self.scenario.to.as_str())
            .map(|m| m.domain().to_string())
            .unwrap_or_default()
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
    if settings.require_tls {
        ClientTls::Required
    } else {
        ClientTls::Never
    }
}

/// What a connection lost at an arbitrary point means for each protocol.
fn dropped(protocol: Protocol) -> Explanation {
    match protocol {
        Protocol::Pop3 => Explanation::new(
            "The connection is lost: POP3 deletes nothing",
            "The session never reaches the UPDATE state, so no message is removed from the \
             maildrop, even those marked with DELE. The device keeps what it downloaded.",
            RfcRef::new(1939, "6"),
        ),
        Protocol::Imap => Explanation::new(
            "The connection is lost: what the server did stays done",
            "Every command the server completed has taken effect: flags stored, messages expunged \
             or moved. A command without its tagged answer may or may not have; the device finds \
             out when it synchronises again.",
            RfcRef::new(9051, "2.2.2"),
        ),
        _ => Explanation::new(
            "The connection is lost: the transaction is cancelled",
            "The server cancels the transaction in progress but undoes none it completed, as if the \
             command had failed for now (4yz): a message not yet accepted after the final period is \
             dropped. The client still has it and tries again later.",
            RfcRef::new(5321, "4.1.1.10"),
        ),
    }
}

fn device_host(device: Device) -> HostId {
    match device {
        Device::Phone => PHONE,
        Device::Laptop => LAPTOP,
    }
}

fn server_view(
    title: &str,
    store: &MailStore,
    user: &str,
    which: u8,
    subjects: &mut BTreeMap<(u8, u32), String>,
) -> MailboxView {
    MailboxView {
        title: title.to_string(),
        entries: store
            .messages(user)
            .iter()
            .map(|m| MailboxEntry {
                id: format!("UID {}", m.uid),
                subject: subjects
                    .entry((which, m.uid))
                    .or_insert_with(|| header_value(&m.bytes, "Subject").unwrap_or_default())
                    .clone(),
                size: m.bytes.len(),
                flags: m.flags.iter().cloned().collect(),
            })
            .collect(),
    }
}

fn device_view(device: Device, settings: &DeviceSettings, state: &DeviceState) -> MailboxView {
    let title = format!("{} ({})", device.label(), settings.protocol.name());
    let entries = match state {
        DeviceState::Pop3 { local, .. } => local
            .iter()
            .map(|(id, bytes, read)| MailboxEntry {
                id: id.clone(),
                subject: header_value(bytes, "Subject").unwrap_or_default(),
                size: bytes.len(),
                flags: if *read {
                    vec!["read here".to_string()]
                } else {
                    Vec::new()
                },
            })
            .collect(),
        DeviceState::Imap(cache) => cache
            .messages
            .iter()
            .map(|(uid, m)| MailboxEntry {
                id: format!("UID {uid}"),
                subject: m
                    .bytes
                    .as_deref()
                    .and_then(|b| header_value(b, "Subject"))
                    .unwrap_or_default(),
                size: m.bytes.as_ref().map_or(0, Vec::len),
                flags: m
                    .flags
                    .iter()
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            })
            .collect(),
    };
    MailboxView { title, entries }
}

/// The value of the first header field called `name` (one line is enough here). Reads only
/// the header, without copying the message.
pub(crate) fn header_value(message: &[u8], name: &str) -> Option<String> {
    for line in message.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        let matches = line
            .get(..name.len())
            .is_some_and(|field| field.eq_ignore_ascii_case(name.as_bytes()))
            && line.get(name.len()) == Some(&b':');
        if matches {
            let value = line.get(name.len() + 1..).unwrap_or_default();
            return Some(String::from_utf8_lossy(value).trim().to_string());
        }
    }
    None
}
