//! How a mail program reaches its server from its account settings (one of Bob's devices,
//! or Alice's outgoing server): the server's name through DNS, then a connection to the
//! port, which may be refused or answered by another protocol's server. Every failure is
//! recorded and told.

use std::collections::BTreeMap;

use postroom_proto::i18n::Text;
use postroom_proto::imap::{self, DeviceCache, ImapClient};
use postroom_proto::pop3::{self, Pop3Client};
use postroom_proto::smtp::{self, SmtpClient};
use postroom_proto::{text, Duration};

use super::World;
use crate::host::{HostId, DNS, MX};
use crate::narration;
use crate::net::dns::{Lookup, Resolution};
use crate::net::services::Service;
use crate::recorder::Entry;
use crate::scenario::{Device, DeviceSettings, FetchProtocol, Security};
use crate::timeline::{Direction, Protocol};

/// A mail program reaching out: from which host, who it is in the outcome's words, the
/// server its settings name, and what it wants there.
pub(super) struct Caller<'a> {
    pub host: HostId,
    pub who: Text,
    /// The server setting; empty is `home`.
    pub server: &'a str,
    pub home: HostId,
    pub port: u16,
    pub wanted: Service,
    /// Set to TLS from the first byte.
    pub implicit: bool,
}

impl World<'_> {
    /// Whether the device reaches the service it wants on the port it is set to; see
    /// [`crate::net::services`] for what listens where.
    pub(super) fn connects(
        &mut self,
        device: Device,
        host: HostId,
        settings: &DeviceSettings,
    ) -> bool {
        let caller = Caller {
            host,
            who: self.scenario.device_label(device),
            server: settings.server.trim(),
            home: MX,
            port: settings.port(),
            wanted: match settings.protocol {
                FetchProtocol::Pop3 => Service::Pop3,
                FetchProtocol::Imap => Service::Imap,
            },
            implicit: settings.security == Security::ImplicitTls,
        };
        self.reach(&caller).is_some()
    }

    /// The machine a mail program reaches with the service it wants on its port, or None
    /// with the failure recorded and told: no such name, nobody at that address, nothing on
    /// that port, TLS from the start on one side only, or another protocol's greeting.
    pub(super) fn reach(&mut self, caller: &Caller<'_>) -> Option<HostId> {
        let Caller {
            host,
            ref who,
            port,
            wanted,
            implicit,
            ..
        } = *caller;
        let server = self.resolve(who, host, caller.server, caller.home)?;
        let Some(answer) = self.services.answer(server, port, self.now) else {
            self.now = self.now + self.latency + self.latency;
            let name = self.services.name(server).to_string();
            self.local(host, narration::connection_refused(&name, port));
            self.tell(text!("outcome.refused", who = who, port = port));
            return None;
        };
        if answer.implicit != implicit {
            // One side starts with a TLS handshake, the other with plain text: they never
            // understand each other (RFC 8314 §3.3).
            self.now = self.now + self.latency + self.latency;
            self.local(host, narration::tls_mismatch(port, implicit, wanted));
            self.tell(if answer.implicit {
                text!("outcome.expects-tls", who = who, port = port)
            } else {
                text!("outcome.plain-first", who = who, port = port)
            });
            return None;
        }
        let (service, greeting) = (answer.service, answer.greeting);
        if service == wanted {
            return Some(server);
        }
        // The real greeting of the service on that port, fed to the program's real client.
        let sent = self.now;
        self.now = self.now + self.latency + self.latency;
        // A client that read a greeting it knows answers it (CAPA, a login, EHLO); one that
        // did not says nothing or closes.
        let bob = &self.places.bob;
        let understood = match wanted {
            Service::Pop3 => {
                let config = pop3::ClientConfig::new(bob, "");
                let mut client = Pop3Client::new(config, BTreeMap::new(), self.now);
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
            Service::Imap => {
                let config = imap::ClientConfig::new(bob, "");
                let mut client = ImapClient::new(config, DeviceCache::default());
                client.handle_input(self.now, &greeting).is_ok()
                    && !client.is_closed()
                    && client.poll_output().is_some()
            }
            Service::Smtp => {
                let mut client = SmtpClient::new(smtp::ClientConfig::new(bob), self.now);
                client.handle_input(self.now, &greeting).is_ok() && client.poll_output().is_some()
            }
        };
        self.record(Entry {
            route: (server, host),
            protocol: service.protocol(),
            direction: Direction::ServerToClient,
            sent_at: sent,
            bytes: greeting,
            note: None,
            explanation: narration::other_service(service, port, wanted),
            states: (Text::default(), Text::default()),
            encrypted: false,
        });
        if understood {
            return Some(server);
        }
        self.local(host, narration::client_gives_up(wanted));
        let wanted = wanted.name();
        self.tell(match service {
            Service::Smtp => text!(
                "outcome.reached-smtp",
                who = who,
                port = port,
                wanted = wanted
            ),
            Service::Pop3 => text!(
                "outcome.reached-pop3",
                who = who,
                port = port,
                wanted = wanted
            ),
            Service::Imap => text!(
                "outcome.reached-imap",
                who = who,
                port = port,
                wanted = wanted
            ),
        });
        None
    }

    /// Finds the machine a server setting names (see [`crate::net::dns`]). None, with the
    /// failure recorded, when there is no such machine.
    fn resolve(&mut self, who: &Text, host: HostId, setting: &str, home: HostId) -> Option<HostId> {
        match self.dns.resolve(setting, home) {
            Resolution::Host(server) => Some(server),
            Resolution::Nobody(address) => {
                // Nobody has that address here: the connection attempt is never answered, and
                // TCP keeps asking for at least three minutes (RFC 9293 §3.8.3).
                self.now = self.now + Duration::from_secs(180);
                self.local(host, narration::no_answer(&address));
                self.tell(text!(
                    "outcome.no-answer",
                    who = who,
                    address = address.as_str()
                ));
                None
            }
            Resolution::Asked {
                name,
                lookup,
                found,
            } => {
                self.ask_dns(host, *lookup, (Text::default(), Text::default()));
                if found.is_none() {
                    self.tell(text!("outcome.not-found", who = who, name = name.as_str()));
                }
                found
            }
        }
    }

    /// `asker` puts a question to the resolver and hears its answer, one latency each way;
    /// `states` are the asker's while it waits and once it knows.
    pub(super) fn ask_dns(&mut self, asker: HostId, lookup: Lookup, states: (Text, Text)) {
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
                note: None,
                explanation,
                states: (state, Text::default()),
                encrypted: false,
            });
        }
    }
}
