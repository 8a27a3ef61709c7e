//! Links into the console: `#console=PORT` opens it on that server, and `&lines=…` (URL-safe
//! base64 of lines, one per line) offers the lines of a session to send again, one by one —
//! what the log page's "Continue in the console" opens.

use postroom_proto::base64::{self, Alphabet};
use postroom_sim::console::Service;
use postroom_sim::Protocol;

/// Lines offered at most: a long message is left at its start.
pub const MAX_OFFERED: usize = 200;

/// What a console link opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub service: Service,
    /// Lines to offer, in order.
    pub lines: Vec<String>,
    /// How many lines the session had (more than `lines` when it was cut).
    pub of: usize,
}

/// The server a session's client lines go to: SMTP with AUTH goes to submission.
pub fn service_for(protocol: Protocol, lines: &[String]) -> Service {
    let auth = lines
        .iter()
        .any(|l| l.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("AUTH ")));
    match Service::of(protocol) {
        Service::Exchanger if auth => Service::Submission,
        service => service,
    }
}

/// The fragment that opens the console on `service` offering `lines` (the first
/// [`MAX_OFFERED`] of them).
pub fn fragment(service: Service, lines: &[String]) -> String {
    let kept = lines.get(..lines.len().min(MAX_OFFERED)).unwrap_or(lines);
    let mut fragment = format!("#console={}", service.port());
    if !kept.is_empty() {
        let code = base64::encode(kept.join("\n"), Alphabet::UrlSafeNoPad);
        fragment.push_str(&format!("&lines={code}&of={}", lines.len()));
    }
    fragment
}

/// What a console fragment opens; None for no fragment, a message for one that cannot be
/// read.
pub fn open(hash: &str) -> Option<Result<Opened, String>> {
    if hash.len() <= 1 {
        return None;
    }
    let broken = |why: String| Some(Err(crate::t!("banner.console", why = why).to_string()));
    let Some(rest) = hash.strip_prefix("#console=") else {
        let shown: String = hash.chars().take(40).collect();
        return broken(crate::t!("banner.not-a-console", shown = shown).to_string());
    };
    let mut parts = rest.split('&');
    let port = parts.next().unwrap_or_default();
    let Some(service) = Service::ALL
        .into_iter()
        .find(|s| s.port().to_string() == port)
    else {
        let shown: String = port.chars().take(10).collect();
        return broken(crate::t!("banner.no-port", shown = shown).to_string());
    };
    let (mut lines, mut of) = (Vec::new(), 0);
    for part in parts {
        if let Some(code) = part.strip_prefix("lines=") {
            let text = base64::decode(code, Alphabet::UrlSafeNoPad)
                .and_then(|bytes| String::from_utf8(bytes).ok());
            let Some(text) = text else {
                return broken(crate::t!("banner.lines-damaged").to_string());
            };
            lines = text
                .split('\n')
                .take(MAX_OFFERED)
                .map(str::to_string)
                .collect();
        } else if let Some(n) = part.strip_prefix("of=") {
            of = n.parse().unwrap_or(0);
        }
    }
    let of = of.max(lines.len());
    Some(Ok(Opened { service, lines, of }))
}
