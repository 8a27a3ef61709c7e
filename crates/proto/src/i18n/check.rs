//! How a catalogue differs from the English one: ids it lacks, ids nobody uses, texts whose
//! arguments differ. What `scripts/i18n-check` reports and the tests require to be empty.

use super::{args, Catalogue};

/// The differences of one catalogue from the reference (English).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Differences {
    /// Ids the reference has and this catalogue lacks (English is shown for them).
    pub missing: Vec<String>,
    /// Ids this catalogue has and the reference does not (no page asks for them).
    pub unused: Vec<String>,
    /// Ids whose texts use other arguments: the id, the reference's, this catalogue's.
    pub arguments: Vec<(String, Vec<String>, Vec<String>)>,
}

impl Differences {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unused.is_empty() && self.arguments.is_empty()
    }
}

/// Compares `other` with `reference`, id by id.
pub fn compare(reference: &Catalogue, other: &Catalogue) -> Differences {
    let mut d = Differences::default();
    let theirs = other.entries();
    for (id, text) in reference.entries() {
        match theirs.iter().find(|(k, _)| *k == id) {
            None => d.missing.push(id.to_string()),
            Some((_, t)) if args(t) != args(text) => {
                d.arguments.push((id.to_string(), args(text), args(t)))
            }
            Some(_) => {}
        }
    }
    d.unused = theirs
        .iter()
        .filter(|(id, _)| reference.get(id).is_none())
        .map(|(id, _)| id.to_string())
        .collect();
    d
}
