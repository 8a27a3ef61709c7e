//! Section specifications of `BODY[...]` and `BINARY[...]` (RFC 9051 §6.4.5) and the octets
//! they name in a parsed message: part numbers walk the entity tree, then HEADER,
//! HEADER.FIELDS[.NOT], TEXT or MIME take a piece of the entity found.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::mime::tree::{Entity, Kind};
use crate::mime::Parsed;

/// A section specification of `BODY[...]` (RFC 9051 §6.4.5), already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText {
    /// `HEADER`: the RFC 5322 header, blank line included.
    Header,
    /// `HEADER.FIELDS (name ...)`: only the named fields, then the blank line.
    HeaderFields(Vec<String>),
    /// `HEADER.FIELDS.NOT (name ...)`: all but the named fields, then the blank line.
    HeaderFieldsNot(Vec<String>),
    /// `TEXT`: the body, without the header.
    Text,
    /// `MIME`: the MIME header of a body part; needs a part number.
    Mime,
}

/// A whole section specification: part numbers, then an optional text specifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Part numbers; empty = the whole message.
    pub part: Vec<u32>,
    /// What to take from that part; None = the part's body (or the whole message).
    pub text: Option<SectionText>,
}

/// The octets of `BODY[section]` (before any `<partial>` is applied), or None if the part
/// does not exist.
pub fn section(parsed: &Parsed<'_>, section: &Section) -> Option<Vec<u8>> {
    let root = parsed.root();
    if section.part.is_empty() {
        return match &section.text {
            // "An empty section specification refers to the entire message, including the
            // header."
            None => Some(parsed.message().to_vec()),
            // "The MIME part specifier MUST be prefixed by one or more numeric part
            // specifiers."
            Some(SectionText::Mime) => None,
            Some(text) => Some(message_text(root, text)),
        };
    }
    let part = resolve(root, &section.part)?;
    match &section.text {
        None => Some(part.body.to_vec()),
        // "The MIME part specifier refers to the [MIME-IMB] header for this part."
        Some(SectionText::Mime) => Some(part.header.to_vec()),
        // HEADER, HEADER.FIELDS[.NOT] and TEXT after a part number are allowed only
        // "provided that the numeric part specifier refers to a part of type
        // MESSAGE/RFC822 or MESSAGE/GLOBAL".
        Some(text) => match &part.kind {
            Kind::Message(inner) => Some(message_text(inner, text)),
            _ => None,
        },
    }
}

/// What FETCH BINARY (RFC 9051 §6.4.5) finds at a part number.
#[cfg(feature = "imap4rev2")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryPart {
    /// No such part.
    Missing,
    /// A multipart or message part: "this data item can only be requested for leaf body
    /// parts".
    NotLeaf,
    /// A leaf part's body as stored, its Content-Transfer-Encoding (upper case) and whether
    /// its media type is TEXT.
    Leaf {
        body: Vec<u8>,
        encoding: Vec<u8>,
        text: bool,
    },
}

/// The part `part` (non-empty) of a parsed message, for FETCH BINARY.
#[cfg(feature = "imap4rev2")]
pub fn binary_part(parsed: &Parsed<'_>, part: &[u32]) -> BinaryPart {
    match resolve(parsed.root(), part) {
        None => BinaryPart::Missing,
        Some(e) => match e.kind {
            Kind::Leaf => BinaryPart::Leaf {
                body: e.body.to_vec(),
                encoding: e.content.encoding.clone(),
                text: e.content.mtype == b"TEXT",
            },
            Kind::Multipart(_) | Kind::Message(_) => BinaryPart::NotLeaf,
        },
    }
}

/// Finds the entity a part number names (RFC 9051 §6.4.5): "Every message has at least one
/// part number. Messages that do not use MIME, and MIME messages that are not multipart
/// and have no encapsulated message within them, only have a part 1." and "A part of type
/// MESSAGE/RFC822 or MESSAGE/GLOBAL also has nested part numbers, referring to parts of
/// the MESSAGE part's body."
fn resolve<'e, 'm>(root: &'e Entity<'m>, path: &[u32]) -> Option<&'e Entity<'m>> {
    let mut cur = root;
    // True while `cur` is a message (top level or encapsulated) not yet numbered into: its
    // body is then "part 1" unless it is multipart.
    let mut at_message = true;
    for &n in path {
        if n == 0 {
            return None;
        }
        if !at_message {
            if let Kind::Message(inner) = &cur.kind {
                cur = inner;
                at_message = true;
            }
        }
        match &cur.kind {
            Kind::Multipart(children) => {
                cur = children.get(usize::try_from(n - 1).ok()?)?;
                at_message = false;
            }
            // A non-multipart message: part 1 is its body, which is the entity itself.
            _ if at_message && n == 1 => at_message = false,
            _ => return None,
        }
    }
    Some(cur)
}

/// HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT or TEXT of a (top-level or encapsulated)
/// message.
fn message_text(e: &Entity<'_>, text: &SectionText) -> Vec<u8> {
    match text {
        SectionText::Header | SectionText::Mime => e.header.to_vec(),
        SectionText::HeaderFields(names) => header_subset(e, names, true),
        SectionText::HeaderFieldsNot(names) => header_subset(e, names, false),
        // "The TEXT part specifier refers to the text body of the message, omitting the
        // [RFC5322] header."
        SectionText::Text => e.body.to_vec(),
    }
}

/// "The subset returned by HEADER.FIELDS contains only those header fields with a
/// field-name that matches one of the names in the list; similarly, the subset returned by
/// HEADER.FIELDS.NOT contains only the header fields with a non-matching field-name. The
/// field-matching is ASCII-range case insensitive but is otherwise exact. Subsetting does
/// not exclude the \[RFC5322\] delimiting blank line between the header and the body; the
/// blank line is included in all header fetches, except in the case of a message that has
/// no body and no blank line."
fn header_subset(e: &Entity<'_>, names: &[String], keep_matching: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for field in &e.fields {
        let matches = names.iter().any(|w| field.is_named(w.as_bytes()));
        if matches == keep_matching {
            // Raw octets, folding included: only a field that ends the header without a
            // line end lacks one, and it stays last here too.
            out.extend_from_slice(field.raw);
        }
    }
    out.extend_from_slice(e.blank);
    out
}
