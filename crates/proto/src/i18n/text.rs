//! A text for students that is not a protocol line's explanation: a lane's name, a session's
//! state, a stage of the journey. It is a message (so a page shows it in the class's language)
//! and its English rendering (for the exports, the logs and the tests, which are English).

use std::cell::OnceCell;
use std::fmt;
use std::ops::Deref;

use super::Message;

/// A message and its English text. It reads as its English text (`&*text`, `text == "…"`).
/// The English is written when first read: the world makes a few texts at every step, and a
/// page in another language never reads most of them in English.
#[derive(Debug, Clone)]
pub struct Text {
    message: Message,
    en: OnceCell<String>,
}

impl Text {
    /// The text of `message`, its English from the built-in catalogue (the id if it lacks one).
    pub fn new(message: Message) -> Text {
        Text {
            message,
            en: OnceCell::new(),
        }
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
        self.en.get_or_init(|| {
            super::english()
                .format(self.message.id, &self.message.args)
                .unwrap_or_else(|| self.message.id.to_string())
        })
    }
}

/// Two texts are the same when their messages are, whether or not either was read yet.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.message == other.message
    }
}

impl Eq for Text {}

/// No text: a step with no session state to show.
impl Default for Text {
    fn default() -> Text {
        Text::verbatim(String::new())
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
