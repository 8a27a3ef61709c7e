//! IMAP FETCH data items computed from the raw octets of an RFC 5322 message: ENVELOPE,
//! BODY / BODYSTRUCTURE and the text of `BODY[section]` (RFC 9051 §6.4.5, §7.5.2 and §9;
//! RFC 3501 agrees, except that it knows no message/global and no UTF-8 quoted strings).
//!
//! The message is parsed once into a tree of byte ranges (`Entity`) over the original
//! octets, so that sizes, line counts and section texts are exactly the stored octets; only
//! header values are copied out (unfolded) when a string is needed.
//!
//! Choices where the RFCs leave room, so the explorer can explain them:
//! - Strings are quoted (`"` and `\` escaped) when they are 7-bit without NUL, CR or LF
//!   (RFC 3501 `QUOTED-CHAR`, also valid IMAP4rev2); anything else is sent as a literal
//!   `{n}\r\n...`. [`envelope`] and [`body_structure`] return a `String`: for valid UTF-8
//!   the literal is byte-exact; invalid UTF-8 is replaced with U+FFFD first and `n` counts
//!   the replaced text, so the output always stays self-consistent. [`nstring`] is exact.
//!   A NUL octet is sent in a literal too, although `literal` only allows `CHAR8`
//!   (%x01-ff): IMAP has no legal way to send it outside BINARY's `literal8`.
//! - Header values are unfolded (RFC 5322 §2.2.3) and trimmed; encoded-words are left raw.
//!   When a field occurs several times, the first one is used.
//! - `user@host (Full Name)`: with no display name, the comment becomes the addr-name.
//! - An address without a domain gets the empty string as host, because a NIL host would
//!   read as a group marker (RFC 9051 §7.5.2).
//! - Media type, subtype, parameter names, disposition type and transfer encoding are
//!   upper-cased (as in the RFC examples); parameter values are kept as written. A
//!   text/plain part without a charset gets `("CHARSET" "US-ASCII")` (RFC 2046 §4.1.2);
//!   other text subtypes get no default.
//! - Content-* fields are read whether or not MIME-Version is present.
//! - RFC 2231 continuations (`name*0`, `name*1*`, ...) are joined as RFC 9051 §7.5.2 asks;
//!   percent-encoding and charsets are not decoded (std only), the joined name gets a `*`.
//! - Text line count: the number of line ends, plus one for a final line without one.
//! - Malformed MIME (bad Content-Type, multipart without boundary or parts, message/rfc822
//!   with a non-identity transfer encoding, nesting deeper than `MAX_DEPTH`) is shown as
//!   `text/plain; charset=us-ascii`, the RFC 2045 §5.2 default.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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

#[cfg(feature = "mime-structure")]
/// ENVELOPE as IMAP syntax: ("date" "subject" (from) (sender) (reply-to) (to) (cc) (bcc)
/// "in-reply-to" "message-id"), with NIL where absent; sender and reply-to default to from
/// (RFC 9051 §7.5.2).
pub fn envelope(message: &[u8]) -> String {
    let (fields, _, _) = split_header(message, Span::new(0, message.len()));
    let mut out = String::new();
    write_envelope(&mut out, &parse_fields(message, fields));
    out
}

#[cfg(feature = "mime-structure")]
/// BODYSTRUCTURE (extensible = true, with extension data) or BODY (extensible = false) as
/// IMAP syntax.
pub fn body_structure(message: &[u8], extensible: bool) -> String {
    let root = parse_message(message);
    let mut out = String::new();
    write_body(&mut out, message, &root, extensible);
    out
}

/// The octets of `BODY[section]` (before any `<partial>` is applied), or None if the part
/// does not exist.
pub fn section(message: &[u8], section: &Section) -> Option<Vec<u8>> {
    let root = parse_message(message);
    if section.part.is_empty() {
        return match &section.text {
            // "An empty section specification refers to the entire message, including the
            // header."
            None => Some(message.to_vec()),
            // "The MIME part specifier MUST be prefixed by one or more numeric part
            // specifiers."
            Some(SectionText::Mime) => None,
            Some(text) => Some(message_text(message, &root, text)),
        };
    }
    let part = resolve(&root, &section.part)?;
    match &section.text {
        None => Some(part.body.bytes(message).to_vec()),
        // "The MIME part specifier refers to the [MIME-IMB] header for this part."
        Some(SectionText::Mime) => Some(part.header().bytes(message).to_vec()),
        // HEADER, HEADER.FIELDS[.NOT] and TEXT after a part number are allowed only
        // "provided that the numeric part specifier refers to a part of type
        // MESSAGE/RFC822 or MESSAGE/GLOBAL".
        Some(text) => match &part.kind {
            Kind::Message(inner) => Some(message_text(message, inner, text)),
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

/// The part `part` (non-empty) of `message`, for FETCH BINARY.
#[cfg(feature = "imap4rev2")]
pub fn binary_part(message: &[u8], part: &[u32]) -> BinaryPart {
    let root = parse_message(message);
    match resolve(&root, part) {
        None => BinaryPart::Missing,
        Some(e) => match e.kind {
            Kind::Leaf => BinaryPart::Leaf {
                body: e.body.bytes(message).to_vec(),
                encoding: e.content.encoding.clone(),
                text: e.content.mtype == b"TEXT",
            },
            Kind::Multipart(_) | Kind::Message(_) => BinaryPart::NotLeaf,
        },
    }
}

/// An IMAP string for arbitrary octets: a quoted string when possible (escaping `\` and
/// `"`), else a literal `{n}\r\n...`; `NIL` for None.
pub fn nstring(value: Option<&[u8]>) -> Vec<u8> {
    match value {
        None => b"NIL".to_vec(),
        Some(v) if quotable(v) => {
            let mut out = Vec::with_capacity(v.len() + 2);
            out.push(b'"');
            for &b in v {
                if b == b'"' || b == b'\\' {
                    out.push(b'\\');
                }
                out.push(b);
            }
            out.push(b'"');
            out
        }
        Some(v) => {
            let mut out = format!("{{{}}}\r\n", v.len()).into_bytes();
            out.extend_from_slice(v);
            out
        }
    }
}

// ---------------------------------------------------------------------------------------
// IMAP output
// ---------------------------------------------------------------------------------------

/// RFC 3501: `QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials`,
/// `TEXT-CHAR = <any CHAR except CR and LF>` and `CHAR = %x01-7F`. IMAP4rev2 would also
/// allow UTF-8 in quoted strings, but only after ENABLE, so 8-bit always goes in a literal.
fn quotable(v: &[u8]) -> bool {
    v.iter()
        .all(|&b| b != 0 && b != b'\r' && b != b'\n' && b < 0x80)
}

#[cfg(feature = "mime-structure")]
/// `string` into a `String` (see the module notes for 8-bit values).
fn write_string(out: &mut String, v: &[u8]) {
    if quotable(v) {
        out.push('"');
        for &b in v {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
        out.push('"');
    } else {
        let text = String::from_utf8_lossy(v);
        out.push('{');
        out.push_str(&text.len().to_string());
        out.push_str("}\r\n");
        out.push_str(&text);
    }
}

#[cfg(feature = "mime-structure")]
fn write_nstring(out: &mut String, v: Option<&[u8]>) {
    match v {
        Some(v) => write_string(out, v),
        None => out.push_str("NIL"),
    }
}

#[cfg(feature = "mime-structure")]
/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
/// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`
fn write_envelope(out: &mut String, fields: &[Field<'_>]) {
    let from = addresses(fields, "From");
    let sender = addresses(fields, "Sender");
    let reply_to = addresses(fields, "Reply-To");
    // "If the Sender or Reply-To header fields are absent in the [RFC5322] header, or are
    // present but empty, the server sets the corresponding member of the envelope to be
    // the same value as the from member."
    let sender = if sender.is_empty() { &from } else { &sender };
    let reply_to = if reply_to.is_empty() {
        &from
    } else {
        &reply_to
    };

    out.push('(');
    // "If the Date, Subject, In-Reply-To, and Message-ID header fields are absent ... the
    // corresponding member of the envelope is NIL; if these header fields are present but
    // empty, the corresponding member of the envelope is the empty string."
    write_nstring(out, header_value(fields, "Date").as_deref());
    out.push(' ');
    write_nstring(out, header_value(fields, "Subject").as_deref());
    for list in [
        &from,
        sender,
        reply_to,
        &addresses(fields, "To"),
        &addresses(fields, "Cc"),
        &addresses(fields, "Bcc"),
    ] {
        out.push(' ');
        write_address_list(out, list);
    }
    out.push(' ');
    write_nstring(out, header_value(fields, "In-Reply-To").as_deref());
    out.push(' ');
    write_nstring(out, header_value(fields, "Message-ID").as_deref());
    out.push(')');
}

#[cfg(feature = "mime-structure")]
/// `env-from = "(" 1*address ")" / nil` -- note there is no SP between addresses.
fn write_address_list(out: &mut String, list: &[Address]) {
    if list.is_empty() {
        // "If the From, To, Cc, and Bcc header fields are absent ... or are present but
        // empty, the corresponding member of the envelope is NIL."
        out.push_str("NIL");
        return;
    }
    out.push('(');
    for a in list {
        // `address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`
        out.push('(');
        write_nstring(out, a.name.as_deref());
        out.push(' ');
        write_nstring(out, a.adl.as_deref());
        out.push(' ');
        write_nstring(out, a.mailbox.as_deref());
        out.push(' ');
        write_nstring(out, a.host.as_deref());
        out.push(')');
    }
    out.push(')');
}

#[cfg(feature = "mime-structure")]
/// `body = "(" (body-type-1part / body-type-mpart) ")"`
fn write_body(out: &mut String, msg: &[u8], e: &Entity, ext: bool) {
    let c = &e.content;
    out.push('(');
    if let Kind::Multipart(children) = &e.kind {
        // `body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]` -- the nested
        // bodies follow each other with no SP in between.
        for child in children {
            write_body(out, msg, child, ext);
        }
        out.push(' ');
        write_string(out, &c.subtype);
        if ext {
            // `body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang
            //  [SP body-fld-loc *(SP body-extension)]]]`
            out.push(' ');
            write_params(out, &c.params);
            write_dsp_lang_loc(out, c);
        }
    } else {
        // `body-type-basic = media-basic SP body-fields`, `body-fields = body-fld-param SP
        // body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets`
        write_string(out, &c.mtype);
        out.push(' ');
        write_string(out, &c.subtype);
        out.push(' ');
        write_params(out, &c.params);
        out.push(' ');
        write_nstring(out, c.id.as_deref());
        out.push(' ');
        write_nstring(out, c.description.as_deref());
        out.push(' ');
        write_string(out, &c.encoding);
        out.push(' ');
        // "Note that this size is the size in its transfer encoding and not the resulting
        // size after any decoding."
        out.push_str(&e.body.len().to_string());
        if let Kind::Message(inner) = &e.kind {
            // `body-type-msg = media-message SP body-fields SP envelope SP body SP
            // body-fld-lines`
            out.push(' ');
            write_envelope(out, &parse_fields(msg, inner.fields));
            out.push(' ');
            write_body(out, msg, inner, ext);
            out.push(' ');
            out.push_str(&count_lines(e.body.bytes(msg)).to_string());
        } else if c.mtype == b"TEXT" {
            // `body-type-text = media-text SP body-fields SP body-fld-lines`
            out.push(' ');
            out.push_str(&count_lines(e.body.bytes(msg)).to_string());
        }
        if ext {
            // `body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
            //  [SP body-fld-loc *(SP body-extension)]]]`
            out.push(' ');
            write_nstring(out, c.md5.as_deref());
            write_dsp_lang_loc(out, c);
        }
    }
    out.push(')');
}

#[cfg(feature = "mime-structure")]
/// `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`
fn write_params(out: &mut String, params: &[(Vec<u8>, Vec<u8>)]) {
    if params.is_empty() {
        out.push_str("NIL");
        return;
    }
    out.push('(');
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_string(out, name);
        out.push(' ');
        write_string(out, value);
    }
    out.push(')');
}

#[cfg(feature = "mime-structure")]
/// The three extension fields shared by both body kinds, each preceded by SP:
/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`,
/// `body-fld-lang = nstring / "(" string *(SP string) ")"`, `body-fld-loc = nstring`.
fn write_dsp_lang_loc(out: &mut String, c: &Content) {
    out.push(' ');
    match &c.disposition {
        Some((kind, params)) => {
            out.push('(');
            write_string(out, kind);
            out.push(' ');
            write_params(out, params);
            out.push(')');
        }
        None => out.push_str("NIL"),
    }
    out.push(' ');
    match c.language.as_slice() {
        [] => out.push_str("NIL"),
        [one] => write_string(out, one),
        many => {
            out.push('(');
            for (i, tag) in many.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_string(out, tag);
            }
            out.push(')');
        }
    }
    out.push(' ');
    write_nstring(out, c.location.as_deref());
}

#[cfg(feature = "mime-structure")]
/// RFC 9051 §7.5.2 does not define "text lines" further; count line ends, plus one for a
/// last line that has none (the CRLF before a boundary belongs to the boundary, RFC 2046
/// §5.1.1, so a body part's last line usually has none).
fn count_lines(body: &[u8]) -> usize {
    let ends = body.iter().filter(|&&b| b == b'\n').count();
    match body.last() {
        Some(&b'\n') | None => ends,
        Some(_) => ends + 1,
    }
}

// ---------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------

/// Finds the entity a part number names (RFC 9051 §6.4.5): "Every message has at least one
/// part number. Messages that do not use MIME, and MIME messages that are not multipart
/// and have no encapsulated message within them, only have a part 1." and "A part of type
/// MESSAGE/RFC822 or MESSAGE/GLOBAL also has nested part numbers, referring to parts of
/// the MESSAGE part's body."
fn resolve<'e>(root: &'e Entity, path: &[u32]) -> Option<&'e Entity> {
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
fn message_text(msg: &[u8], e: &Entity, text: &SectionText) -> Vec<u8> {
    match text {
        SectionText::Header | SectionText::Mime => e.header().bytes(msg).to_vec(),
        SectionText::HeaderFields(names) => header_subset(msg, e, names, true),
        SectionText::HeaderFieldsNot(names) => header_subset(msg, e, names, false),
        // "The TEXT part specifier refers to the text body of the message, omitting the
        // [RFC5322] header."
        SectionText::Text => e.body.bytes(msg).to_vec(),
    }
}

/// "The subset returned by HEADER.FIELDS contains only those header fields with a
/// field-name that matches one of the names in the list; similarly, the subset returned by
/// HEADER.FIELDS.NOT contains only the header fields with a non-matching field-name. The
/// field-matching is ASCII-range case insensitive but is otherwise exact. Subsetting does
/// not exclude the \[RFC5322\] delimiting blank line between the header and the body; the
/// blank line is included in all header fetches, except in the case of a message that has
/// no body and no blank line."
fn header_subset(msg: &[u8], e: &Entity, names: &[String], keep_matching: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for field in parse_fields(msg, e.fields) {
        let matches = field
            .name
            .is_some_and(|n| names.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(n)));
        if matches == keep_matching {
            // Raw octets, folding included: only a field that ends the header without a
            // line end lacks one, and it stays last here too.
            out.extend_from_slice(field.raw);
        }
    }
    out.extend_from_slice(e.blank.bytes(msg));
    out
}

// ---------------------------------------------------------------------------------------
// The MIME tree
// ---------------------------------------------------------------------------------------

#[cfg(feature = "mime-structure")]
/// How deep multiparts and encapsulated messages are followed; deeper ones are shown as
/// text/plain so that hostile nesting cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

/// A byte range `start..end` of the message; `end >= start` always.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    fn bytes(self, msg: &[u8]) -> &[u8] {
        msg.get(self.start..self.end).unwrap_or_default()
    }

    #[cfg(feature = "mime-structure")]
    fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }
}

/// A message or body part: its header, the blank line after it and its body.
#[derive(Debug)]
struct Entity {
    /// The header fields, without the blank line.
    fields: Span,
    /// The blank line ending the header; empty when there is none.
    blank: Span,
    body: Span,
    #[cfg(feature = "mime-structure")]
    content: Content,
    kind: Kind,
}

impl Entity {
    /// The header as HEADER and MIME return it: the fields and the blank line.
    fn header(&self) -> Span {
        Span::new(self.fields.start, self.blank.end)
    }
}

/// Without MIME structure every entity is a leaf: the message is its header and its body.
#[cfg_attr(not(feature = "mime-structure"), allow(dead_code))]
#[derive(Debug)]
enum Kind {
    Leaf,
    /// Invariant: at least one part (`body-type-mpart = 1*body ...`).
    Multipart(Vec<Entity>),
    /// A message/rfc822 or message/global part and the message it encapsulates.
    Message(Box<Entity>),
}

#[cfg(feature = "mime-structure")]
type Params = Vec<(Vec<u8>, Vec<u8>)>;

#[cfg(feature = "mime-structure")]
/// What the MIME header fields say about an entity, already normalised for output.
#[derive(Debug, Clone)]
struct Content {
    mtype: Vec<u8>,
    subtype: Vec<u8>,
    params: Params,
    id: Option<Vec<u8>>,
    description: Option<Vec<u8>>,
    encoding: Vec<u8>,
    md5: Option<Vec<u8>>,
    disposition: Option<(Vec<u8>, Params)>,
    language: Vec<Vec<u8>>,
    location: Option<Vec<u8>>,
}

#[cfg(feature = "mime-structure")]
impl Content {
    /// RFC 2045 §5.2: "Default RFC 822 messages without a MIME Content-Type header are
    /// taken by this protocol to be plain text in the US-ASCII character set ... It is
    /// also recommended that this default be assumed when a syntactically invalid
    /// Content-Type header field is encountered."
    fn make_plain_text(&mut self) {
        self.mtype = b"TEXT".to_vec();
        self.subtype = b"PLAIN".to_vec();
        self.params = vec![(b"CHARSET".to_vec(), b"US-ASCII".to_vec())];
    }
}

fn parse_message(message: &[u8]) -> Entity {
    parse_entity(message, Span::new(0, message.len()), 0, false)
}

/// Parses the entity in `span`. `in_digest`: RFC 2046 §5.1.5, "in a digest, the default
/// Content-Type value for a body part is changed from "text/plain" to "message/rfc822"".
fn parse_entity(msg: &[u8], span: Span, depth: usize, in_digest: bool) -> Entity {
    let (fields_span, blank, body) = split_header(msg, span);
    #[cfg(not(feature = "mime-structure"))]
    {
        let _ = (depth, in_digest);
        Entity {
            fields: fields_span,
            blank,
            body,
            kind: Kind::Leaf,
        }
    }
    #[cfg(feature = "mime-structure")]
    structured(msg, (fields_span, blank, body), depth, in_digest)
}

/// The entity's MIME content and, for multiparts and encapsulated messages, its parts.
#[cfg(feature = "mime-structure")]
fn structured(
    msg: &[u8],
    (fields_span, blank, body): (Span, Span, Span),
    depth: usize,
    in_digest: bool,
) -> Entity {
    let fields = parse_fields(msg, fields_span);
    let mut content = content_of(&fields, in_digest);
    let kind = if content.mtype == b"MULTIPART" {
        // Lenient about a non-identity Content-Transfer-Encoding on a multipart (RFC 2045
        // §6.4 forbids it): the boundaries are still there to be found.
        let boundary = param(&content.params, b"BOUNDARY").filter(|b| !b.is_empty());
        let parts = match boundary {
            Some(b) if depth < MAX_DEPTH => split_multipart(msg, body, &b),
            _ => Vec::new(),
        };
        if parts.is_empty() {
            content.make_plain_text();
            Kind::Leaf
        } else {
            let digest = content.subtype == b"DIGEST";
            Kind::Multipart(
                parts
                    .into_iter()
                    .map(|p| parse_entity(msg, p, depth + 1, digest))
                    .collect(),
            )
        }
    } else if content.mtype == b"MESSAGE"
        && (content.subtype == b"RFC822" || content.subtype == b"GLOBAL")
    {
        // RFC 2046 §5.2.1: "No encoding other than "7bit", "8bit", or "binary" is
        // permitted for the body of a "message/rfc822" entity." -- an encoded one cannot
        // be parsed as a message, and `body-type-basic` forbids MESSAGE/RFC822.
        let identity = matches!(content.encoding.as_slice(), b"7BIT" | b"8BIT" | b"BINARY");
        if identity && depth < MAX_DEPTH {
            Kind::Message(Box::new(parse_entity(msg, body, depth + 1, false)))
        } else {
            content.make_plain_text();
            Kind::Leaf
        }
    } else {
        Kind::Leaf
    };
    Entity {
        fields: fields_span,
        blank,
        body,
        content,
        kind,
    }
}

#[cfg(feature = "mime-structure")]
fn content_of(fields: &[Field<'_>], in_digest: bool) -> Content {
    let mut content = Content {
        mtype: b"TEXT".to_vec(),
        subtype: b"PLAIN".to_vec(),
        params: Vec::new(),
        id: header_value(fields, "Content-ID").filter(|v| !v.is_empty()),
        description: header_value(fields, "Content-Description").filter(|v| !v.is_empty()),
        // `body-fld-enc`: "Defaults to "7BIT" (as per RFC 2045) if not present in the body
        // part."
        encoding: header_value(fields, "Content-Transfer-Encoding")
            .and_then(|v| first_word(&mime_tokens(&v)))
            .map(|v| v.to_ascii_uppercase())
            .unwrap_or_else(|| b"7BIT".to_vec()),
        md5: header_value(fields, "Content-MD5").filter(|v| !v.is_empty()),
        disposition: header_value(fields, "Content-Disposition").and_then(|v| {
            match mime_tokens(&v).as_slice() {
                [MTok::Atom(kind), rest @ ..] => {
                    Some((kind.to_ascii_uppercase(), parse_params(rest)))
                }
                _ => None,
            }
        }),
        // RFC 3282: a comma-separated list of language tags.
        language: header_value(fields, "Content-Language")
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
        location: header_value(fields, "Content-Location")
            .map(|v| {
                v.into_iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect::<Vec<u8>>()
            })
            .filter(|v| !v.is_empty()),
    };
    match header_value(fields, "Content-Type") {
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

#[cfg(feature = "mime-structure")]
/// Splits a multipart body into its body parts (RFC 2046 §5.1.1). The preamble and the
/// epilogue are dropped; a missing close-delimiter ends the last part at the end of the
/// body.
fn split_multipart(msg: &[u8], body: Span, boundary: &[u8]) -> Vec<Span> {
    let mut parts = Vec::new();
    let mut part_start: Option<usize> = None;
    let mut pos = body.start;
    while pos < body.end {
        let (content_end, next) = next_line(msg, pos, body.end);
        let line = msg.get(pos..content_end).unwrap_or_default();
        if let Some(close) = delimiter(line, boundary) {
            if let Some(start) = part_start {
                // "The CRLF preceding the boundary delimiter line is conceptually attached
                // to the boundary so that it is possible to have a part that does not end
                // with a CRLF (line break)."
                parts.push(Span::new(start, strip_line_end_before(msg, start, pos)));
            }
            if close {
                return parts;
            }
            part_start = Some(next);
        }
        pos = next;
    }
    if let Some(start) = part_start {
        parts.push(Span::new(start, body.end));
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
fn strip_line_end_before(msg: &[u8], start: usize, line_start: usize) -> usize {
    let mut end = line_start;
    if end > start && msg.get(end - 1) == Some(&b'\n') {
        end -= 1;
        if end > start && msg.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
    }
    end
}

// ---------------------------------------------------------------------------------------
// Header fields
// ---------------------------------------------------------------------------------------

/// The line starting at `pos` (bounded by `end`): returns where its content ends (before
/// CRLF or a bare LF) and where the next line starts.
fn next_line(msg: &[u8], pos: usize, end: usize) -> (usize, usize) {
    let rest = msg.get(pos..end).unwrap_or_default();
    match rest.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let lf = pos + i;
            let content_end = if lf > pos && msg.get(lf - 1) == Some(&b'\r') {
                lf - 1
            } else {
                lf
            };
            (content_end, lf + 1)
        }
        None => (end, end),
    }
}

/// Splits an entity into header fields, the blank line and the body. RFC 5322 §2.1: "A
/// message consists of header fields ... optionally followed by a message body ...
/// separated from the header by an empty line". Without an empty line it is all header.
fn split_header(msg: &[u8], span: Span) -> (Span, Span, Span) {
    let mut pos = span.start;
    while pos < span.end {
        let (content_end, next) = next_line(msg, pos, span.end);
        if content_end == pos {
            return (
                Span::new(span.start, pos),
                Span::new(pos, next),
                Span::new(next, span.end),
            );
        }
        pos = next;
    }
    (
        span,
        Span::new(span.end, span.end),
        Span::new(span.end, span.end),
    )
}

/// One header field with its continuation lines.
#[derive(Debug)]
struct Field<'a> {
    /// The field name (before the colon, trailing WSP removed), if the line has a colon.
    name: Option<&'a [u8]>,
    /// The whole field as stored, folding and line end included.
    raw: &'a [u8],
    /// Everything after the colon, still folded.
    #[cfg_attr(not(feature = "mime-structure"), allow(dead_code))]
    value: &'a [u8],
}

/// RFC 5322 §2.2.3: a line starting with WSP continues the previous field.
fn parse_fields(msg: &[u8], span: Span) -> Vec<Field<'_>> {
    let mut fields = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut pos = span.start;
    while pos < span.end {
        let (_, next) = next_line(msg, pos, span.end);
        let continuation = matches!(msg.get(pos), Some(b' ' | b'\t'));
        current = match current {
            Some((start, _)) if continuation => Some((start, next)),
            previous => {
                if let Some((start, end)) = previous {
                    fields.push(make_field(msg, start, end));
                }
                Some((pos, next))
            }
        };
        pos = next;
    }
    if let Some((start, end)) = current {
        fields.push(make_field(msg, start, end));
    }
    fields
}

fn make_field(msg: &[u8], start: usize, end: usize) -> Field<'_> {
    let raw = msg.get(start..end).unwrap_or_default();
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

#[cfg(feature = "mime-structure")]
/// The unfolded, trimmed value of the first field called `name` (case-insensitive).
fn header_value(fields: &[Field<'_>], name: &str) -> Option<Vec<u8>> {
    let field = fields.iter().find(|f| {
        f.name
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    })?;
    // "Unfolding is accomplished by simply removing any CRLF that is immediately followed
    // by WSP." Inside one field every line end is followed by WSP but the last.
    let unfolded: Vec<u8> = field
        .value
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    Some(trim_wsp(&unfolded).to_vec())
}

fn trim_wsp(v: &[u8]) -> &[u8] {
    let is_wsp = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = v.iter().position(|b| !is_wsp(b)).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !is_wsp(b)).map_or(start, |i| i + 1);
    v.get(start..end).unwrap_or_default()
}

#[cfg(feature = "mime-structure")]
/// Skips an RFC 5322 comment starting at the `(` at `start`; returns its text (nested
/// parentheses kept, quoted-pairs unescaped) and the index after it.
fn comment(v: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut text = Vec::new();
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = v.get(i) {
        i += 1;
        match b {
            b'\\' => {
                if let Some(&escaped) = v.get(i) {
                    text.push(escaped);
                    i += 1;
                }
            }
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
fn quoted(v: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut text = Vec::new();
    let mut i = start + 1;
    while let Some(&b) = v.get(i) {
        i += 1;
        match b {
            b'\\' => {
                if let Some(&escaped) = v.get(i) {
                    text.push(escaped);
                    i += 1;
                }
            }
            b'"' => break,
            _ => text.push(b),
        }
    }
    (text, i)
}

// ---------------------------------------------------------------------------------------
// Addresses (RFC 5322 §3.4, including the obsolete route syntax of §4.4)
// ---------------------------------------------------------------------------------------

#[cfg(feature = "mime-structure")]
/// An IMAP address structure: `(addr-name addr-adl addr-mailbox addr-host)`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Address {
    name: Option<Vec<u8>>,
    adl: Option<Vec<u8>>,
    mailbox: Option<Vec<u8>>,
    host: Option<Vec<u8>>,
}

#[cfg(feature = "mime-structure")]
impl Address {
    /// "If the mailbox name field is non-NIL, this is the start of a group marker, and
    /// the mailbox name field holds the group name phrase."
    fn group_start(name: Vec<u8>) -> Self {
        Address {
            name: None,
            adl: None,
            mailbox: Some(name),
            host: None,
        }
    }

    /// "If the mailbox name field is also NIL, this is an end-of-group marker."
    fn group_end() -> Self {
        Address {
            name: None,
            adl: None,
            mailbox: None,
            host: None,
        }
    }
}

#[cfg(feature = "mime-structure")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tk {
    Word,
    Quoted,
    DomainLiteral,
    Comment,
    Special(u8),
}

#[cfg(feature = "mime-structure")]
#[derive(Debug)]
struct Tok {
    kind: Tk,
    /// Word text, quoted-string or comment content (unescaped), `[literal]`, or the
    /// special character.
    text: Vec<u8>,
    /// Whitespace or a comment came before it: words of a phrase are then joined by SP.
    space: bool,
}

#[cfg(feature = "mime-structure")]
fn is_address_delimiter(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b':'
            | b';'
            | b'@'
            | b','
            | b'.'
            | b'"'
    )
}

#[cfg(feature = "mime-structure")]
fn address_tokens(v: &[u8]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut space = false;
    let mut i = 0;
    while let Some(&b) = v.get(i) {
        let (kind, text, next) = match b {
            b' ' | b'\t' | b'\r' | b'\n' | b')' | b']' => {
                // Stray closers carry no meaning; treat them as whitespace.
                space = true;
                i += 1;
                continue;
            }
            b'(' => {
                let (text, next) = comment(v, i);
                (Tk::Comment, text, next)
            }
            b'"' => {
                let (text, next) = quoted(v, i);
                (Tk::Quoted, text, next)
            }
            b'[' => {
                let len = v
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&c| c == b']')
                    .map_or(v.len() - i, |p| p + 1);
                let next = i + len;
                (
                    Tk::DomainLiteral,
                    v.get(i..next).unwrap_or_default().to_vec(),
                    next,
                )
            }
            b'<' | b'>' | b':' | b';' | b'@' | b',' | b'.' => (Tk::Special(b), vec![b], i + 1),
            _ => {
                let len = v
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&c| is_address_delimiter(c))
                    .unwrap_or(v.len() - i);
                let next = i + len.max(1);
                (Tk::Word, v.get(i..next).unwrap_or_default().to_vec(), next)
            }
        };
        toks.push(Tok { kind, text, space });
        // A comment separates words like whitespace does (it is part of CFWS).
        space = kind == Tk::Comment;
        i = next;
    }
    toks
}

#[cfg(feature = "mime-structure")]
fn addresses(fields: &[Field<'_>], name: &str) -> Vec<Address> {
    header_value(fields, name)
        .map(|v| parse_address_list(&address_tokens(&v)))
        .unwrap_or_default()
}

#[cfg(feature = "mime-structure")]
/// `address-list = (address *("," address))`, `address = mailbox / group`,
/// `group = display-name ":" [group-list] ";" [CFWS]`,
/// `mailbox = name-addr / addr-spec`, `name-addr = [display-name] angle-addr`.
/// Lenient: anything it cannot place is skipped up to the next comma.
fn parse_address_list(toks: &[Tok]) -> Vec<Address> {
    let mut out = Vec::new();
    let mut in_group = false;
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        match tok.kind {
            Tk::Special(b',') => {
                i += 1;
                continue;
            }
            Tk::Special(b';') => {
                if in_group {
                    out.push(Address::group_end());
                    in_group = false;
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // The phrase (display name, group name or local-part) up to the token that tells
        // which one it is.
        let mut j = i;
        while toks.get(j).is_some_and(|t| {
            matches!(
                t.kind,
                Tk::Word | Tk::Quoted | Tk::DomainLiteral | Tk::Comment | Tk::Special(b'.')
            )
        }) {
            j += 1;
        }
        let phrase = toks.get(i..j).unwrap_or_default();
        match toks.get(j).map(|t| t.kind) {
            Some(Tk::Special(b':')) => {
                // Groups do not nest; a second ':' inside one is ignored.
                if !in_group {
                    out.push(Address::group_start(
                        phrase_text(phrase).unwrap_or_default(),
                    ));
                    in_group = true;
                }
                i = j + 1;
            }
            Some(Tk::Special(b'<')) => {
                let (address, next) = angle_addr(toks, j + 1, phrase_text(phrase));
                let (next, trailing_comment) = skip_to_separator(toks, next);
                out.extend(address.map(|mut a| {
                    // `<user@host> (Full Name)`: the comment is the only name there is.
                    a.name = a.name.or(trailing_comment);
                    a
                }));
                i = next;
            }
            Some(Tk::Special(b'@')) => {
                // addr-spec: the phrase was the local-part.
                let (host, next) = domain(toks, j + 1);
                let (next, trailing_comment) = skip_to_separator(toks, next);
                out.push(Address {
                    name: first_comment(phrase).or(trailing_comment),
                    adl: None,
                    mailbox: Some(local_part(phrase)),
                    host: Some(host),
                });
                i = next;
            }
            other => {
                // A local-part with no domain (`To: root`), then ',' ';' '>' or the end.
                let local = local_part(phrase);
                if !local.is_empty() {
                    out.push(Address {
                        name: first_comment(phrase),
                        adl: None,
                        mailbox: Some(local),
                        host: Some(Vec::new()),
                    });
                }
                i = if other == Some(Tk::Special(b'>')) || j == i {
                    j + 1
                } else {
                    j
                };
            }
        }
    }
    if in_group {
        out.push(Address::group_end());
    }
    out
}

#[cfg(feature = "mime-structure")]
/// After `<`: `angle-addr = [CFWS] "<" addr-spec ">" [CFWS]`, or with the obsolete route
/// `obs-angle-addr = [CFWS] "<" obs-route addr-spec ">" [CFWS]` whose route goes to
/// addr-adl ("Holds route from \[RFC5322\] obs-route if non-NIL").
fn angle_addr(toks: &[Tok], start: usize, name: Option<Vec<u8>>) -> (Option<Address>, usize) {
    let mut k = start;
    let mut adl = None;
    if toks.get(k).map(|t| t.kind) == Some(Tk::Special(b'@')) {
        let mut m = k;
        let mut route = Vec::new();
        while let Some(t) = toks.get(m) {
            match t.kind {
                Tk::Special(b':' | b'>') => break,
                Tk::Comment => {}
                _ => route.extend_from_slice(&t.text),
            }
            m += 1;
        }
        if toks.get(m).map(|t| t.kind) == Some(Tk::Special(b':')) {
            adl = Some(route);
            k = m + 1;
        }
    }
    let mut local = Vec::new();
    while let Some(t) = toks.get(k) {
        match t.kind {
            Tk::Word | Tk::Quoted | Tk::DomainLiteral | Tk::Special(b'.') => {
                local.extend_from_slice(&t.text)
            }
            Tk::Comment => {}
            _ => break,
        }
        k += 1;
    }
    let mut host = None;
    if toks.get(k).map(|t| t.kind) == Some(Tk::Special(b'@')) {
        let (h, next) = domain(toks, k + 1);
        host = Some(h);
        k = next;
    }
    // Up to and including '>'; stop before ',' or ';' if it is missing.
    while let Some(t) = toks.get(k) {
        match t.kind {
            Tk::Special(b'>') => {
                k += 1;
                break;
            }
            Tk::Special(b',' | b';') => break,
            _ => k += 1,
        }
    }
    if local.is_empty() && host.is_none() && name.is_none() && adl.is_none() {
        // `<>`: the null reverse-path is no address.
        return (None, k);
    }
    let address = Address {
        name,
        adl,
        mailbox: Some(local),
        host: Some(host.unwrap_or_default()),
    };
    (Some(address), k)
}

#[cfg(feature = "mime-structure")]
/// `domain = dot-atom / domain-literal / obs-domain`, comments skipped.
fn domain(toks: &[Tok], start: usize) -> (Vec<u8>, usize) {
    let mut host = Vec::new();
    let mut k = start;
    while let Some(t) = toks.get(k) {
        match t.kind {
            Tk::Word | Tk::DomainLiteral | Tk::Special(b'.') => host.extend_from_slice(&t.text),
            _ => break,
        }
        k += 1;
    }
    (host, k)
}

#[cfg(feature = "mime-structure")]
/// Skips to the next ',' or ';' (not consumed), returning the first non-empty comment
/// passed on the way: in `user@host (Full Name)` it is the only name there is.
fn skip_to_separator(toks: &[Tok], start: usize) -> (usize, Option<Vec<u8>>) {
    let mut k = start;
    let mut found = None;
    while let Some(t) = toks.get(k) {
        match t.kind {
            Tk::Special(b',' | b';') => break,
            Tk::Comment if found.is_none() => found = non_empty(trim_wsp(&t.text)),
            _ => {}
        }
        k += 1;
    }
    (k, found)
}

#[cfg(feature = "mime-structure")]
fn non_empty(v: &[u8]) -> Option<Vec<u8>> {
    (!v.is_empty()).then(|| v.to_vec())
}

#[cfg(feature = "mime-structure")]
/// `addr-name`: "holds phrase from \[RFC5322\] mailbox after removing \[RFC5322\] quoting";
/// words are joined by one SP where the message had whitespace or a comment.
fn phrase_text(phrase: &[Tok]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for t in phrase.iter().filter(|t| t.kind != Tk::Comment) {
        if t.space && !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(&t.text);
    }
    non_empty(&out)
}

#[cfg(feature = "mime-structure")]
/// `addr-mailbox`: "\[RFC5322\] local-part after removing \[RFC5322\] quoting".
fn local_part(phrase: &[Tok]) -> Vec<u8> {
    phrase
        .iter()
        .filter(|t| t.kind != Tk::Comment)
        .flat_map(|t| t.text.iter().copied())
        .collect()
}

#[cfg(feature = "mime-structure")]
fn first_comment(phrase: &[Tok]) -> Option<Vec<u8>> {
    phrase
        .iter()
        .filter(|t| t.kind == Tk::Comment)
        .find_map(|t| non_empty(trim_wsp(&t.text)))
}

// ---------------------------------------------------------------------------------------
// MIME header fields (RFC 2045 §5.1, RFC 2183, RFC 2231)
// ---------------------------------------------------------------------------------------

#[cfg(feature = "mime-structure")]
#[derive(Debug, Clone, PartialEq, Eq)]
enum MTok {
    Atom(Vec<u8>),
    Quoted(Vec<u8>),
    Special(u8),
}

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
fn first_word(toks: &[MTok]) -> Option<Vec<u8>> {
    toks.iter().find_map(|t| match t {
        MTok::Atom(a) | MTok::Quoted(a) => Some(a.clone()),
        MTok::Special(_) => None,
    })
}

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
fn param(params: &[(Vec<u8>, Vec<u8>)], name: &[u8]) -> Option<Vec<u8>> {
    params
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
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

#[cfg(feature = "mime-structure")]
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

#[cfg(all(test, feature = "mime-structure"))]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Joins lines with CRLF; end with "" for a final line end.
    fn crlf(lines: &[&str]) -> Vec<u8> {
        lines.join("\r\n").into_bytes()
    }

    /// `n` CRLF-terminated lines of filler adding up to exactly `octets` octets.
    fn filler(octets: usize, n: usize) -> String {
        let text = octets - 2 * n;
        let (each, extra) = (text / n, text % n);
        let mut out = String::new();
        for i in 0..n {
            let len = each + usize::from(i < extra);
            out.extend(std::iter::repeat_n('x', len));
            out.push_str("\r\n");
        }
        assert_eq!(out.len(), octets);
        out
    }

    fn sec(part: &[u32], text: Option<SectionText>) -> Section {
        Section {
            part: part.to_vec(),
            text,
        }
    }

    fn get(message: &[u8], part: &[u32], text: Option<SectionText>) -> Option<String> {
        section(message, &sec(part, text)).map(|v| String::from_utf8(v).unwrap())
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    // --- RFC examples -----------------------------------------------------------------

    const RFC3501_HEADER: &[&str] = &[
        "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
        "From: Terry Gray <gray@cac.washington.edu>",
        "Subject: IMAP4rev1 WG mtg summary and minutes",
        "To: imap@cac.washington.edu",
        "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>",
        "Message-Id: <B27397-0100000@cac.washington.edu>",
        "MIME-Version: 1.0",
        "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
        "",
        "",
    ];

    /// RFC 3501 §8, `a003 fetch 12 full` and `a004 fetch 12 body[header]`. The sample's
    /// line breaks are editorial: `env-cc = "(" 1*address ")"` has no SP between the two
    /// addresses. The body text is not shown, so one of 3028 octets in 92 lines stands in.
    #[test]
    fn rfc3501_sample_session() {
        let header = crlf(RFC3501_HEADER);
        assert_eq!(header.len(), 342, "BODY[HEADER] {{342}}");
        let mut message = header.clone();
        message.extend_from_slice(filler(3028, 92).as_bytes());

        assert_eq!(
            envelope(&message),
            concat!(
                r#"("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"((NIL NIL "imap" "cac.washington.edu")) "#,
                r#"((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "#,
                r#""<B27397-0100000@cac.washington.edu>")"#
            )
        );
        assert_eq!(
            body_structure(&message, false),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)"#
        );
        assert_eq!(
            section(&message, &sec(&[], Some(SectionText::Header))).unwrap(),
            header
        );
    }

    /// RFC 9051 §8 is the same session with "IMAP4rev2" in the subject, but its ENVELOPE
    /// shows the message-id as "<B27397-0100000@cac.washington.ed>" while the header it
    /// prints says "...washington.edu>": a typo in the RFC. The envelope follows the header.
    #[test]
    fn rfc9051_sample_session() {
        let mut lines = RFC3501_HEADER.to_vec();
        lines[2] = "Subject: IMAP4rev2 WG mtg summary and minutes";
        let header = crlf(&lines);
        assert_eq!(header.len(), 342);
        let mut message = header.clone();
        message.extend_from_slice(filler(3028, 92).as_bytes());
        assert_eq!(
            envelope(&message),
            concat!(
                r#"("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev2 WG mtg summary and minutes" "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"(("Terry Gray" NIL "gray" "cac.washington.edu")) "#,
                r#"((NIL NIL "imap" "cac.washington.edu")) "#,
                r#"((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "#,
                r#""<B27397-0100000@cac.washington.edu>")"#
            )
        );
        assert_eq!(
            body_structure(&message, false),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)"#
        );
        assert_eq!(
            section(&message, &sec(&[], Some(SectionText::Header))).unwrap(),
            header
        );
    }

    /// RFC 9051 §7.5.2 (and RFC 3501 §7.4.2): "a simple text message of 48 lines and 2279
    /// octets can have a body structure of ..." -- here with no Content-Type at all, so
    /// the RFC 2045 default supplies the charset.
    #[test]
    fn rfc9051_simple_text_example() {
        let mut message = crlf(&["Subject: example", "", ""]);
        message.extend_from_slice(filler(2279, 48).as_bytes());
        assert_eq!(
            body_structure(&message, false),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 2279 48)"#
        );
    }

    /// RFC 9051 §7.5.2: "a two-part message consisting of a text and a base64-encoded text
    /// attachment can have a body structure of ..."
    #[test]
    fn rfc9051_two_part_example() {
        let mut message = crlf(&[
            "MIME-Version: 1.0",
            "Content-Type: MULTIPART/MIXED; BOUNDARY=\"x\"",
            "",
            "--x",
            "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
            "",
            "",
        ]);
        message.extend_from_slice(filler(1152, 23).as_bytes());
        message.extend_from_slice(&crlf(&[
            "",
            "--x",
            "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff",
            "Content-ID: <960723163407.20117h@cac.washington.edu>",
            "Content-Description: Compiler diff",
            "Content-Transfer-Encoding: BASE64",
            "",
            "",
        ]));
        message.extend_from_slice(filler(4554, 73).as_bytes());
        message.extend_from_slice(&crlf(&["", "--x--", ""]));
        assert_eq!(
            body_structure(&message, false),
            concat!(
                r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)"#,
                r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "#,
                r#""<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")"#
            )
        );
    }

    // --- A simple text message (RFC 9051 §6.3.12 APPEND example) ----------------------

    fn append_example() -> Vec<u8> {
        crlf(&[
            "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)",
            "From: Fred Foobar <foobar@Blurdybloop.example>",
            "Subject: afternoon meeting",
            "To: mooch@owatagu.siam.edu.example",
            "Message-Id: <B27397-0100000@Blurdybloop.example>",
            "MIME-Version: 1.0",
            "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII",
            "",
            "Hello Joe, do you think we can meet at 3:30 tomorrow?",
            "",
        ])
    }

    #[test]
    fn simple_text_message() {
        let m = append_example();
        assert_eq!(m.len(), 326, "the APPEND example's literal is {{326}}");
        let fred = r#"(("Fred Foobar" NIL "foobar" "Blurdybloop.example"))"#;
        assert_eq!(
            envelope(&m),
            format!(
                r#"("Mon, 7 Feb 1994 21:52:25 -0800 (PST)" "afternoon meeting" {fred} {fred} {fred} ((NIL NIL "mooch" "owatagu.siam.edu.example")) NIL NIL NIL "<B27397-0100000@Blurdybloop.example>")"#
            )
        );
        assert_eq!(
            body_structure(&m, false),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 55 1)"#
        );
        assert_eq!(
            body_structure(&m, true),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 55 1 NIL NIL NIL NIL)"#
        );
    }

    #[test]
    fn simple_text_sections() {
        let m = append_example();
        let body = "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
        let header = &String::from_utf8(m.clone()).unwrap()[..326 - body.len()];
        assert_eq!(section(&m, &sec(&[], None)).unwrap(), m);
        assert_eq!(get(&m, &[], Some(SectionText::Header)).unwrap(), header);
        assert_eq!(get(&m, &[], Some(SectionText::Text)).unwrap(), body);
        // "Messages that do not use MIME, and MIME messages that are not multipart and have
        // no encapsulated message within them, only have a part 1."
        assert_eq!(get(&m, &[1], None).unwrap(), body);
        assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), header);
        assert_eq!(get(&m, &[2], None), None);
        assert_eq!(get(&m, &[0], None), None);
        assert_eq!(get(&m, &[1, 1], None), None);
        assert_eq!(get(&m, &[1], Some(SectionText::Header)), None);
        assert_eq!(get(&m, &[], Some(SectionText::Mime)), None);
        // The blank line stays; field order is the message's, not the request's.
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFields(names(&["SUBJECT", "from"])))
            )
            .unwrap(),
            "From: Fred Foobar <foobar@Blurdybloop.example>\r\nSubject: afternoon meeting\r\n\r\n"
        );
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFieldsNot(names(&[
                    "Date",
                    "From",
                    "Subject",
                    "To",
                    "message-id"
                ])))
            )
            .unwrap(),
            "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n"
        );
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFields(names(&["X-Absent"])))
            )
            .unwrap(),
            "\r\n"
        );
    }

    // --- Multipart ------------------------------------------------------------------------

    fn alternative() -> Vec<u8> {
        crlf(&[
            "From: a@example.com",
            "Subject: alt",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"b1\"",
            "",
            "preamble",
            "--b1",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Hi there",
            "--b1",
            "Content-Type: text/html; charset=utf-8",
            "",
            "<p>Hi there</p>",
            "--b1--",
            "epilogue",
            "",
        ])
    }

    #[test]
    fn multipart_alternative() {
        let m = alternative();
        assert_eq!(
            body_structure(&m, true),
            concat!(
                r#"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 8 1 NIL NIL NIL NIL)"#,
                r#"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 15 1 NIL NIL NIL NIL)"#,
                r#" "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)"#
            )
        );
        assert_eq!(
            body_structure(&m, false),
            concat!(
                r#"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 8 1)"#,
                r#"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 15 1) "ALTERNATIVE")"#
            )
        );
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
        assert_eq!(get(&m, &[1], None).unwrap(), "Hi there");
        assert_eq!(get(&m, &[2], None).unwrap(), "<p>Hi there</p>");
        assert_eq!(get(&m, &[3], None), None);
        assert_eq!(
            get(&m, &[1], Some(SectionText::Mime)).unwrap(),
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        );
        let text = get(&m, &[], Some(SectionText::Text)).unwrap();
        assert!(text.starts_with("preamble\r\n--b1\r\n"));
        assert!(text.ends_with("--b1--\r\nepilogue\r\n"));
    }

    fn mixed() -> Vec<u8> {
        crlf(&[
            "From: \"Doe, Jane\" <jane@example.com>",
            "To: John Smith <john@example.org>, bob@example.net",
            "Subject: Report",
            "Date: Tue, 1 Apr 2025 10:00:00 +0000",
            "Message-ID: <outer@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=outer",
            "",
            "--outer",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "See attached.",
            "--outer",
            "Content-Type: message/rfc822",
            "Content-Description: forwarded",
            "",
            "From: Bob <bob@example.net>",
            "Subject: Inner",
            "Date: Mon, 31 Mar 2025 09:00:00 +0000",
            "Content-Type: multipart/alternative; boundary=\"inner\"",
            "",
            "--inner",
            "Content-Type: text/plain",
            "",
            "inner text",
            "--inner",
            "Content-Type: text/html",
            "",
            "<b>inner</b>",
            "--inner--",
            "",
            "--outer",
            "Content-Type: application/pdf; name=\"report.pdf\"",
            "Content-Disposition: attachment; filename=\"report.pdf\"",
            "Content-Transfer-Encoding: base64",
            "Content-Language: en, de",
            "Content-Location: http://example.com/",
            "  report.pdf",
            "",
            "JVBERi0xLjQK",
            "--outer--",
            "",
        ])
    }

    #[test]
    fn multipart_mixed_with_attachment_and_message() {
        let m = mixed();
        let bob = r#"(("Bob" NIL "bob" "example.net"))"#;
        let inner_envelope = format!(
            r#"("Mon, 31 Mar 2025 09:00:00 +0000" "Inner" {bob} {bob} {bob} NIL NIL NIL NIL NIL)"#
        );
        assert_eq!(
            body_structure(&m, true),
            format!(
                concat!(
                    r#"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1 NIL NIL NIL NIL)"#,
                    r#"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 251 {env} "#,
                    r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)"#,
                    r#"("TEXT" "HTML" NIL NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)"#,
                    r#" "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL) 14 NIL NIL NIL NIL)"#,
                    r#"("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 12 NIL "#,
                    r#"("ATTACHMENT" ("FILENAME" "report.pdf")) ("en" "de") "http://example.com/report.pdf")"#,
                    r#" "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)"#
                ),
                env = inner_envelope
            )
        );
        assert_eq!(
            body_structure(&m, false),
            format!(
                concat!(
                    r#"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1)"#,
                    r#"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 251 {env} "#,
                    r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1)("TEXT" "HTML" NIL NIL NIL "7BIT" 12 1) "ALTERNATIVE") 14)"#,
                    r#"("APPLICATION" "PDF" ("NAME" "report.pdf") NIL NIL "BASE64" 12) "MIXED")"#
                ),
                env = inner_envelope
            )
        );
        assert_eq!(
            envelope(&m),
            concat!(
                r#"("Tue, 1 Apr 2025 10:00:00 +0000" "Report" "#,
                r#"(("Doe, Jane" NIL "jane" "example.com")) (("Doe, Jane" NIL "jane" "example.com")) "#,
                r#"(("Doe, Jane" NIL "jane" "example.com")) "#,
                r#"(("John Smith" NIL "john" "example.org")(NIL NIL "bob" "example.net")) "#,
                r#"NIL NIL NIL "<outer@example.com>")"#
            )
        );
    }

    #[test]
    fn nested_sections() {
        let m = mixed();
        let inner_header = "From: Bob <bob@example.net>\r\nSubject: Inner\r\nDate: Mon, 31 Mar 2025 09:00:00 +0000\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n";
        let inner_body = "--inner\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--inner\r\nContent-Type: text/html\r\n\r\n<b>inner</b>\r\n--inner--\r\n";
        assert_eq!(get(&m, &[1], None).unwrap(), "See attached.");
        // BODY[2] of a MESSAGE/RFC822 part is the whole encapsulated message.
        assert_eq!(
            get(&m, &[2], None).unwrap(),
            format!("{inner_header}{inner_body}")
        );
        assert_eq!(
            get(&m, &[2], Some(SectionText::Mime)).unwrap(),
            "Content-Type: message/rfc822\r\nContent-Description: forwarded\r\n\r\n"
        );
        assert_eq!(
            get(&m, &[2], Some(SectionText::Header)).unwrap(),
            inner_header
        );
        assert_eq!(get(&m, &[2], Some(SectionText::Text)).unwrap(), inner_body);
        assert_eq!(
            get(
                &m,
                &[2],
                Some(SectionText::HeaderFields(names(&["subject", "FROM"])))
            )
            .unwrap(),
            "From: Bob <bob@example.net>\r\nSubject: Inner\r\n\r\n"
        );
        assert_eq!(get(&m, &[2, 1], None).unwrap(), "inner text");
        assert_eq!(get(&m, &[2, 2], None).unwrap(), "<b>inner</b>");
        assert_eq!(
            get(&m, &[2, 1], Some(SectionText::Mime)).unwrap(),
            "Content-Type: text/plain\r\n\r\n"
        );
        assert_eq!(get(&m, &[2, 3], None), None);
        assert_eq!(get(&m, &[2, 1, 1], None), None);
        assert_eq!(get(&m, &[2, 1], Some(SectionText::Header)), None);
        assert_eq!(get(&m, &[1], Some(SectionText::Header)), None);
        assert_eq!(get(&m, &[3], None).unwrap(), "JVBERi0xLjQK");
        assert_eq!(get(&m, &[4], None), None);
        // Folding is kept in header fetches.
        assert_eq!(
            get(&m, &[3], Some(SectionText::Mime)).unwrap(),
            concat!(
                "Content-Type: application/pdf; name=\"report.pdf\"\r\n",
                "Content-Disposition: attachment; filename=\"report.pdf\"\r\n",
                "Content-Transfer-Encoding: base64\r\n",
                "Content-Language: en, de\r\n",
                "Content-Location: http://example.com/\r\n  report.pdf\r\n\r\n"
            )
        );
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFieldsNot(names(&[
                    "from",
                    "to",
                    "subject",
                    "date",
                    "message-id",
                    "mime-version"
                ])))
            )
            .unwrap(),
            "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        );
    }

    /// A MESSAGE/RFC822 message at the top level: its body is part 1, and the numbers
    /// after that go into the encapsulated message.
    #[test]
    fn top_level_message_rfc822() {
        let m = crlf(&[
            "Content-Type: message/rfc822",
            "",
            "Subject: inner",
            "",
            "hello",
            "",
        ]);
        assert_eq!(
            body_structure(&m, false),
            concat!(
                r#"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 25 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) "#,
                r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 7 1) 3)"#
            )
        );
        assert_eq!(
            get(&m, &[1], None).unwrap(),
            "Subject: inner\r\n\r\nhello\r\n"
        );
        assert_eq!(get(&m, &[1, 1], None).unwrap(), "hello\r\n");
        assert_eq!(
            get(&m, &[1], Some(SectionText::Header)).unwrap(),
            "Subject: inner\r\n\r\n"
        );
        assert_eq!(get(&m, &[1], Some(SectionText::Text)).unwrap(), "hello\r\n");
        assert_eq!(get(&m, &[1, 2], None), None);
    }

    /// RFC 2046 §5.1.5: in multipart/digest a part without Content-Type is message/rfc822.
    #[test]
    fn multipart_digest_default() {
        let m = crlf(&[
            "Content-Type: multipart/digest; boundary=d",
            "",
            "--d",
            "",
            "Subject: one",
            "",
            "body one",
            "--d",
            "Content-Type: text/plain",
            "",
            "not a message",
            "--d--",
            "",
        ]);
        assert_eq!(
            body_structure(&m, false),
            concat!(
                r#"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 24 (NIL "one" NIL NIL NIL NIL NIL NIL NIL NIL) "#,
                r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 1) 3)"#,
                r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 13 1) "DIGEST")"#
            )
        );
        assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), "\r\n");
        assert_eq!(get(&m, &[1, 1], None).unwrap(), "body one");
        assert_eq!(
            get(&m, &[1], Some(SectionText::Header)).unwrap(),
            "Subject: one\r\n\r\n"
        );
    }

    // --- Envelope -------------------------------------------------------------------------

    #[test]
    fn group_syntax() {
        let m = crlf(&[
            "From: Alice <alice@example.com>",
            "To: undisclosed-recipients:;",
            "Cc: Friends: \"C D\" <c@d.example>, e@f.example;, g@h.example",
            "Bcc: Empty Group: ;",
            "",
        ]);
        let alice = r#"(("Alice" NIL "alice" "example.com"))"#;
        assert_eq!(
            envelope(&m),
            format!(
                concat!(
                    r#"(NIL NIL {a} {a} {a} "#,
                    r#"((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) "#,
                    r#"((NIL NIL "Friends" NIL)("C D" NIL "c" "d.example")(NIL NIL "e" "f.example")(NIL NIL NIL NIL)(NIL NIL "g" "h.example")) "#,
                    r#"((NIL NIL "Empty Group" NIL)(NIL NIL NIL NIL)) NIL NIL)"#
                ),
                a = alice
            )
        );
    }

    #[test]
    fn quoting_of_quote_and_backslash() {
        let m = crlf(&[
            r#"From: "Joe \"the\" Back\\slash" <joe@example.com>"#,
            r#"Subject: say "hi" \ bye"#,
            "",
        ]);
        let joe = r#"(("Joe \"the\" Back\\slash" NIL "joe" "example.com"))"#;
        assert_eq!(
            envelope(&m),
            format!(r#"(NIL "say \"hi\" \\ bye" {joe} {joe} {joe} NIL NIL NIL NIL NIL)"#)
        );
    }

    #[test]
    fn nstring_forms() {
        assert_eq!(nstring(None), b"NIL");
        assert_eq!(nstring(Some(b"")), b"\"\"");
        assert_eq!(nstring(Some(b"NIL")), b"\"NIL\"");
        assert_eq!(nstring(Some(br#"a"b\c"#)), br#""a\"b\\c""#);
        assert_eq!(nstring(Some(b"line1\r\nline2")), b"{12}\r\nline1\r\nline2");
        assert_eq!(nstring(Some(b"a\0b")), b"{3}\r\na\0b");
        assert_eq!(
            nstring(Some("café".as_bytes())),
            b"{5}\r\ncaf\xc3\xa9".to_vec()
        );
        assert_eq!(nstring(Some(b"\xff")), b"{1}\r\n\xff".to_vec());
    }

    #[test]
    fn eight_bit_values_become_literals() {
        let m = "Subject: café\r\n\r\n".as_bytes().to_vec();
        assert_eq!(
            envelope(&m),
            "(NIL {5}\r\ncafé NIL NIL NIL NIL NIL NIL NIL NIL)"
        );
        // Invalid UTF-8 is replaced, and the count is of the replaced text (3 octets).
        let m = b"Subject: a\xffb\r\n\r\n".to_vec();
        assert_eq!(
            envelope(&m),
            "(NIL {5}\r\na\u{fffd}b NIL NIL NIL NIL NIL NIL NIL NIL)"
        );
    }

    #[test]
    fn address_forms() {
        let m = crlf(&[
            "From: John Q. Public <jqp@example.com> (the man)",
            "Sender: jqp@example.com (John Public)",
            "Reply-To: <@relay1.example,@relay2.example:jqp@example.com>",
            "To: \"Smith, John\" <john@example.com>, root, <>, \"quoted local\"@example.com",
            "Cc: Mary (comment) Smith <mary@[192.0.2.1]>",
            "Bcc: a@b.example, (only a comment), <c@d.example> (Cee)",
            "",
        ]);
        assert_eq!(
            envelope(&m),
            concat!(
                r#"(NIL NIL (("John Q. Public" NIL "jqp" "example.com")) "#,
                r#"(("John Public" NIL "jqp" "example.com")) "#,
                r#"((NIL "@relay1.example,@relay2.example" "jqp" "example.com")) "#,
                r#"(("Smith, John" NIL "john" "example.com")(NIL NIL "root" "")(NIL NIL "quoted local" "example.com")) "#,
                r#"(("Mary Smith" NIL "mary" "[192.0.2.1]")) "#,
                r#"((NIL NIL "a" "b.example")("Cee" NIL "c" "d.example")) NIL NIL)"#
            )
        );
    }

    #[test]
    fn envelope_defaults_and_empty_fields() {
        let m = crlf(&[
            "from: a@example.com",
            "Sender:",
            "Subject:",
            "To:   ",
            "In-Reply-To: <x@y.example>",
            "",
            "body",
        ]);
        let a = r#"((NIL NIL "a" "example.com"))"#;
        assert_eq!(
            envelope(&m),
            format!(r#"(NIL "" {a} {a} {a} NIL NIL NIL "<x@y.example>" NIL)"#)
        );
        assert_eq!(envelope(b""), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
    }

    #[test]
    fn unfolding_and_case_insensitive_names() {
        let m = crlf(&[
            "SUBJECT: a folded",
            "\tsubject line  ",
            "subject: second one is ignored",
            "FROM: x@y.example",
            "",
            "",
        ]);
        let x = r#"((NIL NIL "x" "y.example"))"#;
        assert_eq!(
            envelope(&m),
            format!("(NIL \"a folded\tsubject line\" {x} {x} {x} NIL NIL NIL NIL NIL)")
        );
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFields(names(&["Subject"])))
            )
            .unwrap(),
            "SUBJECT: a folded\r\n\tsubject line  \r\nsubject: second one is ignored\r\n\r\n"
        );
    }

    // --- Odd shapes -------------------------------------------------------------------

    /// "the blank line is included in all header fetches, except in the case of a message
    /// that has no body and no blank line."
    #[test]
    fn message_without_blank_line() {
        let m = b"Subject: hi\r\nFrom: a@b".to_vec();
        assert_eq!(
            get(&m, &[], Some(SectionText::Header)).unwrap(),
            "Subject: hi\r\nFrom: a@b"
        );
        assert_eq!(get(&m, &[], Some(SectionText::Text)).unwrap(), "");
        assert_eq!(
            get(
                &m,
                &[],
                Some(SectionText::HeaderFields(names(&["subject"])))
            )
            .unwrap(),
            "Subject: hi\r\n"
        );
        assert_eq!(
            body_structure(&m, false),
            r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0)"#
        );
    }

    #[test]
    fn rfc2231_parameters() {
        let m = crlf(&[
            "Content-Type: application/octet-stream; name*1=\"name.txt\"; name*0=\"long\";",
            " title*0*=us-ascii'en'This%20is; title*1*=%20fun; plain=\"x y\"",
            "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            "",
            "data",
        ]);
        assert_eq!(
            body_structure(&m, true),
            concat!(
                r#"("APPLICATION" "OCTET-STREAM" ("NAME" "longname.txt" "TITLE*" "us-ascii'en'This%20is%20fun" "PLAIN" "x y") "#,
                r#"NIL NIL "7BIT" 4 NIL ("ATTACHMENT" ("FILENAME*" "UTF-8''r%C3%A9sum%C3%A9.pdf")) NIL NIL)"#
            )
        );
    }

    #[test]
    fn malformed_mime_falls_back_to_text_plain() {
        let plain = r#"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL"#;
        // Not type "/" subtype.
        let m = crlf(&["Content-Type: garbage", "", "x"]);
        assert_eq!(body_structure(&m, false), format!(r#"{plain} "7BIT" 1 1)"#));
        // Multipart without a boundary parameter.
        let m = crlf(&["Content-Type: multipart/mixed", "", "--x", "", "a", "--x--"]);
        assert_eq!(
            body_structure(&m, false),
            format!(r#"{plain} "7BIT" 15 4)"#)
        );
        assert_eq!(get(&m, &[1], None).unwrap(), "--x\r\n\r\na\r\n--x--");
        // A boundary that never occurs.
        let m = crlf(&["Content-Type: multipart/mixed; boundary=zz", "", "text"]);
        assert_eq!(body_structure(&m, false), format!(r#"{plain} "7BIT" 4 1)"#));
        // An encoded message/rfc822 cannot be parsed as a message.
        let m = crlf(&[
            "Content-Type: message/rfc822",
            "Content-Transfer-Encoding: base64",
            "",
            "U3ViamVjdDogeA0KDQp4",
        ]);
        assert_eq!(
            body_structure(&m, false),
            format!(r#"{plain} "BASE64" 20 1)"#)
        );
    }

    #[test]
    fn bare_lf_line_ends() {
        let m =
            b"Subject: lf\nContent-Type: multipart/mixed; boundary=z\n\n--z\n\npart one\n--z--\n"
                .to_vec();
        assert_eq!(
            body_structure(&m, false),
            r#"(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 1) "MIXED")"#
        );
        assert_eq!(get(&m, &[1], None).unwrap(), "part one");
        assert_eq!(get(&m, &[1], Some(SectionText::Mime)).unwrap(), "\n");
    }

    #[test]
    fn boundary_prefix_of_nested_boundary() {
        let m = crlf(&[
            "Content-Type: multipart/mixed; boundary=a",
            "",
            "--a",
            "Content-Type: multipart/alternative; boundary=ab",
            "",
            "--ab",
            "",
            "one",
            "--ab--",
            "--a--",
        ]);
        assert_eq!(
            body_structure(&m, false),
            r#"((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3 1) "ALTERNATIVE") "MIXED")"#
        );
        assert_eq!(get(&m, &[1, 1], None).unwrap(), "one");
    }

    #[test]
    fn line_counts() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\r\n"), 1);
        assert_eq!(count_lines(b"a\r\nb"), 2);
        assert_eq!(count_lines(b"\r\n\r\n"), 2);
    }

    #[test]
    fn deep_nesting_is_cut_off() {
        let mut m = Vec::new();
        for _ in 0..10_000 {
            m.extend_from_slice(b"Content-Type: message/rfc822\r\n\r\n");
        }
        m.extend_from_slice(b"Subject: bottom\r\n\r\nx");
        let s = body_structure(&m, true);
        assert_eq!(s.matches("\"RFC822\"").count(), MAX_DEPTH);
        // Each number goes one message deeper; the text/plain stand-in at the cut-off has
        // no part numbers of its own.
        let path = vec![1; MAX_DEPTH + 1];
        assert_eq!(
            section(&m, &sec(&path, None)).unwrap(),
            b"Content-Type: message/rfc822\r\n\r\n"
                .repeat(10_000 - MAX_DEPTH - 1)
                .into_iter()
                .chain(b"Subject: bottom\r\n\r\nx".iter().copied())
                .collect::<Vec<u8>>()
        );
        assert_eq!(section(&m, &sec(&[1; MAX_DEPTH + 2], None)), None);

        let mut m = Vec::new();
        for i in 0..10_000 {
            m.extend_from_slice(
                format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n")
                    .as_bytes(),
            );
        }
        let s = body_structure(&m, false);
        assert_eq!(s.matches("\"MIXED\"").count(), MAX_DEPTH);
    }

    // --- Properties -------------------------------------------------------------------

    /// Checks the output is one well-formed parenthesized list of quoted strings, NIL,
    /// numbers and literals.
    fn well_formed(s: &str) -> bool {
        let b = s.as_bytes();
        let mut depth = 0i64;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    if i >= b.len() {
                        return false;
                    }
                }
                b'{' => {
                    let close = match s[i..].find('}') {
                        Some(c) => i + c,
                        None => return false,
                    };
                    let n: usize = match s[i + 1..close].parse() {
                        Ok(n) => n,
                        Err(_) => return false,
                    };
                    if !s[close..].starts_with("}\r\n") {
                        return false;
                    }
                    i = close + 3 + n;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        depth == 0 && i == b.len()
    }

    fn section_strategy() -> impl Strategy<Value = Section> {
        let text = prop_oneof![
            Just(None),
            Just(Some(SectionText::Header)),
            Just(Some(SectionText::Text)),
            Just(Some(SectionText::Mime)),
            Just(Some(SectionText::HeaderFields(names(&["subject", "to"])))),
            Just(Some(SectionText::HeaderFieldsNot(names(&["from"])))),
        ];
        (proptest::collection::vec(0u32..4, 0..4), text)
            .prop_map(|(part, text)| Section { part, text })
    }

    const FRAGMENTS: &[&str] = &[
        "",
        "",
        "Content-Type: multipart/mixed; boundary=a",
        "Content-Type: multipart/digest; boundary=\"b\"",
        "Content-Type: message/rfc822",
        "Content-Type: text/plain; charset*0=us; charset*1*=%41",
        "Content-Type: /",
        "Content-Disposition: inline; filename=x",
        "Content-Language: en",
        "--a",
        "--a--",
        "--b",
        "--b--",
        "From: \"x\\\" y\" <a@b>, (c) d@e, g: h@i;",
        "To: undisclosed:;",
        "Cc: <@r:m@n>, <>, \"unterminated",
        " folded",
        "\tfolded",
        "Subject: (",
        "text line",
        "\u{e9}",
    ];

    fn structured_message() -> impl Strategy<Value = Vec<u8>> {
        (
            proptest::collection::vec(0..FRAGMENTS.len(), 0..40),
            any::<bool>(),
        )
            .prop_map(|(picks, bare_lf)| {
                let lines: Vec<&str> = picks.iter().map(|&i| FRAGMENTS[i]).collect();
                lines.join(if bare_lf { "\n" } else { "\r\n" }).into_bytes()
            })
    }

    fn check_all(m: &[u8], s: &Section) {
        let e = envelope(m);
        let b = body_structure(m, false);
        let bs = body_structure(m, true);
        assert!(well_formed(&e), "{e}");
        assert!(well_formed(&b), "{b}");
        assert!(well_formed(&bs), "{bs}");
        let _ = section(m, s);
        // HEADER and TEXT split the message exactly.
        let mut joined = section(m, &sec(&[], Some(SectionText::Header))).unwrap();
        joined.extend(section(m, &sec(&[], Some(SectionText::Text))).unwrap());
        assert_eq!(joined, m);
        assert_eq!(section(m, &sec(&[], None)).unwrap(), m);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_bytes_never_panic(
            m in proptest::collection::vec(any::<u8>(), 0..2048),
            s in section_strategy(),
            v in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
        ) {
            check_all(&m, &s);
            let _ = nstring(v.as_deref());
        }

        #[test]
        fn structured_messages_never_panic(m in structured_message(), s in section_strategy()) {
            check_all(&m, &s);
        }

        #[test]
        fn nstring_round_trips(v in proptest::collection::vec(any::<u8>(), 0..64)) {
            let out = nstring(Some(&v));
            if out.first() == Some(&b'"') {
                let mut back = Vec::new();
                let mut it = out[1..out.len() - 1].iter();
                while let Some(&c) = it.next() {
                    back.push(if c == b'\\' { *it.next().unwrap() } else { c });
                }
                prop_assert_eq!(back, v);
            } else {
                let prefix = format!("{{{}}}\r\n", v.len());
                prop_assert!(out.starts_with(prefix.as_bytes()));
                prop_assert_eq!(&out[prefix.len()..], &v[..]);
            }
        }
    }
}
