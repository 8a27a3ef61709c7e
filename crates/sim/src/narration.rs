//! What the world says itself, where no engine speaks: the TLS handshake, connections that
//! drop or are refused, lost packets, DNS questions and answers, a relay's retries and
//! bounces, and what a device does on its own. Each note quotes the RFC it follows; its
//! words are in the catalogues (`note.…`), so a page shows them in the class's language.

use postroom_proto::i18n::{Arg, Text};
use postroom_proto::{msg, text, Duration, Explanation, RfcRef};

use crate::net::faults::Cut;
use crate::net::services::Service;
use crate::scenario::FetchProtocol;
use crate::timeline::Protocol;

/// A line a host writes on its own lane (`-- … --`), and what it means.
#[derive(Debug, Clone)]
pub(crate) struct Note {
    pub text: Text,
    pub explanation: Explanation,
}

impl Note {
    fn new(text: Text, explanation: Explanation) -> Self {
        Note { text, explanation }
    }
}

fn explained(message: postroom_proto::i18n::Message, rfc: RfcRef) -> Explanation {
    Explanation::from_message(message, rfc)
}

// ---- on a connection ----

/// Client and server agreed on STARTTLS / STLS: the handshake happens here.
pub(crate) fn tls_handshake(protocol: Protocol) -> Note {
    Note::new(
        text!("note.tls-handshake.line"),
        explained(
            msg!("note.tls-handshake"),
            match protocol {
                Protocol::Pop3 => RfcRef::new(2595, "4"),
                Protocol::Imap => RfcRef::new(9051, "6.2.1"),
                _ => RfcRef::new(3207, "4"),
            },
        ),
    )
}

/// The connection drops after a step chosen for it ([`crate::Fault::DropAfter`]);
/// `accepted_unheard` when an SMTP server has stored a message whose 250 is still on its way;
/// `all_heard` when the client heard every 250 and only the goodbye is left.
pub(crate) fn dropped_here(protocol: Protocol, accepted_unheard: bool, all_heard: bool) -> Note {
    let explanation = if all_heard && protocol == Protocol::Smtp {
        explained(msg!("note.lost-after-250"), RfcRef::new(5321, "4.1.1.4"))
    } else if accepted_unheard {
        explained(msg!("note.lost-before-250"), RfcRef::new(5321, "4.5.3.2.6"))
    } else {
        connection_lost(protocol)
    };
    Note::new(text!("note.drops-here.line"), explanation)
}

/// What a connection lost at an arbitrary point means for each protocol.
fn connection_lost(protocol: Protocol) -> Explanation {
    match protocol {
        Protocol::Pop3 => explained(msg!("note.lost-pop3"), RfcRef::new(1939, "6")),
        Protocol::Imap => explained(msg!("note.lost-imap"), RfcRef::new(9051, "2.2.2")),
        _ => explained(msg!("note.lost-smtp"), RfcRef::new(5321, "4.1.1.10")),
    }
}

/// A connection cut by a fault of its kind: in the middle of DATA, or before QUIT.
pub(crate) fn cut(cut: Cut) -> Note {
    match cut {
        Cut::MidData => Note::new(
            text!("note.lost-mid-data.line"),
            explained(msg!("note.lost-mid-data"), RfcRef::new(5321, "4.1.1.4")),
        ),
        Cut::BeforeQuit | Cut::Never => Note::new(
            text!("note.lost-before-quit.line"),
            explained(msg!("note.lost-before-quit"), RfcRef::new(1939, "6")),
        ),
    }
}

/// A packet of the next line is lost; the sender sends it again after `timeout`.
pub(crate) fn packet_lost(timeout: Duration) -> Note {
    let ms = timeout.as_micros() / 1000;
    let after = if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    };
    Note::new(
        text!("note.packet-lost.line", after = after),
        explained(msg!("note.packet-lost"), RfcRef::new(6298, "2")),
    )
}

// ---- reaching a server ----

/// Nothing listens on that port of the server's machine.
pub(crate) fn connection_refused(name: &str, port: u16) -> Note {
    Note::new(
        text!("note.refused.line", name = name, port = port),
        explained(msg!("note.refused"), RfcRef::new(9293, "3.5.2")),
    )
}

/// A mail program and a port disagree on TLS from the first byte: `implicit_wanted` when the
/// program starts a handshake on a plain port, else it waits for a greeting that an
/// implicit-TLS port never sends before a handshake. `wanted` names the ports to use.
pub(crate) fn tls_mismatch(port: u16, implicit_wanted: bool, wanted: Service) -> Note {
    let (implicit, plain) = match wanted {
        Service::Smtp => (
            text!("note.ports.sending", port = 465u16),
            text!("note.ports.sending", port = 587u16),
        ),
        Service::Pop3 | Service::Imap => (
            text!("note.ports.fetching", pop3 = 995u16, imap = 993u16),
            text!("note.ports.fetching", pop3 = 110u16, imap = 143u16),
        ),
    };
    let (line, message) = if implicit_wanted {
        (
            text!("note.tls-on-plain.line", port = port),
            msg!("note.tls-on-plain", ports = implicit),
        )
    } else {
        (
            text!("note.plain-on-tls.line", port = port),
            msg!("note.plain-on-tls", ports = plain),
        )
    };
    Note::new(line, explained(message, RfcRef::new(8314, "3.3")))
}

/// True for a command that carries a password, plain or merely encoded: POP3's PASS, SMTP's
/// AUTH, IMAP's LOGIN and AUTHENTICATE (after the tag).
pub(crate) fn carries_password(bytes: &[u8]) -> bool {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let words: Vec<&[u8]> = line
        .split(|&b| b == b' ' || b == b'\r')
        .filter(|w| !w.is_empty())
        .take(2)
        .collect();
    let secret = |w: &&[u8]| {
        [&b"PASS"[..], b"AUTH", b"LOGIN", b"AUTHENTICATE"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
    };
    words.first().is_some_and(secret) || words.get(1).is_some_and(secret)
}

/// A password-carrying command, with what an eavesdropper sees of it on this connection.
pub(crate) fn password_seen(e: Explanation, encrypted: bool) -> Explanation {
    let (title, why) = parts(&e);
    let message = if encrypted {
        msg!("note.password-in-tls", title = title, why = why)
    } else {
        msg!("note.password-in-clear", title = title, why = why)
    };
    explained(message, e.rfc)
}

/// A command sent together with the one before it, without waiting for its reply.
pub(crate) fn pipelined(e: Explanation) -> Explanation {
    let (title, why) = parts(&e);
    explained(
        msg!("note.pipelined", title = title, why = why),
        RfcRef::new(2920, "3.1"),
    )
}

/// An explanation's title and why as values of another's: its message's parts, in the same
/// language, or its English where it has no message.
pub(crate) fn parts(e: &Explanation) -> (Arg, Arg) {
    match &e.message {
        Some(m) => (Arg::part(m, "title"), Arg::part(m, "why")),
        None => (Arg::Text(e.title.clone()), Arg::Text(e.why.clone())),
    }
}

/// TLS from the first byte on 995 or 993: the handshake comes before anything else.
pub(crate) fn implicit_tls(protocol: Protocol) -> Note {
    let port: u16 = match protocol {
        Protocol::Pop3 => 995,
        Protocol::Imap => 993,
        _ => 465,
    };
    Note::new(
        text!("note.implicit-tls.line", port = port),
        explained(
            msg!("note.implicit-tls", port = port),
            RfcRef::new(8314, "3.3"),
        ),
    )
}

/// The greeting of `service`, where the mail program expected a `wanted` server.
pub(crate) fn other_service(service: Service, port: u16, wanted: Service) -> Explanation {
    explained(
        msg!(
            "note.other-service",
            name = service.name(),
            port = port,
            wanted = wanted.name()
        ),
        service.greeting_rfc(),
    )
}

/// The mail program's client could not read another protocol's greeting.
pub(crate) fn client_gives_up(wanted: Service) -> Note {
    let name = wanted.name();
    Note::new(
        text!("note.gives-up.line", name = name),
        explained(msg!("note.gives-up", name = name), wanted.greeting_rfc()),
    )
}

/// Nobody has the address a device connects to.
pub(crate) fn no_answer(address: &str) -> Note {
    Note::new(
        text!("note.no-answer.line", address = address),
        explained(msg!("note.no-answer"), RfcRef::new(9293, "3.8.3")),
    )
}

// ---- DNS ----

/// A device asks for the address of its server.
pub(crate) fn where_is(name: &str) -> Explanation {
    explained(
        msg!("note.where-is", name = name),
        RfcRef::new(1035, "3.4.1"),
    )
}

pub(crate) fn address_found(name: &str, address: &str) -> Explanation {
    explained(
        msg!("note.address-found", name = name, address = address),
        RfcRef::new(1035, "3.4.1"),
    )
}

pub(crate) fn no_such_host() -> Explanation {
    explained(msg!("note.no-such-host"), RfcRef::new(1035, "4.1.1"))
}

/// A relay asks where mail for `domain` goes.
pub(crate) fn which_mx(domain: &str) -> Explanation {
    explained(
        msg!("note.which-mx", domain = domain),
        RfcRef::new(5321, "5.1"),
    )
}

pub(crate) fn mx_found(domain: &str) -> Explanation {
    explained(
        msg!("note.mx-found", domain = domain),
        RfcRef::new(1035, "3.3.9"),
    )
}

pub(crate) fn no_mx() -> Explanation {
    explained(msg!("note.no-mx"), RfcRef::new(5321, "5.1"))
}

pub(crate) fn implicit_mx(domain: &str) -> Explanation {
    explained(
        msg!("note.implicit-mx", domain = domain),
        RfcRef::new(5321, "5.1"),
    )
}

pub(crate) fn implicit_mx_found() -> Explanation {
    explained(msg!("note.implicit-mx-found"), RfcRef::new(1035, "3.4.1"))
}

// ---- the relay ----

/// The relay cannot reach Bob's server at `mx`.
pub(crate) fn server_down(mx: &str) -> Note {
    Note::new(
        text!("note.server-down.line", mx = mx),
        explained(msg!("note.server-down"), RfcRef::new(5321, "4.5.4.1")),
    )
}

/// Why a relay attempt is followed by another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// The server was down.
    ServerDown,
    /// A 4xx reply.
    TemporaryFailure,
    /// The connection dropped after the MX stored the message.
    StoredUnheard,
    /// The connection dropped before the final period's 250.
    Unanswered,
}

/// `relay` keeps the message queued and tries again 30 minutes later.
pub(crate) fn retry(relay: &str, why: Retry) -> Note {
    let message = match why {
        Retry::ServerDown => msg!("note.retry-down"),
        Retry::TemporaryFailure => msg!("note.retry-4xx"),
        Retry::StoredUnheard => msg!("note.retry-twice"),
        Retry::Unanswered => msg!("note.retry-unanswered"),
    };
    Note::new(
        text!("note.retry.line", relay = relay),
        explained(message, RfcRef::new(5321, "4.5.4.1")),
    )
}

/// Alice's mail program sends again what a lost connection kept in its Outbox.
pub(crate) fn resend(why: &Text) -> Note {
    Note::new(
        text!("note.resend.line"),
        explained(msg!("note.resend", why = why), RfcRef::new(5321, "4.1.1.4")),
    )
}

/// The relay sends `sender` a delivery status notification.
pub(crate) fn bounce(sender: &str) -> Note {
    Note::new(
        text!("note.bounce.line", sender = sender),
        explained(msg!("note.bounce"), RfcRef::new(5321, "6.1")),
    )
}

// ---- Bob's devices ----

/// The device's account was set up again with `protocol`.
pub(crate) fn set_up_again(protocol: FetchProtocol) -> Note {
    let explanation = match protocol {
        FetchProtocol::Imap => explained(msg!("note.now-imap"), RfcRef::new(9051, "6.3.2")),
        FetchProtocol::Pop3 => explained(msg!("note.now-pop3"), RfcRef::new(1939, "1")),
    };
    Note::new(
        text!("note.set-up-again.line", protocol = protocol.name()),
        explanation,
    )
}

/// What a POP3 device did to its own copy (`text`): nobody else hears of it.
pub(crate) fn pop3_on_device(text: Text) -> Note {
    Note::new(
        text,
        explained(msg!("note.pop3-on-device"), RfcRef::new(1939, "8")),
    )
}
