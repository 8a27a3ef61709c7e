//! A link between a client and a server: the units in flight and when each arrives, and the
//! retransmission timer a lost packet waits for.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use postroom_proto::{Duration, Instant};

/// What a link carries from: the units each side has to send.
pub(crate) trait Outbox {
    fn client_output(&mut self) -> Option<Vec<u8>>;
    fn server_output(&mut self) -> Option<Vec<u8>>;
    /// True once TLS protects the connection.
    fn encrypted(&self) -> bool;
}

/// One unit (a command, a reply, the message data) on its way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Unit {
    pub arrives: Instant,
    /// Sending order, which breaks ties: TCP delivers in order.
    sent: u64,
    /// When it was put on the link: pipelined units leave together.
    pub left: Instant,
    pub to_server: bool,
    /// Sent after the TLS handshake.
    pub encrypted: bool,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
enum Carriage {
    /// Each unit arrives one latency after it was sent; everything a side has to say is sent
    /// at once, so pipelined commands travel together.
    Latency(Duration, BinaryHeap<Reverse<Unit>>),
    /// No time passes and nothing is in flight: each unit is taken from its sender when the
    /// receiver can read it, the server's first. The comparison's devices sit on this link.
    Lockstep,
}

#[derive(Debug)]
pub(crate) struct Link {
    carriage: Carriage,
    sent: u64,
    /// Octets per second each way, if the link has a limit (the lab's); each unit then also
    /// waits for the units before it in its direction to be sent.
    bandwidth: Option<u64>,
    /// When each direction (to the client, to the server) is free to send again.
    free: [Instant; 2],
}

/// TLS 1.3 adds to every record a 5-octet header, the content type and a 16-octet AEAD tag
/// (RFC 8446 §5.2), in records of at most 2^14 octets.
pub(crate) const TLS_RECORD_OVERHEAD: usize = 5 + 1 + 16;
const TLS_RECORD_MAX: usize = 1 << 14;

/// The octets a unit takes on the wire: itself, and its TLS records' overhead if encrypted.
pub(crate) fn wire_len(bytes: usize, encrypted: bool) -> usize {
    if encrypted {
        bytes + bytes.div_ceil(TLS_RECORD_MAX).max(1) * TLS_RECORD_OVERHEAD
    } else {
        bytes
    }
}

impl Link {
    pub fn with_latency(latency: Duration) -> Self {
        Link {
            carriage: Carriage::Latency(latency, BinaryHeap::new()),
            sent: 0,
            bandwidth: None,
            free: [Instant::ZERO; 2],
        }
    }

    /// A link with a latency and a bandwidth (octets per second, each way).
    #[cfg_attr(not(feature = "lab"), allow(dead_code))]
    pub fn with_bandwidth(latency: Duration, octets_per_second: u64) -> Self {
        Link {
            bandwidth: Some(octets_per_second.max(1)),
            ..Link::with_latency(latency)
        }
    }

    pub fn lockstep() -> Self {
        Link {
            carriage: Carriage::Lockstep,
            sent: 0,
            bandwidth: None,
            free: [Instant::ZERO; 2],
        }
    }

    /// Sends `octets` (already counted as on the wire) at `now` in one direction, behind what
    /// is being sent that way; returns when they arrive. A handshake's flights use it.
    pub fn transmit(&mut self, to_server: bool, octets: usize, now: Instant) -> Instant {
        let latency = match &self.carriage {
            Carriage::Latency(latency, _) => *latency,
            Carriage::Lockstep => Duration::ZERO,
        };
        let Some(bandwidth) = self.bandwidth else {
            return now + latency;
        };
        let way = usize::from(to_server);
        let start = self.free.get(way).copied().unwrap_or(now).max(now);
        // Rounded up to the microsecond: a unit never arrives before its last octet.
        let micros = (octets as u64 * 1_000_000).div_ceil(bandwidth);
        let done = start + Duration::from_micros(micros);
        if let Some(free) = self.free.get_mut(way) {
            *free = done;
        }
        done + latency
    }

    /// RFC 6298 §2: RTO = SRTT + 4·RTTVAR, which after one round trip R is 3R, "and never
    /// less than 1 second" (2.4): how long a sender waits before it sends a lost packet again.
    pub fn retransmission_timeout(&self) -> Duration {
        let latency_ms = match &self.carriage {
            Carriage::Latency(latency, _) => latency.as_micros() / 1000,
            Carriage::Lockstep => 0,
        };
        Duration::from_millis((latency_ms * 6).max(1000))
    }

    /// Takes what both sides have to send at `now` (the server's first) onto the link.
    pub fn listen(&mut self, sides: &mut dyn Outbox, now: Instant) {
        if !matches!(self.carriage, Carriage::Latency(..)) {
            return;
        }
        let encrypted = sides.encrypted();
        for to_server in [false, true] {
            let next = |sides: &mut dyn Outbox| match to_server {
                false => sides.server_output(),
                true => sides.client_output(),
            };
            while let Some(bytes) = next(sides) {
                self.sent += 1;
                let arrives = self.transmit(to_server, wire_len(bytes.len(), encrypted), now);
                let Carriage::Latency(_, in_flight) = &mut self.carriage else {
                    return;
                };
                in_flight.push(Reverse(Unit {
                    arrives,
                    sent: self.sent,
                    left: now,
                    to_server,
                    encrypted,
                    bytes,
                }));
            }
        }
    }

    /// The next unit to arrive, if any; `now` is when a lockstep link delivers it.
    pub fn next(&mut self, sides: &mut dyn Outbox, now: Instant) -> Option<Unit> {
        match &mut self.carriage {
            Carriage::Latency(_, in_flight) => in_flight.pop().map(|Reverse(unit)| unit),
            Carriage::Lockstep => {
                let encrypted = sides.encrypted();
                let (to_server, bytes) = match sides.server_output() {
                    Some(bytes) => (false, bytes),
                    None => (true, sides.client_output()?),
                };
                self.sent += 1;
                Some(Unit {
                    arrives: now,
                    sent: self.sent,
                    left: now,
                    to_server,
                    encrypted,
                    bytes,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::VecDeque;

    use super::*;

    /// Two sides with units queued to send.
    #[derive(Default)]
    struct Sides {
        client: VecDeque<&'static str>,
        server: VecDeque<&'static str>,
    }

    impl Outbox for Sides {
        fn client_output(&mut self) -> Option<Vec<u8>> {
            self.client.pop_front().map(|s| s.as_bytes().to_vec())
        }
        fn server_output(&mut self) -> Option<Vec<u8>> {
            self.server.pop_front().map(|s| s.as_bytes().to_vec())
        }
        fn encrypted(&self) -> bool {
            false
        }
    }

    fn text(unit: &Unit) -> &str {
        std::str::from_utf8(&unit.bytes).unwrap()
    }

    #[test]
    fn pipelined_commands_travel_together_one_latency_later() {
        let mut link = Link::with_latency(Duration::from_millis(40));
        let mut sides = Sides {
            client: ["MAIL", "RCPT", "DATA"].into(),
            server: ["220"].into(),
        };
        link.listen(&mut sides, Instant::ZERO);
        let order: Vec<(String, Instant)> =
            std::iter::from_fn(|| link.next(&mut sides, Instant::ZERO))
                .map(|u| (text(&u).to_string(), u.arrives))
                .collect();
        let at = Instant::ZERO + Duration::from_millis(40);
        assert_eq!(
            order,
            [("220", at), ("MAIL", at), ("RCPT", at), ("DATA", at)]
                .map(|(t, a)| (t.to_string(), a))
        );
    }

    #[test]
    fn a_lockstep_link_reads_the_server_first_one_unit_at_a_time() {
        let mut link = Link::lockstep();
        let mut sides = Sides {
            client: ["DONE", "A2 IDLE"].into(),
            server: [].into(),
        };
        link.listen(&mut sides, Instant::ZERO);
        let first = link.next(&mut sides, Instant::ZERO).unwrap();
        assert_eq!((text(&first), first.to_server), ("DONE", true));
        sides.server.push_back("A1 OK IDLE done");
        let second = link.next(&mut sides, Instant::ZERO).unwrap();
        assert_eq!(
            (text(&second), second.to_server),
            ("A1 OK IDLE done", false)
        );
    }

    #[test]
    fn the_retransmission_timer_is_three_round_trips_and_at_least_a_second() {
        let timeout = |ms| Link::with_latency(Duration::from_millis(ms)).retransmission_timeout();
        assert_eq!(timeout(40), Duration::from_secs(1));
        assert_eq!(timeout(250), Duration::from_millis(1500));
    }
}
