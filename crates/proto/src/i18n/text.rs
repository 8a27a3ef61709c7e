//! A text for students that is not a protocol line's explanation: a lane's name, a session's
//! state, a stage of the journey. It is a message (so a page shows it in the class's language)
//! and its English rendering (for the exports, the logs and the tests, which are English).

use std::fmt;
use std::ops::Deref;

use super::Message;

/// A message and its English text. It reads as its English text (`&*text`, `text == "…"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    message: Message,
    en: String,
}

impl Text {
    /// The text of `message`, its English from the built-in catalogue (the id if it lacks one).
    pub fn new(message: Message) -> Text {
        let en = super::english()
            .format(message.id, &message.args)
            .unwrap_or_else(|| message.id.to_string());
        Text { message, en }
    }

    /// A text shown as it is in every language: a name someone typed, a server's own words.
    pub fn verbatim(text: impl Into<String>) -> Text {
        let text: String = text.into();
        crate::text!("verbatim", text = text)
    }

    pub fn message(&self) -> &Message {
        &self.message
    }

    pub fn as_str(&self) -> &str {
        &self.en
    }
}

/// No text: a step with no session state to show.
impl Default for Text {
    fn default() -> Text {
        Text::verbatim(String::new())
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.en
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.en == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}
