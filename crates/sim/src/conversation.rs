//! What is particular to each protocol's conversation: how its units are explained, which
//! line says goodbye, what a fetching device has so far. The driver reaches the sessions
//! through the engine's common session shape.

use postroom_proto::explain::unreadable;
use postroom_proto::imap::{self, ImapClient, ImapServer};
use postroom_proto::pop3::{self, Pop3Client, Pop3Server};
use postroom_proto::session::{ClientSession, ServerEvents};
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
}

// ---- SMTP ----

#[derive(Debug, Default)]
pub(crate) struct Smtp;

impl Conversation for Smtp {
    type Client = SmtpClient;
    type Server = SmtpServer;
    const PROTOCOL: Protocol = Protocol::Smtp;

    fn command(&mut self, server: &SmtpServer, bytes: &[u8]) -> Explanation {
        match server.state() {
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
}

// ---- POP3 ----

#[derive(Debug, Default)]
pub(crate) struct Pop3 {
    /// The last command, which says whether its answer has several lines.
    last_command: Option<pop3::Command>,
}

impl Conversation for Pop3 {
    type Client = Pop3Client;
    type Server = Pop3Server;
    const PROTOCOL: Protocol = Protocol::Pop3;

    fn command(&mut self, _server: &Pop3Server, bytes: &[u8]) -> Explanation {
        let line = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        match pop3::decode::command(line) {
            Ok(cmd) => {
                let e = pop3::explain::command(&cmd);
                self.last_command = Some(cmd);
                e
            }
            Err(_) => Explanation::new(
                "The client answers the AUTH challenge",
                "A base64 line carrying the user name and password (RFC 5034).",
                RfcRef::new(5034, "4"),
            ),
        }
    }

    fn reply(&mut self, _client: &Pop3Client, bytes: &[u8]) -> Explanation {
        let multiline = self
            .last_command
            .as_ref()
            .is_some_and(pop3::Command::has_multiline_response);
        match pop3::decode::response(bytes, multiline) {
            Ok((r, _)) => pop3::explain::response(&r, self.last_command.as_ref()),
            Err(_) => unreadable("POP3", 1939, "3"),
        }
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
pub(crate) struct Imap;

impl Conversation for Imap {
    type Client = ImapClient;
    type Server = ImapServer;
    const PROTOCOL: Protocol = Protocol::Imap;

    fn command(&mut self, _server: &ImapServer, bytes: &[u8]) -> Explanation {
        match imap::decode::command(bytes) {
            Ok((_, cmd)) => imap::explain::command(&cmd),
            Err(_) if bytes.eq_ignore_ascii_case(b"DONE\r\n") => Explanation::new(
                "Done idling",
                "DONE ends IDLE; the server completes the IDLE command with its tag.",
                RfcRef::new(2177, "3"),
            ),
            Err(_) => unreadable("IMAP", 9051, "7.1.3"),
        }
    }

    fn reply(&mut self, _client: &ImapClient, bytes: &[u8]) -> Explanation {
        imap::explain::server_unit(bytes)
    }

    fn is_quit(bytes: &[u8]) -> bool {
        bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"LOGOUT"))
    }

    fn device_progress(pair: &Pair<Self>) -> DeviceProgress<'_> {
        DeviceProgress::Imap(pair.client.cache())
    }
}
