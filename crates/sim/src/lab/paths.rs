//! Each way of sending, built from the engine's sessions and driven over the lab's link:
//! the TCP and TLS handshakes first, as flights of their own, then the protocol.

use postroom_proto::http::{api, jmap, Field, Request, Response};
use postroom_proto::i18n::Text;
use postroom_proto::imap::{self, ImapClient, ImapServer, Intent};
use postroom_proto::smtp::{
    ClientConfig, ClientTls, Mailbox, ReversePath, ServerConfig, SmtpClient, SmtpServer, TlsPolicy,
};
use postroom_proto::{text, Duration, MailStore};

use super::http::HttpPair;
use super::stage::Lab;
use super::{Network, Path, Run, SmtpOptions};
use crate::conversation::{Imap, Smtp};
use crate::drive::{drive, Pair};
use crate::host::{Host, HostId};
use crate::net::link::Link;
use crate::timeline::Timeline;

const FROM: &str = "alice@example.org";
const TO: &str = "bob@example.net";
const SUBJECT: &str = "Lunch on Friday?";
const DATE: &str = "Fri, 04 Dec 2026 10:00:00 +0000";
const TEXT: &str = "Hi Bob,\r\n\r\nLunch on Friday at noon, at the usual place?\r\n\r\nAlice\r\n";

/// The same email as RFC 5322 text, for the SMTP paths and the relay.
pub(crate) fn message() -> Vec<u8> {
    format!(
        "From: Alice <{FROM}>\r\nTo: Bob <{TO}>\r\nSubject: {SUBJECT}\r\n\
         Date: {DATE}\r\nMessage-ID: <lunch-1@example.org>\r\n\
         \r\n{TEXT}"
    )
    .into_bytes()
}

const CLIENT: HostId = HostId(0);
const SERVER: HostId = HostId(1);
const STORE: HostId = HostId(2);

/// Sends the email one way.
pub fn run(path: Path, network: Network) -> Run {
    match path.smtp_options() {
        Some(options) => smtp(options, network),
        None => https(path, network),
    }
}

fn finish(lab: Lab, hosts: Vec<Host>, network: Network) -> Run {
    Run {
        timeline: Timeline::new(hosts, lab.steps),
        marks: lab.marks,
        accepted: lab.accepted,
        network,
    }
}

fn link(network: Network) -> Link {
    Link::with_bandwidth(network.latency(), network.octets_per_second())
}

/// Submission with the engine's SMTP client and server, as `options` say.
pub fn smtp(options: SmtpOptions, network: Network) -> Run {
    let mut store = MailStore::new();
    store.add_account("alice", "secret");
    let title = if options == SmtpOptions::STEP_BY_STEP {
        Path::SmtpStepByStep.title()
    } else {
        Path::SmtpWell.title()
    };
    let mut lab = Lab::new(store, title);
    let mut link = link(network);
    let implicit = options.implicit_tls;
    let port = if implicit { 465 } else { 587 };
    lab.open(CLIENT, SERVER);
    let at_client = lab.tcp_handshake(&mut link, port);
    let start = if implicit {
        lab.tls_handshake(&mut link, at_client, true).1
    } else {
        lab.tcp_ack(&mut link, at_client)
    };
    lab.now = start;
    let mut server_config = ServerConfig::submission("smtp.example.org", "example.org");
    server_config.tls = if implicit {
        TlsPolicy::NotOffered
    } else {
        TlsPolicy::Required
    };
    server_config.secure_from_start = implicit;
    let mut config = ClientConfig::new("laptop.example.org");
    config.tls = if implicit {
        ClientTls::Never
    } else {
        ClientTls::Required
    };
    config.credentials = Some(("alice".into(), "secret".into()));
    config.pipelining = options.pipelining;
    config.initial_response = options.initial_response;
    config.implicit_tls = implicit;
    let mut client = SmtpClient::new(config, start);
    if let (Ok(from), Ok(to)) = (Mailbox::try_from(FROM), Mailbox::try_from(TO)) {
        let _ = client.send(ReversePath::Mailbox(from), vec![to], message());
    }
    client.quit();
    let server = SmtpServer::new(server_config, start);
    let mut conv = Pair::<Smtp>::new(client, server);
    drive(&mut conv, &mut link, &mut lab);
    let hosts = vec![
        Host::new(
            text!("host.sender", owner = "Alice"),
            "laptop.example.org",
            text!("lab.role.mail-program"),
        ),
        Host::new(
            text!("lab.host.provider"),
            "smtp.example.org",
            text!("host.submission-role", port = port),
        ),
    ];
    finish(lab, hosts, network)
}

/// The HTTP request of an API path, and the server's handler for it.
fn api_request(path: Path) -> (Request, super::http::Handler) {
    let to = vec![TO.to_string()];
    let text = TEXT.replace("\r\n", "\n");
    if path == Path::Jmap {
        let mail = jmap::Outgoing {
            account_id: "A1".into(),
            identity_id: "I1".into(),
            drafts: "M-drafts".into(),
            sent: "M-sent".into(),
            from: FROM.into(),
            to,
            subject: SUBJECT.into(),
            text,
        };
        let request = jmap::to_http(&jmap::send_request(&mail), "jmap.example.org", "token");
        let handler = Box::new(|r: &Request| Some(jmap::answer_http(r, 1, DATE).0));
        (request, handler)
    } else {
        let send = api::SendRequest::new(FROM, &to, SUBJECT, &text);
        let request = send.to_request("api.example.org", "SG.key");
        let handler = Box::new(|r: &Request| Some(api::answer(r, "msg-1").0));
        (request, handler)
    }
}

/// An HTTPS connection: TCP, TLS 1.3, then the request right behind the client's Finished.
fn https_connection(lab: &mut Lab, link: &mut Link, pair: &mut HttpPair) {
    let at_client = lab.tcp_handshake(link, 443);
    let (finished_left, _) = lab.tls_handshake(link, at_client, true);
    lab.now = finished_left;
    drive(pair, link, lab);
}

fn https(path: Path, network: Network) -> Run {
    let mut lab = Lab::new(MailStore::new(), path.title());
    let mut link = link(network);
    let (request, handler) = api_request(path);
    let mut pair = HttpPair::new(request.to_bytes(), handler);
    lab.open(CLIENT, SERVER);
    https_connection(&mut lab, &mut link, &mut pair);
    let server = if path == Path::Jmap {
        Host::new(
            text!("lab.host.jmap"),
            "jmap.example.org",
            Text::verbatim("HTTPS :443 · JMAP"),
        )
    } else {
        Host::new(
            text!("lab.host.api"),
            "api.example.org",
            text!("lab.role.api"),
        )
    };
    let hosts = vec![
        Host::new(
            text!("lab.host.app"),
            "app.example.org",
            text!("lab.role.https-client"),
        ),
        server,
    ];
    finish(lab, hosts, network)
}

/// The honest end: the provider relays the email to Bob's MX over SMTP on port 25, with
/// STARTTLS if offered and PIPELINING — whichever way it was submitted.
pub fn relay(network: Network) -> Run {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    let mut lab = Lab::new(store, text!("lab.phase.relay"));
    let mut link = link(network);
    lab.open(CLIENT, SERVER);
    let at_client = lab.tcp_handshake(&mut link, 25);
    let start = lab.tcp_ack(&mut link, at_client);
    lab.now = start;
    let mut server_config = ServerConfig::new("mx.example.net", "example.net");
    server_config.tls = TlsPolicy::Offered;
    let mut config = ClientConfig::new("mta.example.org");
    config.tls = ClientTls::IfOffered;
    let mut client = SmtpClient::new(config, start);
    if let (Ok(from), Ok(to)) = (Mailbox::try_from(FROM), Mailbox::try_from(TO)) {
        let _ = client.send(ReversePath::Mailbox(from), vec![to], message());
    }
    client.quit();
    let server = SmtpServer::new(server_config, start);
    let mut conv = Pair::<Smtp>::new(client, server);
    drive(&mut conv, &mut link, &mut lab);
    let hosts = vec![
        Host::new(
            text!("lab.host.provider"),
            "mta.example.org",
            text!("lab.role.relay"),
        ),
        Host::new(
            text!("lab.host.mx"),
            "mx.example.net",
            Text::verbatim("MX :25"),
        ),
    ];
    finish(lab, hosts, network)
}

/// Webmail: Bob's browser asks the webmail server for the message over HTTPS; the webmail
/// server asks the mail store over IMAP (on its own fast network), then answers the page.
pub fn webmail(network: Network) -> Run {
    let mut store = MailStore::new();
    store.add_account("bob", "secret");
    let _ = store.deliver("bob", FROM, message());
    let mut lab = Lab::new(store, text!("lab.host.webmail"));
    let mut browser_link = link(network);
    let mut request = Request::new("GET", "/mail/INBOX/1", "webmail.example.net");
    request.fields.extend([
        Field::new("Cookie", "session=bob-3f9a"),
        Field::new("Accept", "text/html"),
    ]);
    // The webmail answers once it has the message from the store: not yet.
    let mut pair = HttpPair::new(request.to_bytes(), Box::new(|_: &Request| None));
    lab.open(CLIENT, SERVER);
    https_connection(&mut lab, &mut browser_link, &mut pair);

    // Inside the provider: half a millisecond each way, a gigabit.
    let inside = Network {
        rtt_ms: 1,
        kbit_s: 1_000_000,
    };
    let mut store_link =
        Link::with_bandwidth(Duration::from_micros(250), inside.octets_per_second());
    let browser_connection = lab.connection;
    lab.open(SERVER, STORE);
    let at_client = lab.tcp_handshake(&mut store_link, 143);
    let start = lab.tcp_ack(&mut store_link, at_client);
    lab.now = start;
    let mut client = ImapClient::new(imap::ClientConfig::new("bob", "secret"), Default::default());
    client.act(Intent::Logout);
    let server = ImapServer::new(imap::ServerConfig::new("imap.example.net"), start);
    let mut conv = Pair::<Imap>::new(client, server);
    drive(&mut conv, &mut store_link, &mut lab);
    let fetched = conv
        .client
        .cache()
        .messages
        .values()
        .find_map(|m| m.bytes.clone())
        .unwrap_or_default();

    lab.resume(browser_connection, CLIENT, SERVER);
    let mut page = Response::new(200);
    page.fields
        .push(Field::new("Content-Type", "text/html; charset=utf-8"));
    page.body = webmail_page(&fetched);
    pair.respond(&page);
    drive(&mut pair, &mut browser_link, &mut lab);
    let hosts = vec![
        Host::new(
            text!("lab.host.browser"),
            "laptop.example.net",
            text!("lab.role.https-client"),
        ),
        Host::new(
            text!("lab.host.webmail"),
            "webmail.example.net",
            text!("lab.role.webmail"),
        ),
        Host::new(
            text!("lab.host.store"),
            "imap.example.net",
            Text::verbatim("IMAP :143"),
        ),
    ];
    finish(lab, hosts, network)
}

/// The page the webmail makes of a message: its header fields and text, escaped.
fn webmail_page(message: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(message);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let field = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(str::trim))
            .unwrap_or_default()
            .to_string()
    };
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<!doctype html><title>{}</title><h1>{}</h1><p>From: {}</p><pre>{}</pre>",
        escape(&field("Subject:")),
        escape(&field("Subject:")),
        escape(&field("From:")),
        escape(body.trim_end())
    )
    .into_bytes()
}
