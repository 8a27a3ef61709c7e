//! ENVELOPE, BODYSTRUCTURE / BODY and `BODY[section]` computed from arbitrary message octets.
//!
//! Input layout: byte 0 picks the section (bits 0-1: how many part numbers follow, bits
//! 2-4: the text specifier), then one octet per part number, then the message.
//!
//! Invariants:
//! - `imap::mime::{envelope, body_structure, section}` never panic;
//! - ENVELOPE, BODY and BODYSTRUCTURE are each one balanced parenthesised list, with quoted
//!   strings and literals well formed (a literal's `{n}` counts the octets that follow), and
//!   our own response tokenizer reads each as exactly one list;
//! - imap-codec parses `* 1 FETCH (ENVELOPE e BODY b BODYSTRUCTURE s)` built from them,
//!   except when the message holds a NUL octet (documented in `imap/encode.rs`: IMAP has no
//!   legal way to send NUL outside BINARY, so we send it in a literal);
//! - `BODY[]` is the message, and `BODY[HEADER]` followed by `BODY[TEXT]` is the message.
#![no_main]

use imap_codec::decode::Decoder;
use imap_codec::ResponseCodec;
use libfuzzer_sys::fuzz_target;
use postroom_proto::imap::mime::{self, Section, SectionText};
use postroom_proto::imap::response::{tokens, Token};

fuzz_target!(|data: &[u8]| {
    let [spec, rest @ ..] = data else {
        return;
    };
    let parts = usize::from(spec & 3);
    if rest.len() < parts {
        return;
    }
    let (numbers, message) = rest.split_at(parts);
    let text = match (spec >> 2) & 7 {
        0 | 6 => None,
        1 => Some(SectionText::Header),
        2 => Some(SectionText::HeaderFields(vec![
            "Subject".into(),
            "FROM".into(),
        ])),
        3 => Some(SectionText::HeaderFieldsNot(vec!["subject".into()])),
        4 => Some(SectionText::Text),
        _ => Some(SectionText::Mime),
    };
    let section = Section {
        part: numbers.iter().map(|&n| u32::from(n % 8)).collect(),
        text,
    };
    let _ = mime::section(message, &section);

    let envelope = mime::envelope(message);
    let body = mime::body_structure(message, false);
    let structure = mime::body_structure(message, true);
    for (what, list) in [
        ("ENVELOPE", &envelope),
        ("BODY", &body),
        ("BODYSTRUCTURE", &structure),
    ] {
        if let Err(why) = balanced(list.as_bytes()) {
            panic!("{what} is not one balanced list ({why}): {list:?}");
        }
        match tokens(list.as_bytes()) {
            Some(t) if matches!(t.as_slice(), [Token::List(_)]) => {}
            other => panic!("{what} does not tokenize as one list ({other:?}): {list:?}"),
        }
    }
    if !message.contains(&0) {
        let fetch =
            format!("* 1 FETCH (ENVELOPE {envelope} BODY {body} BODYSTRUCTURE {structure})\r\n");
        match ResponseCodec::default().decode(fetch.as_bytes()) {
            Ok((rest, _)) => assert!(rest.is_empty(), "imap-codec left {rest:?}"),
            Err(e) => panic!("imap-codec rejects ({e:?}): {fetch:?}"),
        }
    }

    let whole = Section {
        part: Vec::new(),
        text: None,
    };
    assert_eq!(mime::section(message, &whole).as_deref(), Some(message));
    let header = mime::section(
        message,
        &Section {
            part: Vec::new(),
            text: Some(SectionText::Header),
        },
    );
    let body_text = mime::section(
        message,
        &Section {
            part: Vec::new(),
            text: Some(SectionText::Text),
        },
    );
    match (header, body_text) {
        (Some(h), Some(t)) => assert!(
            [h.as_slice(), t.as_slice()].concat() == message,
            "HEADER {h:?} + TEXT {t:?} is not the message"
        ),
        other => panic!("HEADER/TEXT of the whole message missing: {other:?}"),
    }
});

/// One parenthesised list, nothing before or after it: quoted strings (with `\` escapes)
/// and literals (`{n}` CRLF, then n octets) are skipped, and parentheses must balance.
fn balanced(s: &[u8]) -> Result<(), String> {
    if s.first() != Some(&b'(') {
        return Err("does not start with (".into());
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1).ok_or(format!(") too many at {i}"))?;
                if depth == 0 && i + 1 != s.len() {
                    return Err(format!("text after the list at {}", i + 1));
                }
            }
            b'"' => {
                i += 1;
                loop {
                    match s.get(i) {
                        None => return Err("unterminated quoted string".into()),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            if !matches!(s.get(i + 1), Some(b'"' | b'\\')) {
                                return Err(format!("bad escape at {i}"));
                            }
                            i += 2;
                        }
                        Some(b'\r' | b'\n' | 0) => {
                            return Err(format!("CR, LF or NUL in a quoted string at {i}"))
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            b'{' => {
                let close = s[i..]
                    .iter()
                    .position(|&b| b == b'}')
                    .ok_or("unterminated literal size")?
                    + i;
                let n: usize = std::str::from_utf8(&s[i + 1..close])
                    .ok()
                    .and_then(|d| d.parse().ok())
                    .ok_or(format!("bad literal size at {i}"))?;
                if s.get(close + 1..close + 3) != Some(b"\r\n") {
                    return Err(format!("no CRLF after the literal size at {close}"));
                }
                i = close + 3 + n;
                if i > s.len() {
                    return Err("literal runs past the end".into());
                }
                continue;
            }
            b'\r' | b'\n' => return Err(format!("line break outside a literal at {i}")),
            _ => {}
        }
        i += 1;
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("{depth} unclosed"))
    }
}
