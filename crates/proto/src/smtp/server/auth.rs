//! AUTH on the submission server (RFC 4954): PLAIN and LOGIN, their challenges, and the
//! credentials checked against the store.

use super::{AuthStep, Role, ServerEvent, SmtpServer, MAX_AUTH_LINE};
use crate::smtp::decode;
use crate::smtp::types::{ReplyCode, ServerState};
use crate::store::MailStore;
use crate::wire::LineError;

impl SmtpServer {
    pub(super) fn auth_command(
        &mut self,
        mechanism: &str,
        initial: Option<String>,
        store: &MailStore,
    ) {
        if self.config.role != Role::Submission {
            return self.out_of_sequence("AUTH is not offered on this port");
        }
        if self.state == ServerState::ExpectHelo {
            return self.out_of_sequence("Send EHLO first");
        }
        if self.tls_missing() {
            return self.refuse(
                ReplyCode::AUTH_REQUIRED,
                "5.7.0 Must issue a STARTTLS command first",
            );
        }
        // RFC 4954 §4: "After a successful AUTH command completes, a server MUST reject any
        // further AUTH commands with a 503 reply" — and AUTH is not allowed mid-transaction.
        if self.user.is_some() {
            return self.out_of_sequence("Already authenticated");
        }
        if self.transaction.is_some() {
            return self.out_of_sequence("AUTH is not allowed during a mail transaction");
        }
        match (mechanism, initial) {
            ("PLAIN", Some(response)) => self.check_plain(&response, store),
            ("PLAIN", None) => self.challenge(AuthStep::PlainResponse, ""),
            ("LOGIN", Some(user)) => match decode_base64(&user) {
                Some(user) => self.challenge(AuthStep::LoginPassword { user }, "UGFzc3dvcmQ6"),
                None => self.auth_failed_syntax(),
            },
            // "VXNlcm5hbWU6" is base64 for "Username:", as every LOGIN server sends it.
            ("LOGIN", None) => self.challenge(AuthStep::LoginUser, "VXNlcm5hbWU6"),
            _ => self.refuse(
                ReplyCode::PARAM_NOT_RECOGNIZED,
                "5.5.4 Unrecognized authentication type",
            ),
        }
    }

    fn challenge(&mut self, step: AuthStep, text: &str) {
        self.auth = Some(step);
        self.state = ServerState::ExpectAuthResponse;
        self.reply(ReplyCode::AUTH_CONTINUE, text);
    }

    /// One line answering a 334 challenge: base64, or `*` to cancel (RFC 4954 §4).
    pub(super) fn receive_auth_line(&mut self, input: &[u8], store: &MailStore) -> Option<usize> {
        if self.discarding {
            return Some(self.discard_rest_of_line(input));
        }
        let (line, used) = match decode::line(input, MAX_AUTH_LINE) {
            Ok(found) => found,
            Err(LineError::Incomplete) => return None,
            Err(LineError::TooLong) => {
                self.discarding = true;
                self.end_auth();
                self.refuse(
                    ReplyCode::SYNTAX_ERROR,
                    "5.5.6 Authentication line too long",
                );
                return Some(input.len().min(MAX_AUTH_LINE));
            }
        };
        let step = self.auth.take();
        self.end_auth();
        let text = String::from_utf8_lossy(line).into_owned();
        if text == "*" {
            self.refuse(
                ReplyCode::PARAM_SYNTAX_ERROR,
                "5.7.0 Authentication cancelled",
            );
            return Some(used);
        }
        match step {
            Some(AuthStep::PlainResponse) => self.check_plain(&text, store),
            Some(AuthStep::LoginUser) => match decode_base64(&text) {
                Some(user) => self.challenge(AuthStep::LoginPassword { user }, "UGFzc3dvcmQ6"),
                None => self.auth_failed_syntax(),
            },
            Some(AuthStep::LoginPassword { user }) => match decode_base64(&text) {
                Some(password) => self.check_credentials("", &user, &password, store),
                None => self.auth_failed_syntax(),
            },
            None => self.auth_failed_syntax(),
        }
        Some(used)
    }

    fn end_auth(&mut self) {
        self.auth = None;
        if self.state == ServerState::ExpectAuthResponse {
            self.state = ServerState::ExpectMail;
        }
    }

    fn auth_failed_syntax(&mut self) {
        self.end_auth();
        self.refuse(
            ReplyCode::PARAM_SYNTAX_ERROR,
            "5.5.2 Cannot decode the response (base64 expected)",
        );
    }

    /// RFC 4616 §2: `message = [authzid] UTF8NUL authcid UTF8NUL passwd`.
    fn check_plain(&mut self, response: &str, store: &MailStore) {
        let decoded = if response == "=" {
            Some(String::new())
        } else {
            decode_base64(response)
        };
        let Some(decoded) = decoded else {
            return self.auth_failed_syntax();
        };
        let mut parts = decoded.split('\0');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(authzid), Some(authcid), Some(password), None) => {
                let (authzid, authcid, password) = (
                    authzid.to_string(),
                    authcid.to_string(),
                    password.to_string(),
                );
                self.check_credentials(&authzid, &authcid, &password, store)
            }
            _ => self.auth_failed_syntax(),
        }
    }

    fn check_credentials(&mut self, authzid: &str, user: &str, password: &str, store: &MailStore) {
        // A client may only act as itself: an authzid naming someone else is refused.
        let acting_as_self = authzid.is_empty()
            || authzid.eq_ignore_ascii_case(user)
            || authzid.eq_ignore_ascii_case(&format!("{user}@{}", self.config.domain));
        let local = user.strip_suffix(&format!("@{}", self.config.domain));
        let named = local.is_some() || !self.config.address_login;
        let local = local.unwrap_or(user);
        if acting_as_self && named && store.check_password(local, password) {
            self.bad_commands = 0;
            self.user = Some(local.to_ascii_lowercase());
            self.reply(ReplyCode::AUTH_SUCCEEDED, "2.7.0 Authentication successful");
            self.events.push_back(ServerEvent::Authenticated {
                user: local.to_ascii_lowercase(),
            });
        } else {
            self.events.push_back(ServerEvent::AuthenticationFailed);
            self.refuse(
                ReplyCode::AUTH_INVALID,
                "5.7.8 Authentication credentials invalid",
            );
        }
    }
}

fn decode_base64(text: &str) -> Option<String> {
    let bytes = crate::base64::decode(text.trim(), crate::base64::Alphabet::Standard)?;
    String::from_utf8(bytes).ok()
}
