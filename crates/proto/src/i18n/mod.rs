//! Texts for students in their own language: catalogues of our own small format (one file
//! per language under `static/i18n/`), messages with arguments, and plural rules.
//!
//! Our own format rather than Fluent: a whole Fluent runtime would not fit the pages' size
//! budget, and these few rules (arguments, one/other plurals, comments) are all the texts
//! need. The format is described in `static/i18n/README.md`.

mod catalogue;
pub mod check;
mod language;
mod message;
mod pattern;
mod said;
mod text;

pub use catalogue::{Catalogue, LineError};
pub use language::Language;
pub use message::{Arg, Message};
pub use pattern::args;
pub use said::{Said, Value};
pub use text::Text;

/// The languages offered (`static/i18n/languages.txt`): a data file, so that a language is
/// added without touching the code.
pub const LANGUAGES_SOURCE: &str = include_str!("../../../../static/i18n/languages.txt");

/// The languages offered, in the menu's order: each code with its name in that language.
pub fn languages() -> impl Iterator<Item = (&'static str, &'static str)> {
    language_lines().filter(|(code, _)| !code.starts_with("one."))
}

/// The `key = value` lines of the languages file, comments and blank lines left out.
fn language_lines() -> impl Iterator<Item = (&'static str, &'static str)> {
    LANGUAGES_SOURCE.lines().filter_map(|line| {
        let line = line.trim();
        if line.starts_with('#') {
            return None;
        }
        let (key, value) = line.split_once('=')?;
        Some((key.trim(), value.trim()))
    })
}

/// The English catalogue, built in: every other language falls back to it.
/// It is `static/i18n/en.txt` without comments, and without the sections this build's page
/// never shows (build.rs).
pub const ENGLISH_SOURCE: &str = include_str!(concat!(env!("OUT_DIR"), "/en.txt"));

/// The built-in English catalogue.
pub fn english() -> &'static Catalogue {
    static EN: Catalogue = Catalogue::new(
        std::borrow::Cow::Borrowed("en"),
        std::borrow::Cow::Borrowed(ENGLISH_SOURCE),
    );
    &EN
}

/// Whether `n` takes the "one" form in `lang` (CLDR cardinal rules for whole numbers): 1,
/// and the numbers the languages file lists for it (French: 0 as well).
pub fn is_one(lang: &str, n: u64) -> bool {
    n == 1
        || language_lines()
            .find(|(key, _)| key.strip_prefix("one.") == Some(lang))
            .is_some_and(|(_, ones)| ones.split_whitespace().any(|o| o.parse() == Ok(n)))
}

/// A message, builds with its arguments: `msg!("smtp.reply.ok", verb = "MAIL")`. Arguments
/// are text or counts (`Arg`); a count chooses a plural form.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message {
            id: $id,
            args: vec![$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        }
    };
}

/// A text with its arguments: `text!("host.resolver")`, `text!("host.laptop", owner = "Alice")`.
/// One catalogue text (not an explanation's title and why, as `msg!` makes).
#[macro_export]
macro_rules! text {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Text::new($crate::msg!($id $(, $name = $value)*))
    };
}
