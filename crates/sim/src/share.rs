//! Share links: a scenario as a compact, versioned, URL-safe string, and back — with a clear
//! message, never a panic, for anything malformed.
//!
//! The payload is a few lines of `key=value` text in URL-safe base64: small, readable when
//! decoded, and without a JSON library in the page.

use crate::scenario::{
    Action, Device, DeviceSettings, Email, Fault, FetchProtocol, Outgoing, Scenario, Security,
};

/// The format version written by this build. Older versions may be read; newer ones are
/// refused with a message that says so.
pub const VERSION: u32 = 1;

/// Why a share string could not be read; the text is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "")
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn device_code(d: &DeviceSettings) -> String {
    let p = match d.protocol {
        FetchProtocol::Pop3 => "pop3",
        FetchProtocol::Imap => "imap",
    };
    format!(
        "{p},{},{}",
        u8::from(d.leave_on_server),
        escape(&d.password).replace(',', "\\,")
    )
}

fn fault_code(f: Fault) -> std::borrow::Cow<'static, str> {
    let code = match f {
        Fault::WrongPassword => "wrong-password",
        Fault::UnknownRecipient => "unknown-recipient",
        Fault::MailboxFull => "mailbox-full",
        Fault::Greylisting => "greylisting",
        Fault::NoMxRecord => "no-mx",
        Fault::PhoneDropsBeforeQuit => "phone-drops",
        Fault::TlsNotOffered => "no-tls",
        Fault::ServerDown => "server-down",
        Fault::DropMidData => "drop-mid-data",
        Fault::DropAfter(step) => return format!("drop-after-{step}").into(),
        Fault::LossAt(step) => return format!("loss-at-{step}").into(),
    };
    code.into()
}

/// Every fault, in the order menus list them.
pub const FAULTS: [Fault; 9] = [
    Fault::WrongPassword,
    Fault::TlsNotOffered,
    Fault::DropMidData,
    Fault::ServerDown,
    Fault::NoMxRecord,
    Fault::Greylisting,
    Fault::UnknownRecipient,
    Fault::MailboxFull,
    Fault::PhoneDropsBeforeQuit,
];

fn action_code(a: Action) -> String {
    let (verb, device) = match a {
        Action::Check(d) => ("check", d),
        Action::Read(d) => ("read", d),
        Action::Delete(d) => ("delete", d),
        Action::Switch(d) => ("switch", d),
        Action::Send(n) => return format!("send-{n}"),
    };
    let device = match device {
        Device::Phone => "phone",
        Device::Laptop => "laptop",
    };
    format!("{verb}-{device}")
}

/// `phone-port=995`, `phone-security=starttls`: a device's connection settings, when not the
/// defaults.
fn connection_lines(name: &str, d: &DeviceSettings) -> Vec<String> {
    let mut lines = Vec::new();
    if d.port != 0 {
        lines.push(format!("{name}-port={}", d.port));
    }
    if d.security != Security::default() {
        lines.push(format!("{name}-security={}", d.security.code()));
    }
    if !d.server.is_empty() {
        lines.push(format!("{name}-server={}", escape(&d.server)));
    }
    if !d.user.is_empty() {
        lines.push(format!("{name}-user={}", escape(&d.user)));
    }
    lines
}

/// `alice-server=…`, `alice-port=465`: Alice's outgoing server, when not the defaults.
fn outgoing_lines(o: &Outgoing) -> Vec<String> {
    let usual = Outgoing::default();
    let mut lines = Vec::new();
    if o.server != usual.server {
        lines.push(format!("alice-server={}", escape(&o.server)));
    }
    if o.port != usual.port {
        lines.push(format!("alice-port={}", o.port));
    }
    if o.security != usual.security {
        lines.push(format!("alice-security={}", o.security.code()));
    }
    if o.user != usual.user {
        lines.push(format!("alice-user={}", escape(&o.user)));
    }
    lines
}

/// `v1.` followed by the scenario in URL-safe base64 without padding.
pub fn encode(s: &Scenario) -> String {
    let text = [
        format!("from={}", escape(&s.from)),
        format!("to={}", escape(&s.to)),
        format!("subject={}", escape(&s.subject)),
        format!("body={}", escape(&s.body)),
        format!("latency={}", s.latency_ms),
        format!("phone={}", device_code(&s.phone)),
        format!("laptop={}", device_code(&s.laptop)),
        format!(
            "actions={}",
            s.actions
                .iter()
                .map(|a| action_code(*a))
                .collect::<Vec<_>>()
                .join(",")
        ),
        format!(
            "faults={}",
            s.faults
                .iter()
                .map(|f| fault_code(*f))
                .collect::<Vec<_>>()
                .join(",")
        ),
        format!("existing={}", s.existing_messages),
    ]
    .into_iter()
    // Written only when set, so links without them stay as they were.
    .chain(connection_lines("phone", &s.phone))
    .chain(connection_lines("laptop", &s.laptop))
    .chain(outgoing_lines(&s.outgoing))
    .chain(s.later.iter().flat_map(|e| {
        [
            format!("later-subject={}", escape(&e.subject)),
            format!("later-body={}", escape(&e.body)),
        ]
    }))
    .collect::<Vec<_>>()
    .join("\n");
    let text = format!("{text}\nend={}", checksum(&text));
    format!(
        "v{VERSION}.{}",
        postroom_proto::base64::encode(text, postroom_proto::base64::Alphabet::UrlSafeNoPad)
    )
}

/// Adler-32 of the text: a link cut short or altered by hand is noticed.
fn checksum(text: &str) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in text.bytes() {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn bad(what: &str) -> ShareError {
    ShareError(format!("This link's scenario cannot be read: {what}."))
}

/// A number written with digits only (`str::parse` would also take a leading `+`, and the
/// link would not read back the same).
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The text of a value, refused when longer than a real program would take (RFC 1035 §2.3.4
/// for names).
fn capped(value: &str, max: usize, what: &str) -> Result<String, ShareError> {
    let text = unescape(value);
    if text.chars().count() > max {
        return Err(bad(&format!("{what} is longer than {max} characters")));
    }
    Ok(text)
}

fn parse_device(value: &str) -> Result<DeviceSettings, ShareError> {
    let mut parts = value.splitn(3, ',');
    let protocol = match parts.next() {
        Some("pop3") => FetchProtocol::Pop3,
        Some("imap") => FetchProtocol::Imap,
        _ => return Err(bad("a device's protocol is neither POP3 nor IMAP")),
    };
    let leave_on_server = parts.next() == Some("1");
    let password = unescape(&parts.next().unwrap_or_default().replace("\\,", ","));
    Ok(DeviceSettings {
        protocol,
        leave_on_server,
        password,
        port: 0,
        security: Security::default(),
        server: String::new(),
        user: String::new(),
    })
}

pub fn decode(text: &str) -> Result<Scenario, ShareError> {
    let text = text.trim();
    let not_ours = || ShareError("This link does not contain a Postroom scenario.".into());
    let (version, payload) = text
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .ok_or_else(not_ours)?;
    let version: u32 = version.parse().map_err(|_| not_ours())?;
    if version > VERSION {
        return Err(ShareError(format!(
            "This link was made by a newer Postroom (format {version}); this page reads format {VERSION}. Reload the page to update it."
        )));
    }
    let bytes =
        postroom_proto::base64::decode(payload, postroom_proto::base64::Alphabet::UrlSafeNoPad)
            .ok_or_else(|| {
                ShareError(
                    "This link is damaged: it may have been cut short when it was copied.".into(),
                )
            })?;
    let body = String::from_utf8(bytes).map_err(|_| bad("it is not text"))?;
    let damaged = || {
        ShareError("This link is damaged: it may have been cut short when it was copied.".into())
    };
    let (body, sum) = body.rsplit_once("\nend=").ok_or_else(damaged)?;
    if sum.parse::<u32>().ok() != Some(checksum(body)) {
        return Err(damaged());
    }
    let mut s = Scenario {
        actions: Vec::new(),
        ..Scenario::default()
    };
    let mut seen = 0;
    for line in body.lines() {
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| bad("a line has no value"))?;
        seen += 1;
        match key {
            "from" => s.from = unescape(value),
            "to" => s.to = unescape(value),
            "subject" => s.subject = unescape(value),
            "body" => s.body = unescape(value),
            "latency" => {
                s.latency_ms = value
                    .parse()
                    .map_err(|_| bad("the latency is not a number"))?
            }
            "phone" => s.phone = parse_device(value)?,
            "laptop" => s.laptop = parse_device(value)?,
            "actions" => {
                s.actions = value
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(|a| {
                        let (verb, device) = a
                            .split_once('-')
                            .ok_or_else(|| bad("an action is malformed"))?;
                        if verb == "send" {
                            return digits(device)
                                .map(Action::Send)
                                .ok_or_else(|| bad("an action is malformed"));
                        }
                        let device = match device {
                            "phone" => Device::Phone,
                            "laptop" => Device::Laptop,
                            _ => return Err(bad("an action names an unknown device")),
                        };
                        match verb {
                            "check" => Ok(Action::Check(device)),
                            "read" => Ok(Action::Read(device)),
                            "delete" => Ok(Action::Delete(device)),
                            "switch" => Ok(Action::Switch(device)),
                            _ => Err(bad("an action is unknown")),
                        }
                    })
                    .collect::<Result<_, _>>()?
            }
            "faults" => {
                s.faults = value
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(|f| {
                        let at = |prefix: &str, fault: fn(u32) -> Fault| {
                            f.strip_prefix(prefix).map(|step| {
                                digits(step)
                                    .map(fault)
                                    .ok_or_else(|| bad("a fault is malformed"))
                            })
                        };
                        if let Some(fault) = at("drop-after-", Fault::DropAfter)
                            .or_else(|| at("loss-at-", Fault::LossAt))
                        {
                            return fault;
                        }
                        FAULTS
                            .iter()
                            .copied()
                            .find(|x| fault_code(*x) == f)
                            .ok_or_else(|| bad("a fault is unknown"))
                    })
                    .collect::<Result<_, _>>()?
            }
            "existing" => {
                s.existing_messages = value
                    .parse::<u32>()
                    .map_err(|_| bad("the message count is not a number"))?
                    .min(10_000)
            }
            "alice-server" => s.outgoing.server = capped(value, 253, "a server name")?,
            "alice-user" => s.outgoing.user = capped(value, 255, "a user name")?,
            "alice-port" => {
                s.outgoing.port = digits::<u16>(value)
                    .filter(|p| *p != 0)
                    .ok_or_else(|| bad("a port is not a number from 1 to 65535"))?
            }
            "alice-security" => {
                s.outgoing.security = Security::from_code(value)
                    .ok_or_else(|| bad("the outgoing security is not tls, starttls or none"))?
            }
            "phone-port" | "laptop-port" => {
                let port = value
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| bad("a port is not a number from 1 to 65535"))?;
                if key == "phone-port" {
                    s.phone.port = port;
                } else {
                    s.laptop.port = port;
                }
            }
            "phone-server" => s.phone.server = capped(value, 253, "a server name")?,
            "laptop-server" => s.laptop.server = capped(value, 253, "a server name")?,
            "phone-user" => s.phone.user = capped(value, 255, "a user name")?,
            "laptop-user" => s.laptop.user = capped(value, 255, "a user name")?,
            "later-subject" => {
                if s.later.len() > usize::from(u8::MAX) {
                    return Err(bad("it holds more emails than a story can send"));
                }
                s.later.push(Email {
                    subject: unescape(value),
                    body: String::new(),
                });
            }
            "later-body" => {
                s.later
                    .last_mut()
                    .ok_or_else(|| bad("an email's text comes before its subject"))?
                    .body = unescape(value);
            }
            // Links made before devices had a security choice: STARTTLS was "require TLS".
            "phone-tls" if value == "1" => s.phone.security = Security::StartTls,
            "laptop-tls" if value == "1" => s.laptop.security = Security::StartTls,
            "phone-tls" | "laptop-tls" => {}
            "phone-security" | "laptop-security" => {
                let security = Security::from_code(value)
                    .ok_or_else(|| bad("a device's security is not tls, starttls or none"))?;
                if key == "phone-security" {
                    s.phone.security = security;
                } else {
                    s.laptop.security = security;
                }
            }
            // Keys from a later minor version are skipped, so old pages still read new links.
            _ => seen -= 1,
        }
    }
    if seen < 4 {
        return Err(bad("it is incomplete"));
    }
    let sends_missing = s
        .actions
        .iter()
        .any(|a| matches!(a, Action::Send(n) if usize::from(*n) >= s.later.len()));
    if sends_missing {
        return Err(bad("an action sends an email the link does not hold"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_round_trip_through_a_share_string() {
        let mut s = Scenario::default();
        s.faults.push(Fault::Greylisting);
        s.faults.push(Fault::UnknownRecipient);
        s.faults.push(Fault::DropAfter(17));
        s.faults.push(Fault::LossAt(9));
        s.actions.push(Action::Delete(Device::Phone));
        s.body = "Line one\nLine \\two\n.dot".into();
        s.laptop.password = "p,w\\d".into();
        s.existing_messages = 12;
        s.actions.push(Action::Switch(Device::Laptop));
        s.outgoing = Outgoing {
            server: "smtp.example.com".into(),
            port: 25,
            security: Security::None,
            user: "alice".into(),
        };
        s.send_later("Second, with | and = signs", "Line\nline")
            .unwrap();
        let text = encode(&s);
        assert!(text.starts_with("v1."));
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)));
        assert_eq!(decode(&text), Ok(s));
    }

    #[test]
    fn bad_strings_give_clear_messages() {
        assert!(decode("").unwrap_err().0.contains("does not contain"));
        assert!(decode("hello").unwrap_err().0.contains("does not contain"));
        assert!(decode("v9.abc").unwrap_err().0.contains("newer Postroom"));
        assert!(decode("v1.!!!").unwrap_err().0.contains("damaged"));
        let cut = encode(&Scenario::default());
        assert!(decode(&cut[..cut.len() / 2]).is_err());
        let text = "from=a\nfaults=meteor";
        let weird = postroom_proto::base64::encode(
            format!("{text}\nend={}", checksum(text)),
            postroom_proto::base64::Alphabet::UrlSafeNoPad,
        );
        assert!(decode(&format!("v1.{weird}"))
            .unwrap_err()
            .0
            .contains("fault is unknown"));
        for (text, why) in [
            ("from=a\nphone-port=0", "port is not a number"),
            ("from=a\nactions=send-0", "does not hold"),
            ("from=a\nactions=send-x", "malformed"),
            ("from=a\nactions=send-+0\nlater-subject=x", "malformed"),
            ("from=a\nfaults=drop-after-+5", "malformed"),
            ("from=a\nlater-body=orphan", "before its subject"),
            ("from=a\nalice-port=+25", "port is not a number"),
            ("from=a\nalice-security=ssl", "outgoing security"),
        ] {
            assert!(
                decode(&payload(text)).unwrap_err().0.contains(why),
                "{text}"
            );
        }
        let long = format!("from=a\nlaptop-server={}", "a".repeat(254));
        assert!(decode(&payload(&long))
            .unwrap_err()
            .0
            .contains("longer than 253"));
    }

    /// A well-formed link around `text`, checksum included.
    fn payload(text: &str) -> String {
        let text = format!("{text}\nto=b\nsubject=c\nbody=d");
        format!(
            "v1.{}",
            postroom_proto::base64::encode(
                format!("{text}\nend={}", checksum(&text)),
                postroom_proto::base64::Alphabet::UrlSafeNoPad,
            )
        )
    }
}
