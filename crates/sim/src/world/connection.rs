//! A connection of the story: the driver moves its units over a link with the world's
//! latency, and the world around it moves the clock, lets the fault plan act, keeps the
//! fetching device up to date, and records every unit and handshake.

use postroom_proto::{text, Instant, MailStore};

use super::{Which, World};
use crate::drive::{drive, Arrival, Ending, Exchange, Stage};
use crate::host::{HostId, LAPTOP, PHONE};
use crate::narration;
use crate::net::faults::{Cut, Strike};
use crate::net::link::{Link, Unit};
use crate::recorder::Entry;
use crate::scenario::Device;
use crate::timeline::{Direction, Protocol};

impl World<'_> {
    /// Opens a connection from `client` to `server` and drives it until both sides fall
    /// silent, the fault plan ends it, or the timeline is full.
    pub(super) fn converse(
        &mut self,
        conv: &mut dyn Exchange,
        (client, server): (HostId, HostId),
        which: Which,
        cut: Cut,
    ) -> Ending {
        self.recorder.open_connection();
        let mut link = Link::with_latency(self.latency);
        let mut wire = Wire {
            first: self.recorder.len(),
            device: match client {
                PHONE => Some(Device::Phone),
                LAPTOP => Some(Device::Laptop),
                _ => None,
            },
            world: self,
            client,
            server,
            which,
            cut,
            downloads_seen: 0,
            client_sent: None,
        };
        if conv.encrypted() {
            // TLS from the first byte (995, 993): the handshake comes before the greeting.
            wire.implicit_handshake(conv);
        }
        let ending = drive(conv, &mut link, &mut wire);
        self.recorder.close_connection();
        ending
    }
}

/// One connection, as the driver's stage.
struct Wire<'w, 's> {
    world: &'w mut World<'s>,
    client: HostId,
    server: HostId,
    which: Which,
    cut: Cut,
    /// The connection's first step.
    first: usize,
    /// The fetching device at the client's end, if any.
    device: Option<Device>,
    /// POP3 events the device has already taken its downloads from.
    downloads_seen: usize,
    /// When the client's last unit left, while no reply has come since: a unit sent at the
    /// same moment is pipelined behind it.
    client_sent: Option<Instant>,
}

impl Wire<'_, '_> {
    /// The handshake of a connection encrypted from its first byte: one round trip (the
    /// ClientHello out, the server's flight back) before the client's Finished goes out
    /// and the server may greet.
    fn implicit_handshake(&mut self, conv: &dyn Exchange) {
        let world = &mut *self.world;
        let note = narration::implicit_tls(conv.protocol());
        world.now = world.now + world.latency + world.latency;
        world.sync_clocks();
        world.record(Entry {
            route: (self.client, self.server),
            protocol: conv.protocol(),
            direction: Direction::Local,
            sent_at: world.now,
            bytes: format!("{}\r\n", note.text).into_bytes(),
            note: Some(note.text),
            explanation: note.explanation,
            states: (text!("state.tls-handshake"), text!("state.tls-handshake")),
            encrypted: true,
        });
    }

    /// The fault plan cuts the connection as `unit` crosses: mid-DATA, half the message
    /// arrives before the line goes dead; before QUIT, nothing of it does.
    fn cut_short(&mut self, conv: &mut dyn Exchange, unit: &Unit, sent: Instant, cut: Cut) {
        let world = &mut *self.world;
        if cut == Cut::MidData {
            // A line cut short, on which nothing more can be chosen to happen.
            let half = unit.bytes.get(..unit.bytes.len() / 2).unwrap_or_default();
            let explanation = conv.to_server(world.now, half, world.store(self.which));
            world.recorder.close_connection();
            world.record(Entry {
                route: (self.client, self.server),
                protocol: conv.protocol(),
                direction: Direction::ClientToServer,
                sent_at: sent,
                bytes: half.to_vec(),
                note: None,
                explanation,
                states: conv.states(),
                encrypted: unit.encrypted,
            });
        }
        conv.cut(world.store(self.which));
        world.local(self.client, narration::cut(cut));
    }
}

impl Stage for Wire<'_, '_> {
    fn now(&self) -> Instant {
        self.world.now
    }

    fn store(&mut self) -> &mut MailStore {
        self.world.store(self.which)
    }

    fn arrive(&mut self, conv: &mut dyn Exchange, unit: &Unit, link: &Link) -> Arrival {
        let world = &mut *self.world;
        if world.recorder.is_full() {
            return Arrival::Ended(Ending::Quiet);
        }
        let steps = (self.first, world.recorder.len());
        let strike = world
            .faults
            .strike(steps, self.cut, unit, conv.is_quit(&unit.bytes));
        if strike == Some(Strike::Drop) {
            world.now = world.now.max(unit.arrives);
            let note =
                narration::dropped_here(conv.protocol(), conv.accepted_unheard(), conv.all_heard());
            conv.cut(world.store(self.which));
            world.local(self.client, note);
            return Arrival::Ended(Ending::Dropped);
        }
        // When it left: units pipelined behind another left with it, not when it arrived.
        let sent = unit.left;
        world.now = world.now.max(unit.arrives);
        world.sync_clocks();
        match strike {
            Some(Strike::Cut(cut)) => {
                self.cut_short(conv, unit, sent, cut);
                return Arrival::Ended(Ending::Cut);
            }
            Some(Strike::Loss) => {
                // The receiver's acknowledgement never comes, so the sender's retransmission
                // timer runs out; the later lines wait behind this one (TCP delivers in order).
                let sender = if unit.to_server {
                    self.client
                } else {
                    self.server
                };
                let timeout = link.retransmission_timeout();
                world.local(sender, narration::packet_lost(timeout));
                world.now = world.now + timeout;
                world.sync_clocks();
            }
            Some(Strike::Drop) | None => {}
        }
        Arrival::Delivered { sent }
    }

    fn delivered(
        &mut self,
        conv: &dyn Exchange,
        unit: Unit,
        sent: Instant,
        explanation: postroom_proto::Explanation,
    ) {
        let world = &mut *self.world;
        let (route, direction) = if unit.to_server {
            ((self.client, self.server), Direction::ClientToServer)
        } else {
            ((self.server, self.client), Direction::ServerToClient)
        };
        if let Some(device) = self.device {
            let mail = &mut world.places.devices.get_mut(device).mail;
            if mail.follow(conv.device_progress(), &mut self.downloads_seen) {
                world.places.devices_version += 1;
            }
        }
        // What an eavesdropper on the path sees of a password depends on this connection,
        // which the engine's explanation of the command cannot know.
        let explanation = if unit.to_server && narration::carries_password(&unit.bytes) {
            narration::password_seen(explanation, unit.encrypted)
        } else {
            explanation
        };
        // Sent at the same moment as the command before it, with no reply between: the
        // client did not wait (RFC 2920).
        let pipelined = unit.to_server && self.client_sent == Some(sent);
        self.client_sent = unit.to_server.then_some(sent);
        let explanation = if pipelined && conv.protocol() == Protocol::Smtp {
            narration::pipelined(explanation)
        } else {
            explanation
        };
        world.record(Entry {
            route,
            protocol: conv.protocol(),
            direction,
            sent_at: sent,
            bytes: unit.bytes,
            note: None,
            explanation,
            states: conv.states(),
            encrypted: unit.encrypted,
        });
    }

    fn handshake(&mut self, conv: &dyn Exchange, _link: &mut Link) {
        let world = &mut *self.world;
        let note = narration::tls_handshake(conv.protocol());
        world.record(Entry {
            route: (self.client, self.server),
            protocol: conv.protocol(),
            direction: Direction::Local,
            sent_at: world.now,
            bytes: format!("{}\r\n", note.text).into_bytes(),
            note: Some(note.text),
            explanation: note.explanation,
            states: conv.states(),
            encrypted: true,
        });
        // TLS 1.3: the ClientHello out and the server's flight back, one round trip, before
        // the client's Finished can leave with its next command.
        world.now = world.now + world.latency + world.latency;
        world.sync_clocks();
    }
}
