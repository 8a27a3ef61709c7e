//! What listens where: Bob's server takes SMTP on 25, POP3 on 110 and IMAP on 143, and the
//! same over TLS from the first byte on 995 and 993 (RFC 8314); Alice's provider takes
//! submissions on 587 (STARTTLS) and 465 (TLS from the first byte, RFC 8314 §3.3, as real
//! providers do). Nothing else listens, anywhere: a provider's submission host has no port 25
//! (that is its mail exchanger's, which is not in the story). Also the servers the
//! story's connections reach, named and set up in one place.

use postroom_proto::imap::{self, ImapServer};
use postroom_proto::pop3::{self, Pop3Server};
use postroom_proto::smtp::{ServerConfig, SmtpServer, TlsPolicy};
use postroom_proto::{Instant, RfcRef};

use crate::host::{HostId, MX, SUBMISSION};
use crate::timeline::Protocol;

/// A service a port can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Smtp,
    Pop3,
    Imap,
}

impl Service {
    pub fn name(self) -> &'static str {
        self.protocol().name()
    }

    pub fn protocol(self) -> Protocol {
        match self {
            Service::Smtp => Protocol::Smtp,
            Service::Pop3 => Protocol::Pop3,
            Service::Imap => Protocol::Imap,
        }
    }

    /// Where the RFC defines the service's greeting.
    pub fn greeting_rfc(self) -> RfcRef {
        match self {
            Service::Smtp => RfcRef::new(5321, "4.3.1"),
            Service::Pop3 => RfcRef::new(1939, "4"),
            Service::Imap => RfcRef::new(9051, "7.1.1"),
        }
    }
}

/// What answers a connection to a port.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub service: Service,
    /// TLS from the first byte (995, 993): the greeting comes only after a handshake.
    pub implicit: bool,
    pub greeting: Vec<u8>,
}

/// The two mail servers of the story, by the domains of Alice's and Bob's addresses.
#[derive(Debug, Clone)]
pub(crate) struct Services {
    alice_domain: String,
    bob_domain: String,
    /// `mx.` Bob's domain.
    mx: String,
    /// `smtp.` Alice's domain.
    submission: String,
}

impl Services {
    pub fn new(alice_domain: &str, bob_domain: &str) -> Self {
        Services {
            alice_domain: alice_domain.to_string(),
            bob_domain: bob_domain.to_string(),
            mx: format!("mx.{bob_domain}"),
            submission: format!("smtp.{alice_domain}"),
        }
    }

    /// Bob's server's name.
    pub fn mx(&self) -> &str {
        &self.mx
    }

    /// Alice's provider's name.
    pub fn submission(&self) -> &str {
        &self.submission
    }

    /// The name of a server host ([`MX`] or [`SUBMISSION`]).
    pub fn name(&self, host: HostId) -> &str {
        if host == MX {
            &self.mx
        } else {
            &self.submission
        }
    }

    /// The service on `port` of `host`, whether it speaks TLS from the first byte, and the
    /// greeting it sends a new connection; None where nothing listens (refused).
    pub fn answer(&self, host: HostId, port: u16, now: Instant) -> Option<Answer> {
        // Only the greetings of these servers are used, to a device set to a port that
        // does not fit its settings.
        let offered = TlsPolicy::Offered;
        let (service, implicit, greeting) = match (host, port) {
            (MX, 25) => (
                Service::Smtp,
                false,
                self.relay_server(false, now).poll_output(),
            ),
            (MX, 110) => (
                Service::Pop3,
                false,
                self.pop3_server(offered, false, now).poll_output(),
            ),
            (MX, 143) => (
                Service::Imap,
                false,
                self.imap_server(offered, false, now).poll_output(),
            ),
            (MX, 995) => (
                Service::Pop3,
                true,
                self.pop3_server(offered, true, now).poll_output(),
            ),
            (MX, 993) => (
                Service::Imap,
                true,
                self.imap_server(offered, true, now).poll_output(),
            ),
            (SUBMISSION, 587) => (
                Service::Smtp,
                false,
                self.submission_server(TlsPolicy::Required, false, now)
                    .poll_output(),
            ),
            (SUBMISSION, 465) => (
                Service::Smtp,
                true,
                self.submission_server(TlsPolicy::Required, true, now)
                    .poll_output(),
            ),
            _ => return None,
        };
        Some(Answer {
            service,
            implicit,
            greeting: greeting?,
        })
    }

    /// Alice's provider on port 587 (RFC 6409), or 465 with TLS from the start (`implicit`).
    /// Its users log in with their whole address, as most providers ask.
    pub fn submission_server(&self, tls: TlsPolicy, implicit: bool, now: Instant) -> SmtpServer {
        let mut config = ServerConfig::submission(&self.submission, &self.alice_domain);
        config.tls = if implicit { TlsPolicy::NotOffered } else { tls };
        config.secure_from_start = implicit;
        config.address_login = true;
        SmtpServer::new(config, now)
    }

    /// The SMTP server on `port` of `host`: Alice's provider on 587 (offering STARTTLS as
    /// `tls` says) and 465, Bob's server on 25; None where no SMTP server listens.
    pub fn smtp_server(
        &self,
        (host, port): (HostId, u16),
        tls: TlsPolicy,
        greylisting: bool,
        now: Instant,
    ) -> Option<SmtpServer> {
        match (host, port) {
            (SUBMISSION, 587) => Some(self.submission_server(tls, false, now)),
            (SUBMISSION, 465) => Some(self.submission_server(tls, true, now)),
            (MX, 25) => Some(self.relay_server(greylisting, now)),
            _ => None,
        }
    }

    /// Bob's server on port 25, where relays deliver. It offers STARTTLS, which a relay
    /// uses when offered; a public mail exchanger must not require it (RFC 3207 §4).
    pub fn relay_server(&self, greylisting: bool, now: Instant) -> SmtpServer {
        let mut config = ServerConfig::new(&self.mx, &self.bob_domain);
        config.greylisting = greylisting;
        config.tls = TlsPolicy::Offered;
        SmtpServer::new(config, now)
    }

    /// Bob's server on port 110, or 995 with TLS from the start (`implicit`).
    pub fn pop3_server(&self, tls: TlsPolicy, implicit: bool, now: Instant) -> Pop3Server {
        let mut config = pop3::ServerConfig::new(&self.mx);
        config.tls = if implicit { TlsPolicy::NotOffered } else { tls };
        config.secure_from_start = implicit;
        Pop3Server::new(config, now)
    }

    /// Bob's server on port 143, or 993 with TLS from the start (`implicit`).
    pub fn imap_server(&self, tls: TlsPolicy, implicit: bool, now: Instant) -> ImapServer {
        let mut config = imap::ServerConfig::new(&self.mx);
        config.tls = if implicit { TlsPolicy::NotOffered } else { tls };
        config.secure_from_start = implicit;
        ImapServer::new(config, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_port_answers_with_its_own_protocols_greeting() {
        let services = Services::new("example.org", "example.net");
        let answer = |host, port| {
            services
                .answer(host, port, Instant::ZERO)
                .map(|a| (a.service, a.greeting.get(..4).map(<[u8]>::to_vec)))
        };
        assert_eq!(
            answer(MX, 25),
            Some((Service::Smtp, Some(b"220 ".to_vec())))
        );
        assert_eq!(
            answer(MX, 110),
            Some((Service::Pop3, Some(b"+OK ".to_vec())))
        );
        assert_eq!(
            answer(MX, 143),
            Some((Service::Imap, Some(b"* OK".to_vec())))
        );
        assert_eq!(
            answer(SUBMISSION, 587),
            Some((Service::Smtp, Some(b"220 ".to_vec())))
        );
        assert!(services
            .answer(MX, 995, Instant::ZERO)
            .is_some_and(|a| a.implicit));
        assert!(services
            .answer(MX, 993, Instant::ZERO)
            .is_some_and(|a| a.implicit));
        assert!(services
            .answer(SUBMISSION, 465, Instant::ZERO)
            .is_some_and(|a| a.implicit && a.service == Service::Smtp));
        // Bob's server takes no submissions, Alice's provider no POP3 and nothing on 25.
        assert_eq!(answer(MX, 587), None);
        assert_eq!(answer(SUBMISSION, 110), None);
        assert_eq!(answer(SUBMISSION, 25), None);
    }
}
