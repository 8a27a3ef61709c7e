//! The language a made text (an export, a handout) is written in: a chosen catalogue, with
//! English built in wherever it lacks a text. The page passes its chosen catalogue; files
//! and tests write English.

use super::{Catalogue, Message, Text};

#[derive(Debug, Clone, Copy, Default)]
pub struct Language<'c> {
    /// None: English.
    chosen: Option<&'c Catalogue>,
}

impl<'c> Language<'c> {
    pub const ENGLISH: Language<'static> = Language { chosen: None };

    pub fn of(chosen: Option<&'c Catalogue>) -> Language<'c> {
        Language { chosen }
    }

    /// A text of the world or an engine.
    pub fn say(&self, text: &Text) -> String {
        let m = text.message();
        self.chosen
            .and_then(|c| c.format(m.id, &m.args))
            .unwrap_or_else(|| text.to_string())
    }

    /// A message's title and why (an explanation, a finding); the English `title` and `why`
    /// where there is no message or the catalogue lacks it.
    pub fn parts(&self, message: Option<&Message>, title: &str, why: &str) -> (String, String) {
        let chosen = self
            .chosen
            .zip(message)
            .map(|(c, m)| (c.format_part(m, "title"), c.format_part(m, "why")));
        match chosen {
            Some((Some(title), Some(why))) => (title, why),
            _ => (title.to_string(), why.to_string()),
        }
    }
}
