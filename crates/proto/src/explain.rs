//! What a line on the wire means, why it is sent now, and where the RFC says so.
//! The text shown to students comes from here, next to the code that implements the rule.

use crate::i18n::Message;

/// A count with its noun in English's singular or plural: "1 message", "3 messages".
/// (Translated texts take their plurals from their catalogue.)
pub fn count(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

/// A section of an RFC, linkable on the RFC Editor's site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfcRef {
    pub rfc: u16,
    pub section: &'static str,
}

impl RfcRef {
    pub const fn new(rfc: u16, section: &'static str) -> Self {
        RfcRef { rfc, section }
    }

    /// The RFC Editor's URL of this section.
    pub fn url(&self) -> String {
        format!(
            "https://www.rfc-editor.org/rfc/rfc{}#section-{}",
            self.rfc, self.section
        )
    }

    /// Short label such as `RFC 5321 §4.1.1.1`.
    pub fn label(&self) -> String {
        format!("RFC {} §{}", self.rfc, self.section)
    }
}

/// A one-sentence title and a few sentences of why, for one decoded line. `title` and
/// `why` are English; an explanation made from a message also carries it, so a page can
/// show it in the class's language (`{id}.title` and `{id}.why` in the catalogues).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub title: String,
    pub why: String,
    pub rfc: RfcRef,
    pub message: Option<Message>,
}

impl Explanation {
    pub fn new(title: impl Into<String>, why: impl Into<String>, rfc: RfcRef) -> Self {
        Explanation {
            title: title.into(),
            why: why.into(),
            rfc,
            message: None,
        }
    }

    /// An explanation from a message, its English texts from the built-in catalogue.
    pub fn from_message(message: Message, rfc: RfcRef) -> Self {
        let en = crate::i18n::english();
        let text = |part| {
            en.format_part(&message, part)
                .unwrap_or_else(|| format!("{}.{part}", message.id))
        };
        Explanation {
            title: text("title"),
            why: text("why"),
            rfc,
            message: Some(message),
        }
    }
}

/// A line the other side will not be able to read.
pub fn unreadable(protocol: &str, rfc: u16, section: &'static str) -> Explanation {
    Explanation::from_message(
        crate::msg!("narrate.unreadable", protocol = protocol),
        RfcRef::new(rfc, section),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_links_point_at_the_section() {
        let r = RfcRef::new(5321, "4.1.1.1");
        assert_eq!(
            r.url(),
            "https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.1"
        );
        assert_eq!(r.label(), "RFC 5321 §4.1.1.1");
    }
}
