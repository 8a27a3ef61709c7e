//! One catalogue text, read into pieces: plain text, `{arg}`, and
//! `{count -> one: … | other: …}`.

use super::{is_one, Arg};

/// A part of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Arg(String),
    /// The argument counted, its "one" form (if given) and its "other" form.
    Plural {
        arg: String,
        one: Option<Vec<Piece>>,
        other: Vec<Piece>,
    },
}

/// A text with its arguments in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(pub Vec<Piece>);

impl Pattern {
    /// Reads a text; the error says what is wrong in words a translator understands.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut chars = text.chars().peekable();
        let pieces = pieces(&mut chars, false)?;
        match chars.next() {
            None => Ok(Pattern(pieces)),
            Some(c) => Err(format!(
                "unexpected '{c}': write \\{c} for the character itself"
            )),
        }
    }

    /// The names of the arguments this text uses, counted ones included, sorted.
    pub fn args(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect(&self.0, &mut names);
        names.sort();
        names.dedup();
        names
    }

    /// The text with `args` in place, plural forms chosen by `lang`'s rules. An argument not
    /// given stays visible as `{name}`: a missing value shows, never breaks the page.
    pub fn format(&self, lang: &str, args: &[(&str, Arg)]) -> String {
        let mut out = String::new();
        render(&self.0, lang, args, &mut out);
        out
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Pieces up to the end, or (inside a plural form) up to `|` or `}`, left unread.
fn pieces(chars: &mut Chars, in_form: bool) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    while let Some(&c) = chars.peek() {
        match c {
            '\\' => {
                chars.next();
                match chars.next() {
                    Some(e @ ('{' | '}' | '|' | '\\')) => text.push(e),
                    Some(e) => return Err(format!("unknown escape \\{e}")),
                    None => return Err("a \\ at the end of the line".to_string()),
                }
            }
            '{' => {
                chars.next();
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(placeholder(chars, in_form)?);
            }
            '}' => break,
            '|' if in_form => break,
            _ => {
                chars.next();
                text.push(c);
            }
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

/// After `{`: `name}` or, outside a plural form, `name -> one: … | other: …}`.
fn placeholder(chars: &mut Chars, in_form: bool) -> Result<Piece, String> {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
            chars.next();
        } else {
            break;
        }
    }
    if name.is_empty() {
        return Err("'{' must be followed by an argument name".to_string());
    }
    skip_spaces(chars);
    match chars.next() {
        Some('}') => Ok(Piece::Arg(name)),
        Some('-') if chars.next() == Some('>') && !in_form => plural(chars, name),
        Some('-') => Err(format!("{{{name} -> …}} cannot be inside a plural form")),
        Some(c) => Err(format!("unexpected '{c}' after {{{name}")),
        None => Err(format!("{{{name} is not closed with }}")),
    }
}

/// The forms of `{name -> one: … | other: …}`, after the arrow.
fn plural(chars: &mut Chars, arg: String) -> Result<Piece, String> {
    let (mut one, mut other) = (None, None);
    loop {
        skip_spaces(chars);
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| c.is_ascii_alphabetic()) {
            key.push(c);
        }
        if chars.next() != Some(':') {
            return Err(format!(
                "in {{{arg} -> …}} each form starts with one: or other:"
            ));
        }
        skip_spaces(chars);
        let mut form = pieces(chars, true)?;
        // Spaces around `|` separate forms; they are not part of the text.
        if let Some(Piece::Text(t)) = form.last_mut() {
            let trimmed = t.trim_end().len();
            t.truncate(trimmed);
        }
        match key.as_str() {
            "one" => one = Some(form),
            "other" => other = Some(form),
            _ => return Err(format!("unknown plural form {key}: (use one: and other:)")),
        }
        match chars.next() {
            Some('|') => continue,
            Some('}') => break,
            _ => return Err(format!("{{{arg} -> …}} is not closed with }}")),
        }
    }
    match other {
        Some(other) => Ok(Piece::Plural { arg, one, other }),
        None => Err(format!("{{{arg} -> …}} needs an other: form")),
    }
}

fn skip_spaces(chars: &mut Chars) {
    while chars.next_if(|c| *c == ' ').is_some() {}
}

fn collect(pieces: &[Piece], names: &mut Vec<String>) {
    for p in pieces {
        match p {
            Piece::Text(_) => {}
            Piece::Arg(name) => names.push(name.clone()),
            Piece::Plural { arg, one, other } => {
                names.push(arg.clone());
                collect(one.as_deref().unwrap_or_default(), names);
                collect(other, names);
            }
        }
    }
}

fn render(pieces: &[Piece], lang: &str, args: &[(&str, Arg)], out: &mut String) {
    let value = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, a)| a);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Arg(name) => match value(name) {
                Some(Arg::Text(t)) => out.push_str(t),
                Some(Arg::Count(n)) => out.push_str(&n.to_string()),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
            Piece::Plural { arg, one, other } => {
                let form = match (value(arg), one) {
                    (Some(Arg::Count(n)), Some(one)) if is_one(lang, *n) => one,
                    _ => other,
                };
                render(form, lang, args, out);
            }
        }
    }
}
