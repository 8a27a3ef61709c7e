//! Runs a scenario on the virtual clock and records the timeline.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use postroom_proto::message::Message;
use postroom_proto::smtp::{
    self, ClientConfig, Mailbox, ReversePath, ServerConfig, SmtpClient, SmtpServer,
};
use postroom_proto::{Duration, Explanation, Instant, MailStore, RfcRef};

use crate::host::{Host, HostId};
use crate::scenario::Scenario;
use crate::timeline::{Direction, MailboxEntry, Protocol, Step, Timeline};

/// A run never records more steps than this, whatever the sessions do.
pub const MAX_STEPS: usize = 10_000;

const CLIENT: HostId = HostId(0);
const SERVER: HostId = HostId(1);

/// The calendar date the virtual clock starts at, for the Date: header.
const START_DATE: &str = "Fri, 6 Mar 2026 09:00:00 +0000";

/// One unit in flight on the link, ordered by arrival time then by sending order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct InFlight {
    arrives: Instant,
    seq: u64,
    sent: Instant,
    direction: DirectionKey,
    bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DirectionKey {
    ToServer,
    ToClient,
}

/// Why a scenario cannot run; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs the scenario from connection to QUIT and returns every step.
pub fn run(scenario: &Scenario) -> Result<Timeline, ScenarioError> {
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
    let server_name = format!("mx.{}", to.domain());
    let client_name = format!("laptop.{}", from.domain());

    let mut store = MailStore::new();
    store.add_user(to.local_part());
    let mut server = SmtpServer::new(ServerConfig::new(&server_name, to.domain()), Instant::ZERO);
    let mut client = SmtpClient::new(ClientConfig::new(&client_name), Instant::ZERO);
    let message = Message::new(
        &scenario.from,
        &scenario.to,
        &scenario.subject,
        START_DATE,
        &scenario.body,
    );
    client
        .send(
            ReversePath::Mailbox(from.clone()),
            vec![to.clone()],
            message.to_bytes(),
        )
        .map_err(|e| ScenarioError(e.0))?;
    client.quit();

    let latency = Duration::from_millis(scenario.latency_ms);
    let mut queue = BinaryHeap::new();
    let mut seq = 0u64;
    let mut now = Instant::ZERO;
    let mut steps = Vec::new();

    // The server speaks first: its greeting leaves as the connection opens.
    enqueue_output(&mut queue, &mut seq, now, latency, &mut server, &mut client);

    while let Some(Reverse(unit)) = queue.pop() {
        if steps.len() >= MAX_STEPS {
            break;
        }
        now = unit.arrives;
        let step = match unit.direction {
            DirectionKey::ToServer => {
                let explanation = explain_client_unit(&unit.bytes, server.state());
                server.handle_input(now, &unit.bytes, &mut store);
                record(
                    &unit,
                    explanation,
                    Direction::ClientToServer,
                    (CLIENT, SERVER),
                )
            }
            DirectionKey::ToClient => {
                let explanation = explain_server_unit(&unit.bytes, &client);
                // A reply our own client cannot parse would be an engine bug; the step still
                // shows the bytes, and the client closes.
                let _ = client.handle_input(now, &unit.bytes);
                record(
                    &unit,
                    explanation,
                    Direction::ServerToClient,
                    (SERVER, CLIENT),
                )
            }
        };
        steps.push(Step {
            client_state: client.state().to_string(),
            server_state: server.state().to_string(),
            mailbox: mailbox_entries(&store, to.local_part()),
            ..step
        });
        enqueue_output(&mut queue, &mut seq, now, latency, &mut server, &mut client);
    }

    Ok(Timeline {
        hosts: vec![
            Host::new("Alice's mail client", &client_name, "SMTP client"),
            Host::new("Bob's mail server", &server_name, "SMTP server :25"),
        ],
        steps,
        mailbox_owner: to.to_string(),
    })
}

fn enqueue_output(
    queue: &mut BinaryHeap<Reverse<InFlight>>,
    seq: &mut u64,
    now: Instant,
    latency: Duration,
    server: &mut SmtpServer,
    client: &mut SmtpClient,
) {
    let mut push = |direction, bytes| {
        *seq += 1;
        queue.push(Reverse(InFlight {
            arrives: now + latency,
            seq: *seq,
            sent: now,
            direction,
            bytes,
        }));
    };
    while let Some(bytes) = server.poll_output() {
        push(DirectionKey::ToClient, bytes);
    }
    while let Some(bytes) = client.poll_output() {
        push(DirectionKey::ToServer, bytes);
    }
}

fn record(
    unit: &InFlight,
    explanation: Explanation,
    direction: Direction,
    ends: (HostId, HostId),
) -> Step {
    Step {
        sent_at: unit.sent,
        arrived_at: unit.arrives,
        from: ends.0,
        to: ends.1,
        protocol: Protocol::Smtp,
        direction,
        bytes: unit.bytes.clone(),
        explanation,
        client_state: String::new(),
        server_state: String::new(),
        mailbox: Vec::new(),
    }
}

/// What the client sent means what the server will take it as: data while it receives data.
fn explain_client_unit(bytes: &[u8], server_state: smtp::ServerState) -> Explanation {
    if server_state == smtp::ServerState::ExpectAuthResponse {
        return smtp::explain::auth_response();
    }
    if server_state == smtp::ServerState::ReceivingData {
        let stuffed = bytes
            .split(|&b| b == b'\n')
            .filter(|line| line.starts_with(b".."))
            .count();
        // Without the stuffed periods and the final ".\r\n" line: the message as written.
        let message = bytes.len().saturating_sub(stuffed + 3);
        return smtp::explain::data_content(message, stuffed);
    }
    let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
    match smtp::decode::command(line) {
        Ok(cmd) => smtp::explain::command(&cmd),
        Err(_) => Explanation::new(
            "A line the server does not understand",
            "The server will answer with a 5xx error reply.",
            RfcRef::new(5321, "4.2.2"),
        ),
    }
}

fn explain_server_unit(bytes: &[u8], client: &SmtpClient) -> Explanation {
    match (smtp::decode::reply(bytes), client.expecting()) {
        (Ok((reply, _)), Some(to)) => smtp::explain::reply(&reply, to),
        _ => Explanation::new(
            "A reply the client did not expect",
            "The client cannot match this reply to a command it sent, so it gives up.",
            RfcRef::new(5321, "4.2"),
        ),
    }
}

fn mailbox_entries(store: &MailStore, user: &str) -> Vec<MailboxEntry> {
    store
        .messages(user)
        .iter()
        .map(|m| MailboxEntry {
            uid: m.uid,
            subject: header_value(&m.bytes, "Subject").unwrap_or_default(),
            size: m.bytes.len(),
        })
        .collect()
}

/// The value of the first header field called `name` (unfolded, single line is enough here).
fn header_value(message: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(message);
    text.split("\r\n")
        .take_while(|l| !l.is_empty())
        .find_map(|line| {
            let (field, value) = line.split_once(':')?;
            field
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classroom_email_is_delivered_in_a_deterministic_timeline() {
        let scenario = Scenario::default();
        let a = run(&scenario).unwrap();
        let b = run(&scenario).unwrap();
        assert_eq!(a, b);
        let labels: Vec<String> = a.steps.iter().map(|s| s.label()).collect();
        assert_eq!(
            labels,
            [
                "220 mx.example.net ESMTP Postroom",
                "EHLO laptop.example.org",
                "250-mx.example.net greets laptop.example.org",
                // The server offers PIPELINING: MAIL, RCPT and DATA leave together.
                "MAIL FROM:<alice@example.org> SIZE=163",
                "RCPT TO:<bob@example.net>",
                "DATA",
                "250 2.1.0 Sender OK",
                "250 2.1.5 Recipient OK",
                "354 End data with <CR><LF>.<CR><LF>",
                "From: alice@example.org",
                "250 2.0.0 Ok: message accepted (163 octets)",
                "QUIT",
                "221 2.0.0 mx.example.net closing connection",
            ]
        );
        // Each step arrives one link latency (40 ms) after what caused it; a pipelined group
        // arrives together, and so do its replies.
        let times: Vec<u64> = a
            .steps
            .iter()
            .map(|s| s.arrived_at.as_micros() / 1000)
            .collect();
        assert_eq!(
            times,
            [40, 80, 120, 160, 160, 160, 200, 200, 200, 240, 280, 320, 360]
        );
    }

    #[test]
    fn the_mailbox_fills_only_when_the_end_of_data_is_accepted() {
        let t = run(&Scenario::default()).unwrap();
        let data = t
            .steps
            .iter()
            .position(|s| s.label().starts_with("From:"))
            .unwrap();
        assert!(t.steps[data - 1].mailbox.is_empty());
        assert_eq!(t.steps[data].mailbox.len(), 1);
        assert_eq!(t.steps[data].mailbox[0].subject, "Lunch on Friday?");
        assert_eq!(t.steps[data].server_state, "ready for MAIL");
        assert!(t.steps[data]
            .explanation
            .why
            .contains("One line starts with a period"));
        assert!(t.steps[data].bytes.windows(4).any(|w| w == b"\n..."));
    }

    #[test]
    fn a_bad_address_is_a_clear_error() {
        let scenario = Scenario {
            to: "not an address".into(),
            ..Scenario::default()
        };
        assert_eq!(
            run(&scenario).unwrap_err().0,
            "\"not an address\" is not a valid recipient address"
        );
    }
}
