//! Texts for students in their own language: catalogues of our own small format (one file
//! per language under `static/i18n/`), messages with arguments, and plural rules.
//!
//! Our own format rather than Fluent: a whole Fluent runtime would not fit the pages' size
//! budget, and these few rules (arguments, one/other plurals, comments) are all the texts
//! need. The format is described in `static/i18n/README.md`.

mod catalogue;
pub mod check;
mod message;
mod pattern;

pub use catalogue::{Catalogue, LineError};
pub use message::{Arg, Message};
pub use pattern::args;

/// The languages offered, by code, each named in its own language.
pub const LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
];

/// The English catalogue, built in: every other language falls back to it.
pub const ENGLISH_SOURCE: &str = include_str!("../../../../static/i18n/en.txt");

/// The built-in English catalogue.
pub fn english() -> &'static Catalogue {
    static EN: Catalogue = Catalogue::new(
        std::borrow::Cow::Borrowed("en"),
        std::borrow::Cow::Borrowed(ENGLISH_SOURCE),
    );
    &EN
}

/// Whether `n` takes the "one" form in `lang` (CLDR cardinal rules for whole numbers):
/// French counts 0 and 1 as one ("0 message"), English, German and Spanish only 1.
pub fn is_one(lang: &str, n: u64) -> bool {
    match lang {
        "fr" => n <= 1,
        _ => n == 1,
    }
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
