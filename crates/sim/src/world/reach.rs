//! How a device reaches its server from its account settings, as a mail program would: the
//! server's name through DNS, then a connection to the port, which may be refused or
//! answered by another protocol's server. Every failure is recorded and told.

use std::collections::BTreeMap;

use postroom_proto::imap::{self, DeviceCache, ImapClient};
use postroom_proto::pop3::{self, Pop3Client};
use postroom_proto::Duration;

use super::World;
use crate::host::{HostId, DNS};
use crate::narration;
use crate::net::dns::{Lookup, Resolution};
use crate::recorder::Entry;
use crate::scenario::{Device, DeviceSettings, FetchProtocol, Security};
use crate::timeline::{Direction, Protocol};

impl World<'_> {
    /// Whether the device reaches the service it wants on the port it is set to; see
    /// [`crate::net::services`] for what listens where.
    pub(super) fn connects(
        &mut self,
        device: Device,
        host: HostId,
        settings: &DeviceSettings,
    ) -> bool {
        let port = settings.port();
        let Some(server) = self.resolve(device, host, settings.server.trim()) else {
            return false;
        };
        let wanted = settings.protocol;
        let Some(answer) = self.services.answer(server, port, self.now) else {
            self.now = self.now + self.latency + self.latency;
            let name = self.services.name(server).to_string();
            self.local(host, narration::connection_refused(&name, port));
            self.tell(format!(
                "{} could not connect: nothing listens on port {port}.",
                self.scenario.device_label(device)
            ));
            return false;
        };
        let implicit_wanted = settings.security == Security::ImplicitTls;
        if answer.implicit != implicit_wanted {
            // One side starts with a TLS handshake, the other with plain text: they never
            // understand each other (RFC 8314 §3.3).
            self.now = self.now + self.latency + self.latency;
            self.local(host, narration::tls_mismatch(port, implicit_wanted));
            self.tell(format!(
                "{} could not talk to its server: port {port} {}.",
                self.scenario.device_label(device),
                if answer.implicit {
                    "expects TLS from the first byte, and the account is not set to it"
                } else {
                    "speaks plain text first, and the account expects TLS from the start"
                }
            ));
            return false;
        }
        let (service, greeting) = (answer.service, answer.greeting);
        if service.name() == wanted.name() {
            return true;
        }
        // The real greeting of the service on that port, fed to the device's real client.
        let sent = self.now;
        self.now = self.now + self.latency + self.latency;
        // A client that read a greeting it knows answers it (CAPA, a login); one that did
        // not says nothing or closes.
        let bob = &self.places.bob;
        let understood = match wanted {
            FetchProtocol::Pop3 => {
                let config = pop3::ClientConfig::new(bob, "");
                let mut client = Pop3Client::new(config, BTreeMap::new(), self.now);
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
            FetchProtocol::Imap => {
                let config = imap::ClientConfig::new(bob, "");
                let mut client = ImapClient::new(config, DeviceCache::default());
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
        };
        self.record(Entry {
            route: (server, host),
            protocol: service.protocol(),
            direction: Direction::ServerToClient,
            sent_at: sent,
            bytes: greeting,
            explanation: narration::other_service(service, port, wanted),
            states: (String::new(), String::new()),
            encrypted: false,
        });
        if understood {
            return true;
        }
        self.local(host, narration::client_gives_up(wanted));
        self.tell(format!(
            "{} reached {} {} server on port {port} instead of {}, and gave up.",
            self.scenario.device_label(device),
            service.article(),
            service.name(),
            wanted.name()
        ));
        false
    }

    /// Finds the machine a device's server setting names (see [`crate::net::dns`]). None,
    /// with the failure recorded, when there is no such machine.
    fn resolve(&mut self, device: Device, host: HostId, setting: &str) -> Option<HostId> {
        match self.dns.resolve(setting) {
            Resolution::Host(server) => Some(server),
            Resolution::Nobody(address) => {
                // Nobody has that address here: the connection attempt is never answered, and
                // TCP keeps asking for at least three minutes (RFC 9293 §3.8.3).
                self.now = self.now + Duration::from_secs(180);
                self.local(host, narration::no_answer(&address));
                self.tell(format!(
                    "{} could not connect: nothing answers at {address}.",
                    self.scenario.device_label(device)
                ));
                None
            }
            Resolution::Asked {
                name,
                lookup,
                found,
            } => {
                self.ask_dns(host, *lookup, ("", ""));
                if found.is_none() {
                    self.tell(format!(
                        "{} could not find the server {name}.",
                        self.scenario.device_label(device)
                    ));
                }
                found
            }
        }
    }

    /// `asker` puts a question to the resolver and hears its answer, one latency each way;
    /// `states` are the asker's while it waits and once it knows.
    pub(super) fn ask_dns(&mut self, asker: HostId, lookup: Lookup, states: (&str, &str)) {
        for (route, direction, text, explanation, state) in [
            (
                (asker, DNS),
                Direction::ClientToServer,
                lookup.question,
                lookup.asked,
                states.0,
            ),
            (
                (DNS, asker),
                Direction::ServerToClient,
                lookup.answer,
                lookup.answered,
                states.1,
            ),
        ] {
            let sent = self.now;
            self.now = self.now + self.latency;
            self.record(Entry {
                route,
                protocol: Protocol::Dns,
                direction,
                sent_at: sent,
                bytes: format!("{text}\r\n").into_bytes(),
                explanation,
                states: (state.to_string(), String::new()),
                encrypted: false,
            });
        }
    }
}
