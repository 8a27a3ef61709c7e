//! The round-trip lab: the same email sent four ways over one simulated network — SMTP
//! submission one command at a time, SMTP done well (implicit TLS, SASL-IR, PIPELINING), a
//! provider's HTTP send API, and JMAP — with every round trip counted from the simulation,
//! the octets each way, and the time until the sender knows its mail was accepted. Then the
//! honest end (the provider relays over SMTP on port 25 anyway), and webmail (HTTP to the
//! browser, IMAP behind it).
//!
//! The SMTP and IMAP sessions are the engine's, the HTTP messages the engine's codec; the
//! driver moves them over a link with the chosen latency and bandwidth, and the TCP and TLS
//! handshakes cross it as flights of their own.

pub mod chart;
mod http;
mod paths;
mod stage;

use postroom_proto::i18n::Text;
use postroom_proto::{text, Duration};

use crate::host::Host;
use crate::timeline::Timeline;
pub use paths::{relay, run, smtp as paths_smtp, webmail};
pub use stage::{tls, Mark};

/// The network between the sender and its provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    /// Round-trip time in milliseconds: a unit takes half of it to cross.
    pub rtt_ms: u32,
    /// Kilobits per second, each way.
    pub kbit_s: u32,
}

impl Network {
    /// One way: half the round trip.
    pub fn latency(self) -> Duration {
        Duration::from_micros(u64::from(self.rtt_ms) * 500)
    }

    pub fn octets_per_second(self) -> u64 {
        u64::from(self.kbit_s.max(1)) * 1000 / 8
    }

    /// How long `octets` take to send at this bandwidth, in microseconds.
    pub fn transfer_micros(self, octets: usize) -> u64 {
        (octets as u64 * 1_000_000).div_ceil(self.octets_per_second())
    }
}

/// The round trips the page offers, in ms: the same room, a city, a continent, across the
/// Atlantic, a satellite (the page names them).
pub const LATENCIES: [u32; 5] = [1, 20, 80, 150, 600];

/// The bandwidths the page offers, in kbit/s: a poor mobile link up to a fast line.
pub const BANDWIDTHS: [u32; 4] = [256, 2_000, 20_000, 200_000];

/// The four ways to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Path {
    /// Submission on 587: STARTTLS, AUTH with a challenge, one command at a time.
    SmtpStepByStep,
    /// Submission on 465 (implicit TLS), AUTH with an initial response, PIPELINING.
    SmtpWell,
    /// A provider's send API: one HTTPS POST, 202 Accepted.
    HttpApi,
    /// JMAP: one HTTPS POST with Email/set and EmailSubmission/set.
    Jmap,
}

impl Path {
    pub const ALL: [Path; 4] = [
        Path::SmtpStepByStep,
        Path::SmtpWell,
        Path::HttpApi,
        Path::Jmap,
    ];

    pub fn title(self) -> Text {
        match self {
            Path::SmtpStepByStep => text!("lab.path.smtp"),
            Path::SmtpWell => text!("lab.path.smtp-well"),
            Path::HttpApi => text!("lab.path.api"),
            Path::Jmap => Text::verbatim("JMAP"),
        }
    }

    /// What it is, in a line.
    pub fn summary(self) -> Text {
        match self {
            Path::SmtpStepByStep => text!("lab.path.smtp-summary"),
            Path::SmtpWell => text!("lab.path.smtp-well-summary"),
            Path::HttpApi => text!("lab.path.api-summary"),
            Path::Jmap => text!("lab.path.jmap-summary"),
        }
    }

    /// A short name for links and keys.
    pub fn key(self) -> &'static str {
        match self {
            Path::SmtpStepByStep => "smtp",
            Path::SmtpWell => "smtp-well",
            Path::HttpApi => "api",
            Path::Jmap => "jmap",
        }
    }

    /// The SMTP options of an SMTP path.
    pub fn smtp_options(self) -> Option<SmtpOptions> {
        match self {
            Path::SmtpStepByStep => Some(SmtpOptions::STEP_BY_STEP),
            Path::SmtpWell => Some(SmtpOptions::WELL),
            Path::HttpApi | Path::Jmap => None,
        }
    }
}

/// How the SMTP client submits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SmtpOptions {
    /// Port 465, TLS from the first byte (RFC 8314 §3.3), instead of STARTTLS on 587.
    pub implicit_tls: bool,
    /// AUTH PLAIN with its response on the command line (RFC 4954 §4).
    pub initial_response: bool,
    /// MAIL, RCPT and DATA in one flight (RFC 2920).
    pub pipelining: bool,
}

impl SmtpOptions {
    pub const STEP_BY_STEP: SmtpOptions = SmtpOptions {
        implicit_tls: false,
        initial_response: false,
        pipelining: false,
    };
    pub const WELL: SmtpOptions = SmtpOptions {
        implicit_tls: true,
        initial_response: true,
        pipelining: true,
    };
}

/// What each of SMTP done well's three options saves on its own, against one command at a
/// time: the option, what disappears, and how many round trips, each counted by running
/// the engine with that option alone.
pub fn smtp_savings(network: Network) -> [(Text, Text, u32); 3] {
    let base = paths::smtp(SmtpOptions::STEP_BY_STEP, network).round_trips();
    let alone =
        |options: SmtpOptions| base.saturating_sub(paths::smtp(options, network).round_trips());
    let none = SmtpOptions::STEP_BY_STEP;
    [
        (
            text!("lab.saving.implicit-tls"),
            text!("lab.saving.implicit-tls-gone"),
            alone(SmtpOptions {
                implicit_tls: true,
                ..none
            }),
        ),
        (
            text!("lab.saving.initial-response"),
            text!("lab.saving.initial-response-gone"),
            alone(SmtpOptions {
                initial_response: true,
                ..none
            }),
        ),
        (
            Text::verbatim("PIPELINING"),
            text!("lab.saving.pipelining-gone"),
            alone(SmtpOptions {
                pipelining: true,
                ..none
            }),
        ),
    ]
}

/// One connection of the lab, as it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub timeline: Timeline,
    /// Per step: its flight, its octets on the wire, its direction.
    pub marks: Vec<Mark>,
    /// The step at which the client knew its mail was accepted (or, for webmail, had its
    /// page), if it did.
    pub accepted: Option<usize>,
    pub network: Network,
}

impl Run {
    /// Round trips until acceptance: the accepting reply's flight, two flights a round trip.
    pub fn round_trips(&self) -> u32 {
        self.accepted
            .and_then(|i| self.marks.get(i))
            .map_or(0, |m| m.flight.div_ceil(2))
    }

    /// Round trips of the whole connection, its goodbye included.
    pub fn round_trips_total(&self, connection: u32) -> u32 {
        self.timeline
            .steps
            .iter()
            .zip(&self.marks)
            .filter(|(s, _)| s.connection == connection)
            .map(|(_, m)| m.flight.div_ceil(2))
            .max()
            .unwrap_or(0)
    }

    /// Octets (client to server, server to client) on the wire, the whole run.
    pub fn octets(&self) -> (usize, usize) {
        self.octets_until(self.marks.len())
    }

    /// Octets each way in the steps before `end`.
    pub fn octets_until(&self, end: usize) -> (usize, usize) {
        self.marks.iter().take(end).fold((0, 0), |(up, down), m| {
            if m.up {
                (up + m.wire, down)
            } else {
                (up, down + m.wire)
            }
        })
    }

    /// Microseconds from the first SYN until the accepting reply arrived.
    pub fn accepted_after(&self) -> Option<u64> {
        let step = self.timeline.steps.get(self.accepted?)?;
        Some(step.arrived_at.as_micros())
    }

    /// RTT × round trips + octets ÷ bandwidth, up to acceptance: what the time should be
    /// when every octet is on the way that the answer waits for.
    pub fn estimate_micros(&self) -> Option<u64> {
        let accepted = self.accepted?;
        let (up, down) = self.octets_until(accepted + 1);
        let rtt = u64::from(self.network.rtt_ms) * 1000;
        Some(rtt * u64::from(self.round_trips()) + self.network.transfer_micros(up + down))
    }

    pub fn hosts(&self) -> &[Host] {
        &self.timeline.hosts
    }
}
