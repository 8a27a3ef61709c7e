//! FETCH data items straight from a message's octets, one parse per call: ENVELOPE,
//! BODY / BODYSTRUCTURE, `BODY[section]` and BINARY's part. For several items of one
//! message, parse once with [`Parsed::new`] and ask [`super::body`] and
//! [`super::section`] instead.

#[cfg(feature = "mime-structure")]
use super::body;
pub use super::encode::nstring;
use super::section as sections;
#[cfg(feature = "imap4rev2")]
pub use super::section::BinaryPart;
pub use super::section::{Section, SectionText};
use crate::mime::Parsed;

#[cfg(feature = "mime-structure")]
/// ENVELOPE as IMAP syntax (see [`body::envelope`]).
pub fn envelope(message: &[u8]) -> String {
    body::envelope(&Parsed::new(message))
}

#[cfg(feature = "mime-structure")]
/// BODYSTRUCTURE (extensible = true) or BODY (extensible = false) as IMAP syntax (see
/// [`body::body_structure`]).
pub fn body_structure(message: &[u8], extensible: bool) -> String {
    body::body_structure(&Parsed::new(message), extensible)
}

/// The octets of `BODY[section]` (before any `<partial>` is applied), or None if the part
/// does not exist (see [`sections::section`]).
pub fn section(message: &[u8], section: &Section) -> Option<Vec<u8>> {
    sections::section(&Parsed::new(message), section)
}

/// The part `part` (non-empty) of `message`, for FETCH BINARY (see
/// [`sections::binary_part`]).
#[cfg(feature = "imap4rev2")]
pub fn binary_part(message: &[u8], part: &[u32]) -> BinaryPart {
    sections::binary_part(&Parsed::new(message), part)
}

#[cfg(all(test, feature = "mime-structure"))]
mod tests;
