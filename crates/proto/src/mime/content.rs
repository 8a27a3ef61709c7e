//! What an entity's MIME header fields say about it (RFC 2045 §5-6 Content-Type and
//! Content-Transfer-Encoding, RFC 2183 Content-Disposition, RFC 3282 Content-Language,
//! RFC 2557 Content-Location), normalised as IMAP shows it:
//! - Media type, subtype, parameter names, disposition type and transfer encoding are
//!   upper-cased (as in the RFC examples); parameter values are kept as written. A
//!   text/plain part without a charset gets `("CHARSET" "US-ASCII")` (RFC 2046 §4.1.2);
//!   other text subtypes get no default.
//! - Content-* fields are read whether or not MIME-Version is present.
//! - RFC 2231 continuations (`name*0`, `name*1*`, ...) are joined as RFC 9051 §7.5.2 asks;
//!   percent-encoding and charsets are not decoded (std only), the joined name gets a `*`.

use super::header::{comment, first_value, quoted, Field};

pub(crate) type Params = Vec<(Vec<u8>, Vec<u8>)>;

/// What the MIME header fields say about an entity, already normalised for output.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub(crate) mtype: Vec<u8>,
    pub(crate) subtype: Vec<u8>,
    pub(crate) params: Params,
    pub(crate) id: Option<Vec<u8>>,
    pub(crate) description: Option<Vec<u8>>,
    pub(crate) encoding: Vec<u8>,
    pub(crate) md5: Option<Vec<u8>>,
    pub(crate) disposition: Option<(Vec<u8>, Params)>,
    pub(crate) language: Vec<Vec<u8>>,
    pub(crate) location: Option<Vec<u8>>,
}

impl Content {
    /// RFC 2045 §5.2: "Default RFC 822 messages without a MIME Content-Type header are
    /// taken by this protocol to be plain text in the US-ASCII character set ... It is
    /// also recommended that this default be assumed when a syntactically invalid
    /// Content-Type header field is encountered."
    pub(crate) fn make_plain_text(&mut self) {
        self.mtype = b"TEXT".to_vec();
        self.subtype = b"PLAIN".to_vec();
        self.params = vec![(b"CHARSET".to_vec(), b"US-ASCII".to_vec())];
    }
}

/// The content of an entity with these header fields. `in_digest`: RFC 2046 §5.1.5, "in a
/// digest, the default Content-Type value for a body part is changed from "text/plain" to
/// "message/rfc822"".
pub(crate) fn content_of(fields: &[Field<'_>], in_digest: bool) -> Content {
    let value = |name: &str| first_value(fields.iter().copied(), name);
    let mut content = Content {
        mtype: b"TEXT".to_vec(),
        subtype: b"PLAIN".to_vec(),
        params: Vec::new(),
        id: value("Content-ID").filter(|v| !v.is_empty()),
        description: value("Content-Description").filter(|v| !v.is_empty()),
        // `body-fld-enc`: "Defaults to "7BIT" (as per RFC 2045) if not present in the body
        // part."
        encoding: value("Content-Transfer-Encoding")
            .and_then(|v| first_word(&mime_tokens(&v)))
            .map(|v| v.to_ascii_uppercase())
            .unwrap_or_else(|| b"7BIT".to_vec()),
        md5: value("Content-MD5").filter(|v| !v.is_empty()),
        disposition: value("Content-Disposition").and_then(|v| match mime_tokens(&v).as_slice() {
            [MTok::Atom(kind), rest @ ..] => Some((kind.to_ascii_uppercase(), parse_params(rest))),
            _ => None,
        }),
        // RFC 3282: a comma-separated list of language tags.
        language: value("Content-Language")
            .map(|v| {
                mime_tokens(&v)
                    .into_iter()
                    .filter_map(|t| match t {
                        MTok::Atom(a) | MTok::Quoted(a) => Some(a),
                        MTok::Special(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        // RFC 2557 §4.4.2: a folded URI is unfolded by removing the whitespace.
        location: value("Content-Location")
            .map(|v| {
                v.into_iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect::<Vec<u8>>()
            })
            .filter(|v| !v.is_empty()),
    };
    match value("Content-Type") {
        None if in_digest => {
            content.mtype = b"MESSAGE".to_vec();
            content.subtype = b"RFC822".to_vec();
        }
        None => content.make_plain_text(),
        Some(v) => match parse_content_type(&v) {
            Some((mtype, subtype, mut params)) => {
                // RFC 2046 §4.1.2: "The default character set, which must be assumed in
                // the absence of a charset parameter, is US-ASCII." Spelled out, as the
                // server is to compute the structure "defaulting various fields as
                // necessary" (RFC 9051 §7.5.2).
                if mtype == b"TEXT" && subtype == b"PLAIN" && param(&params, b"CHARSET").is_none() {
                    params.push((b"CHARSET".to_vec(), b"US-ASCII".to_vec()));
                }
                content.mtype = mtype;
                content.subtype = subtype;
                content.params = params;
            }
            None => content.make_plain_text(),
        },
    }
    content
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum MTok {
    Atom(Vec<u8>),
    Quoted(Vec<u8>),
    Special(u8),
}

/// RFC 2045: `tspecials := "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" / <">
/// / "/" / "[" / "]" / "?" / "="`
fn is_tspecial(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')'
            | b'<'
            | b'>'
            | b'@'
            | b','
            | b';'
            | b':'
            | b'\\'
            | b'"'
            | b'/'
            | b'['
            | b']'
            | b'?'
            | b'='
    )
}

/// Tokens of a structured MIME field, comments and whitespace dropped. 8-bit octets are
/// accepted in atoms, to keep what a sloppy sender wrote.
fn mime_tokens(v: &[u8]) -> Vec<MTok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&b) = v.get(i) {
        if b == b'(' {
            i = comment(v, i).1;
        } else if b == b'"' {
            let (text, next) = quoted(v, i);
            toks.push(MTok::Quoted(text));
            i = next;
        } else if b <= b' ' || b == 0x7f {
            i += 1;
        } else if is_tspecial(b) {
            toks.push(MTok::Special(b));
            i += 1;
        } else {
            let len = v
                .get(i..)
                .unwrap_or_default()
                .iter()
                .position(|&c| c <= b' ' || c == 0x7f || is_tspecial(c))
                .unwrap_or(v.len() - i);
            let next = i + len.max(1);
            toks.push(MTok::Atom(v.get(i..next).unwrap_or_default().to_vec()));
            i = next;
        }
    }
    toks
}

fn first_word(toks: &[MTok]) -> Option<Vec<u8>> {
    toks.iter().find_map(|t| match t {
        MTok::Atom(a) | MTok::Quoted(a) => Some(a.clone()),
        MTok::Special(_) => None,
    })
}

/// `content := "Content-Type" ":" type "/" subtype *(";" parameter)`; None when invalid.
fn parse_content_type(v: &[u8]) -> Option<(Vec<u8>, Vec<u8>, Params)> {
    match mime_tokens(v).as_slice() {
        [MTok::Atom(mtype), MTok::Special(b'/'), MTok::Atom(subtype), rest @ ..] => Some((
            mtype.to_ascii_uppercase(),
            subtype.to_ascii_uppercase(),
            parse_params(rest),
        )),
        _ => None,
    }
}

/// `parameter := attribute "=" value`, `value := token / quoted-string`; attribute names
/// are case-insensitive (RFC 2045 §5.1), so they are upper-cased. Lenient: an unquoted
/// value runs to the next ';' even through tspecials (`boundary=----=_Part_1` is common).
fn parse_params(toks: &[MTok]) -> Params {
    let mut params = Vec::new();
    // Whatever precedes the first ';' is not a parameter.
    for group in toks.split(|t| *t == MTok::Special(b';')).skip(1) {
        if let [MTok::Atom(name), MTok::Special(b'='), value @ ..] = group {
            if value.is_empty() {
                continue;
            }
            let mut text = Vec::new();
            for t in value {
                match t {
                    MTok::Atom(a) | MTok::Quoted(a) => text.extend_from_slice(a),
                    MTok::Special(c) => text.push(*c),
                }
            }
            params.push((name.to_ascii_uppercase(), text));
        }
    }
    merge_rfc2231(params)
}

pub(crate) fn param(params: &[(Vec<u8>, Vec<u8>)], name: &[u8]) -> Option<Vec<u8>> {
    params
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// `NAME*3` / `NAME*3*` as (NAME, 3, extended).
fn continuation(name: &[u8]) -> Option<(&[u8], u32, bool)> {
    let star = name.iter().position(|&b| b == b'*')?;
    let base = name.get(..star).filter(|b| !b.is_empty())?;
    let rest = name.get(star + 1..)?;
    let (digits, extended) = match rest.strip_suffix(b"*") {
        Some(d) => (d, true),
        None => (rest, false),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let index = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((base, index, extended))
}

/// RFC 9051 §7.5.2: "if the message contains parameters "baz*0", "baz*1", and "baz*2",
/// the server should decode them per \[RFC2231\], concatenate, and return the resulting
/// value as a parameter "baz". Similarly, if the message contains parameters "foo*0*" and
/// "foo*1*", ... return the resulting value as a parameter "foo*"." Charset conversion is
/// out of reach here, so an extended result keeps the RFC 2231 `charset'lang'%XX` form.
fn merge_rfc2231(params: Params) -> Params {
    use std::collections::BTreeMap;
    // Segments by base name, gathered first so that merging stays O(n log n).
    /// (index, extended, value) of one `NAME*index[*]` parameter.
    type Segment<'a> = (u32, bool, &'a [u8]);
    let mut segments: BTreeMap<&[u8], Vec<Segment<'_>>> = BTreeMap::new();
    for (name, value) in &params {
        if let Some((base, index, extended)) = continuation(name) {
            segments
                .entry(base)
                .or_default()
                .push((index, extended, value.as_slice()));
        }
    }
    let mut out: Params = Vec::new();
    for (name, value) in &params {
        let Some((base, _, _)) = continuation(name) else {
            out.push((name.clone(), value.clone()));
            continue;
        };
        // The merged parameter takes the place of the first segment met; `remove` makes
        // the later segments of the same name find nothing.
        let Some(mut parts) = segments.remove(base) else {
            continue;
        };
        parts.sort_by_key(|s| s.0);
        let extended = parts.iter().any(|s| s.1);
        let mut text = Vec::new();
        for (position, &(_, segment_extended, v)) in parts.iter().enumerate() {
            if !extended || segment_extended {
                text.extend_from_slice(v);
            } else {
                // A plain segment among extended ones: encode it like them.
                if position == 0 {
                    text.extend_from_slice(b"''");
                }
                percent_encode(&mut text, v);
            }
        }
        let mut merged_name = base.to_vec();
        if extended {
            merged_name.push(b'*');
        }
        out.push((merged_name, text));
    }
    out
}

/// RFC 2231 `attribute-char` stays, everything else becomes `%XX`.
fn percent_encode(out: &mut Vec<u8>, v: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in v {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b);
        } else {
            out.push(b'%');
            out.extend(HEX.get(usize::from(b >> 4)));
            out.extend(HEX.get(usize::from(b & 0x0f)));
        }
    }
}
