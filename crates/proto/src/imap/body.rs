//! ENVELOPE and BODY / BODYSTRUCTURE (RFC 9051 §7.5.2; RFC 3501 agrees, except that it
//! knows no message/global) written from a parsed message, as the strings a FETCH response
//! carries. Strings are quoted or sent as literals as [`string`] chooses.
//!
//! Text line count: the number of line ends, plus one for a final line without one.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::encode::string;
use crate::mime::address::{addresses, Address};
use crate::mime::content::Content;
use crate::mime::header::{first_value, Field};
use crate::mime::tree::{Entity, Kind};
use crate::mime::Parsed;

/// ENVELOPE as IMAP syntax: ("date" "subject" (from) (sender) (reply-to) (to) (cc) (bcc)
/// "in-reply-to" "message-id"), with NIL where absent; sender and reply-to default to from
/// (RFC 9051 §7.5.2).
pub fn envelope(parsed: &Parsed<'_>) -> String {
    let mut out = String::new();
    write_envelope(&mut out, &parsed.root().fields);
    out
}

/// BODYSTRUCTURE (extensible = true, with extension data) or BODY (extensible = false) as
/// IMAP syntax.
pub fn body_structure(parsed: &Parsed<'_>, extensible: bool) -> String {
    let mut out = String::new();
    write_body(&mut out, parsed.root(), extensible);
    out
}

/// `string` into a `String`. For valid UTF-8 a literal is byte-exact; invalid UTF-8 is
/// replaced with U+FFFD first and `{n}` counts the replaced text, so the output always
/// stays self-consistent (an 8-bit string is never quotable, before or after).
fn write_string(out: &mut String, v: &[u8]) {
    let text = String::from_utf8_lossy(v);
    out.push_str(&String::from_utf8_lossy(&string(text.as_bytes())));
}

fn write_nstring(out: &mut String, v: Option<&[u8]>) {
    match v {
        Some(v) => write_string(out, v),
        None => out.push_str("NIL"),
    }
}

/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
/// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`
fn write_envelope(out: &mut String, fields: &[Field<'_>]) {
    let value = |name: &str| first_value(fields.iter().copied(), name);
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
    write_nstring(out, value("Date").as_deref());
    out.push(' ');
    write_nstring(out, value("Subject").as_deref());
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
    write_nstring(out, value("In-Reply-To").as_deref());
    out.push(' ');
    write_nstring(out, value("Message-ID").as_deref());
    out.push(')');
}

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

/// `body = "(" (body-type-1part / body-type-mpart) ")"`
fn write_body(out: &mut String, e: &Entity<'_>, ext: bool) {
    let c = &e.content;
    out.push('(');
    if let Kind::Multipart(children) = &e.kind {
        // `body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]` -- the nested
        // bodies follow each other with no SP in between.
        for child in children {
            write_body(out, child, ext);
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
            write_envelope(out, &inner.fields);
            out.push(' ');
            write_body(out, inner, ext);
            out.push(' ');
            out.push_str(&count_lines(e.body).to_string());
        } else if c.mtype == b"TEXT" {
            // `body-type-text = media-text SP body-fields SP body-fld-lines`
            out.push(' ');
            out.push_str(&count_lines(e.body).to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counts() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\r\n"), 1);
        assert_eq!(count_lines(b"a\r\nb"), 2);
        assert_eq!(count_lines(b"\r\n\r\n"), 2);
    }
}
