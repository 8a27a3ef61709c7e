//! DNS in the story: the MX lookup a relay makes for the recipient's domain, and the
//! address lookup a device's mail program makes for its server setting. Only Bob's and
//! Alice's mail servers exist here, and Bob's domain, whose A record is his server's.

use postroom_proto::Explanation;

use crate::host::{HostId, MX, SUBMISSION};
use crate::narration;

/// Bob's server's address.
const MX_ADDRESS: &str = "192.0.2.25";
/// Alice's provider's address.
const SUBMISSION_ADDRESS: &str = "198.51.100.25";

/// One question to the resolver and its answer, as the lines on the wire.
#[derive(Debug, Clone)]
pub(crate) struct Lookup {
    pub question: String,
    pub answer: String,
    pub asked: Explanation,
    pub answered: Explanation,
}

/// Where a device's server setting leads.
#[derive(Debug, Clone)]
pub(crate) enum Resolution {
    /// Straight to a host, without asking: Bob's server by default, or an address the
    /// story knows.
    Host(HostId),
    /// To an IPv4 address nobody has here.
    Nobody(String),
    /// DNS was asked about `name`; it found the host, or no such name.
    Asked {
        name: String,
        lookup: Box<Lookup>,
        found: Option<HostId>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Dns {
    alice_domain: String,
    bob_domain: String,
}

impl Dns {
    pub fn new(alice_domain: &str, bob_domain: &str) -> Self {
        Dns {
            alice_domain: alice_domain.to_string(),
            bob_domain: bob_domain.to_string(),
        }
    }

    /// What a relay asks to deliver mail for `domain`: its MX record, or, when it has none,
    /// the domain's own address, the implicit MX (RFC 5321 §5.1).
    pub fn mx_lookups(&self, domain: &str, no_mx_record: bool) -> Vec<Lookup> {
        if !no_mx_record {
            return vec![Lookup {
                question: format!("QUERY {domain}. IN MX"),
                answer: format!("ANSWER {domain}. 3600 IN MX 10 mx.{domain}."),
                asked: narration::which_mx(domain),
                answered: narration::mx_found(domain),
            }];
        }
        vec![
            Lookup {
                question: format!("QUERY {domain}. IN MX"),
                answer: format!("ANSWER {domain}. IN MX: none (NOERROR, no records)"),
                asked: narration::which_mx(domain),
                answered: narration::no_mx(),
            },
            Lookup {
                question: format!("QUERY {domain}. IN A"),
                answer: format!("ANSWER {domain}. 3600 IN A {MX_ADDRESS}"),
                asked: narration::implicit_mx(domain),
                answered: narration::implicit_mx_found(),
            },
        ]
    }

    /// Finds the machine a server setting names, as a mail program would: its usual server
    /// (`home`: Bob's for his devices, Alice's provider for her outgoing mail) when empty or
    /// named, without asking; an IPv4 address as is; anything else through DNS.
    pub fn resolve(&self, setting: &str, home: HostId) -> Resolution {
        let name = setting.trim_end_matches('.').to_ascii_lowercase();
        let bob_domain = self.bob_domain.to_ascii_lowercase();
        let submission = format!("smtp.{}", self.alice_domain.to_ascii_lowercase());
        let mx = format!("mx.{bob_domain}");
        let home_name = if home == SUBMISSION { &submission } else { &mx };
        if name.is_empty() || name == *home_name {
            return Resolution::Host(home);
        }
        if name == MX_ADDRESS {
            return Resolution::Host(MX);
        }
        if name == SUBMISSION_ADDRESS {
            return Resolution::Host(SUBMISSION);
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            return Resolution::Nobody(name);
        }
        let found = if name == submission {
            Some((SUBMISSION, SUBMISSION_ADDRESS))
        } else if name == bob_domain || name == mx {
            Some((MX, MX_ADDRESS))
        } else {
            None
        };
        let (answer, answered) = match found {
            Some((_, address)) => (
                format!("ANSWER {name}. 3600 IN A {address}"),
                narration::address_found(&name, address),
            ),
            None => (
                format!("ANSWER {name}. NXDOMAIN (no such name)"),
                narration::no_such_host(),
            ),
        };
        Resolution::Asked {
            lookup: Box::new(Lookup {
                question: format!("QUERY {name}. IN A"),
                answer,
                asked: narration::where_is(&name),
                answered,
            }),
            found: found.map(|(host, _)| host),
            name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dns() -> Dns {
        Dns::new("example.org", "example.net")
    }

    #[test]
    fn bobs_server_is_reached_without_asking() {
        for setting in ["", "mx.example.net", "MX.Example.NET.", "192.0.2.25"] {
            assert!(
                matches!(dns().resolve(setting, MX), Resolution::Host(MX)),
                "{setting}"
            );
        }
        assert!(matches!(
            dns().resolve("198.51.100.25", MX),
            Resolution::Host(SUBMISSION)
        ));
    }

    #[test]
    fn names_are_looked_up_and_unknown_ones_do_not_exist() {
        let Resolution::Asked { found, lookup, .. } = dns().resolve("example.net", MX) else {
            unreachable!()
        };
        assert_eq!(found, Some(MX));
        assert_eq!(lookup.answer, "ANSWER example.net. 3600 IN A 192.0.2.25");
        let Resolution::Asked { found, .. } = dns().resolve("smtp.example.org", MX) else {
            unreachable!()
        };
        assert_eq!(found, Some(SUBMISSION));
        let Resolution::Asked { found, lookup, .. } = dns().resolve("mail.example.net", MX) else {
            unreachable!()
        };
        assert_eq!(found, None);
        assert!(lookup.answer.ends_with("NXDOMAIN (no such name)"));
    }

    #[test]
    fn alices_outgoing_server_is_home_for_her_mail_program() {
        for setting in ["", "smtp.example.org", "SMTP.example.org."] {
            assert!(
                matches!(
                    dns().resolve(setting, SUBMISSION),
                    Resolution::Host(SUBMISSION)
                ),
                "{setting}"
            );
        }
        let Resolution::Asked { found, .. } = dns().resolve("mx.example.net", SUBMISSION) else {
            unreachable!()
        };
        assert_eq!(found, Some(MX));
        let Resolution::Asked { found, .. } = dns().resolve("smtp.example.com", SUBMISSION) else {
            unreachable!()
        };
        assert_eq!(found, None);
    }

    #[test]
    fn an_address_nobody_has_is_not_looked_up() {
        assert!(matches!(dns().resolve("10.1.2.3", MX), Resolution::Nobody(a) if a == "10.1.2.3"));
    }

    #[test]
    fn without_an_mx_record_the_relay_asks_for_the_domains_address() {
        assert_eq!(dns().mx_lookups("example.net", false).len(), 1);
        let lookups = dns().mx_lookups("example.net", true);
        let questions: Vec<&str> = lookups.iter().map(|l| l.question.as_str()).collect();
        assert_eq!(
            questions,
            ["QUERY example.net. IN MX", "QUERY example.net. IN A"]
        );
    }
}
