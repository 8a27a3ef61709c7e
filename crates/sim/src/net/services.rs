//! What listens where: Bob's server takes SMTP on 25, POP3 on 110 and IMAP on 143; Alice's
//! provider takes submissions on 587. Nothing else listens, anywhere. Also the servers the
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

    /// "a POP3 server", "an SMTP server".
    pub fn article(self) -> &'static str {
        match self {
            Service::Pop3 => "a",
            Service::Smtp | Service::Imap => "an",
        }
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

    /// The service on `port` of `host` and the greeting it sends a new connection; None
    /// where nothing listens (the connection is refused).
    pub fn answer(&self, host: HostId, port: u16, now: Instant) -> Option<(Service, Vec<u8>)> {
        // These servers offer no TLS, unlike the ones a device's session reaches: only their
        // greetings are shown, to a device set to the wrong port.
        let none = TlsPolicy::NotOffered;
        let (service, greeting) = match (host, port) {
            (MX, 25) => (Service::Smtp, self.relay_server(false, now).poll_output()),
            (MX, 110) => (Service::Pop3, self.pop3_server(none, now).poll_output()),
            (MX, 143) => (Service::Imap, self.imap_server(none, now).poll_output()),
            (SUBMISSION, 587) => (
                Service::Smtp,
                self.submission_server(none, now).poll_output(),
            ),
            _ => return None,
        };
        Some((service, greeting?))
    }

    /// Alice's provider on port 587 (RFC 6409).
    pub fn submission_server(&self, tls: TlsPolicy, now: Instant) -> SmtpServer {
        let mut config = ServerConfig::submission(&self.submission, &self.alice_domain);
        config.tls = tls;
        SmtpServer::new(config, now)
    }

    /// Bob's server on port 25, where relays deliver.
    pub fn relay_server(&self, greylisting: bool, now: Instant) -> SmtpServer {
        let mut config = ServerConfig::new(&self.mx, &self.bob_domain);
        config.greylisting = greylisting;
        SmtpServer::new(config, now)
    }

    /// Bob's server on port 110.
    pub fn pop3_server(&self, tls: TlsPolicy, now: Instant) -> Pop3Server {
        let mut config = pop3::ServerConfig::new(&self.mx);
        config.tls = tls;
        Pop3Server::new(config, now)
    }

    /// Bob's server on port 143.
    pub fn imap_server(&self, tls: TlsPolicy, now: Instant) -> ImapServer {
        let mut config = imap::ServerConfig::new(&self.mx);
        config.tls = tls;
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
                .map(|(service, greeting)| (service, greeting.get(..4).map(<[u8]>::to_vec)))
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
        // Bob's server takes no submissions, Alice's provider no POP3.
        assert_eq!(answer(MX, 587), None);
        assert_eq!(answer(SUBMISSION, 110), None);
    }
}
