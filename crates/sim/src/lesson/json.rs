//! Reading lesson and results files: JSON through serde, with errors that name the line and
//! the field (`goal[2].line`), for a teacher who typed the file by hand. Never panics.

use serde::de::DeserializeOwned;

/// What is wrong with a file, and where; the text is shown to the teacher as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// From 1; 0 when the place is not known.
    pub line: usize,
    pub column: usize,
    /// The field, as `goal[2].line`; empty for the whole file.
    pub field: String,
    pub message: String,
}

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

/// Reads `text` as JSON into `T`, or says where and why it cannot.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, FormatError> {
    if text.len() > MAX_BYTES {
        return Err(FormatError {
            line: 0,
            column: 0,
            field: String::new(),
            message: format!(
                "the file is {} KB; a lesson or results file is at most {} KB",
                text.len() / 1024,
                MAX_BYTES / 1024
            ),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        let (mut line, mut column) = (e.line(), e.column());
        // serde_json's message ends with its own " at line L column C": said once, first.
        let full = e.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(m, _)| m)
            .to_string();
        let mut field = String::new();
        if line > 0 {
            // An enum's value is judged at the end of its object: name the one key in it,
            // unless a field is missing there.
            let into_single_key = !message.starts_with("missing field");
            field = path_at(text, offset(text, line, column), into_single_key);
            // A value that does not fit is shown where it starts; a syntax error where
            // serde_json stopped reading.
            if e.is_data() {
                if let Some((l, c)) = position_of(text, &field) {
                    (line, column) = (l, c);
                }
            }
        }
        FormatError {
            line,
            column,
            field,
            message,
        }
    })
}

/// Reads `text` into `T`, then asks `check` whether it means something: a field and why
/// when it does not, placed at that field's line.
pub fn read_checked<T: DeserializeOwned>(
    text: &str,
    check: impl Fn(&T) -> Result<(), (String, String)>,
) -> Result<T, FormatError> {
    let value: T = read(text)?;
    check(&value).map_err(|(field, why)| at(text, &field, why))?;
    Ok(value)
}

/// An error about a field that parsed but means nothing here (a fault that does not exist,
/// a check without its subject), placed at the field's line.
pub fn at(text: &str, field: &str, message: impl Into<String>) -> FormatError {
    let (line, column) = position_of(text, field).unwrap_or((0, 0));
    FormatError {
        line,
        column,
        field: field.to_string(),
        message: message.into(),
    }
}

/// The byte offset of a 1-based line and column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// One step of a path: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The field whose value holds byte `at`, as far as the text can be read up to there.
fn path_at(text: &str, at: usize, into_single_key: bool) -> String {
    let mut walker = Walker::new(text);
    walker.stop_at = Some(at);
    walker.into_single_key = into_single_key;
    walker.value(0);
    render(&walker.found.unwrap_or(walker.path))
}

/// The 1-based line and column where the value of `field` starts.
fn position_of(text: &str, field: &str) -> Option<(usize, usize)> {
    let mut walker = Walker::new(text);
    walker.wanted = Some(field.to_string());
    walker.value(0);
    let at = walker.start_of_wanted?;
    let before = text.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    Some((line, column))
}

/// A forgiving reader of JSON's shape only: it tracks which field it is in and gives up
/// quietly at anything it cannot read (serde_json has already said what is wrong).
struct Walker<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: Vec<Seg>,
    stop_at: Option<usize>,
    found: Option<Vec<Seg>>,
    wanted: Option<String>,
    start_of_wanted: Option<usize>,
    /// Stopping at the end of an object with one key: the field is that key's value.
    into_single_key: bool,
}

/// As deep as serde_json reads: deeper input has already been refused.
const MAX_DEPTH: usize = 128;

impl<'a> Walker<'a> {
    fn new(text: &'a str) -> Self {
        Walker {
            bytes: text.as_bytes(),
            pos: 0,
            path: Vec::new(),
            stop_at: None,
            found: None,
            wanted: None,
            start_of_wanted: None,
            into_single_key: false,
        }
    }

    fn done(&self) -> bool {
        self.found.is_some() || self.start_of_wanted.is_some() || self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Past the stopping point: the field being read is the answer.
    fn check_stop(&mut self) -> bool {
        if self.found.is_none() && self.stop_at.is_some_and(|at| self.pos >= at) {
            self.found = Some(self.path.clone());
        }
        self.found.is_some()
    }

    /// Reads one value; false when it gave up or found what it looked for.
    fn value(&mut self, depth: usize) -> bool {
        self.space();
        if self.wanted.as_deref() == Some(render(&self.path).as_str()) {
            self.start_of_wanted = Some(self.pos);
            return false;
        }
        if depth > MAX_DEPTH || self.done() {
            return false;
        }
        let ok = match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().is_some(),
            Some(_) => {
                while self.peek().is_some_and(|b| !b",]} \t\r\n".contains(&b)) {
                    self.pos += 1;
                }
                true
            }
            None => false,
        };
        // A scalar ending at the stopping point is the field meant.
        !self.check_stop() && ok
    }

    fn string(&mut self) -> Option<String> {
        let start = self.pos + 1;
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    let raw = self.bytes.get(start..self.pos)?;
                    self.pos += 1;
                    return Some(String::from_utf8_lossy(raw).into_owned());
                }
                _ => self.pos += 1,
            }
        }
        None
    }

    fn object(&mut self, depth: usize) -> bool {
        self.pos += 1;
        let mut keys = Vec::new();
        loop {
            self.space();
            if self.check_stop() {
                if let ([only], true, Some(found)) =
                    (keys.as_slice(), self.into_single_key, self.found.as_mut())
                {
                    found.push(Seg::Key(String::clone(only)));
                }
                return false;
            }
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return true;
                }
                Some(b',') => self.pos += 1,
                Some(b'"') => {
                    let Some(key) = self.string() else {
                        return false;
                    };
                    self.space();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.pos += 1;
                    keys.push(key.clone());
                    self.path.push(Seg::Key(key));
                    let ok = self.value(depth + 1);
                    if !ok {
                        return false;
                    }
                    self.path.pop();
                }
                _ => return false,
            }
        }
    }

    fn array(&mut self, depth: usize) -> bool {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.space();
            if self.check_stop() {
                return false;
            }
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return true;
                }
                Some(b',') => {
                    self.pos += 1;
                    index += 1;
                }
                Some(_) => {
                    self.path.push(Seg::Index(index));
                    if !self.value(depth + 1) {
                        return false;
                    }
                    self.path.pop();
                }
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Thing {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        count: u32,
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let text = "{\n  \"name\": \"x\",\n  \"items\": [\n    {\"count\": 1},\n    {\"count\": \"two\"}\n  ]\n}";
        let e = read::<Thing>(text).unwrap_err();
        assert_eq!(e.line, 5);
        assert_eq!(e.field, "items[1].count");
        assert!(e.message.contains("expected u32"), "{e}");
        assert!(e.to_string().starts_with("line 5, column"), "{e}");
        let e = read::<Thing>("{\"name\": \"x\", \"itemz\": []}").unwrap_err();
        assert!(e.message.contains("unknown field `itemz`"), "{e}");
        let e = read::<Thing>("{\"name\": \"x\"\n}").unwrap_err();
        assert!(e.message.contains("missing field `items`"), "{e}");
        assert_eq!(at(text, "items[1].count", "no").line, 5);
        assert_eq!(at(text, "items[1]", "no").column, 5);
        assert_eq!(at(text, "nothing", "no").line, 0);
    }
}
