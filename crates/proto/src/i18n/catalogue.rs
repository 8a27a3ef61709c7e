//! A catalogue file: `id = text` lines, `#` comments, blank lines. It is kept as its text and
//! read line by line when a text is asked for: no map to build, little code in the pages.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use super::{pattern, Arg, Message};

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

/// One language's texts.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub lang: Cow<'static, str>,
    pub source: Cow<'static, str>,
    /// Where each line's id and text are, found when a text is first asked for: a pasted
    /// log of thousands of replies asks for thousands of texts.
    index: OnceLock<Vec<Vec<Line>>>,
}

/// A line's id and text, if it is an `id = text` line.
fn entry(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let (id, text) = line.split_once('=')?;
    Some((id.trim(), text.trim()))
}

/// Where a line's id and text are in the catalogue's source.
type Line = (Range<usize>, Range<usize>);

/// How many buckets the index has: a thousand texts make a dozen to a bucket.
const BUCKETS: usize = 64;

/// An id's bucket (FNV-1a).
fn bucket(id: &str) -> usize {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash as usize % BUCKETS
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(&c))
}

impl Catalogue {
    /// A catalogue of `source`, not checked: a line that cannot be read is as if absent.
    pub const fn new(lang: Cow<'static, str>, source: Cow<'static, str>) -> Catalogue {
        Catalogue {
            lang,
            source,
            index: OnceLock::new(),
        }
    }

    /// Reads a catalogue of language `lang`. Every line that cannot be read is reported, and
    /// is then as if absent (English stands in), so one mistake never hides the other texts.
    pub fn parse(lang: &str, source: &str) -> (Catalogue, Vec<LineError>) {
        let mut errors = Vec::new();
        let mut seen = Vec::new();
        for (i, line) in source.lines().enumerate() {
            let problem = match entry(line) {
                None if line.trim().is_empty() || line.trim().starts_with('#') => continue,
                None => "expected `id = text`".to_string(),
                Some((id, _)) if !is_id(id) => {
                    format!("`{id}` is not an id (lower-case letters, digits, . _ -)")
                }
                Some((id, _)) if seen.contains(&id) => {
                    format!("{id} is defined twice; the first one is kept")
                }
                Some((id, text)) => match pattern::write(text, lang, &[]) {
                    Ok(_) => {
                        seen.push(id);
                        continue;
                    }
                    Err(e) => format!("{id}: {e}"),
                },
            };
            errors.push(LineError {
                line: i + 1,
                message: problem,
            });
        }
        let catalogue =
            Catalogue::new(Cow::Owned(lang.to_string()), Cow::Owned(source.to_string()));
        (catalogue, errors)
    }

    /// The text of `id` as written (its first definition).
    pub fn get(&self, id: &str) -> Option<&str> {
        let source: &str = &self.source;
        let index = self.index.get_or_init(|| {
            let at = |part: &str| {
                let start = part.as_ptr() as usize - source.as_ptr() as usize;
                start..start + part.len()
            };
            let mut buckets = vec![Vec::new(); BUCKETS];
            for (id, text) in source.lines().filter_map(entry) {
                if let Some(bucket) = buckets.get_mut(bucket(id)) {
                    bucket.push((at(id), at(text)));
                }
            }
            buckets
        });
        // Buckets by a hash of the id, each in the file's order, not sorted: a sort's code
        // would cost the pages more than a dozen comparisons cost a lookup. The first line
        // with an id wins.
        let (_, text) = index
            .get(bucket(id))?
            .iter()
            .find(|(k, _)| source.get(k.clone()) == Some(id))?;
        source.get(text.clone())
    }

    /// Every id with its text, in the file's order: the lines that read, each id once.
    pub fn entries(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for (id, text) in self.source.lines().filter_map(entry) {
            let ok = is_id(id) && pattern::write(text, &self.lang, &[]).is_ok();
            if ok && !out.iter().any(|(k, _)| *k == id) {
                out.push((id, text));
            }
        }
        out
    }

    /// The text of `id` with `args`, if this catalogue has it and it reads.
    pub fn format(&self, id: &str, args: &[(&str, Arg)]) -> Option<String> {
        let parts: Vec<(&str, Arg)>;
        let args = if args.iter().any(|(_, a)| matches!(a, Arg::Part(..))) {
            // Another message's part, in this language: none if this catalogue lacks it, so
            // that English stands in for the whole text rather than half of it.
            parts = args
                .iter()
                .map(|(name, arg)| match arg {
                    Arg::Part(m, "") => Some((*name, Arg::Text(self.format(m.id, &m.args)?))),
                    Arg::Part(m, part) => Some((*name, Arg::Text(self.format_part(m, part)?))),
                    arg => Some((*name, arg.clone())),
                })
                .collect::<Option<_>>()?;
            &parts[..]
        } else {
            args
        };
        pattern::write(self.get(id)?, &self.lang, args)
            .ok()
            .map(|(text, _)| text)
    }

    /// The text of a message's part (`id.part`, e.g. the title of an explanation).
    pub fn format_part(&self, message: &Message, part: &str) -> Option<String> {
        self.format(&format!("{}.{part}", message.id), &message.args)
    }
}
