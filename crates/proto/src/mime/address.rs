//! RFC 5322 address lists (§3.4, with the obsolete route syntax of §4.4) read into IMAP's
//! address structure. Lenient, as a server must be with what senders write:
//! - `user@host (Full Name)`: with no display name, the comment becomes the addr-name.
//! - An address without a domain gets the empty string as host, because a NIL host would
//!   read as a group marker (RFC 9051 §7.5.2).
//! - `<>`, the null reverse-path, is no address; anything else that cannot be placed is
//!   skipped up to the next comma.

use super::header::{comment, first_value, quoted, trim_wsp, Field};

/// An IMAP address structure: `(addr-name addr-adl addr-mailbox addr-host)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    pub(crate) name: Option<Vec<u8>>,
    pub(crate) adl: Option<Vec<u8>>,
    pub(crate) mailbox: Option<Vec<u8>>,
    pub(crate) host: Option<Vec<u8>>,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tk {
    Word,
    Quoted,
    DomainLiteral,
    Comment,
    Special(u8),
}

#[derive(Debug)]
struct Tok {
    kind: Tk,
    /// Word text, quoted-string or comment content (unescaped), `[literal]`, or the
    /// special character.
    text: Vec<u8>,
    /// Whitespace or a comment came before it: words of a phrase are then joined by SP.
    space: bool,
}

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

/// The addresses of the first field called `name`; none when it is absent or empty.
pub(crate) fn addresses(fields: &[Field<'_>], name: &str) -> Vec<Address> {
    first_value(fields.iter().copied(), name)
        .map(|v| parse_address_list(&address_tokens(&v)))
        .unwrap_or_default()
}

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

/// `domain = dot-atom / domain-literal / obs-domain`, comments skipped: those before it
/// (`user@ (comment) domain`, RFC 5322 §3.4.1's CFWS) and between its labels. One after it
/// is left for the caller: in `user@host (Full Name)` it is the name.
fn domain(toks: &[Tok], start: usize) -> (Vec<u8>, usize) {
    let mut host: Vec<u8> = Vec::new();
    let mut k = start;
    while let Some(t) = toks.get(k) {
        match t.kind {
            Tk::Word | Tk::DomainLiteral | Tk::Special(b'.') => host.extend_from_slice(&t.text),
            Tk::Comment => {
                let next = toks
                    .get(k + 1..)
                    .and_then(|rest| rest.iter().find(|t| t.kind != Tk::Comment));
                let inside = host.is_empty()
                    || host.ends_with(b".")
                    || next.is_some_and(|t| t.kind == Tk::Special(b'.'));
                if !inside {
                    break;
                }
            }
            _ => break,
        }
        k += 1;
    }
    (host, k)
}

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

fn non_empty(v: &[u8]) -> Option<Vec<u8>> {
    (!v.is_empty()).then(|| v.to_vec())
}

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

/// `addr-mailbox`: "\[RFC5322\] local-part after removing \[RFC5322\] quoting".
fn local_part(phrase: &[Tok]) -> Vec<u8> {
    phrase
        .iter()
        .filter(|t| t.kind != Tk::Comment)
        .flat_map(|t| t.text.iter().copied())
        .collect()
}

fn first_comment(phrase: &[Tok]) -> Option<Vec<u8>> {
    phrase
        .iter()
        .filter(|t| t.kind == Tk::Comment)
        .find_map(|t| non_empty(trim_wsp(&t.text)))
}
