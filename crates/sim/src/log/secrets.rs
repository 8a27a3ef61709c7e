//! Secrets in a log: POP3's PASS, IMAP's LOGIN password, and the SASL payloads of AUTH and
//! AUTHENTICATE with the answers to their challenges. They are hidden by default; revealed,
//! base64 is decoded, to show that it hides nothing.

use postroom_proto::base64::{self, Alphabet};
use postroom_proto::i18n::Text;
use postroom_proto::imap;
use postroom_proto::secret::hide;
pub use postroom_proto::secret::HIDDEN;
use postroom_proto::text;

use super::follow::{Kind, Unit};
use crate::timeline::Protocol;

/// A unit's secret: its bytes with the secret hidden, and what the secret says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub masked: Vec<u8>,
    /// E.g. `user "alice", password "secret"`: what anyone who reads the line learns.
    pub reveals: Text,
}

/// What a SASL payload says: PLAIN's user and password, LOGIN's user name then password.
fn sasl(mechanism: &str, payload: &str, step: usize) -> Text {
    let Some(decoded) = base64::decode(payload.trim(), Alphabet::Standard) else {
        let payload = format!("{payload:?}");
        return text!(
            "log.reveal.payload",
            mechanism = mechanism,
            payload = payload
        );
    };
    let text = String::from_utf8_lossy(&decoded);
    // The decoded text as Rust quotes it, so a control character shows.
    let quoted = format!("{text:?}");
    match mechanism {
        "PLAIN" => {
            let parts: Vec<&str> = text.split('\0').collect();
            match parts.as_slice() {
                [_, user, password] => text!(
                    "log.reveal.plain",
                    payload = payload,
                    user = *user,
                    password = *password
                ),
                _ => text!("log.reveal.base64", payload = payload, text = quoted),
            }
        }
        "LOGIN" if step == 0 => text!("log.reveal.user", payload = payload, text = &*text),
        "LOGIN" => text!(
            "log.reveal.login-password",
            payload = payload,
            text = &*text
        ),
        _ => text!("log.reveal.base64", payload = payload, text = quoted),
    }
}

/// The line of a one-line unit, without its line end.
fn line(unit: &Unit) -> String {
    String::from_utf8_lossy(unit.text_lines().next().unwrap_or_default()).into_owned()
}

/// The secret of a line answering a SASL challenge (`*` cancels, and hides nothing).
fn answer(unit: &Unit, mechanism: &str, step: usize) -> Option<Secret> {
    let text = line(unit);
    if text == "*" || text.is_empty() {
        return None;
    }
    Some(Secret {
        masked: hide(&unit.bytes, text.as_bytes())?,
        reveals: sasl(mechanism, &text, step),
    })
}

/// The secret of `AUTH mechanism response` (the response after the mechanism's word).
fn initial(unit: &Unit, words_before: usize) -> Option<(String, Option<Secret>)> {
    let text = line(unit);
    let mut words = text.split(' ').skip(words_before);
    let mechanism = words.next()?.to_ascii_uppercase();
    let response = words.next().filter(|r| *r != "=");
    let secret = response.and_then(|r| {
        Some(Secret {
            masked: hide(&unit.bytes, r.as_bytes())?,
            reveals: sasl(&mechanism, r, 0),
        })
    });
    Some((mechanism, secret))
}

/// A SASL exchange in progress: its mechanism and the answers given.
struct Exchange {
    mechanism: String,
    step: usize,
}

/// Hides the secrets of `units`.
pub(crate) fn mask(protocol: Protocol, units: &mut [Unit]) {
    let mut exchange: Option<Exchange> = None;
    for i in 0..units.len() {
        let Some(unit) = units.get(i) else { continue };
        let upper = line(unit).to_ascii_uppercase();
        let secret = match unit.kind {
            Kind::Command => {
                exchange = None;
                let auth_words = match protocol {
                    Protocol::Imap if upper.split(' ').nth(1) == Some("AUTHENTICATE") => Some(2),
                    Protocol::Smtp | Protocol::Pop3 if upper.starts_with("AUTH ") => Some(1),
                    _ => None,
                };
                if let Some(skip) = auth_words {
                    initial(unit, skip).and_then(|(mechanism, secret)| {
                        let step = usize::from(secret.is_some());
                        exchange = Some(Exchange { mechanism, step });
                        secret
                    })
                } else if protocol == Protocol::Pop3 && upper.starts_with("PASS ") {
                    let text = line(unit);
                    let password = text.get(5..).unwrap_or_default();
                    hide(&unit.bytes, password.as_bytes()).map(|masked| Secret {
                        masked,
                        reveals: text!("log.reveal.password", password = password),
                    })
                } else if protocol == Protocol::Imap && upper.split(' ').nth(1) == Some("LOGIN") {
                    login(units, i)
                } else {
                    None
                }
            }
            Kind::Continuation => match exchange.as_mut() {
                Some(e) => {
                    let secret = answer(unit, &e.mechanism, e.step);
                    e.step += 1;
                    secret
                }
                None if protocol == Protocol::Imap => login_rest(units, i),
                None => None,
            },
            Kind::Reply => {
                let goes_on = unit.bytes.starts_with(b"334") || unit.bytes.starts_with(b"+");
                if !goes_on {
                    exchange = None;
                }
                None
            }
            Kind::Message | Kind::Note => None,
        };
        if let Some(unit) = units.get_mut(i) {
            unit.secret = secret;
        }
    }
}

/// IMAP LOGIN: the password, decoded from the whole command (literals included), hidden in
/// the unit that carries it.
fn password_of(units: &[Unit], first: usize) -> Option<String> {
    let mut whole = Vec::new();
    for unit in units.iter().skip(first) {
        match unit.kind {
            Kind::Command if !whole.is_empty() => break,
            Kind::Command | Kind::Continuation => whole.extend_from_slice(&unit.bytes),
            _ => {}
        }
    }
    match imap::decode::command(&whole) {
        Ok((_, imap::Command::Login { password, .. })) => Some(password),
        _ => None,
    }
}

fn login_secret(unit: &Unit, password: &str) -> Option<Secret> {
    let escaped = password.replace('\\', "\\\\").replace('"', "\\\"");
    let masked =
        hide(&unit.bytes, password.as_bytes()).or_else(|| hide(&unit.bytes, escaped.as_bytes()))?;
    Some(Secret {
        masked,
        reveals: text!("log.reveal.password", password = password),
    })
}

fn login(units: &[Unit], i: usize) -> Option<Secret> {
    let unit = units.get(i)?;
    login_secret(unit, &password_of(units, i)?)
}

/// A part of a LOGIN sent after a "+": it may carry the password.
fn login_rest(units: &[Unit], i: usize) -> Option<Secret> {
    // The command is a few units back (a part, a "+", a part…); no further.
    let start = units
        .iter()
        .take(i)
        .enumerate()
        .rev()
        .take(8)
        .find(|(_, u)| u.kind == Kind::Command)
        .map(|(j, _)| j)?;
    let command = units.get(start)?;
    let name = line(command).to_ascii_uppercase();
    if name.split(' ').nth(1) != Some("LOGIN") {
        return None;
    }
    login_secret(units.get(i)?, &password_of(units, start)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sasl_payloads_decode_to_what_they_carry() {
        assert_eq!(
            sasl("PLAIN", "AGFsaWNlAHNlY3JldA==", 0),
            "AGFsaWNlAHNlY3JldA== is base64 for \"\\0alice\\0secret\": user \"alice\", password \"secret\""
        );
        assert_eq!(
            sasl("LOGIN", "c2VjcmV0", 1),
            "c2VjcmV0 is base64 for the password \"secret\""
        );
    }
}
