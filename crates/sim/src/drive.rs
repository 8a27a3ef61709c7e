//! One driver for any client/server session pair over a link: it moves each unit to the
//! side it is for, lets the surroundings (the story's clock and faults, or the comparison's
//! counters) act as it arrives, and completes the TLS handshake both sides asked for.
//!
//! The engines are reached through the engine's common session shape
//! ([`ClientSession`], [`ServerEvents`]); what is particular to a protocol — how its units
//! are explained — is its [`Conversation`].

use postroom_proto::i18n::Text;
use postroom_proto::session::{ClientSession, ServerEvents, ServerSession};
use postroom_proto::{text, Explanation, Instant, MailStore};

use crate::conversation::Conversation;
use crate::device::DeviceProgress;
use crate::net::link::{Link, Outbox, Unit};
use crate::timeline::Protocol;

/// Client events of a conversation's protocol.
pub(crate) type ClientEvent<C> = <<C as Conversation>::Client as ClientSession>::Event;
/// Server events of a conversation's protocol.
pub(crate) type ServerEvent<C> = <<C as Conversation>::Server as ServerEvents>::Event;

/// A client and a server session of one protocol on one connection, and everything each
/// has told its owner so far.
#[derive(Debug)]
pub(crate) struct Pair<C: Conversation> {
    pub client: C::Client,
    pub server: C::Server,
    pub client_events: Vec<ClientEvent<C>>,
    pub server_events: Vec<ServerEvent<C>>,
    /// (client ready, server ready) for the TLS handshake: true once both are, and then
    /// cleared for the next time.
    tls: (bool, bool),
    conversation: C,
}

impl<C: Conversation> Pair<C> {
    pub fn new(client: C::Client, server: C::Server) -> Self {
        Pair {
            client,
            server,
            client_events: Vec::new(),
            server_events: Vec::new(),
            tls: (false, false),
            conversation: C::default(),
        }
    }

    /// Takes what both sessions have to tell, and notes who asked for TLS.
    fn drain(&mut self) {
        while let Some(event) = self.client.poll_event() {
            self.tls.0 |= C::Client::is_tls_request(&event);
            self.client_events.push(event);
        }
        while let Some(event) = self.server.poll_event() {
            self.tls.1 |= C::Server::is_tls_request(&event);
            self.server_events.push(event);
        }
    }
}

/// A pair as the driver, the link and the surroundings see it, whatever its protocol.
pub(crate) trait Exchange: Outbox {
    fn protocol(&self) -> Protocol;
    /// Delivers client bytes to the server; the explanation is what the server will take
    /// them as, judged before they change its state.
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation;
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation;
    /// True once if a TLS handshake should happen now (both sides asked for it).
    fn tls_due(&mut self) -> bool;
    /// Completes the simulated handshake on both sides.
    fn tls_established(&mut self, now: Instant);
    /// (client state, server state), in the RFC's words.
    fn states(&self) -> (Text, Text);
    /// The connection ends without a goodbye (a fault): the server cleans up.
    fn cut(&mut self, store: &mut MailStore);
    fn is_quit(&self, bytes: &[u8]) -> bool;
    fn device_progress(&self) -> DeviceProgress<'_>;
    fn accepted_unheard(&self) -> bool;
    fn all_heard(&self) -> bool;
}

impl<C: Conversation> Outbox for Pair<C> {
    fn client_output(&mut self) -> Option<Vec<u8>> {
        self.client.poll_output()
    }
    fn server_output(&mut self) -> Option<Vec<u8>> {
        self.server.poll_output()
    }
    fn encrypted(&self) -> bool {
        self.server.is_encrypted()
    }
}

impl<C: Conversation> Exchange for Pair<C> {
    fn protocol(&self) -> Protocol {
        C::PROTOCOL
    }
    fn to_server(&mut self, now: Instant, bytes: &[u8], store: &mut MailStore) -> Explanation {
        let explanation = self.conversation.command(&self.server, bytes);
        self.server.handle_input(now, bytes, store);
        self.drain();
        explanation
    }
    fn to_client(&mut self, now: Instant, bytes: &[u8]) -> Explanation {
        let explanation = self.conversation.reply(&self.client, bytes);
        // A reply our own client cannot read would be an engine bug: the client closes.
        let _ = self.client.handle_input(now, bytes);
        let seen = self.client_events.len();
        self.drain();
        let new = self.client_events.get(seen..).unwrap_or_default();
        self.conversation.after_reply(new, explanation)
    }
    fn tls_due(&mut self) -> bool {
        let due = self.tls == (true, true);
        if due {
            self.tls = (false, false);
        }
        due
    }
    fn tls_established(&mut self, now: Instant) {
        self.server.tls_established();
        self.client.tls_established(now);
        self.drain();
    }
    fn states(&self) -> (Text, Text) {
        // A client that has just read a reply has often queued its next command already;
        // until that command's own step it is about to send it, not waiting for its answer.
        let client = match self.client.peek_output() {
            Some(next) => text!(
                "state.about-to-send",
                what = what_is_sent(C::PROTOCOL, next)
            ),
            None => self.client.state_name(),
        };
        (client, self.server.state_name())
    }
    fn cut(&mut self, store: &mut MailStore) {
        self.server.connection_lost(store);
    }
    fn is_quit(&self, bytes: &[u8]) -> bool {
        C::is_quit(bytes)
    }
    fn device_progress(&self) -> DeviceProgress<'_> {
        C::device_progress(self)
    }
    fn accepted_unheard(&self) -> bool {
        C::accepted_unheard(self)
    }
    fn all_heard(&self) -> bool {
        C::all_heard(self)
    }
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Both sides fell silent (or the timeline is full).
    Quiet,
    /// It dropped after a step chosen for it ([`crate::Fault::DropAfter`]).
    Dropped,
    /// A fault of its kind cut it (mid-DATA, before QUIT).
    Cut,
}

/// What happens as a unit arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// It is delivered; `sent` is when it left, for the timeline.
    Delivered { sent: Instant },
    /// It is not: the connection ends here.
    Ended(Ending),
}

/// The world around a connection: its clock, the store its server works on, the faults
/// that strike as units arrive, and what is made of each unit delivered.
pub(crate) trait Stage {
    fn now(&self) -> Instant;
    fn store(&mut self) -> &mut MailStore;
    /// The unit is about to arrive: the clock moves on, and a fault may act.
    fn arrive(&mut self, conv: &mut dyn Exchange, unit: &Unit, link: &Link) -> Arrival;
    /// The unit was delivered and explained.
    fn delivered(
        &mut self,
        conv: &dyn Exchange,
        unit: Unit,
        sent: Instant,
        explanation: Explanation,
    );
    /// The TLS handshake both sides asked for was completed; a stage that counts time sends
    /// its flights over the link.
    fn handshake(&mut self, conv: &dyn Exchange, link: &mut Link);
}

/// A session is a few dozen units; the bound only stops a broken one.
const MAX_UNITS: usize = 10_000;

/// Drives one connection until both sides fall silent, or its stage ends it.
pub(crate) fn drive(conv: &mut dyn Exchange, link: &mut Link, stage: &mut dyn Stage) -> Ending {
    link.listen(conv, stage.now());
    for _ in 0..MAX_UNITS {
        let Some(unit) = link.next(conv, stage.now()) else {
            break;
        };
        let sent = match stage.arrive(conv, &unit, link) {
            Arrival::Delivered { sent } => sent,
            Arrival::Ended(ending) => return ending,
        };
        let now = stage.now();
        let explanation = if unit.to_server {
            conv.to_server(now, &unit.bytes, stage.store())
        } else {
            conv.to_client(now, &unit.bytes)
        };
        stage.delivered(conv, unit, sent, explanation);
        if conv.tls_due() {
            conv.tls_established(stage.now());
            stage.handshake(conv, link);
        }
        link.listen(conv, stage.now());
    }
    Ending::Quiet
}

/// How the state panel names a unit a client is about to send: its command word (after
/// IMAP's tag), or "the message" for SMTP's mail data.
fn what_is_sent(protocol: Protocol, unit: &[u8]) -> String {
    let first = unit.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut words = first
        .split(|&b| b == b' ' || b == b'\r')
        .filter(|w| !w.is_empty());
    if protocol == Protocol::Imap {
        words.next();
    }
    let word = words.next().unwrap_or_default();
    let is_command = !word.is_empty() && word.iter().all(u8::is_ascii_alphabetic);
    if protocol == Protocol::Smtp && unit.split(|&b| b == b'\n').count() > 2 {
        return "the message".to_string();
    }
    if !is_command {
        // An answer to a challenge, or a literal's octets.
        return "its next line".to_string();
    }
    let word = String::from_utf8_lossy(word).to_ascii_uppercase();
    match word.as_str() {
        "UID" => {
            let next = words.next().unwrap_or_default();
            format!("UID {}", String::from_utf8_lossy(next).to_ascii_uppercase())
        }
        _ => word,
    }
}
