//! One connection's part of the live stream: it turns what the serve loop saw (lines with
//! their narrator's explanations, the session's events) into [`LiveEvent`]s. It also decides
//! how a client line may be shown, secrets hidden unless the bridge was asked to show them,
//! for the terminal's transcript and the stream alike. Without live mode it streams nothing.

use std::net::SocketAddr;
use std::sync::Arc;

use postroom_proto::base64::{self, Alphabet};
use postroom_proto::i18n::{Said, Text};
use postroom_proto::live::{Line, LiveEvent, Message, Sender, Told, MAILBOX_SHOWN};
use postroom_proto::mime::header_value;
use postroom_proto::secret::{Dialect, SecretFilter};
use postroom_proto::session::Event;
use postroom_proto::{text, Explanation, MailStore};

use super::Hub;
use crate::bridge::Service;

/// The largest unit sent whole; a longer one (a big message body) is cut, saying how much.
const LONGEST: usize = 64 * 1024;

/// A connection watched by the live stream.
#[derive(Debug)]
pub struct Watch {
    hub: Option<Arc<Hub>>,
    session: u64,
    filter: SecretFilter,
    /// `--show-secrets`: passwords and AUTH payloads are shown, not hidden.
    show_secrets: bool,
    dialect: Dialect,
    encrypted: bool,
}

fn dialect(service: Service) -> Dialect {
    match service {
        Service::Pop3 => Dialect::Pop3,
        Service::Imap => Dialect::Imap,
        Service::SmtpExchanger | Service::Submission | Service::SubmissionImplicitTls => {
            Dialect::Smtp
        }
    }
}

impl Watch {
    /// Tells the stream a client connected (nothing, without live mode).
    pub fn open(
        hub: Option<Arc<Hub>>,
        show_secrets: bool,
        session: u64,
        service: Service,
        client: Option<SocketAddr>,
        port: u16,
    ) -> Watch {
        let dialect = dialect(service);
        if let Some(hub) = &hub {
            let protocol = match dialect {
                Dialect::Smtp => "SMTP",
                Dialect::Pop3 => "POP3",
                Dialect::Imap => "IMAP",
            };
            hub.publish(LiveEvent::Opened {
                session,
                protocol: protocol.to_string(),
                service: service.name().to_string(),
                client: client.map_or_else(|| "?".to_string(), |c| c.to_string()),
                port,
            });
        }
        Watch {
            hub,
            session,
            filter: SecretFilter::new(dialect),
            show_secrets,
            dialect,
            encrypted: false,
        }
    }

    /// A client line and its explanation; returns the line as it may be shown anywhere
    /// (its secret hidden unless `--show-secrets`), or `None` when it holds no secret.
    pub fn client_line(
        &mut self,
        line: &[u8],
        explanation: &Explanation,
        state: &Text,
    ) -> Option<Vec<u8>> {
        let hidden = self.filter.client_line(line).filter(|_| !self.show_secrets);
        match &hidden {
            Some(shown) => self.line(Sender::Client, shown, true, explanation, state),
            None => self.line(Sender::Client, line, false, explanation, state),
        }
        hidden
    }

    /// A server unit and its explanation.
    pub fn server_unit(&mut self, unit: &[u8], explanation: &Explanation, state: &Text) {
        self.filter.server_unit(unit);
        self.line(Sender::Server, unit, false, explanation, state);
    }

    fn line(
        &self,
        from: Sender,
        bytes: &[u8],
        masked: bool,
        explanation: &Explanation,
        state: &Text,
    ) {
        let Some(hub) = &self.hub else { return };
        let kept = bytes.get(..LONGEST).unwrap_or(bytes);
        let (text, base64) = match std::str::from_utf8(kept) {
            Ok(text) => (text.to_string(), false),
            Err(_) => (base64::encode(kept, Alphabet::Standard), true),
        };
        let mut why = explanation.why.clone();
        if masked {
            why.push(' ');
            why.push_str(&text!("live.masked"));
        }
        hub.publish(LiveEvent::Line(Line {
            session: self.session,
            from,
            text,
            base64,
            cut: bytes.len() - kept.len(),
            encrypted: self.encrypted,
            masked,
            title: explanation.title.clone(),
            why,
            rfc: explanation.rfc.rfc,
            section: explanation.rfc.section.to_string(),
            state: Told::from(state),
            said: explanation.message.as_ref().map(Said::from),
        }));
    }

    /// TLS started: after the client asked (STARTTLS, POP3's STLS), or from the start.
    pub fn tls(&mut self, implicit: bool) {
        self.encrypted = true;
        // The command's name and its RFC are the same in every language.
        let how = match (implicit, self.dialect) {
            (true, _) => text!("live.how.implicit"),
            (false, Dialect::Pop3) => Text::verbatim("STLS (RFC 2595 §4)"),
            (false, Dialect::Smtp) => Text::verbatim("STARTTLS (RFC 3207)"),
            (false, Dialect::Imap) => Text::verbatim("STARTTLS (RFC 9051 §6.2.1)"),
        };
        self.publish(LiveEvent::Tls {
            session: self.session,
            how: Told::from(&how),
        });
    }

    /// One of the session's events.
    pub fn event(&mut self, event: &Event) {
        let session = self.session;
        let live = match event {
            // The TLS event follows once the handshake is done.
            Event::TlsRequested | Event::Closed(_) => return,
            Event::LoginFailed => LiveEvent::LoginFailed { session },
            Event::LoggedIn { user, detail } => LiveEvent::LoggedIn {
                session,
                user: user.clone(),
                detail: Told::from(detail),
            },
            Event::MessageStored { mailbox, uid, size } => LiveEvent::Stored {
                session,
                mailbox: mailbox.clone(),
                uid: *uid,
                size: *size,
            },
            Event::MessagesRemoved { mailbox, uids, how } => LiveEvent::Removed {
                session,
                mailbox: mailbox.clone(),
                uids: uids.clone(),
                how: Told::from(how),
            },
        };
        self.publish(live);
    }

    /// The store changed while this session worked on it: every mailbox as it is now goes
    /// to the hub, which publishes those that changed. INBOX always, other folders once
    /// they hold mail (a mail program makes Sent, Drafts and Trash empty).
    pub fn store_changed(&self, store: &MailStore) {
        let Some(hub) = &self.hub else { return };
        let mut views = Vec::new();
        for user in store.users() {
            for name in store.folder_names(user) {
                let Some(folder) = store.folder(user, &name) else {
                    continue;
                };
                if name != "INBOX" && folder.messages.is_empty() {
                    continue;
                }
                let messages = folder
                    .messages
                    .iter()
                    .take(MAILBOX_SHOWN)
                    .map(|m| Message {
                        uid: m.uid,
                        size: m.bytes.len(),
                        subject: header_value(&m.bytes, "Subject").unwrap_or_default(),
                        flags: m.flags.iter().cloned().collect(),
                    })
                    .collect();
                let more = folder.messages.len().saturating_sub(MAILBOX_SHOWN);
                views.push((format!("{user} · {name}"), messages, more));
            }
        }
        hub.mailboxes(self.session, views);
    }

    /// The connection ended.
    pub fn closed(&mut self, how: &Text) {
        self.publish(LiveEvent::Closed {
            session: self.session,
            how: Told::from(how),
        });
    }

    fn publish(&self, event: LiveEvent) {
        if let Some(hub) = &self.hub {
            hub.publish(event);
        }
    }
}
