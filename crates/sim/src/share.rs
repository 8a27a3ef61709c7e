//! Share links: a scenario as a compact, versioned, URL-safe string, and back — with a clear
//! message, never a panic, for anything malformed.

use base64::Engine as _;

use crate::scenario::Scenario;

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

/// `v1.` followed by the scenario as JSON in URL-safe base64 without padding.
pub fn encode(scenario: &Scenario) -> String {
    let json = serde_json::to_vec(scenario).unwrap_or_default();
    format!(
        "v{VERSION}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    )
}

pub fn decode(text: &str) -> Result<Scenario, ShareError> {
    let text = text.trim();
    let (version, payload) = text
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .ok_or_else(|| ShareError("This link does not contain a Postroom scenario.".into()))?;
    let version: u32 = version
        .parse()
        .map_err(|_| ShareError("This link does not contain a Postroom scenario.".into()))?;
    if version > VERSION {
        return Err(ShareError(format!(
            "This link was made by a newer Postroom (format {version}); this page reads format {VERSION}. Reload the page to update it."
        )));
    }
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| {
            ShareError(
                "This link is damaged: it may have been cut short when it was copied.".into(),
            )
        })?;
    serde_json::from_slice(&json)
        .map_err(|e| ShareError(format!("This link's scenario cannot be read ({e}).")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Action, Device, Fault};

    #[test]
    fn scenarios_round_trip_through_a_share_string() {
        let mut s = Scenario::default();
        s.faults.push(Fault::Greylisting);
        s.actions.push(Action::Delete(Device::Phone));
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
        assert!(decode("v1.e30").unwrap_err().0.contains("cannot be read"));
    }
}
