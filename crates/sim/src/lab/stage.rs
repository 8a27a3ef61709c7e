//! The lab's stage: its clock, the store its servers work on, and the record of every unit
//! and handshake flight — when it left and arrived, its octets on the wire, and which round
//! trip it belongs to, counted from what caused it, not typed in.

use std::collections::BTreeMap;
use std::rc::Rc;

use postroom_proto::i18n::Text;
use postroom_proto::{text, Explanation, Instant, MailStore, RfcRef};

use crate::drive::{Arrival, Exchange, Stage};
use crate::host::HostId;
use crate::net::link::{wire_len, Link, Unit};
use crate::timeline::{Direction, Phase, Protocol, Step};

/// What the lab adds to a step: the flight it was in, and its size on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// How many flights led to this one, itself included: 1 for the first SYN, 2 for its
    /// SYN-ACK, … A reply is one more than what it answers, so flight `d` belongs to round
    /// trip `(d + 1) / 2` of its connection.
    pub flight: u32,
    /// Octets on the wire: the unit and its TLS records' overhead (RFC 8446 §5.2).
    pub wire: usize,
    /// Sent by the client of its connection.
    pub up: bool,
}

/// The record of one run of the lab.
#[derive(Debug)]
pub(crate) struct Lab {
    pub now: Instant,
    pub store: MailStore,
    pub steps: Vec<Step>,
    pub marks: Vec<Mark>,
    /// The first step at which the client knew its mail was accepted.
    pub accepted: Option<usize>,
    /// (client, server) of the connection being driven, and its number.
    pub ends: (HostId, HostId),
    pub connection: u32,
    /// When units arrived at each (connection, host), with their flight.
    arrivals: BTreeMap<(u32, HostId), Vec<(Instant, u32)>>,
    phase: Rc<Phase>,
    mailboxes: Rc<Vec<crate::timeline::MailboxView>>,
}

impl Lab {
    /// A run whose steps the explanation panel labels with `title`.
    pub fn new(store: MailStore, title: Text) -> Self {
        Lab {
            now: Instant::ZERO,
            store,
            steps: Vec::new(),
            marks: Vec::new(),
            accepted: None,
            ends: (HostId(0), HostId(1)),
            connection: 0,
            arrivals: BTreeMap::new(),
            phase: Rc::new(Phase {
                label: title,
                protocol: Protocol::Local,
            }),
            mailboxes: Rc::new(Vec::new()),
        }
    }

    /// A new TCP connection from `client` to `server`.
    pub fn open(&mut self, client: HostId, server: HostId) {
        self.connection += 1;
        self.ends = (client, server);
    }

    /// Goes back to an earlier connection, which carries on.
    pub fn resume(&mut self, connection: u32, client: HostId, server: HostId) {
        self.connection = connection;
        self.ends = (client, server);
    }

    /// The flight a unit sent by `host` at `sent` belongs to: one after the last that
    /// reached `host` on this connection by then.
    fn flight_of(&self, host: HostId, sent: Instant) -> u32 {
        self.arrivals
            .get(&(self.connection, host))
            .and_then(|list| list.iter().rev().find(|(at, _)| *at <= sent))
            .map_or(1, |(_, flight)| flight + 1)
    }

    /// Records a unit that arrived; returns its flight.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        up: bool,
        (sent, arrived): (Instant, Instant),
        protocol: Protocol,
        bytes: Vec<u8>,
        wire: usize,
        explanation: Explanation,
        (states, encrypted): ((Text, Text), bool),
    ) {
        let (from, to) = if up {
            self.ends
        } else {
            (self.ends.1, self.ends.0)
        };
        let flight = self.flight_of(from, sent);
        self.arrivals
            .entry((self.connection, to))
            .or_default()
            .push((arrived, flight));
        self.steps.push(Step {
            sent_at: sent,
            arrived_at: arrived,
            from,
            to,
            protocol,
            direction: if up {
                Direction::ClientToServer
            } else {
                Direction::ServerToClient
            },
            bytes,
            note: None,
            explanation,
            client_state: states.0,
            server_state: states.1,
            encrypted,
            connection: self.connection,
            phase: Rc::clone(&self.phase),
            mailboxes: Rc::clone(&self.mailboxes),
        });
        self.marks.push(Mark { flight, wire, up });
    }

    /// Sends a handshake flight of `octets` over the link at `sent`; returns its arrival.
    pub fn flight(
        &mut self,
        link: &mut Link,
        up: bool,
        sent: Instant,
        (label, octets): (&str, usize),
        explanation: Explanation,
    ) -> Instant {
        let arrived = link.transmit(up, octets, sent);
        self.now = self.now.max(arrived);
        let states = (text!("state.handshake"), text!("state.handshake"));
        let bytes = format!("{label}\r\n").into_bytes();
        self.record(
            up,
            (sent, arrived),
            Protocol::Handshake,
            bytes,
            octets,
            explanation,
            (states, false),
        );
        arrived
    }

    /// TCP's three-way handshake (RFC 9293 §3.5) from `now`; returns when the client may
    /// send, having sent its ACK. `with_data`: the client's first data goes with the ACK.
    pub fn tcp_handshake(&mut self, link: &mut Link, port: u16) -> Instant {
        let syn = Explanation::new(
            format!("SYN: the client asks to open a connection to port {port}"),
            "TCP's three-way handshake: the client sends SYN with its first sequence number. \
             Nothing of the mail can go before the answer: one round trip before any protocol \
             speaks.",
            RfcRef::new(9293, "3.5"),
        );
        let syn_ack = Explanation::new(
            "SYN-ACK: the server agrees",
            "The server acknowledges the client's SYN and sends its own. The client now knows \
             the path works both ways.",
            RfcRef::new(9293, "3.5"),
        );
        let start = self.now;
        let at_server = self.flight(link, true, start, ("[TCP] SYN", 0), syn);
        self.flight(link, false, at_server, ("[TCP] SYN-ACK", 0), syn_ack)
    }

    /// The client's ACK that completes TCP's handshake, when no data goes with it.
    pub fn tcp_ack(&mut self, link: &mut Link, at: Instant) -> Instant {
        let ack = Explanation::new(
            "ACK: the connection is open",
            "The client acknowledges the server's SYN. The server learns the connection is \
             open when this arrives — only then does a server that speaks first send its \
             greeting.",
            RfcRef::new(9293, "3.5"),
        );
        self.flight(link, true, at, ("[TCP] ACK", 0), ack)
    }

    /// A TLS 1.3 full handshake (RFC 8446 §2) started by the client at `at`: ClientHello,
    /// the server's flight, the client's Finished. Returns (when the client's Finished
    /// has left, when it arrives at the server).
    pub fn tls_handshake(
        &mut self,
        link: &mut Link,
        at: Instant,
        after_ack: bool,
    ) -> (Instant, Instant) {
        let hello = if after_ack {
            "[TLS 1.3] ClientHello (with TCP's ACK)"
        } else {
            "[TLS 1.3] ClientHello"
        };
        let at_server = self.flight(
            link,
            true,
            at,
            (hello, tls::CLIENT_HELLO),
            Explanation::new(
                "ClientHello: the client offers ciphers and its key share",
                "TLS 1.3 sends the client's key share in its first message, so the handshake \
                 takes one round trip, not TLS 1.2's two. The server name (SNI) says which \
                 certificate to send.",
                RfcRef::new(8446, "2"),
            ),
        );
        let at_client = self.flight(
            link,
            false,
            at_server,
            (
                "[TLS 1.3] ServerHello … Certificate, CertificateVerify, Finished",
                tls::SERVER_FLIGHT,
            ),
            Explanation::new(
                "The server's whole flight: its key share, certificate and Finished",
                "ServerHello carries the server's key share; from there everything is \
                 encrypted: its extensions, its certificate chain (the biggest part, some \
                 kilobytes — slow on a thin link), a signature proving it holds the key, and \
                 Finished.",
                RfcRef::new(8446, "2"),
            ),
        );
        let arrives = self.flight(
            link,
            true,
            at_client,
            ("[TLS 1.3] Finished", tls::CLIENT_FINISHED),
            Explanation::new(
                "Finished: the client confirms; its data can follow at once",
                "The client checks the certificate and sends its Finished. It need not wait \
                 for an answer: its first application data goes right behind it, in the same \
                 flight.",
                RfcRef::new(8446, "4.4.4"),
            ),
        );
        (at_client, arrives)
    }
}

/// The sizes of a typical TLS 1.3 handshake's flights, in octets on the wire (a model: real
/// ones vary with the certificate chain and the extensions offered).
pub mod tls {
    /// ClientHello with an X25519 key share, server name and the usual extensions.
    pub const CLIENT_HELLO: usize = 250;
    /// ServerHello, EncryptedExtensions, a two-certificate chain (about 2.5 KB),
    /// CertificateVerify and Finished, in their records.
    pub const SERVER_FLIGHT: usize = 2_900;
    /// ChangeCipherSpec for middleboxes and the client's Finished, in its record.
    pub const CLIENT_FINISHED: usize = 80;
}

impl Stage for Lab {
    fn now(&self) -> Instant {
        self.now
    }

    fn store(&mut self) -> &mut MailStore {
        &mut self.store
    }

    fn arrive(&mut self, _conv: &mut dyn Exchange, unit: &Unit, _link: &Link) -> Arrival {
        self.now = self.now.max(unit.arrives);
        Arrival::Delivered { sent: unit.left }
    }

    fn delivered(
        &mut self,
        conv: &dyn Exchange,
        unit: Unit,
        sent: Instant,
        explanation: Explanation,
    ) {
        let wire = wire_len(unit.bytes.len(), unit.encrypted);
        let arrived = unit.arrives;
        let up = unit.to_server;
        self.record(
            up,
            (sent, arrived),
            conv.protocol(),
            unit.bytes,
            wire,
            explanation,
            (conv.states(), unit.encrypted),
        );
        if !up && self.accepted.is_none() && conv.all_heard() {
            self.accepted = Some(self.steps.len().saturating_sub(1));
        }
    }

    fn handshake(&mut self, _conv: &dyn Exchange, link: &mut Link) {
        // STARTTLS: the handshake starts when the client has read the 220, and the client's
        // next command follows its Finished.
        let (at_client, _) = self.tls_handshake(link, self.now, false);
        self.now = at_client;
    }
}
