//! The log page's share links: a session as `#log=…&step=N` — its dialogue as a C:/S:
//! transcript with the secrets hidden, in URL-safe base64, and the protocol when it was
//! chosen — and back. A session too long for a link says so instead.

use postroom_proto::base64::{self, Alphabet};
use postroom_sim::log::Log;
use postroom_sim::Protocol;

use crate::components::notices::thousands;

/// Links longer than this are not made: many programs and servers refuse or cut them.
pub const MAX_LINK: usize = 8_000;

/// What a link opens: the transcript, the protocol chosen, the step (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub transcript: String,
    pub protocol: Option<Protocol>,
    pub step: usize,
}

fn protocol_key(p: Protocol) -> Option<&'static str> {
    matches!(p, Protocol::Smtp | Protocol::Pop3 | Protocol::Imap).then(|| p.key())
}

fn protocol_of(key: &str) -> Option<Protocol> {
    [Protocol::Smtp, Protocol::Pop3, Protocol::Imap]
        .into_iter()
        .find(|p| p.key() == key)
}

/// The fragment of a link that opens `log` at `step` (from 0), read as `protocol` if one was
/// chosen; passwords never go into a link. Too long: why not.
pub fn fragment(log: &Log, protocol: Option<Protocol>, step: usize) -> Result<String, String> {
    let code = base64::encode(log.transcript(false), Alphabet::UrlSafeNoPad);
    let chosen = protocol
        .and_then(protocol_key)
        .map(|k| format!("&p={k}"))
        .unwrap_or_default();
    let fragment = format!("#log={code}{chosen}&step={}", step + 1);
    if fragment.len() > MAX_LINK {
        let (length, most) = (thousands(fragment.len()), thousands(MAX_LINK));
        return Err(crate::t!("log.link-too-long", length = length, most = most).to_string());
    }
    Ok(fragment)
}

/// What a `#log=` fragment opens; None for no fragment, a message for one that cannot be read.
pub fn open(hash: &str) -> Option<Result<Opened, String>> {
    if hash.len() <= 1 {
        return None;
    }
    let broken = |why: yew::AttrValue| {
        Some(Err(
            crate::t!("log.link-broken", why = why.as_str()).to_string()
        ))
    };
    let Some(rest) = hash.strip_prefix("#log=") else {
        let shown: String = hash.chars().take(40).collect();
        return broken(crate::t!("log.link-not-log", shown = shown));
    };
    let mut parts = rest.split('&');
    let code = parts.next().unwrap_or_default();
    let (mut protocol, mut step) = (None, 0);
    for part in parts {
        if let Some(key) = part.strip_prefix("p=") {
            protocol = protocol_of(key);
        } else if let Some(n) = part.strip_prefix("step=") {
            step = n.parse::<usize>().map_or(0, |n| n.saturating_sub(1));
        }
    }
    let Some(bytes) = base64::decode(code, Alphabet::UrlSafeNoPad) else {
        return broken(crate::t!("log.link-damaged"));
    };
    let Ok(transcript) = String::from_utf8(bytes) else {
        return broken(crate::t!("log.link-damaged"));
    };
    Some(Ok(Opened {
        transcript,
        protocol,
        step,
    }))
}
