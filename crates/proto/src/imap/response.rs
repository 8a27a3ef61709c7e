//! Reading server responses on the client side: a small tokenizer for the parenthesised
//! lists of RFC 9051 §9 (atoms, quoted strings, literals, NIL, lists), and the few
//! response shapes a client acts on.

use super::decode::{frame_within, Framing};
use super::types::MAX_RESPONSE_LINE;
use crate::DecodeError;

/// One token of a response line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Atom(String),
    Str(Vec<u8>),
    Nil,
    List(Vec<Token>),
}

impl Token {
    pub fn atom(&self) -> Option<&str> {
        match self {
            Token::Atom(a) => Some(a),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<u64> {
        self.atom()?.parse().ok()
    }
}

/// A response the client understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// `+ text`: the server waits for more (a literal, a SASL answer, or IDLE).
    Continue(String),
    /// `tag OK|NO|BAD [code] text`
    Tagged {
        tag: String,
        status: String,
        code: Option<String>,
        text: String,
    },
    /// `* OK|NO|BAD|BYE|PREAUTH [code] text`
    Status {
        status: String,
        code: Option<String>,
        text: String,
    },
    /// `* n EXISTS`, `* n EXPUNGE`, `* n FETCH (...)`, `* n RECENT`.
    Numbered {
        number: u32,
        kind: String,
        data: Vec<Token>,
    },
    /// Any other untagged data: `* CAPABILITY ...`, `* SEARCH ...`, `* LIST ...`.
    Data { kind: String, data: Vec<Token> },
}

/// One whole response from the front of `input` and the octets it took.
pub fn response(input: &[u8]) -> Result<(Response, usize), DecodeError> {
    let used = match frame_within(input, MAX_RESPONSE_LINE) {
        Framing::Complete(n) => n,
        Framing::Incomplete { .. } => return Err(DecodeError::Incomplete),
        Framing::LineTooLong | Framing::LiteralTooLarge => return Err(DecodeError::Failed),
    };
    let whole = input.get(..used).unwrap_or_default();
    let line = whole
        .strip_suffix(b"\r\n")
        .or_else(|| whole.strip_suffix(b"\n"))
        .unwrap_or(whole);
    parse(line).map(|r| (r, used)).ok_or(DecodeError::Failed)
}

fn parse(line: &[u8]) -> Option<Response> {
    if let Some(rest) = line.strip_prefix(b"+") {
        let text = String::from_utf8_lossy(rest.strip_prefix(b" ").unwrap_or(rest)).into_owned();
        return Some(Response::Continue(text));
    }
    let (first, rest) = split_word(line);
    let rest = rest.unwrap_or_default();
    if first == b"*" {
        let (second, rest2) = split_word(rest);
        let second = String::from_utf8_lossy(second).into_owned();
        let upper = second.to_ascii_uppercase();
        if matches!(upper.as_str(), "OK" | "NO" | "BAD" | "BYE" | "PREAUTH") {
            let (code, text) = resp_text(rest2.unwrap_or_default());
            return Some(Response::Status {
                status: upper,
                code,
                text,
            });
        }
        if let Ok(number) = second.parse::<u32>() {
            let (kind, rest3) = split_word(rest2.unwrap_or_default());
            let data = tokens(rest3.unwrap_or_default())?;
            return Some(Response::Numbered {
                number,
                kind: String::from_utf8_lossy(kind).to_ascii_uppercase(),
                data,
            });
        }
        return Some(Response::Data {
            kind: upper,
            data: tokens(rest2.unwrap_or_default())?,
        });
    }
    let (status, rest) = split_word(rest);
    let status = String::from_utf8_lossy(status).to_ascii_uppercase();
    if !matches!(status.as_str(), "OK" | "NO" | "BAD") || first.is_empty() {
        return None;
    }
    let (code, text) = resp_text(rest.unwrap_or_default());
    Some(Response::Tagged {
        tag: String::from_utf8_lossy(first).into_owned(),
        status,
        code,
        text,
    })
}

fn split_word(line: &[u8]) -> (&[u8], Option<&[u8]>) {
    match line.iter().position(|&b| b == b' ') {
        Some(sp) => (line.get(..sp).unwrap_or_default(), line.get(sp + 1..)),
        None => (line, None),
    }
}

/// `resp-text = ["[" resp-text-code "]" SP] text`
fn resp_text(rest: &[u8]) -> (Option<String>, String) {
    let text = String::from_utf8_lossy(rest).into_owned();
    if let Some(inner) = text.strip_prefix('[') {
        if let Some((code, after)) = inner.split_once(']') {
            return (Some(code.to_string()), after.trim_start().to_string());
        }
    }
    (None, text)
}

/// Tokens of the rest of a line: atoms (a `[...]` section stays inside its atom), quoted
/// strings, literals, NIL and parenthesised lists.
pub fn tokens(input: &[u8]) -> Option<Vec<Token>> {
    let mut pos = 0;
    let list = list_items(input, &mut pos, 0)?;
    Some(list)
}

/// How deeply parenthesized lists may nest in a response: BODYSTRUCTURE needs a few levels;
/// a server sending thousands must not exhaust the stack.
const MAX_NESTING: usize = 64;

fn list_items(input: &[u8], pos: &mut usize, depth: usize) -> Option<Vec<Token>> {
    if depth > MAX_NESTING {
        return None;
    }
    let nested = depth > 0;
    let mut out = Vec::new();
    loop {
        while input.get(*pos) == Some(&b' ') {
            *pos += 1;
        }
        match input.get(*pos) {
            None => return (!nested).then_some(out),
            Some(b')') => {
                *pos += 1;
                return nested.then_some(out);
            }
            Some(b'(') => {
                *pos += 1;
                out.push(Token::List(list_items(input, pos, depth + 1)?));
            }
            Some(b'"') => {
                *pos += 1;
                let mut s = Vec::new();
                loop {
                    match input.get(*pos)? {
                        b'"' => break,
                        b'\\' => {
                            *pos += 1;
                            s.push(*input.get(*pos)?);
                        }
                        b => s.push(*b),
                    }
                    *pos += 1;
                }
                *pos += 1;
                out.push(Token::Str(s));
            }
            // A literal, or a literal8 (`~{n}`, RFC 9051 §4.3.1: BINARY data with NUL in it).
            Some(b'{') | Some(b'~')
                if input.get(*pos..)?.starts_with(b"{")
                    || input.get(*pos..)?.starts_with(b"~{") =>
            {
                if input.get(*pos) == Some(&b'~') {
                    *pos += 1;
                }
                let close = input.get(*pos..)?.iter().position(|&b| b == b'}')? + *pos;
                let digits = std::str::from_utf8(input.get(*pos + 1..close)?).ok()?;
                let size: usize = digits.trim_end_matches('+').parse().ok()?;
                // After "}" comes CRLF (a bare LF is accepted, as the framer does). A server
                // can announce any size: checked, so a huge one is just "not parsed".
                let after = input.get(close + 1..)?;
                let start = close
                    + 1
                    + if after.starts_with(b"\r\n") {
                        2
                    } else {
                        usize::from(after.starts_with(b"\n"))
                    };
                let end = start.checked_add(size)?;
                let data = input.get(start..end)?;
                out.push(Token::Str(data.to_vec()));
                *pos = end;
            }
            Some(_) => {
                let start = *pos;
                // `[` is an ATOM-CHAR (a flag may be `\S[en`); it opens a section only right
                // after BODY, BODY.PEEK or BINARY*, and sections do not nest. Inside one, a
                // header name may be a quoted string holding `]` or a space.
                // A keyword may look like the start of a section (`BODY[x` is a valid flag): a
                // section not closed on its line is read again as a plain atom.
                let plain = |pos: &mut usize| {
                    while let Some(&b) = input.get(*pos) {
                        if matches!(b, b' ' | b')' | b'(' | b'\r' | b'\n') {
                            break;
                        }
                        *pos += 1;
                    }
                };
                let mut in_section = false;
                while let Some(&b) = input.get(*pos) {
                    match b {
                        // Sections name FETCH data items, which sit directly in the FETCH's
                        // list: a `BODY[x` keyword inside FLAGS (...) is never one.
                        b'[' if !in_section
                            && depth == 1
                            && opens_section(input.get(start..*pos)?) =>
                        {
                            in_section = true;
                        }
                        b']' if in_section => in_section = false,
                        b'\r' | b'\n' if in_section => break,
                        b'"' if in_section => {
                            let mut at = *pos + 1;
                            while input.get(at).is_some_and(|&c| c != b'"' && c != b'\n') {
                                if input.get(at) == Some(&b'\\') {
                                    at += 1;
                                }
                                at += 1;
                            }
                            if input.get(at) != Some(&b'"') {
                                break;
                            }
                            *pos = at;
                        }
                        b' ' | b')' | b'(' if !in_section => break,
                        _ => {}
                    }
                    *pos += 1;
                }
                if in_section {
                    *pos = start;
                    plain(pos);
                }
                let atom = String::from_utf8_lossy(input.get(start..*pos)?).into_owned();
                out.push(if atom.eq_ignore_ascii_case("NIL") {
                    Token::Nil
                } else {
                    Token::Atom(atom)
                });
            }
        }
    }
}

/// A FETCH data item whose `[` starts a section: `BODY[`, `BODY.PEEK[`, `BINARY[`, ….
fn opens_section(atom: &[u8]) -> bool {
    ["BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE"]
        .iter()
        .any(|name| atom.eq_ignore_ascii_case(name.as_bytes()))
}

/// The value after `name` in a FETCH data list, e.g. `FLAGS` → the flag list.
pub fn fetch_item<'a>(data: &'a [Token], name: &str) -> Option<&'a Token> {
    let Some(Token::List(items)) = data.first() else {
        return None;
    };
    let mut iter = items.iter();
    while let Some(t) = iter.next() {
        let value = iter.next()?;
        if t.atom().is_some_and(|a| {
            a.eq_ignore_ascii_case(name) || a.to_ascii_uppercase().starts_with(&format!("{name}["))
        }) {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // Found by fuzzing: the announced size was added without a check.
    #[test]
    fn a_literal_size_near_the_top_of_usize_is_refused_not_added() {
        let huge = format!("(BODY[] {{{}}}\r\nx)", usize::MAX - 1);
        assert_eq!(tokens(huge.as_bytes()), None);
    }

    // Found by fuzzing: `[` in a flag was taken for a section and the line refused.
    #[test]
    fn brackets_open_a_section_only_after_body() {
        let line = b"(FLAGS (\\S[en 1[[[ \\Seen) MODSEQ (9) BODY[HEADER.FIELDS (\"A]B\" \"C D\")] {2}\r\n\r\n)";
        let data = tokens(line).unwrap();
        let Some(Token::List(items)) = data.first() else {
            panic!("{data:?}")
        };
        assert_eq!(
            fetch_item(&data, "FLAGS"),
            Some(&Token::List(vec![
                Token::Atom("\\S[en".into()),
                Token::Atom("1[[[".into()),
                Token::Atom("\\Seen".into())
            ]))
        );
        assert_eq!(
            items.get(4),
            Some(&Token::Atom("BODY[HEADER.FIELDS (\"A]B\" \"C D\")]".into()))
        );
        assert_eq!(
            fetch_item(&data, "BODY"),
            Some(&Token::Str(b"\r\n".to_vec()))
        );
    }

    #[test]
    fn a_literal_after_a_bare_line_feed_is_read_from_the_right_octet() {
        let data = tokens(b"(BODY[] {5}\nhello)").unwrap();
        assert_eq!(
            fetch_item(&data, "BODY"),
            Some(&Token::Str(b"hello".to_vec()))
        );
    }

    #[test]
    fn responses_of_every_shape() {
        let (r, used) = response(b"* 12 FETCH (FLAGS (\\Seen) UID 7 BODY[HEADER.FIELDS (SUBJECT)] {6}\r\nHi\r\n\r\n)\r\nA1 OK done\r\n").unwrap();
        assert_eq!(used, 76);
        let Response::Numbered {
            number: 12,
            kind,
            data,
        } = r
        else {
            panic!()
        };
        assert_eq!(kind, "FETCH");
        assert_eq!(fetch_item(&data, "UID").and_then(Token::number), Some(7));
        assert_eq!(
            fetch_item(&data, "BODY"),
            Some(&Token::Str(b"Hi\r\n\r\n".to_vec()))
        );
        assert_eq!(
            fetch_item(&data, "FLAGS"),
            Some(&Token::List(vec![Token::Atom("\\Seen".into())]))
        );
        assert_eq!(
            response(b"a2 OK [READ-WRITE] SELECT completed\r\n")
                .unwrap()
                .0,
            Response::Tagged {
                tag: "a2".into(),
                status: "OK".into(),
                code: Some("READ-WRITE".into()),
                text: "SELECT completed".into()
            }
        );
        assert_eq!(
            response(b"+ idling\r\n").unwrap().0,
            Response::Continue("idling".into())
        );
        assert!(
            matches!(response(b"* SEARCH 2 4\r\n").unwrap().0, Response::Data { ref kind, ref data } if kind == "SEARCH" && data.len() == 2)
        );
        assert!(
            matches!(response(b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n").unwrap().0, Response::Status { code: Some(ref c), .. } if c == "UIDVALIDITY 3857529045")
        );
        assert_eq!(
            response(b"* 3 EXPUNGE").map(|_| ()),
            Err(DecodeError::Incomplete)
        );
        assert_eq!(
            response(b"garbage\r\n").map(|_| ()),
            Err(DecodeError::Failed)
        );
    }

    // Fuzz finding 12: BINARY data with NUL comes as a literal8, `~{n}`.
    #[test]
    fn a_literal8_is_read_as_its_octets() {
        let data = tokens(b"(BINARY[1] ~{4}\r\n\0(\"{ UID 3)").unwrap();
        assert_eq!(
            data,
            [Token::List(vec![
                Token::Atom("BINARY[1]".into()),
                Token::Str(b"\0(\"{".to_vec()),
                Token::Atom("UID".into()),
                Token::Atom("3".into()),
            ])]
        );
    }

    // Fuzz finding 13: `BODY[x` is a valid keyword; a section not closed on its line is an
    // atom like any other.
    #[test]
    fn a_keyword_that_looks_like_a_section_is_an_atom() {
        let data = tokens(b"(FLAGS (BODY[x BINARY.PEEK[ \\Seen) UID 4)").unwrap();
        assert_eq!(
            data,
            [Token::List(vec![
                Token::Atom("FLAGS".into()),
                Token::List(vec![
                    Token::Atom("BODY[x".into()),
                    Token::Atom("BINARY.PEEK[".into()),
                    Token::Atom("\\Seen".into()),
                ]),
                Token::Atom("UID".into()),
                Token::Atom("4".into()),
            ])]
        );
        let (r, _) = response(b"* 1 FETCH (FLAGS (BODY[x))\r\n").unwrap();
        assert!(matches!(r, Response::Numbered { number: 1, .. }), "{r:?}");
    }

    #[test]
    fn lists_nest_only_so_deep() {
        let deep = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(tokens(deep.as_bytes()).is_some());
        let deeper = "(".repeat(100_000);
        assert_eq!(tokens(deeper.as_bytes()), None);
    }

    // Fuzz finding 13 again: the keyword's `[` met the `]` of a real section later on the line.
    #[test]
    fn a_section_keyword_in_flags_does_not_reach_the_next_section() {
        let (r, _) =
            response(b"* 6 FETCH (FLAGS (BINARY[d \\Seen) BINARY[] {2}\r\nhi)\r\n").unwrap();
        let Response::Numbered { data, .. } = r else {
            panic!("{r:?}")
        };
        assert_eq!(
            data,
            [Token::List(vec![
                Token::Atom("FLAGS".into()),
                Token::List(vec![
                    Token::Atom("BINARY[d".into()),
                    Token::Atom("\\Seen".into())
                ]),
                Token::Atom("BINARY[]".into()),
                Token::Str(b"hi".to_vec()),
            ])]
        );
    }

    // Found by the IMAP4rev2 fuzz target: SEARCH in a mailbox of some 12,000 messages passes
    // 64 KiB, the limit for commands; responses may run to 1,000,000 octets.
    #[test]
    fn a_long_search_response_is_read_and_an_endless_line_is_not() {
        let numbers: Vec<String> = (1..=20_000).map(|n| n.to_string()).collect();
        let line = format!("* SEARCH {}\r\n", numbers.join(" "));
        assert!(line.len() > 64 * 1024);
        let (r, used) = response(line.as_bytes()).unwrap();
        assert_eq!(used, line.len());
        assert!(matches!(r, Response::Data { ref data, .. } if data.len() == 20_000));
        let endless = vec![b'x'; MAX_RESPONSE_LINE + 1];
        assert_eq!(response(&endless), Err(DecodeError::Failed));
    }
}
