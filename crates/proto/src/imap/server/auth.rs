//! Commands for any state and for logging in (RFC 9051 §6.1, §6.2): CAPABILITY, LOGOUT,
//! STARTTLS, LOGIN and AUTHENTICATE PLAIN (with SASL-IR), and ENABLE (§6.3.1), which
//! changes what the session speaks.

use super::{Completion, ImapServer, Phase, ServerEvent};
use crate::smtp::TlsPolicy;
use crate::store::MailStore;

impl ImapServer {
    pub(super) fn capabilities(&self) -> String {
        // ID (RFC 2971): mail programs send it before they log in, if CAPABILITY names it.
        let mut caps = vec!["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE"];
        // Only what this build can do: the explorer's leaves out the mailbox commands.
        // RFC 3348: LIST marks mailboxes that have children with \HasChildren.
        // RFC 3502: APPEND takes several messages at once, stored all or none.
        #[cfg(feature = "mailboxes")]
        caps.extend(["NAMESPACE", "CHILDREN", "MULTIAPPEND"]);
        caps.extend(["UNSELECT", "UIDPLUS"]);
        #[cfg(feature = "mailboxes")]
        caps.push("MOVE");
        caps.push("CONDSTORE");
        // RFC 9051 Appendix A: both revisions, and what IMAP4rev2 folded in.
        #[cfg(feature = "imap4rev2")]
        if self.config.imap4rev2 {
            caps.insert(1, "IMAP4rev2");
            caps.extend(crate::imap::rev2::CAPABILITIES);
        }
        if self.state() == super::State::NotAuthenticated {
            if self.config.tls != TlsPolicy::NotOffered && !self.encrypted {
                caps.push("STARTTLS");
            }
            // RFC 9051 §6.2.3: LOGINDISABLED while the password would travel in clear.
            if self.tls_missing() {
                caps.push("LOGINDISABLED");
            } else {
                caps.push("AUTH=PLAIN");
            }
        }
        caps.join(" ")
    }

    fn tls_missing(&self) -> bool {
        self.config.tls == TlsPolicy::Required && !self.encrypted
    }

    pub(super) fn capability(&mut self, tag: &str, store: &MailStore, out: &mut Vec<u8>) {
        out.extend(format!("* CAPABILITY {}\r\n", self.capabilities()).bytes());
        self.finish(store, true, out, Completion::done(tag, "CAPABILITY"));
    }

    /// ID (RFC 2971 §3.1, valid in any state): the client says who it is, the server answers
    /// with an untagged ID of its own field-value pairs. What the client sent changes
    /// nothing: §3.3 forbids making behaviour depend on it.
    pub(super) fn id(&mut self, tag: &str, store: &MailStore, out: &mut Vec<u8>) {
        out.extend(b"* ID (\"name\" \"Postroom\" \"vendor\" \"Postroom\")\r\n");
        self.finish(store, true, out, Completion::done(tag, "ID"));
    }

    pub(super) fn logout(&mut self, tag: &str, out: &mut Vec<u8>) {
        out.extend(b"* BYE Postroom IMAP server logging out\r\n");
        Completion::done(tag, "LOGOUT").write_to(out);
        self.close();
    }

    pub(super) fn start_tls(&mut self, tag: &str, out: &mut Vec<u8>) {
        if self.config.tls == TlsPolicy::NotOffered || self.encrypted {
            return self.bad(tag, "STARTTLS is not available", out);
        }
        Completion::ok(tag)
            .text("Begin TLS negotiation now")
            .write_to(out);
        self.phase = Phase::StartingTls;
        self.events.push_back(ServerEvent::TlsRequested);
    }

    pub(super) fn login(
        &mut self,
        tag: &str,
        user: &str,
        password: &str,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        if self.tls_missing() {
            return Completion::no(tag)
                .code("PRIVACYREQUIRED")
                .text("LOGIN is disabled until STARTTLS")
                .write_to(out);
        }
        let valid = store.check_password(user, password);
        self.log_in(tag, user, valid, out);
    }

    pub(super) fn authenticate(
        &mut self,
        tag: &str,
        mechanism: &str,
        initial_response: Option<&str>,
        store: &MailStore,
        out: &mut Vec<u8>,
    ) {
        if self.tls_missing() {
            Completion::no(tag)
                .code("PRIVACYREQUIRED")
                .text("Use STARTTLS first")
                .write_to(out);
        } else if mechanism != "PLAIN" {
            Completion::no(tag)
                .text("Unsupported authentication mechanism")
                .write_to(out);
        } else if let Some(response) = initial_response {
            self.sasl_plain(tag, response, store, out);
        } else {
            self.phase = Phase::NotAuthenticated {
                authenticating: Some(tag.to_string()),
            };
            out.extend(b"+ \r\n");
        }
    }

    /// The line that answers AUTHENTICATE's "+": the SASL response, or "*" to cancel.
    pub(super) fn sasl_response(&mut self, tag: &str, line: &str, store: &MailStore) -> Vec<u8> {
        let mut out = Vec::new();
        if line == "*" {
            // RFC 9051 §6.2.2: "*" cancels the exchange; the server answers BAD.
            Completion::bad(tag)
                .text("AUTHENTICATE cancelled")
                .write_to(&mut out);
        } else {
            self.sasl_plain(tag, line, store, &mut out);
        }
        out
    }

    fn sasl_plain(&mut self, tag: &str, response: &str, store: &MailStore, out: &mut Vec<u8>) {
        let decoded = crate::base64::decode(response.trim(), crate::base64::Alphabet::Standard)
            .and_then(|b| String::from_utf8(b).ok());
        let Some(decoded) = decoded else {
            Completion::bad(tag)
                .text("Invalid base64 data")
                .write_to(out);
            // A guess all the same: it counts against the limit.
            return self.count_login_failure(out);
        };
        let parts: Vec<&str> = decoded.split('\0').collect();
        let (valid, user) = match parts.as_slice() {
            // RFC 4616: the authorisation identity may be empty or the user itself.
            [authzid, user, password] => (
                (authzid.is_empty() || authzid.eq_ignore_ascii_case(user))
                    && store.check_password(user, password),
                user.to_string(),
            ),
            _ => (false, String::new()),
        };
        self.log_in(tag, &user, valid, out);
    }

    fn log_in(&mut self, tag: &str, user: &str, valid: bool, out: &mut Vec<u8>) {
        if !valid {
            self.events.push_back(ServerEvent::LoginFailed);
            Completion::no(tag)
                .code("AUTHENTICATIONFAILED")
                .text("Invalid credentials")
                .write_to(out);
            return self.count_login_failure(out);
        }
        let user = user.to_ascii_lowercase();
        self.phase = Phase::Authenticated { user: user.clone() };
        self.events.push_back(ServerEvent::LoggedIn { user });
        // The capabilities change after login, so they come with the OK (as Dovecot does).
        Completion::ok(tag)
            .code(format!("CAPABILITY {}", self.capabilities()))
            .text("Logged in")
            .write_to(out);
    }

    /// One more refused login; the last one allowed ends the session with BYE (RFC 9051
    /// §7.1.5: the server "is about to close the connection").
    fn count_login_failure(&mut self, out: &mut Vec<u8>) {
        self.login_failures += 1;
        if self.login_failures >= super::MAX_LOGIN_FAILURES {
            out.extend(b"* BYE Too many failed logins, closing the connection\r\n");
            self.close();
        }
    }

    /// ENABLE (RFC 5161): CONDSTORE; on a server offering IMAP4rev2, IMAP4rev2 too.
    pub(super) fn enable(&mut self, tag: &str, caps: Vec<String>, out: &mut Vec<u8>) {
        #[cfg(feature = "imap4rev2")]
        if self.config.imap4rev2 {
            return self.rev2_enable(tag, caps, out);
        }
        let enabled: Vec<String> = caps.into_iter().filter(|c| c == "CONDSTORE").collect();
        if !enabled.is_empty() {
            self.condstore = true;
            out.extend(format!("* ENABLED {}\r\n", enabled.join(" ")).bytes());
        }
        Completion::done(tag, "ENABLE").write_to(out);
    }
}
