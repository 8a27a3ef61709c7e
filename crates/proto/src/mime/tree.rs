//! The entity tree (RFC 2045 §2.4, RFC 2046 §5): every message and body part as its header
//! fields, the blank line after them and its body, all slices of the message's octets, so
//! sizes, line counts and section texts are exactly the stored octets. Multiparts are split
//! at their boundaries and message/rfc822 parts read as the messages they hold.
//!
//! Malformed MIME (bad Content-Type, multipart without boundary or parts, message/rfc822
//! with a non-identity transfer encoding, nesting deeper than `MAX_DEPTH`) is shown as
//! `text/plain; charset=us-ascii`, the RFC 2045 §5.2 default.

#[cfg(feature = "mime-structure")]
use super::content::{content_of, param, Content};
#[cfg(feature = "mime-structure")]
use super::header::next_line;
use super::header::{fields, split_header, Field};

#[cfg(feature = "mime-structure")]
/// How deep multiparts and encapsulated messages are followed; deeper ones are shown as
/// text/plain so that hostile nesting cannot exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 32;

/// A message or body part: its header, the blank line after it and its body.
#[derive(Debug)]
pub(crate) struct Entity<'m> {
    /// The header as HEADER and MIME return it: the fields and the blank line.
    pub(crate) header: &'m [u8],
    /// The header fields, in order.
    pub(crate) fields: Vec<Field<'m>>,
    /// The blank line ending the header; empty when there is none.
    pub(crate) blank: &'m [u8],
    pub(crate) body: &'m [u8],
    #[cfg(feature = "mime-structure")]
    pub(crate) content: Content,
    pub(crate) kind: Kind<'m>,
}

/// Without MIME structure every entity is a leaf: the message is its header and its body.
#[cfg_attr(not(feature = "mime-structure"), allow(dead_code))]
#[derive(Debug)]
pub(crate) enum Kind<'m> {
    Leaf,
    /// Invariant: at least one part (`body-type-mpart = 1*body ...`).
    Multipart(Vec<Entity<'m>>),
    /// A message/rfc822 or message/global part and the message it encapsulates.
    Message(Box<Entity<'m>>),
}

/// Parses the entity made of the octets `entity`. `in_digest`: whether it is a part of a
/// multipart/digest, whose parts default to message/rfc822.
pub(crate) fn parse_entity(entity: &[u8], depth: usize, in_digest: bool) -> Entity<'_> {
    let (field_octets, blank, body) = split_header(entity);
    let header = entity
        .get(..field_octets.len() + blank.len())
        .unwrap_or_default();
    let fields: Vec<Field<'_>> = fields(field_octets).collect();
    #[cfg(not(feature = "mime-structure"))]
    {
        let _ = (depth, in_digest);
        Entity {
            header,
            fields,
            blank,
            body,
            kind: Kind::Leaf,
        }
    }
    #[cfg(feature = "mime-structure")]
    {
        let mut content = content_of(&fields, in_digest);
        let kind = structure(&mut content, body, depth);
        Entity {
            header,
            fields,
            blank,
            body,
            content,
            kind,
        }
    }
}

/// The parts of a multipart and the message a message/rfc822 holds; `content` falls back
/// to text/plain when they cannot be read.
#[cfg(feature = "mime-structure")]
fn structure<'m>(content: &mut Content, body: &'m [u8], depth: usize) -> Kind<'m> {
    if content.mtype == b"MULTIPART" {
        // Lenient about a non-identity Content-Transfer-Encoding on a multipart (RFC 2045
        // §6.4 forbids it): the boundaries are still there to be found.
        let boundary = param(&content.params, b"BOUNDARY").filter(|b| !b.is_empty());
        let parts = match boundary {
            Some(b) if depth < MAX_DEPTH => split_multipart(body, &b),
            _ => Vec::new(),
        };
        if parts.is_empty() {
            content.make_plain_text();
            return Kind::Leaf;
        }
        let digest = content.subtype == b"DIGEST";
        Kind::Multipart(
            parts
                .into_iter()
                .map(|p| parse_entity(p, depth + 1, digest))
                .collect(),
        )
    } else if content.mtype == b"MESSAGE"
        && (content.subtype == b"RFC822" || content.subtype == b"GLOBAL")
    {
        // RFC 2046 §5.2.1: "No encoding other than "7bit", "8bit", or "binary" is
        // permitted for the body of a "message/rfc822" entity." -- an encoded one cannot
        // be parsed as a message, and `body-type-basic` forbids MESSAGE/RFC822.
        let identity = matches!(content.encoding.as_slice(), b"7BIT" | b"8BIT" | b"BINARY");
        if identity && depth < MAX_DEPTH {
            Kind::Message(Box::new(parse_entity(body, depth + 1, false)))
        } else {
            content.make_plain_text();
            Kind::Leaf
        }
    } else {
        Kind::Leaf
    }
}

#[cfg(feature = "mime-structure")]
/// Splits a multipart body into its body parts (RFC 2046 §5.1.1). The preamble and the
/// epilogue are dropped; a missing close-delimiter ends the last part at the end of the
/// body.
fn split_multipart<'m>(body: &'m [u8], boundary: &[u8]) -> Vec<&'m [u8]> {
    let mut parts = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut pos = 0;
    while pos < body.len() {
        let (content_end, next) = next_line(body, pos);
        let line = body.get(pos..content_end).unwrap_or_default();
        if let Some(close) = delimiter(line, boundary) {
            if let Some(start) = part_start {
                // "The CRLF preceding the boundary delimiter line is conceptually attached
                // to the boundary so that it is possible to have a part that does not end
                // with a CRLF (line break)."
                let end = strip_line_end_before(body, start, pos);
                parts.push(body.get(start..end).unwrap_or_default());
            }
            if close {
                return parts;
            }
            part_start = Some(next);
        }
        pos = next;
    }
    if let Some(start) = part_start {
        parts.push(body.get(start..).unwrap_or_default());
    }
    parts
}

#[cfg(feature = "mime-structure")]
/// `Some(is_close)` when `line` (without its line end) is `"--" boundary *LWSP` or the
/// close-delimiter `"--" boundary "--"`. Trailing text after a boundary makes it another
/// line, so a boundary that is a prefix of a nested one does not match it.
fn delimiter(line: &[u8], boundary: &[u8]) -> Option<bool> {
    let rest = line.strip_prefix(b"--")?.strip_prefix(boundary)?;
    if rest.starts_with(b"--") {
        Some(true)
    } else if rest.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
        Some(false)
    } else {
        None
    }
}

#[cfg(feature = "mime-structure")]
/// The end of a part whose next delimiter line starts at `line_start`: before the CRLF
/// (or bare LF) preceding it, but never before the part's own start.
fn strip_line_end_before(body: &[u8], start: usize, line_start: usize) -> usize {
    let mut end = line_start;
    if end > start && body.get(end - 1) == Some(&b'\n') {
        end -= 1;
        if end > start && body.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
    }
    end
}
