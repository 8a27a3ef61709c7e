//! A catalogue file: `id = text` lines, `#` comments, blank lines.

use std::collections::BTreeMap;

use super::{Arg, Message, Pattern};

/// A line that could not be read, with its number (from 1): it is skipped, the rest is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One language's texts by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub lang: String,
    pub entries: BTreeMap<String, Pattern>,
}

impl Catalogue {
    /// Reads a catalogue of language `lang`. Every line that cannot be read is reported and
    /// skipped, so one mistake never hides the other texts.
    pub fn parse(lang: &str, text: &str) -> (Catalogue, Vec<LineError>) {
        let mut catalogue = Catalogue {
            lang: lang.to_string(),
            entries: BTreeMap::new(),
        };
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| LineError {
                line: i + 1,
                message,
            };
            let Some((id, body)) = line.split_once('=') else {
                errors.push(error("expected `id = text`".to_string()));
                continue;
            };
            let id = id.trim();
            let id_ok = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
            if !id_ok {
                errors.push(error(format!(
                    "`{id}` is not an id (lower-case letters, digits, . _ -)"
                )));
                continue;
            }
            match Pattern::parse(body.trim()) {
                Ok(p) if catalogue.entries.contains_key(id) => {
                    errors.push(error(format!(
                        "{id} is defined twice; the first one is kept"
                    )));
                    let _ = p;
                }
                Ok(p) => {
                    catalogue.entries.insert(id.to_string(), p);
                }
                Err(e) => errors.push(error(format!("{id}: {e}"))),
            }
        }
        (catalogue, errors)
    }

    /// The text of `id` with `args`, if this catalogue has it.
    pub fn format(&self, id: &str, args: &[(&str, Arg)]) -> Option<String> {
        self.entries.get(id).map(|p| p.format(&self.lang, args))
    }

    /// The text of a message's part (`id.part`, e.g. the title of an explanation).
    pub fn format_part(&self, message: &Message, part: &str) -> Option<String> {
        self.format(&format!("{}.{part}", message.id), &message.args)
    }
}
