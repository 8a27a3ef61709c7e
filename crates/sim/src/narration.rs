//! What the world says itself, where no engine speaks: the TLS handshake, connections that
//! drop or are refused, lost packets, DNS questions and answers, a relay's retries and
//! bounces, and what a device does on its own. Each note quotes the RFC it follows.

use postroom_proto::{Duration, Explanation, RfcRef};

use crate::net::faults::Cut;
use crate::net::services::Service;
use crate::scenario::FetchProtocol;
use crate::timeline::Protocol;

/// A line a host writes on its own lane (`-- … --`), and what it means.
#[derive(Debug, Clone)]
pub(crate) struct Note {
    pub text: String,
    pub explanation: Explanation,
}

impl Note {
    fn new(text: impl Into<String>, explanation: Explanation) -> Self {
        Note {
            text: text.into(),
            explanation,
        }
    }
}

// ---- on a connection ----

/// Client and server agreed on STARTTLS / STLS: the handshake happens here.
pub(crate) fn tls_handshake(protocol: Protocol) -> Note {
    Note::new(
        "-- TLS handshake (simulated): from here on the connection is encrypted --",
        Explanation::new(
            "TLS handshake: the connection becomes encrypted",
            "Client and server agree on keys and the server proves who it is with its \
             certificate. Postroom shows the protocol inside; on a real network, everything \
             from now on would look like random bytes to an eavesdropper.",
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
        Explanation::new(
            "The connection is lost after the 250: the message is delivered",
            "The server accepted the message and the client heard its 250, so the message is \
             the server's responsibility now: nothing is sent again. Only the goodbye (QUIT \
             and its 221) is missing, and that changes nothing.",
            RfcRef::new(5321, "4.1.1.4"),
        )
    } else if accepted_unheard {
        Explanation::new(
            "The connection is lost before the 250 arrives",
            "The server has already stored the message, but its 250 never reaches the \
             client, which must assume the message was not delivered and send it again \
             later: the recipient gets it twice. RFC 5321 keeps this window short, but \
             cannot close it.",
            RfcRef::new(5321, "4.5.3.2.6"),
        )
    } else {
        connection_lost(protocol)
    };
    Note::new("-- the connection drops here --", explanation)
}

/// What a connection lost at an arbitrary point means for each protocol.
fn connection_lost(protocol: Protocol) -> Explanation {
    match protocol {
        Protocol::Pop3 => Explanation::new(
            "The connection is lost: POP3 deletes nothing",
            "The session never reaches the UPDATE state, so no message is removed from the \
             maildrop, even those marked with DELE. The device keeps what it downloaded.",
            RfcRef::new(1939, "6"),
        ),
        Protocol::Imap => Explanation::new(
            "The connection is lost: what the server did stays done",
            "Every command the server completed has taken effect: flags stored, messages expunged \
             or moved. A command without its tagged answer may or may not have; the device finds \
             out when it synchronises again.",
            RfcRef::new(9051, "2.2.2"),
        ),
        _ => Explanation::new(
            "The connection is lost: the transaction is cancelled",
            "The server cancels the transaction in progress but undoes none it completed, as if the \
             command had failed for now (4yz): a message not yet accepted after the final period is \
             dropped. The client still has it and tries again later.",
            RfcRef::new(5321, "4.1.1.10"),
        ),
    }
}

/// A connection cut by a fault of its kind: in the middle of DATA, or before QUIT.
pub(crate) fn cut(cut: Cut) -> Note {
    match cut {
        Cut::MidData => Note::new(
            "-- the connection drops in the middle of the message --",
            Explanation::new(
                "The connection is lost during DATA",
                "The server never saw the line with a single period, so it never accepted \
                 the message: nothing is delivered, and the client must send it again. A \
                 message counts as delivered only after the 250 that follows the period.",
                RfcRef::new(5321, "4.1.1.4"),
            ),
        ),
        Cut::BeforeQuit | Cut::Never => Note::new(
            "-- the connection drops before QUIT --",
            Explanation::new(
                "The connection is lost before QUIT",
                "The server never sees QUIT, so it never enters the UPDATE state: nothing \
                 marked with DELE is deleted, and the lock is released.",
                RfcRef::new(1939, "6"),
            ),
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
        format!("-- a packet of the next line is lost: TCP sends it again after {after} --"),
        Explanation::new(
            "A packet is lost on the way",
            "No acknowledgement comes back, so when its retransmission timer runs out the \
             sender's TCP sends the data again. RFC 6298 sets the timer from the measured \
             round trip, and at least one second (some systems allow less). The mail \
             protocol never notices: only time passes.",
            RfcRef::new(6298, "2"),
        ),
    )
}

// ---- reaching a server ----

/// Nothing listens on that port of the server's machine.
pub(crate) fn connection_refused(name: &str, port: u16) -> Note {
    Note::new(
        format!("-- connection refused: nothing listens on {name} port {port} --"),
        Explanation::new(
            "Connection refused",
            "The server's machine answered, but no program accepts connections on that port, \
             so it reset the connection. A mail program reports “connection refused”: the \
             port in the account settings is wrong.",
            RfcRef::new(9293, "3.5.2"),
        ),
    )
}

/// A mail program and a port disagree on TLS from the first byte: `implicit_wanted` when the
/// program starts a handshake on a plain port, else it waits for a greeting that an
/// implicit-TLS port never sends before a handshake. `wanted` names the ports to use.
pub(crate) fn tls_mismatch(port: u16, implicit_wanted: bool, wanted: Service) -> Note {
    let (implicit, plain) = match wanted {
        Service::Smtp => ("465 for sending", "587 for sending"),
        Service::Pop3 | Service::Imap => {
            ("995 for POP3, 993 for IMAP", "110 for POP3, 143 for IMAP")
        }
    };
    let (text, why) = if implicit_wanted {
        (
            format!("-- the TLS handshake fails: port {port} answers in plain text --"),
            format!(
                "The mail program starts with a TLS handshake, as its SSL/TLS setting says, but \
                 the server on this port speaks plain text first (its greeting), which is no TLS \
                 message. The handshake fails and the program reports a security error: use the \
                 implicit-TLS port ({implicit}) or set the account to STARTTLS."
            ),
        )
    } else {
        (
            format!("-- no greeting: port {port} waits for a TLS handshake --"),
            format!(
                "The mail program waits for the server's greeting, but on this port the server \
                 first waits for a TLS handshake. Both wait until the program gives up: set the \
                 account to SSL/TLS, or use the plain port ({plain})."
            ),
        )
    };
    Note::new(
        text,
        Explanation::new(
            "TLS from the start, or not: both sides must agree",
            why,
            RfcRef::new(8314, "3.3"),
        ),
    )
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
    let seen = if encrypted {
        "On this connection it travels inside TLS: an eavesdropper on the path sees that a \
         login happens, not the password."
    } else {
        "On this connection there is no TLS: anyone on the path (the café's Wi-Fi, a router \
         on the way) reads the user name and password as they are — base64 is an encoding, \
         not a secret. The account should use SSL/TLS or STARTTLS."
    };
    Explanation::new(e.title, format!("{} {seen}", e.why), e.rfc)
}

/// A command sent together with the one before it, without waiting for its reply.
pub(crate) fn pipelined(e: Explanation) -> Explanation {
    Explanation::new(
        format!("{} (pipelined)", e.title),
        format!(
            "{} It left together with the command before it, without waiting for that one's \
             reply: the server listed PIPELINING after EHLO, so the client may send MAIL, RCPT \
             and DATA in one go and read the replies, in order, afterwards. One round trip \
             instead of three.",
            e.why
        ),
        RfcRef::new(2920, "3.1"),
    )
}

/// TLS from the first byte on 995 or 993: the handshake comes before anything else.
pub(crate) fn implicit_tls(protocol: Protocol) -> Note {
    let port = match protocol {
        Protocol::Pop3 => 995,
        Protocol::Imap => 993,
        _ => 465,
    };
    Note::new(
        format!("-- TLS handshake first (port {port}): everything after it is encrypted --"),
        Explanation::new(
            "Implicit TLS: the handshake comes before the greeting",
            format!(
                "On port {port} the connection is encrypted from the first byte: the client \
                 starts the TLS handshake at once, and the server's greeting, the login and \
                 every message travel inside it. An eavesdropper sees only that this device \
                 talks to this server on port {port}, and how many bytes cross — not the \
                 password, not the mail. This is what RFC 8314 asks mail programs to use."
            ),
            RfcRef::new(8314, "3.3"),
        ),
    )
}

/// The greeting of `service`, where the mail program expected a `wanted` server.
pub(crate) fn other_service(service: Service, port: u16, wanted: Service) -> Explanation {
    let (name, article, wanted) = (service.name(), wanted.article(), wanted.name());
    let mut title = format!("{} {name} server answers on port {port}", service.article());
    if let Some(first) = title.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Explanation::new(
        title,
        format!(
            "The device expects {article} {wanted} server, but port {port} belongs to {name}: the greeting is in another protocol."
        ),
        service.greeting_rfc(),
    )
}

/// The mail program's client could not read another protocol's greeting.
pub(crate) fn client_gives_up(wanted: Service) -> Note {
    let name = wanted.name();
    Note::new(
        format!("-- the {name} client cannot read this greeting and hangs up --"),
        Explanation::new(
            format!("The {name} client gives up"),
            format!(
                "A {name} session starts with the server's greeting in {name}'s own form; this one is not, so the program closes the connection and reports an error. The port in the account settings is wrong."
            ),
            wanted.greeting_rfc(),
        ),
    )
}

/// Nobody has the address a device connects to.
pub(crate) fn no_answer(address: &str) -> Note {
    Note::new(
        format!("-- connecting to {address} ... no answer: the connection times out --"),
        Explanation::new(
            "No machine answers",
            "No reply comes back to the device's request to connect, however often TCP sends \
             it; after three minutes the mail program gives up and reports that the \
             connection timed out. The server address in the account settings is wrong.",
            RfcRef::new(9293, "3.8.3"),
        ),
    )
}

// ---- DNS ----

/// A device asks for the address of its server.
pub(crate) fn where_is(name: &str) -> Explanation {
    Explanation::new(
        format!("Where is {name}?"),
        "Before it can connect, the device asks DNS for the server's address.",
        RfcRef::new(1035, "3.4.1"),
    )
}

pub(crate) fn address_found(name: &str, address: &str) -> Explanation {
    Explanation::new(
        format!("{name} is at {address}"),
        "DNS gives the address; the device now opens a TCP connection to it.",
        RfcRef::new(1035, "3.4.1"),
    )
}

pub(crate) fn no_such_host() -> Explanation {
    Explanation::new(
        "No such host",
        "DNS answers that the name does not exist (RCODE 3, name error). A mail \
         program reports that it cannot find the server: the server name in the \
         account settings is wrong.",
        RfcRef::new(1035, "4.1.1"),
    )
}

/// A relay asks where mail for `domain` goes.
pub(crate) fn which_mx(domain: &str) -> Explanation {
    Explanation::new(
        format!("Which server takes mail for {domain}?"),
        "To relay a message the sender's server asks DNS for the MX (mail exchanger) records of the \
         recipient's domain, then tries them in order of preference.",
        RfcRef::new(5321, "5.1"),
    )
}

pub(crate) fn mx_found(domain: &str) -> Explanation {
    Explanation::new(
        format!("mx.{domain} takes the mail (preference 10)"),
        "An MX record names a host and a preference; lower numbers are tried first. The relay \
         now opens an SMTP connection to that host on port 25.",
        RfcRef::new(1035, "3.3.9"),
    )
}

pub(crate) fn no_mx() -> Explanation {
    Explanation::new(
        "No MX record",
        "With no MX record, RFC 5321 says to treat the domain itself as the mail server: \
         the \"implicit MX\", found by an address (A or AAAA) lookup.",
        RfcRef::new(5321, "5.1"),
    )
}

pub(crate) fn implicit_mx(domain: &str) -> Explanation {
    Explanation::new(
        format!("Then the address of {domain} itself"),
        "The fallback: deliver to the host named by the domain.",
        RfcRef::new(5321, "5.1"),
    )
}

pub(crate) fn implicit_mx_found() -> Explanation {
    Explanation::new(
        "The domain's own address",
        "The relay connects to that address on port 25.",
        RfcRef::new(1035, "3.4.1"),
    )
}

// ---- the relay ----

/// The relay cannot reach Bob's server at `mx`.
pub(crate) fn server_down(mx: &str) -> Note {
    Note::new(
        format!("-- connecting to {mx}:25 ... connection refused: the server is down --"),
        Explanation::new(
            "Bob's mail server does not answer",
            "The relay cannot open a TCP connection. It keeps the message in its queue and tries \
             again later; only after days of failures would it give up and bounce.",
            RfcRef::new(5321, "4.5.4.1"),
        ),
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
    let (title, why) = match why {
        Retry::ServerDown => (
            "The retry",
            "RFC 5321 asks for at least 30 minutes between attempts.",
        ),
        Retry::TemporaryFailure => (
            "A temporary failure: try again later",
            "A 4xx reply means \"not now\". The message stays in the relay's queue and is \
             retried; RFC 5321 asks for at least 30 minutes between attempts. Greylisting relies \
             on this: spam software rarely retries.",
        ),
        Retry::StoredUnheard => (
            "The relay tries again, and Bob gets the message twice",
            "The MX had stored the message, but its 250 was lost with the connection, so the \
             relay must assume it failed and send it again. This is why mail is sometimes \
             delivered twice (RFC 5321 §4.5.3.2.6).",
        ),
        Retry::Unanswered => (
            "The relay tries again",
            "The MX never answered the final period with 250, so the message is still the \
             relay's responsibility. It stays in the queue and is retried, as after a 4xx.",
        ),
    };
    Note::new(
        format!("-- {relay} keeps the message queued: 30 minutes later, it tries again --"),
        Explanation::new(title, why, RfcRef::new(5321, "4.5.4.1")),
    )
}

/// Alice's mail program sends again what a lost connection kept in its Outbox.
pub(crate) fn resend(why: String) -> Note {
    Note::new(
        "-- a minute later, Alice's mail program sends the message again --",
        Explanation::new(
            "Not sent, so it stays in the Outbox and goes again",
            format!(
                "The first attempt failed: {why}. Until a server answers the final period \
                 with 250, the message is the client's responsibility: the mail program keeps \
                 it and sends it again (here a minute later; some programs wait for Alice to \
                 press Send again). A whole new connection: greeting, EHLO, TLS, login."
            ),
            RfcRef::new(5321, "4.1.1.4"),
        ),
    )
}

/// The relay sends `sender` a delivery status notification.
pub(crate) fn bounce(sender: &str) -> Note {
    Note::new(
        format!("-- bounce: a delivery status notification to {sender}, from <> --"),
        Explanation::new(
            "The message bounces back to Alice",
            "The MX refused the message for good (5xx), so the relay, which accepted responsibility for \
             it, must tell the sender. The notice comes from the null sender <> so it can never bounce again.",
            RfcRef::new(5321, "6.1"),
        ),
    )
}

// ---- Bob's devices ----

/// The device's account was set up again with `protocol`.
pub(crate) fn set_up_again(protocol: FetchProtocol) -> Note {
    let (title, why, rfc) = match protocol {
        FetchProtocol::Imap => (
            "Now with IMAP: the mail stays on the server",
            "The new account keeps nothing locally yet. At its next check the device asks the \
             server what the mailbox holds; what POP3 already deleted there is gone for good.",
            RfcRef::new(9051, "6.3.2"),
        ),
        FetchProtocol::Pop3 => (
            "Now with POP3: the mail comes down to the device",
            "The new account starts empty. At its next check the device downloads what is on the \
             server and, unless it leaves a copy, deletes it there when it says QUIT.",
            RfcRef::new(1939, "1"),
        ),
    };
    Note::new(
        format!("-- set up again with {} --", protocol.name()),
        Explanation::new(title, why, rfc),
    )
}

/// What a POP3 device did to its own copy (`text`): nobody else hears of it.
pub(crate) fn pop3_on_device(text: &str) -> Note {
    Note::new(
        text,
        Explanation::new(
            "POP3 keeps no state on the server",
            "POP3 has no read flags and no way to tell other devices: what the phone does to \
             its own copy stays on the phone.",
            RfcRef::new(1939, "8"),
        ),
    )
}
