//! RFC 5322 header fields: where the header ends (§2.1), the fields in it with their
//! folded lines (§2.2.3), their unfolded values, and the two lexical pieces structured
//! fields share, comments and quoted strings (§3.2). [`header_value`] is the public reader.
//!
//! Values are unfolded and trimmed; encoded-words (RFC 2047) are left raw. When a field
//! occurs several times, the first one is used.

/// The unfolded, trimmed value of the first header field called `name` (ASCII
/// case-insensitive) in a message, as text: invalid UTF-8 is replaced with U+FFFD. Reads
/// only the header, up to the first empty line.
pub fn header_value(message: &[u8], name: &str) -> Option<String> {
    let (header, _, _) = split_header(message);
    first_value(fields(header), name).map(|v| String::from_utf8_lossy(&v).into_owned())
}

/// The line starting at `pos`: where its content ends (before CRLF or a bare LF) and where
/// the next line starts.
pub(crate) fn next_line(text: &[u8], pos: usize) -> (usize, usize) {
    let rest = text.get(pos..).unwrap_or_default();
    match rest.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let lf = pos + i;
            let content_end = if lf > pos && text.get(lf - 1) == Some(&b'\r') {
                lf - 1
            } else {
                lf
            };
            (content_end, lf + 1)
        }
        None => (text.len(), text.len()),
    }
}

/// Splits an entity into its header fields, the blank line and the body. RFC 5322 §2.1: "A
/// message consists of header fields ... optionally followed by a message body ...
/// separated from the header by an empty line". Without an empty line it is all header.
pub(crate) fn split_header(entity: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let mut pos = 0;
    while pos < entity.len() {
        let (content_end, next) = next_line(entity, pos);
        if content_end == pos {
            return (
                entity.get(..pos).unwrap_or_default(),
                entity.get(pos..next).unwrap_or_default(),
                entity.get(next..).unwrap_or_default(),
            );
        }
        pos = next;
    }
    (entity, &[], &[])
}

/// One header field with its continuation lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'m> {
    /// The field name (before the colon, trailing WSP removed), if the line has a colon.
    name: Option<&'m [u8]>,
    /// The whole field as stored, folding and line end included.
    pub(crate) raw: &'m [u8],
    /// Everything after the colon, still folded.
    value: &'m [u8],
}

impl<'m> Field<'m> {
    fn new(raw: &'m [u8]) -> Self {
        let first_line = raw.split(|&b| b == b'\n').next().unwrap_or_default();
        match first_line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let name = trim_wsp(raw.get(..colon).unwrap_or_default());
                Field {
                    name: (!name.is_empty()).then_some(name),
                    raw,
                    value: raw.get(colon + 1..).unwrap_or_default(),
                }
            }
            None => Field {
                name: None,
                raw,
                value: &[],
            },
        }
    }

    /// Whether the field is called `name`, ASCII case-insensitively.
    pub(crate) fn is_named(&self, name: &[u8]) -> bool {
        self.name.is_some_and(|n| n.eq_ignore_ascii_case(name))
    }

    /// The value unfolded and trimmed. "Unfolding is accomplished by simply removing any
    /// CRLF that is immediately followed by WSP." Inside one field every line end is
    /// followed by WSP but the last.
    pub(crate) fn unfolded(&self) -> Vec<u8> {
        let unfolded: Vec<u8> = self
            .value
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n')
            .collect();
        trim_wsp(&unfolded).to_vec()
    }
}

/// The fields of a header (without its blank line), in order. RFC 5322 §2.2.3: a line
/// starting with WSP continues the previous field.
pub(crate) fn fields(header: &[u8]) -> impl Iterator<Item = Field<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let start = pos;
        if start >= header.len() {
            return None;
        }
        pos = next_line(header, start).1;
        while pos < header.len() && matches!(header.get(pos), Some(b' ' | b'\t')) {
            pos = next_line(header, pos).1;
        }
        Some(Field::new(header.get(start..pos).unwrap_or_default()))
    })
}

/// The unfolded, trimmed value of the first field called `name` (case-insensitive).
pub(crate) fn first_value<'m>(
    fields: impl IntoIterator<Item = Field<'m>>,
    name: &str,
) -> Option<Vec<u8>> {
    fields
        .into_iter()
        .find(|f| f.is_named(name.as_bytes()))
        .map(|f| f.unfolded())
}

pub(crate) fn trim_wsp(v: &[u8]) -> &[u8] {
    let is_wsp = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = v.iter().position(|b| !is_wsp(b)).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !is_wsp(b)).map_or(start, |i| i + 1);
    v.get(start..end).unwrap_or_default()
}

#[cfg(feature = "mime-structure")]
/// Skips an RFC 5322 comment starting at the `(` at `start`; returns its text (nested
/// parentheses kept, quoted-pairs unescaped) and the index after it.
pub(crate) fn comment(v: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut text = Vec::new();
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = v.get(i) {
        i += 1;
        match b {
            b'\\' => i = quoted_pair(v, i, &mut text),
            b'(' => {
                depth += 1;
                if depth > 1 {
                    text.push(b);
                }
            }
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                text.push(b);
            }
            _ => text.push(b),
        }
    }
    (text, i)
}

#[cfg(feature = "mime-structure")]
/// A quoted-string starting at the `"` at `start`: its content with quoted-pairs
/// unescaped, and the index after it. An unterminated one runs to the end.
pub(crate) fn quoted(v: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut text = Vec::new();
    let mut i = start + 1;
    while let Some(&b) = v.get(i) {
        i += 1;
        match b {
            b'\\' => i = quoted_pair(v, i, &mut text),
            b'"' => break,
            _ => text.push(b),
        }
    }
    (text, i)
}

#[cfg(feature = "mime-structure")]
/// The octet a `quoted-pair = ("\" (VCHAR / WSP))` escapes (RFC 5322 §3.2.1), at `i`
/// just after the backslash: it joins `text` as it is; returns the index after it.
fn quoted_pair(v: &[u8], i: usize, text: &mut Vec<u8>) -> usize {
    match v.get(i) {
        Some(&escaped) => {
            text.push(escaped);
            i + 1
        }
        None => i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_reader_unfolds_and_stops_at_the_body() {
        let m = b"Subject: a\r\n folded\r\nFROM : x@y\r\n\r\nTo: not a header\r\n";
        assert_eq!(header_value(m, "subject").as_deref(), Some("a folded"));
        assert_eq!(header_value(m, "From").as_deref(), Some("x@y"));
        assert_eq!(header_value(m, "To"), None);
        assert_eq!(
            header_value(b"Subject: caf\xc3\xa9\n", "Subject").as_deref(),
            Some("café")
        );
    }
}
