//! The MIME view of an RFC 5322 message (RFC 5322, RFC 2045-2046, RFC 2231), parsed once:
//! [`Parsed::new`] reads the message into a tree of entities whose headers and bodies are
//! slices of the original octets, and every later query (IMAP's ENVELOPE, BODYSTRUCTURE,
//! sections and BINARY parts) reads that tree instead of parsing again.
//!
//! Without the `mime-structure` feature the tree is a single entity, the message's header
//! and body, which is all the header reader and whole-message sections need.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(feature = "mime-structure")]
pub(crate) mod address;
#[cfg(feature = "mime-structure")]
pub(crate) mod content;
pub(crate) mod header;
#[cfg(feature = "imap4rev2")]
mod transfer;
pub(crate) mod tree;

pub use header::header_value;
#[cfg(feature = "imap4rev2")]
pub use transfer::{decode_transfer, Undecodable};

use tree::{parse_entity, Entity};

/// A message parsed once: its entity tree over the message's octets.
#[derive(Debug)]
pub struct Parsed<'m> {
    message: &'m [u8],
    root: Entity<'m>,
}

impl<'m> Parsed<'m> {
    /// Parses `message` (any octets: malformed parts fall back to RFC 2045's defaults).
    pub fn new(message: &'m [u8]) -> Self {
        Parsed {
            message,
            root: parse_entity(message, 0, false),
        }
    }

    /// The message's octets, as given.
    pub fn message(&self) -> &'m [u8] {
        self.message
    }

    /// The top-level entity: the message itself.
    pub(crate) fn root(&self) -> &Entity<'m> {
        &self.root
    }
}

/// A message parsed the first time a query needs it, then reused: a FETCH of several items,
/// or a SEARCH of several keys, parses each message at most once, and not at all when no
/// item needs its structure.
#[derive(Debug)]
pub struct LazyParsed<'m> {
    message: &'m [u8],
    parsed: std::cell::OnceCell<Parsed<'m>>,
}

impl<'m> LazyParsed<'m> {
    pub fn new(message: &'m [u8]) -> Self {
        LazyParsed {
            message,
            parsed: std::cell::OnceCell::new(),
        }
    }

    /// The message's octets, as given.
    pub fn message(&self) -> &'m [u8] {
        self.message
    }

    /// The parsed message, parsed now if no query asked before.
    pub fn get(&self) -> &Parsed<'m> {
        self.parsed.get_or_init(|| Parsed::new(self.message))
    }
}
