//! A small JSON reader for lesson and results files, with errors that name the line and the
//! field (`goal[2].line`) for a teacher who typed the file by hand. Never panics.
//!
//! The types' serde derives define the format; this reader, not serde_json, runs in the page
//! because it costs a fraction of the size (tests check that both read every file alike).

use postroom_proto::i18n::{Arg, Text};
use postroom_proto::text;

/// What is wrong with a file, and where; the text is shown to the teacher as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// From 1; 0 when the place is not known.
    pub line: usize,
    pub column: usize,
    /// The field, as `goal[2].line`; empty for the whole file.
    pub field: String,
    /// What is wrong, in the class's language on the page (`text` adds the place).
    pub message: Text,
}

impl FormatError {
    /// The error with its place, in the class's language.
    pub fn text(&self) -> Text {
        let (line, column) = (self.line, self.column);
        let (field, why) = (self.field.as_str(), Arg::from(&self.message));
        match (line > 0, field.is_empty()) {
            (true, false) => text!(
                "lesson.format.at-field",
                line = line,
                column = column,
                field = field,
                why = why
            ),
            (true, true) => text!("lesson.format.at", line = line, column = column, why = why),
            (false, false) => text!("lesson.format.in-field", field = field, why = why),
            (false, true) => self.message.clone(),
        }
    }
}

/// In English, for the tests and any reader of the file's own errors.
impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: ", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, "in “{}”: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// A file a person may hand in is refused past this size (a lesson is a few KB).
pub const MAX_BYTES: usize = 256 * 1024;

/// Deeper nesting than any lesson needs is refused rather than read.
const MAX_DEPTH: usize = 64;

/// A value read from the file, with the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written: the types say which numbers they take.
    Number(String),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Value {
    fn kind(&self) -> Text {
        match self {
            Value::Null => text!("lesson.format.kind.null"),
            Value::Bool(_) => text!("lesson.format.kind.bool"),
            Value::Number(_) => text!("lesson.format.kind.number"),
            Value::Text(_) => text!("lesson.format.kind.text"),
            Value::List(_) => text!("lesson.format.kind.list"),
            Value::Object(_) => text!("lesson.format.kind.object"),
        }
    }
}

/// The file being read: to place errors by line and column.
#[derive(Debug, Clone, Copy)]
pub struct Cx<'t> {
    text: &'t str,
}

impl Cx<'_> {
    /// An error at byte `at` in the field `field`.
    pub fn error(&self, at: usize, field: &str, message: Text) -> FormatError {
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
        FormatError {
            line,
            column,
            field: field.to_string(),
            message,
        }
    }

    /// "expected X, found Y" for a value of the wrong kind.
    pub fn expected(&self, node: &Node, field: &str, what: Text) -> FormatError {
        let found = node.value.kind();
        self.error(
            node.at,
            field,
            text!("lesson.format.expected", what = what, found = found),
        )
    }
}

/// A type read from a JSON value.
pub trait FromJson: Sized {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError>;
}

impl FromJson for String {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        match &node.value {
            Value::Text(t) => Ok(t.clone()),
            _ => Err(cx.expected(node, field, text!("lesson.format.what.text"))),
        }
    }
}

impl FromJson for bool {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(cx.expected(node, field, text!("lesson.format.what.bool"))),
        }
    }
}

/// A whole number from 0 to `max`.
fn whole(node: &Node, field: &str, cx: Cx<'_>, max: u32) -> Result<u32, FormatError> {
    let Value::Number(n) = &node.value else {
        return Err(cx.expected(node, field, text!("lesson.format.what.number")));
    };
    n.parse::<u32>().ok().filter(|v| *v <= max).ok_or_else(|| {
        cx.error(
            node.at,
            field,
            text!(
                "lesson.format.whole",
                max = max.to_string(),
                found = n.as_str()
            ),
        )
    })
}

impl FromJson for u32 {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        whole(node, field, cx, u32::MAX)
    }
}

impl FromJson for u16 {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        whole(node, field, cx, u32::from(u16::MAX)).map(|n| n as u16)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(node: &Node, field: &str, cx: Cx<'_>) -> Result<Self, FormatError> {
        let Value::List(items) = &node.value else {
            return Err(cx.expected(node, field, text!("lesson.format.what.list")));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(item, &format!("{field}[{i}]"), cx))
            .collect()
    }
}

/// A name from a fixed list, as enums are written: `"beginner"`.
pub fn named<T: Copy>(
    node: &Node,
    field: &str,
    cx: Cx<'_>,
    names: &[(&str, T)],
) -> Result<T, FormatError> {
    let text = String::from_json(node, field, cx)?;
    names
        .iter()
        .find(|(n, _)| *n == text)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            cx.error(
                node.at,
                field,
                text!(
                    "lesson.format.not-one-of",
                    text = text.as_str(),
                    names = all.join(", ")
                ),
            )
        })
}

/// The fields of an object, each among the names the type knows: a misspelt one is named
/// before anything else, with the names there are.
pub struct Obj<'n, 't> {
    node: &'n Node,
    fields: &'n [(String, Node)],
    path: String,
    known: &'static [&'static str],
    cx: Cx<'t>,
}

impl<'n, 't> Obj<'n, 't> {
    pub fn new(
        node: &'n Node,
        field: &str,
        cx: Cx<'t>,
        known: &'static [&'static str],
    ) -> Result<Self, FormatError> {
        let Value::Object(fields) = &node.value else {
            return Err(cx.expected(node, field, text!("lesson.format.what.object")));
        };
        let obj = Obj {
            node,
            fields,
            path: field.to_string(),
            known,
            cx,
        };
        if let Some((key, value)) = fields.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(cx.error(
                value.at,
                &obj.path(key),
                text!(
                    "lesson.format.unknown-field",
                    key = key.as_str(),
                    names = known.join(", ")
                ),
            ));
        }
        Ok(obj)
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The field, if there.
    pub fn opt<T: FromJson>(&self, key: &'static str) -> Result<Option<T>, FormatError> {
        debug_assert!(self.known.contains(&key), "{key} is read but not known");
        match self.fields.iter().find(|(k, _)| k == key) {
            Some((_, node)) => T::from_json(node, &self.path(key), self.cx).map(Some),
            None => Ok(None),
        }
    }

    /// The field, which must be there.
    pub fn req<T: FromJson>(&self, key: &'static str) -> Result<T, FormatError> {
        self.opt(key)?.ok_or_else(|| {
            self.cx.error(
                self.node.at,
                &self.path,
                text!("lesson.format.missing-field", key = key),
            )
        })
    }

    /// The one key of an object such as `{"bob": "check-phone"}`, and its value.
    pub fn single(
        node: &'n Node,
        field: &str,
        cx: Cx<'t>,
    ) -> Result<(&'n str, &'n Node), FormatError> {
        match &node.value {
            Value::Object(fields) => match fields.as_slice() {
                [(key, value)] => Ok((key, value)),
                _ => Err(cx.error(node.at, field, text!("lesson.format.single"))),
            },
            _ => Err(cx.expected(node, field, text!("lesson.format.what.single"))),
        }
    }
}

/// Reads `text` into `T`, then asks `check` whether it means something: a field and why
/// when it does not, placed at that field's line.
pub fn read_checked<T: FromJson>(
    text: &str,
    check: impl Fn(&T) -> Result<(), (String, String)>,
) -> Result<T, FormatError> {
    let cx = Cx { text };
    if text.len() > MAX_BYTES {
        return Err(cx.error(
            0,
            "",
            text!(
                "lesson.format.too-big",
                size = text.len() / 1024,
                most = MAX_BYTES / 1024
            ),
        ));
    }
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
        path: Vec::new(),
    };
    let root = reader
        .document()
        .map_err(|(at, why)| cx.error(at, &reader.field(), why))?;
    let value = T::from_json(&root, "", cx)?;
    check(&value).map_err(|(field, why)| {
        // A lesson's meaning is checked in English words of its own.
        cx.error(
            find(&root, &field).unwrap_or(0),
            &field,
            Text::verbatim(why),
        )
    })?;
    Ok(value)
}

/// Where the value of `field` (`goal[2].line`) starts.
fn find(root: &Node, field: &str) -> Option<usize> {
    let mut node = root;
    for part in field.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            let Value::Object(fields) = &node.value else {
                return None;
            };
            node = fields.iter().find(|(k, _)| k == key).map(|(_, n)| n)?;
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            let Value::List(items) = &node.value else {
                return None;
            };
            node = items.get(i)?;
        }
    }
    Some(node.at)
}

/// Text as a JSON string, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A strict JSON reader (RFC 8259) that knows which field it is in.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: Vec<String>,
}

type Failure = (usize, Text);

impl Reader<'_> {
    fn field(&self) -> String {
        self.path.iter().fold(String::new(), |mut out, seg| {
            if !out.is_empty() && !seg.starts_with('[') {
                out.push('.');
            }
            out.push_str(seg);
            out
        })
    }

    fn fail<T>(&self, why: Text) -> Result<T, Failure> {
        Err((self.pos, why))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn document(&mut self) -> Result<Node, Failure> {
        let root = self.value(0)?;
        self.space();
        if self.pos < self.bytes.len() {
            return self.fail(text!("lesson.format.after-end"));
        }
        Ok(root)
    }

    fn value(&mut self, depth: usize) -> Result<Node, Failure> {
        self.space();
        if depth > MAX_DEPTH {
            return self.fail(text!("lesson.format.too-deep"));
        }
        let at = self.pos;
        let value = match self.peek() {
            None => return self.fail(text!("lesson.format.ends-early")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.list(depth)?,
            Some(b'"') => Value::Text(self.text()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return self.fail(text!("lesson.format.value")),
        };
        Ok(Node { at, value })
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, Failure> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.fail(text!("lesson.format.quotes"))
        }
    }

    fn number(&mut self) -> Result<Value, Failure> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(self.bytes.get(start..self.pos).unwrap_or_default())
            .into_owned();
        // RFC 8259 §6: no leading zeros, digits on both sides of a point.
        let body = text.strip_prefix('-').unwrap_or(&text);
        let (int, rest) = body.split_at(body.find(['.', 'e', 'E']).unwrap_or(body.len()));
        let ok = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && (int == "0" || !int.starts_with('0'))
            && (rest.is_empty() || rest.len() > 1);
        if !ok {
            self.pos = start;
            return self.fail(text!("lesson.format.not-number", text = text));
        }
        Ok(Value::Number(text))
    }

    fn text(&mut self) -> Result<String, Failure> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return self.fail(text!("lesson.format.unclosed"));
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let letter = self.peek();
                    self.pos += 1;
                    let escaped = match letter {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode()?,
                        _ => {
                            self.pos -= 1;
                            return self.fail(text!("lesson.format.escape"));
                        }
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(escaped.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => {
                    self.pos -= 1;
                    return self.fail(text!("lesson.format.line-break"));
                }
                _ => out.push(b),
            }
        }
        String::from_utf8(out).or_else(|_| self.fail(text!("lesson.format.utf8")))
    }

    /// The four hex digits after `\u` (and a second escape for a surrogate pair).
    fn unicode(&mut self) -> Result<char, Failure> {
        let hex = |r: &mut Self| -> Result<u32, Failure> {
            let digits = r
                .bytes
                .get(r.pos..r.pos + 4)
                .and_then(|d| std::str::from_utf8(d).ok());
            let n = digits.and_then(|d| u32::from_str_radix(d, 16).ok());
            match n {
                Some(n) if digits.is_some_and(|d| d.bytes().all(|b| b.is_ascii_hexdigit())) => {
                    r.pos += 4;
                    Ok(n)
                }
                _ => r.fail(text!("lesson.format.hex")),
            }
        };
        let high = hex(self)?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return self.fail(text!("lesson.format.surrogate"));
            }
            self.pos += 2;
            let low = hex(self)?;
            if !(0xDC00..0xE000).contains(&low) {
                return self.fail(text!("lesson.format.surrogate"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).map_or_else(|| self.fail(text!("lesson.format.not-char")), Ok)
    }

    fn list(&mut self, depth: usize) -> Result<Value, Failure> {
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            self.path.push(format!("[{}]", items.len()));
            items.push(self.value(depth + 1)?);
            self.path.pop();
            self.space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                _ => return self.fail(text!("lesson.format.list-comma")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Failure> {
        self.pos += 1;
        let mut fields: Vec<(String, Node)> = Vec::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return self.fail(text!("lesson.format.field-name"));
            }
            let key_at = self.pos;
            let key = self.text()?;
            if fields.iter().any(|(k, _)| *k == key) {
                self.pos = key_at;
                return self.fail(text!("lesson.format.twice", key = key.as_str()));
            }
            self.space();
            if self.peek() != Some(b':') {
                return self.fail(text!("lesson.format.colon", key = key.as_str()));
            }
            self.pos += 1;
            self.path.push(key.clone());
            let value = self.value(depth + 1)?;
            self.path.pop();
            fields.push((key, value));
            self.space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(fields));
                }
                _ => return self.fail(text!("lesson.format.field-comma")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Node, FormatError> {
        let cx = Cx { text };
        let mut reader = Reader {
            bytes: text.as_bytes(),
            pos: 0,
            path: Vec::new(),
        };
        reader
            .document()
            .map_err(|(at, why)| cx.error(at, &reader.field(), why))
    }

    #[test]
    fn reads_json_as_rfc_8259_writes_it() {
        let node =
            read(" {\"a\": [1, -2, 3.5e2, true, null], \"b\": \"x\\n\\u00e9\\ud83d\\ude00\\\"\"} ")
                .unwrap();
        let Value::Object(fields) = node.value else {
            panic!()
        };
        assert_eq!(fields[1].1.value, Value::Text("x\né😀\"".into()));
        let Value::List(items) = &fields[0].1.value else {
            panic!()
        };
        assert_eq!(items[2].value, Value::Number("3.5e2".into()));
        for bad in [
            "",
            "{",
            "{\"a\" 1}",
            "{\"a\": 01}",
            "[1,]",
            "{\"a\": 1,}",
            "\"\\x\"",
            "\"\\ud800\"",
            "{\"a\": 1, \"a\": 2}",
            "[1] 2",
            "\"a\nb\"",
            "tru",
            "1.",
            "-",
        ] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn syntax_errors_name_the_line_and_the_field() {
        let text = "{\n  \"goal\": [\n    {\"check\": \"sent\"},\n    {\"check\": \"sent\" \"line\": \"x\"}\n  ]\n}";
        let e = read(text).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (4, "goal[1]"), "{e}");
        assert!(e.message.contains("is a , missing?"), "{e}");
        assert!(
            e.to_string().starts_with("line 4, column 22: in “goal[1]”"),
            "{e}"
        );
        let deep = "[".repeat(100);
        assert!(read(&deep).unwrap_err().message.contains("deeply"));
    }

    #[test]
    fn fields_are_found_by_their_path() {
        let text = "{\"a\": [{\"b\": 1}, {\"b\": [5, 6]}]}";
        let root = read(text).unwrap();
        assert_eq!(find(&root, "a[1].b[1]"), text.find('6'));
        assert_eq!(find(&root, "a[2]"), None);
        assert_eq!(find(&root, ""), Some(0));
    }
}
