//! What is particular to each protocol's conversation: how its units are explained, which
//! line says goodbye, what a fetching device has so far. The driver reaches the sessions
//! through the engine's common session shape.

use postroom_proto::explain::unreadable;
use postroom_proto::imap::{self, ImapClient, ImapNarrator, ImapServer};
use postroom_proto::pop3::{Pop3Client, Pop3Narrator, Pop3Server};
use postroom_proto::session::{ClientSession, Narrator, ServerEvents};
use postroom_proto::smtp::{self, SmtpClient, SmtpServer};
use postroom_proto::{Explanation, RfcRef};

use crate::device::DeviceProgress;
use crate::drive::Pair;
use crate::timeline::Protocol;

/// One protocol's side of a [`Pair`]: its sessions, and how what crosses is explained.
pub(crate) trait Conversation: Default + std::fmt::Debug {
    type Client: ClientSession;
    type Server: ServerEvents;
    const PROTOCOL: Protocol;
    /// What the server will take these client bytes as, judged before they change its state.
    fn command(&mut self, server: &Self::Server, bytes: &[u8]) -> Explanation;
    /// What the client will take these server bytes as.
    fn reply(&mut self, client: &Self::Client, bytes: &[u8]) -> Explanation;
    /// The explanation of a reply, once the client has acted on it: what it did to the
    /// device's copy may be the point of the step.
    fn after_reply(
        &mut self,
        _events: &[<Self::Client as ClientSession>::Event],
        explanation: Explanation,
    ) -> Explanation {
        explanation
    }
    /// The client's goodbye (QUIT, LOGOUT).
    fn is_quit(bytes: &[u8]) -> bool;
    /// What a fetching device has so far, so the panels can show it step by step.
    fn device_progress(_pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::None
    }
    /// SMTP: the server took a message whose 250 the client has not heard yet.
    fn accepted_unheard(_pair: &Pair<Self>) -> bool {
        false
    }
    /// SMTP: every message was accepted and the client heard so: only the goodbye is left.
    fn all_heard(_pair: &Pair<Self>) -> bool {
        false
    }
}

// ---- SMTP ----

/// A QUIT sent because the client will not go on, explained by why.
fn gives_up(why: &str) -> Explanation {
    if why.contains("TLS") {
        return Explanation::new(
            "No encryption offered: the client will not log in, and says goodbye",
            format!(
                "{why}. Its settings require TLS, so rather than send the password in clear, \
                 where anyone on the path could read it, it quits. The message stays in the \
                 Outbox, unsent: only a server that offers STARTTLS (or TLS from the start, on \
                 port 465) will get it."
            ),
            RfcRef::new(3207, "4"),
        );
    }
    Explanation::new(
        "The client gives up, and says goodbye",
        format!("{why}: the session cannot go on, so the client ends it politely with QUIT."),
        RfcRef::new(5321, "4.1.1.10"),
    )
}

/// True if mail data ends with the line holding only a period.
fn ends_data(bytes: &[u8]) -> bool {
    bytes == b".\r\n" || bytes.ends_with(b"\r\n.\r\n")
}

#[derive(Debug, Default)]
pub(crate) struct Smtp {
    /// Why the client gave up, once it has: its QUIT is explained by it.
    gave_up: Option<String>,
}

impl Conversation for Smtp {
    type Client = SmtpClient;
    type Server = SmtpServer;
    const PROTOCOL: Protocol = Protocol::Smtp;

    fn command(&mut self, server: &SmtpServer, bytes: &[u8]) -> Explanation {
        if let Some(why) = self.gave_up.as_deref() {
            if bytes.eq_ignore_ascii_case(b"QUIT\r\n") {
                return gives_up(why);
            }
        }
        match server.state() {
            smtp::ServerState::ReceivingData if !ends_data(bytes) => {
                smtp::explain::data_fragment(bytes.len())
            }
            smtp::ServerState::ReceivingData => {
                let stuffed = bytes
                    .split(|&b| b == b'\n')
                    .filter(|l| l.starts_with(b".."))
                    .count();
                smtp::explain::data_content(bytes.len().saturating_sub(stuffed + 3), stuffed)
            }
            smtp::ServerState::ExpectAuthResponse => smtp::explain::auth_response(),
            _ => {
                let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
                smtp::decode::command(line)
                    .map(|c| smtp::explain::command(&c))
                    .unwrap_or_else(|_| unreadable("SMTP", 5321, "4.2.2"))
            }
        }
    }

    fn after_reply(&mut self, events: &[smtp::ClientEvent], e: Explanation) -> Explanation {
        for event in events {
            if let smtp::ClientEvent::GaveUp(why) = event {
                self.gave_up = Some(why.clone());
            }
        }
        e
    }

    fn reply(&mut self, client: &SmtpClient, bytes: &[u8]) -> Explanation {
        match (smtp::decode::reply(bytes), client.expecting()) {
            (Ok((reply, _)), Some(to)) => smtp::explain::reply(&reply, to),
            _ => unreadable("SMTP", 5321, "4.2"),
        }
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }

    fn accepted_unheard(pair: &Pair<Self>) -> bool {
        let stored = pair
            .server_events
            .iter()
            .any(|e| matches!(e, smtp::ServerEvent::MessageAccepted { .. }));
        let heard = pair
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        stored && !heard
    }

    fn all_heard(pair: &Pair<Self>) -> bool {
        let heard = pair
            .client_events
            .iter()
            .any(|e| matches!(e, smtp::ClientEvent::MessageAccepted(_)));
        let left = matches!(
            pair.client.state(),
            smtp::ClientState::Ready | smtp::ClientState::ExpectQuitReply
        );
        heard && left
    }
}

// ---- POP3 ----

#[derive(Debug, Default)]
pub(crate) struct Pop3 {
    /// POP3's replies are read by the command they answer and whether the session has
    /// logged in: the dialogue's narrator follows both, as it does for a pasted log.
    narrator: Pop3Narrator,
}

impl Conversation for Pop3 {
    type Client = Pop3Client;
    type Server = Pop3Server;
    const PROTOCOL: Protocol = Protocol::Pop3;

    fn command(&mut self, _server: &Pop3Server, bytes: &[u8]) -> Explanation {
        self.narrator.client_line(bytes)
    }

    fn reply(&mut self, _client: &Pop3Client, bytes: &[u8]) -> Explanation {
        self.narrator.server_unit(bytes)
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.eq_ignore_ascii_case(b"QUIT\r\n")
    }

    fn device_progress(pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::Pop3(&pair.client_events)
    }
}

// ---- IMAP ----

#[derive(Debug, Default)]
pub(crate) struct Imap {
    /// IMAP's replies are explained by the dialogue's narrator, as for the live bridge and a
    /// pasted log: it knows which tagged OK answers STARTTLS, and what a "+" was for.
    narrator: ImapNarrator,
}

impl Conversation for Imap {
    type Client = ImapClient;
    type Server = ImapServer;
    const PROTOCOL: Protocol = Protocol::Imap;

    fn command(&mut self, _server: &ImapServer, bytes: &[u8]) -> Explanation {
        self.narrator.client_line(bytes)
    }

    fn reply(&mut self, _client: &ImapClient, bytes: &[u8]) -> Explanation {
        self.narrator.server_unit(bytes)
    }

    fn after_reply(&mut self, events: &[imap::ClientEvent], e: Explanation) -> Explanation {
        let removed = events
            .iter()
            .filter(|e| matches!(e, imap::ClientEvent::MessageRemoved { .. }))
            .count();
        if removed == 0 {
            return e;
        }
        // The moment the class should not miss: a device mirrors the server, so mail removed
        // there (by another device, or a POP3 session that deleted at QUIT) goes here too.
        let (title, why) = crate::narration::parts(&e);
        Explanation::from_message(
            postroom_proto::msg!(
                "note.copy-goes-too",
                title = title,
                why = why,
                count = removed
            ),
            e.rfc,
        )
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"LOGOUT"))
    }

    fn device_progress(pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::Imap(pair.client.cache())
    }
}
